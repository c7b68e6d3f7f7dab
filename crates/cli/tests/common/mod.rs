//! What the CLI's integration tests share: running the binary, a real server, counting rows.
#![allow(dead_code)]

use satchel_server::http::{router, AppState};
use satchel_server::sqlite::SqliteStorage;
use satchel_server::storage::{Role, Storage};
use std::path::Path;
use std::process::Command;

#[path = "../../../server/tests/support/output.rs"]
mod output;
use std::sync::Arc;

/// Runs `satchel --db DB ARGS` with `stdin`, in English, with `env` added; returns the exit
/// status, standard output and standard error.
pub fn satchel_with(db: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> (i32, String, String) {
    output::run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_satchel")).arg("--db").arg(db).args(args).env("LANG", "en_US.UTF-8").envs(env.iter().copied()),
        stdin,
    )
}

pub struct Server {
    pub base: String,
    _dir: tempfile::TempDir,
    _rt: tokio::runtime::Runtime,
}

/// A real satchel-server on 127.0.0.1 (SQLite storage in a temp dir) with two salespeople,
/// ana@example.cn and bo@example.cn, password "long enough".
pub fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteStorage::init(dir.path()).unwrap();
    let hash = satchel_server::hash_password("long enough").unwrap();
    for email in ["ana@example.cn", "bo@example.cn"] {
        storage.add_user(email, Role::Sales, "East", &hash).unwrap();
    }
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(async move { axum::serve(listener, router(AppState { storage: Arc::new(storage) })).await.unwrap() });
    Server { base, _dir: dir, _rt: rt }
}

pub fn count(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}
