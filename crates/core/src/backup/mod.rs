//! Backups of the customer book and restoring one (issue 14, data at rest on the laptop).
//!
//! - **A backup** is one SQLite file, a consistent copy made with `VACUUM INTO` through a
//!   read-only connection: it reads one snapshot while the app goes on writing, and it needs no
//!   claim on the database, so `satchel backup` works while the app has the book open (that is
//!   the point of it). The copy is created readable by this user only (0600) before SQLite
//!   writes into it, in rollback-journal mode so the one file is the whole book.
//! - **Restoring** takes the database's lock (it is refused while a Satchel has the book open),
//!   checks that the file is a Satchel database (`quick_check`, the tables, a schema this version
//!   knows), prepares the copy beside the database, keeps the replaced book as
//!   `<db>.before-restore-<time>`, and renames the copy over the database: the book is either
//!   the old one or the restored one, never half of each.
//! - **Sync after a restore**: the restored book becomes a new device (`store::site`), forgets how
//!   far it had pulled (so it pulls everything again; applying is idempotent, and it gets back
//!   what its old self pushed after the backup), and keeps a clock at least as far as the
//!   replaced book's. What the backup held that the server never got is pushed as usual.
//! - **Automatic backups** (the desktop): into `backups/` beside the database, one a day, kept
//!   for [`keep_days`] days ([`retention`] decides which go).
//!
//! Attachments' bytes (the `attachments/` folder) are not in the file; they are kept by content
//! hash and a restore leaves the folder as it is.

pub mod retention;

use crate::error::{CoreError, FileProblem, Result};
use crate::hlc::Hlc;
use crate::store::cipher::{self, Key};
use crate::store::{self, Store};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The meta key of how many days automatic backups are kept.
pub const KEEP_DAYS: &str = "backup.keep_days";
pub const DEFAULT_KEEP_DAYS: u32 = 14;
/// How often the app makes one.
pub const EVERY_MS: i64 = 24 * 3600 * 1000;

/// One backup file, as the settings list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    /// The file's name in the backups folder (what `restore_backup` takes).
    pub name: String,
    pub path: String,
    /// When it was made, RFC 3339 in UTC.
    pub created_at: String,
    /// Milliseconds since 1970, for sorting and retention. (A plain `number` in TypeScript:
    /// exact up to 2^53, far past any date or file size here.)
    #[specta(type = u32)]
    pub created_ms: i64,
    /// Bytes.
    #[specta(type = u32)]
    pub size: u64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Where the book that was replaced is kept (none when there was no database yet).
    pub replaced: Option<PathBuf>,
    /// The restored book's identity for sync, old and new.
    pub old_site: String,
    pub new_site: String,
}

/// `backups/` beside the database.
pub fn folder(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

fn stem(db: &Path) -> String {
    db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "satchel".into())
}

/// The name of an automatic backup of `db` made at `ms`: `<db name>-<UTC time>.db`.
pub fn file_name(db: &Path, ms: i64) -> String {
    let t = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    format!("{}-{}.db", stem(db), t.format("%Y%m%d-%H%M%S"))
}

/// The time in an automatic backup's name, if `name` is one of `db`'s.
fn time_in_name(db: &Path, name: &str) -> Option<i64> {
    let rest = name.strip_prefix(&format!("{}-", stem(db)))?.strip_suffix(".db")?;
    let t = chrono::NaiveDateTime::parse_from_str(rest, "%Y%m%d-%H%M%S").ok()?;
    Some(t.and_utc().timestamp_millis())
}

fn info(path: &Path, created_ms: i64) -> Result<BackupInfo> {
    let size = std::fs::metadata(path)?.len();
    let created_at =
        chrono::DateTime::from_timestamp_millis(created_ms).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Ok(BackupInfo {
        name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        path: path.display().to_string(),
        created_at,
        created_ms,
        size,
    })
}

