//! Recurrence (RFC 5545 RRULE, RDATE, EXDATE), expanded by the `rrule` crate. Pure: a series
//! in, its occurrences' starts out.
//!
//! A series is expanded in the zone it was made in, so "every Tuesday at 09:00 in Berlin" stays
//! at 09:00 on both sides of a daylight-saving change (the crate follows RFC 5545 3.3.5 for a
//! wall time the clock skips: 02:30 on the morning the clock jumps reads as 03:30). An all-day
//! or floating series is expanded on wall times and stays one.

use super::when::Moment;
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use rrule::{RRule, RRuleSet, Unvalidated};

/// At most this many occurrences of one series are ever listed (a minutely rule from an .ics
/// file cannot fill memory); beyond them the series is shown as ended.
pub const MAX_OCCURRENCES: usize = 20_000;

/// A repeating event, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub start: Moment,
    /// The zone a `Utc` start is expanded in (UTC if it names none).
    pub tz: Tz,
    /// The RRULE value (`FREQ=WEEKLY;BYDAY=TU`), or empty for RDATEs only.
    pub rrule: String,
    pub rdates: Vec<Moment>,
    pub exdates: Vec<Moment>,
}

/// Why a rule cannot be expanded, in the crate's words (the form shows its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRule(pub String);

/// The `rrule` crate's time for a moment: a zoned start in its zone; a date or floating time as
/// a wall time (read as UTC, which has no daylight saving to disturb it).
fn to_rrule(m: &Moment, zone: Tz) -> DateTime<rrule::Tz> {
    match m {
        Moment::Utc(u) => u.with_timezone(&rrule::Tz::Tz(zone)),
        other => other.local_in(zone).and_utc().with_timezone(&rrule::Tz::UTC),
    }
}

fn from_rrule(t: DateTime<rrule::Tz>, like: &Moment) -> Moment {
    match like {
        Moment::Utc(_) => Moment::Utc(t.with_timezone(&Utc)),
        Moment::Date(_) => Moment::Date(t.naive_utc().date()),
        Moment::Floating(_) => Moment::Floating(t.naive_utc()),
    }
}

