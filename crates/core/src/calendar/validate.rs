//! A calendar form's input checked and turned into what is stored (pure: the time is passed in).
//! Every bad field is noted and the save refused with all of them, naming each field.

use super::recur::Series;
use super::when::{self, Moment};
use super::*;
use crate::error::{Invalid, Problems, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

pub const TITLE_MAX: usize = 300;
pub const LOCATION_MAX: usize = 500;
pub const NOTES_MAX: usize = 20_000;
pub const OWNER_MAX: usize = 200;
pub const RRULE_MAX: usize = 500;
pub const DATES_MAX: usize = 1000;
pub const REMINDERS_MAX: usize = 10;
/// Four weeks before, at most.
pub const REMINDER_MINUTES_MAX: i32 = 28 * 24 * 60;
pub const ATTENDEES_MAX: usize = 500;
/// An event lasts at most this many days (a trade fair, a holiday; not a calendar's worth).
pub const LENGTH_DAYS_MAX: i64 = 366;

/// An event as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanEvent {
    pub kind: EventKind,
    pub title: String,
    pub location: String,
    pub notes: String,
    pub starts: Moment,
    pub ends: Option<Moment>,
    /// IANA name; empty for a floating or all-day event.
    pub tz: String,
    pub rrule: String,
    pub rdates: Vec<Moment>,
    pub exdates: Vec<Moment>,
    pub reminders: Vec<i32>,
    pub customer_id: Option<CustomerId>,
    pub opportunity_id: Option<OpportunityId>,
    pub owner: String,
    pub visibility: String,
    pub status: EventStatus,
    pub attendees: Vec<AttendeeInput>,
}

impl CleanEvent {
    pub fn zone(&self) -> Tz {
        when::zone(&self.tz).unwrap_or(Tz::UTC)
    }

    pub fn series(&self) -> Option<Series> {
        (!self.rrule.is_empty() || !self.rdates.is_empty()).then(|| Series {
            start: self.starts,
            tz: self.zone(),
            rrule: self.rrule.clone(),
            rdates: self.rdates.clone(),
            exdates: self.exdates.clone(),
        })
    }
}

fn too_long(p: &mut Problems, field: &str, s: &str, max: usize) {
    if s.chars().count() > max {
        p.add(field, Invalid::TooLong { max });
    }
}

/// What events and tasks share: a required title, notes, and an owner (the user by default).
fn common(p: &mut Problems, title: &str, notes: &str, owner: &str, me: &str) -> (String, String, String) {
    let title = title.trim().to_string();
    if title.is_empty() {
        p.add("title", Invalid::Required);
    }
    too_long(p, "title", &title, TITLE_MAX);
    let notes = notes.trim_end().to_string();
    too_long(p, "notes", &notes, NOTES_MAX);
    let owner = match owner.trim() {
        "" => me.to_string(),
        o => o.to_string(),
    };
    too_long(p, "owner", &owner, OWNER_MAX);
    (title, notes, owner)
}

/// A wall time as typed: `YYYY-MM-DDTHH:MM` (seconds optional, a space for the `T` too).
pub fn parse_wall(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim().replacen(' ', "T", 1);
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"].iter().find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok())
}

/// One time of the form in the event's form: a date all day; else a wall time in `zone` (or an
/// RFC 3339 instant), floating when there is no zone.
pub fn parse_moment(s: &str, all_day: bool, zone: Option<Tz>) -> Option<Moment> {
    let s = s.trim();
    if all_day {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Moment::Date);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(match zone {
            Some(_) => Moment::Utc(t.with_timezone(&Utc)),
            None => Moment::Floating(t.naive_local()),
        });
    }
    let wall = parse_wall(s)?;
    Some(match zone {
        Some(z) => Moment::Utc(when::wall_to_utc(wall, z)),
        None => Moment::Floating(wall),
    })
}

fn visibility(p: &mut Problems, v: &str) -> String {
    match v.trim() {
        "" | "team" => "team".into(),
        "private" => "private".into(),
        other => {
            p.add("visibility", Invalid::OneOf { value: other.into(), allowed: "team, private".into() });
            "team".into()
        }
    }
}

