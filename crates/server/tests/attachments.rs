//! Issue 14, "attachments travel too": an attachment's bytes go through the server by content
//! hash, on both backends. Before, only the row synced: a manager saw a signed contract's name
//! and could not open it. Each test runs the real router on 127.0.0.1 (a random port) over a real
//! SQLite file or a PostgreSQL schema of its own (`pg/mod.rs`), with laptops on real databases;
//! the object store's are against moto's S3 server on 127.0.0.1 (see [`moto`]).

#[macro_use]
mod pg;
use pg::{postgres, sqlite, Db};
mod common;

use common::{laptop, Laptop};
use satchel_core::customers::{CustomerInput, CustomerKind};
use satchel_core::error::{CoreError, FileProblem};
use satchel_core::i18n::Locale;
use satchel_core::ids::CustomerId;
use satchel_core::sync::http::HttpRemote;
use satchel_core::sync::wire::{self, BlobStatus, PullResponse, PushResponse, WireChange, BLOB_PIECE};
use satchel_core::sync::{self, blobs, Remote, SyncError};
use satchel_server::http::Config;
use satchel_server::objects::ObjectStore;
use satchel_server::sqlite::SqliteStorage;
use satchel_server::storage::{Role, Storage};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// A running server: dropped, it stops (its runtime goes).
struct Served {
    base: String,
    storage: Arc<dyn Storage>,
    _rt: tokio::runtime::Runtime,
}

const PASSWORD: &str = "long enough";

/// A team: Ana and Dan sell, Mo manages.
fn serve(db: &Db, config: Config) -> Served {
    let storage = db.storage();
    let hash = satchel_server::hash_password(PASSWORD).unwrap();
    for (email, role) in [("ana@example.cn", Role::Sales), ("dan@example.cn", Role::Sales), ("mo@example.cn", Role::Manager)] {
        if storage.user_by_email(email).unwrap().is_none() {
            storage.add_user(email, role, "East", &hash).unwrap();
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = satchel_server::http::router_with(satchel_server::http::AppState { storage: storage.clone() }, &config);
    rt.spawn(satchel_server::http::serve(listener, app, config.header_timeout));
    Served { base, storage, _rt: rt }
}

fn member(served: &Served, who: &str) -> Laptop {
    let l = laptop(who);
    sync::login(&l.app, &served.base, &format!("{who}@example.cn"), PASSWORD).unwrap();
    l
}

fn sync(l: &Laptop) -> sync::SyncReport {
    let mut remote = sync::remote_for(&l.app).unwrap();
    sync::sync_once(&l.app, &mut remote, &mut |_| {}).unwrap()
}

/// A file of `len` bytes that differs from any other the tests make (`seed`).
fn file(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u32).wrapping_mul(2_654_435_761).rotate_left(seed as u32 % 31) as u8 ^ seed).collect()
}

