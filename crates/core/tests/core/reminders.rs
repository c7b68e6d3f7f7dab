//! Reminders with a controllable clock: the pure rule (`what_is_due`) by a table of cases and
//! against a separately written model, then the core's calls on real SQLite files: due on time,
//! missed on wake, snooze, no double fire, dismissed on another laptop, birthdays, follow-ups.

use super::fixtures::{laptop, new_db, person, send};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use satchel_core::calendar::reminders::{
    what_is_due, Candidate, DueReminder, Mark, ReminderKind, Snooze, DEFAULT_REMINDERS, GRACE_MINUTES, LOOKBACK_DAYS,
};
use satchel_core::calendar::{EventInput, TaskInput};
use satchel_core::customers::CustomerInput;
use satchel_core::i18n::Locale;
use satchel_core::Satchel;
use std::collections::HashMap;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn shanghai() -> Tz {
    "Asia/Shanghai".parse().unwrap()
}

// ---- the pure rule ----

const NOW: &str = "2027-01-12T09:00:00Z";

fn now() -> DateTime<Utc> {
    at(NOW)
}

/// A reminder of `record` due `ago` minutes before now (negative: later).
fn cand(record: &str, ago: i64) -> Candidate {
    let due_at = now() - Duration::minutes(ago);
    Candidate {
        kind: ReminderKind::Event,
        record_id: record.into(),
        recurrence_id: None,
        title: record.to_uppercase(),
        starts_at: due_at + Duration::minutes(15),
        all_day: false,
        minutes_before: 15,
        due_at,
    }
}

fn key(record: &str, ago: i64) -> String {
    cand(record, ago).key()
}

fn mins_ago(ago: i64) -> DateTime<Utc> {
    now() - Duration::minutes(ago)
}

/// `record ago [missed] [snoozed] [+covers]` of each reminder due now.
fn brief(due: &[satchel_core::calendar::reminders::Due]) -> Vec<String> {
    due.iter()
        .map(|d| {
            let mut s = format!("{} {}", d.candidate.record_id, (now() - d.candidate.due_at).num_minutes());
            if d.missed {
                s.push_str(" missed");
            }
            if d.snoozed {
                s.push_str(" snoozed");
            }
            if !d.covers.is_empty() {
                s.push_str(&format!(" +{}", d.covers.len()));
            }
            s
        })
        .collect()
}

