//! Segments: saved filters with live counts, including "no activity in N days".

use crate::fixtures::*;
use satchel_core::customers::activities::{ActivityInput, ActivityKind};
use satchel_core::customers::segments::SegmentFilter;
use satchel_core::customers::{CustomerInput, ListQuery, Stage};
use satchel_core::error::ErrorCode;

fn call_days_ago(days: i64) -> ActivityInput {
    let at = chrono::Utc::now() - chrono::Duration::days(days);
    ActivityInput {
        kind: ActivityKind::Call,
        occurred_at: at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        duration_minutes: None,
        outcome: String::new(),
        body: String::new(),
    }
}

#[test]
fn a_segment_counts_what_matches_now() {
    let db = new_db();
    let vip_won = SegmentFilter { stage: Some(Stage::Won), tag: Some("VIP".into()), ..Default::default() };
    let seg = db.app.customers().create_segment("  重点客户 ", &vip_won).unwrap();
    assert_eq!((seg.name.as_str(), seg.count), ("重点客户", 0));
    db.app.customers().create(&CustomerInput { stage: Stage::Won, tags: vec!["VIP".into()], ..person("王小明") }).unwrap();
    db.app.customers().create(&CustomerInput { stage: Stage::Lead, tags: vec!["VIP".into()], ..person("李娜") }).unwrap();
    assert_eq!(db.app.customers().segments().unwrap()[0].count, 1);
    let list = db.app.customers().list(&ListQuery { sort: satchel_core::customers::SortKey::Name, ..seg.filter.query() });
    assert_eq!(list.rows[0].name, "王小明", "opening the segment lists the same records");

    let renamed = db.app.customers().update_segment(&seg.id, "VIP won", &SegmentFilter { stage: None, ..vip_won }).unwrap();
    assert_eq!((renamed.name.as_str(), renamed.count), ("VIP won", 2));
    db.app.customers().delete_segment(&seg.id).unwrap();
    assert!(db.app.customers().segments().unwrap().is_empty());
    assert_eq!(db.app.customers().restore_segment(&seg.id).unwrap().count, 2);
}

#[test]
fn no_activity_in_n_days_follows_logged_calls() {
    let db = new_db();
    let old = db.app.customers().create(&person("很久没联系")).unwrap();
    let recent = db.app.customers().create(&person("刚打过电话")).unwrap();
    db.app.customers().create(&person("从未联系")).unwrap();
    db.app.customers().log_activity(&old.id, &call_days_ago(100)).unwrap();
    db.app.customers().log_activity(&recent.id, &call_days_ago(1)).unwrap();
    let quiet = db.app.customers().create_segment("30 天未联系", &SegmentFilter { inactive_days: Some(30), ..Default::default() }).unwrap();
    assert_eq!(quiet.count, 2, "the one called 100 days ago and the one never called");
    let call = db.app.customers().log_activity(&old.id, &call_days_ago(0)).unwrap();
    assert_eq!(db.app.customers().segments().unwrap()[0].count, 1, "a call today takes the record out");
    db.app.customers().delete_activity(&call.id).unwrap();
    assert_eq!(db.app.customers().segments().unwrap()[0].count, 2, "and deleting that call puts it back");
    // The list opened from the segment after a restart agrees.
    db.app.reload().unwrap();
    assert_eq!(db.app.customers().list(&quiet.filter.query()).total, 2);
}

#[test]
fn bad_segments_are_refused_naming_the_field() {
    let db = new_db();
    for (name, filter, field) in [
        ("", SegmentFilter::default(), "name"),
        (&"长".repeat(61)[..], SegmentFilter::default(), "name"),
        ("x", SegmentFilter { inactive_days: Some(0), ..Default::default() }, "inactiveDays"),
    ] {
        let e = db.app.customers().create_segment(name, &filter).unwrap_err();
        assert_eq!((e.code(), e.field()), (ErrorCode::Validation, Some(field)));
    }
    assert!(db.app.customers().segments().unwrap().is_empty());
}
