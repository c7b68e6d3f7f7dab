//! The calendar through a real satchel-server over HTTP: events sync with their owner and
//! visibility (a private event and its attendees never reach a teammate, the team's manager sees
//! them), a moved occurrence on one laptop and a retitled series on another both survive, and a
//! reminder dismissed on one of a user's laptops is dismissed on the other.

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use common::*;
use satchel_core::calendar::{AttendeeInput, EventInput, Span};
use satchel_server::storage::Role;

fn meeting(title: &str, start: &str, end: &str) -> EventInput {
    EventInput { title: title.into(), start: start.into(), end: end.into(), tz: "Asia/Shanghai".into(), ..Default::default() }
}

fn shanghai() -> Tz {
    "Asia/Shanghai".parse().unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `start title` of each occurrence in January 2027, in Shanghai time.
fn january(l: &Laptop) -> Vec<String> {
    l.app
        .calendar()
        .occurrences(day("2027-01-01"), day("2027-02-01"), shanghai(), None)
        .unwrap()
        .iter()
        .map(|o| format!("{} {}", o.start, o.title))
        .collect()
}

fn count(l: &Laptop, table: &str) -> i64 {
    l.app.store().read(|c| Ok(c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)).unwrap()
}

#[test]
fn a_private_event_stays_with_its_owner_and_the_manager_and_series_edits_merge_per_field() {
    let srv = server(&[
        ("ana@example.cn", Role::Sales, "East"),
        ("cy@example.cn", Role::Sales, "East"),
        ("mo@example.cn", Role::Manager, "East"),
    ]);
    let (a, c, m) = (laptop("ana"), laptop("cy"), laptop("mo"));
    for (l, who) in [(&a, "ana"), (&c, "cy"), (&m, "mo")] {
        l.login(&srv, &format!("{who}@example.cn"));
    }
    let weekly = EventInput { rrule: "FREQ=WEEKLY;COUNT=3".into(), ..meeting("Review", "2027-01-05T09:00", "2027-01-05T10:00") };
    let series = a.app.calendar().create_event(&weekly).unwrap().event.id;
    let secret = EventInput {
        visibility: "private".into(),
        attendees: vec![AttendeeInput { name: "李娜".into(), email: "li@example.cn".into(), customer_id: None }],
        ..meeting("私人拜访", "2027-01-06T15:00", "2027-01-06T16:00")
    };
    a.app.calendar().create_event(&secret).unwrap();
    a.sync();
    c.sync();
    m.sync();
    assert_eq!(january(&c).len(), 3, "the team's series reaches the teammate: {:?}", january(&c));
    assert!(!january(&c).iter().any(|o| o.contains("私人拜访")));
    assert_eq!(count(&c, "event_attendees"), 0, "not even the private event's attendee");
    assert!(january(&m).iter().any(|o| o.contains("私人拜访")), "the team's manager sees it");

    // Offline on both: Ana drags the second occurrence, Cy retitles the whole series.
    a.app
        .calendar()
        .move_occurrence(&series, Some("2027-01-12T01:00:00Z"), "2027-01-13T14:00", "2027-01-13T15:00", "Asia/Shanghai")
        .unwrap();
    let renamed = EventInput { title: "Quarterly review".into(), owner: "ana".into(), ..weekly };
    c.app.calendar().update_event(&series, &renamed, Span::All, None).unwrap();
    a.sync();
    c.sync();
    a.sync();
    let want = [
        "2027-01-05T09:00:00+08:00 Quarterly review",
        "2027-01-13T14:00:00+08:00 Quarterly review",
        "2027-01-19T09:00:00+08:00 Quarterly review",
    ];
    assert_eq!(january(&a).iter().filter(|o| !o.contains("私人")).cloned().collect::<Vec<_>>(), want);
    assert_eq!(january(&c), want);
}

#[test]
fn a_reminder_dismissed_on_one_laptop_is_dismissed_on_the_other() {
    let srv = server(&[("ana@example.cn", Role::Sales, "East")]);
    let (one, two) = (laptop("ana"), laptop("ana"));
    one.login(&srv, "ana@example.cn");
    two.login(&srv, "ana@example.cn");
    one.app
        .calendar()
        .create_event(&EventInput { reminders: vec![15], ..meeting("Board meeting", "2027-01-12T09:00", "2027-01-12T10:00") })
        .unwrap();
    one.sync();
    two.sync();
    let at: DateTime<Utc> = "2027-01-12T00:46:00Z".parse().unwrap(); // 08:46 in Shanghai
    let due = two.app.calendar().due_reminders_in(at, shanghai()).unwrap();
    assert_eq!(due.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["Board meeting"], "the second laptop would show it");

    let on_one = one.app.calendar().reminder_list_in(at, shanghai()).unwrap();
    one.app.calendar().dismiss_reminder(&on_one[0]).unwrap();
    one.sync();
    two.sync();
    assert!(two.app.calendar().due_reminders_in(at, shanghai()).unwrap().is_empty(), "dismissed on the first, quiet on the second");
    assert!(two.app.calendar().reminder_list_in(at, shanghai()).unwrap().is_empty());
}