#[test]
fn what_is_due_by_cases() {
    let day = 24 * 60;
    let dismissed = Mark { dismissed: true, snoozed_until: None };
    let snoozed = |ago: i64| Mark { dismissed: false, snoozed_until: Some(mins_ago(ago)) };
    type Case = (&'static str, Vec<Candidate>, Vec<(String, Mark)>, Vec<(String, DateTime<Utc>)>, Vec<&'static str>);
    let cases: Vec<Case> = vec![
        ("due now", vec![cand("a", 0)], vec![], vec![], vec!["a 0"]),
        ("not yet", vec![cand("a", -1)], vec![], vec![], vec![]),
        ("a minute late is on time", vec![cand("a", 1)], vec![], vec![], vec!["a 1"]),
        ("two minutes late is on time", vec![cand("a", GRACE_MINUTES)], vec![], vec![], vec!["a 2"]),
        ("three minutes late was missed", vec![cand("a", 3)], vec![], vec![], vec!["a 3 missed"]),
        ("shown here: not again", vec![cand("a", 0)], vec![], vec![(key("a", 0), mins_ago(0))], vec![]),
        ("shown long ago: still not again", vec![cand("a", 60)], vec![], vec![(key("a", 60), mins_ago(60))], vec![]),
        ("dismissed (here or elsewhere)", vec![cand("a", 0)], vec![(key("a", 0), dismissed)], vec![], vec![]),
        ("dismissed and shown", vec![cand("a", 5)], vec![(key("a", 5), dismissed)], vec![(key("a", 5), mins_ago(5))], vec![]),
        ("snoozed, not over yet", vec![cand("a", 5)], vec![(key("a", 5), snoozed(-5))], vec![(key("a", 5), mins_ago(5))], vec![]),
        (
            "snooze over: fires again",
            vec![cand("a", 10)],
            vec![(key("a", 10), snoozed(0))],
            vec![(key("a", 10), mins_ago(10))],
            vec!["a 10 snoozed"],
        ),
        (
            "snooze over and shown since: not again",
            vec![cand("a", 10)],
            vec![(key("a", 10), snoozed(1))],
            vec![(key("a", 10), mins_ago(0))],
            vec![],
        ),
        (
            "snoozed on another laptop, never shown here: fires once the snooze ends",
            vec![cand("a", 10)],
            vec![(key("a", 10), snoozed(0))],
            vec![],
            vec!["a 10 snoozed"],
        ),
        ("snoozed elsewhere, still snoozed: not before its end", vec![cand("a", 10)], vec![(key("a", 10), snoozed(-50))], vec![], vec![]),
        (
            "snooze ended while asleep: missed",
            vec![cand("a", 120)],
            vec![(key("a", 120), snoozed(60))],
            vec![(key("a", 120), mins_ago(120))],
            vec!["a 120 missed snoozed"],
        ),
        ("missed six days ago: fires on wake", vec![cand("a", 6 * day)], vec![], vec![], vec!["a 8640 missed"]),
        ("missed eight days ago: too old", vec![cand("a", 8 * day)], vec![], vec![], vec![]),
        (
            "a daily series missed for a week fires once, the newest",
            (0..7).map(|d| cand("daily", d * day + 30)).collect(),
            vec![],
            vec![],
            vec!["daily 30 missed +6"],
        ),
        ("one on time covers the same record's missed one", vec![cand("a", 15), cand("a", 0)], vec![], vec![], vec!["a 0 +1"]),
        (
            "the shown newest does not bring back an older one",
            vec![cand("a", 2 * day), cand("a", day)],
            vec![],
            vec![(key("a", day), mins_ago(day))],
            vec!["a 2880 missed"],
        ),
        (
            "records apart: each fires, oldest first",
            vec![cand("b", 0), cand("a", 60), cand("c", -5)],
            vec![],
            vec![],
            vec!["a 60 missed", "b 0"],
        ),
        ("the same reminder twice is one", vec![cand("a", 0), cand("a", 0)], vec![], vec![], vec!["a 0"]),
    ];
    for (name, cands, marks, shown, want) in cases {
        let marks: HashMap<String, Mark> = marks.into_iter().collect();
        let shown: HashMap<String, DateTime<Utc>> = shown.into_iter().collect();
        assert_eq!(brief(&what_is_due(now(), &cands, &marks, &shown)), want, "{name}");
    }
}

/// One reminder to show: its key, when it fires, missed, the due instants it covers.
type Shown = (String, DateTime<Utc>, bool, Vec<DateTime<Utc>>);
type Input = (Vec<Candidate>, HashMap<String, Mark>, HashMap<String, DateTime<Utc>>);

/// The rule written again, differently: every reminder's state decided on its own, then one
/// pass over all of them newest first, keeping the first of each record.
fn model(now: DateTime<Utc>, cands: &[Candidate], marks: &HashMap<String, Mark>, shown: &HashMap<String, DateTime<Utc>>) -> Vec<Shown> {
    let mut unique: Vec<&Candidate> = Vec::new();
    for c in cands {
        if !unique.iter().any(|u| u.key() == c.key()) {
            unique.push(c);
        }
    }
    let mut live: Vec<(DateTime<Utc>, String, &Candidate)> = Vec::new();
    for c in unique {
        let k = c.key();
        let m = marks.get(&k).copied().unwrap_or_default();
        let fire = match m.snoozed_until {
            Some(u) if u > c.due_at => u,
            _ => c.due_at,
        };
        let handled = m.dismissed
            || match shown.get(&k) {
                None => false,
                Some(s) => m.snoozed_until.is_none_or(|u| *s >= u),
            };
        let in_range = fire <= now && now - fire <= Duration::days(LOOKBACK_DAYS);
        if !handled && in_range {
            live.push((fire, k, c));
        }
    }
    live.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut picked: Vec<(Shown, (ReminderKind, String))> = Vec::new();
    for (fire, k, c) in live {
        let rec = (c.kind, c.record_id.clone());
        match picked.iter_mut().find(|p| p.1 == rec) {
            Some(p) => p.0 .3.push(c.due_at),
            None => picked.push(((k, fire, (now - fire).num_seconds() > GRACE_MINUTES * 60, vec![]), rec)),
        }
    }
    let mut out: Vec<Shown> = picked.into_iter().map(|p| p.0).collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    for s in &mut out {
        s.3.sort();
    }
    out
}

