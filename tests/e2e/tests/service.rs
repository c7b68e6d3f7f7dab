//! The service module in the real window, in Chinese: an article written in the knowledge base,
//! a ticket opened from a customer's page (the article offered as its subject is typed), its SLA
//! badge running in the queue, then breached by moving the app's test clock two hours ahead:
//! the desktop scheduler's notification arrives on the app's session bus and the queue shows
//! the breach; the article linked, a reply, resolved, closed with a rating, read back by the CLI.

use satchel_e2e::{cli_binary, tid, App, Profile};
use std::process::Command;

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
    cli(&profile, &["service", "hours", "set", "--days", "mon,tue,wed,thu,fri,sat,sun", "--open", "00:00", "--close", "23:59", "--tz", "Asia/Shanghai"]);
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

    // A ticket from the customer's page: the customer is filled in; the article is offered.
    app.click("nav-customers").await;
    app.click_text(&tid("customer-row"), "王小明").await;
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
    app.wait_until("the breached queue to show the ticket", async || {
        Ok((data(&app, &row, "badge").await == "breached").then_some(()))
    })
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
    app.wait_until("the ticket resolved", async || Ok((data(&app, "[data-testid=\"ticket-page\"]", "status").await == "resolved").then_some(()))).await;
    app.click_css("[data-action=\"move-closed\"]").await;
    app.click("rating-5").await;
    app.fill("rating-comment", "很快就解决了").await;
    if let Some(p) = shot("service-close.png") {
        app.screenshot(&p).await;
    }
    app.click_css("[data-action=\"confirm-close\"]").await;
    app.wait_until("the ticket closed", async || Ok((data(&app, "[data-testid=\"ticket-page\"]", "status").await == "closed").then_some(()))).await;
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
    assert_eq!((shown["status"].as_str(), shown["priority"].as_str(), shown["rating"].as_u64()), (Some("closed"), Some("urgent"), Some(5)), "{shown}");
}
