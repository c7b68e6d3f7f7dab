//! satchel-server for real: the binary's init and user commands, and the HTTP API served on
//! 127.0.0.1 with a random port, called over real HTTP.

use satchel_server::http::{router, ApiError, AppState, LoginResponse};
use satchel_server::sqlite::SqliteStorage;
use serde_json::json;
use std::process::Command;
use std::sync::Arc;

#[path = "support/output.rs"]
mod output;

fn server_cmd(data: &std::path::Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    output::run_with_stdin(Command::new(env!("CARGO_BIN_EXE_satchel-server")).arg("--data").arg(data).args(args), stdin)
}

/// A data directory with two accounts, made with the binary as an operator would.
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(server_cmd(dir.path(), &["init"], "").0, 0);
    let (code, out, err) = server_cmd(
        dir.path(),
        &["user", "add", "Ana@Example.cn", "--role", "sales", "--team", "East", "--password-stdin"],
        "correct horse\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("added ana@example.cn (sales, team East)"), "{out}");
    dir
}

async fn serve(dir: &std::path::Path) -> String {
    let storage = SqliteStorage::open(dir).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router(AppState { storage: Arc::new(storage) })).await.unwrap() });
    format!("http://{addr}")
}

#[test]
fn the_operator_commands_refuse_what_they_should() {
    let dir = data_dir();
    let (code, _, err) = server_cmd(
        dir.path(),
        &["user", "add", "ana@example.cn", "--role", "sales", "--team", "East", "--password-stdin"],
        "another one\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) =
        server_cmd(dir.path(), &["user", "add", "bo@example.cn", "--role", "boss", "--team", "East", "--password-stdin"], "long enough\n");
    assert_eq!(code, 1);
    assert!(err.contains("unknown role"), "{err}");
    let (code, _, err) =
        server_cmd(dir.path(), &["user", "add", "bo@example.cn", "--role", "owner", "--team", "East", "--password-stdin"], "short\n");
    assert_eq!(code, 1);
    assert!(err.contains("at least 8"), "{err}");
    let (code, _, err) = server_cmd(dir.path(), &["serve", "--listen", "256.0.0.1:1"], "");
    assert_eq!(code, 1);
    assert!(err.contains("cannot listen on 256.0.0.1:1"), "{err}");
}

#[tokio::test]
async fn login_gives_a_token_that_every_other_route_requires() {
    let dir = data_dir();
    let base = serve(dir.path()).await;
    let http = reqwest::Client::new();
    assert_eq!(http.get(format!("{base}/health")).send().await.unwrap().text().await.unwrap(), "ok");

    let res = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"email": "ANA@example.cn", "password": "correct horse", "device": "ana-laptop"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let login: LoginResponse = res.json().await.unwrap();
    assert_eq!(login.user.email, "ana@example.cn");

    let me = http.get(format!("{base}/api/v1/me")).bearer_auth(&login.token).send().await.unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<serde_json::Value>().await.unwrap()["team"], "East");

    let foreign = format!("someotherserver.{}", login.token.split_once('.').unwrap().1);
    for (token, code) in [(None, "missing_token"), (Some("x.y"), "foreign_token"), (Some(foreign.as_str()), "foreign_token")] {
        let mut req = http.get(format!("{base}/api/v1/me"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401);
        assert_eq!(res.json::<ApiError>().await.unwrap().code, code);
    }
    // The last character changed (to one it is not), so the token is surely different.
    let last = if login.token.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{}{last}", &login.token[..login.token.len() - 1]);
    let res = http.get(format!("{base}/api/v1/me")).bearer_auth(tampered).send().await.unwrap();
    assert_eq!(res.json::<ApiError>().await.unwrap().code, "bad_token");
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_and_huge_requests_are_refused() {
    let dir = data_dir();
    let base = serve(dir.path()).await;
    let http = reqwest::Client::new();
    let attempt = |password: &'static str| {
        http.post(format!("{base}/api/v1/login")).json(&json!({"email": "ana@example.cn", "password": password, "device": "x"})).send()
    };
    for _ in 0..5 {
        let res = attempt("wrong").await.unwrap();
        assert_eq!(res.status(), 401);
        assert_eq!(res.json::<ApiError>().await.unwrap().message, "wrong email or password");
    }
    let res = attempt("correct horse").await.unwrap();
    assert_eq!(res.status(), 429, "locked even with the right password");
    assert!(res.json::<ApiError>().await.unwrap().message.contains("try again in 15 minutes"));
    // An unknown email is answered like a wrong password.
    let res = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"email": "nobody@example.cn", "password": "x", "device": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<ApiError>().await.unwrap().code, "bad_credentials");

    let huge = "x".repeat(satchel_server::http::BODY_LIMIT + 1);
    let res = http.post(format!("{base}/api/v1/login")).header("content-type", "application/json").body(huge.clone()).send().await.unwrap();
    assert_eq!(res.status(), 413);
    // A push is read as raw bytes after the token check (see
    // `a_push_without_a_valid_token_is_refused_before_its_body_is_read`): the same limit holds.
    let res = http
        .post(format!("{base}/api/v1/push"))
        .bearer_auth("any")
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "the token is checked first");
    // And the server keeps serving others.
    assert_eq!(http.get(format!("{base}/health")).send().await.unwrap().status(), 200);
}

