//! The local store: one SQLite file, opened with WAL, foreign keys and a busy timeout, migrated by
//! embedded append-only migrations, and written through exactly one door.
//!
//! Writes go through [`Store::write`]: one IMMEDIATE transaction that ticks the hybrid logical
//! clock once, lets the domain code insert/update rows through a [`Writer`], and for every column
//! whose value actually changed appends a change-log entry `(hlc, site, table, row, column,
//! value)` and records the column's clock in the row's `_clocks` map. Deletes are tombstones
//! (`deleted_at` is an ordinary last-writer-wins column). Remote (or replayed) changes enter
//! through [`Store::apply_changes`], which keeps the newer value per column.
//!
//! Reads use a second, read-only connection ([`Store::read`]) so a long list query never waits
//! for a write and can never write by mistake.

/// Encryption at rest (SQLCipher) and where the key is kept (issue 14).
pub mod cipher;
mod entries;
mod forget;
/// A restored backup's new identity for sync (issue 14): a child module for `Clocks`' sake.
pub(crate) mod site;
/// The synced tables, as the protocol crate defines them for the laptop and the server alike.
pub mod schema {
    pub use satchel_proto::schema::*;
    // The customers module's tables and the shared record features', by the paths the core has
    // always named them.
    pub use satchel_proto::tables::customers::{
        ACTIVITIES, CUSTOMERS, CUSTOMER_ADDRESSES, CUSTOMER_EMAILS, CUSTOMER_PHONES, CUSTOMER_TAGS,
    };
    pub use satchel_proto::tables::records::{ATTACHMENTS, CUSTOMER_FIELD_VALUES, CUSTOM_FIELDS, SEGMENTS};
}

use crate::error::{CoreError, Result};
use crate::hlc::{Hlc, Stamp};
use crate::ids::new_site_id;
use entries::{compact_id, Entry, EntryReader, ENTRY_COLUMNS};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use satchel_proto::hlc::MAX_SKEW_MS;
use schema::TableDef;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// A numbered migration. Numbers are one sequence across the store and every module (a
/// database's `user_version` counts them), so a module takes the next free number for its file.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub number: u32,
    pub sql: &'static str,
}

/// The store's own migrations (0001-0010 also created the customers module's first tables, before
/// modules had migrations of their own), embedded at compile time. Append only: a released file
/// never changes. Modules list theirs beside their code (`modules!`).
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_foundation.sql"),
    include_str!("../../migrations/0002_activities.sql"),
    include_str!("../../migrations/0003_merge.sql"),
    include_str!("../../migrations/0004_custom_fields.sql"),
    include_str!("../../migrations/0005_segments.sql"),
    include_str!("../../migrations/0006_attachments.sql"),
    include_str!("../../migrations/0007_sync.sql"),
    include_str!("../../migrations/0008_row_backed_inserts.sql"),
    include_str!("../../migrations/0009_one_entry_per_created_record.sql"),
    include_str!("../../migrations/0010_creation_on_the_record.sql"),
    include_str!("../../migrations/0011_record_types.sql"),
];

/// The store's migrations after the first eleven, numbered explicitly: from 0012 on, the store's
/// and the modules' share one sequence (the customers module took 12).
const LATER: &[Migration] = &[
    Migration { number: 13, sql: include_str!("../../migrations/0013_sync_problems.sql") },
    Migration { number: 14, sql: include_str!("../../migrations/0014_transfers.sql") },
];

/// Every migration in order: the store's, then each module's, by number.
fn ordered() -> Vec<Migration> {
    let mut all: Vec<Migration> = MIGRATIONS.iter().enumerate().map(|(i, sql)| Migration { number: i as u32 + 1, sql }).collect();
    all.extend(LATER.iter().copied());
    all.extend(crate::modules::Modules::MIGRATIONS.iter().flat_map(|m| m.iter().copied()));
    all.sort_by_key(|m| m.number);
    all
}

fn migrations() -> rusqlite_migration::Migrations<'static> {
    rusqlite_migration::Migrations::new(ordered().into_iter().map(|m| rusqlite_migration::M::up(m.sql)).collect())
}

/// The read connection's page cache, as SQLite's `cache_size` (negative: KiB).
pub const READ_CACHE_KIB: i64 = -32 * 1024;

/// The write connection's page cache, as SQLite's `cache_size` (negative: KiB).
pub const WRITE_CACHE_KIB: i64 = -16 * 1024;

/// The newest schema version this build understands (`PRAGMA user_version` after migrating).
pub fn schema_version() -> usize {
    ordered().len()
}

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Who signs this database's changes: the local profile made at first run.
#[derive(Debug, Clone)]
pub struct Profile {
    pub author: String,
    pub device: String,
}

impl Profile {
    /// The OS user and host name; good enough until the user edits their profile or joins a server.
    pub fn from_env() -> Self {
        let author = std::env::var("SATCHEL_AUTHOR")
            .or_else(|_| std::env::var("USER"))
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "me".into());
        let device = std::env::var("SATCHEL_DEVICE")
            .ok()
            .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
            .or_else(|| std::env::var("COMPUTERNAME").ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "this computer".into());
        Self { author, device }
    }
}

struct WriteSide {
    conn: Connection,
    clock: Hlc,
}

pub struct Store {
    path: PathBuf,
    site_id: std::sync::RwLock<String>,
    profile: Profile,
    write: Mutex<WriteSide>,
    read: Mutex<Connection>,
    /// What local writes touched since the modules were last told (`Satchel::settle`).
    touched: Mutex<Waiting>,
    /// Held while the store is open: one Satchel per database (see [`claim`]).
    _claim: std::fs::File,
    /// How far this computer's clock is taken to be off (ms): zero but in tests and the chaos
    /// run, which play a laptop whose clock is hours fast.
    skew_ms: AtomicI64,
    /// How far the server's clock was ahead of ours at the last pull (ms, never negative): a
    /// pulled stamp is judged against the newer of the two clocks (see [`MAX_SKEW_MS`]).
    server_ahead_ms: AtomicI64,
    /// Opened with a key: nothing of the book may be written anywhere in the clear (the customer
    /// index's snapshot is not kept).
    encrypted: bool,
    /// When every page of the file was last read and found whole (`quick_check`, see
    /// [`check_existing`]).
    pages_checked_ms: AtomicU64,
    /// The indexes' snapshot files mapped into memory, their records' text read in place
    /// (`search/mapped.rs`): [`Store::release_memory`] hands their pages back too.
    mapped: Mutex<Vec<std::sync::Weak<memmap2::Mmap>>>,
}

/// Rows local writes touched, as they were noted (a list: a set's ordering cost a bulk write a
/// fifth of its time); made a set when taken.
#[derive(Debug, Default)]
struct Waiting {
    rows: Vec<Touched>,
    many: bool,
}

impl Waiting {
    fn add(&mut self, mut other: Waiting) {
        self.many |= other.many || (self.rows.len() + other.rows.len()) as i64 > LOCAL_TOUCH_MAX;
        if self.many {
            self.rows = Vec::new();
        } else {
            self.rows.append(&mut other.rows);
        }
    }
}

/// The rows local writes touched, waiting for the modules to hear of them; `Many` after a write
/// of more than [`LOCAL_TOUCH_MAX`] log entries (a bulk load), after which modules reload.
#[derive(Debug, PartialEq, Eq)]
pub enum LocalTouched {
    Rows(BTreeSet<Touched>),
    Many,
}

impl Default for LocalTouched {
    fn default() -> Self {
        Self::Rows(BTreeSet::new())
    }
}

/// Above this many rows in one write (or waiting), they are not listed: the modules' reload they
/// stand for costs less than refreshing that many one by one. (An import of 2,000 customers with
/// their parts stays below it; a larger one says it is a bulk load, `Writer::bulk`.)
pub const LOCAL_TOUCH_MAX: i64 = 20_000;

/// One change to one column, as the change log holds it and as sync carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub hlc: Hlc,
    pub site: String,
    pub table: String,
    pub row_id: String,
    pub column: String,
    pub value: Value,
}

// `apply_remote` keys its statements by the set of columns written, one bit per column: the
// protocol crate's `schema::problems` (checked by its tests) refuses a table of more than 64.

/// A batch of this database's own changes to push ([`Store::own_changes_after`]).
#[derive(Debug, Default)]
pub struct OwnBatch {
    /// Column changes, each with the customer it is filed under (`""` for team-wide rows).
    pub changes: Vec<(Change, String)>,
    /// The last log entry included; None when nothing is waiting.
    pub last: Option<i64>,
    /// How many log entries the changes come from.
    pub entries: u32,
}

/// What applying a batch of changes did.
#[derive(Debug, Default)]
pub struct Applied {
    pub applied: usize,
    pub ignored_older: usize,
    pub unknown: usize,
    /// Changes that lost to a concurrent edit made elsewhere (kept in `lost_values`).
    pub lost: usize,
    /// Changes this database cannot hold (a null name from a broken client): set aside in
    /// `sync_problems` with the reason, so the rest of the page, and sync, go on.
    pub set_aside: usize,
    /// The rows that changed, so each module can refresh just what it keeps of them.
    pub touched: BTreeSet<Touched>,
}

/// A change sync could not take, kept so that nothing is lost silently and the user can see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncProblem {
    /// `pull`: a change from the server this database cannot hold; `push`: one the server refused.
    pub direction: String,
    pub table: String,
    pub row_id: String,
    /// The change's columns and values, as JSON.
    pub changes: String,
    pub reason: String,
    /// When it was set aside (RFC 3339 UTC).
    pub at: String,
    /// The database it came from, for a pulled change.
    pub from_site: Option<String>,
}

/// A row a write or an applied change touched: its table, its id, and for a child row (a phone,
/// an activity) the parent its table's scope names, before and after the change (both, when it
/// moved), read while the row was at hand so no module has to look it up again. A row of a
/// shared record feature (an attachment, a saved view) also names the record type it serves, so
/// the module owning that type hears of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Touched {
    pub table: &'static str,
    pub id: String,
    pub parent: Option<String>,
    /// The record type the row serves (`schema::TableDef::type_column`), when its table says.
    pub kind: Option<&'static str>,
}

