//! `cargo bench -p satchel-core --bench search` (or `make bench`): the global search box's one
//! call, `Satchel::search_everything`, over the demo book the app's budgets are measured on
//! (`demo::fill` with `DemoCounts::for_customers(BENCH_CUSTOMERS)`: 100,000 customers, 10,000
//! deals, 20,000 quotes, 100,000 events, 50,000 tickets, 10,000 articles), for docs/benchmarks.md.
//!
//! Reports the time to build the records' index, the memory it takes (the process's resident set
//! before and after), then p50/p95/p99/max of the whole call (customers and every other module,
//! 21 asked per module as the window asks) over the queries a salesperson types: one- and
//! two-character Chinese, names, places, pinyin, English words, email and phone fragments, each
//! also as typed, character by character (every prefix is a keystroke's question).
//!
//! Environment: `BENCH_CUSTOMERS` (default 100000), `BENCH_ROUNDS` (default 5), `BENCH_BOOK` (an
//! existing demo book to copy instead of making one).

mod common;

use common::{env_usize, ms};
use std::time::{Duration, Instant};

const QUERIES: &[&str] = &[
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "海燕",
    "欧阳",
    "司马",
    "秀英",
    "上海",
    "北京",
    "贸易",
    "科技",
    "wang",
    "li na",
    "zhang",
    "chen",
    "example",
    "example.cn",
    "138",
    "1380",
    "gmail",
    "acme",
    "trading",
    "王伟",
    "李娜",
    "张敏",
    "有限公司",
    "广州",
    "ltd",
    "sales",
    "vip",
    "华东",
    "深圳",
    "刘洋",
    "jie",
    "ming",
    "打印机",
    "卡纸",
    "Q-2026",
    "T-2026-00",
    "投影",
    "review",
    "产品演示",
    "合同",
    "monitor flickers",
];

fn main() {
    let customers = env_usize("BENCH_CUSTOMERS", 100_000);
    let rounds = env_usize("BENCH_ROUNDS", 5);
    let (_dir, app) = common::demo_book(customers);
    let before = common::status_mb("VmRSS:");
    let t = Instant::now();
    app.customers().search("warm", None, 1);
    let customers_ms = t.elapsed();
    let mid = common::status_mb("VmRSS:");
    let t = Instant::now();
    app.load_search().expect("build the records' index");
    let records_ms = t.elapsed();
    let after = common::status_mb("VmRSS:");
    if let Some((records, bytes, grams, postings)) = app.search_stats() {
        println!(
            "records' index: {records} records, {:.1} MB of text, {grams} distinct grams, {postings} posting entries ({:.1} MB as u32)",
            bytes as f64 / 1e6,
            postings as f64 * 4.0 / 1e6
        );
    }
    println!("customer index ready in {:.2} s (+{:.0} MB resident)", customers_ms.as_secs_f64(), mid - before);
    println!(
        "records' index (deals, quotes, contracts, tickets, articles, events) built in {:.2} s (+{:.0} MB resident)",
        records_ms.as_secs_f64(),
        after - mid
    );

    // Every query whole and as typed: each prefix is one keystroke's question.
    let mut asked: Vec<String> = Vec::new();
    for q in QUERIES {
        let chars: Vec<char> = q.chars().collect();
        for n in 1..=chars.len() {
            let p: String = chars[..n].iter().collect();
            if !p.trim().is_empty() {
                asked.push(p);
            }
        }
    }
    for q in &asked {
        std::hint::black_box(app.search_everything(q, 21).expect("search"));
    }
    let mut times: Vec<(Duration, &str)> = Vec::new();
    for _ in 0..rounds {
        for q in &asked {
            let t = Instant::now();
            std::hint::black_box(app.search_everything(q, 21).expect("search"));
            times.push((t.elapsed(), q));
        }
    }
    times.sort();
    let at = |p: f64| ms(times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1].0);
    println!(
        "search_everything, 21 per module, {} questions ({} keystrokes x {rounds} rounds): p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        times.len(),
        asked.len(),
        at(0.5),
        at(0.95),
        at(0.99),
        at(1.0)
    );
    let slow: Vec<String> = times.iter().rev().take(8).map(|(d, q)| format!("{q:?} {:.2} ms", ms(*d))).collect();
    println!("slowest: {}", slow.join(", "));

    // Where the slowest questions spend their time: the customers' index or the records' (the
    // whole call less the customers'), each the median of its rounds, so the next pass knows which to work on.
    let mut split: Vec<(f64, f64, &str)> = Vec::new();
    for q in &asked {
        let (mut c, mut r) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            std::hint::black_box(app.customers().search(q, None, 21));
            c.push(ms(t.elapsed()));
            let t = Instant::now();
            std::hint::black_box(app.search_everything(q, 21).expect("search"));
            // The whole call less the customers' part: the records' share.
            r.push((ms(t.elapsed()) - c[c.len() - 1]).max(0.0));
        }
        let med = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        split.push((med(&mut c), med(&mut r), q));
    }
    split.sort_by(|a, b| (b.0 + b.1).total_cmp(&(a.0 + a.1)));
    let worst: Vec<String> = split.iter().take(12).map(|(c, r, q)| format!("{q:?} {c:.2}+{r:.2}")).collect();
    println!("slowest questions, median ms customers+records: {}", worst.join(", "));
}
