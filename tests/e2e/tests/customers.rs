//! What a user does with customers, in the real app window: create, find, edit, trash and
//! restore, quit and come back, make mistakes, switch to Chinese. Each test starts the app on its
//! own empty database (see the harness in src/lib.rs) and asserts on what the window shows.

use satchel_e2e::{tid, Profile};

const COMPANY: &str = "上海示例贸易有限公司";
const PERSON: &str = "王海示";
const PHONE: &str = "+86 138 0013 8000";
const EMAIL: &str = "wang.haishi@example.cn";

/// History lines put the arrow in its own span; compare them without the layout's spaces.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

async fn create_company(app: &satchel_e2e::App, name: &str) {
    app.click("new-company").await;
    assert_eq!(app.value("field-kind").await, "company", "New company opens the form for a company");
    app.fill("field-name", name).await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), name).await;
}

/// Fills the person form (already open) with a name, the company picked from the picker, a phone
/// and an email; does not save.
async fn fill_person(app: &satchel_e2e::App, company: Option<&str>, email: &str) {
    assert_eq!(app.value("field-kind").await, "person", "New person opens the form for a person");
    app.fill("field-name", PERSON).await;
    if let Some(company) = company {
        // Part of the name is enough; only picking from the list links the company.
        app.fill("field-company", "示例贸易").await;
        app.click_text(&tid("company-option"), company).await;
        app.wait_until("the company to be linked", async || Ok((app.value("field-company").await == company).then_some(()))).await;
        app.wait_text(&tid("customer-form"), "Linked").await;
    }
    app.click("add-phone").await;
    app.fill("field-phones-0-value", PHONE).await;
    app.click("add-email").await;
    app.fill("field-emails-0-value", email).await;
}

#[tokio::test]
async fn a_company_and_a_chinese_named_person_are_created_found_edited_and_still_there_after_a_restart() {
    let profile = Profile::new();
    let app = profile.launch().await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;

    // 1. A company, then a person who works there, with a phone and an email.
    create_company(&app, COMPANY).await;
    app.click("new-person").await;
    fill_person(&app, Some(COMPANY), EMAIL).await;
    app.click("save").await;
    assert_eq!(app.text("detail-name").await, PERSON);
    assert_eq!(app.text("company-link").await, COMPANY);
    app.wait_text(&tid("detail-phones"), PHONE).await;
    app.wait_text(&tid("detail-emails"), EMAIL).await;
    app.wait_count(&tid("history-entry"), 1).await;

    app.click("nav-customers").await;
    assert_eq!(app.text("customer-count").await, "2 customers");
    let person_row = app.wait_text(&tid("customer-row"), PERSON).await;
    assert!(person_row.contains(COMPANY) && person_row.contains(EMAIL), "the list row shows company and email: {person_row}");

    // 2. Two characters from the middle of the name find the person (and the company, whose
    // name shares them); the person's hit names the company.
    let hits = app.search("海示").await;
    assert!(hits.iter().any(|h| h.contains(PERSON) && h.contains(COMPANY)), "hits: {hits:?}");
    assert!(hits.iter().any(|h| h.contains(COMPANY) && !h.contains(PERSON)), "hits: {hits:?}");
    app.click_text(&tid("search-result"), PERSON).await;
    assert_eq!(app.text("detail-name").await, PERSON);
    assert_eq!(app.text("company-link").await, COMPANY);

    // 3. Edit owner and stage: the record shows the new values and one more history entry
    // saying what changed.
    app.click("edit").await;
    app.wait_until("the edit form to load the record", async || Ok((app.value("field-name").await == PERSON).then_some(()))).await;
    app.fill("field-owner", "李娜").await;
    app.choose("field-stage", "won").await;
    app.click("save").await;
    app.wait_text(&tid("detail-owner"), "李娜").await;
    app.wait_text(&tid("detail-stage"), "Won").await;
    app.wait_count(&tid("history-entry"), 2).await;
    let lines: Vec<String> = app.texts(&tid("history-line")).await.iter().map(|l| squash(l)).collect();
    assert!(lines.contains(&"Stage:Lead→Won".to_string()), "history lines: {lines:?}");
    assert!(lines.contains(&"Owner:—→李娜".to_string()), "history lines: {lines:?}");

    // 6. Quit and start again on the same database: everything is still there.
    app.quit().await;
    let app = profile.launch().await;
    assert_eq!(app.text("customer-count").await, "2 customers");
    let hits = app.search("王海示").await;
    assert!(hits.iter().any(|h| h.contains(PERSON) && h.contains(COMPANY)), "hits after restart: {hits:?}");
    app.click_text(&tid("search-result"), PERSON).await;
    assert_eq!(app.text("detail-name").await, PERSON);
    assert_eq!(app.text("company-link").await, COMPANY);
    app.wait_text(&tid("detail-owner"), "李娜").await;
    app.wait_text(&tid("detail-emails"), EMAIL).await;
    app.wait_count(&tid("history-entry"), 2).await;
    let hits = app.search("示例贸易").await;
    assert!(hits.iter().any(|h| h.contains(COMPANY)), "company hits after restart: {hits:?}");
    app.quit().await;
}

