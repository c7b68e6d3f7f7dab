//! The client side of sync: push this database's own changes, pull everyone else's, merge by
//! last writer per column (the store's [`crate::store::Store::apply_remote`]).
//!
//! The engine talks to the server through [`Remote`], so the property tests can run many replicas
//! against an in-memory relay and the app and CLI use [`http::HttpRemote`]. Its state is two
//! cursors in `meta`: how far this database's log has been acknowledged by the server
//! (`sync.pushed`, a local sequence number) and how far the server's log has been applied here
//! (`sync.pulled`, a server sequence number). Each pulled page is applied and its cursor advanced
//! in one transaction, so a crash can neither skip nor double-apply a page; a push that dies
//! midway is simply sent again (the server stores each change once).
//!
//! Both cursors hold only within one epoch of the server's database (`sync.epoch`, issue 14): a
//! server restored from a backup has a new one, and has lost what was pushed after the backup.
//! When a pull shows a new epoch, the laptop starts both cursors over in the same sync: it pulls
//! everything again (applying is idempotent) and pushes every change it ever made again (the
//! server keeps each once), so the server gets back what the restore lost and the other laptops
//! receive it from there.

pub mod blobs;
pub mod exports;
pub mod http;
pub mod token;
/// What travels between a laptop and the server: defined once, in the protocol crate.
pub use satchel_proto::wire;
pub mod worker;

use crate::error::CoreError;
use crate::hlc::Hlc;
use crate::i18n::Locale;
use crate::store::{value_from_json, value_into_json, Change};
use crate::Satchel;
use serde::{Deserialize, Serialize};
use wire::{PullResponse, PushResponse, WireChange};

/// Meta keys of the sync state.
pub const PUSHED: &str = "sync.pushed";
pub const PULLED: &str = "sync.pulled";
pub const SERVER: &str = "sync.server";
pub const SERVER_ID: &str = "sync.server_id";
pub const EMAIL: &str = "sync.email";
/// The account this book's changes go to the server as: kept across logouts (`EMAIL` is not), so
/// logging in as someone else is noticed.
pub const ACCOUNT: &str = "sync.account";
pub const LAST_SYNC: &str = "sync.last_ms";
/// The server's epoch this database synced with last (see the module's notes).
pub const EPOCH: &str = "sync.epoch";
/// Where the device token went when it was saved ([`token::TokenPlace`]).
pub const TOKEN_PLACE: &str = "sync.token_place";

/// Log entries per push, at most.
pub const PUSH_ENTRIES: u32 = 5000;
/// Column changes per push, as far as whole log entries allow (a write's columns are never
/// split): under the server's limit of [`wire::PUSH_MAX`]. Big batches matter because the server
/// makes each one durable before it answers (an fsync per push): at 500 entries (~1,800 changes)
/// those waits were a third of a push's time.
pub const PUSH_CHANGES: u32 = 8000;
/// Changes per pull page: the server's largest (fewer round trips and transactions).
pub const PULL_LIMIT: u32 = 5000;

/// How often the customer list catches up with a long pull while it runs.
const LIST_REFRESH: std::time::Duration = std::time::Duration::from_secs(2);

/// How much goes in one request: the defaults above; tests use small batches to exercise
/// several batches in flight and many pages.
#[derive(Debug, Clone, Copy)]
pub struct Batching {
    pub push_entries: u32,
    pub push_changes: u32,
    pub pull_limit: u32,
}

impl Default for Batching {
    fn default() -> Self {
        Batching { push_entries: PUSH_ENTRIES, push_changes: PUSH_CHANGES, pull_limit: PULL_LIMIT }
    }
}

/// Why a sync did not finish. Whatever was pushed or applied before it stays done.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server could not be reached (no network, server down, timeout).
    #[error("server unreachable: {0}")]
    Offline(String),
    /// Not connected to a server yet, or the token was refused: log in.
    #[error("not logged in: {0}")]
    NeedsLogin(String),
    /// The server refused the request, with its reason.
    #[error("refused ({code}): {message}")]
    Refused { code: String, message: String },
    /// The server answered with something that is not a whole, valid reply (a cut connection).
    #[error("bad reply: {0}")]
    Protocol(String),
    /// Plain HTTP to a machine other than this one, or a certificate problem.
    #[error("insecure: {0}")]
    Insecure(String),
    /// Logging in as another account on the same server while changes made as the previous one
    /// have not reached it: they would go up under the wrong name, or not at all.
    #[error("{pending} changes of {previous} not sent")]
    OtherAccount { previous: String, pending: u64 },
    /// This computer's clock is further ahead of the server's than the skew limit
    /// ([`crate::hlc::MAX_SKEW_MS`]): nothing is pushed until the date is right.
    #[error("clock {minutes} minutes ahead of the server's")]
    ClockAhead { minutes: i64 },
    #[error(transparent)]
    Local(#[from] CoreError),
}