fn sha(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn customer(l: &Laptop, name: &str, private: bool) -> CustomerId {
    let input = CustomerInput { private: Some(private), ..CustomerInput::named(CustomerKind::Company, name) };
    l.app.customers().create(&input).unwrap().id
}

/// A remote that counts what goes through it, and can leave attachments' bytes out (to push an
/// attachment's row without its bytes, as a laptop cut off between the two would).
struct Counting {
    inner: HttpRemote,
    bytes: bool,
    statuses: u32,
    sent: u64,
    got: u64,
}

impl Counting {
    fn of(l: &Laptop, bytes: bool) -> Self {
        Counting { inner: sync::remote_for(&l.app).unwrap(), bytes, statuses: 0, sent: 0, got: 0 }
    }
}

impl Remote for Counting {
    fn push(&mut self, changes: &[WireChange]) -> Result<PushResponse, SyncError> {
        self.inner.push(changes)
    }
    fn pull(&mut self, after: i64, limit: u32) -> Result<PullResponse, SyncError> {
        self.inner.pull(after, limit)
    }
    fn carries_attachments(&self) -> bool {
        self.bytes
    }
    fn blob_status(&mut self, sha256: &str, size: Option<u64>) -> Result<Option<BlobStatus>, SyncError> {
        self.statuses += 1;
        self.inner.blob_status(sha256, size)
    }
    fn blob_put(&mut self, sha256: &str, size: u64, offset: u64, piece: &[u8]) -> Result<BlobStatus, SyncError> {
        self.sent += piece.len() as u64;
        self.inner.blob_put(sha256, size, offset, piece)
    }
    fn blob_get(&mut self, sha256: &str, offset: u64) -> Result<(Vec<u8>, u64), SyncError> {
        let got = self.inner.blob_get(sha256, offset)?;
        self.got += got.0.len() as u64;
        Ok(got)
    }
}

fn not_fetched(err: CoreError) -> String {
    match err {
        CoreError::File(FileProblem::AttachmentNotFetched(name)) => name,
        other => panic!("expected 'not fetched yet', got {other:?}"),
    }
}

fn a_signed_contract_goes_up_once_and_the_manager_opens_it(db: &Db) {
    let served = serve(db, Config::default());
    let (ana, mo) = (member(&served, "ana"), member(&served, "mo"));
    let shop = customer(&ana, "华东五金", false);
    let other = customer(&ana, "西湖茶社", false);
    // Three pieces and a bit: the upload and the fetch both take several requests.
    let pdf = file(3 * BLOB_PIECE + 12_345, 1);
    let contract = ana.app.customers().add_attachment(&shop, "签约合同.pdf", &pdf).unwrap();
    ana.app.customers().add_attachment(&other, "copy.pdf", &pdf).unwrap();
    let report = sync(&ana);
    assert_eq!(report.uploaded, 1, "the same file on two records goes up once");
    let held = served.storage.blob("East", &sha(&pdf)).unwrap().expect("the server holds it");
    assert!(held.complete && held.size == pdf.len() as u64, "{held:?}");
    assert_eq!(sync(&ana).uploaded, 0, "nothing is sent again");

    let report = sync(&mo);
    assert_eq!(report.fetched, 0, "not fetched ahead unless asked: the laptop's disk is not filled unasked");
    let path = mo.app.customers().attachment_path(&contract.id).expect("fetched when opened");
    assert_eq!(std::fs::read(&path).unwrap(), pdf, "the manager opens the very file");
    assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1, "no piece left behind");

    // A teammate who has not opened it, once the server is gone: told so, by name, in their language.
    let dan = member(&served, "dan");
    sync(&dan);
    drop(served);
    assert_eq!(std::fs::read(mo.app.customers().attachment_path(&contract.id).unwrap()).unwrap(), pdf, "opened offline once fetched");
    let err = dan.app.customers().attachment_path(&contract.id).unwrap_err();
    let en = err.message(Locale::En);
    let zh = err.message(Locale::ZhCn);
    assert_eq!(not_fetched(err), "签约合同.pdf");
    assert!(en.contains("签约合同.pdf") && en.contains("not on this computer yet"), "{en}");
    assert!(zh.contains("签约合同.pdf") && zh.contains("还没有下载"), "{zh}");
}

