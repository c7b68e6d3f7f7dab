//! Service commands: adapters over `satchel.service()`: the team's hours, holidays, SLA targets
//! and escalation rules; tickets, their queues, comments and workflow; the knowledge base. SLA
//! standings are worked out as of the app's clock (`crate::clock`).

use crate::state::AppState;
use satchel_core::error::CoreError;
use satchel_core::ids::SegmentId;
use satchel_core::service::queue::QueueFilter;
use satchel_core::service::settings::{EscalationRules, ServiceSettings};
use satchel_core::service::*;
use satchel_core::AppError;
use serde::{Deserialize, Serialize};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn service_settings(state: State<'_, AppState>) -> Result<ServiceSettings, AppError> {
    state.call(|s| s.service().settings())
}

/// Sets the business hours: days (`mon`...), `HH:MM` opening and closing, an IANA zone.
#[tauri::command]
#[specta::specta]
pub async fn set_service_hours(
    state: State<'_, AppState>,
    days: Vec<String>,
    open: String,
    close: String,
    tz: String,
) -> Result<ServiceSettings, AppError> {
    state.call(|s| s.service().set_hours(&days.join(","), &open, &close, &tz))
}

/// Marks a date (`YYYY-MM-DD`) a holiday, or with `working` a day off worked.
#[tauri::command]
#[specta::specta]
pub async fn set_service_day(state: State<'_, AppState>, date: String, working: bool) -> Result<ServiceSettings, AppError> {
    state.call(|s| s.service().set_day(&date, working))
}

#[tauri::command]
#[specta::specta]
pub async fn clear_service_day(state: State<'_, AppState>, date: String) -> Result<ServiceSettings, AppError> {
    state.call(|s| s.service().clear_day(&date))
}

/// How many days an .ics holiday calendar marked.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HolidayImport {
    pub holidays: u32,
    pub working_days: u32,
}

/// Marks the days of an .ics holiday calendar sent as the raw IPC body.
#[tauri::command]
pub async fn import_holidays(request: tauri::ipc::Request<'_>, state: State<'_, AppState>) -> Result<HolidayImport, AppError> {
    state.call(|s| match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => {
            s.service().import_holidays_ics(bytes).map(|(holidays, working_days)| HolidayImport { holidays, working_days })
        }
        tauri::ipc::InvokeBody::Json(_) => Err(CoreError::Internal("import_holidays expects a binary body".into())),
    })
}

/// Sets a priority's targets as business durations (`30m`, `4h`, `1h30m`).
#[tauri::command]
#[specta::specta]
pub async fn set_sla(
    state: State<'_, AppState>,
    priority: String,
    first_response: String,
    resolution: String,
) -> Result<ServiceSettings, AppError> {
    state.call(|s| s.service().set_sla(&priority, &first_response, &resolution))
}

#[tauri::command]
#[specta::specta]
pub async fn set_escalation(state: State<'_, AppState>, rules: EscalationRules) -> Result<ServiceSettings, AppError> {
    state.call(|s| s.service().set_escalation(&rules))
}

// ---- tickets ----

/// A queue's first `limit` tickets with their SLA badges.
#[tauri::command]
#[specta::specta]
pub async fn ticket_queue(state: State<'_, AppState>, filter: QueueFilter, limit: u32) -> Result<Vec<QueueItem>, AppError> {
    state.call(|s| s.service().queue_at(&filter, limit, crate::clock::now()))
}

#[tauri::command]
#[specta::specta]
pub async fn get_ticket(state: State<'_, AppState>, id: TicketId) -> Result<Ticket, AppError> {
    state.call(|s| s.service().ticket_at(&id, crate::clock::now()))
}

#[tauri::command]
#[specta::specta]
pub async fn create_ticket(state: State<'_, AppState>, input: TicketInput) -> Result<Ticket, AppError> {
    state.call(|s| s.service().create_ticket(&input))
}

#[tauri::command]
#[specta::specta]
pub async fn update_ticket(state: State<'_, AppState>, id: TicketId, input: TicketInput) -> Result<Ticket, AppError> {
    state.call(|s| s.service().update_ticket(&id, &input))
}

