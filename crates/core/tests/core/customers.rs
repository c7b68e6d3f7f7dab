//! Customer records through the API every shell calls.

use super::fixtures::*;
use satchel_core::customers::*;
use satchel_core::error::ErrorCode;
use satchel_core::i18n::Locale;
use satchel_core::ids::CustomerId;

#[test]
fn a_person_belongs_to_a_company_and_is_found_by_part_of_either_name() {
    let db = new_db();
    let co = db.app.customers().create(&company("上海示例贸易有限公司")).unwrap();
    let mut p = person("王海示");
    p.company_id = Some(co.id.clone());
    p.phones = vec![point("Mobile", "+86 138-0013-8000"), point("Work", "021-6234 5678")];
    p.emails = vec![point("Work", "wang@example.cn"), point("Home", "hs.wang@mail.example.org")];
    p.tags = vec!["VIP".into(), "华东".into()];
    let saved = db.app.customers().create(&p).unwrap();
    assert_eq!(saved.company_name.as_deref(), Some("上海示例贸易有限公司"));
    assert_eq!(saved.phones.len(), 2);
    assert_eq!(saved.emails[1].value, "hs.wang@mail.example.org");

    let names = |q: &str| db.app.customers().search(q, None, 10).into_iter().map(|h| h.row.name).collect::<Vec<_>>();
    assert_eq!(names("海示"), vec!["王海示", "上海示例贸易有限公司"]);
    assert_eq!(names("示例贸易"), vec!["上海示例贸易有限公司", "王海示"]);
    assert_eq!(names("13800138000"), vec!["王海示"]);
    assert_eq!(names("华东"), vec!["王海示"]);

    let history = db.app.customers().history(&saved.id).unwrap();
    let company = history.iter().find(|e| e.field == "company_id").expect("company in history");
    assert_eq!(company.new_value.as_deref(), Some("上海示例贸易有限公司"), "history names the company, not its id");
}

#[test]
fn renaming_a_company_updates_what_its_people_show_and_match() {
    let db = new_db();
    let co = db.app.customers().create(&company("Acme Trading Ltd")).unwrap();
    let mut p = person("Jane Doe");
    p.company_id = Some(co.id.clone());
    let jane = db.app.customers().create(&p).unwrap();
    let mut renamed = co.to_input();
    renamed.name = "Globex Foods".into();
    db.app.customers().update(&co.id, &renamed).unwrap();
    let hits = db.app.customers().search("globex", Some(CustomerKind::Person), 5);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].row.id, jane.id);
    assert_eq!(hits[0].row.company_name.as_deref(), Some("Globex Foods"));
    assert!(db.app.customers().search("acme", None, 5).is_empty());
}

#[test]
fn editing_keeps_child_row_ids_and_history_tells_who_changed_what() {
    let db = new_db();
    let mut p = person("李娜");
    p.phones = vec![point("Mobile", "13800138000")];
    let c = db.app.customers().create(&p).unwrap();
    let phone_id = c.phones[0].id.clone();
    let mut edit = c.to_input();
    edit.phones[0].value = "13900139000".into();
    edit.stage = Stage::Won;
    let c2 = db.app.customers().update(&c.id, &edit).unwrap();
    assert_eq!(c2.phones[0].id, phone_id, "an edited phone is the same row");
    let h = db.app.customers().history(&c.id).unwrap();
    let phone = h.iter().find(|e| e.field == "phones.value" && e.old_value.is_some()).expect("phone change in history");
    assert_eq!(phone.old_value.as_deref(), Some("13800138000"));
    assert_eq!(phone.new_value.as_deref(), Some("13900139000"));
    assert_eq!(phone.author, "ana");
    assert_eq!(phone.device, "ana-laptop");
    let stage = h.iter().find(|e| e.field == "stage" && e.old_value.is_some()).unwrap();
    assert_eq!((stage.old_value.as_deref(), stage.new_value.as_deref()), (Some("lead"), Some("won")));
    assert!(h[0].at >= h[h.len() - 1].at, "newest first");
}

