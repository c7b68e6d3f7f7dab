//! `cargo bench -p satchel-core --bench store` (or `make bench`): the figures in
//! docs/benchmarks.md, measured on generated data at realistic scale.
//!
//! A bench binary rather than criterion: the questions are percentiles over many different
//! queries (p50/p95 of search and list pages) and one-shot costs (bulk write, index build), which
//! criterion's repeated-single-input model does not answer directly.
//!
//! Environment: `BENCH_CUSTOMERS` (default 100000), `BENCH_QUERIES` (default 500).

mod common;

use common::env_usize;
use satchel_core::customers::{repo, CustomerInput, CustomerKind, ListQuery, SortKey, Stage};
use satchel_core::demo::{demo_input, Rng};
use satchel_core::ids::{ContactPointId, CustomerId};
use satchel_core::store::{Profile, Store};
use satchel_core::Satchel;
use std::time::{Duration, Instant};

fn profile() -> Profile {
    Profile { author: "bench".into(), device: "bench".into() }
}

/// The same deterministic inputs `satchel demo-data` writes: one company per eight records.
fn inputs(n: usize, seed: u64) -> Vec<(bool, Option<usize>, CustomerInput)> {
    let mut r = Rng::new(seed);
    let placeholder = CustomerId::new();
    let mut company: Option<usize> = None;
    (0..n)
        .map(|i| {
            let as_company = i % 8 == 0;
            let belongs = !as_company && r.chance(70) && company.is_some();
            let input = demo_input(&mut r, belongs.then_some((&placeholder, true)), as_company);
            let link = if belongs { company } else { None };
            if as_company {
                company = Some(i);
            }
            (as_company, link, input)
        })
        .collect()
}

/// Writes the page cache's dirty pages to disk, so a timed phase does not pay for the writeback
/// of the one before it (which moved single-save ratios by a third between runs).
fn settle() {
    let _ = std::process::Command::new("sync").status();
}

/// Bytes this process has handed to write(2) so far (`wchar` in /proc/self/io): what the WAL,
/// its checkpoints and the database file cost, whatever the disk then makes of it.
fn written_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("wchar: ").and_then(|v| v.trim().parse().ok())))
        .unwrap_or(0)
}

/// The write path's side of a paired run: the app's store, and the ids it gave so far (a person
/// names the company created before it).
struct WriteSide {
    store: Store,
    ids: Vec<CustomerId>,
}

impl WriteSide {
    fn open(path: &std::path::Path) -> Self {
        Self { store: Store::open(path, profile()).unwrap(), ids: Vec::new() }
    }

    /// Writes `rows` through the write path, `per_tx` customers per transaction; the time taken.
    fn write(&mut self, rows: &mut [(bool, Option<usize>, CustomerInput)], per_tx: usize) -> Duration {
        let ids = &mut self.ids;
        let start = Instant::now();
        for chunk in rows.chunks_mut(per_tx) {
            self.store
                .write(|w| {
                    // Many customers per write is a bulk load, which says so as an import does
                    // (single saves, one per write, note their rows for the modules).
                    if per_tx > 1 {
                        w.bulk();
                    }
                    for (_, link, input) in chunk.iter_mut() {
                        input.company_id = link.map(|i| ids[i].clone());
                        // Handed over as the app's command hands over the form it decoded.
                        let form = std::mem::replace(input, CustomerInput::named(CustomerKind::Person, ""));
                        ids.push(repo::create_owned_in(w, form)?);
                    }
                    Ok(())
                })
                .unwrap();
        }
        start.elapsed()
    }
}

/// The same rows with plain prepared INSERTs: no validation, no change log, no clocks.
struct PlainSide {
    conn: rusqlite::Connection,
    ids: Vec<String>,
}

impl PlainSide {
    fn open(path: &std::path::Path) -> Self {
        drop(Store::open(path, profile()).unwrap()); // same schema, same indexes
        let c = rusqlite::Connection::open(path).unwrap();
        // A plain insert done well: statements prepared once, as the write path's are.
        c.set_prepared_statement_cache_capacity(64);
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        c.pragma_update(None, "synchronous", "NORMAL").unwrap();
        if std::env::var("BENCH_PLAIN_CACHE").is_ok() {
            c.pragma_update(None, "cache_size", satchel_core::store::WRITE_CACHE_KIB).unwrap();
        }
        Self { conn: c, ids: Vec::new() }
    }

