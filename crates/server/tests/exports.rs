//! Exports in the server's audit trail (issue 14): an export of customers made on a laptop, online
//! or not, connected yet or not, reaches the trail at its next sync as one `export` line (the
//! account, its device, what, how many, when), once; a report the server cannot take is refused
//! with a clear reason and does not stall the laptop's sync. Real laptops (their own databases)
//! and the real router on 127.0.0.1, on both backends (`pg/mod.rs`); the trail is read with the
//! real `satchel-server audit`.

#[macro_use]
mod pg;
use pg::{postgres, sqlite, Db};
mod common;

#[path = "support/output.rs"]
mod output;

use common::{file_tokens, Laptop};
use satchel_core::customers::transfer::ExportFormat;
use satchel_core::customers::{CustomerInput, CustomerKind, ListQuery};
use satchel_core::store::Profile;
use satchel_core::sync::{self, exports, SyncError};
use satchel_core::Satchel;
use satchel_server::storage::{Role, Storage};
use serde_json::{json, Value};
use std::sync::Arc;

on_both_backends!(
    "exports";
    exports_made_offline_reach_the_audit_trail_once_at_the_next_sync,
    a_malformed_report_is_refused_with_its_reason_and_does_not_stall_sync,
);

impl Db {
    /// `satchel-server audit` on this data, as an administrator runs it: its lines, split at tabs
    /// (time, actor, action, subject, detail), newest first.
    fn audit(&self) -> Vec<Vec<String>> {
        let (code, out, err) = output::run_with_stdin(
            std::process::Command::new(env!("CARGO_BIN_EXE_satchel-server")).args(self.args()).args(["audit", "--limit", "500"]),
            "",
        );
        assert_eq!(code, 0, "{err}");
        out.lines().map(|l| l.split('\t').map(String::from).collect()).collect()
    }

    /// The `export` lines of the trail: (actor, subject, detail), oldest first.
    fn exports(&self) -> Vec<(String, String, String)> {
        let mut lines: Vec<_> =
            self.audit().into_iter().filter(|l| l[2] == "export").map(|l| (l[1].clone(), l[3].clone(), l[4].clone())).collect();
        lines.reverse();
        lines
    }
}

/// The real router on 127.0.0.1 over `storage`, until dropped (then nothing answers there).
struct Served {
    base: String,
    rt: tokio::runtime::Runtime,
}

fn serve(storage: Arc<dyn Storage>, addr: &str) -> Served {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind(addr)).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = satchel_server::http::router(satchel_server::http::AppState { storage });
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
    Served { base, rt }
}

impl Served {
    /// A request with reqwest, as a client other than the app would send it: status and JSON body.
    fn call(&self, path: &str, token: Option<&str>, body: &[u8]) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let body = body.to_vec();
        let token = token.map(String::from);
        self.rt.block_on(async move {
            let mut req = reqwest::Client::new().post(url).header("content-type", "application/json").body(body);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            (status, serde_json::from_str(&text).unwrap_or(Value::Null))
        })
    }

    fn token(&self, email: &str) -> String {
        let body = json!({"email": email, "password": "long enough", "device": "curl"}).to_string();
        let (status, reply) = self.call("/api/v1/login", None, body.as_bytes());
        assert_eq!(status, 200, "{reply}");
        reply["token"].as_str().unwrap().to_string()
    }
}

fn accounts(storage: &dyn Storage) {
    let hash = satchel_server::hash_password("long enough").unwrap();
    storage.add_user("ana@example.cn", Role::Sales, "East", &hash).unwrap();
    storage.add_user("mo@example.cn", Role::Manager, "East", &hash).unwrap();
}

fn laptop(who: &str) -> Laptop {
    file_tokens();
    let dir = tempfile::tempdir().unwrap();
    let app = Satchel::open(dir.path().join("satchel.db"), Profile { author: who.into(), device: format!("{who}-laptop") }).unwrap();
    Laptop { app, dir }
}

fn login(l: &Laptop, served: &Served, email: &str) {
    sync::login(&l.app, &served.base, email, "long enough").unwrap();
}

fn try_sync(l: &Laptop) -> Result<sync::SyncReport, SyncError> {
    let mut remote = sync::remote_for(&l.app)?;
    sync::sync_once(&l.app, &mut remote, &mut |_| {})
}

fn add_customers(l: &Laptop, names: &[&str]) {
    for name in names {
        l.app.customers().create(CustomerInput::named(CustomerKind::Person, name)).unwrap();
    }
}

