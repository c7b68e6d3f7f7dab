//! Attachments' bytes (issue 14): an attachment's row syncs like any other change, and its bytes
//! go up and down here, by content hash.
//!
//! - `GET /api/v1/blobs/{sha256}/status[?size=N]`: what the server holds ([`BlobStatus`]).
//! - `PUT /api/v1/blobs/{sha256}?offset=N&size=N`: the next piece (at most [`BLOB_PIECE`] bytes), which
//!   must start where the held bytes end (409 `wrong_offset` says where otherwise): an upload cut
//!   off goes on from there. When the last byte arrives the whole file is checked against the
//!   hash; bytes that do not match are forgotten (400 `hash_mismatch`).
//! - `GET /api/v1/blobs/{sha256}?offset=N`: up to [`BLOB_PIECE`] bytes from `offset` of a complete
//!   file: a download cut off goes on from what the laptop has.
//!
//! An uploader names its file's size, which must be the size some row it may see gives (rows can
//! disagree: each uploader sends its own, and bytes of another size held for the hash start over).
//!
//! Who may: a file's bytes go up or down only for someone who may see an attachment row with that
//! hash that was pushed to the team first (its record's owner and visibility decide, as for the
//! row itself); to anyone else the hash is "no attachment you may see" (404), whether or not the
//! server holds it. Bytes are kept once per team, so two records holding the same file upload it
//! once, and a file is never shared between teams: knowing a hash is not a way into another
//! team's files. A file larger than the server's limit ([`crate::http::Config::attachment_bytes`])
//! is refused (413 `attachment_too_large`, at its status already) before any of it is stored.

use crate::http::{authenticate, bad_request, blocking, internal, Refusal, Server, Who, BODY_TIMEOUT};
use crate::storage::{Blob, LinkKey, User};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use satchel_proto::schema;
pub use satchel_proto::wire::{BlobStatus, BLOB_PIECE};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;

type Shared = State<Arc<Server>>;

#[derive(Debug, Deserialize)]
pub struct At {
    #[serde(default)]
    pub offset: u64,
    /// The uploader's size of the file: one of the sizes the rows naming it give (rows can
    /// disagree, when a teammate's row names the content with another size: each uploader sends
    /// its own, and the hash settles which bytes are the file).
    pub size: Option<u64>,
}

fn checked_hash(sha256: &str) -> Result<(), Refusal> {
    if satchel_proto::wire::is_sha256(sha256) {
        Ok(())
    } else {
        Err(bad_request("bad_hash", format!("{sha256:.80} is not a SHA-256 of a file (64 lowercase hex digits)")))
    }
}

fn no_attachment() -> Refusal {
    Refusal(StatusCode::NOT_FOUND, "no_attachment", "no attachment you may see holds this file".into())
}

/// The size of the file `sha256`, when `user` may see an attachment row that holds it (of `size`
/// when one is asked for); refused as [`no_attachment`] otherwise. Each row is filed under its
/// record the way the server files its changes ([`crate::filing`]): through the link columns the
/// server kept.
fn grant(s: &Server, user: &User, sha256: &str, size: Option<u64>) -> Result<u64, Refusal> {
    let rows = s.storage.attachment_rows(&user.team, sha256).map_err(internal)?;
    let table = schema::table(schema::ATTACHMENT_CONTENT.0).ok_or_else(|| internal("no attachments table"))?;
    for (row, row_size) in rows.into_iter().filter(|(_, n)| size.is_none_or(|want| *n == want)) {
        let mut failed = None;
        let record = schema::file_under(table, &row, |t, id, column| {
            let key = LinkKey { table: t.name.to_string(), row: id.to_string(), column: column.to_string() };
            match s.storage.links(&user.team, std::slice::from_ref(&key)) {
                Ok(mut found) => found.remove(&key).map(|(_, v)| v),
                Err(e) => {
                    failed = Some(e);
                    None
                }
            }
        });
        if let Some(e) = failed {
            return Err(internal(e));
        }
        // A row filed under no record is nobody's to fetch (the server refuses such rows; this is
        // for one stored before it did).
        if !record.is_empty() && s.storage.may_see(user, &record).map_err(internal)? {
            return Ok(row_size);
        }
    }
    Err(no_attachment())
}

/// The account of a request about the file `sha256`, and the file's size (of `size` when the
/// uploader names one), when it may see an attachment row naming it: what every route checks first.
fn allowed(s: &Server, who: &Who, headers: &HeaderMap, sha256: &str, size: Option<u64>) -> Result<(User, u64), Refusal> {
    let (user, _) = authenticate(s, who, headers)?;
    checked_hash(sha256)?;
    let size = grant(s, &user, sha256, size)?;
    Ok((user, size))
}

fn status_of(size: u64, held: Option<Blob>) -> BlobStatus {
    match held {
        Some(b) => BlobStatus { size: b.size, received: b.received, complete: b.complete },
        None => BlobStatus { size, received: 0, complete: false },
    }
}

fn too_large(s: &Server, size: u64) -> Refusal {
    Refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        "attachment_too_large",
        format!("the file is {} MB; this server takes attachments up to {} MB", size.div_ceil(1 << 20), s.attachment_bytes >> 20),
    )
}

