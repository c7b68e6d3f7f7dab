//! The calendar module's API, reached as `satchel.calendar()`: events and series, their
//! occurrences on a page, clashes, tasks. Its in-memory state is the series cache
//! ([`query::SeriesCache`]), dropped whenever events change, here or by sync.

use super::query::{self, SeriesCache, Window};
use super::repo::{self, OccurrenceChange};
use super::validate::{self, CleanEvent};
use super::when::Moment;
use super::*;
use crate::error::{CoreError, Invalid, Result};
use crate::store::{Store, Touched};
use crate::Satchel;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The calendar's migrations, numbered in the store's one sequence.
pub const MIGRATIONS: &[crate::store::Migration] = &[
    crate::store::Migration { number: 15, sql: include_str!("migrations/0015_calendar.sql") },
    crate::store::Migration { number: 17, sql: include_str!("migrations/0017_deal_links.sql") },
];

#[derive(Default)]
pub struct State {
    series: Mutex<SeriesCache>,
}

impl State {
    fn series(&self) -> MutexGuard<'_, SeriesCache> {
        self.series.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl crate::modules::ModuleState for State {
    /// Nothing to build at open: the series load on the first calendar page.
    fn load(&self, _store: &Store) -> Result<()> {
        Ok(())
    }

    fn changed(&self, _app: &Satchel, touched: &BTreeSet<Touched>) -> Result<()> {
        let events = touched.iter().filter_map(|t| match t.table {
            "events" => Some(t.id.clone()),
            "event_overrides" => t.parent.clone(),
            _ => None,
        });
        self.series().touched(events);
        Ok(())
    }

    fn reload(&self, _app: &Satchel) -> Result<()> {
        self.series().invalidate();
        Ok(())
    }
}

impl Satchel {
    /// Events, series, tasks: see [`Calendar`].
    pub fn calendar(&self) -> Calendar<'_> {
        Calendar { app: self, state: &self.modules.calendar }
    }
}

/// A saved event and what it clashes with (a warning: the save happened).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedEvent {
    pub event: Event,
    pub clashes: Vec<Occurrence>,
}

/// The calendar's calls, borrowed from the app for one call. Other files of the module add
/// their own calls in `impl Calendar<'_>` blocks of their own (`ics.rs`, `reminders.rs`).
pub struct Calendar<'a> {
    pub(crate) app: &'a Satchel,
    pub(crate) state: &'a State,
}

/// How far ahead a new series is checked for clashes.
const CLASH_DAYS: i64 = 90;
const CLASH_OCCURRENCES: usize = 50;

