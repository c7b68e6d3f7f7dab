//! Custom fields on real databases: defining them, values in forms, search, list filters,
//! removal that keeps data, and CSV round trips.

use crate::fixtures::*;
use satchel_core::customers::fields::{ChoiceOption, CustomField, CustomFieldInput, FieldKind, FieldScope};
use satchel_core::customers::transfer::{ExportFormat, ImportFile};
use satchel_core::customers::{CustomValue, CustomerInput, ListQuery};
use satchel_core::error::ErrorCode;
use satchel_core::i18n::Locale;
use satchel_core::Satchel;
use std::sync::atomic::AtomicBool;

fn define(app: &Satchel) -> (CustomField, CustomField, CustomField) {
    let opt = |en: &str, zh: &str| ChoiceOption { key: String::new(), en: en.into(), zh: zh.into() };
    let level = app
        .customers()
        .create_custom_field(&CustomFieldInput {
            scope: FieldScope::Person,
            kind: FieldKind::Choice,
            label_en: "Level".into(),
            label_zh: "等级".into(),
            options: vec![opt("Gold", "金牌"), opt("Silver", "银牌")],
        })
        .unwrap();
    let budget = app
        .customers()
        .create_custom_field(&CustomFieldInput {
            scope: FieldScope::Both,
            kind: FieldKind::Number,
            label_en: "Budget".into(),
            label_zh: "预算".into(),
            options: vec![],
        })
        .unwrap();
    let wechat = text_field(app, "WeChat", "微信");
    (level, budget, wechat)
}

fn val(f: &CustomField, v: &str) -> CustomValue {
    CustomValue { field_id: f.id.clone(), value: v.into() }
}

#[test]
fn values_are_checked_stored_searched_and_filtered() {
    let db = new_db();
    let (level, budget, wechat) = define(&db.app);
    let wang = db
        .app
        .customers()
        .create(&CustomerInput {
            custom: vec![val(&level, "金牌"), val(&budget, "12,000"), val(&wechat, "wang_xm88")], ..person("王小明")
        })
        .unwrap();
    assert_eq!(wang.custom, vec![val(&level, "o1"), val(&budget, "12000"), val(&wechat, "wang_xm88")], "stored forms: key, plain number");
    db.app.customers().create(&CustomerInput { custom: vec![val(&level, "Silver")], ..person("李娜") }).unwrap();
    // A person-only field on a company is not kept.
    let co = db.app.customers().create(&CustomerInput { custom: vec![val(&level, "Gold")], ..company("示例公司") }).unwrap();
    assert!(co.custom.is_empty());

    db.app.set_locale(Locale::ZhCn);
    let e = db.app.customers().create(&CustomerInput { custom: vec![val(&budget, "很多")], ..person("张伟") }).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
    assert_eq!(e.field().map(str::to_string), Some(format!("custom.{}", budget.id)));
    assert!(db.app.app_error(&e).message.starts_with("预算："), "{}", db.app.app_error(&e).message);

    let hits = db.app.customers().search("xm88", None, 5);
    assert_eq!(hits[0].row.name, "王小明", "text fields are searched");
    let gold = db.app.customers().list(&ListQuery { custom: vec![val(&level, "o1")], ..Default::default() });
    assert_eq!(gold.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["王小明"]);
    assert!(gold.rows[0].custom.contains(&val(&budget, "12000")), "list rows carry values for optional columns");

    // Clearing a value in the form removes it.
    let mut edit = wang.to_input();
    edit.custom.retain(|v| v.field_id != wechat.id);
    assert_eq!(db.app.customers().update(&wang.id, &edit).unwrap().custom.len(), 2);
    assert!(db.app.customers().search("xm88", None, 5).is_empty());
}

