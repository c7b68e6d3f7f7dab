//! The service module in the real window, in Chinese: an article written in the knowledge base,
//! a ticket opened from a customer's page (the article offered as its subject is typed), its SLA
//! badge running in the queue, then breached by moving the app's test clock two hours ahead:
//! the desktop scheduler's notification arrives on the app's session bus and the queue shows
//! the breach; the article linked, a reply, resolved, closed with a rating, read back by the CLI.
//! And Settings -> Service (hours, holidays by hand and from an .ics file, SLA targets, each
//! refusal next to its field in Chinese), bulk assign and a refused bulk close, a saved queue,
//! and a new ticket from the palette on a customer's page.

use satchel_e2e::{cli_binary, tid, App, Profile};
use std::process::Command;
use thirtyfour::prelude::*;

fn shot(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("SATCHEL_SHOTS").map(|d| std::path::Path::new(&d).join(name))
}

fn cli(profile: &Profile, args: &[&str]) -> String {
    let out = Command::new(cli_binary()).arg("--db").arg(profile.db()).args(args).output().expect("run the CLI");
    assert!(out.status.success(), "satchel {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

async fn fill_name(app: &App, name: &str, text: &str) {
    let css = format!("[name=\"{name}\"]");
    let el = app.wait_for(&css).await;
    app.fill_element(&el, &css, text).await;
}

async fn data(app: &App, css: &str, key: &str) -> String {
    let v = app.script(&format!("const e = document.querySelector('{css}'); return e ? (e.dataset.{key} || '') : ''")).await;
    v.as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_ticket_from_a_customers_page_breaches_notifies_and_closes_with_a_rating_in_chinese() {
    let profile = Profile::new().with_test_clock();
    let csv = profile.files().join("people.csv");
    std::fs::write(&csv, "name,email\n王小明,wang@example.cn\n").unwrap();
    cli(&profile, &["import", csv.to_str().unwrap()]);
    // Every hour of every day is business time, so the test reads the same at any hour; urgent
    // tickets are answered within one hour.
    cli(
        &profile,
        &[
            "service",
            "hours",
            "set",
            "--days",
            "mon,tue,wed,thu,fri,sat,sun",
            "--open",
            "00:00",
            "--close",
            "23:59",
            "--tz",
            "Asia/Shanghai",
        ],
    );
    cli(&profile, &["service", "sla", "set", "urgent", "--first-response", "1h", "--resolution", "8h"]);

    let mut app = profile.launch().await;
    let notes = profile.files().join("notify.log");
    let dunst = app.watch_notifications(&notes, &profile.files().join("dunst.log"));
    app.choose("lang-switch", "zh-CN").await;
    app.wait_text(&tid("nav-service"), "工单").await;

    // The knowledge base has the answer already.
    app.click("nav-articles").await;
    app.click_css("[data-action=\"new-article\"]").await;
    fill_name(&app, "title", "打印机卡纸怎么办").await;
    fill_name(&app, "solution", "关机后打开后盖，取出卡纸").await;
    fill_name(&app, "tags", "打印机, 卡纸").await;
    app.click_css("[data-action=\"save-article\"]").await;
    app.wait_text(".page-title", "打印机卡纸怎么办").await;
    // Its "saved" toast sits over the bottom right, where a customer page's buttons may be.
    app.click_css("[data-testid=\"toast\"] button.btn-ghost").await;
    app.wait_gone(&tid("toast")).await;

    // A ticket from the customer's page: the customer is filled in; the article is offered.
    app.click("nav-customers").await;
    app.click_text(&tid("customer-row"), "王小明").await;
    // The page's sections fill in as their records arrive, moving the ones below: wait until
    // the attachments above the tickets section have settled, or the click lands where the
    // button was a moment before.
    app.wait_for("[data-testid=\"attachments\"][aria-busy=\"false\"]").await;
    app.wait_text(&tid("customer-calendar"), "没有安排").await;
    app.click("customer-new-ticket").await;
    app.wait_text(&tid("ticket-customer-name"), "王小明").await;
    app.fill("ticket-subject", "打印机又卡纸了").await;
    app.wait_text(&tid("ticket-suggestion"), "打印机卡纸怎么办").await;
    app.choose("ticket-priority-select", "urgent").await;
    app.click_css("[data-action=\"save-ticket\"]").await;
    app.wait_for(&tid("ticket-page")).await;
    let number = data(&app, "[data-testid=\"ticket-page\"]", "number").await;
    assert!(number.starts_with("T-"), "a numbered ticket: {number:?}");
    app.wait_text(&tid("sla-standing"), "剩余").await;

    // The queue's badge runs: about an hour left.
    app.click("nav-service").await;
    let row = format!("[data-testid=\"ticket-row\"][data-number=\"{number}\"]");
    app.wait_for(&row).await;
    assert_eq!(data(&app, &row, "badge").await, "running");
    let badge = app.wait_text(&format!("{row} [data-testid=\"sla-badge\"]"), "剩余").await;
    assert!(badge.contains('m') || badge.contains('h'), "{badge}");
    if let Some(p) = shot("service-queue.png") {
        app.screenshot(&p).await;
    }

    // Two hours later by the app's clock: breached. The scheduler tells the assignee (nobody is
    // assigned and no manager is set, so this laptop's user) once, in Chinese.
    profile.move_clock(2 * 3600);
    let arrived = app
        .wait_until_within("the breach notification on the session bus", std::time::Duration::from_secs(60), async || {
            let text = std::fs::read_to_string(&notes).unwrap_or_default();
            Ok(text.contains("已超时").then_some(text))
        })
        .await;
    assert!(arrived.contains(&number) && arrived.contains("打印机又卡纸了"), "{arrived}");
    assert!(arrived.contains("string \"Satchel\""), "sent by Satchel: {arrived}");
    if dunst {
        if let Some(p) = shot("service-notification.png") {
            std::thread::sleep(std::time::Duration::from_millis(500));
            let _ = Command::new("import").args(["-window", "root"]).arg(&p).status();
        }
    }
    app.click("queue-breached").await;
    app.wait_until("the breached queue to show the ticket", async || Ok((data(&app, &row, "badge").await == "breached").then_some(())))
        .await;
    app.wait_text(&format!("{row} [data-testid=\"sla-badge\"]"), "已超时").await;
    if let Some(p) = shot("service-breached.png") {
        app.screenshot(&p).await;
    }

    // On the ticket: link the suggested article, reply, resolve, close with a rating.
    app.click_css(&format!("{row} [data-testid=\"ticket-open\"]")).await;
    app.wait_for(&tid("ticket-page")).await;
    app.click("link-suggested").await;
    app.wait_text(&tid("linked-article"), "打印机卡纸怎么办").await;
    app.fill("comment-body", "您好，请按文章步骤取出卡纸。").await;
    app.click_css("[data-action=\"add-comment\"]").await;
    app.wait_text(&tid("ticket-comment"), "请按文章步骤").await;
    // Answered two hours in by the app's clock: the first response was missed.
    app.wait_until("the first response missed", async || {
        Ok((data(&app, "[data-testid=\"sla-standing\"]", "state").await == "missed").then_some(()))
    })
    .await;
    app.click_css("[data-action=\"move-resolved\"]").await;
    app.wait_until("the ticket resolved", async || {
        Ok((data(&app, "[data-testid=\"ticket-page\"]", "status").await == "resolved").then_some(()))
    })
    .await;
    app.click_css("[data-action=\"move-closed\"]").await;
    app.click("rating-5").await;
    app.fill("rating-comment", "很快就解决了").await;
    if let Some(p) = shot("service-close.png") {
        app.screenshot(&p).await;
    }
    app.click_css("[data-action=\"confirm-close\"]").await;
    app.wait_until("the ticket closed", async || {
        Ok((data(&app, "[data-testid=\"ticket-page\"]", "status").await == "closed").then_some(()))
    })
    .await;
    assert_eq!(data(&app, "[data-testid=\"ticket-rating\"]", "rating").await, "5");
    if let Some(p) = shot("service-ticket.png") {
        app.screenshot(&p).await;
    }

    // The breach was told once, though the scheduler looked again every two seconds since.
    let told = std::fs::read_to_string(&notes).unwrap_or_default();
    assert_eq!(told.matches("已超时：打印机又卡纸了").count(), 1, "{told}");

    // What the window did is in the book: the CLI reads it back once the window is closed (one
    // Satchel at a time on a book).
    app.quit().await;
    let shown: serde_json::Value = serde_json::from_str(&cli(&profile, &["ticket", "show", &number, "--json"])).expect("json");
    assert_eq!(
        (shown["status"].as_str(), shown["priority"].as_str(), shown["rating"].as_u64()),
        (Some("closed"), Some("urgent"), Some(5)),
        "{shown}"
    );
}

/// Sets a time or date input as a user's picker would: the value, then `input`.
async fn set_value(app: &App, id: &str, value: &str) {
    app.script(&format!(
        "const el = document.querySelector('[data-testid=\"{id}\"]');
         const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
         set.call(el, {value:?}); el.dispatchEvent(new Event('input', {{ bubbles: true }}));
         return el.value"
    ))
    .await;
}

async fn rows(app: &App) -> Vec<(String, String)> {
    let v = app
        .script("return [...document.querySelectorAll('[data-testid=\"ticket-row\"]')].map(r => [r.dataset.number, r.querySelector('td:nth-child(7)').innerText])")
        .await;
    serde_json::from_value(v).unwrap_or_default()
}

#[tokio::test]
async fn service_settings_bulk_changes_a_saved_queue_and_the_palette_in_chinese() {
    let profile = Profile::new();
    let csv = profile.files().join("people.csv");
    std::fs::write(&csv, "name,email\n王小明,wang@example.cn\n李雷,li@example.cn\n").unwrap();
    cli(&profile, &["import", csv.to_str().unwrap()]);
    let first =
        cli(&profile, &["ticket", "new", "--customer", "王小明", "--subject", "打印机卡纸", "--priority", "urgent"]).trim().to_string();
    let second =
        cli(&profile, &["ticket", "new", "--customer", "李雷", "--subject", "发票抬头错了", "--priority", "normal"]).trim().to_string();
    let ics = profile.files().join("holidays.ics");
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//holidays//CN\r\n\
         BEGIN:VEVENT\r\nUID:nd@cn\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261004\r\nSUMMARY:国庆节\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:bb@cn\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261010\r\nSUMMARY:国庆节补班\r\nEND:VEVENT\r\n\
         END:VCALENDAR\r\n",
    )
    .unwrap();

    let app = profile.launch().await;
    app.choose("lang-switch", "zh-CN").await;
    app.click("nav-settings").await;
    app.wait_for(&tid("service-settings")).await;

    // Hours that close before they open: refused next to the closing time, in Chinese.
    set_value(&app, "service-hours-open", "18:00").await;
    set_value(&app, "service-hours-close", "09:00").await;
    app.click("service-hours-save").await;
    let refused = app.wait_for("[data-testid=\"service-settings\"] [data-error-for=\"close\"]").await.text().await.unwrap();
    assert!(satchel_e2e::has_cjk(&refused), "a Chinese message: {refused}");
    set_value(&app, "service-hours-open", "08:30").await;
    set_value(&app, "service-hours-close", "17:30").await;
    app.click("service-hours-save").await;
    app.wait_gone("[data-testid=\"service-settings\"] [data-error-for=\"close\"]").await;

    // A date that does not exist, then a real holiday; then a holiday calendar file.
    app.fill("service-day-date", "2026-02-30").await;
    app.click("service-day-add").await;
    let refused = app.wait_for("[data-testid=\"service-settings\"] [data-error-for=\"date\"]").await.text().await.unwrap();
    assert!(satchel_e2e::has_cjk(&refused), "{refused}");
    app.fill("service-day-date", "2026-12-25").await;
    app.click("service-day-add").await;
    app.wait_for("[data-testid=\"service-day\"][data-date=\"2026-12-25\"]").await;
    let input = app.file_input("service-holidays-import").await;
    input.send_keys(ics.display().to_string()).await.expect("choose the file");
    app.wait_text(&tid("service-holidays-imported"), "3").await;
    app.wait_for("[data-testid=\"service-day\"][data-date=\"2026-10-10\"][data-working=\"true\"]").await;

    // An SLA target that does not read, then one that does.
    app.fill("service-sla-high-first", "4 hours").await;
    app.click("service-sla-high-save").await;
    let refused = app.wait_for("[data-testid=\"service-sla-high\"] [data-error-for=\"firstResponse\"]").await.text().await.unwrap();
    assert!(refused.contains("30m"), "names the accepted form: {refused}");
    app.fill("service-sla-high-first", "2h").await;
    app.click("service-sla-high-save").await;
    app.wait_gone("[data-testid=\"service-sla-high\"] [data-error-for=\"firstResponse\"]").await;
    if let Some(p) = shot("service-settings.png") {
        app.script("document.querySelector('[data-testid=\"service-settings\"]').scrollIntoView()").await;
        app.screenshot(&p).await;
    }

    // Both tickets assigned at once; closing both is refused, naming the first, and none moves.
    app.click("nav-service").await;
    app.wait_count(&tid("ticket-row"), 2).await;
    app.click("pick-all").await;
    app.fill("bulk-assignee", "李娜").await;
    app.click_css("[data-action=\"bulk-assign\"]").await;
    app.wait_until("both assigned", async || {
        Ok((rows(&app).await.iter().all(|(_, a)| a == "李娜") && rows(&app).await.len() == 2).then_some(()))
    })
    .await;
    app.click("pick-all").await;
    app.choose("bulk-status", "closed").await;
    app.click_css("[data-action=\"bulk-move\"]").await;
    let refused = app.wait_for("[data-testid=\"ticket-bulk\"] [role=\"alert\"]").await.text().await.unwrap();
    assert!(refused.contains(&first) || refused.contains(&second), "names a ticket: {refused}");
    assert_eq!(
        app.script("return [...document.querySelectorAll('[data-testid=\"ticket-status\"]')].map(s => s.dataset.status)").await,
        serde_json::json!(["assigned", "assigned"])
    );

    // The urgent ones, saved as a view and applied again.
    app.choose("queue-priority", "urgent").await;
    app.wait_count(&tid("ticket-row"), 1).await;
    app.click("ticket-view-save").await;
    app.fill("ticket-view-name", "紧急工单").await;
    app.click("ticket-view-confirm").await;
    app.wait_text(&tid("ticket-view"), "紧急工单").await;
    app.choose("queue-priority", "").await;
    app.wait_count(&tid("ticket-row"), 2).await;
    app.click_text(&format!("{} button", tid("ticket-view")), "紧急工单").await;
    app.wait_count(&tid("ticket-row"), 1).await;
    assert_eq!(rows(&app).await[0].0, first);
    if let Some(p) = shot("service-bulk.png") {
        app.screenshot(&p).await;
    }

    // On a customer's page, the palette's new ticket is that customer's.
    app.click("nav-customers").await;
    app.click_text(&tid("customer-row"), "李雷").await;
    app.wait_text(&tid("detail-name"), "李雷").await;
    let mut chain = app.driver().action_chain();
    chain = chain.key_down(Key::Control).key_down('k').key_up('k').key_up(Key::Control);
    chain.perform().await.expect("Ctrl+K");
    app.get("palette-input").await.send_keys("为此客户新建工单").await.expect("type into the palette");
    app.wait_text(&tid("palette-item"), "为此客户新建工单").await;
    app.get("palette-input").await.send_keys(Key::Enter).await.expect("Enter");
    app.wait_text(&tid("ticket-customer-name"), "李雷").await;
    app.fill("ticket-subject", "发票寄错地址").await;
    app.get("ticket-subject").await.send_keys(Key::Enter).await.expect("Enter saves");
    app.wait_for(&tid("ticket-page")).await;
    app.wait_text(&tid("ticket-customer-link"), "李雷").await;
    app.quit().await;
}
