//! The CLI's log (issue 14): every run appends to `<database folder>/logs/satchel.log`, a failure
//! leaves its details there and its message names the file, `--verbose` prints the log's lines on
//! standard error, and standard output stays exactly what scripts read.

mod common;

use std::path::{Path, PathBuf};

fn satchel(db: &Path, args: &[&str]) -> (i32, String, String) {
    common::satchel_with(db, args, "", &[("SATCHEL_TOKEN_STORE", "file")])
}

fn log_of(db: &Path) -> PathBuf {
    db.parent().unwrap().join("logs").join("satchel.log")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn a_failing_command_leaves_its_details_in_the_log_and_the_message_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let log = log_of(&db);
    let missing = dir.path().join("missing.csv");

    // An error whose details are only in the log: the message says where, in either language.
    let (code, out, err) = satchel(&db, &["import", missing.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains(&format!("Details are in the log: {}", log.display())), "{err}");
    let text = read(&log);
    let line = text.lines().find(|l| l.contains(" ERROR ")).unwrap_or_else(|| panic!("no error logged: {text}"));
    assert!(line.contains(&format!("import {}", missing.display())) && line.contains("No such file"), "{line}");
    let (code, _, err) = common::satchel_with(&db, &["import", missing.to_str().unwrap()], "", &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("详情见日志：{}", log.display())), "{err}");

    // A damaged book is refused at open, and why is logged beside it.
    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, vec![7u8; 8192]).unwrap();
    let (code, _, err) = satchel(&damaged, &["customers", "count"]);
    assert_eq!(code, 1);
    assert!(err.contains("damaged"), "{err}");
    assert!(read(&log).lines().any(|l| l.contains(" ERROR ") && l.contains("damaged.db is not a Satchel database")), "{}", read(&log));

    // A sync to a server nobody answers on logs why, and never the password it was given.
    let (code, _, err) = common::satchel_with(
        &db,
        &["sync", "--server", "http://127.0.0.1:1", "--email", "ana@example.cn", "--password-stdin"],
        "hunter2 secret\n",
        &[],
    );
    assert_eq!(code, 1, "{err}");
    let text = read(&log);
    assert!(text.lines().any(|l| l.contains(" WARN ") && l.contains("sync failed: server unreachable")), "{text}");
    assert!(!text.contains("hunter2"), "the password reached the log: {text}");

    // A first run on a book in a new folder logs there too; a backup of a mistyped path makes
    // no folder for it.
    let fresh = dir.path().join("new").join("folder").join("fresh.db");
    assert_eq!(satchel(&fresh, &["customers", "count"]).1, "0\n");
    assert!(read(&log_of(&fresh)).contains(" customers: "), "{}", read(&log_of(&fresh)));
    let typo = dir.path().join("typo").join("book.db");
    let (code, _, err) = satchel(&typo, &["backup", "--out", dir.path().join("copy.db").to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(!dir.path().join("typo").exists());

    // Only its owner can read the log.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(log.parent().unwrap()), mode(&log)), (0o700, 0o600));
    }
}

#[test]
fn a_refused_login_and_a_sync_keep_the_password_and_the_token_out_of_the_log() {
    let srv = common::server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    assert_eq!(satchel(&db, &["demo-data", "--customers", "20"]).0, 0);
    let login = ["sync", "--verbose", "--server", &srv.base, "--email", "ana@example.cn", "--password-stdin"];
    let (code, _, err) =
        common::satchel_with(&db, &login, "not the password\n", &[("SATCHEL_TOKEN_STORE", "file"), ("SATCHEL_LOG", "debug")]);
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = common::satchel_with(&db, &login, "long enough\n", &[("SATCHEL_TOKEN_STORE", "file"), ("SATCHEL_LOG", "debug")]);
    assert_eq!(code, 0, "{err}");
    let token = std::fs::read_to_string(dir.path().join("a.db.sync-token")).unwrap();
    let text = read(&log_of(&db));
    assert!(text.contains("sync failed: not logged in"), "{text}");
    for secret in ["not the password", "long enough", token.trim()] {
        assert!(!text.contains(secret) && !err.contains(secret), "{secret:?} was logged: {text}{err}");
    }
}

#[test]
fn verbose_prints_the_log_on_stderr_and_leaves_stdout_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (code, out, _) = satchel(&db, &["demo-data", "--customers", "30", "--seed", "3"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("created 30 demo customers"), "{out}");
    for args in [&["customers", "count"][..], &["search", "example", "--limit", "50"], &["export", "--format", "csv"]] {
        let (code, quiet_out, quiet_err) = satchel(&db, args);
        assert_eq!(code, 0, "{quiet_err}");
        assert!(!quiet_err.contains(" INFO "), "no log lines without --verbose: {quiet_err}");
        let mut verbose: Vec<&str> = vec!["--verbose"];
        verbose.extend(args);
        let (code, loud_out, loud_err) = satchel(&db, &verbose);
        assert_eq!(code, 0, "{loud_err}");
        assert_eq!(loud_out, quiet_out, "{args:?}: standard output is the same with --verbose");
        let name = if args[0] == "customers" { "customers" } else { args[0] };
        assert!(loud_err.contains(&format!(" INFO  satchel: satchel {} {name}: ", env!("CARGO_PKG_VERSION"))), "{loud_err}");
        // What it printed is what the file got.
        let file = read(&log_of(&db));
        for line in loud_err.lines().filter(|l| l.contains(" INFO ")) {
            assert!(file.contains(line), "{line} is in the file");
        }
    }
    // The flag goes after the command too, and SATCHEL_LOG=warn leaves a quiet run out of the file.
    assert_eq!(satchel(&db, &["customers", "count", "--verbose"]).1, "30\n");
    let before = read(&log_of(&db));
    let (_, out, err) = common::satchel_with(&db, &["customers", "count", "--verbose"], "", &[("SATCHEL_LOG", "warn")]);
    assert_eq!((out.as_str(), err.as_str()), ("30\n", ""));
    assert_eq!(read(&log_of(&db)), before);
}
