//! Sync with a satchel-server: connect (log in once), the status indicator, "sync now",
//! disconnect. The syncing itself runs on the core's background worker ([`SyncWorker`]); these
//! commands only start it, ask it and kick it. Network calls run on a blocking thread, never on
//! the UI's.

use crate::state::AppState;
use satchel_core::error::{CoreError, ErrorCode};
use satchel_core::sync::worker::{SyncStatus, SyncWorker};
use satchel_core::sync::{self, SyncError};
use satchel_core::{AppError, Satchel};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_specta::Event;

/// Sent whenever the sync status changes (state, waiting count, progress, errors).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct SyncStatusChanged(pub SyncStatus);

/// The background sync worker, once the window exists (it reports through window events).
#[derive(Default)]
pub struct SyncState(std::sync::OnceLock<SyncWorker>);

impl SyncState {
    pub(crate) fn worker(&self) -> Option<&SyncWorker> {
        self.0.get()
    }
}

/// Starts the background worker for the opened database (none when it could not be opened) and
/// relays its status as events.
pub fn start<R: Runtime>(handle: &AppHandle<R>) {
    let Ok(app) = handle.state::<AppState>().satchel() else { return };
    let h = handle.clone();
    // A round that ends may have applied pages from the server: given back once quiet. Only at
    // its end: statuses also come as a round progresses and as local saves wait to be pushed.
    let was_syncing = std::sync::atomic::AtomicBool::new(false);
    let worker = SyncWorker::start(app, move |s: &SyncStatus| {
        let syncing = s.state == sync::worker::SyncState::Syncing;
        if was_syncing.swap(syncing, std::sync::atomic::Ordering::Relaxed) && !syncing {
            crate::memory::give_back_soon();
        }
        if let Err(e) = SyncStatusChanged(s.clone()).emit(&h) {
            log::warn!("cannot send the sync status to the window: {e}");
        }
    });
    let _ = handle.state::<SyncState>().0.set(worker);
}

/// A failed connect as the form shows it: under the field it concerns, in the user's language.
fn connect_error(e: &SyncError, s: &Satchel) -> AppError {
    let field = match e {
        SyncError::Insecure(_) | SyncError::Offline(_) | SyncError::Protocol(_) => Some("server"),
        SyncError::NeedsLogin(_) => Some("password"),
        SyncError::Refused { code, .. } if code == "too_many_attempts" => Some("password"),
        SyncError::OtherAccount { .. } => Some("email"),
        _ => None,
    };
    if let SyncError::Local(e) = e {
        return s.app_error(e);
    }
    let (reason, message) = match e {
        SyncError::NeedsLogin(_) => ("sync.wrongPassword", s.locale().text("sync.wrongPassword", &[])),
        e => (e.reason(), e.message(s.locale())),
    };
    AppError::plain(ErrorCode::Sync, reason, message, field.map(String::from))
}

#[tauri::command]
#[specta::specta]
pub async fn sync_status(state: State<'_, AppState>, worker: State<'_, SyncState>) -> Result<SyncStatus, AppError> {
    let s = state.satchel()?;
    Ok(worker.worker().map(|w| w.status()).unwrap_or_else(|| sync::worker::current_status(&s)))
}

/// Logs in to the server and starts syncing. Empty fields are refused by name before any network
/// call.
#[tauri::command]
#[specta::specta]
pub async fn sync_connect(
    state: State<'_, AppState>,
    worker: State<'_, SyncState>,
    server: String,
    email: String,
    password: String,
) -> Result<SyncStatus, AppError> {
    let s = state.satchel()?;
    for (field, value) in [("server", &server), ("email", &email), ("password", &password)] {
        if value.trim().is_empty() {
            return Err(s.app_error(&CoreError::invalid(field, satchel_core::error::Invalid::Required)));
        }
    }
    let app = s.clone();
    let result = tauri::async_runtime::spawn_blocking(move || sync::login(&app, &server, &email, &password))
        .await
        .map_err(|e| state.internal(&e.to_string()))?;
    result.map_err(|e| connect_error(&e, &s))?;
    Ok(refresh_and_kick(&worker, &s))
}

/// Stops syncing and forgets the token. The records stay on this computer.
#[tauri::command]
#[specta::specta]
pub async fn sync_disconnect(state: State<'_, AppState>, worker: State<'_, SyncState>) -> Result<SyncStatus, AppError> {
    let s = state.satchel()?;
    // Off the async runtime: forgetting the token talks to the OS secret store, which may wait
    // for the user to unlock it.
    let app = s.clone();
    let result = tauri::async_runtime::spawn_blocking(move || sync::logout(&app)).await.map_err(|e| state.internal(&e.to_string()))?;
    result.map_err(|e| connect_error(&e, &s))?;
    Ok(refresh_and_kick(&worker, &s))
}

/// The worker learns of a new (or no) connection now, so the status the command returns and the
/// events that follow agree (their `version` orders them).
fn refresh_and_kick(worker: &SyncState, s: &Satchel) -> SyncStatus {
    match worker.worker() {
        Some(w) => {
            let status = w.refresh();
            w.kick();
            status
        }
        None => sync::worker::current_status(s),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn sync_now(state: State<'_, AppState>, worker: State<'_, SyncState>) -> Result<(), AppError> {
    state.satchel()?;
    if let Some(w) = worker.worker() {
        w.kick();
    }
    Ok(())
}

/// Changes sync set aside because they could not be taken, newest first (Settings → Sync).
#[tauri::command]
#[specta::specta]
pub async fn sync_problems(state: State<'_, AppState>) -> Result<Vec<satchel_core::store::SyncProblem>, AppError> {
    state.call(|s| s.store().sync_problems())
}

/// Whether this book fetches every attachment's bytes at each sync, instead of when one is opened
/// (Settings → Sync).
#[tauri::command]
#[specta::specta]
pub async fn sync_fetch_ahead(state: State<'_, AppState>) -> Result<bool, AppError> {
    state.call(sync::blobs::fetch_ahead)
}

/// Sets it; turned on, the next sync (started now) fetches what is missing.
#[tauri::command]
#[specta::specta]
pub async fn set_sync_fetch_ahead(state: State<'_, AppState>, worker: State<'_, SyncState>, on: bool) -> Result<(), AppError> {
    state.call(|s| sync::blobs::set_fetch_ahead(s, on))?;
    if let Some(w) = worker.worker().filter(|_| on) {
        w.kick();
    }
    Ok(())
}