/// A rule's UNTIL is an instant for a zoned series (RFC 5545: it must then be UTC) and a wall
/// time otherwise; files carry both kinds either way, so the UNTIL is rewritten to the form the
/// start has before the crate (which insists) reads it.
fn normalise_until(rule: &str, start: &Moment, zone: Tz) -> String {
    rule.split(';')
        .map(|part| match part.split_once('=') {
            Some((k, v)) if k.trim().eq_ignore_ascii_case("UNTIL") => {
                let v = v.trim();
                let wall = if v.len() == 8 {
                    chrono::NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(|d| d.and_hms_opt(23, 59, 59).unwrap_or_default())
                } else {
                    NaiveDateTime::parse_from_str(v.trim_end_matches('Z'), "%Y%m%dT%H%M%S").ok()
                };
                let Some(wall) = wall else { return part.to_string() };
                let utc = v.ends_with('Z');
                let out = match start {
                    // An instant: a wall time (or a date) given is read in the series' zone.
                    Moment::Utc(_) if utc => wall,
                    Moment::Utc(_) => super::when::wall_to_utc(wall, zone).naive_utc(),
                    // A wall time: an instant given is read in the series' zone.
                    _ if utc => wall.and_utc().with_timezone(&zone).naive_local(),
                    _ => wall,
                };
                format!("UNTIL={}", out.format("%Y%m%dT%H%M%SZ"))
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

impl Series {
    fn set(&self) -> Result<RRuleSet, BadRule> {
        let start = to_rrule(&self.start, self.tz);
        let mut set = if self.rrule.trim().is_empty() {
            RRuleSet::new(start)
        } else {
            // RFC 5545: INTERVAL is a positive integer (the crate reads 0 as 1).
            if self.rrule.split(';').any(|p| {
                p.split_once('=')
                    .is_some_and(|(k, v)| k.trim().eq_ignore_ascii_case("INTERVAL") && v.trim().parse::<u32>().map_or(true, |n| n == 0))
            }) {
                return Err(BadRule("INTERVAL must be 1 or more".into()));
            }
            let rule: RRule<Unvalidated> = normalise_until(self.rrule.trim().trim_start_matches("RRULE:"), &self.start, self.tz)
                .parse()
                .map_err(|e: rrule::RRuleError| BadRule(e.to_string()))?;
            rule.build(start).map_err(|e| BadRule(e.to_string()))?
        };
        for r in &self.rdates {
            set = set.rdate(to_rrule(r, self.tz));
        }
        for x in &self.exdates {
            set = set.exdate(to_rrule(x, self.tz));
        }
        Ok(set)
    }

    /// Checks the rule (a form's or a file's) without listing anything.
    pub fn check(&self) -> Result<(), BadRule> {
        self.set().map(|_| ())
    }

    /// The occurrences' starts in order, while `keep_going` says so (it sees each start), at
    /// most [`MAX_OCCURRENCES`]. The first is the series' start when the rule matches it (RFC
    /// 5545 counts DTSTART as the first occurrence; the crate does the same).
    pub fn starts_while(&self, mut keep_going: impl FnMut(&Moment) -> bool) -> Result<Vec<Moment>, BadRule> {
        let set = self.set()?;
        let mut out = Vec::new();
        for t in set.into_iter().take(MAX_OCCURRENCES) {
            let m = from_rrule(t, &self.start);
            if !keep_going(&m) {
                break;
            }
            out.push(m);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::when::wall_to_utc;

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    fn zoned(wall: &str, tz: Tz) -> Moment {
        Moment::Utc(wall_to_utc(NaiveDateTime::parse_from_str(wall, "%Y-%m-%dT%H:%M").unwrap(), tz))
    }

    /// The first `n` starts, as wall times in the series' zone (`1997-09-02 09:00`).
    fn first(s: &Series, n: usize) -> Vec<String> {
        let mut k = 0;
        s.starts_while(|_| {
            k += 1;
            k <= n
        })
        .unwrap()
        .iter()
        .map(|m| m.local_in(s.tz).format(if m.is_date() { "%Y-%m-%d" } else { "%Y-%m-%d %H:%M" }).to_string())
        .collect()
    }

    fn series(start: &str, rule: &str) -> Series {
        Series { start: zoned(start, ny()), tz: ny(), rrule: rule.into(), rdates: vec![], exdates: vec![] }
    }

    /// RFC 5545 3.8.5.3's examples (DTSTART 1997-09-02 09:00 America/New_York unless said).
    #[test]
    fn the_rfc_5545_examples() {
        let cases: &[(&str, &str, usize, &[&str])] = &[
            (
                "1997-09-02T09:00",
                "FREQ=DAILY;COUNT=10",
                20,
                &[
                    "1997-09-02 09:00",
                    "1997-09-03 09:00",
                    "1997-09-04 09:00",
                    "1997-09-05 09:00",
                    "1997-09-06 09:00",
                    "1997-09-07 09:00",
                    "1997-09-08 09:00",
                    "1997-09-09 09:00",
                    "1997-09-10 09:00",
                    "1997-09-11 09:00",
                ],
            ),
            // Daily until December 24, 1997 (UTC): the last is the 23rd; EST from October 26 on.
            ("1997-09-02T09:00", "FREQ=DAILY;UNTIL=19971224T000000Z", 200, &[]),
            (
                "1997-09-02T09:00",
                "FREQ=DAILY;INTERVAL=10;COUNT=5",
                10,
                &["1997-09-02 09:00", "1997-09-12 09:00", "1997-09-22 09:00", "1997-10-02 09:00", "1997-10-12 09:00"],
            ),
            ("1997-09-02T09:00", "FREQ=WEEKLY;COUNT=10", 3, &["1997-09-02 09:00", "1997-09-09 09:00", "1997-09-16 09:00"]),
            // Every other week on Tuesday and Thursday, for 8 occurrences.
            (
                "1997-09-02T09:00",
                "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
                20,
                &[
                    "1997-09-02 09:00",
                    "1997-09-04 09:00",
                    "1997-09-16 09:00",
                    "1997-09-18 09:00",
                    "1997-09-30 09:00",
                    "1997-10-02 09:00",
                    "1997-10-14 09:00",
                    "1997-10-16 09:00",
                ],
            ),
            // Monthly on the first Friday for 10 occurrences (DTSTART 1997-09-05).
            ("1997-09-05T09:00", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR", 3, &["1997-09-05 09:00", "1997-10-03 09:00", "1997-11-07 09:00"]),
            // Monthly on the second-to-last Monday for 6 months.
            (
                "1997-09-22T09:00",
                "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
                10,
                &["1997-09-22 09:00", "1997-10-20 09:00", "1997-11-17 09:00", "1997-12-22 09:00", "1998-01-19 09:00", "1998-02-16 09:00"],
            ),
            // Monthly on the third-to-the-last day of the month, forever.
            (
                "1997-09-28T09:00",
                "FREQ=MONTHLY;BYMONTHDAY=-3",
                4,
                &["1997-09-28 09:00", "1997-10-29 09:00", "1997-11-28 09:00", "1997-12-29 09:00"],
            ),
            // Yearly in June and July for 10 occurrences.
            (
                "1997-06-10T09:00",
                "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
                4,
                &["1997-06-10 09:00", "1997-07-10 09:00", "1998-06-10 09:00", "1998-07-10 09:00"],
            ),
            // Every Friday the 13th, forever (DTSTART 1997-09-02 is not one, so RFC 5545 excludes it).
            ("1997-09-02T09:00", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", 3, &["1998-02-13 09:00", "1998-03-13 09:00", "1998-11-13 09:00"]),
            // The 3rd instance into the month of one of Tuesday, Wednesday or Thursday.
            (
                "1997-09-04T09:00",
                "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
                5,
                &["1997-09-04 09:00", "1997-10-07 09:00", "1997-11-06 09:00"],
            ),
            // Every 4 years, the first Tuesday after a Monday in November (US elections).
            (
                "1996-11-05T09:00",
                "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
                3,
                &["1996-11-05 09:00", "2000-11-07 09:00", "2004-11-02 09:00"],
            ),
        ];
        for (start, rule, n, want) in cases {
            let got = first(&series(start, rule), *n);
            if want.is_empty() {
                assert_eq!(got.len(), 113, "{rule}");
                assert_eq!(got.last().map(String::as_str), Some("1997-12-23 09:00"), "{rule}");
            } else {
                assert_eq!(&got, want, "{rule}");
            }
        }
    }

    /// A weekly meeting keeps its wall time across both changes, in the US and in Europe, and an
    /// event at 02:30 on the morning the clock jumps is at 03:30 that one day.
    #[test]
    fn daylight_saving_changes() {
        let s = series("2026-03-01T09:00", "FREQ=WEEKLY;COUNT=3");
        let utc: Vec<String> = s.starts_while(|_| true).unwrap().iter().map(Moment::stored).collect();
        assert_eq!(utc, ["2026-03-01T14:00:00Z", "2026-03-08T13:00:00Z", "2026-03-15T13:00:00Z"]);
        assert_eq!(first(&s, 3), ["2026-03-01 09:00", "2026-03-08 09:00", "2026-03-15 09:00"]);

        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let b = Series {
            start: zoned("2026-10-20T09:00", berlin),
            tz: berlin,
            rrule: "FREQ=WEEKLY;COUNT=2".into(),
            rdates: vec![],
            exdates: vec![],
        };
        let utc: Vec<String> = b.starts_while(|_| true).unwrap().iter().map(Moment::stored).collect();
        assert_eq!(utc, ["2026-10-20T07:00:00Z", "2026-10-27T08:00:00Z"]);

        let at_0230 = series("2026-03-06T02:30", "FREQ=DAILY;COUNT=4");
        let utc: Vec<String> = at_0230.starts_while(|_| true).unwrap().iter().map(Moment::stored).collect();
        // 02:30 EST = 07:30Z; on the 8th 02:30 does not exist: 03:30 EDT = 07:30Z; then 02:30 EDT.
        assert_eq!(utc, ["2026-03-06T07:30:00Z", "2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"]);
    }

    #[test]
    fn exdates_rdates_and_all_day_series() {
        let mut s = series("2026-12-01T09:00", "FREQ=DAILY;COUNT=4");
        s.exdates = vec![zoned("2026-12-02T09:00", ny())];
        s.rdates = vec![zoned("2026-12-10T15:00", ny())];
        assert_eq!(first(&s, 10), ["2026-12-01 09:00", "2026-12-03 09:00", "2026-12-04 09:00", "2026-12-10 15:00"]);

        let d = Series {
            start: Moment::parse_stored("2026-01-31").unwrap(),
            tz: Tz::UTC,
            rrule: "FREQ=MONTHLY;UNTIL=20260601".into(),
            rdates: vec![],
            exdates: vec![Moment::parse_stored("2026-03-31").unwrap()],
        };
        // Months without a 31st are skipped (RFC 5545), and March is excluded.
        assert_eq!(first(&d, 10), ["2026-01-31", "2026-05-31"]);
    }

    #[test]
    fn until_in_either_form_ends_the_series_at_the_same_place() {
        let z = series("2026-12-01T09:00", "FREQ=DAILY;UNTIL=20261203T140000Z");
        let wall = series("2026-12-01T09:00", "FREQ=DAILY;UNTIL=20261203T090000");
        assert_eq!(first(&z, 10), first(&wall, 10));
        assert_eq!(first(&z, 10).len(), 3);
    }

    #[test]
    fn bad_rules_are_refused_not_expanded() {
        for rule in ["FREQ=SOMETIMES", "FREQ=WEEKLY;BYDAY=XX", "FREQ=DAILY;INTERVAL=0", "BYDAY=MO", "FREQ=MONTHLY;BYMONTHDAY=40"] {
            assert!(series("2026-12-01T09:00", rule).check().is_err(), "{rule}");
        }
    }

    #[test]
    fn an_endless_rule_stops_at_the_cap() {
        let s = series("2026-12-01T09:00", "FREQ=MINUTELY");
        assert_eq!(s.starts_while(|_| true).unwrap().len(), MAX_OCCURRENCES);
    }
}