    fn write(&mut self, rows: &[(bool, Option<usize>, CustomerInput)], per_tx: usize) -> Duration {
        let ids = &mut self.ids;
        let start = Instant::now();
        for chunk in rows.chunks(per_tx) {
            let tx = self.conn.transaction().unwrap();
            {
                let mut cust = tx
                    .prepare_cached("INSERT INTO customers (id, kind, name, company_id, owner, stage, source, notes, birthday, updated_ms) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)")
                    .unwrap();
                let mut phone = tx
                    .prepare_cached("INSERT INTO customer_phones (id, customer_id, label, value, position) VALUES (?1,?2,?3,?4,?5)")
                    .unwrap();
                let mut email = tx
                    .prepare_cached("INSERT INTO customer_emails (id, customer_id, label, value, position) VALUES (?1,?2,?3,?4,?5)")
                    .unwrap();
                let mut addr = tx
                    .prepare_cached("INSERT INTO customer_addresses (id, customer_id, label, street, city, region, postal_code, country, position) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)")
                    .unwrap();
                let mut tag = tx.prepare_cached("INSERT INTO customer_tags (id, customer_id, tag) VALUES (?1,?2,?3)").unwrap();
                for (_, link, v) in chunk {
                    let id = CustomerId::new().0;
                    let company = link.map(|i| ids[i].clone());
                    cust.execute(rusqlite::params![
                        id,
                        v.kind.as_str(),
                        v.name,
                        company,
                        v.owner,
                        v.stage.as_str(),
                        v.source,
                        v.notes,
                        v.birthday,
                        0
                    ])
                    .unwrap();
                    for (i, p) in v.phones.iter().enumerate() {
                        phone.execute(rusqlite::params![ContactPointId::new().0, id, p.label, p.value, i as i64]).unwrap();
                    }
                    for (i, p) in v.emails.iter().enumerate() {
                        email.execute(rusqlite::params![ContactPointId::new().0, id, p.label, p.value, i as i64]).unwrap();
                    }
                    for (i, a) in v.addresses.iter().enumerate() {
                        addr.execute(rusqlite::params![
                            ContactPointId::new().0,
                            id,
                            a.label,
                            a.street,
                            a.city,
                            a.region,
                            a.postal_code,
                            a.country,
                            i as i64
                        ])
                        .unwrap();
                    }
                    let mut seen: Vec<&String> = vec![];
                    for t in &v.tags {
                        if !seen.contains(&t) {
                            seen.push(t);
                            tag.execute(rusqlite::params![ContactPointId::new().0, id, t]).unwrap();
                        }
                    }
                    ids.push(id);
                }
            }
            tx.commit().unwrap();
        }
        start.elapsed()
    }
}

/// One paired run: the same rows through a plain insert and through the write path, on fresh
/// files, returning (plain time, write path time, plain bytes, write path bytes, the write
/// side's store).
///
/// `turn`: the sides take turns every `turn` customers (which goes first alternates too), so both
/// meet the same moments of the disk and of the VM. That is only sound while both databases fit
/// their page caches: this SQLite is built with SQLITE_ENABLE_MEMORY_MANAGEMENT, so every
/// connection in the process draws on one page-cache LRU, and a larger database's turn evicts the
/// other side's pages (taking turns every 1,000-customer transaction on 100,000 customers, the
/// write path spent a quarter of its time re-reading pages, and the ratio read 2.0–2.3x).
/// `turn >= rows.len()` runs one side after the other, `plain_first` deciding the order.
fn paired(
    dir: &std::path::Path,
    tag: &str,
    rows: &[(bool, Option<usize>, CustomerInput)],
    per_tx: usize,
    turn: usize,
    plain_first: bool,
) -> (Duration, Duration, u64, u64, Store) {
    let mut plain = PlainSide::open(&dir.join(format!("plain-{tag}.db")));
    let mut write = WriteSide::open(&dir.join(format!("{tag}.db")));
    // The forms exist before the clock starts, as they do for the plain insert (in the app they
    // arrive over IPC, already owned), and are freed after it stops.
    let mut forms = rows.to_vec();
    let (mut tp, mut tw, mut bp, mut bw) = (Duration::ZERO, Duration::ZERO, 0u64, 0u64);
    let whole = turn >= rows.len();
    for (k, start) in (0..rows.len()).step_by(turn).enumerate() {
        let end = (start + turn).min(rows.len());
        let plain_goes_first = if whole { plain_first } else { k % 2 == 1 };
        for side in if plain_goes_first { [true, false] } else { [false, true] } {
            if whole {
                // Run whole, a side must not pay for the writeback of the one before it (that
                // moved single-save ratios by a third between runs).
                settle();
            }
            let before = written_bytes();
            if side {
                tp += plain.write(&rows[start..end], per_tx);
                bp += written_bytes() - before;
            } else {
                tw += write.write(&mut forms[start..end], per_tx);
                bw += written_bytes() - before;
            }
        }
    }
    drop(forms);
    (tp, tw, bp, bw, write.store)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn summary(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "n={} p50={:.3} ms p95={:.3} ms p99={:.3} ms max={:.3} ms",
        v.len(),
        ms(percentile(&v, 0.5)),
        ms(percentile(&v, 0.95)),
        ms(percentile(&v, 0.99)),
        ms(*v.last().unwrap())
    )
}

