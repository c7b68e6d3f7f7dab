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
        .customers()
        .create(&CustomerInput {
            owner: "李娜".into(),
            tags: vec!["VIP".into()],
            phones: vec![point("mobile", "+86 138-0013-8000")],
            emails: vec![point("work", "wang@example.cn")],
            ..person("王小明")
        })
        .unwrap();
    let b = db
        .app
        .customers()
        .create(&CustomerInput {
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
    let out = db
        .app
        .customers()
        .merge(&a.id, &b.id, &MergeChoices { name: Pick::Other, owner: Pick::Other, ..MergeChoices::keep_all() })
        .unwrap();
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

// ---------------------------------------------------------------------------------------------
// Undo after later edits, as a property: whatever the user does after a merge survives its undo.

mod later_edits {
    use super::*;
    use proptest::prelude::*;
    use satchel_core::customers::activities::TimelineItem;
    use satchel_core::customers::Customer;
    use satchel_core::ids::ActivityId;
    use std::collections::BTreeMap;

    /// What a user may do after a merge, before undoing it. Indices pick among what exists then
    /// (taken modulo the count).
    #[derive(Debug, Clone)]
    enum Op {
        Rename(String),
        SetOwner(String),
        AddPhone(u32),
        /// Edits a phone that came over from the merged record.
        EditMovedPhone(usize, u32),
        DeleteMovedPhone(usize),
        LogActivity(String),
        EditMovedActivity(usize, String),
        /// For companies: renames a person who came over with the merged company.
        RenameMovedPerson(usize, String),
        /// For companies: moves such a person to a third company.
        ReassignMovedPerson(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        let word = "[a-z]{1,6}";
        prop_oneof![
            word.prop_map(Op::Rename),
            word.prop_map(Op::SetOwner),
            (0u32..1000).prop_map(Op::AddPhone),
            (0usize..4, 0u32..1000).prop_map(|(i, n)| Op::EditMovedPhone(i, n)),
            (0usize..4).prop_map(Op::DeleteMovedPhone),
            word.prop_map(Op::LogActivity),
            (0usize..4, word).prop_map(|(i, b)| Op::EditMovedActivity(i, b)),
            (0usize..3, word).prop_map(|(i, n)| Op::RenameMovedPerson(i, n)),
            (0usize..3).prop_map(Op::ReassignMovedPerson),
        ]
    }

    fn activities(db: &TestDb, id: &CustomerId) -> BTreeMap<String, String> {
        let page = db.app.customers().timeline(id, None, 200).unwrap();
        page.items
            .into_iter()
            .filter_map(|i| match i {
                TimelineItem::Activity { activity } => Some((activity.id.0, activity.body)),
                TimelineItem::Changes { .. } => None,
            })
            .collect()
    }

    /// Phone row id -> value, for one record.
    fn phones(c: &Customer) -> BTreeMap<String, String> {
        c.phones.iter().map(|p| (p.id.clone().unwrap().0, p.value.clone())).collect()
    }

    /// The expected end state, kept apart from the code: who owns what, with which value.
    #[derive(Debug, Default)]
    struct Model {
        name: Option<String>,
        owner: Option<String>,
        /// Phones expected on the survivor and on the merged record after undo.
        phones_a: BTreeMap<String, String>,
        phones_b: BTreeMap<String, String>,
        acts_a: BTreeMap<String, String>,
        acts_b: BTreeMap<String, String>,
        /// Person id -> (name, company id) expected after undo.
        people: BTreeMap<String, (String, String)>,
    }

    fn run(companies: bool, ops: Vec<Op>) -> Result<(), TestCaseError> {
        let db = new_db();
        let api = db.app.customers();
        let (base_a, base_b) = if companies { (company("Acme"), company("Acme Ltd")) } else { (person("Ann Lee"), person("Ann Li")) };
        let a = api.create(&CustomerInput { owner: "A".into(), phones: vec![point("work", "021-1000 0001")], ..base_a }).unwrap();
        let b = api
            .create(&CustomerInput {
                owner: "B".into(),
                // The first is the survivor's number written differently: it stays behind.
                phones: vec![point("work", "021 1000 0001"), point("mobile", "138 0000 0002"), point("home", "021-3000 0003")],
                ..base_b
            })
            .unwrap();
        let third = api.create(&company("Third Co")).unwrap();
        let mut people = Vec::new();
        if companies {
            for n in 0..3 {
                people.push(api.create(&CustomerInput { company_id: Some(b.id.clone()), ..person(&format!("P{n}")) }).unwrap());
            }
        }
        for body in ["b1", "b2"] {
            api.log_activity(&b.id, &call(body)).unwrap();
        }
        api.log_activity(&a.id, &call("a1")).unwrap();
        let a_before = api.get(&a.id).unwrap();
        let b_before = api.get(&b.id).unwrap();
        let mut m = Model {
            phones_a: phones(&a_before),
            phones_b: phones(&b_before),
            acts_a: activities(&db, &a.id),
            acts_b: activities(&db, &b.id),
            people: people.iter().map(|p| (p.id.0.clone(), (p.name.clone(), b.id.0.clone()))).collect(),
            ..Default::default()
        };

        let out = api.merge(&a.id, &b.id, &MergeChoices { owner: Pick::Other, ..MergeChoices::keep_all() }).unwrap();
        // What came over: B's phones but the shared number, B's activities, B's people.
        let moved_phones: Vec<String> = b_before.phones.iter().skip(1).map(|p| p.id.clone().unwrap().0).collect();
        let moved_acts: Vec<String> = m.acts_b.keys().cloned().collect();
        prop_assert_eq!(phones(&out.survivor).len(), 3);

        for op in ops {
            let now = api.get(&a.id).unwrap();
            let mut edit = now.to_input();
            match op {
                Op::Rename(n) => {
                    edit.name = format!("{} {n}", now.name);
                    api.update(&a.id, &edit).unwrap();
                    m.name = Some(edit.name);
                }
                Op::SetOwner(o) => {
                    edit.owner = o.clone();
                    api.update(&a.id, &edit).unwrap();
                    m.owner = Some(o);
                }
                Op::AddPhone(n) => {
                    edit.phones.push(point("other", &format!("139 {n:04} 0000")));
                    let after = api.update(&a.id, &edit).unwrap();
                    for (id, v) in phones(&after) {
                        if !m.phones_a.contains_key(&id) && !moved_phones.contains(&id) {
                            m.phones_a.insert(id, v);
                        }
                    }
                }
                Op::EditMovedPhone(i, n) => {
                    let id = &moved_phones[i % moved_phones.len()];
                    if let Some(p) = edit.phones.iter_mut().find(|p| p.id.as_ref().map(|x| &x.0) == Some(id)) {
                        p.value = format!("137 {n:04} 1111");
                        let value = p.value.clone();
                        api.update(&a.id, &edit).unwrap();
                        // The edit stays; the phone still goes back to the record it came from.
                        m.phones_b.insert(id.clone(), value);
                    }
                }
                Op::DeleteMovedPhone(i) => {
                    let id = &moved_phones[i % moved_phones.len()];
                    if edit.phones.iter().any(|p| p.id.as_ref().map(|x| &x.0) == Some(id)) {
                        edit.phones.retain(|p| p.id.as_ref().map(|x| &x.0) != Some(id));
                        api.update(&a.id, &edit).unwrap();
                        // Deleted after the merge: the undo does not bring it back.
                        m.phones_b.remove(id);
                    }
                }
                Op::LogActivity(body) => {
                    let act = api.log_activity(&a.id, &call(&body)).unwrap();
                    m.acts_a.insert(act.id.0, body);
                }
                Op::EditMovedActivity(i, body) => {
                    let id = ActivityId(moved_acts[i % moved_acts.len()].clone());
                    api.update_activity(&id, &call(&body)).unwrap();
                    m.acts_b.insert(id.0, body);
                }
                Op::RenameMovedPerson(i, n) if companies => {
                    let p = &people[i % people.len()];
                    let mut e = api.get(&p.id).unwrap().to_input();
                    e.name = format!("{} {n}", e.name);
                    api.update(&p.id, &e).unwrap();
                    m.people.get_mut(&p.id.0).unwrap().0 = e.name;
                }
                Op::ReassignMovedPerson(i) if companies => {
                    let p = &people[i % people.len()];
                    let mut e = api.get(&p.id).unwrap().to_input();
                    e.company_id = Some(third.id.clone());
                    api.update(&p.id, &e).unwrap();
                    // A company the user chose after the merge is theirs: the undo leaves it.
                    m.people.get_mut(&p.id.0).unwrap().1 = third.id.0.clone();
                }
                Op::RenameMovedPerson(..) | Op::ReassignMovedPerson(_) => {}
            }
        }

        api.undo_merge(&out.undo_token).unwrap();
        let a_after = api.get(&a.id).unwrap();
        let b_after = api.get(&b.id).unwrap();
        prop_assert_eq!(&a_after.name, m.name.as_ref().unwrap_or(&a_before.name));
        prop_assert_eq!(&a_after.owner, m.owner.as_ref().unwrap_or(&a_before.owner), "the merge's pick goes back, a later edit stays");
        prop_assert_eq!(b_after.deleted_at.as_deref(), None);
        prop_assert_eq!(&b_after.name, &b_before.name);
        prop_assert_eq!(phones(&a_after), m.phones_a);
        prop_assert_eq!(phones(&b_after), m.phones_b);
        prop_assert_eq!(activities(&db, &a.id), m.acts_a);
        prop_assert_eq!(activities(&db, &b.id), m.acts_b);
        for (id, (name, company)) in &m.people {
            let p = api.get(&CustomerId(id.clone())).unwrap();
            prop_assert_eq!((&p.name, p.company_id.as_ref().map(|c| &c.0)), (name, Some(company)), "person {}", id);
        }
        prop_assert_eq!(total(&db, false), 3 + people.len() as u32, "both records listed again, nothing lost or doubled");
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]
        #[test]
        fn later_edits_survive_undoing_a_merge(companies in any::<bool>(), ops in proptest::collection::vec(op(), 0..8)) {
            run(companies, ops)?;
        }
    }
}
