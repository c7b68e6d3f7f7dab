//! The calendar module on real SQLite files: events in zones, series with moved, edited and
//! cancelled occurrences, "this and following", clashes, tasks, and a moved occurrence and a
//! series edit made on two laptops that both survive sync.

use super::fixtures::{laptop, new_db, person, send};
use chrono::NaiveDate;
use chrono_tz::Tz;
use satchel_core::calendar::{EventInput, EventKind, Occurrence, Priority, Span, TaskInput, TaskList};
use satchel_core::Satchel;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn tz(s: &str) -> Tz {
    s.parse().unwrap()
}

fn meeting(title: &str, start: &str, end: &str) -> EventInput {
    EventInput { title: title.into(), start: start.into(), end: end.into(), tz: "Asia/Shanghai".into(), ..Default::default() }
}

/// `start end title` of each occurrence, as a page in `zone` shows them.
fn page(app: &Satchel, from: &str, to: &str, zone: &str) -> Vec<String> {
    app.calendar().occurrences(day(from), day(to), tz(zone), None).unwrap().iter().map(line).collect()
}

fn line(o: &Occurrence) -> String {
    format!("{} {} {}", o.start, o.end, o.title)
}

#[test]
fn a_meeting_made_in_shanghai_shows_at_the_right_hour_in_new_york() {
    let db = new_db();
    let cal = db.app.calendar();
    let saved = cal.create_event(&meeting("Visit Acme", "2027-01-12T09:00", "2027-01-12T10:30")).unwrap();
    assert_eq!((saved.event.start.as_str(), saved.event.tz.as_str()), ("2027-01-12T09:00", "Asia/Shanghai"));
    assert_eq!(
        page(&db.app, "2027-01-12", "2027-01-13", "Asia/Shanghai"),
        ["2027-01-12T09:00:00+08:00 2027-01-12T10:30:00+08:00 Visit Acme"]
    );
    // The evening before in New York: on the 11th's page, not the 12th's.
    assert_eq!(
        page(&db.app, "2027-01-11", "2027-01-12", "America/New_York"),
        ["2027-01-11T20:00:00-05:00 2027-01-11T21:30:00-05:00 Visit Acme"]
    );
    assert!(page(&db.app, "2027-01-12", "2027-01-13", "America/New_York").is_empty());
    // An all-day event is the same day everywhere.
    cal.create_event(&EventInput { all_day: true, ..meeting("Trade fair", "2027-01-12", "2027-01-14") }).unwrap();
    assert_eq!(page(&db.app, "2027-01-13", "2027-01-14", "America/New_York"), ["2027-01-12 2027-01-14 Trade fair"]);
}

