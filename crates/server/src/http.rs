//! The HTTP API (axum). Every route but `/api/v1/login` and `/health` wants a bearer token;
//! errors are `{code, message}` JSON with a fitting status, and each refusal is logged.

use crate::storage::{Storage, StorageError, User};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
pub use satchel_proto::wire::{ApiError, LoginRequest, LoginResponse, PullResponse, PushRequest, PushResponse, PUSH_MAX};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Requests larger than this are refused before they are read.
pub const BODY_LIMIT: usize = 8 * 1024 * 1024;
/// Failed logins for one email within [`FAILURE_WINDOW_MS`] before it is locked for that window.
pub const MAX_FAILURES: u32 = 5;
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
}

pub struct Refusal(StatusCode, &'static str, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        log::warn!("{} {}: {}", self.0.as_u16(), self.1, self.2);
        (self.0, Json(ApiError { code: self.1.into(), message: self.2 })).into_response()
    }
}

/// A failure of the server itself: its cause goes to the server's log, the client gets a generic
/// message (database text says nothing useful to a user and something useful to an attacker).
fn internal(e: impl std::fmt::Display) -> Refusal {
    log::error!("internal error: {e}");
    Refusal(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server failed; its log says why".into())
}

/// Runs storage work off the async workers: both backends block (SQLite on its file, the
/// PostgreSQL client on its socket), and argon2 is deliberately slow.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T, Refusal> + Send + 'static) -> Result<T, Refusal> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| Err(internal(e)))
}

async fn login(State(s): State<AppState>, Json(req): Json<LoginRequest>) -> Result<Json<LoginResponse>, Refusal> {
    blocking(move || login_now(&s, req)).await
}

fn login_now(s: &AppState, req: LoginRequest) -> Result<Json<LoginResponse>, Refusal> {
    let now = crate::now_ms();
    let email = req.email.trim().to_lowercase();
    let failures = s.storage.failures_since(&email, now - FAILURE_WINDOW_MS).map_err(internal)?;
    if failures >= MAX_FAILURES {
        return Err(Refusal(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("{MAX_FAILURES} wrong passwords for {email}; try again in 15 minutes"),
        ));
    }
    let found = s.storage.user_by_email(&email).map_err(internal)?;
    // The same answer, and the same argon2 work, for an unknown email and a wrong password.
    let ok = match &found {
        Some((_, hash)) => crate::verify_password(&req.password, hash),
        None => {
            crate::verify_password(
                &req.password,
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0000000000000000000000000000000000000000000",
            );
            false
        }
    };
    let Some((user, _)) = found.filter(|_| ok) else {
        s.storage.record_failure(&email, now).map_err(internal)?;
        return Err(Refusal(StatusCode::UNAUTHORIZED, "bad_credentials", "wrong email or password".into()));
    };
    let server_id = s.storage.server_id().map_err(internal)?;
    let token = crate::new_token(&server_id);
    let device = if req.device.trim().is_empty() { "unnamed device" } else { req.device.trim() };
    s.storage.create_token(&user, device, &crate::token_hash(&token), now).map_err(internal)?;
    log::info!("login: {} on {device}", user.email);
    Ok(Json(LoginResponse { token, user, server_id }))
}

/// The user a request's bearer token belongs to (and the device it was given to), or the reason
/// it is refused.
fn authenticate(s: &AppState, headers: &HeaderMap) -> Result<(User, String), Refusal> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| Refusal(StatusCode::UNAUTHORIZED, "missing_token", "log in first: this request carries no token".into()))?;
    let server = s.storage.server_id().map_err(internal)?;
    if token.split_once('.').is_some_and(|(issuer, _)| issuer != server) {
        return Err(Refusal(
            StatusCode::UNAUTHORIZED,
            "foreign_token",
            "this token was issued by another server; log in to this one".into(),
        ));
    }
    s.storage
        .user_by_token(&crate::token_hash(token))
        .map_err(internal)?
        .ok_or_else(|| Refusal(StatusCode::UNAUTHORIZED, "bad_token", "the token is not valid here; log in again".into()))
}

async fn me(State(s): State<AppState>, headers: HeaderMap) -> Result<Json<User>, Refusal> {
    blocking(move || authenticate(&s, &headers).map(|(u, _)| Json(u))).await
}

/// A clock this far ahead of the server's is refused (a laptop whose date is wrong would
/// otherwise win every conflict until the world caught up): the laptops' own limit, one for all.
pub const FUTURE_SLACK_MS: i64 = satchel_proto::hlc::MAX_SKEW_MS as i64;

fn bad_request(code: &'static str, message: String) -> Refusal {
    Refusal(StatusCode::BAD_REQUEST, code, message)
}

/// The longest text value a change may carry (a note is at most 20,000 characters; a custom
/// field's option list is the largest row), in bytes.
pub const VALUE_MAX_BYTES: usize = 256 * 1024;

