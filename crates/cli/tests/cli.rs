//! The `satchel` binary as a script runs it: real files, exit codes, what it prints.

use std::process::Command;

fn satchel(db: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_satchel")).arg("--db").arg(db).args(args).env("LANG", "en_US.UTF-8").output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn export_then_import_into_another_database_carries_every_customer() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    assert_eq!(satchel(&a, &["demo-data", "--customers", "200", "--seed", "7"]).0, 0);
    for (format, file) in [("csv", "book.csv"), ("vcard", "book.vcf")] {
        let path = dir.path().join(file);
        let (code, _, err) = satchel(&a, &["export", "--format", format, "--out", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("exported 200 customers"), "{err}");
        let (code, out, err) = satchel(&b, &["import", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        // The second import (vCard after CSV) finds the same ids and updates instead of duplicating.
        let want = if format == "csv" { "imported 200 new, 0 updated" } else { "0 new" };
        assert!(out.contains(want), "{format}: {out}");
    }
    let (_, out, _) = satchel(&b, &["search", "example", "--limit", "500"]);
    let (_, out_a, _) = satchel(&a, &["search", "example", "--limit", "500"]);
    assert_eq!(out.lines().count(), out_a.lines().count());
}

#[test]
fn refused_rows_are_printed_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "name,email\nGood,good@example.com\nBad,not-an-email\n").unwrap();
    let (code, out, err) = satchel(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("row 3, column \"email\": Email 1: is not a valid email"), "{out}");
    assert!(err.contains("nothing imported"), "{err}");
    let (_, found, _) = satchel(&db, &["search", "Good"]);
    assert!(found.trim().is_empty(), "nothing was written: {found}");
    let (code, out, _) = satchel(&db, &["import", file.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(code, 1, "rows were still refused");
    assert!(out.contains("imported 1 new, 0 updated, 1 refused"), "{out}");
    let gbk = dir.path().join("gbk.csv");
    std::fs::write(&gbk, b"\xd0\xd5\xc3\xfb\n\xcd\xf5\n").unwrap(); // 姓名 / 王 in GBK
    assert_eq!(satchel(&db, &["import", gbk.to_str().unwrap(), "--encoding", "klingon"]).0, 2);
    let (code, _, err) = satchel(&db, &["import", gbk.to_str().unwrap(), "--encoding", "utf-8"]);
    assert_eq!(code, 1);
    assert!(err.contains("not valid UTF-8"), "{err}");
}

#[test]
fn several_vcard_files_import_in_one_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let card = |name: &str| format!("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nTEL;TYPE=CELL:13800138000\r\nEND:VCARD\r\n");
    let files: Vec<_> = ["王小明", "李娜", "Ann Lee"]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let p = dir.path().join(format!("{i}.vcf"));
            std::fs::write(&p, card(n)).unwrap();
            p
        })
        .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(|p| p.to_str().unwrap()));
    let (code, out, err) = satchel(&db, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("imported 1 new").count(), 3, "{out}");
    let (_, found, _) = satchel(&db, &["search", "13800138000"]);
    assert_eq!(found.lines().count(), 3);
}

#[test]
fn the_customers_group_answers_as_the_top_level_commands_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.db");
    assert_eq!(satchel(&db, &["demo-data", "--customers", "50", "--seed", "3"]).0, 0);
    let (code, out, err) = satchel(&db, &["customers", "count"]);
    assert_eq!((code, out.trim()), (0, "50"), "{err}");
    let (code, grouped, _) = satchel(&db, &["customers", "search", "example", "--limit", "100"]);
    assert_eq!(code, 0);
    let (_, top, _) = satchel(&db, &["search", "example", "--limit", "100"]);
    assert!(!grouped.is_empty());
    assert_eq!(grouped, top, "`satchel search` is `satchel customers search`");
    let file = dir.path().join("book.csv");
    let (code, _, err) = satchel(&db, &["customers", "export", "--out", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("exported 50 customers"), "{err}");
}