/// Queries people type: 1-2 character Chinese, name fragments, English prefixes, emails, phones.
fn queries(app: &Satchel, n: usize, seed: u64) -> Vec<String> {
    let sample = app.customers().list(&ListQuery { limit: 1000, sort: SortKey::Updated, ..Default::default() }).rows;
    let mut r = Rng::new(seed);
    let fixed = [
        "王",
        "李",
        "海",
        "海示",
        "有限公司",
        "上海",
        "贸易",
        "示例贸易",
        "科技",
        "wang",
        "li",
        "smith",
        "acme",
        "example.cn",
        "138",
        "+86 138",
        "VIP",
        "重点客户",
    ];
    (0..n)
        .map(|i| {
            if i % 3 == 0 {
                return fixed[r.below(fixed.len())].to_string();
            }
            let row = &sample[r.below(sample.len())];
            let source: String = match r.below(4) {
                0 | 1 => row.name.clone(),
                2 => row.email.clone().unwrap_or_default(),
                _ => row.phone.clone().unwrap_or_default().chars().filter(char::is_ascii_digit).collect(),
            };
            let chars: Vec<char> = source.chars().collect();
            if chars.is_empty() {
                return "王".into();
            }
            let len = 1 + r.below(6.min(chars.len()));
            let start = r.below(chars.len() - len + 1);
            chars[start..start + len].iter().collect()
        })
        .collect()
}

