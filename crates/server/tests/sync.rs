//! Laptops syncing through a real satchel-server on 127.0.0.1 (random port) over real HTTP:
//! the app's own sync engine (`satchel_core::sync`) against the server's API, with real SQLite
//! files on both sides.

mod common;

use common::*;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::sync::{self, http::HttpRemote, SyncError};
use satchel_server::storage::Role;

fn person(name: &str) -> CustomerInput {
    CustomerInput::named(CustomerKind::Person, name)
}

#[test]
fn a_person_created_on_one_laptop_reaches_the_other_and_a_concurrent_edit_keeps_the_loser() {
    let srv = server(&[("ana@example.cn", Role::Sales, "East"), ("bo@example.cn", Role::Sales, "East")]);
    let (a, b) = (laptop("ana"), laptop("bo"));
    a.login(&srv, "ana@example.cn");
    b.login(&srv, "bo@example.cn");

    let wang = a.app.customers().create(&person("王小明")).unwrap();
    assert_eq!(sync::pending(&a.app).unwrap(), 1, "one write waits to be pushed");
    let pushed = a.sync();
    assert!(pushed.pushed >= 4, "{pushed:?}");
    assert_eq!(pushed.pulled, 0, "nothing else reached the server: Ana's laptop does not pull her own changes back");
    assert_eq!(sync::pending(&a.app).unwrap(), 0);
    let got = b.sync();
    assert_eq!(b.names(), vec!["王小明"], "{got:?}");
    let on_b = b.app.customers().get(&wang.id).unwrap();
    assert_eq!(on_b.owner, wang.owner);

    // Both edit the name offline; Bo's edit is later, so it wins everywhere.
    let mut edit = on_b.to_input();
    edit.name = "王小明（安娜）".into();
    a.app.customers().update(&wang.id, &edit).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    edit.name = "王小明（阿博）".into();
    b.app.customers().update(&wang.id, &edit).unwrap();
    a.sync();
    let on_b_sync = b.sync();
    assert!(on_b_sync.pulled >= 1, "Bo pushed after Ana, so his laptop still pulls hers: {on_b_sync:?}");
    assert_eq!(on_b_sync.lost, 1, "Ana's older edit lost on Bo's laptop: {on_b_sync:?}");
    a.sync();
    for l in [&a, &b] {
        assert_eq!(l.app.customers().get(&wang.id).unwrap().name, "王小明（阿博）");
    }

    // Bo's laptop keeps Ana's value in history, with who made it and a way back.
    let history = b.app.customers().history(&wang.id).unwrap();
    let lost = history.iter().find(|h| h.restore.is_some()).expect("the losing value is in history");
    assert_eq!((lost.field.as_str(), lost.new_value.as_deref()), ("name", Some("王小明（安娜）")));
    assert_eq!(lost.author, "ana@example.cn", "the server told Bo's laptop whose device it was");
    // On Ana's laptop, Bo's winning edit shows what it replaced.
    let on_a = a.app.customers().history(&wang.id).unwrap();
    assert!(
        on_a.iter().any(|h| h.field == "name"
            && h.old_value.as_deref() == Some("王小明（安娜）")
            && h.new_value.as_deref() == Some("王小明（阿博）")),
        "{on_a:?}"
    );

    // Restoring the lost value is an ordinary edit: it syncs and wins.
    b.app.customers().restore_lost_value(lost.restore.as_deref().unwrap()).unwrap();
    assert_eq!(b.app.customers().get(&wang.id).unwrap().name, "王小明（安娜）");
    b.sync();
    a.sync();
    assert_eq!(a.app.customers().get(&wang.id).unwrap().name, "王小明（安娜）");
    assert!(b.app.customers().restore_lost_value("customers|nope|name|1|x").is_err());
}