/// `db`'s backups in its backups folder, newest first.
pub fn list(db: &Path) -> Result<Vec<BackupInfo>> {
    let dir = folder(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(ms) = time_in_name(db, &name) {
            out.push(info(&entry.path(), ms)?);
        }
    }
    out.sort_by(|a, b| b.created_ms.cmp(&a.created_ms).then_with(|| b.name.cmp(&a.name)));
    Ok(out)
}

/// Creates `path` empty and readable by this user only, so SQLite writes the copy into it.
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?;
    Ok(())
}

pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Removes a book's write-ahead log, shared memory and journal before another file is renamed
/// over it (a restore, an encryption): they would be read as the new file's. The caller holds the
/// claim and has checkpointed, so the log holds nothing.
pub(crate) fn remove_sidecars(db: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm", "-journal"] {
        match std::fs::remove_file(with_suffix(db, suffix)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}

pub(crate) fn sync_dir(path: &Path) {
    // Makes the rename itself durable; not possible (nor needed) on every platform.
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

fn read_only(path: &Path, key: Option<&Key>) -> Result<Connection> {
    let c = cipher::open(path, Some(OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX), key)?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(c)
}

/// Copies the database at `from` into the new file `to` (0600) as one consistent snapshot,
/// in rollback-journal mode, flushed to disk. `to` must not exist. An encrypted book (`key`)
/// gives an encrypted copy with the same key: `VACUUM INTO` from a keyed connection writes the
/// copy through the same cipher.
fn snapshot(from: &Path, to: &Path, key: Option<&Key>) -> Result<()> {
    create_private(to)?;
    let copied = (|| -> Result<()> {
        let src = read_only(from, key)?;
        src.execute("VACUUM INTO ?1", [to.to_string_lossy()])?;
        drop(src);
        let dst = cipher::open(to, None, key)?;
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        drop(dst);
        std::fs::File::open(to)?.sync_all()?;
        Ok(())
    })();
    if copied.is_err() {
        let _ = std::fs::remove_file(to);
    }
    copied
}

/// Writes a consistent copy of the database at `db` to `out` (refused if `out` exists), while
/// the app may have it open and be writing. Written to `<out>.partial` and renamed, so `out` is
/// never half a book.
pub fn create(db: &Path, out: &Path) -> Result<BackupInfo> {
    if !db.is_file() {
        return Err(CoreError::File(FileProblem::NoDatabase(db.display().to_string())));
    }
    if out.exists() {
        return Err(CoreError::File(FileProblem::Exists(out.display().to_string())));
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let partial = with_suffix(out, ".partial");
    let _ = std::fs::remove_file(&partial); // left by a backup that was killed
    let key = cipher::key_for(db, db)?;
    snapshot(db, &partial, key.as_ref())?;
    std::fs::rename(&partial, out)?;
    sync_dir(out);
    info(out, crate::store::now_ms() as i64)
}

/// Makes a backup of `db` into its backups folder now.
pub fn create_in_folder(db: &Path, now_ms: i64) -> Result<BackupInfo> {
    let out = folder(db).join(file_name(db, now_ms));
    let mut made = create(db, &out)?;
    made.created_ms = time_in_name(db, &made.name).unwrap_or(now_ms);
    Ok(made)
}

/// The app's daily backup: made when the newest is older than a day (or there is none), then
/// backups past the kept days are deleted. Returns the new backup, if one was made.
pub fn daily(db: &Path, keep_days: u32, now_ms: i64) -> Result<Option<BackupInfo>> {
    let existing = list(db)?;
    let due = existing.first().is_none_or(|b| now_ms - b.created_ms >= EVERY_MS);
    let made = if due { Some(create_in_folder(db, now_ms)?) } else { None };
    prune(db, keep_days, now_ms)?;
    Ok(made)
}

/// Deletes the backups retention gives up (see [`retention::to_delete`]).
pub fn prune(db: &Path, keep_days: u32, now_ms: i64) -> Result<Vec<String>> {
    let all = list(db)?;
    let gone = retention::to_delete(&all.iter().map(|b| (b.name.clone(), b.created_ms)).collect::<Vec<_>>(), keep_days, now_ms);
    for name in &gone {
        std::fs::remove_file(folder(db).join(name))?;
        log::info!("backup {name} deleted: older than {keep_days} days");
    }
    Ok(gone)
}

/// How many days automatic backups are kept (a setting of the book, in `meta`).
pub fn keep_days(store: &Store) -> Result<u32> {
    Ok(store.meta(KEEP_DAYS)?.and_then(|v| v.parse().ok()).filter(|d| *d >= 1).unwrap_or(DEFAULT_KEEP_DAYS))
}

pub fn set_keep_days(store: &Store, days: u32) -> Result<()> {
    if !(1..=3650).contains(&days) {
        return Err(CoreError::invalid("keepDays", crate::error::Invalid::OutOfRange { min: 1, max: 3650 }));
    }
    store.set_meta(&[(KEEP_DAYS, Some(days.to_string()))])
}

/// Refuses a file that is not a whole Satchel database this version can open.
/// An encrypted file is read with `db`'s key (the book it would replace; backups of an encrypted
/// book have its key); without that key it is refused as [`CoreError::KeyMissing`].
pub fn check(db: &Path, file: &Path) -> Result<()> {
    let not_backup = || CoreError::File(FileProblem::NotBackup(file.display().to_string()));
    if !file.is_file() {
        return Err(not_backup());
    }
    let key = cipher::key_for(db, file)?;
    let c = read_only(file, key.as_ref()).map_err(|_| not_backup())?;
    let verdict: String = c.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(|_| not_backup())?;
    if verdict != "ok" {
        return Err(not_backup());
    }
    let tables: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('meta', 'change_log', 'customers', 'sites')",
            [],
            |r| r.get(0),
        )
        .map_err(|_| not_backup())?;
    let site: Option<String> = if tables == 4 {
        c.query_row("SELECT value FROM meta WHERE key = 'site_id'", [], |r| r.get(0)).optional().map_err(|_| not_backup())?
    } else {
        None
    };
    if site.is_none() {
        return Err(not_backup());
    }
    let found = c.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize;
    if found > store::schema_version() {
        return Err(CoreError::SchemaTooNew { path: file.to_path_buf(), found, supported: store::schema_version() });
    }
    Ok(())
}

/// The claim every Satchel holds on `<db>.lock` while it has the book open (`Store::open`).
pub(crate) fn claim(db: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(with_suffix(db, ".lock"))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(CoreError::InUse { path: db.to_path_buf() }),
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// Sync state of a book that matters to a restore.
#[derive(Default)]
struct SyncFacts {
    site: Option<String>,
    server: Option<String>,
    pushed: i64,
    clock: Hlc,
}

fn sync_facts(c: &Connection) -> Result<SyncFacts> {
    let meta =
        |k: &str| -> Result<Option<String>> { Ok(c.query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0)).optional()?) };
    let stored = meta("hlc")?.and_then(|v| v.parse().ok()).map(Hlc::unpack).unwrap_or_default();
    let logged: Option<i64> = c.query_row("SELECT max(hlc) FROM change_log", [], |r| r.get(0))?;
    Ok(SyncFacts {
        site: meta("site_id")?,
        server: meta(crate::sync::SERVER_ID)?,
        pushed: meta(crate::sync::PUSHED)?.and_then(|v| v.parse().ok()).unwrap_or(0),
        clock: stored.max(logged.map(Hlc::unpack).unwrap_or_default()),
    })
}

/// Replaces the book at `db` with the backup `from` (see the module's notes). Refused while any
/// Satchel has `db` open; on any error before the final rename the book is as it was.
pub fn restore(db: &Path, from: &Path, now_ms: i64) -> Result<Restored> {
    check(db, from)?;
    let from_key = cipher::key_for(db, from)?;
    let _claim = claim(db)?;
    let stamp = chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_default().format("%Y%m%d-%H%M%S");
    // The book being replaced: its WAL folded in, kept beside it, and what it knew of sync.
    let mut current = SyncFacts::default();
    let mut replaced = None;
    if db.is_file() {
        let db_key = cipher::key_for(db, db).ok().flatten();
        if let Ok(c) = cipher::open(db, None, db_key.as_ref()) {
            let _ = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            current = sync_facts(&c).unwrap_or_default();
        }
        let keep = with_suffix(db, &format!(".before-restore-{stamp}"));
        let _ = std::fs::remove_file(&keep);
        if snapshot(db, &keep, db_key.as_ref()).is_err() {
            // A damaged book (the likely reason for restoring) is kept as its bytes.
            std::fs::copy(db, &keep)?;
        }
        replaced = Some(keep);
    }
    let temp = with_suffix(db, ".restoring");
    let _ = std::fs::remove_file(&temp);
    snapshot(from, &temp, from_key.as_ref())?;
    let prepared = (|| -> Result<(String, String)> {
        let mut c = cipher::open(&temp, None, from_key.as_ref())?;
        let backup = sync_facts(&c)?;
        // Entries of the backup that its device pushed after the backup was made are in the
        // replaced book's log under the same numbers (the log only grows) and behind its cursor.
        let same_device = backup.site.is_some() && backup.site == current.site && backup.server == current.server;
        let pushed = if same_device { backup.pushed.max(current.pushed) } else { backup.pushed };
        let sites = store::site::take_new_site(&mut c, pushed)?;
        let clock = backup.clock.max(current.clock);
        c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?1)", [clock.pack().to_string()])?;
        c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", [crate::sync::PUSHED, &pushed.to_string()])?;
        c.execute("DELETE FROM meta WHERE key = ?1", [crate::sync::PULLED])?;
        drop(c);
        std::fs::File::open(&temp)?.sync_all()?;
        Ok(sites)
    })();
    let (old_site, new_site) = match prepared {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
    };
    // The old book's WAL and shared memory would be read as the new file's: they go first (the
    // WAL is empty after the checkpoint, and the claim keeps every Satchel out).
    remove_sidecars(db)?;
    std::fs::rename(&temp, db)?;
    sync_dir(db);
    log::info!("restored {} from {} (sync identity {old_site} -> {new_site})", db.display(), from.display());
    Ok(Restored { replaced, old_site, new_site })
}

