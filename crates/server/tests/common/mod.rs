//! Shared by the sync tests: a real server on 127.0.0.1 and laptops with real databases.
#![allow(dead_code)]

use satchel_core::store::Profile;
use satchel_core::sync;
use satchel_core::Satchel;
use satchel_server::http::{router, AppState};
use satchel_server::sqlite::SqliteStorage;
use satchel_server::storage::{Role, Storage};
use std::sync::Arc;

pub struct Server {
    pub base: String,
    pub dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

/// A server with accounts (email, role, team), all with the password "long enough".
pub fn server(users: &[(&str, Role, &str)]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteStorage::init(dir.path()).unwrap();
    // A cheap hash keeps the test fast; login verifies it the same way as an argon2id one.
    let hash = satchel_server::hash_password("long enough").unwrap();
    for (email, role, team) in users {
        storage.add_user(email, *role, team, &hash).unwrap();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(async move { axum::serve(listener, router(AppState { storage: Arc::new(storage) })).await.unwrap() });
    Server { base, dir, _runtime: runtime }
}

pub struct Laptop {
    pub app: Satchel,
    pub dir: tempfile::TempDir,
}

/// Device tokens in files for this test process: the tests look at the token file, and must not
/// fill the developer's own keyring when run in a desktop session. The secret store has its own
/// test, through the CLI on a private bus (crates/cli/tests/keyring.rs).
pub fn file_tokens() {
    static FILE_TOKENS: std::sync::Once = std::sync::Once::new();
    FILE_TOKENS.call_once(|| std::env::set_var("SATCHEL_TOKEN_STORE", "file"));
}

pub fn laptop(who: &str) -> Laptop {
    file_tokens();
    let dir = tempfile::tempdir().unwrap();
    let app = Satchel::open(dir.path().join("satchel.db"), Profile { author: who.into(), device: format!("{who}-laptop") }).unwrap();
    Laptop { app, dir }
}

impl Laptop {
    pub fn login(&self, server: &Server, email: &str) {
        sync::login(&self.app, &server.base, email, "long enough").unwrap();
    }

    pub fn sync(&self) -> sync::SyncReport {
        let mut remote = sync::remote_for(&self.app).unwrap();
        sync::sync_once(&self.app, &mut remote, &mut |_| {}).unwrap()
    }

    /// The live customers' names as the list shows them (its total agrees with the database).
    pub fn names(&self) -> Vec<String> {
        let names: Vec<String> = self
            .app
            .store()
            .read(|c| {
                Ok(c.prepare("SELECT name FROM customers WHERE deleted_at IS NULL AND name <> '' ORDER BY name")?
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<_, _>>()?)
            })
            .unwrap();
        let listed = self.app.customers().list(&satchel_core::customers::ListQuery { limit: 10, ..Default::default() }).total;
        assert_eq!(listed as usize, names.len(), "the list (in-memory index) shows what the database holds");
        names
    }
}

/// Every synced row's columns (not the local bookkeeping), for comparing laptops.
pub fn contents(app: &Satchel) -> Vec<String> {
    app.store()
        .read(|c| {
            let mut out = Vec::new();
            for t in satchel_core::store::schema::SYNCED_TABLES.iter() {
                let mut st = c.prepare(&format!("SELECT id, {} FROM {} ORDER BY id", t.columns.join(", "), t.name))?;
                let mut rows = st.query([])?;
                while let Some(r) = rows.next()? {
                    let mut line = format!("{}:{}", t.name, r.get::<_, String>(0)?);
                    for i in 0..t.columns.len() {
                        line.push_str(&format!("|{:?}", r.get::<_, rusqlite::types::Value>(i + 1)?));
                    }
                    out.push(line);
                }
            }
            Ok(out)
        })
        .unwrap()
}

/// Whether every change that came from elsewhere is in the laptop's log once (nothing applied
/// twice).
pub fn applied_once(app: &Satchel) -> bool {
    app.store().remote_changes_applied_twice().unwrap() == 0
}

/// How many column changes the server holds (each stored once).
pub fn server_changes(dir: &std::path::Path) -> i64 {
    let c = rusqlite::Connection::open(SqliteStorage::file(dir)).unwrap();
    c.query_row("SELECT count(*) FROM changes", [], |r| r.get(0)).unwrap()
}

/// This laptop's own column changes (what the server must end up holding from it).
pub fn own_changes(app: &Satchel) -> usize {
    // Batch by batch: a batch is cut by size too.
    let (mut after, mut n) = (0, 0);
    loop {
        let batch = app.store().own_changes_after(after, u32::MAX, u32::MAX).unwrap();
        let Some(last) = batch.last else { return n };
        n += batch.changes.len();
        after = last;
    }
}

/// Adds an account with the real binary, as an operator would (password "long enough").
pub fn add_user_with_binary(data: &std::path::Path, email: &str, role: &str) {
    use std::io::Write;
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_satchel-server"))
        .arg("--data")
        .arg(data)
        .args(["user", "add", email, "--role", role, "--team", "East", "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(b"long enough\n").unwrap();
    assert!(c.wait().unwrap().success());
}

/// The real server binary serving `data` on `listen` with extra arguments; returns the child and
/// the address it printed (`http://...` or `https://...`).
pub fn start_server_binary(data: &std::path::Path, listen: &str, extra: &[&std::ffi::OsStr]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_satchel-server"))
        .arg("--data")
        .arg(data)
        .args(["serve", "--listen", listen])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("satchel-server said {line:?}")).to_string();
    (child, base)
}

/// Stops a server started by [`server`] as an operator stops the process: its runtime goes, and
/// with it the listener, the open connections and the database's. Returns its data directory
/// (still there) and address, for [`serve_again`].
pub fn stop_server(server: Server) -> (tempfile::TempDir, String) {
    let Server { base, dir, _runtime } = server;
    // Dropping the runtime waits for its threads, so nothing holds the database afterwards.
    drop(_runtime);
    (dir, base)
}

/// Serves the data directory `dir` again, in this process, at the address `base` it had before
/// (the laptops keep the server's address). The listener sets SO_REUSEADDR (tokio on Unix), so
/// the old connections' TIME_WAIT does not hold the port.
pub fn serve_again(dir: tempfile::TempDir, base: &str) -> Server {
    let storage = SqliteStorage::open(dir.path()).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let addr = base.strip_prefix("http://").unwrap_or_else(|| panic!("not an http address: {base}"));
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr)).unwrap_or_else(|e| panic!("cannot serve on {addr} again: {e}"));
    runtime.spawn(async move { axum::serve(listener, router(AppState { storage: Arc::new(storage) })).await.unwrap() });
    Server { base: base.to_string(), dir, _runtime: runtime }
}
