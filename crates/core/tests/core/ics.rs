//! iCalendar import and export on real SQLite files: files as Google Calendar, Outlook, Apple
//! Calendar and Thunderbird write them (`tests/fixtures/ics/`), re-import by UID, a round trip
//! into a fresh book, and every kind of bad file refused with a message naming the event and
//! nothing written.

use super::fixtures::{new_db, person, point, TestDb};
use chrono::NaiveDate;
use chrono_tz::Tz;
use satchel_core::calendar::ics::{IcsImported, MAX_ICS_BYTES};
use satchel_core::calendar::{Event, EventStatus, Occurrence};
use satchel_core::customers::CustomerInput;
use satchel_core::error::{CoreError, FileProblem};
use satchel_core::Satchel;
use std::collections::BTreeMap;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/ics/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn tz(s: &str) -> Tz {
    s.parse().unwrap()
}

fn occurrences(app: &Satchel, from: &str, to: &str, zone: &str) -> Vec<Occurrence> {
    app.calendar().occurrences(day(from), day(to), tz(zone), None).unwrap()
}

/// `start end title` of each occurrence, as a page in `zone` shows them.
fn page(app: &Satchel, from: &str, to: &str, zone: &str) -> Vec<String> {
    occurrences(app, from, to, zone).iter().map(|o| format!("{} {} {}", o.start, o.end, o.title)).collect()
}

/// Every live event, by UID.
fn events(app: &Satchel) -> BTreeMap<String, Event> {
    let ids: Vec<String> = app
        .store()
        .read(|c| {
            let mut st = c.prepare("SELECT id FROM events WHERE deleted_at IS NULL")?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })
        .unwrap();
    ids.into_iter()
        .map(|id| {
            let e = app.calendar().get_event(&satchel_core::calendar::EventId(id)).unwrap();
            (e.uid.clone(), e)
        })
        .collect()
}

fn count(app: &Satchel, sql: &str) -> i64 {
    app.store().read(|c| Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?)).unwrap()
}

fn import(db: &TestDb, bytes: &[u8]) -> IcsImported {
    let out = db.app.calendar().import_ics(bytes).unwrap();
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    out
}

/// A calendar around the given lines (CRLF, as every program writes them).
fn ics(body: &str) -> Vec<u8> {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n");
    for line in body.trim().lines() {
        s.push_str(line.trim_start());
        s.push_str("\r\n");
    }
    s.push_str("END:VCALENDAR\r\n");
    s.into_bytes()
}

fn refused(db: &TestDb, bytes: &[u8]) -> IcsImported {
    let out = db.app.calendar().import_ics(bytes).unwrap();
    assert!(!out.errors.is_empty(), "refused");
    assert!(!out.written);
    assert_eq!(count(&db.app, "SELECT count(*) FROM events"), 0, "nothing half-imported");
    out
}

fn file_problem(db: &TestDb, bytes: &[u8]) -> FileProblem {
    match db.app.calendar().import_ics(bytes) {
        Err(CoreError::File(p)) => {
            assert_eq!(count(&db.app, "SELECT count(*) FROM events"), 0, "nothing imported");
            p
        }
        other => panic!("not refused as a file: {other:?}"),
    }
}