#[test]
fn removing_a_field_hides_it_but_keeps_its_values_and_history() {
    let db = new_db();
    let (level, budget, _) = define(&db.app);
    let wang =
        db.app.customers().create(&CustomerInput { custom: vec![val(&level, "Gold"), val(&budget, "5")], ..person("王小明") }).unwrap();
    assert_eq!(db.app.customers().custom_field_usage(&level.id).unwrap(), 1);
    db.app.customers().remove_custom_field(&level.id).unwrap();
    assert!(!db.app.customers().custom_fields().unwrap().iter().any(|f| f.id == level.id));
    let shown = db.app.customers().get(&wang.id).unwrap();
    assert_eq!(shown.custom, vec![val(&budget, "5")]);
    // An edit saved while the field is gone does not touch its stored value.
    db.app.customers().update(&wang.id, &shown.to_input()).unwrap();
    let history = db.app.customers().history(&wang.id).unwrap();
    assert!(history.iter().any(|h| h.field == format!("custom.{}", level.id) && h.new_value.as_deref() == Some("o1")), "{history:?}");
    db.app.customers().restore_custom_field(&level.id).unwrap();
    assert!(db.app.customers().get(&wang.id).unwrap().custom.contains(&val(&level, "o1")), "the value comes back with the field");
}

#[test]
fn csv_round_trip_carries_custom_fields_by_label() {
    let a = new_db();
    let (level, budget, wechat) = define(&a.app);
    let wang = a
        .app
        .customers()
        .create(&CustomerInput {
            custom: vec![val(&level, "银牌"), val(&budget, "-3.5"), val(&wechat, "微信号, 带逗号")],
            ..person("王小明")
        })
        .unwrap();
    let (bytes, _) = a.app.customers().export(&ListQuery::default(), ExportFormat::Csv).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("Level") && text.contains("Silver"), "labels, not keys, in the spreadsheet");

    let b = new_db();
    define(&b.app);
    let file = ImportFile::from_bytes("book.csv".into(), bytes.clone(), None, None, Locale::En).unwrap();
    let plan = b.app.customers().import_check(&file, None).unwrap();
    assert!(plan.errors().is_empty(), "{:?}", plan.errors());
    b.app.customers().import_commit(&plan, &AtomicBool::new(false), &mut |_, _| {}).unwrap();
    let back = b.app.customers().get(&wang.id).unwrap();
    let by_label = |app: &Satchel, c: &satchel_core::customers::Customer| -> Vec<(String, String)> {
        let defs = app.customers().custom_fields().unwrap();
        let mut v: Vec<(String, String)> = c
            .custom
            .iter()
            .map(|cv| {
                let d = defs.iter().find(|d| d.id == cv.field_id).unwrap();
                (d.label_en.clone(), d.display(&cv.value, Locale::En))
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(by_label(&b.app, &back), by_label(&a.app, &wang));

    // Again over itself: nothing changes.
    let before: i64 = b.app.store().read(|c| Ok(c.query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))?)).unwrap();
    let plan =
        b.app.customers().import_check(&ImportFile::from_bytes("book.csv".into(), bytes, None, None, Locale::En).unwrap(), None).unwrap();
    b.app.customers().import_commit(&plan, &AtomicBool::new(false), &mut |_, _| {}).unwrap();
    let after: i64 = b.app.store().read(|c| Ok(c.query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))?)).unwrap();
    assert_eq!(before, after);

    // A wrong value in the spreadsheet is a refused row naming the column.
    let bad = "name,Budget\nA,lots\n";
    let plan = b
        .app
        .customers()
        .import_check(&ImportFile::from_bytes("bad.csv".into(), bad.as_bytes().to_vec(), None, None, Locale::En).unwrap(), None)
        .unwrap();
    assert_eq!(plan.errors()[0].column, "Budget");
    assert!(plan.errors()[0].message.starts_with("Budget: is not a number"), "{}", plan.errors()[0].message);
}

