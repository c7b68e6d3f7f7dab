//! Where the device token is kept: a file beside the database that only its user can read
//! (mode 0600), `<database>.sync-token`. The OS secret store is not used yet (see README).

use std::io::Write;
use std::path::{Path, PathBuf};

pub fn path_for(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".sync-token");
    db.with_file_name(name)
}

pub fn load(db: &Path) -> Option<String> {
    std::fs::read_to_string(path_for(db)).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Writes the token so that only the user can read it (created 0600, never world-readable for
/// an instant).
pub fn save(db: &Path, token: &str) -> std::io::Result<()> {
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

pub fn forget(db: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path_for(db)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
