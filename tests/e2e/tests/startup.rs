//! What a user sees when the app starts on an unusual database: a damaged file or a read-only
//! one is refused with Satchel's own clear screen, and the file is left byte for byte as it was;
//! and a book of 100,000 customers opens, scrolls to its last row and is searched at once.

use satchel_e2e::{cli_binary, tid, Profile};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// `satchel --db <profile's db> demo-data --customers n --seed 7`, as `make demo` does.
fn demo_data(profile: &Profile, n: u32) {
    let out = Command::new(cli_binary())
        .arg("--db")
        .arg(profile.db())
        .args(["demo-data", "--customers", &n.to_string(), "--seed", "7"])
        .output()
        .expect("run satchel demo-data");
    assert!(out.status.success(), "demo-data failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// Everything in the database's main file (the write-ahead log folded in first), so that the
/// file on disk alone is the database, as after a clean quit.
fn checkpoint(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("open the demo database");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    conn.pragma_update(None, "journal_mode", "DELETE").expect("leave WAL mode");
}

fn hash(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Before the fix the app opened such a file and showed an empty book ("0 customers"): the open
/// read only the schema page, and the customers' index then failed to load in the background
/// with nothing but a log line. Now every page is checked at open (`quick_check`).
#[tokio::test]
async fn a_damaged_database_is_refused_with_a_clear_screen_and_left_untouched() {
    let profile = Profile::new();
    demo_data(&profile, 300);
    let db = profile.db();
    checkpoint(&db);
    // Damage one page in the middle of the file: the root of the customers table's b-tree gets a
    // page header that is no b-tree page at all, as a bad sector or a half-copied file would.
    let (root, page_size): (i64, i64) = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let root = conn.query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'customers'", [], |r| r.get(0)).unwrap();
        let size = conn.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap();
        (root, size)
    };
    assert!(root >= 2, "customers' root is page {root}");
    let mut bytes = std::fs::read(&db).unwrap();
    let at = ((root - 1) * page_size) as usize;
    bytes[at..at + 12].fill(0xff);
    std::fs::write(&db, &bytes).unwrap();
    {
        // It really is damaged, the way SQLite says it.
        let conn = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let err = conn.query_row("SELECT name FROM customers ORDER BY name LIMIT 1 OFFSET 200", [], |r| r.get::<_, String>(0)).unwrap_err();
        assert!(err.to_string().contains("malformed"), "{err}");
    }
    let before = hash(&db);

    let app = profile.launch_until(&tid("db-error")).await;
    let message = app.text("db-error-message").await;
    app.wait_text(&tid("db-error"), "Satchel cannot open your database").await;
    app.wait_text(&tid("db-error"), "Nothing was changed").await;
    assert!(
        message.contains("damaged") && message.contains(&db.display().to_string()),
        "the screen says the file is damaged and which file: {message}"
    );
    assert!(app.shown(&tid("nav-customers")).await.unwrap().is_empty(), "no app full of failing pages behind it");
    app.quit().await;
    assert!(hash(&db) == before, "the damaged file is left byte for byte as it was");
}

/// Keeps a file immutable (`chattr +i`) while alive: as root, permissions do not stop writes,
/// the immutable flag does.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Result<Immutable, String> {
        let out = Command::new("chattr").arg("+i").arg(path).output().map_err(|e| format!("chattr: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        // Otherwise the profile's temp dir could not be removed.
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[tokio::test]
async fn a_read_only_database_is_refused_with_a_clear_screen_and_left_untouched() {
    let profile = Profile::new();
    demo_data(&profile, 20);
    let db = profile.db();
    checkpoint(&db);
    let before = hash(&db);
    // A user's read-only file is one the permissions forbid writing. The tests may run as root,
    // whom permissions do not stop (SQLite would open the file for writing): there the file is
    // made immutable instead, which stops root too.
    let root = unsafe { libc::geteuid() } == 0;
    let _guard = if root {
        Some(Immutable::set(&db).unwrap_or_else(|e| panic!("running as root, the file must be made immutable (chattr +i): {e}")))
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
        None
    };
    assert!(std::fs::OpenOptions::new().append(true).open(&db).is_err(), "the file cannot be opened for writing");

    let app = profile.launch_until(&tid("db-error")).await;
    let message = app.text("db-error-message").await;
    app.wait_text(&tid("db-error"), "Satchel cannot open your database").await;
    assert!(message.contains("read-only"), "the screen says why: {message}");
    // The reason follows the language switch on that screen.
    app.choose("lang-switch", "zh-CN").await;
    app.wait_text(&tid("db-error"), "Satchel 无法打开您的数据库").await;
    app.quit().await;
    assert!(hash(&db) == before, "the read-only file is left byte for byte as it was");
}

/// The README's "a virtualized customer list that stays smooth at 100,000 records".
#[tokio::test]
async fn a_book_of_100000_customers_shows_its_count_scrolls_to_the_last_row_and_is_searched() {
    let profile = Profile::new();
    let started = Instant::now();
    demo_data(&profile, 100_000);
    eprintln!("demo-data --customers 100000 took {:?}", started.elapsed());

    let app = profile.launch().await;
    app.click("nav-customers").await;
    assert_eq!(app.text("customer-count").await, "100,000 customers");
    app.wait_for(&tid("customer-row")).await;

    // To the end of the list, as a dragged scrollbar would: the last rows are rendered with names,
    // not left as placeholders.
    app.script(&format!("const s = document.querySelector('{}'); s.scrollTop = s.scrollHeight;", tid("customer-list"))).await;
    let last = format!("{}[data-index=\"99999\"]", tid("customer-row"));
    let row = app
        .wait_until_within("the last row to be rendered", Duration::from_secs(15), async || {
            Ok(app.texts(&last).await.into_iter().next().filter(|t| !t.trim().is_empty()))
        })
        .await;
    let name = app
        .script(&format!("return document.querySelector('{last} .cell-name')?.innerText ?? ''"))
        .await
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_string();
    assert!(!name.is_empty(), "the last row has a name: {row}");
    assert!(app.shown(&format!("{}[data-index=\"99998\"]", tid("customer-row"))).await.unwrap().len() == 1, "its neighbour is shown too");

    // The last row's name is found by search.
    let hits = app.search(&name).await;
    assert!(hits.iter().any(|h| h.contains(&name)), "searching {name} finds it: {hits:?}");
    app.quit().await;
}

/// A book too large for the memory its indexes may take (here a 1 MB allowance, set as a user
/// would) opens all the same: the list says it reads from the disk, shows every record, scrolls to
/// the last and finds it, and the search box finds other modules' records, from SQLite.
#[tokio::test]
async fn a_book_too_large_for_the_memory_allowed_is_listed_and_searched_from_the_disk() {
    let profile = Profile::new().with_index_memory_mb(1);
    demo_data(&profile, 12_000);

    let app = profile.launch().await;
    app.click("nav-customers").await;
    let note = app.text("lean-mode-note").await;
    assert!(note.contains("1 MB allowed") && note.contains("slower"), "the list says why it is slower: {note}");
    assert_eq!(app.text("customer-count").await, "12,000 customers");
    app.wait_for(&tid("customer-row")).await;
    if let Some(dir) = std::env::var_os("SATCHEL_SHOTS") {
        app.screenshot(&std::path::Path::new(&dir).join("lean-mode.png")).await;
    }

    app.script(&format!("const s = document.querySelector('{}'); s.scrollTop = s.scrollHeight;", tid("customer-list"))).await;
    let last = format!("{}[data-index=\"11999\"] .cell-name", tid("customer-row"));
    let name = app
        .wait_until_within("the last row to be rendered", Duration::from_secs(30), async || {
            Ok(app.texts(&last).await.into_iter().next().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()))
        })
        .await;
    let hits = app.search(&name).await;
    assert!(hits.iter().any(|h| h.contains(&name)), "searching {name} finds it: {hits:?}");
    // Tickets are searched from the disk too (every demo ticket's title is a known problem).
    let hits = app.search("printer").await;
    assert!(hits.iter().any(|h| h.to_lowercase().contains("printer")), "tickets about printers: {hits:?}");
    app.quit().await;
}

/// Logging out or shutting down ends Satchel with SIGTERM. Before, the process died where it
/// stood: the customer index was not kept and the next start read every page of the book again
/// (about 1 s at 100,000 customers). Now a signal closes the book as the window's close does.
#[tokio::test]
async fn quitting_by_signal_closes_the_book_cleanly_so_the_next_start_is_quick() {
    let profile = Profile::new();
    demo_data(&profile, 300);
    let db = profile.db();
    let closed = PathBuf::from(format!("{}.closed", db.display()));
    let index = PathBuf::from(format!("{}.index", db.display()));

    // The CLI notes its own clean close; without it the window has to earn one.
    std::fs::remove_file(&closed).expect("demo-data noted its clean close");
    let app = profile.launch().await;
    app.click("nav-customers").await;
    app.wait_for(&tid("customer-row")).await;
    assert!(app.terminate().await, "SIGTERM ends the app by itself\n{}", app.log_tail());
    let log = app.log_tail();
    assert!(log.contains("asked to quit by a signal"), "{log}");
    assert!(log.contains("kept the index for the next start"), "{log}");
    assert!(closed.is_file(), "the clean close is noted in {}\n{log}", closed.display());
    assert!(index.is_file(), "the customer index is kept in {}\n{log}", index.display());
    app.quit().await;

    // The next start trusts neither blindly: it skips the page check only because the file is
    // as the close left it, and loads the index from its snapshot.
    let app = profile.launch().await;
    app.click("nav-customers").await;
    app.wait_for(&tid("customer-row")).await;
    assert_eq!(app.text("customer-count").await, "300 customers");
    let log = app.log_tail();
    assert!(log.contains("every page's check skipped"), "{log}");
    assert!(log.contains("records from its snapshot"), "{log}");
    app.quit().await;
}
