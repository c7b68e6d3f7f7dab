//! The embedded SQLite backend: one file in the data directory, no other set-up.

use crate::storage::{
    Account, AuditEntry, Blob, LinkKey, LoginLimits, Pulled, Pushed, Reservation, Result, Role, Session, SiteInfo, Storage, StorageError,
    TokenInfo, User, WireChange, TOKEN_ID_LEN,
};
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
-- `entity` is the customer whose permissions the change falls under ('' = team-wide).
-- The key leads with the clock: nearly every comparison while inserting is then settled by one
-- integer, where leading with the site id compared 36 equal characters first (a push comes
-- from one site); that was a tenth of the server's time per push. (Schema version 1.)
CREATE TABLE IF NOT EXISTS changes (
    seq     INTEGER PRIMARY KEY,
    team    TEXT NOT NULL,
    site_id TEXT NOT NULL,
    hlc     INTEGER NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    col     TEXT NOT NULL,
    value   TEXT NOT NULL,
    entity  TEXT NOT NULL DEFAULT '',
    -- 1 while its record is private: what must be renumbered when the record is shared again.
    private INTEGER NOT NULL DEFAULT 0,
    UNIQUE (hlc, site_id, row_id, tbl, col)
);
CREATE INDEX IF NOT EXISTS changes_team ON changes (team, seq);
CREATE INDEX IF NOT EXISTS changes_private ON changes (team, entity) WHERE private = 1;
-- A device database belongs to the account that first pushed from it: nobody else may push
-- changes signed with its site id.
CREATE TABLE IF NOT EXISTS sites (
    site_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    device  TEXT NOT NULL
) WITHOUT ROWID;
-- Each customer's owner (the account that first pushed it) and whether the team sees it, as last
-- set by its `visibility` column (`shared_hlc` is that change's clock: last writer wins here too).
CREATE TABLE IF NOT EXISTS entities (
    team       TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    owner_id   TEXT NOT NULL,
    shared     INTEGER NOT NULL DEFAULT 1,
    shared_hlc INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team, entity_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS login_failures (email TEXT NOT NULL COLLATE NOCASE, at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_email ON login_failures (email, at_ms);
";

/// The schema's version (`PRAGMA user_version`): 0 was the first, whose `changes` key led with
/// the site id and which indexed every change by its record; 1 is [`SCHEMA`]; each later one is
/// [`SCHEMA`] and the [`MIGRATIONS`] up to it.
const VERSION: i64 = 6;

/// Changes to the schema since [`SCHEMA`] (version 1), in order, each bringing the database to its
/// version: appended to, never edited once released.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        2,
        // Issue 14: disabled accounts; when each token was last used (tokens unused for the server's
        // --token-days expire; an existing token counts as used when it was made); login attempts
        // per account and per client address, counted before the password is checked.
        "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE tokens ADD COLUMN last_used_ms INTEGER NOT NULL DEFAULT 0;
         UPDATE tokens SET last_used_ms = created_ms;
         CREATE INDEX tokens_user ON tokens (user_id);
         CREATE TABLE login_attempts (
             id      INTEGER PRIMARY KEY,
             email   TEXT NOT NULL COLLATE NOCASE,
             address TEXT NOT NULL,
             at_ms   INTEGER NOT NULL
         );
         CREATE INDEX login_attempts_email ON login_attempts (email, at_ms);
         CREATE INDEX login_attempts_address ON login_attempts (address, at_ms);
         CREATE INDEX login_attempts_at ON login_attempts (at_ms);",
    ),
    (
        3,
        // Issue 14: the audit trail (`satchel-server audit`), newest first by id.
        "CREATE TABLE audit (
             id      INTEGER PRIMARY KEY,
             at_ms   INTEGER NOT NULL,
             actor   TEXT NOT NULL,
             action  TEXT NOT NULL,
             subject TEXT NOT NULL,
             detail  TEXT NOT NULL DEFAULT ''
         );",
    ),
    (
        4,
        // Issue 14: the link columns of child rows (a phone's customer, a custom value's record),
        // newest value each, by which the server files a change under its record itself (see
        // `filing`). Filled from the changes already stored (`fill_links`).
        "CREATE TABLE links (
             team   TEXT NOT NULL,
             tbl    TEXT NOT NULL,
             row_id TEXT NOT NULL,
             col    TEXT NOT NULL,
             value  TEXT NOT NULL,
             hlc    INTEGER NOT NULL,
             PRIMARY KEY (team, tbl, row_id, col)
         ) WITHOUT ROWID;",
    ),
    (
        5,
        // Issue 14: records made private, so the teammates who lose them are told at their next
        // pull (`seq`: the team's last sequence number once the change was stored).
        "CREATE TABLE revoked (
             team      TEXT NOT NULL,
             entity_id TEXT NOT NULL,
             owner_id  TEXT NOT NULL,
             seq       INTEGER NOT NULL
         );
         CREATE INDEX revoked_team ON revoked (team, seq);",
    ),
    (
        6,
        // Issue 14: attachments' bytes, and claimable records. `links` keeps each attachment row's content hash and size
        // too (filled from the stored changes by `fill_links`), found by hash through a partial
        // index; the bytes are kept once per team and hash, in pieces as they arrive (an upload
        // cut off goes on from `received`), and can be fetched once `complete` (all arrived and
        // matched the hash).
        // Records first pushed without who may see them (a teammate's edits re-sent to a server
        // restored from a backup, before their creator's) are `claimable` by changes to who
        // may see them older than `first_hlc` (see `storage::Claim`).
        "ALTER TABLE entities ADD COLUMN claimable INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE entities ADD COLUMN first_hlc INTEGER NOT NULL DEFAULT 0;
         CREATE INDEX links_sha256 ON links (team, value) WHERE tbl = 'attachments' AND col = 'sha256';
         CREATE TABLE blobs (
             team     TEXT NOT NULL,
             sha256   TEXT NOT NULL,
             size     INTEGER NOT NULL,
             received INTEGER NOT NULL DEFAULT 0,
             complete INTEGER NOT NULL DEFAULT 0,
             -- 1 once the file moved to the object store (`serve --object-store`): no pieces here.
             elsewhere INTEGER NOT NULL DEFAULT 0,
             PRIMARY KEY (team, sha256)
         ) WITHOUT ROWID;
         CREATE TABLE blob_pieces (
             team   TEXT NOT NULL,
             sha256 TEXT NOT NULL,
             pos    INTEGER NOT NULL,
             data   BLOB NOT NULL,
             PRIMARY KEY (team, sha256, pos)
         );",
    ),
];

