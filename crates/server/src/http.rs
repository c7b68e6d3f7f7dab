//! The HTTP API (axum). Every route but `/api/v1/login` and `/health` wants a bearer token;
//! errors are `{code, message}` JSON with a fitting status, and each refusal is logged.
//!
//! Tokens expire when unused for [`Config::token_days`] (each use extends them) and are revoked
//! at logout, by `satchel-server token revoke` and by a password change. Logins are counted before
//! the password is checked, per account and per client address, and at most
//! [`Config::hash_permits`] passwords are checked at once (argon2 takes ~19 MiB each).

use crate::storage::{AuditEntry, LoginLimits, Reservation, Storage, StorageError, User};
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, State};
use axum::http::{request::Parts, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
pub use satchel_proto::wire::{
    ApiError, ExportReport, ExportsRequest, LoginRequest, LoginResponse, PullResponse, PushRequest, PushResponse, EXPORTS_MAX,
    EXPORT_KIND_MAX, PUSH_MAX,
};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Requests larger than this are refused before they are read.
pub const BODY_LIMIT: usize = 8 * 1024 * 1024;
/// A login request is an email, a password and a device name: a few hundred bytes.
pub const LOGIN_BODY_LIMIT: usize = 16 * 1024;
/// Wrong passwords for one email within [`FAILURE_WINDOW_MS`] before it is locked for that window.
pub const MAX_FAILURES: u32 = 5;
/// Wrong passwords from one client address within [`FAILURE_WINDOW_MS`] (over any accounts)
/// before it is refused for that window.
pub const MAX_ADDRESS_FAILURES: u32 = 20;
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// A token's last use is written at most this often (not on every request).
pub const TOUCH_EVERY_MS: i64 = 60 * 1000;
/// How long a push's body may take to arrive once its token is accepted.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// What an administrator may tune (`satchel-server serve` flags and environment).
#[derive(Debug, Clone)]
pub struct Config {
    /// A token unused for this many days expires (`--token-days`, default 30).
    pub token_days: u32,
    /// Passwords checked at once, at most.
    pub hash_permits: usize,
    /// How long a login waits for a free permit before it is answered `busy` (503).
    pub hash_wait: Duration,
    /// The time a client has to send a request's headers, counted from when the connection
    /// opened or its previous response was sent: so also how long an idle connection is kept.
    pub header_timeout: Duration,
    /// The largest attachment whose bytes the server takes (`--attachment-mb`, default the
    /// laptops' own limit).
    pub attachment_bytes: u64,
    /// Where complete attachment files go (`--object-store`); None keeps them in the database.
    pub objects: Option<Arc<crate::objects::ObjectStore>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            token_days: 30,
            hash_permits: 4,
            hash_wait: Duration::from_secs(2),
            header_timeout: Duration::from_secs(30),
            attachment_bytes: 100 * 1024 * 1024,
            objects: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
}

/// What the handlers share: the storage and the settings.
pub(crate) struct Server {
    pub(crate) storage: Arc<dyn Storage>,
    token_ttl_ms: i64,
    token_days: u32,
    hashes: Arc<tokio::sync::Semaphore>,
    hash_wait: Duration,
    /// As many threads as `hashes` has permits: a permit holder never waits for one.
    hashers: crate::Hashers,
    pub(crate) attachment_bytes: u64,
    pub(crate) objects: Option<Arc<crate::objects::ObjectStore>>,
}

type Shared = State<Arc<Server>>;

pub struct Refusal(pub(crate) StatusCode, pub(crate) &'static str, pub(crate) String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        log::warn!("{} {}: {}", self.0.as_u16(), self.1, self.2);
        (self.0, Json(ApiError { code: self.1.into(), message: self.2 })).into_response()
    }
}

/// A failure of the server itself: its cause goes to the server's log, the client gets a generic
/// message (database text says nothing useful to a user and something useful to an attacker).
pub(crate) fn internal(e: impl std::fmt::Display) -> Refusal {
    log::error!("internal error: {e}");
    Refusal(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server failed; its log says why".into())
}

/// Runs storage work off the async workers: both backends block (SQLite on its file, the
/// PostgreSQL client on its socket), and argon2 is deliberately slow.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T, Refusal> + Send + 'static) -> Result<T, Refusal> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| Err(internal(e)))
}

