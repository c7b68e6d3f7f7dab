//! `satchel import FILE.ics`, `satchel export --format ics` and `satchel agenda` as a script runs
//! them: the real binary on a temp database, exit codes, and the exact lines printed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn satchel_env(db: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env_remove("TZ")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn satchel(db: &Path, args: &[&str]) -> (i32, String, String) {
    satchel_env(db, args, &[])
}

/// A calendar file around the given lines (CRLF), written to `dir/name`.
fn ics_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n");
    for line in body.trim().lines() {
        s.push_str(line.trim_start());
        s.push_str("\r\n");
    }
    s.push_str("END:VCALENDAR\r\n");
    let path = dir.join(name);
    std::fs::write(&path, s).unwrap();
    path
}

fn agenda(db: &Path, from: &str, to: &str, tz: &str) -> String {
    let (code, out, err) = satchel(db, &["agenda", "--from", from, "--to", to, "--tz", tz]);
    assert_eq!(code, 0, "{err}");
    out
}

const WEEK: &str = "
    BEGIN:VEVENT
    UID:timed-1@example.com
    SUMMARY:Visit Acme
    DTSTART;TZID=Asia/Shanghai:20270112T090000
    DTEND;TZID=Asia/Shanghai:20270112T103000
    END:VEVENT
    BEGIN:VEVENT
    UID:allday-2@example.com
    SUMMARY:Trade fair
    DTSTART;VALUE=DATE:20270112
    DTEND;VALUE=DATE:20270114
    END:VEVENT
    BEGIN:VEVENT
    UID:allday-noend-3@example.com
    SUMMARY:Holiday
    DTSTART;VALUE=DATE:20270115
    END:VEVENT
    BEGIN:VEVENT
    UID:floating-4@example.com
    SUMMARY:Breakfast
    DTSTART:20270113T080000
    DTEND:20270113T084500
    END:VEVENT
    BEGIN:VEVENT
    UID:cancelled-5@example.com
    SUMMARY:Called off
    STATUS:CANCELLED
    DTSTART:20270113T060000Z
    DTEND:20270113T070000Z
    END:VEVENT
    BEGIN:VEVENT
    UID:tabs-6@example.com
    SUMMARY:Quote\tfor\\nAcme\\, Inc.
    DTSTART:20270114T010000Z
    END:VEVENT
    BEGIN:VEVENT
    UID:series-7@example.com
    SUMMARY:Stand-up
    DTSTART;TZID=Asia/Shanghai:20270111T091500
    DTEND;TZID=Asia/Shanghai:20270111T093000
    RRULE:FREQ=DAILY;COUNT=5
    EXDATE;TZID=Asia/Shanghai:20270113T091500
    END:VEVENT
    BEGIN:VEVENT
    UID:series-7@example.com
    RECURRENCE-ID;TZID=Asia/Shanghai:20270114T091500
    STATUS:CANCELLED
    DTSTART;TZID=Asia/Shanghai:20270114T091500
    SUMMARY:Stand-up
    END:VEVENT
";

#[test]
fn agenda_prints_timed_all_day_floating_and_leaves_out_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let file = ics_file(dir.path(), "week.ics", WEEK);
    let (code, out, err) = satchel(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("imported 7 new, 0 updated, 0 refused in "), "{out}");
    assert_eq!(
        agenda(&db, "2027-01-12", "2027-01-16", "Asia/Shanghai"),
        [
            "2027-01-12\t2027-01-14\tTrade fair",
            "2027-01-12T09:00:00+08:00\t2027-01-12T10:30:00+08:00\tVisit Acme",
            "2027-01-12T09:15:00+08:00\t2027-01-12T09:30:00+08:00\tStand-up",
            // A floating time is read in the zone asked for.
            "2027-01-13T08:00:00+08:00\t2027-01-13T08:45:00+08:00\tBreakfast",
            // The summary's tab and newline become spaces; no end: no length.
            "2027-01-14T09:00:00+08:00\t2027-01-14T09:00:00+08:00\tQuote for Acme, Inc.",
            // All day without an end: one day.
            "2027-01-15\t2027-01-16\tHoliday",
            "2027-01-15T09:15:00+08:00\t2027-01-15T09:30:00+08:00\tStand-up",
            "",
        ]
        .join("\n")
    );
    // UTC prints as +00:00, and a floating time is 08:00 there too.
    assert_eq!(
        agenda(&db, "2027-01-13", "2027-01-14", "UTC"),
        ["2027-01-12\t2027-01-14\tTrade fair", "2027-01-13T08:00:00+00:00\t2027-01-13T08:45:00+00:00\tBreakfast", "",].join("\n")
    );
    // Without --tz: the system's zone (TZ here).
    let (code, out, _) = satchel_env(&db, &["agenda", "--from", "2027-01-11", "--to", "2027-01-13"], &[("TZ", "America/New_York")]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "2027-01-11T20:00:00-05:00\t2027-01-11T21:30:00-05:00\tVisit Acme\n\
         2027-01-11T20:15:00-05:00\t2027-01-11T20:30:00-05:00\tStand-up\n\
         2027-01-12\t2027-01-14\tTrade fair\n"
    );
}