/// Fills `links` from the changes stored before it existed (or before it kept a column): the
/// newest value of each column the server keeps ([`satchel_proto::schema::kept`]).
fn fill_links(tx: &rusqlite::Transaction) -> Result<()> {
    for t in satchel_proto::schema::SYNCED_TABLES.iter() {
        for col in t.columns.iter().filter(|c| satchel_proto::schema::kept(t.name, c)) {
            // SQLite takes the bare columns of the row holding max(hlc).
            tx.execute(
                "INSERT OR REPLACE INTO links (team, tbl, row_id, col, value, hlc)
                 SELECT team, tbl, row_id, col, coalesce(json_extract(value, '$'), ''), max(hlc)
                 FROM changes WHERE tbl = ?1 AND col = ?2 GROUP BY team, row_id",
                params![t.name, col],
            )?;
        }
    }
    Ok(())
}

/// Brings a data directory's database to the current schema, in one transaction: an older
/// `changes` table is rebuilt with the current key (SQLite cannot alter a table's constraints),
/// keeping every change and its sequence number, so the cursors clients hold stay right; then
/// the [`MIGRATIONS`] it lacks are applied.
fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version >= VERSION {
        return Ok(conn.execute_batch(SCHEMA)?);
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process (the server, an admin command) may have
    // just migrated it.
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version >= VERSION {
        return Ok(tx.commit()?);
    }
    let old = version < 1
        && tx.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'changes'", [], |r| r.get::<_, i64>(0))? > 0;
    if old {
        // Its indexes follow it under their names; they are dropped so the new table's can be made.
        tx.execute_batch(
            "ALTER TABLE changes RENAME TO changes_v0; DROP INDEX IF EXISTS changes_team; DROP INDEX IF EXISTS changes_entity;",
        )?;
    }
    tx.execute_batch(SCHEMA)?;
    if old {
        let moved = tx.execute(
            "INSERT INTO changes (seq, team, site_id, hlc, tbl, row_id, col, value, entity, private)
             SELECT c.seq, c.team, c.site_id, c.hlc, c.tbl, c.row_id, c.col, c.value, c.entity, coalesce(NOT e.shared, 0)
             FROM changes_v0 c LEFT JOIN entities e ON e.team = c.team AND e.entity_id = c.entity ORDER BY c.seq",
            [],
        )?;
        tx.execute_batch("DROP TABLE changes_v0")?;
        log::info!("storage: schema {version} -> 1: {moved} changes rebuilt under the new key");
    }
    for (to, sql) in MIGRATIONS {
        if version < *to {
            tx.execute_batch(sql)?;
            log::info!("storage: schema -> {to}");
        }
    }
    if version < 6 {
        // (Filled once, after the schema that keeps the most columns: 4 began it, 6 added some.)
        fill_links(&tx)?;
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()?;
    Ok(())
}

/// The schema version this server writes: a database with a newer one is not restored.
pub fn schema_version() -> i64 {
    VERSION
}

impl SqliteStorage {
    pub fn file(dir: &Path) -> std::path::PathBuf {
        dir.join("satchel-server.db")
    }

    /// Creates the data directory and database (idempotent: an existing one is kept).
    pub fn init(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| StorageError::Backend(e.to_string()))?;
        let mut conn = Connection::open(Self::file(dir))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        migrate(&mut conn)?;
        conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('server_id', ?1)", [uuid::Uuid::new_v4().to_string()])?;
        ensure_epoch(&conn)?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    /// Opens an initialised data directory.
    pub fn open(dir: &Path) -> Result<Self> {
        let file = Self::file(dir);
        if !file.is_file() {
            return Err(StorageError::NotInitialised);
        }
        let mut conn = Connection::open(file)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        ensure_epoch(&conn)?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Gives a database made before epochs (issue 14) its first one; an existing one is kept.
fn ensure_epoch(conn: &Connection) -> Result<()> {
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', ?1)", [crate::storage::fresh_epoch()])?;
    Ok(())
}

/// A record's sharing while a push is stored.
struct Entity {
    /// The account that first pushed it.
    owner: String,
    shared: bool,
    /// The clock of the `visibility` change that set `shared`.
    shared_hlc: i64,
    /// Whether it had changes before this push, and whether it was shared then.
    existed: bool,
    shared_at_start: bool,
    /// Changes this push stored under it while it was shared (to mark if it ends private).
    rows_marked_shared: Vec<i64>,
    /// What this push shows of its past, for telling teammates to forget it if it ends private
    /// (see `seen_shared`): whether the push shares it, its earliest change in the push, and the
    /// earliest that makes it private.
    shared_in_push: bool,
    first_hlc: i64,
    first_private_hlc: i64,
}

impl Entity {
    /// Whether a teammate may hold this record: it was shared when the push began, or the push
    /// shows it shared at some time. The last is for a server restored from a backup: it has
    /// lost that a record was pushed and shared and that teammates pulled it, so the owner's
    /// laptop pushes the record again as new (or private, as the backup had it), with its share
    /// and its later "private" in one push; without a revocation then the teammates would keep
    /// the record for ever (the chaos run in tests/chaos.rs found it). A new record private
    /// from its first change, and never shared, reached nobody and is not announced.
    fn seen_shared(&self) -> bool {
        // (A new record this push never makes private is not announced either: hidden only
        // because the server does not know whose it is yet, it was made private by nobody.)
        (self.existed && self.shared_at_start)
            || self.shared_in_push
            || (!self.existed && self.first_private_hlc < i64::MAX && self.first_hlc < self.first_private_hlc)
    }
}

fn blob_of(c: &Connection, team: &str, sha256: &str) -> rusqlite::Result<Option<Blob>> {
    c.prepare_cached("SELECT size, received, complete, elsewhere FROM blobs WHERE team = ?1 AND sha256 = ?2")?
        .query_row(params![team, sha256], |r| {
            Ok(Blob { size: r.get::<_, i64>(0)? as u64, received: r.get::<_, i64>(1)? as u64, complete: r.get(2)?, elsewhere: r.get(3)? })
        })
        .optional()
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User { id: r.get(0)?, email: r.get(1)?, role: Role::parse(&r.get::<_, String>(2)?).unwrap_or(Role::Sales), team: r.get(3)? })
}

/// `id, email, role, team, password_hash, disabled`.
fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account { user: user_row(r)?, password_hash: r.get(4)?, disabled: r.get(5)? })
}

