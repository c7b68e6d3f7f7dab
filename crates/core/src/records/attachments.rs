//! Files attached to a record of any type: quotes received, photos of a shop front, signed
//! forms.
//!
//! The row is synced like any other (name, size, hash, who added it); the bytes are written once
//! to `attachments/<sha256>` beside the database file, so the same file on two records is stored
//! once and a deleted attachment can come back (delete is a tombstone; the bytes stay).

use super::RecordRef;
use crate::error::{CoreError, Invalid, Result};
use crate::ids::AttachmentId;
use crate::store::{schema, Store};
use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Larger files are refused before anything is written: the app keeps a customer book, not a
/// file server, and the database directory is what people back up.
pub const MAX_BYTES: usize = 100 * 1024 * 1024;
const NAME_MAX: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: AttachmentId,
    /// The type of the record it is attached to (`"customer"`).
    pub record_type: String,
    pub record_id: String,
    pub name: String,
    /// Bytes (a JavaScript number is exact far beyond the size limit).
    pub size: u32,
    pub added_by: String,
    /// RFC 3339 UTC, from the id's creation time.
    pub added_at: String,
}

/// Where the bytes of all attachments live: beside the database file.
pub fn dir(store: &Store) -> PathBuf {
    store.path().parent().map(|p| p.to_path_buf()).unwrap_or_default().join("attachments")
}

/// The attachments folder, made (readable by this user only, like the database) if missing.
pub(crate) fn ensure_dir(store: &Store) -> Result<PathBuf> {
    let folder = dir(store);
    if !folder.exists() {
        std::fs::create_dir_all(&folder)?;
        #[cfg(unix)]
        std::fs::set_permissions(&folder, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    }
    Ok(folder)
}

/// A file name fit to show and to hand to a viewer: no folders, no control characters.
fn clean_name(name: &str) -> Result<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        return Err(CoreError::invalid("name", Invalid::Required));
    }
    if cleaned.chars().count() > NAME_MAX {
        return Err(CoreError::invalid("name", Invalid::TooLong { max: NAME_MAX }));
    }
    Ok(cleaned)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Attachment> {
    let id = AttachmentId(r.get(0)?);
    let added_at = crate::time::rfc3339_ms(id.created_ms().unwrap_or(0));
    Ok(Attachment {
        id,
        record_id: r.get(1)?,
        name: r.get(2)?,
        size: r.get::<_, i64>(3)? as u32,
        added_by: r.get(4)?,
        record_type: r.get(5)?,
        added_at,
    })
}

/// Stores the bytes (once per content) and records the attachment in one write.
pub fn add(store: &Store, record: &RecordRef, name: &str, bytes: &[u8]) -> Result<Attachment> {
    let name = clean_name(name)?;
    if bytes.len() > MAX_BYTES {
        return Err(CoreError::File(crate::error::FileProblem::TooLarge { bytes: bytes.len() as u64, max: MAX_BYTES as u64 }));
    }
    let hash = format!("{:x}", Sha256::digest(bytes));
    let folder = ensure_dir(store)?;
    let path = folder.join(&hash);
    if !path.exists() {
        // Written under a temporary name and renamed, so a crash never leaves half a file under
        // the final name.
        // Flushed to disk before the rename, so a power cut leaves the old name or the whole
        // file, never the name over missing bytes.
        let tmp = folder.join(format!("{hash}.part"));
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
    }
    let id = AttachmentId::new();
    let author = store.profile().author.clone();
    store.write(|w| {
        super::require_live(w, record)?;
        w.insert(
            &schema::ATTACHMENTS,
            id.as_str(),
            &[
                ("record_type", Value::Text(record.kind.name.into())),
                ("customer_id", Value::Text(record.id.clone())),
                ("name", Value::Text(name.clone())),
                ("size", Value::Integer(bytes.len() as i64)),
                ("sha256", Value::Text(hash.clone())),
                ("added_by", Value::Text(author.clone())),
            ],
        )
    })?;
    get(store, &id)
}

pub fn get(store: &Store, id: &AttachmentId) -> Result<Attachment> {
    store
        .read(|c| {
            Ok(c.prepare_cached("SELECT id, customer_id, name, size, added_by, record_type FROM attachments WHERE id = ?1")?
                .query_row([id.as_str()], row)
                .optional()?)
        })?
        .ok_or_else(|| CoreError::NotFound { what: "attachment", id: id.to_string() })
}

/// A record's live attachments, newest first.
pub fn list(store: &Store, record: &RecordRef) -> Result<Vec<Attachment>> {
    store.read(|c| {
        let mut st = c.prepare_cached(
            "SELECT id, customer_id, name, size, added_by, record_type FROM attachments
             WHERE customer_id = ?1 AND record_type = ?2 AND deleted_at IS NULL AND name <> '' ORDER BY id DESC",
        )?;
        let rows = st.query_map([record.id.as_str(), record.kind.name], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    })
}

/// What a live attachment's bytes are: their hash, the file's name and size. `NotFound` for a
/// deleted attachment (or a row whose hash is not one).
pub fn content(store: &Store, id: &AttachmentId) -> Result<(String, String, u64)> {
    let found: Option<(String, String, i64)> = store.read(|c| {
        Ok(c.prepare_cached("SELECT sha256, name, size FROM attachments WHERE id = ?1 AND deleted_at IS NULL")?
            .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?)
    })?;
    found
        .filter(|(h, _, _)| satchel_proto::wire::is_sha256(h))
        .map(|(h, name, size)| (h, name, size.max(0) as u64))
        .ok_or_else(|| CoreError::NotFound { what: "attachment", id: id.to_string() })
}

/// The stored file of a live attachment, for the system viewer. A row synced from another device
/// whose bytes are not here is `AttachmentNotFetched` (see `sync::blobs` for fetching them).
///
/// The file is checked against the hash its row records before it is handed over: a copy damaged
/// on disk (a bad sector, a sync tool, a hand edit) is refused, naming the attachment, instead of
/// opening as something else than what was attached.
pub fn path(store: &Store, id: &AttachmentId) -> Result<PathBuf> {
    let (hash, name, _) = content(store, id)?;
    let path = dir(store).join(&hash);
    if !path.is_file() {
        return Err(CoreError::File(crate::error::FileProblem::AttachmentNotFetched(name)));
    }
    let mut hasher = Sha256::new();
    std::io::copy(&mut std::fs::File::open(&path)?, &mut hasher)?;
    if format!("{:x}", hasher.finalize()) != hash {
        log::error!("attachment {id} ({name}): {} does not match its hash", path.display());
        return Err(CoreError::File(crate::error::FileProblem::AttachmentDamaged(name)));
    }
    Ok(path)
}

pub fn delete(store: &Store, id: &AttachmentId) -> Result<()> {
    store.write(|w| w.tombstone(&schema::ATTACHMENTS, id.as_str()).map(|_| ()))
}

pub fn restore(store: &Store, id: &AttachmentId) -> Result<Attachment> {
    store.write(|w| w.update(&schema::ATTACHMENTS, id.as_str(), &[("deleted_at", Value::Null)]).map(|_| ()))?;
    get(store, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_folders_and_control_characters() {
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_name("C:\\Users\\王\\报价单.pdf").unwrap(), "报价单.pdf");
        assert_eq!(clean_name("a\u{0}b\n.txt").unwrap(), "ab.txt");
        for bad in ["", "  ", "dir/", ".."] {
            assert!(clean_name(bad).is_err(), "{bad:?}");
        }
    }
}
