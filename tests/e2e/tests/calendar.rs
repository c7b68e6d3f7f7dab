//! The calendar in the real window: a weekly meeting with a reminder linked to a customer, the
//! clash warning for a call that overlaps it, one occurrence moved by dragging it, and the
//! calendar in Chinese.

use satchel_e2e::{cli_binary, tid, App, Profile};
use std::process::Command;
use thirtyfour::prelude::*;

/// The Monday of next week, `YYYY-MM-DD`, from the local clock (the app shows local time).
fn next_monday() -> String {
    let out = Command::new("date").args(["-d", "next monday + 7 days", "+%Y-%m-%d"]).output().expect("date");
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

fn shot(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("SATCHEL_SHOTS").map(|d| std::path::Path::new(&d).join(name))
}

async fn set_value(app: &App, id: &str, value: &str) {
    // Date and time inputs take their value as a user's picker would set it: set, then `input`.
    app.script(&format!(
        "const el = document.querySelector('[data-testid=\"{id}\"]');
         const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
         set.call(el, {value:?}); el.dispatchEvent(new Event('input', {{ bubbles: true }}));
         return el.value"
    ))
    .await;
}

/// The shown `data-recurrence-id` and time text of each calendar entry titled `title`.
async fn entries(app: &App, title: &str) -> Vec<(String, String)> {
    let v = app
        .script(&format!(
            "return [...document.querySelectorAll('[data-testid=\"calendar-event\"]')]
               .filter(e => e.textContent.includes({title:?}))
               .map(e => [e.dataset.recurrenceId || '', (e.querySelector('.cal-event-time')?.textContent || '').trim()])"
        ))
        .await;
    serde_json::from_value(v).unwrap_or_default()
}

#[tokio::test]
async fn a_weekly_meeting_a_clash_a_dragged_occurrence_and_chinese() {
    let profile = Profile::new();
    let csv = profile.files().join("people.csv");
    std::fs::write(&csv, "name,email\n王小明,wang@example.cn\n").unwrap();
    assert!(Command::new(cli_binary()).arg("--db").arg(profile.db()).arg("import").arg(&csv).status().unwrap().success());
    let monday = next_monday();

    let app = profile.launch().await;
    app.click("nav-calendar").await;
    app.wait_for(&tid("calendar-page")).await;
    app.wait_for(&tid("today-panel")).await;

    // A weekly meeting on Mondays at 10:00, reminded 15 minutes before, with a customer.
    app.click("new-event").await;
    app.wait_for(&tid("event-form")).await;
    app.fill("event-title", "Weekly review").await;
    set_value(&app, "event-start", &format!("{monday}T10:00")).await;
    set_value(&app, "event-end", &format!("{monday}T11:00")).await;
    app.choose("repeat-freq", "weekly").await;
    assert_eq!(app.script("return document.querySelector('[data-testid=\"reminder-15\"]').checked").await, serde_json::json!(true));
    app.fill("event-customer-search", "王小明").await;
    app.click_text(&tid("event-customer-hit"), "王小明").await;
    app.wait_text(&tid("event-customer-name"), "王小明").await;
    app.click("event-save").await;
    app.wait_text(&tid("toast-message"), "Weekly review").await;
    app.wait_for(&tid("calendar-page")).await;

    // A call at 10:30 the same Monday: the form warns before saving, the save warns again.
    app.click("new-event").await;
    app.wait_for(&tid("event-form")).await;
    app.fill("event-title", "Call Li").await;
    set_value(&app, "event-start", &format!("{monday}T10:30")).await;
    set_value(&app, "event-end", &format!("{monday}T11:00")).await;
    let warning = app.wait_text(&tid("clash-warning"), "Weekly review").await;
    assert!(warning.contains("Overlaps 1 event"), "{warning}");
    if let Some(p) = shot("calendar-clash.png") {
        app.screenshot(&p).await;
    }
    app.click("event-save").await;
    app.wait_text(&tid("toast-message"), "Overlaps").await;

    // The week of that Monday: both, the meeting marked as repeating.
    app.click("calendar-view-week").await;
    app.wait_until("the meeting on the week's page", async || Ok((!entries(&app, "Weekly review").await.is_empty()).then_some(()))).await;
    let before = entries(&app, "Weekly review").await;
    assert_eq!(before.len(), 1, "{before:?}");
    let (rid, time) = before[0].clone();
    assert!(!rid.is_empty(), "an occurrence of a series");
    assert!(time.starts_with("10:00"), "{time}");

    // Drag it to 14:00 that day, as a mouse would.
    let event = app.wait_for(&format!("[data-testid=\"calendar-event\"][data-recurrence-id=\"{rid}\"]")).await;
    let target = app.wait_for(&format!("td.fc-timegrid-col[data-date=\"{monday}\"]")).await;
    let slot = app.wait_for("td.fc-timegrid-slot-lane[data-time=\"14:00:00\"]").await;
    let (er, tr, sr) = (event.rect().await.unwrap(), target.rect().await.unwrap(), slot.rect().await.unwrap());
    let (dx, dy) = ((tr.x + tr.width / 2.0) - (er.x + er.width / 2.0), (sr.y + 2.0) - (er.y + 2.0));
    app.driver()
        .action_chain()
        .move_to_element_with_offset(&event, 0, (-er.height / 2.0 + 2.0) as i64)
        .click_and_hold()
        .move_by_offset(0, 8)
        .move_by_offset(dx as i64, (dy - 8.0) as i64)
        .release()
        .perform()
        .await
        .expect("drag");
    app.wait_text(&tid("toast-message"), "Moved").await;
    let after = app
        .wait_until("the occurrence at 14:00", async || {
            let e = entries(&app, "Weekly review").await;
            Ok(e.iter().any(|(_, t)| t.starts_with("14:00")).then_some(e))
        })
        .await;
    assert_eq!(after.len(), 1, "{after:?}");
    // Only that occurrence moved: next week's is still at 10:00.
    app.click("calendar-next").await;
    let next = app
        .wait_until("next week's occurrence", async || {
            let e = entries(&app, "Weekly review").await;
            Ok((!e.is_empty()).then_some(e))
        })
        .await;
    assert!(next[0].1.starts_with("10:00"), "{next:?}");
    if let Some(p) = shot("calendar-week.png") {
        app.click("calendar-prev").await;
        app.wait_until("the moved one shown again", async || Ok(entries(&app, "Weekly review").await.iter().any(|(_, t)| t.starts_with("14:00")).then_some(()))).await;
        app.screenshot(&p).await;
    }

    // In Chinese: the views and the sidebar speak it.
    app.choose("lang-switch", "zh-CN").await;
    app.wait_text(&tid("calendar-view-month"), "月").await;
    app.wait_text(&tid("nav-calendar"), "日历").await;
    app.click("calendar-view-month").await;
    app.wait_until("the month page", async || Ok((!entries(&app, "Weekly review").await.is_empty()).then_some(()))).await;
    if let Some(p) = shot("calendar-month-zh.png") {
        app.screenshot(&p).await;
    }
    app.quit().await;
}
