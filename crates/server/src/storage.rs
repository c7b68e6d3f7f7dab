//! What the server keeps, behind a trait so that the embedded SQLite backend (the default) and a
//! PostgreSQL one (for teams behind a load balancer) run the same tests. The server holds no state
//! of its own outside this: login throttling and tokens live here too.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Manager,
    Sales,
}

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Self::Owner),
            "manager" => Some(Self::Manager),
            "sales" => Some(Self::Sales),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Manager => "manager",
            Self::Sales => "sales",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub team: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("{0} already exists")]
    Exists(String),
    #[error("not initialised: run `satchel-server --data DIR init` first")]
    NotInitialised,
    #[error("storage: {0}")]
    Backend(String),
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        StorageError::Backend(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, StorageError>;

/// One column change as it travels between devices and the server. `hlc` is the packed hybrid
/// logical clock (`satchel_core::hlc::Hlc::pack`), `value` the column's new value as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireChange {
    pub hlc: i64,
    pub site: String,
    pub table: String,
    pub row: String,
    pub column: String,
    pub value: serde_json::Value,
}

/// A change as pulled: with the server's sequence number, the cursor clients page by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pulled {
    pub seq: i64,
    #[serde(flatten)]
    pub change: WireChange,
}

/// Everything the server stores. Implementations must be safe to share across request tasks.
pub trait Storage: Send + Sync {
    fn add_user(&self, email: &str, role: Role, team: &str, password_hash: &str) -> Result<User>;
    /// The user and their password hash.
    fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>>;
    fn create_token(&self, user: &User, device: &str, token_hash: &str, now_ms: i64) -> Result<()>;
    fn user_by_token(&self, token_hash: &str) -> Result<Option<User>>;
    /// Failed logins for this email since `since_ms` (throttling lives in storage, so several
    /// servers behind a load balancer agree).
    fn failures_since(&self, email: &str, since_ms: i64) -> Result<u32>;
    fn record_failure(&self, email: &str, now_ms: i64) -> Result<()>;
    /// This server's id: a token from another server is refused.
    fn server_id(&self) -> Result<String>;
    /// Stores each change once for `team` (a change already stored, same site, clock, table, row
    /// and column, is skipped), all in one transaction. Returns how many were new.
    fn push(&self, team: &str, changes: &[WireChange]) -> Result<usize>;
    /// The team's changes after the cursor, in server order, at most `limit`.
    fn pull(&self, team: &str, after: i64, limit: u32) -> Result<Vec<Pulled>>;
}