#[test]
fn a_private_record_never_reaches_another_salespersons_laptop() {
    let srv = server(&[
        ("ana@example.cn", Role::Sales, "East"),
        ("cy@example.cn", Role::Sales, "East"),
        ("mo@example.cn", Role::Manager, "East"),
        ("wu@example.cn", Role::Owner, "West"),
    ]);
    let (a, c, m, w) = (laptop("ana"), laptop("cy"), laptop("mo"), laptop("wu"));
    for (l, e) in [(&a, "ana"), (&c, "cy"), (&m, "mo"), (&w, "wu")] {
        l.login(&srv, &format!("{e}@example.cn"));
    }
    a.app.customers().create(&person("Shared Ltd")).unwrap();
    let secret = a.app.customers().create(&CustomerInput { private: Some(true), ..person("私人客户") }).unwrap();
    let mut with_phone = secret.to_input();
    with_phone.phones.push(satchel_core::customers::ContactPoint { id: None, label: "Mobile".into(), value: "13900139000".into() });
    a.app.customers().update(&secret.id, &with_phone).unwrap();
    a.sync();
    for l in [&c, &m, &w] {
        l.sync();
    }
    assert_eq!(c.names(), vec!["Shared Ltd"]);
    assert!(c.app.customers().get(&secret.id).is_err());
    let leaked: i64 = c.app.store().read(|x| Ok(x.query_row("SELECT count(*) FROM customer_phones", [], |r| r.get(0))?)).unwrap();
    assert_eq!(leaked, 0, "not even the private record's phone");
    assert_eq!(m.names(), vec!["Shared Ltd", "私人客户"], "the team's manager sees it");
    assert!(m.app.customers().get(&secret.id).unwrap().private);
    assert!(w.names().is_empty(), "another team sees nothing");

    // Shared later: the teammate receives all of it on the next sync.
    let mut shared = a.app.customers().get(&secret.id).unwrap().to_input();
    shared.private = Some(false);
    a.app.customers().update(&secret.id, &shared).unwrap();
    a.sync();
    c.sync();
    let on_c = c.app.customers().get(&secret.id).unwrap();
    assert_eq!((on_c.name.as_str(), on_c.phones.len()), ("私人客户", 1));
}

#[test]
fn a_client_offline_while_10000_changes_happen_elsewhere_catches_up_and_keeps_its_own_1000() {
    let srv = server(&[("ana@example.cn", Role::Sales, "East"), ("bo@example.cn", Role::Sales, "East")]);
    let (a, b) = (laptop("ana"), laptop("bo"));
    a.login(&srv, "ana@example.cn");
    b.login(&srv, "bo@example.cn");
    b.sync();
    // Elsewhere: 1,000 people with a phone and a tag, then 2,000 renames: over 10,000 changes.
    let made = satchel_core::demo::generate(a.app.store(), 1000, 7).unwrap();
    assert_eq!(made, 1000);
    a.app.reload().unwrap();
    let ids: Vec<satchel_core::ids::CustomerId> = a
        .app
        .store()
        .read(|c| {
            Ok(c.prepare("SELECT id FROM customers")?
                .query_map([], |r| Ok(satchel_core::ids::CustomerId(r.get(0)?)))?
                .collect::<Result<_, _>>()?)
        })
        .unwrap();
    for (i, id) in ids.iter().cycle().take(2000).enumerate() {
        let mut input = a.app.customers().get(id).unwrap().to_input();
        input.notes = format!("第 {i} 次跟进");
        a.app.customers().update(id, &input).unwrap();
    }
    let elsewhere = a.sync();
    assert!(elsewhere.pushed >= 10_000, "{elsewhere:?}");
    // Meanwhile, offline: 1,000 changes of Bo's own.
    for i in 0..250 {
        let c = b.app.customers().create(&person(&format!("离线客户 {i}"))).unwrap();
        let mut input = c.to_input();
        input.notes = "路上记的".into();
        input.tags = vec!["离线".into()];
        b.app.customers().update(&c.id, &input).unwrap();
    }
    let own = sync::pending(&b.app).unwrap();
    assert_eq!(own, 500 + 250, "250 creates, 250 edits of notes and a new tag row each");
    let back = b.sync();
    assert!(back.pulled >= 10_000, "{back:?}");
    // Bo's laptop pulled Ana's changes first, so its own batch landed right after its cursor:
    // it receives exactly what Ana pushed, none of its own back.
    assert_eq!(back.pulled, elsewhere.pushed, "{back:?}");
    let again = a.sync();
    assert_eq!(again.pulled, back.pushed, "Ana receives Bo's changes once: {again:?}");
    assert_eq!(b.names().len(), 1250);
    assert_eq!(a.names(), b.names());
    let notes = |l: &Laptop| -> i64 {
        l.app.store().read(|c| Ok(c.query_row("SELECT count(*) FROM customers WHERE notes = '路上记的'", [], |r| r.get(0))?)).unwrap()
    };
    assert_eq!((notes(&a), notes(&b)), (250, 250), "Bo's own edits survived the catch-up and reached Ana");
    assert_eq!(sync::pending(&b.app).unwrap(), 0);
}

