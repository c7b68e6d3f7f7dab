//! A restored backup becomes a new device for sync (issue 14).
//!
//! A backup's change log and clock are older than what its device went on to push. Writing on
//! from the backup under the same site id could give a new edit a stamp (clock, site) the server
//! already holds for another value, and the server keeps each stamp once: the edit would be lost.
//! So a restored database takes a new site id, and what its old identity wrote becomes, here
//! too, what it is on the server: changes of that other site.
//!
//! Locally a database's own changes carry no site (a NULL `site_id` in the log, stamps without
//! `@site` in `_clocks`), so taking a new id rewrites them: entries the server has acknowledged
//! (up to the push cursor) and their stamps name the old site; entries it has not stay own and
//! are pushed under the new one. Pulling everything again then finds each old change already
//! here with the same stamp and skips it, and brings in whatever the old identity pushed after
//! the backup.

use super::{meta_get, schema, Clocks, DIRECT};
use crate::error::{CoreError, Result};
use crate::ids::new_site_id;
use rusqlite::types::Value;
use rusqlite::{params, Connection};
use std::collections::HashSet;

/// Gives the database on `conn` (open nowhere else) a new site id, treating its own log entries
/// up to `pushed` as the old site's. Returns (old site, new site).
pub(crate) fn take_new_site(conn: &mut Connection, pushed: i64) -> Result<(String, String)> {
    let old = meta_get(conn, "site_id")?.ok_or_else(|| CoreError::Internal("the database has no site id".into()))?;
    let new = new_site_id();
    let tx = conn.transaction()?;
    // The stamps of own writes not yet pushed: they stay own (one stamp per write).
    let unpushed: HashSet<String> = tx
        .prepare("SELECT DISTINCT hlc FROM change_log WHERE site_id IS NULL AND seq > ?1")?
        .query_map([pushed], |r| r.get::<_, i64>(0))?
        .map(|h| h.map(|h| format!("{h}@{old}")))
        .collect::<rusqlite::Result<_>>()?;
    let to_new = |stamp: &str| -> Option<String> {
        unpushed.contains(stamp).then(|| format!("{}@{new}", stamp.split_once('@').map_or(stamp, |(h, _)| h)))
    };
    for t in schema::SYNCED_TABLES.iter() {
        let rows: Vec<(Value, String)> = tx
            .prepare(&format!("SELECT id, _clocks FROM {} WHERE _clocks IS NOT NULL", t.name))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut update = tx.prepare(&format!("UPDATE {} SET _clocks = ?2 WHERE id = ?1", t.name))?;
        for (id, text) in rows {
            let parsed = Clocks::parse(&text, t, &old);
            let moved = parsed
                .0
                .into_iter()
                .map(|(k, v)| {
                    if k == DIRECT {
                        let v = match v.as_str().and_then(to_new) {
                            Some(s) => serde_json::Value::String(s),
                            None => v,
                        };
                        (k, v)
                    } else {
                        (to_new(&k).unwrap_or(k), v)
                    }
                })
                .collect();
            let out = Clocks(moved).to_text(t, &new);
            if out != text {
                update.execute(params![id, out])?;
            }
        }
    }
    tx.execute("UPDATE change_log SET site_id = ?1 WHERE site_id IS NULL AND seq <= ?2", params![old, pushed])?;
    tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('site_id', ?1)", [&new])?;
    tx.commit()?;
    Ok((old, new))
}
