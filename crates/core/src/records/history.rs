//! A record's history: every change of its columns, its parts' and its shared features' (custom
//! values, attachments), newest first, read from the change log by the record it is filed under.
//! A value from another device that lost a concurrent edit shows too, with a token that makes
//! it the current value again ([`restore_lost`]): nothing anyone typed is dropped by a merge of
//! edits.
//!
//! What a change is called comes from the record type's declaration (its table, its parts); a
//! module adds what only it knows (customers: merges, company names) around [`entry`].

use super::{RecordRef, RecordType};
use crate::error::{CoreError, Result};
use crate::store::{schema, LogEntry, Store};
use crate::time::rfc3339_ms;
use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

/// One changed column in a record's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// RFC 3339 UTC; entries saved together share it.
    pub at: String,
    pub author: String,
    pub device: String,
    /// A column of the record (`name`, `deleted_at`), `<part>.<column>` for a part's (`phones.value`,
    /// `tags.tag`), `attachments.name`, or `custom.<field id>` for a custom value.
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// Set when this value came from another device and lost to a concurrent edit of the same
    /// field (so it never became the record's value): pass it to `restore_lost_value` to make it
    /// the current value again.
    pub restore: Option<String>,
    /// The write (packed clock and device) this change belongs to: two saves within one
    /// millisecond are still two groups in the timeline. Not sent to the UI.
    #[serde(skip)]
    #[specta(skip)]
    pub write: (i64, String),
}

/// A record's history, newest first, before `before_ms` when given.
pub fn of(store: &Store, record: &RecordRef, before_ms: Option<u64>, limit: u32) -> Result<Vec<HistoryEntry>> {
    Ok(store.history(&record.id, before_ms, limit)?.into_iter().filter_map(|e| entry(record.kind, e)).collect())
}

/// A log entry as a record of `kind` shows it in its history; `None` for what is not a field
/// change of the record (bookkeeping columns; records of their own filed under it, such as
/// activities, which the timeline shows as items).
pub fn entry(kind: &RecordType, e: LogEntry) -> Option<HistoryEntry> {
    let restore = e.lost.then(|| lost_token(&e));
    let field = field_of(kind, &e)?;
    Some(HistoryEntry {
        at: rfc3339_ms(e.hlc.wall_ms),
        author: e.author.unwrap_or_else(|| e.site_id.clone()),
        device: e.device.unwrap_or_else(|| e.site_id.clone()),
        field,
        old_value: value_text(&e.old_value),
        new_value: value_text(&e.value),
        restore,
        write: (e.hlc.pack(), e.site_id),
    })
}

/// The history field a change is shown under (see [`HistoryEntry::field`]).
fn field_of(kind: &RecordType, e: &LogEntry) -> Option<String> {
    let column = e.column.as_str();
    if column == schema::RECORD_TYPE {
        return None;
    }
    if e.table == kind.table {
        return Some(column.to_string());
    }
    if e.table == schema::CUSTOMER_FIELD_VALUES.name {
        // A value row's id is "<record>.<field>": the field is named by its id, which the UI
        // turns into the field's label.
        let field = e.row_id.split_once('.').map(|(_, f)| f).unwrap_or_default();
        return match column {
            "value" => Some(format!("custom.{field}")),
            "deleted_at" => Some(format!("custom.{field}.deleted_at")),
            _ => None,
        };
    }
    if e.table == schema::ATTACHMENTS.name {
        return matches!(column, "name" | "deleted_at").then(|| format!("attachments.{column}"));
    }
    let part = kind.parts.iter().find(|p| p.table == e.table)?;
    let parent = schema::table(part.table).and_then(|t| t.parent_column());
    (Some(column) != parent && column != "position").then(|| format!("{}.{column}", part.field))
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Integer(i) => Some(i.to_string()),
        Value::Real(f) => Some(f.to_string()),
        Value::Text(s) => Some(s.clone()),
        Value::Blob(_) => Some("…".into()),
    }
}

/// What names a lost value for [`restore_lost`]: its table, row, column, clock and device.
fn lost_token(e: &LogEntry) -> String {
    format!("{}|{}|{}|{}|{}", e.table, e.row_id, e.column, e.hlc.pack(), e.site_id)
}

/// Makes a value that lost a concurrent edit (see [`HistoryEntry::restore`]) the current one
/// again: an ordinary write, logged and synced like any edit. Returns the record its history is
/// filed under.
pub fn restore_lost(store: &Store, token: &str) -> Result<String> {
    let bad = || CoreError::NotFound { what: "lost value", id: token.to_string() };
    let parts: Vec<&str> = token.split('|').collect();
    let [tbl, row, col, hlc, site] = parts[..] else { return Err(bad()) };
    let t = schema::table(tbl).filter(|t| t.has_column(col)).ok_or_else(bad)?;
    let col: &'static str = t.columns.iter().copied().find(|c| *c == col).ok_or_else(bad)?;
    let hlc = crate::hlc::Hlc::unpack(hlc.parse().map_err(|_| bad())?);
    let value = store.lost_value(tbl, row, col, hlc, site)?.ok_or_else(bad)?;
    store.write(|w| {
        let entity_sel = t.entity_column.unwrap_or("id");
        let entity: String = w
            .conn()
            .query_row(&format!("SELECT {entity_sel} FROM {} WHERE id = ?1", t.name), [row], |r| r.get(0))
            .optional()?
            .ok_or_else(bad)?;
        w.update(t, row, &[(col, value)])?;
        Ok(entity)
    })
}
