//! The README's screenshots, taken from the real window on 3,000 demo customers. Not part of the
//! normal run (it rewrites files in docs/); regenerate them with
//!
//! ```sh
//! cargo build -p satchel-desktop -p satchel-server -p satchel-cli
//! xvfb-run -a -s "-screen 0 1400x900x24" cargo test -p satchel-e2e --test screenshots -- --ignored
//! ```

use std::process::Command;

use satchel_e2e::{cli_binary, define_level_field, tid, workspace_root, App, Profile};

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

#[tokio::test]
#[ignore = "rewrites docs/screenshots/import*.png and merge.png; run by hand with --ignored"]
async fn capture_import_and_merge_screenshots() {
    let out = workspace_root().join("docs/screenshots");
    let profile = Profile::new();
    // A Chinese Excel sheet (GBK) with a column the app cannot guess and one bad email.
    let mut text = String::from("姓名,单位名称,联系方式,邮箱,标签\r\n");
    for i in 0..1000 {
        let email = if i == 41 { "wang@@example".to_string() } else { format!("p{i}@example.cn") };
        text.push_str(&format!("测试{i:04},示例公司{},1390000{i:04},{email},展会\r\n", i % 10));
    }
    let file = profile.files().join("客户名单.csv");
    std::fs::write(&file, encoding_rs::GBK.encode(&text).0.into_owned()).unwrap();
    let dupes = profile.files().join("dupes.csv");
    std::fs::write(&dupes, "name,phone,email,owner,stage\n王小明,+86 138-0013-8000,wang@example.cn,李娜,contacted\n王晓明,13800138000,xiaoming@example.com,,won\n")
        .unwrap();
    let status = Command::new(cli_binary()).arg("--db").arg(profile.db()).arg("import").arg(&dupes).status().unwrap();
    assert!(status.success());

    let app = profile.launch().await;
    app.click("import-button").await;
    let input = app.file_input("import-file-input").await;
    input.send_keys(file.display().to_string()).await.unwrap();
    app.wait_text(&tid("import-mapping"), "测试0000").await;
    app.choose("import-map-1", "company").await;
    app.choose("import-map-2", "phone").await;
    app.screenshot(&out.join("import.png")).await;
    app.click("import-check").await;
    app.wait_text(&tid("import-errors"), "43").await;
    app.script("document.querySelector('[data-testid=\"import-summary\"]').scrollIntoView({block: 'start'})").await;
    app.screenshot(&out.join("import-check.png")).await;

    app.click("nav-duplicates").await;
    app.click("duplicate-merge").await;
    app.wait_for(&tid("merge-confirm")).await;
    app.click("merge-pick-stage-other").await;
    app.screenshot(&out.join("merge.png")).await;
    app.quit().await;
    for name in ["import.png", "import-check.png", "merge.png"] {
        let size = std::fs::metadata(out.join(name)).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "{name} looks empty ({size} bytes)");
    }
}

#[tokio::test]
#[ignore = "rewrites docs/screenshots/segments.png and custom-fields.png; run by hand with --ignored"]
async fn capture_segments_and_custom_fields_screenshots() {
    let out = workspace_root().join("docs/screenshots");
    let profile = Profile::new();
    let status = Command::new(cli_binary()).arg("--db").arg(profile.db()).args(["demo-data", "--customers", "3000"]).status().unwrap();
    assert!(status.success());
    let app = profile.launch().await;
    settle_list(&app).await;

    // A choice field for companies and people.
    let field = define_level_field(&app, "both").await;

    // A person with the field and an attachment.
    app.click("nav-customers").await;
    app.click("new-person").await;
    app.fill("field-name", "王海示").await;
    app.choose("field-stage", "won").await;
    app.choose(&format!("field-custom-{field}"), "o1").await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), "王海示").await;
    let quote = profile.files().join("报价单-2026-11.pdf");
    std::fs::write(&quote, b"%PDF-1.4 quote").unwrap();
    let input = app.file_input("attachment-input").await;
    input.send_keys(quote.display().to_string()).await.unwrap();
    app.wait_text(&tid("attachment-row"), "报价单").await;
    app.screenshot(&out.join("custom-fields.png")).await;

    // Won customers not contacted for 30 days, saved as a segment, with the field as a column.
    app.click("nav-customers").await;
    app.choose("filter-stage", "won").await;
    app.choose("filter-inactive", "30").await;
    app.click("save-segment").await;
    app.fill("segment-name", "赢得 · 30 天未联系").await;
    app.click("segment-save").await;
    app.wait_text(&tid("segment-link"), "30").await;
    app.click("columns-button").await;
    app.click(&format!("column-toggle-{field}")).await;
    app.click("columns-button").await;
    settle_list(&app).await;
    app.screenshot(&out.join("segments.png")).await;
    app.quit().await;
}

