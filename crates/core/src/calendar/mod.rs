//! The calendar module: events (meetings, calls, visits, demos), recurring series and their
//! changed occurrences, tasks, and reminders. Reached as `satchel.calendar()` (`api.rs`).
//!
//! - `when.rs`: the three forms a time is stored in and how each reads in a zone (pure).
//! - `recur.rs`: RFC 5545 recurrence through the `rrule` crate (pure).
//! - `validate.rs`: a form's input checked and turned into stored values (pure).
//! - `repo.rs`: reads and writes through the store's one write door.
//! - `query.rs`: what a calendar page shows: occurrences overlapping a window, in a zone.
//! - `api.rs`: the module's calls and in-memory state (the series and their expansions).
//! - `reminders.rs`: what is due to remind of at a time (pure), and the calls that gather,
//!   show, dismiss and snooze reminders.
//! - `demo.rs`: demo events and series for `satchel demo-data`.

pub mod api;
pub mod demo;
pub mod ics;
pub mod query;
pub mod recur;
pub mod reminders;
pub mod repo;
pub mod search;
pub mod validate;
pub mod when;

pub use crate::ids::{AttendeeId, CustomerId, EventId, OpportunityId, TaskId};
use serde::{Deserialize, Serialize};

word_enum!(
    /// What kind of appointment an event is.
    EventKind { Meeting = "meeting", Call = "call", Visit = "visit", Demo = "demo", Other = "other" } default Other
);

word_enum!(
    /// Whether an event takes place; a done visit or call can be logged as an activity.
    EventStatus { Confirmed = "confirmed", Tentative = "tentative", Cancelled = "cancelled", Done = "done" } default Confirmed
);

word_enum!(
    Priority { Low = "low", Normal = "normal", High = "high" } default Normal
);

/// Someone invited to an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeInput {
    pub name: String,
    pub email: String,
    /// The customer's person this is, when known (matched by email on import).
    pub customer_id: Option<CustomerId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    pub id: AttendeeId,
    pub name: String,
    pub email: String,
    pub customer_id: Option<CustomerId>,
}

/// What the event form submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EventInput {
    pub kind: EventKind,
    pub title: String,
    pub location: String,
    pub notes: String,
    pub all_day: bool,
    /// All day: `YYYY-MM-DD`. Otherwise the wall time in `tz`, `YYYY-MM-DDTHH:MM[:SS]`.
    pub start: String,
    /// As `start`; exclusive for all-day events. Empty: one day all day, no length otherwise.
    pub end: String,
    /// The IANA zone the times are in (`Asia/Shanghai`); empty for a floating time (.ics only).
    pub tz: String,
    /// RFC 5545 RRULE value (`FREQ=WEEKLY;BYDAY=TU`); empty when it does not repeat.
    pub rrule: String,
    /// Extra occurrences and left-out ones, each in the form `start` has.
    pub rdates: Vec<String>,
    pub exdates: Vec<String>,
    /// Minutes before the start to remind at (0: at the start).
    pub reminders: Vec<i32>,
    pub customer_id: Option<CustomerId>,
    /// The deal (sales opportunity) it is about; its customer is taken when none is given.
    #[serde(default)]
    pub opportunity_id: Option<OpportunityId>,
    /// Whose calendar it is on; empty: the user's own.
    pub owner: String,
    /// `team` or `private`.
    pub visibility: String,
    pub status: EventStatus,
    pub attendees: Vec<AttendeeInput>,
}

impl Default for EventInput {
    fn default() -> Self {
        Self {
            kind: EventKind::Meeting,
            title: String::new(),
            location: String::new(),
            notes: String::new(),
            all_day: false,
            start: String::new(),
            end: String::new(),
            tz: "UTC".into(),
            rrule: String::new(),
            rdates: vec![],
            exdates: vec![],
            reminders: vec![],
            customer_id: None,
            opportunity_id: None,
            owner: String::new(),
            visibility: "team".into(),
            status: EventStatus::Confirmed,
            attendees: vec![],
        }
    }
}