/// A change-log row as history shows it.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub hlc: Hlc,
    pub site_id: String,
    pub author: Option<String>,
    pub device: Option<String>,
    pub table: String,
    pub row_id: String,
    pub column: String,
    pub value: Value,
    pub old_value: Value,
    /// A value that arrived from another device and lost to a concurrent edit: it never became
    /// the record's value, but can be restored.
    pub lost: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic inside a write closure already rolled its transaction back on unwind; the
    // connection itself is still sound, so keep serving instead of poisoning the app forever.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// An encrypted book is opened with its key from the secret store ([`cipher::load`]); one
    /// whose key is nowhere is refused naming it ([`CoreError::KeyMissing`]).
    pub fn open(path: impl AsRef<Path>, profile: Profile) -> Result<Self> {
        let path = path.as_ref();
        let key = cipher::key_for(path, path)?;
        Self::open_with_key(path, profile, key.as_ref())
    }

    /// [`Store::open`] with the key given: `PRAGMA key` is the first statement on each of its
    /// connections. `None` for a plain book.
    pub fn open_with_key(path: impl AsRef<Path>, profile: Profile, key: Option<&cipher::Key>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let pages_checked_ms = if path.exists() {
            check_existing(&path, key)?
        } else {
            create_private(&path)?;
            now_ms()
        };
        let claim = claim(&path)?;
        let conn = cipher::open(&path, None, key).map_err(|e| classify(&path, e))?;
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(CoreError::ReadOnly { path });
        }
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| classify(&path, e))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // The write path prepares one statement per table and column set; rusqlite's default
        // cache of 16 thrashed and re-parsed SQL on every row.
        conn.set_prepared_statement_cache_capacity(256);
        // A page cache big enough for a bulk write's transaction (a thousand customers with their
        // phones, emails, log entries and clocks: about 3 MB of pages). At SQLite's default of
        // 2 MB such a transaction spilled dirty pages into the WAL before its commit and wrote
        // many of them twice (docs/benchmarks.md). Memory is only taken as pages are used.
        conn.pragma_update(None, "cache_size", WRITE_CACHE_KIB)?;
        let mut conn = conn;
        migrations().to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => classify(&path, err),
            other => CoreError::Internal(format!("migration: {other}")),
        })?;

        let site_id = match meta_get(&conn, "site_id")? {
            Some(s) => s,
            None => {
                let s = new_site_id();
                conn.execute("INSERT INTO meta (key, value) VALUES ('site_id', ?1)", [&s])?;
                s
            }
        };
        // The clock is never behind anything this database has logged: local writes log their own
        // stamp (the newest entry), and applying remote changes stores the merged clock in meta.
        let stored = meta_get(&conn, "hlc")?.and_then(|v| v.parse().ok()).map(Hlc::unpack).unwrap_or_default();
        let logged: Option<i64> = conn.query_row("SELECT hlc FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| r.get(0)).optional()?;
        let clock = stored.max(logged.map(Hlc::unpack).unwrap_or_default());
        conn.execute(
            "INSERT INTO sites (site_id, author, device) VALUES (?1, ?2, ?3)
             ON CONFLICT(site_id) DO UPDATE SET author = excluded.author, device = excluded.device",
            params![site_id, profile.author, profile.device],
        )?;

        let read = cipher::open(&path, Some(OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX), key)?;
        let parked: Vec<Change> = conn
            .prepare("SELECT hlc, site_id, tbl, row_id, col, value FROM parked_changes")?
            .query_map([], |r| {
                Ok(Change {
                    hlc: Hlc::unpack(r.get(0)?),
                    site: r.get(1)?,
                    table: r.get(2)?,
                    row_id: r.get(3)?,
                    column: r.get(4)?,
                    value: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        read.busy_timeout(std::time::Duration::from_secs(5))?;
        read.set_prepared_statement_cache_capacity(64);
        // A calendar page reads a row per event from all over the table: at SQLite's default
        // 2 MB cache a team's month of a large book re-read most pages from the OS each time
        // (docs/benchmarks.md). Memory is only taken as pages are read.
        read.pragma_update(None, "cache_size", READ_CACHE_KIB)?;
        let store = Self {
            path,
            site_id: std::sync::RwLock::new(site_id),
            profile,
            write: Mutex::new(WriteSide { conn, clock }),
            read: Mutex::new(read),
            touched: Mutex::default(),
            _claim: claim,
            skew_ms: AtomicI64::new(0),
            server_ahead_ms: AtomicI64::new(0),
            encrypted: key.is_some(),
            pages_checked_ms: AtomicU64::new(pages_checked_ms),
            mapped: Mutex::new(Vec::new()),
        };
        // An upgrade that learned the columns of parked changes applies them now.
        let known: Vec<Change> = parked.into_iter().filter(|c| schema::table(&c.table).is_some_and(|t| t.has_column(&c.column))).collect();
        if !known.is_empty() {
            store.apply_remote(&known, &[], &[])?;
            let mut side = lock(&store.write);
            let tx = side.conn.transaction()?;
            for c in &known {
                tx.execute(
                    "DELETE FROM parked_changes WHERE site_id = ?1 AND hlc = ?2 AND tbl = ?3 AND row_id = ?4 AND col = ?5",
                    params![c.site, c.hlc.pack(), c.table, c.row_id, c.column],
                )?;
            }
            tx.commit()?;
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// When every page of the file was last read and found whole (Unix ms).
    pub fn pages_checked_ms(&self) -> u64 {
        self.pages_checked_ms.load(AtomicOrdering::Relaxed)
    }

    /// The rows changed after change-log entry `seq`, as a module's `changed` reads them (their
    /// parent and record type as they are now, and the parent they had before when the change
    /// moved them), or none when more than `limit` changes were logged since: a module that kept
    /// its state on disk then catches up or rebuilds.
    pub fn touched_since(&self, seq: i64, limit: usize) -> Result<Option<BTreeSet<Touched>>> {
        self.read(|c| {
            let n: i64 = c.query_row("SELECT count(*) FROM change_log WHERE seq > ?1", [seq], |r| r.get(0))?;
            if n as usize > limit {
                return Ok(None);
            }
            let mut out = BTreeSet::new();
            let mut st = c.prepare("SELECT seq, hlc, site_id, tbl, row_id, cols, old, more_rows FROM change_log WHERE seq > ?1")?;
            let logged: Vec<Entry> = st.query_map([seq], |r| Entry::read(r, 0))?.collect::<rusqlite::Result<_>>()?;
            for e in logged {
                let Some(t) = schema::table(&e.tbl) else { continue };
                // A row-backed entry stands for the other rows its write created too.
                let mut rows = vec![(t, e.row_id.clone(), e.old.clone())];
                rows.extend(e.more.as_deref().map(entries::listed_rows).unwrap_or_default().into_iter().map(|(t, id)| (t, id, None)));
                for (t, id, old) in rows {
                    touched_row(c, &mut out, t, &id, old.as_deref())?;
                }
            }
            Ok(Some(out))
        })
    }

    /// This database's site: who its changes are from, for sync. It changes only when the book
    /// becomes a new device ([`Store::take_new_site`]).
    pub fn site_id(&self) -> String {
        self.site()
    }

    fn site(&self) -> String {
        self.site_id.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Makes this book a new device for sync, in place (see `site.rs`): its changes the server
    /// has (up to `pushed`, the push cursor) become the old site's, the rest are pushed under
    /// the new one. Done under the write lock, so no write is stamped with either site midway.
    /// Returns (old site, new site).
    pub fn take_new_site(&self, pushed: i64) -> Result<(String, String)> {
        let mut side = lock(&self.write);
        let sites = site::take_new_site(&mut side.conn, pushed)?;
        *self.site_id.write().unwrap_or_else(PoisonError::into_inner) = sites.1.clone();
        side.conn.execute(
            "INSERT INTO sites (site_id, author, device) VALUES (?1, ?2, ?3)
             ON CONFLICT(site_id) DO UPDATE SET author = excluded.author, device = excluded.device",
            params![sites.1, self.profile.author, self.profile.device],
        )?;
        Ok(sites)
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The read door: plain queries on a read-only connection.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&lock(&self.read))
    }

    /// The one write door. Everything `f` does commits together or not at all; all changes share
    /// one clock stamp.
    pub fn write<T>(&self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let mut side = lock(&self.write);
        let WriteSide { conn, clock } = &mut *side;
        // The clock is past every stamp stored here (`apply_remote` merges each one it keeps, and
        // keeps none beyond the skew limit), so this write is later than any value it replaces.
        let hlc = clock.tick(self.now());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stamp = Stamp { hlc, site: self.site() };
        let mut w = Writer {
            tx: &tx,
            stamp_text: stamp.to_string(),
            stamp_key: hlc.pack().to_string(),
            stamp,
            wrote: false,
            runs: Runs::default(),
            seqs: None,
            stmts: Vec::new(),
            slots: Vec::new(),
            pending: None,
            more: Vec::new(),
            next_seq: None,
            passed: Vec::new(),
            touched: Waiting::default(),
        };
        let out = f(&mut w)?;
        w.finish()?;
        let wrote = w.wrote;
        let touched = std::mem::take(&mut w.touched);
        // Hands its statements back to the connection's cache before the commit.
        drop(w);
        // No clock write here: the log's newest entry carries it (see `open`), which spares every
        // save one more page in the WAL.
        tx.commit()?;
        if wrote {
            *clock = hlc;
        }
        drop(side);
        lock(&self.touched).add(touched);
        Ok(out)
    }

    /// The rows local writes touched since the last call (and forgets them): each module picks
    /// out its own, as it does for an applied sync page.
    pub fn take_touched(&self) -> LocalTouched {
        let waiting = std::mem::take(&mut *lock(&self.touched));
        if waiting.many {
            LocalTouched::Many
        } else {
            LocalTouched::Rows(waiting.rows.into_iter().collect())
        }
    }

    /// Sets a pragma on the write connection outside any write (bulk imports raise the page
    /// cache for their one big transaction and put it back after).
    pub fn write_conn_pragma(&self, name: &str, value: i64) -> Result<()> {
        lock(&self.write).conn.pragma_update(None, name, value)?;
        Ok(())
    }

    /// Hands back the page caches' memory (what `READ_CACHE_KIB` and `WRITE_CACHE_KIB` let them
    /// grow to: up to 48 MB at 100,000 customers once every page was opened) while the app is
    /// idle. The caches are for a page's many queries; between pages the OS's own file cache
    /// serves the next read. A connection in use is left as it is: never waits.
    ///
    /// The pages of the indexes' snapshots that searches and rows read since are handed back too:
    /// their data stays in the OS's file cache, which can drop it under pressure without swapping.
    pub fn release_memory(&self) {
        self.release_mapped();
        if let Ok(read) = self.read.try_lock() {
            if let Err(e) = read.release_memory() {
                log::debug!("the read connection kept its cache: {e}");
            }
        }
        if let Ok(side) = self.write.try_lock() {
            if let Err(e) = side.conn.release_memory() {
                log::debug!("the write connection kept its cache: {e}");
            }
        }
    }

    /// Notes a snapshot an index reads in place, for [`Store::release_memory`].
    pub(crate) fn keep_mapped(&self, map: &crate::search::mapped::Map) {
        let mut maps = lock(&self.mapped);
        maps.retain(|m| m.strong_count() > 0);
        maps.push(std::sync::Arc::downgrade(map));
    }

    /// Hands back the pages of the mapped snapshots (see [`Store::release_memory`]).
    pub fn release_mapped(&self) {
        let live: Vec<_> = lock(&self.mapped).iter().filter_map(std::sync::Weak::upgrade).collect();
        for map in &live {
            crate::search::mapped::release(map);
        }
    }

    /// Copies the WAL back into the database file without blocking readers.
    pub fn checkpoint(&self) -> Result<()> {
        lock(&self.write).conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Applies changes made elsewhere (another device, or a replay of this log): per column, the
    /// newer stamp wins; older or repeated changes do nothing. One transaction for the batch.
    pub fn apply_changes(&self, changes: &[Change]) -> Result<Applied> {
        self.apply_remote(changes, &[], &[])
    }

    /// [`Store::apply_changes`], plus what sync must commit in the same transaction: the authors
    /// of the sites the changes come from (`site, author, device`, for history), and `meta` keys
    /// such as the pull cursor, so a page is applied and its cursor advanced together or not at all.
    ///
    /// A change that loses to a newer value of the same column made on another device (a
    /// concurrent edit) is kept in `lost_values`, where history shows it with a restore button.
    pub fn apply_remote(&self, changes: &[Change], sites: &[(String, String, String)], meta: &[(&str, String)]) -> Result<Applied> {
        let own_site = self.site();
        let mut side = lock(&self.write);
        let WriteSide { conn, clock } = &mut *side;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Applied::default();
        let mut runs = Runs::default();
        let mut newest = *clock;
        let now = self.now();
        // Stamps are judged against the newer of our clock and the server's: a laptop whose clock
        // is slow must not set aside what the server rightly took.
        let reference = now + self.server_ahead_ms.load(AtomicOrdering::Relaxed).max(0) as u64;
        for (site, author, device) in sites.iter().filter(|(s, _, _)| *s != own_site) {
            tx.prepare_cached(
                "INSERT INTO sites (site_id, author, device) VALUES (?1, ?2, ?3)
                 ON CONFLICT(site_id) DO UPDATE SET author = excluded.author, device = excluded.device",
            )?
            .execute(params![site, author, device])?;
        }
        // This page's statements, prepared once each: by table for reading a row, by table,
        // insert-or-update and column set for writing one. (Formatting the SQL and finding it in
        // the connection's cache for every row cost more than the write.)
        let mut reads: rustc_hash::FxHashMap<&'static str, rusqlite::Statement<'_>> = Default::default();
        let mut writes: rustc_hash::FxHashMap<(&'static str, bool, u64), rusqlite::Statement<'_>> = Default::default();
        // Changes arrive as their writes made them: a row's columns set by one write are
        // consecutive with the same stamp. Each such group is read, decided and written as one
        // row (one SELECT, one UPSERT, one log entry) instead of once per column.
        let mut i = 0;
        while i < changes.len() {
            let first = &changes[i];
            let mut j = i + 1;
            while j < changes.len() {
                let c = &changes[j];
                if c.row_id != first.row_id || c.table != first.table || c.hlc != first.hlc || c.site != first.site {
                    break;
                }
                j += 1;
            }
            let group = &changes[i..j];
            i = j;
            let Some(t) = schema::table(&first.table) else {
                for ch in group {
                    park(&tx, ch)?;
                    out.unknown += 1;
                }
                continue;
            };
            // Stamped beyond the skew limit (a device whose date is wrong, or a hostile one):
            // kept, this value would beat every later edit until the world's clock caught up with
            // it, so it is set aside with the reason instead and the page goes on.
            if first.site != own_site && first.hlc.wall_ms > reference + MAX_SKEW_MS {
                let ahead_min = (first.hlc.wall_ms - reference) / 60_000;
                let reason = format!("clock_ahead: stamped {ahead_min} minutes ahead of this computer's and the server's clocks; the device that made it has a wrong date");
                log::warn!("sync: set aside {} {} from {}: {reason}", t.name, first.row_id, first.site);
                let values = json_object(group.iter().map(|c| (c.column.as_str(), &c.value)));
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO sync_problems (direction, site_id, hlc, tbl, row_id, changes, reason, at_ms)
                     VALUES ('pull', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![first.site, first.hlc.pack(), t.name, first.row_id, values, reason, now as i64])?;
                out.set_aside += group.len();
                continue;
            }
            let incoming = Stamp { hlc: first.hlc, site: first.site.clone() };
            let incoming_text = incoming.to_string();
            let entity_sel = t.entity_column.unwrap_or("id");
            let n = t.columns.len();
            let read = match reads.entry(t.name) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(tx.prepare(&format!(
                    "SELECT {}, _clocks, {entity_sel} FROM {} WHERE id = ?1",
                    t.columns.join(", "),
                    t.name
                ))?),
            };
            let current: Option<(Vec<Value>, String, String)> = read
                .query_row([&first.row_id], |r| {
                    let values: Vec<Value> = (0..n).map(|k| r.get(k)).collect::<Result<_, _>>()?;
                    Ok((values, r.get(n)?, r.get(n + 1)?))
                })
                .optional()?;
            let exists = current.is_some();
            let (olds, mut clocks, entity) = match current {
                Some((v, c, e)) => (v, Clocks::parse(&c, t, &own_site), e),
                None => (vec![Value::Null; n], Clocks::default(), String::new()),
            };
            let mut entity = if entity.is_empty() { first.row_id.clone() } else { entity };
            // Winning columns: (column, new value, whether it had a value set, index in the table).
            let mut won: Vec<(&'static str, &Value, bool, usize)> = Vec::with_capacity(group.len());
            let mut lost_here = false;
            let mut won_olds: Vec<(&'static str, &Value)> = Vec::new();
            for ch in group {
                let Some(k) = t.columns.iter().position(|c| *c == ch.column) else {
                    // From a newer Satchel: parked, not dropped, until an upgrade knows the column.
                    park(&tx, ch)?;
                    out.unknown += 1;
                    continue;
                };
                let col = t.columns[k];
                // A row new here: every column of the write wins, and its clocks are written in
                // one go below (a column named twice in one write counts once).
                if !exists && won.iter().any(|w| w.3 == k) {
                    out.ignored_older += 1;
                    continue;
                }
                let winner = if exists { clocks.get(col) } else { None };
                if let Some(w) = winner.as_ref().filter(|w| **w >= incoming) {
                    // An older value from another device than the winner's: the two edits
                    // crossed. (The same device's older value was overwritten by its own later
                    // edit; an equal stamp is this very change again.)
                    if w.site != incoming.site && olds[k] != ch.value {
                        tx.prepare_cached(
                            "INSERT OR IGNORE INTO lost_values (tbl, row_id, col, hlc, site_id, value, entity_id)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        )?
                        .execute(params![t.name, ch.row_id, col, ch.hlc.pack(), ch.site, ch.value, entity])?;
                        out.lost += 1;
                        lost_here = true;
                    }
                    out.ignored_older += 1;
                    continue;
                }
                if exists {
                    clocks.set(col, &incoming_text);
                }
                if t.entity_column == Some(col) {
                    if let Some(e) = value_text(&ch.value).filter(|e| !e.is_empty()) {
                        entity = e;
                    }
                }
                // A column never set before has no old value (it held only the table's default):
                // history then reads a record arriving from elsewhere as "created", like a local
                // one; a column that had a value keeps it as the entry's old value.
                if winner.is_some() {
                    won_olds.push((col, &olds[k]));
                }
                won.push((col, &ch.value, winner.is_some(), k));
                out.applied += 1;
            }
            if won.is_empty() {
                // Nothing changed here, but the record's history gained a value to restore: the
                // screens showing it are told too.
                if lost_here {
                    touch(&mut out.touched, t, &first.row_id, &olds, &[]);
                }
                continue;
            }
            let clocks_text = if exists {
                clocks.to_text(t, &own_site)
            } else {
                // A new row's stamp as `to_text` would write it: without the site when it is ours.
                let key = if first.site == own_site { first.hlc.pack().to_string() } else { incoming_text.clone() };
                Clocks::for_new_row(&key, won.iter().map(|w| w.0), t)
            };
            let wall = first.hlc.wall_ms as i64;
            // In table order, so one column set is one statement whatever order it came in.
            won.sort_unstable_by_key(|w| w.3);
            let mut args: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(won.len() + 3);
            args.push(&first.row_id);
            for (_, v, _, _) in &won {
                args.push(*v);
            }
            args.push(&wall);
            args.push(&clocks_text);
            let sql = || {
                let m = won.len();
                let cols: Vec<&str> = won.iter().map(|w| w.0).collect();
                if exists {
                    let sets: Vec<String> = cols.iter().enumerate().map(|(k, c)| format!("{c} = ?{}", k + 2)).collect();
                    format!(
                        "UPDATE {} SET {}, updated_ms = max(updated_ms, ?{}), _clocks = ?{} WHERE id = ?1",
                        t.name,
                        sets.join(", "),
                        m + 2,
                        m + 3
                    )
                } else {
                    let marks: Vec<String> = (0..m).map(|k| format!("?{}", k + 2)).collect();
                    format!(
                        "INSERT INTO {} (id, {}, updated_ms, _clocks) VALUES (?1, {}, ?{}, ?{})",
                        t.name,
                        cols.join(", "),
                        marks.join(", "),
                        m + 2,
                        m + 3
                    )
                }
            };
            let set = won.iter().fold(0u64, |m, w| m | 1 << w.3);
            let write = match writes.entry((t.name, exists, set)) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(tx.prepare(&sql())?),
            };
            let new_json = json_object(won.iter().map(|(c, v, _, _)| (*c, *v)));
            // One statement: refused, it leaves nothing behind (SQLite undoes just that statement),
            // so the change is set aside and the page goes on.
            if let Err(e) = write.execute(args.as_slice()) {
                if !matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::ConstraintViolation)) {
                    return Err(e.into());
                }
                log::warn!("sync: set aside {} {} from {}: {e}", t.name, first.row_id, incoming_text);
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO sync_problems (direction, site_id, hlc, tbl, row_id, changes, reason, at_ms)
                     VALUES ('pull', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    first.site,
                    first.hlc.pack(),
                    t.name,
                    first.row_id,
                    new_json,
                    e.to_string(),
                    now as i64
                ])?;
                out.applied -= won.len();
                out.set_aside += won.len();
                continue;
            }
            let old_json = (!won_olds.is_empty()).then(|| json_object(won_olds.iter().map(|(c, v)| (*c, *v))));
            let site = (first.site != own_site).then_some(first.site.as_str());
            let seq = log_change(&tx, first.hlc, site, t.name, &first.row_id, &new_json, old_json.as_deref())?;
            if let Some(run) = runs.note(&entity, seq, false) {
                Runs::write(&mut *tx.prepare_cached(ENTITY_LOG_SQL)?, run)?;
            }
            touch(&mut out.touched, t, &first.row_id, &olds, &won);
            newest = newest.max(first.hlc);
        }
        runs.flush(&tx)?;
        drop((reads, writes));
        // Past every stamp kept (all within the skew limit), and no further: moving it to this
        // computer's time here would carry a clock that is hours fast into every later edit, even
        // after the date is put right.
        let merged = (*clock).max(newest);
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?1)", [merged.pack().to_string()])?;
        for (k, v) in meta {
            tx.prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?.execute(params![k, v])?;
        }
        tx.commit()?;
        *clock = merged;
        Ok(out)
    }

    /// This computer's time as the store's clocks read it (see `skew_ms`).
    fn now(&self) -> u64 {
        (now_ms() as i64 + self.skew_ms.load(AtomicOrdering::Relaxed)).max(0) as u64
    }

    /// Plays a computer whose clock is `ms` off (positive: fast). For tests and the chaos run.
    #[doc(hidden)]
    pub fn set_clock_skew(&self, ms: i64) {
        self.skew_ms.store(ms, AtomicOrdering::Relaxed);
    }

    /// Notes the server's time as a pull reported it; returns how far this computer's clock is
    /// ahead of it (ms; negative when behind).
    pub fn note_server_clock(&self, server_ms: i64) -> i64 {
        let ahead = self.now() as i64 - server_ms;
        self.server_ahead_ms.store((-ahead).max(0), AtomicOrdering::Relaxed);
        ahead
    }

    /// Folds the write-ahead log into the database file and empties it, so the file alone holds
    /// everything (what people copy as a backup). Called on a clean exit; a reader still busy
    /// leaves the rest for the next checkpoint.
    /// Also notes the file as this version leaves it (`<db>.closed`): the next open reads every
    /// page again only if the file changed since, or a day has passed.
    pub fn checkpoint_at_exit(&self) -> Result<()> {
        let side = lock(&self.write);
        let (busy, _, _): (i64, i64, i64) =
            side.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        if busy == 0 {
            if let Some(mut c) = Closed::of(&self.path) {
                c.checked_ms = self.pages_checked_ms.load(AtomicOrdering::Relaxed);
                // A note that cannot be written only costs the next open its quick start.
                let _ = std::fs::write(Closed::path(&self.path), c.text());
            }
        }
        Ok(())
    }

    /// Keeps a change sync could not deliver or take, with the reason (see [`SyncProblem`]).
    #[allow(clippy::too_many_arguments)]
    pub fn note_sync_problem(
        &self,
        direction: &str,
        site: Option<&str>,
        hlc: i64,
        table: &str,
        row: &str,
        changes: &str,
        reason: &str,
    ) -> Result<()> {
        let side = lock(&self.write);
        side.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO sync_problems (direction, site_id, hlc, tbl, row_id, changes, reason, at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![direction, site, hlc, table, row, changes, reason, now_ms() as i64])?;
        Ok(())
    }

    /// This laptop's own writes the server refused for a reason that can pass (`malformed: ...
    /// part of no record this server knows`: a teammate's part of a record, added after the
    /// server's backup, that the server meets again only when its maker re-syncs): id, clock,
    /// table, row and the columns' values as JSON, oldest first.
    pub fn push_problems_to_retry(&self) -> Result<Vec<(i64, i64, String, String, String)>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, hlc, tbl, row_id, changes FROM sync_problems
                 WHERE direction = 'push' AND reason LIKE 'malformed:%part of no record this server knows%' ORDER BY hlc",
            )?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Forgets a change set aside (the server took it after all).
    pub fn drop_sync_problem(&self, id: i64) -> Result<()> {
        lock(&self.write).conn.prepare_cached("DELETE FROM sync_problems WHERE id = ?1")?.execute([id])?;
        Ok(())
    }

    /// Changes set aside by sync (newest first): what they were and why they could not be taken.
    pub fn sync_problems(&self) -> Result<Vec<SyncProblem>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                // (With the attachments whose bytes the server refused: too large for it.)
                "SELECT direction, tbl, row_id, changes, reason, at_ms, site_id FROM (
                     SELECT direction, tbl, row_id, changes, reason, at_ms, site_id, id FROM sync_problems
                     UNION ALL
                     SELECT 'push', 'attachments', a.id, json_object('name', a.name, 'size', a.size), u.reason, u.at_ms, NULL, 0
                     FROM attachment_uploads u JOIN attachments a ON a.sha256 = u.sha256
                     WHERE u.state = 'refused' AND a.deleted_at IS NULL
                 ) ORDER BY at_ms DESC, id DESC LIMIT 500",
            )?;
            let rows = st.query_map([], |r| {
                Ok(SyncProblem {
                    direction: r.get(0)?,
                    table: r.get(1)?,
                    row_id: r.get(2)?,
                    changes: r.get(3)?,
                    reason: r.get(4)?,
                    at: crate::time::rfc3339_ms(r.get::<_, i64>(5)?.max(0) as u64),
                    from_site: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// A value from `meta` (sync state and the like).
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| meta_get(c, key))
    }

    /// Sets (or with `None` removes) `meta` keys in one transaction. Not a change: never logged or
    /// synced; only bookkeeping such as the push cursor and the sync server's address.
    pub fn set_meta(&self, pairs: &[(&str, Option<String>)]) -> Result<()> {
        let mut side = lock(&self.write);
        let tx = side.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (k, v) in pairs {
            match v {
                Some(v) => tx.prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?.execute(params![k, v])?,
                None => tx.prepare_cached("DELETE FROM meta WHERE key = ?1")?.execute([k])?,
            };
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in a transaction on the write connection, outside the change log: the one door for
    /// this laptop's own bookkeeping tables, which never sync (`attachment_uploads`,
    /// `export_reports`).
    pub fn write_local<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut side = lock(&self.write);
        let tx = side.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// This database's own changes after log entry `after_seq`: at most `max_entries` entries
    /// and, as far as whole entries allow, `max_changes` column changes (a write's columns are
    /// never split, so a single entry larger than that comes alone). Each change comes with the
    /// customer whose permissions it falls under (`""` for team-wide rows).
    pub fn own_changes_after(&self, after_seq: i64, max_entries: u32, max_changes: u32) -> Result<OwnBatch> {
        let own_site = self.site();
        self.read(|c| {
            let last: Option<i64> = c.query_row(
                "SELECT max(seq) FROM (SELECT seq FROM change_log WHERE seq > ?1 AND site_id IS NULL ORDER BY seq LIMIT ?2)",
                params![after_seq, max_entries],
                |r| r.get(0),
            )?;
            let Some(last) = last else { return Ok(OwnBatch::default()) };
            // Whole entries, in order, until the next one would pass `max_changes` (the first
            // entry always comes, however large).
            let mut reader = EntryReader::new(c, &own_site);
            let mut st = c.prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM change_log WHERE seq > ?1 AND seq <= ?2 AND site_id IS NULL ORDER BY seq"
            ))?;
            let mut found = st.query(params![after_seq, last])?;
            let mut out: Vec<(Change, String)> = Vec::new();
            let mut entries = 0u32;
            let mut included = None;
            // And until the batch would pass about `BATCH_BYTES` (long notes make big batches).
            let mut bytes = 0usize;
            while let Some(r) = found.next()? {
                let e = Entry::read(r, 0)?;
                let rows = reader.rows(&e)?;
                let n: usize = rows.iter().map(|r| r.values.len()).sum();
                let size: usize =
                    rows.iter().flat_map(|r| r.values.iter().map(move |(c, v)| change_bytes(&r.table, &r.row_id, c, v))).sum();
                if entries > 0 && (out.len() + n > max_changes as usize || bytes + size > satchel_proto::wire::BATCH_BYTES) {
                    break;
                }
                bytes += size;
                entries += 1;
                included = Some(e.seq);
                let hlc = Hlc::unpack(e.hlc);
                for row in rows {
                    // The record the row is filed under, once per row, through as many parents as
                    // its table's scope names (a row-backed entry's row was just read, with its
                    // parent column).
                    let scope = match schema::table(&row.table) {
                        Some(t) => file_row(c, t, &row.row_id, row.parent)?,
                        None => String::new(),
                    };
                    for (column, value) in row.values {
                        let change =
                            Change { hlc, site: own_site.clone(), table: row.table.clone(), row_id: row.row_id.clone(), column, value };
                        out.push((change, scope.clone()));
                    }
                }
            }
            let last = included.unwrap_or(last);
            Ok(OwnBatch { changes: out, last: Some(last), entries })
        })
    }

    /// How many of this database's own log entries come after `after_seq` (what is waiting to
    /// be pushed).
    pub fn own_entries_after(&self, after_seq: i64) -> Result<u64> {
        self.read(|c| {
            Ok(c.query_row("SELECT count(*) FROM change_log WHERE seq > ?1 AND site_id IS NULL", [after_seq], |r| r.get::<_, i64>(0))?
                as u64)
        })
    }

    /// How many changes from other devices are recorded more than once (same site, clock, table,
    /// row and column): 0 unless something applied a change twice. An integrity check for sync.
    pub fn remote_changes_applied_twice(&self) -> Result<u64> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM (SELECT 1 FROM column_changes WHERE site_id <> (SELECT value FROM meta WHERE key = 'site_id')
                 GROUP BY site_id, hlc, tbl, row_id, col HAVING count(*) > 1)",
                [],
                |r| r.get::<_, i64>(0),
            )? as u64)
        })
    }

    /// A lost value (see [`Store::apply_remote`]) by its key, to restore it.
    pub fn lost_value(&self, table: &str, row_id: &str, column: &str, hlc: Hlc, site: &str) -> Result<Option<Value>> {
        self.read(|c| {
            Ok(c.prepare_cached("SELECT value FROM lost_values WHERE tbl = ?1 AND row_id = ?2 AND col = ?3 AND hlc = ?4 AND site_id = ?5")?
                .query_row(params![table, row_id, column, hlc.pack(), site], |r| r.get(0))
                .optional()?)
        })
    }

    /// Every column change in local log order (the order this device learned of them). `limit`
    /// counts columns; a write's columns share its `seq`.
    pub fn changes_since(&self, after_seq: i64, limit: u32) -> Result<Vec<(i64, Change)>> {
        let own_site = self.site();
        self.read(|c| {
            let mut reader = EntryReader::new(c, &own_site);
            // `limit` columns need at most `limit` entries.
            let mut st = c.prepare_cached(&format!("SELECT {ENTRY_COLUMNS} FROM change_log WHERE seq > ?1 ORDER BY seq LIMIT ?2"))?;
            let mut found = st.query(params![after_seq, limit])?;
            let mut out = Vec::new();
            while let Some(r) = found.next()? {
                let e = Entry::read(r, 0)?;
                let site = e.site.clone().unwrap_or_else(|| own_site.clone());
                for row in reader.rows(&e)? {
                    for (column, value) in row.values {
                        if out.len() == limit as usize {
                            return Ok(out);
                        }
                        let change = Change {
                            hlc: Hlc::unpack(e.hlc),
                            site: site.clone(),
                            table: row.table.clone(),
                            row_id: row.row_id.clone(),
                            column,
                            value,
                        };
                        out.push((e.seq, change));
                    }
                }
            }
            Ok(out)
        })
    }

    /// The change log of one record (and its child rows), newest first.
    /// `before_ms`: only changes made before this wall time (for paging back through a timeline).
    pub fn history(&self, entity_id: &str, before_ms: Option<u64>, limit: u32) -> Result<Vec<LogEntry>> {
        let own_site = self.site();
        let before = before_ms.map(|ms| Hlc::new(ms, 0).pack()).unwrap_or(i64::MAX);
        self.read(|c| {
            // Walk the record's runs newest first and stop once `limit` entries are in hand: a
            // record with 10,000 saves costs what one with 50 does.
            let mut runs = c.prepare_cached("SELECT first_seq, last_seq FROM entity_log WHERE entity_id = ?1 ORDER BY first_seq DESC")?;
            let mut entries = c.prepare_cached(
                "SELECT c.seq, c.hlc, c.site_id, c.tbl, c.row_id, c.cols, c.old, c.more_rows, s.author, s.device FROM change_log c
                 LEFT JOIN sites s ON s.site_id = coalesce(c.site_id, ?4)
                 WHERE c.seq BETWEEN ?1 AND ?2 AND c.hlc < ?3 ORDER BY c.seq DESC",
            )?;
            let mut reader = EntryReader::new(c, &own_site);
            let mut out = Vec::new();
            let mut visit = |out: &mut Vec<LogEntry>, first: i64, last: i64| -> Result<()> {
                let mut found = entries.query(params![first, last, before, own_site])?;
                while let Some(r) = found.next()? {
                    let e = Entry::read(r, 0)?;
                    let (author, device): (Option<String>, Option<String>) = (r.get(8)?, r.get(9)?);
                    let olds = entries::old_values(e.old.as_deref());
                    let site_id = e.site.clone().unwrap_or_else(|| own_site.clone());
                    // Entries newest first; an entry's rows share its clock and come in the order
                    // written, so a creation reads as the record, then its phones, emails, ...
                    for row in reader.rows(&e)? {
                        for (column, value) in row.values {
                            out.push(LogEntry {
                                hlc: Hlc::unpack(e.hlc),
                                site_id: site_id.clone(),
                                author: author.clone(),
                                device: device.clone(),
                                table: row.table.clone(),
                                row_id: row.row_id.clone(),
                                old_value: olds.get(&column).cloned().unwrap_or(Value::Null),
                                column,
                                value,
                                lost: false,
                            });
                        }
                    }
                }
                Ok(())
            };
            // The record's creation entry, when its row keeps its number (migration 0010), comes
            // where that number falls among the runs, unless a run already holds it.
            let mut created = created_seq(c, entity_id)?;
            let mut rows = runs.query([entity_id])?;
            loop {
                let run: Option<(i64, i64)> = match rows.next()? {
                    Some(r) => Some((r.get(0)?, r.get(1)?)),
                    None => None,
                };
                if let Some(seq) = created.filter(|&seq| run.is_none_or(|(first, _)| first <= seq)) {
                    created = None;
                    // A run that began earlier in the same write may hold it (a row filed under
                    // the record written before the record itself).
                    if run.is_none_or(|(_, last)| last < seq) {
                        visit(&mut out, seq, seq)?;
                        if out.len() >= limit as usize {
                            break;
                        }
                    }
                }
                let Some((first, last)) = run else { break };
                visit(&mut out, first, last)?;
                if out.len() >= limit as usize {
                    break;
                }
            }
            out.truncate(limit as usize);
            // Values that lost a concurrent edit, within the same window of time.
            let oldest = if out.len() >= limit as usize { out.iter().map(|e| e.hlc.pack()).min().unwrap_or(0) } else { 0 };
            let mut lost = c.prepare_cached(
                "SELECT l.hlc, l.site_id, s.author, s.device, l.tbl, l.row_id, l.col, l.value, NULL, 1
                 FROM lost_values l LEFT JOIN sites s ON s.site_id = l.site_id
                 WHERE l.entity_id = ?1 AND l.hlc < ?2 AND l.hlc >= ?3",
            )?;
            let found = lost.query_map(params![entity_id, before, oldest], log_entry)?;
            let mut any = false;
            for e in found {
                out.push(e?);
                any = true;
            }
            if any {
                out.sort_by(|a, b| b.hlc.cmp(&a.hlc));
                out.truncate(limit as usize);
            }
            Ok(out)
        })
    }
}

