//! Reminders that fire without a server: what is due at a time T, decided on this laptop from
//! the user's events, tasks and customers' birthdays, the synced reminder marks (dismissed,
//! snoozed) and what this laptop already showed (`reminders_shown`, local only).
//!
//! [`what_is_due`] is the rule, pure: candidates, marks, what was shown and T in; what to show
//! now out. The `impl Calendar` block below gathers the candidates from the store and writes the
//! marks; the desktop's worker asks it every so often and shows notifications.
//!
//! The rules:
//! - A reminder is keyed `"<record>@<due instant>"` (the synced mark's id): an occurrence moved
//!   to another time is a new reminder and fires again; the same one never fires twice here.
//! - Dismissed (here or on another laptop, after sync): never fires.
//! - Snoozed until U: fires (again) once at U, on every laptop, unless it was shown at or after U.
//! - It fires at its due time or, when the laptop was off or asleep then, once on wake, marked
//!   `missed` (due more than [`GRACE_MINUTES`] before T) — only when due in the last
//!   [`LOOKBACK_DAYS`] days, and per record only the newest one: a daily series missed for a
//!   week fires once; the older ones ride along (`covers`) and are marked with it.

use super::api::Calendar;
use super::repo;
use super::when::{self, wall_to_utc};
use super::{CustomerId, EventStatus, Task, TaskInput};
use crate::error::{CoreError, Invalid, Problems, Result};
use crate::i18n::Locale;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Missed reminders older than this are not shown on wake.
pub const LOOKBACK_DAYS: i64 = 7;
/// A reminder shown this late or less is on time; later, it was missed.
pub const GRACE_MINUTES: i64 = 2;
/// The `meta` key of the user's default reminders for new events (minutes before, `15,60`).
pub const DEFAULT_REMINDERS_KEY: &str = "calendar.default_reminders";
/// The default reminders before the user chooses any.
pub const DEFAULT_REMINDERS: &[i32] = &[15];
/// The hour of the day a date-only thing (an all-day event, a task due on a day, a birthday, a
/// "tomorrow" snooze) is reminded at, in the laptop's zone.
pub const MORNING_HOUR: u32 = 9;
/// Snoozes may push a reminder this far past its due time and still be found.
const SNOOZE_SLACK_DAYS: i64 = 2;

/// What a reminder reminds of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    Event,
    Task,
    Birthday,
}

impl ReminderKind {
    /// The record type it opens and is marked under (`event`, `task`, `customer`).
    pub fn record_type(self) -> &'static str {
        match self {
            ReminderKind::Event => "event",
            ReminderKind::Task => "task",
            ReminderKind::Birthday => "customer",
        }
    }
}

/// A reminder that could be due: one reminder offset of one occurrence, task or birthday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: ReminderKind,
    pub record_id: String,
    /// Which occurrence of a series (its recurrence id), for opening it.
    pub recurrence_id: Option<String>,
    pub title: String,
    /// When the occurrence starts, the task is due, the birthday's morning.
    pub starts_at: DateTime<Utc>,
    pub all_day: bool,
    pub minutes_before: i32,
    /// `starts_at` less `minutes_before`.
    pub due_at: DateTime<Utc>,
}

impl Candidate {
    pub fn key(&self) -> String {
        reminder_key(&self.record_id, self.due_at)
    }
}

/// A synced mark: dismissed, or snoozed until a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    pub dismissed: bool,
    pub snoozed_until: Option<DateTime<Utc>>,
}

/// One reminder to show now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub candidate: Candidate,
    /// When it asked to be shown: its due time, or the end of its snooze.
    pub fire_at: DateTime<Utc>,
    pub missed: bool,
    /// It fires at the end of a snooze.
    pub snoozed: bool,
    /// Older reminders of the same record that would have fired too (due instants): marked
    /// with this one, never shown on their own.
    pub covers: Vec<DateTime<Utc>>,
}

