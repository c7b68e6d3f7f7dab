//! Business time, the clock an SLA runs on: only the team's working hours count (its weekdays
//! between opening and closing, in its time zone), not its holidays, but its extra working days
//! do (a Saturday worked in exchange for a holiday, as China's official schedule has). A ticket's
//! clock also stops while it waits on the customer.
//!
//! Everything here is pure: the team's hours and a ticket's history in, instants out. Days are
//! laid out in the team's zone, so a clock change (DST) makes that day's window an hour shorter
//! or longer in real time, as the team's wall clock says.

use crate::calendar::when::wall_to_utc;
use crate::error::Invalid;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// How far ahead a due time is looked for: a calendar with no working day in ten years has none.
const HORIZON_DAYS: i64 = 3660;

/// A team's working time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessHours {
    pub zone: Tz,
    /// Working weekdays, Monday first.
    pub days: [bool; 7],
    pub open: NaiveTime,
    pub close: NaiveTime,
    /// Days off that would be working days (public holidays).
    pub holidays: BTreeSet<NaiveDate>,
    /// Days worked that would be days off (weekend days worked in exchange for a holiday).
    pub working: BTreeSet<NaiveDate>,
}

impl BusinessHours {
    /// Checks the hours: closing after opening, at least one working weekday. The error names
    /// the field (`close`, `days`).
    pub fn new(zone: Tz, days: [bool; 7], open: NaiveTime, close: NaiveTime) -> Result<Self, (&'static str, Invalid)> {
        if close <= open {
            return Err(("close", Invalid::EndsBeforeStart));
        }
        if !days.iter().any(|d| *d) {
            return Err(("days", Invalid::Required));
        }
        Ok(Self { zone, days, open, close, holidays: BTreeSet::new(), working: BTreeSet::new() })
    }

    /// Whether the team works on `day` (its own calendar's date).
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.working.contains(&day) {
            return true;
        }
        !self.holidays.contains(&day) && self.days[day.weekday().num_days_from_monday() as usize]
    }

    /// A working day's hours as instants (none on a day off).
    fn window(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        self.is_working_day(day)
            .then(|| (wall_to_utc(day.and_time(self.open), self.zone), wall_to_utc(day.and_time(self.close), self.zone)))
    }

    fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    /// Business time between two instants (zero when `to` is not after `from`).
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        let mut total = Duration::zero();
        // A day's window can start the evening before in UTC terms: begin a day early.
        let mut day = self.local_day(from) - Duration::days(1);
        let last = self.local_day(to) + Duration::days(1);
        while day <= last {
            if let Some((a, b)) = self.window(day) {
                let (a, b) = (a.max(from), b.min(to));
                if b > a {
                    total += b - a;
                }
            }
            day += Duration::days(1);
        }
        total
    }

    /// The instant at which `amount` of business time has passed after `from`; none when the
    /// calendar has no working time for ten years.
    pub fn add(&self, from: DateTime<Utc>, amount: Duration) -> Option<DateTime<Utc>> {
        let mut left = amount.max(Duration::zero());
        let mut day = self.local_day(from) - Duration::days(1);
        let end = day + Duration::days(HORIZON_DAYS);
        while day <= end {
            if let Some((a, b)) = self.window(day) {
                let a = a.max(from);
                if b > a {
                    if b - a >= left {
                        return Some(a + left);
                    }
                    left -= b - a;
                }
            }
            day += Duration::days(1);
        }
        None
    }
}

/// A time the ticket waited on the customer; `until` is none while it still waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

/// When a target of `target` business time from `opened` falls due, the clock stopped during
/// `pauses` (in any order, overlapping or not). None while a pause is still open (the clock is
/// stopped, so there is no due time) or when the calendar has no working time.
pub fn due(hours: &BusinessHours, opened: DateTime<Utc>, target: Duration, pauses: &[Pause]) -> Option<DateTime<Utc>> {
    let mut pauses = pauses.to_vec();
    pauses.sort_by_key(|p| p.from);
    let mut left = target;
    let mut cursor = opened;
    for p in pauses {
        if p.from > cursor {
            let run = hours.between(cursor, p.from);
            if run >= left {
                return hours.add(cursor, left);
            }
            left -= run;
        }
        cursor = cursor.max(p.until?);
    }
    hours.add(cursor, left)
}

