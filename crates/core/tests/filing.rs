//! Rows are filed for sync under their root record through any depth of parents, as their
//! tables declare (`satchel_proto::schema::Scope`). Its own test binary: the three-level chain
//! of test tables (customer → deal → deal line) is registered before anything reads the schema.

mod common;

use common::open_with_test_tables;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::rusqlite::types::Value;
use satchel_core::store::{schema, Profile};
use satchel_core::Satchel;
use satchel_proto::tables::testing::{TEST_DEALS, TEST_DEAL_LINES};
use std::collections::HashMap;

fn open() -> (Satchel, tempfile::TempDir) {
    open_with_test_tables("ana")
}

/// Every pushed change of `table` (row id → the record it is filed under).
fn filed(app: &Satchel, table: &str) -> HashMap<String, String> {
    let batch = app.store().own_changes_after(0, 10_000, 100_000).unwrap();
    let mut out = HashMap::new();
    for (ch, entity) in batch.changes {
        if ch.table == table {
            let before = out.insert(ch.row_id.clone(), entity.clone());
            assert!(before.is_none() || before == Some(entity), "one row's changes are all filed under one record");
        }
    }
    out
}

#[test]
fn a_grandchild_row_is_filed_under_its_customer_and_follows_its_parent_when_it_moves() {
    let (app, _dir) = open();
    assert_eq!(schema::table("test_deal_lines").map(|t| t.code), Some(121));
    let wang = app.customers().create(&CustomerInput::named(CustomerKind::Company, "王氏贸易")).unwrap();
    let lee = app.customers().create(&CustomerInput::named(CustomerKind::Company, "Lee & Co")).unwrap();
    let (deal, line, loose) =
        ("0190f5c0-0000-7000-8000-000000000001", "0190f5c0-0000-7000-8000-000000000002", "0190f5c0-0000-7000-8000-000000000003");
    // The deal and its line in one write (one log entry), a line without a deal in another.
    app.store()
        .write(|w| {
            w.insert(&TEST_DEALS, deal, &[("customer_id", Value::Text(wang.id.to_string())), ("title", Value::Text("年度合同".into()))])?;
            w.insert(&TEST_DEAL_LINES, line, &[("deal_id", Value::Text(deal.into())), ("text", Value::Text("打印机 ×2".into()))])?;
            Ok(())
        })
        .unwrap();
    app.store().write(|w| w.insert(&TEST_DEAL_LINES, loose, &[("text", Value::Text("no deal".into()))])).unwrap();

    assert_eq!(filed(&app, "test_deals")[deal], wang.id.to_string());
    let lines = filed(&app, "test_deal_lines");
    assert_eq!(lines[line], wang.id.to_string(), "two parents up: the line's deal's customer");
    assert_eq!(lines[loose], "", "a line under no deal is team-wide");

    // The deal moves to another customer; the line's next change is filed under that one.
    let before = app.store().own_changes_after(0, 10_000, 100_000).unwrap().last.unwrap();
    app.store().write(|w| w.update(&TEST_DEALS, deal, &[("customer_id", Value::Text(lee.id.to_string()))])).unwrap();
    app.store().write(|w| w.update(&TEST_DEAL_LINES, line, &[("text", Value::Text("打印机 ×3".into()))])).unwrap();
    let later = app.store().own_changes_after(before, 10_000, 100_000).unwrap();
    let line_edit: Vec<_> = later.changes.iter().filter(|(c, _)| c.table == "test_deal_lines").collect();
    assert_eq!(line_edit.len(), 1, "{later:?}");
    assert_eq!((line_edit[0].0.column.as_str(), line_edit[0].1.as_str()), ("text", lee.id.as_str()));
}

/// A record type this laptop did not know when its change arrived (from a newer teammate) was
/// parked, not dropped; once the laptop knows the table (here: the test tables, as an upgrade
/// would bring a module's), the next open applies it, filed and shown like any other row.
#[test]
fn a_parked_change_of_a_table_learned_later_is_applied_at_the_next_open() {
    let (app, dir) = open();
    let c = app.customers().create(&CustomerInput::named(CustomerKind::Company, "未来客户")).unwrap();
    drop(app);
    let path = dir.path().join("satchel.db");
    let raw = satchel_core::rusqlite::Connection::open(&path).unwrap();
    let hlc = satchel_core::hlc::Hlc::new(satchel_core::store::now_ms(), 0).pack();
    for (col, value) in [("customer_id", c.id.to_string()), ("title", "来自新版本的商机".to_string())] {
        raw.execute(
            "INSERT INTO parked_changes (site_id, hlc, tbl, row_id, col, value) VALUES ('newer-laptop', ?1, 'test_deals', '0190f5c0-0000-7000-8000-0000000000d9', ?2, ?3)",
            satchel_core::rusqlite::params![hlc, col, value],
        )
        .unwrap();
    }
    drop(raw);
    let reopened = Satchel::open(&path, Profile { author: "ana".into(), device: "laptop".into() }).unwrap();
    let title: String = reopened
        .store()
        .read(|c| Ok(c.query_row("SELECT title FROM test_deals WHERE id = '0190f5c0-0000-7000-8000-0000000000d9'", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(title, "来自新版本的商机");
    let parked: i64 = reopened.store().read(|c| Ok(c.query_row("SELECT count(*) FROM parked_changes", [], |r| r.get(0))?)).unwrap();
    assert_eq!(parked, 0);
}
