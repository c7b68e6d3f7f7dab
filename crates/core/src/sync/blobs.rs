//! Attachments' bytes travel too (issue 14). An attachment's row syncs like any other change; its
//! bytes go through the server by content hash (the server's side: `satchel_server::blobs`):
//!
//! - **Up**, at each sync, after the rows are pushed (the server takes bytes only for a row it
//!   has): every hash with a file here that `attachment_uploads` does not list is asked about; a
//!   file the server already holds (the same file on another record, or from a teammate) is not
//!   sent again, and one it holds part of goes on from there. Done or refused (too large for the
//!   server), it is listed, so it is not asked about again; a server restored from a backup
//!   empties the list.
//! - **Down**, when an attachment is opened and its bytes are not here ([`open`]), or at each sync
//!   for every live attachment when the book says so ([`FETCH_AHEAD`]): fetched in pieces into
//!   `<hash>.download`, so a fetch cut off goes on from what arrived, checked against the hash,
//!   flushed to disk and renamed. A laptop's disk is not filled with teammates' files unasked.
//!
//! A remote that carries no bytes (the tests' in-memory relays) leaves attachments where they
//! were added.

use super::wire::{is_sha256, BLOB_PIECE};
use super::{Remote, SyncError, SyncReport};
use crate::error::{CoreError, FileProblem};
use crate::ids::AttachmentId;
use crate::records::attachments;
use crate::Satchel;
use rusqlite::params;
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Meta key: "1" when this book fetches every live attachment's bytes at each sync, instead of
/// when one is opened (Settings → Sync).
pub const FETCH_AHEAD: &str = "sync.fetch_ahead";

/// Whether this book fetches attachments ahead (see [`FETCH_AHEAD`]).
pub fn fetch_ahead(app: &Satchel) -> Result<bool, CoreError> {
    Ok(app.store().meta(FETCH_AHEAD)?.as_deref() == Some("1"))
}

pub fn set_fetch_ahead(app: &Satchel, on: bool) -> Result<(), CoreError> {
    app.store().set_meta(&[(FETCH_AHEAD, on.then(|| "1".to_string()))])
}

fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    std::io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok(format!("{:x}", hasher.finalize()))
}

fn note(app: &Satchel, sha256: &str, state: &str, reason: &str) -> Result<(), CoreError> {
    app.store().write_local(|c| {
        c.execute(
            "INSERT OR REPLACE INTO attachment_uploads (sha256, state, reason, at_ms) VALUES (?1, ?2, ?3, ?4)",
            params![sha256, state, reason, crate::store::now_ms() as i64],
        )?;
        Ok(())
    })
}

/// Forgets which bytes the server was known to hold: all are asked about again at the next sync
/// (a server restored from a backup, another server or account).
pub fn forget_uploads(app: &Satchel) -> Result<(), CoreError> {
    app.store().write_local(|c| Ok(c.execute("DELETE FROM attachment_uploads", []).map(|_| ())?))
}

