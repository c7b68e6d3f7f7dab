//! `cargo bench -p satchel-core --bench sales` (or `make bench`): the pipeline's board and the
//! weighted forecast over a book of 10,000 deals, and a quote's save and read with its totals,
//! for docs/benchmarks.md.
//!
//! Measures the core calls the sales pages make (`Sales::board`, `Sales::forecast`,
//! `Sales::deals`), each over many runs (p50/p95), on deals of 20 owners in every stage, in CNY,
//! USD and EUR, closing over 18 months.
//!
//! Environment: `BENCH_DEALS` (default 10000), `BENCH_RUNS` (default 200).

mod common;

use common::{env_usize, ms, time};
use satchel_core::demo::Rng;
use satchel_core::sales::opportunities::{self, DealFilter};
use satchel_core::sales::{OpportunityInput, QuoteInput, QuoteLineInput};
use satchel_core::store::Profile;
use satchel_core::Satchel;
use std::time::Instant;

fn main() {
    let deals = env_usize("BENCH_DEALS", 10_000);
    let runs = env_usize("BENCH_RUNS", 200);
    let dir = tempfile::tempdir().expect("tempdir");
    let app = Satchel::open(dir.path().join("bench.db"), Profile { author: "seller00".into(), device: "bench".into() }).expect("open");
    let sales = app.sales();
    let settings = sales.settings().expect("settings");
    let mut r = Rng::new(7);
    let start = Instant::now();
    app.store()
        .write(|w| {
            w.bulk();
            let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
            for i in 0..deals {
                let stage = &settings.stages[r.below(settings.stages.len())];
                let input = OpportunityInput {
                    title: format!("Deal {i} 商机"),
                    stage: stage.id.clone(),
                    amount: format!("{}.{:02}", 1000 + r.below(500_000), r.below(100)),
                    currency: ["CNY", "CNY", "CNY", "USD", "EUR"][r.below(5)].into(),
                    expected_close: (today + chrono::Duration::days(r.below(540) as i64)).format("%Y-%m-%d").to_string(),
                    lost_reason: if stage.id == "lost" { settings.lost_reasons[0].clone() } else { String::new() },
                    owner: format!("seller{:02}", i % 20),
                    ..Default::default()
                };
                let clean = opportunities::clean(&input, &settings, "seller00")?;
                opportunities::insert_in(w, &clean, today)?;
            }
            Ok(())
        })
        .expect("deals");
    app.reload().expect("reload");
    println!("{deals} deals written in {:.1} s", start.elapsed().as_secs_f64());

    let all = DealFilter::default();
    let mine = DealFilter { owners: vec!["seller03".into()], ..Default::default() };
    let (p50, p95) = time(runs, || sales.settings().expect("settings"));
    println!("(settings read: p50 {:.2} ms, p95 {:.2} ms)", ms(p50), ms(p95));
    let (p50, p95) = time(runs, || app.store().read(|c| opportunities::deals_in(c, &settings, &all)).expect("deals"));
    println!("(deals read from SQLite: p50 {:.2} ms, p95 {:.2} ms)", ms(p50), ms(p95));
    let (p50, p95) = time(runs, || sales.board(&all, 50).expect("board"));
    println!("board, every deal ({deals}), 50 cards a column: p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95));
    let (p50, p95) = time(runs, || sales.board(&mine, 50).expect("board"));
    println!("board, one owner's deals: p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95));
    let (p50, p95) = time(runs, || sales.forecast(&all).expect("forecast"));
    println!("forecast, every deal: p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95));
    let (p50, p95) = time(runs, || sales.deals(&DealFilter { query: "99".into(), ..Default::default() }, 500).expect("deals"));
    println!("list, text filter, first 500: p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95));

    // A 20-line quote: saved (checked, numbered, written) and read back with its totals.
    let customer = app
        .customers()
        .create(satchel_core::customers::CustomerInput::named(satchel_core::customers::CustomerKind::Company, "上海示例贸易有限公司"))
        .expect("customer");
    let lines: Vec<QuoteLineInput> = (0..20)
        .map(|i| QuoteLineInput {
            description: format!("办公椅 Office chair {i}"),
            quantity: format!("{}", 1 + i % 7),
            unit: "把".into(),
            unit_price: format!("{}.{:02}", 100 + i * 37, i),
            discount_percent: if i % 3 == 0 { "5".into() } else { "0".into() },
            tax_percent: if i % 4 == 0 { "6".into() } else { "13".into() },
            ..Default::default()
        })
        .collect();
    let input = QuoteInput { customer_id: Some(customer.id), currency: "CNY".into(), lines, ..Default::default() };
    let quote_runs = runs.min(100);
    let (p50, p95) = time(quote_runs, || sales.create_quote(&input).expect("quote"));
    println!("save a 20-line quote: p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95));
    let q = sales.create_quote(&input).expect("quote");
    let (p50, p95) = time(runs, || sales.get_quote(&q.id).expect("quote"));
    println!("read a 20-line quote with its totals: p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95));
    let (p50, p95) = time(runs, || sales.preview_quote(&input).expect("preview"));
    println!("price a 20-line form (preview): p50 {:.3} ms, p95 {:.3} ms", ms(p50), ms(p95));
}
