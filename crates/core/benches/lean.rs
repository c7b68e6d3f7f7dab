//! `cargo bench -p satchel-core --bench lean` (or `make bench`): lean mode, what a book too large
//! for the memory allowed costs. The demo book the app's budgets are measured on
//! (`DemoCounts::for_customers(BENCH_CUSTOMERS)`) opened with a 1 MB allowance, so neither index
//! is built and every answer reads the book from SQLite a slice at a time.
//!
//! Reports the process's peak resident set, then the time of: the list's first page (a pass over
//! the book to order it), a page further on (the order kept), a filtered list, a customer
//! search, and the global search over every module; each a few times.
//!
//! Environment: `BENCH_CUSTOMERS` (default 100000), `BENCH_ROUNDS` (default 3), `BENCH_BOOK` (an
//! existing demo book to copy instead of making one).

mod common;

use common::{env_usize, ms};
use satchel_core::budget::Limits;
use satchel_core::customers::{ListQuery, SortKey, Stage};
use std::time::{Duration, Instant};

/// The slowest and the median of `rounds` runs of `f`.
fn timed<T>(rounds: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut v: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    v.sort();
    (v[v.len() / 2], v[v.len() - 1])
}

fn main() {
    let customers = env_usize("BENCH_CUSTOMERS", 100_000);
    let rounds = env_usize("BENCH_ROUNDS", 3);
    let (dir, app) = common::demo_book(customers);
    let tiny = Limits { user: Some(1 << 20), ..Limits::default() };
    app.customers().set_memory_limits(tiny);
    app.set_search_memory_limits(tiny, 5_000);
    let before = common::status_mb("VmRSS:");

    let row = |label: &str, (p50, max): (Duration, Duration)| println!("| {label} | {:.0} ms | {:.0} ms |", ms(p50), ms(max));
    println!("| lean mode, {customers} customers ({rounds} rounds) | median | slowest |");
    println!("|---|---|---|");
    let t = Instant::now();
    let first = app.customers().list(&ListQuery { limit: 100, ..ListQuery::default() });
    println!("| the list's first page, ordered by a pass over the book | {:.0} ms | |", ms(t.elapsed()));
    assert_eq!(first.rows.len(), 100);
    let mut offset = 0;
    row(
        "a page further on (the order kept)",
        timed(rounds, || {
            offset += 5_000;
            app.customers().list(&ListQuery { offset, limit: 100, ..ListQuery::default() })
        }),
    );
    let mut n = 0;
    row(
        "a filtered list's first page (another order: a pass)",
        timed(rounds, || {
            n += 1;
            let stage = [Stage::Lead, Stage::Won, Stage::Contacted, Stage::Retained][n % 4];
            app.customers().list(&ListQuery { stage: Some(stage), sort: SortKey::Updated, limit: 100, ..ListQuery::default() })
        }),
    );
    for q in ["王", "example.cn", "上海 贸易"] {
        row(&format!("customer search “{q}”"), timed(rounds, || app.customers().search(q, None, 21)));
    }
    for q in ["王", "打印机", "Q-2026"] {
        row(&format!("global search “{q}” (every module)"), timed(rounds, || app.search_everything(q, 21).expect("search")));
    }
    println!(
        "\nresident: {:.0} MB before the questions, {:.0} MB after, peak {:.0} MB (the in-memory indexes would add about {:.0} MB)",
        before,
        common::status_mb("VmRSS:"),
        common::status_mb("VmHWM:"),
        (customers as f64 * 2400.0 + customers as f64 * 1.9 * 700.0) / 1048576.0
    );

    // What lean mode spares: the same book opened again with its indexes in memory, part by
    // part; built from SQLite, then as the next start loads them from their snapshots (what only
    // a change or a duplicate check reads is made on first need, not at load).
    drop(app);
    let path = dir.path().join("bench.db");
    let profile = satchel_core::store::Profile { author: "ana".into(), device: "bench".into() };
    for how in ["built from SQLite", "loaded from its snapshot"] {
        let app = satchel_core::Satchel::open(&path, profile.clone()).expect("open");
        for (index, parts) in [("customers", app.customers().index_footprint()), ("every other module's", app.search_index_footprint())] {
            let total: usize = parts.iter().map(|p| p.1).sum();
            println!("\n| the {index} index in memory, {how} | MB |\n|---|---|");
            for (part, bytes) in parts {
                println!("| {part} | {:.1} |", bytes as f64 / 1048576.0);
            }
            println!("| **total** | **{:.1}** |", total as f64 / 1048576.0);
        }
        app.persist().expect("keep the snapshots");
    }
}
