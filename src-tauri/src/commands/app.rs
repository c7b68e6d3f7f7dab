//! App-wide commands: what this installation is, and which language the user reads.

use crate::state::AppState;
use satchel_core::i18n::Locale;
use satchel_core::{AppError, AppInfo};
use tauri::State;

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
