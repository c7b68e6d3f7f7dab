//! Issue 14, the chaos run: three honest laptops (two salespeople and their manager) and a
//! hostile client share a real server. The honest ones make random edits, share and hide their
//! own records, run with clocks a few minutes off (and once hours fast), and sync whenever; the
//! hostile one sends batches no honest app would. Midway the operator backs the server up while
//! it serves; the laptops go on editing and syncing, so the server takes changes the backup lacks;
//! then the server is stopped, restored from that backup (a new epoch: it has really lost those
//! changes, which the test checks) and started again at the same address, and the run goes on
//! with the tokens the laptops already hold. At the end every honest laptop syncs without error
//! and nothing waits to be sent, everyone agrees on every record they may see, no honest change
//! is missing from the manager's copy, every change the restore lost is on the server again
//! (pushed again by the laptop that made it), and none of the hostile client's changes were stored.

mod common;

use common::*;
use satchel_core::customers::{ContactPoint, CustomerInput, CustomerKind};
use satchel_core::demo::Rng;
use satchel_core::ids::CustomerId;
use satchel_core::sync::http::HttpRemote;
use satchel_core::sync::wire::WireChange;
use satchel_core::sync::{self, Remote, SyncError};
use satchel_server::sqlite::SqliteStorage;
use satchel_server::storage::Role;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const MINUTE: i64 = 60_000;
/// The step at which the operator backs the server up, and the one at which it is restored from
/// that backup: the steps between push changes the restore loses.
const BACKUP_AT: u64 = 40;
const RESTORE_AT: u64 = 80;

/// A column change as the server keeps it once: its clock, site, table, row and column.
type Key = (i64, String, String, String, String);

fn server_db(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(SqliteStorage::file(dir)).unwrap()
}

/// Every change the server holds.
fn server_keys(dir: &Path) -> BTreeSet<Key> {
    let c = server_db(dir);
    let mut st = c.prepare("SELECT hlc, site_id, tbl, row_id, col FROM changes").unwrap();
    let keys = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap();
    keys.collect::<Result<_, _>>().unwrap()
}

/// The server's last sequence number.
fn server_last_seq(dir: &Path) -> i64 {
    server_db(dir).query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| r.get(0)).unwrap()
}

