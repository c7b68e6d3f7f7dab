//! Running a server as an administrator (issue 14), on both backends: tokens that expire when
//! unused and are revoked at logout; the admin commands of the real binary (`user list|disable|
//! enable|passwd|role`, `token list|revoke`); login limits that hold under parallel attempts; a
//! push refused before its body is read; connections that send no request closed. The server is
//! the real binary, or the real router served on 127.0.0.1 (a random port) in this process; the
//! data is a real SQLite file in a temporary directory, or a PostgreSQL schema of its own (see
//! `pg/mod.rs`; skipped without `SATCHEL_TEST_POSTGRES`).

#[macro_use]
mod pg;
use pg::{postgres, sqlite, Db};

#[path = "support/output.rs"]
mod output;

use satchel_server::http::{ApiError, Config, LoginResponse};
use satchel_server::sqlite::SqliteStorage;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

on_both_backends!(
    "admin";
    tokens_expire_when_unused_each_use_extends_them_and_logout_revokes_them,
    the_admin_commands_list_disable_enable_passwd_role_and_revoke,
    parallel_wrong_passwords_are_counted_before_any_is_checked,
    wrong_passwords_from_one_address_are_limited_over_all_accounts,
    a_burst_of_logins_waits_for_a_few_password_checks_or_is_told_the_server_is_busy,
    a_push_without_a_valid_token_is_refused_before_its_body_is_read,
    the_audit_trail_and_the_log_say_who_did_what_and_never_a_password_or_token,
);

impl Db {
    /// Runs one SQL statement on the data, behind the server's back, and returns the first column
    /// of its first row as a number (0 when none).
    fn sql(&self, sql: &str) -> i64 {
        match self {
            Db::Sqlite(dir) => {
                let c = rusqlite::Connection::open(SqliteStorage::file(dir.path())).unwrap();
                let mut st = c.prepare(sql).unwrap();
                let mut rows = st.query([]).unwrap();
                rows.next().unwrap().map(|r| r.get::<_, Option<i64>>(0).unwrap().unwrap_or(0)).unwrap_or(0)
            }
            Db::Postgres(schema) => {
                let (url, sql) = (schema.url.clone(), sql.to_string());
                std::thread::spawn(move || {
                    let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
                    c.simple_query(&sql)
                        .unwrap()
                        .into_iter()
                        .find_map(|m| match m {
                            ::postgres::SimpleQueryMessage::Row(r) => Some(r.get(0).unwrap_or("0").parse().unwrap()),
                            _ => None,
                        })
                        .unwrap_or(0)
                })
                .join()
                .unwrap()
            }
        }
    }

    /// Runs the binary on this data with `stdin`: exit code, standard output, standard error.
    fn run(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        output::run_with_stdin(Command::new(env!("CARGO_BIN_EXE_satchel-server")).args(self.args()).args(args), stdin)
    }

    /// Adds an account with the binary, as an operator would.
    fn add_user(&self, email: &str, role: &str, password: &str) {
        let (code, _, err) =
            self.run(&["user", "add", email, "--role", role, "--team", "East", "--password-stdin"], &format!("{password}\n"));
        assert_eq!(code, 0, "{err}");
    }

    /// `satchel-server serve` on this data on a random port, stopped when dropped.
    fn serve(&self, extra: &[&str], env: &[(&str, &str)]) -> Served {
        self.serve_logging_to(extra, env, Stdio::null())
    }

