//! Encryption of the local database at rest (issue 14): SQLCipher (rusqlite's
//! `bundled-sqlcipher`), with a random 32-byte key per database kept in the OS secret store.
//!
//! - **Off by default.** A new book is plain SQLite (SQLCipher without a key is SQLite).
//!   `satchel --db PATH encrypt` (or the desktop's "Encrypt this book") converts one in place,
//!   see [`encrypt`].
//! - **Which books are encrypted** is read from the file itself: a plain SQLite file starts with
//!   `SQLite format 3\0`, a SQLCipher file starts with its random salt ([`is_encrypted`]). Only
//!   the wording of a refusal needs more: without the key, random bytes may be an encrypted book
//!   or a damaged file, and `<db>.encrypted` ([`marker_file`], written when encrypting, no secret
//!   in it) says it is the former ("its key is missing", not "damaged").
//! - **The key** is 32 random bytes, given to SQLCipher as a raw key (`PRAGMA key = "x'<hex>'"`,
//!   no passphrase derivation), the first statement on every connection to the book: the write
//!   and read connections of [`super::Store`], and those `backup/` opens.
//! - **Where the key is kept**: the OS secret store (keyring crate, feature `os-keyring`), entry
//!   service [`SERVICE`], account = the database's canonical path. `SATCHEL_TOKEN_STORE=file`
//!   (the tests, or a machine without a secret store by the user's explicit choice) keeps it in
//!   `<db>.key` instead, created 0600. That is **much weaker**: the key then sits beside the
//!   database, so anyone who can copy the folder as this user can read the book; it only protects
//!   a copy of the `.db` file alone. Without the variable and without a secret store, encrypting
//!   is refused rather than silently keeping the key beside the book.
//! - **Backups** of an encrypted book are made through a keyed connection, so `VACUUM INTO`
//!   writes them encrypted with the same key; restoring one needs that key (the book's).
//! - **Losing the key loses the book.** There is no recovery; keep unencrypted exports or make
//!   sure the secret store itself is backed up.

use crate::error::{CoreError, FileProblem, Result};
use crate::sync::token::os;
use rusqlite::{Connection, OpenFlags};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The secret store's service name for database keys (the account is the database's path).
pub const SERVICE: &str = "satchel-db";

/// The first 16 bytes of every plain SQLite database.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A database key: 32 random bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    pub fn generate() -> Result<Self> {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).map_err(|e| CoreError::Internal(format!("no randomness for a database key: {e}")))?;
        Ok(Key(b))
    }

    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn parse(hex: &str) -> Option<Self> {
        let hex = hex.trim();
        if hex.len() != 64 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let mut b = [0u8; 32];
        for (i, out) in b.iter_mut().enumerate() {
            *out = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Key(b))
    }

    /// The key as SQLCipher takes a raw key: `x'<64 hex>'` (the text inside the quotes of
    /// `PRAGMA key = "..."`, or the value of `ATTACH ... KEY`).
    pub fn sql_value(&self) -> String {
        format!("x'{}'", self.hex())
    }
}

/// Where a database's key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPlace {
    Keyring,
    /// `<db>.key`, 0600: weaker, see the module notes.
    File,
}

/// Whether the file at `path` is an encrypted (SQLCipher) database: instead of plain SQLite's
/// header it starts with SQLCipher's salt (16 random bytes), and it is whole pages long. A
/// missing or empty file is not, nor one that starts with anything but random bytes (a damaged
/// or foreign file, which is then refused as not a Satchel database, not as a missing key).
pub fn is_encrypted(path: &Path) -> bool {
    let mut head = [0u8; 16];
    let Ok(mut f) = std::fs::File::open(path) else { return false };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    if f.read_exact(&mut head).is_err() || &head == SQLITE_HEADER || len % 512 != 0 {
        return false;
    }
    // Sixteen random bytes have fewer than 8 different values about once in 10^12.
    let mut seen = std::collections::BTreeSet::new();
    seen.extend(head);
    seen.len() >= 8
}

/// `<db>.key`, the weaker file fallback.
pub fn key_file(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".key");
    PathBuf::from(s)
}

fn file_wanted() -> bool {
    std::env::var("SATCHEL_TOKEN_STORE").as_deref() == Ok("file")
}

/// Where a new key would go: the file only when asked for (`SATCHEL_TOKEN_STORE=file`), else the
/// OS secret store if this build and session have one; otherwise encrypting is refused.
pub fn place_for_new_key(db: &Path) -> Result<KeyPlace> {
    if file_wanted() {
        Ok(KeyPlace::File)
    } else if crate::sync::token::keyring_wanted() {
        Ok(KeyPlace::Keyring)
    } else {
        Err(CoreError::NoSecretStore { path: db.to_path_buf() })
    }
}

