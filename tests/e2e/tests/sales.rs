//! Sales in the real window: a deal made and dragged to "Won" on the board, a quote for it with
//! three lines (one a Chinese product from the catalogue) priced as it is typed, its PDF drawn in
//! the preview and saved (then read back with pdftotext), and the quote made into a contract.

use satchel_e2e::{cli_binary, tid, App, Profile};
use std::process::Command;
use thirtyfour::prelude::*;

fn shot(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("SATCHEL_SHOTS").map(|d| std::path::Path::new(&d).join(name))
}

/// Types into the shown input or textarea named `name` (the sales forms name their inputs by
/// the field, `lines.0.quantity`).
async fn fill_named(app: &App, name: &str, text: &str) {
    let el = app.wait_for(&format!("[name=\"{name}\"]")).await;
    app.fill_element(&el, name, text).await;
}

async fn attr(app: &App, css: &str, attribute: &str) -> String {
    let v = app.script(&format!("const e = document.querySelector({css:?}); return e ? (e.getAttribute({attribute:?}) || '') : ''")).await;
    v.as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_deal_won_on_the_board_a_quote_with_a_chinese_product_its_pdf_and_a_contract() {
    let profile = Profile::new();
    // A customer and a catalogue, as a team would have them.
    let people = profile.files().join("customers.csv");
    std::fs::write(&people, "name,kind,company\n上海示例贸易有限公司,company,\n王小明,person,上海示例贸易有限公司\n").unwrap();
    assert!(Command::new(cli_binary()).arg("--db").arg(profile.db()).arg("import").arg(&people).status().unwrap().success());
    let catalogue = profile.files().join("products.csv");
    std::fs::write(
        &catalogue,
        "code,name_en,name_zh,unit,tax_percent,active,price_CNY\nCH-100,Ergonomic office chair,人体工学办公椅,把,13,yes,1299.00\n",
    )
    .unwrap();
    let out = Command::new(cli_binary()).arg("--db").arg(profile.db()).args(["products", "import"]).arg(&catalogue).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let app = profile.launch().await;
    app.click("nav-sales").await;
    app.wait_for("[data-stage=\"won\"]").await;

    // A new deal for the customer.
    app.click_css("[data-action=\"new-deal\"]").await;
    app.wait_for(&tid("deal-form")).await;
    fill_named(&app, "title", "Chairs for HQ 总部座椅").await;
    app.fill("deal-customer-search", "上海示例").await;
    app.click_text(&tid("deal-customer-hit"), "上海示例贸易有限公司").await;
    fill_named(&app, "amount", "12000").await;
    app.click_css("[data-action=\"save-deal\"]").await;
    app.wait_text(&tid("toast-message"), "Chairs for HQ").await;

    // On the board, in the first stage; dragged to Won with the mouse.
    app.click("nav-sales").await;
    let card_css = "[data-deal-title=\"Chairs for HQ 总部座椅\"]";
    app.wait_for(&format!("[data-stage=\"qualify\"] {card_css}")).await;
    let handle = app.wait_for(&format!("{card_css} .deal-card-meta")).await;
    let won = app.wait_for("[data-stage=\"won\"]").await;
    let (from, to) = (handle.rect().await.unwrap(), won.rect().await.unwrap());
    let (dx, dy) = ((to.x + to.width / 2.0 - (from.x + from.width / 2.0)) as i64, (to.y + 80.0 - (from.y + from.height / 2.0)) as i64);
    app.driver()
        .action_chain()
        .move_to_element_center(&handle)
        .click_and_hold()
        .move_by_offset(10, 0)
        .move_by_offset(dx - 10, dy)
        .release()
        .perform()
        .await
        .expect("drag");
    app.wait_for(&format!("[data-stage=\"won\"] {card_css}")).await;
    let count = app.texts(&format!("[data-stage=\"won\"] {}", tid("column-count"))).await;
    assert_eq!(count, ["1"]);
    if let Some(p) = shot("sales-board.png") {
        app.screenshot(&p).await;
    }
    // The move is saved: the board read again (another page and back) still has it in Won.
    app.click("nav-customers").await;
    app.click("nav-sales").await;
    app.wait_for(&format!("[data-stage=\"won\"] {card_css}")).await;

    // A quote for the deal: the catalogue's chair in Chinese, and two lines typed in.
    app.click_css(&format!("{card_css} .deal-card-title")).await;
    // The drag is in the deal's history: its stage went from the first one to won.
    let moved = app.wait_text("[data-testid=\"record-history\"] [data-field=\"stage\"]", "won").await;
    assert!(moved.contains("qualify"), "{moved}");
    app.click_css("[data-action=\"new-quote\"]").await;
    app.wait_for("[data-action=\"save-quote\"]").await;
    // Addressed to the company's buyer.
    app.fill("quote-contact-search", "王小明").await;
    app.click_text(&tid("quote-contact-hit"), "王小明").await;
    app.wait_text(&tid("quote-contact-name"), "王小明").await;
    let product = app
        .script("return [...document.querySelectorAll('select[name=\"lines.0.productId\"] option')].find(o => o.dataset.code === 'CH-100')?.value || ''")
        .await;
    let product = product.as_str().expect("the chair is offered").to_string();
    let select = app.wait_for("select[name=\"lines.0.productId\"]").await;
    select.find(By::Css(format!("option[value=\"{product}\"]"))).await.expect("option").click().await.expect("pick the chair");
    app.wait_until("the chair's price filled in", async || {
        Ok((app.script("return document.querySelector('[name=\"lines.0.unitPrice\"]').value").await == "1299.00").then_some(()))
    })
    .await;
    fill_named(&app, "lines.0.quantity", "3").await;
    app.click_css("[data-action=\"add-line\"]").await;
    fill_named(&app, "lines.1.description", "Standing desk 升降桌").await;
    fill_named(&app, "lines.1.quantity", "2").await;
    fill_named(&app, "lines.1.unitPrice", "2680").await;
    fill_named(&app, "lines.1.taxPercent", "13").await;
    app.click_css("[data-action=\"add-line\"]").await;
    fill_named(&app, "lines.2.description", "Installation 安装").await;
    fill_named(&app, "lines.2.quantity", "1").await;
    fill_named(&app, "lines.2.unitPrice", "300").await;
    fill_named(&app, "lines.2.taxPercent", "6").await;
    // Priced by the core as it is typed: 3897 + 5360 + 300 = 9557; tax 1203.41 + 18 = 1221.41.
    app.wait_text("[data-total=\"total\"]", "10,778.41").await;
    app.click_css("[data-action=\"save-quote\"]").await;
    app.wait_for(&tid("quote-page")).await;
    let number = attr(&app, &tid("quote-page"), "data-number").await;
    assert!(number.starts_with("Q-") && number.ends_with("0001"), "{number}");
    app.wait_text(&tid("quote-page"), "人体工学办公椅").await;
    app.wait_text(&tid("quote-contact-name"), "王小明").await;

    // The PDF drawn in the window, then saved to Downloads and read back.
    app.click_css("[data-action=\"preview-pdf\"]").await;
    app.wait_for("[data-pdf-preview] canvas[data-pdf-page=\"1\"]").await;
    app.wait_until("the preview to finish drawing", async || {
        Ok((attr(&app, "[data-pdf-preview]", "data-pages").await == "1").then_some(()))
    })
    .await;
    let drawn = app
        .script(
            "const c = document.querySelector('canvas[data-pdf-page=\"1\"]'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let dark = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 0) dark++; return [c.width, dark]",
        )
        .await;
    let (width, dark) = (drawn[0].as_u64().unwrap_or(0), drawn[1].as_u64().unwrap_or(0));
    assert!(width > 300 && dark > 1000, "the page was drawn: {width} px wide, {dark} dark pixels");
    if let Some(p) = shot("sales-quote-preview.png") {
        app.screenshot(&p).await;
    }
    app.click_css("[data-action=\"close-preview\"]").await;
    app.click_css("[data-action=\"save-pdf\"]").await;
    app.wait_for("[data-saved-pdf]").await;
    let saved = std::path::PathBuf::from(attr(&app, "[data-saved-pdf]", "data-saved-pdf").await);
    assert!(saved.starts_with(profile.downloads()), "{} is in the profile's Downloads", saved.display());
    let text = Command::new("pdftotext").arg("-layout").arg(&saved).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    for needle in
        [number.as_str(), "人体工学办公椅", "Standing desk 升降桌", "Installation 安装", "¥10,778.41", "上海示例贸易有限公司", "王小明"]
    {
        assert!(text.contains(needle), "the saved PDF holds {needle}:\n{text}");
    }

    // One step to a contract.
    app.click_css("[data-action=\"make-contract\"]").await;
    app.wait_for(&tid("contract-page")).await;
    let contract = attr(&app, &tid("contract-page"), "data-number").await;
    assert!(contract.starts_with("C-") && contract.ends_with("0001"), "{contract}");
    app.wait_text(&tid("contract-page"), "10,778.41").await;
    if let Some(p) = shot("sales-contract.png") {
        app.screenshot(&p).await;
    }
    app.quit().await;
    // The CLI sees what the window made: the quote accepted, the contract from it.
    let out = Command::new(cli_binary()).arg("--db").arg(profile.db()).args(["quote", "show", &number, "--json"]).output().unwrap();
    let q: serde_json::Value = serde_json::from_slice(&out.stdout).expect("quote JSON");
    assert_eq!((q["status"].as_str(), q["total"].as_str()), (Some("accepted"), Some("10778.41")));
}

/// Types into the shown element matching `css`.
async fn fill_css(app: &App, css: &str, text: &str) {
    let el = app.wait_for(css).await;
    app.fill_element(&el, css, text).await;
}

/// Every other sales screen in the real window: a letterhead logo and a deal custom field set in
/// Settings, a lead converted into a deal (whose custom field, task and meeting are then kept on
/// it), the deals list filtered and saved as a view, the forecast, the catalogue imported from a
/// CSV file, and a contract's payment schedule edited and marked paid.
#[tokio::test]
async fn settings_a_converted_lead_its_tasks_the_list_forecast_catalogue_and_a_contract_schedule() {
    let profile = Profile::new();
    let cli = |args: &[&str]| {
        let out = Command::new(cli_binary()).arg("--db").arg(profile.db()).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let people = profile.files().join("customers.csv");
    std::fs::write(&people, "name,kind,stage\n杭州新客户科技有限公司,company,lead\nAcme Trading,company,won\n").unwrap();
    cli(&["import", people.to_str().unwrap()]);
    // A contract to edit: made from a quote with the CLI, as a script would.
    let lines = profile.files().join("lines.csv");
    std::fs::write(&lines, "description,quantity,unit,unit_price,discount_percent,tax_percent\nAnnual support 年度支持,1,year,10000,0,0\n")
        .unwrap();
    let quote = cli(&["quote", "new", "--customer", "Acme Trading", "--lines", lines.to_str().unwrap()]);
    let contract = cli(&["contract", "new", "--from-quote", &quote]);
    let logo = profile.files().join("logo.png");
    assert!(Command::new("convert").args(["-size", "120x40", "xc:#1f4e79"]).arg(&logo).status().unwrap().success());

    let app = profile.launch().await;

    // Settings: the letterhead's logo, and a custom field for deals.
    app.click("nav-settings").await;
    app.wait_for(&tid("sales-settings")).await;
    let input = app.file_input("logo-input").await;
    input.send_keys(logo.display().to_string()).await.expect("choose the logo");
    app.wait_for(&tid("logo-preview")).await;
    app.choose("sales-fields-type", "opportunity").await;
    let deal_fields = tid("custom-fields-opportunity");
    app.click_css(&format!("{deal_fields} {}", tid("add-custom-field"))).await;
    fill_css(&app, &format!("{deal_fields} {}", tid("cf-label-en")), "Lead source").await;
    fill_css(&app, &format!("{deal_fields} {}", tid("cf-label-zh")), "线索来源").await;
    app.click_css(&format!("{deal_fields} {}", tid("cf-save"))).await;
    app.wait_text(&format!("{deal_fields} {}", tid("custom-field-row")), "Lead source").await;
    assert!(
        app.texts(&format!("{} {}", tid("custom-fields"), tid("custom-field-row"))).await.is_empty(),
        "customers did not get the deal's field"
    );

    // The lead becomes a company with a person and a deal in one step.
    app.click("nav-customers").await;
    app.click_text(&tid("customer-row"), "杭州新客户科技有限公司").await;
    app.click_css("[data-action=\"convert-lead\"]").await;
    let dialog = tid("convert-dialog");
    fill_css(&app, &format!("{dialog} [name=\"personName\"]"), "李雷").await;
    fill_css(&app, &format!("{dialog} [name=\"title\"]"), "Smart office 智能办公").await;
    fill_css(&app, &format!("{dialog} [name=\"amount\"]"), "8000").await;
    app.click_css("[data-action=\"confirm-convert\"]").await;
    app.wait_for(&tid("deal-form")).await;
    assert_eq!(app.script("return document.querySelector('[name=\"title\"]').value").await, "Smart office 智能办公");

    // Its custom field, saved and read back.
    fill_css(&app, &format!("{} input", tid("custom-field-group")), "Trade fair 展会").await;
    app.click_css("[data-action=\"save-deal\"]").await;
    app.wait_text(&tid("toast-message"), "Smart office").await;
    // A task for the deal, added on its page and ticked done there.
    app.fill("deal-task-title", "Send samples 寄样品").await;
    app.click("deal-task-add-button").await;
    app.wait_text(&tid("deal-task"), "Send samples 寄样品").await;
    app.click_css(&tid("deal-task-done")).await;
    app.wait_for("[data-testid=\"deal-task\"][data-done=\"true\"]").await;
    // A meeting planned from the deal: the form names the deal, and the deal lists it.
    app.click("deal-new-event").await;
    app.wait_for(&tid("event-form")).await;
    app.wait_until("the event form to name the deal", async || {
        Ok((app
            .script("const s = document.querySelector('[data-testid=\"event-deal\"]'); return s ? s.options[s.selectedIndex].text : ''")
            .await
            == "Smart office 智能办公")
            .then_some(()))
    })
    .await;
    app.fill("event-title", "Site survey 现场勘察").await;
    app.click("event-save").await;
    app.wait_text(&tid("deal-event"), "Site survey 现场勘察").await;
    app.wait_text(&tid("deal-task"), "Send samples 寄样品").await;
    let kept = app.script("return document.querySelector('[data-testid=\"custom-field-group\"] input').value").await;
    assert_eq!(kept, "Trade fair 展会", "the custom value is kept with the deal");
    if let Some(p) = shot("sales-deal.png") {
        app.script("document.querySelector('[data-testid=\"custom-field-group\"]').scrollIntoView({block: 'start'}); return null").await;
        app.screenshot(&p).await;
    }

    // A quote for the deal whose lines come from a spreadsheet saved as GBK CSV with Chinese
    // headers: a row that does not parse is named by its row and nothing is added; the fixed
    // file fills the lines, priced by the core.
    let gbk = |name: &str, text: &str| {
        let utf8 = profile.files().join(format!("{name}.utf8"));
        std::fs::write(&utf8, text).unwrap();
        let out = Command::new("iconv").args(["-f", "UTF-8", "-t", "GBK"]).arg(&utf8).output().unwrap();
        assert!(out.status.success());
        let path = profile.files().join(format!("{name}.csv"));
        std::fs::write(&path, out.stdout).unwrap();
        path
    };
    let bad = gbk("bad-lines", "名称,数量,单位,单价,折扣,税率\n智能门锁安装,两,次,150,0,6\n");
    let good = gbk("lines", "名称,数量,单位,单价,折扣,税率\n智能门锁安装,2,次,150,0,6\n网关 Gateway,1,台,899.5,10,13\n");
    app.click_css("[data-action=\"new-quote\"]").await;
    app.wait_for("[data-action=\"save-quote\"]").await;
    let input = app.file_input("lines-file").await;
    input.send_keys(bad.display().to_string()).await.expect("choose the bad file");
    let refused = app.wait_for(&format!("{} li[data-row=\"2\"]", tid("row-errors"))).await;
    assert!(refused.text().await.unwrap_or_default().contains('2'), "the row is named");
    let input = app.file_input("lines-file").await;
    input.send_keys(good.display().to_string()).await.expect("choose the file");
    app.wait_gone(&tid("row-errors")).await;
    // 2 x 150 = 300 (+6 % = 18); 899.50 less 10 % = 809.55 (+13 % = 105.24): 1,232.79.
    app.wait_text("[data-total=\"total\"]", "1,232.79").await;
    assert_eq!(app.script("return document.querySelector('[name=\"lines.1.description\"]').value").await, "网关 Gateway");
    app.click_css("[data-action=\"save-quote\"]").await;
    app.wait_for(&tid("quote-page")).await;
    // Sent, then revised: the revision is a new draft version and the sent one stays readable.
    app.click_css("[data-action=\"send-quote\"]").await;
    app.wait_for("[data-testid=\"quote-page\"][data-status=\"sent\"]").await;
    app.click_css("[data-action=\"revise-quote\"]").await;
    // The revision opens in the editor with the lines carried over.
    app.wait_text("[data-total=\"total\"]", "1,232.79").await;
    app.click_css("[data-action=\"save-quote\"]").await;
    app.wait_text(&tid("quote-version"), "v2").await;
    app.wait_for("[data-testid=\"quote-page\"][data-status=\"draft\"]").await;
    app.click("quote-version-link").await;
    app.wait_text(&tid("quote-version"), "v1").await;
    app.wait_for("[data-testid=\"quote-page\"][data-status=\"superseded\"]").await;
    app.wait_text(&tid("quote-page"), "网关 Gateway").await;
    app.click("quote-deal").await;
    app.wait_text(&tid("deal-quote"), "Q-").await;

    // The deals list: filtered by a word, saved as a view, and the view brings the filter back.
    app.click("nav-sales").await;
    app.click("pipeline-tab-list").await;
    app.wait_text(&tid("deal-row"), "Smart office").await;
    app.fill("deal-query", "杭州").await;
    app.wait_until("the list filtered to the one deal", async || Ok((app.texts(&tid("deal-row")).await.len() == 1).then_some(()))).await;
    app.click("deal-view-save").await;
    app.fill("deal-view-name", "杭州 deals").await;
    app.click("deal-view-confirm").await;
    app.wait_text(&tid("deal-view"), "杭州 deals").await;
    app.click("deal-filter-clear").await;
    app.wait_until("the filter cleared", async || Ok((app.value("deal-query").await.is_empty()).then_some(()))).await;
    app.click_text(&format!("{} button", tid("deal-view")), "杭州 deals").await;
    app.wait_until("the view's filter back", async || Ok((app.value("deal-query").await == "杭州").then_some(()))).await;
    assert_eq!(app.texts(&tid("deal-row")).await.len(), 1);
    if let Some(p) = shot("sales-list.png") {
        app.screenshot(&p).await;
    }
    // The forecast weighs the open deal by its stage's probability.
    app.click("deal-filter-clear").await;
    app.click("pipeline-tab-forecast").await;
    let row = app.wait_text(&tid("forecast-row"), "8,000.00").await;
    assert!(row.contains("CNY"), "{row}");

    // The catalogue from a CSV file, Chinese names and all.
    app.click("nav-products").await;
    let catalogue = profile.files().join("products.csv");
    std::fs::write(&catalogue, "code,name_en,name_zh,unit,tax_percent,active,price_CNY\nSO-1,Smart lock,智能门锁,个,13,yes,899.00\nSO-2,Sensor kit,传感器套件,套,13,yes,299.50\n").unwrap();
    let input = app.file_input("products-file").await;
    input.send_keys(catalogue.display().to_string()).await.expect("choose the catalogue");
    app.wait_text(&tid("product-row"), "智能门锁").await;
    app.wait_text(&tid("product-row"), "传感器套件").await;
    assert_eq!(app.texts(&tid("product-row")).await.len(), 2);

    // The contract's schedule split in two, saved, and the first part marked paid.
    app.click("nav-contracts").await;
    app.click_text(&format!("{} button", tid("contract-row")), &contract).await;
    app.wait_for(&tid("contract-page")).await;
    app.click_css("[data-action=\"edit-contract\"]").await;
    app.wait_for(&tid("contract-editor")).await;
    fill_named(&app, "instalments.0.amount", "4000").await;
    app.click_css("[data-action=\"add-instalment\"]").await;
    fill_named(&app, "instalments.1.label", "Balance 尾款").await;
    fill_named(&app, "instalments.1.amount", "6000").await;
    app.click_css("[data-action=\"save-contract\"]").await;
    app.wait_for(&tid("contract-page")).await;
    app.wait_count(&tid("instalment"), 2).await;
    app.click_css("[data-action=\"mark-paid\"]").await;
    app.wait_for("[data-action=\"mark-unpaid\"]").await;
    if let Some(p) = shot("sales-contract-schedule.png") {
        app.screenshot(&p).await;
    }
    // A contract without a quote (a service agreement), numbered after the first.
    app.click("nav-contracts").await;
    app.click_css("[data-action=\"new-contract\"]").await;
    app.wait_for(&tid("contract-editor")).await;
    app.fill("contract-customer-search", "Acme").await;
    app.click_text(&tid("contract-customer-hit"), "Acme Trading").await;
    fill_named(&app, "title", "Maintenance 2027 维护").await;
    fill_named(&app, "value", "5000").await;
    app.click_css("[data-action=\"save-contract\"]").await;
    app.wait_for(&tid("contract-page")).await;
    let second = attr(&app, &tid("contract-page"), "data-number").await;
    assert!(second.starts_with("C-") && second.ends_with("0002") && second != contract, "{second} after {contract}");
    app.wait_text(&tid("contract-value"), "5,000.00").await;
    app.quit().await;
    let show = cli(&["quote", "show", &quote, "--json"]);
    assert!(show.contains("\"accepted\""), "{show}");
}
