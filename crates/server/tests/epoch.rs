//! A server restored from a backup (issue 14), with the real binary: `backup --out` while it
//! serves, `restore FILE` once it is stopped, and the laptops notice the new epoch, push what the
//! server lost and pull everything again, losing and doubling nothing.

mod common;

use common::*;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::sync;
use std::path::Path;
use std::process::{Child, Command, Output};

fn person(name: &str) -> CustomerInput {
    CustomerInput::named(CustomerKind::Person, name)
}

/// `satchel-server --data DIR ARGS...`.
fn run(data: &Path, args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_satchel-server")).arg("--data").arg(data).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn stop(mut child: Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

fn login(l: &Laptop, base: &str, email: &str) {
    sync::login(&l.app, base, email, "long enough").unwrap();
}

fn rename(l: &Laptop, id: &satchel_core::ids::CustomerId, name: &str) {
    let mut edit = l.app.customers().get(id).unwrap().to_input();
    edit.name = name.into();
    l.app.customers().update(id, &edit).unwrap();
}

fn meta(data: &Path, key: &str) -> Option<String> {
    let c = rusqlite::Connection::open(satchel_server::sqlite::SqliteStorage::file(data)).unwrap();
    c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).ok()
}

/// The real server on the port it had before (the laptops keep its address), tried for a while
/// in case the old one's socket lingers.
fn restart(data: &Path, base: &str) -> Child {
    let listen = base.strip_prefix("http://").unwrap();
    for _ in 0..50 {
        let (child, again) = start_server_binary(data, listen, &[]);
        if again == base {
            return child;
        }
        stop(child);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("cannot serve on {listen} again");
}

#[test]
fn laptops_give_a_restored_server_back_what_it_lost_and_agree_again() {
    let data = tempfile::tempdir().unwrap();
    add_user_with_binary(data.path(), "ana@example.cn", "sales");
    add_user_with_binary(data.path(), "bo@example.cn", "sales");
    let (server, base) = start_server_binary(data.path(), "127.0.0.1:0", &[]);
    let (a, b) = (laptop("ana"), laptop("bo"));
    login(&a, &base, "ana@example.cn");
    login(&b, &base, "bo@example.cn");
    let wang = a.app.customers().create(&person("王小明")).unwrap();
    b.app.customers().create(&person("Bao")).unwrap();
    a.sync();
    b.sync();
    a.sync();
    let epoch = meta(data.path(), "epoch").expect("the server has an epoch");
    assert_eq!(a.app.store().meta(sync::EPOCH).unwrap(), Some(epoch.clone()), "the laptop keeps the epoch it synced with");

    // The operator backs up while the server serves.
    let file = data.path().join("monday.backup");
    let out = run(data.path(), &["backup".as_ref(), "--out".as_ref(), file.as_os_str()]);
    assert!(out.status.success(), "backup failed: {}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        format!(
            "backed up {} to {} ({} bytes)",
            satchel_server::sqlite::SqliteStorage::file(data.path()).display(),
            file.display(),
            std::fs::metadata(&file).unwrap().len()
        )
    );
    #[cfg(unix)]
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).unwrap().permissions()) & 0o777, 0o600);

    // More work after the backup, synced everywhere.
    rename(&a, &wang.id, "王小明 (later)");
    a.app.customers().create(&person("Carla")).unwrap();
    let dan = b.app.customers().create(&person("Dan")).unwrap();
    a.sync();
    b.sync();
    a.sync();
    let before_restore = server_changes(data.path());
    assert_eq!(before_restore as usize, own_changes(&a.app) + own_changes(&b.app));
    stop(server);

    let out = run(data.path(), &["restore".as_ref(), file.as_os_str()]);
    assert!(out.status.success(), "restore failed: {}", text(&out.stderr));
    let said = text(&out.stdout);
    let new_epoch = meta(data.path(), "epoch").unwrap();
    assert_ne!(new_epoch, epoch, "the restored server has a new epoch");
    assert!(said.contains(&format!("new epoch {new_epoch}: ")), "{said}");
    assert!(said.contains("the replaced database is kept as "), "{said}");
    let kept: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("satchel-server.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(server_changes(data.path()) < before_restore, "the restored server lacks the later changes");

    let server = restart(data.path(), &base);
    for _ in 0..2 {
        a.sync();
        b.sync();
    }
    assert_eq!(a.app.store().meta(sync::EPOCH).unwrap(), Some(new_epoch.clone()));
    assert_eq!(contents(&a.app), contents(&b.app), "both laptops hold the same");
    assert!(applied_once(&a.app) && applied_once(&b.app), "nothing applied twice");
    assert_eq!(
        server_changes(data.path()) as usize,
        own_changes(&a.app) + own_changes(&b.app),
        "the server holds every change of both laptops, once"
    );
    assert_eq!(sync::pending(&a.app).unwrap(), 0);
    assert_eq!(sync::pending(&b.app).unwrap(), 0);

    // Work goes on: a new edit on either laptop reaches the other.
    a.app.customers().create(&person("Eve")).unwrap();
    rename(&b, &dan.id, "Dan (after the restore)");
    a.sync();
    b.sync();
    a.sync();
    assert_eq!(b.names(), vec!["Bao", "Carla", "Dan (after the restore)", "Eve", "王小明 (later)"]);
    assert_eq!(contents(&a.app), contents(&b.app));
    assert!(applied_once(&a.app) && applied_once(&b.app));
    stop(server);
}