#[test]
fn google_calendar_series_with_moved_cancelled_and_excluded_occurrences() {
    let db = new_db();
    let li = db.app.customers().create(CustomerInput { emails: vec![point("work", "Li.Na@example.cn")], ..person("Li Na") }).unwrap();
    let out = import(&db, &fixture("google.ics"));
    assert_eq!((out.created, out.updated, out.occurrences, out.refused, out.written), (3, 0, 2, 0, true));
    assert_eq!(
        page(&db.app, "2027-01-01", "2027-02-10", "Asia/Shanghai"),
        [
            "2027-01-05T09:00:00+08:00 2027-01-05T09:30:00+08:00 Sales stand-up",
            // The second occurrence was moved to Wednesday afternoon and retitled.
            "2027-01-13T15:00:00+08:00 2027-01-13T15:30:00+08:00 Sales stand-up (moved for the audit)",
            "2027-01-15T10:00:00+08:00 2027-01-15T11:00:00+08:00 Call with Acme about the renewal",
            // 01-19 is an EXDATE, 01-26 a cancelled occurrence.
            "2027-02-01 2027-02-03 Canton Fair",
            "2027-02-02T09:00:00+08:00 2027-02-02T09:30:00+08:00 Sales stand-up",
            "2027-02-09T09:00:00+08:00 2027-02-09T09:30:00+08:00 Sales stand-up",
        ]
    );
    let all = events(&db.app);
    let standup = &all["7kukuqrfedlm2f9t0vr4mq0bq1@google.com"];
    assert_eq!(
        (standup.tz.as_str(), standup.start.as_str(), standup.rrule.as_str()),
        ("Asia/Shanghai", "2027-01-05T09:00", "FREQ=WEEKLY;BYDAY=TU")
    );
    assert_eq!(standup.location, "Room 3, 18F, 1266 Nanjing West Road");
    assert!(
        standup.notes.starts_with("Weekly pipeline review: bring this week's numbers, the top five deals")
            && standup.notes.contains("\nJoin")
    );
    assert_eq!(standup.reminders, [10]);
    let people: Vec<(&str, &str, bool)> =
        standup.attendees.iter().map(|a| (a.name.as_str(), a.email.as_str(), a.customer_id.as_ref() == Some(&li.id))).collect();
    assert_eq!(people, [("Li Na", "li.na@example.cn", true), ("wang.xiaoming@example.cn", "wang.xiaoming@example.cn", false)]);
    let call = &all["5m3n7b9v1c2x4z6l8k0j9h7g5f@google.com"];
    assert_eq!((call.tz.as_str(), call.reminders.as_slice()), ("UTC", &[30, 1440][..]), "an email alarm is a reminder too");
    let fair = &all["2a9cj1n5q3r8s0t6u4v2w1x9y8@google.com"];
    assert!(fair.all_day && fair.tz.is_empty() && fair.end == "2027-02-03");
    // In New York the Shanghai morning stand-up is the evening before.
    assert_eq!(
        page(&db.app, "2027-01-04", "2027-01-05", "America/New_York"),
        ["2027-01-04T20:00:00-05:00 2027-01-04T20:30:00-05:00 Sales stand-up"]
    );
}

#[test]
fn outlook_windows_zone_names_and_its_vtimezones() {
    let db = new_db();
    let out = import(&db, &fixture("outlook.ics"));
    assert_eq!((out.created, out.refused), (4, 0));
    let all = events(&db.app);
    let zones: Vec<(&str, &str, &str)> = all.values().map(|e| (e.title.as_str(), e.tz.as_str(), e.start.as_str())).collect();
    assert_eq!(
        zones,
        [
            ("Quarterly review", "Europe/Berlin", "2027-03-10T14:00"),
            ("NY check-in", "America/New_York", "2027-03-12T09:00"),
            ("清明节", "", "2027-04-05"),
            ("拜访上海示例有限公司", "Asia/Shanghai", "2027-04-02T10:00"),
        ]
    );
    let review = all.values().find(|e| e.title == "Quarterly review").unwrap();
    assert_eq!(
        (review.reminders.as_slice(), review.notes.as_str()),
        (&[15][..], "Quarterly review with the Berlin office.\n\nAgenda: pipeline, forecast, hiring.")
    );
    let visit = all.values().find(|e| e.title.starts_with("拜访")).unwrap();
    assert_eq!((visit.visibility.as_str(), visit.reminders.as_slice()), ("private", &[1440][..]));
    let ny = all.values().find(|e| e.title == "NY check-in").unwrap();
    let people: Vec<(&str, &str)> = ny.attendees.iter().map(|a| (a.name.as_str(), a.email.as_str())).collect();
    assert_eq!(people, [("Bo Chen", "bo@example.cn"), ("Conference Room 7", "")], "Outlook's invalid:nomail keeps the name");
    // A daily series across the US change of clocks (March 14th, 2027) stays at 09:00 there.
    let starts: Vec<String> = occurrences(&db.app, "2027-03-12", "2027-03-20", "UTC")
        .iter()
        .filter(|o| o.title == "NY check-in")
        .map(|o| o.start.clone())
        .collect();
    assert_eq!(
        starts,
        [
            "2027-03-12T14:00:00+00:00",
            "2027-03-13T14:00:00+00:00",
            "2027-03-14T13:00:00+00:00",
            "2027-03-15T13:00:00+00:00",
            "2027-03-16T13:00:00+00:00"
        ]
    );
}

