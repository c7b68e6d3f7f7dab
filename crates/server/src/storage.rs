//! What the server keeps, behind a trait so that the embedded SQLite backend (the default) and a
//! PostgreSQL one (for teams behind a load balancer) run the same tests. The server holds no state
//! of its own outside this: login throttling and tokens live here too.

pub use satchel_proto::wire::{Pulled, Role, SiteInfo, User, WireChange};

/// What a push stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pushed {
    /// Changes that were new (the rest were already stored).
    pub stored: usize,
    /// `(before, after)`: the team's last sequence number before this push and after it. Every
    /// number in between was taken by this push's own changes (pushes of a team are serialised),
    /// so a device that had pulled up to `before` has everything up to `after`. None when the
    /// push renumbered other changes (a private record made shared), which breaks that promise.
    pub seqs: Option<(i64, i64)>,
}

/// An account as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user: User,
    pub password_hash: String,
    /// Refused at login and on every request (`satchel-server user disable`).
    pub disabled: bool,
}

/// What a device's token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    /// The device it was given to.
    pub device: String,
    /// When it was last used (to the minute: see [`Storage::touch_token`]); a token unused for
    /// longer than the server's `--token-days` has expired.
    pub last_used_ms: i64,
    /// Whether its account is disabled.
    pub disabled: bool,
}

/// A token as `satchel-server token list` shows it: never the token, nor its whole hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The first [`TOKEN_ID_LEN`] characters of the token's SHA-256 hash: enough to name it,
    /// useless for using it.
    pub id: String,
    pub email: String,
    pub device: String,
    pub created_ms: i64,
    pub last_used_ms: i64,
}

/// How many characters of a token's hash name it (48 bits: unique among any server's tokens).
pub const TOKEN_ID_LEN: usize = 12;

/// Login attempts allowed within a window (see [`Storage::reserve_login`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Counted attempts since this time count.
    pub since_ms: i64,
    /// At most this many per account (email)...
    pub per_account: u32,
    /// ...and this many per client address.
    pub per_address: u32,
}

/// The answer to a login attempt's reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Counted, under this id: a wrong password leaves it counted; a right one releases it.
    Counted(i64),
    /// The account had its attempts in the window: nothing was counted.
    AccountLocked,
    /// The client address had its attempts in the window: nothing was counted.
    AddressLocked,
}

/// One line of the audit trail (`satchel-server audit`): who did what to whom, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at_ms: i64,
    /// An account's email, `cli:USER` for an admin command, or the email a failed login named.
    pub actor: String,
    /// `login`, `login_failed`, `logout`, `push_refused`, `disable`, `enable`, `passwd`, `role`,
    /// `token_revoke`, `restore`, `new_epoch`, and `export`: a laptop reported an export of
    /// customers (`POST /api/v1/exports`; the actor is the account, the subject its device, the
    /// detail `KIND N records at TIME`, the time by the laptop's clock).
    pub action: String,
    /// What it was done to: an account's email, a device, a token's id.
    pub subject: String,
    /// More: the client address, the new role, the refusal's reason, what was exported.
    pub detail: String,
}

