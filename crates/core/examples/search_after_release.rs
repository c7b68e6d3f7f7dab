//! `cargo run --release -p satchel-core --example search_after_release -- <book>`: what the global
//! search costs when the app has just handed the mapped snapshots' pages back (after any quiet
//! spell, `Store::release_mapped`), against the same searches warm. Open a book that has its
//! snapshots (one the window or `satchel search` closed once), such as the demo book.
use satchel_core::store::Profile;
use std::time::Instant;

const QUERIES: [&str; 12] = ["王", "海燕", "example.cn", "wang", "138", "打印机", "vip", "li na", "有限公司", "zhang", "网络", "T-2026"];

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: search_after_release <book>");
        std::process::exit(2);
    };
    let app = satchel_core::Satchel::open(std::path::Path::new(&path), Profile { author: "ana".into(), device: "bench".into() })
        .expect("open the book");
    app.load_search().expect("the global search's index");
    for handed_back in [false, true] {
        let mut times = Vec::new();
        for round in 0..6 {
            for q in QUERIES {
                if handed_back {
                    app.store().release_mapped();
                }
                let t = Instant::now();
                std::hint::black_box(app.search_everything(q, 20).expect("search"));
                // The first round of the warm run maps the pages in: not counted.
                if handed_back || round > 0 {
                    times.push(t.elapsed().as_secs_f64() * 1e3);
                }
            }
        }
        times.sort_by(f64::total_cmp);
        let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
        let what = if handed_back { "the pages handed back before each search" } else { "warm" };
        println!("| {what} | {} | {:.2} ms | {:.2} ms | {:.2} ms |", times.len(), at(50), at(95), at(100));
    }
}
