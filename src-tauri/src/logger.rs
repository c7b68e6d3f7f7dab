//! The desktop's log: the core's shared logger (`satchel_core::logfile`, the CLI's too). Errors
//! are logged with their details while users see a plain message that names the file.
//!
//! Lines go to standard error from the start, and to `<database folder>/logs/satchel.log`
//! (rotated at 5 MB, three old files kept, readable by the user only) once the database's path
//! is known. `SATCHEL_LOG=debug` logs more.

use std::path::Path;

/// Before anything else: standard error only, until [`open`].
pub fn init() {
    satchel_core::logfile::install(true);
}

/// Also writes to the log file beside the database. A log that cannot be written (a read-only
/// folder) leaves standard error alone; the error messages then say "the log".
pub fn open(db: &Path) {
    match satchel_core::logfile::open(db) {
        Ok(file) => log::info!("satchel {}: logging to {}", env!("CARGO_PKG_VERSION"), file.display()),
        Err(e) => log::warn!("cannot write the log {}: {e}", satchel_core::logfile::path_for(db).display()),
    }
}
