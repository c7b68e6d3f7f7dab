//! Every rule of the `Storage` trait, run on both backends: `sqlite::*` always, `postgres::*` on
//! the database `SATCHEL_TEST_POSTGRES` names (each test in a schema of its own; without the
//! variable those tests say they were skipped and pass). `make test` sets it.

#[macro_use]
mod pg;

use satchel_server::postgres::PostgresStorage;
use satchel_server::sqlite::SqliteStorage;
use satchel_server::storage::{LoginLimits, Pulled, Pushed, Reservation, Role, Session, SiteInfo, Storage, StorageError, User, WireChange};
use serde_json::{json, Value};
use std::sync::Arc;

/// One backend for one test: its storage, and a way to open another on the same data (as a
/// second server process would).
struct Backend {
    storage: Arc<dyn Storage>,
    again: Box<dyn Fn() -> Arc<dyn Storage>>,
    name: &'static str,
    // Last: dropped after the storages (a temporary directory, or a schema).
    _data: Box<dyn std::any::Any>,
}

fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(SqliteStorage::init(dir.path()).unwrap());
    let path = dir.path().to_path_buf();
    Backend { storage, again: Box::new(move || Arc::new(SqliteStorage::open(&path).unwrap())), name: "sqlite", _data: Box::new(dir) }
}

fn postgres(test: &str) -> Option<Backend> {
    let schema = pg::schema(test)?;
    let url = schema.url.clone();
    let storage = Arc::new(PostgresStorage::connect(&url).unwrap());
    Some(Backend {
        storage,
        again: Box::new(move || Arc::new(PostgresStorage::connect(&url).unwrap())),
        name: "postgres",
        _data: Box::new(schema),
    })
}

on_both_backends!(
    "postgres";
    accounts_and_tokens,
    failed_logins_are_counted_per_email_and_forgotten_after_an_hour,
    a_repeated_batch_stores_nothing_new,
    pulls_page_in_server_order_within_the_team,
    private_records_reach_only_their_owner_and_the_managers,
    a_refused_push_stores_nothing_not_even_its_site_claim,
    a_private_record_made_shared_reaches_teammates_past_their_cursor,
    visibility_is_last_writer_wins,
    sites_name_their_first_account_and_device,
    concurrent_pushes_never_slip_behind_a_cursor,
    a_push_says_which_sequence_numbers_it_took,
    a_change_older_than_its_sites_newest_is_still_stored_once,
    a_hundred_thousand_changes_push_and_pull,
    the_epoch_is_kept_until_a_new_one_is_given,
    number_series_are_never_handed_out_twice,
    a_record_a_push_shows_shared_then_private_is_revoked_from_teammates,
    a_record_first_met_through_a_teammates_edits_is_still_its_creators,
);

/// What only the PostgreSQL backend has: a pool of connections to a server that may go away.
mod postgres_pool {
    use super::*;

    #[test]
    fn a_connection_the_database_dropped_is_replaced() {
        let Some(db) = pg::schema("postgres_pool::a_connection_the_database_dropped_is_replaced") else { return };
        let s = PostgresStorage::connect(&db.url).unwrap();
        let ana = add(&s, "ana@example.cn", Role::Sales, "East");
        s.push(&ana, "ana-laptop", &[cust("site-a", 1, "c1", "name", json!("x"))]).unwrap();
        // As when the database restarts: every connection of this storage is cut.
        let cut = db.admin_query(&format!(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{}' AND pid <> pg_backend_pid()",
            db.name
        ));
        assert_eq!(cut, "1", "the storage kept one idle connection");
        assert_eq!(s.last_seq("East").unwrap(), pull_all(&s, &ana, 0)[0].seq, "answered on a new connection");
        assert_eq!(s.push(&ana, "ana-laptop", &[cust("site-a", 2, "c1", "notes", json!("y"))]).unwrap().stored, 1);
    }

