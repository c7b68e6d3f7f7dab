//! The trash, for every record type: deleting a record tombstones it and its live parts in one
//! write (with that write's clock stamp), restoring brings back exactly the parts that delete
//! removed (parts removed earlier stay removed), and [`list`] shows what is in the trash.

use super::{RecordRef, RecordType};
use crate::error::{CoreError, Result};
use crate::store::schema::{self, TableDef};
use crate::store::{Store, Writer};
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A record in the trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Trashed {
    pub id: String,
    /// Its title column (a customer's name).
    pub title: String,
    /// RFC 3339 UTC.
    pub deleted_at: String,
}

fn parts(kind: &RecordType) -> impl Iterator<Item = (&'static TableDef, &'static str)> + '_ {
    kind.parts.iter().filter_map(|p| schema::table(p.table)).filter_map(|t| Some((t, t.parent_column()?)))
}

/// Moves a live record and its live parts to the trash. `false` when it already was there.
pub fn delete_in(w: &mut Writer<'_>, record: &RecordRef) -> Result<bool> {
    if !w.tombstone(record.table(), &record.id)? {
        return Ok(false);
    }
    for (t, column) in parts(record.kind) {
        let ids: Vec<String> = w
            .conn()
            .prepare_cached(&format!("SELECT id FROM {} WHERE {column} = ?1 AND deleted_at IS NULL ORDER BY id", t.name))?
            .query_map([record.id.as_str()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for row in ids {
            w.tombstone(t, &row)?;
        }
    }
    Ok(true)
}

/// Brings a trashed record back with the parts its delete removed. `false` when it was live.
pub fn restore_in(w: &mut Writer<'_>, record: &RecordRef) -> Result<bool> {
    let table = record.table();
    let row: Option<(Option<String>, Option<String>)> = w
        .conn()
        .prepare_cached(&format!("SELECT deleted_at, json_extract(_clocks, '$.deleted_at') FROM {} WHERE id = ?1", table.name))?
        .query_row([record.id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((deleted_at, delete_stamp)) = row else {
        return Err(CoreError::NotFound { what: record.kind.name, id: record.id.clone() });
    };
    if deleted_at.is_none() {
        return Ok(false);
    }
    w.update(table, &record.id, &[("deleted_at", Value::Null)])?;
    // The parts the delete removed carry the delete's own clock stamp (unique per write);
    // matching on it, not on the time text, leaves parts removed earlier removed.
    for (t, column) in parts(record.kind) {
        let ids: Vec<String> = w
            .conn()
            .prepare_cached(&format!(
                "SELECT id FROM {} WHERE {column} = ?1 AND deleted_at IS NOT NULL AND json_extract(_clocks, '$.deleted_at') = ?2",
                t.name
            ))?
            .query_map(params![record.id.as_str(), delete_stamp], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for row in ids {
            w.update(t, &row, &[("deleted_at", Value::Null)])?;
        }
    }
    Ok(true)
}

/// What is in a record type's trash, most recently deleted first.
pub fn list(store: &Store, kind: &RecordType, limit: u32) -> Result<Vec<Trashed>> {
    let table = super::table_of(kind);
    store.read(|c| {
        let mut st = c.prepare_cached(&format!(
            "SELECT id, {title}, deleted_at FROM {table} WHERE deleted_at IS NOT NULL AND {title} <> '' ORDER BY deleted_at DESC, id LIMIT ?1",
            title = kind.title,
            table = table.name
        ))?;
        let rows = st.query_map([limit], |r| Ok(Trashed { id: r.get(0)?, title: r.get(1)?, deleted_at: r.get(2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    })
}