/// Notes that row `id` of `t` changed (or gained a lost value), with its parent before (`olds`,
/// the row's values as read) and after (`new_parent`, when the change set it): a row that moved
/// matters to both.
fn touch(touched: &mut BTreeSet<Touched>, t: &'static TableDef, id: &str, olds: &[Value], news: &[(&'static str, &Value, bool, usize)]) {
    let new_of = |k: usize| news.iter().find(|w| w.3 == k).map(|w| w.1);
    let kind =
        t.type_column().and_then(|c| t.column_index(c)).and_then(|k| record_kind(t, new_of(k).or(Some(&olds[k])).and_then(value_text)));
    let parents: Vec<String> = match t.parent_column().and_then(|pc| t.column_index(pc)) {
        Some(pk) => [Some(&olds[pk]), new_of(pk)].into_iter().flatten().filter_map(value_text).collect(),
        None => Vec::new(),
    };
    note_row(touched, t, id, parents, kind);
}

/// The record type a row of `t` serves, from its type column's word (a 0.1 client's row names
/// none: the column's default).
fn record_kind(t: &TableDef, named: Option<String>) -> Option<&'static str> {
    let name = named.filter(|n| !n.is_empty()).or_else(|| match t.scope {
        schema::Scope::Record { default, .. } => Some(default.to_string()),
        _ => None,
    });
    name.and_then(|n| satchel_proto::records::record_type(&n)).map(|r| r.name)
}

