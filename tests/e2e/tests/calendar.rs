//! The calendar in the real window: an .ics file imported through the window, a weekly meeting
//! with a reminder linked to a customer, the clash warning for a call that overlaps it, one
//! occurrence moved by dragging it, the agenda and team views, a task, the customer's page
//! listing its meeting, the calendar in Chinese, and a reminder's desktop
//! notification arriving on the app's session bus (a real D-Bus method call, answered by dunst
//! when it is installed, which then also draws the popup on the Xvfb screen).

use satchel_e2e::{cli_binary, tid, App, Profile};
use std::process::Command;

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

/// The `data-recurrence-id` and the start (RFC 3339, as the core gave it) of each calendar entry
/// titled `title`.
async fn entries(app: &App, title: &str) -> Vec<(String, String)> {
    let v = app
        .script(&format!(
            "return [...document.querySelectorAll('[data-testid=\"calendar-event\"]')]
               .filter(e => e.textContent.includes({title:?}))
               .map(e => [e.dataset.recurrenceId || '', (e.dataset.start || '').slice(11, 16)])"
        ))
        .await;
    serde_json::from_value(v).unwrap_or_default()
}

/// An .ics file as Google Calendar writes one: a site visit starting in two minutes with an
/// alarm one minute before it, and a weekly series in New York time.
fn ics_file(now_utc: &str, in_two_minutes_utc: &str, in_three_minutes_utc: &str) -> String {
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "BEGIN:VEVENT",
        &format!("DTSTAMP:{now_utc}"),
        &format!("DTSTART:{in_two_minutes_utc}"),
        &format!("DTEND:{in_three_minutes_utc}"),
        "UID:site-visit-e2e@google.com",
        "SUMMARY:Site visit Hangzhou",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Reminder",
        "TRIGGER:-PT1M",
        "END:VALARM",
        "END:VEVENT",
        "BEGIN:VEVENT",
        &format!("DTSTAMP:{now_utc}"),
        "DTSTART;TZID=America/New_York:20270104T090000",
        "DTEND;TZID=America/New_York:20270104T093000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "UID:ny-check-in-e2e@google.com",
        "SUMMARY:NY check-in",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n")
}

