//! Render timings, warm fonts: `cargo bench -p satchel-print --bench render`.
//! A plain binary (no criterion): prints the one-time font parse and median/p95 per document.

#[path = "../tests/sample/mod.rs"]
mod sample;

use std::time::{Duration, Instant};

fn stats(mut d: Vec<Duration>) -> (Duration, Duration) {
    d.sort();
    let p95 = d[((d.len() * 95).div_ceil(100)).saturating_sub(1)];
    (d[d.len() / 2], p95)
}

fn main() {
    let t = Instant::now();
    satchel_print::preload_fonts().expect("fonts");
    println!("font parse (once per process, both faces): {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    let runs = 50;
    for (name, rows, logo) in [("20-line quote", 20, false), ("20-line quote + PNG logo", 20, true), ("200-line quote", 200, false)] {
        let mut doc = sample::sample(rows);
        if logo {
            doc.letterhead.logo = Some(sample::logo_png());
        }
        let bytes = satchel_print::render(&doc).expect("render"); // warm-up
        let times: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(satchel_print::render(std::hint::black_box(&doc)).expect("render"));
                t.elapsed()
            })
            .collect();
        let (median, p95) = stats(times);
        println!(
            "{name}: median {:.2} ms, p95 {:.2} ms over {runs} runs ({} KB)",
            median.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            bytes.len() / 1024
        );
    }
}