impl Calendar<'_> {
    pub(crate) fn me(&self) -> String {
        self.app.store().profile().author.clone()
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    pub fn clean(&self, input: &EventInput) -> Result<CleanEvent> {
        validate::event(input, &self.me(), self.now())
    }

    /// What a new or changed event would clash with in its owner's calendar (the event itself
    /// left out): for a series, its occurrences in the next 90 days.
    pub fn clashes_of(&self, c: &CleanEvent, except: Option<&EventId>) -> Result<Vec<Occurrence>> {
        if c.starts.is_date() {
            return Ok(Vec::new());
        }
        let zone = c.zone();
        let length = match c.ends {
            Some(e) if e > c.starts => Duration::seconds(e.key() - c.starts.key()),
            _ => Duration::zero(),
        };
        let starts: Vec<Moment> = match c.series() {
            None => vec![c.starts],
            Some(s) => {
                let horizon = self.now().max(c.starts.instant_in(zone)) + Duration::days(CLASH_DAYS);
                let from = self.now() - length;
                s.starts_while(|m| m.instant_in(zone) < horizon)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|m| m.instant_in(zone) >= from)
                    .take(CLASH_OCCURRENCES)
                    .collect()
            }
        };
        let spans: Vec<_> = starts.iter().map(|s| (s.instant_in(zone), s.shifted(length).instant_in(zone))).collect();
        self.app.store().read(|conn| query::clashes(conn, &mut self.state.series(), &c.owner, &spans, except))
    }

    /// Checks a form before it is saved: its problems (as the save would refuse them), or what
    /// it would clash with.
    pub fn check(&self, input: &EventInput, except: Option<&EventId>) -> Result<Vec<Occurrence>> {
        let c = self.clean(input)?;
        self.clashes_of(&c, except)
    }

    pub fn create_event(&self, input: &EventInput) -> Result<SavedEvent> {
        let c = self.clean(input)?;
        let id = repo::create_event(self.app.store(), &c)?;
        self.app.settle()?;
        let clashes = self.clashes_of(&c, Some(&id))?;
        Ok(SavedEvent { event: repo::get_event(self.app.store(), &id)?, clashes })
    }

    pub fn get_event(&self, id: &EventId) -> Result<Event> {
        repo::get_event(self.app.store(), &id.checked()?)
    }

    /// Saves an edit: of a single event, or of a series' occurrence (`recurrence_id`) with the
    /// span the user chose. Returns the event saved (the new series for "this and following").
    pub fn update_event(&self, id: &EventId, input: &EventInput, span: Span, recurrence_id: Option<&str>) -> Result<SavedEvent> {
        let id = id.checked()?;
        let c = self.clean(input)?;
        let store = self.app.store();
        let row = store.read(|conn| repo::load_row(conn, &id))?.ok_or_else(|| CoreError::NotFound { what: "event", id: id.to_string() })?;
        let rid = match (row.series().is_some(), recurrence_id) {
            (true, Some(r)) if span != Span::All => {
                Some(Moment::parse_stored(r).ok_or_else(|| CoreError::invalid("recurrenceId", Invalid::DateTime))?)
            }
            _ => None,
        };
        let saved = match rid {
            None => {
                store.write(|w| repo::rewrite_event(w, &id, &c))?;
                id.clone()
            }
            Some(rid) if span == Span::This => {
                let differs = |new: &str, old: &str| (new != old).then(|| new.to_string());
                let ch = OccurrenceChange {
                    cancelled: c.status == EventStatus::Cancelled,
                    title: differs(&c.title, &row.title),
                    location: differs(&c.location, &row.location),
                    notes: differs(&c.notes, &row.notes),
                    starts: Some(c.starts),
                    ends: Some(c.ends.unwrap_or(c.starts)),
                };
                store.write(|w| repo::set_occurrence(w, &id, &rid, &ch))?;
                id.clone()
            }
            Some(rid) => {
                // This and following: the series ends before it, a new one starts with the edit.
                store.write(|w| {
                    let before = repo::end_series_before(w, &id, &rid)?;
                    let mut next = c.clone();
                    next.rrule = recount(&next.rrule, before);
                    next.rdates.retain(|m| *m >= c.starts);
                    repo::insert_event(w, &next, &row.uid)
                })?
            }
        };
        self.app.settle()?;
        let clashes = self.clashes_of(&c, Some(&saved))?;
        Ok(SavedEvent { event: repo::get_event(store, &saved)?, clashes })
    }

    /// Moves (drags) an occurrence to a new start and end, given as wall times in `zone` (or
    /// dates for an all-day one). A single event moves; a series' occurrence moves alone.
    pub fn move_occurrence(&self, id: &EventId, recurrence_id: Option<&str>, start: &str, end: &str, zone: &str) -> Result<SavedEvent> {
        let id = id.checked()?;
        let store = self.app.store();
        let row = store.read(|conn| repo::load_row(conn, &id))?.ok_or_else(|| CoreError::NotFound { what: "event", id: id.to_string() })?;
        let was = row.starts.ok_or_else(|| CoreError::NotFound { what: "event", id: id.to_string() })?;
        // A floating event stays floating; others are read in the zone the page is shown in.
        let page_zone = super::when::zone(zone).unwrap_or(Tz::UTC);
        let z = match was {
            Moment::Floating(_) | Moment::Date(_) => None,
            Moment::Utc(_) => Some(page_zone),
        };
        let parse = |field: &str, s: &str| {
            validate::parse_moment(s, was.is_date(), z)
                .ok_or_else(|| CoreError::invalid(field, if was.is_date() { Invalid::Date } else { Invalid::DateTime }))
        };
        let (s, e) = (parse("start", start)?, parse("end", end)?);
        if e < s || (s.is_date() && e == s) {
            return Err(CoreError::invalid("end", Invalid::EndsBeforeStart));
        }
        match (row.series().is_some(), recurrence_id) {
            (true, Some(r)) => {
                let rid = Moment::parse_stored(r).ok_or_else(|| CoreError::invalid("recurrenceId", Invalid::DateTime))?;
                let ch = OccurrenceChange { starts: Some(s), ends: Some(e), ..Default::default() };
                store.write(|w| repo::set_occurrence(w, &id, &rid, &ch))?;
            }
            _ => {
                store.write(|w| {
                    w.update(
                        &satchel_proto::tables::calendar::EVENTS,
                        id.as_str(),
                        &[("starts", rusqlite::types::Value::Text(s.stored())), ("ends", rusqlite::types::Value::Text(e.stored()))],
                    )
                    .map(|_| ())
                })?;
            }
        }
        self.app.settle()?;
        let length = Duration::seconds(e.key() - s.key());
        let clashes = if s.is_date() {
            Vec::new()
        } else {
            let span = (s.instant_in(page_zone), s.shifted(length).instant_in(page_zone));
            store.read(|conn| query::clashes(conn, &mut self.state.series(), &row.owner, &[span], Some(&id)))?
        };
        Ok(SavedEvent { event: repo::get_event(store, &id)?, clashes })
    }

    /// Deletes a single event, or a series' occurrence, or it and the ones after, or the whole
    /// series. A whole event goes to the trash (restorable).
    pub fn delete_event(&self, id: &EventId, span: Span, recurrence_id: Option<&str>) -> Result<()> {
        let id = id.checked()?;
        let store = self.app.store();
        let row = store.read(|conn| repo::load_row(conn, &id))?.ok_or_else(|| CoreError::NotFound { what: "event", id: id.to_string() })?;
        match (row.series().is_some(), recurrence_id, span) {
            (true, Some(r), Span::This | Span::Following) => {
                let rid = Moment::parse_stored(r).ok_or_else(|| CoreError::invalid("recurrenceId", Invalid::DateTime))?;
                if span == Span::This {
                    store.write(|w| repo::set_occurrence(w, &id, &rid, &OccurrenceChange { cancelled: true, ..Default::default() }))?;
                } else {
                    store.write(|w| repo::end_series_before(w, &id, &rid).map(|_| ()))?;
                }
            }
            _ => repo::delete_event(store, &id)?,
        }
        self.app.settle()
    }

    pub fn restore_event(&self, id: &EventId) -> Result<Event> {
        let id = id.checked()?;
        repo::restore_event(self.app.store(), &id)?;
        self.app.settle()?;
        self.get_event(&id)
    }

    /// Every occurrence overlapping [from, to) in `zone` of the owners' events (everyone's when
    /// `owners` is `None`), sorted by start then title.
    pub fn occurrences(&self, from: NaiveDate, to: NaiveDate, zone: Tz, owners: Option<&[String]>) -> Result<Vec<Occurrence>> {
        let w = Window::days(from, to, zone);
        self.app.store().read(|conn| query::occurrences(conn, &mut self.state.series(), &w, owners))
    }

    /// A calendar page as the UI and the CLI ask for it: days as `YYYY-MM-DD` ([from, to)), an
    /// IANA zone; bad values are refused naming `from`, `to` or `zone`.
    pub fn page(&self, from: &str, to: &str, zone: &str, owners: Option<&[String]>) -> Result<Vec<Occurrence>> {
        let (from, to, zone) = parse_window(from, to, zone)?;
        self.occurrences(from, to, zone, owners)
    }

    /// Everyone whose calendar this book holds: owners of events and tasks, and the authors of
    /// synced changes (the team), the user first.
    pub fn people(&self) -> Result<Vec<String>> {
        let me = self.me();
        let mut all: Vec<String> = self.app.store().read(|c| {
            let mut st = c.prepare_cached(
                "SELECT owner FROM events WHERE owner <> '' UNION SELECT owner FROM tasks WHERE owner <> ''
                 UNION SELECT author FROM sites WHERE author <> '' ORDER BY 1",
            )?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })?;
        all.retain(|p| *p != me);
        all.insert(0, me);
        Ok(all)
    }

    /// A customer's events (newest first) and tasks (open first), for its page.
    pub fn for_customer(&self, id: &CustomerId) -> Result<CustomerCalendar> {
        self.linked_to("customer_id", id.checked()?.as_str())
    }

    /// The events and tasks about a deal, for its page.
    pub fn for_deal(&self, id: &OpportunityId) -> Result<CustomerCalendar> {
        self.linked_to("opportunity_id", id.checked()?.as_str())
    }

    fn linked_to(&self, column: &'static str, id: &str) -> Result<CustomerCalendar> {
        self.app.store().read(|c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {} FROM events WHERE {column} = ?1 AND deleted_at IS NULL ORDER BY starts DESC LIMIT 100",
                repo::EVENT_COLUMNS
            ))?;
            let rows = st.query_map([id], repo::event_from_row)?;
            let events = rows.map(|r| r.map(|row| repo::to_event(row, Vec::new()))).collect::<rusqlite::Result<Vec<_>>>()?;
            let mut st = c.prepare_cached(&format!(
                "SELECT {} FROM tasks WHERE {column} = ?1 AND deleted_at IS NULL ORDER BY done_at IS NOT NULL, due_date = '', due_date, id LIMIT 100",
                repo::TASK_COLUMNS
            ))?;
            let rows = st.query_map([id], repo::task_from_row)?;
            let tasks = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(CustomerCalendar { events, tasks })
        })
    }

    /// Logs an occurrence that took place (a visit, a call) as an activity on its customer, and
    /// marks a single event done. The activity's time and length are the occurrence's.
    pub fn log_as_activity(
        &self,
        id: &EventId,
        recurrence_id: Option<&str>,
        outcome: &str,
        body: &str,
    ) -> Result<crate::customers::activities::Activity> {
        use crate::customers::activities::{ActivityInput, ActivityKind};
        let id = id.checked()?;
        let store = self.app.store();
        let row = store.read(|c| repo::load_row(c, &id))?.ok_or_else(|| CoreError::NotFound { what: "event", id: id.to_string() })?;
        let customer = row.customer_id.clone().ok_or_else(|| CoreError::invalid("customerId", Invalid::Required))?;
        let start = match recurrence_id.and_then(Moment::parse_stored) {
            Some(m) => m,
            None => row.starts.ok_or_else(|| CoreError::NotFound { what: "event", id: id.to_string() })?,
        };
        let at = start.instant_in(row.zone());
        let minutes = row.length().num_minutes();
        let input = ActivityInput {
            kind: match row.kind {
                EventKind::Visit => ActivityKind::Visit,
                EventKind::Call => ActivityKind::Call,
                _ => ActivityKind::Meeting,
            },
            occurred_at: at.to_rfc3339(),
            duration_minutes: (minutes > 0 && !start.is_date())
                .then(|| minutes.min(i64::from(crate::customers::activities::DURATION_MAX)) as i32),
            outcome: outcome.to_string(),
            body: if body.trim().is_empty() { row.title.clone() } else { body.to_string() },
        };
        let activity = self.app.customers().log_activity(&customer, &input)?;
        if row.series().is_none() {
            store.write(|w| {
                w.update(
                    &satchel_proto::tables::calendar::EVENTS,
                    id.as_str(),
                    &[("status", rusqlite::types::Value::Text(EventStatus::Done.as_str().into()))],
                )
                .map(|_| ())
            })?;
            self.app.settle()?;
        }
        Ok(activity)
    }

    // ---- tasks ----

    pub fn create_task(&self, input: &TaskInput) -> Result<Task> {
        let t = validate::task(input, &self.me(), self.now())?;
        let id = repo::create_task(self.app.store(), &t, self.now())?;
        self.app.settle()?;
        repo::get_task(self.app.store(), &id)
    }

    pub fn update_task(&self, id: &TaskId, input: &TaskInput) -> Result<Task> {
        let id = id.checked()?;
        let t = validate::task(input, &self.me(), self.now())?;
        repo::update_task(self.app.store(), &id, &t, self.now())?;
        self.app.settle()?;
        repo::get_task(self.app.store(), &id)
    }

    pub fn set_task_done(&self, id: &TaskId, done: bool) -> Result<Task> {
        let id = id.checked()?;
        repo::set_task_done(self.app.store(), &id, done, self.now())?;
        self.app.settle()?;
        repo::get_task(self.app.store(), &id)
    }

    pub fn get_task(&self, id: &TaskId) -> Result<Task> {
        repo::get_task(self.app.store(), &id.checked()?)
    }

    pub fn delete_task(&self, id: &TaskId) -> Result<()> {
        repo::delete_task(self.app.store(), &id.checked()?)?;
        self.app.settle()
    }

    /// A list of open (or done) tasks as seen on `today` (in the user's zone); `owners` empty:
    /// everyone's.
    pub fn tasks(&self, list: TaskList, today: NaiveDate, owners: &[String]) -> Result<Vec<Task>> {
        repo::tasks(self.app.store(), list, today, owners, 500)
    }
}

