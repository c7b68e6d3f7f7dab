//! The embedded SQLite backend: one file in the data directory, no other set-up.

use crate::storage::{Pulled, Result, Role, Storage, StorageError, User, WireChange};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;

pub struct SqliteStorage {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL,
    team          TEXT NOT NULL,
    password_hash TEXT NOT NULL
);
-- Tokens are stored hashed: a copied database does not hand out sessions.
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    device     TEXT NOT NULL,
    created_ms INTEGER NOT NULL
) WITHOUT ROWID;
-- Every change any device pushed, once: the unique key makes a repeated batch change nothing.
-- `seq` is the server's order, the cursor clients pull by (never a client clock).
CREATE TABLE IF NOT EXISTS changes (
    seq     INTEGER PRIMARY KEY,
    team    TEXT NOT NULL,
    site_id TEXT NOT NULL,
    hlc     INTEGER NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    col     TEXT NOT NULL,
    value   TEXT NOT NULL,
    UNIQUE (site_id, hlc, tbl, row_id, col)
);
CREATE INDEX IF NOT EXISTS changes_team ON changes (team, seq);
CREATE TABLE IF NOT EXISTS login_failures (email TEXT NOT NULL COLLATE NOCASE, at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_email ON login_failures (email, at_ms);
";

impl SqliteStorage {
    pub fn file(dir: &Path) -> std::path::PathBuf {
        dir.join("satchel-server.db")
    }

    /// Creates the data directory and database (idempotent: an existing one is kept).
    pub fn init(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| StorageError::Backend(e.to_string()))?;
        let conn = Connection::open(Self::file(dir))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.execute_batch(SCHEMA)?;
        conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('server_id', ?1)", [uuid::Uuid::new_v4().to_string()])?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    /// Opens an initialised data directory.
    pub fn open(dir: &Path) -> Result<Self> {
        let file = Self::file(dir);
        if !file.is_file() {
            return Err(StorageError::NotInitialised);
        }
        let conn = Connection::open(file)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User { id: r.get(0)?, email: r.get(1)?, role: Role::parse(&r.get::<_, String>(2)?).unwrap_or(Role::Sales), team: r.get(3)? })
}

impl Storage for SqliteStorage {
    fn add_user(&self, email: &str, role: Role, team: &str, password_hash: &str) -> Result<User> {
        let user = User { id: uuid::Uuid::now_v7().to_string(), email: email.to_string(), role, team: team.to_string() };
        let c = self.conn();
        let inserted = c.execute(
            "INSERT OR IGNORE INTO users (id, email, role, team, password_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![user.id, user.email, role.as_str(), team, password_hash],
        )?;
        if inserted == 0 {
            return Err(StorageError::Exists(email.to_string()));
        }
        Ok(user)
    }

    fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>> {
        Ok(self
            .conn()
            .query_row("SELECT id, email, role, team, password_hash FROM users WHERE email = ?1", [email], |r| {
                Ok((user_row(r)?, r.get(4)?))
            })
            .optional()?)
    }

    fn create_token(&self, user: &User, device: &str, token_hash: &str, now_ms: i64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO tokens (token_hash, user_id, device, created_ms) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user.id, device, now_ms],
        )?;
        Ok(())
    }

    fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT u.id, u.email, u.role, u.team FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1",
                [token_hash],
                user_row,
            )
            .optional()?)
    }

    fn failures_since(&self, email: &str, since_ms: i64) -> Result<u32> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM login_failures WHERE email = ?1 AND at_ms >= ?2",
            params![email, since_ms],
            |r| r.get(0),
        )?)
    }

    fn record_failure(&self, email: &str, now_ms: i64) -> Result<()> {
        let c = self.conn();
        c.execute("INSERT INTO login_failures (email, at_ms) VALUES (?1, ?2)", params![email, now_ms])?;
        // Old failures are only kept as long as they count.
        c.execute("DELETE FROM login_failures WHERE at_ms < ?1", [now_ms - 3_600_000])?;
        Ok(())
    }

    fn push(&self, team: &str, changes: &[WireChange]) -> Result<usize> {
        let mut c = self.conn();
        let tx = c.transaction()?;
        let mut new = 0;
        {
            let mut st = tx.prepare_cached(
                "INSERT OR IGNORE INTO changes (team, site_id, hlc, tbl, row_id, col, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for ch in changes {
                new += st.execute(params![team, ch.site, ch.hlc, ch.table, ch.row, ch.column, ch.value.to_string()])?;
            }
        }
        tx.commit()?;
        Ok(new)
    }

    fn pull(&self, team: &str, after: i64, limit: u32) -> Result<Vec<Pulled>> {
        let c = self.conn();
        let mut st = c.prepare_cached(
            "SELECT seq, site_id, hlc, tbl, row_id, col, value FROM changes WHERE team = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = st.query_map(params![team, after, limit], |r| {
            let value: String = r.get(6)?;
            Ok(Pulled {
                seq: r.get(0)?,
                change: WireChange {
                    site: r.get(1)?,
                    hlc: r.get(2)?,
                    table: r.get(3)?,
                    row: r.get(4)?,
                    column: r.get(5)?,
                    value: serde_json::from_str(&value).unwrap_or(serde_json::Value::Null),
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn server_id(&self) -> Result<String> {
        Ok(self.conn().query_row("SELECT value FROM meta WHERE key = 'server_id'", [], |r| r.get(0))?)
    }
}
