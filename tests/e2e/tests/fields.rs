//! Custom fields in the real window: define one in Settings, fill it on a person, see it on the
//! detail page, in a list column and as a list filter.

use satchel_e2e::{define_level_field, tid, Profile};

#[tokio::test]
async fn a_custom_choice_field_is_defined_filled_shown_and_filtered_on() {
    let profile = Profile::new();
    let app = profile.launch().await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;

    // Settings: a "Level / 等级" choice for people, with two options.
    let field = define_level_field(&app, "person").await;
    assert!(app.text("custom-field-row").await.contains("Level"));

    // A person with the field filled in.
    app.click("new-person").await;
    app.fill("field-name", "王小明").await;
    app.choose(&format!("field-custom-{field}"), "o1").await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), "王小明").await;
    app.wait_text(&tid(&format!("detail-custom-{field}")), "Gold").await;

    // And another without it; the list filter on the field keeps only the first.
    app.click("new-person").await;
    app.fill("field-name", "李娜").await;
    app.click("save").await;
    app.wait_text(&tid("detail-name"), "李娜").await;
    app.click("nav-customers").await;
    app.wait_text(&tid("customer-count"), "2").await;
    app.choose(&format!("filter-custom-{field}"), "o1").await;
    app.wait_text(&tid("customer-count"), "1 customer").await;
    app.click("columns-button").await;
    app.click(&format!("column-toggle-{field}")).await;
    app.wait_text(&tid(&format!("cell-custom-{field}")), "Gold").await;
    app.quit().await;
}

#[tokio::test]
async fn a_wrong_number_is_refused_next_to_its_field_in_chinese_and_removal_asks_first() {
    let profile = Profile::new();
    let app = profile.launch().await;
    app.choose("lang-switch", "zh-CN").await;
    app.click("nav-settings").await;
    app.click("add-custom-field").await;
    app.fill("cf-label-en", "Budget").await;
    app.fill("cf-label-zh", "预算").await;
    app.choose("cf-kind", "number").await;
    app.click("cf-save").await;
    let field = app.wait_for(&tid("custom-field-row")).await.attr("data-id").await.unwrap().expect("the field's id");

    app.click("new-person").await;
    app.fill("field-name", "王小明").await;
    app.fill(&format!("field-custom-{field}"), "很多").await;
    app.click("save").await;
    let error = app.wait_text(&format!("[data-error-for=\"custom.{field}\"]"), "预算").await;
    assert!(error.contains("不是数字"), "{error}");
    assert_eq!(app.value(&format!("field-custom-{field}")).await, "很多", "what was typed stays");
    app.fill(&format!("field-custom-{field}"), "12,000").await;
    app.click("save").await;
    app.wait_text(&tid(&format!("detail-custom-{field}")), "12000").await;

    app.click("nav-settings").await;
    app.click(&format!("cf-remove-{field}")).await;
    let ask = app.wait_text(&tid("cf-remove-message"), "1").await;
    assert!(ask.contains("预算") && ask.contains("历史"), "{ask}");
    app.quit().await;
}
