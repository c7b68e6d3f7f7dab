//! What a calendar page shows: every occurrence that overlaps a window, in the zone it is shown
//! in, sorted by start then title.
//!
//! Single events come from SQLite, through the `events_owner_lo` index: an event spanning at
//! most 8 days that overlaps the window starts at most 8 days before it (the derived `_lo`/`_hi`
//! columns allow 14 hours either side for a date or floating time), so the scan covers the
//! window and a week of one owner's events however many years the book holds; longer ones are
//! few and read apart. Series are kept in memory with their changed occurrences
//! ([`SeriesCache`]) and expanded once up to a horizon that grows as pages ask for later ones, so
//! a page does not expand a five-year-old daily series from its start every time.

use super::repo::{self, EventRow, OverrideRow};
use super::when::{self, Moment};
use super::*;
use crate::error::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};

/// A window of days, as a calendar page or the agenda asks: [from 00:00, to 00:00) in `zone`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub zone: Tz,
}

impl Window {
    pub fn days(from: NaiveDate, to: NaiveDate, zone: Tz) -> Window {
        Window { from: when::day_start(from, zone), to: when::day_start(to, zone), zone }
    }

    /// Whether [start, end) overlaps it; an event with no length, whether it starts inside it.
    pub fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        if end <= start {
            start >= self.from && start < self.to
        } else {
            start < self.to && end > self.from
        }
    }
}

/// A series in memory: its row, its changed occurrences, and its starts expanded so far.
#[derive(Debug)]
pub struct CachedSeries {
    pub row: EventRow,
    overrides: HashMap<String, OverrideRow>,
    starts: Vec<Moment>,
    /// Expanded up to this key ([`Moment::key`]); `None`: to its end.
    expanded_to: Option<i64>,
    broken: bool,
}

impl CachedSeries {
    fn new(row: EventRow, overrides: Vec<OverrideRow>) -> Self {
        let overrides = overrides.into_iter().map(|o| (o.recurrence_id.clone(), o)).collect();
        CachedSeries { row, overrides, starts: Vec::new(), expanded_to: Some(i64::MIN), broken: false }
    }

    /// Makes sure every start up to `key` is listed (expanding a year beyond, so the next pages
    /// find it done).
    fn ensure(&mut self, key: i64) {
        let Some(done_to) = self.expanded_to else { return };
        if done_to >= key || self.broken {
            return;
        }
        let Some(series) = self.row.series() else {
            self.expanded_to = None;
            return;
        };
        // A year past what was asked, and at least two years from now: the pages people turn to.
        let target = (key + 366 * 86_400).max(Utc::now().timestamp() + 2 * 366 * 86_400);
        let mut beyond = false;
        let expanded = series.starts_while(|m| {
            beyond = m.key() > target;
            !beyond
        });
        match expanded {
            Ok(starts) => {
                self.starts = starts;
                // Nothing came after the target: the series ended (COUNT, UNTIL, the cap).
                self.expanded_to = if beyond { Some(target) } else { None };
            }
            Err(e) => {
                // A rule that cannot be expanded (a newer laptop's, a damaged file's) shows only
                // its first occurrence rather than hiding the event.
                log::warn!("event {}: cannot expand its rule: {}", self.row.id, e.0);
                self.broken = true;
                self.starts = self.row.starts.into_iter().collect();
                self.expanded_to = None;
            }
        }
    }
}

/// Every live series, loaded once (series are few: a thousand in a book of 100,000 events) and
/// kept up to date: a write or a sync that touches an event or a changed occurrence marks that
/// series stale, and the next page reloads just it (or everything, after a large change).
#[derive(Debug, Default)]
pub struct SeriesCache {
    series: Option<Vec<CachedSeries>>,
    stale: HashSet<String>,
}

/// More stale series than this: reload them all at once.
const STALE_MAX: usize = 200;

impl SeriesCache {
    pub fn invalidate(&mut self) {
        self.series = None;
        self.stale.clear();
    }

    /// These events (series or not) changed: reread them before the next page.
    pub fn touched(&mut self, events: impl IntoIterator<Item = String>) {
        if self.series.is_some() {
            self.stale.extend(events);
            if self.stale.len() > STALE_MAX {
                self.invalidate();
            }
        }
    }