/// The database's key, from the secret store or the file (in that order).
pub fn load(db: &Path) -> Option<Key> {
    let from_os = if !file_wanted() && crate::sync::token::keyring_wanted() {
        os::load(SERVICE, db, "the database key").and_then(|t| Key::parse(&t))
    } else {
        None
    };
    from_os.or_else(|| std::fs::read_to_string(key_file(db)).ok().and_then(|s| Key::parse(&s)))
}

/// Keeps the key in `place`.
pub fn save(db: &Path, key: &Key, place: KeyPlace) -> Result<()> {
    match place {
        KeyPlace::Keyring => os::save(SERVICE, db, &key.hex()).map_err(|why| {
            log::warn!("the OS secret store did not take the database key: {why}");
            CoreError::NoSecretStore { path: db.to_path_buf() }
        }),
        KeyPlace::File => {
            let path = key_file(db);
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            let mut f = opts.open(&path)?;
            f.write_all(key.hex().as_bytes())?;
            f.sync_all()?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            }
            Ok(())
        }
    }
}

/// `<db>.encrypted`: a note (no secret in it) that this computer encrypted the book. Without
/// the key an encrypted file and a damaged one look the same (random bytes); with the note the
/// user is told the key is missing, without it that the file is not a Satchel database.
pub fn marker_file(db: &Path) -> PathBuf {
    crate::backup::with_suffix(db, ".encrypted")
}

/// The key `file` needs, if it is encrypted: `db`'s (a backup of `db` is encrypted with the
/// book's key). A file that is not plain SQLite and has no key is refused naming the database
/// as [`CoreError::KeyMissing`] when the book is known to be encrypted ([`marker_file`]);
/// otherwise SQLite is left to refuse it as not a database.
pub fn key_for(db: &Path, file: &Path) -> Result<Option<Key>> {
    if !is_encrypted(file) {
        return Ok(None);
    }
    match load(db) {
        Some(k) => Ok(Some(k)),
        None if marker_file(db).exists() => Err(CoreError::KeyMissing { path: db.to_path_buf() }),
        None => Ok(None),
    }
}

/// Gives the connection its key; must be the first statement on it.
pub fn apply(conn: &Connection, key: Option<&Key>) -> rusqlite::Result<()> {
    if let Some(k) = key {
        // SQLCipher logs its own warnings to standard error by default (a wrong key's "hmac
        // check failed" before the CLI's message): the error it returns says enough, and is
        // logged in the app's log. (A process-wide setting, after the key.)
        conn.execute_batch(&format!("PRAGMA key = \"{}\"; PRAGMA cipher_log_level = NONE;", k.sql_value()))?;
    }
    Ok(())
}

/// Opens a connection and gives it the key before anything else.
pub fn open(path: &Path, flags: Option<OpenFlags>, key: Option<&Key>) -> rusqlite::Result<Connection> {
    let c = match flags {
        Some(f) => Connection::open_with_flags(path, f)?,
        None => Connection::open(path)?,
    };
    apply(&c, key)?;
    Ok(c)
}

/// What [`encrypt`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encrypted {
    /// The book is encrypted now; its key is in `place`.
    Done { place: KeyPlace, customers: i64 },
    /// It was already.
    Already,
}

/// Converts the plain book at `db` into an encrypted one in place, the key going to
/// [`place_for_new_key`]. Refused while any Satchel has the book open (its claim).
///
/// Steps: the WAL folded in; a new key, stored first (a key without a book harms nothing, a book
/// without its key is lost); `sqlcipher_export` into `<db>.encrypting` (0600) with the schema
/// version copied; that copy opened with the key and checked (`quick_check`, the customer
/// count); flushed; renamed over the book (atomic: the path is the plain book or the encrypted
/// one). The plain file, kept meanwhile as `<db>.before-encrypt` (a second name of the same
/// file), is then overwritten with zeros, flushed and deleted: a plaintext copy left behind
/// would defeat the point. (On an SSD or a copy-on-write file system the old blocks may survive
/// the overwrite; and backups made before encrypting stay plain: the caller says so.)
pub fn encrypt(db: &Path) -> Result<Encrypted> {
    let place = place_for_new_key(db)?;
    encrypt_with(db, place)
}