/// The stored form of an instant (`2027-01-12T01:00:00Z`), as in a reminder's key.
pub fn stored_instant(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn reminder_key(record_id: &str, due_at: DateTime<Utc>) -> String {
    format!("{record_id}@{}", stored_instant(due_at))
}

/// What to show at `now`: see the module's rules. `shown` is when this laptop showed each key;
/// sorted by when each fires, then key.
pub fn what_is_due(
    now: DateTime<Utc>,
    candidates: &[Candidate],
    marks: &HashMap<String, Mark>,
    shown: &HashMap<String, DateTime<Utc>>,
) -> Vec<Due> {
    let oldest = now - Duration::days(LOOKBACK_DAYS);
    let mut seen: HashSet<String> = HashSet::new();
    // Per record: (fires at, key, candidate, snoozed).
    type Live<'a> = (DateTime<Utc>, String, &'a Candidate, bool);
    let mut groups: HashMap<(ReminderKind, &str), Vec<Live<'_>>> = HashMap::new();
    for c in candidates {
        let key = c.key();
        if !seen.insert(key.clone()) {
            continue;
        }
        let mark = marks.get(&key).copied().unwrap_or_default();
        if mark.dismissed {
            continue;
        }
        let answered = match (shown.get(&key), mark.snoozed_until) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(u)) => *s >= u,
        };
        if answered {
            continue;
        }
        let fire = mark.snoozed_until.map_or(c.due_at, |u| u.max(c.due_at));
        if fire > now || fire < oldest {
            continue;
        }
        groups.entry((c.kind, c.record_id.as_str())).or_default().push((fire, key, c, fire > c.due_at));
    }
    let grace = now - Duration::minutes(GRACE_MINUTES);
    let mut out: Vec<Due> = groups
        .into_values()
        .map(|mut g| {
            g.sort_by(|a, b| (b.0, &b.1).cmp(&(a.0, &a.1)));
            let (fire, _, c, snoozed) = g[0].clone();
            let mut covers: Vec<DateTime<Utc>> = g[1..].iter().map(|x| x.2.due_at).collect();
            covers.sort();
            Due { candidate: c.clone(), fire_at: fire, missed: fire < grace, snoozed, covers }
        })
        .collect();
    out.sort_by_key(|d| (d.fire_at, d.candidate.key()));
    out
}

/// A reminder as the app shows it (a notification, the in-app list) and hands back to dismiss or
/// snooze it. Times are UTC RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DueReminder {
    /// `"<record>@<due instant>"`.
    pub key: String,
    pub kind: ReminderKind,
    /// `event`, `task` or `customer`: what opening it shows.
    pub record_type: String,
    pub record_id: String,
    pub recurrence_id: Option<String>,
    pub title: String,
    pub starts_at: String,
    pub all_day: bool,
    pub minutes_before: i32,
    /// The reminder's own time (stored form, as in its key).
    pub due_at: String,
    /// When it fired: its due time, or when its snooze ended.
    pub fire_at: String,
    /// Due while this laptop was off or asleep.
    pub missed: bool,
    pub snoozed: bool,
    /// Older reminders of the same record shown with this one (their due instants).
    pub covers: Vec<String>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl From<Due> for DueReminder {
    fn from(d: Due) -> Self {
        let c = d.candidate;
        DueReminder {
            key: c.key(),
            kind: c.kind,
            record_type: c.kind.record_type().to_string(),
            record_id: c.record_id,
            recurrence_id: c.recurrence_id,
            title: c.title,
            starts_at: rfc3339(c.starts_at),
            all_day: c.all_day,
            minutes_before: c.minutes_before,
            due_at: stored_instant(c.due_at),
            fire_at: rfc3339(d.fire_at),
            missed: d.missed,
            snoozed: d.snoozed,
            covers: d.covers.into_iter().map(stored_instant).collect(),
        }
    }
}

impl DueReminder {
    /// Its key and those of the reminders it covers.
    pub fn keys(&self) -> Vec<String> {
        std::iter::once(self.key.clone()).chain(self.covers.iter().map(|d| format!("{}@{d}", self.record_id))).collect()
    }

    /// What a notification says, in `locale`, times in `zone`: (summary, body).
    pub fn notice(&self, locale: Locale, zone: Tz) -> (String, String) {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&zone)).ok();
        let (start, fire) = (at(&self.starts_at), at(&self.fire_at));
        let date = start.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default();
        let time = match (start, fire) {
            (Some(s), Some(f)) if s.date_naive() == f.date_naive() => s.format("%H:%M").to_string(),
            (Some(s), _) => s.format("%Y-%m-%d %H:%M").to_string(),
            _ => String::new(),
        };
        let (summary, text) = match (self.kind, self.all_day) {
            (ReminderKind::Event, false) => (self.title.clone(), locale.text("reminders.eventStarts", &[("time", &time)])),
            (ReminderKind::Event, true) => (self.title.clone(), locale.text("reminders.eventAllDay", &[("date", &date)])),
            (ReminderKind::Task, false) => (self.title.clone(), locale.text("reminders.taskDue", &[("time", &time)])),
            (ReminderKind::Task, true) => (self.title.clone(), locale.text("reminders.taskDueDay", &[("date", &date)])),
            (ReminderKind::Birthday, _) => (
                locale.text("reminders.birthdayTitle", &[("name", &self.title)]),
                locale.text("reminders.birthdayBody", &[("date", &date)]),
            ),
        };
        let body = if self.missed { locale.text("reminders.missed", &[("text", &text)]) } else { text };
        (summary, body)
    }
}

