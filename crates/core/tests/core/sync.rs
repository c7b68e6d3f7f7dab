//! The sync engine across several replicas: random edits on each, a relay that loses requests,
//! loses acknowledgements, re-delivers old changes and shuffles pages, then a full sync. Every
//! replica must end identical, and equal to a reference model of last-writer-wins per column.
//!
//! The relay is in memory (not satchel-server) so thousands of cases fit in CI; the engine,
//! the store and the merge are the real ones. The HTTP server is tested with the same engine in
//! crates/server/tests/sync.rs.

use super::fixtures::*;
use super::replay::{op, run, Op};
use proptest::prelude::*;
use satchel_core::demo::Rng;
use satchel_core::ids::CustomerId;
use satchel_core::store::schema::SYNCED_TABLES;
use satchel_core::sync::wire::{PullResponse, Pulled, PushResponse, WireChange};
use satchel_core::sync::{self, Remote, SyncError};
use satchel_core::Satchel;
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

/// The server's part: each change stored once, in arrival order.
#[derive(Default, Clone)]
struct Relay {
    log: Vec<WireChange>,
    keys: HashSet<(String, i64, String, String, String)>,
    /// The server's epoch (issue 14): empty, as from older servers, unless a test restores it.
    epoch: String,
}

/// One replica's connection to the relay; when `flaky`, it fails in every way a network can.
/// It forks a second connection as HTTP does, so batches race each other to the relay.
struct Link {
    relay: Arc<Mutex<Relay>>,
    rng: Rng,
    seed: u64,
    flaky: bool,
}

impl Link {
    fn new(relay: &Arc<Mutex<Relay>>, seed: u64, flaky: bool) -> Link {
        Link { relay: relay.clone(), rng: Rng::new(seed), seed, flaky }
    }
}

impl Remote for Link {
    fn fork(&self) -> Option<Box<dyn Remote>> {
        Some(Box::new(Link::new(&self.relay, self.seed.wrapping_add(1), self.flaky)))
    }

    fn push(&mut self, changes: &[WireChange]) -> Result<PushResponse, SyncError> {
        if self.flaky && self.rng.chance(15) {
            return Err(SyncError::Offline("request lost".into()));
        }
        let mut relay = self.relay.lock().unwrap();
        let before = relay.log.len() as i64;
        let mut stored = 0;
        for c in changes {
            if relay.keys.insert((c.site.clone(), c.hlc, c.table.clone(), c.row.clone(), c.column.clone())) {
                relay.log.push(c.clone());
                stored += 1;
            }
        }
        if self.flaky && self.rng.chance(15) {
            // Stored, but the reply never arrives: the client will send the batch again.
            return Err(SyncError::Protocol("reply cut off".into()));
        }
        // As the real server does: the sequence numbers this batch took, so a replica that had
        // pulled everything before it skips pulling its own changes back.
        Ok(PushResponse {
            stored,
            duplicates: changes.len() - stored,
            seqs: Some((before, relay.log.len() as i64)),
            epoch: relay.epoch.clone(),
        })
    }

    fn pull(&mut self, after: i64, limit: u32) -> Result<PullResponse, SyncError> {
        if self.flaky && self.rng.chance(15) {
            return Err(SyncError::Offline("request lost".into()));
        }
        let relay = self.relay.lock().unwrap();
        let start = after as usize;
        // (As the server: a cursor past the end, after a restore, gets an empty page at it.)
        let end = (start + limit as usize).min(relay.log.len()).max(start);
        // As the server: a page does not end inside a write.
        let end = if start < relay.log.len() {
            start + satchel_core::sync::wire::whole_writes(&relay.log[start..], end - start, |c| c)
        } else {
            end
        };
        let mut changes: Vec<Pulled> = (start..end).map(|i| Pulled { seq: i as i64 + 1, change: relay.log[i].clone() }).collect();
        if self.flaky {
            // Old changes delivered again, and the page in random order.
            for _ in 0..self.rng.below(4) {
                if start.min(relay.log.len()) > 0 {
                    let i = self.rng.below(start.min(relay.log.len()));
                    changes.push(Pulled { seq: i as i64 + 1, change: relay.log[i].clone() });
                }
            }
            for i in (1..changes.len()).rev() {
                changes.swap(i, self.rng.below(i + 1));
            }
        }
        Ok(PullResponse {
            changes,
            next: end as i64,
            has_more: end < relay.log.len(),
            sites: vec![],
            last: relay.log.len() as i64,
            revoked: vec![],
            now_ms: 0,
            epoch: relay.epoch.clone(),
        })
    }
}

