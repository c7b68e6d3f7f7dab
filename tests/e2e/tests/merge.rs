//! Finding and merging a duplicate in the real window, then undoing the merge.

use satchel_e2e::{cli_binary, tid, Profile};
use std::process::Command;

#[tokio::test]
async fn a_duplicate_is_found_merged_field_by_field_and_the_merge_undone() {
    let profile = Profile::new();
    // Two records of one person, typed by two colleagues: same mobile written differently.
    let csv = profile.files().join("people.csv");
    std::fs::write(
        &csv,
        "name,phone,email,owner\n王小明,+86 138-0013-8000,wang@example.cn,李娜\n王晓明,13800138000,xiaoming@example.com,\n",
    )
    .unwrap();
    let status = Command::new(cli_binary()).arg("--db").arg(profile.db()).arg("import").arg(&csv).status().unwrap();
    assert!(status.success());

    let app = profile.launch().await;
    app.click("nav-duplicates").await;
    let pair = app.wait_text(&tid("duplicate-pair"), "王晓明").await;
    assert!(pair.contains("王小明"), "{pair}");
    app.click("duplicate-merge").await;
    app.wait_for(&tid("merge")).await;
    // Keep the first record but take the other's spelling of the name.
    app.click("merge-pick-name-other").await;
    let kept = app.text("merge-kept").await;
    assert!(kept.contains("xiaoming@example.com") && kept.contains("wang@example.cn"), "both emails are kept: {kept}");
    if let Some(dir) = std::env::var_os("SATCHEL_SHOTS") {
        app.screenshot(&std::path::Path::new(&dir).join("merge.png")).await;
    }
    app.click("merge-confirm").await;

    app.wait_text(&tid("detail-name"), "王晓明").await;
    app.wait_text(&tid("detail-emails"), "xiaoming@example.com").await;
    assert_eq!(app.text("detail-phones").await.matches("138").count(), 1, "the same number is not doubled");
    assert!(app.text("detail-owner").await.contains("李娜"), "the non-empty owner was kept");
    let hits = app.search("王").await;
    assert_eq!(hits.len(), 1, "one record left: {hits:?}");

    if let Some(dir) = std::env::var_os("SATCHEL_SHOTS") {
        app.screenshot(&std::path::Path::new(&dir).join("merged.png")).await;
    }
    app.click("merge-undo").await;
    app.wait_text(&tid("toast-message"), "undone").await;
    app.wait_text(&tid("detail-name"), "王小明").await;
    let hits = app.search("王").await;
    assert_eq!(hits.len(), 2, "both records are back: {hits:?}");
    app.quit().await;
}
