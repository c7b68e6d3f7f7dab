//! Segments: the customers' saved views (`records::views`), a list filter saved under a name
//! (stage, tag, owner, kind, custom field values, no activity in N days), shown in the sidebar
//! with how many records match it now. The count comes from the in-memory index, so it is live
//! without a query.

use super::{CustomValue, CustomerKind, ListQuery, Stage, CUSTOMER};
use crate::error::{CoreError, Invalid, Result};
use crate::ids::SegmentId;
use crate::records::views;
use crate::store::Store;
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

/// The filter's own limits; the name is checked by the shared views.
fn check(filter: &SegmentFilter) -> Result<()> {
    if filter.inactive_days.is_some_and(|d| d == 0 || d > 3650) {
        return Err(CoreError::invalid("inactiveDays", Invalid::OutOfRange { min: 1, max: 3650 }));
    }
    Ok(())
}

fn filter_text(f: &SegmentFilter) -> String {
    serde_json::to_string(f).unwrap_or_else(|_| "{}".into())
}

/// Saved segments in order, counts left at 0 for the caller (who has the index) to fill.
pub fn list(store: &Store) -> Result<Vec<Segment>> {
    Ok(views::list(store, &CUSTOMER)?
        .into_iter()
        .map(|v| Segment { id: v.id, name: v.name, filter: serde_json::from_str(&v.filter).unwrap_or_default(), count: 0 })
        .collect())
}

pub fn create(store: &Store, name: &str, filter: &SegmentFilter) -> Result<SegmentId> {
    views::clean_name(name)?;
    check(filter)?;
    views::create(store, &CUSTOMER, name, filter_text(filter))
}

pub fn update(store: &Store, id: &SegmentId, name: &str, filter: &SegmentFilter) -> Result<()> {
    views::clean_name(name)?;
    check(filter)?;
    views::update(store, id, name, filter_text(filter))
}

pub use views::{delete, restore};
