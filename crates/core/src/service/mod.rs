//! The service module: tickets with their SLA clock and escalation, and the knowledge base.
//!
//! - `sla.rs`: business time, pure: a team's hours, holidays and extra working days, a ticket's
//!   first-response and resolution due times with the clock stopped while it waits on the
//!   customer, and where a target stands (met, missed, paused, running, soon).
//! - `settings.rs`: the team's business hours, special days and SLA targets (synced rows).
//! - `queue.rs`: queues (mine, unassigned, breaching soon, breached...) over rows whose SLA
//!   instants are worked out once per change (pure); `api.rs` keeps them in memory.
//! - `escalate.rs`: which notices (soon, breached, the manager's) and actions (raise, reassign)
//!   a ticket's running target calls for at a moment, each once (pure; the desktop's scheduler
//!   asks it on each tick through `Service::due_notices`).
//! - `kb.rs`: the knowledge base's search by words and its suggestions for a subject (pure).
//! - `workflow.rs`: which status may follow which and what a move records (pure).
//! - `api.rs`: `satchel.service()`: settings; tickets made, edited, moved (singly or in bulk),
//!   commented, read and queued with their SLA; saved queues; the scheduler's notices; articles.
//! - `demo.rs`: demo tickets and articles for `satchel demo-data`.

pub mod api;
pub mod demo;
pub mod escalate;
pub mod kb;
pub mod queue;
pub mod search;
pub mod settings;
pub mod sla;
pub mod workflow;

pub use crate::ids::{ArticleId, ContractId, CustomerId, ProductId, TicketCommentId, TicketId, TicketPauseId};
use crate::records::fields::CustomValue;
use serde::{Deserialize, Serialize};

word_enum! {
    /// How urgent a ticket is; each has its own SLA targets.
    Priority as "TicketPriority" { Urgent = "urgent", High = "high", Normal = "normal", Low = "low" } default Normal
}

word_enum! {
    /// Where a ticket stands in the workflow.
    Status as "TicketStatus" { New = "new", Assigned = "assigned", InProgress = "in_progress", Waiting = "waiting", Resolved = "resolved", Closed = "closed" } default New
}

word_enum! {
    /// How the customer reached the team.
    Channel as "TicketChannel" { Phone = "phone", Email = "email", Visit = "visit", Chat = "chat", Other = "other" } default Other
}

/// What a new ticket is made from (the CLI's `ticket new`, the window's form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TicketInput {
    pub customer_id: Option<CustomerId>,
    pub subject: String,
    pub description: String,
    /// `urgent`, `high`, `normal` or `low`.
    pub priority: String,
    /// `phone`, `email`, `visit`, `chat` or `other`; empty: phone.
    pub channel: String,
    /// RFC 3339; empty: now. (A ticket taken on paper earlier is entered with its real time.)
    /// Ignored by an update: when a ticket was opened does not change.
    pub opened_at: String,
    /// Free words the team sorts its tickets by (`printer`, `billing`).
    #[serde(default)]
    pub category: String,
    /// Who works on it (a team member's name as the app knows them); empty: nobody yet.
    #[serde(default)]
    pub assignee: String,
    #[serde(default)]
    pub contract_id: Option<ContractId>,
    #[serde(default)]
    pub product_id: Option<ProductId>,
    /// Values of the team's custom fields for tickets.
    #[serde(default)]
    pub custom: Vec<CustomValue>,
}

/// Where one SLA target stands, as a badge reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum SlaStanding {
    Met,
    Missed,
    Paused,
    /// Business minutes left.
    Running {
        #[serde(rename = "minutesLeft")]
        minutes_left: i32,
    },
    Soon {
        #[serde(rename = "minutesLeft")]
        minutes_left: i32,
    },
}

