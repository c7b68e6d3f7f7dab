//! iCalendar (.ics, RFC 5545) import and export of events, as Google Calendar, Outlook, Apple
//! Calendar and Thunderbird write them.
//!
//! `calcard` parses each event's properties (values, parameters, escapes, RRULE, durations) and
//! writes the export (escaping, CRLF, folding, the VTIMEZONEs of the zones used). This file reads
//! the file's structure itself, line by line, so that a problem names the line it is on and one
//! broken event (a missing END:VEVENT, a line whose folding was broken by a mail program) does not
//! swallow the events after it.
//!
//! An import runs like the customers' imports: the file is read and every event checked like the
//! event form would check it, before anything is written; a file-level problem (not a calendar,
//! cut off, too large, an unknown time zone) refuses the whole file, an event's problem is a
//! [`RowError`] naming its line, UID and summary. Any refused event refuses the file unless the
//! caller asks to skip the refused ones. Then one write transaction: a refused file writes nothing.
//! An event is matched by its UID (`events.uid`), so importing the same file again updates the
//! events it made instead of adding copies.
//!
//! Time zones: a TZID is read as an IANA name, then as a Windows name (Outlook's "China Standard
//! Time": calcard carries the CLDR windowsZones table), or by the file's own VTIMEZONE (its
//! X-LIC-LOCATION, Outlook's X-MICROSOFT-CDO-TZID). A VTIMEZONE with one fixed offset and no
//! daylight saving becomes that offset's `Etc/GMT` zone, which is exact. Any other zone Satchel
//! cannot name refuses the file, naming the zone: guessing an IANA zone from a VTIMEZONE's
//! offsets (+01:00/+02:00 is Berlin, but also zones that change on other dates) would silently
//! move meetings by an hour for weeks of the year, which is worse than asking for a new export.

use super::api::Calendar;
use super::repo::{self, EventRow, OccurrenceChange, OverrideRow};
use super::validate::{self, CleanEvent, REMINDERS_MAX, REMINDER_MINUTES_MAX};
use super::when::{self, Moment};
use super::*;
use crate::error::{CoreError, FileProblem, Invalid, Result};
use crate::i18n::Locale;
use crate::records::import::{text, RowError};
use calcard::common::timezone::Tz as CalTz;
use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarAction, ICalendarClassification, ICalendarComponent, ICalendarComponentType, ICalendarDuration, ICalendarEntry,
    ICalendarParameter, ICalendarParameterName, ICalendarParameterValue, ICalendarPeriod, ICalendarProperty, ICalendarRelated,
    ICalendarStatus, ICalendarValue, ICalendarValueType, Uri,
};
use calcard::{Entry, Parser};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Timelike, Utc};
use chrono_tz::Tz;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Files larger than this are refused before they are read (a calendar of 100,000 events with
/// long descriptions is about 60 MB; a year of a busy salesperson's calendar is under 1 MB).
pub const MAX_ICS_BYTES: u64 = 50 * 1024 * 1024;

/// What an import did (or, when `errors` is not empty and refused events were not skipped, would
/// have refused: then nothing was written).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IcsImported {
    /// Events (or whole series) made new.
    pub created: u32,
    /// Events already imported under the same UID, rewritten from the file.
    pub updated: u32,
    /// Occurrences of a series moved, changed or cancelled (RECURRENCE-ID).
    pub occurrences: u32,
    /// Events refused (each has its errors in `errors`).
    pub refused: u32,
    /// Whether anything was written: false when events were refused and not skipped.
    pub written: bool,
    /// The refused events' problems: `row` is the line in the file, `column` the property.
    pub errors: Vec<RowError>,
}

impl Calendar<'_> {
    /// Imports an .ics file from disk; its size is checked before a byte is read.
    pub fn import_ics_file(&self, path: &Path, skip_invalid: bool) -> Result<IcsImported> {
        let size = std::fs::metadata(path)?.len();
        if size > MAX_ICS_BYTES {
            return Err(CoreError::File(FileProblem::TooLarge { bytes: size, max: MAX_ICS_BYTES }));
        }
        self.import_ics_with(&std::fs::read(path)?, skip_invalid)
    }

    /// Imports every event of an .ics file, or nothing when any event is refused.
    pub fn import_ics(&self, bytes: &[u8]) -> Result<IcsImported> {
        self.import_ics_with(bytes, false)
    }

    /// Imports an .ics file's events; `skip_invalid` imports the others when some are refused.
    pub fn import_ics_with(&self, bytes: &[u8], skip_invalid: bool) -> Result<IcsImported> {
        let l = self.app.locale();
        let text = decode(bytes)?;
        let read = read(&text, &self.me(), l)?;
        let mut out = IcsImported { refused: read.refused, errors: read.errors, ..Default::default() };
        if !out.errors.is_empty() && !skip_invalid {
            return Ok(out);
        }
        let emails = self.customer_emails(&read.events)?;
        self.app.store().write(|w| {
            // Changed occurrences a rewritten series no longer fits, deleted at the end unless
            // the file wrote them again (see `repo::rewrite_event_keeping_overrides`).
            let mut dropped: Vec<String> = Vec::new();
            let mut written: std::collections::HashSet<String> = std::collections::HashSet::new();
            for ev in &read.events {
                let mut clean = ev.clean.clone();
                for a in clean.attendees.iter_mut() {
                    if a.customer_id.is_none() && !a.email.is_empty() {
                        a.customer_id = emails.get(&a.email).cloned();
                    }
                }
                let id = match find(w.conn(), &ev.uid)? {
                    Some(id) => {
                        keep_links(w.conn(), &id, &mut clean)?;
                        dropped.extend(repo::rewrite_event_keeping_overrides(w, &id, &clean)?);
                        out.updated += 1;
                        id
                    }
                    None => {
                        out.created += 1;
                        repo::insert_event(w, &clean, &ev.uid)?
                    }
                };
                for o in &ev.overrides {
                    repo::set_occurrence(w, &id, &o.recurrence_id, &o.change)?;
                    written.insert(repo::override_row(&id, &o.recurrence_id));
                    out.occurrences += 1;
                }
            }
            // Changed occurrences of series imported before (the file holds only the instance).
            for o in &read.orphans {
                let found = find(w.conn(), &o.uid)?;
                let row = match &found {
                    Some(id) => repo::load_row(w.conn(), id)?,
                    None => None,
                };
                match (row, &o.clean) {
                    (Some(row), _) if row.series().is_some() && row.starts.is_some() => {
                        let (like, zone) = (row.starts.unwrap_or(o.recurrence_id.m), row.zone());
                        let rid = o.recurrence_id.coerce(&like, zone);
                        repo::set_occurrence(w, &row.id, &rid, &o.change(&row, &like, zone))?;
                        written.insert(repo::override_row(&row.id, &rid));
                        out.occurrences += 1;
                    }
                    (Some(row), Some(clean)) => {
                        let mut clean = clean.clone();
                        keep_links(w.conn(), &row.id, &mut clean)?;
                        dropped.extend(repo::rewrite_event_keeping_overrides(w, &row.id, &clean)?);
                        out.updated += 1;
                    }
                    (None, Some(clean)) => {
                        repo::insert_event(w, clean, &o.uid)?;
                        out.created += 1;
                    }
                    _ => {}
                }
            }
            for row in dropped.iter().filter(|r| !written.contains(*r)) {
                w.tombstone(&satchel_proto::tables::calendar::EVENT_OVERRIDES, row)?;
            }
            Ok(())
        })?;
        out.written = true;
        self.app.settle()?;
        Ok(out)
    }

    /// Live customers by each of their email addresses (lower case), for the attendees of the
    /// file's events; one read, and only when the file has attendees with an email.
    fn customer_emails(&self, events: &[ReadEvent]) -> Result<HashMap<String, CustomerId>> {
        if !events.iter().any(|e| e.clean.attendees.iter().any(|a| !a.email.is_empty())) {
            return Ok(HashMap::default());
        }
        self.app.store().read(|c| {
            let mut st = c.prepare(
                "SELECT lower(trim(e.value)), c.id FROM customer_emails e JOIN customers c ON c.id = e.customer_id
                  WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL AND e.value <> ''
                  ORDER BY c.kind = 'person' DESC, c.id",
            )?;
            let mut map = HashMap::default();
            let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (email, id) = row?;
                map.entry(email).or_insert(CustomerId(id)); // a person before a company, then the oldest
            }
            Ok(map)
        })
    }

    /// The calendar as an .ics file: every live event of `owners` (everyone's when `None`), or
    /// only those with an occurrence in [from, to) in the zone given. A series goes whole, with
    /// its changed occurrences (as RECURRENCE-ID events) and cancelled ones (as EXDATEs).
    pub fn export_ics(&self, window: Option<(NaiveDate, NaiveDate, Tz)>, owners: Option<&[String]>) -> Result<String> {
        let ids: Option<Vec<EventId>> = match window {
            None => None,
            Some((from, to, zone)) => {
                let mut ids: Vec<EventId> = self.occurrences(from, to, zone, owners)?.into_iter().map(|o| o.event_id).collect();
                ids.sort();
                ids.dedup();
                Some(ids)
            }
        };
        let events = self.app.store().read(|c| load_for_export(c, ids.as_deref(), owners))?;
        Ok(write(&events, Utc::now()))
    }
}