pub(crate) async fn status(
    State(s): Shared,
    who: Who,
    headers: HeaderMap,
    Path(sha256): Path<String>,
    Query(at): Query<At>,
) -> Result<Json<BlobStatus>, Refusal> {
    blocking(move || {
        let (user, size) = allowed(&s, &who, &headers, &sha256, at.size)?;
        // Held for another size (someone else's bytes under this hash): not this upload's.
        let held = s.storage.blob(&user.team, &sha256).map_err(internal)?.filter(|b| b.complete || b.size == size);
        // Said before any piece is sent: a refusal in answer to a megabyte being sent reaches
        // the laptop as a broken connection.
        if held.is_none() && size > s.attachment_bytes {
            return Err(too_large(&s, size));
        }
        Ok(Json(status_of(size, held)))
    })
    .await
}

/// An upload's piece. The token is checked before the body is read, like a push's.
pub(crate) async fn put(
    State(s): Shared,
    who: Who,
    headers: HeaderMap,
    Path(sha256): Path<String>,
    Query(at): Query<At>,
    body: Body,
) -> Result<Json<BlobStatus>, Refusal> {
    let (user, size) = {
        let s = s.clone();
        let sha256 = sha256.clone();
        blocking(move || {
            let (user, size) = allowed(&s, &who, &headers, &sha256, at.size)?;
            if size > s.attachment_bytes {
                return Err(too_large(&s, size));
            }
            Ok((user, size))
        })
        .await?
    };
    let piece = match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, BLOB_PIECE)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return Err(Refusal(StatusCode::PAYLOAD_TOO_LARGE, "piece_too_large", format!("a piece is at most {} MB", BLOB_PIECE >> 20)))
        }
        Err(_) => {
            return Err(Refusal(
                StatusCode::REQUEST_TIMEOUT,
                "too_slow",
                format!("the piece took over {} s to arrive", BODY_TIMEOUT.as_secs()),
            ))
        }
    };
    blocking(move || {
        if at.offset.checked_add(piece.len() as u64).is_none_or(|end| end > size) {
            return Err(bad_request("too_long", format!("the file is {size} bytes; this piece would end past it")));
        }
        let held = match s.storage.blob_append(&user.team, &sha256, size, at.offset, &piece).map_err(internal)? {
            Ok(b) => b,
            Err(received) => {
                return Err(Refusal(
                    StatusCode::CONFLICT,
                    "wrong_offset",
                    format!("the server holds the first {received} bytes of this file; send the rest from there"),
                ))
            }
        };
        if held.complete || held.received < held.size {
            return Ok(Json(status_of(size, Some(held))));
        }
        let whole = finish(&s, &user.team, &sha256, held.size)?;
        if !whole {
            return Err(bad_request(
                "hash_mismatch",
                format!("the {} bytes sent are not the file {sha256:.12}…: they were discarded; send it again from the start", held.size),
            ));
        }
        log::info!("attachment {sha256:.12}… ({size} bytes) complete, from {}", user.email);
        Ok(Json(BlobStatus { size, received: size, complete: true }))
    })
    .await
}

/// Every byte of a file is here: checks them against its hash, reading them once, and makes the
/// file fetchable (moved to the object store when there is one: kept in memory for that) or, when
/// they are not the file, forgets them. Returns whether they were. A failure to reach the object
/// store leaves the pieces (not fetchable yet): the uploader's next sync finds them all here, sends
/// an empty last piece, and this runs again.
fn finish(s: &Server, team: &str, sha256: &str, size: u64) -> Result<bool, Refusal> {
    let mut hasher = Sha256::new();
    let mut kept = s.objects.as_ref().map(|_| Vec::with_capacity(size as usize));
    let mut offset = 0;
    while offset < size {
        let part = s.storage.blob_read(team, sha256, offset, BLOB_PIECE).map_err(internal)?;
        if part.is_empty() {
            break;
        }
        offset += part.len() as u64;
        hasher.update(&part);
        if let Some(kept) = kept.as_mut() {
            kept.extend_from_slice(&part);
        }
    }
    let whole = offset == size && format!("{:x}", hasher.finalize()) == sha256;
    match (&s.objects, kept) {
        (Some(objects), Some(bytes)) if whole => {
            objects.put(&crate::objects::ObjectStore::key(team, sha256), &bytes).map_err(internal)?;
            s.storage.blob_moved(team, sha256).map_err(internal)?;
        }
        _ => s.storage.blob_settle(team, sha256, whole).map_err(internal)?,
    }
    Ok(whole)
}

/// A piece of a complete file, from `offset`.
pub(crate) async fn get(
    State(s): Shared,
    who: Who,
    headers: HeaderMap,
    Path(sha256): Path<String>,
    Query(at): Query<At>,
) -> Result<Response, Refusal> {
    blocking(move || {
        let (user, _) = allowed(&s, &who, &headers, &sha256, None)?;
        let held = s.storage.blob(&user.team, &sha256).map_err(internal)?.filter(|b| b.complete).ok_or_else(|| {
            Refusal(
                StatusCode::NOT_FOUND,
                "not_uploaded",
                "the file has not reached the server yet: it arrives once the computer it was attached on syncs".into(),
            )
        })?;
        if at.offset > held.size {
            return Err(bad_request("too_long", format!("the file is {} bytes", held.size)));
        }
        let bytes = if held.elsewhere {
            let objects = s
                .objects
                .as_ref()
                .ok_or_else(|| internal("a file is in the object store, and this server was started without --object-store"))?;
            let left = (held.size - at.offset).min(BLOB_PIECE as u64) as usize;
            objects.get(&crate::objects::ObjectStore::key(&user.team, &sha256), at.offset, left).map_err(internal)?
        } else {
            s.storage.blob_read(&user.team, &sha256, at.offset, BLOB_PIECE).map_err(internal)?
        };
        Ok(([("content-type", "application/octet-stream".to_string()), ("x-blob-size", held.size.to_string())], bytes).into_response())
    })
    .await
}
