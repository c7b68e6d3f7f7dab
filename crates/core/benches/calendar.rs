//! `cargo bench -p satchel-core --bench calendar` (or `make bench`): calendar pages on a book of
//! 100,000 events, 1,000 of them recurring series, for docs/benchmarks.md.
//!
//! Measures the core call a page makes (`Calendar::occurrences`): a month view and a week view
//! of one owner and of a team of 10, each over many different windows (p50/p95), plus the first
//! page after the series cache was dropped (what the page after a sync costs).
//!
//! Environment: `BENCH_EVENTS` (default 100000), `BENCH_SERIES` (default 1000), `BENCH_QUERIES`
//! (default 400).

mod common;

use chrono::{Duration as Days, NaiveDate};
use chrono_tz::Tz;
use common::env_usize;
use satchel_core::calendar::{repo, validate, EventInput, EventKind};
use satchel_core::demo::Rng;
use satchel_core::store::Profile;
use satchel_core::Satchel;
use std::time::{Duration, Instant};

/// The book's calendars: a team of 50 (2,000 events and 20 series each over three years).
const OWNERS: usize = 50;
const ZONES: [&str; 3] = ["Asia/Shanghai", "America/New_York", "Europe/Berlin"];

fn owner(i: usize) -> String {
    format!("seller{:02}", i % OWNERS)
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).expect("date")
}

/// A deterministic event: spread over three years, 30 to 120 minutes mostly, some all day, a
/// few lasting weeks; `series` makes it repeat (weekly on two days, daily, monthly on the 2nd
/// Tuesday, yearly), some with a COUNT.
fn event(r: &mut Rng, i: usize, series: bool) -> EventInput {
    let day = first_day() + Days::days(r.below(3 * 365) as i64);
    let hour = 8 + r.below(10);
    let minute = [0, 15, 30, 45][r.below(4)];
    let zone = ZONES[r.below(ZONES.len())];
    let all_day = !series && r.chance(5);
    let long = !series && r.below(1000) == 0;
    let (start, end) = if all_day || long {
        let days = if long { 40 } else { 1 + r.below(3) as i64 };
        (day.to_string(), (day + Days::days(days)).to_string())
    } else {
        let length = [30, 45, 60, 90, 120][r.below(5)];
        let s = day.and_hms_opt(hour as u32, minute, 0).expect("time");
        (s.format("%Y-%m-%dT%H:%M").to_string(), (s + Days::minutes(length)).format("%Y-%m-%dT%H:%M").to_string())
    };
    let rrule = if series {
        match r.below(10) {
            0..=5 => "FREQ=WEEKLY;BYDAY=MO,TH".to_string(),
            6 | 7 => format!("FREQ=DAILY;COUNT={}", 30 + r.below(400)),
            8 => "FREQ=MONTHLY;BYDAY=2TU".to_string(),
            _ => "FREQ=YEARLY".to_string(),
        }
    } else {
        String::new()
    };
    EventInput {
        kind: [EventKind::Meeting, EventKind::Call, EventKind::Visit, EventKind::Demo][r.below(4)],
        title: format!("{} #{i}", ["拜访客户", "Call", "产品演示", "Quarterly review", "Site visit"][r.below(5)]),
        all_day: all_day || long,
        start,
        end,
        tz: if all_day || long { String::new() } else { zone.into() },
        rrule,
        owner: owner(r.below(OWNERS)),
        reminders: vec![15],
        ..Default::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn summary(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "n={} p50={:.3} ms p95={:.3} ms max={:.3} ms",
        v.len(),
        ms(percentile(&v, 0.5)),
        ms(percentile(&v, 0.95)),
        ms(*v.last().expect("runs"))
    )
}

fn main() {
    let events = env_usize("BENCH_EVENTS", 100_000);
    let series = env_usize("BENCH_SERIES", 1_000).min(events);
    let queries = env_usize("BENCH_QUERIES", 400);
    let dir = tempfile::tempdir().expect("tempdir");
    let app = Satchel::open(dir.path().join("bench.db"), Profile { author: "seller00".into(), device: "bench".into() }).expect("open");

    // Written the way an import writes: validated like a form, in one transaction.
    let t = Instant::now();
    let mut r = Rng::new(7);
    // Validated as of a day before all of them: an event starting within its reminder's 15
    // minutes of the real clock would otherwise be refused ("the reminder is past").
    let now: chrono::DateTime<chrono::Utc> = "2024-12-31T00:00:00Z".parse().expect("time");
    let inputs: Vec<EventInput> = (0..events).map(|i| event(&mut r, i, i < series)).collect();
    let cleaned: Vec<_> = inputs.iter().map(|e| validate::event(e, "seller00", now).expect("valid")).collect();
    app.store()
        .write(|w| {
            w.bulk();
            for c in &cleaned {
                repo::insert_event(w, c, "")?;
            }
            Ok(())
        })
        .expect("write");
    app.reload().expect("reload");
    println!("calendar: wrote {events} events ({series} series, {OWNERS} owners) in {:.1} s", t.elapsed().as_secs_f64());

    let cal = app.calendar();
    let zone: Tz = "Asia/Shanghai".parse().expect("zone");
    let team: Vec<String> = (0..10).map(owner).collect();
    let one = |i: usize| vec![owner(i)];
    let mut r = Rng::new(11);
    let mut day = || first_day() + Days::days(180 + r.below(2 * 365) as i64);

    // The first page after the series cache was dropped (open, or a sync that touched events).
    app.reload().expect("reload");
    let t = Instant::now();
    let first = cal.occurrences(day(), day() + Days::days(35), zone, Some(&team)).expect("page");
    println!(
        "calendar: first team month page after the cache was dropped: {:.1} ms ({} occurrences)",
        t.elapsed().as_secs_f64() * 1000.0,
        first.len()
    );

    let cases: [(&str, i64, bool); 4] =
        [("month, one owner", 42, false), ("week, one owner", 7, false), ("month, team of 10", 42, true), ("week, team of 10", 7, true)];
    for (name, days, is_team) in cases {
        let mut times = Vec::with_capacity(queries);
        let mut shown = 0usize;
        for q in 0..queries {
            let from = day();
            let owners = if is_team { team.clone() } else { one(q) };
            let t = Instant::now();
            let page = cal.occurrences(from, from + Days::days(days), zone, Some(&owners)).expect("page");
            times.push(t.elapsed());
            shown += page.len();
        }
        println!("calendar: {name} ({days} days shown): {} ; {:.0} occurrences a page", summary(times), shown as f64 / queries as f64);
    }
}
