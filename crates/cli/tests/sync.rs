//! `satchel sync` as a script runs it, against a real satchel-server on 127.0.0.1: log in once,
//! the token kept for later runs, a non-zero exit status on failure, and a sync killed while it
//! applies pages that picks up where it stopped without applying anything twice.

mod common;

use common::{count, server};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// `satchel --db DB ARGS` with the token kept in a file: these tests look at that file; the
/// secret store has its own test (keyring.rs).
fn satchel(db: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    common::satchel_with(db, args, stdin, &[("SATCHEL_TOKEN_STORE", "file")])
}

#[test]
fn sync_logs_in_once_keeps_the_token_and_fails_loudly() {
    let srv = server();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    assert_eq!(satchel(&a, &["demo-data", "--customers", "300"], "").0, 0);

    let (code, out, err) = satchel(&a, &["sync", "--server", &srv.base], "");
    assert_eq!(code, 2, "never logged in: {out}{err}");
    assert!(err.contains("--email"), "{err}");
    let (code, _, err) = satchel(&a, &["sync", "--server", &srv.base, "--email", "ana@example.cn", "--password-stdin"], "wrong one\n");
    assert_eq!(code, 1);
    assert!(err.contains("Log in to the server again"), "{err}");
    let (code, out, err) = satchel(&a, &["sync", "--server", &srv.base, "--email", "ana@example.cn", "--password-stdin"], "long enough\n");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("logged in to") && out.contains("pushed"), "{out}{err}");
    // The token stays for the next run, readable by this user only.
    let token = dir.path().join("a.db.sync-token");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&token).unwrap().permissions().mode() & 0o777, 0o600);
    let (code, out, err) = satchel(&a, &["sync"], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("pushed 0 changes"), "{out}");

    let (code, _, err) = satchel(&b, &["sync", "--server", &srv.base, "--email", "bo@example.cn", "--password-stdin"], "long enough\n");
    assert_eq!(code, 0, "{err}");
    assert_eq!(count(&b, "SELECT count(*) FROM customers WHERE deleted_at IS NULL"), 300);

    // Plain HTTP to another machine is refused before anything is sent.
    let (code, _, err) =
        satchel(&b, &["sync", "--server", "http://192.0.2.7:7878", "--email", "bo@example.cn", "--password-stdin"], "long enough\n");
    assert_eq!(code, 1);
    assert!(err.contains("https://"), "{err}");
    // A server that is gone: exit status 1 and the reason.
    let gone = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let (code, _, err) =
        satchel(&b, &["sync", "--server", &format!("http://{gone}"), "--email", "bo@example.cn", "--password-stdin"], "x\n");
    assert_eq!(code, 1);
    assert!(err.contains("Offline"), "{err}");
}

#[test]
fn a_sync_killed_while_applying_pages_carries_on_and_applies_nothing_twice() {
    let srv = server();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    // Customers only: the count of changes below compares both logs, and a column written twice
    // in a's history (a demo quote's status: draft, then sent) may reach b newest first, so b
    // never logs the older value (its data still ends equal).
    let only = ["--opportunities", "0", "--quotes", "0", "--events", "0", "--series", "0", "--tickets", "0", "--articles", "0"];
    assert_eq!(satchel(&a, &[&["demo-data", "--customers", "4000"][..], &only].concat(), "").0, 0);
    let login = ["--server", &srv.base, "--email", "ana@example.cn", "--password-stdin"];
    let (code, _, err) = satchel(&a, &[&["sync"][..], &login].concat(), "long enough\n");
    assert_eq!(code, 0, "{err}");

    // Kill b's sync without warning each time it has applied another page (and a moment more,
    // so the kill lands anywhere in the next one), until a run gets through.
    let pulled = |db: &Path| -> i64 {
        rusqlite::Connection::open(db)
            .and_then(|c| {
                c.query_row("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sync.pulled'), 0)", [], |r| r.get(0))
            })
            .unwrap_or(0)
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--db")
        .arg(&b)
        .args(["sync", "--server", &srv.base, "--email", "bo@example.cn", "--password-stdin"])
        .env("SATCHEL_TOKEN_STORE", "file")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"long enough\n").unwrap();
    let mut kills = 0;
    let mut jitter = satchel_core::demo::Rng::new(5);
    loop {
        let before = pulled(&b);
        let finished = loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success());
                break true;
            }
            if pulled(&b) > before {
                break false;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        if finished {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(jitter.below(60) as u64));
        if child.try_wait().unwrap().is_some() {
            break;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        child = Command::new(env!("CARGO_BIN_EXE_satchel"))
            .arg("--db")
            .arg(&b)
            .arg("sync")
            .env("SATCHEL_TOKEN_STORE", "file")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
    }
    assert!(kills >= 1, "the sync was killed at least once midway");
    let (code, _, err) = satchel(&b, &["sync"], "");
    assert_eq!(code, 0, "{err}");
    assert_eq!(count(&b, "SELECT count(*) FROM customers WHERE deleted_at IS NULL"), 4000);
    let dup = "SELECT count(*) FROM (SELECT 1 FROM column_changes GROUP BY site_id, hlc, tbl, row_id, col HAVING count(*) > 1)";
    assert_eq!(count(&b, dup), 0, "no change applied twice");
    // Every column change, as the store reads them back: `a` created the records, and its own
    // inserts keep their values in the rows rather than in the log's view.
    let all = |db: &std::path::Path| {
        let store = satchel_core::store::Store::open(db, satchel_core::store::Profile { author: "t".into(), device: "t".into() }).unwrap();
        store.changes_since(0, u32::MAX).unwrap().len()
    };
    assert_eq!(all(&b), all(&a), "every change arrived, once");
    assert!(all(&a) > 4000 * 5, "the count covers the records' columns");
}