/// A link column of a row: a child's parent, or the record type and id a shared row serves.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinkKey {
    pub table: String,
    pub row: String,
    pub column: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("{0} already exists")]
    Exists(String),
    /// No such account or token (the text says which).
    #[error("{0}")]
    NotFound(String),
    #[error("not initialised: run `satchel-server --data DIR init` first")]
    NotInitialised,
    /// The user may not write this: another's private record, or another account's device.
    #[error("{0}")]
    Forbidden(String),
    #[error("storage: {0}")]
    Backend(String),
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        StorageError::Backend(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, StorageError>;

/// Everything the server stores. Implementations must be safe to share across request tasks.
pub trait Storage: Send + Sync {
    fn add_user(&self, email: &str, role: Role, team: &str, password_hash: &str) -> Result<User>;
    /// The account of an email (in any case).
    fn user_by_email(&self, email: &str) -> Result<Option<Account>>;
    /// Every account, by email.
    fn users(&self) -> Result<Vec<Account>>;
    /// Disables or enables an account (`NotFound` for an unknown email). A disabled account's
    /// tokens are refused but kept: enabling it lets its devices back in.
    fn set_disabled(&self, email: &str, disabled: bool) -> Result<User>;
    fn set_role(&self, email: &str, role: Role) -> Result<User>;
    /// Sets a new password hash and revokes every token of the account, in one transaction;
    /// returns how many tokens were revoked.
    fn set_password(&self, email: &str, password_hash: &str) -> Result<(User, usize)>;
    /// Keeps a new token (its hash), used at `now_ms`.
    fn create_token(&self, user: &User, device: &str, token_hash: &str, now_ms: i64) -> Result<()>;
    /// The session a token stands for (whether or not it expired or its account is disabled).
    fn session(&self, token_hash: &str) -> Result<Option<Session>>;
    /// Records that a token was used at `now_ms` (callers do so at most once a minute per token,
    /// not on every request).
    fn touch_token(&self, token_hash: &str, now_ms: i64) -> Result<()>;
    /// Revokes a token (logout); false when there was no such token.
    fn revoke_token(&self, token_hash: &str) -> Result<bool>;
    /// Revokes the token whose id ([`TokenInfo::id`]) this is, and says which it was (`NotFound`
    /// for an unknown id).
    fn revoke_token_id(&self, id: &str) -> Result<TokenInfo>;
    /// Forgets the tokens last used before `before_ms` (long expired); returns how many.
    fn forget_tokens_unused_since(&self, before_ms: i64) -> Result<usize>;
    /// Every token, by email and then newest first.
    fn tokens(&self) -> Result<Vec<TokenInfo>>;
    /// Counts a login attempt for `email` from `address` ("" when unknown: then only the account
    /// is limited) before its password is checked, in one step with checking the limits, so that
    /// parallel attempts cannot all pass the check before any is counted. Throttling lives in
    /// storage, so several servers behind a load balancer agree. Attempts older than an hour are
    /// forgotten.
    fn reserve_login(&self, email: &str, address: &str, now_ms: i64, limits: LoginLimits) -> Result<Reservation>;
    /// Uncounts a reserved attempt (the password was right, or it was never checked).
    fn release_login(&self, id: i64) -> Result<()>;
    /// Adds a line to the audit trail.
    fn audit(&self, entry: &AuditEntry) -> Result<()>;
    /// The newest `limit` lines of the audit trail, newest first.
    fn audit_trail(&self, limit: u32) -> Result<Vec<AuditEntry>>;
    /// This server's id: a token from another server is refused.
    fn server_id(&self) -> Result<String>;
    /// Stores each change once in `user`'s team (a change already stored, same site, clock,
    /// table, row and column, is skipped), all in one transaction or none of it. Enforces who may
    /// write what: a site (device database) belongs to the first account that pushed from it; a
    /// record belongs to the account that first pushed it, and a salesperson may not write
    /// another's private record, nor change who may see or who looks after another's record
    /// (`Forbidden`, nothing stored). Each change's `entity` is the one the server filed it
    /// under ([`crate::filing`]); the link columns the batch sets are kept for the next
    /// ([`Storage::links`]). Returns how many were new, and which sequence numbers they took (see
    /// [`Pushed::seqs`]).
    fn push(&self, user: &User, device: &str, changes: &[WireChange]) -> Result<Pushed>;
    /// The newest value (and its clock) of each link column asked for, in `team`, as pushes
    /// stored them: what files a child row under its record. Missing keys have none.
    fn links(&self, team: &str, keys: &[LinkKey]) -> Result<std::collections::HashMap<LinkKey, (i64, String)>>;
    /// The changes `user` may see after the cursor, in server order, at most `limit`: managers
    /// and owners all of the team's, salespeople their own records, shared records and team-wide
    /// settings.
    fn pull(&self, user: &User, after: i64, limit: u32) -> Result<Vec<Pulled>>;
    /// The records `user` may no longer see that were made private after `after` (up to `upto`):
    /// none for managers and owners, nor for the record's own owner, nor for a record shared again
    /// since (its changes come again then).
    fn revoked(&self, user: &User, after: i64, upto: Option<i64>) -> Result<Vec<String>>;
    /// Who the given sites belong to.
    fn sites(&self, sites: &[&str]) -> Result<Vec<SiteInfo>>;
    /// The newest sequence number in the team (for clients' progress bars).
    fn last_seq(&self, team: &str) -> Result<i64>;
    /// This database's epoch (issue 14): a random id, set when the database is made and changed
    /// when it is restored from a backup ([`Storage::new_epoch`]). Pull, push and login replies
    /// carry it; a laptop that sees it change pushes all its own changes again and pulls
    /// everything again, so the server gets back what the restore lost.
    fn epoch(&self) -> Result<String>;
    /// Gives the database a new epoch, and returns it (`satchel-server restore`, `new-epoch`).
    fn new_epoch(&self) -> Result<String>;
    /// The next number series (1, 2, 3, ...): each laptop's quote and contract numbers carry
    /// its own, so laptops offline never make the same number. Never hands out one twice.
    fn next_series(&self) -> Result<u64>;

    // Attachments' bytes (issue 14): kept once per team and content hash, arriving in pieces.

    /// The attachment rows of `team` whose content is `sha256`, each with its size, as the newest
    /// pushed values say (deleted ones too: a delete can be undone).
    fn attachment_rows(&self, team: &str, sha256: &str) -> Result<Vec<(String, u64)>>;
    /// Whether `user` may see record `entity` (a team-wide row, `""`, everyone may): managers
    /// and owners every record, others shared ones and their own.
    fn may_see(&self, user: &User, entity: &str) -> Result<bool>;
    /// What the team holds of the bytes of `sha256`, if anything.
    fn blob(&self, team: &str, sha256: &str) -> Result<Option<Blob>>;
    /// Adds a piece at `offset` of a file of `size` bytes. A piece that does not start where the
    /// held bytes end is not stored: `Ok(Err(held))` says how many there are. A different size
    /// than the held bytes were sent for starts the file over (they were not its bytes).
    fn blob_append(&self, team: &str, sha256: &str, size: u64, offset: u64, bytes: &[u8]) -> Result<std::result::Result<Blob, u64>>;
    /// Up to `max` bytes of the held bytes from `offset`.
    fn blob_read(&self, team: &str, sha256: &str, offset: u64, max: usize) -> Result<Vec<u8>>;
    /// A complete file moved to the object store: fetchable from there, its pieces here dropped.
    fn blob_moved(&self, team: &str, sha256: &str) -> Result<()>;
    /// Once every byte arrived: `whole` (they matched the hash) makes the file fetchable,
    /// otherwise it is forgotten, so the next upload starts from nothing.
    fn blob_settle(&self, team: &str, sha256: &str, whole: bool) -> Result<()>;
}

/// How a kept column's value is stored beside the links ([`satchel_proto::schema::kept`]): text
/// as it is, a number (an attachment's size) in decimal.
pub fn kept_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// Who a record belongs to when the server first sees it (both backends).
///
/// A record belongs to the account that first pushes it, and its creation carries who may see it
/// (its visibility column). A server restored from a backup can first meet a record through a
/// teammate's edits instead: every laptop pushes all its own changes again, in no order between
/// laptops. Taken as the teammate's, the record's creator would then be refused her own creation
/// ("only the owner may change who sees it") and the teammate could hide it. So a record first
/// pushed without any change to who may see it is *claimable*: the pusher holds it for now, and a
/// later push that sets who may see it with a clock older than every change the server had of it
/// (only its creation can be older than the first edit) makes it its pusher's. Until then it is
/// shared when a salesperson sent it (they could only have had it shared) and hidden from
/// salespeople when a manager did (it may be someone's private record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub shared: bool,
    pub claimable: bool,
}