/// The snooze choices: 10 minutes, an hour, or 09:00 tomorrow in the laptop's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Snooze {
    TenMinutes,
    OneHour,
    Tomorrow,
}

impl Snooze {
    pub const ALL: [Snooze; 3] = [Snooze::TenMinutes, Snooze::OneHour, Snooze::Tomorrow];

    pub fn until(self, now: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
        match self {
            Snooze::TenMinutes => now + Duration::minutes(10),
            Snooze::OneHour => now + Duration::hours(1),
            Snooze::Tomorrow => morning(now.with_timezone(&zone).date_naive() + Duration::days(1), zone),
        }
    }

    /// The notification action's identifier.
    pub fn action_key(self) -> &'static str {
        match self {
            Snooze::TenMinutes => "snooze-10",
            Snooze::OneHour => "snooze-60",
            Snooze::Tomorrow => "snooze-tomorrow",
        }
    }

    /// The button's words.
    pub fn label(self, locale: Locale) -> String {
        let key = match self {
            Snooze::TenMinutes => "reminders.snooze10",
            Snooze::OneHour => "reminders.snooze60",
            Snooze::Tomorrow => "reminders.snoozeTomorrow",
        };
        locale.text(key, &[])
    }
}

/// What the user did with a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderAction {
    /// Clicked it: open the record.
    Open,
    Snooze(Snooze),
    Dismiss,
}

impl ReminderAction {
    pub const DISMISS_KEY: &'static str = "dismiss";
    /// The freedesktop spec's action for a click on the notification itself.
    pub const OPEN_KEY: &'static str = "default";

    pub fn from_key(key: &str) -> Option<ReminderAction> {
        match key {
            Self::OPEN_KEY => Some(ReminderAction::Open),
            Self::DISMISS_KEY => Some(ReminderAction::Dismiss),
            k => Snooze::ALL.into_iter().find(|s| s.action_key() == k).map(ReminderAction::Snooze),
        }
    }

    /// The notification's actions, (identifier, words), in the order shown.
    pub fn buttons(locale: Locale) -> Vec<(String, String)> {
        let mut out = vec![(Self::OPEN_KEY.to_string(), locale.text("reminders.open", &[]))];
        out.extend(Snooze::ALL.iter().map(|s| (s.action_key().to_string(), s.label(locale))));
        out.push((Self::DISMISS_KEY.to_string(), locale.text("reminders.dismiss", &[])));
        out
    }
}

/// 09:00 on `day` in `zone`.
pub fn morning(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    wall_to_utc(day.and_time(NaiveTime::from_hms_opt(MORNING_HOUR, 0, 0).unwrap_or(NaiveTime::MIN)), zone)
}

/// The day a birthday (`YYYY-MM-DD`) falls on in `year`; 29 February on 28 February in other
/// years.
pub fn birthday_in(birthday: &str, year: i32) -> Option<NaiveDate> {
    let b = NaiveDate::parse_from_str(birthday.trim(), "%Y-%m-%d").ok()?;
    NaiveDate::from_ymd_opt(year, b.month(), b.day()).or_else(|| NaiveDate::from_ymd_opt(year, b.month(), b.day() - 1))
}

