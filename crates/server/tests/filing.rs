//! A row two parents below a customer (a test-only chain: customer → deal → deal line), and a
//! shared feature's row on the deal (an attachment, which names its record by type and id), are
//! filed under that customer by the laptop and kept under it by the server: they reach whoever
//! may see the customer and nobody else. Its own test binary, so the test tables are registered before
//! anything reads the schema.

mod common;

use common::*;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::records::{attachments, RecordRef};
use satchel_core::rusqlite::types::Value;
use satchel_proto::tables::testing::{self, TEST_DEAL, TEST_DEALS, TEST_DEAL_LINES};
use satchel_server::storage::Role;

fn with_test_tables(l: &Laptop) {
    l.app
        .store()
        .write(|w| {
            w.conn().execute_batch(testing::SQL)?;
            Ok(())
        })
        .unwrap();
}

fn deal_files(l: &Laptop, deal: &str) -> Vec<String> {
    attachments::list(l.app.store(), &RecordRef::new(&TEST_DEAL, deal)).unwrap().into_iter().map(|a| a.name).collect()
}

fn lines(l: &Laptop) -> Vec<String> {
    l.app
        .store()
        .read(|c| {
            Ok(c.prepare("SELECT text FROM test_deal_lines ORDER BY text")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?)
        })
        .unwrap()
}

#[test]
fn a_deal_line_under_a_private_customer_reaches_its_manager_and_not_another_salesperson() {
    testing::register();
    let srv = server(&[
        ("ana@example.cn", Role::Sales, "East"),
        ("cy@example.cn", Role::Sales, "East"),
        ("mo@example.cn", Role::Manager, "East"),
    ]);
    let (a, c, m) = (laptop("ana"), laptop("cy"), laptop("mo"));
    for (l, e) in [(&a, "ana"), (&c, "cy"), (&m, "mo")] {
        with_test_tables(l);
        l.login(&srv, &format!("{e}@example.cn"));
    }
    let secret = a
        .app
        .customers()
        .create(&CustomerInput { private: Some(true), ..CustomerInput::named(CustomerKind::Company, "私人客户") })
        .unwrap();
    let deal = "0190f5c0-0000-7000-8000-0000000000d1";
    a.app
        .store()
        .write(|w| {
            w.insert(&TEST_DEALS, deal, &[("customer_id", Value::Text(secret.id.to_string())), ("title", Value::Text("年度合同".into()))])
        })
        .unwrap();
    // The line in a write of its own: the laptop reads the deal's row to file it.
    a.app
        .store()
        .write(|w| {
            w.insert(
                &TEST_DEAL_LINES,
                "0190f5c0-0000-7000-8000-0000000000e1",
                &[("deal_id", Value::Text(deal.into())), ("text", Value::Text("打印机".into()))],
            )
        })
        .unwrap();
    attachments::add(a.app.store(), &RecordRef::new(&TEST_DEAL, deal), "报价单.pdf", b"%PDF quote").unwrap();
    a.sync();

    // The server keeps every change of the chain under the customer.
    let server_db = satchel_core::rusqlite::Connection::open(srv.dir.path().join("satchel-server.db")).unwrap();
    let filed: Vec<(String, String)> = server_db
        .prepare("SELECT DISTINCT tbl, entity FROM changes WHERE tbl LIKE 'test_%' OR tbl = 'attachments' ORDER BY tbl")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let id = secret.id.to_string();
    let want = ["attachments", "test_deal_lines", "test_deals"].map(|t| (t.to_string(), id.clone()));
    assert_eq!(filed, want);

    c.sync();
    m.sync();
    assert!(lines(&c).is_empty(), "another salesperson gets no line of a private customer's deal");
    assert_eq!(lines(&m), vec!["打印机"], "the team's manager does");
    assert!(deal_files(&c, deal).is_empty(), "nor the deal's attachment");
    assert_eq!(deal_files(&m, deal), vec!["报价单.pdf"]);

    // Shared: the teammate receives the deal and its line too.
    let mut shared = a.app.customers().get(&secret.id).unwrap().to_input();
    shared.private = Some(false);
    a.app.customers().update(&secret.id, &shared).unwrap();
    a.sync();
    c.sync();
    assert_eq!(lines(&c), vec!["打印机"]);
    assert_eq!(deal_files(&c, deal), vec!["报价单.pdf"]);
}