#[tokio::test]
#[ignore = "rewrites docs/screenshots/*-1024x600.png and *-1366x768.png; run by hand with --ignored (Xvfb -screen 0 1400x900x24)"]
async fn capture_small_screen_screenshots() {
    let out = workspace_root().join("docs/screenshots");
    let profile = Profile::new();
    let status = Command::new(cli_binary()).arg("--db").arg(profile.db()).args(["demo-data", "--customers", "3000"]).status().unwrap();
    assert!(status.success());
    // A name and an email too long for any column, so the shots show them cut short.
    let csv = profile.files().join("long.csv");
    std::fs::write(
        &csv,
        "name,company,phone,email\n\
         欧阳晓梅 (Ouyang Xiaomei) – Purchasing Director East China Region,,+86 139 0000 1111,ouyang.xiaomei.purchasing-director@east-china-region.example.com\n",
    )
    .unwrap();
    assert!(Command::new(cli_binary()).arg("--db").arg(profile.db()).arg("import").arg(&csv).status().unwrap().success());

    let app = profile.launch().await;
    let shots = [("1024x600", 1024, 600), ("1366x768", 1366, 768)];
    for (name, width, height) in shots {
        app.resize(width, height).await;
        app.click("nav-customers").await;
        settle_list(&app).await;
        app.screenshot(&out.join(format!("list-{name}.png"))).await;
    }

    // The netbook's form refusing a save: the bad email scrolled up clear of the Save bar.
    app.resize(1024, 600).await;
    app.click("new-person").await;
    app.fill("field-name", "王海示").await;
    app.click("add-phone").await;
    app.fill("field-phones-0-value", "+86 138 0013 8000").await;
    app.click("add-email").await;
    app.fill("field-emails-0-value", "wang.haishi@example").await;
    app.script("document.querySelector('.page-body').scrollTop = 0").await;
    app.click("save").await;
    app.wait_text("[data-error-for=\"emails.0.value\"]", "not a valid email address").await;
    app.wait_until("the bad email to have focus", async || {
        Ok((app.script("return document.activeElement?.dataset.testid ?? null").await == "field-emails-0-value").then_some(()))
    })
    .await;
    app.screenshot(&out.join("form-error-1024x600.png")).await;
    app.quit().await;
    for name in ["list-1024x600.png", "list-1366x768.png", "form-error-1024x600.png"] {
        let size = std::fs::metadata(out.join(name)).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "{name} looks empty ({size} bytes)");
    }
}

#[tokio::test]
#[ignore = "rewrites docs/screenshots/backups.png; run by hand with --ignored"]
async fn capture_backup_screenshot() {
    let out = workspace_root().join("docs/screenshots");
    let profile = Profile::new();
    let status = Command::new(cli_binary()).arg("--db").arg(profile.db()).args(["demo-data", "--customers", "300"]).status().unwrap();
    assert!(status.success());
    let app = profile.launch().await;
    app.click("nav-settings").await;
    app.click("backup-now").await;
    app.wait_for(&tid("backup-made")).await;
    let section = app.wait_for(&tid("backup-section")).await;
    app.driver().execute("arguments[0].scrollIntoView({block: 'start'})", vec![section.to_json().unwrap()]).await.unwrap();
    app.screenshot(&out.join("backups.png")).await;
    app.quit().await;
}
