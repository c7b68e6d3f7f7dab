//! Segments and attachments in the real window: a filter saved as a segment shows in the sidebar
//! with its live count; a file attached to a customer is listed and handed to the system viewer.

use satchel_e2e::{cli_binary, tid, Profile};
use std::process::Command;

#[tokio::test]
async fn a_saved_segment_counts_live_and_a_file_attaches_and_opens() {
    let profile = Profile::new();
    let csv = profile.files().join("people.csv");
    std::fs::write(&csv, "name,stage,tags\n王小明,won,VIP\n李娜,won,\n张伟,lead,VIP\n").unwrap();
    assert!(Command::new(cli_binary()).arg("--db").arg(profile.db()).arg("import").arg(&csv).status().unwrap().success());
    // The "system viewer" is a script that records the file it was asked to open (no desktop
    // session runs under Xvfb); the app reads SATCHEL_OPENER, inherited through tauri-driver.
    let seen = profile.files().join("opened.txt");
    let viewer = profile.files().join("viewer.sh");
    std::fs::write(&viewer, format!("#!/bin/sh\ncat \"$1\" > '{}'\n", seen.display())).unwrap();
    std::process::Command::new("chmod").arg("+x").arg(&viewer).status().unwrap();
    std::env::set_var("SATCHEL_OPENER", &viewer);

    let app = profile.launch().await;
    app.wait_text(&tid("customer-count"), "3").await;
    app.choose("filter-stage", "won").await;
    app.wait_text(&tid("customer-count"), "2").await;
    app.click("save-segment").await;
    app.fill("segment-name", "赢得客户").await;
    app.click("segment-save").await;
    let link = app.wait_text(&tid("segment-link"), "赢得客户").await;
    assert!(link.contains('2'), "{link}");

    // A new won customer bumps the count without reopening anything.
    app.click("new-person").await;
    app.fill("field-name", "陈晓").await;
    app.choose("field-stage", "won").await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), "陈晓").await;
    app.wait_text(&tid("segment-count"), "3").await;

    // Attach a file to this person and open it.
    let quote = profile.files().join("报价单.txt");
    std::fs::write(&quote, "报价：¥12,000").unwrap();
    let input = app.file_input("attachment-input").await;
    input.send_keys(quote.display().to_string()).await.expect("choose the file");
    let row = app.wait_text(&tid("attachment-row"), "报价单.txt").await;
    assert!(!row.is_empty());
    app.click("attachment-open").await;
    app.wait_until("the viewer to receive the file", async || {
        Ok(std::fs::read_to_string(&seen).ok().filter(|s| s == "报价：¥12,000").map(|_| ()))
    })
    .await;
    app.quit().await;
}
