//! Encryption of the book at rest (issue 14) on real files: a book with customers encrypted in
//! place reopens with its key and the same customers; its bytes are not SQLite's, the real
//! `sqlite3` command line cannot read it, and without the key the book is refused naming it.
//! Backups of an encrypted book stay encrypted and restore with the same key. The key is kept in
//! the weaker `<db>.key` file here (`KeyPlace::File`); the secret store is the CLI's keyring test.
//!
//! A test binary of its own: it starts `sqlite3`, and a process starting holds copies of every
//! open file (another test's book lock among them) until it runs, which would make other tests
//! find their book in use for a moment.

use satchel_core::backup;
use satchel_core::customers::ListQuery;
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::error::{CoreError, ErrorCode};
use satchel_core::i18n::Locale;
use satchel_core::store::cipher::{self, Encrypted, KeyPlace};
use satchel_core::store::Profile;
use satchel_core::Satchel;
use std::path::Path;

fn profile(author: &str) -> Profile {
    Profile { author: author.into(), device: format!("{author}-laptop") }
}

fn person(name: &str) -> CustomerInput {
    CustomerInput::named(CustomerKind::Person, name)
}

fn names(app: &Satchel) -> Vec<String> {
    let mut n: Vec<String> = app.customers().list(&ListQuery::default()).rows.iter().map(|c| c.name.clone()).collect();
    n.sort();
    n
}

fn head(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()[..16].to_vec()
}

/// The real sqlite3 command line on the file: (succeeded, what it printed).
fn sqlite3(path: &Path, sql: &str) -> (bool, String) {
    let out =
        std::process::Command::new("sqlite3").arg(path).arg(sql).output().expect("the sqlite3 command line (apt-get install sqlite3)");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Runs `f` again while it finds the book in use for a moment: a `sqlite3` another test is
/// starting holds copies of this process's open files (the book's lock among them) between its
/// fork and its exec.
fn when_free<T>(mut f: impl FnMut() -> Result<T, CoreError>) -> Result<T, CoreError> {
    let started = std::time::Instant::now();
    loop {
        match f() {
            Err(CoreError::InUse { .. }) if started.elapsed() < std::time::Duration::from_secs(5) => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            other => return other,
        }
    }
}

fn book_with(names: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.db");
    let app = when_free(|| Satchel::open(&path, profile("ana"))).unwrap();
    for n in names {
        app.customers().create(&person(n)).unwrap();
    }
    (dir, path)
}

#[test]
fn an_encrypted_book_reopens_with_its_key_and_nothing_else_can_read_it() {
    let (_dir, path) = book_with(&["王小明", "Ann Lee", "Bob Stone"]);
    assert_eq!(head(&path), b"SQLite format 3\0", "a new book is plain");
    let (ok, out) = sqlite3(&path, "SELECT count(*) FROM customers");
    assert!(ok && out.trim() == "3", "the plain book is readable: {out}");

    let done = when_free(|| cipher::encrypt_with(&path, KeyPlace::File)).expect("encrypt");
    assert_eq!(done, Encrypted::Done { place: KeyPlace::File, customers: 3 });
    assert!(cipher::is_encrypted(&path));
    assert!(cipher::marker_file(&path).exists(), "the note that says a missing key, not damage");
    assert_ne!(head(&path), b"SQLite format 3\0");
    for left in [".before-encrypt", ".encrypting"] {
        assert!(!Path::new(&format!("{}{left}", path.display())).exists(), "no {left} left behind");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(cipher::key_file(&path)).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // No plaintext name anywhere in the file.
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.windows(8).any(|w| w == b"Bob Ston"), "a name in the clear");

    // The real sqlite3 cannot read it.
    let (ok, out) = sqlite3(&path, "SELECT count(*) FROM customers");
    assert!(!ok, "sqlite3 read the encrypted book: {out}");
    assert!(out.contains("file is not a database"), "{out}");

    // Reopened (the key found in its place): the same customers, and it goes on working.
    {
        let app = when_free(|| Satchel::open(&path, profile("ana"))).expect("reopen with the key");
        assert_eq!(names(&app), vec!["Ann Lee", "Bob Stone", "王小明"]);
        app.customers().create(&person("Cleo")).unwrap();
        assert_eq!(app.store().read(|c| Ok(c.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0))?)).unwrap(), "ok");
    }
    assert!(cipher::is_encrypted(&path), "still encrypted after writes and the exit checkpoint");
    // Encrypting again does nothing.
    assert_eq!(when_free(|| cipher::encrypt_with(&path, KeyPlace::File)).unwrap(), Encrypted::Already);

    // Without the key: the clear error, naming the book, in both languages.
    std::fs::remove_file(cipher::key_file(&path)).unwrap();
    let e = when_free(|| Satchel::open(&path, profile("ana"))).err().expect("refused without its key");
    assert!(matches!(&e, CoreError::KeyMissing { path: p } if p == &path), "{e:?}");
    assert_eq!(e.code(), ErrorCode::Storage);
    let en = e.message(Locale::En);
    let zh = e.message(Locale::ZhCn);
    assert!(en.contains(&path.display().to_string()) && en.contains("encrypted"), "{en}");
    assert!(zh.contains(&path.display().to_string()) && zh.contains("加密"), "{zh}");
    // A wrong key is no better than none.
    std::fs::write(cipher::key_file(&path), cipher::Key::generate().unwrap().hex()).unwrap();
    let e = when_free(|| Satchel::open(&path, profile("ana"))).err().expect("refused with a wrong key");
    assert_eq!(e.code(), ErrorCode::Corrupt, "{e:?}");
}