fn a_private_records_file_is_fetched_only_by_whom_may_see_the_record(db: &Db) {
    let served = serve(db, Config::default());
    let (ana, mo) = (member(&served, "ana"), member(&served, "mo"));
    let secret = customer(&ana, "私人客户", true);
    let bytes = file(5_000, 2);
    let hash = sha(&bytes);
    ana.app.customers().add_attachment(&secret, "报价.xlsx", &bytes).unwrap();
    assert_eq!(sync(&ana).uploaded, 1);
    // Dan knows the hash (say, he once had the file): the server tells him nothing about it.
    let mut dan = HttpRemote::new(&served.base, None).unwrap();
    dan.login("dan@example.cn", PASSWORD, "dan-laptop").unwrap();
    assert_eq!(dan.blob_status(&hash, None).unwrap(), None, "no attachment he may see holds it");
    for err in [dan.blob_get(&hash, 0).unwrap_err(), dan.blob_put(&hash, bytes.len() as u64, 0, &bytes).unwrap_err()] {
        assert!(matches!(&err, SyncError::Refused { code, .. } if code == "no_attachment"), "{err:?}");
    }
    // Nor can he upload other bytes under a hash no row of his names.
    let stray = file(100, 3);
    assert!(
        matches!(dan.blob_put(&sha(&stray), stray.len() as u64, 0, &stray), Err(SyncError::Refused { code, .. }) if code == "no_attachment")
    );
    assert_eq!(served.storage.blob("East", &sha(&stray)).unwrap(), None, "nothing stored");
    // The manager may.
    sync(&mo);
    let mut remote = sync::remote_for(&mo.app).unwrap();
    assert_eq!(blobs::fetch(&mo.app, &mut remote, &hash).map(|p| std::fs::read(p).unwrap()).unwrap(), bytes);
    // A hash that is not one is a clear refusal, not a path.
    let err = dan.blob_status("../../satchel-server.db", None).unwrap_err();
    assert!(matches!(&err, SyncError::Refused { .. } | SyncError::Protocol(_)), "{err:?}");
    let err = dan.blob_status(&hash.to_uppercase(), None).unwrap_err();
    assert!(matches!(&err, SyncError::Refused { code, .. } if code == "bad_hash"), "{err:?}");
}

fn an_upload_cut_off_goes_on_and_bytes_that_do_not_match_are_discarded(db: &Db) {
    let served = serve(db, Config::default());
    let ana = member(&served, "ana");
    let shop = customer(&ana, "华东五金", false);
    let bytes = file(2 * BLOB_PIECE + 777, 4);
    let hash = sha(&bytes);
    ana.app.customers().add_attachment(&shop, "photo.jpg", &bytes).unwrap();
    // The row goes up without its bytes; then the first piece, and the connection drops.
    let mut rows_only = Counting::of(&ana, false);
    sync::sync_once(&ana.app, &mut rows_only, &mut |_| {}).unwrap();
    assert_eq!(served.storage.blob("East", &hash).unwrap(), None);
    let mut raw = sync::remote_for(&ana.app).unwrap();
    let first = raw.blob_put(&hash, bytes.len() as u64, 0, &bytes[..BLOB_PIECE]).unwrap();
    assert_eq!((first.received, first.complete), (BLOB_PIECE as u64, false));
    // A piece that does not follow what the server holds is refused, naming where to go on.
    let err = raw.blob_put(&hash, bytes.len() as u64, 5, &bytes[5..10]).unwrap_err();
    assert!(
        matches!(&err, SyncError::Refused { code, message } if code == "wrong_offset" && message.contains(&BLOB_PIECE.to_string())),
        "{err:?}"
    );
    // The next sync sends only the rest.
    let mut counting = Counting::of(&ana, true);
    let report = sync::sync_once(&ana.app, &mut counting, &mut |_| {}).unwrap();
    assert_eq!(report.uploaded, 1);
    assert_eq!(counting.sent, (bytes.len() - BLOB_PIECE) as u64, "went on from the server's {BLOB_PIECE} bytes");
    assert!(served.storage.blob("East", &hash).unwrap().unwrap().complete);

    // Someone sends other bytes under a hash: all of them are discarded once the last arrives.
    let other = file(BLOB_PIECE + 10, 5);
    let other_hash = sha(&other);
    ana.app.customers().add_attachment(&shop, "scan.pdf", &other).unwrap();
    sync::sync_once(&ana.app, &mut Counting::of(&ana, false), &mut |_| {}).unwrap();
    let junk = file(other.len(), 6);
    raw.blob_put(&other_hash, other.len() as u64, 0, &junk[..BLOB_PIECE]).unwrap();
    let err = raw.blob_put(&other_hash, other.len() as u64, BLOB_PIECE as u64, &junk[BLOB_PIECE..]).unwrap_err();
    assert!(matches!(&err, SyncError::Refused { code, .. } if code == "hash_mismatch"), "{err:?}");
    assert_eq!(served.storage.blob("East", &other_hash).unwrap(), None, "the wrong bytes are gone");
    // A piece past the file's end is refused before it is stored.
    let err = raw.blob_put(&other_hash, other.len() as u64, other.len() as u64, b"x").unwrap_err();
    assert!(matches!(&err, SyncError::Refused { code, .. } if code == "too_long"), "{err:?}");
    // The laptop's own sync then sends the right ones.
    assert_eq!(sync(&ana).uploaded, 1);
    let mut mo_remote = HttpRemote::new(&served.base, None).unwrap();
    mo_remote.login("mo@example.cn", PASSWORD, "mo-laptop").unwrap();
    let (got, size) = mo_remote.blob_get(&other_hash, 0).unwrap();
    assert_eq!((got.len(), size), (BLOB_PIECE, other.len() as u64));
    assert_eq!(got, other[..BLOB_PIECE]);
}

