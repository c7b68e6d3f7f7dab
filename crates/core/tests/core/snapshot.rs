//! Issue 18: the customer index kept on disk between runs. A snapshot that is whole and this
//! book's is loaded and caught up with what changed since; anything else (another version's,
//! truncated, damaged, from another history, disagreeing with the database) is refused and the
//! index built from SQLite, so what a user sees never depends on the file.

use super::fixtures::*;
use satchel_core::customers::api::IndexOrigin;
use satchel_core::customers::index::CustomerIndex;
use satchel_core::customers::{repo, snapshot, CustomerKind, ListQuery, SortKey};
use satchel_core::Satchel;
use std::path::Path;

const QUERIES: &[&str] = &["王", "海燕", "欧阳", "wang", "example", "example.cn", "138", "vip", "有限公司", "li na", "zz-nothing"];

/// What a user sees of the index: searches and the first list pages in every order, both kinds.
fn seen(app: &Satchel) -> Vec<String> {
    let mut out = Vec::new();
    for q in QUERIES {
        for kind in [None, Some(CustomerKind::Person)] {
            let hits = app.customers().search(q, kind, 50);
            out.push(format!("{q} {kind:?}: {:?}", hits.iter().map(|h| (&h.row.id.0, h.matched, &h.row.company_name)).collect::<Vec<_>>()));
        }
    }
    for sort in [SortKey::Name, SortKey::Company, SortKey::Stage, SortKey::Owner, SortKey::Updated] {
        for descending in [false, true] {
            let page = app.customers().list(&ListQuery { sort, descending, limit: 60, ..Default::default() });
            out.push(format!(
                "{sort:?} {descending}: {} {:?}",
                page.total,
                page.rows.iter().map(|r| (&r.id.0, &r.company_name, &r.tags)).collect::<Vec<_>>()
            ));
        }
    }
    let trash = app.customers().list(&ListQuery { trash: true, limit: 60, ..Default::default() });
    out.push(format!("trash: {} {:?}", trash.total, trash.rows.iter().map(|r| &r.id.0).collect::<Vec<_>>()));
    // Duplicate warnings for a new customer typed with another's email or phone (a loaded
    // snapshot makes their maps from its bytes on this first need), and for one added since.
    let rows = app.customers().list(&ListQuery { limit: 80, ..Default::default() }).rows;
    let probes = rows.iter().map(|r| (r.email.clone(), r.phone.clone())).chain([(Some("XIN@example.cn".to_string()), None)]);
    for (email, phone) in probes {
        let mut probe = person("探针");
        probe.emails = email.iter().map(|e| point("Work", e)).collect();
        probe.phones = phone.iter().map(|p| point("Work", p)).collect();
        let mut hints: Vec<_> = app
            .customers()
            .possible_duplicates(&probe, None)
            .into_iter()
            .map(|h| (h.row.id.0, format!("{:?}", h.reason), h.matched))
            .collect();
        hints.sort();
        out.push(format!("like {email:?} {phone:?}: {hints:?}"));
    }
    out
}

/// Every duplicate pair, each as a set of two ids with its reason and value.
fn pairs(app: &Satchel) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = app.customers().duplicate_pairs(10_000).into_iter().map(|p| (p.a.id.0, p.b.id.0, p.matched)).collect();
    v.sort();
    v
}

fn open(path: &Path) -> Satchel {
    Satchel::open(path, profile("ana")).expect("open")
}

/// The same book with no snapshot: what a fresh build shows.
fn fresh(path: &Path) -> Vec<String> {
    let _ = std::fs::remove_file(snapshot::path_for(path));
    let app = open(path);
    assert_eq!(app.customers().index_origin(), IndexOrigin::Built);
    seen(&app)
}

fn demo_book(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let db = new_db();
    satchel_core::demo::generate(db.app.store(), n, 3).expect("demo");
    let path = db.path();
    (db.dir, path)
}

#[test]
fn a_closed_book_reopens_from_its_snapshot_showing_exactly_what_a_fresh_build_shows() {
    let (_dir, path) = demo_book(1500);
    let app = open(&path);
    assert_eq!(app.customers().index_origin(), IndexOrigin::Built, "no snapshot on first open");
    let before = seen(&app);
    app.persist().unwrap();
    drop(app);
    assert!(snapshot::path_for(&path).is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(snapshot::path_for(&path)).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "a customer book's snapshot is its user's only");
    }

    let app = open(&path);
    assert_eq!(app.customers().index_origin(), IndexOrigin::Snapshot { caught_up: 0 });
    assert_eq!(seen(&app), before);
    let pairs_loaded = pairs(&app);
    assert!(pairs_loaded.len() > 10, "the demo book repeats emails and phones: {}", pairs_loaded.len());
    drop(app);
    assert_eq!(fresh(&path), before);
    assert_eq!(pairs(&open(&path)), pairs_loaded);
}