#[test]
fn an_unreachable_server_or_a_bad_token_is_an_error_that_says_so_and_nothing_is_lost() {
    let srv = server(&[("ana@example.cn", Role::Sales, "East")]);
    let a = laptop("ana");
    let wrong = sync::login(&a.app, &srv.base, "ana@example.cn", "wrong password").unwrap_err();
    assert!(matches!(wrong, SyncError::NeedsLogin(_)), "{wrong:?}");
    let insecure = sync::login(&a.app, "http://192.0.2.1:7878", "ana@example.cn", "long enough").unwrap_err();
    assert!(matches!(insecure, SyncError::Insecure(_)), "{insecure:?}");
    assert!(insecure.message(satchel_core::i18n::Locale::ZhCn).contains("连接不安全"));
    a.login(&srv, "ana@example.cn");
    a.app.customers().create(&person("离线也能记")).unwrap();

    // A port nobody listens on: offline, and the change still waits.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut nowhere = HttpRemote::new(&format!("http://{closed}"), Some("x".into())).unwrap();
    let err = sync::sync_once(&a.app, &mut nowhere, &mut |_| {}).unwrap_err();
    assert!(matches!(err, SyncError::Offline(_)), "{err:?}");
    assert_eq!(sync::pending(&a.app).unwrap(), 1);

    // A token the server does not know: log in again.
    let mut stale = HttpRemote::new(&srv.base, Some("not-a-token".into())).unwrap();
    let err = sync::sync_once(&a.app, &mut stale, &mut |_| {}).unwrap_err();
    assert!(matches!(err, SyncError::NeedsLogin(_)), "{err:?}");
    assert_eq!(sync::pending(&a.app).unwrap(), 1);
    a.sync();
    assert_eq!(sync::pending(&a.app).unwrap(), 0);
    // The kept token is readable by its user only.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(sync::token::path_for(a.app.store().path())).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// Issue 14: a change no laptop can hold (a customer's name set to null) is refused by the
/// server, naming the change, and nothing of its batch is stored.
#[test]
fn the_server_refuses_a_value_no_laptop_could_hold() {
    let server = server(&[("bo@example.com", Role::Sales, "t")]);
    let mut bo = HttpRemote::new(&server.base, None).unwrap();
    bo.login("bo@example.com", "long enough", "bo-laptop").unwrap();
    let row = "0190f5c0-0000-7000-8000-00000000a001";
    let hlc = satchel_core::hlc::Hlc::new(satchel_core::store::now_ms(), 0).pack() as i64;
    let change = |column: &str, value: serde_json::Value| satchel_core::sync::wire::WireChange {
        hlc,
        site: "bo-broken".into(),
        table: "customers".into(),
        row: row.into(),
        column: column.into(),
        value,
        entity: row.into(),
    };
    use satchel_core::sync::Remote;
    let cases = [
        (change("name", serde_json::Value::Null), "customers.name of 0190f5c0-0000-7000-8000-00000000a001: cannot be empty (null)"),
        (change("notes", serde_json::json!("长".repeat(100_000))), "is 300000 bytes long"),
        (change("kind", serde_json::json!({"person": true})), "must be text or a number"),
    ];
    for (bad, why) in cases {
        let good = change("owner", serde_json::json!("Bo"));
        match bo.push(&[good, bad]) {
            Err(SyncError::Refused { code, message }) => {
                assert_eq!(code, "bad_value");
                assert!(message.contains(why), "{message}");
            }
            other => panic!("expected a refusal naming the change, got {other:?}"),
        }
    }
    assert_eq!(server_changes(server.dir.path()), 0, "nothing of a refused batch is stored");
    // A null where the laptops allow one (a birthday cleared) is stored.
    bo.push(&[change("name", serde_json::json!("李雷")), change("birthday", serde_json::Value::Null)]).unwrap();
    assert_eq!(server_changes(server.dir.path()), 2);
}

/// Issue 14: a change no laptop can hold that is on the server already (stored by a server from
/// before the value checks, or written into its database by hand) does not stop a laptop's sync:
/// before, every laptop's pull failed on it for ever (the page rolled back, the cursor never
/// moved, and since sync pulls before it pushes, pushes stopped too). Now the laptop sets it
/// aside with the reason, takes the rest, and keeps syncing.
#[test]
fn a_stored_change_no_laptop_can_hold_is_set_aside_and_sync_goes_on() {
    let server = server(&[("ana@example.com", Role::Sales, "t")]);
    let ana = laptop("ana");
    ana.login(&server, "ana@example.com");
    let shared = ana.app.customers().create(&CustomerInput::named(CustomerKind::Person, "王海示")).unwrap();
    ana.sync();

    // What an older server stored from a broken client: a null name, then a sound note.
    use satchel_server::storage::Storage;
    let storage = satchel_server::sqlite::SqliteStorage::open(server.dir.path()).unwrap();
    let ana_account = storage.user_by_email("ana@example.com").unwrap().unwrap().user;
    let hlc = |ms: u64| satchel_core::hlc::Hlc::new(satchel_core::store::now_ms() + ms, 0).pack() as i64;
    let change = |hlc: i64, column: &str, value: serde_json::Value| satchel_core::sync::wire::WireChange {
        hlc,
        site: "bo-broken".into(),
        table: "customers".into(),
        row: shared.id.to_string(),
        column: column.into(),
        value,
        entity: shared.id.to_string(),
    };
    storage
        .push(
            &ana_account,
            "bo-laptop",
            &[change(hlc(1000), "name", serde_json::Value::Null), change(hlc(2000), "notes", serde_json::json!("见过面"))],
        )
        .unwrap();

    let cy = laptop("cy");
    cy.login(&server, "ana@example.com");
    let report = cy.sync();
    assert_eq!(report.set_aside, 1, "{report:?}");
    assert_eq!(cy.names(), ["王海示"]);
    assert_eq!(cy.app.customers().get(&shared.id).unwrap().notes, "见过面", "the rest of the page arrived");
    let problems = cy.app.store().sync_problems().unwrap();
    assert_eq!((problems.len(), problems[0].changes.as_str()), (1, r#"{"name":null}"#));
    // Not stuck: the next sync neither fails nor meets the bad change again, and pushes go out.
    cy.app.customers().create(&CustomerInput::named(CustomerKind::Person, "李雷")).unwrap();
    let again = cy.sync();
    assert_eq!((again.pulled, again.set_aside), (0, 0), "{again:?}");
    assert!(again.pushed > 0);
    ana.sync();
    assert_eq!(ana.names(), ["李雷", "王海示"]);
}

/// Issue 14: a refused push never blocks later pushes. Ana makes a record private after Bo last
/// pulled it; Bo, offline, edits it and adds a customer of his own. Before, the server's 403
/// made Bo's laptop send the same batch for ever and nothing of his reached anyone. Now his edit
/// to the record he may no longer touch is set aside with the server's reason, and the rest goes.
#[test]
fn a_refused_change_is_set_aside_and_the_rest_of_the_push_goes_through() {
    let server = server(&[("ana@example.com", Role::Sales, "t"), ("bo@example.com", Role::Sales, "t")]);
    let (ana, bo) = (laptop("ana"), laptop("bo"));
    ana.login(&server, "ana@example.com");
    bo.login(&server, "bo@example.com");
    let deal = ana.app.customers().create(&CustomerInput::named(CustomerKind::Company, "示例贸易")).unwrap();
    ana.sync();
    bo.sync();
    assert_eq!(bo.names(), ["示例贸易"]);

    let mut private = ana.app.customers().get(&deal.id).unwrap().to_input();
    private.private = Some(true);
    ana.app.customers().update(&deal.id, &private).unwrap();
    ana.sync();

    let mut edit = bo.app.customers().get(&deal.id).unwrap().to_input();
    edit.notes = "Bo's note".into();
    bo.app.customers().update(&deal.id, &edit).unwrap();
    bo.app.customers().create(&CustomerInput::named(CustomerKind::Person, "李雷")).unwrap();
    let report = bo.sync();
    assert_eq!(report.refused, 1, "{report:?}");
    let problems = bo.app.store().sync_problems().unwrap();
    assert_eq!((problems.len(), problems[0].direction.as_str(), problems[0].row_id.as_str()), (1, "push", deal.id.as_str()));
    assert!(problems[0].reason.starts_with("forbidden"), "{}", problems[0].reason);
    assert!(problems[0].changes.contains("Bo's note"), "{}", problems[0].changes);

    // Not stuck: the next sync sends nothing again, and Ana has Bo's new customer but not his note.
    let again = bo.sync();
    assert_eq!((again.pushed, again.refused), (0, 0), "{again:?}");
    ana.sync();
    assert_eq!(ana.names(), ["李雷", "示例贸易"]);
    assert_eq!(ana.app.customers().get(&deal.id).unwrap().notes, "");
}

/// Logging out revokes the device's token on the server (issue 14): a copy of it taken before
/// is refused from then on. Offline, the logout still happens on the laptop.
#[test]
fn logging_out_revokes_the_token_on_the_server_and_works_offline() {
    let srv = server(&[("ana@example.cn", Role::Sales, "East")]);
    let a = laptop("ana");
    a.login(&srv, "ana@example.cn");
    let token = sync::token::load(a.app.store().path()).expect("the token is kept");
    let copy = HttpRemote::new(&srv.base, Some(token.clone())).unwrap();
    let mut remote = sync::remote_for(&a.app).unwrap();
    sync::sync_once(&a.app, &mut remote, &mut |_| {}).unwrap();

    sync::logout(&a.app).unwrap();
    assert!(sync::connection(&a.app).unwrap().is_none());
    assert!(sync::token::load(a.app.store().path()).is_none(), "forgotten on the laptop");
    let mut copy: Box<dyn sync::Remote> = Box::new(copy);
    match copy.pull(0, 10) {
        Err(SyncError::NeedsLogin(message)) => assert!(message.contains("log in again"), "{message}"),
        other => panic!("the revoked token was accepted: {:?}", other.map(|p| p.changes.len())),
    }

    // The server gone: the logout still happens here.
    let b = laptop("ana");
    b.login(&srv, "ana@example.cn");
    drop(srv);
    sync::logout(&b.app).unwrap();
    assert!(sync::connection(&b.app).unwrap().is_none());
    assert!(sync::token::load(b.app.store().path()).is_none());
}