async fn login_as(http: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let res = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"email": email, "password": password, "device": "test"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "login {email}");
    res.json::<LoginResponse>().await.unwrap().token
}

fn change(hlc_ms: u64, table: &str, row: &str, column: &str, value: serde_json::Value) -> serde_json::Value {
    change_from("site-a", hlc_ms, table, row, column, value)
}

/// A change as a device would push it: filed under its customer (the row itself for a customer,
/// `c<digits>` taken from a child row's name `p<digits>` for its phone).
fn change_from(site: &str, hlc_ms: u64, table: &str, row: &str, column: &str, value: serde_json::Value) -> serde_json::Value {
    let hlc = satchel_core::hlc::Hlc { wall_ms: hlc_ms, counter: 0 }.pack();
    let entity = if table == "customers" { row.to_string() } else { format!("c{}", &row[1..]) };
    json!({"hlc": hlc, "site": site, "table": table, "row": row, "column": column, "value": value, "entity": entity})
}

#[tokio::test]
async fn pushed_changes_are_stored_once_and_pulled_in_pages_by_the_same_team_only() {
    let dir = data_dir();
    let (code, _, err) = server_cmd(
        dir.path(),
        &["user", "add", "bo@example.cn", "--role", "sales", "--team", "West", "--password-stdin"],
        "battery staple\n",
    );
    assert_eq!(code, 0, "{err}");
    let base = serve(dir.path()).await;
    let http = reqwest::Client::new();
    let ana = login_as(&http, &base, "ana@example.cn", "correct horse").await;
    let bo = login_as(&http, &base, "bo@example.cn", "battery staple").await;
    let now = satchel_server::now_ms() as u64;
    let batch = json!({"changes": [
        change(now, "customers", "c1", "name", json!("王小明")),
        change(now, "customers", "c1", "kind", json!("person")),
        // A phone names its customer: the server files it by that (issue 14), not by `entity`.
        change(now + 1, "customer_phones", "p1", "customer_id", json!("c1")),
        change(now + 1, "customer_phones", "p1", "value", json!("13800138000")),
    ]});
    let push = |token: String, body: serde_json::Value| http.post(format!("{base}/api/v1/push")).bearer_auth(token).json(&body).send();
    // Every reply names the server's epoch (issue 14); the rest is compared exactly.
    let without_epoch = |mut reply: serde_json::Value| {
        let epoch = reply.as_object_mut().unwrap().remove("epoch");
        assert!(epoch.as_ref().and_then(|e| e.as_str()).is_some_and(|e| e.len() == 36), "the server's epoch: {epoch:?}");
        reply
    };
    let res = push(ana.clone(), batch.clone()).await.unwrap();
    assert_eq!(without_epoch(res.json().await.unwrap()), json!({"stored": 4, "duplicates": 0, "seqs": [0, 4]}));
    let res = push(ana.clone(), batch.clone()).await.unwrap();
    assert_eq!(
        without_epoch(res.json().await.unwrap()),
        json!({"stored": 0, "duplicates": 4, "seqs": [4, 4]}),
        "a repeated batch changes nothing"
    );

    let pull = |token: String, after: i64| http.get(format!("{base}/api/v1/pull?after={after}&limit=2")).bearer_auth(token).send();
    let page: serde_json::Value = pull(ana.clone(), 0).await.unwrap().json().await.unwrap();
    assert_eq!((page["changes"].as_array().unwrap().len(), page["has_more"].as_bool()), (2, Some(true)));
    assert_eq!(page["changes"][0]["value"], "王小明");
    let next = page["next"].as_i64().unwrap();
    let page: serde_json::Value = pull(ana.clone(), next).await.unwrap().json().await.unwrap();
    // The phone's two columns come together: a page never ends inside a write.
    assert_eq!((page["changes"].as_array().unwrap().len(), page["has_more"].as_bool()), (2, Some(false)));
    assert_eq!(page["changes"][0]["table"], "customer_phones");
    let west: serde_json::Value = pull(bo.clone(), 0).await.unwrap().json().await.unwrap();
    assert_eq!(west["changes"].as_array().unwrap().len(), 0, "another team's records never reach this laptop");

    // Bad batches are refused whole, with the reason; nothing of them is stored.
    let bad = [
        (
            json!({"changes": [change(now, "customers", "c2", "name", json!("x")), change(now, "customers", "c2", "shoe_size", json!(42))]}),
            "unknown_column",
        ),
        (json!({"changes": [change(now + 3 * 86_400_000, "customers", "c3", "name", json!("x"))]}), "clock_in_future"),
    ];
    for (body, code) in bad {
        let res = push(ana.clone(), body).await.unwrap();
        assert_eq!(res.status(), 400);
        assert_eq!(res.json::<ApiError>().await.unwrap().code, code);
    }
    let all: serde_json::Value =
        http.get(format!("{base}/api/v1/pull?after=0")).bearer_auth(&ana).send().await.unwrap().json().await.unwrap();
    assert_eq!(all["changes"].as_array().unwrap().len(), 4);
    let res = http.post(format!("{base}/api/v1/push")).json(&batch).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = http
        .post(format!("{base}/api/v1/push"))
        .bearer_auth(&ana)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400, "malformed JSON is refused, not a crash");
    let refusal = res.json::<ApiError>().await.unwrap();
    assert_eq!(refusal.code, "malformed");
    assert!(refusal.message.contains("not a valid batch"), "{}", refusal.message);
}