/// Minutes before now: mostly the edges the rule turns on (the grace, the lookback, the same
/// minute as another time), sometimes anywhere in ten days.
fn arb_minutes() -> impl Strategy<Value = i64> {
    let day: i64 = 24 * 60;
    let edges = vec![-day, -60, -1, 0, 1, 2, 3, 10, 60, day, LOOKBACK_DAYS * day, LOOKBACK_DAYS * day + 1, 8 * day];
    prop_oneof![3 => prop::sample::select(edges), 1 => -day..10 * day]
}

fn arb_input() -> impl Strategy<Value = Input> {
    // Reminders of four records, events or tasks.
    let one = (0usize..4, arb_minutes(), any::<bool>());
    prop::collection::vec(one, 0..16).prop_flat_map(move |cs| {
        let cands: Vec<Candidate> = cs
            .iter()
            .map(|(r, ago, task)| Candidate {
                kind: if *task { ReminderKind::Task } else { ReminderKind::Event },
                ..cand(["a", "b", "c", "d"][*r], *ago)
            })
            .collect();
        let n = cands.len();
        // Per candidate: maybe dismissed, maybe snoozed until some time, maybe shown at some time.
        let marks = prop::collection::vec((prop::bool::weighted(0.2), prop::option::of(arb_minutes()), prop::option::of(arb_minutes())), n);
        (Just(cands), marks).prop_map(|(cands, extra)| {
            let mut marks = HashMap::new();
            let mut shown = HashMap::new();
            for (c, (dismissed, snooze, seen)) in cands.iter().zip(extra) {
                if dismissed || snooze.is_some() {
                    marks.insert(c.key(), Mark { dismissed, snoozed_until: snooze.map(mins_ago) });
                }
                if let Some(s) = seen {
                    shown.insert(c.key(), mins_ago(s));
                }
            }
            (cands, marks, shown)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn what_is_due_agrees_with_the_model((cands, marks, shown) in arb_input()) {
        let got: Vec<_> = what_is_due(now(), &cands, &marks, &shown)
            .into_iter()
            .map(|d| (d.candidate.key(), d.fire_at, d.missed, d.covers))
            .collect();
        prop_assert_eq!(got, model(now(), &cands, &marks, &shown));
    }

    /// A laptop that wakes at random times and marks what it shows never shows a reminder twice,
    /// shows at most one per record at a time, and shows everything due in the lookback once.
    #[test]
    fn waking_at_random_times_shows_each_reminder_once(
        dues in prop::collection::vec((0usize..3, 0i64..20 * 24 * 60), 0..30),
        gaps in prop::collection::vec(1i64..3 * 24 * 60, 1..20),
    ) {
        let start = now() - Duration::days(20);
        let cands: Vec<Candidate> = dues
            .iter()
            .map(|(r, m)| Candidate { due_at: start + Duration::minutes(*m), ..cand(["a", "b", "c"][*r], 0) })
            .collect();
        let mut shown: HashMap<String, DateTime<Utc>> = HashMap::new();
        let mut t = start;
        for g in gaps {
            t += Duration::minutes(g);
            let due = what_is_due(t, &cands, &HashMap::new(), &shown);
            let mut records: Vec<&str> = due.iter().map(|d| d.candidate.record_id.as_str()).collect();
            records.sort_unstable();
            records.dedup();
            prop_assert_eq!(records.len(), due.len());
            for d in &due {
                let keys = std::iter::once(d.candidate.key())
                    .chain(d.covers.iter().map(|c| format!("{}@{}", d.candidate.record_id, c.format("%Y-%m-%dT%H:%M:%SZ"))));
                for k in keys {
                    prop_assert!(!shown.contains_key(&k), "{} shown twice", k);
                    shown.insert(k, t);
                }
            }
            // Nothing due in the lookback is left unshown.
            for c in &cands {
                if c.due_at <= t && t - c.due_at <= Duration::days(LOOKBACK_DAYS) {
                    prop_assert!(shown.contains_key(&c.key()), "{} left out", c.key());
                }
            }
        }
    }
}

// ---- the core's calls on real databases ----

fn meeting(title: &str, start: &str, reminders: &[i32]) -> EventInput {
    EventInput { title: title.into(), start: start.into(), tz: "Asia/Shanghai".into(), reminders: reminders.to_vec(), ..Default::default() }
}

/// `title missed` of what is due at `now` (Shanghai), marking them shown as the worker does.
fn tick(app: &Satchel, now: &str) -> Vec<String> {
    let now = at(now);
    let due = app.calendar().due_reminders_in(now, shanghai()).unwrap();
    for r in &due {
        app.calendar().mark_shown(r, now).unwrap();
    }
    due.iter().map(|r| format!("{}{}", r.title, if r.missed { " missed" } else { "" })).collect()
}

fn peek(app: &Satchel, now: &str) -> Vec<DueReminder> {
    app.calendar().due_reminders_in(at(now), shanghai()).unwrap()
}

#[test]
fn a_reminder_fires_at_its_time_once_and_says_when() {
    let db = new_db();
    let cal = db.app.calendar();
    cal.create_event(&meeting("Visit Acme", "2027-01-12T09:00", &[15, 60])).unwrap();
    // Someone else's meeting reminds them, not us.
    cal.create_event(&EventInput { owner: "bo".into(), ..meeting("Bo's call", "2027-01-12T09:00", &[15]) }).unwrap();
    assert!(tick(&db.app, "2027-01-12T07:59:00+08:00").is_empty());
    assert_eq!(tick(&db.app, "2027-01-12T08:00:00+08:00"), ["Visit Acme"]);
    assert!(tick(&db.app, "2027-01-12T08:00:20+08:00").is_empty());
    assert!(tick(&db.app, "2027-01-12T08:44:40+08:00").is_empty());
    let due = peek(&db.app, "2027-01-12T08:45:00+08:00");
    assert_eq!(due.len(), 1);
    let r = &due[0];
    assert_eq!((r.record_type.as_str(), r.minutes_before, r.missed), ("event", 15, false));
    assert_eq!(r.key, format!("{}@2027-01-12T00:45:00Z", r.record_id));
    assert_eq!(r.notice(Locale::En, shanghai()), ("Visit Acme".to_string(), "Starts at 09:00".to_string()));
    assert_eq!(r.notice(Locale::ZhCn, shanghai()).1, "09:00 开始");
    assert_eq!(tick(&db.app, "2027-01-12T08:45:00+08:00"), ["Visit Acme"]);
    // Never again, however often the worker asks.
    for t in ["2027-01-12T08:45:20+08:00", "2027-01-12T09:00:00+08:00", "2027-01-13T09:00:00+08:00"] {
        assert!(tick(&db.app, t).is_empty(), "{t}");
    }
}

#[test]
fn a_task_reminds_at_its_time_or_at_nine_on_its_day() {
    let db = new_db();
    let cal = db.app.calendar();
    let task = |title: &str, date: &str, time: &str| TaskInput {
        title: title.into(),
        due_date: date.into(),
        due_time: time.into(),
        tz: "Asia/Shanghai".into(),
        reminders: vec![0],
        ..Default::default()
    };
    cal.create_task(&task("Send quote", "2027-01-12", "14:30")).unwrap();
    cal.create_task(&task("Renew contract", "2027-01-12", "")).unwrap();
    let done = cal.create_task(&task("Already done", "2027-01-12", "")).unwrap();
    cal.set_task_done(&done.id, true).unwrap();
    assert!(tick(&db.app, "2027-01-12T08:59:00+08:00").is_empty());
    let due = peek(&db.app, "2027-01-12T09:00:00+08:00");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].notice(Locale::En, shanghai()), ("Renew contract".to_string(), "Due on 2027-01-12".to_string()));
    assert_eq!(tick(&db.app, "2027-01-12T09:00:00+08:00"), ["Renew contract"]);
    assert_eq!(tick(&db.app, "2027-01-12T14:30:10+08:00"), ["Send quote"]);
}

#[test]
fn a_laptop_asleep_for_a_week_shows_a_daily_reminder_once_as_missed() {
    let db = new_db();
    let cal = db.app.calendar();
    cal.create_event(&EventInput { rrule: "FREQ=DAILY".into(), ..meeting("Stand-up", "2027-01-01T09:30", &[0]) }).unwrap();
    cal.create_event(&meeting("Quarterly review", "2027-01-08T15:00", &[30])).unwrap();
    assert_eq!(tick(&db.app, "2027-01-02T09:30:00+08:00"), ["Stand-up"]);
    // Closed on the 2nd at noon, opened on the 12th at 11:00: ten stand-ups and a review missed.
    let due = peek(&db.app, "2027-01-12T11:00:00+08:00");
    let got: Vec<(&str, bool, &str, usize)> = due.iter().map(|r| (r.title.as_str(), r.missed, r.due_at.as_str(), r.covers.len())).collect();
    // The review (four days ago) and today's stand-up, which covers the six before it in the
    // last seven days; the older ones are not brought up.
    assert_eq!(got, [("Quarterly review", true, "2027-01-08T06:30:00Z", 0), ("Stand-up", true, "2027-01-12T01:30:00Z", 6)]);
    let (_, body) = due[1].notice(Locale::En, shanghai());
    assert_eq!(body, "Missed while this computer was off or asleep. Starts at 09:30");
    assert_eq!(tick(&db.app, "2027-01-12T11:00:00+08:00"), ["Quarterly review missed", "Stand-up missed"]);
    assert!(tick(&db.app, "2027-01-12T11:00:20+08:00").is_empty());
    // Dismissing it dismisses the ones it covered (synced, so a laptop that also slept does not
    // bring them up one by one): the in-app list, which ignores what was shown here, agrees.
    let titles = |l: Vec<DueReminder>| l.into_iter().map(|r| r.title).collect::<Vec<_>>();
    let list = cal.reminder_list_in(at("2027-01-12T11:01:00+08:00"), shanghai()).unwrap();
    assert_eq!(list[1].covers.len(), 6);
    cal.dismiss_reminder(&list[1]).unwrap();
    assert_eq!(titles(cal.reminder_list_in(at("2027-01-12T11:01:00+08:00"), shanghai()).unwrap()), ["Quarterly review"]);
    // The next day's fires on time again.
    assert!(tick(&db.app, "2027-01-13T09:29:00+08:00").is_empty());
    assert_eq!(tick(&db.app, "2027-01-13T09:30:00+08:00"), ["Stand-up"]);
}

#[test]
fn a_snoozed_reminder_fires_again_once_when_the_snooze_ends() {
    let db = new_db();
    let cal = db.app.calendar();
    cal.create_event(&meeting("Call Li", "2027-01-12T09:00", &[15])).unwrap();
    let due = peek(&db.app, "2027-01-12T08:45:00+08:00");
    cal.mark_shown(&due[0], at("2027-01-12T08:45:00+08:00")).unwrap();
    let until = Snooze::TenMinutes.until(at("2027-01-12T08:45:00+08:00"), shanghai());
    cal.snooze_reminder(&due[0], until).unwrap();
    assert!(tick(&db.app, "2027-01-12T08:54:40+08:00").is_empty());
    let again = peek(&db.app, "2027-01-12T08:55:00+08:00");
    assert_eq!(again.len(), 1);
    assert!(again[0].snoozed && !again[0].missed);
    assert_eq!(again[0].key, due[0].key);
    assert_eq!(tick(&db.app, "2027-01-12T08:55:00+08:00"), ["Call Li"]);
    assert!(tick(&db.app, "2027-01-12T08:55:20+08:00").is_empty());
    // Snoozed to tomorrow morning: 09:00 in the laptop's zone.
    cal.snooze_reminder(&again[0], Snooze::Tomorrow.until(at("2027-01-12T08:55:00+08:00"), shanghai())).unwrap();
    assert!(tick(&db.app, "2027-01-13T08:59:00+08:00").is_empty());
    assert_eq!(tick(&db.app, "2027-01-13T09:00:00+08:00"), ["Call Li"]);
    // Dismissed: gone from the in-app list too.
    let list = cal.reminder_list_in(at("2027-01-13T09:01:00+08:00"), shanghai()).unwrap();
    assert_eq!(list.len(), 1);
    cal.dismiss_reminder(&list[0]).unwrap();
    assert!(cal.reminder_list_in(at("2027-01-13T09:01:00+08:00"), shanghai()).unwrap().is_empty());
}

/// The same user's two laptops: a reminder dismissed on one does not fire on the other once
/// they have synced; one snoozed on one fires on the other when the snooze ends. What a laptop
/// showed is its own (never synced).
#[test]
fn a_reminder_dismissed_on_another_laptop_does_not_fire_here() {
    let (a, b) = (laptop("ana"), laptop("ana"));
    a.app.calendar().create_event(&meeting("Board meeting", "2027-01-12T09:00", &[15])).unwrap();
    a.app.calendar().create_event(&meeting("Lunch with Wang", "2027-01-12T12:00", &[15])).unwrap();
    let mut sent = send(&a, &b, 0);
    assert_eq!(peek(&b.app, "2027-01-12T08:45:00+08:00").len(), 1, "b would show it before hearing of the dismissal");

    // Laptop a shows it and the user dismisses it there; b was asleep and syncs on wake.
    let due = peek(&a.app, "2027-01-12T08:45:00+08:00");
    a.app.calendar().mark_shown(&due[0], at("2027-01-12T08:45:00+08:00")).unwrap();
    a.app.calendar().dismiss_reminder(&due[0]).unwrap();
    sent = send(&a, &b, sent);
    assert!(tick(&b.app, "2027-01-12T08:50:00+08:00").is_empty());

    // Lunch: snoozed for an hour on a; b, which never showed it, fires it when the snooze ends.
    let lunch = peek(&a.app, "2027-01-12T11:45:00+08:00");
    a.app.calendar().mark_shown(&lunch[0], at("2027-01-12T11:45:00+08:00")).unwrap();
    a.app.calendar().snooze_reminder(&lunch[0], Snooze::OneHour.until(at("2027-01-12T11:45:00+08:00"), shanghai())).unwrap();
    send(&a, &b, sent);
    assert!(tick(&b.app, "2027-01-12T12:40:00+08:00").is_empty());
    assert_eq!(tick(&b.app, "2027-01-12T12:45:00+08:00"), ["Lunch with Wang"]);
    assert_eq!(tick(&a.app, "2027-01-12T12:45:00+08:00"), ["Lunch with Wang"]);
    // Shown marks stayed local: nothing of reminders_shown went to b.
    let shown_on_b: i64 = b.app.store().read(|c| Ok(c.query_row("SELECT count(*) FROM reminders_shown", [], |r| r.get(0))?)).unwrap();
    assert_eq!(shown_on_b, 1);
}

#[test]
fn birthdays_of_the_users_own_customers_remind_at_nine() {
    let db = new_db();
    let customers = db.app.customers();
    let li = customers.create(CustomerInput { owner: "ana".into(), birthday: Some("1990-01-12".into()), ..person("Li Lei") }).unwrap();
    customers.create(CustomerInput { owner: "bo".into(), birthday: Some("1985-01-12".into()), ..person("Bo's client") }).unwrap();
    customers.create(CustomerInput { owner: "ana".into(), birthday: Some("1985-03-01".into()), ..person("Not today") }).unwrap();
    assert!(tick(&db.app, "2027-01-12T08:59:00+08:00").is_empty());
    let due = peek(&db.app, "2027-01-12T09:00:00+08:00");
    assert_eq!(due.len(), 1);
    let r = &due[0];
    assert_eq!((r.kind, r.record_type.as_str(), r.record_id.as_str()), (ReminderKind::Birthday, "customer", li.id.as_str()));
    assert_eq!(r.notice(Locale::En, shanghai()), ("Birthday: Li Lei".to_string(), "Birthday on 2027-01-12".to_string()));
    assert_eq!(r.notice(Locale::ZhCn, shanghai()).0, "生日：Li Lei");
    assert_eq!(tick(&db.app, "2027-01-12T09:00:00+08:00"), ["Li Lei"]);
    assert!(tick(&db.app, "2027-01-12T17:00:00+08:00").is_empty());
    // Next year's comes in its turn.
    assert_eq!(tick(&db.app, "2028-01-12T09:00:00+08:00"), ["Li Lei"]);
}

#[test]
fn follow_up_in_n_days_makes_a_task_that_reminds_on_the_day() {
    let db = new_db();
    let acme = db.app.customers().create(CustomerInput { owner: "ana".into(), ..person("Wang Fang") }).unwrap();
    let today = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
    let task = db.app.calendar().follow_up_on(&acme.id, 3, "", today, shanghai()).unwrap();
    assert_eq!(task.title, "Follow up with Wang Fang");
    assert_eq!((task.due_date.as_str(), task.customer_id.as_ref(), task.reminders.as_slice()), ("2027-01-15", Some(&acme.id), &[0][..]));
    let named = db.app.calendar().follow_up_on(&acme.id, 7, "Send the price list", today, shanghai()).unwrap();
    assert_eq!(named.due_date, "2027-01-19");
    assert!(tick(&db.app, "2027-01-15T08:59:00+08:00").is_empty());
    let due = peek(&db.app, "2027-01-15T09:00:00+08:00");
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].kind, due[0].record_id.as_str(), due[0].all_day), (ReminderKind::Task, task.id.as_str(), true));
    assert_eq!(tick(&db.app, "2027-01-15T09:00:00+08:00"), ["Follow up with Wang Fang"]);
    // Done before the day: no reminder.
    db.app.calendar().set_task_done(&named.id, true).unwrap();
    assert!(peek(&db.app, "2027-01-19T09:00:00+08:00").is_empty());
    assert!(db.app.calendar().follow_up_on(&satchel_core::calendar::CustomerId("nobody".into()), 1, "", today, shanghai()).is_err());
}

#[test]
fn the_default_reminders_are_a_setting() {
    let db = new_db();
    let cal = db.app.calendar();
    assert_eq!(cal.default_reminders().unwrap(), DEFAULT_REMINDERS);
    assert_eq!(cal.set_default_reminders(&[60, 5, 5]).unwrap(), [5, 60]);
    assert_eq!(cal.default_reminders().unwrap(), [5, 60]);
    assert_eq!(cal.set_default_reminders(&[]).unwrap(), Vec::<i32>::new());
    assert!(cal.default_reminders().unwrap().is_empty());
    assert!(cal.set_default_reminders(&[-1]).is_err());
    assert!(cal.set_default_reminders(&[0; 11]).is_err());
}
