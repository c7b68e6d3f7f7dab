//! Segments: a list filter saved under a name (stage, tag, owner, kind, custom field values, no
//! activity in N days), shown in the sidebar with how many records match it now. The count comes
//! from the in-memory index, so it is live without a query.

use super::{CustomValue, CustomerKind, ListQuery, Stage};
use crate::error::{CoreError, Invalid, Result};
use crate::ids::SegmentId;
use crate::store::{schema, Store};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

/// The filters a segment saves: the list's, without its sort and paging.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct SegmentFilter {
    pub stage: Option<Stage>,
    pub tag: Option<String>,
    pub owner: Option<String>,
    pub kind: Option<CustomerKind>,
    pub custom: Vec<CustomValue>,
    pub inactive_days: Option<u32>,
}

impl SegmentFilter {
    pub fn query(&self) -> ListQuery {
        ListQuery {
            stage: self.stage,
            tag: self.tag.clone(),
            owner: self.owner.clone(),
            kind: self.kind,
            custom: self.custom.clone(),
            inactive_days: self.inactive_days,
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Segment {
    pub id: SegmentId,
    pub name: String,
    pub filter: SegmentFilter,
    /// Live records matching the filter now.
    pub count: u32,
}

const NAME_MAX: usize = 60;

fn check(name: &str, filter: &SegmentFilter) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CoreError::invalid("name", Invalid::Required));
    }
    if name.chars().count() > NAME_MAX {
        return Err(CoreError::invalid("name", Invalid::TooLong { max: NAME_MAX }));
    }
    if filter.inactive_days.is_some_and(|d| d == 0 || d > 3650) {
        return Err(CoreError::invalid("inactiveDays", Invalid::OutOfRange { min: 1, max: 3650 }));
    }
    Ok(name.to_string())
}

/// Saved segments in order, counts left at 0 for the caller (who has the index) to fill.
pub fn list(store: &Store) -> Result<Vec<Segment>> {
    store.read(|c| {
        let mut st =
            c.prepare_cached("SELECT id, name, filter FROM segments WHERE deleted_at IS NULL AND name <> '' ORDER BY position, id")?;
        let rows = st.query_map([], |r| {
            let filter: String = r.get(2)?;
            Ok(Segment { id: SegmentId(r.get(0)?), name: r.get(1)?, filter: serde_json::from_str(&filter).unwrap_or_default(), count: 0 })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    })
}

fn filter_text(f: &SegmentFilter) -> Value {
    Value::Text(serde_json::to_string(f).unwrap_or_else(|_| "{}".into()))
}

pub fn create(store: &Store, name: &str, filter: &SegmentFilter) -> Result<SegmentId> {
    let name = check(name, filter)?;
    let id = SegmentId::new();
    store.write(|w| {
        let position: i64 = w.conn().query_row("SELECT coalesce(max(position), 0) + 1 FROM segments", [], |r| r.get(0))?;
        w.insert(
            &schema::SEGMENTS,
            id.as_str(),
            &[("name", Value::Text(name)), ("filter", filter_text(filter)), ("position", Value::Integer(position))],
        )
    })?;
    Ok(id)
}

pub fn update(store: &Store, id: &SegmentId, name: &str, filter: &SegmentFilter) -> Result<()> {
    let name = check(name, filter)?;
    store.write(|w| {
        if w.deleted_at(&schema::SEGMENTS, id.as_str())? != Some(None) {
            return Err(CoreError::NotFound { what: "segment", id: id.to_string() });
        }
        w.update(&schema::SEGMENTS, id.as_str(), &[("name", Value::Text(name)), ("filter", filter_text(filter))]).map(|_| ())
    })
}

pub fn delete(store: &Store, id: &SegmentId) -> Result<()> {
    store.write(|w| w.tombstone(&schema::SEGMENTS, id.as_str()).map(|_| ()))
}

pub fn restore(store: &Store, id: &SegmentId) -> Result<()> {
    store.write(|w| w.update(&schema::SEGMENTS, id.as_str(), &[("deleted_at", Value::Null)]).map(|_| ()))
}