/// Whether each record the server knows is shared with the team (`entities.shared`).
fn server_sharing(dir: &Path) -> BTreeMap<String, bool> {
    let c = server_db(dir);
    let mut st = c.prepare("SELECT entity_id, shared FROM entities").unwrap();
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn server_epoch(dir: &Path) -> String {
    server_db(dir).query_row("SELECT value FROM meta WHERE key = 'epoch'", [], |r| r.get(0)).unwrap()
}

/// Every column change this laptop ever made.
fn own_keys(app: &satchel_core::Satchel) -> Vec<Key> {
    let (mut after, mut keys) = (0, Vec::new());
    loop {
        let batch = app.store().own_changes_after(after, u32::MAX, u32::MAX).unwrap();
        let Some(last) = batch.last else { return keys };
        keys.extend(batch.changes.into_iter().map(|(c, _)| (c.hlc.pack(), c.site, c.table, c.row_id, c.column)));
        after = last;
    }
}

/// The writes (clock, table, row) this laptop set aside because the server refused them.
fn set_aside(app: &satchel_core::Satchel) -> BTreeSet<(i64, String, String)> {
    app.store()
        .read(|c| {
            let mut st = c.prepare("SELECT hlc, tbl, row_id FROM sync_problems WHERE direction = 'push'")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .unwrap()
}

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
    let mut server = server(&[
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
    let dan_token = dan.login("dan@example.cn", "long enough", "dan-laptop").unwrap().token;
    let backups = tempfile::tempdir().unwrap();
    let backup = backups.path().join("midday.backup");
    // What the server held when backed up, what the restore took from it, and its new epoch.
    let mut at_backup = BTreeSet::new();
    let mut lost = BTreeSet::new();
    let mut epoch = None;
    let mut rng = Rng::new(seed);
    // Each laptop's own records (only their maker shares or hides them, as the app lets them).
    let mut own: [Vec<CustomerId>; 3] = Default::default();
    let mut refused = 0;
    for step in 0..120u64 {
        if step == BACKUP_AT {
            // `satchel-server backup --out FILE`, while the server serves.
            satchel_server::backup::backup(server.dir.path(), &backup).unwrap();
            at_backup = server_keys(server.dir.path());
        }
        if step == RESTORE_AT {
            let before = server_keys(server.dir.path());
            let (last_before, epoch_before) = (server_last_seq(server.dir.path()), server_epoch(server.dir.path()));
            // The operator stops the server, runs `satchel-server restore FILE` and starts it
            // again on the same data directory and address.
            let (dir, base) = stop_server(server);
            let restored = satchel_server::backup::restore(dir.path(), &backup, &format!("step-{step}")).unwrap();
            assert_ne!(restored.epoch, epoch_before, "a restored server has a new epoch");
            server = serve_again(dir, &base);
            let after = server_keys(server.dir.path());
            assert_eq!(after, at_backup, "the restored server holds what the backup held");
            // The run must prove the laptops give it back, so the restore has to lose something.
            lost = before.difference(&after).cloned().collect();
            assert!(!lost.is_empty(), "no change reached the server between the backup and the restore");
            assert!(after.is_subset(&before));
            assert!(server_last_seq(server.dir.path()) < last_before, "the restored server's log ends earlier");
            // The tokens were issued before the backup: they still work, and every reply now
            // carries the new epoch. (A raw pull: the laptops' own syncs stay in the random rounds.)
            for l in &honest {
                let page = sync::remote_for(&l.app).unwrap().pull(i64::MAX, 1).unwrap();
                assert_eq!(page.epoch, restored.epoch);
            }
            // The hostile client's app starts again too, with the token it kept.
            dan = HttpRemote::new(&server.base, Some(dan_token.clone())).unwrap();
            assert_eq!(dan.pull(i64::MAX, 1).unwrap().epoch, restored.epoch);
            epoch = Some(restored.epoch);
        }
        let i = rng.below(3);
        let l = &honest[i];
        match rng.below(10) {
            0 | 1 => {
                let name = format!("客户{seed}-{step}");
                let private = rng.below(3) == 0;
                own[i].push(
                    l.app
                        .customers()
                        .create(&CustomerInput { private: Some(private), ..CustomerInput::named(CustomerKind::Person, &name) })
                        .unwrap()
                        .id,
                );
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
                    input.phones.push(ContactPoint {
                        id: None,
                        label: "Mobile".into(),
                        value: format!("139{:08}", rng.below(100_000_000)),
                    });
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
                // Chosen by what the server holds, not by the manager's copy: that may be stale (a
                // record shared again since the manager's last pull is no victim any more, and
                // Dan's edit of it is rightly stored).
                let on_server = server_sharing(server.dir.path());
                let victim = own[0].iter().chain(&own[1]).find(|id| on_server.get(id.as_str()) == Some(&false)).cloned();
                let shared = own.iter().flatten().find(|id| on_server.get(id.as_str()) == Some(&true)).cloned();
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
    // Every change the restore lost came back (pushed again by the laptop that made it), and the
    // server holds every honest change but those it refused (set aside, checked below).
    let on_server = server_keys(server.dir.path());
    let missing: Vec<&Key> = lost.difference(&on_server).collect();
    assert!(missing.is_empty(), "changes the restore lost and no laptop gave back: {missing:?}");
    for l in &honest {
        assert_eq!(l.app.store().meta(sync::EPOCH).unwrap(), epoch, "every laptop noticed the restore");
        let aside = set_aside(&l.app);
        for k in own_keys(&l.app) {
            let stored_or_aside = on_server.contains(&k) || aside.contains(&(k.0, k.2.clone(), k.3.clone()));
            assert!(stored_or_aside, "{k:?} is neither on the server nor set aside");
        }
    }
    for l in &honest {
        assert_eq!(sync::pending(&l.app).unwrap(), 0, "nothing waits to be sent");
        // The only changes set aside are edits to a teammate's record that went private first.
        for p in l.app.store().sync_problems().unwrap() {
            assert!(p.reason.starts_with("forbidden"), "{p:?}");
            // (Private when the edit reached the server, if not still: made private, then shared
            // again, the record keeps the edit refused in between set aside.)
            let id = CustomerId::parse(&p.row_id).unwrap();
            let was_private: bool = server_db(server.dir.path())
                .query_row(
                    "SELECT count(*) > 0 FROM changes WHERE entity = ?1 AND tbl = 'customers' AND col = 'visibility' AND value = '\"private\"'",
                    [&p.row_id],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(was_private || honest[2].app.customers().get(&id).is_ok_and(|c| c.private), "{p:?}");
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
    // CHAOS_SEEDS=1,2,3 runs other seeds (to hunt a failure; the record ids and clocks differ per
    // run, so a seed's path is only mostly the same). The defaults include seeds that found
    // bugs: 1, 2 and 3 a creation that later read back with a column it never sent, 8 a creator
    // told to forget her own record by a restored server, 14 a hostile edit of a record the
    // manager still thought private. (About half a second each.)
    let seeds: Vec<u64> = match std::env::var("CHAOS_SEEDS") {
        Ok(list) => list.split(',').map(|s| s.trim().parse().expect("CHAOS_SEEDS: numbers, comma-separated")).collect(),
        Err(_) => vec![7, 1_212, 90_210, 1, 2, 3, 6, 8, 11, 14, 15, 18],
    };
    for seed in seeds {
        chaos(seed);
    }
}

/// Seed 6 of the chaos run, on its own: after a restore, a manager's edit of a phone Ana added
/// after the backup reaches the server before Ana's laptop re-sends the phone. The server cannot
/// tell whose the phone is yet and refuses the edit; it waits set aside on the manager's laptop,
/// and goes up at his next sync once the phone is back, leaving the list of changes set aside.
#[test]
fn an_edit_of_a_part_a_restore_lost_waits_set_aside_until_the_part_is_back() {
    let mut server = server(&[("ana@example.cn", Role::Sales, "East"), ("mo@example.cn", Role::Manager, "East")]);
    let (ana, mo) = (laptop("ana"), laptop("mo"));
    ana.login(&server, "ana@example.cn");
    mo.login(&server, "mo@example.cn");
    let backups = tempfile::tempdir().unwrap();
    let backup = backups.path().join("morning.backup");
    satchel_server::backup::backup(server.dir.path(), &backup).unwrap();
    // After the backup: Ana's customer with a phone; the manager corrects the number.
    let mut input = CustomerInput::named(CustomerKind::Person, "电话客户");
    input.phones.push(ContactPoint { id: None, label: "Mobile".into(), value: "13800000000".into() });
    let id = ana.app.customers().create(&input).unwrap().id;
    ana.sync();
    mo.sync();
    let mut fixed = mo.app.customers().get(&id).unwrap().to_input();
    fixed.phones[0].value = "13911112222".into();
    mo.app.customers().update(&id, &fixed).unwrap();
    mo.sync();
    // The restore; the manager's laptop syncs first.
    let (dir, base) = stop_server(server);
    satchel_server::backup::restore(dir.path(), &backup, "morning").unwrap();
    server = serve_again(dir, &base);
    let report = mo.sync();
    assert_eq!(report.refused, 1, "{report:?}");
    let waiting = mo.app.store().sync_problems().unwrap();
    assert!(waiting.len() == 1 && waiting[0].reason.contains("part of no record"), "{waiting:?}");
    // Ana's laptop sends the customer and its phone again; then the edit goes up.
    ana.sync();
    mo.sync();
    assert!(mo.app.store().sync_problems().unwrap().is_empty(), "the edit left the list of changes set aside");
    ana.sync();
    assert_eq!(ana.app.customers().get(&id).unwrap().phones[0].value, "13911112222", "the manager's correction reached Ana");
    drop(server);
}
