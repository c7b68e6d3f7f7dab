//! Where the device token is kept: the OS secret store when there is one (Secret Service — GNOME
//! Keyring, KWallet, KeePassXC — on Linux, Keychain on macOS, Credential Manager on Windows),
//! otherwise a file beside the database that only its user can read (mode 0600),
//! `<database>.sync-token`.
//!
//! Which one is decided when the token is saved, and recorded in the database's meta
//! (`sync.token_place`) so the app can say where it went without asking the store again:
//! - `SATCHEL_TOKEN_STORE=file` always uses the file; `=keyring` always tries the secret store.
//! - Otherwise (auto), on Linux the secret store is tried only when the session has a D-Bus
//!   (`DBUS_SESSION_BUS_ADDRESS`): without it libdbus would autolaunch a bus of its own, which on a
//!   server or in a terminal without a desktop session is never what the user meant.
//! - A store that is there but refuses (no Secret Service on the bus, a keyring the user would not
//!   unlock) falls back to the file, and the log says why.
//!
//! Each sync reads the token, so the token is cached in memory after the first read: asking the
//! keyring every 2 s would be a D-Bus round trip each time, and a prompt each time it is locked.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use serde::{Deserialize, Serialize};
use specta::Type;

/// Where this database's device token is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum TokenPlace {
    /// The OS secret store.
    Keyring,
    /// `<database>.sync-token`, readable only by the user.
    File,
}

impl TokenPlace {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPlace::Keyring => "keyring",
            TokenPlace::File => "file",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "keyring" => Some(TokenPlace::Keyring),
            "file" => Some(TokenPlace::File),
            _ => None,
        }
    }
}

/// The name entries carry in the secret store (the "service"); the account is the database path.
pub const SERVICE: &str = "Satchel sync";

pub fn path_for(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".sync-token");
    db.with_file_name(name)
}

/// The account name of the database's entry: its absolute path, so two databases on one machine
/// (a second profile, a test copy) keep separate tokens.
pub fn account_for(db: &Path) -> String {
    std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf()).to_string_lossy().into_owned()
}

fn cache() -> &'static Mutex<HashMap<PathBuf, String>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, String>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn cached(db: &Path) -> Option<String> {
    cache().lock().unwrap_or_else(PoisonError::into_inner).get(db).cloned()
}

fn remember(db: &Path, token: Option<&str>) {
    let mut c = cache().lock().unwrap_or_else(PoisonError::into_inner);
    match token {
        Some(t) => c.insert(db.to_path_buf(), t.to_string()),
        None => c.remove(db),
    };
}

/// Whether the secret store should be tried (see the module comment).
pub fn keyring_wanted() -> bool {
    if !cfg!(feature = "os-keyring") {
        return false;
    }
    match std::env::var("SATCHEL_TOKEN_STORE").as_deref() {
        Ok("file") => false,
        Ok("keyring") => true,
        _ if cfg!(any(target_os = "macos", target_os = "windows")) => true,
        _ => std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty()),
    }
}

/// The token, from memory, the secret store or the file (in that order).
pub fn load(db: &Path) -> Option<String> {
    if let Some(t) = cached(db) {
        return Some(t);
    }
    let found = if keyring_wanted() { os::load(SERVICE, db, "the device token") } else { None };
    let found = found.or_else(|| read_file(db));
    if let Some(t) = &found {
        remember(db, Some(t));
    }
    found
}

fn read_file(db: &Path) -> Option<String> {
    std::fs::read_to_string(path_for(db)).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Keeps the token: in the secret store if it takes it (then no file copy is left behind),
/// otherwise in the file. Says where it went.
pub fn save(db: &Path, token: &str) -> std::io::Result<TokenPlace> {
    if keyring_wanted() {
        match os::save(SERVICE, db, token) {
            Ok(()) => {
                remove_file(db)?;
                remember(db, Some(token));
                return Ok(TokenPlace::Keyring);
            }
            Err(why) => log::warn!("the OS secret store did not take the device token ({why}); keeping it in a file only you can read"),
        }
    }
    write_file(db, token)?;
    remember(db, Some(token));
    Ok(TokenPlace::File)
}

/// Writes the token so that only the user can read it (created 0600, never world-readable for
/// an instant).
fn write_file(db: &Path, token: &str) -> std::io::Result<()> {
    let path = path_for(db);
    let tmp = path.with_extension("sync-token.tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp)?;
    f.write_all(token.as_bytes())?;
    f.sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::rename(tmp, path)
}

fn remove_file(db: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path_for(db)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Forgets the token wherever it is. A secret store that cannot be reached now is logged, not
/// an error: the server-side token is useless without the database's site anyway, and the user
/// asked to disconnect.
pub fn forget(db: &Path) -> std::io::Result<()> {
    remember(db, None);
    if keyring_wanted() {
        if let Err(why) = os::forget(SERVICE, db) {
            log::warn!("could not remove the device token from the OS secret store: {why}");
        }
    }
    remove_file(db)
}

/// The OS secret store, one entry per database under a service: the device token here, the
/// database key in `store/cipher.rs`. `what` names the secret in the log.
#[cfg(feature = "os-keyring")]
pub(crate) mod os {
    use std::path::Path;

    fn entry(service: &str, db: &Path) -> keyring::Result<keyring::Entry> {
        keyring::Entry::new(service, &super::account_for(db))
    }

    pub fn load(service: &str, db: &Path, what: &str) -> Option<String> {
        match entry(service, db).and_then(|e| e.get_password()) {
            Ok(t) => Some(t),
            Err(keyring::Error::NoEntry) => None,
            Err(why) => {
                log::warn!("could not read {what} from the OS secret store: {why}");
                None
            }
        }
    }

    pub fn save(service: &str, db: &Path, secret: &str) -> keyring::Result<()> {
        entry(service, db)?.set_password(secret)
    }

    pub fn forget(service: &str, db: &Path) -> keyring::Result<()> {
        match entry(service, db)?.delete_credential() {
            Err(keyring::Error::NoEntry) => Ok(()),
            other => other,
        }
    }
}

#[cfg(not(feature = "os-keyring"))]
pub(crate) mod os {
    use std::path::Path;

    pub fn load(_: &str, _: &Path, _: &str) -> Option<String> {
        None
    }

    pub fn save(_: &str, _: &Path, _: &str) -> Result<(), &'static str> {
        Err("built without OS secret store support")
    }

    pub fn forget(_: &str, _: &Path) -> Result<(), &'static str> {
        Ok(())
    }
}