/// The account of an email, or `NotFound` naming it.
fn user_of(c: &Connection, email: &str) -> Result<User> {
    c.query_row("SELECT id, email, role, team FROM users WHERE email = ?1", [email], user_row)
        .optional()?
        .ok_or_else(|| StorageError::NotFound(format!("no account {email}")))
}

const TOKEN_INFO: &str =
    "SELECT t.token_hash, u.email, t.device, t.created_ms, t.last_used_ms FROM tokens t JOIN users u ON u.id = t.user_id";

fn token_info_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenInfo> {
    let hash: String = r.get(0)?;
    Ok(TokenInfo {
        id: hash[..TOKEN_ID_LEN.min(hash.len())].to_string(),
        email: r.get(1)?,
        device: r.get(2)?,
        created_ms: r.get(3)?,
        last_used_ms: r.get(4)?,
    })
}

/// The one token an id names: `NotFound` for none, and for several (an id too short to tell).
pub(crate) fn one_token(id: &str, mut found: Vec<TokenInfo>) -> Result<TokenInfo> {
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(StorageError::NotFound(format!("no token {id}"))),
        n => Err(StorageError::NotFound(format!("{n} tokens have the id {id}; give all {TOKEN_ID_LEN} characters"))),
    }
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

    fn user_by_email(&self, email: &str) -> Result<Option<Account>> {
        Ok(self
            .conn()
            .query_row("SELECT id, email, role, team, password_hash, disabled FROM users WHERE email = ?1", [email], account_row)
            .optional()?)
    }

    fn users(&self) -> Result<Vec<Account>> {
        let c = self.conn();
        let mut st = c.prepare("SELECT id, email, role, team, password_hash, disabled FROM users ORDER BY lower(email)")?;
        let rows = st.query_map([], account_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_disabled(&self, email: &str, disabled: bool) -> Result<User> {
        let c = self.conn();
        c.execute("UPDATE users SET disabled = ?2 WHERE email = ?1", params![email, disabled])?;
        user_of(&c, email)
    }

    fn set_role(&self, email: &str, role: Role) -> Result<User> {
        let c = self.conn();
        c.execute("UPDATE users SET role = ?2 WHERE email = ?1", params![email, role.as_str()])?;
        user_of(&c, email)
    }

    fn set_password(&self, email: &str, password_hash: &str) -> Result<(User, usize)> {
        let mut c = self.conn();
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let user = user_of(&tx, email)?;
        tx.execute("UPDATE users SET password_hash = ?2 WHERE id = ?1", params![user.id, password_hash])?;
        let revoked = tx.execute("DELETE FROM tokens WHERE user_id = ?1", [&user.id])?;
        tx.commit()?;
        Ok((user, revoked))
    }

    fn create_token(&self, user: &User, device: &str, token_hash: &str, now_ms: i64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO tokens (token_hash, user_id, device, created_ms, last_used_ms) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![token_hash, user.id, device, now_ms],
        )?;
        Ok(())
    }

    fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT u.id, u.email, u.role, u.team, t.device, t.last_used_ms, u.disabled
                 FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1",
                [token_hash],
                |r| Ok(Session { user: user_row(r)?, device: r.get(4)?, last_used_ms: r.get(5)?, disabled: r.get(6)? }),
            )
            .optional()?)
    }

    fn touch_token(&self, token_hash: &str, now_ms: i64) -> Result<()> {
        self.conn()
            .execute("UPDATE tokens SET last_used_ms = ?2 WHERE token_hash = ?1 AND last_used_ms < ?2", params![token_hash, now_ms])?;
        Ok(())
    }

    fn revoke_token(&self, token_hash: &str) -> Result<bool> {
        Ok(self.conn().execute("DELETE FROM tokens WHERE token_hash = ?1", [token_hash])? > 0)
    }

    fn revoke_token_id(&self, id: &str) -> Result<TokenInfo> {
        let mut c = self.conn();
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let found = {
            let mut st = tx.prepare(&format!("{TOKEN_INFO} WHERE substr(t.token_hash, 1, {TOKEN_ID_LEN}) = lower(?1)"))?;
            let rows = st.query_map([id], token_info_row)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let token = one_token(id, found)?;
        tx.execute(&format!("DELETE FROM tokens WHERE substr(token_hash, 1, {TOKEN_ID_LEN}) = lower(?1)"), [id])?;
        tx.commit()?;
        Ok(token)
    }

    fn forget_tokens_unused_since(&self, before_ms: i64) -> Result<usize> {
        Ok(self.conn().execute("DELETE FROM tokens WHERE last_used_ms < ?1", [before_ms])?)
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>> {
        let c = self.conn();
        let mut st = c.prepare(&format!("{TOKEN_INFO} ORDER BY lower(u.email), t.created_ms DESC, t.token_hash"))?;
        let rows = st.query_map([], token_info_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn reserve_login(&self, email: &str, address: &str, now_ms: i64, limits: LoginLimits) -> Result<Reservation> {
        let mut c = self.conn();
        // Immediate: the write lock before counting, so another process's attempts cannot slip in
        // between the count and the insert (within this process the connection's mutex does it).
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let count = |sql: &str, key: &str| -> rusqlite::Result<i64> { tx.query_row(sql, params![key, limits.since_ms], |r| r.get(0)) };
        if count("SELECT count(*) FROM login_attempts WHERE email = ?1 AND at_ms >= ?2", email)? >= i64::from(limits.per_account) {
            return Ok(Reservation::AccountLocked);
        }
        if !address.is_empty()
            && count("SELECT count(*) FROM login_attempts WHERE address = ?1 AND at_ms >= ?2", address)? >= i64::from(limits.per_address)
        {
            return Ok(Reservation::AddressLocked);
        }
        tx.execute("INSERT INTO login_attempts (email, address, at_ms) VALUES (?1, ?2, ?3)", params![email, address, now_ms])?;
        let id = tx.last_insert_rowid();
        // Old attempts are only kept as long as they count.
        tx.execute("DELETE FROM login_attempts WHERE at_ms < ?1", [now_ms - 3_600_000])?;
        tx.commit()?;
        Ok(Reservation::Counted(id))
    }

    fn release_login(&self, id: i64) -> Result<()> {
        self.conn().execute("DELETE FROM login_attempts WHERE id = ?1", [id])?;
        Ok(())
    }

    fn audit(&self, e: &AuditEntry) -> Result<()> {
        self.conn().execute(
            "INSERT INTO audit (at_ms, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![e.at_ms, e.actor, e.action, e.subject, e.detail],
        )?;
        Ok(())
    }

    fn audit_trail(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let c = self.conn();
        let mut st = c.prepare("SELECT at_ms, actor, action, subject, detail FROM audit ORDER BY id DESC LIMIT ?1")?;
        let rows = st.query_map([limit], |r| {
            Ok(AuditEntry { at_ms: r.get(0)?, actor: r.get(1)?, action: r.get(2)?, subject: r.get(3)?, detail: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn push(&self, user: &User, device: &str, changes: &[WireChange]) -> Result<Pushed> {
        let mut c = self.conn();
        // Immediate: the write lock from the start, so no other push lands between `before` and
        // this push's inserts.
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let last_seq = |tx: &rusqlite::Transaction| -> rusqlite::Result<i64> {
            tx.query_row("SELECT coalesce(max(seq), 0) FROM changes WHERE team = ?1", [&user.team], |r| r.get(0))
        };
        let before = last_seq(&tx)?;
        let mut new = 0;
        let mut checked_sites: Vec<&str> = Vec::new();
        let mut entities: rustc_hash::FxHashMap<&str, Entity> = Default::default();
        // One buffer for every change's value as JSON text, instead of a String each.
        let mut value: Vec<u8> = Vec::new();
        // Records that went from private to shared, in the order they did.
        let mut now_shared: Vec<&str> = Vec::new();
        // Records claimed by their creator in this push that were hidden until then.
        let mut claimed_hidden: Vec<&str> = Vec::new();
        {
            let mut claim = tx.prepare_cached("INSERT OR IGNORE INTO sites (site_id, user_id, device) VALUES (?1, ?2, ?3)")?;
            let mut site_owner = tx.prepare_cached("SELECT user_id FROM sites WHERE site_id = ?1")?;
            let mut entity = tx.prepare_cached(
                "SELECT owner_id, shared, shared_hlc, claimable, first_hlc FROM entities WHERE team = ?1 AND entity_id = ?2",
            )?;
            let mut new_entity = tx.prepare_cached(
                "INSERT INTO entities (team, entity_id, owner_id, shared, claimable, first_hlc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut claim_entity = tx.prepare_cached(
                "UPDATE entities SET owner_id = ?3, claimable = 0, shared = 1, shared_hlc = 0 WHERE team = ?1 AND entity_id = ?2",
            )?;
            let (claims, firsts) = crate::storage::Claim::scan(changes);
            let mut share = tx.prepare_cached("UPDATE entities SET shared = ?3, shared_hlc = ?4 WHERE team = ?1 AND entity_id = ?2")?;
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO changes (team, site_id, hlc, tbl, row_id, col, value, entity, private)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            let mut link = tx.prepare_cached(
                "INSERT INTO links (team, tbl, row_id, col, value, hlc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (team, tbl, row_id, col) DO UPDATE SET value = excluded.value, hlc = excluded.hlc WHERE excluded.hlc > links.hlc",
            )?;
            for (i, ch) in changes.iter().enumerate() {
                if !checked_sites.contains(&ch.site.as_str()) {
                    claim.execute(params![ch.site, user.id, device])?;
                    let owner: String = site_owner.query_row([&ch.site], |r| r.get(0))?;
                    if owner != user.id {
                        return Err(StorageError::Forbidden(format!("change {i}: its device database belongs to another account")));
                    }
                    checked_sites.push(&ch.site);
                }
                let mut state = None;
                if !ch.entity.is_empty() {
                    let e = match entities.entry(ch.entity.as_str()) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            let found: Option<(String, bool, i64, bool, i64)> = entity
                                .query_row(params![user.team, ch.entity], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                                .optional()?;
                            let existed = found.is_some();
                            let claim = claims.get(ch.entity.as_str()).copied();
                            // Anyone in the team may add to a record the server does not know the
                            // owner of yet (see `storage::Claim`): hidden, what they add waits
                            // for its creator with it.
                            let was_claimable = found.as_ref().is_some_and(|f| f.3);
                            let (owner, shared, shared_hlc) = match found {
                                // Its creator's changes, earlier than any the server had of it:
                                // it is theirs (see `crate::storage::Claim`).
                                Some((owner, shared, _, true, first_hlc)) if owner != user.id && claim.is_some_and(|h| h < first_hlc) => {
                                    claim_entity.execute(params![user.team, ch.entity, user.id])?;
                                    log::info!("record {} is {}'s: their changes to it are older than any it had", ch.entity, user.email);
                                    // Who sees it starts over from a creation's default (shared),
                                    // this push's visibility changes then applying in order; and
                                    // what was hidden until now is numbered again, after every
                                    // cursor, so its creator (and, if it ends shared, the team)
                                    // receives the changes it could not see.
                                    if !shared {
                                        claimed_hidden.push(ch.entity.as_str());
                                        now_shared.push(&ch.entity);
                                    }
                                    (user.id.clone(), true, 0)
                                }
                                Some((owner, shared, shared_hlc, _, _)) => (owner, shared, shared_hlc),
                                None => {
                                    let new = crate::storage::Claim::of_new(user, claim.is_some());
                                    let first = firsts.get(ch.entity.as_str()).copied().unwrap_or(ch.hlc);
                                    new_entity.execute(params![user.team, ch.entity, user.id, new.shared, new.claimable, first])?;
                                    (user.id.clone(), new.shared, 0)
                                }
                            };
                            if !shared && owner != user.id && !user.role.sees_all() && !was_claimable {
                                return Err(StorageError::Forbidden(format!(
                                    "change {i}: record {} is another person's private record",
                                    ch.entity
                                )));
                            }
                            e.insert(Entity {
                                owner,
                                shared,
                                shared_hlc,
                                existed,
                                shared_at_start: shared,
                                rows_marked_shared: Vec::new(),
                                shared_in_push: false,
                                first_hlc: i64::MAX,
                                first_private_hlc: i64::MAX,
                            })
                        }
                    };
                    if ch.sets_access() && e.owner != user.id && !user.role.sees_all() {
                        return Err(StorageError::Forbidden(format!(
                            "change {i}: only the owner of record {} or a manager may change who sees it or who looks after it",
                            ch.entity
                        )));
                    }
                    e.first_hlc = e.first_hlc.min(ch.hlc);
                    match ch.sets_shared() {
                        Some(true) => e.shared_in_push = true,
                        Some(false) => e.first_private_hlc = e.first_private_hlc.min(ch.hlc),
                        None => {}
                    }
                    if let Some(to) = ch.sets_shared().filter(|_| ch.hlc > e.shared_hlc) {
                        share.execute(params![user.team, ch.entity, to, ch.hlc])?;
                        if to && !e.shared && !now_shared.contains(&ch.entity.as_str()) {
                            now_shared.push(&ch.entity);
                        }
                        e.shared = to;
                        e.shared_hlc = ch.hlc;
                    }
                    state = Some(e);
                }
                value.clear();
                serde_json::to_writer(&mut value, &ch.value).map_err(|e| StorageError::Backend(e.to_string()))?;
                let text = std::str::from_utf8(&value).map_err(|e| StorageError::Backend(e.to_string()))?;
                let private = state.as_ref().is_some_and(|e| !e.shared);
                let stored = insert.execute(params![user.team, ch.site, ch.hlc, ch.table, ch.row, ch.column, text, ch.entity, private])?;
                if satchel_proto::schema::kept(&ch.table, &ch.column) {
                    link.execute(params![user.team, ch.table, ch.row, ch.column, crate::storage::kept_text(&ch.value), ch.hlc])?;
                }
                if stored == 1 && !private {
                    if let Some(e) = state {
                        e.rows_marked_shared.push(tx.last_insert_rowid());
                    }
                }
                new += stored;
            }
        }
        // While a record is private, every change filed under it is marked `private`: the only
        // index over changes by record covers just those (an index over every change's record
        // cost a sixth of the server's time per push, and only re-sharing needs it).
        for (id, e) in &entities {
            if e.shared {
                continue;
            }
            if e.existed && e.shared_at_start {
                // A shared record made private: its earlier changes are found by going through
                // the team's (no index for them; this is a rare, deliberate act).
                tx.prepare_cached("UPDATE changes SET private = 1 WHERE team = ?1 AND entity = ?2 AND private = 0")?
                    .execute(params![user.team, id])?;
            } else {
                let mut mark = tx.prepare_cached("UPDATE changes SET private = 1 WHERE seq = ?1")?;
                for seq in &e.rows_marked_shared {
                    mark.execute([seq])?;
                }
            }
            if e.seen_shared() {
                // And the teammates who had it are told at their next pull.
                let top = last_seq(&tx)?;
                tx.prepare_cached("INSERT INTO revoked (team, entity_id, owner_id, seq) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![user.team, id, e.owner, top])?;
            }
        }
        // A private record made shared: its past changes get new sequence numbers, after every
        // cursor, so the teammates who could not see it before receive all of it. (Those who
        // had it receive it again; applying a change twice changes nothing.)
        // (This push's own changes to it move along, so the record keeps its order.)
        now_shared.retain(|id| entities.get(id).is_some_and(|e| e.shared));
        let seqs = if now_shared.is_empty() && claimed_hidden.is_empty() { Some((before, last_seq(&tx)?)) } else { None };
        // A claimed record that stays private is numbered again too, for its creator's cursor.
        for id in claimed_hidden.iter().filter(|id| entities.get(*id).is_some_and(|e| !e.shared)) {
            tx.prepare_cached(
                "UPDATE changes SET seq = seq + (SELECT max(seq) FROM changes) WHERE team = ?1 AND entity = ?2 AND private = 1",
            )?
            .execute(params![user.team, id])?;
        }
        for e in now_shared {
            let mut mark = tx.prepare_cached("UPDATE changes SET private = 1 WHERE seq = ?1")?;
            for seq in &entities[e].rows_marked_shared {
                mark.execute([seq])?;
            }
            tx.prepare_cached(
                "UPDATE changes SET seq = seq + (SELECT max(seq) FROM changes), private = 0 WHERE team = ?1 AND entity = ?2 AND private = 1",
            )?
            .execute(params![user.team, e])?;
        }
        tx.commit()?;
        Ok(Pushed { stored: new, seqs })
    }

    fn pull(&self, user: &User, after: i64, limit: u32) -> Result<Vec<Pulled>> {
        let c = self.conn();
        let all = user.role.sees_all();
        let mut st = c.prepare_cached(
            "SELECT c.seq, c.site_id, c.hlc, c.tbl, c.row_id, c.col, c.value, c.entity FROM changes c
             LEFT JOIN entities e ON e.team = c.team AND e.entity_id = c.entity
             WHERE c.team = ?1 AND c.seq > ?2 AND (?4 OR c.entity = '' OR e.shared OR e.owner_id = ?5)
             ORDER BY c.seq LIMIT ?3",
        )?;
        let rows = st.query_map(params![user.team, after, limit, all, user.id], |r| {
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
                    entity: r.get(7)?,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn sites(&self, sites: &[&str]) -> Result<Vec<SiteInfo>> {
        let c = self.conn();
        let mut st = c.prepare_cached("SELECT u.email, s.device FROM sites s JOIN users u ON u.id = s.user_id WHERE s.site_id = ?1")?;
        let mut out = Vec::new();
        for site in sites {
            if let Some((author, device)) = st.query_row([site], |r| Ok((r.get(0)?, r.get(1)?))).optional()? {
                out.push(SiteInfo { site: site.to_string(), author, device });
            }
        }
        Ok(out)
    }

    fn last_seq(&self, team: &str) -> Result<i64> {
        Ok(self.conn().query_row("SELECT coalesce(max(seq), 0) FROM changes WHERE team = ?1", [team], |r| r.get(0))?)
    }

    fn server_id(&self) -> Result<String> {
        Ok(self.conn().query_row("SELECT value FROM meta WHERE key = 'server_id'", [], |r| r.get(0))?)
    }

    fn revoked(&self, user: &User, after: i64, upto: Option<i64>) -> Result<Vec<String>> {
        if user.role.sees_all() {
            return Ok(Vec::new());
        }
        let c = self.conn();
        let mut st = c.prepare_cached(
            "SELECT DISTINCT r.entity_id FROM revoked r JOIN entities e ON e.team = r.team AND e.entity_id = r.entity_id
             WHERE r.team = ?1 AND r.seq > ?2 AND r.seq <= ?3 AND r.owner_id <> ?4 AND e.shared = 0 AND e.owner_id <> ?4",
        )?;
        let rows = st.query_map(params![user.team, after, upto.unwrap_or(i64::MAX), user.id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn links(&self, team: &str, keys: &[LinkKey]) -> Result<std::collections::HashMap<LinkKey, (i64, String)>> {
        let c = self.conn();
        let mut st = c.prepare_cached("SELECT hlc, value FROM links WHERE team = ?1 AND tbl = ?2 AND row_id = ?3 AND col = ?4")?;
        let mut out = std::collections::HashMap::new();
        for k in keys {
            if let Some(found) = st.query_row(params![team, k.table, k.row, k.column], |r| Ok((r.get(0)?, r.get(1)?))).optional()? {
                out.insert(k.clone(), found);
            }
        }
        Ok(out)
    }

    fn epoch(&self) -> Result<String> {
        Ok(self.conn().query_row("SELECT value FROM meta WHERE key = 'epoch'", [], |r| r.get(0))?)
    }

    fn next_series(&self) -> Result<u64> {
        // One statement: two logins at once still get two series.
        let n: i64 = self.conn().query_row(
            "INSERT INTO meta (key, value) VALUES ('series', '1')
             ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) RETURNING CAST(value AS INTEGER)",
            [],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    fn new_epoch(&self) -> Result<String> {
        let epoch = crate::storage::fresh_epoch();
        self.conn().execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('epoch', ?1)", [&epoch])?;
        Ok(epoch)
    }

    fn attachment_rows(&self, team: &str, sha256: &str) -> Result<Vec<(String, u64)>> {
        let c = self.conn();
        let mut st = c.prepare_cached(
            "SELECT h.row_id, coalesce(CAST(s.value AS INTEGER), 0) FROM links h
             LEFT JOIN links s ON s.team = h.team AND s.tbl = 'attachments' AND s.row_id = h.row_id AND s.col = 'size'
             WHERE h.team = ?1 AND h.tbl = 'attachments' AND h.col = 'sha256' AND h.value = ?2",
        )?;
        let rows = st.query_map(params![team, sha256], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn may_see(&self, user: &User, entity: &str) -> Result<bool> {
        if entity.is_empty() || user.role.sees_all() {
            return Ok(true);
        }
        let found: Option<(bool, String)> = self
            .conn()
            .prepare_cached("SELECT shared, owner_id FROM entities WHERE team = ?1 AND entity_id = ?2")?
            .query_row(params![user.team, entity], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(found.is_some_and(|(shared, owner)| shared || owner == user.id))
    }

    fn blob(&self, team: &str, sha256: &str) -> Result<Option<Blob>> {
        Ok(blob_of(&self.conn(), team, sha256)?)
    }

    fn blob_append(&self, team: &str, sha256: &str, size: u64, offset: u64, bytes: &[u8]) -> Result<std::result::Result<Blob, u64>> {
        let mut c = self.conn();
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let held = match blob_of(&tx, team, sha256)? {
            Some(b) if b.complete => return Ok(Ok(b)),
            Some(b) if b.size == size => b,
            other => {
                if other.is_some() {
                    tx.execute("DELETE FROM blob_pieces WHERE team = ?1 AND sha256 = ?2", params![team, sha256])?;
                }
                tx.execute(
                    "INSERT OR REPLACE INTO blobs (team, sha256, size, received, complete) VALUES (?1, ?2, ?3, 0, 0)",
                    params![team, sha256, size as i64],
                )?;
                Blob { size, received: 0, complete: false, elsewhere: false }
            }
        };
        if offset != held.received {
            return Ok(Err(held.received));
        }
        if !bytes.is_empty() {
            tx.execute(
                "INSERT INTO blob_pieces (team, sha256, pos, data) VALUES (?1, ?2, ?3, ?4)",
                params![team, sha256, offset as i64, bytes],
            )?;
        }
        let received = held.received + bytes.len() as u64;
        tx.execute("UPDATE blobs SET received = ?3 WHERE team = ?1 AND sha256 = ?2", params![team, sha256, received as i64])?;
        tx.commit()?;
        Ok(Ok(Blob { received, ..held }))
    }

    fn blob_read(&self, team: &str, sha256: &str, offset: u64, max: usize) -> Result<Vec<u8>> {
        let c = self.conn();
        // The piece holding `offset`, then the ones after it that start before `offset + max`.
        let mut st = c.prepare_cached(
            "SELECT pos, data FROM blob_pieces WHERE team = ?1 AND sha256 = ?2
             AND pos >= coalesce((SELECT max(pos) FROM blob_pieces WHERE team = ?1 AND sha256 = ?2 AND pos <= ?3), 0)
             AND pos < ?4 ORDER BY pos",
        )?;
        let rows = st.query_map(params![team, sha256, offset as i64, (offset + max as u64) as i64], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get::<_, Vec<u8>>(1)?))
        })?;
        let pieces = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(crate::storage::from_pieces(pieces.iter().map(|(start, data)| (*start, data.as_slice())), offset, max))
    }

    fn blob_moved(&self, team: &str, sha256: &str) -> Result<()> {
        let mut c = self.conn();
        let tx = c.transaction()?;
        tx.execute("UPDATE blobs SET complete = 1, elsewhere = 1 WHERE team = ?1 AND sha256 = ?2", params![team, sha256])?;
        tx.execute("DELETE FROM blob_pieces WHERE team = ?1 AND sha256 = ?2", params![team, sha256])?;
        tx.commit()?;
        Ok(())
    }

    fn blob_settle(&self, team: &str, sha256: &str, whole: bool) -> Result<()> {
        let c = self.conn();
        if whole {
            c.execute("UPDATE blobs SET complete = 1 WHERE team = ?1 AND sha256 = ?2", params![team, sha256])?;
        } else {
            c.execute("DELETE FROM blob_pieces WHERE team = ?1 AND sha256 = ?2", params![team, sha256])?;
            c.execute("DELETE FROM blobs WHERE team = ?1 AND sha256 = ?2", params![team, sha256])?;
        }
        Ok(())
    }
}
