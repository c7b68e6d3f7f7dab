//! The calendar's events in the global search (`crate::search`): by title, location or
//! customer, latest start first. Someone else's private event is not found (the calendar shows it
//! only as busy time).

use crate::error::Result;
use crate::search::{row_keys, scope_filter, Doc, Group, Loaded, Scope};
use rusqlite::Connection;

pub fn events(c: &Connection, me: &str, scope: Scope<'_>) -> Result<Loaded> {
    let (filter, mut params) = scope_filter(scope, "e.id", "e.customer_id");
    params.insert(0, me.to_string());
    let mut st = c.prepare(&format!(
        "SELECT e.id, e.title, e.location, coalesce(cu.name, ''), e.customer_id, e.starts FROM events e LEFT JOIN customers cu ON cu.id = e.customer_id
         WHERE e.deleted_at IS NULL AND (e.visibility <> 'private' OR e.owner = ?1){filter}"
    ))?;
    let docs = st
        .query_map(rusqlite::params_from_iter(params), |r| {
            let (id, title, location, customer, customer_id, starts): (String, String, String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
            let fields = [title.as_str(), location.as_str(), customer.as_str()];
            // The day it starts (a date, or the date part of a time), and where.
            let day: String = starts.chars().take(10).collect();
            let subtitle = [day.as_str(), location.as_str(), customer.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · ");
            Ok(Doc::new(Group::Calendar, "event", 0, id, title.clone(), subtitle, customer_id, starts, true, &fields))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Loaded { keys: row_keys("event", scope), docs })
}
