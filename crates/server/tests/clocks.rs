//! Issue 14, clocks: one skew limit for laptops and the server, and a local edit that is always
//! later than the value it replaces. Before, the server took stamps up to a day ahead while
//! laptops clamped their own clock to five minutes ahead: a teammate whose clock was hours fast
//! stored values that beat every later edit on the other laptops' screens' own copies, so each
//! laptop showed its own edit and the team disagreed without anyone being told.

mod common;

use common::*;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::hlc::MAX_SKEW_MS;
use satchel_core::sync::{self, SyncError};
use satchel_server::storage::Role;

const EIGHT_HOURS: i64 = 8 * 3600 * 1000;

fn team() -> (Server, Laptop, Laptop) {
    let server = server(&[("ana@example.com", Role::Manager, "t"), ("bo@example.com", Role::Manager, "t")]);
    let (ana, bo) = (laptop("ana"), laptop("bo"));
    ana.login(&server, "ana@example.com");
    bo.login(&server, "bo@example.com");
    (server, ana, bo)
}

fn notes(l: &Laptop, id: &satchel_core::ids::CustomerId) -> String {
    l.app.customers().get(id).unwrap().notes
}

fn set_notes(l: &Laptop, id: &satchel_core::ids::CustomerId, text: &str) {
    let mut input = l.app.customers().get(id).unwrap().to_input();
    input.notes = text.into();
    l.app.customers().update(id, &input).unwrap();
}

fn try_sync(l: &Laptop) -> Result<sync::SyncReport, SyncError> {
    let mut remote = sync::remote_for(&l.app).unwrap();
    sync::sync_once(&l.app, &mut remote, &mut |_| {})
}

/// A laptop whose clock is 8 hours fast takes what the others sent but sends nothing, and says
/// why, in both languages; its edit stays on it (nothing is lost) and is not set aside.
#[test]
fn a_laptop_8_hours_fast_is_told_and_sends_nothing_until_its_date_is_right() {
    let (server, ana, bo) = team();
    let shop = ana.app.customers().create(&CustomerInput::named(CustomerKind::Company, "示例贸易")).unwrap().id;
    ana.sync();
    bo.sync();
    let stored = server_changes(server.dir.path());

    bo.app.store().set_clock_skew(EIGHT_HOURS);
    set_notes(&bo, &shop, "written with a fast clock");
    set_notes(&ana, &shop, "Ana's note");
    ana.sync();
    let err = try_sync(&bo).unwrap_err();
    let SyncError::ClockAhead { minutes } = err else { panic!("{err:?}") };
    assert!((479..=480).contains(&minutes), "{minutes}");
    assert!(err.message(satchel_core::i18n::Locale::En).contains("480 minutes ahead"), "{}", err.message(satchel_core::i18n::Locale::En));
    assert!(err.message(satchel_core::i18n::Locale::ZhCn).contains("快 480 分钟"), "{}", err.message(satchel_core::i18n::Locale::ZhCn));
    assert_eq!(server_changes(server.dir.path()), stored + 1, "only Ana's note reached the server");
    assert!(sync::pending(&bo.app).unwrap() > 0, "Bo's edit waits to be sent");
    assert!(bo.app.store().sync_problems().unwrap().is_empty(), "and is not set aside");

    // Bo's date is put right; his edit still carries the fast stamp, which the server refuses
    // for now (the same limit): it keeps waiting, it is not set aside, and Ana's note stands.
    bo.app.store().set_clock_skew(0);
    match try_sync(&bo) {
        Err(SyncError::Refused { code, message }) => {
            assert_eq!(code, "clock_in_future");
            assert!(message.contains("minutes ahead of the server's"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(bo.app.store().sync_problems().unwrap().is_empty());
    assert!(sync::pending(&bo.app).unwrap() > 0);
    assert_eq!(notes(&ana, &shop), "Ana's note");
}

/// A change stamped 8 hours ahead that is on the server anyway (an older server took it, or a
/// hostile client wrote it into the database) is set aside by every laptop, with the reason, so
/// it cannot beat later edits: a laptop's next edit of that field is the one the whole team sees.
#[test]
fn a_stored_change_8_hours_ahead_is_set_aside_and_the_next_edit_wins_everywhere() {
    let (server, ana, bo) = team();
    let shop = ana.app.customers().create(&CustomerInput::named(CustomerKind::Company, "示例贸易")).unwrap().id;
    ana.sync();
    bo.sync();

    use satchel_server::storage::Storage;
    let storage = satchel_server::sqlite::SqliteStorage::open(server.dir.path()).unwrap();
    let account = storage.user_by_email("ana@example.com").unwrap().unwrap().user;
    let ahead = satchel_core::hlc::Hlc::new(satchel_core::store::now_ms() + EIGHT_HOURS as u64, 0).pack();
    let change = satchel_core::sync::wire::WireChange {
        hlc: ahead,
        site: "fast-clock".into(),
        table: "customers".into(),
        row: shop.to_string(),
        column: "notes".into(),
        value: serde_json::json!("from the future"),
        entity: shop.to_string(),
    };
    storage.push(&account, "fast-laptop", &[change]).unwrap();

    for l in [&ana, &bo] {
        let report = l.sync();
        assert_eq!(report.set_aside, 1, "{report:?}");
        let problems = l.app.store().sync_problems().unwrap();
        assert!(problems[0].reason.starts_with("clock_ahead"), "{}", problems[0].reason);
        assert!(problems[0].changes.contains("from the future"));
        assert_eq!(notes(l, &shop), "");
    }
    set_notes(&bo, &shop, "Bo's later note");
    bo.sync();
    ana.sync();
    assert_eq!((notes(&ana, &shop), notes(&bo, &shop)), ("Bo's later note".to_string(), "Bo's later note".to_string()));
}

/// Within the limit a fast stamp is taken, and the clock moves past it: an edit made a moment
/// later on a laptop whose clock is right still replaces it, on that laptop and everywhere.
#[test]
fn an_edit_is_later_than_a_stored_stamp_from_a_clock_a_few_minutes_fast() {
    let (_server, ana, bo) = team();
    let shop = ana.app.customers().create(&CustomerInput::named(CustomerKind::Company, "示例贸易")).unwrap().id;
    ana.sync();
    bo.sync();
    ana.app.store().set_clock_skew(MAX_SKEW_MS as i64 - 30_000);
    set_notes(&ana, &shop, "from a clock 4.5 minutes fast");
    ana.sync();
    bo.sync();
    assert_eq!(notes(&bo, &shop), "from a clock 4.5 minutes fast");
    set_notes(&bo, &shop, "Bo's edit, a moment later");
    bo.sync();
    ana.sync();
    assert_eq!((notes(&ana, &shop), notes(&bo, &shop)), ("Bo's edit, a moment later".to_string(), "Bo's edit, a moment later".to_string()));
}