/// A file fetched by a teammate leaves his computer with its record when the owner makes the
/// record private: forgotten, not only hidden from the lists. The same file on a record he still
/// sees stays.
fn a_file_of_a_record_made_private_leaves_the_teammates_computer(db: &Db) {
    let served = serve(db, Config::default());
    let (ana, dan) = (member(&served, "ana"), member(&served, "dan"));
    let (secret, open) = (customer(&ana, "将要私密", false), customer(&ana, "一直共享", false));
    let (only, both) = (file(4_000, 14), file(5_000, 15));
    let only_there = ana.app.customers().add_attachment(&secret, "只在这里.pdf", &only).unwrap();
    ana.app.customers().add_attachment(&secret, "两处.pdf", &both).unwrap();
    let elsewhere = ana.app.customers().add_attachment(&open, "两处.pdf", &both).unwrap();
    sync(&ana);
    blobs::set_fetch_ahead(&dan.app, true).unwrap();
    assert_eq!(sync(&dan).fetched, 2);
    let folder = dan.dir.path().join("attachments");
    assert!(folder.join(sha(&only)).is_file() && folder.join(sha(&both)).is_file());
    let mut hide = ana.app.customers().get(&secret).unwrap().to_input();
    hide.private = Some(true);
    ana.app.customers().update(&secret, &hide).unwrap();
    sync(&ana);
    sync(&dan);
    assert!(dan.app.customers().get(&secret).is_err(), "the record is forgotten");
    assert!(!folder.join(sha(&only)).exists(), "and its file with it");
    assert!(folder.join(sha(&both)).is_file(), "a file another record he sees holds stays");
    assert_eq!(std::fs::read(dan.app.customers().attachment_path(&elsewhere.id).unwrap()).unwrap(), both);
    assert!(dan.app.customers().attachment_path(&only_there.id).is_err());
}