/// The client's address, when the server was started with it ([`serve`] gives it; a router
/// served otherwise, as in some tests, limits logins per account only).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_canonical())))
    }
}

/// Adds a line to the audit trail; a failure to is logged, not the request's failure.
fn audit(s: &Server, actor: &str, action: &str, subject: &str, detail: &str) {
    let entry =
        AuditEntry { at_ms: crate::now_ms(), actor: actor.into(), action: action.into(), subject: subject.into(), detail: detail.into() };
    if let Err(e) = s.storage.audit(&entry) {
        log::error!("audit trail: cannot record {action} by {actor}: {e}");
    }
}

/// Who a request turned out to be, for its log line ([`log_request`]): set once its token or
/// password is accepted.
#[derive(Clone, Default)]
pub struct Who(Arc<std::sync::OnceLock<String>>);

impl Who {
    fn is(&self, email: &str) {
        let _ = self.0.set(email.to_string());
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Who {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Who>().cloned().unwrap_or_default())
    }
}

/// One log line per request (at info): method, path (never the query), the user when known,
/// status, duration. Never a password or a token.
async fn log_request(mut req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let start = std::time::Instant::now();
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let who = Who::default();
    req.extensions_mut().insert(who.clone());
    let res = next.run(req).await;
    let user = who.0.get().map_or("-", String::as_str);
    log::info!("{method} {path} {user} {} {:.1} ms", res.status().as_u16(), start.elapsed().as_secs_f64() * 1000.0);
    res
}

async fn login(
    State(s): Shared,
    ClientAddr(addr): ClientAddr,
    who: Who,
    Json(req): Json<LoginRequest>,
) -> Result<Json<LoginResponse>, Refusal> {
    let email = req.email.trim().to_lowercase();
    let address = addr.map(|a| a.to_string()).unwrap_or_default();
    // Counted before the password is checked (and before waiting for a turn to check it), so
    // parallel attempts cannot all pass the limit.
    let reserved = {
        let (s, email) = (s.clone(), email.clone());
        blocking(move || {
            let now = crate::now_ms();
            let limits = LoginLimits { since_ms: now - FAILURE_WINDOW_MS, per_account: MAX_FAILURES, per_address: MAX_ADDRESS_FAILURES };
            match s.storage.reserve_login(&email, &address, now, limits).map_err(internal)? {
                Reservation::Counted(id) => Ok(id),
                Reservation::AccountLocked => Err(Refusal(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    format!("{MAX_FAILURES} wrong passwords for {email}; try again in 15 minutes"),
                )),
                Reservation::AddressLocked => Err(Refusal(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    format!("{MAX_ADDRESS_FAILURES} wrong passwords from {address}; try again in 15 minutes"),
                )),
            }
        })
        .await?
    };
    // A burst waits a little for a turn, not without end: each check holds ~19 MiB.
    let permit = match tokio::time::timeout(s.hash_wait, s.hashes.clone().acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        _ => {
            let s2 = s.clone();
            blocking(move || s2.storage.release_login(reserved).map_err(internal)).await?;
            return Err(Refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the server is busy checking other logins; try again in a moment".into(),
            ));
        }
    };
    blocking(move || {
        let _permit = permit;
        let address = addr.map(|a| a.to_string()).unwrap_or_default();
        let res = login_now(&s, req, &email, reserved);
        match &res {
            Ok(ok) => {
                who.is(&ok.user.email);
                audit(&s, &ok.user.email, "login", &ok.user.email, &address);
            }
            Err(Refusal(_, code, _)) => audit(&s, &email, "login_failed", &email, &format!("{code} from {address}")),
        }
        res
    })
    .await
}