#[test]
fn restore_is_refused_while_the_server_serves_and_for_a_file_that_is_no_server_backup() {
    let data = tempfile::tempdir().unwrap();
    add_user_with_binary(data.path(), "ana@example.cn", "sales");
    let file = data.path().join("backup.db");
    assert!(run(data.path(), &["backup".as_ref(), "--out".as_ref(), file.as_os_str()]).status.success());
    let epoch = meta(data.path(), "epoch").unwrap();

    let (server, _) = start_server_binary(data.path(), "127.0.0.1:0", &[]);
    let out = run(data.path(), &["restore".as_ref(), file.as_os_str()]);
    assert!(!out.status.success(), "a restore while serving must be refused");
    assert!(text(&out.stderr).starts_with("satchel-server: a satchel-server is serving "), "{}", text(&out.stderr));
    assert_eq!(meta(data.path(), "epoch").unwrap(), epoch, "the database is as it was");
    // The admin commands still work beside the server.
    assert!(run(data.path(), &["user".as_ref(), "list".as_ref()]).status.success());
    stop(server);

    // A laptop's book, and a text file, are not server backups.
    let book = laptop("ana");
    drop(book.app);
    for not_backup in [book.dir.path().join("satchel.db"), {
        let t = data.path().join("notes.txt");
        std::fs::write(&t, "not a database").unwrap();
        t
    }] {
        let out = run(data.path(), &["restore".as_ref(), not_backup.as_os_str()]);
        assert!(!out.status.success());
        assert!(text(&out.stderr).contains("is not a satchel-server database"), "{}", text(&out.stderr));
    }
    assert_eq!(meta(data.path(), "epoch").unwrap(), epoch);

    // Stopped, the same restore goes through.
    let out = run(data.path(), &["restore".as_ref(), file.as_os_str()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_ne!(meta(data.path(), "epoch").unwrap(), epoch);
}

#[test]
fn backup_refuses_a_file_that_exists_and_leaves_it_alone() {
    let data = tempfile::tempdir().unwrap();
    add_user_with_binary(data.path(), "ana@example.cn", "sales");
    let file = data.path().join("keep-me.db");
    std::fs::write(&file, "yesterday's backup").unwrap();
    let out = run(data.path(), &["backup".as_ref(), "--out".as_ref(), file.as_os_str()]);
    assert!(!out.status.success());
    assert_eq!(text(&out.stderr).trim(), format!("satchel-server: {} already exists; give the backup a new file name", file.display()));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "yesterday's backup");
    assert!(!data.path().join("keep-me.db.partial").exists());
}

#[test]
fn new_epoch_makes_laptops_push_and_pull_everything_again() {
    let data = tempfile::tempdir().unwrap();
    add_user_with_binary(data.path(), "ana@example.cn", "sales");
    let (server, base) = start_server_binary(data.path(), "127.0.0.1:0", &[]);
    let a = laptop("ana");
    login(&a, &base, "ana@example.cn");
    a.app.customers().create(&person("王小明")).unwrap();
    a.sync();
    let pushed = own_changes(&a.app) as u32;
    let out = run(data.path(), &["new-epoch".as_ref()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let epoch = meta(data.path(), "epoch").unwrap();
    assert_eq!(
        text(&out.stdout).trim(),
        format!("new epoch {epoch}: each laptop pushes what the server lacks and pulls everything again at its next sync")
    );
    // The running server answers with it at once.
    let report = a.sync();
    assert_eq!(report.pushed, pushed, "everything pushed again");
    assert_eq!(report.applied, 0, "and nothing pulled back changed anything");
    assert_eq!(a.app.store().meta(sync::EPOCH).unwrap(), Some(epoch));
    assert_eq!(server_changes(data.path()) as usize, own_changes(&a.app), "each change still stored once");
    stop(server);
}