/// The week the US clocks go forward: a 09:00 meeting stays at 09:00 and its offset changes.
#[test]
fn agenda_across_the_daylight_saving_change_in_new_york() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dst.db");
    let file = ics_file(
        dir.path(),
        "dst.ics",
        "
        BEGIN:VEVENT
        UID:ny-daily@example.com
        SUMMARY:Check-in
        DTSTART;TZID=America/New_York:20270311T090000
        DTEND;TZID=America/New_York:20270311T093000
        RRULE:FREQ=DAILY;COUNT=4
        END:VEVENT
        BEGIN:VEVENT
        UID:utc-call@example.com
        SUMMARY:Call London
        DTSTART:20270315T140000Z
        DTEND:20270315T143000Z
        END:VEVENT
        BEGIN:VEVENT
        UID:night@example.com
        SUMMARY:Night shift
        DTSTART;TZID=America/New_York:20270314T010000
        DTEND;TZID=America/New_York:20270314T040000
        END:VEVENT
    ",
    );
    assert_eq!(satchel(&db, &["import", file.to_str().unwrap()]).0, 0);
    assert_eq!(
        agenda(&db, "2027-03-11", "2027-03-16", "America/New_York"),
        "2027-03-11T09:00:00-05:00\t2027-03-11T09:30:00-05:00\tCheck-in\n\
         2027-03-12T09:00:00-05:00\t2027-03-12T09:30:00-05:00\tCheck-in\n\
         2027-03-13T09:00:00-05:00\t2027-03-13T09:30:00-05:00\tCheck-in\n\
         2027-03-14T01:00:00-05:00\t2027-03-14T04:00:00-04:00\tNight shift\n\
         2027-03-14T09:00:00-04:00\t2027-03-14T09:30:00-04:00\tCheck-in\n\
         2027-03-15T10:00:00-04:00\t2027-03-15T10:30:00-04:00\tCall London\n"
    );
}

#[test]
fn a_refused_file_prints_the_reasons_on_stdout_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let bad = ics_file(
        dir.path(),
        "bad.ics",
        "
        BEGIN:VEVENT
        UID:good-1
        SUMMARY:Fine
        DTSTART:20270105T090000Z
        END:VEVENT
        BEGIN:VEVENT
        UID:bad-2@example.com
        SUMMARY:Backwards meeting
        DTSTART:20270105T100000Z
        DTEND:20270105T090000Z
        END:VEVENT
    ",
    );
    let (code, out, err) = satchel(&db, &["import", bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, "line 9, DTEND: Event “Backwards meeting” (UID bad-2@example.com): End: must not be before the start\n");
    assert!(err.contains("1 events refused; nothing imported"), "{err}");
    assert_eq!(agenda(&db, "2027-01-01", "2027-02-01", "UTC"), "", "nothing was written");
    // --skip-invalid imports the other one, and still exits 1.
    let (code, out, _) = satchel(&db, &["import", bad.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(code, 1);
    assert!(out.contains("imported 1 new, 0 updated, 1 refused"), "{out}");

    // A file refused as a whole: the reason on stdout too.
    let zone = ics_file(
        dir.path(),
        "zone.ics",
        "
        BEGIN:VEVENT
        UID:z-1
        SUMMARY:Somewhere
        DTSTART;TZID=Atlantis Standard Time:20270105T090000
        END:VEVENT
    ",
    );
    let db2 = dir.path().join("r2.db");
    let (code, out, _) = satchel(&db2, &["import", zone.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("The time zone “Atlantis Standard Time” (used by the event at line 4) is not one Satchel knows"), "{out}");
    assert_eq!(agenda(&db2, "2027-01-01", "2027-02-01", "UTC"), "");
}

#[test]
fn export_then_import_into_another_book_gives_the_same_agenda() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    // Recognised by its first line, whatever its name.
    let file = ics_file(dir.path(), "invite.txt", WEEK);
    assert_eq!(satchel(&a, &["import", file.to_str().unwrap()]).0, 0);
    let (code, text, err) = satchel(&a, &["export", "--format", "ics"]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && err.contains("exported 7 events"), "{err}");
    let out_file = dir.path().join("all.ics");
    assert_eq!(satchel(&a, &["export", "--format", "ics", "--out", out_file.to_str().unwrap()]).0, 0);
    let (code, out, err) = satchel(&b, &["import", out_file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    for zone in ["Asia/Shanghai", "America/New_York", "UTC"] {
        assert_eq!(agenda(&b, "2027-01-01", "2027-02-01", zone), agenda(&a, "2027-01-01", "2027-02-01", zone), "{zone}");
    }
    // Importing it again updates the same events.
    let (_, out, _) = satchel(&b, &["import", out_file.to_str().unwrap()]);
    assert!(out.starts_with("imported 0 new, 7 updated"), "{out}");
}

#[test]
fn bad_dates_and_zones_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("u.db");
    for (args, want) in [
        (["agenda", "--from", "2027-13-01", "--to", "2027-01-02", "--tz", "UTC"], "--from \"2027-13-01\" is not a date (YYYY-MM-DD)"),
        (["agenda", "--from", "2027-01-01", "--to", "soon", "--tz", "UTC"], "--to \"soon\" is not a date (YYYY-MM-DD)"),
        (["agenda", "--from", "2027-01-01", "--to", "2027-01-02", "--tz", "Mars/Base"], "--tz \"Mars/Base\" is not a time zone"),
        (["agenda", "--from", "2027-01-05", "--to", "2027-01-02", "--tz", "UTC"], "--to 2027-01-02 is before --from 2027-01-05"),
    ] {
        let (code, out, err) = satchel(&db, &args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert!(err.contains(want), "{err}");
    }
}
