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
