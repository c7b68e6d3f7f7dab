//! The calendar module's tables: events (meetings, calls, visits, demos; one row per event or per
//! recurring series), the occurrences of a series that were moved, edited or cancelled, an
//! event's attendees, tasks, and reminder marks (a reminder dismissed or snoozed, which every
//! laptop of the user honours after sync).
//!
//! Times are text: a timed event's `starts`/`ends` are UTC (`2026-12-08T01:00:00Z`) with the IANA
//! zone it was made in (`tz`), which a recurrence is expanded in; an all-day event's are dates
//! (`2026-12-08`, the end exclusive); a floating time from an .ics file with no zone has no `Z`
//! and an empty `tz`, and is read in whatever zone the calendar is shown in.

use crate::records::{Part, RecordType};
use crate::schema::{Scope, TableDef, RECORD_TYPE};

/// An event or a recurring series: a root record with its own owner and visibility.
pub const EVENTS: TableDef = TableDef {
    name: "events",
    code: 20,
    columns: &[
        "kind",
        "title",
        "location",
        "notes",
        "owner",
        "visibility",
        "customer_id",
        "starts",
        "ends",
        "tz",
        // RFC 5545 RRULE value (`FREQ=WEEKLY;BYDAY=TU`), RDATE and EXDATE lists (comma-separated,
        // each in the form `starts` has); empty when the event does not repeat.
        "rrule",
        "rdates",
        "exdates",
        // Minutes before the start, comma-separated (`0,15`).
        "reminders",
        "status",
        // The iCalendar UID it was imported under (re-importing updates instead of duplicating).
        "uid",
        "deleted_at",
        // Appended, never reordered: the deal (sales opportunity) it is about, empty for none;
        // came with migration 0017.
        "opportunity_id",
    ],
    entity_column: None,
    scope: Scope::Root { visibility: "visibility", owner: "owner" },
};

/// One occurrence of a series changed on its own ("this occurrence"): id
/// `"<event>.<recurrence id>"`, so the same occurrence moved on two laptops offline is one row,
/// merged per column. A null column takes the series' value: moving an occurrence here and
/// retitling the series elsewhere both survive.
pub const EVENT_OVERRIDES: TableDef = TableDef {
    name: "event_overrides",
    code: 21,
    columns: &["event_id", "recurrence_id", "cancelled", "title", "location", "notes", "starts", "ends", "deleted_at"],
    entity_column: Some("event_id"),
    scope: Scope::Child { parent: "events", column: "event_id" },
};

/// Someone invited to an event: a teammate or a customer's person, by name and email.
pub const EVENT_ATTENDEES: TableDef = TableDef {
    name: "event_attendees",
    code: 22,
    columns: &["event_id", "name", "email", "customer_id", "position", "deleted_at"],
    entity_column: Some("event_id"),
    scope: Scope::Child { parent: "events", column: "event_id" },
};

/// A to-do with a due date (or a due time), a priority, and done or not.
pub const TASKS: TableDef = TableDef {
    name: "tasks",
    code: 23,
    columns: &[
        "title",
        "notes",
        "owner",
        "visibility",
        "customer_id",
        "due_date",
        "due_at",
        "tz",
        "priority",
        "done_at",
        "reminders",
        "deleted_at",
        // Appended (migration 0017): the deal it is about, empty for none.
        "opportunity_id",
    ],
    entity_column: None,
    scope: Scope::Root { visibility: "visibility", owner: "owner" },
};

/// A reminder the user dismissed or snoozed (id `"<record>@<due instant>"`), filed under the
/// event, task or person it reminds of, so it is dismissed on every laptop after sync.
pub const REMINDER_MARKS: TableDef = TableDef {
    name: "reminder_marks",
    code: 24,
    columns: &["record_id", "due_at", "dismissed_at", "snoozed_until", "deleted_at", RECORD_TYPE],
    entity_column: None,
    scope: Scope::Record { type_column: RECORD_TYPE, id_column: "record_id", default: "event" },
};

pub const TABLES: &[&TableDef] = &[&EVENTS, &EVENT_OVERRIDES, &EVENT_ATTENDEES, &TASKS, &REMINDER_MARKS];

/// An event (or a whole series): its attendees and changed occurrences are its parts.
pub const EVENT: RecordType = RecordType {
    name: "event",
    table: "events",
    title: "title",
    parts: &[Part { table: "event_attendees", field: "attendees" }, Part { table: "event_overrides", field: "occurrences" }],
};

pub const TASK: RecordType = RecordType { name: "task", table: "tasks", title: "title", parts: &[] };

pub const RECORD_TYPES: &[&RecordType] = &[&EVENT, &TASK];

/// Columns that may hold null (see `Module::nullable`).
pub const NULLABLE: &[&str] = &[
    "events.deleted_at",
    "event_overrides.title",
    "event_overrides.location",
    "event_overrides.notes",
    "event_overrides.starts",
    "event_overrides.ends",
    "event_overrides.deleted_at",
    "event_attendees.customer_id",
    "event_attendees.deleted_at",
    "tasks.done_at",
    "tasks.deleted_at",
    "reminder_marks.dismissed_at",
    "reminder_marks.snoozed_until",
    "reminder_marks.deleted_at",
];