/// A server database written before files travelled (schema 5) already holds attachment rows:
/// upgraded, it learns their content hash and size from the changes it stored, and their files
/// can go up and come down like any other.
fn a_server_from_before_takes_the_files_of_the_attachments_it_already_holds(db: &Db) {
    let served = serve(db, Config::default());
    let (ana, mo) = (member(&served, "ana"), member(&served, "mo"));
    let shop = customer(&ana, "华东五金", false);
    let bytes = file(6_000, 16);
    let contract = ana.app.customers().add_attachment(&shop, "旧合同.pdf", &bytes).unwrap();
    // Only the rows go up, as to a server of the previous release.
    sync::sync_once(&ana.app, &mut Counting::of(&ana, false), &mut |_| {}).unwrap();
    drop(served);
    // Back to what schema 5 had: no files, no hash or size beside the links.
    match db {
        Db::Sqlite(dir) => rusqlite::Connection::open(SqliteStorage::file(dir.path()))
            .unwrap()
            .execute_batch(
                "DELETE FROM links WHERE tbl = 'attachments' AND col IN ('sha256', 'size');
                 DROP TABLE blobs; DROP TABLE blob_pieces; DROP INDEX links_sha256;
                 ALTER TABLE entities DROP COLUMN claimable; ALTER TABLE entities DROP COLUMN first_hlc;
                 PRAGMA user_version = 5;",
            )
            .unwrap(),
        Db::Postgres(schema) => {
            schema.admin_query(&format!(
                "SET search_path = {0}; DELETE FROM links WHERE tbl = 'attachments' AND col IN ('sha256', 'size');
                 DROP TABLE blobs; DROP TABLE blob_pieces; DROP INDEX links_sha256;
                 ALTER TABLE entities DROP COLUMN claimable, DROP COLUMN first_hlc;
                 UPDATE meta SET value = '5' WHERE key = 'schema'",
                schema.name
            ));
        }
    }
    // The upgraded server is started again (on another port here: both laptops log in there).
    let served = serve(db, Config::default());
    for (l, who) in [(&ana, "ana"), (&mo, "mo")] {
        sync::login(&l.app, &served.base, &format!("{who}@example.cn"), PASSWORD).unwrap();
    }
    assert_eq!(sync(&ana).uploaded, 1, "the file of the row it already held goes up");
    sync(&mo);
    assert_eq!(std::fs::read(mo.app.customers().attachment_path(&contract.id).unwrap()).unwrap(), bytes);
    drop(served);
}

/// A book written by Satchel 0.1 as released (the core's fixture, with a contract attached)
/// joins a team: everything in it is taken (its attachment and custom value name no record type),
/// its file goes up at its first sync, and a teammate opens it.
fn a_book_from_the_released_version_sends_its_attached_file(db: &Db) {
    let served = serve(db, Config::default());
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/db-0.1");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture.join("satchel.db"), dir.path().join("satchel.db")).unwrap();
    std::fs::create_dir(dir.path().join("attachments")).unwrap();
    for f in std::fs::read_dir(fixture.join("attachments")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), dir.path().join("attachments").join(f.file_name())).unwrap();
    }
    common::file_tokens();
    let old = satchel_core::Satchel::open(
        dir.path().join("satchel.db"),
        satchel_core::store::Profile { author: "ana".into(), device: "old-laptop".into() },
    )
    .unwrap();
    sync::login(&old, &served.base, "ana@example.cn", PASSWORD).unwrap();
    let mut remote = sync::remote_for(&old).unwrap();
    let r = sync::sync_once(&old, &mut remote, &mut |_| {}).unwrap();
    // Its attachment and custom value name no record type (they predate record types): the server
    // files them under the default type, as the laptops do, instead of refusing them.
    assert_eq!(r.refused, 0, "{:?}", old.store().sync_problems().unwrap());
    assert_eq!(r.uploaded, 1);
    let mo = member(&served, "mo");
    sync(&mo);
    let company = satchel_core::ids::CustomerId("01a242c5-b0be-7545-878a-c031c3acde5c".into());
    let files = mo.app.customers().attachments(&company).unwrap();
    assert_eq!(std::fs::read(mo.app.customers().attachment_path(&files[0].id).unwrap()).unwrap(), b"%PDF-1.4 fixture contract");
}

