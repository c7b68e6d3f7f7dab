//! Calendar commands: adapters over `satchel.calendar()` (events, series, occurrences, tasks).

use crate::state::AppState;
use satchel_core::calendar::api::{CustomerCalendar, SavedEvent};
use satchel_core::calendar::*;
use satchel_core::customers::activities::Activity;
use satchel_core::AppError;
use tauri::State;

/// Every occurrence overlapping the days [from, to) (`YYYY-MM-DD`) shown in `zone` (IANA), of
/// the given owners' calendars (everyone's when null), sorted by start then title.
#[tauri::command]
#[specta::specta]
pub async fn calendar_page(
    state: State<'_, AppState>,
    from: String,
    to: String,
    zone: String,
    owners: Option<Vec<String>>,
) -> Result<Vec<Occurrence>, AppError> {
    state.call(|s| s.calendar().page(&from, &to, &zone, owners.as_deref()))
}

/// The people whose calendars this book holds, the user first (for the team view).
#[tauri::command]
#[specta::specta]
pub async fn calendar_people(state: State<'_, AppState>) -> Result<Vec<String>, AppError> {
    state.call(|s| s.calendar().people())
}

#[tauri::command]
#[specta::specta]
pub async fn get_event(state: State<'_, AppState>, id: EventId) -> Result<Event, AppError> {
    state.call(|s| s.calendar().get_event(&id))
}

/// Saves a new event or series; `clashes` warns of the owner's overlapping events.
#[tauri::command]
#[specta::specta]
pub async fn create_event(state: State<'_, AppState>, input: EventInput) -> Result<SavedEvent, AppError> {
    state.call(|s| s.calendar().create_event(&input))
}

/// Saves an edit of an event, or of a series' occurrence (`recurrenceId`) with the span chosen.
#[tauri::command]
#[specta::specta]
pub async fn update_event(
    state: State<'_, AppState>,
    id: EventId,
    input: EventInput,
    span: Span,
    recurrence_id: Option<String>,
) -> Result<SavedEvent, AppError> {
    state.call(|s| s.calendar().update_event(&id, &input, span, recurrence_id.as_deref()))
}