/// The laptop's export reports: (time, kind, records, sent), oldest first.
fn reports(l: &Laptop) -> Vec<(i64, String, i64, i64)> {
    l.app
        .store()
        .read(|c| {
            let mut st = c.prepare("SELECT at_ms, kind, records, sent FROM export_reports ORDER BY id")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap()
}

/// The audit detail an export recorded on the laptop must get.
fn detail(report: &(i64, String, i64, i64)) -> String {
    let noun = if report.2 == 1 { "record" } else { "records" };
    format!("{} {} {noun} at {}", report.1, report.2, satchel_server::utc(report.0))
}

fn exports_made_offline_reach_the_audit_trail_once_at_the_next_sync(db: &Db) {
    let storage = db.storage();
    accounts(&*storage);
    let served = serve(storage.clone(), "127.0.0.1:0");

    // Ana (sales) exports before her laptop was ever connected: no server to reach.
    let ana = laptop("ana");
    add_customers(&ana, &["王小明", "李华", "Zed"]);
    let (csv, count) = ana.app.customers().export(&ListQuery::default(), ExportFormat::Csv).unwrap();
    assert!(!csv.is_empty());
    assert_eq!(count, 3);
    assert!(matches!(try_sync(&ana), Err(SyncError::NeedsLogin(_))));
    assert_eq!(exports::waiting(&ana.app).unwrap(), 1);

    // Mo (manager) is connected, then the server goes away and he exports offline.
    let mo = laptop("mo");
    login(&mo, &served, "mo@example.cn");
    add_customers(&mo, &["陈经理"]);
    try_sync(&mo).unwrap();
    let addr = served.base.trim_start_matches("http://").to_string();
    drop(served);
    let (_, mo_count) = mo.app.customers().export(&ListQuery::default(), ExportFormat::Csv).unwrap();
    assert!(matches!(try_sync(&mo), Err(SyncError::Offline(_))), "the server is down");
    assert_eq!(exports::waiting(&mo.app).unwrap(), 1, "kept for later");
    assert!(db.exports().is_empty(), "nothing reported yet");

    // The server is back (the same address and data): each laptop's next sync reports its export.
    let served = serve(storage, &addr);
    login(&ana, &served, "ana@example.cn");
    let before = std::time::SystemTime::now();
    try_sync(&ana).unwrap();
    try_sync(&mo).unwrap();
    assert_eq!(exports::waiting(&ana.app).unwrap(), 0);
    assert_eq!(exports::waiting(&mo.app).unwrap(), 0);
    let (ana_report, mo_report) = (&reports(&ana)[0], &reports(&mo)[0]);
    assert_eq!((ana_report.1.as_str(), ana_report.2, ana_report.3), ("customers.csv", 3, 1), "acknowledged");
    assert_eq!((mo_report.1.as_str(), mo_report.2, mo_report.3), ("customers.csv", i64::from(mo_count), 1));
    let want = vec![
        ("ana@example.cn".to_string(), "ana-laptop".to_string(), detail(ana_report)),
        ("mo@example.cn".to_string(), "mo-laptop".to_string(), detail(mo_report)),
    ];
    assert_eq!(db.exports(), want, "one line each: the account, its device, what, how many, when");
    assert!(detail(ana_report).starts_with("customers.csv 3 records at 20"), "{}", detail(ana_report));
    // The line's own time is when the server wrote it; the export's is in the detail.
    let trail = db.audit();
    let line = trail.iter().find(|l| l[2] == "export" && l[1] == "ana@example.cn").unwrap();
    let written = satchel_server::utc(before.duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64);
    assert!(line[0] >= written, "{line:?} written at the sync, not before {written}");

    // Syncing again reports nothing again; a new export is reported, once.
    try_sync(&ana).unwrap();
    try_sync(&mo).unwrap();
    assert_eq!(db.exports(), want, "not twice");
    ana.app.customers().export(&ListQuery::default(), ExportFormat::Vcard3).unwrap();
    try_sync(&ana).unwrap();
    try_sync(&ana).unwrap();
    let lines = db.exports();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[2], ("ana@example.cn".to_string(), "ana-laptop".to_string(), detail(&reports(&ana)[1])));
    assert!(lines[2].2.starts_with("customers.vcf 4 records at "), "her 3 and Mo's 1: {lines:?}");
}

fn a_malformed_report_is_refused_with_its_reason_and_does_not_stall_sync(db: &Db) {
    let storage = db.storage();
    accounts(&*storage);
    let served = serve(storage, "127.0.0.1:0");
    let token = served.token("ana@example.cn");
    let now = satchel_server::now_ms();
    let post = |token: Option<&str>, body: Value| served.call("/api/v1/exports", token, body.to_string().as_bytes());
    let report = |kind: &str, records: i64, at_ms: i64| json!({"at_ms": at_ms, "kind": kind, "records": records});

    // Refused, each with a reason naming the report and what is wrong with it; nothing written.
    let refusals = [
        (
            json!({"reports": [report("customers.csv", 3, now), report("Customers CSV", 3, now)]}),
            "bad_report",
            "export report 1: the kind \"Customers CSV\"",
        ),
        (json!({"reports": [report("", 3, now)]}), "bad_report", "must be 1 to 64 of a-z, 0-9"),
        (json!({"reports": [report(&"x".repeat(65), 3, now)]}), "bad_report", "must be 1 to 64"),
        (json!({"reports": [report("customers.csv\tforged", 3, now)]}), "bad_report", "export report 0: the kind"),
        (json!({"reports": [report("customers.csv", -1, now)]}), "bad_report", "export report 0: -1 records cannot be fewer than 0"),
        (json!({"reports": [report("customers.csv", 3, 0)]}), "bad_report", "before 2020 or more than a day ahead"),
        (json!({"reports": [report("customers.csv", 3, now + 2 * 24 * 3600 * 1000)]}), "bad_report", "more than a day ahead"),
        (
            json!({"reports": vec![report("customers.csv", 1, now); 501]}),
            "batch_too_large",
            "at most 500 export reports per request, got 501",
        ),
        (json!({"reports": [{"kind": "customers.csv", "records": 3}]}), "malformed", "not a valid list of export reports"),
    ];
    for (body, code, says) in refusals {
        let (status, reply) = post(Some(&token), body.clone());
        assert_eq!(status, 400, "{body}: {reply}");
        assert_eq!(reply["code"], code, "{body}: {reply}");
        let message = reply["message"].as_str().unwrap();
        assert!(message.contains(says), "{says:?} in {message:?}");
    }
    let (status, reply) = served.call("/api/v1/exports", Some(&token), b"{\"reports\": [");
    assert_eq!((status, reply["code"].as_str()), (400, Some("malformed")), "{reply}");
    let (status, reply) = post(None, json!({"reports": [report("customers.csv", 3, now)]}));
    assert_eq!((status, reply["code"].as_str()), (401, Some("missing_token")), "the token first");
    let (status, _) = served.call("/api/v1/exports", Some(&token), &vec![b' '; 300 * 1024]);
    assert_eq!(status, 413, "a small body limit");
    assert!(db.exports().is_empty(), "nothing of a refused request is written");
    // A good request is written; an empty one is nothing.
    assert_eq!(post(Some(&token), json!({"reports": [report("customers.csv", 1, now)]})).0, 204);
    assert_eq!(post(Some(&token), json!({"reports": []})).0, 204);
    let lines = db.exports();
    assert_eq!(
        lines,
        [("ana@example.cn".to_string(), "curl".to_string(), format!("customers.csv 1 record at {}", satchel_server::utc(now)))]
    );

    // A laptop holding a report the server refuses (a damaged book, a newer app's kind) between
    // two good ones: the sync goes through, the good ones are written, the bad one is set apart
    // and not sent again, and later exports and edits still go.
    let ana = laptop("ana");
    login(&ana, &served, "ana@example.cn");
    add_customers(&ana, &["王小明", "李华"]);
    ana.app.customers().export(&ListQuery::default(), ExportFormat::Csv).unwrap();
    ana.app
        .store()
        .write(|w| {
            w.conn().execute("INSERT INTO export_reports (at_ms, kind, records, sent) VALUES (?1, 'Customers!', 2, 0)", [now])?;
            Ok(())
        })
        .unwrap();
    ana.app.customers().export(&ListQuery::default(), ExportFormat::Vcard4).unwrap();
    let pushed = try_sync(&ana).expect("a refused report does not fail the sync").pushed;
    assert!(pushed > 0, "the customers went up too");
    assert_eq!(exports::waiting(&ana.app).unwrap(), 0, "nothing waits for ever");
    let states: Vec<(String, i64)> = reports(&ana).into_iter().map(|r| (r.1, r.3)).collect();
    assert_eq!(states, [("customers.csv".into(), 1), ("Customers!".into(), 2), ("customers.vcf".into(), 1)], "sent, refused, sent");
    let details: Vec<String> = db.exports().into_iter().skip(1).map(|l| l.2).collect();
    let r = reports(&ana);
    assert_eq!(details, [detail(&r[0]), detail(&r[2])]);

    add_customers(&ana, &["Zed"]);
    ana.app.customers().export(&ListQuery::default(), ExportFormat::Csv).unwrap();
    try_sync(&ana).unwrap();
    try_sync(&ana).unwrap();
    let details: Vec<String> = db.exports().into_iter().skip(1).map(|l| l.2).collect();
    assert_eq!(details.len(), 3, "the refused one never again: {details:?}");
    assert!(details[2].starts_with("customers.csv 3 records at "), "{details:?}");
    let mo = laptop("mo");
    login(&mo, &served, "mo@example.cn");
    try_sync(&mo).unwrap();
    assert_eq!(mo.app.customers().list(&ListQuery { limit: 10, ..Default::default() }).total, 3, "Ana's edits reached the server");
}