#[test]
fn apple_calendar_floating_times_rdates_and_all_day_without_an_end() {
    let db = new_db();
    import(&db, &fixture("apple.ics"));
    assert_eq!(
        page(&db.app, "2027-03-01", "2027-06-30", "America/New_York"),
        [
            "2027-03-01T10:00:00-05:00 2027-03-01T11:00:00-05:00 Board meeting",
            "2027-03-08 2027-03-09 Women's Day (office closes early)",
            "2027-03-09T08:30:00-05:00 2027-03-09T09:00:00-05:00 Breakfast with Li Lei",
            "2027-03-15T10:00:00-04:00 2027-03-15T11:00:00-04:00 Board meeting",
            "2027-04-01T10:00:00-04:00 2027-04-01T11:00:00-04:00 Board meeting",
            "2027-05-01T10:00:00-04:00 2027-05-01T11:00:00-04:00 Board meeting",
        ]
    );
    // A floating time is the same wall time wherever it is shown.
    assert_eq!(
        page(&db.app, "2027-03-09", "2027-03-10", "Asia/Shanghai"),
        ["2027-03-09T08:30:00+08:00 2027-03-09T09:00:00+08:00 Breakfast with Li Lei"]
    );
    let board = &events(&db.app)["8F3C2A1B-4D5E-4F60-9A7B-C8D9E0F1A2B3"];
    assert_eq!(board.reminders, [30], "Apple's ACTION:NONE placeholder alarm is not a reminder");
    assert_eq!(board.location, "Acme HQ\n500 Fifth Avenue\nNew York");
}

#[test]
fn thunderbird_utc_exdates_private_tentative_and_alarms_before_the_end() {
    let db = new_db();
    import(&db, &fixture("thunderbird.ics"));
    assert_eq!(
        page(&db.app, "2027-03-08", "2027-04-05", "Europe/Berlin"),
        [
            "2027-03-10T14:00:00+01:00 2027-03-10T15:00:00+01:00 Produktdemo für Müller GmbH",
            "2027-03-11T09:00:00+01:00 2027-03-11T09:45:00+01:00 Anruf bei Müller",
            // 03-17 is excluded by an EXDATE given in UTC; 03-31 is after the European change.
            "2027-03-24T14:00:00+01:00 2027-03-24T15:00:00+01:00 Produktdemo für Müller GmbH",
            "2027-03-31T14:00:00+02:00 2027-03-31T15:00:00+02:00 Produktdemo für Müller GmbH",
        ]
    );
    let demo = &events(&db.app)["c0a8e0f4-1f7b-4b5e-9d4e-0a1b2c3d4e5f"];
    assert_eq!((demo.visibility.as_str(), demo.status), ("private", EventStatus::Tentative));
    assert_eq!(demo.reminders, [30, 60], "an hour before the start, and 90 minutes before the end");
    assert_eq!(demo.location, "Müller GmbH, Hauptstraße 5, München");
}