#[tokio::test]
async fn a_deleted_person_leaves_search_and_the_list_and_comes_back_when_restored_from_the_trash() {
    let profile = Profile::new();
    let app = profile.launch().await;
    create_company(&app, COMPANY).await;
    app.click("new-person").await;
    fill_person(&app, None, EMAIL).await;
    app.click("save").await;
    assert_eq!(app.text("detail-name").await, PERSON);

    // Delete: back on the list, with a toast that offers Undo.
    app.click("delete").await;
    app.wait_text(&tid("toast"), &format!("Moved {PERSON} to trash")).await;
    app.get("undo").await;
    assert_eq!(app.text("customer-count").await, "1 customer");
    app.wait_text(&tid("customer-row"), COMPANY).await;
    app.wait_no_text(&tid("customer-row"), PERSON).await;
    assert_eq!(app.search(PERSON).await, Vec::<String>::new(), "a trashed person is not found");

    // The trash has them; Restore puts them back.
    app.click("nav-trash").await;
    app.wait_text(&tid("customer-row"), PERSON).await;
    app.wait_no_text(&tid("customer-row"), COMPANY).await;
    app.click_css(&format!("{} {}", tid("customer-row"), tid("restore"))).await;
    app.wait_text(&tid("toast"), &format!("Restored {PERSON}")).await;
    app.wait_text(&tid("empty-state"), "Trash is empty").await;

    app.click("nav-customers").await;
    assert_eq!(app.text("customer-count").await, "2 customers");
    app.wait_text(&tid("customer-row"), PERSON).await;
    let hits = app.search(PERSON).await;
    assert!(hits.iter().any(|h| h.contains(PERSON)), "found again after restoring: {hits:?}");
    app.click_text(&tid("search-result"), PERSON).await;
    assert_eq!(app.text("detail-name").await, PERSON);
    app.wait_text(&tid("history-line"), "Moved to trash").await;
    app.wait_text(&tid("history-line"), "Restored from trash").await;
    app.quit().await;
}

