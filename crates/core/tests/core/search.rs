//! The global search over every module's records but customers, held to a model written apart
//! from it: every record's searchable fields read with plain SQL, matched by "every word is a
//! substring of some field" and sorted by the documented order. Checked on a demo book, then
//! after writes of each kind, and against an index rebuilt from scratch.

use crate::fixtures::new_db;
use satchel_core::demo::{fill, DemoCounts};
use satchel_core::search::{Everything, RecordHit};
use satchel_core::service::{ArticleInput, TicketInput};
use satchel_core::Satchel;
use std::collections::HashMap;

/// One record as the model sees it.
struct Rec {
    group: u8,
    kind: &'static str,
    rank: u8,
    id: String,
    title: String,
    subtitle: String,
    /// Lowercased; the first is the title as matched.
    fields: Vec<String>,
    order: String,
    desc: bool,
}

fn rows(app: &Satchel, sql: &str) -> Vec<Vec<String>> {
    let conn = satchel_core::rusqlite::Connection::open(app.store().path()).unwrap();
    let mut st = conn.prepare(sql).unwrap();
    let n = st.column_count();
    st.query_map([], |r| (0..n).map(|i| r.get::<_, String>(i)).collect::<Result<Vec<_>, _>>()).unwrap().map(Result::unwrap).collect()
}

fn lc(v: &[&String]) -> Vec<String> {
    v.iter().map(|s| s.to_lowercase()).collect()
}

fn model(app: &Satchel) -> Vec<Rec> {
    let mut out = Vec::new();
    let name = "coalesce((SELECT name FROM customers c WHERE c.id = x.customer_id), '')";
    for r in rows(app, &format!("SELECT id, title, {name} FROM opportunities x WHERE deleted_at IS NULL")) {
        out.push(Rec {
            group: 0,
            kind: "deal",
            rank: 0,
            id: r[0].clone(),
            title: r[1].clone(),
            subtitle: r[2].clone(),
            fields: lc(&[&r[1], &r[2]]),
            order: r[1].clone(),
            desc: false,
        });
    }
    // Quotes: the newest live version of each number.
    let mut newest: HashMap<String, (i64, String, Vec<String>)> = HashMap::new();
    for r in rows(app, &format!("SELECT id, number, CAST(version AS TEXT), {name} FROM quotes x WHERE deleted_at IS NULL")) {
        let v: i64 = r[2].parse().unwrap();
        let e = newest.entry(r[1].clone()).or_insert((v, r[0].clone(), r.clone()));
        if (v, &r[0]) > (e.0, &e.1) {
            *e = (v, r[0].clone(), r.clone());
        }
    }
    let mut newest: Vec<_> = newest.into_values().collect();
    newest.sort_by(|a, b| a.1.cmp(&b.1));
    for (_, _, r) in newest {
        out.push(Rec {
            group: 0,
            kind: "quote",
            rank: 1,
            id: r[0].clone(),
            title: r[1].clone(),
            subtitle: r[3].clone(),
            fields: lc(&[&r[1], &r[3]]),
            order: r[1].clone(),
            desc: true,
        });
    }
    for r in rows(app, &format!("SELECT id, number, title, {name} FROM contracts x WHERE deleted_at IS NULL")) {
        out.push(Rec {
            group: 0,
            kind: "contract",
            rank: 1,
            id: r[0].clone(),
            title: r[1].clone(),
            subtitle: r[3].clone(),
            fields: lc(&[&r[1], &r[2], &r[3]]),
            order: r[1].clone(),
            desc: true,
        });
    }
    for r in rows(app, &format!("SELECT id, number, subject, {name}, opened_at FROM tickets x WHERE deleted_at IS NULL")) {
        out.push(Rec {
            group: 1,
            kind: "ticket",
            rank: 0,
            id: r[0].clone(),
            title: format!("{} {}", r[1], r[2]),
            subtitle: r[3].clone(),
            fields: lc(&[&r[2], &r[1], &r[3]]),
            order: r[4].clone(),
            desc: true,
        });
    }
    for r in rows(app, "SELECT id, title, tags, problem, solution FROM articles WHERE deleted_at IS NULL") {
        out.push(Rec {
            group: 1,
            kind: "article",
            rank: 1,
            id: r[0].clone(),
            title: r[1].clone(),
            subtitle: String::new(),
            fields: lc(&[&r[1], &r[2], &r[3], &r[4]]),
            order: format!("{:08}", r[1].chars().count()),
            desc: false,
        });
    }
    let me = app.store().profile().author.clone();
    for r in rows(app, &format!("SELECT id, title, location, {name}, starts, visibility, owner FROM events x WHERE deleted_at IS NULL")) {
        if r[5] == "private" && r[6] != me {
            continue;
        }
        let day: String = r[4].chars().take(10).collect();
        let subtitle =
            [day.as_str(), r[2].as_str(), r[3].as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" · ");
        out.push(Rec {
            group: 2,
            kind: "event",
            rank: 0,
            id: r[0].clone(),
            title: r[1].clone(),
            subtitle,
            fields: lc(&[&r[1], &r[2], &r[3]]),
            order: r[4].clone(),
            desc: true,
        });
    }
    out
}

