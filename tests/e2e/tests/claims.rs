//! README claims that no other test drove in the real window: the keyboard shortcuts, vCard
//! import and CSV export, Private records, Undo after a delete, a restore from the trash that
//! brings back phones and emails, a removed custom field brought back by Undo with its values,
//! and everyone else's changes arriving on their own every 20 seconds.

use satchel_e2e::{add_server_user, cli_binary, define_level_field, start_server, tid, App, Key, Profile};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Presses `key` with `modifiers` held, on whatever has the focus, as a user's keyboard would
/// (WebDriver actions, not events made up in JavaScript).
async fn press(app: &App, modifiers: &[Key], key: Key) {
    let mut chain = app.driver().action_chain();
    for m in modifiers {
        chain = chain.key_down(m.clone());
    }
    chain = chain.key_down(key.clone()).key_up(key);
    for m in modifiers.iter().rev() {
        chain = chain.key_up(m.clone());
    }
    chain.perform().await.expect("press keys");
}

/// Presses a character key (`k`, `/`) with `modifiers` held.
async fn press_char(app: &App, modifiers: &[Key], key: char) {
    let mut chain = app.driver().action_chain();
    for m in modifiers {
        chain = chain.key_down(m.clone());
    }
    chain = chain.key_down(key).key_up(key);
    for m in modifiers.iter().rev() {
        chain = chain.key_up(m.clone());
    }
    chain.perform().await.expect("press keys");
}

/// The `data-testid` of the focused element, or its tag.
async fn focused(app: &App) -> String {
    app.script("const e = document.activeElement; return e?.dataset?.testid ?? e?.tagName ?? ''").await.as_str().unwrap_or("").to_string()
}

async fn wait_focused(app: &App, id: &str) {
    app.wait_until(&format!("{id} to have the focus"), async || Ok((focused(app).await == id).then_some(()))).await;
}

/// Focus on the page itself, in no input (as after clicking an empty spot).
async fn blur(app: &App) {
    app.script("document.activeElement?.blur()").await;
}

#[tokio::test]
async fn the_keyboard_shortcuts_of_the_readme_work_in_the_window() {
    let profile = Profile::new();
    let app = profile.launch().await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;

    // Ctrl+K opens the command palette with the typing in it; what is typed picks a command.
    press_char(&app, &[Key::Control], 'k').await;
    app.wait_for(&tid("palette")).await;
    wait_focused(&app, "palette-input").await;
    app.wait_text(&tid("palette-item"), "New person").await;
    press(&app, &[], Key::Escape).await;
    app.wait_gone(&tid("palette")).await;
    // Again, this time to run a command from the keyboard alone.
    press_char(&app, &[Key::Control], 'k').await;
    wait_focused(&app, "palette-input").await;
    app.get("palette-input").await.send_keys("Go to Settings").await.expect("type into the palette");
    app.wait_text(&tid("palette-item"), "Go to Settings").await;
    press(&app, &[], Key::Enter).await;
    app.wait_gone(&tid("palette")).await;
    app.get("settings").await;

    // Ctrl+N: a new person's form; Ctrl+S saves it, from inside the name input.
    blur(&app).await;
    press_char(&app, &[Key::Control], 'n').await;
    app.wait_for(&tid("customer-form")).await;
    assert_eq!(app.value("field-kind").await, "person", "Ctrl+N opens the form for a person");
    app.fill("field-name", "王海示").await;
    press_char(&app, &[Key::Control], 's').await;
    app.wait_text(&tid("detail-name"), "王海示").await;

    // Ctrl+L on the detail page opens the log form; Ctrl+S saves the activity.
    press_char(&app, &[Key::Control], 'l').await;
    app.wait_for(&tid("activity-form")).await;
    app.fill("activity-outcome", "约好下周拜访").await;
    press_char(&app, &[Key::Control], 's').await;
    app.wait_gone(&tid("activity-form")).await;
    app.wait_text(&tid("timeline-activity"), "约好下周拜访").await;

    // `/` and Ctrl+F put the cursor in the search box, from wherever the page is.
    blur(&app).await;
    press_char(&app, &[], '/').await;
    wait_focused(&app, "search-input").await;
    assert_eq!(app.value("search-input").await, "", "the slash is not typed into the box");
    blur(&app).await;
    press_char(&app, &[Key::Control], 'f').await;
    wait_focused(&app, "search-input").await;
    let hits = app.search("海示").await;
    assert!(hits.iter().any(|h| h.contains("王海示")), "{hits:?}");
    press(&app, &[], Key::Escape).await;

    // Ctrl+Shift+N: a new company's form.
    press_char(&app, &[Key::Control, Key::Shift], 'n').await;
    app.wait_until("the form for a company", async || Ok((app.value("field-kind").await == "company").then_some(()))).await;
    app.fill("field-name", "上海示例贸易有限公司").await;
    press_char(&app, &[Key::Control], 's').await;
    app.wait_text(&tid("detail-name"), "上海示例贸易有限公司").await;

    // Delete on a detail page asks first; Escape keeps the record, Delete then Enter trashes it.
    blur(&app).await;
    press(&app, &[], Key::Delete).await;
    app.wait_text(&tid("customer-delete-dialog"), "上海示例贸易有限公司").await;
    press(&app, &[], Key::Escape).await;
    app.wait_gone(&tid("customer-delete-dialog")).await;
    app.wait_text(&tid("detail-name"), "上海示例贸易有限公司").await;
    press(&app, &[], Key::Delete).await;
    app.wait_for(&tid("customer-delete-dialog")).await;
    press(&app, &[], Key::Enter).await;
    app.wait_text(&tid("toast-message"), "Moved 上海示例贸易有限公司 to trash").await;
    assert_eq!(app.text("customer-count").await, "1 customer");
    app.quit().await;
}

