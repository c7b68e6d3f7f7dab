//! Backups and restore on real files: a copy made while the book is open and written, restore
//! refused while a Satchel has the book, the replaced book kept, files that are not backups, the
//! restored book's new sync identity, and the daily backups' schedule.

use crate::fixtures::*;
use satchel_core::backup;
use satchel_core::customers::ListQuery;
use satchel_core::error::{CoreError, ErrorCode, FileProblem};
use satchel_core::Satchel;

const DAY: i64 = backup::EVERY_MS;

fn names(app: &Satchel) -> Vec<String> {
    let mut n: Vec<String> = app.customers().list(&ListQuery::default()).rows.iter().map(|c| c.name.clone()).collect();
    n.sort();
    n
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_backup_made_while_the_app_writes_is_a_whole_private_copy() {
    let db = new_db();
    db.app.customers().create(&person("王小明")).unwrap();
    let out = db.dir.path().join("copies/monday.db");
    // Writes go on while the copy is made: the copy holds a consistent state, before or after each.
    let writer = std::thread::scope(|s| {
        let w = s.spawn(|| {
            for i in 0..50 {
                db.app.customers().create(&person(&format!("Busy {i}"))).unwrap();
            }
        });
        let made = backup::create(&db.path(), &out).expect("backup while open");
        w.join().unwrap();
        made
    });
    assert!(writer.size > 0);
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600, "only this user can read the copy");
    let copy = Satchel::open(&out, profile("ana")).expect("the copy opens on its own, without its WAL");
    let copied = names(&copy);
    assert!(copied.contains(&"王小明".to_string()));
    assert_eq!(copy.store().read(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))?)).unwrap(), "ok");
    // Refused rather than overwritten.
    let again = backup::create(&db.path(), &out).unwrap_err();
    assert!(matches!(again, CoreError::File(FileProblem::Exists(_))), "{again:?}");
}

#[test]
fn restore_is_refused_while_a_satchel_has_the_book_open() {
    let db = new_db();
    db.app.customers().create(&person("Ann")).unwrap();
    let out = db.dir.path().join("b.db");
    backup::create(&db.path(), &out).unwrap();
    let e = backup::restore(&db.path(), &out, 0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InUse, "{e:?}");
    assert_eq!(names(&db.app), vec!["Ann"], "the open book is untouched");
}

#[test]
fn restore_brings_the_backup_back_and_keeps_the_replaced_book() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.db");
    let out = dir.path().join("backup.db");
    let (ann, site) = {
        let app = Satchel::open(&path, profile("ana")).unwrap();
        let ann = app.customers().create(&person("Ann")).unwrap();
        backup::create(&path, &out).unwrap();
        let mut edit = ann.to_input();
        edit.name = "Ann Later".into();
        app.customers().update(&ann.id, &edit).unwrap();
        app.customers().create(&person("Bob")).unwrap();
        (ann, app.store().site_id().to_string())
    };
    let restored = backup::restore(&path, &out, 1_700_000_000_000).expect("restore");
    let kept = restored.replaced.expect("the replaced book is kept");
    assert!(kept.to_string_lossy().contains("satchel.db.before-restore-20231114-"), "{}", kept.display());
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let app = Satchel::open(&path, profile("ana")).unwrap();
    assert_eq!(names(&app), vec!["Ann"], "the book as it was backed up");
    assert_eq!(restored.old_site, site);
    assert_ne!(app.store().site_id(), site, "a new device for sync");
    let history = app.customers().history(&ann.id).unwrap();
    assert!(!history.is_empty(), "the history made under the old identity still reads");
    // The kept book is the one replaced, edits and all.
    drop(app);
    let before = Satchel::open(&kept, profile("ana")).unwrap();
    assert_eq!(names(&before), vec!["Ann Later", "Bob"]);
}

#[test]
fn files_that_are_not_satchel_books_are_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.db");
    drop(Satchel::open(&path, profile("ana")).unwrap().customers().create(&person("Ann")));
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "name\nAnn\n").unwrap();
    let other = dir.path().join("other.sqlite");
    satchel_core::rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    let half = dir.path().join("half.db");
    std::fs::write(&half, &std::fs::read(&path).unwrap()[..4096]).unwrap();
    for bad in [&text, &other, &half, &dir.path().join("missing.db")] {
        let e = backup::restore(&path, bad, 0).unwrap_err();
        assert!(matches!(e, CoreError::File(FileProblem::NotBackup(_))), "{}: {e:?}", bad.display());
        assert!(e.message(satchel_core::i18n::Locale::En).contains("is not a Satchel backup"), "{e:?}");
    }
    let app = Satchel::open(&path, profile("ana")).unwrap();
    assert_eq!(names(&app), vec!["Ann"]);
    assert!(!std::fs::read_dir(dir.path()).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("before-restore")));
}

#[test]
fn a_restore_noted_for_the_next_start_runs_once_the_book_is_closed() {
    let db = new_db();
    db.app.customers().create(&person("Ann")).unwrap();
    let out = db.dir.path().join("b.db");
    backup::create(&db.path(), &out).unwrap();
    db.app.customers().create(&person("Bob")).unwrap();
    backup::restore_at_next_start(&db.path(), &out).unwrap();
    let TestDb { dir, app } = db;
    let path = dir.path().join("satchel.db");
    // The app closes a moment later; the new start waits for it.
    let closer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(app);
    });
    let done = backup::finish_pending(&path, 0, std::time::Duration::from_secs(10)).expect("a restore was pending");
    closer.join().unwrap();
    done.expect("restored");
    assert!(backup::finish_pending(&path, 0, std::time::Duration::ZERO).is_none(), "only once");
    assert_eq!(names(&Satchel::open(&path, profile("ana")).unwrap()), vec!["Ann"]);
}

#[test]
fn the_daily_backup_is_made_once_a_day_and_old_ones_are_deleted() {
    let db = new_db();
    db.app.customers().create(&person("Ann")).unwrap();
    let start = 1_700_000_000_000;
    assert!(backup::daily(&db.path(), 3, start).unwrap().is_some(), "none yet: made at start-up");
    assert!(backup::daily(&db.path(), 3, start + DAY / 2).unwrap().is_none(), "not twice a day");
    for day in 1..=5 {
        assert!(backup::daily(&db.path(), 3, start + day * DAY).unwrap().is_some(), "day {day}");
    }
    let left = backup::list(&db.path()).unwrap();
    let ages: Vec<i64> = left.iter().map(|b| (start + 5 * DAY - b.created_ms) / DAY).collect();
    assert_eq!(ages, vec![0, 1, 2, 3], "newest first, three days kept");
    assert!(left[0].name.starts_with("satchel-20231119-"), "{}", left[0].name);
    assert_eq!(backup::keep_days(db.app.store()).unwrap(), backup::DEFAULT_KEEP_DAYS);
    backup::set_keep_days(db.app.store(), 30).unwrap();
    assert_eq!(backup::keep_days(db.app.store()).unwrap(), 30);
    assert_eq!(backup::set_keep_days(db.app.store(), 0).unwrap_err().code(), ErrorCode::Validation);
}