    /// The same, its standard error (the log) going to `log`.
    fn serve_logging_to(&self, extra: &[&str], env: &[(&str, &str)], log: Stdio) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_satchel-server"))
            .args(self.args())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("serve printed {line:?}")).to_string();
        Served { child: Some(child), base, rt: runtime() }
    }

    /// The real router and serving loop, in this process, with `config`.
    fn serve_in_process(&self, config: Config) -> Served {
        let storage = self.storage();
        let rt = runtime();
        let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let timeout = config.header_timeout;
        let app = satchel_server::http::router_with(satchel_server::http::AppState { storage }, &config);
        rt.spawn(satchel_server::http::serve(listener, app, timeout));
        Served { child: None, base, rt }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

struct Served {
    /// The server process, or none when served in this process.
    child: Option<Child>,
    base: String,
    rt: tokio::runtime::Runtime,
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// An answer: its status and its JSON body (`null` when none).
type Answer = (u16, Value);

impl Served {
    fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let url = format!("{}{path}", self.base);
        self.rt.block_on(async move { call(&reqwest::Client::new(), method, &url, token, body).await })
    }

    fn login(&self, email: &str, password: &str) -> Answer {
        self.call("POST", "/api/v1/login", None, Some(json!({"email": email, "password": password, "device": "test laptop"})))
    }

    fn token(&self, email: &str, password: &str) -> String {
        let (status, body) = self.login(email, password);
        assert_eq!(status, 200, "login {email}: {body}");
        serde_json::from_value::<LoginResponse>(body).unwrap().token
    }

    fn me(&self, token: &str) -> Answer {
        self.call("GET", "/api/v1/me", Some(token), None)
    }

    /// `n` logins at once (each with its own connection), `who(i)` giving the i-th's email and
    /// password; their answers.
    fn burst(&self, n: usize, who: impl Fn(usize) -> (String, String)) -> Vec<Answer> {
        let url = format!("{}/api/v1/login", self.base);
        self.rt.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for i in 0..n {
                let (email, password) = who(i);
                let url = url.clone();
                set.spawn(async move {
                    let body = json!({"email": email, "password": password, "device": "burst"});
                    (i, call(&reqwest::Client::new(), "POST", &url, None, Some(body)).await)
                });
            }
            let mut answers = set.join_all().await;
            answers.sort_by_key(|(i, _)| *i);
            answers.into_iter().map(|(_, a)| a).collect()
        })
    }
}

async fn call(http: &reqwest::Client, method: &str, url: &str, token: Option<&str>, body: Option<Value>) -> Answer {
    let mut req = http.request(method.parse().unwrap(), url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) })
}

fn code(a: &Answer) -> &str {
    a.1["code"].as_str().unwrap_or("")
}

fn now_ms() -> i64 {
    satchel_server::now_ms()
}

// ---- 1. Tokens ----

fn tokens_expire_when_unused_each_use_extends_them_and_logout_revokes_them(db: &Db) {
    db.add_user("ana@example.cn", "sales", "correct horse");
    let srv = db.serve(&["--token-days", "1"], &[]);
    let token = srv.token("ana@example.cn", "correct horse");
    assert_eq!(srv.me(&token).0, 200);

    // Last used 23 hours ago: still good, and this use extends it (written once, not on every request).
    db.sql(&format!("UPDATE tokens SET last_used_ms = {}", now_ms() - 23 * 3600 * 1000));
    assert_eq!(srv.me(&token).0, 200);
    let used = db.sql("SELECT last_used_ms FROM tokens");
    assert!(now_ms() - used < 60_000, "the use was recorded: {used}");
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(srv.me(&token).0, 200);
    assert_eq!(db.sql("SELECT last_used_ms FROM tokens"), used, "a second use within the minute writes nothing");

    // Unused for 25 hours: expired, and said so.
    db.sql(&format!("UPDATE tokens SET last_used_ms = {}", now_ms() - 25 * 3600 * 1000));
    let refused = srv.me(&token);
    assert_eq!((refused.0, code(&refused)), (401, "token_expired"), "{:?}", refused.1);
    assert!(refused.1["message"].as_str().unwrap().contains("log in again"), "{}", refused.1);
    let pulled = srv.call("GET", "/api/v1/pull?after=0", Some(&token), None);
    assert_eq!(code(&pulled), "token_expired", "every route refuses it");

    // Logging in again gives a new token; logging out revokes it on the server.
    let second = srv.token("ana@example.cn", "correct horse");
    assert_eq!(srv.me(&second).0, 200);
    let out = srv.call("POST", "/api/v1/logout", Some(&second), None);
    assert_eq!(out.0, 204, "{:?}", out.1);
    let refused = srv.me(&second);
    assert_eq!((refused.0, code(&refused)), (401, "bad_token"));
    let again = srv.call("POST", "/api/v1/logout", Some(&second), None);
    assert_eq!((again.0, code(&again)), (401, "bad_token"), "a revoked token is not revoked twice");
    let none = srv.call("POST", "/api/v1/logout", None, None);
    assert_eq!((none.0, code(&none)), (401, "missing_token"));
}

