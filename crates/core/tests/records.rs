//! The shared record features serve any record type as they serve customers: attachments,
//! custom fields and values, saved views, history with lost values, and the trash, proven on a
//! test-only record type (a deal under a customer, with lines as its parts; see
//! `satchel_proto::tables::testing`). Its own test binary: the test tables and record type are
//! registered before anything reads the schema.

mod common;

use common::open_with_test_tables;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::ids::CustomerId;
use satchel_core::records::fields::{self, CustomFieldInput, CustomValue, FieldKind, FieldScope};
use satchel_core::records::{attachments, history, trash, views, RecordRef};
use satchel_core::rusqlite::types::Value;
use satchel_core::store::Change;
use satchel_core::Satchel;
use satchel_proto::tables::testing::{TEST_DEAL, TEST_DEALS, TEST_DEAL_LINES};
use std::sync::{Arc, Mutex};

fn open(author: &str) -> (Satchel, tempfile::TempDir) {
    open_with_test_tables(author)
}

/// A customer with a deal of two lines; returns (customer, deal, lines).
fn deal(app: &Satchel, n: u8) -> (CustomerId, RecordRef, [String; 2]) {
    let customer = app.customers().create(&CustomerInput::named(CustomerKind::Company, "王氏贸易")).unwrap();
    let id = format!("0190f5c0-0000-7000-8000-0000000000{n:02x}");
    let lines = [format!("{id}-l1"), format!("{id}-l2")];
    app.store()
        .write(|w| {
            w.insert(
                &TEST_DEALS,
                &id,
                &[("customer_id", Value::Text(customer.id.to_string())), ("title", Value::Text("年度合同".into()))],
            )?;
            for (line, text) in lines.iter().zip(["打印机 ×2", "墨盒 ×10"]) {
                w.insert(&TEST_DEAL_LINES, line, &[("deal_id", Value::Text(id.clone())), ("text", Value::Text(text.into()))])?;
            }
            Ok(())
        })
        .unwrap();
    (customer.id, RecordRef::new(&TEST_DEAL, id), lines)
}

fn budget_field() -> CustomFieldInput {
    CustomFieldInput {
        scope: FieldScope::Both,
        kind: FieldKind::Number,
        label_en: "Budget".into(),
        label_zh: "预算".into(),
        options: vec![],
    }
}

fn set_budget(app: &Satchel, record: &RecordRef, field: &satchel_core::ids::FieldId, raw: &str) {
    let defs = fields::list(app.store(), record.kind).unwrap();
    let values = fields::clean_values(&defs, "", &[CustomValue { field_id: field.clone(), value: raw.into() }]).unwrap();
    app.store().write(|w| fields::write_values(w, record, &values, false)).unwrap();
}