/// The app restores at its next start, when no Satchel has the book open: the backup to restore
/// is noted in `<db>.restore-pending` until then.
fn pending_marker(db: &Path) -> PathBuf {
    with_suffix(db, ".restore-pending")
}

/// Notes that `from` is to replace the book at the app's next start (after checking it).
pub fn restore_at_next_start(db: &Path, from: &Path) -> Result<()> {
    check(db, from)?;
    let marker = pending_marker(db);
    let temp = with_suffix(&marker, ".tmp");
    std::fs::write(&temp, from.to_string_lossy().as_bytes())?;
    std::fs::rename(&temp, &marker)?;
    Ok(())
}

/// Runs a restore noted by [`restore_at_next_start`], if any: at start-up, before the book is
/// opened. The Satchel that asked for it may still be closing, so its claim is waited for (up to
/// `wait`). The note is removed whatever happens, so a failing restore is tried once.
pub fn finish_pending(db: &Path, now_ms: i64, wait: std::time::Duration) -> Option<Result<Restored>> {
    let marker = pending_marker(db);
    let from = PathBuf::from(std::fs::read_to_string(&marker).ok()?);
    let started = std::time::Instant::now();
    let result = loop {
        match restore(db, &from, now_ms) {
            Err(CoreError::InUse { .. }) if started.elapsed() < wait => std::thread::sleep(std::time::Duration::from_millis(100)),
            other => break other,
        }
    };
    let _ = std::fs::remove_file(&marker);
    Some(result)
}
