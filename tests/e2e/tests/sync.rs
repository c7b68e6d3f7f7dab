//! Two real app windows on two databases, syncing through a real satchel-server on 127.0.0.1:
//! each connects from its settings page; a person created in one shows up in the other; with
//! the server down both keep working and say they are offline; a concurrent edit of the same
//! field ends the same on both, and the losing value waits in history with a button to restore.
//! A file attached in one opens in the other (fetched from the server when opened).

use satchel_e2e::{add_server_user, start_server, tid, App, Profile};
use std::process::Command;

async fn state(app: &App) -> String {
    app.script(&format!("return document.querySelector('{}')?.dataset.state ?? ''", tid("sync-indicator")))
        .await
        .as_str()
        .unwrap_or("")
        .to_string()
}

async fn wait_state(app: &App, want: &str) {
    app.wait_until(&format!("the sync indicator to say {want}"), async || {
        let s = state(app).await;
        Ok((s == want).then_some(()))
    })
    .await;
}

async fn last_sync(app: &App) -> String {
    app.script(&format!("return document.querySelector('{}')?.dataset.lastSync ?? ''", tid("sync-indicator")))
        .await
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Syncs now and waits for that sync to finish: the indicator already saying "synced" from an
/// earlier round is not enough (the click's round may not have started yet).
async fn sync_now(app: &App) {
    let before = last_sync(app).await;
    app.click("sync-indicator").await;
    app.click("sync-now").await;
    app.wait_until("a sync started by the click to finish", async || {
        Ok((state(app).await == "synced" && last_sync(app).await != before).then_some(()))
    })
    .await;
}

async fn connect(app: &App, base: &str, email: &str) {
    app.click("sync-indicator").await;
    app.fill("sync-server", base).await;
    app.fill("sync-email", email).await;
    app.fill("sync-password", "long enough").await;
    app.click("sync-connect").await;
    wait_state(app, "synced").await;
}

async fn open_customer(app: &App, name: &str) {
    app.click("nav-customers").await;
    app.click_text(&tid("customer-row"), name).await;
    app.wait_text(&tid("detail-name"), name).await;
}

async fn rename(app: &App, from: &str, to: &str) {
    open_customer(app, from).await;
    app.click("edit").await;
    app.wait_until("the edit form to load the record", async || Ok((app.value("field-name").await == from).then_some(()))).await;
    app.fill("field-name", to).await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), to).await;
}

#[tokio::test]
async fn two_laptops_meet_through_the_server_and_a_concurrent_edit_keeps_the_loser_in_history() {
    let data = tempfile::tempdir().unwrap();
    add_server_user(data.path(), "ana@example.cn");
    add_server_user(data.path(), "bo@example.cn");
    let server = start_server(data.path(), "127.0.0.1:0");
    let (pa, pb) = (Profile::new(), Profile::new());
    let (a, b) = (pa.launch().await, pb.launch().await);

    // A wrong password is refused under its field; what was typed stays.
    a.click("sync-indicator").await;
    a.fill("sync-server", &server.base).await;
    a.fill("sync-email", "ana@example.cn").await;
    a.fill("sync-password", "not the password").await;
    a.click("sync-connect").await;
    a.wait_text("[data-error-for=password]", "Wrong email or password").await;
    assert_eq!(a.value("sync-server").await, server.base);
    assert_eq!(state(&a).await, "off", "nothing was connected");
    if let Some(dir) = &std::env::var_os("SATCHEL_SHOTS").map(std::path::PathBuf::from) {
        a.screenshot(&dir.join("sync-wrong-password.png")).await;
    }
    connect(&a, &server.base, "ana@example.cn").await;
    connect(&b, &server.base, "bo@example.cn").await;
    // The device token went to the Secret Service on the desktop's bus (GNOME Keyring here), not
    // to a file, and Settings says so.
    let account = std::fs::canonicalize(pa.db()).unwrap().display().to_string();
    let token = a.keyring_secret("Satchel sync", &account).expect("Ana's device token in the keyring");
    assert!(token.len() >= 32, "{token:?}");
    assert!(!pa.db().with_file_name("satchel.db.sync-token").exists(), "no token file beside the database");
    let place = a.wait_for(&tid("sync-token-place")).await;
    assert_eq!(place.attr("data-place").await.unwrap().as_deref(), Some("keyring"));
    let shots = std::env::var_os("SATCHEL_SHOTS").map(std::path::PathBuf::from);
    if let Some(dir) = &shots {
        a.screenshot(&dir.join("sync-settings.png")).await;
    }

    // 1. A person created on Ana's laptop appears on Bo's.
    a.click("nav-customers").await;
    a.click("new-person").await;
    a.fill("field-name", "王海示").await;
    a.click("save").await;
    a.wait_text(&tid("detail-name"), "王海示").await;
    // Ana's laptop sends it within a couple of seconds, on its own; Bo syncs until it is there.
    b.wait_until_within("王海示 to reach Bo's list", std::time::Duration::from_secs(30), async || {
        sync_now(&b).await;
        b.click("nav-customers").await;
        Ok(b.texts(&tid("customer-row")).await.iter().any(|r| r.contains("王海示")).then_some(()))
    })
    .await;

    // 2. The server goes away: both keep working, and say so.
    let addr = server.base.trim_start_matches("http://").to_string();
    drop(server);
    rename(&a, "王海示", "王海示（安娜改）").await;
    wait_state(&a, "offline").await;
    assert!(a.text("sync-indicator").await.contains("Offline"), "{}", a.text("sync-indicator").await);
    if let Some(dir) = &shots {
        a.screenshot(&dir.join("sync-offline.png")).await;
    }
    rename(&b, "王海示", "王海示（阿博改）").await;

    // 3. Back on the same address: Bo's later edit wins on both; Ana's waits in Bo's history.
    let server = start_server(data.path(), &addr);
    for app in [&a, &b, &a] {
        sync_now(app).await;
    }
    for app in [&a, &b] {
        open_customer(app, "王海示（阿博改）").await;
    }
    let lost = b.wait_text(&tid("history-lost"), "王海示（安娜改）").await;
    assert!(lost.contains("ana@example.cn"), "the lost value says whose it was: {lost}");
    if let Some(dir) = &shots {
        b.screenshot(&dir.join("sync-lost-value.png")).await;
    }
    b.click("history-restore").await;
    b.wait_text(&tid("detail-name"), "王海示（安娜改）").await;
    sync_now(&b).await;
    sync_now(&a).await;
    open_customer(&a, "王海示（安娜改）").await;

    // Disconnecting forgets the token in the keyring too; the records stay.
    a.click("sync-indicator").await;
    a.click("sync-disconnect").await;
    a.click("sync-disconnect-confirm").await;
    wait_state(&a, "off").await;
    assert_eq!(a.keyring_secret("Satchel sync", &account), None, "the token is gone from the keyring");
    open_customer(&a, "王海示（安娜改）").await;
    drop(server);
    a.quit().await;
    b.quit().await;
}