/// A day as typed (`YYYY-MM-DD`), refused naming `field`.
pub fn parse_day(field: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| CoreError::invalid(field, Invalid::Date))
}

/// Days and a zone as typed (`YYYY-MM-DD`, IANA), each refused by name.
pub fn parse_window(from: &str, to: &str, zone: &str) -> Result<(NaiveDate, NaiveDate, Tz)> {
    let mut p = crate::error::Problems::default();
    let day = |p: &mut crate::error::Problems, field: &str, s: &str| {
        let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        if d.is_none() {
            p.add(field, Invalid::Date);
        }
        d
    };
    let (f, t) = (day(&mut p, "from", from), day(&mut p, "to", to));
    let z = super::when::zone(zone);
    if z.is_none() {
        p.add("zone", Invalid::OneOf { value: zone.trim().into(), allowed: "Asia/Shanghai, America/New_York, Europe/Berlin, ...".into() });
    }
    if let (Some(f), Some(t)) = (f, t) {
        if t < f {
            p.add("to", Invalid::EndsBeforeStart);
        } else if (t - f).num_days() > 3700 {
            p.add("to", Invalid::OutOfRange { min: 0, max: 3700 });
        }
    }
    p.check()?;
    Ok((f.expect("checked"), t.expect("checked"), z.expect("checked")))
}

/// A customer's events and tasks, for its page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomerCalendar {
    pub events: Vec<Event>,
    pub tasks: Vec<Task>,
}

/// A split series' rule for its second part: a COUNT goes down by the occurrences the first part
/// kept (an UNTIL stays as it is).
fn recount(rule: &str, before: usize) -> String {
    rule.split(';')
        .map(|p| match p.split_once('=') {
            Some((k, v)) if k.trim().eq_ignore_ascii_case("COUNT") => {
                let n: usize = v.trim().parse().unwrap_or(1);
                format!("COUNT={}", n.saturating_sub(before).max(1))
            }
            _ => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_split_series_counts_what_is_left() {
        assert_eq!(super::recount("FREQ=WEEKLY;COUNT=10;BYDAY=TU", 4), "FREQ=WEEKLY;COUNT=6;BYDAY=TU");
        assert_eq!(super::recount("FREQ=DAILY;UNTIL=20270101T000000Z", 4), "FREQ=DAILY;UNTIL=20270101T000000Z");
    }
}