#[tokio::test]
async fn a_bad_email_is_refused_next_to_its_field_keeping_what_was_typed_and_in_chinese_after_switching() {
    let profile = Profile::new();
    let app = profile.launch().await;
    create_company(&app, COMPANY).await;
    app.click("nav-customers").await;
    assert_eq!(app.text("customer-count").await, "1 customer");

    // 4. An address without a dot in its domain: Rust refuses it, the form says why under the
    // email input, and everything typed is still there.
    let bad_email = "wang.haishi@example";
    app.click("new-person").await;
    fill_person(&app, Some(COMPANY), bad_email).await;
    app.click("save").await;
    let error = "[data-error-for=\"emails.0.value\"]";
    let message = app.wait_text(error, "not a valid email address").await;
    assert!(message.starts_with("Email 1:"), "the message names the field: {message}");
    let email_input = app.get("field-emails-0-value").await;
    assert_eq!(email_input.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    assert_eq!(app.value("field-emails-0-value").await, bad_email);
    assert_eq!(app.value("field-name").await, PERSON);
    assert_eq!(app.value("field-company").await, COMPANY);
    assert_eq!(app.value("field-phones-0-value").await, PHONE);
    app.get("customer-form").await;

    // 7. Switch to Chinese: the shell speaks Chinese at once, and saving again brings Rust's
    // message back in Chinese, still under the email input.
    app.choose("lang-switch", "zh-CN").await;
    app.wait_text(&tid("nav-customers"), "客户").await;
    app.wait_text(&tid("save"), "保存").await;
    app.click("save").await;
    let message = app.wait_text(error, "格式不正确").await;
    assert!(message.starts_with("邮箱 1"), "the Chinese message names the field: {message}");
    assert_eq!(app.value("field-emails-0-value").await, bad_email);
    // An empty name too: both refusals show at once, in Chinese.
    app.fill("field-name", "").await;
    app.click("save").await;
    app.wait_text("[data-error-for=\"name\"]", "不能为空").await;
    app.wait_text(error, "格式不正确").await;

    // Nothing was saved.
    app.click("nav-customers").await;
    app.wait_text("#customers-title", "客户").await;
    assert_eq!(app.text("customer-count").await, "1 位客户");
    app.wait_text(&tid("customer-row"), COMPANY).await;
    app.wait_no_text(&tid("customer-row"), PERSON).await;
    assert_eq!(app.search(PERSON).await, Vec::<String>::new(), "the refused person was not saved");
    app.quit().await;
}

#[tokio::test]
async fn a_call_logged_on_a_person_shows_at_the_top_of_the_timeline_and_survives_a_restart() {
    const OUTCOME: &str = "约好下周拜访";
    // The newest item of the timeline, whatever its kind; it must be the call.
    let top = format!("{} > li:first-child", tid("timeline"));
    let top_call = format!("{top}{}", tid("timeline-activity"));

    let profile = Profile::new();
    let app = profile.launch().await;
    app.click("new-person").await;
    app.fill("field-name", PERSON).await;
    app.click("save").await;
    assert_eq!(app.text("detail-name").await, PERSON);
    app.wait_count(&tid("history-entry"), 1).await;

    // Log a call (the form opens with the time set to now) with a duration and a Chinese outcome.
    app.click("log-activity").await;
    let when = app.value("activity-occurred-at").await;
    assert!(when.len() == 16 && when.as_bytes()[10] == b'T', "the time defaults to now, as a local date and time: {when:?}");
    app.choose("activity-kind", "call").await;
    app.fill("activity-duration", "15").await;
    app.fill("activity-outcome", OUTCOME).await;
    app.click("activity-save").await;
    app.wait_gone(&tid("activity-form")).await;

    // It sits above the record's "Created", although both happened within the same minute.
    let shown = app.wait_text(&top_call, OUTCOME).await;
    for part in ["Call", "15 min", "Logged by"] {
        assert!(shown.contains(part), "the call shows “{part}”: {shown}");
    }
    app.wait_count(&tid("timeline-activity"), 1).await;
    app.wait_count(&tid("history-entry"), 1).await;

    // Quit and start again on the same database: the call is still the newest thing.
    app.quit().await;
    let app = profile.launch().await;
    let hits = app.search(PERSON).await;
    assert!(hits.iter().any(|h| h.contains(PERSON)), "hits after restart: {hits:?}");
    app.click_text(&tid("search-result"), PERSON).await;
    assert_eq!(app.text("detail-name").await, PERSON);
    let shown = app.wait_text(&top_call, OUTCOME).await;
    assert!(shown.contains("Call") && shown.contains("15 min"), "after restart: {shown}");
    app.wait_count(&tid("timeline-activity"), 1).await;
    app.wait_count(&tid("history-entry"), 1).await;
    app.quit().await;
}

#[tokio::test]
async fn typing_the_phone_of_an_existing_person_warns_before_saving() {
    let profile = Profile::new();
    let app = profile.launch().await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;

    app.click("new-person").await;
    app.fill("field-name", PERSON).await;
    app.click("add-phone").await;
    app.fill("field-phones-0-value", "+86 138-0013-8000").await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), PERSON).await;

    // The same number without country code or dashes: the core normalises both alike.
    app.click("new-person").await;
    app.click("add-phone").await;
    app.fill("field-phones-0-value", "13800138000").await;
    let hint = app.wait_text(&tid("duplicate-hint"), PERSON).await;
    assert!(hint.contains("Same phone"), "the hint says why: {hint}");
    assert!(app.text("duplicate-warning").await.contains(PERSON));

    // Advice only: the second person still saves.
    app.fill("field-name", "王先生").await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), "王先生").await;
    app.quit().await;
}
