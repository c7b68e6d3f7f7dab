//! The shared layout on small screens, in the real window: a 1366x768 laptop and a 1024x600
//! netbook. On the list, a record, the new-person form, the import page and Find duplicates,
//! nothing may stick out of the window sideways (no horizontal scrolling, no control cut off
//! by the page's edge), a name cut short in the list keeps its full text in its title, and a
//! refused save brings the first bad field fully into view, clear of the sticky Save bar.
//!
//! 1366x768 needs an X screen at least that big (the window cannot grow past the screen): run
//! Xvfb with `-screen 0 1400x900x24`, as `make e2e` does. On a smaller screen the test fails
//! saying so, rather than quietly checking less.

use std::process::Command;

use satchel_e2e::{cli_binary, tid, App, Profile};
use serde_json::Value;

const LONG_NAME: &str = "Maximilian Alexander Fitzgerald-Montgomery of the Very Long Name Trading Company";
const LONG_EMAIL: &str = "maximilian.alexander.fitzgerald-montgomery@extremely-long-domain-name-example.co.uk";

/// A profile with 200 demo customers, one person with a very long name and email, and one
/// likely duplicate pair (the same mobile written two ways).
fn profile_with_data() -> Profile {
    let profile = Profile::new();
    let status = Command::new(cli_binary()).arg("--db").arg(profile.db()).args(["demo-data", "--customers", "200"]).status().unwrap();
    assert!(status.success(), "demo-data failed: {status}");
    let csv = profile.files().join("people.csv");
    std::fs::write(
        &csv,
        format!(
            "name,phone,email,owner\n\
             {LONG_NAME},+86 139 0000 1111,{LONG_EMAIL},李娜\n\
             王小明,+86 138-0013-8000,wang@example.cn,李娜\n\
             王晓明,13800138000,xiaoming@example.com,\n"
        ),
    )
    .unwrap();
    let status = Command::new(cli_binary()).arg("--db").arg(profile.db()).arg("import").arg(&csv).status().unwrap();
    assert!(status.success(), "import failed: {status}");
    profile
}

