//! Calendar time: the three forms a start or end is stored in, and how each reads in a zone.
//! Pure functions, no store.
//!
//! - [`Moment::Utc`]: a timed event, stored in UTC with the IANA zone it was made in beside it;
//!   it happens at one instant everywhere (made in Shanghai at 09:00, it shows at 20:00 the day
//!   before in New York).
//! - [`Moment::Date`]: an all-day event's day; the same day in every zone.
//! - [`Moment::Floating`]: a wall time with no zone (an .ics file may say "09:00" and nothing
//!   else): 09:00 in whatever zone it is shown in.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Moment {
    Date(NaiveDate),
    Floating(NaiveDateTime),
    Utc(DateTime<Utc>),
}

impl Moment {
    /// Reads the stored form (`2026-12-08T01:00:00Z`, `2026-12-08`, `2026-12-08T09:00:00`).
    /// By hand rather than through chrono's format parser: a calendar page reads thousands.
    pub fn parse_stored(s: &str) -> Option<Moment> {
        let b = s.trim().as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let d = b.get(r)?;
            d.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
        };
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
        match b.len() {
            10 => Some(Moment::Date(date)),
            19 | 20 if b[10] == b'T' && b[13] == b':' && b[16] == b':' => {
                let t = date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
                match b.get(19) {
                    None => Some(Moment::Floating(t)),
                    Some(b'Z') => Some(Moment::Utc(t.and_utc())),
                    Some(_) => None,
                }
            }
            _ => None,
        }
    }

    /// The stored form: text order is time order within one form. (Written by hand, like the
    /// parse: chrono's formatter re-reads its format string on every call.)
    pub fn stored(&self) -> String {
        use chrono::{Datelike, Timelike};
        let date = |d: &NaiveDate| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        let time = |n: &NaiveDateTime| format!("{}T{:02}:{:02}:{:02}", date(&n.date()), n.hour(), n.minute(), n.second());
        match self {
            Moment::Date(d) => date(d),
            Moment::Floating(n) => time(n),
            Moment::Utc(u) => time(&u.naive_utc()) + "Z",
        }
    }

    pub fn is_date(&self) -> bool {
        matches!(self, Moment::Date(_))
    }

    /// The wall time in `zone` (a date is its midnight).
    pub fn local_in(&self, zone: Tz) -> NaiveDateTime {
        match self {
            Moment::Date(d) => d.and_time(NaiveTime::MIN),
            Moment::Floating(n) => *n,
            Moment::Utc(u) => u.with_timezone(&zone).naive_local(),
        }
    }

    /// The instant it is when shown in `zone` (a date: the day's start there).
    pub fn instant_in(&self, zone: Tz) -> DateTime<Utc> {
        match self {
            Moment::Utc(u) => *u,
            other => wall_to_utc(other.local_in(zone), zone),
        }
    }

    /// Moved by `d` (a date by whole days).
    pub fn shifted(&self, d: Duration) -> Moment {
        match self {
            Moment::Date(x) => Moment::Date(*x + Duration::days(d.num_days())),
            Moment::Floating(n) => Moment::Floating(*n + d),
            Moment::Utc(u) => Moment::Utc(*u + d),
        }
    }

    /// Seconds since the epoch, reading a date or floating time as if it were UTC: a sort key
    /// that is exact within one form, and within 14 hours of the instant across forms.
    pub fn key(&self) -> i64 {
        match self {
            Moment::Date(d) => d.and_time(NaiveTime::MIN).and_utc().timestamp(),
            Moment::Floating(n) => n.and_utc().timestamp(),
            Moment::Utc(u) => u.timestamp(),
        }
    }

    /// How a calendar shows it in `zone`: a date as `YYYY-MM-DD`, a time as RFC 3339 with that
    /// zone's offset (`2026-12-07T20:00:00-05:00`).
    pub fn shown_in(&self, zone: Tz) -> String {
        match self {
            Moment::Date(d) => d.format("%Y-%m-%d").to_string(),
            other => other.instant_in(zone).with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, false),
        }
    }
}

