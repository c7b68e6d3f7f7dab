//! The server files each pushed change under the record it really belongs to (issue 14).
//!
//! A laptop names, in each change, the root record it is filed under (`entity`), and the server
//! grants or refuses the change by that record's owner and visibility. For a root record's own
//! columns the server checks the name (a record is filed under itself); for a child row (a phone,
//! an email, an activity, a custom value, an attachment) the laptop's word was taken as it came,
//! so a modified app could file a phone of someone else's private record under no record at all
//! and write into that record. Now the server works the record out itself, through the same
//! chain of parents the laptops use ([`satchel_proto::schema::file_under`]): from the link columns
//! (a phone's `customer_id`, a custom value's record type and id) this batch sets or, failing
//! that, the last ones the server stored ([`crate::storage::Storage::links`]). What the laptop
//! said is replaced by what the server found.

use crate::storage::{LinkKey, Result};
use satchel_proto::schema::{self, Scope};
use satchel_proto::wire::WireChange;
use std::collections::HashMap;

/// The link values a batch sets: the newest of each (clock, value).
fn batch_links(changes: &[WireChange]) -> HashMap<LinkKey, (i64, String)> {
    let mut out: HashMap<LinkKey, (i64, String)> = HashMap::new();
    for ch in changes {
        let Some(t) = schema::table(&ch.table) else { continue };
        if !t.is_link(&ch.column) {
            continue;
        }
        let value = ch.value.as_str().unwrap_or_default().to_string();
        let key = LinkKey { table: ch.table.clone(), row: ch.row.clone(), column: ch.column.clone() };
        match out.get(&key) {
            Some((hlc, _)) if *hlc >= ch.hlc => {}
            _ => {
                out.insert(key, (ch.hlc, value));
            }
        }
    }
    out
}

/// Sets each change's `entity` to the root record its row belongs to, as the server finds it.
/// `stored` answers, for link columns of rows the batch does not link itself, the newest value
/// the server holds (`(clock, value)`); it is asked once per level of nesting. The inner error
/// names a change whose row belongs to no record the server can find (neither the batch nor any
/// earlier push says what it is part of): such a batch is refused whole.
pub fn file(
    changes: &mut [WireChange],
    mut stored: impl FnMut(&[LinkKey]) -> Result<HashMap<LinkKey, (i64, String)>>,
) -> Result<std::result::Result<(), String>> {
    let mut links = batch_links(changes);
    let mut asked: std::collections::HashSet<LinkKey> = Default::default();
    // Each round finds one more level of each chain (a parent's own link is only known once the
    // parent's id is); a round that needs nothing new ends it.
    loop {
        let mut wanted: Vec<LinkKey> = Vec::new();
        // A row's columns come together: each row is followed up once.
        let mut previous: Option<(&str, &str)> = None;
        for ch in changes.iter() {
            if previous == Some((ch.table.as_str(), ch.row.as_str())) {
                continue;
            }
            previous = Some((ch.table.as_str(), ch.row.as_str()));
            let Some(t) = schema::table(&ch.table) else { continue };
            if matches!(t.scope, Scope::Root { .. } | Scope::Team) {
                continue;
            }
            schema::file_under(t, &ch.row, |table, id, column| {
                let key = LinkKey { table: table.name.to_string(), row: id.to_string(), column: column.to_string() };
                if let Some((_, v)) = links.get(&key) {
                    return Some(v.clone());
                }
                if !asked.contains(&key) && !wanted.contains(&key) {
                    wanted.push(key);
                }
                None
            });
        }
        if wanted.is_empty() {
            break;
        }
        // (A row the batch links itself is filed by the batch's link: it is the newer one but
        // for two devices moving the same row at once, where the next push settles it.)
        links.extend(stored(&wanted)?);
        asked.extend(wanted);
    }
    // (table, row) -> the record, or None when a link on the way is unknown.
    let mut cache: HashMap<(String, String), Option<String>> = HashMap::new();
    for (i, ch) in changes.iter_mut().enumerate() {
        let Some(t) = schema::table(&ch.table) else { continue };
        ch.entity = match t.scope {
            Scope::Root { .. } => ch.row.clone(),
            Scope::Team => String::new(),
            Scope::Child { .. } | Scope::Record { .. } => {
                let found = cache
                    .entry((ch.table.clone(), ch.row.clone()))
                    .or_insert_with(|| {
                        let mut whole = true;
                        let record = schema::file_under(t, &ch.row, |table, id, column| {
                            let key = LinkKey { table: table.name.to_string(), row: id.to_string(), column: column.to_string() };
                            let v = links.get(&key).map(|(_, v)| v.clone());
                            // A row that names no record type was written before record types
                            // existed (by 0.1 books): it is of the table's default type, as on
                            // the laptops (`file_under` takes the default). Only a missing parent
                            // leaves a row filed under nothing.
                            let is_type = matches!(table.scope, Scope::Record { type_column, .. } if type_column == column);
                            whole &= v.is_some() || is_type;
                            v
                        });
                        whole.then_some(record)
                    })
                    .clone();
                match found {
                    Some(record) => record,
                    None => {
                        return Ok(Err(format!("change {i}: {} {} is part of no record this server knows", ch.table, ch.row)));
                    }
                }
            }
        };
    }
    Ok(Ok(()))
}