/// Issue 14, attachments travel too: a file Ana attaches in her window opens in Bo's; before Bo
/// has it, with the server gone, his window says it is not on this computer yet, by name.
#[tokio::test]
async fn a_file_attached_on_one_laptop_opens_on_the_other_and_offline_says_it_is_not_fetched_yet() {
    let data = tempfile::tempdir().unwrap();
    add_server_user(data.path(), "ana@example.cn");
    add_server_user(data.path(), "bo@example.cn");
    let server = start_server(data.path(), "127.0.0.1:0");
    let (pa, pb) = (Profile::new(), Profile::new());
    // The "system viewer" records the file it was asked to open (no desktop session under Xvfb).
    let seen = pb.files().join("opened.txt");
    let viewer = pb.files().join("viewer.sh");
    std::fs::write(&viewer, format!("#!/bin/sh\ncat \"$1\" > '{}'\n", seen.display())).unwrap();
    Command::new("chmod").arg("+x").arg(&viewer).status().unwrap();
    std::env::set_var("SATCHEL_OPENER", &viewer);
    let (a, b) = (pa.launch().await, pb.launch().await);
    connect(&a, &server.base, "ana@example.cn").await;
    connect(&b, &server.base, "bo@example.cn").await;

    a.click("nav-customers").await;
    a.click("new-person").await;
    a.fill("field-name", "合同客户").await;
    a.click("save").await;
    a.wait_text(&tid("detail-name"), "合同客户").await;
    let contract = pa.files().join("签约合同.txt");
    std::fs::write(&contract, "甲乙双方签约：¥88,000").unwrap();
    let input = a.file_input("attachment-input").await;
    input.send_keys(contract.display().to_string()).await.expect("choose the file");
    a.wait_text(&tid("attachment-row"), "签约合同.txt").await;
    sync_now(&a).await;

    // Bo receives the row; "download ahead" is off, so the file itself stays on the server.
    b.click("sync-indicator").await;
    let ahead = b.wait_for(&tid("sync-fetch-ahead")).await;
    assert!(!ahead.is_selected().await.unwrap(), "off unless asked");
    sync_now(&b).await;
    let shots = std::env::var_os("SATCHEL_SHOTS").map(std::path::PathBuf::from);
    if let Some(dir) = &shots {
        b.screenshot(&dir.join("sync-fetch-ahead.png")).await;
    }
    let addr = server.base.trim_start_matches("http://").to_string();
    drop(server);
    open_customer(&b, "合同客户").await;
    b.wait_text(&tid("attachment-row"), "签约合同.txt").await;
    b.click("attachment-open").await;
    let said = b.wait_text(&tid("attachment-error"), "签约合同.txt").await;
    assert!(said.contains("not on this computer yet"), "{said}");
    assert!(!seen.exists(), "nothing was handed to the viewer");

    // Back online, opening it fetches it and hands the very file to the viewer.
    let server = start_server(data.path(), &addr);
    b.click("attachment-open").await;
    b.wait_until("the viewer to receive the fetched file", async || {
        Ok(std::fs::read_to_string(&seen).ok().filter(|s| s == "甲乙双方签约：¥88,000").map(|_| ()))
    })
    .await;
    drop(server);
    a.quit().await;
    b.quit().await;
}