/// The event already imported under this UID; an event exported from Satchel without one was
/// given `<event id>@satchel`, which finds the event itself when the file comes back.
fn find(c: &rusqlite::Connection, uid: &str) -> Result<Option<EventId>> {
    if let Some(id) = repo::by_uid(c, uid)? {
        return Ok(Some(id));
    }
    match uid.strip_suffix(SATCHEL_UID) {
        Some(id) if !id.is_empty() => Ok(repo::load_row(c, &EventId(id.to_string()))?.map(|r| r.id)),
        _ => Ok(None),
    }
}

const SATCHEL_UID: &str = "@satchel";

// ---- reading ----

fn decode(bytes: &[u8]) -> Result<String> {
    if bytes.len() as u64 > MAX_ICS_BYTES {
        return Err(CoreError::File(FileProblem::TooLarge { bytes: bytes.len() as u64, max: MAX_ICS_BYTES }));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CoreError::File(FileProblem::Empty));
    }
    Ok(text::decode(bytes, None).map(|(t, _)| t)?)
}

/// Whether a file's first characters say it is an iCalendar file.
pub fn looks_like_ics(start: &str) -> bool {
    let s = start.trim_start_matches('\u{feff}').trim_start();
    s.get(.."BEGIN:VCALENDAR".len()).is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
}

/// One event's lines as found in the file, unfolded, with where it starts.
#[derive(Debug, Default)]
struct RawEvent {
    line: u32,
    text: String,
    /// The first line that is not a property line (broken folding), if any.
    bad_line: Option<u32>,
    /// No END:VEVENT before the next event or the end of the calendar.
    unterminated: bool,
}

#[derive(Debug, Default)]
struct RawFile {
    events: Vec<RawEvent>,
    zones: Vec<(u32, String)>,
}

/// A content line is `NAME[;PARAM=...]:value`, the name letters, digits and dashes; a colon inside
/// a quoted parameter value does not end the parameters.
fn is_content_line(line: &str) -> bool {
    let name_end = line.find([';', ':']).unwrap_or(line.len());
    let name = &line[..name_end];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return false;
    }
    let mut quoted = false;
    for c in line[name_end..].chars() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// `BEGIN:X` / `END:X` as (true/false, X upper case).
fn boundary(line: &str) -> Option<(bool, String)> {
    let (head, value) = line.split_once(':')?;
    let begin = if head.eq_ignore_ascii_case("BEGIN") {
        true
    } else if head.eq_ignore_ascii_case("END") {
        false
    } else {
        return None;
    };
    Some((begin, value.trim().to_ascii_uppercase()))
}

/// Splits the file into its events and time zones, unfolding lines (RFC 5545 3.1: a line that
/// starts with a space or a tab continues the one before).
fn scan(text: &str) -> Result<RawFile> {
    let mut out = RawFile::default();
    let mut logical: Vec<(u32, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let raw = if i == 0 { raw.trim_start_matches('\u{feff}') } else { raw };
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            if let Some(last) = logical.last_mut() {
                last.1.push_str(rest);
                continue;
            }
        }
        if raw.trim().is_empty() {
            continue;
        }
        logical.push((i as u32 + 1, raw.to_string()));
    }

    let mut seen_calendar = false;
    let mut last_line = 0;
    // The components open, outermost first; `event_at`/`zone_at` is where in it one started.
    let mut stack: Vec<String> = Vec::new();
    let mut event: Option<(usize, RawEvent)> = None;
    let mut zone: Option<(usize, u32, String)> = None;
    let close_event = |event: &mut Option<(usize, RawEvent)>, stack: &mut Vec<String>, out: &mut RawFile, ended: bool| {
        if let Some((at, mut ev)) = event.take() {
            // Components left open inside it (a VALARM without its END) end with it.
            let at = at.min(stack.len());
            for name in stack.drain(at..).skip(1).rev() {
                ev.text.push_str(&format!("END:{name}\r\n"));
            }
            ev.text.push_str("END:VEVENT\r\n");
            ev.unterminated = !ended;
            out.events.push(ev);
        }
    };
    for (no, line) in logical {
        last_line = no;
        match boundary(&line) {
            Some((true, name)) if name == "VCALENDAR" => {
                close_event(&mut event, &mut stack, &mut out, false);
                zone = None;
                stack.clear();
                stack.push(name);
                seen_calendar = true;
            }
            // Anything outside a calendar (a mail's text around it) is not ours to read.
            _ if stack.is_empty() => {}
            Some((false, name)) if name == "VCALENDAR" => {
                close_event(&mut event, &mut stack, &mut out, false);
                zone = None;
                stack.clear();
            }
            Some((true, name)) if name == "VEVENT" => {
                close_event(&mut event, &mut stack, &mut out, false);
                // A time zone left open (a damaged file) ends where an event begins.
                if let Some((at, ..)) = zone.take() {
                    stack.truncate(at);
                }
                event = Some((stack.len(), RawEvent { line: no, text: "BEGIN:VEVENT\r\n".into(), ..Default::default() }));
                stack.push(name);
            }
            Some((false, name)) if name == "VEVENT" && event.is_some() => close_event(&mut event, &mut stack, &mut out, true),
            Some((true, name)) if name == "VTIMEZONE" && event.is_none() => {
                zone = Some((stack.len(), no, format!("{line}\r\n")));
                stack.push(name);
            }
            Some((false, name)) if name == "VTIMEZONE" && zone.is_some() && event.is_none() => {
                if let Some((at, no, mut text)) = zone.take() {
                    text.push_str("END:VTIMEZONE\r\n");
                    out.zones.push((no, text));
                    stack.truncate(at);
                }
            }
            Some((true, name)) => {
                stack.push(name);
                if let Some((_, ev)) = event.as_mut() {
                    ev.text.push_str(&format!("{line}\r\n"));
                } else if let Some((_, _, text)) = zone.as_mut() {
                    text.push_str(&format!("{line}\r\n"));
                }
            }
            Some((false, name)) => {
                // Ends the innermost component of that name inside the event or zone, if open.
                let floor = event.as_ref().map(|e| e.0 + 1).or(zone.as_ref().map(|z| z.0 + 1)).unwrap_or(1);
                if let Some(pos) = stack.iter().rposition(|s| *s == name).filter(|p| *p >= floor) {
                    let unclosed: Vec<String> = stack.drain(pos..).skip(1).rev().collect();
                    let target = event.as_mut().map(|e| &mut e.1.text).or(zone.as_mut().map(|z| &mut z.2));
                    if let Some(text) = target {
                        for n in unclosed {
                            text.push_str(&format!("END:{n}\r\n"));
                        }
                        text.push_str(&format!("END:{name}\r\n"));
                    }
                }
            }
            None => {
                if let Some((_, ev)) = event.as_mut() {
                    if !is_content_line(&line) {
                        ev.bad_line.get_or_insert(no);
                        continue;
                    }
                    ev.text.push_str(&line);
                    ev.text.push_str("\r\n");
                } else if let Some((_, _, text)) = zone.as_mut() {
                    if is_content_line(&line) {
                        text.push_str(&line);
                        text.push_str("\r\n");
                    }
                }
            }
        }
    }
    if !seen_calendar {
        return Err(CoreError::File(FileProblem::NotIcalendar));
    }
    if !stack.is_empty() {
        // A download or a copy cut off: the events after the cut are missing, so none is imported.
        return Err(CoreError::File(FileProblem::CalendarCutOff { line: last_line }));
    }
    Ok(out)
}

