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

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("{0} already exists")]
    Exists(String),
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
    /// The user and their password hash.
    fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>>;
    fn create_token(&self, user: &User, device: &str, token_hash: &str, now_ms: i64) -> Result<()>;
    /// The user a token was given to, and the device it was given for.
    fn user_by_token(&self, token_hash: &str) -> Result<Option<(User, String)>>;
    /// Failed logins for this email since `since_ms` (throttling lives in storage, so several
    /// servers behind a load balancer agree).
    fn failures_since(&self, email: &str, since_ms: i64) -> Result<u32>;
    fn record_failure(&self, email: &str, now_ms: i64) -> Result<()>;
    /// This server's id: a token from another server is refused.
    fn server_id(&self) -> Result<String>;
    /// Stores each change once in `user`'s team (a change already stored, same site, clock,
    /// table, row and column, is skipped), all in one transaction or none of it. Enforces who may
    /// write what: a site (device database) belongs to the first account that pushed from it; a
    /// record belongs to the account that first pushed it, and a salesperson may not write
    /// another's private record (`Forbidden`, nothing stored). Returns how many were new, and
    /// which sequence numbers they took (see [`Pushed::seqs`]).
    fn push(&self, user: &User, device: &str, changes: &[WireChange]) -> Result<Pushed>;
    /// The changes `user` may see after the cursor, in server order, at most `limit`: managers
    /// and owners all of the team's, salespeople their own records, shared records and team-wide
    /// settings.
    fn pull(&self, user: &User, after: i64, limit: u32) -> Result<Vec<Pulled>>;
    /// Who the given sites belong to.
    fn sites(&self, sites: &[&str]) -> Result<Vec<SiteInfo>>;
    /// The newest sequence number in the team (for clients' progress bars).
    fn last_seq(&self, team: &str) -> Result<i64>;
}
