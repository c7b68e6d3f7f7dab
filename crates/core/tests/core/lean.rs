//! Lean mode (a book too large for the memory allowed: lists and search read from SQLite a slice
//! at a time) held to the in-memory index: the same book opened twice, once with the index and
//! once with a one-megabyte budget and slices of 131 records, must give the same answers to every
//! question the customers module answers, before and after writes.

use crate::fixtures::{new_db, person, point, profile, TestDb};
use satchel_core::budget::Limits;
use satchel_core::customers::activities::{ActivityInput, ActivityKind};
use satchel_core::customers::api::IndexMode;
use satchel_core::customers::{CustomerKind, ListQuery, SortKey, Stage};
use satchel_core::Satchel;

/// A copy of `app`'s book, opened (a book is open in one place at a time).
fn copy_of(app: &Satchel, db: &TestDb, name: &str) -> Satchel {
    let to = db.dir.path().join(name);
    let conn = satchel_core::rusqlite::Connection::open(app.store().path()).unwrap();
    conn.execute("VACUUM INTO ?1", [to.to_str().unwrap()]).unwrap();
    Satchel::open(to, profile("ana")).unwrap()
}

fn lean(db: &TestDb) -> Satchel {
    let app = copy_of(&db.app, db, "lean.db");
    app.customers().set_memory_limits(Limits { user: Some(1 << 20), ..Limits::default() });
    app.customers().set_lean_slice(131);
    app
}

/// A demo book with some records in the trash and some recent activities.
fn book() -> TestDb {
    let db = new_db();
    satchel_core::demo::generate(db.app.store(), 1200, 11).unwrap();
    db.app.reload().unwrap();
    let some = db.app.customers().list(&ListQuery { limit: 60, ..ListQuery::default() });
    let now = chrono::Utc::now().to_rfc3339();
    for row in some.rows.iter().skip(1).step_by(5) {
        let call = ActivityInput {
            kind: ActivityKind::Call,
            occurred_at: now.clone(),
            duration_minutes: None,
            outcome: String::new(),
            body: "rang".into(),
        };
        db.app.customers().log_activity(&row.id, &call).unwrap();
    }
    for row in some.rows.iter().step_by(7) {
        db.app.customers().delete(&row.id).unwrap();
    }
    // Saved views, counted in lean mode by a pass (and kept until a change).
    use satchel_core::customers::segments::SegmentFilter;
    let tag = db.app.customers().facets().tags[0].clone();
    for (name, filter) in [
        ("Leads", SegmentFilter { stage: Some(Stage::Lead), ..SegmentFilter::default() }),
        ("Tagged companies", SegmentFilter { tag: Some(tag), kind: Some(CustomerKind::Company), ..SegmentFilter::default() }),
        ("Quiet", SegmentFilter { inactive_days: Some(30), ..SegmentFilter::default() }),
    ] {
        db.app.customers().create_segment(name, &filter).unwrap();
    }
    db
}

/// Every list question: each sort both ways, each filter, pages at the start, the middle and the end.
fn list_queries(app: &Satchel) -> Vec<ListQuery> {
    let facets = app.customers().facets();
    let mut filters = vec![
        ListQuery::default(),
        ListQuery { trash: true, ..ListQuery::default() },
        ListQuery { stage: Some(Stage::Lead), ..ListQuery::default() },
        ListQuery { kind: Some(CustomerKind::Company), ..ListQuery::default() },
        ListQuery { inactive_days: Some(30), ..ListQuery::default() },
        ListQuery { owner: Some("nobody".into()), ..ListQuery::default() },
    ];
    filters.extend(facets.owners.iter().take(2).map(|o| ListQuery { owner: Some(o.clone()), ..ListQuery::default() }));
    filters.extend(facets.tags.iter().take(2).map(|t| ListQuery { tag: Some(t.clone()), ..ListQuery::default() }));
    let mut out = Vec::new();
    for f in filters {
        for sort in [SortKey::Name, SortKey::Company, SortKey::Stage, SortKey::Owner, SortKey::Updated] {
            for descending in [false, true] {
                for (offset, limit) in [(0, 50), (500, 100), (1150, 100), (5000, 10), (0, 0)] {
                    out.push(ListQuery { sort, descending, offset, limit, ..f.clone() });
                }
            }
        }
    }
    out
}