#[derive(Debug, Clone)]
enum Step {
    Edit(u8, Op),
    Sync(u8),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (any::<u8>(), op()).prop_map(|(r, o)| Step::Edit(r, o)),
        1 => any::<u8>().prop_map(Step::Sync),
    ]
}

/// The records a replica knows (has received whole enough to open).
fn known(app: &Satchel) -> Vec<CustomerId> {
    app.store()
        .read(|c| {
            Ok(c.prepare("SELECT id FROM customers WHERE name <> '' AND kind <> '' ORDER BY id")?
                .query_map([], |r| Ok(CustomerId(r.get(0)?)))?
                .collect::<Result<_, _>>()?)
        })
        .unwrap()
}

type Cells = BTreeMap<(String, String, String), (serde_json::Value, String)>;

/// Last writer wins per column over every change any replica made: what all must converge to.
fn reference(replicas: &[TestDb]) -> Cells {
    let mut want: BTreeMap<(String, String, String), (i64, String, serde_json::Value)> = BTreeMap::new();
    for r in replicas {
        let changes = r.app.store().own_changes_after(0, u32::MAX, u32::MAX).unwrap().changes;
        for (c, _) in changes {
            let w = sync::to_wire(c, String::new());
            let key = (w.table, w.row, w.column);
            let newer = want.get(&key).is_none_or(|(h, s, _)| (w.hlc, &w.site) > (*h, s));
            if newer {
                want.insert(key, (w.hlc, w.site, w.value));
            }
        }
    }
    want.into_iter().map(|(k, (h, s, v))| (k, (v, format!("{}@{s}", satchel_core::hlc::Hlc::unpack(h).pack())))).collect()
}

