//! Custom fields in the real window: define one in Settings, fill it on a person, see it on the
//! detail page, in a list column and as a list filter.

use satchel_e2e::{tid, Profile};

#[tokio::test]
async fn a_custom_choice_field_is_defined_filled_shown_and_filtered_on() {
    let profile = Profile::new();
    let app = profile.launch().await;
    app.wait_text(&tid("empty-state"), "No customers yet").await;

    // Settings: a "Level / 等级" choice for people, with two options.
    app.click("nav-settings").await;
    app.click("add-custom-field").await;
    app.fill("cf-label-en", "Level").await;
    app.fill("cf-label-zh", "等级").await;
    app.choose("cf-kind", "choice").await;
    app.choose("cf-scope", "person").await;
    for i in 0..2 {
        if app.shown(&tid(&format!("cf-option-en-{i}"))).await.unwrap().is_empty() {
            app.click("cf-add-option").await;
        }
    }
    app.fill("cf-option-en-0", "Gold").await;
    app.fill("cf-option-zh-0", "金牌").await;
    app.fill("cf-option-en-1", "Silver").await;
    app.fill("cf-option-zh-1", "银牌").await;
    app.click("cf-save").await;
    let row = app.wait_for(&tid("custom-field-row")).await;
    let field = row.attr("data-id").await.unwrap().expect("the field's id");
    assert!(row.text().await.unwrap().contains("Level"));

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