/// Issue 18, memory: a loaded index keeps each customer's text (and the duplicate maps' bytes)
/// in the snapshot's file, read in place. Edits after the load, and a save that puts a new file
/// in the place of the one the index reads, change nothing a user sees.
#[test]
fn a_loaded_index_reads_its_text_from_the_file_and_saving_over_that_file_changes_nothing_seen() {
    let (_dir, path) = demo_book(900);
    let heap = |app: &Satchel, part: &str| {
        app.customers().index_footprint().into_iter().find(|(p, _)| p.starts_with(part)).map(|(_, b)| b).unwrap()
    };
    let app = open(&path);
    app.customers().search("王", None, 5);
    let built = heap(&app, "records' text");
    app.persist().unwrap();
    drop(app);

    let app = open(&path);
    assert_eq!(app.customers().index_origin(), IndexOrigin::Snapshot { caught_up: 0 });
    // What stays on the heap is each record's id (36 bytes): not its text.
    assert_eq!(heap(&app, "records' text"), 900 * 36, "built: {built}");
    assert!(built > 900 * 100, "built from SQLite, the text was on the heap: {built}");
    assert_eq!(heap(&app, "emails and phones"), 0, "the duplicate maps' bytes stay in the file too");
    assert_eq!(heap(&app, "postings' slots"), 0, "and every posting's slots and bitmaps");
    let mut edited = app.customers().list(&ListQuery { limit: 3, ..Default::default() }).rows;
    for (i, row) in edited.iter_mut().enumerate() {
        let mut input = app.customers().get(&row.id).unwrap().to_input();
        input.name = format!("澜沧江贸易{i}号");
        app.customers().update(&row.id, &input).unwrap();
    }
    let seen_now = seen(&app);
    let pairs_now = pairs(&app);
    for round in 0..2 {
        app.persist().unwrap();
        assert_eq!(seen(&app), seen_now, "after save {round} over the file it reads");
        let found: Vec<_> = app.customers().search("澜沧江贸易", None, 50).into_iter().map(|h| h.row.id).collect();
        assert!(edited.iter().all(|r| found.contains(&r.id)), "the edited names are found: {found:?}");
    }
    assert_eq!(pairs(&app), pairs_now);
    drop(app);
    let app = open(&path);
    assert_eq!(app.customers().index_origin(), IndexOrigin::Snapshot { caught_up: 0 });
    assert_eq!(seen(&app), seen_now);
    drop(app);
    assert_eq!(fresh(&path), seen_now, "what a fresh build shows");
}

/// A snapshot loaded and saved again before anyone looked for duplicates (the book moved on in
/// another module) writes the duplicate maps back as it read them: the next load still finds them.
#[test]
fn duplicate_maps_never_made_are_saved_again_as_they_were() {
    let (_dir, path) = demo_book(700);
    let app = open(&path);
    let truth = (seen(&app), pairs(&app));
    app.persist().unwrap();
    drop(app);
    for round in 0..2 {
        let app = open(&path);
        assert!(!app.customers().search("王", None, 5).is_empty());
        assert!(matches!(app.customers().index_origin(), IndexOrigin::Snapshot { .. }), "round {round}: loaded, not built");
        app.sales()
            .create_product(&satchel_core::sales::ProductInput {
                code: format!("P-{round}"),
                name_en: "Printer".into(),
                active: true,
                ..Default::default()
            })
            .unwrap();
        app.persist().unwrap();
        drop(app);
    }
    let app = open(&path);
    assert_eq!(app.customers().index_origin(), IndexOrigin::Snapshot { caught_up: 0 });
    assert_eq!((seen(&app), pairs(&app)), truth);
}

#[test]
fn changes_made_after_the_snapshot_are_caught_up_from_the_change_log() {
    let (_dir, path) = demo_book(800);
    let app = open(&path);
    app.customers().search("王", None, 5);
    app.persist().unwrap();
    drop(app);

    // Another session that never builds the index (a CLI sync, say): adds, edits, trashes,
    // renames a company (its people show the new name), and receives a laptop's new customer.
    let app = open(&path);
    let mut added = person("新来的王客户");
    added.emails = vec![point("Work", "xin@example.cn")];
    app.customers().create(&added).unwrap();
    let companies = app.store().read(|c| {
        let mut st = c.prepare("SELECT id FROM customers WHERE kind = 'company' AND EXISTS (SELECT 1 FROM customers p WHERE p.company_id = customers.id) ORDER BY id LIMIT 2")?;
        let ids = st.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }).unwrap();
    let co = satchel_core::ids::CustomerId(companies[0].clone());
    let mut renamed = app.customers().get(&co).unwrap().to_input();
    renamed.name = "王氏改名集团".into();
    app.customers().update(&co, &renamed).unwrap();
    app.customers().delete(&satchel_core::ids::CustomerId(companies[1].clone())).unwrap();
    let other = laptop("bo");
    other.app.customers().create(&company("远方来的欧阳公司")).unwrap();
    let changes = other.app.store().changes_since(0, 1_000_000).unwrap().into_iter().map(|(_, c)| c).collect::<Vec<_>>();
    app.apply_changes(&changes).unwrap();
    assert!(!app.customers().index_built());
    drop(app);

    let app = open(&path);
    let IndexOrigin::Snapshot { caught_up } = app.customers().index_origin() else { panic!("the snapshot should be used") };
    assert!(caught_up >= 4, "the added, renamed, trashed and received records were read again: {caught_up}");
    let now = seen(&app);
    assert!(now.iter().any(|l| l.contains("王氏改名集团")), "the renamed company's people show its new name");
    drop(app);
    assert_eq!(fresh(&path), now);
}

