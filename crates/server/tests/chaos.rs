//! Issue 14, the chaos run: three honest laptops (two salespeople and their manager) and a
//! hostile client share a real server. The honest ones make random edits, share and hide their
//! own records, run with clocks a few minutes off (and once hours fast), and sync whenever; the
//! hostile one sends batches no honest app would. At the end every honest laptop syncs without
//! error and nothing waits to be sent, everyone agrees on every record they may see, no honest
//! change is missing from the manager's copy, and none of the hostile client's changes were stored.

mod common;

use common::*;
use satchel_core::customers::{ContactPoint, CustomerInput, CustomerKind};
use satchel_core::demo::Rng;
use satchel_core::ids::CustomerId;
use satchel_core::sync::http::HttpRemote;
use satchel_core::sync::wire::WireChange;
use satchel_core::sync::{self, Remote, SyncError};
use satchel_server::storage::Role;
use std::collections::BTreeMap;

const MINUTE: i64 = 60_000;

/// A record as a user sees it, for comparing laptops.
#[derive(Debug, PartialEq)]
struct Card {
    name: String,
    notes: String,
    phones: Vec<String>,
    private: bool,
    trashed: bool,
}

fn card(l: &Laptop, id: &CustomerId) -> Option<Card> {
    let c = l.app.customers().get(id).ok()?;
    Some(Card {
        name: c.name,
        notes: c.notes,
        phones: c.phones.into_iter().map(|p| p.value).collect(),
        private: c.private,
        trashed: c.deleted_at.is_some(),
    })
}

fn try_sync(l: &Laptop) -> Result<sync::SyncReport, SyncError> {
    let mut remote = sync::remote_for(&l.app).unwrap();
    sync::sync_once(&l.app, &mut remote, &mut |_| {})
}

/// What the hostile client tries; each must be refused whole.
fn hostile_batch(kind: usize, victim: &CustomerId, shared: &CustomerId, n: u64) -> (Vec<WireChange>, &'static str) {
    let now = satchel_core::store::now_ms();
    let change = |row: &CustomerId, column: &str, value: serde_json::Value, ahead: u64| WireChange {
        hlc: satchel_core::hlc::Hlc::new(now + ahead, (n % 60_000) as u16).pack(),
        site: "dan-site".into(),
        table: "customers".into(),
        row: row.to_string(),
        column: column.into(),
        value,
        entity: row.to_string(),
    };
    match kind {
        0 => (vec![change(shared, "name", serde_json::Value::Null, 0)], "bad_value"),
        1 => (vec![change(victim, "notes", serde_json::json!("dan was here"), 0)], "forbidden"),
        2 => (vec![change(shared, "notes", serde_json::json!("from 2099"), 3 * 86_400_000)], "clock_in_future"),
        3 => (vec![change(shared, "loyalty; DROP TABLE changes", serde_json::json!("x"), 0)], "unknown_column"),
        4 => (vec![change(shared, "notes", serde_json::json!("长".repeat(100_000)), 0)], "bad_value"),
        5 => (vec![change(shared, "notes", serde_json::json!(["an", "array"]), 0)], "bad_value"),
        _ => {
            // A phone filed under no record at all.
            let mut c = change(shared, "value", serde_json::json!("13800138000"), 0);
            c.table = "customer_phones".into();
            c.row = "0190f5c0-0000-7000-8000-00000000dead".into();
            c.entity = String::new();
            (vec![c], "malformed")
        }
    }
}

