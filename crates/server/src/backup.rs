//! Backing up the SQLite data directory while the server serves it, and restoring a backup
//! (issue 14; `satchel-server backup --out FILE`, `satchel-server restore FILE`).
//!
//! - **A backup** is one SQLite file: a consistent copy made with `VACUUM INTO` through a
//!   read-only connection, which reads one snapshot while the server goes on writing (WAL). It
//!   is written to `FILE.partial` (created 0600 before SQLite writes into it) and linked to
//!   `FILE` only when whole, so `FILE` is never half a database and an existing `FILE` is never
//!   replaced.
//! - **Restoring** checks the file is a satchel-server database this version can open, takes the
//!   data directory's lock exclusively (every command on the directory holds it shared while it
//!   runs, `serve` for as long as it serves, so a restore is refused while a server serves), keeps
//!   the replaced database as `satchel-server.db.before-restore-<time>`, prepares the copy beside
//!   it with a **new epoch** and renames it in: the database is the old one or the restored one,
//!   never half of each.
//! - **The epoch** ([`crate::storage::Storage::epoch`]) is what tells laptops the server went
//!   back in time: the sequence numbers they pulled up to and the changes the server acknowledged
//!   no longer hold, so each laptop pushes every change it ever made again (the server keeps each
//!   once) and pulls everything again.
//!
//! PostgreSQL databases are backed up with `pg_dump` and restored with `pg_restore`, followed by
//! `satchel-server --database URL new-epoch` (docs/server.md).

use crate::sqlite::SqliteStorage;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// `<name><suffix>` beside `path`.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The lock file of a data directory: `satchel-server.db.lock`.
pub fn lock_file(dir: &Path) -> PathBuf {
    with_suffix(&SqliteStorage::file(dir), ".lock")
}

/// A hold on a data directory's lock file, released when dropped (or when the process ends).
pub struct Claim(#[allow(dead_code)] std::fs::File);

fn open_lock(dir: &Path) -> Result<std::fs::File, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let path = lock_file(dir);
    options.open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))
}

/// The shared hold every command but `restore` takes on the data directory while it runs
/// (`serve` for as long as it serves): several may hold it at once; a restore may not run then.
pub fn claim_shared(dir: &Path) -> Result<Claim, String> {
    let file = open_lock(dir)?;
    match file.try_lock_shared() {
        Ok(()) => Ok(Claim(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!("a restore of {} is running; try again when it is done", dir.display())),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", lock_file(dir).display())),
    }
}

/// The exclusive hold a restore takes: refused while a server serves the directory, or any other
/// command runs on it.
pub fn claim_exclusive(dir: &Path) -> Result<Claim, String> {
    let file = open_lock(dir)?;
    match file.try_lock() {
        Ok(()) => Ok(Claim(file)),
        Err(std::fs::TryLockError::WouldBlock) => {
            Err(format!("a satchel-server is serving {} (or another command is using it): stop it first, then restore", dir.display()))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", lock_file(dir).display())),
    }
}

/// Creates `path` empty and readable by this user only; an existing file is refused.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

fn read_only(path: &Path) -> rusqlite::Result<Connection> {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(c)
}

/// Makes a rename or a link durable (not possible, nor needed, everywhere).
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// Copies the database at `from` into the new file `to` (0600; refused if it exists) as one
/// consistent snapshot, in rollback-journal mode (the one file is the whole database), flushed
/// to disk. Nothing is left at `to` when it fails.
fn snapshot(from: &Path, to: &Path) -> Result<(), String> {
    create_private(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let copied = (|| -> rusqlite::Result<()> {
        let src = read_only(from)?;
        src.execute("VACUUM INTO ?1", [to.to_string_lossy()])?;
        drop(src);
        let dst = Connection::open(to)?;
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    })()
    .map_err(|e| format!("cannot copy {}: {e}", from.display()))
    .and_then(|()| std::fs::File::open(to).and_then(|f| f.sync_all()).map_err(|e| format!("cannot write {}: {e}", to.display())));
    if copied.is_err() {
        let _ = std::fs::remove_file(to);
    }
    copied
}

/// Writes a consistent copy of the data directory's database to `out` while servers may be
/// serving it (refused if `out` exists); returns its size in bytes.
pub fn backup(dir: &Path, out: &Path) -> Result<u64, String> {
    let db = SqliteStorage::file(dir);
    if !db.is_file() {
        return Err(format!("no database in {} (run `satchel-server --data {} init` first)", dir.display(), dir.display()));
    }
    let exists = || format!("{} already exists; give the backup a new file name", out.display());
    if out.symlink_metadata().is_ok() {
        return Err(exists());
    }
    if let Some(parent) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let partial = with_suffix(out, ".partial");
    let _ = std::fs::remove_file(&partial); // left by a backup that was killed
    snapshot(&db, &partial)?;
    // A link, unlike a rename, never replaces a file made meanwhile.
    let placed = match std::fs::hard_link(&partial, out) {
        Ok(()) => std::fs::remove_file(&partial).map_err(|e| format!("cannot remove {}: {e}", partial.display())),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists()),
        // A file system without hard links.
        Err(_) if out.symlink_metadata().is_err() => {
            std::fs::rename(&partial, out).map_err(|e| format!("cannot rename {}: {e}", partial.display()))
        }
        Err(_) => Err(exists()),
    };
    if placed.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    placed?;
    sync_dir(out);
    std::fs::metadata(out).map(|m| m.len()).map_err(|e| e.to_string())
}

/// What a database file holds that a restore needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub server_id: String,
    pub epoch: Option<String>,
}

fn facts(c: &Connection) -> rusqlite::Result<Facts> {
    let meta = |k: &str| c.query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get::<_, String>(0)).optional();
    Ok(Facts { server_id: meta("server_id")?.unwrap_or_default(), epoch: meta("epoch")? })
}