fn utc_in(seconds: i64) -> String {
    let out = Command::new("date").args(["-u", "-d", &format!("+{seconds} seconds"), "+%Y%m%dT%H%M%SZ"]).output().expect("date");
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

#[tokio::test]
async fn a_weekly_meeting_a_clash_a_dragged_occurrence_and_chinese() {
    let profile = Profile::new();
    let csv = profile.files().join("people.csv");
    std::fs::write(&csv, "name,email\n王小明,wang@example.cn\n").unwrap();
    assert!(Command::new(cli_binary()).arg("--db").arg(profile.db()).arg("import").arg(&csv).status().unwrap().success());
    let monday = next_monday();

    let mut app = profile.launch().await;
    // Every Notify call on the app's bus, as it leaves the app; dunst (if installed) answers it
    // and draws it.
    let notes = profile.files().join("notify.log");
    let dunst = app.watch_notifications(&notes, &profile.files().join("dunst.log"));
    app.click("nav-calendar").await;
    app.wait_for(&tid("calendar-page")).await;
    app.wait_for(&tid("today-panel")).await;

    // Import an .ics through the window: a visit in two minutes (reminded one minute before) and
    // a weekly series; then the same file again, which updates instead of duplicating.
    let ics = profile.files().join("google.ics");
    std::fs::write(&ics, ics_file(&utc_in(0), &utc_in(120), &utc_in(180))).unwrap();
    let input = app.file_input("ics-file").await;
    input.send_keys(ics.display().to_string()).await.expect("choose the file");
    app.wait_text(&tid("toast-message"), "Imported 2 new events").await;
    app.wait_text(&tid("today-panel"), "Site visit Hangzhou").await;
    let input = app.file_input("ics-file").await;
    input.send_keys(ics.display().to_string()).await.expect("choose the file again");
    app.wait_text(&tid("toast-message"), "Imported 0 new events, updated 2").await;

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

    // Drag it to 14:00 that day, as a mouse would: pressed on it, moved down by the distance
    // between its 10:00 row and the 14:00 row, released.
    let event = app.wait_for(&format!("[data-testid=\"calendar-event\"][data-recurrence-id=\"{rid}\"]")).await;
    let (from_row, to_row) = (
        app.wait_for("td.fc-timegrid-slot-lane[data-time=\"10:00:00\"]").await,
        app.wait_for("td.fc-timegrid-slot-lane[data-time=\"14:00:00\"]").await,
    );
    let dy = (to_row.rect().await.unwrap().y - from_row.rect().await.unwrap().y) as i64;
    app.driver()
        .action_chain()
        .move_to_element_center(&event)
        .click_and_hold()
        .move_by_offset(0, 10)
        .move_by_offset(0, dy - 10)
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
    // Back to that Monday's week (with or without screenshots: the steps below are on it).
    app.click("calendar-prev").await;
    app.wait_until("the moved one shown again", async || {
        Ok(entries(&app, "Weekly review").await.iter().any(|(_, t)| t.starts_with("14:00")).then_some(()))
    })
    .await;
    if let Some(p) = shot("calendar-week.png") {
        app.screenshot(&p).await;
    }

    // The agenda and the team view (one column a person) of that Monday.
    app.click("calendar-view-agenda").await;
    app.wait_text(&tid("calendar-board"), "Call Li").await;
    app.click("calendar-view-day").await;
    app.click("calendar-view-team").await;
    app.wait_for(&tid("team-people")).await;
    let column = app.wait_text(&tid("team-column"), "Call Li").await;
    assert!(column.contains("Weekly review"), "{column}");
    if let Some(p) = shot("calendar-team.png") {
        app.screenshot(&p).await;
    }
    app.click("calendar-view-week").await;

    // A task due today shows on the Tasks page and in the Today panel.
    app.click("nav-tasks").await;
    app.fill("task-title", "Send the quote to 王小明").await;
    app.click("task-add-button").await;
    app.wait_text(&tid("tasks-today"), "Send the quote to 王小明").await;
    app.wait_text(&tid("today-panel"), "1 task due").await;
    if let Some(p) = shot("calendar-tasks.png") {
        app.screenshot(&p).await;
    }

    // The customer's page lists the meeting linked to it.
    app.click("nav-customers").await;
    app.click_text(&tid("customer-row"), "王小明").await;
    app.wait_text(&tid("customer-calendar"), "Weekly review").await;
    if let Some(p) = shot("calendar-customer.png") {
        app.screenshot(&p).await;
    }
    app.click("nav-calendar").await;
    app.wait_for(&tid("calendar-page")).await;

    // In Chinese: the views and the sidebar speak it.
    app.choose("lang-switch", "zh-CN").await;
    app.wait_text(&tid("calendar-view-month"), "月").await;
    app.wait_text(&tid("nav-calendar"), "日历").await;
    app.click("calendar-view-month").await;
    app.wait_until("the month page", async || Ok((!entries(&app, "Weekly review").await.is_empty()).then_some(()))).await;
    if let Some(p) = shot("calendar-month-zh.png") {
        app.screenshot(&p).await;
    }

    // The site visit's reminder, one minute before it: a desktop notification from the app's
    // own reminder worker (no server), in the language the app speaks now.
    let arrived = app
        .wait_until_within("the reminder's notification on the session bus", std::time::Duration::from_secs(150), async || {
            let text = std::fs::read_to_string(&notes).unwrap_or_default();
            Ok(text.contains("Site visit Hangzhou").then_some(text))
        })
        .await;
    assert!(arrived.contains("string \"Satchel\""), "sent by Satchel: {arrived}");
    if dunst {
        if let Some(p) = shot("calendar-notification.png") {
            // The whole X screen: dunst's popup is a window of its own, beside the app's.
            std::thread::sleep(std::time::Duration::from_millis(500));
            let _ = Command::new("import").args(["-window", "root"]).arg(&p).status();
        }
    }
    app.quit().await;
}