/// The zones the file's TZIDs name.
struct Zones {
    /// Each VTIMEZONE's TZID, as Satchel names it (`None`: unknown).
    own: HashMap<String, Option<Tz>>,
}

/// A calcard zone as an IANA zone: a fixed offset of whole hours is `Etc/GMT-8` (IANA's sign is
/// reversed), which chrono-tz knows.
fn iana(tz: CalTz) -> Option<Tz> {
    match tz {
        CalTz::Tz(z) => Some(z),
        CalTz::Fixed(o) => fixed_zone(o.local_minus_utc()),
        CalTz::Floating => None,
    }
}

fn fixed_zone(seconds: i32) -> Option<Tz> {
    if seconds == 0 {
        return Some(Tz::UTC);
    }
    if seconds % 3600 != 0 {
        return None;
    }
    let h = -seconds / 3600;
    format!("Etc/GMT{}{}", if h > 0 { "+" } else { "-" }, h.abs()).parse().ok()
}

impl Zones {
    fn read(raw: &[(u32, String)]) -> Zones {
        let mut own = HashMap::default();
        for (_, text) in raw {
            let Entry::ICalendar(ical) = Parser::new(text).entry() else { continue };
            let Some(comp) = ical.components.first() else { continue };
            let Some(name) = comp.property(&ICalendarProperty::Tzid).and_then(|e| e.values.first()).and_then(|v| v.as_text()) else {
                continue;
            };
            let known = comp.timezone().and_then(|(_, tz)| iana(tz)).or_else(|| {
                // No name Satchel knows: a zone with one offset and no daylight saving is exact.
                let offsets: Vec<i32> = comp
                    .component_ids
                    .iter()
                    .filter_map(|id| ical.components.get(*id as usize))
                    .filter_map(|obs| obs.property(&ICalendarProperty::Tzoffsetto).and_then(|e| e.values.first()))
                    .filter_map(|v| match v {
                        ICalendarValue::PartialDateTime(p) => {
                            let s = i32::from(p.tz_hour?) * 3600 + i32::from(p.tz_minute.unwrap_or(0)) * 60;
                            Some(if p.tz_minus { -s } else { s })
                        }
                        _ => None,
                    })
                    .collect();
                match offsets.split_first() {
                    Some((first, rest)) if rest.iter().all(|o| o == first) => fixed_zone(*first),
                    _ => None,
                }
            });
            own.insert(name.to_string(), known);
        }
        Zones { own }
    }

    /// The zone a TZID names: the file's own VTIMEZONE first, then IANA and Windows names.
    fn resolve(&self, tzid: &str) -> Option<Tz> {
        let tzid = tzid.trim().trim_matches('"');
        match self.own.get(tzid) {
            Some(Some(z)) => Some(*z),
            _ => tzid.parse::<CalTz>().ok().and_then(iana),
        }
    }
}

/// A time as the file gives it: the moment, the zone it is in (none for a date or a floating
/// time), and its wall time as written.
#[derive(Debug, Clone, Copy)]
struct Time {
    m: Moment,
    zone: Option<Tz>,
    wall: NaiveDateTime,
}

impl Time {
    /// The same time in the form `like` has (an event's times all take its start's form): a date
    /// of a timed event is its midnight in `zone`, a wall time of a zoned one is read in `zone`.
    fn coerce(&self, like: &Moment, zone: Tz) -> Moment {
        match (like, self.m) {
            (Moment::Date(_), _) => Moment::Date(self.wall.date()),
            (Moment::Floating(_), _) => Moment::Floating(self.wall),
            (Moment::Utc(_), Moment::Utc(u)) => Moment::Utc(u),
            (Moment::Utc(_), _) => Moment::Utc(when::wall_to_utc(self.wall, zone)),
        }
    }
}

/// Why a time could not be read: not a date, or a zone no one can name (which refuses the file).
enum BadTime {
    Invalid,
    UnknownZone(String),
}