    #[test]
    fn many_requests_at_once_share_a_few_connections() {
        let Some(db) = pg::schema("postgres_pool::many_requests_at_once_share_a_few_connections") else { return };
        let s = Arc::new(PostgresStorage::connect(&db.url).unwrap());
        let ana = add(&*s, "ana@example.cn", Role::Sales, "East");
        let threads: Vec<_> = (0..30)
            .map(|i| {
                let (s, ana) = (s.clone(), ana.clone());
                std::thread::spawn(move || {
                    for k in 0..10 {
                        s.push(&ana, "ana-laptop", &[cust("site-a", i * 100 + k, &format!("c{i}"), "name", json!(k))]).unwrap();
                        s.pull(&ana, 0, 10).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(pull_all(&*s, &ana, 0).len(), 300);
        let open: usize = db
            .admin_query(&format!(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '{}' AND pid <> pg_backend_pid()",
                db.name
            ))
            .parse()
            .unwrap();
        assert!((1..=10).contains(&open), "{open} connections open");
    }
}

// ---- helpers ----

fn add(s: &dyn Storage, email: &str, role: Role, team: &str) -> User {
    s.add_user(email, role, team, &format!("hash of {email}")).unwrap()
}

fn ch(site: &str, hlc: i64, table: &str, row: &str, column: &str, value: Value, entity: &str) -> WireChange {
    WireChange { hlc, site: site.into(), table: table.into(), row: row.into(), column: column.into(), value, entity: entity.into() }
}

/// A customer's column, filed under the customer itself.
fn cust(site: &str, hlc: i64, row: &str, column: &str, value: Value) -> WireChange {
    ch(site, hlc, "customers", row, column, value, row)
}

/// A phone row of customer `of`.
fn phone(site: &str, hlc: i64, row: &str, of: &str, value: &str) -> WireChange {
    ch(site, hlc, "customer_phones", row, "value", json!(value), of)
}

/// A team-wide row (a custom field), filed under no record.
fn team_wide(site: &str, hlc: i64, row: &str, value: &str) -> WireChange {
    ch(site, hlc, "custom_fields", row, "label", json!(value), "")
}

/// What a pull returned, as `row.column=value`.
fn seen(pulled: &[Pulled]) -> Vec<String> {
    pulled.iter().map(|p| format!("{}.{}={}", p.change.row, p.change.column, p.change.value)).collect()
}

fn pull_all(s: &dyn Storage, u: &User, after: i64) -> Vec<Pulled> {
    s.pull(u, after, 100_000).unwrap()
}

fn forbidden(r: Result<Pushed, StorageError>) -> String {
    match r {
        Err(StorageError::Forbidden(why)) => why,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

// ---- the suite ----

fn accounts_and_tokens(b: &Backend) {
    let s = &*b.storage;
    let ana = add(s, "ana@example.cn", Role::Sales, "East");
    let mo = add(s, "mo@example.cn", Role::Manager, "East");
    assert_ne!(ana.id, mo.id);
    assert!(
        matches!(s.add_user("ANA@example.cn", Role::Owner, "West", "x"), Err(StorageError::Exists(_))),
        "emails are unique in any case"
    );

    let found = s.user_by_email("ana@example.cn").unwrap().unwrap();
    assert_eq!(
        (found.user.id.as_str(), found.user.role, found.user.team.as_str(), found.password_hash.as_str(), found.disabled),
        (ana.id.as_str(), Role::Sales, "East", "hash of ana@example.cn", false)
    );
    assert_eq!(s.user_by_email("Ana@Example.CN").unwrap().unwrap().user.id, ana.id);
    assert_eq!(s.user_by_email("mo@example.cn").unwrap().unwrap().user.role, Role::Manager);
    assert!(s.user_by_email("nobody@example.cn").unwrap().is_none());

    s.create_token(&ana, "ana-laptop", "hash-1", 1_000).unwrap();
    s.create_token(&ana, "ana-phone", "hash-2", 2_000).unwrap();
    s.create_token(&mo, "mo-desk", "hash-3", 3_000).unwrap();
    let session = s.session("hash-2").unwrap().unwrap();
    assert_eq!((session.user.email.as_str(), session.device.as_str(), session.last_used_ms), ("ana@example.cn", "ana-phone", 2_000));
    assert_eq!(
        s.session("hash-3").unwrap().unwrap(),
        Session { user: mo.clone(), device: "mo-desk".to_string(), last_used_ms: 3_000, disabled: false }
    );
    assert!(s.session("hash-4").unwrap().is_none());
    assert!(s.create_token(&mo, "again", "hash-1", 4_000).is_err(), "a token hash is given once");

    let id = s.server_id().unwrap();
    assert!(!id.is_empty());
    assert_eq!(s.server_id().unwrap(), id);
    // Another server on the same data is the same server to clients: same id, same sessions.
    let other = (b.again)();
    assert_eq!(other.server_id().unwrap(), id);
    assert_eq!(other.session("hash-1").unwrap().unwrap().device, "ana-laptop");
}

/// Issue 14: the epoch is set when the database is made, the same for every server on it and
/// across restarts, and changed (for all of them at once, running or not) by `new_epoch`.
fn the_epoch_is_kept_until_a_new_one_is_given(b: &Backend) {
    let s = &*b.storage;
    let epoch = s.epoch().unwrap();
    assert!(!epoch.is_empty());
    let other = (b.again)();
    assert_eq!(other.epoch().unwrap(), epoch);
    let new = other.new_epoch().unwrap();
    assert_ne!(new, epoch);
    assert_eq!(s.epoch().unwrap(), new, "a running server answers with the new epoch at once");
    assert_eq!((b.again)().epoch().unwrap(), new);
    assert_eq!(s.server_id().unwrap(), other.server_id().unwrap(), "the server stays the same server");
}

/// Each laptop's quote numbers carry its series: two logins at once, or a restarted server, never
/// get the same one.
fn number_series_are_never_handed_out_twice(b: &Backend) {
    let s = &b.storage;
    let first = s.next_series().unwrap();
    assert_eq!(first, 1, "{}", b.name);
    let handed: Vec<u64> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..8).map(|_| scope.spawn(|| (0..5).map(|_| s.next_series().unwrap()).collect::<Vec<_>>())).collect();
        threads.into_iter().flat_map(|t| t.join().unwrap()).collect()
    });
    let mut all: Vec<u64> = handed.clone();
    all.push(first);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 41, "{}: {handed:?}", b.name);
    // Another server process on the same data goes on from there.
    assert_eq!((b.again)().next_series().unwrap(), 42, "{}", b.name);
}

fn failed_logins_are_counted_per_email_and_forgotten_after_an_hour(b: &Backend) {
    let s = &*b.storage;
    let t = 10_000_000_000;
    let limits = |since_ms| LoginLimits { since_ms, per_account: 3, per_address: 5 };
    let counted = |r: Reservation| matches!(r, Reservation::Counted(_));
    for i in 0..3 {
        assert!(counted(s.reserve_login("ana@example.cn", "10.0.0.1", t + i * 1000, limits(t - 60_000)).unwrap()));
    }
    assert_eq!(
        s.reserve_login("ANA@example.cn", "10.0.0.2", t + 3000, limits(t - 60_000)).unwrap(),
        Reservation::AccountLocked,
        "in any case"
    );
    assert_eq!(
        (b.again)().reserve_login("ana@example.cn", "10.0.0.3", t + 3000, limits(t - 60_000)).unwrap(),
        Reservation::AccountLocked,
        "every server counts the same attempts"
    );
    assert!(counted(s.reserve_login("ana@example.cn", "10.0.0.1", t + 3000, limits(t + 1000)).unwrap()), "only since the given time");
    // The address: 4 counted from 10.0.0.1 so far (the refused ones were not counted).
    assert!(counted(s.reserve_login("bo@example.cn", "10.0.0.1", t + 5000, limits(t - 60_000)).unwrap()));
    assert_eq!(s.reserve_login("cy@example.cn", "10.0.0.1", t + 5000, limits(t - 60_000)).unwrap(), Reservation::AddressLocked);
    assert!(counted(s.reserve_login("cy@example.cn", "", t + 5000, limits(t - 60_000)).unwrap()), "an unknown address is not limited");
    // A released attempt (a right password) no longer counts.
    let Reservation::Counted(id) = s.reserve_login("dee@example.cn", "10.0.0.9", t, limits(t - 60_000)).unwrap() else { panic!() };
    s.release_login(id).unwrap();
    for _ in 0..3 {
        assert!(counted(s.reserve_login("dee@example.cn", "10.0.0.9", t, limits(t - 60_000)).unwrap()));
    }
    // Two hours later, a new attempt clears the old ones away.
    assert!(counted(s.reserve_login("ana@example.cn", "10.0.0.1", t + 7_200_000, limits(t + 7_140_000)).unwrap()));
    for _ in 0..2 {
        assert!(counted(s.reserve_login("ana@example.cn", "10.0.0.1", t + 7_200_000, limits(0)).unwrap()));
    }
    assert_eq!(s.reserve_login("ana@example.cn", "", t + 7_200_000, limits(0)).unwrap(), Reservation::AccountLocked);
}

fn a_repeated_batch_stores_nothing_new(b: &Backend) {
    let s = &*b.storage;
    let ana = add(s, "ana@example.cn", Role::Sales, "East");
    let batch = vec![
        cust("site-a", 1, "c1", "name", json!("王小明")),
        cust("site-a", 1, "c1", "kind", json!("person")),
        phone("site-a", 2, "p1", "c1", "13800138000"),
    ];
    assert_eq!(s.push(&ana, "ana-laptop", &batch).unwrap().stored, 3);
    assert_eq!(s.push(&ana, "ana-laptop", &batch).unwrap().stored, 0, "a repeated batch changes nothing");
    let half_new = vec![batch[0].clone(), cust("site-a", 3, "c1", "notes", json!("回访"))];
    assert_eq!(s.push(&ana, "ana-laptop", &half_new).unwrap().stored, 1);
    let twice = vec![cust("site-a", 4, "c1", "notes", json!("x")), cust("site-a", 4, "c1", "notes", json!("x"))];
    assert_eq!(s.push(&ana, "ana-laptop", &twice).unwrap().stored, 1, "a change twice in one batch is stored once");
    assert_eq!(s.push(&ana, "ana-laptop", &[]).unwrap().stored, 0);
    // The same column and clock from another device is another change.
    assert_eq!(s.push(&ana, "ana-phone", &[cust("site-a2", 4, "c1", "notes", json!("x"))]).unwrap().stored, 1);
    let all = pull_all(s, &ana, 0);
    assert_eq!(
        seen(&all),
        vec![
            "c1.name=\"王小明\"",
            "c1.kind=\"person\"",
            "p1.value=\"13800138000\"",
            "c1.notes=\"回访\"",
            "c1.notes=\"x\"",
            "c1.notes=\"x\""
        ]
    );
    assert_eq!(all[0].change, batch[0]);
}

fn pulls_page_in_server_order_within_the_team(b: &Backend) {
    let s = &*b.storage;
    let ana = add(s, "ana@example.cn", Role::Sales, "East");
    let wu = add(s, "wu@example.cn", Role::Owner, "West");
    let values = [json!("王小明"), json!(42), json!(null), json!(true), json!({"a": [1, "二"]}), json!([]), json!(""), json!(1.5)];
    let ours: Vec<WireChange> =
        values.iter().enumerate().map(|(i, v)| cust("site-a", 100 - i as i64, &format!("c{i}"), "name", v.clone())).collect();
    assert_eq!(s.push(&ana, "ana-laptop", &ours[..5]).unwrap().stored, 5);
    let theirs = vec![cust("site-w", 1, "w1", "name", json!("West Co")), team_wide("site-w", 2, "f1", "Region")];
    assert_eq!(s.push(&wu, "wu-laptop", &theirs).unwrap().stored, 2);
    assert_eq!(s.push(&ana, "ana-laptop", &ours[5..]).unwrap().stored, 3);

    // Pages of three, in the order the server stored them (not the clocks' order).
    let mut got: Vec<Pulled> = Vec::new();
    let mut after = 0;
    loop {
        let page = s.pull(&ana, after, 3).unwrap();
        assert!(page.len() <= 3);
        if page.is_empty() {
            break;
        }
        after = page.last().unwrap().seq;
        got.extend(page);
    }
    assert_eq!(got.iter().map(|p| p.change.clone()).collect::<Vec<_>>(), ours, "every change as pushed, values intact");
    assert!(got.windows(2).all(|w| w[0].seq < w[1].seq), "ascending sequence numbers");
    let west = pull_all(s, &wu, 0);
    assert_eq!(west.iter().map(|p| p.change.clone()).collect::<Vec<_>>(), theirs, "another team's changes never mix in");
    assert_eq!(s.last_seq("East").unwrap(), got.last().unwrap().seq);
    assert_eq!(s.last_seq("West").unwrap(), west.last().unwrap().seq);
    assert_eq!(s.last_seq("North").unwrap(), 0);
    assert!(s.pull(&ana, s.last_seq("East").unwrap(), 10).unwrap().is_empty());
}

/// Whatever order a site's changes arrive in, each is stored exactly once: a batch sent again, a
/// batch stored after a later one (two connections), a device restored from a backup whose clock
/// is behind. (Guards any cheaper dedupe than the unique index, e.g. a per-site newest clock.)
fn a_change_older_than_its_sites_newest_is_still_stored_once(b: &Backend) {
    let s = &*b.storage;
    let ana = add(s, "ana@example.cn", Role::Sales, "East");
    let later = vec![cust("site-a", 20, "c1", "name", json!("新")), cust("site-a", 21, "c1", "notes", json!("后"))];
    assert_eq!(s.push(&ana, "ana-laptop", &later).unwrap().stored, 2);
    let earlier = vec![cust("site-a", 10, "c1", "kind", json!("person")), cust("site-a", 10, "c2", "name", json!("旧"))];
    assert_eq!(s.push(&ana, "ana-laptop", &earlier).unwrap().stored, 2, "older than the site's newest, and new");
    assert_eq!(s.push(&ana, "ana-laptop", &earlier).unwrap().stored, 0, "sent again");
    assert_eq!(s.push(&ana, "ana-laptop", &later).unwrap().stored, 0, "sent again");
    // Same clock as a stored change, another column: new.
    assert_eq!(s.push(&ana, "ana-laptop", &[cust("site-a", 21, "c1", "tags", json!("x"))]).unwrap().stored, 1);
    // Newer than everything, twice in one batch: once.
    let twice = vec![cust("site-a", 30, "c1", "notes", json!("再")), cust("site-a", 30, "c1", "notes", json!("再"))];
    assert_eq!(s.push(&ana, "ana-laptop", &twice).unwrap().stored, 1);
    let all = pull_all(s, &ana, 0);
    assert_eq!(all.len(), 6, "{:?}", seen(&all));
}

/// What a device may skip pulling: between the numbers a push reports there is nothing but that
/// push's own changes, whatever other teams did meanwhile.
fn a_push_says_which_sequence_numbers_it_took(b: &Backend) {
    let s = &*b.storage;
    let ana = add(s, "ana@example.cn", Role::Sales, "East");
    let bo = add(s, "bo@example.cn", Role::Sales, "East");
    let mo = add(s, "mo@example.cn", Role::Manager, "East");
    let wu = add(s, "wu@example.cn", Role::Sales, "West");
    let first = s
        .push(&ana, "ana-laptop", &[cust("site-a", 1, "c1", "name", json!("一")), cust("site-a", 2, "c1", "kind", json!("person"))])
        .unwrap();
    let (_, after_first) = first.seqs.expect("a plain push reports its numbers");
    assert_eq!(after_first, s.last_seq("East").unwrap());
    // Another team's push in between takes numbers too, but not East's.
    s.push(&wu, "wu-laptop", &[cust("site-w", 1, "w1", "name", json!("West Co")), cust("site-w", 2, "w1", "notes", json!("x"))]).unwrap();
    let second =
        s.push(&bo, "bo-laptop", &[cust("site-b", 1, "c2", "name", json!("二")), cust("site-b", 2, "c2", "notes", json!("回访"))]).unwrap();
    let (before, after) = second.seqs.expect("a plain push reports its numbers");
    assert_eq!(before, after_first, "nothing of East's came between the two pushes");
    let between = pull_all(s, &mo, before);
    assert_eq!(seen(&between), vec!["c2.name=\"二\"", "c2.notes=\"回访\""], "only Bo's batch lies between");
    assert_eq!(between.last().unwrap().seq, after);
    // A batch already stored takes no numbers.
    let again = s.push(&bo, "bo-laptop", &[cust("site-b", 1, "c2", "name", json!("二"))]).unwrap();
    assert_eq!((again.stored, again.seqs), (0, Some((after, after))));
}

/// East: Ana (sales) with a shared customer, a private one with a phone, and a team-wide field.
fn east_with_a_private_record(s: &dyn Storage) -> (User, User, User, User) {
    let ana = add(s, "ana@example.cn", Role::Sales, "East");
    let cy = add(s, "cy@example.cn", Role::Sales, "East");
    let mo = add(s, "mo@example.cn", Role::Manager, "East");
    let boss = add(s, "boss@example.cn", Role::Owner, "East");
    let batch = vec![
        cust("site-a", 1, "c1", "name", json!("Shared Co")),
        cust("site-a", 2, "c2", "name", json!("私人客户")),
        cust("site-a", 2, "c2", "visibility", json!("private")),
        phone("site-a", 3, "p2", "c2", "13900139000"),
        team_wide("site-a", 4, "f1", "Region"),
    ];
    assert_eq!(s.push(&ana, "ana-laptop", &batch).unwrap().stored, 5);
    (ana, cy, mo, boss)
}

fn private_records_reach_only_their_owner_and_the_managers(b: &Backend) {
    let s = &*b.storage;
    let (ana, cy, mo, boss) = east_with_a_private_record(s);
    assert_eq!(seen(&pull_all(s, &cy, 0)), vec!["c1.name=\"Shared Co\"", "f1.label=\"Region\""], "not the private record, not its phone");
    for who in [&ana, &mo, &boss] {
        assert_eq!(pull_all(s, who, 0).len(), 5, "{} sees all of it", who.email);
    }
    let why = forbidden(s.push(
        &cy,
        "cy-laptop",
        &[cust("site-c", 5, "c5", "name", json!("mine")), cust("site-c", 5, "c2", "notes", json!("mine now"))],
    ));
    assert_eq!(why, "change 1: record c2 is another person's private record");
    // A manager may write to it (and so may its owner).
    assert_eq!(s.push(&mo, "mo-desk", &[cust("site-m", 6, "c2", "notes", json!("checked"))]).unwrap().stored, 1);
    assert_eq!(s.push(&ana, "ana-laptop", &[phone("site-a", 7, "p3", "c2", "13700137000")]).unwrap().stored, 1);
    assert_eq!(pull_all(s, &cy, 0).len(), 2, "still nothing of it for the other salesperson");
    // A record Cy pushes first is Cy's; Ana may write to it while it is shared.
    assert_eq!(s.push(&cy, "cy-laptop", &[cust("site-c", 8, "c5", "name", json!("Cy's"))]).unwrap().stored, 1);
    assert_eq!(s.push(&ana, "ana-laptop", &[cust("site-a", 9, "c5", "notes", json!("met them"))]).unwrap().stored, 1);
    assert_eq!(pull_all(s, &cy, 0).len(), 4);
}

fn a_refused_push_stores_nothing_not_even_its_site_claim(b: &Backend) {
    let s = &*b.storage;
    let (ana, cy, mo, _) = east_with_a_private_record(s);
    let before = s.last_seq("East").unwrap();
    // Cy, from a new device, with a valid change first and another's private record second.
    let why = forbidden(s.push(
        &cy,
        "cy-laptop",
        &[
            cust("site-new", 10, "c7", "name", json!("x")),
            team_wide("site-new", 10, "f2", "y"),
            cust("site-new", 11, "c2", "name", json!("mine")),
        ],
    ));
    assert!(why.starts_with("change 2: "), "{why}");
    // Pushing as another account's device.
    let why = forbidden(s.push(
        &cy,
        "cy-laptop",
        &[cust("site-c", 12, "c8", "name", json!("ok")), cust("site-a", 12, "c1", "notes", json!("spoofed"))],
    ));
    assert_eq!(why, "change 1: its device database belongs to another account");
    assert_eq!(s.last_seq("East").unwrap(), before, "nothing stored");
    assert_eq!(pull_all(s, &mo, 0).len(), 5);
    assert!(s.sites(&["site-new", "site-c"]).unwrap().is_empty(), "no device claimed");
    // So the device is still free, and the record still new: Ana may take both.
    assert_eq!(
        s.push(
            &ana,
            "ana-phone",
            &[cust("site-new", 13, "c7", "name", json!("Ana's")), cust("site-new", 13, "c7", "visibility", json!("private"))]
        )
        .unwrap()
        .stored,
        2
    );
    assert_eq!(s.sites(&["site-new"]).unwrap()[0].author, "ana@example.cn");
    assert!(matches!(s.push(&cy, "cy-laptop", &[cust("site-c", 14, "c7", "notes", json!("x"))]), Err(StorageError::Forbidden(_))));
}

fn a_private_record_made_shared_reaches_teammates_past_their_cursor(b: &Backend) {
    let s = &*b.storage;
    let (ana, cy, mo, _) = east_with_a_private_record(s);
    assert_eq!(pull_all(s, &cy, 0).len(), 2);
    // Cy is up to date: the cursor is past everything stored so far.
    let cursor = s.last_seq("East").unwrap();
    let stored = s
        .push(
            &ana,
            "ana-laptop",
            &[cust("site-a", 10, "c2", "visibility", json!("team")), cust("site-a", 10, "c3", "name", json!("New Co"))],
        )
        .unwrap();
    assert_eq!(stored.stored, 2);
    assert_eq!(stored.seqs, None, "old changes were renumbered: the push took more than its own numbers");
    let got = pull_all(s, &cy, cursor);
    assert!(got.iter().all(|p| p.seq > cursor));
    assert_eq!(
        seen(&got),
        vec![
            "c3.name=\"New Co\"",
            "c2.name=\"私人客户\"",
            "c2.visibility=\"private\"",
            "p2.value=\"13900139000\"",
            "c2.visibility=\"team\"",
        ],
        "all of the record, in its own order, after the cursor"
    );
    assert_eq!(s.last_seq("East").unwrap(), got.last().unwrap().seq);
    // Moved, not copied: a full pull has each change once.
    assert_eq!(pull_all(s, &mo, 0).len(), 7);
    // And now the teammate may write to it.
    assert_eq!(s.push(&cy, "cy-laptop", &[cust("site-c", 11, "c2", "notes", json!("拜访过"))]).unwrap().stored, 1);
    // A record that was never private is not moved when it says "team" again.
    let cursor = s.last_seq("East").unwrap();
    s.push(&ana, "ana-laptop", &[cust("site-a", 12, "c1", "visibility", json!("team"))]).unwrap();
    assert_eq!(seen(&pull_all(s, &cy, cursor)), vec!["c1.visibility=\"team\""]);
}

/// After a restore from a backup the server has lost that a record was shared and that teammates
/// pulled it: the owner's laptop pushes it again, its share and its later "private" in one push.
/// The teammates who may hold it must still be told to forget it (the chaos run found one who kept
/// a private record for ever).
fn a_record_a_push_shows_shared_then_private_is_revoked_from_teammates(b: &Backend) {
    let s = &*b.storage;
    let (ana, cy, mo, _) = east_with_a_private_record(s);
    let cursor = s.last_seq("East").unwrap();
    assert!(s.revoked(&cy, 0, None).unwrap().is_empty(), "c2 was private from its first change: nobody had it");
    s.push(
        &ana,
        "ana-laptop",
        &[
            // New to the server: made shared (the default), then private.
            cust("site-a", 10, "c9", "name", json!("Lost Co")),
            cust("site-a", 12, "c9", "visibility", json!("private")),
            // Private here, then shared, then private again.
            cust("site-a", 11, "c2", "visibility", json!("team")),
            cust("site-a", 13, "c2", "visibility", json!("private")),
        ],
    )
    .unwrap();
    let mut gone = s.revoked(&cy, cursor, None).unwrap();
    gone.sort();
    assert_eq!(gone, vec!["c2", "c9"]);
    assert!(s.revoked(&mo, cursor, None).unwrap().is_empty(), "a manager keeps seeing them");
    assert!(pull_all(s, &cy, 0).iter().all(|p| p.change.entity != "c2" && p.change.entity != "c9"), "and neither is sent");
}

/// A server restored from a backup may first meet a record through a teammate's edits, re-sent
/// before its creator's laptop re-sends the creation: the record is still its creator's (the
/// chaos run found the creator refused her own creation, and the teammate able to hide it).
fn a_record_first_met_through_a_teammates_edits_is_still_its_creators(b: &Backend) {
    let s = &*b.storage;
    let ana = add(s, "ana@example.cn", Role::Sales, "East");
    let dan = add(s, "dan@example.cn", Role::Sales, "East");
    let cy = add(s, "cy@example.cn", Role::Sales, "East");
    let mo = add(s, "mo@example.cn", Role::Manager, "East");
    s.push(&dan, "dan-laptop", &[cust("site-d", 20, "x1", "notes", json!("Dan called"))]).unwrap();
    assert!(seen(&pull_all(s, &cy, 0)).contains(&"x1.notes=\"Dan called\"".to_string()), "a salesperson only had it shared");
    // Ana's creation, older than anything the server had of it: accepted, and the record hers.
    let creation = [cust("site-a", 10, "x1", "name", json!("Lost Co")), cust("site-a", 10, "x1", "visibility", json!("team"))];
    assert_eq!(s.push(&ana, "ana-laptop", &creation).unwrap().stored, 2);
    let why = forbidden(s.push(&dan, "dan-laptop", &[cust("site-d", 30, "x1", "visibility", json!("private"))]));
    assert!(why.contains("only the owner"), "{why}");
    let cursor = s.last_seq("East").unwrap();
    s.push(&ana, "ana-laptop", &[cust("site-a", 31, "x1", "visibility", json!("private"))]).unwrap();
    assert!(pull_all(s, &cy, 0).iter().all(|p| p.change.entity != "x1"), "hidden by its owner");
    assert_eq!(s.revoked(&cy, cursor, None).unwrap(), vec!["x1".to_string()]);
    // Claimed once: an older "who may see it" from someone else takes nothing.
    let why = forbidden(s.push(&dan, "dan-laptop", &[cust("site-d", 5, "x1", "visibility", json!("team"))]));
    assert!(why.contains("private") || why.contains("only the owner"), "{why}");

    // A manager's re-sent edit of a record not yet re-sent by its creator may be someone's
    // private record: hidden from salespeople until its creation says otherwise.
    let before_mo = s.last_seq("East").unwrap();
    s.push(&mo, "mo-laptop", &[cust("site-m", 50, "x2", "notes", json!("secret terms"))]).unwrap();
    assert!(pull_all(s, &cy, 0).iter().all(|p| p.change.entity != "x2"));
    assert!(s.revoked(&cy, before_mo, None).unwrap().is_empty(), "hidden because unknown, made private by nobody: nobody forgets it");
    // A teammate's re-sent edit of it is taken too (he had it, so it was shared), and waits hidden.
    assert_eq!(s.push(&dan, "dan-laptop", &[cust("site-d", 55, "x2", "notes", json!("Dan's note"))]).unwrap().stored, 1);
    assert!(pull_all(s, &cy, 0).iter().all(|p| p.change.entity != "x2"));
    // Ana pulled past the manager's note while it was hidden from her: she still receives it.
    let ana_cursor = s.last_seq("East").unwrap();
    s.push(
        &ana,
        "ana-laptop",
        &[cust("site-a", 40, "x2", "name", json!("私人客户")), cust("site-a", 40, "x2", "visibility", json!("private"))],
    )
    .unwrap();
    assert!(pull_all(s, &cy, 0).iter().all(|p| p.change.entity != "x2"), "still private: it is");
    assert!(seen(&pull_all(s, &ana, ana_cursor)).contains(&"x2.notes=\"secret terms\"".to_string()), "its owner has the manager's note");

    // A shared record's creation may say nothing of who sees it (the default): claimed, it is
    // shared again, and the team receives what the manager wrote while it was hidden.
    s.push(&mo, "mo-laptop", &[cust("site-m", 70, "x4", "notes", json!("called them"))]).unwrap();
    let (ana_cursor, cy_cursor) = (s.last_seq("East").unwrap(), s.last_seq("East").unwrap());
    s.push(&ana, "ana-laptop", &[cust("site-a", 60, "x4", "name", json!("Shared Again")), cust("site-a", 60, "x4", "owner", json!(""))])
        .unwrap();
    for (who, after) in [(&cy, cy_cursor), (&ana, ana_cursor)] {
        let got = seen(&pull_all(s, who, after));
        assert!(
            got.contains(&"x4.notes=\"called them\"".to_string()) && got.contains(&"x4.name=\"Shared Again\"".to_string()),
            "{}: {got:?}",
            who.email
        );
    }
    forbidden(s.push(&cy, "cy-laptop", &[cust("site-c", 60, "x2", "notes", json!("x"))]));

    // A record pushed with who may see it is nobody else's to claim, however old their clock.
    s.push(&ana, "ana-laptop", &[cust("site-a", 100, "x3", "name", json!("Mine")), cust("site-a", 100, "x3", "visibility", json!("team"))])
        .unwrap();
    let why = forbidden(s.push(&dan, "dan-laptop", &[cust("site-d", 1, "x3", "visibility", json!("private"))]));
    assert!(why.contains("only the owner"), "{why}");
}

fn visibility_is_last_writer_wins(b: &Backend) {
    let s = &*b.storage;
    let (ana, cy, _, _) = east_with_a_private_record(s);
    s.push(&ana, "ana-laptop", &[cust("site-a", 10, "c2", "visibility", json!("team"))]).unwrap();
    // An older "private" arriving later does not hide it again.
    s.push(&ana, "ana-phone", &[cust("site-a2", 5, "c2", "visibility", json!("private"))]).unwrap();
    assert!(seen(&pull_all(s, &cy, 0)).contains(&"c2.visibility=\"private\"".to_string()), "the change itself is there to see");
    assert_eq!(s.push(&cy, "cy-laptop", &[cust("site-c", 11, "c2", "notes", json!("still shared"))]).unwrap().stored, 1);
    // A newer one does; what follows is hidden from Cy.
    let cursor = s.last_seq("East").unwrap();
    s.push(
        &ana,
        "ana-laptop",
        &[cust("site-a", 20, "c2", "visibility", json!("private")), cust("site-a", 21, "c2", "notes", json!("secret"))],
    )
    .unwrap();
    assert!(pull_all(s, &cy, cursor).is_empty());
    assert!(pull_all(s, &cy, 0).iter().all(|p| p.change.entity != "c2"), "none of it, old or new");
    assert!(matches!(s.push(&cy, "cy-laptop", &[cust("site-c", 22, "c2", "notes", json!("x"))]), Err(StorageError::Forbidden(_))));
    // Within one batch the last clock counts: private, then shared again.
    let cursor = s.last_seq("East").unwrap();
    s.push(
        &ana,
        "ana-laptop",
        &[cust("site-a", 31, "c2", "visibility", json!("team")), cust("site-a", 30, "c2", "visibility", json!("private"))],
    )
    .unwrap();
    assert_eq!(pull_all(s, &cy, cursor).iter().filter(|p| p.change.column == "notes").count(), 2, "shared again: all of it re-delivered");
}

fn sites_name_their_first_account_and_device(b: &Backend) {
    let s = &*b.storage;
    let ana = add(s, "ana@example.cn", Role::Sales, "East");
    let mo = add(s, "mo@example.cn", Role::Manager, "East");
    s.push(&ana, "ana-laptop", &[cust("site-a", 1, "c1", "name", json!("x"))]).unwrap();
    s.push(&mo, "mo-desk", &[cust("site-m", 2, "c1", "notes", json!("y"))]).unwrap();
    s.push(&ana, "ana-phone", &[cust("site-a", 3, "c1", "notes", json!("z"))]).unwrap();
    let info = |site: &str, author: &str, device: &str| SiteInfo { site: site.into(), author: author.into(), device: device.into() };
    assert_eq!(
        s.sites(&["site-m", "nobody", "site-a"]).unwrap(),
        vec![info("site-m", "mo@example.cn", "mo-desk"), info("site-a", "ana@example.cn", "ana-laptop")]
    );
    assert!(s.sites(&[]).unwrap().is_empty());
}

/// Several servers (or request threads) push to one team while a manager pulls: whatever the
/// timing, the manager's cursor never jumps past a change that shows up later.
fn concurrent_pushes_never_slip_behind_a_cursor(b: &Backend) {
    const PUSHERS: usize = 3;
    const BATCHES: usize = 100;
    const PER_BATCH: usize = 5;
    let s = &*b.storage;
    let users: Vec<User> = (0..PUSHERS).map(|i| add(s, &format!("u{i}@example.cn"), Role::Sales, "East")).collect();
    let mo = add(s, "mo@example.cn", Role::Manager, "East");
    let total = PUSHERS * BATCHES * PER_BATCH;
    let start = std::time::Instant::now();
    let pushers: Vec<_> = users
        .into_iter()
        .enumerate()
        .map(|(i, u)| {
            let storage = (b.again)();
            std::thread::spawn(move || {
                for batch in 0..BATCHES {
                    let changes: Vec<WireChange> = (0..PER_BATCH)
                        .map(|k| cust(&format!("site-{i}"), (batch * PER_BATCH + k) as i64, &format!("c{i}-{batch}-{k}"), "name", json!(k)))
                        .collect();
                    assert_eq!(storage.push(&u, "laptop", &changes).unwrap().stored, PER_BATCH);
                }
            })
        })
        .collect();
    let puller = (b.again)();
    let mut cursor = 0;
    let mut got = std::collections::HashSet::new();
    let mut pull = |done: bool| loop {
        let page = puller.pull(&mo, cursor, 50).unwrap();
        for p in &page {
            assert!(p.seq > cursor);
            cursor = p.seq;
            assert!(got.insert(p.change.row.clone()), "{} pulled twice", p.change.row);
        }
        if page.is_empty() || !done {
            return got.len();
        }
    };
    while !pushers.iter().all(|p| p.is_finished()) {
        pull(false);
    }
    for p in pushers {
        p.join().unwrap();
    }
    // Whatever was pulled while they pushed, the rest comes after the cursor.
    assert_eq!(pull(true), total, "changes were stored behind the cursor");
    assert_eq!(pull_all(s, &mo, 0).len(), total);
    println!("{}: {total} changes from {PUSHERS} pushers in {:.2} s", b.name, start.elapsed().as_secs_f64());
}

fn a_hundred_thousand_changes_push_and_pull(b: &Backend) {
    let s = &*b.storage;
    let ana = add(s, "ana@example.cn", Role::Sales, "East");
    let n = 100_000;
    let changes: Vec<WireChange> = (0..n)
        .map(|i| match i % 4 {
            0 => cust("site-a", i, &format!("c{}", i / 4), "name", json!(format!("客户 {i}"))),
            1 => cust("site-a", i, &format!("c{}", i / 4), "notes", json!("回访 / follow-up")),
            2 => phone("site-a", i, &format!("p{}", i / 4), &format!("c{}", i / 4), "13800138000"),
            _ => team_wide("site-a", i, &format!("f{}", i / 4), "Region"),
        })
        .collect();
    let start = std::time::Instant::now();
    let mut stored = 0;
    for batch in changes.chunks(satchel_server::http::PUSH_MAX) {
        stored += s.push(&ana, "ana-laptop", batch).unwrap().stored;
    }
    let pushed = start.elapsed();
    let mut pulled = 0;
    let mut after = 0;
    loop {
        let page = s.pull(&ana, after, 5001).unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        pulled += page.len();
    }
    let total = start.elapsed();
    assert_eq!((stored, pulled), (n as usize, n as usize));
    println!(
        "{}: {n} changes pushed in {:.2} s, pushed and pulled in {:.2} s ({:.0} changes/s)",
        b.name,
        pushed.as_secs_f64(),
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64()
    );
}

/// A data directory from before schema version 1 (its `changes` key led with the site id) is
/// rebuilt when the server opens it: every change keeps its sequence number, so clients' cursors
/// stay right, repeats are still refused, and new changes number on from the last.
#[test]
fn sqlite_an_old_database_is_rebuilt_under_the_new_key_keeping_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let (ana, before) = {
        let s = SqliteStorage::init(dir.path()).unwrap();
        let ana = add(&s, "ana@example.cn", Role::Sales, "East");
        let batch = vec![
            cust("site-a", 1, "c1", "name", json!("王小明")),
            cust("site-a", 1, "c1", "kind", json!("person")),
            phone("site-a", 2, "p1", "c1", "13800138000"),
        ];
        s.push(&ana, "ana-laptop", &batch).unwrap();
        s.push(&ana, "ana-laptop", &[team_wide("site-a", 3, "f1", "等级")]).unwrap();
        s.push(
            &ana,
            "ana-laptop",
            &[cust("site-a", 4, "c2", "name", json!("私人客户")), cust("site-a", 4, "c2", "visibility", json!("private"))],
        )
        .unwrap();
        let pulled = pull_all(&s, &ana, 0);
        (ana, pulled)
    };
    assert_eq!(before.len(), 6);
    // Turn it back into a version-0 database: the first schema's table, key and indexes.
    {
        let c = rusqlite::Connection::open(SqliteStorage::file(dir.path())).unwrap();
        c.execute_batch(
            "ALTER TABLE changes RENAME TO v1;
             DROP INDEX changes_team; DROP INDEX changes_private;
             CREATE TABLE changes (
                 seq INTEGER PRIMARY KEY, team TEXT NOT NULL, site_id TEXT NOT NULL, hlc INTEGER NOT NULL,
                 tbl TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT NOT NULL, value TEXT NOT NULL,
                 entity TEXT NOT NULL DEFAULT '', UNIQUE (site_id, hlc, tbl, row_id, col));
             CREATE INDEX changes_team ON changes (team, seq);
             CREATE INDEX changes_entity ON changes (team, entity);
             INSERT INTO changes SELECT seq, team, site_id, hlc, tbl, row_id, col, value, entity FROM v1;
             DROP TABLE v1;
             -- And without what schemas 2 to 6 added (issue 14).
             DROP TABLE audit; DROP TABLE login_attempts; DROP INDEX tokens_user; DROP TABLE links; DROP TABLE revoked; DROP TABLE blobs; DROP TABLE blob_pieces;
             ALTER TABLE entities DROP COLUMN claimable; ALTER TABLE entities DROP COLUMN first_hlc;
             ALTER TABLE users DROP COLUMN disabled; ALTER TABLE tokens DROP COLUMN last_used_ms;
             PRAGMA user_version = 0;",
        )
        .unwrap();
    }
    let key_of = |c: &rusqlite::Connection| -> Vec<String> {
        let unique: String =
            c.query_row("SELECT name FROM pragma_index_list('changes') WHERE \"unique\" = 1 AND origin = 'u'", [], |r| r.get(0)).unwrap();
        c.prepare(&format!("SELECT name FROM pragma_index_info('{unique}') ORDER BY seqno"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    {
        let c = rusqlite::Connection::open(SqliteStorage::file(dir.path())).unwrap();
        assert_eq!(key_of(&c), ["site_id", "hlc", "tbl", "row_id", "col"], "the test made a version-0 database");
    }

    let s = SqliteStorage::open(dir.path()).unwrap();
    let c = rusqlite::Connection::open(SqliteStorage::file(dir.path())).unwrap();
    assert_eq!(key_of(&c), ["hlc", "site_id", "row_id", "tbl", "col"]);
    assert_eq!(c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(), 6);
    let indexes: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'changes' AND sql IS NOT NULL ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(indexes, ["changes_private", "changes_team"]);
    let private: Vec<String> = c
        .prepare("SELECT row_id || '.' || col FROM changes WHERE private = 1 ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(private, ["c2.name", "c2.visibility"], "the private record's changes are marked");
    assert_eq!(pull_all(&s, &ana, 0), before, "every change, with its sequence number");
    assert_eq!(pull_all(&s, &ana, before[1].seq), before[2..], "a cursor held from before still means the same");
    assert_eq!(s.push(&ana, "ana-laptop", &[before[0].change.clone()]).unwrap().stored, 0, "a repeat is still refused");
    let pushed = s.push(&ana, "ana-laptop", &[cust("site-a", 5, "c1", "notes", json!("回访"))]).unwrap();
    assert_eq!(pushed.seqs, Some((before[5].seq, before[5].seq + 1)));
    // Shared again, the private record is renumbered after everything, as before the rebuild.
    assert_eq!(s.push(&ana, "ana-laptop", &[cust("site-a", 6, "c2", "visibility", json!("team"))]).unwrap().seqs, None);
    assert_eq!(
        seen(&pull_all(&s, &ana, before[5].seq + 1)),
        ["c2.name=\"私人客户\"", "c2.visibility=\"private\"", "c2.visibility=\"team\""]
    );
    drop(s);
    // Opening again changes nothing.
    let s = SqliteStorage::open(dir.path()).unwrap();
    assert_eq!(pull_all(&s, &ana, 0).len(), 8);
}

/// A database of schema 1 (before issue 14) gains what schema 2 adds when a server opens it: its
/// accounts enabled, its tokens kept and counted as last used when they were made (so a laptop
/// that synced recently is not logged out by the upgrade), login attempts counted from then on.
#[test]
fn sqlite_a_schema_1_database_keeps_its_accounts_and_tokens_in_schema_2() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = SqliteStorage::init(dir.path()).unwrap();
        let ana = add(&s, "ana@example.cn", Role::Sales, "East");
        s.create_token(&ana, "ana-laptop", "hash-1", 1_000).unwrap();
    }
    rusqlite::Connection::open(SqliteStorage::file(dir.path()))
        .unwrap()
        .execute_batch(
            "DROP TABLE audit; DROP TABLE login_attempts; DROP INDEX tokens_user; DROP TABLE links; DROP TABLE revoked; DROP TABLE blobs; DROP TABLE blob_pieces;
             ALTER TABLE entities DROP COLUMN claimable; ALTER TABLE entities DROP COLUMN first_hlc;
             ALTER TABLE users DROP COLUMN disabled; ALTER TABLE tokens DROP COLUMN last_used_ms;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    let s = SqliteStorage::open(dir.path()).unwrap();
    let session = s.session("hash-1").unwrap().unwrap();
    assert_eq!((session.user.email.as_str(), session.last_used_ms, session.disabled), ("ana@example.cn", 1_000, false));
    let limits = LoginLimits { since_ms: 0, per_account: 5, per_address: 20 };
    assert!(matches!(s.reserve_login("ana@example.cn", "10.0.0.1", 2_000, limits).unwrap(), Reservation::Counted(_)));
    let c = rusqlite::Connection::open(SqliteStorage::file(dir.path())).unwrap();
    assert_eq!(c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(), 6);
    drop(s);
    // Opening again changes nothing.
    let s = SqliteStorage::open(dir.path()).unwrap();
    assert_eq!(s.session("hash-1").unwrap().unwrap().last_used_ms, 1_000);
}

#[test]
fn postgres_a_schema_1_database_keeps_its_accounts_and_tokens_in_schema_2() {
    let Some(db) = pg::schema("postgres_a_schema_1_database_keeps_its_accounts_and_tokens_in_schema_2") else { return };
    {
        let s = PostgresStorage::connect(&db.url).unwrap();
        let ana = add(&s, "ana@example.cn", Role::Sales, "East");
        s.create_token(&ana, "ana-laptop", "hash-1", 1_000).unwrap();
    }
    db.admin_query(&format!(
        "SET search_path = {0}; DROP TABLE audit; DROP TABLE login_attempts; DROP INDEX tokens_user; DROP TABLE links; DROP TABLE revoked; DROP TABLE blobs; DROP TABLE blob_pieces;
             ALTER TABLE entities DROP COLUMN claimable; ALTER TABLE entities DROP COLUMN first_hlc;
         ALTER TABLE users DROP COLUMN disabled; ALTER TABLE tokens DROP COLUMN last_used_ms;
         UPDATE meta SET value = '1' WHERE key = 'schema'",
        db.name
    ));
    let s = PostgresStorage::connect(&db.url).unwrap();
    let session = s.session("hash-1").unwrap().unwrap();
    assert_eq!((session.user.email.as_str(), session.last_used_ms, session.disabled), ("ana@example.cn", 1_000, false));
    let limits = LoginLimits { since_ms: 0, per_account: 5, per_address: 20 };
    assert!(matches!(s.reserve_login("ana@example.cn", "10.0.0.1", 2_000, limits).unwrap(), Reservation::Counted(_)));
    assert_eq!(db.admin_query(&format!("SELECT value FROM {}.meta WHERE key = 'schema'", db.name)), "6");
}