#[tokio::test]
async fn a_vcard_file_is_imported_and_the_list_exported_as_csv_that_excel_reads() {
    let profile = Profile::new();
    let file = profile.files().join("通讯录.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\nN:张;伟;;;\r\nTEL;TYPE=CELL:+86 139 1234 5678\r\nEMAIL;TYPE=INTERNET:zhang.wei@example.cn\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:欧阳晓梅\r\nN:欧阳;晓梅;;;\r\nTEL;TYPE=WORK:021-6123-4567\r\nEMAIL:ouyang@example.com\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let app = profile.launch().await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;

    app.click("import-button").await;
    let input = app.file_input("import-file-input").await;
    input.send_keys(file.display().to_string()).await.expect("choose the file");
    app.wait_for(&tid("import-preview")).await;
    app.wait_text(&tid("import-format"), "vCard").await;
    app.wait_text(&tid("import-rows"), "2").await;
    app.click("import-check").await;
    app.wait_for(&tid("import-summary")).await;
    app.click("import-confirm").await;
    app.wait_text(&tid("import-done-text"), "Imported 2 new, 0 updated, 0 skipped").await;

    // Both are found, with their phones and emails.
    for (name, phone, email) in [("张伟", "139 1234 5678", "zhang.wei@example.cn"), ("欧阳晓梅", "6123", "ouyang@example.com")] {
        let hits = app.search(name).await;
        assert!(hits.iter().any(|h| h.contains(name)), "{name}: {hits:?}");
        app.click_text(&tid("search-result"), name).await;
        app.wait_text(&tid("detail-name"), name).await;
        app.wait_text(&tid("detail-phones"), phone).await;
        app.wait_text(&tid("detail-emails"), email).await;
    }

    // The list as CSV into Downloads: UTF-8 with a BOM (so Excel shows the Chinese), a name and
    // a phone column holding what was imported.
    app.click("nav-customers").await;
    assert_eq!(app.text("customer-count").await, "2 customers");
    app.click("export-button").await;
    app.click("export-format-csv").await;
    app.wait_text(&tid("toast-message"), "Exported").await;
    let exported: Vec<_> = std::fs::read_dir(profile.downloads()).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(exported.len(), 1, "{exported:?}");
    assert!(exported[0].extension().is_some_and(|e| e == "csv"), "{exported:?}");
    let bytes = std::fs::read(&exported[0]).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "starts with a UTF-8 BOM: {:?}", &bytes[..bytes.len().min(8)]);
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    let (name, phone, email) = (col("name"), col("phone 1"), col("email 1"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2, "{text}");
    let zhang = rows.iter().find(|r| r[name] == "张伟").unwrap_or_else(|| panic!("张伟 in\n{text}"));
    assert!(zhang[phone].contains("139") && zhang[phone].contains("5678"), "{:?}", zhang[phone]);
    assert_eq!(zhang[email], "zhang.wei@example.cn");
    let ouyang = rows.iter().find(|r| r[name] == "欧阳晓梅").unwrap_or_else(|| panic!("欧阳晓梅 in\n{text}"));
    assert!(ouyang[phone].contains("6123-4567") || ouyang[phone].contains("61234567"), "{:?}", ouyang[phone]);
    app.quit().await;
}

#[tokio::test]
async fn a_private_record_says_so_and_stays_private_after_a_restart() {
    let profile = Profile::new();
    let app = profile.launch().await;
    app.click("new-person").await;
    app.fill("field-name", "王海示").await;
    let toggle = app.get("customer-private").await;
    assert!(!toggle.is_selected().await.unwrap(), "a new record is not private");
    app.click("customer-private").await;
    app.wait_until("the Private box to be ticked", async || Ok(toggle.is_selected().await?.then_some(()))).await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), "王海示").await;
    app.wait_text(&tid("customer-private-badge"), "Private").await;
    app.quit().await;

    let app = profile.launch().await;
    app.click_text(&tid("customer-row"), "王海示").await;
    app.wait_text(&tid("detail-name"), "王海示").await;
    app.wait_text(&tid("customer-private-badge"), "Private").await;
    app.click("edit").await;
    app.wait_until("the edit form to load the record", async || Ok((app.value("field-name").await == "王海示").then_some(()))).await;
    assert!(app.get("customer-private").await.is_selected().await.unwrap(), "the form shows it ticked");
    app.quit().await;
}