impl SyncError {
    /// What the status line and the CLI say, in the user's language.
    pub fn message(&self, l: Locale) -> String {
        match self {
            SyncError::Offline(_) => l.text("sync.offline", &[]),
            SyncError::NeedsLogin(why) => l.text("sync.needsLogin", &[("why", why)]),
            SyncError::Refused { message, .. } => l.text("sync.refused", &[("message", message)]),
            SyncError::Protocol(why) => l.text("sync.protocol", &[("why", why)]),
            SyncError::Insecure(why) => l.text("sync.insecure", &[("why", why)]),
            SyncError::ClockAhead { minutes } => l.text("sync.clockAhead", &[("minutes", &minutes.to_string())]),
            SyncError::OtherAccount { previous, pending } => {
                l.text("sync.otherAccount", &[("previous", previous), ("count", &pending.to_string())])
            }
            SyncError::Local(e) => e.message(l),
        }
    }

    /// The catalogue key its message is worded from.
    pub fn reason(&self) -> &'static str {
        match self {
            SyncError::Offline(_) => "sync.offline",
            SyncError::NeedsLogin(_) => "sync.needsLogin",
            SyncError::Refused { .. } => "sync.refused",
            SyncError::Protocol(_) => "sync.protocol",
            SyncError::Insecure(_) => "sync.insecure",
            SyncError::ClockAhead { .. } => "sync.clockAhead",
            SyncError::OtherAccount { .. } => "sync.otherAccount",
            SyncError::Local(e) => e.reason().0,
        }
    }

    /// A short machine-readable kind for the UI.
    pub fn kind(&self) -> &'static str {
        match self {
            SyncError::Offline(_) => "offline",
            SyncError::NeedsLogin(_) => "needs_login",
            SyncError::Refused { .. } => "refused",
            SyncError::Protocol(_) => "protocol",
            SyncError::Insecure(_) => "insecure",
            SyncError::ClockAhead { .. } => "clock",
            SyncError::OtherAccount { .. } => "other_account",
            SyncError::Local(_) => "local",
        }
    }
}

/// The server as the engine sees it. `Send`: the next page is fetched on another thread while the
/// current one is applied.
pub trait Remote: Send {
    fn push(&mut self, changes: &[WireChange]) -> Result<PushResponse, SyncError>;
    fn pull(&mut self, after: i64, limit: u32) -> Result<PullResponse, SyncError>;
    /// A second connection to the same server, for pushing two batches at once; None when the
    /// remote cannot open one (then batches go one at a time).
    fn fork(&self) -> Option<Box<dyn Remote>> {
        None
    }

    // Attachments' bytes ([`blobs`]). The defaults are a remote that carries none.

    /// Whether attachments' bytes travel through this remote.
    fn carries_attachments(&self) -> bool {
        false
    }
    /// What the server holds of a file (of `size` bytes, for an upload: rows naming the same
    /// content may disagree on its size); None when it takes none for this hash (no attachment
    /// row with it, of that size, that this account may see).
    fn blob_status(&mut self, _sha256: &str, _size: Option<u64>) -> Result<Option<wire::BlobStatus>, SyncError> {
        Ok(None)
    }
    /// Sends a piece of a file of `size` bytes, at `offset`; the reply says what the server holds
    /// then.
    fn blob_put(&mut self, _sha256: &str, _size: u64, _offset: u64, _piece: &[u8]) -> Result<wire::BlobStatus, SyncError> {
        Err(SyncError::Protocol("this remote carries no attachments".into()))
    }
    /// A piece of a complete file from `offset`, and the file's whole size.
    fn blob_get(&mut self, _sha256: &str, _offset: u64) -> Result<(Vec<u8>, u64), SyncError> {
        Err(SyncError::Protocol("this remote carries no attachments".into()))
    }

