//! Issue 14: children are filed by the server, not by the laptop, and only a record's owner, a
//! manager or the team's owner may change who sees it or who looks after it. Before, the server
//! took a child change's record from the laptop's word: a modified app filed a phone of someone
//! else's private record under no record and wrote into that record; and any salesperson who could
//! write a shared record could hide it or hand it to someone else.

mod common;

use common::*;
use satchel_core::customers::{ContactPoint, CustomerInput, CustomerKind};
use satchel_core::ids::CustomerId;
use satchel_core::sync::http::HttpRemote;
use satchel_core::sync::wire::WireChange;
use satchel_core::sync::{self, Remote, SyncError};
use satchel_server::storage::Role;

fn team() -> (Server, Laptop, HttpRemote) {
    let server = server(&[
        ("ana@example.cn", Role::Sales, "East"),
        ("dan@example.cn", Role::Sales, "East"),
        ("mo@example.cn", Role::Manager, "East"),
    ]);
    let ana = laptop("ana");
    ana.login(&server, "ana@example.cn");
    let mut dan = HttpRemote::new(&server.base, None).unwrap();
    dan.login("dan@example.cn", "long enough", "dan-laptop").unwrap();
    (server, ana, dan)
}

/// Ana's private customer with a phone, synced.
fn private_with_phone(ana: &Laptop) -> (CustomerId, String) {
    let mut input = CustomerInput { private: Some(true), ..CustomerInput::named(CustomerKind::Person, "私人客户") };
    input.phones.push(ContactPoint { id: None, label: "Mobile".into(), value: "13900139000".into() });
    let c = ana.app.customers().create(&input).unwrap();
    ana.sync();
    (c.id.clone(), c.phones[0].id.clone().unwrap().to_string())
}

fn change(table: &str, row: &str, column: &str, value: serde_json::Value, entity: &str) -> WireChange {
    WireChange {
        hlc: satchel_core::hlc::Hlc::new(satchel_core::store::now_ms(), 0).pack(),
        site: "dan-site".into(),
        table: table.into(),
        row: row.into(),
        column: column.into(),
        value,
        entity: entity.into(),
    }
}

fn refused(dan: &mut HttpRemote, batch: &[WireChange]) -> String {
    match dan.push(batch) {
        Err(SyncError::Refused { code, message }) => format!("{code}: {message}"),
        other => panic!("{batch:?} was not refused: {other:?}"),
    }
}

#[test]
fn a_new_phone_filed_under_no_record_or_the_wrong_one_is_filed_where_it_belongs_and_refused() {
    let (server, ana, mut dan) = team();
    let (secret, _) = private_with_phone(&ana);
    let before = server_changes(server.dir.path());
    let phone = "0190f5c0-0000-7000-8000-00000000beef";
    for entity in ["", "0190f5c0-0000-7000-8000-0000000000d1"] {
        let batch = [
            change("customer_phones", phone, "customer_id", serde_json::json!(secret.to_string()), entity),
            change("customer_phones", phone, "value", serde_json::json!("13800138000"), entity),
        ];
        let why = refused(&mut dan, &batch);
        assert!(why.starts_with("forbidden") && why.contains("private"), "{why}");
    }
    assert_eq!(server_changes(server.dir.path()), before, "nothing stored");
    ana.sync();
    assert_eq!(ana.app.customers().get(&secret).unwrap().phones.len(), 1, "Ana's private record has only her phone");
}

#[test]
fn an_edit_of_a_private_records_phone_that_names_no_record_is_refused() {
    let (server, ana, mut dan) = team();
    let (_, phone) = private_with_phone(&ana);
    let before = server_changes(server.dir.path());
    // Only the value: the server finds the phone's record from what it stored before.
    let why = refused(&mut dan, &[change("customer_phones", &phone, "value", serde_json::json!("13800000000"), "")]);
    assert!(why.starts_with("forbidden"), "{why}");
    assert_eq!(server_changes(server.dir.path()), before);
}