/// Checks a list of reminder offsets (minutes before): sorted, duplicates dropped.
pub fn clean_offsets(r: &[i32]) -> Result<Vec<i32>> {
    let mut p = Problems::default();
    if r.len() > super::validate::REMINDERS_MAX {
        p.add("reminders", Invalid::TooMany { max: super::validate::REMINDERS_MAX });
    }
    let max = super::validate::REMINDER_MINUTES_MAX;
    for (i, m) in r.iter().enumerate() {
        if !(0..=max).contains(m) {
            p.add(format!("reminders.{i}"), Invalid::OutOfRange { min: 0, max: max.into() });
        }
    }
    p.check()?;
    let mut out = r.to_vec();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

impl Calendar<'_> {
    /// The reminders new events get unless the user picks others (minutes before the start).
    pub fn default_reminders(&self) -> Result<Vec<i32>> {
        Ok(match self.app.store().meta(DEFAULT_REMINDERS_KEY)? {
            None => DEFAULT_REMINDERS.to_vec(),
            Some(s) => super::reminders_parse(&s),
        })
    }

    pub fn set_default_reminders(&self, minutes: &[i32]) -> Result<Vec<i32>> {
        let clean = clean_offsets(minutes)?;
        self.app.store().set_meta(&[(DEFAULT_REMINDERS_KEY, Some(super::reminders_text(&clean)))])?;
        Ok(clean)
    }

    /// Every reminder of the user's own events, open tasks and customers' birthdays due at or
    /// before `now` (back to the lookback and a snooze's slack), times read in `zone`.
    pub fn reminder_candidates(&self, now: DateTime<Utc>, zone: Tz) -> Result<Vec<Candidate>> {
        let me = self.me();
        let from = now - Duration::days(LOOKBACK_DAYS + SNOOZE_SLACK_DAYS);
        // A reminder due by now is of something that starts at most four weeks later.
        let to = now + Duration::minutes(super::validate::REMINDER_MINUTES_MAX.into()) + Duration::days(1);
        let mut out = Vec::new();
        let mut push = |c: Candidate| {
            if c.due_at >= from && c.due_at <= now {
                out.push(c);
            }
        };
        let (day_from, day_to) = (from.with_timezone(&zone).date_naive(), to.with_timezone(&zone).date_naive() + Duration::days(1));

        for o in self.occurrences(day_from, day_to, zone, Some(std::slice::from_ref(&me)))? {
            if o.reminders.is_empty() || o.status == EventStatus::Cancelled {
                continue;
            }
            let starts_at = if o.all_day {
                let Ok(d) = NaiveDate::parse_from_str(&o.start, "%Y-%m-%d") else { continue };
                morning(d, zone)
            } else {
                let Some(t) = parse_instant(&o.start) else { continue };
                t
            };
            for m in &o.reminders {
                push(Candidate {
                    kind: ReminderKind::Event,
                    record_id: o.event_id.to_string(),
                    recurrence_id: o.recurrence_id.clone(),
                    title: o.title.clone(),
                    starts_at,
                    all_day: o.all_day,
                    minutes_before: *m,
                    due_at: starts_at - Duration::minutes((*m).into()),
                });
            }
        }

        let tasks: Vec<Task> = self.app.store().read(|c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {} FROM tasks
                  WHERE deleted_at IS NULL AND owner = ?1 AND due_date >= ?2 AND due_date <= ?3
                    AND done_at IS NULL AND reminders <> ''",
                repo::TASK_COLUMNS
            ))?;
            let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
            let rows = st.query_map(
                rusqlite::params![me, day(day_from - Duration::days(1)), day(day_to + Duration::days(1))],
                repo::task_from_row,
            )?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        for t in tasks {
            let (starts_at, all_day) = match t.due_at.as_deref().and_then(when::Moment::parse_stored) {
                Some(m) => (m.instant_in(zone), false),
                None => {
                    let Ok(d) = NaiveDate::parse_from_str(&t.due_date, "%Y-%m-%d") else { continue };
                    (morning(d, zone), true)
                }
            };
            for m in &t.reminders {
                push(Candidate {
                    kind: ReminderKind::Task,
                    record_id: t.id.to_string(),
                    recurrence_id: None,
                    title: t.title.clone(),
                    starts_at,
                    all_day,
                    minutes_before: *m,
                    due_at: starts_at - Duration::minutes((*m).into()),
                });
            }
        }

        // Birthdays: the month-days in the window, then each year they may fall in.
        let mut month_days: Vec<String> = Vec::new();
        let mut d = day_from;
        while d <= now.with_timezone(&zone).date_naive() {
            month_days.push(d.format("%m-%d").to_string());
            if d.month() == 2 && d.day() == 28 {
                month_days.push("02-29".into());
            }
            d += Duration::days(1);
        }
        let people: Vec<(String, String, String)> = self.app.store().read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, name, birthday FROM customers
                  WHERE deleted_at IS NULL AND owner = ?1 AND birthday IS NOT NULL
                    AND substr(birthday, 6, 5) IN (SELECT value FROM json_each(?2))",
            )?;
            let md = serde_json::to_string(&month_days).unwrap_or_else(|_| "[]".into());
            let rows = st.query_map(rusqlite::params![me, md], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        for (id, name, birthday) in people {
            for year in [day_from.year(), now.with_timezone(&zone).year()] {
                let Some(day) = birthday_in(&birthday, year) else { continue };
                let starts_at = morning(day, zone);
                push(Candidate {
                    kind: ReminderKind::Birthday,
                    record_id: id.clone(),
                    recurrence_id: None,
                    title: name.clone(),
                    starts_at,
                    all_day: true,
                    minutes_before: 0,
                    due_at: starts_at,
                });
            }
        }
        Ok(out)
    }

    fn marks(&self, since: DateTime<Utc>) -> Result<HashMap<String, Mark>> {
        self.app.store().read(|c| {
            let mut st =
                c.prepare_cached("SELECT id, dismissed_at, snoozed_until FROM reminder_marks WHERE deleted_at IS NULL AND due_at >= ?1")?;
            let rows = st.query_map([stored_instant(since)], |r| {
                let dismissed: Option<String> = r.get(1)?;
                let snoozed: Option<String> = r.get(2)?;
                Ok((
                    r.get::<_, String>(0)?,
                    Mark { dismissed: dismissed.is_some_and(|d| !d.is_empty()), snoozed_until: snoozed.as_deref().and_then(parse_instant) },
                ))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn shown(&self, since: DateTime<Utc>) -> Result<HashMap<String, DateTime<Utc>>> {
        self.app.store().read(|c| {
            let mut st = c.prepare_cached("SELECT id, shown_at FROM reminders_shown WHERE shown_at >= ?1")?;
            let rows = st.query_map([rfc3339(since)], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            let mut out = HashMap::new();
            for row in rows {
                let (k, at) = row?;
                if let Some(at) = parse_instant(&at) {
                    out.insert(k, at);
                }
            }
            Ok(out)
        })
    }

    /// What this laptop should show now (notifications), times in the laptop's zone.
    pub fn due_reminders(&self, now: DateTime<Utc>) -> Result<Vec<DueReminder>> {
        self.due_reminders_in(now, when::system_zone())
    }

    pub fn due_reminders_in(&self, now: DateTime<Utc>, zone: Tz) -> Result<Vec<DueReminder>> {
        let since = now - Duration::days(LOOKBACK_DAYS + SNOOZE_SLACK_DAYS);
        let candidates = self.reminder_candidates(now, zone)?;
        let (marks, shown) = (self.marks(since)?, self.shown(since)?);
        Ok(what_is_due(now, &candidates, &marks, &shown).into_iter().map(DueReminder::from).collect())
    }

    /// The in-app list: every reminder that has fired in the lookback and is neither dismissed
    /// nor snoozed to later, shown here or not (one per record, as notifications are).
    pub fn reminder_list(&self, now: DateTime<Utc>) -> Result<Vec<DueReminder>> {
        self.reminder_list_in(now, when::system_zone())
    }

    pub fn reminder_list_in(&self, now: DateTime<Utc>, zone: Tz) -> Result<Vec<DueReminder>> {
        let since = now - Duration::days(LOOKBACK_DAYS + SNOOZE_SLACK_DAYS);
        let candidates = self.reminder_candidates(now, zone)?;
        let marks = self.marks(since)?;
        Ok(what_is_due(now, &candidates, &marks, &HashMap::new()).into_iter().map(DueReminder::from).collect())
    }

    /// Notes that this laptop showed a reminder (and those it covers) at `now`, so it does not
    /// show them again. Local bookkeeping, never synced; entries past any use are dropped.
    pub fn mark_shown(&self, r: &DueReminder, now: DateTime<Utc>) -> Result<()> {
        let keys = r.keys();
        let at = rfc3339(now);
        let stale = rfc3339(now - Duration::days(60));
        self.app.store().write_local(|tx| {
            let mut put = tx.prepare_cached("INSERT OR REPLACE INTO reminders_shown (id, shown_at) VALUES (?1, ?2)")?;
            for k in &keys {
                put.execute([k, &at])?;
            }
            tx.prepare_cached("DELETE FROM reminders_shown WHERE shown_at < ?1")?.execute([&stale])?;
            Ok(())
        })
    }

    /// Dismisses a reminder (and those it covers) on every laptop of the user, after sync.
    pub fn dismiss_reminder(&self, r: &DueReminder) -> Result<()> {
        let now = rfc3339(self.now());
        self.write_marks(r, |_| (Some(now.clone()), None))
    }

    /// Snoozes a reminder until `until`: it fires again then, here and on the user's other
    /// laptops. The older ones it covers are dismissed (they were shown in it).
    pub fn snooze_reminder(&self, r: &DueReminder, until: DateTime<Utc>) -> Result<()> {
        let now = rfc3339(self.now());
        let until = rfc3339(until);
        self.write_marks(r, |main| if main { (None, Some(until.clone())) } else { (Some(now.clone()), None) })
    }

    /// Snoozes by one of the choices offered, read in `zone`; returns when it fires again.
    pub fn snooze_reminder_for(&self, r: &DueReminder, choice: Snooze, zone: Tz) -> Result<DateTime<Utc>> {
        let until = choice.until(self.now(), zone);
        self.snooze_reminder(r, until)?;
        Ok(until)
    }

    fn write_marks(&self, r: &DueReminder, values: impl Fn(bool) -> (Option<String>, Option<String>)) -> Result<()> {
        if !["event", "task", "customer"].contains(&r.record_type.as_str()) {
            return Err(CoreError::invalid(
                "recordType",
                Invalid::OneOf { value: r.record_type.clone(), allowed: "event, task, customer".into() },
            ));
        }
        // A record's id is a UUID: anything else from the UI names nothing.
        if CustomerId::parse(&r.record_id).is_none() {
            return Err(CoreError::NotFound { what: "reminder", id: r.key.clone() });
        }
        let dues: Vec<(bool, &String)> = std::iter::once((true, &r.due_at)).chain(r.covers.iter().map(|d| (false, d))).collect();
        for (_, d) in &dues {
            if when::Moment::parse_stored(d).is_none() {
                return Err(CoreError::invalid("dueAt", Invalid::DateTime));
            }
        }
        self.app.store().write(|w| {
            for (main, d) in &dues {
                let (dismissed, snoozed) = values(*main);
                repo::mark_reminder(w, &r.record_type, &r.record_id, d, dismissed, snoozed)?;
            }
            Ok(())
        })?;
        self.app.settle()
    }

    /// "Follow up in N days" after a logged activity: a task linked to the customer, due on the
    /// day (in the laptop's zone), reminded at 09:00 that morning. An empty title reads "Follow
    /// up with <name>".
    pub fn follow_up(&self, customer: &CustomerId, days: u32, title: &str) -> Result<Task> {
        let zone = when::system_zone();
        self.follow_up_on(customer, days, title, self.now().with_timezone(&zone).date_naive(), zone)
    }

    pub fn follow_up_on(&self, customer: &CustomerId, days: u32, title: &str, today: NaiveDate, zone: Tz) -> Result<Task> {
        if days > 3650 {
            return Err(CoreError::invalid("days", Invalid::OutOfRange { min: 0, max: 3650 }));
        }
        let name: Option<String> = self.app.store().read(|c| {
            Ok(c.prepare_cached("SELECT name FROM customers WHERE id = ?1 AND deleted_at IS NULL")?
                .query_row([customer.as_str()], |r| r.get(0))
                .optional()?)
        })?;
        let name = name.ok_or_else(|| CoreError::NotFound { what: "customer", id: customer.to_string() })?;
        let title = match title.trim() {
            "" => self.app.locale().text("reminders.followUp", &[("name", &name)]),
            t => t.to_string(),
        };
        self.create_task(&TaskInput {
            title,
            due_date: (today + Duration::days(days.into())).format("%Y-%m-%d").to_string(),
            tz: zone.name().to_string(),
            reminders: vec![0],
            customer_id: Some(customer.clone()),
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_birthday_on_29_february_falls_on_the_28th_in_other_years() {
        assert_eq!(birthday_in("1992-02-29", 2027), NaiveDate::from_ymd_opt(2027, 2, 28));
        assert_eq!(birthday_in("1992-02-29", 2028), NaiveDate::from_ymd_opt(2028, 2, 29));
        assert_eq!(birthday_in("1980-07-01", 2027), NaiveDate::from_ymd_opt(2027, 7, 1));
        assert_eq!(birthday_in("July", 2027), None);
    }

    #[test]
    fn action_keys_read_back() {
        for (k, _) in ReminderAction::buttons(Locale::En) {
            assert!(ReminderAction::from_key(&k).is_some(), "{k}");
        }
        assert_eq!(ReminderAction::from_key("snooze-60"), Some(ReminderAction::Snooze(Snooze::OneHour)));
        assert_eq!(ReminderAction::from_key("default"), Some(ReminderAction::Open));
        assert_eq!(ReminderAction::from_key("__closed"), None);
    }
}
