//! Exports reported to the server's audit trail (issue 14): a manager can see who took which part
//! of the customer book out of Satchel, and when.
//!
//! An export is recorded here, in the local table `export_reports` (migration 0014, never
//! synced), whether or not this book is connected to a server: a laptop that connects later
//! reports the exports it made before, and one that works offline for a week reports that week's
//! at its next sync. A book that is never connected would grow the table for ever, so only the
//! newest [`KEEP_WAITING`] unsent reports are kept (and [`KEEP_ANSWERED`] of those the server
//! answered for, for troubleshooting).
//!
//! After its push, a sync sends the waiting reports ([`send`]), at most
//! [`wire::EXPORTS_MAX`] per request, and marks each batch sent only once the server has
//! acknowledged it, like the push cursor: a lost reply means the batch goes again (the server
//! then writes its lines twice, which for an audit trail is better than not at all).
//!
//! `sent`: 0 waiting, 1 written into the server's audit trail, 2 refused by the server (400: a
//! report it can never take, so it is not sent again; see [`send`]).

use super::{wire, Remote, SyncError};
use crate::error::Result;
use crate::store::Store;
use crate::Satchel;
use rusqlite::params;

/// Unsent reports kept, at most: the newest. Far more than a salesperson exports between two
/// syncs; a book never connected to a server stops growing here.
pub const KEEP_WAITING: i64 = 1000;
/// Reports the server answered for (acknowledged or refused) kept, at most: the newest.
pub const KEEP_ANSWERED: i64 = 100;

const WAITING: i64 = 0;
const SENT: i64 = 1;
const REFUSED: i64 = 2;

/// Records an export of `records` records as `kind` (`customers.csv`, `customers.vcf`, ...),
/// made now, to be reported at the next sync; drops the oldest unsent reports beyond
/// [`KEEP_WAITING`].
pub fn record(store: &Store, kind: &str, records: u32) -> Result<()> {
    let at_ms = crate::store::now_ms() as i64;
    // `export_reports` is no synced table: the store's door for local bookkeeping (nothing is
    // logged, no clock stamp is taken).
    store.write_local(|c| {
        c.prepare_cached("INSERT INTO export_reports (at_ms, kind, records, sent) VALUES (?1, ?2, ?3, 0)")?
            .execute(params![at_ms, kind, records])?;
        prune(c, WAITING, KEEP_WAITING)?;
        Ok(())
    })?;
    log::info!("export: {records} records as {kind}; kept for the server's audit trail until a sync reports it");
    Ok(())
}

/// Drops the reports in state `sent` beyond the newest `keep`.
fn prune(c: &rusqlite::Connection, sent: i64, keep: i64) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "DELETE FROM export_reports WHERE sent = ?1 AND id NOT IN (SELECT id FROM export_reports WHERE sent = ?1 ORDER BY id DESC LIMIT ?2)",
    )?
    .execute(params![sent, keep])
}

/// How many exports wait to be reported.
pub fn waiting(app: &Satchel) -> Result<u64> {
    app.store().read(|c| Ok(c.query_row("SELECT count(*) FROM export_reports WHERE sent = 0", [], |r| r.get::<_, i64>(0))? as u64))
}

