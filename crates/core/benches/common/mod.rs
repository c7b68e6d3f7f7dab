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