/// Refuses a batch as a whole (nothing is stored half) when any change names a table or column
/// this server does not know (a newer client), carries a clock far in the future, or a value no
/// laptop could hold: a null for a column the laptops keep NOT NULL, a value that is neither text
/// nor a number, text over [`VALUE_MAX_BYTES`]. Stored, such a change would fail every laptop's
/// pull of it (a laptop now sets it aside, but the team would still disagree).
fn check_batch(changes: &[crate::storage::WireChange], now_ms: i64) -> Result<(), Refusal> {
    if changes.len() > PUSH_MAX {
        return Err(bad_request("batch_too_large", format!("at most {PUSH_MAX} changes per push, got {}", changes.len())));
    }
    for (i, ch) in changes.iter().enumerate() {
        let known = satchel_proto::schema::knows(&ch.table, &ch.column);
        if !known {
            return Err(bad_request(
                "unknown_column",
                format!("change {i}: {}.{} is not known to this server (is the server older than the app?)", ch.table, ch.column),
            ));
        }
        let bad_value = |why: String| bad_request("bad_value", format!("change {i}: {}.{} of {}: {why}", ch.table, ch.column, ch.row));
        match &ch.value {
            serde_json::Value::Null if !satchel_proto::tables::nullable(&ch.table, &ch.column) => {
                return Err(bad_value("cannot be empty (null)".into()));
            }
            serde_json::Value::String(text) if text.len() > VALUE_MAX_BYTES => {
                return Err(bad_value(format!("is {} bytes long, at most {VALUE_MAX_BYTES}", text.len())));
            }
            serde_json::Value::Bool(_) | serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                return Err(bad_value("must be text or a number".into()));
            }
            _ => {}
        }
        let wall = satchel_proto::hlc::Hlc::unpack(ch.hlc).wall_ms as i64;
        if wall > now_ms + FUTURE_SLACK_MS {
            return Err(bad_request(
                "clock_in_future",
                format!(
                    "change {i}: its clock is {} minutes ahead of the server's (at most {}); it is sent again once the server's time reaches it. Check the device's date and time",
                    (wall - now_ms) / 60_000,
                    FUTURE_SLACK_MS / 60_000
                ),
            ));
        }
        if ch.site.is_empty() || ch.row.is_empty() {
            return Err(bad_request("malformed", format!("change {i}: site and row are required")));
        }
        // The record a change is filed under decides who sees it: it must fit the table's scope.
        if !ch.filing_fits() {
            return Err(bad_request(
                "malformed",
                format!("change {i}: {}.{} is not filed under the record it belongs to", ch.table, ch.column),
            ));
        }
    }
    Ok(())
}

/// The body is read as bytes and decoded here, after the token is checked and off the async
/// workers: a push is megabytes of JSON, and axum's `Json` decodes through serde_path_to_error
/// (a tenth of the server's time per push) and answers a malformed body in plain text.
async fn push(State(s): State<AppState>, headers: HeaderMap, body: axum::body::Bytes) -> Result<Json<PushResponse>, Refusal> {
    blocking(move || push_now(&s, &headers, &body)).await
}

fn push_now(s: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<Json<PushResponse>, Refusal> {
    let (user, device) = authenticate(s, headers)?;
    let req: PushRequest =
        serde_json::from_slice(body).map_err(|e| bad_request("malformed", format!("the push is not a valid batch of changes: {e}")))?;
    check_batch(&req.changes, crate::now_ms())?;
    let stored = s.storage.push(&user, &device, &req.changes).map_err(|e| match e {
        StorageError::Forbidden(why) => Refusal(StatusCode::FORBIDDEN, "forbidden", format!("{} may not push this: {why}", user.email)),
        e => internal(e),
    })?;
    Ok(Json(PushResponse { stored: stored.stored, duplicates: req.changes.len() - stored.stored, seqs: stored.seqs }))
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    pub after: i64,
    pub limit: Option<u32>,
}

async fn pull(
    State(s): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<PullQuery>,
) -> Result<Json<PullResponse>, Refusal> {
    blocking(move || pull_now(&s, &headers, q)).await
}

fn pull_now(s: &AppState, headers: &HeaderMap, q: PullQuery) -> Result<Json<PullResponse>, Refusal> {
    let (user, _) = authenticate(s, headers)?;
    let limit = q.limit.unwrap_or(1000).clamp(1, 5000);
    // One more than asked tells whether there is more without a second query.
    let mut changes = s.storage.pull(&user, q.after, limit + 1).map_err(internal)?;
    let mut has_more = changes.len() > limit as usize;
    changes.truncate(limit as usize);
    // A page of long notes is cut by size as well (the first change always goes): 5,000 of
    // them once made a reply no laptop could read.
    let mut bytes = 0;
    if let Some(cut) = changes.iter().enumerate().position(|(i, c)| {
        bytes += satchel_proto::wire::change_bytes(&c.change);
        i > 0 && bytes > satchel_proto::wire::BATCH_BYTES
    }) {
        changes.truncate(cut);
        has_more = true;
    }
    let next = changes.last().map_or(q.after, |c| c.seq);
    let mut site_ids: Vec<&str> = changes.iter().map(|c| c.change.site.as_str()).collect();
    site_ids.sort_unstable();
    site_ids.dedup();
    let sites = s.storage.sites(&site_ids).map_err(internal)?;
    let last = s.storage.last_seq(&user.team).map_err(internal)?;
    Ok(Json(PullResponse { changes, next, has_more, sites, last, now_ms: crate::now_ms() }))
}

async fn health() -> &'static str {
    "ok"
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/api/v1/login", post(login))
        .route("/api/v1/me", get(me))
        .route("/api/v1/push", post(push))
        .route("/api/v1/pull", get(pull))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}
