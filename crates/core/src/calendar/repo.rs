//! The calendar's reads and writes. Every write goes through `Store::write` (one transaction, one
//! clock stamp, the change log); reads go through the read connection.

use super::validate::{CleanEvent, CleanTask};
use super::when::{self, Moment};
use super::*;
use crate::error::{CoreError, Result};
use crate::records::{trash, RecordRef};
use crate::store::{Store, Writer};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use chrono_tz::Tz;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use satchel_proto::schema::TableDef;
use satchel_proto::tables::calendar::{EVENT, EVENTS, EVENT_ATTENDEES, EVENT_OVERRIDES, REMINDER_MARKS, TASK, TASKS};
use satchel_proto::tables::customers::CUSTOMERS;

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// A link column as stored (empty for none) read back as an optional id.
fn some_id(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn moments_text(list: &[Moment]) -> String {
    list.iter().map(Moment::stored).collect::<Vec<_>>().join(",")
}

pub(crate) fn moments_parse(s: &str) -> Vec<Moment> {
    s.split(',').filter_map(|x| Moment::parse_stored(x.trim())).collect()
}

fn event_values(c: &CleanEvent) -> Vec<(&'static str, Value)> {
    vec![
        ("kind", text(c.kind.as_str())),
        ("title", text(&c.title)),
        ("location", text(&c.location)),
        ("notes", text(&c.notes)),
        ("owner", text(&c.owner)),
        ("visibility", text(&c.visibility)),
        ("starts", text(c.starts.stored())),
        ("ends", text(c.ends.map(|e| e.stored()).unwrap_or_default())),
        ("tz", text(&c.tz)),
        ("rrule", text(&c.rrule)),
        ("rdates", text(moments_text(&c.rdates))),
        ("exdates", text(moments_text(&c.exdates))),
        ("reminders", text(reminders_text(&c.reminders))),
        ("status", text(c.status.as_str())),
    ]
}

/// The customer and deal columns of an event or task. A linked customer or deal must exist (and
/// not be in the trash) when the link is made; a deal without a customer brings its own. The
/// customer may differ from the deal's: a meeting with a company's buyer about the company's deal
/// links the person.
fn links(w: &Writer<'_>, customer: Option<&CustomerId>, deal: Option<&OpportunityId>) -> Result<[(&'static str, Value); 2]> {
    use crate::error::Invalid;
    if let Some(id) = customer {
        if !matches!(w.deleted_at(&CUSTOMERS, id.as_str())?, Some(None)) {
            return Err(CoreError::invalid("customerId", Invalid::UnknownCompany));
        }
    }
    let mut customer = customer.map(|c| c.0.clone()).unwrap_or_default();
    if let Some(id) = deal {
        let deal_customer: Option<String> = w
            .conn()
            .prepare_cached("SELECT customer_id FROM opportunities WHERE id = ?1 AND deleted_at IS NULL")?
            .query_row([id.as_str()], |r| r.get(0))
            .optional()?;
        match deal_customer {
            None => return Err(CoreError::invalid("opportunityId", Invalid::Id)),
            Some(c) if customer.is_empty() => customer = c,
            Some(_) => {}
        }
    }
    Ok([("customer_id", text(customer)), ("opportunity_id", text(deal.map(|d| d.0.clone()).unwrap_or_default()))])
}

/// A live row of `t` (not missing, not in the trash), or "not found" naming `what`.
fn require(w: &Writer<'_>, t: &TableDef, what: &'static str, id: &str) -> Result<()> {
    match w.deleted_at(t, id)? {
        Some(None) => Ok(()),
        _ => Err(CoreError::NotFound { what, id: id.to_string() }),
    }
}