/// Search questions taken from the book itself: names' first one and two characters, email
/// and phone fragments, two words from different fields, a common domain, nothing.
fn searches(app: &Satchel) -> Vec<String> {
    let rows = app.customers().list(&ListQuery { limit: 1000, ..ListQuery::default() }).rows;
    let mut out: Vec<String> = vec!["example.cn".into(), "有限公司".into(), "zzqx".into(), "上海".into(), "li".into(), "王".into()];
    for r in rows.iter().step_by(37) {
        let name: Vec<char> = r.name.chars().collect();
        out.push(name[..1].iter().collect());
        out.push(name[..2.min(name.len())].iter().collect());
        if let Some(e) = &r.email {
            out.push(e[..4.min(e.len())].to_string());
        }
        if let Some(p) = &r.phone {
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            out.push(digits[digits.len() - 4..].to_string());
            out.push(format!("{} {}", name[0], &digits[digits.len() - 3..]));
        }
        if let Some(c) = &r.company_name {
            out.push(format!("{} {}", name[0], c.chars().take(2).collect::<String>()));
        }
    }
    out
}

fn assert_same(memory: &Satchel, lean: &Satchel, when: &str) {
    let (m, l) = (memory.customers(), lean.customers());
    assert!(matches!(l.index_mode(), IndexMode::Lean { .. }), "{when}: {:?}", l.index_mode());
    assert_eq!(m.index_mode(), IndexMode::InMemory, "{when}");
    assert_eq!(l.live_count(), m.live_count(), "{when}: live count");
    assert_eq!(l.facets(), m.facets(), "{when}: facets");
    for q in list_queries(memory) {
        assert_eq!(l.list(&q), m.list(&q), "{when}: list {q:?}");
    }
    for q in [ListQuery::default(), ListQuery { sort: SortKey::Updated, descending: true, stage: Some(Stage::Won), ..ListQuery::default() }]
    {
        let (ml, ll) = (
            m.export(&q, satchel_core::customers::transfer::ExportFormat::Csv).unwrap(),
            l.export(&q, satchel_core::customers::transfer::ExportFormat::Csv).unwrap(),
        );
        assert_eq!(String::from_utf8_lossy(&ll.0), String::from_utf8_lossy(&ml.0), "{when}: export {q:?}");
    }
    let queries = searches(memory);
    assert!(queries.len() > 60, "{when}: {} search questions", queries.len());
    for text in &queries {
        for (kind, limit) in [(None, 21), (Some(CustomerKind::Person), 5), (None, 200)] {
            let (mh, lh) = (m.search(text, kind, limit), l.search(text, kind, limit));
            assert_eq!(lh, mh, "{when}: search {text:?} {kind:?} {limit}");
        }
    }
    // Some searches must find plenty, or the comparison above proves little.
    assert_eq!(m.search("example", None, 200).len(), 200, "{when}");
    for row in m.list(&ListQuery { limit: 400, ..ListQuery::default() }).rows.iter().step_by(41) {
        let c = m.get(&row.id).unwrap();
        let input = satchel_core::customers::CustomerInput {
            company_id: c.company_id.clone(),
            emails: c.emails.clone(),
            phones: c.phones.clone(),
            ..satchel_core::customers::CustomerInput::named(c.kind, &c.name)
        };
        assert_eq!(l.possible_duplicates(&input, None), m.possible_duplicates(&input, None), "{when}: duplicates of {}", c.name);
        assert!(!m.possible_duplicates(&input, None).is_empty(), "{when}: {} is its own duplicate", c.name);
    }
    assert_eq!(l.duplicate_pairs(5000), m.duplicate_pairs(5000), "{when}: duplicate pairs");
    let segments = m.segments().unwrap();
    assert_eq!(segments.len(), 3, "{when}");
    assert!(segments.iter().all(|s| s.count > 0), "{when}: {segments:?}");
    assert_eq!(l.segments().unwrap(), segments, "{when}: segments");
    assert_eq!(l.segments().unwrap(), segments, "{when}: segments counted again (kept)");
}

#[test]
fn lean_answers_are_the_in_memory_indexs_own() {
    let db = book();
    let lean = lean(&db);
    assert_same(&db.app, &lean, "as generated");
}

