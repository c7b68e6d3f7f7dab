//! The real `satchel-server` binary on PostgreSQL (`--database`): init, user add, and two servers
//! serving one database over real HTTP, as behind a load balancer. Runs when
//! `SATCHEL_TEST_POSTGRES` is set (as `make test` does); says it was skipped otherwise.

mod pg;

use satchel_server::http::{ApiError, LoginResponse, PullResponse};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

#[path = "support/output.rs"]
mod output;

fn run(database: &str, args: &[&str], stdin: &str) -> (i32, String, String) {
    output::run_with_stdin(Command::new(env!("CARGO_BIN_EXE_satchel-server")).args(["--database", database]).args(args), stdin)
}

/// A running `serve`, stopped when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(database: &str) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel-server"))
        .args(["--database", database, "serve", "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("serve printed {line:?}")).to_string();
    Served { child, base }
}

async fn login(http: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let res = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"email": email, "password": password, "device": format!("{email}'s laptop")}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "login {email} at {base}");
    res.json::<LoginResponse>().await.unwrap().token
}

fn change(hlc_ms: u64, row: &str, column: &str, value: serde_json::Value) -> serde_json::Value {
    let hlc = satchel_core::hlc::Hlc { wall_ms: hlc_ms, counter: 0 }.pack();
    json!({"hlc": hlc, "site": "site-ana", "table": "customers", "row": row, "column": column, "value": value, "entity": row})
}

#[tokio::test]
async fn two_servers_on_one_postgres_database_push_and_pull() {
    let Some(db) = pg::schema("postgres_server::two_servers_on_one_postgres_database_push_and_pull") else { return };
    let (code, out, err) = run(&db.url, &["init"], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("initialised PostgreSQL database "), "{out}");
    assert!(!out.contains(":satchel@"), "no password in what it prints: {out}");
    for (email, role, password) in [
        ("Ana@Example.cn", "sales", "correct horse\n"),
        ("cy@example.cn", "sales", "battery staple\n"),
        ("mo@example.cn", "manager", "long enough\n"),
    ] {
        let (code, out, err) = run(&db.url, &["user", "add", email, "--role", role, "--team", "East", "--password-stdin"], password);
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with(&format!("added {}", email.to_lowercase())), "{out}");
    }
    let (code, _, err) =
        run(&db.url, &["user", "add", "ana@example.cn", "--role", "sales", "--team", "East", "--password-stdin"], "another one\n");
    assert_eq!((code, err.contains("already exists")), (1, true), "{err}");

    // Two servers, one database: a token from one is good at the other.
    let (one, two) = (serve(&db.url), serve(&db.url));
    let http = reqwest::Client::new();
    let ana = login(&http, &one.base, "ana@example.cn", "correct horse").await;
    let now = satchel_server::now_ms() as u64;
    let batch = json!({"changes": [
        change(now, "c1", "name", json!("王小明")),
        change(now, "c2", "name", json!("私人客户")),
        change(now, "c2", "visibility", json!("private")),
    ]});
    // `seqs`: the team's last sequence number before and after each push (the second took none).
    for (base, expected) in [
        (&one.base, json!({"stored": 3, "duplicates": 0, "seqs": [0, 3]})),
        (&two.base, json!({"stored": 0, "duplicates": 3, "seqs": [3, 3]})),
    ] {
        let res = http.post(format!("{base}/api/v1/push")).bearer_auth(&ana).json(&batch).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let mut reply = res.json::<serde_json::Value>().await.unwrap();
        // Both servers name the database's one epoch (issue 14).
        let epoch = reply.as_object_mut().unwrap().remove("epoch");
        assert!(epoch.as_ref().and_then(|e| e.as_str()).is_some_and(|e| e.len() == 36), "{epoch:?}");
        assert_eq!(reply, expected);
    }

    let pull = |base: &str, token: &str, after: i64| {
        http.get(format!("{base}/api/v1/pull?after={after}&limit=2")).bearer_auth(token.to_string()).send()
    };
    let mo = login(&http, &two.base, "mo@example.cn", "long enough").await;
    let page: PullResponse = pull(&two.base, &mo, 0).await.unwrap().json().await.unwrap();
    // A page of two would end inside c2's write (its name and visibility): it stops before it.
    assert_eq!((page.changes.len(), page.has_more), (1, true));
    assert_eq!(page.changes[0].change.value, json!("王小明"));
    assert_eq!((page.sites[0].author.as_str(), page.sites[0].device.as_str()), ("ana@example.cn", "ana@example.cn's laptop"));
    let rest: PullResponse = pull(&one.base, &mo, page.next).await.unwrap().json().await.unwrap();
    assert_eq!((rest.changes.len(), rest.has_more, rest.last), (2, false, rest.next), "the manager sees the private record");

    let cy = login(&http, &two.base, "cy@example.cn", "battery staple").await;
    let theirs: PullResponse = pull(&one.base, &cy, 0).await.unwrap().json().await.unwrap();
    assert_eq!(
        theirs.changes.iter().map(|c| c.change.row.as_str()).collect::<Vec<_>>(),
        ["c1"],
        "not another salesperson's private record"
    );
    let mut spoof = change(now + 1, "c2", "name", json!("mine"));
    spoof["site"] = json!("site-cy");
    let res = http.post(format!("{}/api/v1/push", two.base)).bearer_auth(&cy).json(&json!({"changes": [spoof]})).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<ApiError>().await.unwrap().code, "forbidden");
}