#[test]
fn importing_the_same_file_again_updates_instead_of_duplicating() {
    let db = new_db();
    import(&db, &fixture("google.ics"));
    let before = events(&db.app);
    let again = import(&db, &fixture("google.ics"));
    assert_eq!((again.created, again.updated, again.occurrences), (0, 3, 2));
    assert_eq!(count(&db.app, "SELECT count(*) FROM events WHERE deleted_at IS NULL"), 3);
    assert_eq!(count(&db.app, "SELECT count(*) FROM event_overrides WHERE deleted_at IS NULL"), 2);
    assert_eq!(events(&db.app), before, "nothing changed");
    // The organiser renamed the series and moved it to 10:00: the same events change.
    let text = String::from_utf8(fixture("google.ics")).unwrap();
    let edited = text
        .replacen("SUMMARY:Sales stand-up\r\n", "SUMMARY:Sales stand-up (new time)\r\n", 1)
        .replace("20270105T090000", "20270105T100000")
        .replace("20270105T093000", "20270105T103000");
    let third = import(&db, edited.as_bytes());
    assert_eq!((third.created, third.updated), (0, 3));
    let after = events(&db.app);
    assert_eq!(after.len(), 3);
    let standup = &after["7kukuqrfedlm2f9t0vr4mq0bq1@google.com"];
    assert_eq!((standup.title.as_str(), standup.start.as_str()), ("Sales stand-up (new time)", "2027-01-05T10:00"));
    assert_eq!(standup.id, before["7kukuqrfedlm2f9t0vr4mq0bq1@google.com"].id);
}

/// What iCalendar carries survives export and import into a fresh book.
#[test]
fn a_round_trip_keeps_what_icalendar_carries() {
    let a = new_db();
    for f in ["google.ics", "outlook.ics", "apple.ics", "thunderbird.ics"] {
        import(&a, &fixture(f));
    }
    // And events made in Satchel (no UID of their own), with a changed occurrence.
    let cal = a.app.calendar();
    let made = cal
        .create_event(&satchel_core::calendar::EventInput {
            title: "Demo; for \"Acme\", Inc.\\".into(),
            notes: "line 1\nline 2, with comma".into(),
            start: "2027-05-04T15:00".into(),
            end: "2027-05-04T16:00".into(),
            tz: "Asia/Shanghai".into(),
            rrule: "FREQ=DAILY;COUNT=3".into(),
            reminders: vec![0, 45],
            ..Default::default()
        })
        .unwrap()
        .event;
    cal.move_occurrence(&made.id, Some("2027-05-05T07:00:00Z"), "2027-05-05T18:00", "2027-05-05T19:00", "Asia/Shanghai").unwrap();
    cal.delete_event(&made.id, satchel_core::calendar::Span::This, Some("2027-05-06T07:00:00Z")).unwrap();

    let text = cal.export_ics(None, None).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"), "{text}");
    assert!(text.split("\r\n").all(|l| l.len() <= 75), "folded at 75 octets");
    for zone in ["TZID:Europe/Berlin", "TZID:America/New_York", "TZID:Asia/Shanghai"] {
        assert!(text.contains(zone), "a VTIMEZONE for {zone}");
    }
    assert!(text.contains(&format!("UID:{}@satchel\r\n", made.id)), "{text}");

    let b = new_db();
    let out = import(&b, text.as_bytes());
    assert_eq!(out.created, 13);
    for zone in ["Asia/Shanghai", "America/New_York", "UTC"] {
        let shown = |app: &Satchel| -> Vec<String> {
            occurrences(app, "2027-01-01", "2028-01-01", zone)
                .iter()
                .map(|o| format!("{} {} {} {} {:?} {}", o.start, o.end, o.title, o.location, o.reminders, o.all_day))
                .collect()
        };
        assert_eq!(shown(&b.app), shown(&a.app), "{zone}");
    }
    let (ea, eb) = (events(&a.app), events(&b.app));
    assert_eq!(ea.len(), eb.len());
    for (uid, x) in &ea {
        let uid = if uid.is_empty() { format!("{}@satchel", x.id) } else { uid.clone() };
        let y = &eb[&uid];
        let carried = |e: &Event| {
            let people: Vec<(String, String)> = e.attendees.iter().map(|a| (a.name.clone(), a.email.clone())).collect();
            (
                (e.title.clone(), e.location.clone(), e.notes.clone(), e.all_day, e.start.clone(), e.end.clone(), e.tz.clone()),
                (e.rrule.clone(), e.rdates.clone(), e.reminders.clone(), e.visibility.clone(), e.status, e.kind, people),
            )
        };
        assert_eq!(carried(y), carried(x), "{uid}");
        // A cancelled occurrence comes back as an EXDATE.
        assert!(x.exdates.iter().all(|d| y.exdates.contains(d)), "{uid}");
    }
    // Exporting to the book it came from finds every event again, made here or imported.
    let again = import(&a, text.as_bytes());
    assert_eq!((again.created, again.updated), (0, 13));
}

