//! Records this laptop may no longer see (issue 14). When a record's owner makes it private, the
//! server stops sending its changes to teammates and, at their next pull, names it among the
//! `revoked`: each such laptop forgets its copy here, the record with every row filed under it
//! (phones, emails, activities, custom values, attachments' rows, at any depth), so a record
//! someone hid does not stay readable and editable on the laptops that had it. This is not a
//! delete: nothing is logged or pushed, the owner and the managers keep theirs, and if the record
//! is shared again the server sends all of it again. A record created on this laptop is never
//! forgotten here (see `created_here`). The files of its attachments, fetched from the server,
//! are removed from the attachments folder unless another record this laptop holds has the same.

use super::entries::compact_id;
use super::{lock, schema, Result, Store, Touched};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use satchel_proto::schema::Scope;

impl Store {
    /// Forgets these records and everything filed under them, in one transaction; returns the
    /// rows it removed, for the modules' in-memory state. Ids this laptop does not hold are
    /// passed over.
    pub fn forget_records(&self, ids: &[String]) -> Result<Vec<Touched>> {
        let mut side = lock(&self.write);
        let tx = side.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // (table, row, the row it is filed under directly)
        let mut doomed: Vec<(&'static schema::TableDef, String, Option<String>)> = Vec::new();
        for t in schema::SYNCED_TABLES.iter().filter(|t| matches!(t.scope, Scope::Root { .. })) {
            for id in ids {
                let here: Option<i64> = tx.query_row(&format!("SELECT 1 FROM {} WHERE id = ?1", t.name), [id], |r| r.get(0)).optional()?;
                if here.is_none() {
                    continue;
                }
                // A record created here is its creator's (the server revokes only other owners'
                // records): a revocation naming it is a server that does not know yet whose it
                // is (restored from a backup, it may first meet it through a manager's re-sent
                // edit and hold it as theirs until the creator's laptop sends the creation
                // again). Forgetting it would delete the row that holds the creation's values
                // (an own insert is logged without them): the creation could never be sent again.
                if created_here(&tx, t, id)? {
                    log::warn!("sync: the server named {} {id} among records to forget, but it was created here: kept", t.name);
                    continue;
                }
                doomed.push((t, id.clone(), None));
            }
        }
        // Down the tables' scopes until no more rows are found (a chain is as deep as the
        // tables' nesting; `schema::problems` refuses cycles).
        let mut from = 0;
        while from < doomed.len() {
            let parents: Vec<(&'static str, String)> = doomed[from..].iter().map(|(t, id, _)| (t.name, id.clone())).collect();
            from = doomed.len();
            for t in schema::SYNCED_TABLES.iter() {
                for (parent_table, parent) in &parents {
                    let sql = match t.scope {
                        Scope::Child { parent: p, column } if p == *parent_table => {
                            format!("SELECT id FROM {} WHERE {column} = ?1", t.name)
                        }
                        Scope::Record { type_column, id_column, default } => {
                            let Some(kind) = satchel_proto::records::of_table(parent_table) else { continue };
                            format!(
                                "SELECT id FROM {} WHERE {id_column} = ?1 AND coalesce(nullif({type_column}, ''), '{default}') = '{}'",
                                t.name, kind.name
                            )
                        }
                        _ => continue,
                    };
                    let mut st = tx.prepare(&sql)?;
                    let rows: Vec<String> = st.query_map([parent], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                    doomed.extend(rows.into_iter().map(|id| (*t, id, Some(parent.clone()))));
                }
            }
        }
        // The files of the attachments going: removed below once no row names them any more.
        let mut hashes: Vec<String> = Vec::new();
        for (t, id, _) in doomed.iter().filter(|(t, _, _)| t.name == "attachments") {
            let hash: Option<String> =
                tx.query_row(&format!("SELECT sha256 FROM {} WHERE id = ?1", t.name), [id], |r| r.get(0)).optional()?;
            hashes.extend(hash.filter(|h| satchel_proto::wire::is_sha256(h)));
        }
        let mut touched = Vec::with_capacity(doomed.len());
        for (t, id, parent) in &doomed {
            tx.execute(&format!("DELETE FROM {} WHERE id = ?1", t.name), [id])?;
            touched.push(Touched { table: t.name, id: id.clone(), parent: parent.clone(), kind: None });
        }
        for id in ids {
            tx.execute("DELETE FROM lost_values WHERE entity_id = ?1", params![id])?;
        }
        hashes.sort_unstable();
        hashes.dedup();
        let mut orphans = Vec::new();
        for hash in hashes {
            let still: Option<i64> =
                tx.query_row("SELECT 1 FROM attachments WHERE sha256 = ?1 LIMIT 1", [&hash], |r| r.get(0)).optional()?;
            if still.is_none() {
                orphans.push(hash);
            }
        }
        tx.commit()?;
        // A fetched file of a record this laptop may no longer see goes too: the record was hidden
        // from it, not only from its lists. (After the commit: a file left by a crash in between
        // is unreadable through the app, and goes with the next revocation that names it.)
        let folder = self.path().parent().map(|p| p.join("attachments")).unwrap_or_default();
        for hash in &orphans {
            for name in [hash.clone(), format!("{hash}.download")] {
                match std::fs::remove_file(folder.join(&name)) {
                    Ok(()) => log::info!("sync: removed the file {name:.12}… of an attachment of a record made private"),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => log::warn!("sync: cannot remove {}: {e}", folder.join(&name).display()),
                }
            }
        }
        if !doomed.is_empty() {
            log::info!("sync: forgot {} rows of {} records made private by their owners", doomed.len(), ids.len());
        }
        Ok(touched)
    }
}

/// Whether root record `id` of `t` was created in this database: its creation entry (the row's
/// `_created_seq`, migration 0010) is an own one, or, for a row made before that column, an own
/// insert of the row is among its record's history runs.
fn created_here(c: &rusqlite::Connection, t: &schema::TableDef, id: &str) -> Result<bool> {
    // (Every record table has the column: `store::tests::every_record_table_has_the_creation_column`.)
    let by_seq: Option<i64> = if !t.is_record() {
        None
    } else {
        c.query_row(
            &format!("SELECT 1 FROM {} r JOIN change_log l ON l.seq = r._created_seq WHERE r.id = ?1 AND l.site_id IS NULL", t.name),
            [id],
            |r| r.get(0),
        )
        .optional()?
    };
    if by_seq.is_some() {
        return Ok(true);
    }
    // Older rows: an own entry with no old values (an insert, row-backed or not) of this row.
    let blob = compact_id(id).map(|b| b.to_vec());
    let by_runs: Option<i64> = c
        .query_row(
            "SELECT 1 FROM entity_log r JOIN change_log l ON l.seq BETWEEN r.first_seq AND r.last_seq
             WHERE r.entity_id = ?1 AND l.site_id IS NULL AND l.old IS NULL AND l.tbl = ?2 AND (l.row_id = ?1 OR l.row_id = ?3) LIMIT 1",
            params![id, t.name, blob],
            |r| r.get(0),
        )
        .optional()?;
    Ok(by_runs.is_some())
}
