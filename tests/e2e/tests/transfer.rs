//! Import and export in the real window: a Chinese Excel file (GBK) of 1,000 people with a column
//! the app cannot guess, mapped by hand, checked, imported with progress; then the list exported
//! as vCard into the Downloads folder.

use satchel_e2e::{tid, Profile};
use std::time::Duration;

/// 1,000 people at ten companies; "联系方式" (contact) is not a header the app knows, so the user
/// maps it to Phone. Row 501 has a broken email: it is listed and skipped, not imported.
fn gbk_csv() -> Vec<u8> {
    let mut text = String::from("姓名,单位名称,联系方式,邮箱,标签\r\n");
    for i in 0..1000 {
        let email = if i == 499 { "not-an-email".to_string() } else { format!("p{i}@example.cn") };
        text.push_str(&format!("测试{i:04},示例公司{},1390000{i:04},{email},导入\r\n", i % 10));
    }
    encoding_rs::GBK.encode(&text).0.into_owned()
}

#[tokio::test]
async fn a_gbk_spreadsheet_is_mapped_checked_imported_and_the_list_exported_as_vcard() {
    let profile = Profile::new();
    let file = profile.files().join("客户名单.csv");
    std::fs::write(&file, gbk_csv()).unwrap();
    let app = profile.launch().await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;

    app.click("import-button").await;
    let input = app.file_input("import-file-input").await;
    input.send_keys(file.display().to_string()).await.expect("choose the file");
    app.wait_for(&tid("import-preview")).await;
    assert_eq!(app.value("import-encoding").await, "gbk", "Chinese Excel's encoding is detected");
    app.wait_text(&tid("import-mapping"), "测试0000").await;
    assert_eq!(app.value("import-map-0").await, "name");
    assert_eq!(app.value("import-map-1").await, "ignore", "单位名称 is not a header the app knows");
    app.choose("import-map-1", "company").await;
    app.choose("import-map-2", "phone").await;

    app.click("import-check").await;
    let summary = app.wait_text(&tid("import-summary"), "1,009").await;
    assert!(summary.contains("10"), "ten new companies are announced: {summary}");
    let errors = app.wait_text(&tid("import-errors"), "501").await;
    if let Some(dir) = std::env::var_os("SATCHEL_SHOTS") {
        app.screenshot(&std::path::Path::new(&dir).join("import-check.png")).await;
    }
    assert!(errors.contains("not-an-email") || errors.contains("Email"), "the refused row names its problem: {errors}");

    app.click("import-confirm").await;
    let done = app
        .wait_until_within("the import to finish", Duration::from_secs(60), async || {
            Ok(app.shown(&tid("import-done")).await?.first().cloned())
        })
        .await;
    let done = done.text().await.unwrap();
    if let Some(dir) = std::env::var_os("SATCHEL_SHOTS") {
        app.screenshot(&std::path::Path::new(&dir).join("import-done.png")).await;
    }
    assert!(done.contains("1,009") && done.contains("1"), "new and skipped counts: {done}");

    let hits = app.search("测试0777").await;
    assert!(hits.iter().any(|h| h.contains("测试0777") && h.contains("示例公司7")), "found with its company: {hits:?}");

    // Export the whole list as vCard 4.0 into Downloads.
    app.click("nav-customers").await;
    app.click("export-button").await;
    app.click("export-format-vcard4").await;
    let toast = app.wait_text(&tid("toast-message"), "Exported").await;
    assert!(toast.contains("1,009") || toast.contains("1009"), "{toast}");
    let exported: Vec<_> = std::fs::read_dir(profile.downloads()).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(exported.len(), 1, "{exported:?}");
    let vcf = std::fs::read_to_string(&exported[0]).unwrap();
    assert_eq!(vcf.matches("BEGIN:VCARD").count(), 1009);
    assert!(vcf.contains("FN:测试0777") && vcf.contains("ORG:示例公司7"));
    app.quit().await;
}

/// 100,000 rows: the progress bar moves while the rows are written, Cancel stops it, and the
/// database is as it was (the list still says there are no customers).
#[tokio::test]
async fn a_large_import_shows_progress_and_cancel_leaves_nothing_behind() {
    let profile = Profile::new();
    let file = profile.files().join("big.csv");
    let mut text = String::from("name,email,company\n");
    for i in 0..100_000 {
        text.push_str(&format!("Person {i},p{i}@example.com,Firma {}\n", i % 500));
    }
    std::fs::write(&file, text).unwrap();
    let app = profile.launch().await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;
    app.click("import-button").await;
    let input = app.file_input("import-file-input").await;
    input.send_keys(file.display().to_string()).await.unwrap();
    app.wait_text(&tid("import-rows"), "100,000").await;
    app.click("import-check").await;
    app.wait_until_within("the check of 100,000 rows", Duration::from_secs(60), async || {
        Ok(app.shown(&tid("import-confirm")).await?.first().cloned())
    })
    .await;
    app.click("import-confirm").await;
    let progress = app.wait_for(&tid("import-progress")).await;
    let moved = app
        .wait_until_within("the progress bar to move", Duration::from_secs(60), async || {
            let v: f64 = progress.attr("value").await?.and_then(|v| v.parse().ok()).unwrap_or(0.0);
            Ok((v > 0.0).then_some(v))
        })
        .await;
    assert!(moved < 100_500.0, "{moved}");
    if let Some(dir) = std::env::var_os("SATCHEL_SHOTS") {
        app.screenshot(&std::path::Path::new(&dir).join("import-progress.png")).await;
    }
    app.click("import-cancel").await;
    let cancelled = app
        .wait_until_within("the cancel to land", Duration::from_secs(60), async || {
            Ok(app.shown(&tid("import-cancelled")).await?.first().cloned())
        })
        .await;
    assert!(cancelled.text().await.unwrap().contains("nothing was changed"));
    app.click("nav-customers").await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;
    app.quit().await;
}