/// Moves a ticket along its workflow; closing may carry the customer's rating (1-5) and words.
#[tauri::command]
#[specta::specta]
pub async fn move_ticket(
    state: State<'_, AppState>,
    id: TicketId,
    to: Status,
    rating: Option<u8>,
    comment: String,
) -> Result<Ticket, AppError> {
    state.call(|s| {
        // The app's clock, as the badges: a test that moved it sees the move at that time.
        let now = crate::clock::now();
        s.service().move_ticket_at(&id, to, rating, &comment, now)?;
        s.service().ticket_at(&id, now)
    })
}

/// Hands tickets to someone (empty: nobody); returns how many.
#[tauri::command]
#[specta::specta]
pub async fn assign_tickets(state: State<'_, AppState>, ids: Vec<TicketId>, assignee: String) -> Result<u32, AppError> {
    state.call(|s| s.service().assign_tickets(&ids, &assignee))
}

/// Moves tickets to one status, all or none.
#[tauri::command]
#[specta::specta]
pub async fn move_tickets(state: State<'_, AppState>, ids: Vec<TicketId>, to: Status) -> Result<u32, AppError> {
    state.call(|s| s.service().move_tickets_at(&ids, to, crate::clock::now()))
}

#[tauri::command]
#[specta::specta]
pub async fn ticket_comments(state: State<'_, AppState>, id: TicketId) -> Result<Vec<TicketComment>, AppError> {
    state.call(|s| s.service().comments(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn add_ticket_comment(
    state: State<'_, AppState>,
    id: TicketId,
    body: String,
    internal: bool,
) -> Result<Vec<TicketComment>, AppError> {
    state.call(|s| s.service().add_comment_at(&id, &body, internal, crate::clock::now()))
}

/// The names tickets are assigned to, the user's own among them.
#[tauri::command]
#[specta::specta]
pub async fn ticket_assignees(state: State<'_, AppState>) -> Result<Vec<String>, AppError> {
    state.call(|s| s.service().assignees())
}

#[tauri::command]
#[specta::specta]
pub async fn ticket_views(state: State<'_, AppState>) -> Result<Vec<TicketView>, AppError> {
    state.call(|s| s.service().ticket_views())
}

#[tauri::command]
#[specta::specta]
pub async fn save_ticket_view(state: State<'_, AppState>, name: String, filter: QueueFilter) -> Result<TicketView, AppError> {
    state.call(|s| s.service().save_ticket_view(&name, &filter))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_ticket_view(state: State<'_, AppState>, id: SegmentId) -> Result<(), AppError> {
    state.call(|s| s.service().delete_ticket_view(&id))
}

// ---- the knowledge base ----

#[tauri::command]
#[specta::specta]
pub async fn search_articles(state: State<'_, AppState>, query: String, limit: u32) -> Result<Vec<ArticleHit>, AppError> {
    state.call(|s| s.service().search_articles(&query, limit))
}

/// Articles to offer beside a ticket's subject while it is typed.
#[tauri::command]
#[specta::specta]
pub async fn suggest_articles(state: State<'_, AppState>, subject: String, limit: u32) -> Result<Vec<ArticleHit>, AppError> {
    state.call(|s| s.service().suggest_articles(&subject, limit))
}

#[tauri::command]
#[specta::specta]
pub async fn get_article(state: State<'_, AppState>, id: ArticleId) -> Result<Article, AppError> {
    state.call(|s| s.service().get_article(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn create_article(state: State<'_, AppState>, input: ArticleInput) -> Result<Article, AppError> {
    state.call(|s| s.service().create_article(&input))
}

#[tauri::command]
#[specta::specta]
pub async fn update_article(state: State<'_, AppState>, id: ArticleId, input: ArticleInput) -> Result<Article, AppError> {
    state.call(|s| s.service().update_article(&id, &input))
}

/// Links an article to a ticket; returns the ticket's articles.
#[tauri::command]
#[specta::specta]
pub async fn link_article(state: State<'_, AppState>, ticket: TicketId, article: ArticleId) -> Result<Vec<Article>, AppError> {
    state.call(|s| s.service().link_article(&ticket, &article))
}

#[tauri::command]
#[specta::specta]
pub async fn ticket_articles(state: State<'_, AppState>, ticket: TicketId) -> Result<Vec<Article>, AppError> {
    state.call(|s| s.service().ticket_articles(&ticket))
}

/// Writes an article from a resolved ticket: its subject and description, the solution given.
#[tauri::command]
#[specta::specta]
pub async fn article_from_ticket(state: State<'_, AppState>, ticket: TicketId, solution: String) -> Result<Article, AppError> {
    state.call(|s| s.service().article_from_ticket(&ticket, &solution))
}