/// A teammate's row naming the same content with another size (a bug, or on purpose) does not
/// stop the real file from going up: each uploader sends its own size, the hash decides.
fn a_row_claiming_another_size_for_the_same_content_does_not_block_the_file(db: &Db) {
    let served = serve(db, Config::default());
    let (ana, mo) = (member(&served, "ana"), member(&served, "mo"));
    let shop = customer(&ana, "华东五金", false);
    sync(&ana);
    let bytes = file(30_000, 13);
    let hash = sha(&bytes);
    let mut dan = HttpRemote::new(&served.base, None).unwrap();
    dan.login("dan@example.cn", PASSWORD, "dan-laptop").unwrap();
    let now = satchel_core::hlc::Hlc::new(satchel_core::store::now_ms(), 0).pack();
    let row = "0190f5c0-0000-7000-8000-0000000000a1";
    let column = |name: &str, value: serde_json::Value| WireChange {
        hlc: now,
        site: "dan-site".into(),
        table: "attachments".into(),
        row: row.into(),
        column: name.into(),
        value,
        entity: String::new(),
    };
    dan.push(&[
        column("record_type", serde_json::json!("customer")),
        column("customer_id", serde_json::json!(shop.to_string())),
        column("name", serde_json::json!("same.pdf")),
        column("size", serde_json::json!(999_999)),
        column("sha256", serde_json::json!(hash.clone())),
    ])
    .unwrap();
    ana.app.customers().add_attachment(&shop, "real.pdf", &bytes).unwrap();
    assert_eq!(sync(&ana).uploaded, 1, "the real file went up");
    let held = served.storage.blob("East", &hash).unwrap().unwrap();
    assert!(held.complete && held.size == bytes.len() as u64, "{held:?}");
    sync(&mo);
    let mut remote = sync::remote_for(&mo.app).unwrap();
    assert_eq!(std::fs::read(blobs::fetch(&mo.app, &mut remote, &hash).unwrap()).unwrap(), bytes);
}

fn a_fetch_cut_off_goes_on_and_fetching_ahead_brings_every_file(db: &Db) {
    let served = serve(db, Config::default());
    let (ana, mo) = (member(&served, "ana"), member(&served, "mo"));
    let shop = customer(&ana, "华东五金", false);
    let big = file(2 * BLOB_PIECE + 5, 8);
    let small = file(300, 9);
    ana.app.customers().add_attachment(&shop, "plan.dwg", &big).unwrap();
    ana.app.customers().add_attachment(&shop, "note.txt", &small).unwrap();
    sync(&ana);
    sync(&mo);
    // Half a piece arrived before the connection dropped.
    let folder = mo.dir.path().join("attachments");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(format!("{}.download", sha(&big))), &big[..BLOB_PIECE / 2]).unwrap();
    blobs::set_fetch_ahead(&mo.app, true).unwrap();
    let mut counting = Counting::of(&mo, true);
    let report = sync::sync_once(&mo.app, &mut counting, &mut |_| {}).unwrap();
    assert_eq!(report.fetched, 2, "every live attachment fetched ahead");
    assert_eq!(counting.got, (big.len() - BLOB_PIECE / 2 + small.len()) as u64, "the cut-off fetch went on from what arrived");
    assert_eq!(std::fs::read(folder.join(sha(&big))).unwrap(), big);
    assert_eq!(std::fs::read(folder.join(sha(&small))).unwrap(), small);
    assert_eq!(sync(&mo).fetched, 0, "nothing fetched twice");
}