fn time_of(value: &ICalendarValue, tzid: Option<&str>, zones: &Zones) -> std::result::Result<Time, BadTime> {
    let p: &PartialDateTime = match value {
        ICalendarValue::PartialDateTime(p) => p,
        ICalendarValue::Period(ICalendarPeriod::Range { start, .. } | ICalendarPeriod::Duration { start, .. }) => start,
        _ => return Err(BadTime::Invalid),
    };
    let date = NaiveDate::from_ymd_opt(
        i32::from(p.year.ok_or(BadTime::Invalid)?),
        u32::from(p.month.ok_or(BadTime::Invalid)?),
        u32::from(p.day.ok_or(BadTime::Invalid)?),
    )
    .ok_or(BadTime::Invalid)?;
    if !p.has_time() {
        return Ok(Time { m: Moment::Date(date), zone: None, wall: date.and_time(NaiveTime::MIN) });
    }
    let t =
        NaiveTime::from_hms_opt(u32::from(p.hour.unwrap_or(0)), u32::from(p.minute.unwrap_or(0)), u32::from(p.second.unwrap_or(0)).min(59))
            .ok_or(BadTime::Invalid)?;
    let wall = date.and_time(t);
    if let Some(h) = p.tz_hour {
        // `Z` (or an offset, which RFC 5545 does not allow but some programs write).
        let s = i32::from(h) * 3600 + i32::from(p.tz_minute.unwrap_or(0)) * 60;
        let s = if p.tz_minus { -s } else { s };
        let u = (wall - Duration::seconds(i64::from(s))).and_utc();
        return Ok(Time { m: Moment::Utc(u), zone: Some(Tz::UTC), wall });
    }
    match tzid.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Time { m: Moment::Floating(wall), zone: None, wall }),
        Some(name) => match zones.resolve(name) {
            Some(z) => Ok(Time { m: Moment::Utc(when::wall_to_utc(wall, z)), zone: Some(z), wall }),
            None => Err(BadTime::UnknownZone(name.to_string())),
        },
    }
}

fn duration_seconds(d: &ICalendarDuration) -> i64 {
    let s = (i64::from(d.weeks) * 7 + i64::from(d.days)) * 86_400
        + i64::from(d.hours) * 3600
        + i64::from(d.minutes) * 60
        + i64::from(d.seconds);
    if d.neg {
        -s
    } else {
        s
    }
}

/// `start` + a DURATION: days and weeks are calendar days (09:00 stays 09:00 across a change of
/// clocks, RFC 5545 3.3.6), hours and shorter are exact.
fn plus_duration(start: &Moment, d: &ICalendarDuration, zone: Tz) -> Moment {
    let days = (i64::from(d.weeks) * 7 + i64::from(d.days)) * if d.neg { -1 } else { 1 };
    let exact = duration_seconds(d) - days * 86_400;
    match start {
        Moment::Date(x) => Moment::Date(*x + Duration::days(days + exact.div_euclid(86_400))),
        Moment::Floating(n) => Moment::Floating(*n + Duration::days(days) + Duration::seconds(exact)),
        Moment::Utc(u) => {
            let wall = u.with_timezone(&zone).naive_local() + Duration::days(days);
            Moment::Utc(when::wall_to_utc(wall, zone) + Duration::seconds(exact))
        }
    }
}

/// How the event form reads a time: a date, a floating wall time, or an exact instant.
fn input_text(m: &Moment) -> String {
    match m {
        Moment::Date(d) => d.format("%Y-%m-%d").to_string(),
        Moment::Floating(n) => n.format("%Y-%m-%dT%H:%M:%S").to_string(),
        Moment::Utc(u) => u.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

fn text_of(comp: &ICalendarComponent, prop: &ICalendarProperty) -> String {
    comp.property(prop)
        .map(|e| e.values.iter().filter_map(|v| v.as_text()).collect::<Vec<_>>().join(","))
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn x_text(comp: &ICalendarComponent, name: &str) -> String {
    comp.entries
        .iter()
        .find(|e| matches!(&e.name, ICalendarProperty::Other(n) if n.eq_ignore_ascii_case(name)))
        .and_then(|e| e.values.first())
        .and_then(|v| v.as_text())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// One changed occurrence of a series, read from a RECURRENCE-ID event.
#[derive(Debug, Clone)]
struct ReadOverride {
    recurrence_id: Moment,
    change: OccurrenceChange,
}

/// An event ready to write.
#[derive(Debug, Clone)]
struct ReadEvent {
    uid: String,
    clean: CleanEvent,
    overrides: Vec<ReadOverride>,
}

/// A RECURRENCE-ID event whose series is not in the file: a changed occurrence of a series
/// imported before, or (Google's export of a single invitation to one occurrence) an event of its
/// own when no such series is found.
#[derive(Debug, Clone)]
struct Orphan {
    uid: String,
    recurrence_id: Time,
    start: Option<Time>,
    end: Option<Time>,
    cancelled: bool,
    /// The occurrence checked as an event of its own (none when it is cancelled).
    clean: Option<CleanEvent>,
}

impl Orphan {
    fn change(&self, series: &EventRow, like: &Moment, zone: Tz) -> OccurrenceChange {
        let start = self.start.map(|s| s.coerce(like, zone));
        let end = match (start, self.end.map(|e| e.coerce(like, zone))) {
            (Some(s), Some(e)) if e >= s => Some(e),
            (Some(s), _) => Some(s.shifted(series.length())),
            _ => None,
        };
        let differs = |new: &str, old: &str| (new != old).then(|| new.to_string());
        let c = self.clean.as_ref();
        OccurrenceChange {
            cancelled: self.cancelled,
            title: c.and_then(|c| differs(&c.title, &series.title)),
            location: c.and_then(|c| differs(&c.location, &series.location)),
            notes: c.and_then(|c| differs(&c.notes, &series.notes)),
            starts: start,
            ends: end,
        }
    }
}

/// One VEVENT as read, before it is grouped with the others of its UID.
struct Parsed {
    line: u32,
    uid: String,
    recurrence_id: Option<Time>,
    start: Option<Time>,
    end: Option<Time>,
    cancelled: bool,
    input: EventInput,
    /// Problems found while reading, as (property, message).
    problems: Vec<(String, String)>,
}

struct Read {
    events: Vec<ReadEvent>,
    orphans: Vec<Orphan>,
    errors: Vec<RowError>,
    refused: u32,
}

/// The property a form field comes from, so that a refused value names what the file calls it.
fn property_of(field: &str) -> &'static str {
    match field.split('.').next().unwrap_or(field) {
        "title" => "SUMMARY",
        "location" => "LOCATION",
        "notes" => "DESCRIPTION",
        "start" | "tz" => "DTSTART",
        "end" => "DTEND",
        "rrule" => "RRULE",
        "rdates" => "RDATE",
        "exdates" => "EXDATE",
        "reminders" => "VALARM",
        "attendees" => "ATTENDEE",
        "visibility" => "CLASS",
        _ => "",
    }
}

/// "Event “Board meeting” (UID 123@google.com)": how a message names an event.
fn event_label(l: Locale, title: &str, uid: &str) -> String {
    let title = if title.chars().count() > 60 { format!("{}…", title.chars().take(60).collect::<String>()) } else { title.to_string() };
    if uid.is_empty() {
        l.text("ics.eventNoUid", &[("title", &title)])
    } else {
        l.text("ics.event", &[("title", &title), ("uid", uid)])
    }
}

fn row_error(l: Locale, line: u32, column: &str, title: &str, uid: &str, reason: &str) -> RowError {
    let event = event_label(l, title, uid);
    RowError { row: line, column: column.to_string(), message: l.text("ics.eventProblem", &[("event", &event), ("reason", reason)]) }
}

/// Reads a whole file: its events checked like the form checks them, grouped by UID.
fn read(text: &str, me: &str, l: Locale) -> Result<Read> {
    let raw = scan(text)?;
    let zones = Zones::read(&raw.zones);
    let mut parsed: Vec<Parsed> = Vec::with_capacity(raw.events.len());
    let mut errors: Vec<RowError> = Vec::new();
    let mut refused = 0;
    for ev in &raw.events {
        match parse_event(ev, &zones, l)? {
            Ok(p) => parsed.push(p),
            Err(e) => {
                errors.push(e);
                refused += 1;
            }
        }
    }

    // Series first, then their changed occurrences.
    let mut events: Vec<ReadEvent> = Vec::new();
    let mut by_uid: HashMap<String, usize> = HashMap::default();
    let mut masters: Vec<Parsed> = Vec::new();
    let mut overrides: Vec<Parsed> = Vec::new();
    for mut p in parsed {
        if p.uid.is_empty() {
            // No UID (RFC 5545 requires one): the same file imported again must still find the
            // event, so it is named by what it is.
            p.uid = derived_uid(&p);
        }
        if p.recurrence_id.is_some() {
            overrides.push(p);
        } else {
            masters.push(p);
        }
    }
    // Refused masters' UIDs: their occurrences go with them.
    let mut refused_uids: Vec<String> = Vec::new();
    for p in masters {
        if by_uid.contains_key(&p.uid) || refused_uids.contains(&p.uid) {
            let reason = CoreError::invalid("uid", Invalid::Duplicate).message(l);
            errors.push(row_error(l, p.line, "UID", &p.input.title, &p.uid, &format!("UID {reason}")));
            refused += 1;
            continue;
        }
        match check(&p, me, l) {
            Ok(clean) => {
                by_uid.insert(p.uid.clone(), events.len());
                events.push(ReadEvent { uid: p.uid, clean, overrides: Vec::new() });
            }
            Err(e) => {
                errors.push(e);
                refused += 1;
                refused_uids.push(p.uid);
            }
        }
    }
    let mut orphans = Vec::new();
    for p in overrides {
        let rid = p.recurrence_id.expect("only RECURRENCE-ID events are here");
        let Some(&at) = by_uid.get(&p.uid) else {
            if refused_uids.contains(&p.uid) {
                continue;
            }
            let clean = if p.cancelled {
                None
            } else {
                match check(&p, me, l) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        errors.push(e);
                        refused += 1;
                        continue;
                    }
                }
            };
            orphans.push(Orphan { uid: p.uid.clone(), recurrence_id: rid, start: p.start, end: p.end, cancelled: p.cancelled, clean });
            continue;
        };
        let master = &events[at].clean;
        let (like, zone) = (master.starts, master.zone());
        if p.cancelled {
            let change = OccurrenceChange { cancelled: true, ..Default::default() };
            events[at].overrides.push(ReadOverride { recurrence_id: rid.coerce(&like, zone), change });
            continue;
        }
        // The occurrence is checked like an event of its own (its times, its title).
        let own = match check(&p, me, l) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                refused += 1;
                continue;
            }
        };
        let start = p.start.map(|s| s.coerce(&like, zone)).unwrap_or(own.starts);
        let length = match (master.starts, master.ends) {
            (s, Some(e)) if e > s => Duration::seconds(e.key() - s.key()),
            (Moment::Date(_), _) => Duration::days(1),
            _ => Duration::zero(),
        };
        let end = match p.end.map(|e| e.coerce(&like, zone)) {
            Some(e) if e >= start => e,
            _ => start.shifted(length),
        };
        let differs = |new: &str, old: &str| (new != old).then(|| new.to_string());
        let change = OccurrenceChange {
            cancelled: false,
            title: differs(&own.title, &master.title),
            location: differs(&own.location, &master.location),
            notes: differs(&own.notes, &master.notes),
            starts: Some(start),
            ends: Some(end),
        };
        events[at].overrides.push(ReadOverride { recurrence_id: rid.coerce(&like, zone), change });
    }
    errors.sort_by_key(|e| e.row);
    Ok(Read { events, orphans, errors, refused })
}

