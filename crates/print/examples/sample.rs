//! Writes the sample quote to a PDF to look at: `cargo run -p satchel-print --example sample --
//! /tmp/quote.pdf [rows] [logo]`.

#[path = "../tests/sample/mod.rs"]
mod sample;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "quote.pdf".into());
    let rows = args.next().and_then(|n| n.parse().ok()).unwrap_or(8);
    let mut doc = sample::sample(rows);
    if args.next().is_some() {
        doc.letterhead.logo = Some(sample::logo_png());
    }
    let bytes = satchel_print::render(&doc)?;
    std::fs::write(&out, &bytes)?;
    println!("{out}: {} bytes", bytes.len());
    Ok(())
}
