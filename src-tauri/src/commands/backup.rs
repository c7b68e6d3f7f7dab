//! Backups from the settings page: "Back up now", the list of backups, how many days they are
//! kept, and restoring one. The daily backup runs on a thread of its own (`start`).
//!
//! Restoring cannot happen under the open book (the app holds its claim, the sync worker and the
//! screens hold the core), so `restore_backup` checks the file, notes it for the next start and
//! restarts the app; at start-up the restore runs before the book is opened (`lib.rs`).

use crate::state::AppState;
use satchel_core::backup::{self, BackupInfo};
use satchel_core::error::{CoreError, FileProblem};
use satchel_core::store::cipher;
use satchel_core::AppError;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};

/// What the backups section shows.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Backups {
    /// Newest first.
    pub backups: Vec<BackupInfo>,
    pub keep_days: u32,
    pub folder: String,
    /// Whether the book is encrypted (SQLCipher, its key in the OS secret store).
    pub encrypted: bool,
}

fn now_ms() -> i64 {
    satchel_core::store::now_ms() as i64
}

#[tauri::command]
#[specta::specta]
pub async fn list_backups(state: State<'_, AppState>) -> Result<Backups, AppError> {
    state.call(|s| {
        let db = s.store().path();
        Ok(Backups {
            backups: backup::list(db)?,
            keep_days: backup::keep_days(s.store())?,
            folder: backup::folder(db).display().to_string(),
            encrypted: cipher::is_encrypted(db),
        })
    })
}

#[tauri::command]
#[specta::specta]
pub async fn backup_now(state: State<'_, AppState>) -> Result<BackupInfo, AppError> {
    let app = state.satchel()?;
    tauri::async_runtime::spawn_blocking(move || {
        let run = || -> Result<BackupInfo, CoreError> {
            let db = app.store().path();
            let made = backup::create_in_folder(db, now_ms())?;
            backup::prune(db, backup::keep_days(app.store())?, now_ms())?;
            Ok(made)
        };
        run().map_err(|e| app.app_error(&e))
    })
    .await
    .map_err(|e| state.internal(&format!("backup: {e}")))?
}

#[tauri::command]
#[specta::specta]
pub async fn set_backup_keep_days(state: State<'_, AppState>, days: u32) -> Result<(), AppError> {
    state.call(|s| backup::set_keep_days(s.store(), days))
}

/// Checks the backup `name` (one of the listed ones), notes it for restoring and restarts the
/// app, which restores it before opening the book.
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(state: State<'_, AppState>, restart: State<'_, Restart>, name: String) -> Result<(), AppError> {
    state.call(|s| {
        let db = s.store().path();
        // Only a file of the backups folder, by its plain name.
        let listed = backup::list(db)?.into_iter().find(|b| b.name == name);
        let Some(chosen) = listed else {
            return Err(CoreError::File(FileProblem::NotBackup(name.clone())));
        };
        backup::restore_at_next_start(db, std::path::Path::new(&chosen.path))
    })?;
    log::info!("restarting to restore {name}");
    (restart.0)();
    Ok(())
}

/// "Encrypt this book" (issue 14, `docs/encryption.md`): noted for the next start (refused now
/// where no secret store can keep the key), then the app restarts; the book is encrypted before
/// it is opened again, as a restore is.
#[tauri::command]
#[specta::specta]
pub async fn encrypt_book(state: State<'_, AppState>, restart: State<'_, Restart>) -> Result<(), AppError> {
    state.call(|s| cipher::encrypt_at_next_start(s.store().path()))?;
    log::info!("restarting to encrypt the book");
    (restart.0)();
    Ok(())
}

/// Runs an encryption the previous run asked for, before the book at `db` is opened.
pub fn finish_pending_encrypt(db: &std::path::Path) {
    match cipher::finish_pending(db, std::time::Duration::from_secs(15)) {
        None => {}
        Some(Ok(done)) => log::info!("encrypted {}: {done:?}", db.display()),
        Some(Err(e)) => log::error!("encrypting {} failed, the book is as it was: {e}", db.display()),
    }
}

/// Restarts the app (commands cannot name the window's runtime for tauri-specta).
pub struct Restart(Box<dyn Fn() + Send + Sync>);

impl Restart {
    pub fn new<R: Runtime>(handle: AppHandle<R>) -> Self {
        Restart(Box::new(move || handle.restart()))
    }
}

/// Runs a restore the previous run asked for, before the book at `db` is opened.
pub fn finish_pending_restore(db: &std::path::Path) {
    // The previous run may still be closing: its claim is waited for.
    match backup::finish_pending(db, now_ms(), std::time::Duration::from_secs(15)) {
        None => {}
        Some(Ok(done)) => log::info!("restored {} (the replaced book is kept as {:?})", db.display(), done.replaced),
        Some(Err(e)) => log::error!("restoring {} failed, the book is as it was: {e}", db.display()),
    }
}

/// How long after the customer list is ready the start's backup waits: copying a large book
/// (254 MB at 100,000 customers with every module's records) beside the start took the first
/// launch of the day from 2 s to 4.6 s until the list was searchable (docs/benchmarks.md).
const AFTER_START: std::time::Duration = std::time::Duration::from_secs(10);

/// The daily backup: shortly after start-up when the newest is older than a day, then checked
/// every hour.
pub fn start<R: Runtime>(handle: &AppHandle<R>) {
    let Ok(app) = handle.state::<AppState>().satchel() else { return };
    let spawned = std::thread::Builder::new().name("satchel-backup".into()).spawn(move || {
        // The customer index first (this waits for the start's build), then the first pages
        // have the machine for a moment.
        app.customers().index_origin();
        std::thread::sleep(AFTER_START);
        loop {
            let db = app.store().path();
            let done = backup::keep_days(app.store()).and_then(|keep| backup::daily(db, keep, now_ms()));
            match done {
                Ok(Some(made)) => log::info!("daily backup {} ({} bytes)", made.path, made.size),
                Ok(None) => {}
                Err(e) => log::error!("daily backup failed: {e}"),
            }
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    });
    if let Err(e) = spawned {
        log::error!("cannot start the daily backup: {e}");
    }
}