/// The instant of a wall time in `zone`, by RFC 5545's rule (3.3.5): a time the clock skips
/// (02:30 when it jumps from 02:00 to 03:00) is read with the offset before the jump (03:30); a
/// time that happens twice (when the clock goes back) is the first of them.
pub fn wall_to_utc(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // The offset in force just before the gap: at most a day earlier in any real zone.
            let before = (1..=48)
                .map(|h| local - Duration::minutes(30 * h))
                .find_map(|t| zone.from_local_datetime(&t).earliest())
                .map(|t| t.offset().fix())
                .unwrap_or_else(|| Utc.fix());
            (local - Duration::seconds(i64::from(before.local_minus_utc()))).and_utc()
        }
    }
}

/// An IANA zone name (`Asia/Shanghai`), or `None` for anything else.
pub fn zone(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

/// The system's zone (`TZ`, else /etc/localtime's name), UTC when neither names one.
pub fn system_zone() -> Tz {
    if let Some(z) = std::env::var("TZ").ok().and_then(|v| zone(v.trim_start_matches(':'))) {
        return z;
    }
    std::fs::read_link("/etc/localtime")
        .ok()
        .and_then(|p| {
            let p = p.to_string_lossy().into_owned();
            p.split_once("zoneinfo/").and_then(|(_, name)| zone(name))
        })
        .or_else(|| std::fs::read_to_string("/etc/timezone").ok().and_then(|s| zone(&s)))
        .unwrap_or(Tz::UTC)
}

/// A day's midnight in `zone`, as an instant (a zone whose clock skips midnight: the first
/// minute that day has).
pub fn day_start(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    wall_to_utc(day.and_time(NaiveTime::MIN), zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn stored_forms_read_back() {
        for s in ["2026-12-08T01:00:00Z", "2026-12-08", "2026-12-08T09:00:00"] {
            assert_eq!(Moment::parse_stored(s).unwrap().stored(), s);
        }
        for bad in ["", "2026-13-01", "2026-12-08T25:00:00Z", "tomorrow", "2026-12-08T09:00"] {
            assert_eq!(Moment::parse_stored(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_meeting_made_in_shanghai_shows_at_the_right_hour_in_new_york() {
        let shanghai: Tz = "Asia/Shanghai".parse().unwrap();
        let ny: Tz = "America/New_York".parse().unwrap();
        let m = Moment::Utc(wall_to_utc(at("2026-12-08T09:00"), shanghai));
        assert_eq!(m.stored(), "2026-12-08T01:00:00Z");
        assert_eq!(m.shown_in(ny), "2026-12-07T20:00:00-05:00");
        assert_eq!(m.shown_in(shanghai), "2026-12-08T09:00:00+08:00");
    }

    #[test]
    fn all_day_and_floating_are_the_same_wall_time_everywhere() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let d = Moment::parse_stored("2026-12-08").unwrap();
        assert_eq!(d.shown_in(ny), "2026-12-08");
        let f = Moment::parse_stored("2026-12-08T09:00:00").unwrap();
        assert_eq!(f.shown_in(ny), "2026-12-08T09:00:00-05:00");
        assert_eq!(f.shown_in(berlin), "2026-12-08T09:00:00+01:00");
    }

    /// RFC 5545 3.3.5: a skipped wall time uses the offset before the gap; a repeated one is the
    /// first. Cases from the US and European changes of 2026.
    #[test]
    fn wall_times_across_daylight_saving_changes() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let cases = [
            (ny, "2026-03-08T02:30", "2026-03-08T07:30:00Z"), // skipped: 02:30 EST = 03:30 EDT
            (ny, "2026-03-08T03:30", "2026-03-08T07:30:00Z"),
            (ny, "2026-11-01T01:30", "2026-11-01T05:30:00Z"), // twice: the first (EDT)
            (ny, "2026-11-01T02:30", "2026-11-01T07:30:00Z"),
            (berlin, "2026-03-29T02:30", "2026-03-29T01:30:00Z"), // skipped: 02:30 CET = 03:30 CEST
            (berlin, "2026-10-25T02:30", "2026-10-25T00:30:00Z"), // twice: the first (CEST)
            (berlin, "2026-07-01T09:00", "2026-07-01T07:00:00Z"),
        ];
        for (z, wall, want) in cases {
            assert_eq!(Moment::Utc(wall_to_utc(at(wall), z)).stored(), want, "{wall} in {z}");
        }
    }

    #[test]
    fn zones_are_iana_names_only() {
        assert_eq!(zone("Asia/Shanghai"), Some(chrono_tz::Asia::Shanghai));
        assert_eq!(zone("Mars/Olympus"), None);
        assert_eq!(zone(""), None);
    }
}