    /// Reports exports made on this laptop to the server's audit trail (see [`exports`]); Ok
    /// once the server has written them. The default, for the tests' in-memory relays, which
    /// keep no audit trail, takes them as delivered: a remote that talks to a real server must
    /// send them ([`http::HttpRemote`] does).
    fn report_exports(&mut self, _reports: &[wire::ExportReport]) -> Result<(), SyncError> {
        Ok(())
    }
}

/// What one sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// Changes sent (including any the server already had).
    pub pushed: u32,
    /// Changes received.
    pub pulled: u32,
    /// Received changes that became current values here.
    pub applied: u32,
    /// Received changes that lost to a concurrent edit made here (kept in history).
    pub lost: u32,
    /// Received changes this laptop cannot hold, set aside with the reason (see
    /// [`crate::store::SyncProblem`]) so that sync goes on.
    #[serde(default)]
    pub set_aside: u32,
    /// This laptop's own changes the server refused (someone else's private record, say), set
    /// aside the same way so that later pushes go on.
    #[serde(default)]
    pub refused: u32,
    /// Attachments whose bytes went up to the server.
    #[serde(default)]
    pub uploaded: u32,
    /// Attachments whose bytes were fetched ahead (Settings → Sync).
    #[serde(default)]
    pub fetched: u32,
    /// Attachments whose bytes the server refused (too large for it), set aside like refused
    /// changes: listed in Settings → Sync, not offered again.
    #[serde(default)]
    pub files_refused: u32,
}

/// Where a running sync is, for a progress bar: `done` of `total` (units differ by phase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    pub phase: SyncPhase,
    pub done: u32,
    pub total: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    Push,
    Pull,
}

pub fn to_wire(c: Change, entity: String) -> WireChange {
    WireChange { hlc: c.hlc.pack(), site: c.site, table: c.table, row: c.row_id, column: c.column, value: value_into_json(c.value), entity }
}

pub fn from_wire(w: WireChange) -> Change {
    Change { hlc: Hlc::unpack(w.hlc), site: w.site, table: w.table, row_id: w.row, column: w.column, value: value_from_json(w.value) }
}