/// The oldest `limit` waiting reports: their row ids and what goes on the wire.
fn oldest_waiting(app: &Satchel, limit: usize) -> Result<Vec<(i64, wire::ExportReport)>> {
    app.store().read(|c| {
        let mut st = c.prepare_cached("SELECT id, at_ms, kind, records FROM export_reports WHERE sent = 0 ORDER BY id LIMIT ?1")?;
        let rows = st
            .query_map([limit as i64], |r| Ok((r.get(0)?, wire::ExportReport { at_ms: r.get(1)?, kind: r.get(2)?, records: r.get(3)? })))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// Marks reports answered for (`SENT` or `REFUSED`), in one transaction, and keeps the newest
/// [`KEEP_ANSWERED`] of those.
fn mark(app: &Satchel, ids: &[i64], state: i64) -> Result<()> {
    app.store().write_local(|c| {
        let mut st = c.prepare_cached("UPDATE export_reports SET sent = ?2 WHERE id = ?1")?;
        for id in ids {
            st.execute(params![id, state])?;
        }
        prune(c, SENT, KEEP_ANSWERED)?;
        prune(c, REFUSED, KEEP_ANSWERED)?;
        Ok(())
    })
}

/// Sends the waiting reports to the server (oldest first, at most [`wire::EXPORTS_MAX`] per
/// request) and marks each batch once the server acknowledged it; returns how many went.
///
/// A batch the server refuses (400: a report it cannot take, from a damaged book or a newer app's
/// kind it does not accept) must not stall sync: it is sent again in halves until each refused
/// report stands alone, and that one is logged and marked refused, never sent again (sending it
/// again would be refused again, for ever). A server older than export reports (it answers 404)
/// keeps them waiting, and sync goes on: an upgraded server gets them. Any other failure (offline,
/// logged out) ends the sync as a push's would; the reports wait for the next one.
pub fn send(app: &Satchel, remote: &mut dyn Remote) -> Result<u32, SyncError> {
    let mut sent = 0;
    loop {
        let batch = oldest_waiting(app, wire::EXPORTS_MAX)?;
        if batch.is_empty() {
            return Ok(sent);
        }
        match send_or_refuse(app, remote, &batch)? {
            Some(n) => sent += n,
            None => return Ok(sent),
        }
        if batch.len() < wire::EXPORTS_MAX {
            return Ok(sent);
        }
    }
}

/// Sends `batch`; when refused, its halves the same way, marking a refused report alone as such.
/// Returns how many were acknowledged, or None when the server takes no export reports at all.
fn send_or_refuse(app: &Satchel, remote: &mut dyn Remote, batch: &[(i64, wire::ExportReport)]) -> Result<Option<u32>, SyncError> {
    let reports: Vec<wire::ExportReport> = batch.iter().map(|(_, r)| r.clone()).collect();
    let ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
    let why = match remote.report_exports(&reports) {
        Ok(()) => {
            mark(app, &ids, SENT)?;
            return Ok(Some(batch.len() as u32));
        }
        Err(SyncError::Refused { code, message }) if matches!(code.as_str(), "http_404" | "http_405") => {
            log::info!("sync: the server takes no export reports ({code}: {message}); {} wait for an upgraded server", waiting(app)?);
            return Ok(None);
        }
        Err(SyncError::Refused { code, message }) => format!("{code}: {message}"),
        Err(e) => return Err(e),
    };
    if let [(id, r)] = batch {
        log::warn!(
            "sync: the server refused the report of an export ({} {} records at {} ms): {why}; not sent again",
            r.kind,
            r.records,
            r.at_ms
        );
        mark(app, &[*id], REFUSED)?;
        return Ok(Some(0));
    }
    let (a, b) = batch.split_at(batch.len() / 2);
    let Some(first) = send_or_refuse(app, remote, a)? else { return Ok(None) };
    Ok(send_or_refuse(app, remote, b)?.map(|second| first + second))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Profile;
    use wire::{PullResponse, PushResponse, WireChange};

    fn book() -> (tempfile::TempDir, Satchel) {
        let dir = tempfile::tempdir().unwrap();
        let app = Satchel::open(dir.path().join("satchel.db"), Profile { author: "ana".into(), device: "ana-laptop".into() }).unwrap();
        (dir, app)
    }

    /// A server as far as export reports go: refuses a request holding a report whose kind
    /// starts with "bad" (400), answers 404 when `old`, and keeps what it took.
    #[derive(Default)]
    struct Reports {
        took: Vec<wire::ExportReport>,
        requests: u32,
        old: bool,
    }

    impl Remote for Reports {
        fn push(&mut self, _: &[WireChange]) -> Result<PushResponse, SyncError> {
            unreachable!()
        }
        fn pull(&mut self, _: i64, _: u32) -> Result<PullResponse, SyncError> {
            unreachable!()
        }
        fn report_exports(&mut self, reports: &[wire::ExportReport]) -> Result<(), SyncError> {
            self.requests += 1;
            if self.old {
                return Err(SyncError::Refused { code: "http_404".into(), message: "HTTP 404".into() });
            }
            if reports.iter().any(|r| r.kind.starts_with("bad")) {
                return Err(SyncError::Refused { code: "bad_report".into(), message: "no".into() });
            }
            assert!(reports.len() <= wire::EXPORTS_MAX);
            self.took.extend_from_slice(reports);
            Ok(())
        }
    }

    fn states(app: &Satchel) -> Vec<(String, i64)> {
        app.store()
            .read(|c| {
                let mut st = c.prepare("SELECT kind, sent FROM export_reports ORDER BY id")?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap()
    }

    #[test]
    fn a_refused_report_is_set_apart_and_the_others_go_once() {
        let (_dir, app) = book();
        for kind in ["customers.csv", "customers.vcf", "bad.kind", "customers.csv"] {
            record(app.store(), kind, 7).unwrap();
        }
        let mut server = Reports::default();
        assert_eq!(send(&app, &mut server).unwrap(), 3);
        assert_eq!(server.took.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(), ["customers.csv", "customers.vcf", "customers.csv"]);
        assert!(server.took.iter().all(|r| r.records == 7 && r.at_ms > 1_577_836_800_000));
        let kinds = |s: i64| states(&app).into_iter().filter(|(_, sent)| *sent == s).map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(kinds(REFUSED), ["bad.kind"], "refused, kept apart, not waiting");
        assert_eq!(kinds(SENT).len(), 3);
        assert_eq!(waiting(&app).unwrap(), 0);
        let requests = server.requests;
        assert_eq!(send(&app, &mut server).unwrap(), 0, "nothing goes twice");
        assert_eq!(server.requests, requests, "and nothing is asked");
    }

    #[test]
    fn a_server_without_export_reports_keeps_them_waiting_and_sync_goes_on() {
        let (_dir, app) = book();
        record(app.store(), "customers.csv", 1).unwrap();
        let mut old = Reports { old: true, ..Default::default() };
        assert_eq!(send(&app, &mut old).unwrap(), 0);
        assert_eq!(waiting(&app).unwrap(), 1);
        let mut upgraded = Reports::default();
        assert_eq!(send(&app, &mut upgraded).unwrap(), 1);
        assert_eq!(waiting(&app).unwrap(), 0);
    }

    #[test]
    fn a_book_never_connected_keeps_its_newest_waiting_reports_only_and_sends_them_in_batches() {
        let (_dir, app) = book();
        let made = KEEP_WAITING as u32 + 5;
        for i in 0..made {
            record(app.store(), "customers.csv", i).unwrap();
        }
        assert_eq!(waiting(&app).unwrap(), KEEP_WAITING as u64);
        let mut server = Reports::default();
        assert_eq!(send(&app, &mut server).unwrap(), KEEP_WAITING as u32);
        assert_eq!(server.requests, (KEEP_WAITING as u32).div_ceil(wire::EXPORTS_MAX as u32));
        let counts: Vec<i64> = server.took.iter().map(|r| r.records).collect();
        assert_eq!(counts, (5..i64::from(made)).collect::<Vec<_>>(), "the oldest went, the rest in order");
        assert_eq!(states(&app).len(), KEEP_ANSWERED as usize, "only the newest answered ones are kept");
    }
}