#[test]
fn a_deal_has_attachments_fields_views_and_history_of_its_own_beside_its_customers() {
    let (app, _dir) = open("ana");
    let (customer, deal, _) = deal(&app, 1);
    let store = app.store();

    // Attachments: on the deal, not on its customer; none on a record that does not exist.
    let file = attachments::add(store, &deal, "报价单.pdf", b"%PDF-1.4 quote").unwrap();
    assert_eq!((file.record_type.as_str(), file.record_id.as_str()), ("test_deal", deal.id.as_str()));
    assert_eq!(attachments::list(store, &deal).unwrap().iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["报价单.pdf"]);
    assert!(app.customers().attachments(&customer).unwrap().is_empty());
    let nowhere = RecordRef::new(&TEST_DEAL, "0190f5c0-0000-7000-8000-0000000000ff");
    let e = attachments::add(store, &nowhere, "x.txt", b"x").unwrap_err();
    assert!(matches!(e, satchel_core::error::CoreError::NotFound { what: "test_deal", .. }), "{e:?}");

    // Custom fields are per record type: the deal's budget is not a customer field, and the
    // customers' fields are not the deal's.
    let budget = fields::create(store, &TEST_DEAL, &budget_field()).unwrap();
    let industry = app
        .customers()
        .create_custom_field(&CustomFieldInput {
            kind: FieldKind::Text,
            label_en: "Industry".into(),
            label_zh: "行业".into(),
            ..budget_field()
        })
        .unwrap();
    assert_eq!(fields::list(store, &TEST_DEAL).unwrap().iter().map(|f| f.id.clone()).collect::<Vec<_>>(), [budget.clone()]);
    assert_eq!(app.customers().custom_fields().unwrap().iter().map(|f| f.id.clone()).collect::<Vec<_>>(), [industry.id.clone()]);
    set_budget(&app, &deal, &budget, "120,000");
    let values = store.read(|c| fields::values_in(c, &TEST_DEAL, Some(&deal.id))).unwrap();
    assert_eq!(values[&deal.id].iter().map(|(v, _)| v.value.as_str()).collect::<Vec<_>>(), ["120000"]);
    assert_eq!(fields::usage(store, &budget).unwrap(), 1);

    // Saved views are per record type too.
    views::create(store, &TEST_DEAL, "大单", r#"{"minBudget":100000}"#.into()).unwrap();
    app.customers().create_segment("VIP", &Default::default()).unwrap();
    assert_eq!(views::list(store, &TEST_DEAL).unwrap().iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["大单"]);
    assert_eq!(app.customers().segments().unwrap().iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["VIP"]);
    assert!(views::create(store, &TEST_DEAL, " ", "{}".into()).unwrap_err().field() == Some("name"));

    // The deal's history names its own columns, its parts' and its shared features'.
    let fields_seen: Vec<String> = history::of(store, &deal, None, 100).unwrap().into_iter().map(|h| h.field).collect();
    for want in ["title", "lines.text", &format!("custom.{budget}"), "attachments.name"] {
        assert!(fields_seen.iter().any(|f| f == want), "{want} missing from {fields_seen:?}");
    }
    assert!(!fields_seen.iter().any(|f| f.ends_with("deal_id") || f.ends_with("record_type")), "{fields_seen:?}");
}

#[test]
fn a_deal_goes_to_the_trash_with_its_lines_and_comes_back_with_just_those() {
    let (app, _dir) = open("ana");
    let (_, deal, [kept, removed]) = deal(&app, 2);
    let store = app.store();
    let live = |id: &str| {
        store
            .read(|c| Ok(c.query_row("SELECT deleted_at IS NULL FROM test_deal_lines WHERE id = ?1", [id], |r| r.get::<_, bool>(0))?))
            .unwrap()
    };
    // A line removed before the delete stays removed after the restore.
    store.write(|w| w.tombstone(&TEST_DEAL_LINES, &removed).map(|_| ())).unwrap();
    assert!(store.write(|w| trash::delete_in(w, &deal)).unwrap());
    assert!(!store.write(|w| trash::delete_in(w, &deal)).unwrap(), "already in the trash");
    assert!(!live(&kept));
    let trashed = trash::list(store, &TEST_DEAL, 10).unwrap();
    assert_eq!(trashed.iter().map(|t| (t.id.as_str(), t.title.as_str())).collect::<Vec<_>>(), [(deal.id.as_str(), "年度合同")]);
    // Nothing can be attached to a trashed record.
    assert!(attachments::add(store, &deal, "late.txt", b"late").is_err());

    assert!(store.write(|w| trash::restore_in(w, &deal)).unwrap());
    assert!(live(&kept));
    assert!(!live(&removed));
    assert!(trash::list(store, &TEST_DEAL, 10).unwrap().is_empty());
}

/// Every change `from` made, as another laptop would receive it.
fn all_changes(from: &Satchel) -> Vec<Change> {
    from.store().changes_since(0, 1_000_000).unwrap().into_iter().map(|(_, c)| c).collect()
}

#[test]
fn a_deals_custom_value_that_loses_a_concurrent_edit_is_in_its_history_and_restorable() {
    let (ana, _a) = open("ana");
    let (bo, _b) = open("bo");
    let (_, deal, _) = deal(&ana, 3);
    let budget = fields::create(ana.store(), &TEST_DEAL, &budget_field()).unwrap();
    bo.apply_changes(&all_changes(&ana)).unwrap();
    let mark = bo.store().changes_since(0, 1_000_000).unwrap().last().unwrap().0;

    // Bo's edit is older than Ana's: it loses on Ana's laptop, where it is kept.
    set_budget(&bo, &deal, &budget, "50000");
    std::thread::sleep(std::time::Duration::from_millis(5));
    set_budget(&ana, &deal, &budget, "80000");
    let from_bo: Vec<Change> = bo.store().changes_since(mark, 1_000_000).unwrap().into_iter().map(|(_, c)| c).collect();
    assert_eq!(ana.apply_changes(&from_bo).unwrap().lost, 1);

    let entries = history::of(ana.store(), &deal, None, 100).unwrap();
    let lost = entries.iter().find(|h| h.restore.is_some()).expect("the losing value is in the deal's history");
    assert_eq!((lost.field.clone(), lost.new_value.as_deref()), (format!("custom.{budget}"), Some("50000")));
    let entity = history::restore_lost(ana.store(), lost.restore.as_deref().unwrap()).unwrap();
    assert_eq!(entity, deal.id);
    let values = ana.store().read(|c| fields::values_in(c, &TEST_DEAL, Some(&deal.id))).unwrap();
    assert_eq!(values[&deal.id][0].0.value, "50000");
}

#[test]
fn shared_rows_are_filed_under_their_record_and_announced_to_the_module_of_its_type() {
    let (ana, _a) = open("ana");
    let (bo, _b) = open("bo");
    let (customer, deal, _) = deal(&ana, 4);
    let on_deal = attachments::add(ana.store(), &deal, "报价单.pdf", b"%PDF quote").unwrap();
    let on_customer = ana.customers().add_attachment(&customer, "名片.png", b"png").unwrap();

    // Pushed: an attachment on the deal is filed two levels up, under the deal's customer.
    let batch = ana.store().own_changes_after(0, 10_000, 100_000).unwrap();
    for (ch, entity) in batch.changes.iter().filter(|(c, _)| c.table == "attachments") {
        assert!([on_deal.id.as_str(), on_customer.id.as_str()].contains(&ch.row_id.as_str()));
        assert_eq!(entity, customer.as_str(), "{ch:?}");
    }

    // Applied on another laptop: the customers module hears of its customer's attachment, and
    // the customer's screen finds it.
    let heard: Arc<Mutex<Vec<satchel_core::modules::Changed>>> = Arc::default();
    let sink = heard.clone();
    bo.on_changed(move |c| sink.lock().unwrap().push(c.clone()));
    let attachment_changes: Vec<Change> =
        all_changes(&ana).into_iter().filter(|c| c.table == "attachments" || c.table == "customers").collect();
    bo.apply_changes(&attachment_changes).unwrap();
    let heard = heard.lock().unwrap();
    assert!(
        heard.iter().any(|c| c.modules.contains(&"customers".to_string()) && c.tables.contains(&"attachments".to_string())),
        "{heard:?}"
    );
    assert!(!heard.iter().any(|c| c.modules.contains(&"records".to_string())), "shared rows belong to their type's module: {heard:?}");
    assert_eq!(bo.customers().attachments(&customer).unwrap().iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["名片.png"]);
}

/// A write any module makes reports the rows it touched, and each module's state follows from
/// that: here an activity is logged below the customers API (as the calendar will log one for
/// a meeting), and the customers' index moves the customer out of "no activity in 30 days" once
/// the app settles, with no call into the customers module.
#[test]
fn a_write_made_outside_the_customers_module_reaches_its_index_through_the_touched_rows() {
    use satchel_core::customers::activities::{self, ActivityInput, ActivityKind};
    use satchel_core::customers::ListQuery;
    let (app, _dir) = open("ana");
    let called = app.customers().create(&CustomerInput::named(CustomerKind::Person, "欧阳晓梅")).unwrap();
    app.customers().create(&CustomerInput::named(CustomerKind::Person, "李雷")).unwrap();
    let quiet = || {
        let page = app.customers().list(&ListQuery { inactive_days: Some(30), limit: 10, ..Default::default() });
        page.rows.into_iter().map(|r| r.name).collect::<Vec<_>>()
    };
    assert_eq!(quiet().len(), 2);
    let now = chrono::Utc::now().to_rfc3339();
    let input = ActivityInput {
        kind: ActivityKind::Meeting,
        occurred_at: now,
        duration_minutes: Some(30),
        outcome: "签约".into(),
        body: String::new(),
    };
    activities::log(app.store(), &called.id, &input).unwrap();
    app.settle().unwrap();
    assert_eq!(quiet(), ["李雷"]);
    // Told once: a second settle has nothing left.
    assert_eq!(app.store().take_touched(), satchel_core::store::LocalTouched::default());
}

/// A teammate still on 0.1 sends shared rows without `record_type` (the column did not exist):
/// applied here they are a customer's, as the column's default says, and the customers module
/// hears of them.
#[test]
fn shared_rows_from_a_client_that_predates_record_types_are_a_customers() {
    let (old, _a) = open("ana");
    let (new, _b) = open("bo");
    let customer = old.customers().create(&CustomerInput::named(CustomerKind::Company, "王氏贸易")).unwrap();
    old.customers().add_attachment(&customer.id, "合同.pdf", b"%PDF contract").unwrap();
    // As 0.1 pushed them: every column but the one it did not have.
    let as_released: Vec<Change> = all_changes(&old).into_iter().filter(|c| c.column != "record_type").collect();
    assert!(as_released.iter().any(|c| c.table == "attachments"));
    let heard: Arc<Mutex<Vec<satchel_core::modules::Changed>>> = Arc::default();
    let sink = heard.clone();
    new.on_changed(move |c| sink.lock().unwrap().push(c.clone()));
    new.apply_changes(&as_released).unwrap();
    assert_eq!(new.customers().attachments(&customer.id).unwrap().iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["合同.pdf"]);
    assert!(heard
        .lock()
        .unwrap()
        .iter()
        .any(|c| c.modules.contains(&"customers".to_string()) && c.tables.contains(&"attachments".to_string())));
}
