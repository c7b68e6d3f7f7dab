//! Issue 14: the same book logged in as another account. The server keeps each device's changes
//! under the account that first sent them, so before, a laptop handed from Ana to Bo had every
//! push of Bo's refused (his changes set aside, for ever). Now the book becomes a new device for
//! sync and pulls everything again as Bo sees it; and while changes Ana made on it still wait to
//! be sent, logging in as Bo is refused with the reason, changing nothing.

mod common;

use common::*;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::i18n::Locale;
use satchel_core::sync::{self, SyncError};
use satchel_server::storage::Role;

fn team() -> (Server, Laptop, Laptop) {
    let server = server(&[("ana@example.cn", Role::Sales, "East"), ("bo@example.cn", Role::Sales, "East")]);
    let (shared, other) = (laptop("shared"), laptop("ana-phone"));
    shared.login(&server, "ana@example.cn");
    other.login(&server, "ana@example.cn");
    (server, shared, other)
}

#[test]
fn a_book_handed_to_another_account_syncs_as_a_new_device_and_nothing_is_refused() {
    let (server, shared, ana) = team();
    let kept = shared
        .app
        .customers()
        .create(&CustomerInput { private: Some(true), ..CustomerInput::named(CustomerKind::Person, "安娜的客户") })
        .unwrap();
    shared.app.customers().create(&CustomerInput::named(CustomerKind::Company, "示例贸易")).unwrap();
    shared.sync();
    let old_site = shared.app.store().site_id();

    sync::logout(&shared.app).unwrap();
    shared.login(&server, "bo@example.cn");
    assert_ne!(shared.app.store().site_id(), old_site, "a new device for sync");
    shared.app.customers().create(&CustomerInput::named(CustomerKind::Person, "李雷")).unwrap();
    let report = shared.sync();
    assert_eq!((report.refused, report.set_aside), (0, 0), "{report:?}");
    assert_eq!(sync::pending(&shared.app).unwrap(), 0);

    ana.sync();
    assert_eq!(ana.names(), ["安娜的客户", "李雷", "示例贸易"], "Bo's customer reached Ana");
    // What Ana made on the book stays hers on the server: her private customer is still hers.
    let bo_elsewhere = laptop("bo-elsewhere");
    bo_elsewhere.login(&server, "bo@example.cn");
    bo_elsewhere.sync();
    assert_eq!(bo_elsewhere.names(), ["李雷", "示例贸易"]);
    assert!(bo_elsewhere.app.customers().get(&kept.id).is_err());
}

#[test]
fn changes_of_the_previous_account_not_yet_sent_keep_the_book_theirs() {
    let (server, shared, _) = team();
    shared.app.customers().create(&CustomerInput::named(CustomerKind::Person, "还没同步")).unwrap();
    let site = shared.app.store().site_id();
    sync::logout(&shared.app).unwrap();
    let err = sync::login(&shared.app, &server.base, "bo@example.cn", "long enough").unwrap_err();
    assert!(matches!(&err, SyncError::OtherAccount { previous, pending: 1 } if previous == "ana@example.cn"), "{err:?}");
    assert!(err.message(Locale::En).contains("1 changes made as ana@example.cn"), "{}", err.message(Locale::En));
    assert!(err.message(Locale::ZhCn).contains("以 ana@example.cn 身份"), "{}", err.message(Locale::ZhCn));
    assert_eq!(shared.app.store().site_id(), site, "nothing changed");
    assert!(sync::connection(&shared.app).unwrap().is_none(), "not logged in as Bo");
    // Ana logs in again, her change goes up; then the book can be Bo's.
    shared.login(&server, "ana@example.cn");
    shared.sync();
    sync::logout(&shared.app).unwrap();
    shared.login(&server, "bo@example.cn");
    assert_eq!(shared.sync().refused, 0);
}