/// Moves or resizes (drags) an occurrence: wall times in `zone`, or dates all day.
#[tauri::command]
#[specta::specta]
pub async fn move_occurrence(
    state: State<'_, AppState>,
    id: EventId,
    recurrence_id: Option<String>,
    start: String,
    end: String,
    zone: String,
) -> Result<SavedEvent, AppError> {
    state.call(|s| s.calendar().move_occurrence(&id, recurrence_id.as_deref(), &start, &end, &zone))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_event(state: State<'_, AppState>, id: EventId, span: Span, recurrence_id: Option<String>) -> Result<(), AppError> {
    state.call(|s| s.calendar().delete_event(&id, span, recurrence_id.as_deref()))
}

#[tauri::command]
#[specta::specta]
pub async fn restore_event(state: State<'_, AppState>, id: EventId) -> Result<Event, AppError> {
    state.call(|s| s.calendar().restore_event(&id))
}

/// What the form would clash with (or its problems), before saving.
#[tauri::command]
#[specta::specta]
pub async fn check_event(state: State<'_, AppState>, input: EventInput, editing: Option<EventId>) -> Result<Vec<Occurrence>, AppError> {
    state.call(|s| s.calendar().check(&input, editing.as_ref()))
}

/// Logs an occurrence that took place as an activity on its customer.
#[tauri::command]
#[specta::specta]
pub async fn log_event_as_activity(
    state: State<'_, AppState>,
    id: EventId,
    recurrence_id: Option<String>,
    outcome: String,
    body: String,
) -> Result<Activity, AppError> {
    state.call(|s| s.calendar().log_as_activity(&id, recurrence_id.as_deref(), &outcome, &body))
}

/// A customer's events and tasks, for its page.
#[tauri::command]
#[specta::specta]
pub async fn customer_calendar(state: State<'_, AppState>, id: CustomerId) -> Result<CustomerCalendar, AppError> {
    state.call(|s| s.calendar().for_customer(&id))
}

/// The events and tasks about a deal, for its page.
#[tauri::command]
#[specta::specta]
pub async fn deal_calendar(state: State<'_, AppState>, id: OpportunityId) -> Result<CustomerCalendar, AppError> {
    state.call(|s| s.calendar().for_deal(&id))
}

/// Open tasks overdue, due today or upcoming as seen on `today` (`YYYY-MM-DD`), someday ones, or
/// done ones; `owners` empty: everyone's.
#[tauri::command]
#[specta::specta]
pub async fn list_tasks(state: State<'_, AppState>, list: TaskList, today: String, owners: Vec<String>) -> Result<Vec<Task>, AppError> {
    state.call(|s| s.calendar().tasks(list, satchel_core::calendar::api::parse_day("today", &today)?, &owners))
}

#[tauri::command]
#[specta::specta]
pub async fn get_task(state: State<'_, AppState>, id: TaskId) -> Result<Task, AppError> {
    state.call(|s| s.calendar().get_task(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn create_task(state: State<'_, AppState>, input: TaskInput) -> Result<Task, AppError> {
    state.call(|s| s.calendar().create_task(&input))
}

#[tauri::command]
#[specta::specta]
pub async fn update_task(state: State<'_, AppState>, id: TaskId, input: TaskInput) -> Result<Task, AppError> {
    state.call(|s| s.calendar().update_task(&id, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn set_task_done(state: State<'_, AppState>, id: TaskId, done: bool) -> Result<Task, AppError> {
    state.call(|s| s.calendar().set_task_done(&id, done))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_task(state: State<'_, AppState>, id: TaskId) -> Result<(), AppError> {
    state.call(|s| s.calendar().delete_task(&id))
}

/// Imports an .ics file sent as the raw IPC body (like `attach_file`; JSON would triple a large
/// calendar's size). Every event or none, unless the `x-skip-invalid` header is `1`. Runs off the
/// async runtime: 10,000 events take a few hundred milliseconds.
#[tauri::command]
pub async fn import_ics(
    request: tauri::ipc::Request<'_>,
    state: State<'_, AppState>,
) -> Result<satchel_core::calendar::ics::IcsImported, AppError> {
    let skip = super::raw_header(&request, "x-skip-invalid").as_deref() == Some("1");
    let bytes = match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => bytes.clone(),
        tauri::ipc::InvokeBody::Json(_) => return Err(state.internal("import_ics expects a binary body")),
    };
    let app = state.satchel()?;
    tauri::async_runtime::spawn_blocking(move || app.calendar().import_ics_with(&bytes, skip).map_err(|e| app.app_error(&e)))
        .await
        .map_err(|e| state.internal(&format!("import: {e}")))?
}

/// Writes every event (or those of the days [from, to) in `zone`, when given) as an .ics file in
/// the Downloads folder; returns its path and how many events it holds.
#[tauri::command]
#[specta::specta]
pub async fn export_ics(
    state: State<'_, AppState>,
    from: Option<String>,
    to: Option<String>,
    zone: Option<String>,
) -> Result<super::transfer::ExportResult, AppError> {
    let app = state.satchel()?;
    let dir = super::transfer::export_dir();
    tauri::async_runtime::spawn_blocking(move || {
        let run = || -> satchel_core::error::Result<super::transfer::ExportResult> {
            let window = match (from, to) {
                (Some(f), Some(t)) => Some(satchel_core::calendar::api::parse_window(&f, &t, zone.as_deref().unwrap_or("UTC"))?),
                _ => None,
            };
            let text = app.calendar().export_ics(window, None)?;
            let count = text.matches("BEGIN:VEVENT").count() as u32;
            std::fs::create_dir_all(&dir)?;
            let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
            let path = dir.join(format!("satchel-calendar-{stamp}.ics"));
            std::fs::write(&path, text)?;
            Ok(super::transfer::ExportResult { path: path.display().to_string(), count })
        };
        run().map_err(|e| app.app_error(&e))
    })
    .await
    .map_err(|e| state.internal(&format!("export: {e}")))?
}