/// A person with a phone and an email, saved; the detail page is open.
async fn create_person(app: &App, name: &str, phone: &str, email: &str) {
    app.click("new-person").await;
    app.fill("field-name", name).await;
    app.click("add-phone").await;
    app.fill("field-phones-0-value", phone).await;
    app.click("add-email").await;
    app.fill("field-emails-0-value", email).await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), name).await;
}

#[tokio::test]
async fn undo_after_a_delete_brings_the_person_back_and_a_restore_from_the_trash_keeps_phones_and_emails() {
    let profile = Profile::new();
    let app = profile.launch().await;

    // Delete, then Undo on the toast: the person is back in the list and in search.
    create_person(&app, "王海示", "+86 138 0013 8000", "wang@example.cn").await;
    app.click("delete").await;
    app.wait_text(&tid("toast-message"), "Moved 王海示 to trash").await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;
    app.click("undo").await;
    app.wait_text(&tid("detail-name"), "王海示").await;
    app.wait_text(&tid("detail-phones"), "138 0013 8000").await;
    app.click("nav-customers").await;
    assert_eq!(app.text("customer-count").await, "1 customer");
    app.wait_text(&tid("customer-row"), "王海示").await;
    let hits = app.search("海示").await;
    assert!(hits.iter().any(|h| h.contains("王海示")), "found again after Undo: {hits:?}");
    let hits = app.search("13800138000").await;
    assert!(hits.iter().any(|h| h.contains("王海示")), "found by phone after Undo: {hits:?}");

    // Delete another, restore it from the trash page: phones and emails come back, not only the name.
    create_person(&app, "李娜", "0755 8888 9999 转 8001", "li.na@example.cn").await;
    app.click("delete").await;
    app.wait_text(&tid("toast-message"), "Moved 李娜 to trash").await;
    app.click("nav-trash").await;
    app.wait_text(&tid("customer-row"), "李娜").await;
    app.click_css(&format!("{} {}", tid("customer-row"), tid("restore"))).await;
    app.wait_text(&tid("toast-message"), "Restored 李娜").await;
    app.click("nav-customers").await;
    app.click_text(&tid("customer-row"), "李娜").await;
    app.wait_text(&tid("detail-name"), "李娜").await;
    let phones = app.wait_text(&tid("detail-phones"), "8888 9999").await;
    assert!(phones.contains("8001"), "the extension is back too: {phones}");
    app.wait_text(&tid("detail-emails"), "li.na@example.cn").await;
    let hits = app.search("li.na@example").await;
    assert!(hits.iter().any(|h| h.contains("李娜")), "found by email after the restore: {hits:?}");
    app.quit().await;
}

/// Settings → Custom fields: "Level" defined and set to Gold on 王小明, then removed (asked
/// first); the record's page is open when this returns, the Undo toast still up. Returns the
/// field's id.
async fn remove_a_filled_field(app: &App) -> String {
    let field = define_level_field(app, "person").await;
    app.click("new-person").await;
    app.fill("field-name", "王小明").await;
    app.choose(&format!("field-custom-{field}"), "o1").await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), "王小明").await;
    app.wait_text(&tid(&format!("detail-custom-{field}")), "Gold").await;

    // Remove it: asked first, with how many records hold a value.
    app.click("nav-settings").await;
    app.click(&format!("cf-remove-{field}")).await;
    app.wait_text(&tid("cf-remove-message"), "1").await;
    app.click("cf-remove-confirm").await;
    app.wait_text(&tid("toast-message"), "Removed the field Level").await;
    app.wait_gone(&tid("custom-field-row")).await;

    // Gone from the record and from its form (the Undo toast stays for 10 s meanwhile).
    app.click("nav-customers").await;
    app.click_text(&tid("customer-row"), "王小明").await;
    app.wait_text(&tid("detail-name"), "王小明").await;
    app.wait_gone(&tid(&format!("detail-custom-{field}"))).await;
    app.click("edit").await;
    app.wait_until("the edit form to load the record", async || Ok((app.value("field-name").await == "王小明").then_some(()))).await;
    app.wait_gone(&tid(&format!("field-custom-{field}"))).await;
    field
}