#[tokio::test]
async fn private_records_reach_only_their_owner_and_the_teams_managers() {
    let dir = data_dir();
    for (email, role) in [("cy@example.cn", "sales"), ("mo@example.cn", "manager")] {
        let (code, _, err) =
            server_cmd(dir.path(), &["user", "add", email, "--role", role, "--team", "East", "--password-stdin"], "long enough\n");
        assert_eq!(code, 0, "{err}");
    }
    let base = serve(dir.path()).await;
    let http = reqwest::Client::new();
    let ana = login_as(&http, &base, "ana@example.cn", "correct horse").await;
    let cy = login_as(&http, &base, "cy@example.cn", "long enough").await;
    let mo = login_as(&http, &base, "mo@example.cn", "long enough").await;
    let now = satchel_server::now_ms() as u64;
    let push = |token: String, body: serde_json::Value| http.post(format!("{base}/api/v1/push")).bearer_auth(token).json(&body).send();
    let res = push(
        ana.clone(),
        json!({"changes": [
            change(now, "customers", "c1", "name", json!("Shared Co")),
            change(now, "customers", "c2", "name", json!("私人客户")),
            change(now, "customers", "c2", "visibility", json!("private")),
            change(now, "customer_phones", "p2", "customer_id", json!("c2")),
            change(now, "customer_phones", "p2", "value", json!("13900139000")),
        ]}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);

    let (seen, cy_cursor) = pull_all(&http, &base, &cy, 0).await;
    assert_eq!(seen, vec!["c1.name"], "a private record and its phone never reach another salesperson's laptop");
    let (seen, _) = pull_all(&http, &base, &mo, 0).await;
    assert_eq!(seen.len(), 5, "a manager sees all of the team's records: {seen:?}");
    let (seen, _) = pull_all(&http, &base, &ana, 0).await;
    assert_eq!(seen.len(), 5, "the owner sees their own");

    // Another salesperson cannot write to it, nor push as the owner's device; nothing is stored.
    let res =
        push(cy.clone(), json!({"changes": [change_from("site-c", now + 5, "customers", "c2", "name", json!("mine now"))]})).await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<ApiError>().await.unwrap().code, "forbidden");
    let res = push(cy.clone(), json!({"changes": [change(now + 6, "customers", "c1", "notes", json!("spoofed"))]})).await.unwrap();
    assert_eq!(res.status(), 403, "site-a is ana's device database");
    let res = push(cy.clone(), json!({"changes": [change_from("site-c", now + 7, "customers", "c9", "name", json!("x"))
        .as_object().unwrap().clone().into_iter().map(|(k, v)| if k == "entity" { (k, json!("c1")) } else { (k, v) }).collect::<serde_json::Map<_, _>>()]}))
        .await
        .unwrap();
    assert_eq!(res.json::<ApiError>().await.unwrap().code, "malformed", "a customer is filed under itself");
    let (seen, _) = pull_all(&http, &base, &mo, 0).await;
    assert_eq!(seen.len(), 5, "the refused pushes stored nothing: {seen:?}");

    // Shared with the team later: the whole record reaches the teammate, past its cursor.
    let res = push(ana.clone(), json!({"changes": [change(now + 10, "customers", "c2", "visibility", json!("team"))]})).await.unwrap();
    assert_eq!(res.status(), 200);
    let (mut seen, _) = pull_all(&http, &base, &cy, cy_cursor).await;
    seen.sort();
    assert_eq!(seen, vec!["c2.name", "c2.visibility", "c2.visibility", "p2.customer_id", "p2.value"]);
    // And now the teammate may edit it.
    let res =
        push(cy.clone(), json!({"changes": [change_from("site-c", now + 11, "customers", "c2", "notes", json!("拜访过"))]})).await.unwrap();
    assert_eq!(res.status(), 200);
}