// ---- 2. Admin commands ----

fn the_admin_commands_list_disable_enable_passwd_role_and_revoke(db: &Db) {
    db.add_user("ana@example.cn", "sales", "correct horse");
    db.add_user("Mo@Example.cn", "manager", "battery staple");
    let (code_, out, err) = db.run(&["user", "list"], "");
    assert_eq!(code_, 0, "{err}");
    assert_eq!(out, "ana@example.cn\tsales\tEast\tenabled\nmo@example.cn\tmanager\tEast\tenabled\n");

    let srv = db.serve(&[], &[]);
    let ana_laptop = srv.token("ana@example.cn", "correct horse");
    let ana_phone = srv.token("ana@example.cn", "correct horse");
    let mo = srv.token("mo@example.cn", "battery staple");

    // Disabled: her tokens are refused at once, and she cannot log in; others are untouched.
    let (c, out, err) = db.run(&["user", "disable", "ANA@example.cn"], "");
    assert_eq!(c, 0, "{err}");
    assert!(out.starts_with("disabled ana@example.cn"), "{out}");
    let refused = srv.me(&ana_laptop);
    assert_eq!((refused.0, code(&refused)), (401, "account_disabled"), "{:?}", refused.1);
    assert!(refused.1["message"].as_str().unwrap().contains("disabled"));
    let login = srv.login("ana@example.cn", "correct horse");
    assert_eq!(code(&login), "account_disabled", "{:?}", login.1);
    assert_eq!(srv.login("ana@example.cn", "wrong password").1["code"], "bad_credentials", "a wrong password says nothing more");
    assert_eq!(srv.me(&mo).0, 200);
    assert_eq!(db.run(&["user", "list"], "").1.lines().next().unwrap(), "ana@example.cn\tsales\tEast\tdisabled");
    // Enabled again: her devices are back.
    let (c, out, _) = db.run(&["user", "enable", "ana@example.cn"], "");
    assert_eq!((c, out.as_str()), (0, "enabled ana@example.cn\n"));
    assert_eq!(srv.me(&ana_laptop).0, 200);

    // The role changes what the server says she is, at once.
    let (c, out, _) = db.run(&["user", "role", "ana@example.cn", "manager"], "");
    assert_eq!((c, out.as_str()), (0, "ana@example.cn is now manager\n"));
    assert_eq!(srv.me(&ana_laptop).1["role"], "manager");
    let (c, _, err) = db.run(&["user", "role", "ana@example.cn", "boss"], "");
    assert_eq!(c, 1);
    assert!(err.contains("unknown role \"boss\""), "{err}");

    // Tokens: listed by id (not the token), one revoked by its id.
    let (c, out, err) = db.run(&["token", "list"], "");
    assert_eq!(c, 0, "{err}");
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 3, "{out}");
    for l in &lines {
        assert_eq!(l.len(), 5, "id, email, device, created, last used: {l:?}");
        assert_eq!(l[0].len(), 12);
        assert_eq!(l[2], "test laptop");
        assert!(l[3].ends_with('Z') && l[3].len() == 20 && l[3].starts_with("20"), "{}", l[3]);
        assert!(!ana_laptop.contains(l[0]) && !ana_phone.contains(l[0]) && !mo.contains(l[0]), "the id is not part of the token");
    }
    assert_eq!(lines.iter().filter(|l| l[1] == "ana@example.cn").count(), 2);
    let mo_id = lines.iter().find(|l| l[1] == "mo@example.cn").unwrap()[0].to_string();
    let (c, out, err) = db.run(&["token", "revoke", &mo_id], "");
    assert_eq!(c, 0, "{err}");
    assert_eq!(out, format!("revoked token {mo_id} of mo@example.cn on test laptop\n"));
    assert_eq!(code(&srv.me(&mo)), "bad_token");
    assert_eq!(srv.me(&ana_laptop).0, 200, "only that token");

    // A new password revokes every token of the account; the old password no longer works.
    let (c, _, err) = db.run(&["user", "passwd", "ana@example.cn", "--password-stdin"], "short\n");
    assert_eq!(c, 1);
    assert!(err.contains("at least 8"), "{err}");
    assert_eq!(srv.me(&ana_laptop).0, 200, "a refused change changes nothing");
    let (c, out, err) = db.run(&["user", "passwd", "ana@example.cn", "--password-stdin"], "a new long one\n");
    assert_eq!(c, 0, "{err}");
    assert_eq!(out, "changed the password of ana@example.cn; revoked 2 token(s)\n");
    assert_eq!(code(&srv.me(&ana_laptop)), "bad_token");
    assert_eq!(code(&srv.me(&ana_phone)), "bad_token");
    assert_eq!(code(&srv.login("ana@example.cn", "correct horse")), "bad_credentials");
    srv.token("ana@example.cn", "a new long one");
    assert_eq!(db.run(&["token", "list"], "").1.lines().count(), 1);

    // Unknown accounts and tokens: said, and a failure exit.
    for args in [
        &["user", "disable", "nobody@example.cn"][..],
        &["user", "enable", "nobody@example.cn"],
        &["user", "role", "nobody@example.cn", "sales"],
        &["user", "passwd", "nobody@example.cn", "--password-stdin"],
        &["token", "revoke", "0123456789ab"],
    ] {
        let (c, out, err) = db.run(args, "long enough\n");
        assert_eq!(c, 1, "{args:?}: {out}");
        assert!(err.contains("no account nobody@example.cn") || err.contains("no token 0123456789ab"), "{args:?}: {err}");
    }
    // `user add` is as it was.
    let (c, out, _) = db.run(&["user", "add", "cy@example.cn", "--role", "owner", "--team", "West", "--password-stdin"], "long enough\n");
    assert_eq!((c, out.as_str()), (0, "added cy@example.cn (owner, team West)\n"));
}

