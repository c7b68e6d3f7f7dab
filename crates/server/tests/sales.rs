//! Sales through a real satchel-server over HTTP: each laptop is handed its own number series at
//! login, so quotes and contracts made offline on several laptops never share a number after
//! sync; a private quote and its lines stay with their owner and the manager; a teammate turns a
//! synced quote into a contract.

mod common;

use common::*;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::sales::{QuoteInput, QuoteLineInput, QuoteStatus};
use satchel_server::storage::Role;
use std::collections::BTreeSet;

fn line(desc: &str, qty: &str, price: &str) -> QuoteLineInput {
    QuoteLineInput {
        description: desc.into(),
        quantity: qty.into(),
        unit_price: price.into(),
        tax_percent: "13".into(),
        ..Default::default()
    }
}

fn numbers(l: &Laptop, table: &str) -> BTreeSet<String> {
    l.app
        .store()
        .read(|c| {
            let mut st = c.prepare(&format!("SELECT number FROM {table} WHERE deleted_at IS NULL"))?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap()
}

#[test]
fn laptops_offline_number_quotes_and_contracts_apart_and_private_quotes_stay_private() {
    let srv = server(&[
        ("ana@example.cn", Role::Sales, "East"),
        ("cy@example.cn", Role::Sales, "East"),
        ("mo@example.cn", Role::Manager, "East"),
    ]);
    let (a, c, m) = (laptop("ana"), laptop("cy"), laptop("mo"));
    for (l, who) in [(&a, "ana"), (&c, "cy"), (&m, "mo")] {
        l.login(&srv, &format!("{who}@example.cn"));
    }
    let series: BTreeSet<String> = [&a, &c, &m].iter().map(|l| l.app.sales().series().unwrap()).collect();
    assert_eq!(series.len(), 3, "each laptop its own series: {series:?}");
    assert!(series.iter().all(|s| !s.is_empty() && s.chars().all(|ch| ch.is_ascii_uppercase())), "{series:?}");
    // Logging in again keeps the book's series (its numbers go on where they were).
    let before = a.app.sales().series().unwrap();
    a.login(&srv, "ana@example.cn");
    assert_eq!(a.app.sales().series().unwrap(), before);

    let acme = a.app.customers().create(CustomerInput::named(CustomerKind::Company, "上海示例贸易有限公司")).unwrap();
    a.sync();
    c.sync();
    let quote = |l: &Laptop, private: bool| {
        let input = QuoteInput {
            customer_id: Some(acme.id.clone()),
            currency: "CNY".into(),
            lines: vec![line("办公椅 Office chair", "3", "1299"), line("Desk", "1", "2500")],
            visibility: if private { "private".into() } else { String::new() },
            ..Default::default()
        };
        l.app.sales().create_quote(&input).unwrap()
    };
    // Offline: both make quotes and a contract.
    let qa = quote(&a, false);
    quote(&a, false);
    let secret = quote(&a, true);
    let qc = quote(&c, false);
    c.app.sales().contract_from_quote(&qc.id).unwrap();
    a.app.sales().contract_from_quote(&qa.id).unwrap();
    for l in [&a, &c, &m, &a, &c] {
        l.sync();
    }
    let team_quotes = numbers(&a, "quotes");
    assert_eq!(team_quotes.len(), 4, "four numbers, none shared: {team_quotes:?}");
    assert_eq!(numbers(&a, "contracts").len(), 2);
    assert_eq!(numbers(&c, "contracts"), numbers(&a, "contracts"));
    // The private quote and its lines never reach the teammate; the manager sees them.
    assert!(!numbers(&c, "quotes").contains(&secret.number));
    let lines_of = |l: &Laptop| -> i64 {
        l.app
            .store()
            .read(|db| Ok(db.query_row("SELECT count(*) FROM quote_lines WHERE quote_id = ?1", [secret.id.as_str()], |r| r.get(0))?))
            .unwrap()
    };
    assert_eq!(lines_of(&c), 0);
    assert!(numbers(&m, "quotes").contains(&secret.number));
    assert_eq!(lines_of(&m), 2);
    // The totals arrive as the lines do: the same figures on every laptop.
    let seen_by_cy = c.app.sales().quote_by_number(&qa.number).unwrap();
    assert_eq!((seen_by_cy.total.as_str(), seen_by_cy.status), (qa.total.as_str(), QuoteStatus::Accepted));
    assert_eq!(seen_by_cy.total, "7228.61");
}