/// Checks the password of a counted attempt (`reserved`): a right one uncounts it.
fn login_now(s: &Server, req: LoginRequest, email: &str, reserved: i64) -> Result<Json<LoginResponse>, Refusal> {
    let now = crate::now_ms();
    let found = s.storage.user_by_email(email).map_err(internal)?;
    // The same answer, and the same argon2 work, for an unknown email and a wrong password.
    let ok = match &found {
        Some(account) => s.hashers.verify(&req.password, &account.password_hash),
        None => {
            s.hashers.verify(&req.password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0000000000000000000000000000000000000000000");
            false
        }
    };
    let Some(account) = found.filter(|_| ok) else {
        return Err(Refusal(StatusCode::UNAUTHORIZED, "bad_credentials", "wrong email or password".into()));
    };
    s.storage.release_login(reserved).map_err(internal)?;
    let user = account.user;
    if account.disabled {
        return Err(disabled(&user.email));
    }
    let server_id = s.storage.server_id().map_err(internal)?;
    let token = crate::new_token(&server_id);
    let device = if req.device.trim().is_empty() { "unnamed device" } else { req.device.trim() };
    s.storage.create_token(&user, device, &crate::token_hash(&token), now).map_err(internal)?;
    // Tokens expired long ago are forgotten (until then they are answered `token_expired`).
    s.storage.forget_tokens_unused_since(now - 2 * s.token_ttl_ms).map_err(internal)?;
    log::info!("login: {} on {device}", user.email);
    let epoch = s.storage.epoch().map_err(internal)?;
    let series = if req.wants_series { s.storage.next_series().map_err(internal)? } else { 0 };
    Ok(Json(LoginResponse { token, user, server_id, epoch, series }))
}

fn disabled(email: &str) -> Refusal {
    Refusal(StatusCode::UNAUTHORIZED, "account_disabled", format!("the account {email} is disabled; ask the server's administrator"))
}

/// The bearer token of a request.
fn bearer(headers: &HeaderMap) -> Result<&str, Refusal> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| Refusal(StatusCode::UNAUTHORIZED, "missing_token", "log in first: this request carries no token".into()))
}

fn bad_token() -> Refusal {
    Refusal(StatusCode::UNAUTHORIZED, "bad_token", "the token is not valid here; log in again".into())
}

/// The user a request's bearer token belongs to (and the device it was given to), or the reason
/// it is refused. Each use extends the token's life (written at most once a minute).
pub(crate) fn authenticate(s: &Server, who: &Who, headers: &HeaderMap) -> Result<(User, String), Refusal> {
    let token = bearer(headers)?;
    let server = s.storage.server_id().map_err(internal)?;
    if token.split_once('.').is_some_and(|(issuer, _)| issuer != server) {
        return Err(Refusal(
            StatusCode::UNAUTHORIZED,
            "foreign_token",
            "this token was issued by another server; log in to this one".into(),
        ));
    }
    let hash = crate::token_hash(token);
    let session = s.storage.session(&hash).map_err(internal)?.ok_or_else(bad_token)?;
    who.is(&session.user.email);
    if session.disabled {
        return Err(disabled(&session.user.email));
    }
    let now = crate::now_ms();
    if now - session.last_used_ms > s.token_ttl_ms {
        return Err(Refusal(
            StatusCode::UNAUTHORIZED,
            "token_expired",
            format!("this device's login expired after {} days unused; log in again", s.token_days),
        ));
    }
    if now - session.last_used_ms >= TOUCH_EVERY_MS {
        s.storage.touch_token(&hash, now).map_err(internal)?;
    }
    Ok((session.user, session.device))
}

async fn me(State(s): Shared, who: Who, headers: HeaderMap) -> Result<Json<User>, Refusal> {
    blocking(move || authenticate(&s, &who, &headers).map(|(u, _)| Json(u))).await
}

