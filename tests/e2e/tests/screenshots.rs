//! The README's screenshots, taken from the real window on 3,000 demo customers. Not part of the
//! normal run (it rewrites files in docs/); regenerate them with
//!
//! ```sh
//! cargo build -p satchel-desktop -p satchel-cli
//! xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p satchel-e2e --test screenshots -- --ignored
//! ```

use std::process::Command;

use satchel_e2e::{cli_binary, tid, workspace_root, App, Profile};

/// Lets the list finish painting its rows (no grey placeholders) before the picture is taken.
async fn settle_list(app: &App) {
    app.wait_until("the list rows to be painted", async || {
        let rows = app.shown(&tid("customer-row")).await?.len();
        let placeholders = app.shown(&tid("customer-row-placeholder")).await?.len();
        Ok((rows >= 15 && placeholders == 0).then_some(()))
    })
    .await;
}

#[tokio::test]
#[ignore = "rewrites docs/screenshots/*.png; run by hand with --ignored"]
async fn capture_readme_screenshots() {
    let out = workspace_root().join("docs/screenshots");
    let profile = Profile::new();
    let cli = cli_binary();
    let status = Command::new(&cli)
        .arg("--db")
        .arg(profile.db())
        .args(["demo-data", "--customers", "3000"])
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", cli.display()));
    assert!(status.success(), "demo-data failed: {status}");

    let app = profile.launch().await;

    // The list.
    assert_eq!(app.text("customer-count").await, "3,000 customers");
    settle_list(&app).await;
    app.screenshot(&out.join("list.png")).await;

    // The form refusing an email, with the message under the input.
    app.click("new-person").await;
    app.fill("field-name", "王海示").await;
    app.fill("field-company", "华信物流").await;
    app.click_text(&tid("company-option"), "华信物流").await;
    app.wait_text(&tid("customer-form"), "Linked").await;
    app.fill("field-owner", "李娜").await;
    app.fill("field-source", "展会").await;
    app.click("add-phone").await;
    app.fill("field-phones-0-value", "+86 138 0013 8000").await;
    app.click("add-email").await;
    app.fill("field-emails-0-value", "wang.haishi@example").await;
    app.click("save").await;
    app.wait_text("[data-error-for=\"emails.0.value\"]", "not a valid email address").await;
    app.screenshot(&out.join("form-error.png")).await;

    // Fixed and saved, then edited once, so the history shows a change and not only "Created".
    app.fill("field-emails-0-value", "wang.haishi@example.cn").await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), "王海示").await;
    app.click("edit").await;
    app.wait_until("the edit form to load", async || Ok((app.value("field-name").await == "王海示").then_some(()))).await;
    app.choose("field-stage", "contacted").await;
    app.fill("field-owner", "陈晓").await;
    app.click("save").await;
    app.wait_text(&tid("detail-owner"), "陈晓").await;
    app.wait_count(&tid("history-entry"), 2).await;
    app.screenshot(&out.join("detail.png")).await;

    // The Chinese UI, on the list (with the person just added).
    app.choose("lang-switch", "zh-CN").await;
    app.click("nav-customers").await;
    assert_eq!(app.text("customer-count").await, "3,001 位客户");
    settle_list(&app).await;
    app.screenshot(&out.join("zh.png")).await;

    // Find duplicates over the demo data (back in English).
    app.choose("lang-switch", "en").await;
    app.click("nav-duplicates").await;
    app.wait_for(&tid("duplicate-pair")).await;
    app.screenshot(&out.join("duplicates.png")).await;

    app.quit().await;
    for name in ["list.png", "detail.png", "form-error.png", "zh.png", "duplicates.png"] {
        let size = std::fs::metadata(out.join(name)).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "{name} looks empty ({size} bytes)");
    }
}

#[tokio::test]
#[ignore = "rewrites docs/screenshots/duplicate-warning.png; run by hand with --ignored"]
async fn capture_duplicate_warning_screenshot() {
    let out = workspace_root().join("docs/screenshots/duplicate-warning.png");
    let profile = Profile::new();
    let app = profile.launch().await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;

    // A company and a person there with a phone and an email.
    app.click("new-company").await;
    app.fill("field-name", "上海示例贸易有限公司").await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), "上海示例贸易有限公司").await;
    app.click("new-person").await;
    app.fill("field-name", "王海示").await;
    app.fill("field-company", "示例贸易").await;
    app.click_text(&tid("company-option"), "上海示例贸易有限公司").await;
    app.wait_text(&tid("customer-form"), "Linked").await;
    app.click("add-phone").await;
    app.fill("field-phones-0-value", "+86 138-0013-8000").await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), "王海示").await;

    // A new person typed with the same phone, the number written another way.
    app.click("new-person").await;
    app.fill("field-name", "王先生").await;
    app.click("add-phone").await;
    app.fill("field-phones-0-value", "13800138000").await;
    app.wait_text(&tid("duplicate-hint"), "王海示").await;
    app.screenshot(&out).await;
    app.quit().await;
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10_000, "duplicate-warning.png looks empty ({size} bytes)");
}