/// What the search should answer, from the model: per group, at most `limit`.
fn expected(recs: &[Rec], q: &str, limit: usize) -> [Vec<RecordHit>; 3] {
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    let mut groups: [Vec<(u8, bool, &Rec)>; 3] = Default::default();
    for r in recs {
        if words.iter().all(|w| r.fields.iter().any(|f| f.contains(w.as_str()))) {
            let in_title = words.iter().all(|w| r.fields[0].contains(w.as_str()));
            groups[r.group as usize].push((r.rank, !in_title, r));
        }
    }
    groups.map(|mut g| {
        g.sort_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| if a.2.desc { b.2.order.cmp(&a.2.order) } else { a.2.order.cmp(&b.2.order) })
                .then_with(|| a.2.id.cmp(&b.2.id))
        });
        g.into_iter()
            .take(limit)
            .map(|(_, _, r)| RecordHit { kind: r.kind.into(), id: r.id.clone(), title: r.title.clone(), subtitle: r.subtitle.clone() })
            .collect()
    })
}

fn groups(e: Everything) -> [Vec<RecordHit>; 3] {
    [e.sales, e.service, e.calendar]
}

/// Queries cut from the records themselves: one and two characters of titles and names, a
/// number's tail, two words, and some that match nothing.
fn queries(recs: &[Rec]) -> Vec<String> {
    // Single letters and digits match most records: their ranking rests on the packed keys' ties.
    let mut out = vec![
        "zzqx".to_string(),
        "王".into(),
        "有限".into(),
        "q-".into(),
        "2026".into(),
        "打印".into(),
        "example".into(),
        "t".into(),
        "a".into(),
        "e".into(),
        "2".into(),
        "0".into(),
        "·".into(),
    ];
    for (i, r) in recs.iter().enumerate().step_by(recs.len() / 40 + 1) {
        let chars: Vec<char> = r.title.chars().collect();
        if chars.is_empty() {
            continue;
        }
        let at = i % chars.len();
        out.push(chars[at..].iter().take(1 + i % 3).collect());
        if let Some(word) = r.subtitle.split_whitespace().next() {
            out.push(format!("{} {}", chars[at], word.chars().take(2).collect::<String>()));
        }
        out.push(r.title.to_uppercase());
    }
    out.retain(|q| !q.trim().is_empty());
    out
}

/// A new article found by its model number, `zq-7731`.
fn paper_jam_article(app: &Satchel) {
    app.service()
        .create_article(&ArticleInput {
            title: "ZQ-7731 打印机卡纸".into(),
            problem: "卡纸".into(),
            solution: "取出纸张".into(),
            language: "zh".into(),
            ..Default::default()
        })
        .unwrap();
}

fn check(app: &Satchel, when: &str) {
    let recs = model(app);
    let qs = queries(&recs);
    assert!(qs.len() > 40, "{when}: too few queries to mean anything");
    let mut hits = 0;
    for q in &qs {
        let got = groups(app.search_everything(q, 20).unwrap());
        let want = expected(&recs, q, 20);
        hits += want.iter().map(Vec::len).sum::<usize>();
        assert_eq!(got, want, "{when}: the global search for {q:?} differs from the model");
        // A small limit puts the cut inside runs of records with the same start of their order
        // key (deals of one company, tickets of one day), where the packed keys tie.
        assert_eq!(groups(app.search_everything(q, 3).unwrap()), expected(&recs, q, 3), "{when}: {q:?} with a limit of 3");
    }
    assert!(hits > 200, "{when}: the queries found only {hits} records: the check proves little");
}