fn chaos(seed: u64) {
    let server = server(&[
        ("ana@example.cn", Role::Sales, "East"),
        ("bo@example.cn", Role::Sales, "East"),
        ("mo@example.cn", Role::Manager, "East"),
        ("dan@example.cn", Role::Sales, "East"),
    ]);
    let honest = [laptop("ana"), laptop("bo"), laptop("mo")];
    for (l, who) in honest.iter().zip(["ana", "bo", "mo"]) {
        l.login(&server, &format!("{who}@example.cn"));
    }
    let mut dan = HttpRemote::new(&server.base, None).unwrap();
    dan.login("dan@example.cn", "long enough", "dan-laptop").unwrap();
    let mut rng = Rng::new(seed);
    // Each laptop's own records (only their maker shares or hides them, as the app lets them).
    let mut own: [Vec<CustomerId>; 3] = Default::default();
    let mut refused = 0;
    for step in 0..120u64 {
        let i = rng.below(3);
        let l = &honest[i];
        match rng.below(10) {
            0 | 1 => {
                let name = format!("客户{seed}-{step}");
                let private = rng.below(3) == 0;
                own[i].push(l.app.customers().create(&CustomerInput { private: Some(private), ..CustomerInput::named(CustomerKind::Person, &name) }).unwrap().id);
            }
            2 | 3 => {
                // An edit of any record this laptop holds (a teammate's shared one too).
                let all = l.app.customers().list(&satchel_core::customers::ListQuery { limit: 1000, ..Default::default() }).rows;
                if all.is_empty() {
                    continue;
                }
                let id = all[rng.below(all.len())].id.clone();
                let mut input = l.app.customers().get(&id).unwrap().to_input();
                if rng.below(2) == 0 {
                    input.notes = format!("{} 的备注 {step}", ["ana", "bo", "mo"][i]);
                } else {
                    input.phones.push(ContactPoint { id: None, label: "Mobile".into(), value: format!("139{:08}", rng.below(100_000_000)) });
                }
                l.app.customers().update(&id, &input).unwrap();
            }
            4 => {
                if own[i].is_empty() {
                    continue;
                }
                let id = own[i][rng.below(own[i].len())].clone();
                let mut input = l.app.customers().get(&id).unwrap().to_input();
                input.private = Some(!input.private.unwrap_or(false));
                l.app.customers().update(&id, &input).unwrap();
            }
            5 => {
                if own[i].is_empty() {
                    continue;
                }
                let id = own[i][rng.below(own[i].len())].clone();
                match l.app.customers().get(&id).unwrap().deleted_at {
                    None => drop(l.app.customers().delete(&id).unwrap()),
                    Some(_) => drop(l.app.customers().restore(&id).unwrap()),
                }
            }
            6 => l.app.store().set_clock_skew((rng.below(9) as i64 - 4) * MINUTE),
            7 => {
                // Hours fast for one sync: told, sends nothing; put right before any edit.
                l.app.store().set_clock_skew(8 * 60 * MINUTE);
                assert!(matches!(try_sync(l), Err(SyncError::ClockAhead { .. })));
                l.app.store().set_clock_skew(0);
            }
            8 => {
                let victim = own[0].iter().chain(&own[1]).find(|id| honest[2].app.customers().get(id).is_ok_and(|c| c.private)).cloned();
                let shared = own.iter().flatten().find(|id| honest[2].app.customers().get(id).is_ok_and(|c| !c.private)).cloned();
                if let (Some(victim), Some(shared)) = (victim, shared) {
                    let before = server_changes(server.dir.path());
                    let (batch, code) = hostile_batch(rng.below(7), &victim, &shared, step);
                    match dan.push(&batch) {
                        Err(SyncError::Refused { code: got, .. }) => assert_eq!(got, code, "{batch:?}"),
                        other => panic!("the hostile batch {batch:?} was not refused: {other:?}"),
                    }
                    assert_eq!(server_changes(server.dir.path()), before, "nothing of a refused batch is stored");
                    refused += 1;
                }
            }
            _ => {
                try_sync(l).unwrap();
            }
        }
    }
    assert!(refused > 0, "the hostile client was let loose");
    for l in &honest {
        l.app.store().set_clock_skew(0);
    }
    // Everyone syncs until nothing moves: no error, nothing waiting.
    for _ in 0..2 {
        for l in &honest {
            try_sync(l).unwrap();
        }
    }
    for l in &honest {
        assert_eq!(sync::pending(&l.app).unwrap(), 0, "nothing waits to be sent");
        // The only changes set aside are edits to a teammate's record that went private first.
        for p in l.app.store().sync_problems().unwrap() {
            assert!(p.reason.starts_with("forbidden"), "{p:?}");
            let id = CustomerId::parse(&p.row_id).unwrap();
            assert!(honest[2].app.customers().get(&id).is_ok_and(|c| c.private), "{p:?}");
        }
    }
    let manager = &honest[2];
    let mut checked = BTreeMap::new();
    for (maker, ids) in own.iter().enumerate() {
        for id in ids {
            let on_manager = card(manager, id).unwrap_or_else(|| panic!("{id} never reached the manager"));
            // The maker and the manager always agree; a teammate agrees while it is shared.
            assert_eq!(card(&honest[maker], id).as_ref(), Some(&on_manager), "{id}");
            if maker < 2 {
                let other = &honest[1 - maker];
                if on_manager.private {
                    // Made private (perhaps after the other salesperson had it): not on their laptop.
                    assert_eq!(card(other, id), None, "{id} is private but on the other salesperson's laptop");
                } else {
                    assert_eq!(card(other, id).as_ref(), Some(&on_manager), "{id} on the other salesperson's laptop");
                }
            }
            assert!(!on_manager.notes.contains("dan") && !on_manager.notes.contains("2099"), "{on_manager:?}");
            checked.insert(id.clone(), on_manager);
        }
    }
    assert!(checked.len() > 5, "{} records", checked.len());
}

#[test]
fn three_laptops_a_hostile_client_and_clock_trouble_end_in_agreement() {
    for seed in [7, 1_212, 90_210] {
        chaos(seed);
    }
}