/// Sends the bytes the server does not hold yet (see the module's notes). Counted in
/// `report.uploaded`. An error of one file (a refusal) is kept with the file and the rest go on;
/// an unreachable server ends it (the next sync carries on).
pub fn upload(app: &Satchel, remote: &mut dyn Remote, report: &mut SyncReport) -> Result<(), SyncError> {
    if !remote.carries_attachments() {
        return Ok(());
    }
    let hashes: Vec<String> = app.store().read(|c| {
        let mut st = c.prepare(
            "SELECT DISTINCT sha256 FROM attachments WHERE sha256 <> ''
             AND sha256 NOT IN (SELECT sha256 FROM attachment_uploads)",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    })?;
    let folder = attachments::dir(app.store());
    for hash in hashes.iter().filter(|h| is_sha256(h)) {
        let path = folder.join(hash);
        if !path.is_file() {
            continue; // A teammate's attachment not fetched here: not this laptop's to send.
        }
        // A damaged copy would be refused by the server after the whole file went up.
        if sha256_of(&path).map_err(CoreError::Io)? != *hash {
            log::error!("attachment {hash:.12}…: the stored copy does not match its hash; not sent");
            continue;
        }
        match upload_one(remote, hash, &path) {
            Ok(Some(sent)) => {
                note(app, hash, "done", "")?;
                if sent {
                    report.uploaded += 1;
                }
            }
            // The server has no row with it that this account may see: the row was set aside or
            // refused, or not pushed yet. Asked again next time.
            Ok(None) => log::info!("attachment {hash:.12}…: the server has no attachment with it (yet)"),
            Err(SyncError::Refused { code, message }) => {
                log::warn!("attachment {hash:.12}… refused by the server ({code}): {message}");
                if code == "attachment_too_large" {
                    note(app, hash, "refused", &message)?;
                    report.files_refused += 1;
                }
            }
            // One file the server and this laptop disagree about (a teammate's row naming this
            // content with another size, say) must not fail the whole sync: tried again next time.
            Err(SyncError::Protocol(why)) => log::warn!("attachment {hash:.12}… not sent: {why}"),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// One file up, from what the server holds of it. `Some(true)` when bytes were sent,
/// `Some(false)` when the server had them all, `None` when it takes none for this hash.
fn upload_one(remote: &mut dyn Remote, hash: &str, path: &Path) -> Result<Option<bool>, SyncError> {
    let mut file = std::fs::File::open(path).map_err(CoreError::Io)?;
    let len = file.metadata().map_err(CoreError::Io)?.len();
    let Some(mut status) = remote.blob_status(hash, Some(len))? else { return Ok(None) };
    if status.complete {
        return Ok(Some(false));
    }
    let mut piece = vec![0u8; BLOB_PIECE];
    // A piece the server places elsewhere (another upload of the same file moved on), or a whole
    // that does not match (someone sent other bytes under this hash, which the server then
    // dropped), starts again from what the server says: a few times, not forever.
    let mut restarts = 0;
    while !status.complete {
        let offset = status.received.min(len);
        file.seek(std::io::SeekFrom::Start(offset)).map_err(CoreError::Io)?;
        let n = read_up_to(&mut file, &mut piece).map_err(CoreError::Io)?;
        match remote.blob_put(hash, len, offset, &piece[..n]) {
            Ok(s) => status = s,
            Err(SyncError::Refused { code, .. }) if (code == "wrong_offset" || code == "hash_mismatch") && restarts < 3 => {
                restarts += 1;
                match remote.blob_status(hash, Some(len))? {
                    Some(s) => status = s,
                    None => return Ok(None),
                }
            }
            Err(e) => return Err(e),
        }
        if n == 0 && !status.complete {
            return Err(SyncError::Protocol(format!("the server wants more of {hash:.12}… than its {len} bytes")));
        }
    }
    Ok(Some(true))
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Fetches one file's bytes into the attachments folder (see the module's notes), unless they
/// are there already. Returns the file's path.
pub fn fetch(app: &Satchel, remote: &mut dyn Remote, hash: &str) -> Result<PathBuf, SyncError> {
    if !is_sha256(hash) {
        return Err(SyncError::Protocol(format!("{hash:.80} is not a content hash")));
    }
    let folder = attachments::ensure_dir(app.store())?;
    let path = folder.join(hash);
    if path.is_file() {
        return Ok(path);
    }
    let part = folder.join(format!("{hash}.download"));
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&part).map_err(CoreError::Io)?;
    let mut have = file.metadata().map_err(CoreError::Io)?.len();
    loop {
        let (bytes, size) = remote.blob_get(hash, have)?;
        if have > size {
            // More than the file holds: not a download of it. Start over.
            file.set_len(0).map_err(CoreError::Io)?;
            have = 0;
            continue;
        }
        file.write_all(&bytes).map_err(CoreError::Io)?;
        have += bytes.len() as u64;
        if have >= size {
            break;
        }
        if bytes.is_empty() {
            return Err(SyncError::Protocol(format!("the server sent nothing of {hash:.12}… at {have} of {size} bytes")));
        }
    }
    file.sync_all().map_err(CoreError::Io)?;
    drop(file);
    if sha256_of(&part).map_err(CoreError::Io)? != hash {
        let _ = std::fs::remove_file(&part);
        return Err(SyncError::Protocol(format!("the bytes fetched for {hash:.12}… do not match it; fetch again")));
    }
    std::fs::rename(&part, &path).map_err(CoreError::Io)?;
    // Fetched from the server, so the server holds it: not hashed and offered again at the next
    // sync's upload.
    note(app, hash, "done", "")?;
    Ok(path)
}

/// At the end of a sync, when the book fetches ahead: the bytes of every live attachment that
/// are not here yet. Counted in `report.fetched`; a file the server does not hold yet waits for
/// the next sync.
pub fn fetch_missing(app: &Satchel, remote: &mut dyn Remote, report: &mut SyncReport) -> Result<(), SyncError> {
    if !remote.carries_attachments() || !fetch_ahead(app)? {
        return Ok(());
    }
    let hashes: Vec<String> = app.store().read(|c| {
        let mut st = c.prepare("SELECT DISTINCT sha256 FROM attachments WHERE deleted_at IS NULL AND name <> '' AND sha256 <> ''")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    })?;
    let folder = attachments::dir(app.store());
    for hash in hashes.iter().filter(|h| is_sha256(h) && !folder.join(h).is_file()) {
        match fetch(app, remote, hash) {
            Ok(_) => report.fetched += 1,
            Err(SyncError::Refused { code, message }) => log::info!("attachment {hash:.12}… not fetched ({code}): {message}"),
            Err(SyncError::Protocol(why)) => log::warn!("attachment {hash:.12}…: {why}"),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The file of a live attachment for the viewer, fetched from the server first when its bytes
/// are not here. Offline (or not connected to a server), an attachment not fetched yet says so
/// by name ([`FileProblem::AttachmentNotFetched`]); one the server does not have yet too
/// ([`FileProblem::AttachmentNotUploaded`]).
pub fn open(app: &Satchel, id: &AttachmentId) -> Result<PathBuf, CoreError> {
    match attachments::path(app.store(), id) {
        Err(CoreError::File(FileProblem::AttachmentNotFetched(name))) => {
            let (hash, _, _) = attachments::content(app.store(), id)?;
            let fetched = super::remote_for(app).and_then(|mut remote| fetch(app, &mut remote, &hash));
            match fetched {
                Ok(_) => attachments::path(app.store(), id),
                Err(SyncError::Refused { code, .. }) if code == "not_uploaded" => {
                    Err(CoreError::File(FileProblem::AttachmentNotUploaded(name)))
                }
                Err(SyncError::Local(e)) => Err(e),
                Err(e) => {
                    log::info!("attachment {id} ({name}) not fetched: {e}");
                    Err(CoreError::File(FileProblem::AttachmentNotFetched(name)))
                }
            }
        }
        other => other,
    }
}