/// A UID for an event that has none: the same event in the same file gets the same one.
fn derived_uid(p: &Parsed) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(p.input.title.as_bytes());
    h.update([0]);
    h.update(p.input.start.as_bytes());
    h.update([0]);
    h.update(p.input.tz.as_bytes());
    let digest = h.finalize();
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("{hex}@no-uid.satchel")
}

/// The form's checks on a read event; its problems as one row error naming the event.
fn check(p: &Parsed, me: &str, l: Locale) -> std::result::Result<CleanEvent, RowError> {
    if let Some((column, _)) = p.problems.first() {
        let all: Vec<&str> = p.problems.iter().map(|(_, m)| m.as_str()).collect();
        return Err(row_error(l, p.line, column, &p.input.title, &p.uid, &all.join("; ")));
    }
    // The earliest instant as "now": a reminder of an imported event is never "already past"
    // (the file says when it reminds; the form's check is for a person typing one).
    validate::event(&p.input, me, DateTime::<Utc>::MIN_UTC).map_err(|e| {
        let problems = e.problems();
        let column = problems.first().map(|(f, _)| property_of(f)).unwrap_or_default();
        let reasons: Vec<String> = problems.iter().map(|(f, r)| CoreError::invalid(*f, (*r).clone()).message(l)).collect();
        row_error(l, p.line, column, &p.input.title, &p.uid, &reasons.join("; "))
    })
}

