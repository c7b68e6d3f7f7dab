//! Activities and the timeline: what happened with a customer, mixed with what changed.

use super::fixtures::*;
use satchel_core::customers::activities::{ActivityInput, ActivityKind, TimelineItem};
use satchel_core::error::ErrorCode;
use satchel_core::ids::ActivityId;

fn call(at: &str, outcome: &str) -> ActivityInput {
    ActivityInput {
        kind: ActivityKind::Call,
        occurred_at: at.into(),
        duration_minutes: Some(20),
        outcome: outcome.into(),
        body: "谈了报价".into(),
    }
}

#[test]
fn a_logged_call_is_signed_by_its_author_and_stored_in_utc() {
    let db = new_db();
    let c = db.app.customers().create(&person("王海示")).unwrap();
    let a = db.app.customers().log_activity(&c.id, &call("2026-11-20T15:00:00+08:00", "约好下周拜访")).unwrap();
    assert_eq!(a.occurred_at, "2026-11-20T07:00:00.000Z");
    assert_eq!(a.logged_by, "ana");
    assert_eq!(a.outcome, "约好下周拜访");
    assert_eq!(a.duration_minutes, Some(20));
}

#[test]
fn the_timeline_mixes_activities_and_changes_newest_first() {
    let db = new_db();
    let c = db.app.customers().create(&person("李娜")).unwrap();
    db.app.customers().log_activity(&c.id, &call("2020-01-01T09:00:00Z", "old call")).unwrap();
    db.app.customers().log_activity(&c.id, &call("2999-01-01T09:00:00Z", "planned far ahead")).unwrap();
    let mut edit = c.to_input();
    edit.owner = "张经理".into();
    db.app.customers().update(&c.id, &edit).unwrap();

    let page = db.app.customers().timeline(&c.id, None, 50).unwrap();
    let labels: Vec<String> = page
        .items
        .iter()
        .map(|i| match i {
            TimelineItem::Activity { activity } => format!("activity:{}", activity.outcome),
            TimelineItem::Changes { changes } => {
                format!("changes:{}", changes.entries.iter().map(|e| e.field.as_str()).collect::<Vec<_>>().join(","))
            }
        })
        .collect();
    assert_eq!(labels[0], "activity:planned far ahead");
    assert_eq!(labels[1], "changes:owner");
    assert!(labels[2].starts_with("changes:"), "creation: {labels:?}");
    assert_eq!(labels[3], "activity:old call");
    assert_eq!(page.next_before, None);
}

#[test]
fn paging_back_through_thousands_of_entries_visits_each_once() {
    let db = new_db();
    let c = db.app.customers().create(&person("赵敏")).unwrap();
    for i in 0..1200 {
        let at = format!("2025-01-01T00:00:{:02}.{:03}Z", (i / 1000) % 60, i % 1000);
        db.app.customers().log_activity(&c.id, &call(&at, &format!("call {i}"))).unwrap();
    }
    // Two calls at the same instant must not be split across pages and lost.
    db.app.customers().log_activity(&c.id, &call("2025-01-01T00:00:00.500Z", "twin")).unwrap();
    let mut seen = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let page = db.app.customers().timeline(&c.id, before.as_deref(), 100).unwrap();
        for i in &page.items {
            if let TimelineItem::Activity { activity } = i {
                seen.push(activity.outcome.clone());
            }
        }
        match page.next_before {
            Some(b) => before = Some(b),
            None => break,
        }
    }
    assert_eq!(seen.len(), 1201);
    let unique: std::collections::BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), 1201, "no entry twice");
    assert!(seen.contains(&"twin".to_string()));
}

#[test]
fn editing_and_deleting_an_activity_and_bad_input() {
    let db = new_db();
    let c = db.app.customers().create(&person("陈晓")).unwrap();
    let a = db.app.customers().log_activity(&c.id, &call("2026-11-20T07:00:00Z", "left a message")).unwrap();
    let mut input = call("2026-11-20T07:00:00Z", "called back, interested");
    input.kind = ActivityKind::Meeting;
    let edited = db.app.customers().update_activity(&a.id, &input).unwrap();
    assert_eq!((edited.kind, edited.outcome.as_str()), (ActivityKind::Meeting, "called back, interested"));
    db.app.customers().delete_activity(&a.id).unwrap();
    assert!(db.app.customers().timeline(&c.id, None, 10).unwrap().items.iter().all(|i| !matches!(i, TimelineItem::Activity { .. })));
    let back = db.app.customers().restore_activity(&a.id).unwrap();
    assert_eq!((back.id.clone(), back.logged_by.as_str()), (a.id.clone(), "ana"), "undo brings back the same activity");
    db.app.customers().delete_activity(&a.id).unwrap();
    assert_eq!(db.app.customers().update_activity(&a.id, &input).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(db.app.customers().update_activity(&ActivityId::new(), &input).unwrap_err().code(), ErrorCode::NotFound);

    let err = db.app.customers().log_activity(&c.id, &call("next tuesday", "")).unwrap_err();
    assert_eq!(err.field(), Some("occurredAt"));
    db.app.customers().delete(&c.id).unwrap();
    assert_eq!(
        db.app.customers().log_activity(&c.id, &call("2026-11-20T07:00:00Z", "")).unwrap_err().code(),
        ErrorCode::NotFound,
        "a trashed customer takes no activities"
    );
}

/// Two replicas: an activity logged on one reaches the other's list as its customer's latest
/// activity (the applied activity row names its customer; the list refreshes that customer).
#[test]
fn an_activity_synced_from_another_laptop_moves_its_customer_out_of_no_activity() {
    let (a, b) = (new_db(), new_db());
    let c = a.app.customers().create(&person("周杰")).unwrap();
    let everything = |db: &TestDb, after: i64| -> Vec<satchel_core::store::Change> {
        db.app.store().changes_since(after, 100_000).unwrap().into_iter().map(|(_, ch)| ch).collect()
    };
    b.app.apply_changes(&everything(&a, 0)).unwrap();
    let quiet = satchel_core::customers::ListQuery { inactive_days: Some(30), limit: 50, ..Default::default() };
    let names = |db: &TestDb| -> Vec<String> { db.app.customers().list(&quiet).rows.into_iter().map(|r| r.name).collect() };
    assert_eq!(names(&b), vec!["周杰"], "no activity yet on either laptop");

    let mark = a.app.store().changes_since(0, 100_000).unwrap().last().unwrap().0;
    let now = chrono::Utc::now().to_rfc3339();
    a.app.customers().log_activity(&c.id, &call(&now, "回访")).unwrap();
    assert!(names(&a).is_empty());
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let h = heard.clone();
    b.app.on_changed(move |c| h.lock().unwrap().push(c.clone()));
    let applied = b.app.apply_changes(&everything(&a, mark)).unwrap();
    assert!(applied.applied > 0);
    assert!(names(&b).is_empty(), "the synced call is the customer's latest activity on the other laptop too");
    // The window is told once what changed: the customers module's activities.
    let heard = heard.lock().unwrap();
    assert_eq!(heard.len(), 1);
    assert_eq!(
        (heard[0].modules.as_slice(), heard[0].tables.as_slice()),
        (&["customers".to_string()][..], &["activities".to_string()][..])
    );
}
