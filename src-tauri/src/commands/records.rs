//! Commands for what every record type shares (`satchel_core::records`): a record's attachments,
//! named by `RecordKey` (record type and id), so each module's screens use the same calls.

use crate::state::AppState;
use satchel_core::error::CoreError;
use satchel_core::ids::AttachmentId;
use satchel_core::records::api::RecordKey;
use satchel_core::records::attachments::Attachment;
use satchel_core::records::fields::{CustomField, CustomFieldInput};
use satchel_core::AppError;
use tauri::State;

/// Attaches a file to a record; the bytes are the request body (see `import_open_bytes` for why
/// a raw body), headers `x-record-type`, `x-record-id` and `x-file-name` (percent-encoded).
/// Outside tauri-specta; the UI calls it through `ui/src/records/attachmentsApi.ts`.
#[tauri::command]
pub async fn attach_file(request: tauri::ipc::Request<'_>, state: State<'_, AppState>) -> Result<Attachment, AppError> {
    let header = |name: &str| super::raw_header(&request, name).unwrap_or_default();
    let record = RecordKey { record_type: header("x-record-type"), id: header("x-record-id") };
    let name = header("x-file-name");
    state.call(|s| match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => s.records().add_attachment(&record.checked()?, &name, bytes),
        tauri::ipc::InvokeBody::Json(_) => Err(CoreError::Internal("attach_file expects a binary body".into())),
    })
}

/// A record's live attachments, newest first.
#[tauri::command]
#[specta::specta]
pub async fn record_attachments(state: State<'_, AppState>, record: RecordKey) -> Result<Vec<Attachment>, AppError> {
    state.call(|s| s.records().attachments(&record.checked()?))
}

/// Opens the file with the system's viewer (`xdg-open` on Linux; `SATCHEL_OPENER` overrides it,
/// which the end-to-end test uses to see what would have been opened). A teammate's file not on
/// this computer yet is fetched from the sync server first: off the async runtime, since that may
/// take a while on a slow link.
#[tauri::command]
#[specta::specta]
pub async fn open_attachment(state: State<'_, AppState>, id: AttachmentId) -> Result<(), AppError> {
    let s = state.satchel()?;
    let app = s.clone();
    let path = tauri::async_runtime::spawn_blocking(move || app.records().attachment_path(&id.checked()?))
        .await
        .map_err(|e| state.internal(&e.to_string()))?
        .map_err(|e| s.app_error(&e))?;
    let opener = std::env::var("SATCHEL_OPENER").ok().filter(|o| !o.is_empty()).unwrap_or_else(|| {
        if cfg!(target_os = "macos") {
            "open".into()
        } else {
            "xdg-open".into()
        }
    });
    std::process::Command::new(opener).arg(&path).spawn().map(|_| ()).map_err(|e| s.app_error(&CoreError::Io(e)))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_attachment(state: State<'_, AppState>, id: AttachmentId) -> Result<(), AppError> {
    state.call(|s| s.records().delete_attachment(&id.checked()?))
}

/// Undoes `delete_attachment`.
#[tauri::command]
#[specta::specta]
pub async fn restore_attachment(state: State<'_, AppState>, id: AttachmentId) -> Result<Attachment, AppError> {
    state.call(|s| s.records().restore_attachment(&id.checked()?))
}

/// A record's field history, newest first (who, when, on which device, old -> new): any record
/// type's, so a deal's stage and amount changes read like a customer's.
#[tauri::command]
#[specta::specta]
pub async fn record_history(
    state: State<'_, AppState>,
    record: RecordKey,
    limit: u32,
) -> Result<Vec<satchel_core::records::history::HistoryEntry>, AppError> {
    state.call(|s| s.records().history(&record.checked()?, limit))
}

/// A record type's custom fields (`opportunity`, `quote`, `contract`; customers' have their own
/// command), in order.
#[tauri::command]
#[specta::specta]
pub async fn record_custom_fields(state: State<'_, AppState>, record_type: String) -> Result<Vec<CustomField>, AppError> {
    state.call(|s| s.records().custom_fields(&record_type))
}

/// Adds a custom field to every record of a type.
#[tauri::command]
#[specta::specta]
pub async fn create_record_custom_field(
    state: State<'_, AppState>,
    record_type: String,
    input: CustomFieldInput,
) -> Result<CustomField, AppError> {
    state.call(|s| s.records().create_custom_field(&record_type, &input))
}