/// Every change a user may pull after the cursor, as `row.column`, and the next cursor.
async fn pull_all(http: &reqwest::Client, base: &str, token: &str, after: i64) -> (Vec<String>, i64) {
    let page: serde_json::Value =
        http.get(format!("{base}/api/v1/pull?after={after}")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let rows: Vec<String> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{}.{}", c["row"].as_str().unwrap(), c["column"].as_str().unwrap()))
        .collect();
    (rows, page["next"].as_i64().unwrap())
}

/// A data directory written by satchel-server 0.1 as released before the protocol crate (made by
/// `tests/fixtures/make-data-0.1.sh` with that binary) opens in this version: every teammate pulls
/// exactly what they pulled then, under the same sequence numbers (a laptop's cursor stays
/// valid), and the next push numbers on from there.
#[test]
fn a_data_directory_written_by_the_released_server_opens_without_renumbering_anything() {
    use satchel_server::storage::{Storage, WireChange};
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data-0.1");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture.join("satchel-server.db"), SqliteStorage::file(dir.path())).unwrap();
    let storage = SqliteStorage::open(dir.path()).unwrap();
    let user = |email: &str| storage.user_by_email(email).unwrap().expect(email).user;
    for who in ["cy", "mo"] {
        let then: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(fixture.join(format!("pulled-by-{who}.json"))).unwrap()).unwrap();
        let now = serde_json::to_value(storage.pull(&user(&format!("{who}@example.cn")), 0, 100).unwrap()).unwrap();
        assert_eq!(now, then, "{who} pulls what the released server gave them");
    }
    assert_eq!(storage.last_seq("East").unwrap(), 10);
    let ana = user("ana@example.cn");
    let rename = WireChange {
        hlc: (satchel_server::now_ms() << 16) + 7,
        site: "fixture0site0001".into(),
        table: "customers".into(),
        row: "0190f5c0-0000-7000-8000-0000000000a1".into(),
        column: "notes".into(),
        value: json!("升级后的第一条修改"),
        entity: "0190f5c0-0000-7000-8000-0000000000a1".into(),
    };
    let pushed = storage.push(&ana, "fixture", &[rename]).unwrap();
    assert_eq!((pushed.stored, pushed.seqs), (1, Some((10, 11))));
    let next = storage.pull(&user("cy@example.cn"), 10, 100).unwrap();
    assert_eq!(next.iter().map(|p| (p.seq, p.change.column.as_str())).collect::<Vec<_>>(), vec![(11, "notes")]);
}

/// When the server's own storage fails, the client hears that the server failed and where the
/// cause is, never the database's text (which helps no user and tells an attacker about the
/// server). Provoked for real: the change table is dropped under the running server.
#[tokio::test]
async fn a_storage_failure_is_logged_and_answered_with_a_generic_message() {
    let dir = data_dir();
    let base = serve(dir.path()).await;
    let http = reqwest::Client::new();
    let login: LoginResponse = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"email": "ana@example.cn", "password": "correct horse", "device": "ana-laptop"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    rusqlite::Connection::open(SqliteStorage::file(dir.path())).unwrap().execute_batch("DROP TABLE changes").unwrap();
    let hlc = (satchel_server::now_ms() << 16) + 1;
    let change = json!({"hlc": hlc, "site": "s1", "table": "customers", "row": "r1", "column": "name", "value": "王", "entity": "r1"});
    let res = http.post(format!("{base}/api/v1/push")).bearer_auth(&login.token).json(&json!({"changes": [change]})).send().await.unwrap();
    assert_eq!(res.status(), 500);
    let err: ApiError = res.json().await.unwrap();
    assert_eq!((err.code.as_str(), err.message.as_str()), ("internal", "the server failed; its log says why"));
    let pull = http.get(format!("{base}/api/v1/pull?after=0")).bearer_auth(&login.token).send().await.unwrap();
    let err: ApiError = pull.json().await.unwrap();
    assert!(!err.message.contains("changes") && !err.message.contains("table"), "{}", err.message);
}
