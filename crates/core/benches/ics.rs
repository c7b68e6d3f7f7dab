//! `cargo bench -p satchel-core --bench ics`: importing an .ics file of 10,000 events (the
//! target: at most 2 s), importing it again (every event found by UID and rewritten), and
//! exporting the book back, on a fresh temp database each run; the median of a few runs.
//!
//! The file is generated like a busy salesperson's five years of Google and Outlook exports:
//! timed meetings in several zones (IANA and Windows names, with their VTIMEZONEs), all-day
//! events, weekly series with EXDATEs and moved or cancelled occurrences, alarms and attendees.
//!
//! Environment: `BENCH_ICS_EVENTS` (default 10000), `BENCH_RUNS` (default 5).

mod common;

use common::env_usize;
use satchel_core::store::Profile;
use satchel_core::Satchel;
use std::fmt::Write;
use std::time::{Duration, Instant};

const ZONES: &[&str] = &["Asia/Shanghai", "China Standard Time", "America/New_York", "W. Europe Standard Time", "Europe/London"];

const VTIMEZONES: &str = "BEGIN:VTIMEZONE\r\nTZID:China Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n\
TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\n\
BEGIN:STANDARD\r\nDTSTART:16011028T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nTZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

/// `n` events (a series with its changed occurrences counts as one), deterministic.
fn generate(n: usize) -> String {
    let mut s = String::with_capacity(n * 700);
    s.push_str("BEGIN:VCALENDAR\r\nPRODID:-//Satchel//bench//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\n");
    s.push_str(VTIMEZONES);
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    for i in 0..n {
        let day = start + chrono::Duration::days((i * 5 / 27) as i64 % 1800);
        let d = day.format("%Y%m%d");
        let hour = 8 + (i % 10);
        let zone = ZONES[i % ZONES.len()];
        let uid = format!("{i:08x}-bench-{}@example.com", i * 7919 % 100_003);
        let _ = write!(s, "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T000000Z\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\n");
        match i % 10 {
            // All day, two days.
            0 => {
                let end = (day + chrono::Duration::days(2)).format("%Y%m%d");
                let _ = write!(s, "DTSTART;VALUE=DATE:{d}\r\nDTEND;VALUE=DATE:{end}\r\nSUMMARY:Trade fair {i}\r\n");
            }
            // A weekly series with an EXDATE.
            1 => {
                let ex = (day + chrono::Duration::days(14)).format("%Y%m%d");
                let _ = write!(
                    s,
                    "DTSTART;TZID={zone}:{d}T{hour:02}0000\r\nDTEND;TZID={zone}:{d}T{hour:02}3000\r\nRRULE:FREQ=WEEKLY;COUNT=20\r\n\
                     EXDATE;TZID={zone}:{ex}T{hour:02}0000\r\nSUMMARY:Weekly review {i}\r\n"
                );
            }
            _ => {
                let _ = write!(
                    s,
                    "DTSTART;TZID={zone}:{d}T{hour:02}0000\r\nDTEND;TZID={zone}:{d}T{hour:02}4500\r\nSUMMARY:Visit customer {i} about the \
                     renewal\r\nLOCATION:Room {}\\, Building {}\r\n",
                    i % 40,
                    i % 7
                );
            }
        }
        let _ = write!(
            s,
            "DESCRIPTION:Agenda: pricing\\, delivery dates and the open support tickets. Bring the signed NDA and the latest quote.\\nDial-in: \
             +86 21 5555 {:04}\r\nATTENDEE;CN=Li Na;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:li.na{}@example.cn\r\n\
             ATTENDEE;CN=Ann Lee;RSVP=TRUE:mailto:ann{}@acme.com\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\n\
             TRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n",
            i % 10_000,
            i % 50,
            i % 30
        );
        // The series' second occurrence moved, its third cancelled.
        if i % 10 == 1 {
            let second = (day + chrono::Duration::days(7)).format("%Y%m%d");
            let third = (day + chrono::Duration::days(21)).format("%Y%m%d");
            let _ = write!(
                s,
                "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T000000Z\r\nRECURRENCE-ID;TZID={zone}:{second}T{hour:02}0000\r\n\
                 DTSTART;TZID={zone}:{second}T{:02}0000\r\nDTEND;TZID={zone}:{second}T{:02}3000\r\nSUMMARY:Weekly review {i} (moved)\r\n\
                 END:VEVENT\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T000000Z\r\nRECURRENCE-ID;TZID={zone}:{third}T{hour:02}0000\r\n\
                 DTSTART;TZID={zone}:{third}T{hour:02}0000\r\nSTATUS:CANCELLED\r\nSUMMARY:Weekly review {i}\r\nEND:VEVENT\r\n",
                hour + 1,
                hour + 1
            );
        }
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let n = env_usize("BENCH_ICS_EVENTS", 10_000);
    let runs = env_usize("BENCH_RUNS", 5).max(1);
    let text = generate(n);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bench.ics");
    std::fs::write(&file, &text).expect("write the file");
    println!("ics: {n} events, {:.1} MB, {runs} runs each", text.len() as f64 / 1_048_576.0);

    let (mut first, mut again, mut export) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let db = dir.path().join(format!("run{run}.db"));
        let app = Satchel::open(&db, Profile { author: "bench".into(), device: "bench".into() }).expect("open");
        let cal = app.calendar();
        let t = Instant::now();
        let out = cal.import_ics_file(&file, false).expect("import");
        first.push(t.elapsed());
        assert!(out.errors.is_empty() && out.created as usize == n, "{:?}", &out.errors[..out.errors.len().min(3)]);
        let t = Instant::now();
        let out = cal.import_ics_file(&file, false).expect("import again");
        again.push(t.elapsed());
        assert_eq!(out.updated as usize, n);
        let t = Instant::now();
        let written = cal.export_ics(None, None).expect("export");
        export.push(t.elapsed());
        assert!(written.len() > text.len() / 2);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (a, b, c) = (median(first), median(again), median(export));
    println!("import of {n} events into a new book: {:.0} ms (median; target <= 2000 ms)", ms(a));
    println!("the same file again (found by UID, rewritten): {:.0} ms", ms(b));
    println!("export of the book: {:.0} ms", ms(c));
    if a > Duration::from_secs(2) {
        println!("SLOWER THAN THE 2 s TARGET");
        std::process::exit(1);
    }
}
