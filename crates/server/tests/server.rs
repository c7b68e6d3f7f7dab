//! satchel-server for real: the binary's init and user commands, and the HTTP API served on
//! 127.0.0.1 with a random port, called over real HTTP.

use satchel_server::http::{router, ApiError, AppState, LoginResponse};
use satchel_server::sqlite::SqliteStorage;
use serde_json::json;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

fn server_cmd(data: &std::path::Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel-server"))
        .arg("--data")
        .arg(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that fails early closes its stdin before reading it: that is not the test failing.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
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
    let tampered = format!("{}0", &login.token[..login.token.len() - 1]);
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
    let res = http.post(format!("{base}/api/v1/login")).header("content-type", "application/json").body(huge).send().await.unwrap();
    assert_eq!(res.status(), 413);
    // And the server keeps serving others.
    assert_eq!(http.get(format!("{base}/health")).send().await.unwrap().status(), 200);
}