/// An event or a whole series, as the form edits it (times as wall times in its zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: EventId,
    pub kind: EventKind,
    pub title: String,
    pub location: String,
    pub notes: String,
    pub all_day: bool,
    pub start: String,
    pub end: String,
    pub tz: String,
    pub rrule: String,
    pub rdates: Vec<String>,
    pub exdates: Vec<String>,
    pub reminders: Vec<i32>,
    pub customer_id: Option<CustomerId>,
    /// The deal (sales opportunity) it is about; its customer is taken when none is given.
    #[serde(default)]
    pub opportunity_id: Option<OpportunityId>,
    pub owner: String,
    pub visibility: String,
    pub status: EventStatus,
    /// The iCalendar UID it came in under (empty for one made here).
    pub uid: String,
    pub attendees: Vec<Attendee>,
}

/// One occurrence on a calendar page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Occurrence {
    pub event_id: EventId,
    /// Which occurrence of a series (its original start, stored form); null for a single event.
    pub recurrence_id: Option<String>,
    pub kind: EventKind,
    pub status: EventStatus,
    pub title: String,
    pub location: String,
    pub owner: String,
    pub customer_id: Option<CustomerId>,
    pub all_day: bool,
    /// In the zone asked for: RFC 3339 with its offset, or `YYYY-MM-DD` all day.
    pub start: String,
    /// As `start` (exclusive date all day). Equal to `start` for an event with no length.
    pub end: String,
    pub repeats: bool,
    /// This occurrence was moved or edited apart from its series.
    pub changed: bool,
    pub reminders: Vec<i32>,
}

/// Which occurrences an edit or delete of a series applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    /// Only this occurrence.
    This,
    /// This one and every later one (the series is split).
    Following,
    /// The whole series.
    All,
}

/// What the task form submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskInput {
    pub title: String,
    pub notes: String,
    /// `YYYY-MM-DD`, or empty for no due day.
    pub due_date: String,
    /// `HH:MM` on the due day in `tz`, or empty for the whole day.
    pub due_time: String,
    pub tz: String,
    pub priority: Priority,
    pub done: bool,
    pub reminders: Vec<i32>,
    pub customer_id: Option<CustomerId>,
    /// The deal (sales opportunity) it is about; its customer is taken when none is given.
    #[serde(default)]
    pub opportunity_id: Option<OpportunityId>,
    pub owner: String,
    pub visibility: String,
}

impl Default for TaskInput {
    fn default() -> Self {
        Self {
            title: String::new(),
            notes: String::new(),
            due_date: String::new(),
            due_time: String::new(),
            tz: "UTC".into(),
            priority: Priority::Normal,
            done: false,
            reminders: vec![],
            customer_id: None,
            opportunity_id: None,
            owner: String::new(),
            visibility: "team".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub notes: String,
    pub due_date: String,
    pub due_time: String,
    pub tz: String,
    /// The due instant (UTC RFC 3339) when it has a time.
    pub due_at: Option<String>,
    pub priority: Priority,
    /// When it was done (UTC RFC 3339), or null while open.
    pub done_at: Option<String>,
    pub reminders: Vec<i32>,
    pub customer_id: Option<CustomerId>,
    /// The deal (sales opportunity) it is about; its customer is taken when none is given.
    #[serde(default)]
    pub opportunity_id: Option<OpportunityId>,
    pub owner: String,
    pub visibility: String,
}

/// Which open tasks a list shows, as seen on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TaskList {
    Overdue,
    Today,
    Upcoming,
    /// Open tasks with no due day.
    Someday,
    Done,
}

pub(crate) fn reminders_text(r: &[i32]) -> String {
    r.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

pub(crate) fn reminders_parse(s: &str) -> Vec<i32> {
    s.split(',').filter_map(|x| x.trim().parse().ok()).collect()
}