/// Notes row `id` once per parent it had or has (once without one when it has none).
fn note_row(touched: &mut BTreeSet<Touched>, t: &'static TableDef, id: &str, mut parents: Vec<String>, kind: Option<&'static str>) {
    parents.retain(|p| !p.is_empty());
    if parents.is_empty() {
        touched.insert(Touched { table: t.name, id: id.to_string(), parent: None, kind });
    }
    for p in parents {
        touched.insert(Touched { table: t.name, id: id.to_string(), parent: Some(p), kind });
    }
}

/// The root record row `id` of `t` is filed under for sync (`""` when team-wide), walking up the
/// parents its table's scope names. `known` is the row's own parent column when it was just read.
fn file_row(c: &Connection, t: &'static TableDef, id: &str, known: Option<Option<String>>) -> Result<String> {
    let mut known = known;
    let mut failed = None;
    let filed = schema::file_under(t, id, |table, row, column| {
        if table == t && Some(column) == t.parent_column() {
            if let Some(value) = known.take() {
                return value;
            }
        }
        let found = c
            .prepare_cached(&format!("SELECT {column} FROM {} WHERE id = ?1", table.name))
            .and_then(|mut st| st.query_row([row], |r| r.get::<_, Option<String>>(0)).optional());
        match found {
            Ok(v) => v.flatten(),
            Err(e) => {
                failed = Some(e);
                None
            }
        }
    });
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(filed),
    }
}

/// The number of the log entry that created record `id` here, as its row keeps it.
fn created_seq(c: &Connection, id: &str) -> Result<Option<i64>> {
    for t in schema::SYNCED_TABLES.iter().filter(|t| t.is_record()) {
        let found: Option<Option<i64>> =
            c.prepare_cached(&format!("SELECT _created_seq FROM {} WHERE id = ?1", t.name))?.query_row([id], |r| r.get(0)).optional()?;
        if let Some(seq) = found {
            return Ok(seq);
        }
    }
    Ok(None)
}