/// Reads one VEVENT. `Err` for a problem that refuses the file (an unknown zone); `Ok(Err)` for
/// one that refuses the event.
fn parse_event(raw: &RawEvent, zones: &Zones, l: Locale) -> Result<std::result::Result<Parsed, RowError>> {
    let ical = match Parser::new(&raw.text).entry() {
        Entry::ICalendar(ical) if ical.components.first().is_some_and(|c| c.component_type == ICalendarComponentType::VEvent) => ical,
        _ => return Ok(Err(row_error(l, raw.line, "", "", "", &l.text("ics.unreadable", &[])))),
    };
    let comp = &ical.components[0];
    let uid = text_of(comp, &ICalendarProperty::Uid);
    let summary = text_of(comp, &ICalendarProperty::Summary);
    if raw.unterminated {
        return Ok(Err(row_error(l, raw.line, "END", &summary, &uid, &l.text("ics.noEnd", &[]))));
    }
    if let Some(line) = raw.bad_line {
        return Ok(Err(row_error(l, line, "", &summary, &uid, &l.text("ics.badLine", &[("line", &line.to_string())]))));
    }
    let mut problems: Vec<(String, String)> = Vec::new();
    let bad = |problems: &mut Vec<(String, String)>, prop: &str, field: &str, reason: Invalid| {
        problems.push((prop.to_string(), format!("{prop}: {}", CoreError::invalid(field, reason).message(l))));
    };
    // A time property's value, or a problem; an unknown zone refuses the file.
    let time = |e: &ICalendarEntry, v: &ICalendarValue| -> Result<Option<Time>> {
        match time_of(v, e.tz_id(), zones) {
            Ok(t) => Ok(Some(t)),
            Err(BadTime::Invalid) => Ok(None),
            Err(BadTime::UnknownZone(zone)) => Err(CoreError::File(FileProblem::UnknownTimeZone { zone, line: raw.line })),
        }
    };
    let first_time = |prop: &ICalendarProperty| -> Result<Option<Option<Time>>> {
        match comp.property(prop) {
            None => Ok(None),
            Some(e) => match e.values.first() {
                Some(v) => time(e, v).map(Some),
                None => Ok(Some(None)),
            },
        }
    };
    let start = match first_time(&ICalendarProperty::Dtstart)? {
        Some(Some(t)) => Some(t),
        Some(None) => {
            bad(&mut problems, "DTSTART", "start", Invalid::DateTime);
            None
        }
        None => {
            bad(&mut problems, "DTSTART", "start", Invalid::Required);
            None
        }
    };
    let recurrence_id = match first_time(&ICalendarProperty::RecurrenceId)? {
        Some(Some(t)) => Some(t),
        Some(None) => {
            bad(&mut problems, "RECURRENCE-ID", "start", Invalid::DateTime);
            None
        }
        None => None,
    };
    let like = start.map(|s| s.m);
    let zone = start.and_then(|s| s.zone).unwrap_or(Tz::UTC);
    let mut end: Option<Time> = match first_time(&ICalendarProperty::Dtend)? {
        Some(Some(t)) => Some(t),
        Some(None) => {
            bad(&mut problems, "DTEND", "end", Invalid::DateTime);
            None
        }
        None => None,
    };
    if end.is_none() {
        if let (Some(s), Some(e)) = (start, comp.property(&ICalendarProperty::Duration)) {
            match e.values.first() {
                Some(ICalendarValue::Duration(d)) => {
                    let m = plus_duration(&s.m, d, zone);
                    end = Some(Time { m, zone: s.zone, wall: m.local_in(zone) });
                }
                _ => bad(&mut problems, "DURATION", "end", Invalid::DateTime),
            }
        }
    }
    let coerce = |t: &Time| like.map(|like| t.coerce(&like, zone)).unwrap_or(t.m);
    // Some programs end a one-day all-day event on its own day: read as that one day, as
    // Google and Apple show it.
    if let (Some(Moment::Date(s)), Some(e)) = (like, end) {
        if coerce(&e) == Moment::Date(s) {
            end = None;
        }
    }
    let rrule = match comp.property(&ICalendarProperty::Rrule).and_then(|e| e.values.first()) {
        Some(ICalendarValue::RecurrenceRule(r)) => r.to_string(),
        Some(other) => other.as_text().unwrap_or_default().to_string(),
        None => String::new(),
    };
    let dates = |prop: ICalendarProperty, name: &str, problems: &mut Vec<(String, String)>| -> Result<Vec<String>> {
        let mut out = Vec::new();
        for e in comp.properties(&prop) {
            for v in &e.values {
                match time(e, v)? {
                    Some(t) => out.push(input_text(&coerce(&t))),
                    None => bad(problems, name, if name == "RDATE" { "rdates" } else { "exdates" }, Invalid::DateTime),
                }
            }
        }
        Ok(out)
    };
    let rdates = dates(ICalendarProperty::Rdate, "RDATE", &mut problems)?;
    let exdates = dates(ICalendarProperty::Exdate, "EXDATE", &mut problems)?;

    let status_word = x_text(comp, "X-SATCHEL-STATUS");
    let status = match comp.status() {
        _ if !status_word.is_empty() && EventStatus::ALL.iter().any(|s| s.as_str() == status_word) => EventStatus::parse(&status_word),
        Some(ICalendarStatus::Cancelled) => EventStatus::Cancelled,
        Some(ICalendarStatus::Tentative) => EventStatus::Tentative,
        _ => EventStatus::Confirmed,
    };
    let private = comp.entries.iter().any(|e| {
        e.name == ICalendarProperty::Class
            && matches!(
                e.values.first(),
                Some(ICalendarValue::Classification(ICalendarClassification::Private | ICalendarClassification::Confidential))
            )
    });
    let kind_word = x_text(comp, "X-SATCHEL-KIND");
    let kind = if kind_word.is_empty() { EventKind::Meeting } else { EventKind::parse(&kind_word) };

    // Reminders: each alarm's minutes before the start (RELATED=END counts from the end, an
    // absolute TRIGGER from the start's instant). Alarms after the start, or more than four
    // weeks before it, have no place in Satchel's reminders and are left out.
    let length_s = match (start, end) {
        (Some(s), Some(e)) => e.m.instant_in(zone).timestamp() - s.m.instant_in(zone).timestamp(),
        _ => 0,
    };
    let mut reminders: Vec<i32> = Vec::new();
    for alarm in comp.component_ids.iter().filter_map(|id| ical.components.get(*id as usize)) {
        if alarm.component_type != ICalendarComponentType::VAlarm {
            continue;
        }
        // Apple writes a "no alarm" placeholder as ACTION:NONE (its trigger in 1976).
        if text_of(alarm, &ICalendarProperty::Action).eq_ignore_ascii_case("NONE") {
            continue;
        }
        let Some(trigger) = alarm.property(&ICalendarProperty::Trigger) else { continue };
        let before_s = match trigger.values.first() {
            Some(ICalendarValue::Duration(d)) => {
                let from_end = matches!(
                    trigger.parameter(&ICalendarParameterName::Related),
                    Some(ICalendarParameterValue::Related(ICalendarRelated::End))
                );
                -duration_seconds(d) - if from_end { length_s } else { 0 }
            }
            Some(v @ ICalendarValue::PartialDateTime(_)) => match (start, time(trigger, v)?) {
                (Some(s), Some(t)) => s.m.instant_in(zone).timestamp() - t.m.instant_in(zone).timestamp(),
                _ => continue,
            },
            _ => continue,
        };
        if before_s >= 0 && before_s <= i64::from(REMINDER_MINUTES_MAX) * 60 {
            reminders.push((before_s / 60) as i32);
        }
    }
    reminders.sort_unstable();
    reminders.dedup();
    reminders.truncate(REMINDERS_MAX);

    // Attendees: the address of a `mailto:`; Outlook writes `invalid:nomail` for a person with no
    // address, who is kept by name.
    let mut attendees = Vec::new();
    for e in comp.properties(&ICalendarProperty::Attendee) {
        let address = e.values.first().and_then(|v| v.as_text()).unwrap_or_default();
        let address = calcard::icalendar::utils::strip_mailto_scheme(address.trim()).trim().to_lowercase();
        let email = if address.parse::<email_address::EmailAddress>().is_ok() { address } else { String::new() };
        let name = e.parameter(&ICalendarParameterName::Cn).and_then(|v| v.as_text()).unwrap_or_default().trim().to_string();
        if name.is_empty() && email.is_empty() {
            continue;
        }
        attendees.push(AttendeeInput { name, email, customer_id: None });
    }

    let all_day = like.is_some_and(|m| m.is_date());
    let title = if summary.is_empty() { l.text("ics.noTitle", &[]) } else { summary };
    let input = EventInput {
        kind,
        title,
        location: text_of(comp, &ICalendarProperty::Location),
        notes: text_of(comp, &ICalendarProperty::Description),
        all_day,
        start: like.map(|m| input_text(&m)).unwrap_or_default(),
        end: end.map(|e| input_text(&coerce(&e))).unwrap_or_default(),
        tz: match like {
            Some(Moment::Utc(_)) => zone.name().to_string(),
            _ => String::new(),
        },
        rrule,
        rdates,
        exdates,
        reminders,
        customer_id: None,
        opportunity_id: None,
        owner: String::new(),
        visibility: if private { "private".into() } else { "team".into() },
        status,
        attendees,
    };
    Ok(Ok(Parsed { line: raw.line, uid, recurrence_id, start, end, cancelled: status == EventStatus::Cancelled, input, problems }))
}