/// Refuses a file that is not a whole satchel-server database this version can open.
pub fn check(file: &Path) -> Result<Facts, String> {
    let not_server = || format!("{} is not a satchel-server database (a file `backup --out` wrote)", file.display());
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    let c = read_only(file).map_err(|_| not_server())?;
    let verdict: String = c.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(|_| not_server())?;
    if verdict != "ok" {
        return Err(format!("{} is damaged ({verdict})", file.display()));
    }
    let tables: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('meta', 'users', 'tokens', 'changes', 'sites', 'entities')",
            [],
            |r| r.get(0),
        )
        .map_err(|_| not_server())?;
    if tables != 6 {
        return Err(not_server());
    }
    let facts = facts(&c).map_err(|_| not_server())?;
    if facts.server_id.is_empty() {
        return Err(not_server());
    }
    let found: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|_| not_server())?;
    if found > crate::sqlite::schema_version() {
        return Err(format!(
            "{} has schema version {found}, newer than this satchel-server's ({}): restore it with a newer satchel-server",
            file.display(),
            crate::sqlite::schema_version()
        ));
    }
    Ok(facts)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The database it replaced, kept here (none when the directory had none).
    pub replaced: Option<PathBuf>,
    /// The replaced database's server id, when there was one.
    pub replaced_server_id: Option<String>,
    /// The restored database's server id (the backup's).
    pub server_id: String,
    /// Its new epoch.
    pub epoch: String,
}

/// Replaces the data directory's database with the backup `from`, giving it a new epoch (see
/// the module's notes). Refused while a server serves the directory. `stamp` names the kept
/// database (`satchel-server.db.before-restore-<stamp>`). On any error before the final rename
/// the directory is as it was (but for the kept copy).
pub fn restore(dir: &Path, from: &Path, stamp: &str) -> Result<Restored, String> {
    let backup = check(from)?;
    let _claim = claim_exclusive(dir)?;
    let db = SqliteStorage::file(dir);
    let mut replaced = None;
    let mut replaced_server_id = None;
    if db.is_file() {
        // Its WAL folded in, so the kept copy and the old file agree.
        if let Ok(c) = Connection::open(&db) {
            let _ = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            replaced_server_id = facts(&c).ok().map(|f| f.server_id).filter(|s| !s.is_empty());
        }
        let mut keep = with_suffix(&db, &format!(".before-restore-{stamp}"));
        let mut n = 1;
        while keep.symlink_metadata().is_ok() {
            n += 1;
            keep = with_suffix(&db, &format!(".before-restore-{stamp}-{n}"));
        }
        if snapshot(&db, &keep).is_err() {
            // A damaged database (the likely reason for restoring) is kept as its bytes.
            create_private(&keep).map_err(|e| format!("cannot create {}: {e}", keep.display()))?;
            std::fs::copy(&db, &keep).map_err(|e| format!("cannot keep {} as {}: {e}", db.display(), keep.display()))?;
        }
        replaced = Some(keep);
    }
    let temp = with_suffix(&db, ".restoring");
    let _ = std::fs::remove_file(&temp);
    snapshot(from, &temp)?;
    let epoch = crate::storage::fresh_epoch();
    let prepared = (|| -> Result<(), String> {
        let c = Connection::open(&temp).map_err(|e| e.to_string())?;
        c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('epoch', ?1)", [&epoch]).map_err(|e| e.to_string())?;
        drop(c);
        std::fs::File::open(&temp).and_then(|f| f.sync_all()).map_err(|e| e.to_string())
    })();
    if let Err(e) = prepared {
        let _ = std::fs::remove_file(&temp);
        return Err(format!("cannot prepare the restored database: {e}"));
    }
    // The old database's WAL and shared memory would be read as the new file's: they go first
    // (the WAL is empty after the checkpoint, and the claim keeps every server out).
    for suffix in ["-wal", "-shm", "-journal"] {
        match std::fs::remove_file(with_suffix(&db, suffix)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                let _ = std::fs::remove_file(&temp);
                return Err(format!("cannot remove {}{suffix}: {e}", db.display()));
            }
            _ => {}
        }
    }
    std::fs::rename(&temp, &db).map_err(|e| format!("cannot rename {} to {}: {e}", temp.display(), db.display()))?;
    sync_dir(&db);
    Ok(Restored { replaced, replaced_server_id, server_id: backup.server_id, epoch })
}