#[test]
fn removing_a_phone_tombstones_it_and_adding_one_adds_a_row() {
    let db = new_db();
    let mut p = person("张伟");
    p.phones = vec![point("Mobile", "13800138000"), point("Work", "021-62345678")];
    let c = db.app.customers().create(&p).unwrap();
    let mut edit = c.to_input();
    edit.phones.remove(0);
    edit.phones.push(point("Home", "010-88886666"));
    let c2 = db.app.customers().update(&c.id, &edit).unwrap();
    assert_eq!(c2.phones.iter().map(|p| p.value.as_str()).collect::<Vec<_>>(), vec!["021-62345678", "010-88886666"]);
    let rows: i64 = db
        .app
        .store()
        .read(|c| Ok(c.query_row("SELECT count(*) FROM customer_phones WHERE deleted_at IS NOT NULL", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(rows, 1, "the removed phone stays as a tombstone");
}

#[test]
fn delete_moves_to_trash_and_restore_brings_back_exactly_what_was_there() {
    let db = new_db();
    let mut p = person("赵敏");
    p.phones = vec![point("Mobile", "13800138000"), point("Work", "021-62345678")];
    p.tags = vec!["VIP".into()];
    let c = db.app.customers().create(&p).unwrap();
    // A phone removed before the delete must stay removed after the restore.
    let mut edit = c.to_input();
    edit.phones.truncate(1);
    db.app.customers().update(&c.id, &edit).unwrap();

    db.app.customers().delete(&c.id).unwrap();
    assert!(db.app.customers().search("赵敏", None, 5).is_empty());
    let trash = db.app.customers().list(&ListQuery { trash: true, ..Default::default() });
    assert_eq!(trash.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["赵敏"]);
    let in_trash = db.app.customers().get(&c.id).unwrap();
    assert!(in_trash.deleted_at.is_some());
    assert_eq!(in_trash.phones.len(), 1, "the trash shows what was deleted");

    let back = db.app.customers().restore(&c.id).unwrap();
    assert_eq!(back.deleted_at, None);
    assert_eq!(back.phones.iter().map(|p| p.value.as_str()).collect::<Vec<_>>(), vec!["13800138000"]);
    assert_eq!(back.tags, vec!["VIP"]);
    assert_eq!(db.app.customers().search("赵敏", None, 5).len(), 1);
    let h = db.app.customers().history(&c.id).unwrap();
    assert!(h.iter().any(|e| e.field == "deleted_at" && e.new_value.is_none() && e.old_value.is_some()), "restore is in history");
}

#[test]
fn unknown_ids_and_bad_references_get_clear_errors() {
    let db = new_db();
    let ghost = CustomerId::new();
    assert_eq!(db.app.customers().get(&ghost).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(db.app.customers().update(&ghost, &person("x")).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(db.app.customers().delete(&ghost).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(db.app.customers().history(&ghost).unwrap_err().code(), ErrorCode::NotFound);

    let mut p = person("无公司");
    p.company_id = Some(ghost);
    let e = db.app.customers().create(&p).unwrap_err();
    assert_eq!(e.field(), Some("companyId"));
    assert!(e.message(Locale::ZhCn).starts_with("所属公司"));

    let someone = db.app.customers().create(&person("某人")).unwrap();
    p.company_id = Some(someone.id);
    assert_eq!(db.app.customers().create(&p).unwrap_err().field(), Some("companyId"), "a person is not a company");
}

#[test]
fn the_list_filters_by_stage_tag_owner_and_kind_and_counts_the_matches() {
    let db = new_db();
    for (i, (name, stage, tag, owner)) in [
        ("A", Stage::Won, "VIP", "张经理"),
        ("B", Stage::Won, "", "Alice"),
        ("C", Stage::Lead, "VIP", "张经理"),
        ("D", Stage::Lapsing, "", ""),
    ]
    .iter()
    .enumerate()
    {
        let mut p = if i == 3 { company(name) } else { person(name) };
        p.stage = *stage;
        p.owner = owner.to_string();
        p.tags = if tag.is_empty() { vec![] } else { vec![tag.to_string()] };
        db.app.customers().create(&p).unwrap();
    }
    let names = |q: ListQuery| {
        let page = db.app.customers().list(&q);
        (page.total, page.rows.into_iter().map(|r| r.name).collect::<Vec<_>>())
    };
    assert_eq!(names(ListQuery { stage: Some(Stage::Won), ..Default::default() }), (2, vec!["A".into(), "B".into()]));
    assert_eq!(names(ListQuery { tag: Some("VIP".into()), descending: true, ..Default::default() }), (2, vec!["C".into(), "A".into()]));
    assert_eq!(names(ListQuery { owner: Some("张经理".into()), stage: Some(Stage::Lead), ..Default::default() }), (1, vec!["C".into()]));
    assert_eq!(names(ListQuery { kind: Some(CustomerKind::Company), ..Default::default() }), (1, vec!["D".into()]));
    let f = db.app.customers().facets();
    assert_eq!(f.owners, vec!["Alice", "张经理"]);
    assert_eq!(f.tags, vec!["VIP"]);
}

#[test]
fn demo_data_is_deterministic_for_a_seed() {
    let a = new_db();
    let b = new_db();
    satchel_core::demo::generate(a.app.store(), 300, 7).unwrap();
    satchel_core::demo::generate(b.app.store(), 300, 7).unwrap();
    a.app.reload().unwrap();
    b.app.reload().unwrap();
    let names = |db: &TestDb| {
        db.app
            .customers()
            .list(&ListQuery { limit: 1000, ..Default::default() })
            .rows
            .into_iter()
            .map(|r| (r.name, r.stage, r.tags, r.phone))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), names(&b));
    assert_eq!(a.app.app_info().customer_count, 300);
    let chinese = names(&a).iter().filter(|r| r.0.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))).count();
    assert!(chinese > 100 && chinese < 250, "a realistic mix of Chinese and English names: {chinese}");
}

/// A bulk write checks each person's company once, and checks it again after the same write
/// changed a customer: a company deleted earlier in the write is refused to the people after.
#[test]
fn a_company_deleted_earlier_in_a_bulk_write_is_refused_to_the_people_after() {
    use satchel_core::store::schema::CUSTOMERS;
    let db = new_db();
    let co = db.app.customers().create(&company("Acme Trading Ltd")).unwrap();
    let linked = |name: &str| CustomerInput { company_id: Some(co.id.clone()), ..person(name) };
    let err = db
        .app
        .store()
        .write(|w| {
            repo::create_in(w, &linked("甲"))?;
            repo::create_in(w, &linked("乙"))?;
            w.tombstone(&CUSTOMERS, co.id.as_str())?;
            repo::create_in(w, &linked("丙"))
        })
        .unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::Validation, Some("companyId")), "{err}");
    // Nothing of that write was kept.
    assert!(db.app.customers().get(&co.id).unwrap().deleted_at.is_none());
    let rows: i64 = db.app.store().read(|c| Ok(c.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)).unwrap();
    assert_eq!(rows, 1);
}

/// Issue 13: a person whose company went to the trash could no longer be saved (the form keeps
/// the company's id and the save was refused on it). The person keeps the link, so restoring
/// the company brings it back; editing works meanwhile; a new link to a trashed company is still
/// refused on the company field.
#[test]
fn a_person_of_a_trashed_company_can_still_be_edited_and_finds_it_again_on_restore() {
    let db = new_db();
    let customers = db.app.customers();
    let co = customers.create(&company("上海示例贸易有限公司")).unwrap();
    let p = customers.create(&CustomerInput { company_id: Some(co.id.clone()), ..person("欧阳晓梅") }).unwrap();
    customers.delete(&co.id).unwrap();

    let shown = customers.get(&p.id).unwrap();
    assert_eq!((shown.company_name.as_deref(), shown.company_deleted), (Some("上海示例贸易有限公司"), true), "shown as deleted");
    let mut edit = shown.to_input();
    assert_eq!(edit.company_id.as_ref(), Some(&co.id), "the form still names the company");
    edit.notes = "公司已删除后再编辑".into();
    let saved = customers.update(&p.id, &edit).expect("the person saves");
    assert_eq!((saved.notes.as_str(), saved.company_id.as_ref()), ("公司已删除后再编辑", Some(&co.id)));

    // A new person, or another person moved to it: refused on the company field.
    let err = customers.create(&CustomerInput { company_id: Some(co.id.clone()), ..person("新同事") }).unwrap_err();
    assert_eq!(err.field(), Some("companyId"), "{err:?}");
    let other = customers.create(&person("李雷")).unwrap();
    let moved = CustomerInput { company_id: Some(co.id.clone()), ..other.to_input() };
    assert_eq!(customers.update(&other.id, &moved).unwrap_err().field(), Some("companyId"));

    customers.restore(&co.id).unwrap();
    let shown = customers.get(&p.id).unwrap();
    assert_eq!((shown.company_name.as_deref(), shown.company_deleted), (Some("上海示例贸易有限公司"), false));
}

/// Issue 13: several words match across fields, all of them, whichever order they come in; a
/// name with a space still matches as a phrase first.
#[test]
fn several_words_find_the_records_holding_every_one_of_them_in_any_field() {
    let db = new_db();
    let customers = db.app.customers();
    let shanghai = customers.create(&company("上海示例贸易有限公司")).unwrap();
    let beijing = customers.create(&company("北京星辰科技")).unwrap();
    let at = |name: &str, co: &Customer, phone: &str| CustomerInput {
        company_id: Some(co.id.clone()),
        phones: vec![ContactPoint { id: None, label: "Mobile".into(), value: phone.into() }],
        ..person(name)
    };
    let xiaomei = customers.create(&at("欧阳晓梅", &shanghai, "+86 139-0000-1111")).unwrap();
    customers.create(&at("欧阳娜娜", &beijing, "+86 137-0000-2222")).unwrap();
    let zhang = customers.create(&at("张伟", &beijing, "+86 138-0013-8000")).unwrap();
    customers.create(&at("张三", &shanghai, "+86 135-0000-3333")).unwrap();
    let anthony = customers.create(&person("Anthony Anderson")).unwrap();
    customers.create(&CustomerInput { notes: "met Anthony at the fair; Anderson's brother".into(), ..person("Bob Lee") }).unwrap();

    let names = |q: &str| customers.search(q, None, 20).into_iter().map(|h| h.row.id).collect::<Vec<_>>();
    assert_eq!(names("欧阳 上海"), [xiaomei.id.clone()]);
    assert_eq!(names("上海 欧阳"), [xiaomei.id.clone()], "in any order");
    assert_eq!(names("张 13800"), [zhang.id.clone()], "a word of digits finds the phone");
    let hit = &customers.search("张 13800", None, 20)[0];
    assert_eq!(hit.matched, MatchField::Phone, "the row says which other field matched");
    assert!(names("欧阳 广州").is_empty(), "every word must be found");
    // The phrase first (the name), then the record holding both words apart (the notes).
    let both = names("anthony anderson");
    assert_eq!(both.len(), 2);
    assert_eq!(both[0], anthony.id);
}

/// Find duplicates: each card of a pair shows its own writing of the shared phone or email, also
/// when that is not the record's first one.
#[test]
fn a_duplicate_pair_carries_each_sides_own_writing_of_what_they_share() {
    let db = new_db();
    let api = db.app.customers();
    let a = api
        .create(&CustomerInput {
            phones: vec![point("work", "021-62345678"), point("mobile", "+86 138-0013-8000")],
            emails: vec![point("work", "a@example.cn"), point("home", "Wang.XM@Example.com")],
            ..person("王小明")
        })
        .unwrap();
    let b = api.create(&CustomerInput { phones: vec![point("mobile", "13800138000")], ..person("王晓明") }).unwrap();
    let c = api.create(&CustomerInput { emails: vec![point("", "wang.xm@example.com ")], ..person("Wang Xiaoming") }).unwrap();
    let pairs = api.duplicate_pairs(10);
    let of = |x: &satchel_core::ids::CustomerId, y: &satchel_core::ids::CustomerId| {
        pairs.iter().find(|p| (&p.a.id, &p.b.id) == (x, y) || (&p.a.id, &p.b.id) == (y, x)).expect("the pair")
    };
    let side = |p: &satchel_core::customers::DuplicatePair, id: &satchel_core::ids::CustomerId| {
        if &p.a.id == id {
            p.a_shared.clone()
        } else {
            p.b_shared.clone()
        }
    };
    let phone = of(&a.id, &b.id);
    assert_eq!((side(phone, &a.id), side(phone, &b.id)), ("+86 138-0013-8000".into(), "13800138000".into()));
    let email = of(&a.id, &c.id);
    assert_eq!((side(email, &a.id), side(email, &c.id)), ("Wang.XM@Example.com".into(), "wang.xm@example.com".into()));
}

/// Issue 18: opening a book builds no index until something searches or lists, and what arrives
/// meanwhile (a sync's changes, the user's own saves) is all found by the first search.
#[test]
fn the_index_is_built_on_first_need_and_misses_nothing_written_before_it() {
    let ana = laptop("ana");
    ana.app.customers().create(&person("王海示")).unwrap();
    let path = ana.path();
    let bo = laptop("bo");
    bo.app.customers().create(&company("示例贸易有限公司")).unwrap();
    drop(ana.app);

    let app = satchel_core::Satchel::open(&path, profile("ana")).unwrap();
    assert!(!app.customers().index_built(), "opening alone builds nothing");
    // A sync's changes and a local save while nothing is built: no index is built for them.
    let changes = bo.app.store().changes_since(0, 1_000_000).unwrap().into_iter().map(|(_, c)| c).collect::<Vec<_>>();
    app.apply_changes(&changes).unwrap();
    let later = app.customers().create(&person("李示范")).unwrap();
    assert!(!app.customers().index_built(), "writes do not build it either");

    let names = |q: &str| app.customers().search(q, None, 10).into_iter().map(|h| h.row.name).collect::<Vec<_>>();
    assert_eq!(names("示"), vec!["示例贸易有限公司", "李示范", "王海示"]);
    assert!(app.customers().index_built());
    assert_eq!(app.customers().live_count(), 3);
    // Once built, it follows edits as before.
    let mut renamed = person("李示范改");
    renamed.company_id = None;
    app.customers().update(&later.id, &renamed).unwrap();
    assert_eq!(names("示范"), vec!["李示范改"]);
}

/// Many callers at once on a fresh open: one build, and every caller sees the whole book.
#[test]
fn callers_racing_for_the_first_build_all_see_the_whole_book() {
    let db = new_db();
    for i in 0..150 {
        db.app.customers().create(&person(&format!("客户{i:03}"))).unwrap();
    }
    let path = db.path();
    drop(db.app);
    let app = std::sync::Arc::new(satchel_core::Satchel::open(&path, profile("ana")).unwrap());
    let counts: Vec<usize> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4).map(|_| s.spawn(|| app.customers().search("客户", None, 200).len())).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(counts, vec![150; 4]);
}