#[test]
fn a_merge_keeps_the_other_records_custom_values_and_undo_takes_them_back() {
    use satchel_core::customers::merge::MergeChoices;
    let db = new_db();
    let (level, budget, _) = define(&db.app);
    let a = db.app.customers().create(&CustomerInput { custom: vec![val(&budget, "10")], ..person("王小明") }).unwrap();
    let b =
        db.app.customers().create(&CustomerInput { custom: vec![val(&budget, "99"), val(&level, "Gold")], ..person("王晓明") }).unwrap();
    let keep = MergeChoices::keep_all();
    let out = db.app.customers().merge(&a.id, &b.id, &keep).unwrap();
    assert_eq!(out.survivor.custom, vec![val(&level, "o1"), val(&budget, "10")], "the survivor's own value wins; the missing one is added");
    db.app.customers().undo_merge(&out.undo_token).unwrap();
    assert_eq!(db.app.customers().get(&a.id).unwrap().custom, vec![val(&budget, "10")]);
    assert_eq!(db.app.customers().get(&b.id).unwrap().custom, b.custom);
}

#[test]
fn vcard_round_trip_carries_custom_fields_by_id() {
    let db = new_db();
    let (level, budget, wechat) = define(&db.app);
    let wang = db
        .app
        .customers()
        .create(&CustomerInput {
            custom: vec![val(&level, "Gold"), val(&budget, "12.5"), val(&wechat, "wang; 小明")], ..person("王小明")
        })
        .unwrap();
    let (bytes, _) = db.app.customers().export(&ListQuery::default(), ExportFormat::Vcard3).unwrap();
    assert!(String::from_utf8_lossy(&bytes).contains("X-SATCHEL-FIELD-"), "custom fields ride along as X- properties");
    // The values are cleared in the app, then the vCard file is imported back.
    db.app.customers().update(&wang.id, &CustomerInput { custom: vec![], ..wang.to_input() }).unwrap();
    let plan =
        db.app.customers().import_check(&ImportFile::from_bytes("book.vcf".into(), bytes, None, None, Locale::En).unwrap(), None).unwrap();
    assert!(plan.errors().is_empty(), "{:?}", plan.errors());
    db.app.customers().import_commit(&plan, &AtomicBool::new(false), &mut |_, _| {}).unwrap();
    assert_eq!(db.app.customers().get(&wang.id).unwrap().custom, wang.custom);
}

/// One save names every bad field: the form's own, a custom value and the company (checked
/// against the store) together, each worded for its field, and nothing is written.
#[test]
fn a_refused_save_names_every_bad_field_at_once() {
    let db = new_db();
    let (_, budget, _) = define(&db.app);
    db.app.set_locale(Locale::ZhCn);
    let before = db.app.customers().list(&ListQuery::default()).total;
    let input = CustomerInput {
        emails: vec![satchel_core::customers::ContactPoint { id: None, label: "Work".into(), value: "wang@".into() }],
        custom: vec![val(&budget, "很多")],
        company_id: Some(satchel_core::ids::CustomerId::new()),
        ..person(" ")
    };
    let e = db.app.customers().create(&input).unwrap_err();
    let app = e.to_app(Locale::ZhCn);
    let fields: Vec<&str> = app.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "emails.0.value", &format!("custom.{}", budget.id.0), "companyId"]);
    assert_eq!(app.field.as_deref(), Some("name"));
    assert!(app.fields[1].message.starts_with("邮箱 1"), "{}", app.fields[1].message);
    assert!(app.fields[2].message.contains("预算"), "{}", app.fields[2].message);
    assert_eq!(app.fields[3].reason, "invalid.unknownCompany");
    assert_eq!(db.app.customers().list(&ListQuery::default()).total, before, "nothing written");

    // An edit is refused the same way.
    let saved = db.app.customers().create(&person("王小明")).unwrap();
    let edit = CustomerInput { birthday: Some("1990-02-30".into()), custom: vec![val(&budget, "x")], ..person("") };
    let app = db.app.customers().update(&saved.id, &edit).unwrap_err().to_app(Locale::En);
    let fields: Vec<&str> = app.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "birthday", &format!("custom.{}", budget.id.0)]);
    assert_eq!(db.app.customers().get(&saved.id).unwrap().name, "王小明");
}
