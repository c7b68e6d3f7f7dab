//! Merging duplicates and undoing the merge, on real databases.

use crate::fixtures::*;
use satchel_core::customers::activities::{ActivityInput, ActivityKind};
use satchel_core::customers::merge::{MergeChoices, Pick};
use satchel_core::customers::{CustomerInput, ListQuery, Stage};
use satchel_core::error::{CoreError, ErrorCode};
use satchel_core::ids::CustomerId;

fn call(body: &str) -> ActivityInput {
    ActivityInput {
        kind: ActivityKind::Call,
        occurred_at: "2026-11-01T09:00:00.000Z".into(),
        duration_minutes: Some(5),
        outcome: String::new(),
        body: body.into(),
    }
}

fn total(db: &TestDb, trash: bool) -> u32 {
    db.app.customers().list(&ListQuery { trash, ..Default::default() }).total
}

#[test]
fn merge_keeps_every_phone_and_email_moves_activities_and_undo_brings_all_back() {
    let db = new_db();
    let a = db
        .app
        .customers().create(&CustomerInput {
            owner: "李娜".into(),
            tags: vec!["VIP".into()],
            phones: vec![point("mobile", "+86 138-0013-8000")],
            emails: vec![point("work", "wang@example.cn")],
            ..person("王小明")
        })
        .unwrap();
    let b = db
        .app
        .customers().create(&CustomerInput {
            stage: Stage::Won,
            birthday: Some("1990-05-01".into()),
            tags: vec!["VIP".into(), "华东".into()],
            phones: vec![point("手机", "13800138000"), point("home", "021-62345678")],
            emails: vec![point("私人", "xiaoming@example.com")],
            ..person("王晓明")
        })
        .unwrap();
    let call_b = db.app.customers().log_activity(&b.id, &call("谈了报价")).unwrap();
    let before_a = db.app.customers().get(&a.id).unwrap();

    let choices = MergeChoices { name: Pick::Keep, stage: Pick::Other, birthday: Pick::Other, ..MergeChoices::keep_all() };
    let out = db.app.customers().merge(&a.id, &b.id, &choices).unwrap();
    let s = out.survivor;
    assert_eq!((s.name.as_str(), s.stage, s.birthday.as_deref(), s.owner.as_str()), ("王小明", Stage::Won, Some("1990-05-01"), "李娜"));
    let phones: Vec<&str> = s.phones.iter().map(|p| p.value.as_str()).collect();
    assert_eq!(phones, vec!["+86 138-0013-8000", "021-62345678"], "the same number is not added twice; the other one is");
    let emails: Vec<&str> = s.emails.iter().map(|p| p.value.as_str()).collect();
    assert_eq!(emails, vec!["wang@example.cn", "xiaoming@example.com"]);
    assert_eq!(s.tags, vec!["VIP", "华东"]);
    assert_eq!(out.moved_activities, 1);
    let timeline = db.app.customers().timeline(&a.id, None, 50).unwrap();
    assert!(format!("{timeline:?}").contains("谈了报价"), "the call moved to the survivor's timeline");
    let history = db.app.customers().history(&a.id).unwrap();
    assert!(history.iter().any(|h| h.field == "name" && h.new_value.as_deref() == Some("王晓明")), "the absorbed record's past is here");
    assert!(history.iter().any(|h| h.field == "merged" && h.new_value.as_deref() == Some("王晓明")), "one line says what was merged in");
    assert!(
        !history.iter().any(|h| h.field == "merged_into" || h.field.ends_with("deleted_at")),
        "not the merge's bookkeeping: {history:?}"
    );
    assert_eq!((total(&db, false), total(&db, true)), (1, 0), "the absorbed record is neither listed nor in the trash");
    assert!(db.app.customers().search("王晓明", None, 5).is_empty());

    db.app.customers().undo_merge(&out.undo_token).unwrap();
    assert_eq!(db.app.customers().get(&a.id).unwrap(), before_a_after_undo(&db, &before_a));
    let b_back = db.app.customers().get(&b.id).unwrap();
    assert_eq!(b_back.deleted_at, None);
    assert_eq!(b_back.phones, b.phones);
    assert_eq!(b_back.emails, b.emails);
    assert_eq!(b_back.tags, b.tags);
    let b_timeline = format!("{:?}", db.app.customers().timeline(&b.id, None, 50).unwrap());
    assert!(b_timeline.contains(&call_b.id.0), "the call went back");
    assert_eq!(total(&db, false), 2);
    assert_eq!(db.app.customers().search("王晓明", None, 5).len(), 1);
}

