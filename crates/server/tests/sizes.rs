//! Issue 14, sizes: pushes and pulled pages are cut by bytes as well as by count. Before, 600
//! customers with long notes made one push of tens of megabytes that the server refused (413,
//! which the laptop reported as "offline", for ever), and the same data on the server made every
//! fresh laptop's first pull fail on its 10 MB reply limit.

mod common;

use common::*;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_server::storage::Role;

#[test]
fn six_hundred_customers_with_20000_character_notes_go_up_and_come_down() {
    let server = server(&[("ana@example.com", Role::Manager, "t")]);
    let (ana, fresh) = (laptop("ana"), laptop("fresh"));
    ana.login(&server, "ana@example.com");
    // 20,000 characters, the longest note the form takes: 60 KB of UTF-8 each, 36 MB in all.
    let note: String = "客户很重要，".chars().cycle().take(20_000).collect();
    let input = |i: usize| {
        let mut c = CustomerInput::named(CustomerKind::Person, &format!("客户{i:03}"));
        c.notes = note.clone();
        c
    };
    for i in 0..600 {
        ana.app.customers().create(&input(i)).unwrap();
    }
    let up = ana.sync();
    assert_eq!(up.refused, 0, "{up:?}");
    assert_eq!(satchel_core::sync::pending(&ana.app).unwrap(), 0, "everything went up");

    fresh.login(&server, "ana@example.com");
    let down = fresh.sync();
    assert_eq!(down.set_aside, 0, "{down:?}");
    let names = fresh.names();
    assert_eq!(names.len(), 600);
    assert_eq!((names[0].as_str(), names[599].as_str()), ("客户000", "客户599"));
    let all = fresh.app.customers().list(&satchel_core::customers::ListQuery { limit: 600, ..Default::default() });
    let last = all.rows.iter().find(|c| c.name == "客户599").unwrap();
    assert_eq!(fresh.app.customers().get(&last.id).unwrap().notes, note, "each note arrives whole");
}
