//! Saved views: a record type's list filters saved under a name and shown in the sidebar (the
//! customers' segments). What a filter holds is the owning module's business: here it is JSON
//! text, checked and read by the module (`customers::segments`); this file keeps the rows, their
//! names and their order per record type.

use super::RecordType;
use crate::error::{CoreError, Invalid, Result};
use crate::ids::SegmentId;
use crate::store::{schema, Store};
use rusqlite::types::Value;

/// A saved view as stored: its filter still JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub id: SegmentId,
    pub name: String,
    pub filter: String,
}

pub const NAME_MAX: usize = 60;

/// A view's name, trimmed, or a field error naming `name`.
pub fn clean_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CoreError::invalid("name", Invalid::Required));
    }
    if name.chars().count() > NAME_MAX {
        return Err(CoreError::invalid("name", Invalid::TooLong { max: NAME_MAX }));
    }
    Ok(name.to_string())
}

/// A record type's live views in their order.
pub fn list(store: &Store, kind: &RecordType) -> Result<Vec<View>> {
    store.read(|c| {
        let mut st = c.prepare_cached(
            "SELECT id, name, filter FROM segments WHERE record_type = ?1 AND deleted_at IS NULL AND name <> '' ORDER BY position, id",
        )?;
        let rows = st.query_map([kind.name], |r| Ok(View { id: SegmentId(r.get(0)?), name: r.get(1)?, filter: r.get(2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    })
}

/// Saves a view after the type's others.
pub fn create(store: &Store, kind: &RecordType, name: &str, filter: String) -> Result<SegmentId> {
    let name = clean_name(name)?;
    let id = SegmentId::new();
    store.write(|w| {
        let position: i64 =
            w.conn().query_row("SELECT coalesce(max(position), 0) + 1 FROM segments WHERE record_type = ?1", [kind.name], |r| r.get(0))?;
        w.insert(
            &schema::SEGMENTS,
            id.as_str(),
            &[
                ("name", Value::Text(name)),
                ("filter", Value::Text(filter)),
                ("position", Value::Integer(position)),
                (schema::RECORD_TYPE, Value::Text(kind.name.into())),
            ],
        )
    })?;
    Ok(id)
}

/// Renames a live view and replaces its filter.
pub fn update(store: &Store, id: &SegmentId, name: &str, filter: String) -> Result<()> {
    let name = clean_name(name)?;
    store.write(|w| {
        if w.deleted_at(&schema::SEGMENTS, id.as_str())? != Some(None) {
            return Err(CoreError::NotFound { what: "segment", id: id.to_string() });
        }
        w.update(&schema::SEGMENTS, id.as_str(), &[("name", Value::Text(name)), ("filter", Value::Text(filter))]).map(|_| ())
    })
}

pub fn delete(store: &Store, id: &SegmentId) -> Result<()> {
    store.write(|w| w.tombstone(&schema::SEGMENTS, id.as_str()).map(|_| ()))
}

pub fn restore(store: &Store, id: &SegmentId) -> Result<()> {
    store.write(|w| w.update(&schema::SEGMENTS, id.as_str(), &[("deleted_at", Value::Null)]).map(|_| ()))
}