/// Revokes the request's token: it is refused (`bad_token`) from then on. An expired token, or
/// one of a disabled account, is revoked too.
async fn logout(State(s): Shared, who: Who, headers: HeaderMap) -> Result<StatusCode, Refusal> {
    blocking(move || {
        let hash = crate::token_hash(bearer(&headers)?);
        let session = s.storage.session(&hash).map_err(internal)?;
        if !s.storage.revoke_token(&hash).map_err(internal)? {
            return Err(bad_token());
        }
        if let Some(session) = session {
            who.is(&session.user.email);
            log::info!("logout: {} on {}", session.user.email, session.device);
            audit(&s, &session.user.email, "logout", &session.device, "");
        }
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// A clock this far ahead of the server's is refused (a laptop whose date is wrong would
/// otherwise win every conflict until the world caught up): the laptops' own limit, one for all.
pub const FUTURE_SLACK_MS: i64 = satchel_proto::hlc::MAX_SKEW_MS as i64;

pub(crate) fn bad_request(code: &'static str, message: String) -> Refusal {
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

/// The token is checked before the body is read: a request without a valid token is answered
/// at once, without taking up to [`BODY_LIMIT`] of memory first. The body is then read (within
/// the limit and [`BODY_TIMEOUT`]) and decoded off the async workers: a push is megabytes of
/// JSON, and axum's `Json` decodes through serde_path_to_error (a tenth of the server's time per
/// push) and answers a malformed body in plain text.
async fn push(State(s): Shared, who: Who, headers: HeaderMap, body: Body) -> Result<Json<PushResponse>, Refusal> {
    let too_large = format!("a push may be at most {} MB", BODY_LIMIT / 1024 / 1024);
    let ((user, device), body) = authenticated_body(&s, who, headers, body, BODY_LIMIT, "the push", too_large).await?;
    blocking(move || push_now(&s, &user, &device, &body)).await
}

/// The account and device of a request whose body is read only once its token is accepted: a
/// request without a valid token is answered at once, without taking up to `limit` of memory
/// first. A body declared or found over `limit` is refused (413, `too_large`); one that does not
/// arrive whole within [`BODY_TIMEOUT`] too (`what` names it in the message).
async fn authenticated_body(
    s: &Arc<Server>,
    who: Who,
    headers: HeaderMap,
    body: Body,
    limit: usize,
    what: &'static str,
    too_large: String,
) -> Result<((User, String), axum::body::Bytes), Refusal> {
    let too_large = || Refusal(StatusCode::PAYLOAD_TOO_LARGE, "too_large", too_large.clone());
    let declared = headers.get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let account = {
        let s = s.clone();
        blocking(move || authenticate(&s, &who, &headers)).await?
    };
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(body)) => Ok((account, body)),
        Ok(Err(e)) if std::error::Error::source(&e).is_some_and(|e| e.is::<http_body_util::LengthLimitError>()) => Err(too_large()),
        Ok(Err(_)) => Err(bad_request("malformed", format!("{what} was cut off before its end"))),
        Err(_) => Err(Refusal(StatusCode::REQUEST_TIMEOUT, "too_slow", format!("{what} took over {} s to arrive", BODY_TIMEOUT.as_secs()))),
    }
}

fn push_now(s: &Server, user: &User, device: &str, body: &[u8]) -> Result<Json<PushResponse>, Refusal> {
    let mut req: PushRequest =
        serde_json::from_slice(body).map_err(|e| bad_request("malformed", format!("the push is not a valid batch of changes: {e}")))?;
    check_batch(&req.changes, crate::now_ms())?;
    // Each change is filed where the server finds it belongs, not where the laptop says.
    // (Asked before the push's own transaction: a row moved by another push in between is filed
    // by the link this one read, and the next change to it by the new one.)
    crate::filing::file(&mut req.changes, |keys| s.storage.links(&user.team, keys))
        .map_err(internal)?
        .map_err(|why| bad_request("malformed", why))?;
    let stored = s.storage.push(user, device, &req.changes).map_err(|e| match e {
        StorageError::Forbidden(why) => {
            audit(s, &user.email, "push_refused", device, &why);
            Refusal(StatusCode::FORBIDDEN, "forbidden", format!("{} may not push this: {why}", user.email))
        }
        e => internal(e),
    })?;
    let epoch = s.storage.epoch().map_err(internal)?;
    Ok(Json(PushResponse { stored: stored.stored, duplicates: req.changes.len() - stored.stored, seqs: stored.seqs, epoch }))
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    pub after: i64,
    pub limit: Option<u32>,
}

async fn pull(
    State(s): Shared,
    who: Who,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<PullQuery>,
) -> Result<Json<PullResponse>, Refusal> {
    blocking(move || pull_now(&s, &who, &headers, q)).await
}

fn pull_now(s: &Server, who: &Who, headers: &HeaderMap, q: PullQuery) -> Result<Json<PullResponse>, Refusal> {
    let (user, _) = authenticate(s, who, headers)?;
    let limit = q.limit.unwrap_or(1000).clamp(1, 5000);
    // One more than asked tells whether there is more without a second query.
    let mut changes = s.storage.pull(&user, q.after, limit + 1).map_err(internal)?;
    // A page of long notes is cut by size as well (the first change always goes): 5,000 of
    // them once made a reply no laptop could read. Either cut backs off to a write's start.
    let mut bytes = 0;
    let by_size = changes.iter().enumerate().position(|(i, c)| {
        bytes += satchel_proto::wire::change_bytes(&c.change);
        i > 0 && bytes > satchel_proto::wire::BATCH_BYTES
    });
    let cut = by_size.unwrap_or(changes.len()).min(limit as usize);
    let has_more = cut < changes.len();
    let end = satchel_proto::wire::whole_writes(&changes, cut, |p| &p.change);
    changes.truncate(end);
    let next = changes.last().map_or(q.after, |c| c.seq);
    let mut site_ids: Vec<&str> = changes.iter().map(|c| c.change.site.as_str()).collect();
    site_ids.sort_unstable();
    site_ids.dedup();
    let sites = s.storage.sites(&site_ids).map_err(internal)?;
    let last = s.storage.last_seq(&user.team).map_err(internal)?;
    let epoch = s.storage.epoch().map_err(internal)?;
    let revoked = s.storage.revoked(&user, q.after, has_more.then_some(next)).map_err(internal)?;
    Ok(Json(PullResponse { changes, next, has_more, sites, last, revoked, now_ms: crate::now_ms(), epoch }))
}

/// A request of export reports is at most [`EXPORTS_MAX`] short ones (about 80 bytes each).
pub const EXPORTS_BODY_LIMIT: usize = 256 * 1024;
/// The earliest time an export report may carry (2020-01-01): before Satchel, a laptop's clock
/// that was reset.
pub const EXPORT_EARLIEST_MS: i64 = 1_577_836_800_000;
/// How far ahead of the server's clock an export report's time may be. Wider than the change
/// clocks' limit: a report's time is only shown, never compared, and a laptop whose clock ran
/// fast when it exported should still have the export in the trail.
pub const EXPORT_AHEAD_MS: i64 = 24 * 3600 * 1000;

/// Refuses a request of export reports as a whole (nothing is written half) when any report
/// could not be a laptop's: a kind that is empty, longer than [`EXPORT_KIND_MAX`] or not made of
/// `a-z`, `0-9`, `.`, `_`, `-` (it goes into the trail's tab-separated lines as it is); a
/// negative count; a time before [`EXPORT_EARLIEST_MS`] or more than [`EXPORT_AHEAD_MS`] ahead.
fn check_reports(reports: &[ExportReport], now_ms: i64) -> Result<(), Refusal> {
    if reports.len() > EXPORTS_MAX {
        return Err(bad_request("batch_too_large", format!("at most {EXPORTS_MAX} export reports per request, got {}", reports.len())));
    }
    for (i, r) in reports.iter().enumerate() {
        let kind_ok = (1..=EXPORT_KIND_MAX).contains(&r.kind.len())
            && r.kind.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
        if !kind_ok {
            let shown: String = r.kind.chars().take(EXPORT_KIND_MAX + 1).collect();
            return Err(bad_request(
                "bad_report",
                format!("export report {i}: the kind {shown:?} must be 1 to {EXPORT_KIND_MAX} of a-z, 0-9, '.', '_' and '-' (customers.csv, say)"),
            ));
        }
        if r.records < 0 {
            return Err(bad_request("bad_report", format!("export report {i}: {} records cannot be fewer than 0", r.records)));
        }
        if r.at_ms < EXPORT_EARLIEST_MS || r.at_ms > now_ms + EXPORT_AHEAD_MS {
            return Err(bad_request(
                "bad_report",
                format!(
                    "export report {i}: its time ({} ms since 1970) is before 2020 or more than a day ahead of the server's clock",
                    r.at_ms
                ),
            ));
        }
    }
    Ok(())
}

/// Exports made on a laptop (issue 14): one `export` line in the audit trail per report, with
/// the account, its device, and what was exported when. Checked like a push: the token before
/// the body is read, the body within [`EXPORTS_BODY_LIMIT`], all reports before any is written.
/// 204 once written; a laptop that gets no answer sends them again.
async fn exports(State(s): Shared, who: Who, headers: HeaderMap, body: Body) -> Result<StatusCode, Refusal> {
    let too_large = format!("export reports may be at most {} KB per request", EXPORTS_BODY_LIMIT / 1024);
    let ((user, device), body) =
        authenticated_body(&s, who, headers, body, EXPORTS_BODY_LIMIT, "the batch of export reports", too_large).await?;
    blocking(move || exports_now(&s, &user, &device, &body)).await
}

fn exports_now(s: &Server, user: &User, device: &str, body: &[u8]) -> Result<StatusCode, Refusal> {
    let req: ExportsRequest =
        serde_json::from_slice(body).map_err(|e| bad_request("malformed", format!("not a valid list of export reports: {e}")))?;
    let now = crate::now_ms();
    check_reports(&req.reports, now)?;
    // Unlike `audit`, a line that cannot be written fails the request (500): the laptop keeps the
    // reports and sends them again, rather than taking them as written. (Lines written before the
    // failure are then written twice: better twice than never.)
    for r in &req.reports {
        let noun = if r.records == 1 { "record" } else { "records" };
        let entry = AuditEntry {
            at_ms: now,
            actor: user.email.clone(),
            action: "export".into(),
            subject: device.into(),
            detail: format!("{} {} {noun} at {}", r.kind, r.records, crate::utc(r.at_ms)),
        };
        s.storage.audit(&entry).map_err(internal)?;
    }
    if !req.reports.is_empty() {
        log::info!("exports: {} on {device} reported {} export(s)", user.email, req.reports.len());
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn health() -> &'static str {
    "ok"
}

/// The API with the default [`Config`].
pub fn router(state: AppState) -> Router {
    router_with(state, &Config::default())
}

pub fn router_with(state: AppState, config: &Config) -> Router {
    let token_ttl_ms = i64::from(config.token_days) * 24 * 3600 * 1000;
    let server = Server {
        storage: state.storage,
        token_ttl_ms,
        token_days: config.token_days,
        hashes: Arc::new(tokio::sync::Semaphore::new(config.hash_permits.max(1))),
        hash_wait: config.hash_wait,
        hashers: crate::Hashers::new(config.hash_permits.max(1)),
        attachment_bytes: config.attachment_bytes,
        objects: config.objects.clone(),
    };
    Router::new()
        .route("/health", get(health))
        .route("/api/v1/login", post(login).layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)))
        .route("/api/v1/logout", post(logout))
        .route("/api/v1/me", get(me))
        .route("/api/v1/push", post(push))
        .route("/api/v1/pull", get(pull))
        .route("/api/v1/blobs/{sha256}/status", get(crate::blobs::status))
        // (A piece is at most BLOB_PIECE bytes: within BODY_LIMIT.)
        .route("/api/v1/blobs/{sha256}", get(crate::blobs::get).put(crate::blobs::put))
        .route("/api/v1/exports", post(exports))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(log_request))
        .with_state(Arc::new(server))
}

/// Serves `app` on `listener` (plain TCP or [`crate::tls::TlsListener`]) over HTTP/1.1: each
/// request knows its client's address ([`ClientAddr`]), and a connection that does not send a
/// request's headers within `header_timeout` (from when it opened, or from its previous
/// response: an idle connection too) is closed.
pub async fn serve<L>(mut listener: L, app: Router, header_timeout: Duration) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    use hyper_util::rt::{TokioIo, TokioTimer};
    loop {
        let (io, peer) = listener.accept().await;
        let app = app.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
            let mut req = req.map(Body::new);
            req.extensions_mut().insert(ConnectInfo(peer));
            tower_service::Service::call(&mut app.clone(), req)
        });
        tokio::spawn(async move {
            let served = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(io), service)
                .await;
            if let Err(e) = served {
                log::debug!("connection from {peer}: {e}");
            }
        });
    }
}
