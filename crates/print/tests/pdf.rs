//! The PDF as a user gets it, checked with poppler's tools (poppler-utils): text is really
//! there and extractable, fonts are embedded and subset, pages break where they should.

use std::path::{Path, PathBuf};
use std::process::Command;

mod sample;

use sample::{logo_png, sample};
use satchel_print::{logo_ok, render, Align, Column, Document, PrintError, Section};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .args(if name == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) must be installed: {e}"));
    assert!(out.status.success(), "{name} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// pdftotext -layout pads columns with runs of spaces; compare with single spaces.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[], pdf);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).expect("pdfinfo Pages")
}

#[test]
fn a_bilingual_quote_has_all_its_text_and_subset_embedded_fonts() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = sample(4);
    doc.letterhead.logo = Some(logo_png());
    let bytes = render(&doc).unwrap();
    let pdf = write(dir.path(), "quote.pdf", &bytes);

    let text = squash(&tool("pdftotext", &["-layout"], &pdf));
    for want in [
        "Quote 报价单",
        "Q-2026-A0042",
        "上海示例贸易有限公司 / Shanghai Example",
        "北京远景科技有限公司",
        "办公椅 Office chair, ergonomic, black mesh",
        "Standing desk 升降桌 160 x 80 cm",
        "Monitor arm 显示器支架",
        "安装及配送（上海市内）",
        "5,120.00",
        "2,394.00",
        "Subtotal 小计",
        "15,214.00",
        "-760.70",
        "Total 合计 (CNY)",
        "¥16,332.23",
        "价格含上海市内配送及安装。",
        "Deposit 预付款 30%",
        "11,432.56",
        "Customer 客户",
        "Seller 卖方",
        "Page 1 of 1",
    ] {
        assert!(text.contains(want), "{want:?} missing from the PDF text:\n{text}");
    }

    let fonts = tool("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "regular and bold:\n{fonts}");
    for row in rows {
        // name type encoding emb sub uni object ID — the yes/no columns come after the encoding.
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert!(cols[0].contains("+NotoSansCJKsc"), "{row}");
        assert_eq!((cols[n - 5], cols[n - 4], cols[n - 3]), ("yes", "yes", "yes"), "emb/sub/uni: {row}");
    }
    // The logo is there, at its own pixel size, with its transparency as a soft mask.
    let list = tool("pdfimages", &["-list"], &pdf);
    assert!(list.lines().any(|l| l.split_whitespace().take(5).collect::<Vec<_>>() == ["1", "0", "image", "240", "96"]), "{list}");
    assert!(list.contains("smask"), "{list}");
}

#[test]
fn a_long_table_breaks_across_pages_with_its_header_and_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = render(&sample(200)).unwrap();
    let pdf = write(dir.path(), "long.pdf", &bytes);
    let pages = page_count(&pdf);
    assert!(pages >= 4, "{pages} pages");
    let mut rows_seen = 0;
    for n in 1..=pages {
        let page = n.to_string();
        let text = squash(&tool("pdftotext", &["-layout", "-f", &page, "-l", &page], &pdf));
        assert!(text.contains(&format!("Page {n} of {pages}")), "page {n} label:\n{text}");
        let rows = text.matches("Monitor arm 显示器支架").count();
        if rows > 0 {
            assert!(text.contains("Description 描述") && text.contains("Unit price 单价"), "page {n} lacks the table header");
        }
        rows_seen += rows;
    }
    assert_eq!(rows_seen, 50, "each of the 200 rows printed once (a quarter are monitor arms)");
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let mut doc = sample(30);
    doc.letterhead.logo = Some(logo_png());
    let a = render(&doc).unwrap();
    let b = render(&doc).unwrap();
    assert!(a == b, "two renders differ");
    doc.number = "Q-2026-A0043".into();
    assert_ne!(render(&doc).unwrap(), a);
}

#[test]
fn a_bad_logo_is_refused() {
    assert!(!logo_ok(b"not an image"));
    assert!(!logo_ok(b""));
    assert!(!logo_ok(b"\x89PNG\r\n\x1a\n truncated"));
    assert!(logo_ok(&logo_png()));
    // A GIF decodes fine in general, but only PNG and JPEG are promised.
    assert!(!logo_ok(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"));
    let mut doc = sample(2);
    doc.letterhead.logo = Some(b"not an image".to_vec());
    assert!(matches!(render(&doc), Err(PrintError::BadLogo(_))));
}

#[test]
fn a_jpeg_logo_is_placed() {
    let jpeg = include_bytes!("fixtures/logo.jpg"); // 120 x 60, made with ImageMagick
    assert!(logo_ok(jpeg));
    let mut doc = sample(2);
    doc.letterhead.logo = Some(jpeg.to_vec());
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "jpeg.pdf", &render(&doc).unwrap());
    let list = tool("pdfimages", &["-list"], &pdf);
    assert!(list.lines().any(|l| l.split_whitespace().take(5).collect::<Vec<_>>() == ["1", "0", "image", "120", "60"]), "{list}");
}

#[test]
fn a_twenty_line_quote_is_small() {
    let bytes = render(&sample(20)).unwrap();
    assert!(bytes.len() <= 100 * 1024, "{} bytes", bytes.len());
    println!("20-line quote: {} bytes", bytes.len());
}

#[test]
fn odd_input_renders_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let empty = render(&Document::default()).unwrap();
    assert_eq!(page_count(&write(dir.path(), "empty.pdf", &empty)), 1);

    let mut doc = sample(3);
    let note = "这是一段很长的备注，用于测试换行和分页。This is a long note to test wrapping. ".repeat(300);
    doc.sections.push(Section { heading: "Terms 条款".into(), body: note, table: None });
    doc.table.rows.push(vec!["4".into(), "x".repeat(5000)]);
    doc.table.columns.push(Column { header: String::new(), weight: 0, align: Align::Right });
    doc.created = "not a date".into();
    doc.page_label = "第 {page} 页，共 {pages} 页".into();
    doc.meta.push(("Emoji".into(), "🙂 \u{7} tab\there".into()));
    let bytes = render(&doc).unwrap();
    let pdf = write(dir.path(), "odd.pdf", &bytes);
    let pages = page_count(&pdf);
    assert!(pages >= 3, "{pages}");
    let last = squash(&tool("pdftotext", &["-layout", "-f", &pages.to_string(), "-l", &pages.to_string()], &pdf));
    assert!(last.contains(&format!("第 {pages} 页，共 {pages} 页")), "{last}");
}