#[test]
fn a_window_exports_only_the_events_in_it() {
    let db = new_db();
    import(&db, &fixture("google.ics"));
    import(&db, &fixture("apple.ics"));
    let text = db.app.calendar().export_ics(Some((day("2027-02-01"), day("2027-02-03"), tz("Asia/Shanghai"))), None).unwrap();
    let mut uids: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("UID:")).collect();
    uids.sort();
    // The fair, and the whole stand-up series (with its moved occurrence) which is on the 2nd.
    assert_eq!(
        uids,
        ["2a9cj1n5q3r8s0t6u4v2w1x9y8@google.com", "7kukuqrfedlm2f9t0vr4mq0bq1@google.com", "7kukuqrfedlm2f9t0vr4mq0bq1@google.com"]
    );
    assert!(text.contains("RECURRENCE-ID;TZID=Asia/Shanghai:20270112T090000\r\n"), "{text}");
    assert!(
        text.contains("EXDATE;TZID=Asia/Shanghai:20270119T090000\r\n") && text.contains("EXDATE;TZID=Asia/Shanghai:20270126T090000\r\n")
    );
}

#[test]
fn an_event_ending_before_it_starts_is_refused_by_name_and_nothing_is_written() {
    let db = new_db();
    let out = refused(
        &db,
        &ics("
            BEGIN:VEVENT
            UID:good-1
            SUMMARY:Fine
            DTSTART:20270105T090000Z
            END:VEVENT
            BEGIN:VEVENT
            UID:bad-2@example.com
            SUMMARY:Backwards meeting
            DTSTART;TZID=Asia/Shanghai:20270105T100000
            DTEND;TZID=Asia/Shanghai:20270105T090000
            END:VEVENT
        "),
    );
    assert_eq!(out.errors.len(), 1);
    let e = &out.errors[0];
    assert_eq!((e.row, e.column.as_str()), (9, "DTEND"));
    assert_eq!(e.message, "Event “Backwards meeting” (UID bad-2@example.com): End: must not be before the start");
    // Skipping the refused ones imports the others.
    let out = db
        .app
        .calendar()
        .import_ics_with(
            &ics("
        BEGIN:VEVENT
        UID:good-1
        SUMMARY:Fine
        DTSTART:20270105T090000Z
        END:VEVENT
        BEGIN:VEVENT
        UID:bad-2@example.com
        SUMMARY:Backwards meeting
        DTSTART:20270105T100000Z
        DURATION:-PT1H
        END:VEVENT
    "),
            true,
        )
        .unwrap();
    assert_eq!((out.created, out.refused, out.written), (1, 1, true));
}

#[test]
fn broken_folding_and_a_missing_end_name_the_line_and_the_event() {
    let db = new_db();
    let out = refused(
        &db,
        &ics("
            BEGIN:VEVENT
            UID:fold-1
            SUMMARY:Wrapped by a mail program
            DTSTART:20270105T090000Z
            DESCRIPTION:a long description that a mail program
            wrapped without the leading space
            END:VEVENT
            BEGIN:VEVENT
            UID:no-end-2
            SUMMARY:Never ends
            DTSTART:20270106T090000Z
            BEGIN:VEVENT
            UID:after-3
            SUMMARY:After it
            DTSTART:20270107T090000Z
            END:VEVENT
        "),
    );
    let got: Vec<(u32, &str)> = out.errors.iter().map(|e| (e.row, e.message.as_str())).collect();
    assert_eq!(
        got,
        [
            (9, "Event “Wrapped by a mail program” (UID fold-1): line 9 is not an iCalendar property (a continued line must start with a space; was the file re-wrapped by an email program?)"),
            (11, "Event “Never ends” (UID no-end-2): has no END:VEVENT (the next event or the end of the calendar comes first)"),
        ]
    );
    assert_eq!(out.refused, 2);
}

#[test]
fn files_refused_as_a_whole() {
    let db = new_db();
    let cut = String::from_utf8(fixture("google.ics")).unwrap();
    let cut = &cut[..cut.find("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE").unwrap()];
    assert_eq!(file_problem(&db, cut.as_bytes()), FileProblem::CalendarCutOff { line: 73 });
    assert_eq!(file_problem(&db, b"BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n"), FileProblem::NotIcalendar);
    assert_eq!(file_problem(&db, b"name,email\nAnn,ann@acme.com\n"), FileProblem::NotIcalendar);
    assert_eq!(file_problem(&db, b""), FileProblem::Empty);
    // Binary junk: a workbook, an image, random bytes.
    assert_eq!(file_problem(&db, b"PK\x03\x04\x14\x00\x06\x00"), FileProblem::Binary(Some("zip")));
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let junk: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    assert!(matches!(file_problem(&db, &junk), FileProblem::Binary(_) | FileProblem::UnknownEncoding | FileProblem::NotIcalendar));
    // Too large: refused before it is read.
    let big = db.dir.path().join("big.ics");
    std::fs::File::create(&big).unwrap().set_len(MAX_ICS_BYTES + 1).unwrap();
    assert!(matches!(
        db.app.calendar().import_ics_file(&big, false),
        Err(CoreError::File(FileProblem::TooLarge { max: MAX_ICS_BYTES, .. }))
    ));
    let msg =
        CoreError::File(FileProblem::TooLarge { bytes: MAX_ICS_BYTES + 1, max: MAX_ICS_BYTES }).message(satchel_core::i18n::Locale::En);
    assert_eq!(msg, "The file is 50 MB; Satchel imports files up to 50 MB. Split it into smaller files.");
}

#[test]
fn unknown_time_zones_refuse_the_file_naming_the_zone_unless_its_offset_is_fixed() {
    let db = new_db();
    let custom = ics("
        BEGIN:VTIMEZONE
        TZID:Customized Time Zone
        BEGIN:STANDARD
        DTSTART:16010101T030000
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
        END:STANDARD
        BEGIN:DAYLIGHT
        DTSTART:16010101T020000
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
        END:DAYLIGHT
        END:VTIMEZONE
        BEGIN:VEVENT
        UID:custom-1
        SUMMARY:In a zone no one can name
        DTSTART;TZID=Customized Time Zone:20270105T090000
        END:VEVENT
    ");
    let p = file_problem(&db, &custom);
    assert_eq!(p, FileProblem::UnknownTimeZone { zone: "Customized Time Zone".into(), line: 19 });
    let msg = CoreError::File(p).message(satchel_core::i18n::Locale::En);
    assert!(msg.starts_with("The time zone “Customized Time Zone” (used by the event at line 19) is not one Satchel knows"), "{msg}");
    let nowhere = ics("
        BEGIN:VEVENT
        UID:mars-1
        SUMMARY:Mars
        DTSTART;TZID=Mars/Olympus_Mons:20270105T090000
        END:VEVENT
    ");
    assert_eq!(file_problem(&db, &nowhere), FileProblem::UnknownTimeZone { zone: "Mars/Olympus_Mons".into(), line: 4 });
    // One offset and no daylight saving: exact as Etc/GMT-8.
    let fixed = ics("
        BEGIN:VTIMEZONE
        TZID:Beijing Office
        BEGIN:STANDARD
        DTSTART:16010101T000000
        TZOFFSETFROM:+0800
        TZOFFSETTO:+0800
        END:STANDARD
        END:VTIMEZONE
        BEGIN:VEVENT
        UID:fixed-1
        SUMMARY:Fixed offset
        DTSTART;TZID=Beijing Office:20270105T090000
        DTEND;TZID=Beijing Office:20270105T100000
        END:VEVENT
    ");
    import(&db, &fixed);
    assert_eq!(events(&db.app)["fixed-1"].tz, "Etc/GMT-8");
    assert_eq!(
        page(&db.app, "2027-01-05", "2027-01-06", "Asia/Shanghai"),
        ["2027-01-05T09:00:00+08:00 2027-01-05T10:00:00+08:00 Fixed offset"]
    );
}

#[test]
fn unknown_properties_are_ignored_and_an_endless_rule_is_endless() {
    let db = new_db();
    import(
        &db,
        &ics("
            X-WR-CALNAME:Mine
            X-SOMETHING-NEW;FOO=\"a:b\";BAR=1:whatever
            BEGIN:VEVENT
            UID:endless-1
            SUMMARY:Every Monday forever
            X-UNKNOWN-PROP:ignored
            NEW-STANDARD-PROP;X=1:ignored too
            GEO:31.2304;121.4737
            DTSTART;TZID=Asia/Shanghai:20270104T090000
            DTEND;TZID=Asia/Shanghai:20270104T100000
            RRULE:FREQ=WEEKLY;BYDAY=MO
            BEGIN:X-FUTURE-COMPONENT
            FOO:bar
            END:X-FUTURE-COMPONENT
            END:VEVENT
            BEGIN:VTODO
            UID:todo-1
            SUMMARY:A task is not an event
            END:VTODO
        "),
    );
    assert_eq!(count(&db.app, "SELECT count(*) FROM events"), 1);
    assert_eq!(
        page(&db.app, "2049-12-27", "2050-01-03", "Asia/Shanghai"),
        ["2049-12-27T09:00:00+08:00 2049-12-27T10:00:00+08:00 Every Monday forever"]
    );
}

#[test]
fn events_without_an_end_or_a_uid() {
    let db = new_db();
    let file = ics("
        BEGIN:VEVENT
        SUMMARY:A moment
        DTSTART:20270105T090000Z
        END:VEVENT
        BEGIN:VEVENT
        SUMMARY:A day
        DTSTART;VALUE=DATE:20270106
        END:VEVENT
        BEGIN:VEVENT
        SUMMARY:Ends on its own day
        DTSTART;VALUE=DATE:20270107
        DTEND;VALUE=DATE:20270107
        END:VEVENT
    ");
    import(&db, &file);
    assert_eq!(
        page(&db.app, "2027-01-05", "2027-01-08", "UTC"),
        [
            "2027-01-05T09:00:00+00:00 2027-01-05T09:00:00+00:00 A moment",
            "2027-01-06 2027-01-07 A day",
            "2027-01-07 2027-01-08 Ends on its own day"
        ]
    );
    // Without a UID the same file still finds its events again.
    let again = import(&db, &file);
    assert_eq!((again.created, again.updated), (0, 3));
}

/// Damaged copies of a real file (cut anywhere, bytes changed, lines doubled) are read or refused
/// quickly, never a panic or a hang, and a refused one writes nothing.
#[test]
fn damaged_files_never_panic_or_hang() {
    let db = new_db();
    let files: Vec<Vec<u8>> = ["outlook.ics", "google.ics", "apple.ics", "thunderbird.ics"].iter().map(|f| fixture(f)).collect();
    let started = std::time::Instant::now();
    let mut x: u64 = std::env::var("ICS_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(42);
    let mut rnd = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let cases: usize = std::env::var("ICS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    for i in 0..cases {
        let good = &files[i % files.len()];
        let mut bytes = good.clone();
        match (i / files.len()) % 3 {
            0 => bytes.truncate(rnd(good.len())),
            1 => {
                for _ in 0..5 {
                    let at = rnd(bytes.len());
                    let junk = b":;,\\\r\n \"Z0-";
                    bytes[at] = junk[rnd(junk.len())];
                }
            }
            _ => {
                let text = String::from_utf8_lossy(good).into_owned();
                let lines: Vec<&str> = text.split("\r\n").collect();
                let at = rnd(lines.len());
                let mut l2 = lines.clone();
                l2.insert(at, lines[rnd(lines.len())]);
                bytes = l2.join("\r\n").into_bytes();
            }
        }
        let before = count(&db.app, "SELECT count(*) FROM events");
        match db.app.calendar().import_ics(&bytes) {
            Ok(out) if !out.written => assert_eq!(count(&db.app, "SELECT count(*) FROM events"), before),
            Ok(_) | Err(CoreError::File(_)) => {}
            Err(e) => panic!("case {i}: {e}"),
        }
    }
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}