#[test]
fn encrypting_is_refused_while_a_satchel_has_the_book_open() {
    let (_dir, path) = book_with(&["Ann"]);
    let app = when_free(|| Satchel::open(&path, profile("ana"))).unwrap();
    let e = cipher::encrypt_with(&path, KeyPlace::File).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InUse, "{e:?}");
    assert!(!cipher::is_encrypted(&path));
    assert!(!cipher::key_file(&path).exists(), "no key made for a book left plain");
    assert_eq!(names(&app), vec!["Ann"]);
}

#[test]
fn a_backup_of_an_encrypted_book_stays_encrypted_and_restores_with_its_key() {
    let (dir, path) = book_with(&["Ann", "Bob"]);
    when_free(|| cipher::encrypt_with(&path, KeyPlace::File)).unwrap();
    let out = dir.path().join("copies/monday.db");
    {
        let app = when_free(|| Satchel::open(&path, profile("ana"))).unwrap();
        backup::create(&path, &out).expect("backup of an encrypted book, while open");
        app.customers().create(&person("Later")).unwrap();
    }
    assert!(cipher::is_encrypted(&out), "the backup is encrypted");
    let (ok, out_text) = sqlite3(&out, "SELECT count(*) FROM customers");
    assert!(!ok && out_text.contains("file is not a database"), "{out_text}");
    // It opens with the book's key.
    let key = cipher::load(&path).unwrap();
    {
        let copy =
            satchel_core::store::Store::open_with_key(&out, profile("ana"), Some(&key)).expect("the backup opens with the book's key");
        let n: i64 = copy.read(|c| Ok(c.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)).unwrap();
        assert_eq!(n, 2);
    }
    // Restored over the book: the backup's customers, still encrypted with the same key.
    let restored = when_free(|| backup::restore(&path, &out, 1_700_000_000_000)).expect("restore");
    assert!(cipher::is_encrypted(&path));
    let kept = restored.replaced.unwrap();
    assert!(cipher::is_encrypted(&kept), "the replaced book is kept encrypted too");
    let app = when_free(|| Satchel::open(&path, profile("ana"))).unwrap();
    assert_eq!(names(&app), vec!["Ann", "Bob"]);
    drop(app);
    // Without the book's key the backup is refused as a restore, naming the book.
    std::fs::remove_file(cipher::key_file(&path)).unwrap();
    let e = when_free(|| backup::restore(&path, &out, 1_700_000_100_000)).unwrap_err();
    assert!(matches!(e, CoreError::KeyMissing { .. }), "{e:?}");
}

/// The desktop's way (Settings → "Encrypt this book"): noted while the app has the book, done at
/// the next start before the book opens, waiting for the closing app's claim.
#[test]
fn an_encryption_noted_for_the_next_start_runs_before_the_book_opens() {
    // This test binary only: the weaker key file, as `satchel encrypt` under the tests.
    std::env::set_var("SATCHEL_TOKEN_STORE", "file");
    let (_dir, path) = book_with(&["Ann", "Bob", "Cleo"]);
    let app = when_free(|| Satchel::open(&path, profile("ana"))).unwrap();
    cipher::encrypt_at_next_start(&path).unwrap();
    assert!(!cipher::is_encrypted(&path), "nothing happens under the open book");
    // The app restarting: the old one lets go a moment after the new one starts waiting.
    let closing = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(app);
    });
    let done = cipher::finish_pending(&path, std::time::Duration::from_secs(10)).expect("noted").expect("encrypted");
    closing.join().unwrap();
    assert_eq!(done, Encrypted::Done { place: KeyPlace::File, customers: 3 });
    assert!(cipher::is_encrypted(&path));
    assert!(cipher::finish_pending(&path, std::time::Duration::ZERO).is_none(), "done once");
    let app = when_free(|| Satchel::open(&path, profile("ana"))).unwrap();
    assert_eq!(names(&app), vec!["Ann", "Bob", "Cleo"]);
}

/// Issue 18: the customer index's snapshot would put the book's customers on disk in the clear:
/// encrypting removes the one made before, and an encrypted book never writes one.
#[test]
fn an_encrypted_book_keeps_no_index_snapshot_in_the_clear() {
    use satchel_core::customers::snapshot;
    let (_dir, path) = book_with(&["王秘密", "Ann Lee"]);
    {
        let app = when_free(|| Satchel::open(&path, profile("ana"))).unwrap();
        assert_eq!(names(&app).len(), 2);
        app.persist().unwrap();
    }
    assert!(snapshot::path_for(&path).is_file(), "a plain book keeps one");
    when_free(|| cipher::encrypt_with(&path, KeyPlace::File)).expect("encrypt");
    assert!(!snapshot::path_for(&path).exists(), "encrypting removes the plain snapshot");
    let app = when_free(|| Satchel::open(&path, profile("ana"))).unwrap();
    assert!(app.store().is_encrypted());
    assert_eq!(app.customers().search("秘密", None, 5).len(), 1);
    app.persist().unwrap();
    drop(app);
    assert!(!snapshot::path_for(&path).exists(), "nothing of an encrypted book on disk in the clear");
}