/// Issue 13: several words match across fields in the CLI too (one word the name, one the
/// company), and every word must be found.
#[test]
fn search_with_several_words_finds_the_record_holding_each() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let csv = dir.path().join("people.csv");
    std::fs::write(
        &csv,
        "name,company,phone\n欧阳晓梅,上海示例贸易有限公司,13900001111\n欧阳娜娜,北京星辰科技,13700002222\n张伟,北京星辰科技,13800138000\n",
    )
    .unwrap();
    let (code, _, err) = satchel(&db, &["import", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (_, found, _) = satchel(&db, &["search", "欧阳 上海"]);
    assert_eq!(found.lines().count(), 1, "{found}");
    assert!(found.contains("欧阳晓梅"), "{found}");
    let (_, found, _) = satchel(&db, &["search", "张 13800"]);
    assert!(found.lines().count() == 1 && found.contains("张伟"), "{found}");
    let (_, found, _) = satchel(&db, &["search", "欧阳 广州"]);
    assert_eq!(found.trim(), "", "{found}");
}

/// Issue 14: the CLI checkpoints its write-ahead log on a clean exit, so the .db file alone (what
/// people copy as a backup) holds the whole book. Before, the changes stayed in `satchel.db-wal`
/// and a copy of the .db file alone was an old or empty book.
#[test]
fn after_a_command_the_database_file_alone_holds_everything() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("satchel.db");
    let (code, _, err) = satchel(&db, &["demo-data", "--customers", "300"]);
    assert_eq!(code, 0, "{err}");
    let wal = dir.path().join("satchel.db-wal");
    assert!(std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0, "the log was folded into the database file");
    let copy_dir = tempfile::tempdir().unwrap();
    let copy = copy_dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let c = rusqlite::Connection::open(&copy).unwrap();
    let n: i64 = c.query_row("SELECT count(*) FROM customers WHERE deleted_at IS NULL", [], |r| r.get(0)).unwrap();
    assert!(n >= 300, "the copied file alone holds the book: {n}");
}