#[tokio::test]
async fn a_removed_custom_field_leaves_form_and_detail_and_undo_brings_it_back_with_its_value() {
    let profile = Profile::new();
    let app = profile.launch().await;
    let field = remove_a_filled_field(&app).await;
    app.click("cancel").await;
    app.wait_text(&tid("detail-name"), "王小明").await;

    // Undo: the field is back on the record with its value, and in the form.
    app.click("undo").await;
    app.wait_text(&tid("toast-message"), "Restored the field Level").await;
    app.wait_text(&tid(&format!("detail-custom-{field}")), "Gold").await;
    app.click("edit").await;
    app.wait_until("the edit form to load the record", async || Ok((app.value("field-name").await == "王小明").then_some(()))).await;
    assert_eq!(app.value(&format!("field-custom-{field}")).await, "o1");
    app.click("nav-settings").await;
    app.wait_text(&tid("custom-field-row"), "Level").await;
    app.quit().await;
}

/// Undo pressed while the record's form is open (the toast is still up after opening it): the
/// field comes back into the form, but empty, and saving the form for another change clears the
/// value the Undo was meant to bring back ("Level: value cleared" in history).
#[tokio::test]
async fn undo_of_a_field_removal_while_the_form_is_open_does_not_lose_the_value_on_save() {
    let profile = Profile::new();
    let app = profile.launch().await;
    let field = remove_a_filled_field(&app).await;
    app.click("undo").await;
    app.wait_text(&tid("toast-message"), "Restored the field Level").await;
    app.wait_for(&tid(&format!("field-custom-{field}"))).await;
    app.fill("field-owner", "李娜").await;
    app.click("save").await;
    app.wait_text(&tid("detail-owner"), "李娜").await;
    app.wait_text(&tid(&format!("detail-custom-{field}")), "Gold").await;
    app.quit().await;
}

// ---------------------------------------------------------------------------------------------
// Sync: a change made on another laptop arrives without "Sync now"

#[tokio::test]
async fn a_change_made_on_another_laptop_reaches_the_open_window_on_its_own_within_the_pull_interval() {
    let data = tempfile::tempdir().unwrap();
    add_server_user(data.path(), "ana@example.cn");
    add_server_user(data.path(), "bo@example.cn");
    let server = start_server(data.path(), "127.0.0.1:0");

    // Ana's window, connected.
    let profile = Profile::new();
    let app = profile.launch().await;
    app.click("sync-indicator").await;
    app.fill("sync-server", &server.base).await;
    app.fill("sync-email", "ana@example.cn").await;
    app.fill("sync-password", "long enough").await;
    app.click("sync-connect").await;
    app.wait_until("the sync indicator to say synced", async || {
        let state = app.script(&format!("return document.querySelector('{}')?.dataset.state ?? ''", tid("sync-indicator"))).await;
        Ok((state == "synced").then_some(()))
    })
    .await;
    app.click("nav-customers").await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;

    // Bo's laptop (the CLI on a database of its own) adds a person and syncs.
    let bo = tempfile::tempdir().unwrap();
    let bo_db = bo.path().join("satchel.db");
    let csv = bo.path().join("new.csv");
    std::fs::write(&csv, "name,phone\n远方客户,13912345678\n").unwrap();
    let status = Command::new(cli_binary()).arg("--db").arg(&bo_db).arg("import").arg(&csv).stdout(Stdio::null()).status().unwrap();
    assert!(status.success());
    let mut sync = Command::new(cli_binary())
        .arg("--db")
        .arg(&bo_db)
        .args(["sync", "--server", &server.base, "--email", "bo@example.cn", "--password-stdin"])
        // A token file beside Bo's database, never the tester's own keyring.
        .env("SATCHEL_TOKEN_STORE", "file")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    sync.stdin.take().unwrap().write_all(b"long enough\n").unwrap();
    let out = sync.wait_with_output().unwrap();
    assert!(out.status.success(), "Bo's sync: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let sent = Instant::now();

    // Nobody touches Ana's window: the person shows up in her list within the 20 s pull (and a
    // margin for a busy machine).
    app.wait_until_within("Bo's person to reach Ana's open list", Duration::from_secs(40), async || {
        Ok(app.texts(&tid("customer-row")).await.iter().any(|r| r.contains("远方客户")).then_some(()))
    })
    .await;
    eprintln!("arrived {:?} after Bo's sync", sent.elapsed());
    assert_eq!(app.text("customer-count").await, "1 customer");
    app.quit().await;
    drop(server);
}