#[test]
fn only_the_owner_or_a_manager_may_hide_a_record_or_hand_it_on() {
    let (server, ana, mut dan) = team();
    let shop = ana.app.customers().create(&CustomerInput::named(CustomerKind::Company, "示例贸易")).unwrap().id;
    ana.sync();
    let id = shop.to_string();
    let before = server_changes(server.dir.path());
    let why = refused(&mut dan, &[change("customers", &id, "visibility", serde_json::json!("private"), &id)]);
    assert!(why.starts_with("forbidden") && why.contains("owner"), "{why}");
    let why = refused(&mut dan, &[change("customers", &id, "owner", serde_json::json!("dan"), &id)]);
    assert!(why.starts_with("forbidden"), "{why}");
    assert_eq!(server_changes(server.dir.path()), before);
    // An ordinary edit of the shared record is still his to make.
    dan.push(&[change("customers", &id, "notes", serde_json::json!("Dan called them"), &id)]).unwrap();

    // The manager may hand it on, and Ana may hide her own.
    let mo = laptop("mo");
    mo.login(&server, "mo@example.cn");
    mo.sync();
    let mut input = mo.app.customers().get(&shop).unwrap().to_input();
    input.owner = "dan".into();
    mo.app.customers().update(&shop, &input).unwrap();
    assert_eq!(mo.sync().refused, 0);
    ana.sync();
    let mut hide = ana.app.customers().get(&shop).unwrap().to_input();
    hide.private = Some(true);
    ana.app.customers().update(&shop, &hide).unwrap();
    assert_eq!(ana.sync().refused, 0);
    let on_ana = ana.app.customers().get(&shop).unwrap();
    assert_eq!((on_ana.owner.as_str(), on_ana.notes.as_str(), on_ana.private), ("dan", "Dan called them", true));
}

/// A server upgraded from before the server filed children knows the links of the rows already
/// stored: an edit of an old phone of a private record is refused too.
#[test]
fn a_server_from_before_knows_the_records_of_the_children_it_already_holds() {
    let (server, ana, _) = team();
    let (_, phone) = private_with_phone(&ana);
    let db = satchel_server::sqlite::SqliteStorage::file(server.dir.path());
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("DROP TABLE links; DROP TABLE revoked; DROP TABLE blobs; DROP TABLE blob_pieces; ALTER TABLE entities DROP COLUMN claimable; ALTER TABLE entities DROP COLUMN first_hlc; PRAGMA user_version = 3;").unwrap();
    }
    use satchel_server::storage::{LinkKey, Storage};
    let upgraded = satchel_server::sqlite::SqliteStorage::open(server.dir.path()).unwrap();
    let key = LinkKey { table: "customer_phones".into(), row: phone.clone(), column: "customer_id".into() };
    let found = upgraded.links("East", std::slice::from_ref(&key)).unwrap();
    let (_, customer) = &found[&key];
    let on_ana = ana.app.customers().list(&satchel_core::customers::ListQuery { limit: 10, ..Default::default() }).rows;
    assert_eq!(customer, &on_ana[0].id.to_string());
}

/// Issue 14: a laptop learns it lost access to a record. Before, when Ana made a shared customer
/// private, Bo's laptop kept its copy, readable and editable (his edits then refused for ever).
/// Now the server names it at his next pull and his laptop forgets it with its phones; the
/// manager keeps it; shared again, it comes back whole.
#[test]
fn a_record_made_private_is_forgotten_by_the_teammates_who_had_it_and_comes_back_when_shared() {
    let server = server(&[
        ("ana@example.cn", Role::Sales, "East"),
        ("bo@example.cn", Role::Sales, "East"),
        ("mo@example.cn", Role::Manager, "East"),
    ]);
    let (ana, bo, mo) = (laptop("ana"), laptop("bo"), laptop("mo"));
    for (l, who) in [(&ana, "ana"), (&bo, "bo"), (&mo, "mo")] {
        l.login(&server, &format!("{who}@example.cn"));
    }
    let mut input = CustomerInput::named(CustomerKind::Person, "王海示");
    input.phones.push(ContactPoint { id: None, label: "Mobile".into(), value: "13900139000".into() });
    let wang = ana.app.customers().create(&input).unwrap().id;
    ana.app.customers().create(&CustomerInput::named(CustomerKind::Company, "示例贸易")).unwrap();
    ana.sync();
    bo.sync();
    mo.sync();
    assert_eq!(bo.names(), ["王海示", "示例贸易"]);

    let mut hide = ana.app.customers().get(&wang).unwrap().to_input();
    hide.private = Some(true);
    ana.app.customers().update(&wang, &hide).unwrap();
    ana.sync();
    bo.sync();
    mo.sync();
    assert_eq!(bo.names(), ["示例贸易"], "Bo's laptop forgot it");
    assert!(bo.app.customers().get(&wang).is_err());
    let phones: i64 = bo.app.store().read(|c| Ok(c.query_row("SELECT count(*) FROM customer_phones", [], |r| r.get(0))?)).unwrap();
    assert_eq!(phones, 0, "and its phone");
    assert_eq!(sync::pending(&bo.app).unwrap(), 0, "forgetting is not a change of Bo's");
    assert_eq!(mo.names(), ["王海示", "示例贸易"], "the manager keeps it");
    assert_eq!(ana.names(), ["王海示", "示例贸易"]);

    let mut share = ana.app.customers().get(&wang).unwrap().to_input();
    share.private = Some(false);
    ana.app.customers().update(&wang, &share).unwrap();
    ana.sync();
    bo.sync();
    let back = bo.app.customers().get(&wang).unwrap();
    assert_eq!((back.name.as_str(), back.phones.len(), back.private), ("王海示", 1, false));
}
