//! Customer commands: adapters over `satchel_core::Satchel`'s customer operations.

use crate::state::AppState;
use satchel_core::customers::activities::{Activity, ActivityInput, TimelinePage};
use satchel_core::customers::*;
use satchel_core::error::CoreError;
use satchel_core::ids::{ActivityId, CustomerId};
use satchel_core::AppError;
use tauri::State;

/// An id from the UI that is not even a UUID is simply a record that does not exist.
fn parse_id(id: &CustomerId) -> Result<CustomerId, CoreError> {
    CustomerId::parse(id.as_str()).ok_or_else(|| CoreError::NotFound { what: "customer", id: id.to_string() })
}

#[tauri::command]
#[specta::specta]
pub async fn list_customers(state: State<'_, AppState>, query: ListQuery) -> Result<ListPage, AppError> {
    state.call(|s| Ok(s.list_customers(&query)))
}

#[tauri::command]
#[specta::specta]
pub async fn search_customers(
    state: State<'_, AppState>,
    text: String,
    kind: Option<CustomerKind>,
    limit: u32,
) -> Result<Vec<SearchHit>, AppError> {
    state.call(|s| Ok(s.search_customers(&text, kind, limit)))
}

/// Existing records that look like the form being typed (same email, same phone after
/// normalisation, or a close name at the same company). `editing` is the record being edited.
#[tauri::command]
#[specta::specta]
pub async fn possible_duplicates(
    state: State<'_, AppState>,
    input: CustomerInput,
    editing: Option<CustomerId>,
) -> Result<Vec<DuplicateHint>, AppError> {
    state.call(|s| Ok(s.possible_duplicates(&input, editing.as_ref())))
}

/// Likely duplicate pairs across all live customers (the "find duplicates" view).
#[tauri::command]
#[specta::specta]
pub async fn duplicate_pairs(state: State<'_, AppState>, limit: u32) -> Result<Vec<DuplicatePair>, AppError> {
    state.call(|s| Ok(s.duplicate_pairs(limit)))
}

#[tauri::command]
#[specta::specta]
pub async fn customer_facets(state: State<'_, AppState>) -> Result<Facets, AppError> {
    state.call(|s| Ok(s.customer_facets()))
}

#[tauri::command]
#[specta::specta]
pub async fn get_customer(state: State<'_, AppState>, id: CustomerId) -> Result<Customer, AppError> {
    state.call(|s| s.get_customer(&parse_id(&id)?))
}

#[tauri::command]
#[specta::specta]
pub async fn create_customer(state: State<'_, AppState>, input: CustomerInput) -> Result<Customer, AppError> {
    state.call(|s| s.create_customer(&input))
}

#[tauri::command]
#[specta::specta]
pub async fn update_customer(state: State<'_, AppState>, id: CustomerId, input: CustomerInput) -> Result<Customer, AppError> {
    state.call(|s| s.update_customer(&parse_id(&id)?, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_customer(state: State<'_, AppState>, id: CustomerId) -> Result<(), AppError> {
    state.call(|s| s.delete_customer(&parse_id(&id)?))
}

#[tauri::command]
#[specta::specta]
pub async fn restore_customer(state: State<'_, AppState>, id: CustomerId) -> Result<Customer, AppError> {
    state.call(|s| s.restore_customer(&parse_id(&id)?))
}

#[tauri::command]
#[specta::specta]
pub async fn customer_history(state: State<'_, AppState>, id: CustomerId) -> Result<Vec<HistoryEntry>, AppError> {
    state.call(|s| s.customer_history(&parse_id(&id)?))
}

fn parse_activity_id(id: &ActivityId) -> Result<ActivityId, CoreError> {
    ActivityId::parse(id.as_str()).ok_or_else(|| CoreError::NotFound { what: "activity", id: id.to_string() })
}

/// Logs a call, visit, meeting, email or note against a customer.
#[tauri::command]
#[specta::specta]
pub async fn log_activity(state: State<'_, AppState>, customer_id: CustomerId, input: ActivityInput) -> Result<Activity, AppError> {
    state.call(|s| s.log_activity(&parse_id(&customer_id)?, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn update_activity(state: State<'_, AppState>, id: ActivityId, input: ActivityInput) -> Result<Activity, AppError> {
    state.call(|s| s.update_activity(&parse_activity_id(&id)?, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_activity(state: State<'_, AppState>, id: ActivityId) -> Result<(), AppError> {
    state.call(|s| s.delete_activity(&parse_activity_id(&id)?))
}

/// Undoes `delete_activity`.
#[tauri::command]
#[specta::specta]
pub async fn restore_activity(state: State<'_, AppState>, id: ActivityId) -> Result<Activity, AppError> {
    state.call(|s| s.restore_activity(&parse_activity_id(&id)?))
}

/// A page of the customer's timeline, newest first; pass `nextBefore` back as `before` for older.
#[tauri::command]
#[specta::specta]
pub async fn customer_timeline(
    state: State<'_, AppState>,
    id: CustomerId,
    before: Option<String>,
    limit: u32,
) -> Result<TimelinePage, AppError> {
    state.call(|s| s.customer_timeline(&parse_id(&id)?, before.as_deref(), limit))
}

/// Merges `other` into `keep`, each single-valued field taken from the side the user picked;
/// phones, emails, addresses, tags, activities and people of both are kept.
#[tauri::command]
#[specta::specta]
pub async fn merge_customers(
    state: State<'_, AppState>,
    keep: CustomerId,
    other: CustomerId,
    choices: merge::MergeChoices,
) -> Result<merge::MergeOutcome, AppError> {
    state.call(|s| s.merge_customers(&parse_id(&keep)?, &parse_id(&other)?, &choices))
}

/// Reverts a merge, given the token `merge_customers` returned.
#[tauri::command]
#[specta::specta]
pub async fn undo_merge(state: State<'_, AppState>, token: String) -> Result<(), AppError> {
    state.call(|s| s.undo_merge(&token))
}