fn reminders(p: &mut Problems, r: &[i32]) -> Vec<i32> {
    if r.len() > REMINDERS_MAX {
        p.add("reminders", Invalid::TooMany { max: REMINDERS_MAX });
    }
    for (i, m) in r.iter().enumerate() {
        if !(0..=REMINDER_MINUTES_MAX).contains(m) {
            p.add(format!("reminders.{i}"), Invalid::OutOfRange { min: 0, max: REMINDER_MINUTES_MAX.into() });
        }
    }
    let mut out: Vec<i32> = r.iter().copied().filter(|m| (0..=REMINDER_MINUTES_MAX).contains(m)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Notes each reminder of something still to come (at `start`) whose time has passed already.
fn past_reminders(p: &mut Problems, reminders: &[i32], start: DateTime<Utc>, now: DateTime<Utc>) {
    if start <= now {
        return;
    }
    for (i, m) in reminders.iter().enumerate() {
        if (0..=REMINDER_MINUTES_MAX).contains(m) && start - chrono::Duration::minutes((*m).into()) < now {
            p.add(format!("reminders.{i}"), Invalid::ReminderPast);
        }
    }
}

/// Checks an event form. `now` decides whether a reminder is already past; `owner` is who
/// saves it (the default owner).
pub fn event(input: &EventInput, me: &str, now: DateTime<Utc>) -> Result<CleanEvent> {
    let mut p = Problems::default();
    let (title, notes, owner) = common(&mut p, &input.title, &input.notes, &input.owner, me);
    let location = input.location.trim().to_string();
    too_long(&mut p, "location", &location, LOCATION_MAX);

    // The zone: IANA only; none for an all-day event (a date is the same date everywhere) or a
    // floating time.
    let zone = match input.tz.trim() {
        "" => None,
        name => match when::zone(name) {
            Some(z) => Some(z),
            None => {
                p.add("tz", Invalid::OneOf { value: name.into(), allowed: "Asia/Shanghai, America/New_York, Europe/Berlin, ...".into() });
                None
            }
        },
    };
    let zone = if input.all_day { None } else { zone };
    let moment = |p: &mut Problems, field: &str, s: &str| -> Option<Moment> {
        let m = parse_moment(s, input.all_day, zone);
        if m.is_none() {
            p.add(field, if input.all_day { Invalid::Date } else { Invalid::DateTime });
        }
        m
    };
    let starts = if input.start.trim().is_empty() {
        p.add("start", Invalid::Required);
        None
    } else {
        moment(&mut p, "start", &input.start)
    };
    let ends = if input.end.trim().is_empty() { None } else { moment(&mut p, "end", &input.end) };
    if let (Some(s), Some(e)) = (starts, ends) {
        if e < s || (s.is_date() && e == s) {
            p.add("end", Invalid::EndsBeforeStart);
        } else if (e.key() - s.key()) > LENGTH_DAYS_MAX * 86_400 {
            p.add("end", Invalid::OutOfRange { min: 0, max: LENGTH_DAYS_MAX });
        }
    }
    let rrule = input.rrule.trim().trim_start_matches("RRULE:").to_string();
    too_long(&mut p, "rrule", &rrule, RRULE_MAX);
    let dates = |p: &mut Problems, field: &str, list: &[String]| -> Vec<Moment> {
        if list.len() > DATES_MAX {
            p.add(field, Invalid::TooMany { max: DATES_MAX });
        }
        let mut out = Vec::new();
        for (i, d) in list.iter().enumerate() {
            match parse_moment(d, input.all_day, zone) {
                Some(m) => out.push(m),
                None => p.add(format!("{field}.{i}"), if input.all_day { Invalid::Date } else { Invalid::DateTime }),
            }
        }
        out.sort();
        out.dedup();
        out
    };
    let rdates = dates(&mut p, "rdates", &input.rdates);
    let exdates = dates(&mut p, "exdates", &input.exdates);
    let reminders = reminders(&mut p, &input.reminders);
    let visibility = visibility(&mut p, &input.visibility);
    if input.attendees.len() > ATTENDEES_MAX {
        p.add("attendees", Invalid::TooMany { max: ATTENDEES_MAX });
    }
    let mut attendees = Vec::new();
    for (i, a) in input.attendees.iter().enumerate() {
        let name = a.name.trim().to_string();
        let email = a.email.trim().to_lowercase();
        if name.is_empty() && email.is_empty() {
            continue;
        }
        too_long(&mut p, &format!("attendees.{i}.name"), &name, TITLE_MAX);
        if !email.is_empty() && email.parse::<email_address::EmailAddress>().is_err() {
            p.add(format!("attendees.{i}.email"), Invalid::Email);
        }
        attendees.push(AttendeeInput { name, email, customer_id: a.customer_id.clone() });
    }

    let clean = starts.map(|starts| CleanEvent {
        kind: input.kind,
        title,
        location,
        notes,
        starts,
        ends,
        tz: zone.map(|z| z.name().to_string()).unwrap_or_default(),
        rrule,
        rdates,
        exdates,
        reminders,
        customer_id: input.customer_id.clone(),
        opportunity_id: input.opportunity_id.clone(),
        owner,
        visibility,
        status: input.status,
        attendees,
    });
    if let Some(series) = clean.as_ref().and_then(CleanEvent::series) {
        if let Err(e) = series.check() {
            p.add("rrule", Invalid::Recurrence { reason: e.0 });
        }
    }
    // A reminder of an event still to come that would already be due: the user meant something
    // else (a reminder can only fire from now on). A past event's reminders are history.
    if let Some(c) = clean.as_ref().filter(|c| c.series().is_none()) {
        past_reminders(&mut p, &input.reminders, c.starts.instant_in(c.zone()), now);
    }
    p.check()?;
    Ok(clean.expect("a start was given when no problem was found"))
}

/// A task as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanTask {
    pub title: String,
    pub notes: String,
    pub due_date: Option<NaiveDate>,
    pub due_at: Option<DateTime<Utc>>,
    pub tz: String,
    pub priority: Priority,
    pub done: bool,
    pub reminders: Vec<i32>,
    pub customer_id: Option<CustomerId>,
    pub opportunity_id: Option<OpportunityId>,
    pub owner: String,
    pub visibility: String,
}

pub fn task(input: &TaskInput, me: &str, now: DateTime<Utc>) -> Result<CleanTask> {
    let mut p = Problems::default();
    let (title, notes, owner) = common(&mut p, &input.title, &input.notes, &input.owner, me);
    let zone = match when::zone(&input.tz) {
        Some(z) => z,
        None => {
            p.add(
                "tz",
                Invalid::OneOf { value: input.tz.trim().into(), allowed: "Asia/Shanghai, America/New_York, Europe/Berlin, ...".into() },
            );
            Tz::UTC
        }
    };
    let due_date = match input.due_date.trim() {
        "" => None,
        d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                p.add("dueDate", Invalid::Date);
                None
            }
        },
    };
    let due_time = match input.due_time.trim() {
        "" => None,
        t => match NaiveTime::parse_from_str(t, "%H:%M") {
            Ok(t) if due_date.is_some() || input.due_date.trim().is_empty() => Some(t),
            Ok(t) => Some(t),
            Err(_) => {
                p.add("dueTime", Invalid::DateTime);
                None
            }
        },
    };
    if due_time.is_some() && input.due_date.trim().is_empty() {
        p.add("dueDate", Invalid::Required);
    }
    let due_at = match (due_date, due_time) {
        (Some(d), Some(t)) => Some(when::wall_to_utc(d.and_time(t), zone)),
        _ => None,
    };
    let reminders = reminders(&mut p, &input.reminders);
    if !input.reminders.is_empty() && due_date.is_none() && input.due_date.trim().is_empty() {
        p.add("reminders", Invalid::Required);
    }
    if let (Some(at), false) = (due_at, input.done) {
        past_reminders(&mut p, &input.reminders, at, now);
    }
    let visibility = visibility(&mut p, &input.visibility);
    p.check()?;
    Ok(CleanTask {
        title,
        notes,
        due_date,
        due_at,
        tz: zone.name().to_string(),
        priority: input.priority,
        done: input.done,
        reminders,
        customer_id: input.customer_id.clone(),
        opportunity_id: input.opportunity_id.clone(),
        owner,
        visibility,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-06T00:00:00Z".parse().unwrap()
    }

    fn meeting(start: &str, end: &str) -> EventInput {
        EventInput { title: "Visit Acme".into(), start: start.into(), end: end.into(), tz: "Asia/Shanghai".into(), ..Default::default() }
    }

    #[test]
    fn a_good_meeting_is_stored_in_utc_with_its_zone() {
        let c = event(&meeting("2026-12-08T09:00", "2026-12-08T10:30"), "Wang", now()).unwrap();
        assert_eq!(c.starts.stored(), "2026-12-08T01:00:00Z");
        assert_eq!(c.ends.unwrap().stored(), "2026-12-08T02:30:00Z");
        assert_eq!((c.tz.as_str(), c.owner.as_str(), c.visibility.as_str()), ("Asia/Shanghai", "Wang", "team"));
        let all_day = event(&EventInput { all_day: true, ..meeting("2026-12-08", "2026-12-10") }, "Wang", now()).unwrap();
        assert_eq!((all_day.starts.stored(), all_day.tz.as_str()), ("2026-12-08".into(), ""));
    }

    #[test]
    fn bad_event_input_names_every_field() {
        let bad = EventInput {
            title: " ".into(),
            location: "x".repeat(LOCATION_MAX + 1),
            notes: "长".repeat(NOTES_MAX + 1),
            start: "2026-12-08T09:00".into(),
            end: "2026-12-08T08:00".into(),
            rrule: "FREQ=SOMETIMES".into(),
            reminders: vec![15, -5, REMINDER_MINUTES_MAX + 1],
            visibility: "everyone".into(),
            attendees: vec![AttendeeInput { name: "Li".into(), email: "not-an-email".into(), customer_id: None }],
            ..meeting("", "")
        };
        let err = event(&bad, "Wang", now()).unwrap_err();
        let fields = err.fields();
        for f in ["title", "location", "notes", "end", "rrule", "reminders.1", "reminders.2", "visibility", "attendees.0.email"] {
            assert!(fields.contains(&f.to_string()), "{f} missing from {fields:?}");
        }
        let cases = [
            (meeting("", ""), "start"),
            (meeting("soon", ""), "start"),
            (meeting("2026-12-08T09:00", "2026-12-08T25:00"), "end"),
            (EventInput { tz: "Mars/Olympus".into(), ..meeting("2026-12-08T09:00", "") }, "tz"),
            (EventInput { all_day: true, ..meeting("2026-12-08", "2026-12-08") }, "end"),
            (EventInput { all_day: true, ..meeting("2026-12-08T09:00", "") }, "start"),
            (meeting("2026-12-08T09:00", "2028-12-08T09:00"), "end"),
            (EventInput { exdates: vec!["x".into()], rrule: "FREQ=DAILY".into(), ..meeting("2026-12-08T09:00", "") }, "exdates.0"),
            // Tomorrow at 09:00 in Shanghai, reminded two days before: already past.
            (EventInput { reminders: vec![2 * 24 * 60], ..meeting("2026-12-07T09:00", "") }, "reminders.0"),
        ];
        for (input, want) in cases {
            let err = event(&input, "Wang", now()).unwrap_err();
            assert!(err.fields().contains(&want.to_string()), "{want}: {:?}", err.fields());
        }
    }

    #[test]
    fn a_past_event_may_keep_reminders() {
        let c = event(&EventInput { reminders: vec![15, 15, 0], ..meeting("2026-11-01T09:00", "") }, "Wang", now()).unwrap();
        assert_eq!(c.reminders, [0, 15]);
    }

    #[test]
    fn tasks() {
        let t = task(
            &TaskInput {
                title: "Send quote".into(),
                due_date: "2026-12-08".into(),
                due_time: "17:00".into(),
                tz: "Asia/Shanghai".into(),
                ..Default::default()
            },
            "Wang",
            now(),
        )
        .unwrap();
        assert_eq!(t.due_at.unwrap().to_rfc3339(), "2026-12-08T09:00:00+00:00");
        for (input, want) in [
            (TaskInput { title: "".into(), ..Default::default() }, "title"),
            (TaskInput { title: "x".into(), due_date: "2026-02-30".into(), ..Default::default() }, "dueDate"),
            (TaskInput { title: "x".into(), due_time: "17:00".into(), ..Default::default() }, "dueDate"),
            (TaskInput { title: "x".into(), due_date: "2026-12-08".into(), due_time: "5pm".into(), ..Default::default() }, "dueTime"),
            (TaskInput { title: "x".into(), tz: "Nowhere".into(), ..Default::default() }, "tz"),
        ] {
            assert!(task(&input, "Wang", now()).unwrap_err().fields().contains(&want.to_string()), "{want}");
        }
    }
}
