//! The service commands as scripts run them: the team's hours, holidays and SLA targets set, a
//! ticket opened with a time of its own, and its SLA due times read back in the team's zone.
//! Their outputs are contracts (see cmd/service.rs).

mod common;

use std::path::Path;

fn satchel(db: &Path, args: &[&str]) -> (i32, String, String) {
    common::satchel_with(db, args, "", &[])
}

fn customer(db: &Path, name: &str) {
    let app = satchel_core::Satchel::open(db, satchel_core::store::Profile { author: "ana".into(), device: "ana-laptop".into() }).unwrap();
    app.customers().create(satchel_core::customers::CustomerInput::named(satchel_core::customers::CustomerKind::Company, name)).unwrap();
}

fn ok(db: &Path, args: &[&str]) -> String {
    let (code, out, err) = satchel(db, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn slas_are_set_and_a_tickets_due_times_skip_nights_holidays_and_count_a_saturday_worked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    customer(&db, "上海示例贸易有限公司");
    let hours = ok(
        &db,
        &["service", "hours", "set", "--days", "mon,tue,wed,thu,fri", "--open", "09:00", "--close", "18:00", "--tz", "Asia/Shanghai"],
    );
    assert_eq!(hours, "mon,tue,wed,thu,fri 09:00-18:00 Asia/Shanghai\n");
    for d in 1..=7 {
        let date = format!("2026-10-0{d}");
        assert_eq!(ok(&db, &["service", "holiday", "add", &date]), format!("{date} holiday\n"));
    }
    assert_eq!(ok(&db, &["service", "holiday", "add", "2026-10-10", "--working"]), "2026-10-10 working\n");
    // The same days from an .ics holiday calendar mark nothing new but say what they hold.
    let ics = dir.path().join("cn-holidays.ics");
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//CN\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261008\r\nSUMMARY:国庆节\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART;VALUE=DATE:20261010\r\nSUMMARY:补班\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    assert_eq!(ok(&db, &["service", "holiday", "import", ics.to_str().unwrap()]), "7 holidays, 1 working days\n");
    assert_eq!(
        ok(&db, &["service", "sla", "set", "high", "--first-response", "2h", "--resolution", "1h30m"]),
        "high first-response 2h resolution 1h30m\n"
    );
    assert_eq!(
        ok(&db, &["service", "sla", "set", "urgent", "--first-response", "30m", "--resolution", "10h"]),
        "urgent first-response 30m resolution 10h\n"
    );

    // Called on the evening before the National Day week: answered after the holidays.
    let number = ok(
        &db,
        &[
            "ticket",
            "new",
            "--customer",
            "上海示例贸易有限公司",
            "--subject",
            "打印机卡纸 Printer jam",
            "--priority",
            "high",
            "--opened-at",
            "2026-09-30T17:30:00+08:00",
        ],
    );
    assert_eq!(number, "T-2026-0001\n");
    let t: serde_json::Value = serde_json::from_str(&ok(&db, &["ticket", "show", number.trim(), "--json"])).unwrap();
    assert_eq!((t["status"].as_str(), t["priority"].as_str()), (Some("new"), Some("high")));
    assert_eq!(t["openedAt"], "2026-09-30T17:30:00+08:00");
    // 30 minutes on the 30th, then the 8th of October from 09:00.
    assert_eq!(t["firstResponseDue"], "2026-10-08T10:30:00+08:00");
    assert_eq!(t["resolutionDue"], "2026-10-08T10:00:00+08:00");
    // Friday 9 October 17:00 + 10h: one hour on Friday, nine on the Saturday worked.
    let second = ok(
        &db,
        &[
            "ticket",
            "new",
            "--customer",
            "上海示例贸易有限公司",
            "--subject",
            "网络中断",
            "--priority",
            "urgent",
            "--opened-at",
            "2026-10-09T09:00:00Z",
        ],
    );
    let t: serde_json::Value = serde_json::from_str(&ok(&db, &["ticket", "show", second.trim(), "--json"])).unwrap();
    assert_eq!(
        (t["openedAt"].as_str(), t["resolutionDue"].as_str()),
        (Some("2026-10-09T17:00:00+08:00"), Some("2026-10-10T18:00:00+08:00"))
    );

    // The list: newest first, tab-separated.
    let list = ok(&db, &["ticket", "list"]);
    let rows: Vec<Vec<&str>> = list.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][..5], ["T-2026-0002", "new", "urgent", "2026-10-09T17:00:00+08:00", "2026-10-10T18:00:00+08:00"]);
    assert_eq!(rows[1][6], "打印机卡纸 Printer jam");
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["ticket", "list", "--json"])).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(2));
}

#[test]
fn bad_input_is_refused_by_name_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    customer(&db, "Acme");
    let refused = |args: &[&str], needle: &str| {
        let (code, out, err) = satchel(&db, args);
        // 1 for a refused value, 2 for a customer that does not exist (a usage error).
        assert!(code == 1 || code == 2, "{args:?} was refused, exit {code}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains(needle), "{args:?}: {err}");
    };
    refused(&["service", "hours", "set", "--days", "mon", "--open", "18:00", "--close", "09:00", "--tz", "UTC"], "Closing time");
    refused(&["service", "hours", "set", "--days", "mon,funday", "--open", "09:00", "--close", "18:00", "--tz", "UTC"], "funday");
    refused(&["service", "holiday", "add", "2026-02-30"], "Date");
    refused(&["service", "sla", "set", "critical", "--first-response", "1h", "--resolution", "4h"], "critical");
    refused(&["service", "sla", "set", "high", "--first-response", "4 hours", "--resolution", "4h"], "30m, 4h or 1h30m");
    refused(&["ticket", "new", "--customer", "Acme", "--subject", "x", "--priority", "p1"], "urgent, high, normal, low");
    refused(&["ticket", "new", "--customer", "Acme", "--subject", "x", "--opened-at", "yesterday"], "Opened at");
    refused(&["ticket", "new", "--customer", "Acme", "--subject", "   "], "Subject");
    refused(&["ticket", "new", "--customer", "Nobody Ltd", "--subject", "x"], "Nobody Ltd");
    let not_ics = dir.path().join("holidays.ics");
    std::fs::write(&not_ics, "name,date\nNew Year,2027-01-01\n").unwrap();
    refused(&["service", "holiday", "import", not_ics.to_str().unwrap()], "VCALENDAR");
    // Nothing was written: the defaults stand and there are no tickets.
    assert_eq!(ok(&db, &["ticket", "list"]), "");
    let (_, out, _) = satchel(&db, &["service", "sla", "set", "low", "--first-response", "24h", "--resolution", "80h"]);
    assert_eq!(out, "low first-response 24h resolution 80h\n");
}
