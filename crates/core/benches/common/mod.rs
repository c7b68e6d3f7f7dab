//! What every core benchmark needs: its sizes from the environment, and p50/p95 timing of a
//! call over many runs. Included by each bench with `mod common;` (not a bench of its own).
#![allow(dead_code)] // each bench uses a part

use std::time::{Duration, Instant};

/// A size from the environment (`BENCH_TICKETS=1000`), or its default.
pub fn env_usize(key: &str, default: usize) -> usize {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The median and the 95th percentile.
pub fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[(v.len() * 95 / 100).min(v.len() - 1)])
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50 and p95 of `f` over `runs` runs, after one run to warm the statement cache and SQLite's
/// pages.
pub fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    f();
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f());
        v.push(t.elapsed());
    }
    percentiles(v)
}

/// A field of this process's `/proc/self/status` in MB (`"VmRSS:"` the resident set, `"VmHWM:"`
/// its peak).
pub fn status_mb(field: &str) -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok()).unwrap_or(0.0)
        / 1024.0
}

/// The demo book the app's budgets are measured on, for `customers` customers and the other
/// modules' records in proportion, in a temp dir (kept while the `TempDir` lives): a copy of
/// `BENCH_BOOK` when that names one, else made now. Opened as `ana`.
pub fn demo_book(customers: usize) -> (tempfile::TempDir, satchel_core::Satchel) {
    use satchel_core::demo::{fill, DemoCounts};
    use satchel_core::store::Profile;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.db");
    let profile = Profile { author: "ana".into(), device: "bench".into() };
    if let Ok(book) = std::env::var("BENCH_BOOK") {
        std::fs::copy(&book, &path).expect("copy BENCH_BOOK");
    } else {
        let app = satchel_core::Satchel::open(&path, profile.clone()).expect("open");
        let t = Instant::now();
        fill(&app, &DemoCounts::for_customers(customers), 42, chrono::Utc::now().date_naive()).expect("demo data");
        println!("demo book for {customers} customers made in {:.1} s", t.elapsed().as_secs_f64());
    }
    let app = satchel_core::Satchel::open(&path, profile).expect("open");
    (dir, app)
}