/// Business time counted so far on a ticket's clock (pauses left out), as of `now`.
pub fn elapsed(hours: &BusinessHours, opened: DateTime<Utc>, now: DateTime<Utc>, pauses: &[Pause]) -> Duration {
    let mut total = hours.between(opened, now);
    let mut covered: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        pauses.iter().map(|p| (p.from.max(opened), p.until.unwrap_or(now).min(now))).filter(|(a, b)| b > a).collect();
    covered.sort();
    // Overlapping pauses stop the clock once.
    let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for (a, b) in covered {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    for (a, b) in merged {
        total -= hours.between(a, b);
    }
    total
}

/// Where a ticket stands against one target, as its badge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Met in time (answered or resolved before it fell due).
    Met,
    /// Missed: met late, or still open past due.
    Missed,
    /// The clock is stopped (waiting on the customer).
    Paused,
    /// Running, with this much business time left.
    Running { left: Duration },
    /// Running, with less than the warning share of the target left.
    Soon { left: Duration },
}

/// A target's standing as of `now`: `done` is when it was met (the first response, the
/// resolution), `warn_share` the share of the target left at which it turns "soon" (0.25).
pub fn standing(
    hours: &BusinessHours,
    opened: DateTime<Utc>,
    target: Duration,
    pauses: &[Pause],
    done: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    warn_share: f64,
) -> Standing {
    if let Some(at) = done {
        return match due(hours, opened, target, pauses) {
            Some(d) if at > d => Standing::Missed,
            _ => Standing::Met,
        };
    }
    if pauses.iter().any(|p| p.until.is_none() && p.from <= now) {
        return Standing::Paused;
    }
    let left = target - elapsed(hours, opened, now, pauses);
    if left <= Duration::zero() {
        return Standing::Missed;
    }
    let warn = Duration::milliseconds((target.num_milliseconds() as f64 * warn_share) as i64);
    if left <= warn {
        Standing::Soon { left }
    } else {
        Standing::Running { left }
    }
}

/// A business-time duration as typed: `30m`, `4h`, `40h`, `1h30m` (hours and minutes only: a
/// "day" of business time is the team's hours, which differ, so it is not accepted).
pub fn parse_duration(text: &str) -> Result<Duration, Invalid> {
    let t = text.trim().to_ascii_lowercase();
    let mut total = 0i64;
    let mut number = String::new();
    let mut seen_unit = false;
    let mut last_unit = ' ';
    for c in t.chars() {
        match c {
            '0'..='9' => number.push(c),
            'h' | 'm' if !number.is_empty() && (last_unit == ' ' || (last_unit == 'h' && c == 'm')) => {
                let n: i64 = number.parse().map_err(|_| Invalid::Duration)?;
                total =
                    total.checked_add(if c == 'h' { n.checked_mul(60).ok_or(Invalid::Duration)? } else { n }).ok_or(Invalid::Duration)?;
                number.clear();
                seen_unit = true;
                last_unit = c;
            }
            ' ' => {}
            _ => return Err(Invalid::Duration),
        }
    }
    // A year of minutes is far beyond any promise; a bigger number is a typing slip.
    if !number.is_empty() || !seen_unit || total == 0 || total > 366 * 24 * 60 {
        return Err(Invalid::Duration);
    }
    Ok(Duration::minutes(total))
}