/// A history row: clock, site, author, device, table, row, column, value, old value, lost.
fn log_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<LogEntry> {
    Ok(LogEntry {
        hlc: Hlc::unpack(r.get(0)?),
        site_id: r.get(1)?,
        author: r.get(2)?,
        device: r.get(3)?,
        table: r.get(4)?,
        row_id: r.get(5)?,
        column: r.get(6)?,
        value: r.get(7)?,
        old_value: r.get(8)?,
        lost: r.get::<_, i64>(9)? == 1,
    })
}

/// Keeps a change naming a table or column this version does not know (see `parked_changes`).
fn park(tx: &Connection, ch: &Change) -> Result<()> {
    tx.prepare_cached("INSERT OR IGNORE INTO parked_changes (site_id, hlc, tbl, row_id, col, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
        .execute(params![ch.site, ch.hlc.pack(), ch.table, ch.row_id, ch.column, ch.value])?;
    Ok(())
}

/// Claims the database for this process: a second Satchel on the same file (a second window, the
/// CLI while the app runs) would run a second clock and sync worker over it, so it is told the
/// database is in use instead. The claim is an exclusive lock on `<database>.lock`, which the
/// system drops when the process ends however it ends (no stale lock after a crash).
fn claim(path: &Path) -> Result<std::fs::File> {
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&lock_path).map_err(|e| classify_io(path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(CoreError::InUse { path: path.to_path_buf() }),
        Err(std::fs::TryLockError::Error(e)) => Err(classify_io(path, e)),
    }
}

/// Creates the database file empty and readable by this user only (SQLite gives its -wal and
/// -shm files the same permissions): a customer book is nobody else's business on a shared
/// computer.
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        // Made meanwhile by another process: it is opened as it is.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(classify_io(path, e)),
    }
}

fn classify_io(path: &Path, e: std::io::Error) -> CoreError {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => CoreError::ReadOnly { path: path.to_path_buf() },
        _ => CoreError::Io(e),
    }
}

/// Notes row `id` of `t` as a module's `changed` reads it: with its parent and record type as
/// they are now, and the parent it had before when `old` (the log's replaced values) names one.
fn touched_row(c: &Connection, out: &mut BTreeSet<Touched>, t: &'static TableDef, id: &str, old: Option<&str>) -> Result<()> {
    let cols: Vec<&str> = [t.parent_column(), t.type_column()].into_iter().flatten().collect();
    let now: Vec<Option<String>> = if cols.is_empty() {
        vec![]
    } else {
        let sql = format!("SELECT {} FROM {} WHERE id = ?1", cols.join(", "), t.name);
        let mut st = c.prepare_cached(&sql)?;
        st.query_row([id], |r| (0..cols.len()).map(|i| r.get::<_, Option<String>>(i)).collect::<rusqlite::Result<Vec<_>>>())
            .optional()?
            .unwrap_or_else(|| vec![None; cols.len()])
    };
    let kind = t.type_column().and_then(|_| record_kind(t, now.last().cloned().flatten()));
    let mut parents: Vec<String> = Vec::new();
    if let Some(pc) = t.parent_column() {
        parents.extend(now.first().cloned().flatten());
        parents.extend(entries::old_values(old).get(pc).and_then(value_text));
    }
    note_row(out, t, id, parents, kind);
    Ok(())
}

/// How the database file looked when a Satchel last closed it cleanly, and when its pages were
/// last all checked. Reading every page (`quick_check`) takes about 0.55 s on a 265 MB book of
/// 100,000 customers with every module's records, which is most of a start's budget; it is
/// skipped when the file is exactly as it was left (same size and modification time to the
/// nanosecond, no write-ahead log waiting) and was checked within a day. Anything else (a copy
/// put in its place, a tool that wrote to it, a crash, a restored or damaged file, a new day)
/// checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Closed {
    size: u64,
    modified_ns: u128,
    checked_ms: u64,
}

/// How often the pages of an unchanged file are read again anyway (a disk can fail quietly).
const PAGE_CHECK_EVERY_MS: u64 = 24 * 3600 * 1000;

impl Closed {
    fn path(db: &Path) -> PathBuf {
        let mut p = db.as_os_str().to_owned();
        p.push(".closed");
        PathBuf::from(p)
    }

    /// The file as it is now (`checked_ms` left 0).
    fn of(db: &Path) -> Option<Closed> {
        let m = std::fs::metadata(db).ok()?;
        let modified_ns = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
        Some(Closed { size: m.len(), modified_ns, checked_ms: 0 })
    }

    fn text(&self) -> String {
        format!("{} {} {}\n", self.size, self.modified_ns, self.checked_ms)
    }

    fn read(db: &Path) -> Option<Closed> {
        let text = std::fs::read_to_string(Closed::path(db)).ok()?;
        let mut it = text.split_whitespace().map(|w| w.parse::<u128>().ok());
        let (size, modified_ns, checked_ms) = (it.next()??, it.next()??, it.next()??);
        Some(Closed { size: size as u64, modified_ns, checked_ms: checked_ms as u64 })
    }

    /// When the pages were last checked, if the file is as a clean close left it and that was
    /// less than a day ago.
    fn still_checked(db: &Path, now: u64) -> Option<u64> {
        let noted = Closed::read(db)?;
        let wal_waiting = std::fs::metadata(crate::backup::with_suffix(db, "-wal")).is_ok_and(|m| m.len() > 0);
        let same = Closed::of(db).is_some_and(|c| c.size == noted.size && c.modified_ns == noted.modified_ns);
        (same && !wal_waiting && now.saturating_sub(noted.checked_ms) < PAGE_CHECK_EVERY_MS && noted.checked_ms <= now)
            .then_some(noted.checked_ms)
    }
}

/// Refuses, without writing a byte, a file that is not SQLite or whose schema is newer than ours.
/// Returns when its pages were last all found whole (now, unless a clean close left it unchanged
/// within the day: see [`Closed`]).
fn check_existing(path: &Path, key: Option<&cipher::Key>) -> Result<u64> {
    let conn =
        cipher::open(path, Some(OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX), key).map_err(|e| classify(path, e))?;
    let found: usize = conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).map_err(|e| classify(path, e))? as usize;
    // The schema check reads the real header: a corrupt file fails here, not halfway through.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).map_err(|e| classify(path, e))?;
    // A damaged page anywhere (not only the schema's) is found before anything is written or the
    // book is shown half loaded: every page is read once, which also warms the cache the first
    // loads read from (see docs/benchmarks.md for what it costs at 100,000 customers).
    let now = now_ms();
    let checked = match Closed::still_checked(path, now) {
        Some(at) => {
            log::info!("every page's check skipped: the book is as its last clean close left it");
            at
        }
        None => {
            let start = std::time::Instant::now();
            let verdict: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(|e| classify(path, e))?;
            if verdict != "ok" {
                return Err(CoreError::Corrupt { path: path.to_path_buf(), detail: verdict });
            }
            // On the window's start-up path: a slow start after an unclean exit shows here.
            log::info!("every page checked in {:.2} s (no clean close of this file today)", start.elapsed().as_secs_f64());
            now
        }
    };
    if found > schema_version() {
        return Err(CoreError::SchemaTooNew { path: path.to_path_buf(), found, supported: schema_version() });
    }
    Ok(checked)
}

fn classify(path: &Path, e: rusqlite::Error) -> CoreError {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::NotADatabase) | Some(C::DatabaseCorrupt) => CoreError::Corrupt { path: path.to_path_buf(), detail: e.to_string() },
        Some(C::ReadOnly) | Some(C::CannotOpen) | Some(C::PermissionDenied) => CoreError::ReadOnly { path: path.to_path_buf() },
        _ => CoreError::Storage(e),
    }
}

fn meta_get(c: &Connection, key: &str) -> Result<Option<String>> {
    Ok(c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// A row's per-column clocks, as kept in its `_clocks` column. Columns set by the same write share
/// one entry, `"<stamp>": "#<mask>"`, the mask having bit k set for the table's k-th column (see
/// `schema`: columns are only ever appended, so a bit keeps its meaning), so a new row stores its
/// stamp once and its column set in a few characters; `deleted_at` is always its own entry
/// (`"deleted_at": "<stamp>"`) so that SQL can read a tombstone's stamp with
/// `json_extract(_clocks, '$.deleted_at')`. A stamp of this database's own site is written as
/// its clock alone (`"117715177408167936"`, not `"...@<site>"`): the change log does the same with
/// a NULL site, and most rows were made here. Rows written before (0.7 and earlier) list column
/// names, `"<stamp>": "col,col"`, with full stamps; both read the same, and a row's next change
/// writes the new form. Keys are sorted, so the same changes give the same text. In memory an
/// entry holds full stamps and column names.
#[derive(Debug, Default)]
struct Clocks(serde_json::Map<String, serde_json::Value>);

const DIRECT: &str = "deleted_at";

/// The bit of each named column of `t`; `None` if one is not a column of `t`.
fn column_bits<'c>(t: &TableDef, names: impl Iterator<Item = &'c str>) -> Option<u64> {
    names.filter(|n| !n.is_empty()).try_fold(0u64, |m, n| t.columns.iter().position(|c| *c == n).map(|k| m | 1 << k))
}

impl Clocks {
    /// Reads a row's clocks; `own` is this database's site, which its own stamps leave out.
    fn parse(s: &str, t: &TableDef, own: &str) -> Self {
        let full = |stamp: String| if stamp.contains('@') { stamp } else { format!("{stamp}@{own}") };
        match serde_json::from_str(s) {
            Ok(serde_json::Value::Object(m)) => {
                let mut out = serde_json::Map::new();
                for (k, v) in m {
                    if k == DIRECT {
                        out.insert(k, v.as_str().map_or(v.clone(), |x| serde_json::Value::String(full(x.to_string()))));
                        continue;
                    }
                    let mask = v.as_str().and_then(|x| x.strip_prefix('#')).and_then(|h| u64::from_str_radix(h, 16).ok());
                    let v = match mask {
                        Some(mask) => {
                            let names: Vec<&str> =
                                t.columns.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, c)| *c).collect();
                            serde_json::Value::String(names.join(","))
                        }
                        None => v,
                    };
                    out.insert(full(k), v);
                }
                Clocks(out)
            }
            _ => Clocks::default(),
        }
    }

    fn get(&self, col: &str) -> Option<Stamp> {
        if col == DIRECT {
            return self.0.get(DIRECT).and_then(|v| v.as_str()).and_then(Stamp::parse);
        }
        self.0
            .iter()
            .find(|(k, v)| k.as_str() != DIRECT && v.as_str().is_some_and(|cols| cols.split(',').any(|c| c == col)))
            .and_then(|(k, _)| Stamp::parse(k))
    }

    fn set(&mut self, col: &str, stamp: &str) {
        if col == DIRECT {
            self.0.insert(DIRECT.into(), serde_json::Value::String(stamp.into()));
            return;
        }
        let mut emptied = None;
        for (k, v) in self.0.iter_mut().filter(|(k, _)| k.as_str() != DIRECT) {
            if let Some(cols) = v.as_str() {
                if cols.split(',').any(|c| c == col) {
                    let rest: Vec<&str> = cols.split(',').filter(|c| *c != col).collect();
                    if rest.is_empty() {
                        emptied = Some(k.clone());
                    } else {
                        *v = serde_json::Value::String(rest.join(","));
                    }
                    break;
                }
            }
        }
        if let Some(k) = emptied {
            self.0.remove(&k);
        }
        let entry = self.0.entry(stamp.to_string()).or_insert_with(|| serde_json::Value::String(String::new()));
        let mut cols: Vec<&str> = entry.as_str().unwrap_or("").split(',').filter(|c| !c.is_empty()).collect();
        cols.push(col);
        cols.sort_unstable();
        cols.dedup();
        *entry = serde_json::Value::String(cols.join(","));
    }

    /// The canonical text: keys sorted, column sets as masks of `t`'s columns (a name `t` does
    /// not have, which no write produces, keeps its entry as names rather than lose it).
    fn to_text(&self, t: &TableDef, own: &str) -> String {
        let short = |stamp: &'_ str| -> String {
            match stamp.split_once('@') {
                Some((hlc, site)) if site == own => hlc.to_string(),
                _ => stamp.to_string(),
            }
        };
        let mut entries: Vec<(String, &serde_json::Value)> =
            self.0.iter().map(|(k, v)| (if k == DIRECT { k.clone() } else { short(k) }, v)).collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut out = String::with_capacity(64 * entries.len());
        out.push('{');
        for (i, (k, v)) in entries.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let list = v.as_str().unwrap_or("");
            let text = match column_bits(t, list.split(',')) {
                _ if k.as_str() == DIRECT => short(list),
                Some(mask) => format!("#{mask:x}"),
                None => list.to_string(),
            };
            // Stamps, masks and column names need no JSON escaping (digits, '@', '#', hex and
            // identifiers); serde_json writes the rare other text.
            out.push_str(&serde_json::to_string(k.as_str()).unwrap_or_default());
            out.push(':');
            out.push_str(&serde_json::to_string(&text).unwrap_or_default());
        }
        out.push('}');
        out
    }

    /// The canonical text for a row whose columns were all set by one write: the same bytes
    /// `set` + `to_text` would give, without building a map (this runs for every inserted row).
    fn for_new_row<'a>(stamp: &str, cols: impl Iterator<Item = &'a str>, t: &TableDef) -> String {
        let bits = cols.fold(0u64, |m, c| m | t.columns.iter().position(|x| *x == c).map_or(0, |k| 1 << k));
        Self::for_new_row_bits(stamp, bits, t)
    }

    /// [`Clocks::for_new_row`] given the set columns as bits of `t`'s columns.
    fn for_new_row_bits(stamp: &str, bits: u64, t: &TableDef) -> String {
        let direct = t.columns.iter().position(|c| *c == DIRECT).map_or(0, |k| 1u64 << k);
        let (mask, deleted) = (bits & !direct, bits & direct != 0);
        let mut out = String::with_capacity(64);
        out.push('{');
        // `deleted_at` sorts after every stamp (digits), as `to_text` orders them.
        if mask != 0 {
            out.push('"');
            out.push_str(stamp);
            out.push_str("\":\"#");
            // Lower-case hex without leading zeros, as `format!("{mask:x}")` (which cost more
            // than the rest of the row's clock text).
            let digits = (64 - mask.leading_zeros()).div_ceil(4);
            for d in (0..digits).rev() {
                out.push(char::from_digit(((mask >> (d * 4)) & 0xf) as u32, 16).unwrap_or('0'));
            }
            out.push('"');
        }
        if deleted {
            if mask != 0 {
                out.push(',');
            }
            out.push_str("\"deleted_at\":\"");
            out.push_str(stamp);
            out.push('"');
        }
        out.push('}');
        out
    }
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Text(s) => Some(s.clone()),
        _ => None,
    }
}