// ---- writing ----

struct ExportEvent {
    row: EventRow,
    attendees: Vec<(String, String)>,
    overrides: Vec<OverrideRow>,
}

fn load_for_export(c: &rusqlite::Connection, ids: Option<&[EventId]>, owners: Option<&[String]>) -> Result<Vec<ExportEvent>> {
    let rows: Vec<EventRow> = match ids {
        Some(ids) => ids.iter().filter_map(|id| repo::load_row(c, id).transpose()).collect::<Result<_>>()?,
        None => {
            let owners_json = owners.map(|o| serde_json::to_string(o).unwrap_or_else(|_| "[]".into()));
            let mut st = c.prepare(&format!(
                "SELECT {} FROM events WHERE deleted_at IS NULL AND starts <> ''
                   AND (?1 IS NULL OR owner IN (SELECT value FROM json_each(?1)))
                 ORDER BY starts, id",
                repo::EVENT_COLUMNS
            ))?;
            let rows = st.query_map([owners_json], repo::event_from_row)?;
            rows.collect::<rusqlite::Result<_>>()?
        }
    };
    let mut attendees: HashMap<String, Vec<(String, String)>> = HashMap::default();
    {
        let mut st =
            c.prepare("SELECT event_id, name, email FROM event_attendees WHERE deleted_at IS NULL ORDER BY event_id, position, id")?;
        let mut q = st.query([])?;
        while let Some(r) = q.next()? {
            attendees.entry(r.get(0)?).or_default().push((r.get(1)?, r.get(2)?));
        }
    }
    let mut overrides: HashMap<String, Vec<OverrideRow>> = HashMap::default();
    {
        let mut st = c.prepare(&format!(
            "SELECT {} FROM event_overrides WHERE deleted_at IS NULL ORDER BY event_id, recurrence_id",
            repo::OVERRIDE_COLUMNS
        ))?;
        for o in st.query_map([], repo::override_from_row)? {
            let o = o?;
            overrides.entry(o.event_id.clone()).or_default().push(o);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let a = attendees.remove(row.id.as_str()).unwrap_or_default();
            let o = if row.series().is_some() { overrides.remove(row.id.as_str()).unwrap_or_default() } else { Vec::new() };
            ExportEvent { row, attendees: a, overrides: o }
        })
        .collect())
}

fn pdt(n: NaiveDateTime, date_only: bool, utc: bool) -> PartialDateTime {
    PartialDateTime {
        year: Some(n.year() as u16),
        month: Some(n.month() as u8),
        day: Some(n.day() as u8),
        hour: (!date_only).then_some(n.hour() as u8),
        minute: (!date_only).then_some(n.minute() as u8),
        second: (!date_only).then_some(n.second() as u8),
        tz_hour: (utc && !date_only).then_some(0),
        tz_minute: (utc && !date_only).then_some(0),
        tz_minus: false,
    }
}

/// A time property in the event's form: a date with VALUE=DATE, a floating wall time, an instant
/// in UTC (`Z`), or a wall time with its zone's TZID.
fn time_entry(prop: ICalendarProperty, m: &Moment, tz: &str) -> ICalendarEntry {
    let e = ICalendarEntry::new(prop);
    match m {
        Moment::Date(d) => e
            .with_param(ICalendarParameter::new(ICalendarParameterName::Value, ICalendarValueType::Date))
            .with_value(ICalendarValue::PartialDateTime(Box::new(pdt(d.and_time(NaiveTime::MIN), true, false)))),
        Moment::Floating(n) => e.with_value(ICalendarValue::PartialDateTime(Box::new(pdt(*n, false, false)))),
        Moment::Utc(u) => match when::zone(tz).filter(|z| *z != Tz::UTC && !tz.is_empty()) {
            None => e.with_value(ICalendarValue::PartialDateTime(Box::new(pdt(u.naive_utc(), false, true)))),
            Some(z) => e
                .with_param(ICalendarParameter::new(ICalendarParameterName::Tzid, z.name().to_string()))
                .with_value(ICalendarValue::PartialDateTime(Box::new(pdt(u.with_timezone(&z).naive_local(), false, false)))),
        },
    }
}

fn text_entry(prop: ICalendarProperty, s: &str) -> ICalendarEntry {
    ICalendarEntry::new(prop).with_value(ICalendarValue::Text(s.to_string()))
}

fn x_entry(name: &str, s: &str) -> ICalendarEntry {
    text_entry(ICalendarProperty::Other(name.to_string()), s)
}

/// Adds a component under `parent`, returning its index.
fn push(ical: &mut ICalendar, parent: usize, comp: ICalendarComponent) -> usize {
    let id = ical.components.len();
    ical.components.push(comp);
    ical.components[parent].component_ids.push(id as u32);
    id
}

fn uid_of(row: &EventRow) -> String {
    if row.uid.is_empty() {
        format!("{}{SATCHEL_UID}", row.id)
    } else {
        row.uid.clone()
    }
}