/// A duration as the CLI and settings print it back (`4h`, `30m`, `1h30m`).
pub fn duration_text(d: Duration) -> String {
    let m = d.num_minutes();
    match (m / 60, m % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }
    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn hm(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }
    const WEEKDAYS: [bool; 7] = [true, true, true, true, true, false, false];

    /// Shanghai, Monday to Friday 09:00-18:00, the 2026 National Day week off and Saturday
    /// 10 October worked in exchange.
    fn shanghai() -> BusinessHours {
        let mut h = BusinessHours::new(chrono_tz::Asia::Shanghai, WEEKDAYS, hm("09:00"), hm("18:00")).unwrap();
        h.holidays = (1..=7).map(|d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap()).collect();
        h.working.insert(day("2026-10-10"));
        h
    }

    fn new_york() -> BusinessHours {
        BusinessHours::new(chrono_tz::America::New_York, WEEKDAYS, hm("09:00"), hm("17:00")).unwrap()
    }

    #[test]
    fn due_times_skip_nights_weekends_holidays_and_count_extra_working_days() {
        let h = shanghai();
        // (opened, target, due), all Shanghai times.
        let cases = [
            ("2026-12-07T10:00:00+08:00", "4h", "2026-12-07T14:00:00+08:00"), // Monday, within hours
            ("2026-12-07T16:00:00+08:00", "4h", "2026-12-08T11:00:00+08:00"), // the night skipped
            ("2026-12-11T17:00:00+08:00", "2h", "2026-12-14T10:00:00+08:00"), // Friday to Monday
            ("2026-12-12T11:00:00+08:00", "1h", "2026-12-14T10:00:00+08:00"), // opened on a Saturday
            ("2026-12-07T07:00:00+08:00", "30m", "2026-12-07T09:30:00+08:00"), // before opening
            ("2026-12-07T20:00:00+08:00", "30m", "2026-12-08T09:30:00+08:00"), // after closing
            ("2026-12-07T18:00:00+08:00", "9h", "2026-12-08T18:00:00+08:00"), // exactly a day
            ("2026-09-30T17:00:00+08:00", "2h", "2026-10-08T10:00:00+08:00"), // a holiday week
            ("2026-10-09T17:00:00+08:00", "2h", "2026-10-10T10:00:00+08:00"), // a Saturday worked
            ("2026-12-07T09:00:00+08:00", "40h", "2026-12-11T13:00:00+08:00"), // 4 days and 4 hours
        ];
        for (opened, target, expected) in cases {
            let got = due(&h, t(opened), parse_duration(target).unwrap(), &[]).unwrap();
            assert_eq!(got, t(expected), "opened {opened}, {target}");
        }
    }

    #[test]
    fn a_new_york_team_keeps_its_wall_clock_across_the_dst_change() {
        let h = new_york();
        // Friday 6 March 15:00 EST; 4 hours: 2 on Friday, 2 on Monday 9 March, now EDT.
        let got = due(&h, t("2026-03-06T15:00:00-05:00"), Duration::hours(4), &[]).unwrap();
        assert_eq!(got, t("2026-03-09T11:00:00-04:00"));
        // The same opened in Shanghai's terms (04:00 Saturday there) is still Friday in New York.
        assert_eq!(h.between(t("2026-03-06T15:00:00-05:00"), got), Duration::hours(4));
        // Autumn: Friday 30 October 16:00 EDT + 3h = Monday 2 November 11:00 EST.
        assert_eq!(due(&h, t("2026-10-30T16:00:00-04:00"), Duration::hours(3), &[]).unwrap(), t("2026-11-02T11:00:00-05:00"));
    }

    #[test]
    fn waiting_on_the_customer_stops_the_clock() {
        let h = shanghai();
        let opened = t("2026-12-07T10:00:00+08:00");
        let pause = |a: &str, b: Option<&str>| Pause { from: t(a), until: b.map(t) };
        // An hour counted, waiting from 11:00 until Tuesday 09:30, then three more hours.
        let waited = [pause("2026-12-07T11:00:00+08:00", Some("2026-12-08T09:30:00+08:00"))];
        assert_eq!(due(&h, opened, Duration::hours(4), &waited), Some(t("2026-12-08T12:30:00+08:00")));
        // Still waiting: no due time, and the badge says paused.
        let waiting = [pause("2026-12-07T11:00:00+08:00", None)];
        assert_eq!(due(&h, opened, Duration::hours(4), &waiting), None);
        let now = t("2026-12-09T12:00:00+08:00");
        assert_eq!(standing(&h, opened, Duration::hours(4), &waiting, None, now, 0.25), Standing::Paused);
        assert_eq!(elapsed(&h, opened, now, &waiting), Duration::hours(1));
        // Two overlapping pauses stop it once; a pause before the ticket was opened is ignored.
        let overlapping = [
            pause("2026-12-07T11:00:00+08:00", Some("2026-12-07T15:00:00+08:00")),
            pause("2026-12-07T13:00:00+08:00", Some("2026-12-07T16:00:00+08:00")),
            pause("2026-12-01T09:00:00+08:00", Some("2026-12-02T09:00:00+08:00")),
        ];
        // 10-11 counted, stopped 11-16, then 16-18 and 09-10 the next day.
        assert_eq!(due(&h, opened, Duration::hours(4), &overlapping), Some(t("2026-12-08T10:00:00+08:00")));
        assert_eq!(elapsed(&h, opened, t("2026-12-07T18:00:00+08:00"), &overlapping), Duration::hours(3));
    }

    #[test]
    fn a_badge_reads_met_missed_soon_or_running() {
        let h = shanghai();
        let opened = t("2026-12-07T10:00:00+08:00");
        let four = Duration::hours(4);
        let at = |s: &str| t(s);
        assert_eq!(
            standing(&h, opened, four, &[], Some(at("2026-12-07T13:59:00+08:00")), at("2026-12-09T00:00:00+08:00"), 0.25),
            Standing::Met
        );
        assert_eq!(
            standing(&h, opened, four, &[], Some(at("2026-12-07T14:01:00+08:00")), at("2026-12-09T00:00:00+08:00"), 0.25),
            Standing::Missed
        );
        assert_eq!(
            standing(&h, opened, four, &[], None, at("2026-12-07T11:00:00+08:00"), 0.25),
            Standing::Running { left: Duration::hours(3) }
        );
        assert_eq!(
            standing(&h, opened, four, &[], None, at("2026-12-07T13:30:00+08:00"), 0.25),
            Standing::Soon { left: Duration::minutes(30) }
        );
        assert_eq!(standing(&h, opened, four, &[], None, at("2026-12-07T14:00:00+08:00"), 0.25), Standing::Missed);
        // Overnight the clock does not run: 17:30 with 30 minutes left is still 30 minutes at 08:00.
        let late = t("2026-12-07T14:30:00+08:00");
        assert_eq!(
            standing(&h, late, four, &[], None, at("2026-12-08T08:00:00+08:00"), 0.25),
            Standing::Soon { left: Duration::minutes(30) }
        );
    }

    #[test]
    fn hours_and_durations_refuse_what_does_not_make_sense() {
        let z = chrono_tz::Asia::Shanghai;
        assert_eq!(BusinessHours::new(z, WEEKDAYS, hm("18:00"), hm("09:00")).unwrap_err(), ("close", Invalid::EndsBeforeStart));
        assert_eq!(BusinessHours::new(z, [false; 7], hm("09:00"), hm("18:00")).unwrap_err(), ("days", Invalid::Required));
        for (text, minutes) in [("30m", 30), ("4h", 240), ("40h", 2400), ("1h30m", 90), (" 2H ", 120), ("90m", 90)] {
            assert_eq!(parse_duration(text), Ok(Duration::minutes(minutes)), "{text}");
            assert_eq!(parse_duration(&duration_text(Duration::minutes(minutes))), Ok(Duration::minutes(minutes)));
        }
        for text in ["", "4", "h", "-1h", "4d", "1.5h", "30m4h", "0m", "99999999h", "4 hours"] {
            assert_eq!(parse_duration(text), Err(Invalid::Duration), "{text:?}");
        }
    }

    #[test]
    fn a_calendar_with_no_working_time_has_no_due_time() {
        let mut h = BusinessHours::new(chrono_tz::UTC, [true, false, false, false, false, false, false], hm("09:00"), hm("10:00")).unwrap();
        let start = day("2026-12-07");
        h.holidays = (0..HORIZON_DAYS + 14).map(|i| start + Duration::days(i)).collect();
        assert_eq!(h.add(t("2026-12-07T00:00:00Z"), Duration::hours(1)), None);
    }

    /// The model: business minutes counted one by one, each minute looked at on the team's wall
    /// clock (written apart from the day-window walk above).
    fn model_minutes(h: &BusinessHours, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        let mut n = 0;
        let mut m = from;
        while m < to {
            let local = m.with_timezone(&h.zone);
            let (d, time) = (local.date_naive(), local.time());
            let working = h.working.contains(&d) || (!h.holidays.contains(&d) && h.days[d.weekday().num_days_from_monday() as usize]);
            if working && time >= h.open && time < h.close {
                n += 1;
            }
            m += Duration::minutes(1);
        }
        n
    }

    fn team() -> impl Strategy<Value = BusinessHours> {
        let zones = prop::sample::select(vec![
            chrono_tz::Asia::Shanghai,
            chrono_tz::America::New_York,
            chrono_tz::Europe::Berlin,
            chrono_tz::Australia::Sydney,
        ]);
        // Opening from 04:00: every clock change of these zones happens between 01:00 and 03:00,
        // where "the hours of a day" would need a rule of their own (see `wall_to_utc`).
        (
            zones,
            prop::array::uniform7(any::<bool>()),
            4u32..16,
            1u32..8,
            prop::collection::vec(0i64..40, 0..4),
            prop::collection::vec(0i64..40, 0..3),
        )
            .prop_filter_map("a working weekday", |(zone, days, open_h, len, holidays, working)| {
                let open = NaiveTime::from_hms_opt(open_h, 0, 0)?;
                let close = NaiveTime::from_hms_opt((open_h + len).min(23), 30, 0)?;
                let mut h = BusinessHours::new(zone, days, open, close).ok()?;
                // Around the spring clock changes of 2026 (Berlin 29 March, New York 8 March).
                let base = NaiveDate::from_ymd_opt(2026, 3, 1)?;
                h.holidays = holidays.into_iter().map(|d| base + Duration::days(d)).collect();
                h.working = working.into_iter().map(|d| base + Duration::days(d)).collect();
                Some(h)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Business time between two instants is what the minute-by-minute model counts, and a
        /// due time made from it lies exactly that much business time away.
        #[test]
        fn business_time_agrees_with_counting_minutes(h in team(), start in 0i64..(30 * 24 * 60), span in 0i64..(5 * 24 * 60), target in 1i64..(30 * 60)) {
            let base = t("2026-03-01T00:00:00Z");
            let from = base + Duration::minutes(start);
            let to = from + Duration::minutes(span);
            prop_assert_eq!(h.between(from, to).num_minutes(), model_minutes(&h, from, to));
            let due = h.add(from, Duration::minutes(target)).expect("a working weekday exists");
            prop_assert_eq!(model_minutes(&h, from, due), target);
            // Due at the end of a working minute, never later than needed.
            prop_assert_eq!(model_minutes(&h, from, due - Duration::minutes(1)), target - 1);
        }
    }
}