#[test]
fn a_weekly_series_with_a_moved_a_cancelled_and_a_retitled_occurrence() {
    let db = new_db();
    let cal = db.app.calendar();
    let weekly = EventInput { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6".into(), ..meeting("Stand-up", "2027-01-05T09:00", "2027-01-05T09:30") };
    let id = cal.create_event(&weekly).unwrap().event.id;
    let all = page(&db.app, "2027-01-01", "2027-03-01", "Asia/Shanghai");
    assert_eq!(all.len(), 6);
    assert_eq!(all[5], "2027-02-09T09:00:00+08:00 2027-02-09T09:30:00+08:00 Stand-up");

    // Drag the second one to Wednesday afternoon.
    let occ = cal.occurrences(day("2027-01-12"), day("2027-01-13"), tz("Asia/Shanghai"), None).unwrap();
    let rid = occ[0].recurrence_id.clone().unwrap();
    assert_eq!(rid, "2027-01-12T01:00:00Z");
    cal.move_occurrence(&id, Some(&rid), "2027-01-13T15:00", "2027-01-13T15:30", "Asia/Shanghai").unwrap();
    // Cancel the third; retitle the fourth only.
    cal.delete_event(&id, Span::This, Some("2027-01-19T01:00:00Z")).unwrap();
    let fourth = EventInput { title: "Stand-up (with Li)".into(), ..meeting("", "2027-01-26T09:00", "2027-01-26T09:30") };
    cal.update_event(&id, &fourth, Span::This, Some("2027-01-26T01:00:00Z")).unwrap();
    assert_eq!(
        page(&db.app, "2027-01-10", "2027-01-31", "Asia/Shanghai"),
        [
            "2027-01-13T15:00:00+08:00 2027-01-13T15:30:00+08:00 Stand-up",
            "2027-01-26T09:00:00+08:00 2027-01-26T09:30:00+08:00 Stand-up (with Li)",
        ]
    );
    // A moved occurrence is found on the page it moved to, even when its own day is outside it.
    assert_eq!(page(&db.app, "2027-01-13", "2027-01-14", "Asia/Shanghai").len(), 1);
    assert!(page(&db.app, "2027-01-12", "2027-01-13", "Asia/Shanghai").is_empty());

    // Retitle the whole series: the moved one follows, the retitled one keeps its own title.
    let renamed = EventInput { title: "Team stand-up".into(), ..weekly.clone() };
    cal.update_event(&id, &renamed, Span::All, None).unwrap();
    let titles: Vec<String> =
        cal.occurrences(day("2027-01-01"), day("2027-03-01"), tz("Asia/Shanghai"), None).unwrap().into_iter().map(|o| o.title).collect();
    assert_eq!(titles, ["Team stand-up", "Team stand-up", "Stand-up (with Li)", "Team stand-up", "Team stand-up"]);

    // This and following from Feb 2: the old series ends before it, a new one carries the rest.
    let later = EventInput { title: "Stand-up v2".into(), ..meeting("", "2027-02-02T10:00", "2027-02-02T10:30") };
    let later = EventInput { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6".into(), ..later };
    let new_series = cal.update_event(&id, &later, Span::Following, Some("2027-02-02T01:00:00Z")).unwrap().event;
    assert_ne!(new_series.id, id);
    assert_eq!(new_series.rrule, "FREQ=WEEKLY;BYDAY=TU;COUNT=2", "6 minus the 4 the first part kept");
    assert_eq!(
        page(&db.app, "2027-01-30", "2027-03-30", "Asia/Shanghai"),
        [
            "2027-02-02T10:00:00+08:00 2027-02-02T10:30:00+08:00 Stand-up v2",
            "2027-02-09T10:00:00+08:00 2027-02-09T10:30:00+08:00 Stand-up v2",
        ]
    );
    assert_eq!(page(&db.app, "2027-01-01", "2027-01-31", "Asia/Shanghai").len(), 3);

    // Delete all of the new series: to the trash, and back.
    cal.delete_event(&new_series.id, Span::All, None).unwrap();
    assert!(page(&db.app, "2027-01-30", "2027-03-30", "Asia/Shanghai").is_empty());
    cal.restore_event(&new_series.id).unwrap();
    assert_eq!(page(&db.app, "2027-01-30", "2027-03-30", "Asia/Shanghai").len(), 2);
}

#[test]
fn clashes_warn_about_the_same_owners_overlapping_events() {
    let db = new_db();
    let cal = db.app.calendar();
    cal.create_event(&meeting("Call Li", "2027-01-12T10:00", "2027-01-12T11:00")).unwrap();
    cal.create_event(&EventInput { owner: "bo".into(), ..meeting("Bo's demo", "2027-01-12T10:00", "2027-01-12T11:00") }).unwrap();
    cal.create_event(&EventInput { all_day: true, ..meeting("Fair", "2027-01-12", "2027-01-13") }).unwrap();
    let saved = cal.create_event(&meeting("Visit Acme", "2027-01-12T10:30", "2027-01-12T12:00")).unwrap();
    let clash: Vec<&str> = saved.clashes.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(clash, ["Call Li"], "only the same owner's timed events clash");
    // Touching is not clashing.
    assert!(cal.check(&meeting("Lunch", "2027-01-12T12:00", "2027-01-12T13:00"), None).unwrap().is_empty());
    // Moving it away clears the warning; moving onto the call warns again.
    let moved = cal.move_occurrence(&saved.event.id, None, "2027-01-12T14:00", "2027-01-12T15:00", "Asia/Shanghai").unwrap();
    assert!(moved.clashes.is_empty());
    let back = cal.move_occurrence(&saved.event.id, None, "2027-01-12T10:15", "2027-01-12T10:45", "Asia/Shanghai").unwrap();
    assert_eq!(back.clashes.len(), 1);
    // A weekly series is checked over its coming occurrences.
    let weekly = EventInput { rrule: "FREQ=WEEKLY;COUNT=4".into(), ..meeting("Weekly", "2027-01-05T10:30", "2027-01-05T11:30") };
    assert_eq!(cal.check(&weekly, None).unwrap().len(), 2, "the call and the visit on the 12th");
}

#[test]
fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let db = new_db();
    let cal = db.app.calendar();
    let err = cal.create_event(&meeting("Backwards", "2027-01-12T10:00", "2027-01-12T09:00")).unwrap_err();
    assert_eq!(err.field(), Some("end"));
    assert!(err.message(satchel_core::i18n::Locale::ZhCn).contains("结束"));
    let err = cal.create_event(&EventInput { rrule: "FREQ=NEVER".into(), ..meeting("x", "2027-01-12T10:00", "") }).unwrap_err();
    assert_eq!(err.field(), Some("rrule"));
    let missing = satchel_core::ids::CustomerId::new();
    let err = cal.create_event(&EventInput { customer_id: Some(missing), ..meeting("x", "2027-01-12T10:00", "") }).unwrap_err();
    assert_eq!(err.field(), Some("customerId"));
    assert!(page(&db.app, "2027-01-01", "2027-02-01", "UTC").is_empty());
}

#[test]
fn tasks_are_listed_as_overdue_today_upcoming_and_done() {
    let db = new_db();
    let cal = db.app.calendar();
    let acme = db.app.customers().create(person("Acme Li")).unwrap();
    let task =
        |title: &str, due: &str| TaskInput { title: title.into(), due_date: due.into(), tz: "Asia/Shanghai".into(), ..Default::default() };
    cal.create_task(&task("Late", "2027-01-10")).unwrap();
    let today = cal
        .create_task(&TaskInput {
            due_time: "17:00".into(),
            priority: Priority::High,
            customer_id: Some(acme.id.clone()),
            ..task("Send quote", "2027-01-12")
        })
        .unwrap();
    assert_eq!(today.due_at.as_deref(), Some("2027-01-12T09:00:00Z"));
    cal.create_task(&task("Next week", "2027-01-19")).unwrap();
    cal.create_task(&task("Someday", "")).unwrap();
    let titles = |l: TaskList| -> Vec<String> { cal.tasks(l, day("2027-01-12"), &[]).unwrap().into_iter().map(|t| t.title).collect() };
    assert_eq!(titles(TaskList::Overdue), ["Late"]);
    assert_eq!(titles(TaskList::Today), ["Send quote"]);
    assert_eq!(titles(TaskList::Upcoming), ["Next week"]);
    assert_eq!(titles(TaskList::Someday), ["Someday"]);
    let done = cal.set_task_done(&today.id, true).unwrap();
    assert!(done.done_at.is_some());
    assert_eq!(titles(TaskList::Done), ["Send quote"]);
    assert!(titles(TaskList::Today).is_empty());
    assert!(cal.tasks(TaskList::Overdue, day("2027-01-12"), &["bo".into()]).unwrap().is_empty());
}

/// The case: an occurrence moved on one laptop and the series retitled on another,
/// offline; after both sync, both changes show on both laptops.
#[test]
fn a_moved_occurrence_and_a_series_edit_made_offline_both_survive() {
    let (a, b) = (laptop("ana"), laptop("bo"));
    let weekly = EventInput {
        owner: "ana".into(),
        rrule: "FREQ=WEEKLY;COUNT=3".into(),
        ..meeting("Review", "2027-01-05T09:00", "2027-01-05T10:00")
    };
    let id = a.app.calendar().create_event(&weekly).unwrap().event.id;
    let a_sent = send(&a, &b, 0);
    assert_eq!(page(&b.app, "2027-01-01", "2027-02-01", "Asia/Shanghai").len(), 3);

    a.app.calendar().move_occurrence(&id, Some("2027-01-12T01:00:00Z"), "2027-01-13T14:00", "2027-01-13T15:00", "Asia/Shanghai").unwrap();
    b.app
        .calendar()
        .update_event(&id, &EventInput { title: "Quarterly review".into(), location: "Room 3".into(), ..weekly }, Span::All, None)
        .unwrap();
    send(&a, &b, a_sent);
    send(&b, &a, 0);

    let want = [
        "2027-01-05T09:00:00+08:00 2027-01-05T10:00:00+08:00 Quarterly review",
        "2027-01-13T14:00:00+08:00 2027-01-13T15:00:00+08:00 Quarterly review",
        "2027-01-19T09:00:00+08:00 2027-01-19T10:00:00+08:00 Quarterly review",
    ];
    assert_eq!(page(&a.app, "2027-01-01", "2027-02-01", "Asia/Shanghai"), want);
    assert_eq!(page(&b.app, "2027-01-01", "2027-02-01", "Asia/Shanghai"), want);
    let locations: Vec<String> = a
        .app
        .calendar()
        .occurrences(day("2027-01-01"), day("2027-02-01"), tz("UTC"), None)
        .unwrap()
        .into_iter()
        .map(|o| o.location)
        .collect();
    assert_eq!(locations, ["Room 3"; 3]);
}

#[test]
fn an_event_is_a_record_with_history_and_trash() {
    let db = new_db();
    let cal = db.app.calendar();
    let id = cal.create_event(&EventInput { kind: EventKind::Visit, ..meeting("Visit", "2027-01-12T09:00", "") }).unwrap().event.id;
    cal.delete_event(&id, Span::All, None).unwrap();
    let trash = db.app.records().trash("event", 10).unwrap();
    assert_eq!(trash.len(), 1);
    assert!(cal.get_event(&id).is_err());
    cal.restore_event(&id).unwrap();
    assert_eq!(cal.get_event(&id).unwrap().kind, EventKind::Visit);
}
