//! Customer commands: adapters over `satchel_core::Satchel`'s customer operations.

use crate::state::AppState;
use satchel_core::customers::activities::{Activity, ActivityInput, TimelinePage};
use satchel_core::customers::api::IndexMode;
use satchel_core::customers::*;
use satchel_core::ids::{ActivityId, CustomerId, FieldId, SegmentId};
use satchel_core::AppError;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn list_customers(state: State<'_, AppState>, query: ListQuery) -> Result<ListPage, AppError> {
    state.call(|s| Ok(s.customers().list(&query)))
}

#[tauri::command]
#[specta::specta]
pub async fn search_customers(
    state: State<'_, AppState>,
    text: String,
    kind: Option<CustomerKind>,
    limit: u32,
) -> Result<Vec<SearchHit>, AppError> {
    state.call(|s| Ok(s.customers().search(&text, kind, limit)))
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
    state.call(|s| Ok(s.customers().possible_duplicates(&input, editing.as_ref())))
}

/// Likely duplicate pairs across all live customers (the "find duplicates" view).
#[tauri::command]
#[specta::specta]
pub async fn duplicate_pairs(state: State<'_, AppState>, limit: u32) -> Result<Vec<DuplicatePair>, AppError> {
    state.call(|s| Ok(s.customers().duplicate_pairs(limit)))
}

#[tauri::command]
#[specta::specta]
pub async fn customer_facets(state: State<'_, AppState>) -> Result<Facets, AppError> {
    state.call(|s| Ok(s.customers().facets()))
}

/// Whether the list and search answer from memory or, the book being too large for the memory
/// allowed, from the database (slower): the list says so.
#[tauri::command]
#[specta::specta]
pub async fn customer_index_mode(state: State<'_, AppState>) -> Result<IndexMode, AppError> {
    state.call(|s| Ok(s.customers().index_mode()))
}

#[tauri::command]
#[specta::specta]
pub async fn get_customer(state: State<'_, AppState>, id: CustomerId) -> Result<Customer, AppError> {
    state.call(|s| s.customers().get(&id.checked()?))
}

#[tauri::command]
#[specta::specta]
pub async fn create_customer(state: State<'_, AppState>, input: CustomerInput) -> Result<Customer, AppError> {
    state.call(|s| s.customers().create(input))
}

