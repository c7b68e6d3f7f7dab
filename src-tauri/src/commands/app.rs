//! App-wide commands: what this installation is, and which language the user reads.

use crate::state::AppState;
use satchel_core::i18n::Locale;
use satchel_core::{AppError, AppInfo};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_specta::Event;

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    state.call(|s| Ok(s.app_info()))
}

/// The UI's language; messages from Rust (validation errors) follow it.
#[tauri::command]
#[specta::specta]
pub async fn set_locale(state: State<'_, AppState>, locale: Locale) -> Result<(), AppError> {
    state.set_locale(locale);
    Ok(())
}

/// Records changed underneath the window (a sync page applied): which modules and tables, so each
/// screen refetches only what it shows. Local saves need no event: the screen that saved knows.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct RecordsChanged {
    pub modules: Vec<String>,
    pub tables: Vec<String>,
}

/// Relays the core's change notices to the window as [`RecordsChanged`] events.
pub fn start<R: Runtime>(handle: &AppHandle<R>) {
    let Ok(app) = handle.state::<AppState>().satchel() else { return };
    let h = handle.clone();
    app.on_changed(move |c| {
        if let Err(e) = (RecordsChanged { modules: c.modules.clone(), tables: c.tables.clone() }).emit(&h) {
            log::warn!("cannot tell the window what changed: {e}");
        }
    });
}