/// Issue 14: the CLI on a database another Satchel has open (the app, here a Satchel in this
/// test) is told so and changes nothing, instead of running a second clock over it.
#[test]
fn the_cli_on_a_database_in_use_says_so_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("satchel.db");
    let profile = satchel_core::store::Profile { author: "ana".into(), device: "ana-laptop".into() };
    let open = satchel_core::Satchel::open(&db, profile).unwrap();
    let (code, out, err) = satchel(&db, &["demo-data", "--customers", "5"]);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("is open in another Satchel right now"), "{err}");
    assert_eq!(open.customers().list(&Default::default()).total, 0);
    drop(open);
    let (code, _, err) = satchel(&db, &["demo-data", "--customers", "5"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn backup_works_while_another_satchel_has_the_book_and_restore_waits_for_it_to_close() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert_eq!(satchel(&db, &["demo-data", "--customers", "20", "--seed", "3"]).0, 0);
    let count = || satchel(&db, &["customers", "count"]).1.trim().to_string();
    let backed_up = count();
    let backup = dir.path().join("monday.db");
    // The app's claim on the book, as a running window holds it.
    let app = satchel_core_open(&db);
    let (code, out, err) = satchel(&db, &["backup", "--out", backup.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(&format!("backed up {} to {} (", db.display(), backup.display())), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let (code, _, err) = satchel(&db, &["backup", "--out", backup.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = satchel(&db, &["restore", backup.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("is open in another Satchel"), "{err}");
    drop(app);
    assert_eq!(satchel(&db, &["demo-data", "--customers", "5", "--seed", "4"]).0, 0);
    let (code, out, err) = satchel(&db, &["restore", backup.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("restored") && out.contains("before-restore-"), "{out}");
    assert_eq!(count(), backed_up, "the backup's customers, without the 5 made after it");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "hello").unwrap();
    let (code, _, err) = satchel(&db, &["restore", notes.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("is not a Satchel backup"), "{err}");
}

/// `satchel encrypt` (issue 14): the book encrypted in place, its key here in the weaker file
/// (the secret store is keyring.rs's test); commands go on working on it; the real `sqlite3`
/// cannot read it; refused while the app has it; without the key every command says so.
#[test]
fn encrypt_makes_the_book_unreadable_without_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_satchel"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("LANG", "en_US.UTF-8")
            .env("SATCHEL_TOKEN_STORE", "file")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(run(&["demo-data", "--customers", "12", "--seed", "5"]).0, 0);
    let (code, _, err) = run(&["backup", "--out", dir.path().join("backups/book-20260101-000000.db").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    let app = satchel_core_open(&db);
    let (code, _, err) = run(&["encrypt"]);
    assert_eq!(code, 1);
    assert!(err.contains("is open in another Satchel"), "{err}");
    drop(app);

    let (code, out, err) = run(&["encrypt"]);
    assert_eq!(code, 0, "{err}");
    let key = format!("{}.key", db.display());
    assert_eq!(
        out,
        format!(
            "encrypted {db} (12 customers)\n\
             its key is in {key} (readable by you only; anyone who can copy both files can read the book)\n\
             the unencrypted file was overwritten and deleted\n\
             1 backups in {folder} were made before and are not encrypted: delete them once a new backup is made\n\
             without its key this book cannot be read: there is no way to recover it\n",
            db = db.display(),
            folder = dir.path().join("backups").display()
        )
    );
    assert_ne!(&std::fs::read(&db).unwrap()[..16], b"SQLite format 3\0");
    let plain = Command::new("sqlite3").arg(&db).arg("SELECT count(*) FROM customers").output().expect("sqlite3 command line");
    assert!(!plain.status.success());
    assert!(String::from_utf8_lossy(&plain.stderr).contains("file is not a database"));

    assert_eq!(run(&["customers", "count"]).1.trim(), "12");
    assert_eq!(run(&["demo-data", "--customers", "3", "--seed", "6"]).0, 0);
    assert_eq!(run(&["customers", "count"]).1.trim(), "15");
    let (code, out, _) = run(&["encrypt"]);
    assert_eq!((code, out), (0, format!("{} is already encrypted\n", db.display())));

    std::fs::rename(&key, dir.path().join("elsewhere.key")).unwrap();
    let (code, _, err) = run(&["customers", "count"]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("{} is encrypted and its key is not on this computer", db.display())), "{err}");
    let zh = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--db")
        .arg(&db)
        .args(["customers", "count"])
        .env("LANG", "zh_CN.UTF-8")
        .env("SATCHEL_TOKEN_STORE", "file")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&zh.stderr).contains("已加密"), "{}", String::from_utf8_lossy(&zh.stderr));
}

/// Holds the database's claim like a running app: an open SQLite handle is not enough, the
/// claim is the lock on `<db>.lock`.
fn satchel_core_open(db: &std::path::Path) -> std::fs::File {
    let mut p = db.as_os_str().to_owned();
    p.push(".lock");
    let f = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(p).unwrap();
    f.try_lock().unwrap();
    f
}

/// `satchel export | head -1`: the reader goes after one line and the CLI ends quietly, as a Unix
/// tool does, instead of panicking on the next write.
#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::{BufRead, BufReader, Read};
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert_eq!(satchel(&db, &["demo-data", "--customers", "3000", "--seed", "5"]).0, 0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--db")
        .arg(&db)
        .arg("export")
        .env("LANG", "en_US.UTF-8")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.contains(','), "the CSV's header came first: {first}");
    // The reader is gone (dropped above) long before 3,000 customers are written.
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
    // Ended by SIGPIPE (13 on Linux), or done before it noticed.
    assert!(status.success() || status.signal() == Some(13), "{status:?}: {err}");
}