/// Everything shown that sticks out of the window sideways, or out of a box that clips it, and
/// every box that would need scrolling sideways. Text cut short with an ellipsis is fine (its
/// box fits; the full text is in its title); so is what a vertical scroller holds above or below
/// its visible part.
const OVERFLOW_JS: &str = r#"
const width = document.documentElement.clientWidth;
const problems = [];
const describe = (e) => {
  const id = e.getAttribute('data-testid');
  const cls = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '';
  const text = (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return `${e.tagName.toLowerCase()}${id ? `[${id}]` : ''}${cls} “${text}”`;
};
if (document.documentElement.scrollWidth > window.innerWidth) {
  problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`);
}
for (const e of document.querySelectorAll('body *')) {
  const style = getComputedStyle(e);
  if (style.display === 'none' || style.visibility === 'hidden' || style.display === 'contents') continue;
  if (e.closest('.visually-hidden, option, datalist')) continue;
  const r = e.getBoundingClientRect();
  if (r.width < 2 || r.height < 2) continue;
  // Inside a box that scrolls vertically or clips, and out of its visible height: not shown.
  let hidden = false;
  let clipper = null;
  for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    const ps = getComputedStyle(p);
    if (ps.overflowX === 'visible' && ps.overflowY === 'visible') continue;
    const pr = p.getBoundingClientRect();
    if (r.bottom <= pr.top + 1 || r.top >= pr.bottom - 1) { hidden = true; break; }
    if (!clipper && ps.overflowX !== 'visible') clipper = pr;
  }
  if (hidden) continue;
  if (r.right > width + 0.5 || r.left < -0.5) {
    problems.push(`${describe(e)} spans ${Math.round(r.left)}..${Math.round(r.right)} in a ${width}px window`);
  } else if (clipper && (r.right > clipper.right + 0.5 || r.left < clipper.left - 0.5)) {
    problems.push(`${describe(e)} spans ${Math.round(r.left)}..${Math.round(r.right)}, cut off by a box ending at ${Math.round(clipper.right)}`);
  }
  const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
  const tag = e.tagName;
  if (scrolls && tag !== 'INPUT' && tag !== 'TEXTAREA' && tag !== 'SELECT' && e.scrollWidth > e.clientWidth + 1) {
    problems.push(`${describe(e)} scrolls sideways (${e.scrollWidth}px of content in ${e.clientWidth}px)`);
  }
}
return problems.slice(0, 25);
"#;

async fn assert_nothing_sticks_out(app: &App, page: &str, size: &str) {
    // Layout settles over a frame or two after navigation (fonts, the virtual list's rows).
    if let Ok(dir) = std::env::var("SATCHEL_SHOTS") {
        app.screenshot(&std::path::Path::new(&dir).join(format!("layout-{page}-{size}.png"))).await;
    }
    let mut problems = Vec::new();
    for _ in 0..10 {
        problems = match app.script(OVERFLOW_JS).await {
            Value::Array(items) => items.into_iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect(),
            other => panic!("the overflow check answered {other}"),
        };
        if problems.is_empty() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("at {size} the {page} page has things sticking out sideways:\n- {}", problems.join("\n- "));
}

/// Visits the list, a record, the new-person form, the import page and Find duplicates at the
/// window's current size.
async fn check_pages(app: &App, sheet: &std::path::Path, size: &str) {
    app.click("nav-customers").await;
    app.wait_for(&tid("customer-row")).await;
    assert_nothing_sticks_out(app, "list", size).await;

    // The long name, cut short in the list, keeps its full text in its title (hover) and in
    // what a screen reader reads.
    app.fill("list-search", "Maximilian").await;
    app.wait_text(&tid("customer-row"), "Maximilian").await;
    let cut = app
        .script(
            "const row = document.querySelector('[data-testid=\"customer-row\"]'); \
             return [...row.querySelectorAll('.cell-text')].filter((e) => e.scrollWidth > e.clientWidth + 1) \
               .map((e) => [e.textContent, e.getAttribute('title') || e.closest('[title]')?.getAttribute('title') || '']);",
        )
        .await;
    let cut: Vec<(String, String)> = serde_json::from_value(cut).expect("pairs of texts");
    let name =
        cut.iter().find(|(text, _)| text == LONG_NAME).unwrap_or_else(|| panic!("at {size} the long name is not cut short: {cut:?}"));
    assert_eq!(name.1, LONG_NAME, "at {size} the cut-off name has its full text as its title");
    for (text, title) in &cut {
        assert_eq!(title, text, "at {size} every cut-off cell has its full text as its title");
    }
    assert_nothing_sticks_out(app, "list-search", size).await;
    app.fill("list-search", "").await;

    // The record.
    app.click_text(&tid("customer-row"), "Maximilian").await;
    app.wait_text(&tid("detail-name"), "Maximilian").await;
    assert_nothing_sticks_out(app, "detail", size).await;
    // With the form logging an activity open in the timeline.
    app.click("log-activity").await;
    app.wait_for(&tid("activity-form")).await;
    assert_nothing_sticks_out(app, "detail-activity", size).await;

    // The new-person form, with a phone and an email row.
    app.click("new-person").await;
    app.click("add-phone").await;
    app.click("add-email").await;
    assert_nothing_sticks_out(app, "form", size).await;
    app.click("cancel").await;

    // Import: the page, then a file mapped.
    app.click("nav-customers").await;
    app.click("import-button").await;
    app.wait_for(&tid("import-page")).await;
    assert_nothing_sticks_out(app, "import", size).await;
    let input = app.file_input("import-file-input").await;
    input.send_keys(sheet.display().to_string()).await.expect("hand the file to the import");
    app.wait_text(&tid("import-mapping"), "Fitzgerald").await;
    assert_nothing_sticks_out(app, "import-mapping", size).await;
    app.click("import-check").await;
    app.wait_for(&tid("import-summary")).await;
    assert_nothing_sticks_out(app, "import-check", size).await;

    // Find duplicates.
    app.click("nav-duplicates").await;
    app.wait_for(&tid("duplicate-pair")).await;
    assert_nothing_sticks_out(app, "duplicates", size).await;

    // Merging a pair, field by field (not confirmed).
    app.click("duplicate-merge").await;
    app.wait_for(&tid("merge-confirm")).await;
    assert_nothing_sticks_out(app, "merge", size).await;

    // The trash list, with its Restore column.
    app.click("nav-trash").await;
    app.wait_for(&tid("customer-row")).await;
    assert_nothing_sticks_out(app, "trash", size).await;

    // Settings, with a custom field being defined.
    app.click("nav-settings").await;
    app.click("add-custom-field").await;
    app.choose("cf-kind", "choice").await;
    assert_nothing_sticks_out(app, "settings", size).await;
    app.click("cf-cancel").await;

    // The list in Chinese.
    app.choose("lang-switch", "zh-CN").await;
    app.click("nav-customers").await;
    app.wait_text(&tid("customer-count"), "位客户").await;
    app.wait_for(&tid("customer-row")).await;
    assert_nothing_sticks_out(app, "list-zh", size).await;
    app.choose("lang-switch", "en").await;
    app.wait_text(&tid("customer-count"), "customers").await;
}

#[tokio::test]
async fn nothing_sticks_out_sideways_at_1024x600_1366x768_and_1100x700() {
    let profile = profile_with_data();
    // A sheet to import with long values and more columns than the list has.
    let sheet = profile.files().join("wide.csv");
    let mut text = String::from("Name,Company,Mobile,Work phone,E-mail,Owner,Stage,Tags,Source,Notes,Street,City\n");
    for i in 0..5 {
        text.push_str(&format!(
            "{LONG_NAME} {i},Fitzgerald International Holdings Limited,+86 139 0000 {i:04},010 8888 {i:04} ext. 12,{LONG_EMAIL},李娜,won,wholesale;newsletter;重点,Trade fair 2026,\"A note that goes on and on about what was said at the fair and afterwards\",Room 1201 Tower B 88 Century Avenue Pudong New District,Shanghai\n"
        ));
    }
    std::fs::write(&sheet, text).unwrap();
    let app = profile.launch().await;
    // One demo customer in the trash (the first rows are the ones imported above).
    app.wait_for(&tid("customer-row")).await;
    app.script("document.querySelectorAll('[data-testid=\"customer-row\"]')[5].click()").await;
    app.click("delete").await;
    app.wait_for(&tid("toast")).await;

    app.resize(1024, 600).await;
    check_pages(&app, &sheet, "1024x600").await;
    app.resize(1366, 768).await;
    check_pages(&app, &sheet, "1366x768").await;
    // The narrowest window with the whole sidebar (just above where it folds to icons).
    app.resize(1100, 700).await;
    check_pages(&app, &sheet, "1100x700").await;
    app.quit().await;
}

/// Where `css` is against the form's page: in view between the page's title and the sticky Save
/// bar, and whether it has focus. None while it is not shown.
const CLEAR_JS: &str = r#"
const el = document.querySelector(arguments[0]);
if (!el) return null;
const r = el.getBoundingClientRect();
const body = el.closest('.page-body').getBoundingClientRect();
const title = document.querySelector('.page-header').getBoundingClientRect();
const bar = document.querySelector('.form-actions').getBoundingClientRect();
const top = Math.max(body.top, title.bottom);
const bottom = Math.min(body.bottom, bar.top, window.innerHeight);
return { focused: document.activeElement === el, clear: r.top >= top - 0.5 && r.bottom <= bottom + 0.5 && r.height > 0,
  where: `${Math.round(r.top)}..${Math.round(r.bottom)} between ${Math.round(top)} and ${Math.round(bottom)} (title ends ${Math.round(title.bottom)}, Save bar starts ${Math.round(bar.top)})` };
"#;

async fn clear_of_bars(app: &App, css: &str) -> (bool, bool, String) {
    let answer = app.driver().execute(CLEAR_JS, vec![serde_json::json!(css)]).await.expect("measure").json().clone();
    if answer.is_null() {
        return (false, false, format!("{css} is not there"));
    }
    (
        answer["focused"].as_bool().unwrap_or(false),
        answer["clear"].as_bool().unwrap_or(false),
        answer["where"].as_str().unwrap_or_default().to_string(),
    )
}

/// Waits until `css` is wholly in view, clear of the sticky title and Save bar, and (when
/// `focus`) has focus; fails with where it is.
async fn wait_clear(app: &App, css: &str, focus: bool, why: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (focused, clear, where_) = clear_of_bars(app, css).await;
        if clear && (focused || !focus) {
            return;
        }
        if std::time::Instant::now() > deadline {
            panic!("{why}: {css} has focus: {focused}, spans {where_}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_refused_save_shows_the_first_bad_field_whole_with_focus_clear_of_the_sticky_bars() {
    let profile = Profile::new();
    let app = profile.launch().await;
    app.resize(1024, 600).await;
    app.click("new-person").await;

    // Rows added one after another: each new row gets focus in view, and "+ Add email" below
    // them is never left under the Save bar.
    for i in 0..3 {
        app.click("add-phone").await;
        let input = format!("[data-testid=\"field-phones-{i}-value\"]");
        wait_clear(&app, &input, true, &format!("the new phone row {i} should have focus, clear of the Save bar")).await;
        let (_, clear, where_) = clear_of_bars(&app, &tid("add-email")).await;
        assert!(clear, "after adding phone {i}, + Add email is covered: {where_}");
        app.fill(&format!("field-phones-{i}-value"), &format!("+86 138 0013 800{i}")).await;
    }
    app.click("add-email").await;
    wait_clear(&app, &tid("field-emails-0-value"), true, "the new email row should have focus, clear of the Save bar").await;
    let (_, clear, where_) = clear_of_bars(&app, &tid("add-address")).await;
    assert!(clear, "after adding an email, + Add address is covered: {where_}");
    app.fill("field-emails-0-value", "wang.haishi@example").await;

    // No name and a bad email, saved from the foot of the form: the name (first in form order)
    // comes back into view with focus, below the page's title.
    app.script("document.querySelector('.page-body').scrollTop = 1e6").await;
    app.click("save").await;
    app.wait_for("[data-error-for=\"name\"]").await;
    wait_clear(&app, &tid("field-name"), true, "the empty name should have focus, wholly in view").await;
    wait_clear(&app, "[data-error-for=\"name\"]", false, "the name's message should be in view").await;

    // With a name, the core refuses the email: saved from the top of the form, the email field
    // scrolls up from under the Save bar, with its message.
    app.fill("field-name", "王海示").await;
    app.script("document.querySelector('.page-body').scrollTop = 0").await;
    app.click("save").await;
    app.wait_text("[data-error-for=\"emails.0.value\"]", "not a valid email address").await;
    wait_clear(&app, &tid("field-emails-0-value"), true, "the bad email should have focus, clear of the Save bar").await;
    wait_clear(&app, "[data-error-for=\"emails.0.value\"]", false, "the email's message should be clear of the Save bar").await;
    if let Ok(dir) = std::env::var("SATCHEL_SHOTS") {
        app.screenshot(&std::path::Path::new(&dir).join("layout-form-error-1024x600.png")).await;
    }
    app.quit().await;
}