fn main() {
    // `cargo bench` passes --bench; nothing else to parse.
    let n = env_usize("BENCH_CUSTOMERS", 100_000);
    let q = env_usize("BENCH_QUERIES", 500);
    let dir = tempfile::tempdir().unwrap();
    println!("# satchel-core bench: {n} customers, {q} queries");
    if std::env::var("BENCH_ONLY").as_deref() == Ok("transfer") {
        return transfer(n, dir.path());
    }

    let rows = inputs(n, 42);
    let children: usize = rows.iter().map(|(_, _, v)| v.phones.len() + v.emails.len() + v.addresses.len() + v.tags.len()).sum();
    println!("rows: {n} customers + {children} phones/emails/addresses/tags");

    let only_saves = std::env::var("BENCH_ONLY").as_deref() == Ok("saves");
    // Bulk: 1,000 customers per transaction, as demo data and imports write. Whole runs of each
    // side, taking turns which goes first, on fresh files; the median of 5 (one pair moved by
    // ±25 % between runs on this VM: the disk's, not the code's; they cannot take turns in
    // smaller steps, see `paired`). The last run's database serves the read benchmarks after.
    // Files stay until the end: deleting them made the filesystem discard their blocks while the
    // next run was being timed.
    let bulk_rows = if only_saves { &rows[..1000] } else { &rows[..] };
    let mut bulk = Vec::new();
    let mut log_rows = 0i64;
    let mut bytes = (0u64, 0u64);
    const BULK_RUNS: usize = 5;
    for run in 0..BULK_RUNS {
        let tag = if run == BULK_RUNS - 1 { "satchel".to_string() } else { format!("bulk-{run}") };
        let (plain, written, bp, bw, store) = paired(dir.path(), &tag, bulk_rows, 1000, usize::MAX, run % 2 == 0);
        bytes = (bp, bw);
        log_rows = store.read(|c| Ok(c.query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))?)).unwrap();
        bulk.push((written.as_secs_f64() / plain.as_secs_f64(), plain, written));
    }
    bulk.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (ratio, plain, written) = bulk[bulk.len() / 2];
    println!("bulk, 1000 customers per transaction (median of {} runs of each side):", bulk.len());
    println!("  plain rusqlite insert: {:.2} s", plain.as_secs_f64());
    println!(
        "  write path (validate + change log + clocks): {:.2} s, {log_rows} log entries (one per new customer: its values are in the rows)",
        written.as_secs_f64()
    );
    println!(
        "  bytes written (write(2), last run): plain {:.0} MB, write path {:.0} MB ({:.2}x)",
        bytes.0 as f64 / 1e6,
        bytes.1 as f64 / 1e6,
        bytes.1 as f64 / bytes.0.max(1) as f64
    );
    println!(
        "  write path / plain insert: {ratio:.2}x (runs: {})",
        bulk.iter().map(|r| format!("{:.2} ({:.2} s / {:.2} s)", r.0, r.2.as_secs_f64(), r.1.as_secs_f64())).collect::<Vec<_>>().join(", ")
    );

    // Interactive: one customer per transaction, as each save in the app is written; the two
    // sides take turns every 10 saves (both databases fit their caches). Median of 3 paired runs.
    let few = &rows[..rows.len().min(3000)];
    let mut ratios = Vec::new();
    for run in 0..3 {
        let (plain, written, _, _, store) = paired(dir.path(), &format!("single-{run}"), few, 1, 10, true);
        drop(store);
        ratios.push((written.as_secs_f64() / plain.as_secs_f64(), plain, written));
    }
    ratios.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (ratio, plain, written) = ratios[ratios.len() / 2];
    println!("one customer per transaction ({} saves, median of {} paired runs, taking turns every 10 saves):", few.len(), ratios.len());
    println!("  plain rusqlite insert: {:.2} s, write path: {:.2} s", plain.as_secs_f64(), written.as_secs_f64());
    println!(
        "  write path / plain insert: {ratio:.2}x (runs: {})",
        ratios.iter().map(|r| format!("{:.2}", r.0)).collect::<Vec<_>>().join(", ")
    );
    if std::env::var("BENCH_ONLY").is_ok_and(|v| v == "write" || v == "saves") {
        return;
    }

    {
        let store = Store::open(dir.path().join("satchel.db"), profile()).unwrap();
        let t = Instant::now();
        let sources = repo::load_index_sources(&store, None).unwrap();
        let load = t.elapsed();
        let t = Instant::now();
        let ix = satchel_core::customers::index::CustomerIndex::build(sources);
        println!("index: load from SQLite {:.2} s, build {:.2} s ({} records)", load.as_secs_f64(), t.elapsed().as_secs_f64(), ix.len());
    }
    let start = Instant::now();
    let app = Satchel::open(dir.path().join("satchel.db"), profile()).unwrap();
    app.load_modules().unwrap();
    println!("open + index build: {:.2} s", start.elapsed().as_secs_f64());
    // The next start: the index from its snapshot (issue 18), written as the window closes.
    let t = Instant::now();
    app.persist().unwrap();
    let bytes =
        std::fs::metadata(satchel_core::customers::snapshot::path_for(&dir.path().join("satchel.db"))).map(|m| m.len()).unwrap_or(0);
    println!("index snapshot written: {:.2} s, {:.0} MB", t.elapsed().as_secs_f64(), bytes as f64 / 1e6);
    drop(app);
    let start = Instant::now();
    let app = Satchel::open(dir.path().join("satchel.db"), profile()).unwrap();
    app.load_modules().unwrap();
    println!("open + index from its snapshot: {:.2} s ({:?})", start.elapsed().as_secs_f64(), app.customers().index_origin());

    let qs = queries(&app, q, 7);
    let mut times = Vec::with_capacity(qs.len());
    let mut empty = 0;
    let mut slowest = Vec::new();
    for text in &qs {
        let t = Instant::now();
        let hits = app.customers().search(text, None, 20);
        let took = t.elapsed();
        times.push(took);
        slowest.push((took, text.clone(), hits.first().map(|h| h.matched)));
        empty += hits.is_empty() as usize;
    }
    println!("search (top 20): {} ({} of {} queries found nothing)", summary(times), empty, qs.len());
    slowest.sort_by(|a, b| b.0.cmp(&a.0));
    slowest.dedup_by(|a, b| a.1 == b.1);
    let worst: Vec<String> = slowest.iter().take(6).map(|(d, q, m)| format!("{q:?} {:.2} ms ({m:?})", d.as_secs_f64() * 1000.0)).collect();
    println!("  slowest: {}", worst.join(", "));

    // Several words across fields, as people narrow a common surname: its first character and a
    // piece of the company's name or of the phone ("王 上海", "张 13800").
    let sample = app.customers().list(&ListQuery { limit: 1000, sort: SortKey::Updated, ..Default::default() }).rows;
    let mut r = Rng::new(13);
    let mut times = Vec::with_capacity(q);
    let mut empty = 0;
    for _ in 0..q {
        let row = &sample[r.below(sample.len())];
        let first: String = row.name.chars().take(1).collect();
        let company: Vec<char> = row.company_name.clone().unwrap_or_default().chars().collect();
        let second: String = match (company.len() >= 2, r.chance(50)) {
            (true, true) => {
                let at = r.below(company.len() - 1);
                company[at..at + 2].iter().collect()
            }
            _ => row.phone.clone().unwrap_or_default().chars().filter(char::is_ascii_digit).skip(3).take(5).collect(),
        };
        let text = format!("{first} {second}");
        let t = Instant::now();
        let hits = app.customers().search(&text, None, 20);
        times.push(t.elapsed());
        empty += hits.is_empty() as usize;
    }
    println!("search, two words across fields (top 20): {} ({} of {} found nothing)", summary(times), empty, q);

    // List pages: random filters, sorts and offsets, as a scrolling, filtering user makes them.
    let mut r = Rng::new(11);
    let facets = app.customers().facets();
    let sorts = [SortKey::Name, SortKey::Company, SortKey::Stage, SortKey::Owner, SortKey::Updated];
    for s in sorts {
        app.customers().list(&ListQuery { sort: s, ..Default::default() }); // warm each sort order
    }
    let mut times = Vec::new();
    for _ in 0..q {
        let query = ListQuery {
            sort: sorts[r.below(sorts.len())],
            descending: r.chance(50),
            stage: r.chance(30).then(|| Stage::ALL[r.below(6)]),
            tag: r.chance(20).then(|| facets.tags[r.below(facets.tags.len())].clone()),
            owner: r.chance(20).then(|| facets.owners[r.below(facets.owners.len())].clone()),
            kind: r.chance(20).then_some(CustomerKind::Person),
            custom: vec![],
            inactive_days: None,
            trash: false,
            offset: r.below(n) as u32,
            limit: 100,
        };
        let t = Instant::now();
        let page = app.customers().list(&query);
        times.push(t.elapsed());
        assert!(page.rows.len() <= 100);
    }
    println!("list page (100 rows, random filter/sort/offset): {}", summary(times));

    // The first list after an edit re-sorts: measure that hitch too.
    let mut times = Vec::new();
    let some = app.customers().list(&ListQuery { limit: 20, ..Default::default() }).rows;
    for row in some.iter().take(20) {
        let c = app.customers().get(&row.id).unwrap();
        let mut input = c.to_input();
        input.notes.push('.');
        let t = Instant::now();
        app.customers().update(&row.id, &input).unwrap();
        let edit = t.elapsed();
        let t = Instant::now();
        app.customers().list(&ListQuery::default());
        times.push(t.elapsed());
        let _ = edit;
    }
    println!("first list page after an edit (re-sort): {}", summary(times));

    let mut edits = Vec::new();
    for row in some.iter().take(20) {
        let c = app.customers().get(&row.id).unwrap();
        let mut input = c.to_input();
        input.stage = Stage::Won;
        let t = Instant::now();
        app.customers().update(&row.id, &input).unwrap();
        edits.push(t.elapsed());
    }
    println!("edit one customer (write + index refresh): {}", summary(edits));

    let t = Instant::now();
    let pairs = app.customers().duplicate_pairs(10_000);
    println!(
        "duplicate scan over {n} customers: {:.1} ms, {} pairs (demo data repeats names and phones by design)",
        t.elapsed().as_secs_f64() * 1000.0,
        pairs.len()
    );

    // A customer with 10,000 timeline entries: 9,000 activities and 1,000 saved edits.
    use satchel_core::customers::activities::{ActivityInput, ActivityKind};
    let busy = app.customers().create(&satchel_core::customers::CustomerInput::named(CustomerKind::Person, "忙碌的客户")).unwrap();
    for i in 0..9000u32 {
        let call = ActivityInput {
            kind: ActivityKind::ALL[i as usize % 5],
            occurred_at: format!("2025-{:02}-{:02}T{:02}:{:02}:00Z", 1 + i % 12, 1 + i % 28, i % 24, i % 60),
            duration_minutes: Some((i % 90) as i32),
            outcome: format!("第 {i} 次跟进"),
            body: "讨论了报价和交货期。".into(),
        };
        app.customers().log_activity(&busy.id, &call).unwrap();
    }
    for i in 0..1000 {
        let mut input = app.customers().get(&busy.id).unwrap().to_input();
        input.notes = format!("edit {i}");
        app.customers().update(&busy.id, &input).unwrap();
    }
    let mut pages = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let page = app.customers().timeline(&busy.id, None, 50).unwrap();
        pages.push(t.elapsed());
        assert_eq!(page.items.len(), 50);
    }
    println!("timeline first page (50 items) of a record with 10,000 entries: {}", summary(pages));
}