fn cursor(app: &Satchel, key: &str) -> Result<i64, CoreError> {
    Ok(app.store().meta(key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// How many of this database's changes (log entries) the server has not acknowledged yet.
pub fn pending(app: &Satchel) -> Result<u64, CoreError> {
    app.store().own_entries_after(cursor(app, PUSHED)?)
}

/// Pulls and applies what others sent, pushes everything unacknowledged, then pulls what arrived
/// meanwhile. Safe to stop at any point (an error, a killed process): the next run carries on from the
/// cursors, and nothing is applied twice or skipped.
pub fn sync_once(app: &Satchel, remote: &mut dyn Remote, progress: &mut dyn FnMut(SyncProgress)) -> Result<SyncReport, SyncError> {
    sync_once_batched(app, remote, progress, Batching::default())
}

/// [`sync_once`] with other batch sizes.
pub fn sync_once_batched(
    app: &Satchel,
    remote: &mut dyn Remote,
    progress: &mut dyn FnMut(SyncProgress),
    batching: Batching,
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    // Pulling first means that, unless someone else pushes meanwhile, every batch we push lands
    // right after our pull cursor, so the cursor moves past it and we never pull our own changes
    // back (a new laptop joining a team with a large book of its own would otherwise push it,
    // then pull all of it again). The last pull picks up what others pushed during ours; it is
    // one short request when nothing did.
    // (A server restored from a backup is noticed here: its new epoch starts both cursors over,
    // so the push below sends everything this laptop ever made.)
    let (ahead, _) = pull_all(app, remote, progress, batching, &mut report)?;
    // A clock far ahead would stamp every edit from here past everyone else's for hours: what
    // others sent is taken (above), but nothing goes out until the date is right.
    if ahead > crate::hlc::MAX_SKEW_MS as i64 {
        return Err(SyncError::ClockAhead { minutes: ahead / 60_000 });
    }
    push_all(app, remote, progress, batching, &mut report)?;
    exports::send(app, remote)?;
    let (_, restarted) = pull_all(app, remote, progress, batching, &mut report)?;
    if restarted {
        // The server was restored while this sync ran: what it lost goes again now.
        push_all(app, remote, progress, batching, &mut report)?;
        pull_all(app, remote, progress, batching, &mut report)?;
    }
    retry_set_aside(app, remote)?;
    // Attachments' bytes, once their rows are on the server (it takes bytes only for a row it
    // has), and those fetched ahead once the rows naming them arrived.
    blobs::upload(app, remote, &mut report)?;
    blobs::fetch_missing(app, remote, &mut report)?;
    app.store().set_meta(&[(LAST_SYNC, Some(crate::store::now_ms().to_string()))])?;
    Ok(report)
}

fn push_all(
    app: &Satchel,
    remote: &mut dyn Remote,
    progress: &mut dyn FnMut(SyncProgress),
    batching: Batching,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let store = app.store();

    // Push: the next batch is read while others are on their way, over two connections when the
    // remote can open a second one (one batch in flight on each: the server stores one while the
    // next travels and is decoded). Replies are taken strictly in batch order, and the cursor
    // moves only on a reply: a batch that failed, and all after it, are sent again next time
    // (the server stores each change once, so the ones that did arrive change nothing then).
    let pushed = cursor(app, PUSHED)?;
    let mut pulled_to = cursor(app, PULLED)?;
    // A reply from another epoch than the pulls' (the server was restored meanwhile) says nothing
    // about the pull cursor; the next pull starts both cursors over.
    let epoch = store.meta(EPOCH)?;
    let same_epoch = |reply: &PushResponse| reply.epoch.is_empty() || epoch.as_deref().is_none_or(|e| e == reply.epoch);
    let mut own_ranges: std::collections::HashMap<i64, i64> = Default::default();
    let total = store.own_entries_after(pushed)?;
    let mut done = 0u64;
    let mut second = remote.fork();
    let mut refused: Option<(Batch, String)> = None;
    let scoped = std::thread::scope(|scope| -> Result<(), SyncError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Batch, CoreError>>(1);
        let from = pushed;
        scope.spawn(move || {
            let mut after = from;
            loop {
                let batch = match store.own_changes_after(after, batching.push_entries, batching.push_changes) {
                    Ok(crate::store::OwnBatch { last: None, .. }) => return,
                    Ok(crate::store::OwnBatch { changes, last: Some(last), entries }) => {
                        after = last;
                        Ok((changes.into_iter().map(|(c, entity)| to_wire(c, entity)).collect(), last, entries))
                    }
                    Err(e) => Err(e),
                };
                let failed = batch.is_err();
                if tx.send(batch).is_err() || failed {
                    return;
                }
            }
        });
        let mut lanes = Vec::new();
        let connections: Vec<&mut dyn Remote> = match second.as_deref_mut() {
            Some(other) => vec![&mut *remote, other],
            None => vec![&mut *remote],
        };
        for connection in connections {
            let (to_lane, batches) = std::sync::mpsc::sync_channel::<Batch>(1);
            let (lane_done, replies) = std::sync::mpsc::sync_channel::<(Result<PushResponse, SyncError>, Batch)>(1);
            scope.spawn(move || {
                for batch in batches.iter() {
                    let reply = connection.push(&batch.0);
                    if lane_done.send((reply, batch)).is_err() {
                        return;
                    }
                }
            });
            lanes.push((to_lane, replies));
        }
        let mut acknowledge = |reply: Result<PushResponse, SyncError>, (wire, last, entries): Batch| -> Result<(), SyncError> {
            let reply = match reply {
                // The server refused the batch's content (a private record of someone else, a
                // clock far ahead, too large): handled below, one write at a time, once the
                // connections have stopped. Batches after it are sent again then. Not so for
                // stamps ahead of the server's clock: they are fine once its time reaches them
                // (set aside, they would never be sent), so they wait, and the error says why.
                Err(SyncError::Refused { code, message }) if code != "clock_in_future" => {
                    refused = Some(((wire, last, entries), format!("{code}: {message}")));
                    return Err(SyncError::Refused { code, message });
                }
                other => other?,
            };
            // The sequence numbers a batch took hold nothing but its own changes, which we have:
            // while they follow on from the pull cursor, it moves past them too (a first sync
            // would otherwise pull every change it just pushed back, to apply none of them). The
            // two connections may have their batches stored in either order, so ranges wait
            // until the one before them is known; one from someone else in between ends the chain.
            if let Some((before, after)) = reply.seqs.filter(|(b, a)| a > b && *b >= pulled_to && same_epoch(&reply)) {
                own_ranges.insert(before, after);
            }
            let mut moved = false;
            while let Some(after) = own_ranges.remove(&pulled_to) {
                pulled_to = after;
                moved = true;
            }
            let mut cursors = vec![(PUSHED, Some(last.to_string()))];
            if moved {
                cursors.push((PULLED, Some(pulled_to.to_string())));
            }
            store.set_meta(&cursors)?;
            // (Entries written during the sync may be pushed by it too: they count past `total`.)
            done = (done + entries as u64).min(total);
            report.pushed += wire.len() as u32;
            progress(SyncProgress { phase: SyncPhase::Push, done: done as u32, total: total as u32 });
            Ok(())
        };
        let lost = || SyncError::Protocol("a push connection stopped".into());
        // Lanes in round robin; `in_flight` lists their batches oldest first.
        let mut in_flight = std::collections::VecDeque::new();
        for (i, batch) in rx.iter().enumerate() {
            let batch = batch?;
            if in_flight.len() == lanes.len() {
                let lane: usize = in_flight.pop_front().expect("a batch in flight");
                let (reply, sent) = lanes[lane].1.recv().map_err(|_| lost())?;
                acknowledge(reply, sent)?;
            }
            let lane = i % lanes.len();
            lanes[lane].0.send(batch).map_err(|_| lost())?;
            in_flight.push_back(lane);
        }
        while let Some(lane) = in_flight.pop_front() {
            let (reply, sent) = lanes[lane].1.recv().map_err(|_| lost())?;
            acknowledge(reply, sent)?;
        }
        Ok(())
    });
    drop(second);
    let Some(((wire, last, _), reason)) = refused else {
        return scoped;
    };
    // A refused batch never blocks the ones after it (before, the laptop sent it again for ever):
    // its writes are sent in halves until each refused one stands alone; those are set aside with
    // the server's reason (Settings → Sync lists them) and the rest is stored.
    let (sent, set_aside) = push_or_set_aside(store, remote, &wire, &reason)?;
    report.pushed += sent;
    report.refused += set_aside;
    store.set_meta(&[(PUSHED, Some(last.to_string()))])?;
    push_all(app, remote, progress, batching, report)
}

/// The changes, the last log entry they come from, and how many entries that is.
type Batch = (Vec<WireChange>, i64, u32);

/// Pushes `changes`; when the server refuses them, pushes each half (split between writes) the
/// same way, and sets aside a single refused write. Returns how many changes were stored and how
/// many set aside.
/// Sends again this laptop's writes the server refused as "part of no record this server knows"
/// (see [`crate::store::Store::push_problems_to_retry`]): after a server restore, an edit of a
/// teammate's phone added after the backup reaches the server before the phone itself does, when
/// the teammate's laptop has not re-synced yet. Each that the server takes now leaves the list of
/// changes set aside; the others wait for the next sync. (Other refusals are for good: someone
/// else's private record, a value no laptop can hold.)
fn retry_set_aside(app: &Satchel, remote: &mut dyn Remote) -> Result<(), SyncError> {
    let store = app.store();
    for (id, hlc, table, row, values) in store.push_problems_to_retry()? {
        let Some(t) = crate::store::schema::table(&table) else { continue };
        let Ok(serde_json::Value::Object(values)) = serde_json::from_str::<serde_json::Value>(&values) else { continue };
        // The server files a part under its record itself; a root record is filed under itself.
        let entity = match t.scope {
            satchel_proto::schema::Scope::Root { .. } => row.clone(),
            _ => String::new(),
        };
        let site = store.site_id();
        let changes: Vec<WireChange> = values
            .into_iter()
            .map(|(column, value)| WireChange {
                hlc,
                site: site.clone(),
                table: table.clone(),
                row: row.clone(),
                column,
                value,
                entity: entity.clone(),
            })
            .collect();
        match remote.push(&changes) {
            Ok(_) => {
                log::info!("sync: the server took {table} {row}, set aside before, after all");
                store.drop_sync_problem(id)?;
            }
            Err(SyncError::Refused { code, message }) => log::info!("sync: {table} {row} still refused ({code}: {message})"),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn push_or_set_aside(
    store: &crate::store::Store,
    remote: &mut dyn Remote,
    changes: &[WireChange],
    why: &str,
) -> Result<(u32, u32), SyncError> {
    if changes.is_empty() {
        return Ok((0, 0));
    }
    let reason = match remote.push(changes) {
        Ok(_) => return Ok((changes.len() as u32, 0)),
        Err(SyncError::Refused { code, message }) => format!("{code}: {message}"),
        Err(e) => return Err(e),
    };
    // Where one write (one row's columns under one stamp) ends and the next begins.
    let starts: Vec<usize> = (0..changes.len())
        .filter(|&i| {
            i == 0 || (changes[i].hlc, &changes[i].site, &changes[i].row) != (changes[i - 1].hlc, &changes[i - 1].site, &changes[i - 1].row)
        })
        .collect();
    if starts.len() == 1 {
        let first = &changes[0];
        let values: serde_json::Map<String, serde_json::Value> = changes.iter().map(|c| (c.column.clone(), c.value.clone())).collect();
        log::warn!("sync: the server refused {} {} ({reason}; the batch: {why}); set aside", first.table, first.row);
        store.note_sync_problem(
            "push",
            None,
            first.hlc,
            &first.table,
            &first.row,
            &serde_json::Value::Object(values).to_string(),
            &reason,
        )?;
        return Ok((0, changes.len() as u32));
    }
    let mid = starts[starts.len() / 2];
    let (a, b) = push_or_set_aside(store, remote, &changes[..mid], why)?;
    let (c, d) = push_or_set_aside(store, remote, &changes[mid..], why)?;
    Ok((a + c, b + d))
}

/// How many times one pull starts over for a new epoch before it gives up (a server whose epoch
/// changes on every reply is not one database).
const EPOCH_RESTARTS: u32 = 3;

/// Pulls everything after the pull cursor; returns how far this computer's clock is ahead of the
/// server's, and whether the server turned out to have a new epoch (both cursors were then
/// started over and everything pulled again: the caller pushes everything again).
fn pull_all(
    app: &Satchel,
    remote: &mut dyn Remote,
    progress: &mut dyn FnMut(SyncProgress),
    batching: Batching,
    report: &mut SyncReport,
) -> Result<(i64, bool), SyncError> {
    let mut restarts = 0;
    loop {
        match pull_pages(app, remote, progress, batching, report)? {
            PullEnd::Done(ahead) => return Ok((ahead, restarts > 0)),
            PullEnd::NewEpoch(epoch) if restarts < EPOCH_RESTARTS => {
                restarts += 1;
                start_over(app, &epoch)?;
            }
            PullEnd::NewEpoch(_) => return Err(SyncError::Protocol("the server's epoch keeps changing".into())),
        }
    }
}

/// How a pull ended.
enum PullEnd {
    /// Everything was pulled; how far this computer's clock is ahead of the server's (ms).
    Done(i64),
    /// A page came from another epoch than this database synced with: nothing of it was applied.
    NewEpoch(String),
}

/// The server was restored from a backup (its epoch is new): its sequence numbers and what it
/// acknowledged no longer hold. Both cursors start over, in one transaction with the new epoch
/// (a sync stopped after it carries on from there): everything is pulled again, and every change
/// this database ever made is pushed again (the server stores each once and refuses no clock for
/// being old), so the server gets back what it lost.
fn start_over(app: &Satchel, epoch: &str) -> Result<(), SyncError> {
    let was = app.store().meta(EPOCH)?.unwrap_or_default();
    log::warn!("sync: the server's epoch changed ({was} -> {epoch}): it was restored from a backup; pushing and pulling everything again");
    app.store().set_meta(&[(EPOCH, Some(epoch.to_string())), (PULLED, None), (PUSHED, None)])?;
    // And it may have lost attachments' bytes: each is asked about again.
    blobs::forget_uploads(app)?;
    Ok(())
}

fn pull_pages(
    app: &Satchel,
    remote: &mut dyn Remote,
    progress: &mut dyn FnMut(SyncProgress),
    batching: Batching,
    report: &mut SyncReport,
) -> Result<PullEnd, SyncError> {
    // Pull: the next page is fetched while this one is applied (the server and this laptop work
    // at the same time); pages are still applied strictly in order, each with its cursor.
    let start = cursor(app, PULLED)?;
    let mut epoch = app.store().meta(EPOCH)?;
    let mut new_epoch = None;
    let mut touched: std::collections::BTreeSet<crate::store::Touched> = Default::default();
    let mut refreshed = std::time::Instant::now();
    // How far this computer's clock is ahead of the server's (ms), as the last page told.
    let mut ahead = 0i64;
    let known = epoch.clone();
    let pulled = std::thread::scope(|scope| -> Result<(), SyncError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<PullResponse, SyncError>>(1);
        let fetcher = scope.spawn(move || {
            let mut after = start;
            loop {
                let page = remote.pull(after, batching.pull_limit);
                let next = match &page {
                    // A page of a new epoch ends the pull, whatever its cursor says (the cursor
                    // was of the old one): it starts over.
                    Ok(p) if !p.epoch.is_empty() && known.as_deref().is_some_and(|k| k != p.epoch) => None,
                    // A reply whose cursor goes backwards is not from a sane server: stop rather
                    // than loop.
                    Ok(p) if p.next < after || (p.has_more && p.next == after) => {
                        let _ = tx.send(Err(SyncError::Protocol(format!("the server's cursor went from {after} to {}", p.next))));
                        return;
                    }
                    Ok(p) => p.has_more.then_some(p.next),
                    Err(_) => None,
                };
                if tx.send(page).is_err() {
                    return; // The applier stopped (an error there); nothing more to fetch.
                }
                match next {
                    Some(n) => after = n,
                    None => return,
                }
            }
        });
        let mut result = Ok(());
        for page in rx.iter() {
            let page = match page {
                Ok(p) => p,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            if page.now_ms > 0 {
                ahead = app.store().note_server_clock(page.now_ms);
            }
            // The epoch is learnt with the first page that carries one (kept with its cursor);
            // a page of another epoch is not applied: the pull starts over.
            let mut cursors = vec![(PULLED, page.next.to_string())];
            if !page.epoch.is_empty() {
                match &epoch {
                    Some(known) if *known != page.epoch => {
                        new_epoch = Some(page.epoch);
                        break;
                    }
                    Some(_) => {}
                    None => {
                        cursors.push((EPOCH, page.epoch.clone()));
                        epoch = Some(page.epoch);
                    }
                }
            }
            // Records their owners made private since the cursor: forgotten before the page and
            // its cursor are stored (a crash between the two forgets them again next time).
            if !page.revoked.is_empty() {
                match app.store().forget_records(&page.revoked) {
                    Ok(gone) => touched.extend(gone),
                    Err(e) => {
                        result = Err(e.into());
                        break;
                    }
                }
            }
            let sites: Vec<(String, String, String)> = page.sites.into_iter().map(|s| (s.site, s.author, s.device)).collect();
            let changes: Vec<Change> = page.changes.into_iter().map(|p| from_wire(p.change)).collect();
            let applied = match app.store().apply_remote(&changes, &sites, &cursors) {
                Ok(a) => a,
                Err(e) => {
                    result = Err(e.into());
                    break;
                }
            };
            report.pulled += changes.len() as u32;
            report.applied += applied.applied as u32;
            report.lost += applied.lost as u32;
            report.set_aside += applied.set_aside as u32;
            touched.extend(applied.touched);
            // The list stays current during a long first sync, refreshed every couple of seconds
            // rather than per page (a refresh of thousands of records reloads the whole index).
            if !touched.is_empty() && refreshed.elapsed() >= LIST_REFRESH {
                refreshed = std::time::Instant::now();
                app.changed(&std::mem::take(&mut touched))?;
            }
            let last = page.last.max(page.next);
            progress(SyncProgress { phase: SyncPhase::Pull, done: (page.next - start).max(0) as u32, total: (last - start).max(0) as u32 });
        }
        drop(rx);
        let _ = fetcher.join();
        result
    });
    app.changed(&touched)?;
    pulled?;
    Ok(match new_epoch {
        Some(epoch) => PullEnd::NewEpoch(epoch),
        None => PullEnd::Done(ahead),
    })
}

/// Points this database at a server (after a successful login). A different server than before
/// starts both cursors over: its sequence numbers and acknowledgements mean nothing here.
pub fn connect(app: &Satchel, server: &str, server_id: &str, email: &str) -> Result<(), CoreError> {
    let store = app.store();
    let same = store.meta(SERVER_ID)?.as_deref() == Some(server_id);
    let mut pairs = vec![(SERVER, Some(server.to_string())), (SERVER_ID, Some(server_id.to_string())), (EMAIL, Some(email.to_string()))];
    if !same {
        pairs.push((PUSHED, None));
        pairs.push((PULLED, None));
        pairs.push((EPOCH, None));
        pairs.push((LAST_SYNC, None));
        // Another server holds none of this book's attachments until they are sent to it.
        blobs::forget_uploads(app)?;
    }
    store.set_meta(&pairs)
}

/// Forgets the server (the data stays; connecting again resumes from the cursors if it is the
/// same server).
pub fn disconnect(app: &Satchel) -> Result<(), CoreError> {
    app.store().set_meta(&[(SERVER, None), (EMAIL, None), (TOKEN_PLACE, None)])
}

/// Where the device token is kept, as recorded when it was saved.
pub fn token_place(app: &Satchel) -> Result<Option<token::TokenPlace>, CoreError> {
    Ok(app.store().meta(TOKEN_PLACE)?.as_deref().and_then(token::TokenPlace::parse))
}

/// The server this database syncs with, and as whom.
pub fn connection(app: &Satchel) -> Result<Option<(String, String)>, CoreError> {
    let s = app.store();
    Ok(match (s.meta(SERVER)?, s.meta(EMAIL)?) {
        (Some(server), Some(email)) => Some((server, email)),
        _ => None,
    })
}

pub fn last_sync_ms(app: &Satchel) -> Result<Option<u64>, CoreError> {
    Ok(app.store().meta(LAST_SYNC)?.and_then(|v| v.parse().ok()))
}

/// Logs in to a server, keeps the device token (see [`token`]) and points this database at it.
pub fn login(app: &Satchel, server: &str, email: &str, password: &str) -> Result<wire::User, SyncError> {
    let mut remote = http::HttpRemote::new(server, None)?;
    let wants_series = app.sales().series()?.is_empty();
    let res = remote.login_with(email, password, &app.store().profile().device, wants_series)?;
    if let Err(e) = switch_account(app, &res.server_id, &res.user.email) {
        // Not kept: the token just issued goes back.
        let _ = remote.logout();
        return Err(e);
    }
    if res.series > 0 {
        // This book's quote and contract numbers carry it from now on (sales/numbers.rs).
        app.sales().take_series(&crate::sales::numbers::series_code(res.series)).map_err(SyncError::Local)?;
    }
    let place = token::save(app.store().path(), &res.token).map_err(|e| SyncError::Local(e.into()))?;
    connect(app, remote.base(), &res.server_id, &res.user.email)?;
    app.store().set_meta(&[(TOKEN_PLACE, Some(place.as_str().to_string()))])?;
    Ok(res.user)
}

/// Logging in as another account than the one this book's changes went to the server as (a
/// shared computer, a laptop handed to a new salesperson): the server keeps each device's changes
/// under the account that first sent them, so the book becomes a new device for sync (its
/// changes the server has stay the previous account's) and pulls everything again as the new
/// account sees it. Refused while changes of the previous account wait to be sent.
fn switch_account(app: &Satchel, server_id: &str, email: &str) -> Result<(), SyncError> {
    let store = app.store();
    let same_server = store.meta(SERVER_ID)?.as_deref() == Some(server_id);
    let previous = match store.meta(ACCOUNT)? {
        Some(a) => Some(a),
        None => store.meta(EMAIL)?,
    };
    if let Some(previous) = previous.filter(|p| same_server && !p.eq_ignore_ascii_case(email)) {
        let waiting = pending(app)?;
        if waiting > 0 {
            return Err(SyncError::OtherAccount { previous, pending: waiting });
        }
        let (old, new) = store.take_new_site(cursor(app, PUSHED)?)?;
        log::info!("sync: {email} logs in where {previous} did: this book is a new device ({old} -> {new}) and pulls everything again");
        store.set_meta(&[(PULLED, None), (LAST_SYNC, None)])?;
        // (Another account may see other records: the bytes it may send are asked about again.)
        blobs::forget_uploads(app)?;
    }
    store.set_meta(&[(ACCOUNT, Some(email.to_string()))])?;
    Ok(())
}

/// Forgets the server and the token. The records stay.
pub fn logout(app: &Satchel) -> Result<(), SyncError> {
    // The server revokes the token when it can be reached; offline (or refused) the logout still
    // happens here, and the token expires on the server when unused.
    if let Ok(remote) = remote_for(app) {
        if let Err(e) = remote.logout() {
            log::info!("logout: the server did not revoke the token: {e}");
        }
    }
    token::forget(app.store().path()).map_err(|e| SyncError::Local(e.into()))?;
    disconnect(app)?;
    Ok(())
}

/// The configured server with the kept token, ready to sync.
pub fn remote_for(app: &Satchel) -> Result<http::HttpRemote, SyncError> {
    let Some((server, _)) = connection(app)? else { return Err(SyncError::NeedsLogin("not connected to a server".into())) };
    let Some(token) = token::load(app.store().path()) else { return Err(SyncError::NeedsLogin("no device token".into())) };
    http::HttpRemote::new(&server, Some(token))
}