/// A column value as JSON (how sync carries it).
pub fn value_to_json(v: &Value) -> serde_json::Value {
    json_value(v)
}

/// A JSON value from sync back as the column value it was.
pub fn value_from_json(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::String(s) => Value::Text(s),
        other => value_of_json(&other),
    }
}

/// [`value_to_json`] taking the value, so its text moves instead of being copied.
pub fn value_into_json(v: Value) -> serde_json::Value {
    match v {
        Value::Text(s) => serde_json::Value::String(s),
        other => json_value(&other),
    }
}

/// A logged JSON value back as the SQLite value it was (the inverse of `json_value`).
fn value_of_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Integer(*b as i64),
        serde_json::Value::Number(n) => n.as_i64().map(Value::Integer).unwrap_or_else(|| Value::Real(n.as_f64().unwrap_or(0.0))),
        serde_json::Value::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(f) => serde_json::Number::from_f64(*f).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null),
        Value::Text(s) => serde_json::Value::String(s.clone()),
        // No synced column holds bytes; keep the log readable if one ever does.
        Value::Blob(b) => serde_json::Value::String(b.iter().map(|x| format!("{x:02x}")).collect()),
    }
}

/// `{"col": value, ...}` written straight into one string: no intermediate JSON tree, because the
/// write path builds one of these per touched row.
fn json_object<'a>(cols: impl Iterator<Item = (&'a str, &'a Value)>) -> String {
    let mut out = Vec::with_capacity(128);
    out.push(b'{');
    for (i, (c, v)) in cols.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Column names are fixed identifiers from the schema; values are escaped by serde_json.
        out.push(b'"');
        out.extend_from_slice(c.as_bytes());
        out.extend_from_slice(b"\":");
        match v {
            Value::Text(t) => serde_json::to_writer(&mut out, t).expect("writing to a Vec cannot fail"),
            other => serde_json::to_writer(&mut out, &json_value(other)).expect("writing to a Vec cannot fail"),
        }
    }
    out.push(b'}');
    String::from_utf8(out).expect("JSON is UTF-8")
}

#[allow(clippy::too_many_arguments)]
/// Appends one log entry; `site` is `None` for this database's own changes.
fn log_change(c: &Connection, hlc: Hlc, site: Option<&str>, tbl: &str, row: &str, cols: &str, old: Option<&str>) -> Result<i64> {
    c.prepare_cached(CHANGE_LOG_SQL)?.execute(params![hlc.pack(), site, tbl, row, cols, old])?;
    Ok(c.last_insert_rowid())
}

/// Groups consecutive log entries of one record into runs for `entity_log`.
#[derive(Default)]
struct Runs {
    open: Option<Run>,
}

/// Consecutive log entries of one record.
struct Run {
    entity: String,
    first: i64,
    last: i64,
    /// The run began with the record's creation entry, whose number the record's row keeps
    /// (`_created_seq`, migration 0010): a run of that entry alone needs no `entity_log` row.
    on_row: bool,
}

const ENTITY_LOG_SQL: &str = "INSERT INTO entity_log (entity_id, first_seq, last_seq) VALUES (?1, ?2, ?3)";
/// The `cols` of an own insert: its values are in the row (see `entries`, migration 0008).
const ROW_BACKED: &str = "*";

const CHANGE_LOG_SQL: &str = "INSERT INTO change_log (hlc, site_id, tbl, row_id, cols, old) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

impl Runs {
    /// Notes entry `seq` of `entity` (`on_row`: it created the record's row, which keeps its
    /// number); returns the run this closes, which the caller writes.
    #[must_use]
    fn note(&mut self, entity: &str, seq: i64, on_row: bool) -> Option<Run> {
        match &mut self.open {
            Some(run) if run.entity == entity => {
                run.last = seq;
                None
            }
            open => open.replace(Run { entity: entity.to_string(), first: seq, last: seq, on_row }),
        }
    }

    fn write(st: &mut rusqlite::Statement<'_>, run: Run) -> Result<()> {
        if !(run.on_row && run.first == run.last) {
            st.execute(params![run.entity, run.first, run.last])?;
        }
        Ok(())
    }

    fn flush(&mut self, c: &Connection) -> Result<()> {
        if let Some(run) = self.open.take() {
            Self::write(&mut *c.prepare_cached(ENTITY_LOG_SQL)?, run)?;
        }
        Ok(())
    }
}

/// The SQL the write path builds per table: a row's INSERT for a column set (its bits of the
/// table's columns), or the row-backed log entry of a new row of the table.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    Insert(u64),
    LogInsert,
}

thread_local! {
    /// Built SQL by table and shape: the write path runs the same few shapes thousands of times,
    /// and formatting them each time showed up in profiles. Leaked on purpose: there is one per
    /// table and shape this build writes, a few dozen at most, and a `&'static str` lets a write
    /// keep its statements keyed by address.
    static BUILT_SQL: std::cell::RefCell<rustc_hash::FxHashMap<(&'static str, Shape), &'static str>> = Default::default();
}

fn built_sql(t: &TableDef, shape: Shape, build: impl FnOnce() -> String) -> &'static str {
    BUILT_SQL.with(|cache| *cache.borrow_mut().entry((t.name, shape)).or_insert_with(|| build().leak()))
}

/// `?1` the write's clock, `?2` the row, `?3` the other rows it stands for, `?4` its number (as
/// the record's row was told); the table and `cols = '*'` are constants.
fn insert_log_sql(t: &TableDef) -> &'static str {
    // Table names are the schema's identifiers, never user text.
    built_sql(t, Shape::LogInsert, || {
        format!("INSERT INTO change_log (seq, hlc, site_id, tbl, row_id, cols, old, more_rows) VALUES (?4, ?1, NULL, '{}', ?2, '{ROW_BACKED}', NULL, ?3)", t.name)
    })
}

/// The INSERT for a column set, its columns in table order (callers bind them in that order),
/// then `updated_ms`, `_clocks` and for a record's own row its creation entry's number.
fn insert_sql(t: &TableDef, mask: u64) -> &'static str {
    built_sql(t, Shape::Insert(mask), || {
        let cols: Vec<&str> = t.columns.iter().enumerate().filter(|(k, _)| mask & (1 << k) != 0).map(|(_, c)| *c).collect();
        let n = cols.len();
        let placeholders: Vec<String> = (0..n).map(|i| format!("?{}", i + 2)).collect();
        let (created, created_at) = if t.is_record() { (", _created_seq", format!(", ?{}", n + 4)) } else { ("", String::new()) };
        format!(
            "INSERT INTO {} (id, {}, updated_ms, _clocks{created}) VALUES (?1, {}, ?{}, ?{}{created_at})",
            t.name,
            cols.join(", "),
            placeholders.join(", "),
            n + 2,
            n + 3
        )
    })
}

/// The handle domain code writes through inside [`Store::write`].
pub struct Writer<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    stamp: Stamp,
    stamp_text: String,
    /// The stamp as this database's clock maps write it (its own site left out).
    stamp_key: String,
    wrote: bool,
    runs: Runs,
    /// The first and last change-log entries this write made (what an undo reverts).
    seqs: Option<(i64, i64)>,
    /// The statements this write has used, by the address of their (static) SQL: a bulk write
    /// runs the same handful per row, and finding each in the connection's cache by its text,
    /// then handing it back, cost more than a small row's insert. They return to the cache when
    /// the write ends.
    stmts: Vec<(usize, rusqlite::CachedStatement<'a>)>,
    /// Slots in `stmts` by table (its name's address) and shape: the insert statements and the
    /// row-backed log entry statements this write uses, so a row's insert finds both without
    /// hashing SQL.
    slots: Vec<(usize, Shape, usize)>,
    /// The row-backed entry of this write's last insert, not written yet: the inserts filed
    /// under the same record that follow it (a new customer's phones, emails, addresses and
    /// tags) join it in `more` instead of each writing an entry of its own. A new customer with
    /// four contact details costs one log entry, not five.
    pending: Option<PendingInsert>,
    /// The pending entry's other rows (`more_rows`); kept with the write so one buffer serves
    /// every entry.
    more: Vec<u8>,
    /// The number the next log entry will get (SQLite's next rowid, as this write is the only
    /// writer); read when first needed.
    next_seq: Option<i64>,
    /// Checks that passed in this write, as (table, check, key): see [`Writer::passed`].
    passed: Vec<(&'static str, &'static str, String)>,
    /// The rows this write inserted or changed, noted from the values at hand (no read-back),
    /// for the modules (`Store::take_touched`).
    touched: Waiting,
}

/// How many passed checks a write remembers (a bulk load's people name the same few companies).
const PASSED_KEPT: usize = 16;

/// See `Writer::pending`: the entry's statement slot, number, row, and the record it is filed
/// under; `on_row`: one of its rows is that record's own, which keeps the entry's number.
struct PendingInsert {
    slot: usize,
    seq: i64,
    id: String,
    entity: String,
    on_row: bool,
}

impl<'a> Writer<'a> {
    /// Reads inside the write transaction (to validate against current data).
    pub fn conn(&self) -> &Connection {
        self.tx
    }

    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    /// The write's time as RFC 3339 UTC, for `deleted_at` and similar.
    pub fn now_rfc3339(&self) -> String {
        crate::time::rfc3339_ms(self.stamp.hlc.wall_ms)
    }

    /// Whether check `what` already passed for `key` in this write, since it last changed a row of
    /// `t` (the table the check reads): a bulk load asks "is this a live company?" for most of its
    /// people, of a few companies, and asking SQLite each time cost 4% of its time.
    pub fn passed(&self, t: &TableDef, what: &'static str, key: &str) -> bool {
        self.passed.iter().any(|(tbl, w, k)| k == key && *w == what && *tbl == t.name)
    }

    /// Remembers that check `what` passed for `key`, until this write changes a row of `t`.
    pub fn remember_passed(&mut self, t: &TableDef, what: &'static str, key: &str) {
        if self.passed.len() == PASSED_KEPT {
            self.passed.remove(0);
        }
        self.passed.push((t.name, what, key.to_string()));
    }