// ---- 3. Login limits ----

/// In process, so the wait for a password check can be long enough for a slow, loaded machine.
fn patient() -> Config {
    Config { hash_wait: Duration::from_secs(120), ..Config::default() }
}

fn parallel_wrong_passwords_are_counted_before_any_is_checked(db: &Db) {
    db.add_user("ana@example.cn", "sales", "correct horse");
    let srv = db.serve_in_process(patient());
    let answers = srv.burst(50, |i| ("ana@example.cn".into(), format!("wrong {i}")));
    let checked = answers.iter().filter(|a| code(a) == "bad_credentials").count();
    let locked = answers.iter().filter(|a| a.0 == 429 && code(a) == "too_many_attempts").count();
    assert_eq!((checked, locked), (5, 45), "{answers:?}");
    // The limit holds for the right password too, for the window.
    let (status, body) = srv.login("ana@example.cn", "correct horse");
    assert_eq!(status, 429, "{body}");
    assert!(body["message"].as_str().unwrap().contains("try again in 15 minutes"));
    // Another account is not locked by it, and a right password is not counted as a failure.
    db.add_user("mo@example.cn", "manager", "battery staple");
    for _ in 0..8 {
        srv.token("mo@example.cn", "battery staple");
    }
}

fn wrong_passwords_from_one_address_are_limited_over_all_accounts(db: &Db) {
    db.add_user("ana@example.cn", "sales", "correct horse");
    let srv = db.serve_in_process(patient());
    // Four wrong passwords each for five accounts from this address: 20, every one checked.
    let answers = srv.burst(20, |i| (format!("user{}@example.cn", i % 5), "wrong".into()));
    assert!(answers.iter().all(|a| code(a) == "bad_credentials"), "{answers:?}");
    let (status, body) = srv.login("ana@example.cn", "correct horse");
    assert_eq!((status, body["code"].as_str()), (429, Some("too_many_attempts")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("from 127.0.0.1"), "{body}");
}

fn a_burst_of_logins_waits_for_a_few_password_checks_or_is_told_the_server_is_busy(db: &Db) {
    db.add_user("ana@example.cn", "sales", "correct horse");
    // One check at a time, and no wait for a turn: all but the first few at once are busy.
    let srv = db.serve_in_process(Config { hash_permits: 1, hash_wait: Duration::ZERO, ..Config::default() });
    let answers = srv.burst(10, |i| (format!("user{i}@example.cn"), "wrong".into()));
    let busy = answers.iter().filter(|a| a.0 == 503 && code(a) == "busy").count();
    let checked = answers.iter().filter(|a| code(a) == "bad_credentials").count();
    assert_eq!(busy + checked, 10, "{answers:?}");
    assert!(busy >= 1, "{answers:?}");
    assert!(answers.iter().any(|a| a.1["message"].as_str().is_some_and(|m| m.contains("try again in a moment"))));
    // The busy ones were not counted: the address has only the checked ones against it.
    let counted = db.sql("SELECT count(*) FROM login_attempts");
    assert_eq!(counted as usize, checked);
    // And with a turn to wait for, the same burst is checked in full.
    drop(srv);
    let srv = db.serve_in_process(Config { hash_permits: 1, ..patient() });
    let answers = srv.burst(5, |i| (format!("other{i}@example.cn"), "wrong".into()));
    assert!(answers.iter().all(|a| code(a) == "bad_credentials"), "{answers:?}");
}

// ---- 4. A push's body ----

/// Sends `head` (a request's start line and headers) on a new connection and returns what the
/// server answered within `wait` (empty when nothing, or the connection closed without a word).
fn raw(base: &str, head: &str, wait: Duration) -> (String, Duration) {
    let addr = base.strip_prefix("http://").unwrap();
    let mut tcp = std::net::TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(wait)).unwrap();
    tcp.write_all(head.as_bytes()).unwrap();
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tcp.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                if String::from_utf8_lossy(&got).contains("\r\n\r\n{") && got.ends_with(b"}") {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    (String::from_utf8_lossy(&got).into_owned(), start.elapsed())
}

fn a_push_without_a_valid_token_is_refused_before_its_body_is_read(db: &Db) {
    db.add_user("ana@example.cn", "sales", "correct horse");
    let srv = db.serve(&[], &[]);
    let addr = srv.base.strip_prefix("http://").unwrap().to_string();
    // Headers announcing 8 MB, and no body sent: the answer comes at once.
    for (auth, code_) in [("", "missing_token"), ("Authorization: Bearer not-a-token\r\n", "bad_token")] {
        let head = format!(
            "POST /api/v1/push HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 8000000\r\n{auth}\r\n"
        );
        let (answer, took) = raw(&srv.base, &head, Duration::from_secs(10));
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer:?} after {took:?}");
        assert!(answer.contains(code_), "{answer}");
        assert!(took < Duration::from_secs(5), "{took:?}");
    }
    // With a good token, a body declared over the limit is refused with a clear code, unread (on a
    // raw connection: a client still sending a body the server will not read may see the
    // connection reset before the answer); one within it is stored.
    let token = srv.token("ana@example.cn", "correct horse");
    let head = format!(
        "POST /api/v1/push HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nAuthorization: Bearer {token}\r\n\r\n",
        satchel_server::http::BODY_LIMIT + 1
    );
    let (answer, _) = raw(&srv.base, &head, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:?}");
    let body: ApiError = serde_json::from_str(&answer[answer.find("\r\n\r\n").unwrap() + 4..]).unwrap();
    assert_eq!(body.code, "too_large");
    assert!(body.message.contains("at most 8 MB"), "{}", body.message);
    let hlc = (now_ms() << 16) + 1;
    let change = json!({"hlc": hlc, "site": "s1", "table": "customers", "row": "r1", "column": "name", "value": "王", "entity": "r1"});
    let pushed = srv.call("POST", "/api/v1/push", Some(&token), Some(json!({"changes": [change]})));
    assert_eq!((pushed.0, pushed.1["stored"].as_u64()), (200, Some(1)), "{:?}", pushed.1);
}