/// Every cell a replica holds that some change set, with the stamp of the change that set it.
fn cells(app: &Satchel) -> Cells {
    let mut out = Cells::new();
    app.store()
        .read(|c| {
            for t in SYNCED_TABLES.iter() {
                let cols = t.columns.join(", ");
                let mut st = c.prepare(&format!("SELECT id, _clocks, {cols} FROM {}", t.name))?;
                let mut rows = st.query([])?;
                while let Some(r) = rows.next()? {
                    let id: String = r.get(0)?;
                    let clocks = crate::fixtures::full_clocks(&r.get::<_, String>(1)?, &app.store().site_id());
                    let clocks = clocks.as_object().unwrap();
                    for (i, col) in t.columns.iter().enumerate() {
                        let stamp = if *col == "deleted_at" {
                            clocks.get("deleted_at").and_then(|v| v.as_str()).map(str::to_string)
                        } else {
                            // `"<stamp>": "#<mask>"`, bit i for the table's i-th column.
                            let has = |l: &str| {
                                l.strip_prefix('#').and_then(|h| u64::from_str_radix(h, 16).ok()).is_some_and(|m| m & (1 << i) != 0)
                            };
                            clocks.iter().find(|(k, v)| k.as_str() != "deleted_at" && v.as_str().is_some_and(has)).map(|(k, _)| k.clone())
                        };
                        if let Some(stamp) = stamp {
                            let v: rusqlite::types::Value = r.get(i + 2)?;
                            out.insert((t.name.to_string(), id.clone(), col.to_string()), (satchel_core::store::value_to_json(&v), stamp));
                        }
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    out
}

/// Batches of two log entries and pages of seven changes: several batches in flight at once
/// (over two links that race to the relay) and many pages per sync.
const SMALL: sync::Batching = sync::Batching { push_entries: 3, push_changes: 5, pull_limit: 7 };

/// Syncs until it succeeds (a flaky link fails often; the engine must pick up where it stopped).
fn sync_until_done(app: &Satchel, relay: &Arc<Mutex<Relay>>, rng: &mut Rng, flaky: bool) {
    for _ in 0..200 {
        let mut link = Link::new(relay, rng.next_u64(), flaky);
        if sync::sync_once_batched(app, &mut link, &mut |_| {}, SMALL).is_ok() {
            return;
        }
    }
    panic!("sync never succeeded");
}

/// Every remote change a replica applied is in its log once: nothing was applied twice.
fn applied_once(app: &Satchel) -> bool {
    app.store().remote_changes_applied_twice().unwrap() == 0
}

/// A new empty database, copied from a migrated template instead of migrated again (thousands of
/// cases open four databases each). The template has no site id, so each copy makes its own.
fn fresh_replica() -> TestDb {
    static TEMPLATE: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> = std::sync::OnceLock::new();
    let (_, template) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.db");
        drop(Satchel::open(&path, profile("template")).unwrap());
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("DELETE FROM meta; DELETE FROM sites; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
        drop(c);
        (dir, path)
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(template, dir.path().join("satchel.db")).unwrap();
    let app = Satchel::open(dir.path().join("satchel.db"), profile("ana")).unwrap();
    TestDb { dir, app }
}

proptest! {
    // Cheap cases (a few dozen steps on 3 to 5 small databases), so CI runs thousands.
    #![proptest_config(ProptestConfig { cases: 2000, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn replicas_that_sync_through_a_faulty_relay_converge_to_last_writer_wins(
        n in 3usize..=5,
        steps in proptest::collection::vec(step(), 1..30),
        seed in any::<u64>(),
    ) {
        let replicas: Vec<TestDb> = (0..n).map(|_| fresh_replica()).collect();
        let relay = Arc::new(Mutex::new(Relay::default()));
        let mut rng = Rng::new(seed);
        for s in &steps {
            match s {
                Step::Edit(r, op) => {
                    let app = &replicas[*r as usize % n].app;
                    let mut ids = known(app);
                    run(app, &mut ids, op);
                }
                Step::Sync(r) => {
                    let app = &replicas[*r as usize % n].app;
                    let mut link = Link::new(&relay, rng.next_u64(), true);
                    // Whatever happens, it may fail: the final sync must still converge.
                    let _ = sync::sync_once_batched(app, &mut link, &mut |_| {}, SMALL);
                }
            }
        }
        // Full sync: everyone pushes (over the same bad network), then everyone pulls.
        for _ in 0..2 {
            for r in &replicas {
                sync_until_done(&r.app, &relay, &mut rng, true);
            }
        }
        let want = reference(&replicas);
        for (i, r) in replicas.iter().enumerate() {
            let got = cells(&r.app);
            prop_assert!(got == want, "replica {} differs from the model:\n got {:?}\nwant {:?}", i, got.len(), want.len());
            prop_assert!(applied_once(&r.app), "replica {} applied a change twice", i);
            prop_assert_eq!(sync::pending(&r.app).unwrap(), 0);
        }
        let first = replicas[0].app.customers().list(&satchel_core::customers::ListQuery { limit: 1000, ..Default::default() }).rows;
        for r in &replicas[1..] {
            prop_assert_eq!(&r.app.customers().list(&satchel_core::customers::ListQuery { limit: 1000, ..Default::default() }).rows, &first);
        }
    }
}

/// Push batches are cut by column changes at whole log entries: every change goes exactly once,
/// in log order, no batch holds more than asked unless one entry alone is larger, and a batch's
/// entry count and last entry let the engine move its cursor and progress bar.
#[test]
fn push_batches_hold_whole_writes_within_the_change_limit() {
    let db = new_db();
    let mut input = person("王小明");
    input.phones = vec![point("mobile", "13800138000")];
    input.emails = vec![point("work", "xm@example.cn")];
    for i in 0..6 {
        input.name = format!("王小明 {i}");
        db.app.customers().create(&input).unwrap();
    }
    let store = db.app.store();
    let all = store.own_changes_after(0, u32::MAX, u32::MAX).unwrap();
    let everything: Vec<_> = all.changes.iter().map(|(c, _)| (c.table.clone(), c.row_id.clone(), c.column.clone())).collect();
    let biggest = {
        let mut sizes: BTreeMap<(String, String, i64), usize> = BTreeMap::new();
        for (c, _) in &all.changes {
            *sizes.entry((c.table.clone(), c.row_id.clone(), c.hlc.pack())).or_default() += 1;
        }
        *sizes.values().max().unwrap()
    };
    assert!(biggest > 3, "a customer's own row carries several columns");

    for limit in [1u32, 3, biggest as u32, biggest as u32 + 1, 25, 10_000] {
        let (mut after, mut seen, mut entries) = (0i64, Vec::new(), 0u32);
        loop {
            let batch = store.own_changes_after(after, 4, limit).unwrap();
            let Some(last) = batch.last else {
                assert!(batch.changes.is_empty());
                break;
            };
            assert!(last > after, "the cursor moves on");
            assert!(batch.entries >= 1 && batch.entries <= 4, "{} entries", batch.entries);
            if batch.entries > 1 {
                assert!(batch.changes.len() <= limit as usize, "{} changes in a batch limited to {limit}", batch.changes.len());
            }
            entries += batch.entries;
            seen.extend(batch.changes.iter().map(|(c, _)| (c.table.clone(), c.row_id.clone(), c.column.clone())));
            after = last;
        }
        assert_eq!(seen, everything, "limit {limit}: every change once, in order");
        assert_eq!(entries as u64, store.own_entries_after(0).unwrap(), "limit {limit}");
    }
}

/// A value that loses a concurrent edit changes no row here, but the record's history gains it
/// (with "Restore this value"): the window is told which table, as for a change that won.
#[test]
fn a_value_that_loses_a_concurrent_edit_is_announced_like_a_change() {
    let (a, b) = (new_db(), new_db());
    let c = a.app.customers().create(&person("孙丽")).unwrap();
    let all = |db: &TestDb, after: i64| -> Vec<satchel_core::store::Change> {
        db.app.store().changes_since(after, 100_000).unwrap().into_iter().map(|(_, ch)| ch).collect()
    };
    b.app.apply_changes(&all(&a, 0)).unwrap();
    let mark = a.app.store().changes_since(0, 100_000).unwrap().last().unwrap().0;
    let mut edit = a.app.customers().get(&c.id).unwrap().to_input();
    edit.name = "孙丽（A）".into();
    a.app.customers().update(&c.id, &edit).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(3));
    edit.name = "孙丽（B）".into();
    b.app.customers().update(&c.id, &edit).unwrap();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let h = heard.clone();
    b.app.on_changed(move |c| h.lock().unwrap().push(c.tables.clone()));
    let applied = b.app.apply_changes(&all(&a, mark)).unwrap();
    assert_eq!((applied.applied, applied.lost), (0, 1), "A's older edit lost on B");
    assert_eq!(*heard.lock().unwrap(), vec![vec!["customers".to_string()]]);
}

/// A relay restored from a copy (issue 14) has lost what was pushed after the copy, and its
/// sequence numbers start below every replica's cursor; its new epoch makes each replica push
/// everything it made again and pull everything again, in small batches over a faulty link: the
/// relay gets back each change once, a replica that joins afterwards gets all of it, and a new
/// edit reaches everyone.
#[test]
fn replicas_give_a_relay_restored_from_a_copy_back_what_it_lost() {
    let replicas: Vec<TestDb> = (0..3).map(|_| fresh_replica()).collect();
    let relay = Arc::new(Mutex::new(Relay { epoch: "before".into(), ..Relay::default() }));
    let mut rng = Rng::new(14);
    let mut n = 0;
    let mut edit = |app: &Satchel| {
        for _ in 0..4 {
            n += 1;
            let c = app.customers().create(&person(&format!("客户 {n}"))).unwrap();
            let mut input = app.customers().get(&c.id).unwrap().to_input();
            input.name = format!("客户 {n} (edited)");
            app.customers().update(&c.id, &input).unwrap();
        }
    };
    for r in &replicas {
        edit(&r.app);
    }
    for _ in 0..2 {
        for r in &replicas {
            sync_until_done(&r.app, &relay, &mut rng, false);
        }
    }
    let copy = relay.lock().unwrap().clone();
    for r in &replicas {
        edit(&r.app);
    }
    for _ in 0..2 {
        for r in &replicas {
            sync_until_done(&r.app, &relay, &mut rng, false);
        }
    }
    let everything = relay.lock().unwrap().log.len();
    *relay.lock().unwrap() = Relay { epoch: "after".into(), ..copy };
    assert!(relay.lock().unwrap().log.len() < everything, "the restored relay lacks the later changes");

    for _ in 0..2 {
        for r in &replicas {
            sync_until_done(&r.app, &relay, &mut rng, true);
        }
    }
    let own: usize = replicas.iter().map(|r| r.app.store().own_changes_after(0, u32::MAX, u32::MAX).unwrap().changes.len()).sum();
    assert_eq!(relay.lock().unwrap().log.len(), own, "the relay holds every replica's every change, once");
    let late = fresh_replica();
    sync_until_done(&late.app, &relay, &mut rng, false);
    edit(&replicas[0].app);
    for r in replicas.iter().chain([&late]) {
        sync_until_done(&r.app, &relay, &mut rng, true);
    }
    sync_until_done(&replicas[0].app, &relay, &mut rng, false);
    for r in &replicas {
        sync_until_done(&r.app, &relay, &mut rng, false);
    }
    sync_until_done(&late.app, &relay, &mut rng, false);
    let want = reference(&replicas);
    for (i, r) in replicas.iter().chain([&late]).enumerate() {
        assert!(cells(&r.app) == want, "replica {i} differs from the model");
        assert!(applied_once(&r.app), "replica {i} applied a change twice");
        assert_eq!(sync::pending(&r.app).unwrap(), 0);
        assert_eq!(r.app.store().meta(sync::EPOCH).unwrap().as_deref(), Some("after"));
    }
}
