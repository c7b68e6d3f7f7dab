//! The global search box's one question: every module's records at once (`satchel_core::search`).

use crate::state::AppState;
use satchel_core::search::Everything;
use satchel_core::AppError;
use tauri::State;

/// Customers and every other module's records holding `text`, at most `limit` per module.
#[tauri::command]
#[specta::specta]
pub async fn search_everything(state: State<'_, AppState>, text: String, limit: u32) -> Result<Everything, AppError> {
    state.call(|s| s.search_everything(&text, limit))
}