// ---- 5. Timeouts ----

/// Reads from `tcp` until the server closes the connection (or `limit` passes); how long it took
/// and what came.
fn until_closed(tcp: &mut std::net::TcpStream, limit: Duration) -> (Duration, String) {
    let start = Instant::now();
    tcp.set_read_timeout(Some(limit)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match tcp.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return (limit, String::from_utf8_lossy(&got).into_owned());
            }
            Err(_) => break,
        }
        if start.elapsed() >= limit {
            break;
        }
    }
    (start.elapsed(), String::from_utf8_lossy(&got).into_owned())
}

/// A client that opens a connection and sends half a request's headers (or nothing more after a
/// request) is disconnected after the header timeout, instead of holding a connection for ever;
/// one that sends its request in time is served.
#[test]
fn a_connection_without_a_whole_request_is_closed_after_the_header_timeout() {
    let db = sqlite();
    let srv = db.serve(&[], &[("SATCHEL_SERVER_HEADER_TIMEOUT_MS", "500")]);
    let addr = srv.base.strip_prefix("http://").unwrap().to_string();

    let mut half = std::net::TcpStream::connect(&addr).unwrap();
    half.write_all(format!("GET /health HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ").as_bytes()).unwrap();
    let (took, _) = until_closed(&mut half, Duration::from_secs(10));
    assert!(took >= Duration::from_millis(400) && took < Duration::from_secs(5), "closed after {took:?}");

    let mut silent = std::net::TcpStream::connect(&addr).unwrap();
    let (took, got) = until_closed(&mut silent, Duration::from_secs(10));
    assert!(took < Duration::from_secs(5), "a connection that sends nothing is closed too, after {took:?}");
    assert!(!got.contains("200 OK"), "{got}");

    // Served in time; then idle (kept alive, no next request): closed after the timeout as well.
    let mut idle = std::net::TcpStream::connect(&addr).unwrap();
    idle.write_all(format!("GET /health HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes()).unwrap();
    let (took, got) = until_closed(&mut idle, Duration::from_secs(10));
    assert!(got.starts_with("HTTP/1.1 200 OK") && got.ends_with("ok"), "{got:?}");
    assert!(took < Duration::from_secs(5), "an idle connection is closed after {took:?}");
}

// ---- 7. The audit trail and the log ----

fn the_audit_trail_and_the_log_say_who_did_what_and_never_a_password_or_token(db: &Db) {
    db.add_user("ana@example.cn", "sales", "correct horse");
    db.add_user("mo@example.cn", "sales", "battery staple");
    let log_dir = tempfile::tempdir().unwrap();
    let log_file = log_dir.path().join("server.log");
    let srv = db.serve_logging_to(&[], &[("SATCHEL_LOG", "info")], Stdio::from(std::fs::File::create(&log_file).unwrap()));
    let ana = srv.token("ana@example.cn", "correct horse");
    assert_eq!(srv.login("ana@example.cn", "wrong horse").0, 401);
    let hlc = (now_ms() << 16) + 1;
    let change =
        json!({"hlc": hlc, "site": "site-ana", "table": "customers", "row": "r1", "column": "name", "value": "王", "entity": "r1"});
    assert_eq!(srv.call("POST", "/api/v1/push", Some(&ana), Some(json!({"changes": [change.clone()]}))).0, 200);
    let mo = srv.token("mo@example.cn", "battery staple");
    // Mo pushes as Ana's device: refused.
    let refused = srv.call("POST", "/api/v1/push", Some(&mo), Some(json!({"changes": [change]})));
    assert_eq!(refused.0, 403);
    for args in [&["user", "role", "mo@example.cn", "manager"][..], &["user", "disable", "mo@example.cn"]] {
        assert_eq!(db.run(args, "").0, 0);
    }
    let ana_id =
        db.run(&["token", "list"], "").1.lines().find(|l| l.contains("ana@example.cn")).unwrap().split('\t').next().unwrap().to_string();
    assert_eq!(db.run(&["token", "revoke", &ana_id], "").0, 0);
    let out = srv.call("POST", "/api/v1/logout", Some(&mo), None);
    assert_eq!(out.0, 204);

    let (code_, trail, err) = db.run(&["audit"], "");
    assert_eq!(code_, 0, "{err}");
    let lines: Vec<Vec<&str>> = trail.lines().map(|l| l.split('\t').collect()).collect();
    assert!(lines.iter().all(|l| l.len() == 5 && l[0].ends_with('Z')), "time, actor, action, subject, detail: {trail}");
    let actions: Vec<(&str, &str, &str)> = lines.iter().map(|l| (l[1], l[2], l[3])).collect();
    let cli = format!("cli:{}", std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "?".into()));
    assert_eq!(
        actions,
        [
            ("mo@example.cn", "logout", "test laptop"),
            (cli.as_str(), "token_revoke", "ana@example.cn"),
            (cli.as_str(), "disable", "mo@example.cn"),
            (cli.as_str(), "role", "mo@example.cn"),
            ("mo@example.cn", "push_refused", "test laptop"),
            ("mo@example.cn", "login", "mo@example.cn"),
            ("ana@example.cn", "login_failed", "ana@example.cn"),
            ("ana@example.cn", "login", "ana@example.cn"),
        ],
        "newest first: {trail}"
    );
    assert!(lines[3][4] == "sales -> manager", "{trail}");
    assert!(lines[4][4].contains("belongs to another account"), "{trail}");
    assert!(lines[6][4].starts_with("bad_credentials from 127.0.0.1"), "{trail}");
    let (_, newest, _) = db.run(&["audit", "--limit", "2"], "");
    assert_eq!(newest.lines().collect::<Vec<_>>(), trail.lines().take(2).collect::<Vec<_>>());

    // One line per request: method, path, user when known, status, duration; no secret.
    drop(srv);
    let log = std::fs::read_to_string(&log_file).unwrap();
    let requests: Vec<&str> = log.lines().filter(|l| l.contains(" /api/v1/")).filter(|l| l.ends_with(" ms")).collect();
    assert_eq!(requests.len(), 6, "{log}");
    for (want, line) in [
        ("POST /api/v1/login ana@example.cn 200 ", requests[0]),
        ("POST /api/v1/login - 401 ", requests[1]),
        ("POST /api/v1/push ana@example.cn 200 ", requests[2]),
        ("POST /api/v1/push mo@example.cn 403 ", requests[4]),
        ("POST /api/v1/logout mo@example.cn 204 ", requests[5]),
    ] {
        assert!(line.contains(want), "{want:?} in {line:?}");
    }
    for secret in [ana.as_str(), mo.as_str(), "correct horse", "battery staple", "wrong horse"] {
        assert!(!log.contains(secret), "the log holds a secret: {log}");
    }
}