    fn read_series(c: &Connection, one: Option<&str>) -> Result<Vec<CachedSeries>> {
        let filter = if one.is_some() { "AND id = ?1" } else { "AND ?1 IS NULL" };
        let rows: Vec<EventRow> = {
            let mut st = c.prepare_cached(&format!(
                "SELECT {} FROM events WHERE deleted_at IS NULL AND _repeats = 1 {filter}",
                repo::EVENT_COLUMNS
            ))?;
            let rows = st.query_map([one], repo::event_from_row)?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut overrides: HashMap<String, Vec<OverrideRow>> = HashMap::new();
        {
            let filter = if one.is_some() { "AND o.event_id = ?1" } else { "AND ?1 IS NULL" };
            let mut st = c.prepare_cached(&format!(
                "SELECT {} FROM event_overrides o WHERE deleted_at IS NULL {filter}
                   AND EXISTS (SELECT 1 FROM events e WHERE e.id = o.event_id AND e.deleted_at IS NULL AND e._repeats = 1)",
                repo::OVERRIDE_COLUMNS
            ))?;
            for o in st.query_map([one], repo::override_from_row)? {
                let o = o?;
                overrides.entry(o.event_id.clone()).or_default().push(o);
            }
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let o = overrides.remove(r.id.as_str()).unwrap_or_default();
                CachedSeries::new(r, o)
            })
            .collect())
    }

    fn load(&mut self, c: &Connection) -> Result<&mut Vec<CachedSeries>> {
        match &mut self.series {
            None => {
                self.series = Some(Self::read_series(c, None)?);
                self.stale.clear();
            }
            Some(all) if !self.stale.is_empty() => {
                all.retain(|s| !self.stale.contains(s.row.id.as_str()));
                for id in std::mem::take(&mut self.stale) {
                    all.extend(Self::read_series(c, Some(&id))?);
                }
            }
            Some(_) => {}
        }
        Ok(self.series.as_mut().expect("loaded above"))
    }
}

/// An occurrence as a page shows it, with its own changes (`own`) over the series' values.
fn occurrence(
    row: &EventRow,
    recurrence_id: Option<String>,
    (start, end): (Moment, Moment),
    zone: Tz,
    own: Option<&OverrideRow>,
) -> Occurrence {
    let title = own.and_then(|o| o.title.as_deref());
    let location = own.and_then(|o| o.location.as_deref());
    Occurrence {
        event_id: row.id.clone(),
        recurrence_id,
        kind: row.kind,
        status: row.status,
        title: title.unwrap_or(&row.title).to_string(),
        location: location.unwrap_or(&row.location).to_string(),
        owner: row.owner.clone(),
        customer_id: row.customer_id.clone(),
        all_day: start.is_date(),
        start: start.shown_in(zone),
        end: end.shown_in(zone),
        repeats: row.series().is_some(),
        changed: own.is_some(),
        reminders: row.reminders.clone(),
    }
}

/// Seconds a date or floating time may be from its instant in any zone.
const SLACK: i64 = 14 * 3600;
/// Single events spanning at most this (`_hi - _lo`, slack included) are found by their start
/// (see the module's comment); the migration's `_long` says the same.
const SHORT: i64 = 8 * 86_400;

fn owners_json(owners: Option<&[String]>) -> Option<String> {
    owners.map(|o| serde_json::to_string(o).unwrap_or_else(|_| "[]".into()))
}