impl From<sla::Standing> for SlaStanding {
    fn from(s: sla::Standing) -> Self {
        match s {
            sla::Standing::Met => Self::Met,
            sla::Standing::Missed => Self::Missed,
            sla::Standing::Paused => Self::Paused,
            sla::Standing::Running { left } => Self::Running { minutes_left: left.num_minutes().clamp(0, i64::from(i32::MAX)) as i32 },
            sla::Standing::Soon { left } => Self::Soon { minutes_left: left.num_minutes().clamp(0, i64::from(i32::MAX)) as i32 },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub id: TicketId,
    pub number: String,
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub subject: String,
    pub priority: Priority,
    pub status: Status,
    pub channel: Channel,
    pub assignee: String,
    /// RFC 3339 in the team's zone.
    pub opened_at: String,
    /// When the first answer and the solution are due (RFC 3339 in the team's zone); null while
    /// the clock is stopped or when the team's calendar has no working time.
    pub first_response_due: Option<String>,
    pub resolution_due: Option<String>,
    pub first_response: Option<SlaStanding>,
    pub resolution: Option<SlaStanding>,
    pub description: String,
    pub category: String,
    pub contract_id: Option<ContractId>,
    /// The contract's number, for its link.
    pub contract_number: String,
    pub product_id: Option<ProductId>,
    pub product_name: String,
    /// When the team first answered, resolved and closed it (RFC 3339, team's zone).
    pub first_response_at: Option<String>,
    pub resolved_at: Option<String>,
    pub closed_at: Option<String>,
    /// The customer's satisfaction (1-5) and words, recorded on close.
    pub rating: Option<u8>,
    pub rating_comment: String,
    /// The statuses the workflow allows next (the page's buttons).
    pub next: Vec<Status>,
    pub custom: Vec<CustomValue>,
}

/// A saved queue: a name and its filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TicketView {
    pub id: crate::ids::SegmentId,
    pub name: String,
    pub filter: queue::QueueFilter,
}

/// A comment on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TicketComment {
    pub id: TicketCommentId,
    pub body: String,
    /// For the team only (not said to the customer).
    pub internal: bool,
    pub author: String,
    /// RFC 3339 in the team's zone.
    pub created_at: String,
}

/// A ticket in a queue, with its running target's due time and badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QueueItem {
    pub id: TicketId,
    pub number: String,
    pub customer_name: String,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub assignee: String,
    /// RFC 3339 in the team's zone.
    pub opened_at: String,
    /// When the running target falls due (RFC 3339, team's zone); null when none runs.
    pub due: Option<String>,
    /// `breached`, `soon`, `running` or `none`.
    pub badge: String,
    /// Business minutes left until `due` (negative: business minutes past it); null when none
    /// runs. Counted by the core's clock, so the badge and its text agree.
    pub minutes_left: Option<i32>,
}

impl QueueItem {
    pub fn of(r: &queue::QueueRow, hours: &sla::BusinessHours, now: chrono::DateTime<chrono::Utc>) -> Self {
        let zone = hours.zone;
        let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&zone).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let badge = match (r.warn_at, r.due) {
            (_, Some(d)) if d <= now => "breached",
            (Some(w), Some(_)) if w <= now => "soon",
            (_, Some(_)) => "running",
            _ => "none",
        };
        Self {
            id: TicketId(r.id().to_string()),
            number: r.number().to_string(),
            customer_name: r.customer_name().to_string(),
            subject: r.subject().to_string(),
            status: r.status,
            priority: r.priority,
            assignee: r.assignee().to_string(),
            opened_at: local(r.opened),
            due: r.due.map(local),
            badge: badge.into(),
            minutes_left: r.due.map(|d| {
                let m =
                    if now <= d { sla::elapsed(hours, now, d, &[]).num_minutes() } else { -sla::elapsed(hours, d, now, &[]).num_minutes() };
                m.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
            }),
        }
    }
}

/// What an article is made from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ArticleInput {
    pub title: String,
    pub problem: String,
    pub solution: String,
    pub tags: Vec<String>,
    /// `en`, `zh`, or empty for any.
    pub language: String,
    /// The product it is about, if one.
    #[serde(default)]
    pub product_id: Option<ProductId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Article {
    pub id: ArticleId,
    pub title: String,
    pub problem: String,
    pub solution: String,
    pub tags: Vec<String>,
    pub language: String,
    /// The ticket it was written from.
    pub source_ticket_id: Option<TicketId>,
    pub product_id: Option<ProductId>,
}

/// An article found by a search or suggested for a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ArticleHit {
    pub id: ArticleId,
    pub title: String,
    pub language: String,
}

impl ArticleHit {
    pub fn of(r: &kb::ArticleRow) -> Self {
        Self { id: ArticleId(r.id.clone()), title: r.title.clone(), language: r.language.clone() }
    }
}