fn a_file_over_the_servers_limit_is_refused_and_sync_goes_on(db: &Db) {
    let served = serve(db, Config { attachment_bytes: 1024 * 1024, ..Config::default() });
    let (ana, mo) = (member(&served, "ana"), member(&served, "mo"));
    let shop = customer(&ana, "华东五金", false);
    let big = file(BLOB_PIECE + 1, 10);
    let video = ana.app.customers().add_attachment(&shop, "demo.mp4", &big).unwrap();
    let report = sync(&ana);
    assert_eq!((report.uploaded, report.files_refused), (0, 1));
    assert_eq!(served.storage.blob("East", &sha(&big)).unwrap(), None, "nothing of it stored");
    let listed = ana.app.store().sync_problems().unwrap();
    assert!(
        listed.iter().any(|p| p.table == "attachments" && p.changes.contains("demo.mp4") && p.reason.contains("up to 1 MB")),
        "{listed:?}"
    );
    let refused: (String, String) = ana
        .app
        .store()
        .read(|c| Ok(c.query_row("SELECT state, reason FROM attachment_uploads", [], |r| Ok((r.get(0)?, r.get(1)?)))?))
        .unwrap();
    assert_eq!(refused.0, "refused");
    assert!(refused.1.contains("up to 1 MB"), "{}", refused.1);
    // Not asked about again at every sync; the rest of sync goes on.
    let mut counting = Counting::of(&ana, true);
    customer(&ana, "Later", false);
    let report = sync::sync_once(&ana.app, &mut counting, &mut |_| {}).unwrap();
    assert_eq!((report.pushed > 0, counting.statuses), (true, 0));
    // The manager sees the row and is told the file never reached the server.
    sync(&mo);
    match mo.app.customers().attachment_path(&video.id).unwrap_err() {
        CoreError::File(FileProblem::AttachmentNotUploaded(name)) => assert_eq!(name, "demo.mp4"),
        other => panic!("{other:?}"),
    }
}

fn a_server_that_lost_the_bytes_gets_them_again(db: &Db) {
    let served = serve(db, Config::default());
    let ana = member(&served, "ana");
    let shop = customer(&ana, "华东五金", false);
    let bytes = file(10_000, 11);
    ana.app.customers().add_attachment(&shop, "a.pdf", &bytes).unwrap();
    assert_eq!(sync(&ana).uploaded, 1);
    // Restored from a backup taken before the file arrived: the bytes are gone, the epoch new.
    served.storage.blob_settle("East", &sha(&bytes), false).unwrap();
    served.storage.new_epoch().unwrap();
    assert_eq!(sync(&ana).uploaded, 1, "sent again once the new epoch is seen");
    assert!(served.storage.blob("East", &sha(&bytes)).unwrap().unwrap().complete);
}