    /// A statement kept for the rest of this write (reads a bulk write repeats per row).
    pub fn statement(&mut self, sql: &'static str) -> Result<&mut rusqlite::CachedStatement<'a>> {
        let i = Self::stmt(&mut self.stmts, self.tx, sql)?;
        Ok(&mut self.stmts[i].1)
    }

    fn stmt(stmts: &mut Vec<(usize, rusqlite::CachedStatement<'a>)>, tx: &'a Connection, sql: &'static str) -> Result<usize> {
        let key = sql.as_ptr() as usize;
        if let Some(i) = stmts.iter().position(|(k, _)| *k == key) {
            return Ok(i);
        }
        stmts.push((key, tx.prepare_cached(sql)?));
        Ok(stmts.len() - 1)
    }

    /// The slot in `stmts` of table `t`'s statement of `shape`, prepared on first use (a log
    /// entry's statement then gets the write's clock bound once for all its rows).
    fn slot(&mut self, t: &TableDef, shape: Shape) -> Result<usize> {
        let key = t.name.as_ptr() as usize;
        if let Some((_, _, slot)) = self.slots.iter().find(|(k, s, _)| *k == key && *s == shape) {
            return Ok(*slot);
        }
        let sql = match shape {
            Shape::Insert(mask) => insert_sql(t, mask),
            Shape::LogInsert => insert_log_sql(t),
        };
        let slot = Self::stmt(&mut self.stmts, self.tx, sql)?;
        if shape == Shape::LogInsert {
            self.stmts[slot].1.raw_bind_parameter(1, self.stamp.hlc.pack())?;
        }
        self.slots.push((key, shape, slot));
        Ok(slot)
    }

    /// Appends one of this database's own log entries and notes it in the record's history run.
    fn log(&mut self, t: &TableDef, id: &str, entity: &str, cols: &str, old: Option<&str>) -> Result<()> {
        self.flush_insert()?;
        let hlc = self.stamp.hlc.pack();
        self.statement(CHANGE_LOG_SQL)?.execute(params![hlc, None::<&str>, t.name, id, cols, old])?;
        self.logged(entity)
    }

    /// Logs a row this write is about to insert, and returns the number of the entry it is
    /// logged in: the row joins the pending row-backed entry if that entry's rows are filed
    /// under the same record, or else becomes the pending entry itself (the one before it is
    /// written then). Entries keep their order: anything else this write logs writes the
    /// pending entry first.
    fn log_insert(&mut self, t: &TableDef, id: &str, entity: &str) -> Result<i64> {
        self.wrote = true;
        let own_row = t.is_record() && id == entity;
        if let Some(p) = &mut self.pending {
            if p.entity == entity && schema::code(t).is_some_and(|code| entries::push_row(&mut self.more, code, id)) {
                p.on_row |= own_row;
                return Ok(p.seq);
            }
        }
        self.flush_insert()?;
        let slot = self.slot(t, Shape::LogInsert)?;
        let seq = match self.next_seq {
            Some(seq) => seq,
            None => self.statement("SELECT coalesce(max(seq), 0) + 1 FROM change_log")?.query_row([], |r| r.get(0))?,
        };
        self.pending = Some(PendingInsert { slot, seq, id: id.to_string(), entity: entity.to_string(), on_row: own_row });
        Ok(seq)
    }

    /// Writes the pending row-backed entry, if any. One statement per table with the constant
    /// parts in its SQL and the write's clock bound once: per entry only its row id and the
    /// list of the other rows are bound (binding the six columns of a general entry cost as
    /// much as the row's own insert).
    fn flush_insert(&mut self) -> Result<()> {
        let Some(p) = self.pending.take() else { return Ok(()) };
        let st = &mut self.stmts[p.slot].1;
        match compact_id(&p.id) {
            Some(bytes) => st.raw_bind_parameter(2, &bytes[..])?,
            None => st.raw_bind_parameter(2, &p.id)?,
        }
        if self.more.is_empty() {
            st.raw_bind_parameter(3, rusqlite::types::Null)?;
        } else {
            st.raw_bind_parameter(3, &self.more[..])?;
        }
        st.raw_bind_parameter(4, p.seq)?;
        st.raw_execute()?;
        self.more.clear();
        self.noted(p.seq, &p.entity, p.on_row)
    }

    /// What every log entry of this write does after its INSERT: note its sequence number for
    /// undo and its record's history run.
    fn logged(&mut self, entity: &str) -> Result<()> {
        self.noted(self.tx.last_insert_rowid(), entity, false)
    }

    fn noted(&mut self, seq: i64, entity: &str, on_row: bool) -> Result<()> {
        self.seqs = Some(self.seqs.map_or((seq, seq), |(first, _)| (first, seq)));
        self.next_seq = Some(seq + 1);
        if let Some(run) = self.runs.note(entity, seq, on_row) {
            Runs::write(self.statement(ENTITY_LOG_SQL)?, run)?;
        }
        self.wrote = true;
        Ok(())
    }

    /// Writes the pending entry and closes the open history run (at the end of the write).
    fn finish(&mut self) -> Result<()> {
        self.flush_insert()?;
        if let Some(run) = self.runs.open.take() {
            Runs::write(self.statement(ENTITY_LOG_SQL)?, run)?;
        }
        Ok(())
    }

    /// Inserts a new row. Every non-null column becomes a change-log entry.
    ///
    /// The entry reads its values back from the row (see `entries`): a column updated later in
    /// the same write carries the same stamp, so the insert then reads as having set the final
    /// value, and the update's own entry shows the change as well. `update` refuses a column the
    /// write has set already: pass the final values here instead.
    pub fn insert(&mut self, t: &TableDef, id: &str, values: &[(&'static str, Value)]) -> Result<()> {
        let values: Vec<(&'static str, ValueRef<'_>)> = values.iter().map(|(c, v)| (*c, ValueRef::from(v))).collect();
        self.insert_ref(t, id, &values)
    }

    /// [`Writer::insert`] with borrowed values: the hot paths (creating customers and their
    /// phones, emails, addresses and tags) pass what the form holds without copying it.
    pub fn insert_ref(&mut self, t: &TableDef, id: &str, values: &[(&'static str, ValueRef<'_>)]) -> Result<()> {
        debug_assert!(values.iter().all(|(c, _)| t.has_column(c)), "unknown column for {}", t.name);
        // Each value's column position, found once: the statement lists columns in table order
        // and the clock map names them by bit.
        let mut order: Vec<(usize, usize)> = Vec::with_capacity(values.len());
        let (mut mask, mut set) = (0u64, 0u64);
        // Callers list values in table order, so each column is searched for from the last one
        // found on (a search from the start only for one out of order).
        let mut from = 0;
        for (i, (c, v)) in values.iter().enumerate() {
            let found = t.columns[from..].iter().position(|x| x == c).map(|k| k + from).or_else(|| t.columns.iter().position(|x| x == c));
            let Some(k) = found else { continue };
            from = k + 1;
            order.push((k, i));
            mask |= 1 << k;
            if *v != ValueRef::Null {
                set |= 1 << k;
            }
        }
        order.sort_unstable();
        let clocks = Clocks::for_new_row_bits(&self.stamp_key, set, t);
        let wall = self.stamp.hlc.wall_ms as i64;
        // The values are in the row about to be written: the log says so instead of copying them.
        let seq = self.log_insert(t, id, entity_of(t, id, values))?;
        let i = self.slot(t, Shape::Insert(mask))?;
        let st = &mut self.stmts[i].1;
        st.raw_bind_parameter(1, id)?;
        for (n, (_, i)) in order.iter().enumerate() {
            st.raw_bind_parameter(n + 2, rusqlite::types::ToSqlOutput::Borrowed(values[*i].1))?;
        }
        st.raw_bind_parameter(order.len() + 2, wall)?;
        st.raw_bind_parameter(order.len() + 3, &clocks)?;
        if t.is_record() {
            st.raw_bind_parameter(order.len() + 4, seq)?;
        }
        st.raw_execute()?;
        if !self.touched.many {
            let text = |col: Option<&str>| {
                col.and_then(|c| values.iter().find(|(x, _)| *x == c)).and_then(|(_, v)| v.as_str().ok()).filter(|v| !v.is_empty())
            };
            let parent = text(t.parent_column());
            let kind = text(t.type_column());
            self.note(t, id, [None, parent], kind);
        }
        Ok(())
    }

    /// Says this write loads many rows (a large import, demo data): the rows it touches are not
    /// noted one by one, and the modules reload after it (or, like a large import, rebuild their
    /// state beside it).
    pub fn bulk(&mut self) {
        self.touched = Waiting { rows: Vec::new(), many: true };
    }

    /// Notes a row this write touched, with its parent before and after (both when it moved) and
    /// the record type it serves (see [`Touched`]).
    fn note(&mut self, t: &TableDef, id: &str, parents: [Option<&str>; 2], kind: Option<&str>) {
        let w = &mut self.touched;
        if w.many {
            return;
        }
        if w.rows.len() as i64 >= LOCAL_TOUCH_MAX {
            *w = Waiting { rows: Vec::new(), many: true };
            return;
        }
        let rows = &mut w.rows;
        let kind = match (kind, t.scope) {
            (Some(k), _) => satchel_proto::records::record_type(k).map(|r| r.name),
            // A shared row that names no type is of the scope's default (a 0.1 client's).
            (None, schema::Scope::Record { default, .. }) => satchel_proto::records::record_type(default).map(|r| r.name),
            (None, _) => None,
        };
        if parents.iter().all(Option::is_none) {
            rows.push(Touched { table: t.name, id: id.to_string(), parent: None, kind });
        }
        for p in parents.into_iter().flatten() {
            rows.push(Touched { table: t.name, id: id.to_string(), parent: Some(p.to_string()), kind });
        }
    }

    /// Sets the given columns of an existing row, logging only those whose value changes.
    /// Returns whether anything changed; a missing row is `NotFound`.
    pub fn update(&mut self, t: &TableDef, id: &str, values: &[(&'static str, Value)]) -> Result<bool> {
        debug_assert!(values.iter().all(|(c, _)| t.has_column(c)), "unknown column for {}", t.name);
        let cols: Vec<&str> = values.iter().map(|(c, _)| *c).collect();
        let entity_sel = t.entity_column.unwrap_or("id");
        // The row's parent and record type too, for the modules (`note`): "''" for none.
        let parent_sel = t.parent_column().unwrap_or("''");
        let type_sel = t.type_column().unwrap_or("''");
        let sql = format!("SELECT {}, _clocks, {entity_sel}, {parent_sel}, {type_sel} FROM {} WHERE id = ?1", cols.join(", "), t.name);
        let n = cols.len();
        let current = self
            .tx
            .prepare_cached(&sql)?
            .query_row([id], |r| {
                let olds: Vec<Value> = (0..n).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                let parent: Option<String> = r.get(n + 2)?;
                let kind: Option<String> = r.get(n + 3)?;
                Ok((olds, r.get::<_, String>(n)?, r.get::<_, String>(n + 1)?, parent, kind))
            })
            .optional()?;
        let Some((olds, clocks, entity, parent, kind)) = current else {
            return Err(CoreError::NotFound { what: t.name, id: id.to_string() });
        };
        let changed: Vec<usize> = (0..n).filter(|&i| olds[i] != values[i].1).collect();
        if changed.is_empty() {
            return Ok(false);
        }
        let new_parent = t.parent_column().and_then(|pc| values.iter().find(|(c, _)| *c == pc)).and_then(|(_, v)| match v {
            Value::Text(s) => Some(s.as_str()),
            _ => None,
        });
        let parent = parent.filter(|p| !p.is_empty());
        let new_parent = new_parent.filter(|p| !p.is_empty() && Some(*p) != parent.as_deref());
        self.note(t, id, [parent.as_deref(), new_parent], kind.as_deref().filter(|k| !k.is_empty()));
        // What was checked against this table may no longer hold.
        self.passed.retain(|(tbl, _, _)| *tbl != t.name);
        let mut clocks = Clocks::parse(&clocks, t, &self.stamp.site);
        // A column this very write has set already (its insert, or an update before this one)
        // would be logged twice under one clock stamp, and another laptop, applying by stamp,
        // could not tell which came last and keeps one at random. Refused, so the write is
        // undone whole: a caller writes each column's final value once (see `insert`).
        if let Some(&i) = changed.iter().find(|&&i| clocks.get(cols[i]).as_ref() == Some(&self.stamp)) {
            return Err(CoreError::Internal(format!("{}.{} of {id} written twice in one write", t.name, cols[i])));
        }
        let sets: Vec<String> = changed.iter().enumerate().map(|(k, &i)| format!("{} = ?{}", cols[i], k + 2)).collect();
        // A column never set before (no clock: it held only the table's default) has no old
        // value, as in `apply_remote`: a row-backed insert that left it at its default must not
        // read this default back as a value it wrote (see `entries::EntryReader`).
        let was_set: Vec<bool> = changed.iter().map(|&i| clocks.get(cols[i]).is_some()).collect();
        for &i in &changed {
            clocks.set(cols[i], &self.stamp_text);
        }
        let clocks = clocks.to_text(t, &self.stamp.site);
        let m = changed.len();
        let sql = format!("UPDATE {} SET {}, updated_ms = ?{}, _clocks = ?{} WHERE id = ?1", t.name, sets.join(", "), m + 2, m + 3);
        let wall = self.stamp.hlc.wall_ms as i64;
        let mut args: Vec<&dyn rusqlite::ToSql> = vec![&id];
        for &i in &changed {
            args.push(&values[i].1);
        }
        args.push(&wall);
        args.push(&clocks);
        self.tx.prepare_cached(&sql)?.execute(args.as_slice())?;
        let new = json_object(changed.iter().map(|&i| (cols[i], &values[i].1)));
        // (An object even when empty: an entry without one is an insert, for `revert`.)
        let old = json_object(changed.iter().zip(&was_set).filter(|(_, set)| **set).map(|(&i, _)| (cols[i], &olds[i])));
        self.log(t, id, &entity, &new, Some(&old))?;
        Ok(true)
    }

    /// The change-log entries written so far by this write, as `(first, last)` sequence numbers.
    pub fn log_range(&mut self) -> Result<Option<(i64, i64)>> {
        self.flush_insert()?;
        Ok(self.seqs)
    }

    /// Undoes an earlier local write, given its log range: rows it inserted go to the trash, and
    /// each column it set gets its old value back, unless a later change has set that column
    /// since (then the later value stays: an undo never overwrites newer work). The undo is a
    /// write of its own, so it is logged, synced and shown in history like any other. Returns
    /// the records (entities) it touched.
    pub fn revert(&mut self, first: i64, last: i64) -> Result<BTreeSet<String>> {
        // Each row an entry wrote: its clock, table, id, the columns set and their old values.
        let entries: Vec<(i64, String, String, Option<String>, Vec<String>)> = {
            let site = self.stamp.site.clone();
            let mut reader = EntryReader::new(self.tx, &site);
            let mut st = self.tx.prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM change_log WHERE seq BETWEEN ?1 AND ?2 AND site_id IS NULL ORDER BY seq DESC"
            ))?;
            let found: Vec<Entry> = st.query_map(params![first, last], |r| Entry::read(r, 0))?.collect::<Result<_, _>>()?;
            let mut out = Vec::with_capacity(found.len());
            for e in found {
                // Newest first, as the entries: an entry's later rows before its first.
                for row in reader.rows(&e)?.into_iter().rev() {
                    let set = row.values.into_iter().map(|(c, _)| c).collect();
                    out.push((e.hlc, row.table, row.row_id, e.old.clone(), set));
                }
            }
            out
        };
        let site = self.stamp.site.clone();
        let mut touched = BTreeSet::new();
        for (hlc, tbl, row, old, set) in entries {
            let Some(t) = schema::table(&tbl) else { continue };
            let stamp = Stamp { hlc: Hlc::unpack(hlc), site: site.clone() };
            let entity_sel = t.entity_column.unwrap_or("id");
            let current: Option<(String, String)> = self
                .tx
                .prepare_cached(&format!("SELECT _clocks, {entity_sel} FROM {} WHERE id = ?1", t.name))?
                .query_row([&row], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((clocks, entity)) = current else { continue };
            let clocks = Clocks::parse(&clocks, t, &site);
            let ours = |col: &str| clocks.get(col).as_ref() == Some(&stamp);
            let values: Vec<(&'static str, Value)> = match old {
                // An insert: undone by a tombstone, if nobody changed the row since.
                None => {
                    if !set.iter().all(|c| ours(c)) {
                        continue;
                    }
                    vec![("deleted_at", Value::Text(self.now_rfc3339()))]
                }
                Some(old) => {
                    let old: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&old).unwrap_or_default();
                    let mut values = Vec::new();
                    for c in t.columns.iter().filter(|c| ours(c) && set.iter().any(|s| s == *c)) {
                        match old.get(*c) {
                            Some(v) => values.push((*c, value_of_json(v))),
                            // Set by this entry without an old value: it held only the table's
                            // default before (see `update`).
                            None => values.push((*c, column_default(self.tx, t, c)?)),
                        }
                    }
                    values
                }
            };
            if !values.is_empty() && self.update(t, &row, &values)? {
                touched.insert(entity);
            }
        }
        Ok(touched)
    }

    /// Whether a row exists and where it is: `None` missing, `Some(None)` live, `Some(Some(time))`
    /// in the trash. The one place writes ask this before touching a row.
    pub fn deleted_at(&self, t: &TableDef, id: &str) -> Result<Option<Option<String>>> {
        Ok(self.tx.prepare_cached(&format!("SELECT deleted_at FROM {} WHERE id = ?1", t.name))?.query_row([id], |r| r.get(0)).optional()?)
    }

    /// Moves a row to the trash: `deleted_at` becomes the write's time (a no-op if already there).
    pub fn tombstone(&mut self, t: &TableDef, id: &str) -> Result<bool> {
        match self.deleted_at(t, id)? {
            None => Err(CoreError::NotFound { what: t.name, id: id.to_string() }),
            Some(None) => {
                let now = Value::Text(self.now_rfc3339());
                self.update(t, id, &[("deleted_at", now)])
            }
            Some(Some(_)) => Ok(false),
        }
    }
}

/// What a column holds when no write has set it: its default in the local table (NULL if none).
fn column_default(c: &Connection, t: &TableDef, col: &str) -> Result<Value> {
    let default: Option<String> = c
        .prepare_cached("SELECT dflt_value FROM pragma_table_info(?1) WHERE name = ?2")?
        .query_row([t.name, col], |r| r.get(0))
        .optional()?
        .flatten();
    // The default as the schema wrote it (a literal such as `'team'` or `0`), evaluated.
    Ok(match default {
        Some(expr) => c.query_row(&format!("SELECT {expr}"), [], |r| r.get(0))?,
        None => Value::Null,
    })
}

/// The record a new row's history is filed under: its owner column's value, or the row itself.
fn entity_of<'v>(t: &TableDef, id: &'v str, values: &'v [(&'static str, ValueRef<'v>)]) -> &'v str {
    t.entity_column.and_then(|ec| values.iter().find(|(c, _)| *c == ec)).and_then(|(_, v)| v.as_str().ok()).unwrap_or(id)
}

/// About how many bytes a change takes on the wire (see `satchel_proto::wire::change_bytes`,
/// which the server's pull pages are cut by).
fn change_bytes(table: &str, row: &str, column: &str, value: &Value) -> usize {
    let value = match value {
        Value::Text(s) => s.len() + 2,
        Value::Blob(b) => b.len() * 2,
        Value::Null => 4,
        _ => 24,
    };
    // Names, the site and the entity: a row id's length stands for each id.
    value + table.len() + column.len() + 3 * row.len() + 96
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_set_the_schema_version() {
        assert!(migrations().validate().is_ok());
        // One sequence across the store and the modules: 1, 2, 3, ... with no gap or repeat.
        let numbers: Vec<u32> = ordered().iter().map(|m| m.number).collect();
        assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
        let mut c = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut c).unwrap();
        let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v as usize, schema_version());
    }

    /// A record's row keeps its creation entry's number (`insert_sql` writes `_created_seq` for
    /// every table whose rows are records): a table added later needs the column too.
    #[test]
    fn every_record_table_has_the_creation_column() {
        let mut c = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut c).unwrap();
        for t in schema::SYNCED_TABLES.iter() {
            let has: bool = c
                .query_row(&format!("SELECT count(*) FROM pragma_table_info('{}') WHERE name = '_created_seq'", t.name), [], |r| {
                    r.get::<_, i64>(0)
                })
                .unwrap()
                == 1;
            assert_eq!(has, t.is_record(), "{}", t.name);
        }
    }

    fn stamp(ms: u64) -> String {
        Stamp { hlc: Hlc::new(ms, 0), site: "s1".into() }.to_string()
    }

    /// A site other than the stamps' (`s1`), so nothing is left out of the text.
    const OTHER: &str = "s2";
    const T: TableDef = TableDef {
        name: "t",
        code: 127,
        columns: &["a", "b", "c", "kind", "name", "owner", "label", "value", "deleted_at"],
        entity_column: None,
        scope: schema::Scope::Team,
    };

    #[test]
    fn clocks_group_columns_by_the_write_that_set_them() {
        let mut c = Clocks::default();
        for col in ["name", "kind", "owner"] {
            c.set(col, &stamp(1));
        }
        // kind, name and owner are columns 3, 4 and 5: bits 0x38.
        assert_eq!(c.to_text(&T, OTHER), format!("{{\"{}\":\"#38\"}}", stamp(1)));
        c.set("name", &stamp(2));
        c.set("deleted_at", &stamp(3));
        let c = Clocks::parse(&c.to_text(&T, OTHER), &T, OTHER);
        assert_eq!(c.get("kind").unwrap().hlc.wall_ms, 1);
        assert_eq!(c.get("name").unwrap().hlc.wall_ms, 2);
        assert_eq!(c.get("deleted_at").unwrap().hlc.wall_ms, 3);
        assert_eq!(c.get("notes"), None);
        // Moving every column off a stamp drops that stamp's entry.
        let mut c = c;
        c.set("kind", &stamp(2));
        c.set("owner", &stamp(2));
        assert!(!c.to_text(&T, OTHER).contains(&stamp(1)));
    }

    #[test]
    fn clocks_written_as_column_names_read_the_same_and_are_rewritten_as_masks() {
        let old = format!("{{\"{}\":\"kind,name\",\"deleted_at\":\"{}\"}}", stamp(1), stamp(2));
        let c = Clocks::parse(&old, &T, OTHER);
        assert_eq!(c.get("name").unwrap().hlc.wall_ms, 1);
        assert_eq!(c.get("deleted_at").unwrap().hlc.wall_ms, 2);
        assert_eq!(c.get("owner"), None);
        assert_eq!(c.to_text(&T, OTHER), format!("{{\"{}\":\"#18\",\"deleted_at\":\"{}\"}}", stamp(1), stamp(2)));
    }

    #[test]
    fn a_new_rows_clocks_are_the_canonical_text() {
        for cols in [vec!["name", "kind", "owner"], vec!["value", "deleted_at", "label"], vec!["deleted_at"], vec![]] {
            let mut c = Clocks::default();
            for col in &cols {
                c.set(col, &stamp(9));
            }
            assert_eq!(Clocks::for_new_row(&stamp(9), cols.iter().copied(), &T), c.to_text(&T, OTHER), "{cols:?}");
        }
    }

    #[test]
    fn clocks_are_the_same_text_whatever_order_columns_arrive_in() {
        let mut a = Clocks::default();
        let mut b = Clocks::default();
        for col in ["a", "b", "c", "deleted_at"] {
            a.set(col, &stamp(5));
        }
        for col in ["deleted_at", "c", "a", "b"] {
            b.set(col, &stamp(5));
        }
        b.set("kind", &stamp(7));
        a.set("kind", &stamp(7));
        assert_eq!(a.to_text(&T, OTHER), b.to_text(&T, OTHER));
        assert_eq!(Clocks::parse(&a.to_text(&T, OTHER), &T, OTHER).to_text(&T, OTHER), a.to_text(&T, OTHER));
    }

    #[test]
    fn this_databases_own_stamps_are_written_without_its_site() {
        let mut c = Clocks::default();
        c.set("name", &stamp(1));
        c.set("deleted_at", &stamp(1));
        c.set("kind", &Stamp { hlc: Hlc::new(2, 0), site: "elsewhere".into() }.to_string());
        let text = c.to_text(&T, "s1");
        let own = Hlc::new(1, 0).pack();
        assert!(text.contains(&format!("\"{own}\":\"#10\"")), "{text}");
        assert!(text.contains(&format!("\"deleted_at\":\"{own}\"")), "{text}");
        assert!(text.contains("@elsewhere"), "{text}");
        // Read back by the same database, the stamps are whole again.
        let back = Clocks::parse(&text, &T, "s1");
        assert_eq!(back.get("name"), Some(Stamp { hlc: Hlc::new(1, 0), site: "s1".into() }));
        assert_eq!(back.get("deleted_at"), Some(Stamp { hlc: Hlc::new(1, 0), site: "s1".into() }));
        assert_eq!(back.get("kind").unwrap().site, "elsewhere");
        assert_eq!(Clocks::for_new_row(&own.to_string(), ["name", "deleted_at"].into_iter(), &T), {
            let mut n = Clocks::default();
            n.set("name", &stamp(1));
            n.set("deleted_at", &stamp(1));
            n.to_text(&T, "s1")
        });
    }

    #[test]
    fn a_log_entry_escapes_what_people_type() {
        let name = Value::Text("王 \"quoted\" \\ back\nline".into());
        let json = json_object([("name", &name), ("position", &Value::Integer(2)), ("birthday", &Value::Null)].into_iter());
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["name"], "王 \"quoted\" \\ back\nline");
        assert_eq!(parsed["position"], 2);
        assert!(parsed["birthday"].is_null());
    }
}