/// Export and import at scale: demo customers out to CSV and vCard, into an empty database, and
/// back over themselves (the spreadsheet round trip, where every row is an update).
fn transfer(n: usize, dir: &std::path::Path) {
    use satchel_core::customers::transfer::{ExportFormat, ImportFile};
    use satchel_core::i18n::Locale;
    use std::sync::atomic::AtomicBool;
    let source = Satchel::open(dir.join("source.db"), profile()).unwrap();
    satchel_core::demo::generate(source.store(), n, 42).unwrap();
    source.reload().unwrap();
    let formats: &[ExportFormat] =
        if std::env::var("BENCH_QUICK").is_ok() { &[ExportFormat::Csv] } else { &[ExportFormat::Csv, ExportFormat::Vcard4] };
    for &format in formats {
        let t = Instant::now();
        let (bytes, count) = source.customers().export(&ListQuery::default(), format).unwrap();
        let export = t.elapsed();
        println!("export {count} customers as {format:?}: {:.2} s, {:.1} MB", export.as_secs_f64(), bytes.len() as f64 / 1e6);
        let path = dir.join(format!("export.{}", format.extension()));
        std::fs::write(&path, &bytes).unwrap();

        let target = Satchel::open(dir.join(format!("target-{format:?}.db")), profile()).unwrap();
        for round in ["into an empty database", "again over the same records (all updates, nothing changed)"] {
            let t = Instant::now();
            let file = ImportFile::open(&path, None, None, Locale::En).unwrap();
            let read = t.elapsed();
            let t = Instant::now();
            let plan = target.customers().import_check(&file, None).unwrap();
            let check = t.elapsed();
            // What `Satchel::import_commit` does, in its two parts, to show where the time goes.
            let t = Instant::now();
            let summary = target.customers().import_commit(&plan, &AtomicBool::new(false), &mut |_, _| {}).unwrap();
            let commit = t.elapsed();
            let t = Instant::now();
            target.checkpoint().unwrap();
            let checkpoint = t.elapsed();
            assert_eq!(summary.created + summary.updated, count);
            println!(
                "import {format:?} {round}: {:.2} s total (read + parse {:.2} s, check {:.2} s, write + index {:.2} s); {} new, {} updated; then the WAL checkpoint the app runs in the background {:.2} s",
                (read + check + commit).as_secs_f64(),
                read.as_secs_f64(),
                check.as_secs_f64(),
                commit.as_secs_f64(),
                summary.created,
                summary.updated,
                checkpoint.as_secs_f64()
            );
        }
    }
}