/// Single (non-repeating) events of `owners` (all when `None`) that may overlap the window.
fn singles(c: &Connection, w: &Window, owners: Option<&[String]>) -> Result<Vec<EventRow>> {
    let (a, b) = (w.from.timestamp(), w.to.timestamp());
    // Two statements rather than one with "owners is null or ...": SQLite would then not use
    // the owner as the index's first key and walk every owner's events.
    let (short_index, owner_cond) = match owners {
        Some(_) => ("events_owner_lo", "owner IN (SELECT value FROM json_each(?3))"),
        None => ("events_lo", "?3 IS NULL"),
    };
    let sql = format!(
        "SELECT {cols} FROM events INDEXED BY {short_index}
          WHERE deleted_at IS NULL AND _repeats = 0 AND {owner_cond}
            AND _lo >= ?1 - {SHORT} - {SLACK} AND _lo < ?2 + {SLACK} AND _hi >= ?1 - {SLACK} AND _long = 0
         UNION ALL
         SELECT {cols} FROM events INDEXED BY events_long
          WHERE deleted_at IS NULL AND _repeats = 0 AND _long = 1 AND {owner_cond}
            AND _lo < ?2 + {SLACK} AND _hi >= ?1 - {SLACK}",
        cols = repo::EVENT_COLUMNS
    );
    let owners = owners_json(owners);
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(rusqlite::params![a, b, owners], repo::event_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every occurrence overlapping `w`, of the given owners' events (every owner's when `None`),
/// without cancelled ones, sorted by start then title.
pub fn occurrences(c: &Connection, cache: &mut SeriesCache, w: &Window, owners: Option<&[String]>) -> Result<Vec<Occurrence>> {
    let zone = w.zone;
    let mut out: Vec<(DateTime<Utc>, Occurrence)> = Vec::new();
    for row in singles(c, w, owners)? {
        let (Some(start), false) = (row.starts, row.status == EventStatus::Cancelled) else { continue };
        let end = start.shifted(row.length());
        let (s, e) = (start.instant_in(zone), end.instant_in(zone));
        if w.overlaps(s, e) {
            out.push((s, occurrence(&row, None, (start, end), zone, None)));
        }
    }
    let (a, b) = (w.from.timestamp() - SLACK, w.to.timestamp() + SLACK);
    for s in cache.load(c)?.iter_mut() {
        if owners.is_some_and(|o| !o.contains(&s.row.owner)) || s.row.status == EventStatus::Cancelled {
            continue;
        }
        let length = s.row.length();
        s.ensure(b);
        let first = s.starts.partition_point(|m| m.key() + length.num_seconds() < a);
        let mut seen: Vec<&str> = Vec::new();
        for start in s.starts[first..].iter().take_while(|m| m.key() < b) {
            let rid = start.stored();
            let o = s.overrides.get(&rid);
            if o.is_some_and(|o| o.cancelled) {
                continue;
            }
            let (start2, end2) = moved(start, length, o);
            let (si, ei) = (start2.instant_in(zone), end2.instant_in(zone));
            if let Some(o) = o {
                seen.push(o.recurrence_id.as_str());
            }
            if w.overlaps(si, ei) {
                let occ = occurrence(&s.row, Some(rid), (start2, end2), zone, o);
                out.push((si, occ));
            }
        }
        // Occurrences moved into the window from outside it.
        for o in s.overrides.values().filter(|o| !o.cancelled && o.starts.is_some() && !seen.contains(&o.recurrence_id.as_str())) {
            let Some(orig) = Moment::parse_stored(&o.recurrence_id) else { continue };
            if s.starts.binary_search(&orig).is_err() {
                continue;
            }
            let (start2, end2) = moved(&orig, length, Some(o));
            let (si, ei) = (start2.instant_in(zone), end2.instant_in(zone));
            if w.overlaps(si, ei) {
                out.push((si, occurrence(&s.row, Some(o.recurrence_id.clone()), (start2, end2), zone, Some(o))));
            }
        }
    }
    out.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.title.cmp(&y.1.title)).then_with(|| x.1.event_id.cmp(&y.1.event_id)));
    Ok(out.into_iter().map(|(_, o)| o).collect())
}

/// An occurrence's start and end after its own changes (a moved one keeps its length unless
/// its end was changed too).
fn moved(start: &Moment, length: Duration, o: Option<&OverrideRow>) -> (Moment, Moment) {
    let s = o.and_then(|o| o.starts.as_deref()).and_then(Moment::parse_stored).unwrap_or(*start);
    let e = o.and_then(|o| o.ends.as_deref()).and_then(Moment::parse_stored).filter(|e| *e >= s).unwrap_or_else(|| s.shifted(length));
    (s, e)
}

/// The timed occurrences of `owner` overlapping any of `spans` ([start, end) each), but for the
/// event `except` (the one being moved or saved): what a new or moved event (or each occurrence
/// of a new series) would clash with. One page query over all the spans, not one per span. All-day
/// events do not clash (a trade fair does not block a call); touching is not overlapping.
pub fn clashes(
    c: &Connection,
    cache: &mut SeriesCache,
    owner: &str,
    spans: &[(DateTime<Utc>, DateTime<Utc>)],
    except: Option<&EventId>,
) -> Result<Vec<Occurrence>> {
    let spans: Vec<_> = spans.iter().copied().filter(|(a, b)| b > a).collect();
    let (Some(from), Some(to)) = (spans.iter().map(|s| s.0).min(), spans.iter().map(|s| s.1).max()) else {
        return Ok(Vec::new());
    };
    let w = Window { from, to, zone: Tz::UTC };
    let owners = [owner.to_string()];
    let instant = |t: &str| DateTime::parse_from_rfc3339(t).map(|t| t.with_timezone(&Utc)).ok();
    Ok(occurrences(c, cache, &w, Some(&owners))?
        .into_iter()
        .filter(|o| !o.all_day && Some(&o.event_id) != except)
        .filter(|o| match (instant(&o.start), instant(&o.end)) {
            (Some(s), Some(e)) => e > s && spans.iter().any(|(a, b)| s < *b && e > *a),
            _ => false,
        })
        .collect())
}