/// Writes the events as one VCALENDAR (CRLF, folded at 75 octets, the VTIMEZONE of every zone
/// used, as Outlook wants them).
fn write(events: &[ExportEvent], now: DateTime<Utc>) -> String {
    let mut ical = ICalendar { components: vec![ICalendarComponent::new(ICalendarComponentType::VCalendar)] };
    ical.components[0].entries = vec![
        text_entry(ICalendarProperty::Prodid, "-//Satchel//Satchel CRM//EN"),
        text_entry(ICalendarProperty::Version, "2.0"),
        text_entry(ICalendarProperty::Calscale, "GREGORIAN"),
    ];
    let stamp = ICalendarEntry::new(ICalendarProperty::Dtstamp).with_value(ICalendarValue::PartialDateTime(Box::new(pdt(
        now.naive_utc(),
        false,
        true,
    ))));
    for ev in events {
        let row = &ev.row;
        let Some(start) = row.starts else { continue };
        let uid = uid_of(row);
        let mut e = vec![text_entry(ICalendarProperty::Uid, &uid), stamp.clone(), time_entry(ICalendarProperty::Dtstart, &start, &row.tz)];
        if let Some(end) = row.ends {
            e.push(time_entry(ICalendarProperty::Dtend, &end, &row.tz));
        }
        e.push(text_entry(ICalendarProperty::Summary, &row.title));
        if !row.location.is_empty() {
            e.push(text_entry(ICalendarProperty::Location, &row.location));
        }
        if !row.notes.is_empty() {
            e.push(text_entry(ICalendarProperty::Description, &row.notes));
        }
        if !row.rrule.is_empty() {
            e.push(ICalendarEntry::new(ICalendarProperty::Rrule).with_value(ICalendarValue::Text(row.rrule.clone())));
        }
        for r in &row.rdates {
            e.push(time_entry(ICalendarProperty::Rdate, r, &row.tz));
        }
        // A cancelled occurrence is an EXDATE, which every calendar program reads.
        let mut exdates = row.exdates.clone();
        exdates.extend(ev.overrides.iter().filter(|o| o.cancelled).filter_map(|o| Moment::parse_stored(&o.recurrence_id)));
        exdates.sort();
        exdates.dedup();
        for x in &exdates {
            e.push(time_entry(ICalendarProperty::Exdate, x, &row.tz));
        }
        let status = match row.status {
            EventStatus::Tentative => ICalendarStatus::Tentative,
            EventStatus::Cancelled => ICalendarStatus::Cancelled,
            EventStatus::Confirmed | EventStatus::Done => ICalendarStatus::Confirmed,
        };
        e.push(ICalendarEntry::new(ICalendarProperty::Status).with_value(ICalendarValue::Status(status)));
        if row.visibility == "private" {
            e.push(
                ICalendarEntry::new(ICalendarProperty::Class).with_value(ICalendarValue::Classification(ICalendarClassification::Private)),
            );
        }
        for (name, email) in &ev.attendees {
            let address = if email.is_empty() { "invalid:nomail".to_string() } else { format!("mailto:{email}") };
            let mut a = ICalendarEntry::new(ICalendarProperty::Attendee);
            if !name.is_empty() {
                a.add_param(ICalendarParameter::new(ICalendarParameterName::Cn, name.clone()));
            }
            e.push(a.with_value(ICalendarValue::Uri(Uri::Location(address))));
        }
        e.push(x_entry("X-SATCHEL-KIND", row.kind.as_str()));
        if row.status == EventStatus::Done {
            e.push(x_entry("X-SATCHEL-STATUS", row.status.as_str()));
        }
        let mut comp = ICalendarComponent::new(ICalendarComponentType::VEvent);
        comp.entries = e;
        let at = push(&mut ical, 0, comp);
        for m in &row.reminders {
            let mut alarm = ICalendarComponent::new(ICalendarComponentType::VAlarm);
            let trigger = ICalendarDuration { neg: *m > 0, minutes: m.unsigned_abs(), ..Default::default() };
            alarm.entries = vec![
                ICalendarEntry::new(ICalendarProperty::Action).with_value(ICalendarValue::Action(ICalendarAction::Display)),
                text_entry(ICalendarProperty::Description, &row.title),
                ICalendarEntry::new(ICalendarProperty::Trigger).with_value(ICalendarValue::Duration(trigger)),
            ];
            push(&mut ical, at, alarm);
        }
        // Moved or edited occurrences: an event of their own under the series' UID.
        let length = row.length();
        for o in ev.overrides.iter().filter(|o| !o.cancelled) {
            let Some(rid) = Moment::parse_stored(&o.recurrence_id) else { continue };
            let s = o.starts.as_deref().and_then(Moment::parse_stored).unwrap_or(rid);
            let end = o.ends.as_deref().and_then(Moment::parse_stored).filter(|e| *e >= s).unwrap_or_else(|| s.shifted(length));
            let mut x = vec![
                text_entry(ICalendarProperty::Uid, &uid),
                stamp.clone(),
                time_entry(ICalendarProperty::RecurrenceId, &rid, &row.tz),
                time_entry(ICalendarProperty::Dtstart, &s, &row.tz),
            ];
            if row.ends.is_some() || end != s {
                x.push(time_entry(ICalendarProperty::Dtend, &end, &row.tz));
            }
            x.push(text_entry(ICalendarProperty::Summary, o.title.as_deref().unwrap_or(&row.title)));
            let location = o.location.as_deref().unwrap_or(&row.location);
            if !location.is_empty() {
                x.push(text_entry(ICalendarProperty::Location, location));
            }
            let notes = o.notes.as_deref().unwrap_or(&row.notes);
            if !notes.is_empty() {
                x.push(text_entry(ICalendarProperty::Description, notes));
            }
            let mut comp = ICalendarComponent::new(ICalendarComponentType::VEvent);
            comp.entries = x;
            push(&mut ical, 0, comp);
        }
    }
    ical.add_missing_timezones();
    let mut out = String::new();
    ical.write_to(&mut out).expect("writing to a String cannot fail");
    out
}

/// The all-day days of an .ics file, each with its event's title: what a holiday calendar holds
/// (the service module marks them holidays or, for make-up working days, working days). Events
/// the file gets wrong are left out; a file that is not iCalendar is refused.
pub fn all_day_days(bytes: &[u8], l: Locale) -> Result<Vec<(chrono::NaiveDate, String)>> {
    let text = decode(bytes)?;
    let read = read(&text, "", l)?;
    let mut out = Vec::new();
    for ev in &read.events {
        let Moment::Date(first) = ev.clean.starts else { continue };
        let end = match ev.clean.ends {
            Some(Moment::Date(e)) if e > first => e,
            _ => first + chrono::Duration::days(1),
        };
        // A holiday is days, not years: a span longer than a month is a mistake, not a season off.
        let mut d = first;
        while d < end && d < first + chrono::Duration::days(31) {
            out.push((d, ev.clean.title.clone()));
            d += chrono::Duration::days(1);
        }
    }
    out.sort();
    Ok(out)
}

/// An .ics file knows nothing of Satchel's customers and deals: re-importing an event keeps the
/// links the user made to it here.
fn keep_links(c: &rusqlite::Connection, id: &EventId, clean: &mut CleanEvent) -> Result<()> {
    if let Some(row) = repo::load_row(c, id)? {
        clean.customer_id = clean.customer_id.take().or(row.customer_id);
        clean.opportunity_id = clean.opportunity_id.take().or(row.opportunity_id);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_lines_and_boundaries() {
        assert!(is_content_line("DTSTART;TZID=\"Eastern: US\":20270101T090000"));
        assert!(is_content_line("X-MS-OLK-FOO:1"));
        assert!(!is_content_line("cut without the leading space"));
        assert!(!is_content_line("of a sentence: with a colon"));
        assert_eq!(boundary("begin:vevent"), Some((true, "VEVENT".into())));
        assert_eq!(boundary("END:VCALENDAR "), Some((false, "VCALENDAR".into())));
    }

    #[test]
    fn fixed_offsets_are_etc_zones() {
        assert_eq!(fixed_zone(8 * 3600).map(|z| z.name()), Some("Etc/GMT-8"));
        assert_eq!(fixed_zone(-5 * 3600).map(|z| z.name()), Some("Etc/GMT+5"));
        assert_eq!(fixed_zone(0), Some(Tz::UTC));
        assert_eq!(fixed_zone(5 * 3600 + 1800), None);
    }

    #[test]
    fn windows_and_prefixed_zone_names() {
        let z = Zones { own: HashMap::default() };
        for (name, want) in [
            ("China Standard Time", "Asia/Shanghai"),
            ("Eastern Standard Time", "America/New_York"),
            ("W. Europe Standard Time", "Europe/Berlin"),
            ("Asia/Shanghai", "Asia/Shanghai"),
            ("/mozilla.org/20050126_1/America/New_York", "America/New_York"),
        ] {
            assert_eq!(z.resolve(name).map(|z| z.name()), Some(want), "{name}");
        }
        assert_eq!(z.resolve("Mars/Olympus Mons"), None);
    }
}