#[test]
fn lean_answers_follow_writes_made_in_lean_mode() {
    let db = book();
    let lean = lean(&db);
    // Warm the kept orders, so that a stale one would show.
    assert!(lean.customers().list(&ListQuery::default()).total > 1000);
    let mut new = person("Aaron Lean");
    new.emails = vec![point("work", "aaron@lean.example")];
    let made = lean.customers().create(new).unwrap();
    let first = lean.customers().list(&ListQuery { limit: 1, ..ListQuery::default() });
    assert_eq!(first.rows[0].name, "Aaron Lean", "a new record is in the list at once");
    assert_eq!(lean.customers().search("lean.example", None, 5)[0].row.id, made.id);
    let leads = |app: &Satchel| app.customers().segments().unwrap().into_iter().find(|s| s.name == "Leads").unwrap().count;
    let before = leads(&lean);
    let mut lead = person("Lena Lead");
    lead.stage = Stage::Lead;
    lean.customers().create(lead).unwrap();
    assert_eq!(leads(&lean), before + 1, "a kept count follows a write");
    let gone = lean.customers().list(&ListQuery { offset: 3, limit: 1, ..ListQuery::default() }).rows[0].id.clone();
    lean.customers().delete(&gone).unwrap();
    assert!(lean.customers().list(&ListQuery { limit: 2000, ..ListQuery::default() }).rows.iter().all(|r| r.id != gone));
    // A fresh in-memory index of the book as it is now agrees with lean mode on everything.
    let fresh = copy_of(&lean, &db, "fresh.db");
    assert_same(&fresh, &lean, "after writes");
}

#[test]
fn the_global_search_in_lean_mode_answers_as_its_index_does() {
    use satchel_core::demo::{fill, DemoCounts};
    let db = new_db();
    let counts = DemoCounts { customers: 300, opportunities: 60, quotes: 90, events: 300, series: 5, tickets: 200, articles: 40 };
    fill(&db.app, &counts, 5, chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    let lean = copy_of(&db.app, &db, "lean.db");
    let tiny = Limits { user: Some(1 << 10), ..Limits::default() };
    lean.customers().set_memory_limits(tiny);
    lean.customers().set_lean_slice(37);
    lean.set_search_memory_limits(tiny, 23);
    assert!(lean.search_is_lean());
    assert!(!db.app.search_is_lean());
    // Questions: a few common words, then pieces of what they found (titles' first characters and
    // last words), so every module's records are asked for.
    let mut questions: Vec<String> =
        ["报价", "合同", "会议", "2026", "a", "王", "有限", "example", "Q", "zzqx", "客户 回访"].map(String::from).to_vec();
    for seed in questions.clone() {
        let found = db.app.search_everything(&seed, 40).unwrap();
        for hit in found.sales.iter().chain(&found.service).chain(&found.calendar).step_by(3) {
            let chars: Vec<char> = hit.title.chars().collect();
            questions.push(chars[..2.min(chars.len())].iter().collect());
            questions.extend(hit.title.split_whitespace().last().map(String::from));
        }
    }
    questions.sort();
    questions.dedup();
    assert!(questions.len() > 40, "{} questions", questions.len());
    let mut full_pages = 0;
    for q in &questions {
        for limit in [5, 21] {
            let (m, l) = (db.app.search_everything(q, limit).unwrap(), lean.search_everything(q, limit).unwrap());
            let brief = |e: &satchel_core::search::Everything| {
                let t = |h: &[satchel_core::search::RecordHit]| h.iter().map(|h| format!("{}:{}", h.kind, h.title)).collect::<Vec<_>>();
                (e.customers.iter().map(|h| h.row.name.clone()).collect::<Vec<_>>(), t(&e.sales), t(&e.service), t(&e.calendar))
            };
            assert_eq!(brief(&l), brief(&m), "{q:?} limit {limit}");
            assert_eq!(l, m, "{q:?} limit {limit}");
            full_pages += [&m.sales, &m.service, &m.calendar].iter().filter(|h| h.len() == limit as usize).count();
        }
    }
    assert!(full_pages > 20, "only {full_pages} full pages: the questions find too little to compare");
}