/// After an undo the survivor is as it was, apart from the time it was last updated.
fn before_a_after_undo(db: &TestDb, before: &satchel_core::customers::Customer) -> satchel_core::customers::Customer {
    let now = db.app.customers().get(&before.id).unwrap();
    satchel_core::customers::Customer { updated_at: now.updated_at.clone(), ..before.clone() }
}

#[test]
fn undo_never_overwrites_an_edit_made_after_the_merge() {
    let db = new_db();
    let a = db.app.customers().create(&CustomerInput { owner: "A".into(), ..person("Ann Lee") }).unwrap();
    let b = db.app.customers().create(&CustomerInput { owner: "B".into(), ..person("Ann Li") }).unwrap();
    let out =
        db.app.customers().merge(&a.id, &b.id, &MergeChoices { name: Pick::Other, owner: Pick::Other, ..MergeChoices::keep_all() }).unwrap();
    assert_eq!((out.survivor.name.as_str(), out.survivor.owner.as_str()), ("Ann Li", "B"));
    let mut edit = out.survivor.to_input();
    edit.name = "Ann Lee-Li".into();
    db.app.customers().update(&a.id, &edit).unwrap();
    db.app.customers().undo_merge(&out.undo_token).unwrap();
    let a_now = db.app.customers().get(&a.id).unwrap();
    assert_eq!(a_now.name, "Ann Lee-Li", "the later edit stays");
    assert_eq!(a_now.owner, "A", "what only the merge set goes back");
    assert_eq!(db.app.customers().get(&b.id).unwrap().deleted_at, None);
}

#[test]
fn merging_companies_moves_their_people_and_undo_moves_them_back() {
    let db = new_db();
    let c1 = db.app.customers().create(&company("上海示例贸易")).unwrap();
    let c2 = db.app.customers().create(&company("上海示例贸易有限公司")).unwrap();
    let p = db.app.customers().create(&CustomerInput { company_id: Some(c2.id.clone()), ..person("张伟") }).unwrap();
    let out = db.app.customers().merge(&c1.id, &c2.id, &MergeChoices::keep_all()).unwrap();
    assert_eq!(out.moved_people, 1);
    let moved = db.app.customers().get(&p.id).unwrap();
    assert_eq!((moved.company_id.as_ref(), moved.company_name.as_deref()), (Some(&c1.id), Some("上海示例贸易")));
    let hits = db.app.customers().search("张伟", None, 5);
    assert_eq!(hits[0].row.company_name.as_deref(), Some("上海示例贸易"), "the list shows the new company at once");
    db.app.customers().undo_merge(&out.undo_token).unwrap();
    assert_eq!(db.app.customers().get(&p.id).unwrap().company_id, Some(c2.id.clone()));
}

#[test]
fn impossible_merges_are_refused_and_change_nothing() {
    let db = new_db();
    let a = db.app.customers().create(&person("A")).unwrap();
    let c = db.app.customers().create(&company("C")).unwrap();
    let gone = db.app.customers().create(&person("Gone")).unwrap();
    db.app.customers().delete(&gone.id).unwrap();
    let cases: Vec<(CustomerId, CustomerId, ErrorCode)> = vec![
        (a.id.clone(), a.id.clone(), ErrorCode::Validation),
        (a.id.clone(), c.id.clone(), ErrorCode::Validation),
        (a.id.clone(), gone.id.clone(), ErrorCode::NotFound),
        (a.id.clone(), CustomerId::new(), ErrorCode::NotFound),
    ];
    for (keep, other, code) in cases {
        let e = db.app.customers().merge(&keep, &other, &MergeChoices::keep_all()).unwrap_err();
        assert_eq!(e.code(), code, "{e:?}");
    }
    assert!(matches!(db.app.customers().undo_merge("merge:9:1"), Err(CoreError::NotFound { .. })));
    assert_eq!(total(&db, false), 2);
}