/// Each way a snapshot can be wrong: refused, rebuilt from SQLite, and written again whole.
#[test]
fn a_stale_or_damaged_snapshot_is_never_trusted() {
    let (_dir, path) = demo_book(600);
    let truth = fresh(&path);
    let app = open(&path);
    app.customers().search("王", None, 5);
    app.persist().unwrap();
    let store_records = app.customers().live_count();
    assert!(store_records > 0);
    drop(app);
    let good = std::fs::read(snapshot::path_for(&path)).unwrap();

    let write_with = |f: &dyn Fn(&Satchel) -> Option<Vec<u8>>| {
        let app = open(&path);
        if let Some(bytes) = f(&app) {
            drop(app);
            std::fs::write(snapshot::path_for(&path), bytes).unwrap();
        }
    };
    // A stamp written by hand over a real index (the decoder would accept the body).
    let stamped = |app: &Satchel, edit: &dyn Fn(&mut snapshot::Stamp), drop_one: bool| {
        let mut sources = repo::load_index_sources(app.store(), None).unwrap();
        if drop_one {
            sources.pop();
        }
        let ix = CustomerIndex::build(sources);
        let mut stamp = snapshot::current(app.store(), ix.len() as u64).unwrap();
        edit(&mut stamp);
        snapshot::save(app.store(), &ix, &stamp).unwrap();
        None
    };
    type Case<'a> = (&'a str, Box<dyn Fn(&Satchel) -> Option<Vec<u8>> + 'a>);
    let cases: Vec<Case> = vec![
        ("truncated", Box::new(|_: &Satchel| Some(good[..good.len() / 2].to_vec()))),
        (
            "a byte flipped",
            Box::new(|_: &Satchel| {
                let mut b = good.clone();
                let at = b.len() * 2 / 3;
                b[at] ^= 0x40;
                Some(b)
            }),
        ),
        ("not a snapshot at all", Box::new(|_: &Satchel| Some(b"hello".to_vec()))),
        (
            // The previous release's layout (format 2: a record's strings one by one), whole and
            // checksummed: refused as another version's, never read as this one's.
            "the previous release's format",
            Box::new(|_: &Satchel| {
                let mut b = good.clone();
                b[8..12].copy_from_slice(&2u32.to_le_bytes());
                let end = b.len() - 4;
                let crc = crc32fast::hash(&b[8..end]);
                b[end..].copy_from_slice(&crc.to_le_bytes());
                Some(b)
            }),
        ),
        ("empty", Box::new(|_: &Satchel| Some(Vec::new()))),
        ("an older version's", Box::new(|app: &Satchel| stamped(app, &|s| s.app = "0.0.9".into(), false))),
        ("an older schema's", Box::new(|app: &Satchel| stamped(app, &|s| s.schema -= 1, false))),
        ("another book's (restored)", Box::new(|app: &Satchel| stamped(app, &|s| s.site = "someone-else".into(), false))),
        ("another history's", Box::new(|app: &Satchel| stamped(app, &|s| s.hlc += 1, false))),
        ("a future the log never had", Box::new(|app: &Satchel| stamped(app, &|s| s.seq += 10, false))),
        ("one disagreeing with the database", Box::new(|app: &Satchel| stamped(app, &|_| {}, true))),
    ];
    for (what, make) in cases {
        write_with(make.as_ref());
        let app = open(&path);
        assert_eq!(app.customers().index_origin(), IndexOrigin::Built, "{what}: rebuilt, not trusted");
        assert_eq!(seen(&app), truth, "{what}: the user sees the book as it is");
        drop(app);
        // Rebuilt, it was written again whole: the next open loads it.
        let app = open(&path);
        assert_eq!(app.customers().index_origin(), IndexOrigin::Snapshot { caught_up: 0 }, "{what}: written again");
        drop(app);
    }
}