#[tauri::command]
#[specta::specta]
pub async fn update_customer(state: State<'_, AppState>, id: CustomerId, input: CustomerInput) -> Result<Customer, AppError> {
    state.call(|s| s.customers().update(&id.checked()?, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_customer(state: State<'_, AppState>, id: CustomerId) -> Result<(), AppError> {
    state.call(|s| s.customers().delete(&id.checked()?))
}

#[tauri::command]
#[specta::specta]
pub async fn restore_customer(state: State<'_, AppState>, id: CustomerId) -> Result<Customer, AppError> {
    state.call(|s| s.customers().restore(&id.checked()?))
}

#[tauri::command]
#[specta::specta]
pub async fn customer_history(state: State<'_, AppState>, id: CustomerId) -> Result<Vec<HistoryEntry>, AppError> {
    state.call(|s| s.customers().history(&id.checked()?))
}

/// Makes a value that lost a concurrent edit on another device the current one again (the
/// history entry's `restore` token).
#[tauri::command]
#[specta::specta]
pub async fn restore_lost_value(state: State<'_, AppState>, token: String) -> Result<(), AppError> {
    state.call(|s| s.customers().restore_lost_value(&token))
}

/// Logs a call, visit, meeting, email or note against a customer.
#[tauri::command]
#[specta::specta]
pub async fn log_activity(state: State<'_, AppState>, customer_id: CustomerId, input: ActivityInput) -> Result<Activity, AppError> {
    state.call(|s| s.customers().log_activity(&customer_id.checked()?, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn update_activity(state: State<'_, AppState>, id: ActivityId, input: ActivityInput) -> Result<Activity, AppError> {
    state.call(|s| s.customers().update_activity(&id.checked()?, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_activity(state: State<'_, AppState>, id: ActivityId) -> Result<(), AppError> {
    state.call(|s| s.customers().delete_activity(&id.checked()?))
}

/// Undoes `delete_activity`.
#[tauri::command]
#[specta::specta]
pub async fn restore_activity(state: State<'_, AppState>, id: ActivityId) -> Result<Activity, AppError> {
    state.call(|s| s.customers().restore_activity(&id.checked()?))
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
    state.call(|s| s.customers().timeline(&id.checked()?, before.as_deref(), limit))
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
    state.call(|s| s.customers().merge(&keep.checked()?, &other.checked()?, &choices))
}

/// Reverts a merge, given the token `merge_customers` returned.
#[tauri::command]
#[specta::specta]
pub async fn undo_merge(state: State<'_, AppState>, token: String) -> Result<(), AppError> {
    state.call(|s| s.customers().undo_merge(&token))
}

/// The live custom fields, in order.
#[tauri::command]
#[specta::specta]
pub async fn custom_fields(state: State<'_, AppState>) -> Result<Vec<fields::CustomField>, AppError> {
    state.call(|s| s.customers().custom_fields())
}

#[tauri::command]
#[specta::specta]
pub async fn create_custom_field(state: State<'_, AppState>, input: fields::CustomFieldInput) -> Result<fields::CustomField, AppError> {
    state.call(|s| s.customers().create_custom_field(&input))
}

/// Relabels a field (of any record type), changes its scope, adds or renames options; the kind
/// cannot change.
#[tauri::command]
#[specta::specta]
pub async fn update_custom_field(
    state: State<'_, AppState>,
    id: FieldId,
    input: fields::CustomFieldInput,
) -> Result<fields::CustomField, AppError> {
    state.call(|s| s.records().update_custom_field(&id.checked()?, &input))
}

/// How many live records hold a value for the field: the removal dialog says so before asking.
#[tauri::command]
#[specta::specta]
pub async fn custom_field_usage(state: State<'_, AppState>, id: FieldId) -> Result<u32, AppError> {
    state.call(|s| s.records().custom_field_usage(&id.checked()?))
}

/// Hides the field; its values stay stored and in history (`restore_custom_field` brings it back).
#[tauri::command]
#[specta::specta]
pub async fn remove_custom_field(state: State<'_, AppState>, id: FieldId) -> Result<(), AppError> {
    state.call(|s| s.records().remove_custom_field(&id.checked()?))
}

#[tauri::command]
#[specta::specta]
pub async fn restore_custom_field(state: State<'_, AppState>, id: FieldId) -> Result<fields::CustomField, AppError> {
    state.call(|s| s.records().restore_custom_field(&id.checked()?))
}

/// Saved segments with how many live records match each now.
#[tauri::command]
#[specta::specta]
pub async fn segments(state: State<'_, AppState>) -> Result<Vec<segments::Segment>, AppError> {
    state.call(|s| s.customers().segments())
}

#[tauri::command]
#[specta::specta]
pub async fn create_segment(
    state: State<'_, AppState>,
    name: String,
    filter: segments::SegmentFilter,
) -> Result<segments::Segment, AppError> {
    state.call(|s| s.customers().create_segment(&name, &filter))
}

#[tauri::command]
#[specta::specta]
pub async fn update_segment(
    state: State<'_, AppState>,
    id: SegmentId,
    name: String,
    filter: segments::SegmentFilter,
) -> Result<segments::Segment, AppError> {
    state.call(|s| s.customers().update_segment(&id.checked()?, &name, &filter))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_segment(state: State<'_, AppState>, id: SegmentId) -> Result<(), AppError> {
    state.call(|s| s.customers().delete_segment(&id.checked()?))
}

/// Undoes `delete_segment`.
#[tauri::command]
#[specta::specta]
pub async fn restore_segment(state: State<'_, AppState>, id: SegmentId) -> Result<segments::Segment, AppError> {
    state.call(|s| s.customers().restore_segment(&id.checked()?))
}