pub fn encrypt_with(db: &Path, place: KeyPlace) -> Result<Encrypted> {
    if !db.is_file() {
        return Err(CoreError::File(FileProblem::NoDatabase(db.display().to_string())));
    }
    let _claim = crate::backup::claim(db)?;
    if is_encrypted(db) {
        return match load(db) {
            Some(_) => Ok(Encrypted::Already),
            None if marker_file(db).exists() => Err(CoreError::KeyMissing { path: db.to_path_buf() }),
            None => Err(CoreError::Corrupt { path: db.to_path_buf(), detail: "not plain SQLite and no key".into() }),
        };
    }
    let temp = crate::backup::with_suffix(db, ".encrypting");
    let _ = std::fs::remove_file(&temp); // left by an attempt that was killed
    let plain = Connection::open(db)?;
    plain.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let verdict: String = plain.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
    if verdict != "ok" {
        return Err(CoreError::Corrupt { path: db.to_path_buf(), detail: verdict });
    }
    let version: i64 = plain.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let customers: i64 = plain.query_row("SELECT count(*) FROM customers", [], |r| r.get(0)).unwrap_or(0);

    let key = Key::generate()?;
    save(db, &key, place)?;
    std::fs::write(
        marker_file(db),
        format!(
            "This Satchel book is encrypted (SQLCipher); its key is kept in {}.\n",
            match place {
                KeyPlace::Keyring => "the OS secret store (service satchel-db)",
                KeyPlace::File => "the .key file beside it",
            }
        ),
    )?;

    let made = (|| -> Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(&temp)?;
        plain.execute("ATTACH DATABASE ?1 AS encrypted KEY ?2", [temp.to_string_lossy().into_owned(), key.sql_value()])?;
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        plain.execute_batch(&format!("PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"))?;
        // The copy, as the next open will see it.
        let check = open(&temp, None, Some(&key))?;
        let verdict: String = check.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
        let count: i64 = check.query_row("SELECT count(*) FROM customers", [], |r| r.get(0)).unwrap_or(0);
        let got: i64 = check.pragma_query_value(None, "user_version", |r| r.get(0))?;
        drop(check);
        if verdict != "ok" || count != customers || got != version || !is_encrypted(&temp) {
            return Err(CoreError::Internal(format!(
                "the encrypted copy did not check out ({verdict}, {count} of {customers} customers, schema {got})"
            )));
        }
        std::fs::File::open(&temp)?.sync_all()?;
        Ok(())
    })();
    drop(plain);
    if let Err(e) = made {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    // The WAL is empty after the checkpoint; an old -wal/-shm must not be read as the new file's.
    crate::backup::remove_sidecars(db)?;
    let aside = crate::backup::with_suffix(db, ".before-encrypt");
    let _ = std::fs::remove_file(&aside);
    let linked = std::fs::hard_link(db, &aside).is_ok();
    if !linked {
        std::fs::rename(db, &aside)?;
    }
    std::fs::rename(&temp, db)?;
    crate::backup::sync_dir(db);
    scrub(&aside)?;
    // The indexes' snapshots hold the book's names, contacts and records in the clear too.
    for snapshot in [crate::customers::snapshot::path_for(db), crate::search::snapshot::RECORDS.path_for(db)] {
        if snapshot.exists() {
            scrub(&snapshot)?;
        }
    }
    crate::backup::sync_dir(db);
    log::info!("encrypted {} ({customers} customers); its key is in {place:?}", db.display());
    Ok(Encrypted::Done { place, customers })
}

/// The desktop encrypts at its next start, when no Satchel has the book open (as a restore
/// does): the wish is noted in `<db>.encrypt-pending` until then.
fn pending_marker(db: &Path) -> PathBuf {
    crate::backup::with_suffix(db, ".encrypt-pending")
}

/// Notes that the book is to be encrypted at the app's next start. Refused at once where no
/// secret store could keep the key, so the user hears it now and not after a restart.
pub fn encrypt_at_next_start(db: &Path) -> Result<()> {
    place_for_new_key(db)?;
    if is_encrypted(db) {
        return Ok(());
    }
    let marker = pending_marker(db);
    let temp = crate::backup::with_suffix(&marker, ".tmp");
    std::fs::write(&temp, b"encrypt\n")?;
    std::fs::rename(&temp, &marker)?;
    Ok(())
}

/// Runs an encryption noted by [`encrypt_at_next_start`], if any: at start-up, before the book
/// is opened, waiting up to `wait` for the Satchel that asked to let go of the book. The note is
/// removed whatever happens, so a failing encryption is tried once.
pub fn finish_pending(db: &Path, wait: std::time::Duration) -> Option<Result<Encrypted>> {
    let marker = pending_marker(db);
    if !marker.exists() {
        return None;
    }
    let started = std::time::Instant::now();
    let result = loop {
        match encrypt(db) {
            Err(CoreError::InUse { .. }) if started.elapsed() < wait => std::thread::sleep(std::time::Duration::from_millis(100)),
            other => break other,
        }
    };
    let _ = std::fs::remove_file(&marker);
    Some(result)
}

/// Overwrites a file with zeros, flushes it and deletes it.
fn scrub(path: &Path) -> Result<()> {
    let len = std::fs::metadata(path)?.len();
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    f.seek(std::io::SeekFrom::Start(0))?;
    let zeros = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        f.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    f.sync_all()?;
    drop(f);
    std::fs::remove_file(path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_from_its_hex() {
        let k = Key::generate().unwrap();
        assert_eq!(Key::parse(&k.hex()), Some(k.clone()));
        assert_eq!(k.sql_value().len(), 67);
        assert!(Key::parse("abc").is_none());
        assert_ne!(Key::generate().unwrap(), k);
    }
}
