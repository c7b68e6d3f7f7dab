//! A laptop restored from a backup syncs again through the real server without losing or
//! doubling anything (issue 14): the backup is older than what the laptop pushed since, so the
//! restored book becomes a new device, pulls everything again and pushes only what the server
//! never had.

mod common;

use common::*;
use satchel_core::backup;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::store::Profile;
use satchel_core::Satchel;
use satchel_server::storage::Role;

fn person(name: &str) -> CustomerInput {
    CustomerInput::named(CustomerKind::Person, name)
}

/// Closes the laptop's book, restores `from` over it and opens it again, as the app does.
fn restore(l: Laptop, from: &std::path::Path) -> Laptop {
    let Laptop { app, dir } = l;
    let author = app.store().profile().author.clone();
    drop(app);
    let db = dir.path().join("satchel.db");
    backup::restore(&db, from, satchel_core::store::now_ms() as i64).expect("restore");
    let app = Satchel::open(&db, Profile { author: author.clone(), device: format!("{author}-laptop") }).unwrap();
    Laptop { app, dir }
}

fn rename(l: &Laptop, id: &str, name: &str) {
    let id = satchel_core::ids::CustomerId::parse(id).unwrap();
    let mut edit = l.app.customers().get(&id).unwrap().to_input();
    edit.name = name.into();
    l.app.customers().update(&id, &edit).unwrap();
}

#[test]
fn a_restored_laptop_gets_its_later_edits_back_doubles_nothing_and_its_new_edits_win() {
    let srv = server(&[("ana@example.cn", Role::Sales, "East"), ("bo@example.cn", Role::Sales, "East")]);
    let (a, b) = (laptop("ana"), laptop("bo"));
    a.login(&srv, "ana@example.cn");
    b.login(&srv, "bo@example.cn");
    let wang = a.app.customers().create(&person("王小明")).unwrap();
    a.sync();
    b.sync();
    // Carla is not pushed yet when the backup is made; the laptop pushes her right after.
    let carla = a.app.customers().create(&person("Carla")).unwrap();
    let file = a.dir.path().join("monday.db");
    backup::create(&a.app.store().path().to_path_buf(), &file).unwrap();
    a.sync();
    rename(&a, wang.id.as_str(), "王小明 (later)");
    a.app.customers().create(&person("Dan")).unwrap();
    a.sync();
    b.sync();
    let site_before = a.app.store().site_id().to_string();
    let on_server = server_changes(srv.dir.path());

    let a = restore(a, &file);
    assert_eq!(a.names(), vec!["Carla", "王小明"], "the book as it was backed up");
    assert_ne!(a.app.store().site_id(), site_before, "the restored book is a new device for sync");
    let report = a.sync();
    assert_eq!(report.pushed, 0, "everything the backup held had reached the server (Carla after the backup): {report:?}");
    assert_eq!(server_changes(srv.dir.path()), on_server, "the server stored nothing twice");
    assert_eq!(a.names(), vec!["Carla", "Dan", "王小明 (later)"], "the edits made after the backup came back");
    assert!(applied_once(&a.app) && applied_once(&b.app));
    assert_eq!(contents(&a.app), contents(&b.app));
    let renames = a.app.customers().history(&wang.id).unwrap().into_iter().filter(|h| h.field == "name").count();
    assert_eq!(renames, 2, "created, renamed once: no change is listed twice");
    assert_eq!(a.app.customers().get(&carla.id).unwrap().name, "Carla");

    // A new edit on the restored laptop reaches Bo and wins over the older ones.
    rename(&a, wang.id.as_str(), "王小明 (after restore)");
    a.sync();
    b.sync();
    assert_eq!(b.app.customers().get(&wang.id).unwrap().name, "王小明 (after restore)");
    rename(&b, wang.id.as_str(), "王小明 (Bo)");
    b.sync();
    a.sync();
    assert_eq!(a.app.customers().get(&wang.id).unwrap().name, "王小明 (Bo)", "and a later edit elsewhere wins over it");
    assert_eq!(contents(&a.app), contents(&b.app));
    assert!(applied_once(&a.app) && applied_once(&b.app));
}

#[test]
fn changes_in_a_backup_that_never_reached_the_server_are_pushed_after_the_restore() {
    let srv = server(&[("ana@example.cn", Role::Sales, "East"), ("bo@example.cn", Role::Sales, "East")]);
    let (a, b) = (laptop("ana"), laptop("bo"));
    a.login(&srv, "ana@example.cn");
    b.login(&srv, "bo@example.cn");
    a.app.customers().create(&person("Synced")).unwrap();
    a.sync();
    a.app.customers().create(&person("Only in the backup")).unwrap();
    let file = a.dir.path().join("b.db");
    backup::create(&a.app.store().path().to_path_buf(), &file).unwrap();
    // The laptop's book is lost before it syncs again (a disk replaced, an older copy restored
    // on purpose): nothing after the backup was pushed.
    let a = restore(a, &file);
    let report = a.sync();
    assert!(report.pushed > 0, "{report:?}");
    b.sync();
    assert_eq!(b.names(), vec!["Only in the backup", "Synced"]);
    assert_eq!(contents(&a.app), contents(&b.app));
    assert!(applied_once(&a.app) && applied_once(&b.app));
}