/// A local S3-compatible object store for the tests: moto's server (`make s3` installs it; it
/// stands in for a real S3 or MinIO, which cannot run here). None, said once, when it is missing
/// outside `make test`; under `make test` (`SATCHEL_REQUIRE_S3=1`) a missing one fails the test.
struct Moto {
    child: std::process::Child,
    base: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto() -> Option<Moto> {
    let program = std::env::var("SATCHEL_MOTO").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "moto_server".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new(&program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let child = match child {
        Ok(c) => c,
        Err(e) if std::env::var("SATCHEL_REQUIRE_S3").as_deref() == Ok("1") => panic!("{program}: {e}; run `make s3`"),
        Err(e) => {
            eprintln!("object store tests skipped: {program}: {e} (`make s3` installs it)");
            return None;
        }
    };
    let moto = Moto { child, base: format!("http://127.0.0.1:{port}") };
    // Its start-up takes a second or two: wait for it to listen.
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < std::time::Duration::from_secs(30), "{program} did not start listening");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Some(moto)
}

fn moto_store(moto: &Moto, bucket: &str) -> ObjectStore {
    ObjectStore::with_credentials(&format!("{}/{bucket}", moto.base), rusty_s3::Credentials::new("testing", "testing")).unwrap()
}

fn with_an_object_store_files_live_there_and_come_back_by_range(db: &Db) {
    let Some(moto) = moto() else { return };
    let store = moto_store(&moto, "satchel-files");
    store.create_bucket().unwrap();
    store.check().unwrap();
    let served = serve(db, Config { objects: Some(Arc::new(moto_store(&moto, "satchel-files"))), ..Config::default() });
    let (ana, mo) = (member(&served, "ana"), member(&served, "mo"));
    let shop = customer(&ana, "华东五金", false);
    let pdf = file(2 * BLOB_PIECE + 4_321, 12);
    let hash = sha(&pdf);
    ana.app.customers().add_attachment(&shop, "合同.pdf", &pdf).unwrap();
    assert_eq!(sync(&ana).uploaded, 1);
    let held = served.storage.blob("East", &hash).unwrap().unwrap();
    assert!(held.complete && held.elsewhere, "{held:?}");
    assert!(served.storage.blob_read("East", &hash, 0, 10).unwrap().is_empty(), "no piece left in the database");
    let key = ObjectStore::key("East", &hash);
    assert_eq!(store.get(&key, 0, pdf.len()).unwrap(), pdf, "the whole file is in the bucket");
    assert_eq!(store.get(&key, 5, 3).unwrap(), pdf[5..8], "read by range");
    // The manager fetches it, piece by piece, from the store through the server.
    sync(&mo);
    let mut counting = Counting::of(&mo, true);
    let path = blobs::fetch(&mo.app, &mut counting, &hash).unwrap();
    assert_eq!(std::fs::read(path).unwrap(), pdf);
    assert_eq!(counting.got, pdf.len() as u64);
    // Another team's file of the same content is another object.
    assert_ne!(ObjectStore::key("West", &hash), key);
}

/// `serve --object-store` checks the bucket before serving: a wrong one is said at once.
#[test]
fn the_server_will_not_start_on_an_object_store_it_cannot_use() {
    let Some(moto) = moto() else { return };
    let data = tempfile::tempdir().unwrap();
    let server = env!("CARGO_BIN_EXE_satchel-server");
    assert!(std::process::Command::new(server).arg("--data").arg(data.path()).arg("init").status().unwrap().success());
    let serve = |url: &str, keys: bool| {
        let mut c = std::process::Command::new(server);
        c.arg("--data").arg(data.path()).args(["serve", "--listen", "127.0.0.1:0", "--object-store", url]);
        c.env_remove("AWS_ACCESS_KEY_ID").env_remove("AWS_SECRET_ACCESS_KEY");
        if keys {
            c.env("AWS_ACCESS_KEY_ID", "testing").env("AWS_SECRET_ACCESS_KEY", "testing");
        }
        let out = c.output().unwrap();
        assert!(!out.status.success(), "{url} was accepted");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let said = serve(&format!("{}/no-such-bucket", moto.base), true);
    assert!(said.contains("there is no bucket") && said.contains("no-such-bucket"), "{said}");
    let said = serve(&format!("{}/no-such-bucket", moto.base), false);
    assert!(said.contains("AWS_ACCESS_KEY_ID"), "{said}");
    let said = serve(&moto.base, true);
    assert!(said.contains("names no bucket"), "{said}");
}

on_both_backends!(
    "attachments";
    a_signed_contract_goes_up_once_and_the_manager_opens_it,
    a_private_records_file_is_fetched_only_by_whom_may_see_the_record,
    an_upload_cut_off_goes_on_and_bytes_that_do_not_match_are_discarded,
    a_fetch_cut_off_goes_on_and_fetching_ahead_brings_every_file,
    a_row_claiming_another_size_for_the_same_content_does_not_block_the_file,
    a_file_of_a_record_made_private_leaves_the_teammates_computer,
    a_server_from_before_takes_the_files_of_the_attachments_it_already_holds,
    a_book_from_the_released_version_sends_its_attached_file,
    a_file_over_the_servers_limit_is_refused_and_sync_goes_on,
    a_server_that_lost_the_bytes_gets_them_again,
    with_an_object_store_files_live_there_and_come_back_by_range,
);

#[test]
fn pieces_fit_in_a_request() {
    assert!(BLOB_PIECE < satchel_server::http::BODY_LIMIT);
    assert!(wire::is_sha256(&sha(b"x")) && !wire::is_sha256("abc"));
}