#[test]
fn the_global_search_finds_exactly_what_a_plain_scan_finds_and_follows_every_write() {
    let db = new_db();
    let app = &db.app;
    let counts = DemoCounts { customers: 300, opportunities: 40, quotes: 60, events: 200, series: 5, tickets: 150, articles: 30 };
    fill(app, &counts, 7, chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    check(app, "the demo book");

    // Writes of each kind, then the same check (the index follows them row by row).
    let some_customer = rows(app, "SELECT customer_id FROM tickets WHERE customer_id <> '' LIMIT 1")[0][0].clone();
    let cid = satchel_core::ids::CustomerId::parse(&some_customer).unwrap();
    let mut renamed = app.customers().get(&cid).unwrap().to_input();
    renamed.name = "澜沧江贸易行".into();
    app.customers().update(&cid, &renamed).unwrap();
    let t = app
        .service()
        .create_ticket(&TicketInput {
            customer_id: Some(cid.clone()),
            subject: "投影仪 flickers 闪烁".into(),
            priority: "normal".into(),
            ..Default::default()
        })
        .unwrap();
    app.service()
        .create_article(&ArticleInput {
            title: "投影仪闪烁怎么办".into(),
            problem: "画面闪烁".into(),
            solution: "更换 HDMI 线".into(),
            language: "zh".into(),
            ..Default::default()
        })
        .unwrap();
    let deal = rows(app, "SELECT id FROM opportunities WHERE deleted_at IS NULL LIMIT 1")[0][0].clone();
    app.sales().delete_opportunity(&satchel_core::ids::OpportunityId::parse(&deal).unwrap()).unwrap();
    // The newest version of a revised number goes: the version before it is found again.
    let revised = rows(app, "SELECT id FROM quotes q WHERE version > 1 AND deleted_at IS NULL LIMIT 1");
    assert!(!revised.is_empty(), "the demo book has revised quotes");
    app.sales().delete_quote(&satchel_core::ids::QuoteId::parse(&revised[0][0]).unwrap()).unwrap();
    check(app, "after writes");
    let found = app.search_everything("澜沧江", 20).unwrap();
    assert!(
        found.service.iter().any(|h| h.id == t.id.to_string() && h.subtitle == "澜沧江贸易行"),
        "a renamed customer's tickets show and match the new name: {found:?}"
    );
    assert!(app.search_everything("投影仪 闪烁", 20).unwrap().service.len() >= 2);

    // What it followed equals what a rebuild reads.
    let qs = queries(&model(app));
    let before: Vec<_> = qs.iter().map(|q| groups(app.search_everything(q, 20).unwrap())).collect();
    app.reload().unwrap();
    let after: Vec<_> = qs.iter().map(|q| groups(app.search_everything(q, 20).unwrap())).collect();
    assert_eq!(before, after);
}

#[test]
fn someone_elses_private_event_is_not_found_and_an_empty_question_finds_nothing() {
    let db = new_db();
    let app = &db.app;
    let counts = DemoCounts { customers: 50, opportunities: 5, quotes: 5, events: 40, series: 1, tickets: 10, articles: 5 };
    fill(app, &counts, 3, chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    let conn = satchel_core::rusqlite::Connection::open(app.store().path()).unwrap();
    // Written around the API, as another teammate's synced private event would arrive.
    let id: String = conn.query_row("SELECT id FROM events WHERE deleted_at IS NULL LIMIT 1", [], |r| r.get(0)).unwrap();
    conn.execute("UPDATE events SET title = '私人体检', visibility = 'private', owner = 'bo' WHERE id = ?1", [&id]).unwrap();
    app.reload().unwrap();
    assert!(app.search_everything("私人体检", 20).unwrap().calendar.is_empty());
    conn.execute("UPDATE events SET owner = 'ana' WHERE id = ?1", [&id]).unwrap();
    app.reload().unwrap();
    assert_eq!(app.search_everything("私人体检", 20).unwrap().calendar.len(), 1, "my own private event is mine to find");
    assert_eq!(app.search_everything("   ", 20).unwrap(), Everything::default());
}

/// Issue 18: the records' index kept on disk. A closed book reopens from it showing exactly what
/// the model shows; what another program wrote meanwhile (a sync from the command line) is caught
/// up from the change log; a damaged, truncated or foreign file is refused and rebuilt.
#[test]
fn the_records_index_reopens_from_its_snapshot_caught_up_and_a_bad_snapshot_is_rebuilt() {
    use satchel_core::customers::api::IndexOrigin;
    use satchel_core::search::snapshot::RECORDS;
    let db = new_db();
    let path = db.path();
    let counts = DemoCounts { customers: 200, opportunities: 30, quotes: 40, events: 120, series: 3, tickets: 100, articles: 20 };
    fill(&db.app, &counts, 11, chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    assert_eq!(db.app.search_origin().unwrap(), IndexOrigin::Built);
    db.app.persist().unwrap();
    drop(db.app);
    let file = RECORDS.path_for(&path);
    assert!(file.is_file(), "kept beside the book");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600, "readable by its user only");
    }
    let open = || Satchel::open(&path, crate::fixtures::profile("ana")).unwrap();

    let app = open();
    assert_eq!(app.search_origin().unwrap(), IndexOrigin::Snapshot { caught_up: 0 });
    check(&app, "reopened from the snapshot");
    drop(app);
    // Written by another program while the window was closed: the snapshot is not told.
    let other = open();
    let cid = rows(&other, "SELECT customer_id FROM tickets WHERE customer_id <> '' LIMIT 1")[0][0].clone();
    let cid = satchel_core::ids::CustomerId::parse(&cid).unwrap();
    let mut renamed = other.customers().get(&cid).unwrap().to_input();
    renamed.name = "澜沧江贸易行".into();
    other.customers().update(&cid, &renamed).unwrap();
    paper_jam_article(&other);
    drop(other);
    let app = open();
    assert!(matches!(app.search_origin().unwrap(), IndexOrigin::Snapshot { caught_up } if caught_up >= 2));
    check(&app, "caught up from the change log");
    assert!(app.search_everything("澜沧江", 20).unwrap().service.iter().any(|h| h.subtitle == "澜沧江贸易行"));
    assert_eq!(app.search_everything("zq-7731", 20).unwrap().service.len(), 1);
    app.persist().unwrap();
    drop(app);

    let good = std::fs::read(&file).unwrap();
    let flipped = |at: usize| {
        let mut b = good.clone();
        b[at] ^= 0x40;
        b
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..good.len() / 2].to_vec()),
        ("a byte flipped in the records", flipped(good.len() / 3)),
        ("a byte flipped in the postings", flipped(good.len() - 40)),
        ("the customers' snapshot in its place", std::fs::read(satchel_core::customers::snapshot::path_for(&path)).unwrap()),
        ("empty", Vec::new()),
    ];
    for (what, bytes) in cases {
        std::fs::write(&file, bytes).unwrap();
        let app = open();
        assert_eq!(app.search_origin().unwrap(), IndexOrigin::Built, "{what}: rebuilt, not trusted");
        check(&app, what);
        drop(app);
        // Rebuilt, it was written again whole.
        assert_eq!(open().search_origin().unwrap(), IndexOrigin::Snapshot { caught_up: 0 }, "{what}: written again");
    }
}