#[test]
fn a_database_that_does_not_answer_is_named_without_its_password() {
    // Port 1 on this machine: nothing listens there.
    let (code, _, err) = run("postgres://ana:s3cret@127.0.0.1:1/crm", &["init"], "");
    assert_eq!(code, 1);
    assert!(err.contains("PostgreSQL database crm on 127.0.0.1:1") && err.contains("cannot connect"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    let (code, _, err) = run("mysql://nope", &["init"], "");
    assert_eq!(code, 1);
    assert!(err.contains("bad --database URL"), "{err}");
}

/// Issue 14: `backup --out` and `restore` are the SQLite data directory's; for PostgreSQL they say
/// to use pg_dump and pg_restore, and `new-epoch` (after a pg_restore) gives the database a new
/// epoch that a running server answers with at once.
#[tokio::test]
async fn postgres_backups_are_pg_dump_s_and_new_epoch_reaches_a_running_server() {
    let Some(db) = pg::schema("postgres_server::postgres_backups_are_pg_dump_s_and_new_epoch") else { return };
    let (code, _, err) = run(&db.url, &["init"], "");
    assert_eq!(code, 0, "{err}");
    let out = std::env::temp_dir().join(format!("satchel-pg-backup-{}", db.name));
    let (code, _, err) = run(&db.url, &["backup", "--out", out.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("pg_dump") && err.contains("docs/server.md"), "{err}");
    assert!(!out.exists());
    let (code, _, err) = run(&db.url, &["restore", "some.dump"], "");
    assert_eq!(code, 1);
    assert!(err.contains("pg_restore") && err.contains("new-epoch"), "{err}");

    let (code, _, err) =
        run(&db.url, &["user", "add", "ana@example.cn", "--role", "sales", "--team", "East", "--password-stdin"], "long enough\n");
    assert_eq!(code, 0, "{err}");
    let served = serve(&db.url);
    let http = reqwest::Client::new();
    let epoch_at = |token: String| {
        let http = http.clone();
        let base = served.base.clone();
        async move {
            let page: PullResponse =
                http.get(format!("{base}/api/v1/pull?after=0")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
            page.epoch
        }
    };
    let ana = login(&http, &served.base, "ana@example.cn", "long enough").await;
    let before = epoch_at(ana.clone()).await;
    assert_eq!(before.len(), 36, "{before:?}");
    let (code, said, err) = run(&db.url, &["new-epoch"], "");
    assert_eq!(code, 0, "{err}");
    let after = epoch_at(ana.clone()).await;
    assert_ne!(after, before);
    assert_eq!(
        said.trim(),
        format!("new epoch {after}: each laptop pushes what the server lacks and pulls everything again at its next sync")
    );
}