fn write_attendees(w: &mut Writer<'_>, event: &EventId, attendees: &[AttendeeInput]) -> Result<()> {
    let existing: Vec<String> = {
        let mut st =
            w.conn().prepare_cached("SELECT id FROM event_attendees WHERE event_id = ?1 AND deleted_at IS NULL ORDER BY position, id")?;
        let rows = st.query_map([event.as_str()], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (i, a) in attendees.iter().enumerate() {
        let values = vec![
            ("name", text(&a.name)),
            ("email", text(&a.email)),
            ("customer_id", a.customer_id.as_ref().map(|c| text(c.0.clone())).unwrap_or(Value::Null)),
            ("position", Value::Integer(i as i64)),
        ];
        match existing.get(i) {
            Some(row) => {
                w.update(&EVENT_ATTENDEES, row, &values)?;
            }
            None => {
                let mut v = vec![("event_id", text(event.as_str()))];
                v.extend(values);
                w.insert(&EVENT_ATTENDEES, AttendeeId::new().as_str(), &v)?;
            }
        }
    }
    for row in existing.iter().skip(attendees.len()) {
        w.tombstone(&EVENT_ATTENDEES, row)?;
    }
    Ok(())
}

/// Writes a new event inside a write (an import writes many in one).
pub fn insert_event(w: &mut Writer<'_>, c: &CleanEvent, uid: &str) -> Result<EventId> {
    let id = EventId::new();
    let mut v = event_values(c);
    v.extend(links(w, c.customer_id.as_ref(), c.opportunity_id.as_ref())?);
    v.push(("uid", text(uid)));
    w.insert(&EVENTS, id.as_str(), &v)?;
    write_attendees(w, &id, &c.attendees)?;
    Ok(id)
}

pub fn create_event(store: &Store, c: &CleanEvent) -> Result<EventId> {
    store.write(|w| insert_event(w, c, ""))
}

fn require_live(w: &Writer<'_>, id: &EventId) -> Result<()> {
    require(w, &EVENTS, "event", id.as_str())
}

/// Rewrites an event (or a whole series) inside a write. When a series' start moves, its changed
/// occurrences are kept only where the new rule still has an occurrence at their original time.
pub fn rewrite_event(w: &mut Writer<'_>, id: &EventId, c: &CleanEvent) -> Result<()> {
    for row in rewrite_event_keeping_overrides(w, id, c)? {
        w.tombstone(&EVENT_OVERRIDES, &row)?;
    }
    Ok(())
}

/// [`rewrite_event`], handing back the changed occurrences (their row ids) that no longer fit
/// instead of deleting them: an import that writes occurrences of the same event in the same
/// write deletes only those it did not write again (a row deleted and written back in one
/// write would set its `deleted_at` twice, which the store refuses).
pub fn rewrite_event_keeping_overrides(w: &mut Writer<'_>, id: &EventId, c: &CleanEvent) -> Result<Vec<String>> {
    require_live(w, id)?;
    let mut v = event_values(c);
    v.extend(links(w, c.customer_id.as_ref(), c.opportunity_id.as_ref())?);
    w.update(&EVENTS, id.as_str(), &v)?;
    write_attendees(w, id, &c.attendees)?;
    let overrides = overrides_of(w.conn(), id)?;
    if overrides.is_empty() {
        return Ok(Vec::new());
    }
    let keep: std::collections::HashSet<String> = match c.series() {
        Some(s) => {
            let last = overrides.iter().filter_map(|o| Moment::parse_stored(&o.recurrence_id)).max();
            s.starts_while(|m| Some(*m) <= last).unwrap_or_default().iter().map(Moment::stored).collect()
        }
        None => Default::default(),
    };
    Ok(overrides.into_iter().filter(|o| !keep.contains(&o.recurrence_id)).map(|o| o.id).collect())
}

pub fn update_event(store: &Store, id: &EventId, c: &CleanEvent) -> Result<()> {
    store.write(|w| rewrite_event(w, id, c))
}

/// Moves the event (with its attendees and changed occurrences) to the trash.
pub fn delete_event(store: &Store, id: &EventId) -> Result<()> {
    store.write(|w| {
        require_live(w, id)?;
        trash::delete_in(w, &RecordRef::new(&EVENT, id.as_str())).map(|_| ())
    })
}

pub fn restore_event(store: &Store, id: &EventId) -> Result<()> {
    store.write(|w| trash::restore_in(w, &RecordRef::new(&EVENT, id.as_str())).map(|_| ()))
}

/// One occurrence's own values (null: the series').
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverrideRow {
    pub id: String,
    pub event_id: String,
    pub recurrence_id: String,
    pub cancelled: bool,
    pub title: Option<String>,
    pub location: Option<String>,
    pub notes: Option<String>,
    pub starts: Option<String>,
    pub ends: Option<String>,
}

pub(crate) const OVERRIDE_COLUMNS: &str = "id, event_id, recurrence_id, cancelled, title, location, notes, starts, ends";

pub(crate) fn override_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OverrideRow> {
    Ok(OverrideRow {
        id: r.get(0)?,
        event_id: r.get(1)?,
        recurrence_id: r.get(2)?,
        cancelled: r.get::<_, i64>(3)? != 0,
        title: r.get(4)?,
        location: r.get(5)?,
        notes: r.get(6)?,
        starts: r.get(7)?,
        ends: r.get(8)?,
    })
}

pub fn overrides_of(c: &Connection, id: &EventId) -> Result<Vec<OverrideRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {OVERRIDE_COLUMNS} FROM event_overrides WHERE event_id = ?1 AND deleted_at IS NULL ORDER BY recurrence_id"
    ))?;
    let rows = st.query_map([id.as_str()], override_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What changes about one occurrence ("this occurrence" of an edit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OccurrenceChange {
    pub cancelled: bool,
    pub title: Option<String>,
    pub location: Option<String>,
    pub notes: Option<String>,
    pub starts: Option<Moment>,
    pub ends: Option<Moment>,
}

/// The row of one occurrence's own values.
pub fn override_row(id: &EventId, recurrence_id: &Moment) -> String {
    format!("{}.{}", id, recurrence_id.stored())
}

/// Writes one occurrence's own values: its row is `"<event>.<recurrence id>"`, so the same
/// occurrence changed on two laptops is one row, merged per column. Only the columns given are
/// written: the others keep following the series.
pub fn set_occurrence(w: &mut Writer<'_>, id: &EventId, recurrence_id: &Moment, ch: &OccurrenceChange) -> Result<()> {
    require_live(w, id)?;
    let row = override_row(id, recurrence_id);
    let mut v: Vec<(&'static str, Value)> = vec![("cancelled", Value::Integer(ch.cancelled.into()))];
    let opt = |s: &Option<String>| s.clone().map(Value::Text);
    for (col, val) in [
        ("title", opt(&ch.title)),
        ("location", opt(&ch.location)),
        ("notes", opt(&ch.notes)),
        ("starts", ch.starts.map(|m| text(m.stored()))),
        ("ends", ch.ends.map(|m| text(m.stored()))),
    ] {
        if let Some(val) = val {
            v.push((col, val));
        }
    }
    match w.deleted_at(&EVENT_OVERRIDES, &row)? {
        None => {
            v.push(("event_id", text(id.as_str())));
            v.push(("recurrence_id", text(recurrence_id.stored())));
            w.insert(&EVENT_OVERRIDES, &row, &v)
        }
        Some(_) => {
            v.push(("deleted_at", Value::Null));
            w.update(&EVENT_OVERRIDES, &row, &v).map(|_| ())
        }
    }
}

/// Ends a series before `at` ("this and following" of an edit or a delete): the rule gets an
/// UNTIL just before it (a COUNT is turned into the same UNTIL), later extra dates and changed
/// occurrences go. Returns how many occurrences came before `at` (for the new series' COUNT).
pub fn end_series_before(w: &mut Writer<'_>, id: &EventId, at: &Moment) -> Result<usize> {
    require_live(w, id)?;
    let row = load_row(w.conn(), id)?.ok_or_else(|| CoreError::NotFound { what: "event", id: id.to_string() })?;
    let series = row.series().ok_or_else(|| CoreError::NotFound { what: "occurrence", id: at.stored() })?;
    let before =
        series.starts_while(|m| m < at).map_err(|e| CoreError::invalid("rrule", crate::error::Invalid::Recurrence { reason: e.0 }))?;
    let until = match before.last() {
        None => None,
        Some(Moment::Date(d)) => Some(d.format("%Y%m%d").to_string()),
        Some(Moment::Floating(n)) => Some(n.format("%Y%m%dT%H%M%S").to_string()),
        Some(Moment::Utc(u)) => Some(u.format("%Y%m%dT%H%M%SZ").to_string()),
    };
    match until {
        // Nothing before: the whole series goes.
        None => {
            trash::delete_in(w, &RecordRef::new(&EVENT, id.as_str()))?;
        }
        Some(until) => {
            let rule = if series.rrule.is_empty() {
                String::new()
            } else {
                let mut parts: Vec<String> = series
                    .rrule
                    .split(';')
                    .filter(|p| {
                        let k = p.split('=').next().unwrap_or("").trim().to_ascii_uppercase();
                        k != "UNTIL" && k != "COUNT"
                    })
                    .map(String::from)
                    .collect();
                parts.push(format!("UNTIL={until}"));
                parts.join(";")
            };
            let rdates: Vec<Moment> = series.rdates.iter().copied().filter(|m| m < at).collect();
            w.update(&EVENTS, id.as_str(), &[("rrule", text(rule)), ("rdates", text(moments_text(&rdates)))])?;
            for o in overrides_of(w.conn(), id)? {
                if Moment::parse_stored(&o.recurrence_id).is_some_and(|m| m >= *at) {
                    w.tombstone(&EVENT_OVERRIDES, &o.id)?;
                }
            }
        }
    }
    Ok(before.len())
}

/// An event's row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub id: EventId,
    pub kind: EventKind,
    pub title: String,
    pub location: String,
    pub notes: String,
    pub owner: String,
    pub visibility: String,
    pub customer_id: Option<CustomerId>,
    pub opportunity_id: Option<OpportunityId>,
    pub starts: Option<Moment>,
    pub ends: Option<Moment>,
    pub tz: String,
    pub rrule: String,
    pub rdates: Vec<Moment>,
    pub exdates: Vec<Moment>,
    pub reminders: Vec<i32>,
    pub status: EventStatus,
    pub uid: String,
}

impl EventRow {
    pub fn zone(&self) -> Tz {
        when::zone(&self.tz).unwrap_or(Tz::UTC)
    }

    pub fn series(&self) -> Option<recur::Series> {
        let start = self.starts?;
        (!self.rrule.is_empty() || !self.rdates.is_empty()).then(|| recur::Series {
            start,
            tz: self.zone(),
            rrule: self.rrule.clone(),
            rdates: self.rdates.clone(),
            exdates: self.exdates.clone(),
        })
    }

    /// How long each occurrence lasts (none without an end, a day for a date without one).
    pub fn length(&self) -> Duration {
        match (self.starts, self.ends) {
            (Some(s), Some(e)) if e > s => Duration::seconds(e.key() - s.key()),
            (Some(Moment::Date(_)), _) => Duration::days(1),
            _ => Duration::zero(),
        }
    }
}

pub(crate) const EVENT_COLUMNS: &str =
    "id, kind, title, location, notes, owner, visibility, customer_id, starts, ends, tz, rrule, rdates, exdates, reminders, status, uid, opportunity_id";

pub(crate) fn event_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventRow> {
    let customer: String = r.get(7)?;
    Ok(EventRow {
        id: EventId(r.get(0)?),
        kind: EventKind::parse(&r.get::<_, String>(1)?),
        title: r.get(2)?,
        location: r.get(3)?,
        notes: r.get(4)?,
        owner: r.get(5)?,
        visibility: r.get(6)?,
        customer_id: (!customer.is_empty()).then_some(CustomerId(customer)),
        starts: Moment::parse_stored(&r.get::<_, String>(8)?),
        ends: Moment::parse_stored(&r.get::<_, String>(9)?),
        tz: r.get(10)?,
        rrule: r.get(11)?,
        rdates: moments_parse(&r.get::<_, String>(12)?),
        exdates: moments_parse(&r.get::<_, String>(13)?),
        reminders: reminders_parse(&r.get::<_, String>(14)?),
        status: EventStatus::parse(&r.get::<_, String>(15)?),
        uid: r.get(16)?,
        opportunity_id: some_id(r.get(17)?).map(OpportunityId),
    })
}

pub fn load_row(c: &Connection, id: &EventId) -> Result<Option<EventRow>> {
    Ok(c.prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1 AND deleted_at IS NULL"))?
        .query_row([id.as_str()], event_from_row)
        .optional()?)
}

/// A stored time as the form shows it: a date, or the wall time in the event's zone.
pub fn wall_text(m: &Moment, zone: Tz) -> String {
    match m {
        Moment::Date(d) => d.format("%Y-%m-%d").to_string(),
        other => other.local_in(zone).format("%Y-%m-%dT%H:%M").to_string(),
    }
}

pub fn get_event(store: &Store, id: &EventId) -> Result<Event> {
    store.read(|c| {
        let row = load_row(c, id)?.ok_or_else(|| CoreError::NotFound { what: "event", id: id.to_string() })?;
        let attendees = {
            let mut st = c.prepare_cached(
                "SELECT id, name, email, customer_id FROM event_attendees WHERE event_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
            )?;
            let rows = st.query_map([id.as_str()], |r| {
                Ok(Attendee {
                    id: AttendeeId(r.get(0)?),
                    name: r.get(1)?,
                    email: r.get(2)?,
                    customer_id: r.get::<_, Option<String>>(3)?.filter(|s| !s.is_empty()).map(CustomerId),
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        Ok(to_event(row, attendees))
    })
}

pub fn to_event(row: EventRow, attendees: Vec<Attendee>) -> Event {
    let zone = row.zone();
    let all_day = row.starts.is_some_and(|m| m.is_date());
    Event {
        start: row.starts.map(|m| wall_text(&m, zone)).unwrap_or_default(),
        end: row.ends.map(|m| wall_text(&m, zone)).unwrap_or_default(),
        rdates: row.rdates.iter().map(|m| wall_text(m, zone)).collect(),
        exdates: row.exdates.iter().map(|m| wall_text(m, zone)).collect(),
        id: row.id,
        kind: row.kind,
        title: row.title,
        location: row.location,
        notes: row.notes,
        all_day,
        tz: row.tz,
        rrule: row.rrule,
        reminders: row.reminders,
        customer_id: row.customer_id,
        opportunity_id: row.opportunity_id,
        owner: row.owner,
        visibility: row.visibility,
        status: row.status,
        uid: row.uid,
        attendees,
    }
}

/// The live event imported under an iCalendar UID, if any.
pub fn by_uid(c: &Connection, uid: &str) -> Result<Option<EventId>> {
    Ok(c.prepare_cached("SELECT id FROM events WHERE uid = ?1 AND uid <> '' AND deleted_at IS NULL ORDER BY id LIMIT 1")?
        .query_row([uid], |r| r.get(0).map(EventId))
        .optional()?)
}

// ---- tasks ----

fn task_values(t: &CleanTask, now: DateTime<Utc>, was_done: Option<Option<String>>) -> Vec<(&'static str, Value)> {
    let done_at = match (t.done, was_done) {
        (false, _) => Value::Null,
        // Done before: keep when it was done.
        (true, Some(Some(at))) => text(at),
        (true, _) => text(now.to_rfc3339_opts(SecondsFormat::Millis, true)),
    };
    vec![
        ("title", text(&t.title)),
        ("notes", text(&t.notes)),
        ("owner", text(&t.owner)),
        ("visibility", text(&t.visibility)),
        ("due_date", text(t.due_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default())),
        ("due_at", text(t.due_at.map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default())),
        ("tz", text(&t.tz)),
        ("priority", text(t.priority.as_str())),
        ("done_at", done_at),
        ("reminders", text(reminders_text(&t.reminders))),
    ]
}

pub fn create_task(store: &Store, t: &CleanTask, now: DateTime<Utc>) -> Result<TaskId> {
    store.write(|w| insert_task(w, t, now))
}

/// Writes a new task inside a write (a contract's payment instalments make theirs with it).
pub fn insert_task(w: &mut Writer<'_>, t: &CleanTask, now: DateTime<Utc>) -> Result<TaskId> {
    let id = TaskId::new();
    let mut v = task_values(t, now, None);
    v.extend(links(w, t.customer_id.as_ref(), t.opportunity_id.as_ref())?);
    w.insert(&TASKS, id.as_str(), &v)?;
    Ok(id)
}

pub fn update_task(store: &Store, id: &TaskId, t: &CleanTask, now: DateTime<Utc>) -> Result<()> {
    store.write(|w| {
        require(w, &TASKS, "task", id.as_str())?;
        let was: Option<String> =
            w.conn().prepare_cached("SELECT done_at FROM tasks WHERE id = ?1")?.query_row([id.as_str()], |r| r.get(0))?;
        let mut v = task_values(t, now, Some(was));
        v.extend(links(w, t.customer_id.as_ref(), t.opportunity_id.as_ref())?);
        w.update(&TASKS, id.as_str(), &v).map(|_| ())
    })
}

pub fn set_task_done(store: &Store, id: &TaskId, done: bool, now: DateTime<Utc>) -> Result<()> {
    store.write(|w| {
        require(w, &TASKS, "task", id.as_str())?;
        let v = if done { text(now.to_rfc3339_opts(SecondsFormat::Millis, true)) } else { Value::Null };
        w.update(&TASKS, id.as_str(), &[("done_at", v)]).map(|_| ())
    })
}

pub fn delete_task(store: &Store, id: &TaskId) -> Result<()> {
    store.write(|w| {
        require(w, &TASKS, "task", id.as_str())?;
        trash::delete_in(w, &RecordRef::new(&TASK, id.as_str())).map(|_| ())
    })
}

pub(crate) const TASK_COLUMNS: &str =
    "id, title, notes, owner, visibility, customer_id, due_date, due_at, tz, priority, done_at, reminders, opportunity_id";

pub(crate) fn task_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Task> {
    let customer: String = r.get(5)?;
    let tz: String = r.get(8)?;
    let due_at: String = r.get(7)?;
    let due_time = Moment::parse_stored(&due_at)
        .map(|m| m.local_in(when::zone(&tz).unwrap_or(Tz::UTC)).format("%H:%M").to_string())
        .unwrap_or_default();
    Ok(Task {
        id: TaskId(r.get(0)?),
        title: r.get(1)?,
        notes: r.get(2)?,
        owner: r.get(3)?,
        visibility: r.get(4)?,
        customer_id: (!customer.is_empty()).then_some(CustomerId(customer)),
        due_date: r.get(6)?,
        due_time,
        due_at: (!due_at.is_empty()).then_some(due_at),
        tz,
        priority: Priority::parse(&r.get::<_, String>(9)?),
        done_at: r.get(10)?,
        reminders: reminders_parse(&r.get::<_, String>(11)?),
        opportunity_id: some_id(r.get(12)?).map(OpportunityId),
    })
}

pub fn get_task(store: &Store, id: &TaskId) -> Result<Task> {
    store
        .read(|c| {
            Ok(c.prepare_cached(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?1 AND deleted_at IS NULL"))?
                .query_row([id.as_str()], task_from_row)
                .optional()?)
        })?
        .ok_or_else(|| CoreError::NotFound { what: "task", id: id.to_string() })
}

/// A list of tasks as seen on `today`: overdue, due today, upcoming (open, by due day), someday
/// (open, no due day), done (newest first). `owners` empty: everyone's.
pub fn tasks(store: &Store, list: TaskList, today: chrono::NaiveDate, owners: &[String], limit: u32) -> Result<Vec<Task>> {
    let day = today.format("%Y-%m-%d").to_string();
    let (cond, order) = match list {
        TaskList::Overdue => ("done_at IS NULL AND due_date <> '' AND due_date < ?1", "due_date, due_at, priority DESC, id"),
        TaskList::Today => ("done_at IS NULL AND due_date = ?1", "due_at = '', due_at, id"),
        TaskList::Upcoming => ("done_at IS NULL AND due_date > ?1", "due_date, due_at, id"),
        TaskList::Someday => ("done_at IS NULL AND due_date = '' AND ?1 = ?1", "id DESC"),
        TaskList::Done => ("done_at IS NOT NULL AND ?1 = ?1", "done_at DESC, id DESC"),
    };
    let owners_json = serde_json::to_string(owners).unwrap_or_else(|_| "[]".into());
    store.read(|c| {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE deleted_at IS NULL AND {cond}
               AND (?2 = '[]' OR owner IN (SELECT value FROM json_each(?2)))
             ORDER BY {order} LIMIT ?3"
        );
        let mut st = c.prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params![day, owners_json, limit.clamp(1, 5000)], task_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// The reminder marks (dismissed or snoozed) of one record.
pub fn mark_reminder(
    w: &mut Writer<'_>,
    record_type: &str,
    record: &str,
    due_at: &str,
    dismissed: Option<String>,
    snoozed: Option<String>,
) -> Result<()> {
    let row = format!("{record}@{due_at}");
    let v = vec![
        ("dismissed_at", dismissed.map(Value::Text).unwrap_or(Value::Null)),
        ("snoozed_until", snoozed.map(Value::Text).unwrap_or(Value::Null)),
    ];
    match w.deleted_at(&REMINDER_MARKS, &row)? {
        None => {
            let mut all = vec![("record_type", text(record_type)), ("record_id", text(record)), ("due_at", text(due_at))];
            all.extend(v);
            w.insert(&REMINDER_MARKS, &row, &all)
        }
        Some(_) => w.update(&REMINDER_MARKS, &row, &v).map(|_| ()),
    }
}