/// Issue 18, memory: a reopened index keeps its records' text in the snapshot's file, read in
/// place, not copied to the heap. Writes after the load, and a save that puts a new file in the
/// old one's place while the index still reads the old one, leave every search exact.
#[test]
fn a_loaded_index_reads_its_text_from_the_file_and_saving_over_that_file_changes_no_answer() {
    use satchel_core::customers::api::IndexOrigin;
    let db = new_db();
    let path = db.path();
    let counts = DemoCounts { customers: 150, opportunities: 30, quotes: 40, events: 100, series: 2, tickets: 80, articles: 20 };
    fill(&db.app, &counts, 5, chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    let heap =
        |app: &Satchel, part: &str| app.search_index_footprint().into_iter().find(|(p, _)| p.starts_with(part)).map(|(_, b)| b).unwrap();
    let text_heap = |app: &Satchel| heap(app, "records' text");
    assert!(text_heap(&db.app) > 10_000, "built from SQLite, the text is on the heap");
    let postings_built = heap(&db.app, "postings' slots");
    assert!(postings_built > 10_000, "and the postings: {postings_built}");
    db.app.persist().unwrap();
    drop(db.app);
    let open = || Satchel::open(&path, crate::fixtures::profile("ana")).unwrap();

    let app = open();
    assert_eq!(app.search_origin().unwrap(), IndexOrigin::Snapshot { caught_up: 0 });
    assert_eq!(text_heap(&app), 0, "loaded, every record's text stays in the file");
    assert_eq!(heap(&app, "postings' slots"), 0, "and every posting's slots and bitmaps");
    check(&app, "read in place");
    paper_jam_article(&app);
    let written = text_heap(&app);
    assert!(written > 0 && written < 1_000, "only the written record's text is on the heap: {written}");
    let copied = heap(&app, "postings' slots");
    assert!(copied > 0 && copied < postings_built / 2, "only the postings it changed were copied: {copied} of {postings_built}");
    // Saved twice: the second save replaces the file the first load still reads from.
    for round in 0..2 {
        app.persist().unwrap();
        check(&app, &format!("after save {round} over the file it reads"));
        assert_eq!(app.search_everything("zq-7731", 20).unwrap().service.len(), 1);
    }
    drop(app);
    let app = open();
    assert_eq!(app.search_origin().unwrap(), IndexOrigin::Snapshot { caught_up: 0 });
    check(&app, "reopened from the saved file");
}