impl Claim {
    /// A record new to the server, pushed by `user`; `sets_access`: the push says who may see it.
    pub fn of_new(user: &User, sets_access: bool) -> Claim {
        if sets_access {
            Claim { shared: true, claimable: false }
        } else {
            Claim { shared: !user.role.sees_all(), claimable: true }
        }
    }

    /// For each record a batch names: the oldest clock of its changes to who may see it (where it
    /// has any), and the oldest clock of all its changes.
    pub fn scan(changes: &[WireChange]) -> (std::collections::HashMap<&str, i64>, std::collections::HashMap<&str, i64>) {
        let (mut claims, mut firsts) = (std::collections::HashMap::new(), std::collections::HashMap::new());
        for ch in changes.iter().filter(|c| !c.entity.is_empty()) {
            let first = firsts.entry(ch.entity.as_str()).or_insert(ch.hlc);
            *first = (*first).min(ch.hlc);
            if ch.sets_access() {
                let claim = claims.entry(ch.entity.as_str()).or_insert(ch.hlc);
                *claim = (*claim).min(ch.hlc);
            }
        }
        (claims, firsts)
    }
}

/// What the server holds of an attachment's bytes (see [`Storage::blob`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blob {
    pub size: u64,
    pub received: u64,
    pub complete: bool,
    /// The file moved to the object store ([`crate::objects`]): its bytes are read from there.
    pub elsewhere: bool,
}

/// Up to `max` bytes from `offset` of a file held in pieces, given the pieces (start, bytes) from
/// the one holding `offset` on, in order: what both backends' [`Storage::blob_read`] return.
pub fn from_pieces<'a>(pieces: impl IntoIterator<Item = (u64, &'a [u8])>, offset: u64, max: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (start, data) in pieces {
        let skip = offset.saturating_sub(start) as usize;
        let take = &data[skip.min(data.len())..];
        out.extend_from_slice(&take[..take.len().min(max - out.len())]);
        if out.len() >= max {
            break;
        }
    }
    out
}

/// A new epoch's id.
pub fn fresh_epoch() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::from_pieces;

    #[test]
    fn a_read_from_pieces_starts_inside_one_and_stops_at_max() {
        let pieces: [(u64, &[u8]); 3] = [(0, b"abcd"), (4, b"ef"), (6, b"ghij")];
        for (offset, max, want) in
            [(0, 100, "abcdefghij"), (2, 3, "cde"), (4, 2, "ef"), (5, 4, "fghi"), (9, 5, "j"), (10, 5, ""), (0, 0, "")]
        {
            let from = pieces.iter().copied().filter(|(start, data)| start + data.len() as u64 > offset);
            assert_eq!(from_pieces(from, offset, max), want.as_bytes(), "{offset} {max}");
        }
    }
}
