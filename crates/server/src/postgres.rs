//! The PostgreSQL backend (`--database postgres://...`): for a team that runs several servers
//! behind a load balancer, or keeps its data where its other databases are backed up. Same rules
//! as [`crate::sqlite`]; the servers keep nothing of their own, so any number may share one
//! database.
//!
//! Pushes of one team run one at a time (a transaction-scoped advisory lock on the team), so the
//! sequence numbers a team's changes get are in commit order: a client that pulled up to some
//! number can never later find a smaller one appear behind its cursor.

use crate::storage::{
    Account, AuditEntry, Blob, LinkKey, LoginLimits, Pulled, Pushed, Reservation, Result, Role, Session, SiteInfo, Storage, StorageError,
    TokenInfo, User, WireChange, TOKEN_ID_LEN,
};
use postgres::types::ToSql;
use postgres::{Client, Config, GenericClient, NoTls, Row, Statement, Transaction};
use std::collections::HashMap;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

/// The first key of this server's advisory locks (the second is the team's hash, or 0 for the
/// schema), so they cannot meet another application's locks in the same database.
const LOCK_SPACE: i32 = 0x5a7c_4e11;
/// Connections one server opens at most (a request beyond waits for one to be free, up to
/// [`WAIT_FOR_CONNECTION`]): several servers on one database stay within its `max_connections`.
const MAX_CONNECTIONS: usize = 10;
const WAIT_FOR_CONNECTION: Duration = Duration::from_secs(30);

/// Bumped with every change to [`SCHEMA`] (which must stay idempotent: it runs again then).
/// 2 (issue 14): disabled accounts, tokens' last use, login attempts per account and address.
/// 3 (issue 14): the audit trail.
/// 4 (issue 14): the link columns of child rows, by which the server files changes itself.
/// 5 (issue 14): records made private, for the teammates who lose them.
/// 6 (issue 14): attachments' bytes, and their rows' hash and size beside the links; claimable
/// records.
const SCHEMA_VERSION: &str = "6";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    role          TEXT NOT NULL,
    team          TEXT NOT NULL,
    password_hash TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (lower(email));
-- Tokens are stored hashed: a copied database does not hand out sessions.
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    device     TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
-- The server's order, the cursor clients pull by. CACHE 1 (the default) keeps the numbers in the
-- order they were handed out across connections.
CREATE SEQUENCE IF NOT EXISTS changes_seq CACHE 1;
-- Every change any device pushed, once: the unique key makes a repeated batch change nothing.
-- `entity` is the customer whose permissions the change falls under ('' = team-wide). The text
-- columns compare bytewise (\"C\"): the unique key is about identity, not about language. The
-- primary key is the order a team's changes are pulled in.
CREATE TABLE IF NOT EXISTS changes (
    seq     BIGINT NOT NULL DEFAULT nextval('changes_seq'),
    team    TEXT COLLATE \"C\" NOT NULL,
    site_id TEXT COLLATE \"C\" NOT NULL,
    hlc     BIGINT NOT NULL,
    tbl     TEXT COLLATE \"C\" NOT NULL,
    row_id  TEXT COLLATE \"C\" NOT NULL,
    col     TEXT COLLATE \"C\" NOT NULL,
    value   TEXT NOT NULL,
    entity  TEXT COLLATE \"C\" NOT NULL DEFAULT '',
    PRIMARY KEY (team, seq),
    UNIQUE (site_id, hlc, tbl, row_id, col)
);
ALTER SEQUENCE changes_seq OWNED BY changes.seq;
CREATE INDEX IF NOT EXISTS changes_entity ON changes (team, entity);
-- A device database belongs to the account that first pushed from it.
CREATE TABLE IF NOT EXISTS sites (
    site_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    device  TEXT NOT NULL
);
-- Each customer's owner (the account that first pushed it) and whether the team sees it, as last
-- set by its `visibility` column (`shared_hlc` is that change's clock: last writer wins).
CREATE TABLE IF NOT EXISTS entities (
    team       TEXT COLLATE \"C\" NOT NULL,
    entity_id  TEXT COLLATE \"C\" NOT NULL,
    owner_id   TEXT NOT NULL,
    shared     BOOLEAN NOT NULL DEFAULT true,
    shared_hlc BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (team, entity_id)
);
CREATE TABLE IF NOT EXISTS login_failures (email TEXT NOT NULL, at_ms BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_email ON login_failures (lower(email), at_ms);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures (at_ms);
-- Schema 2 (issue 14): disabled accounts; when each token was last used (tokens unused for the
-- server's --token-days expire; an existing token counts as used when it was made); login
-- attempts per account and per client address, counted before the password is checked.
ALTER TABLE users ADD COLUMN IF NOT EXISTS disabled BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS last_used_ms BIGINT;
UPDATE tokens SET last_used_ms = created_ms WHERE last_used_ms IS NULL;
ALTER TABLE tokens ALTER COLUMN last_used_ms SET NOT NULL;
CREATE INDEX IF NOT EXISTS tokens_user ON tokens (user_id);
CREATE TABLE IF NOT EXISTS login_attempts (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email   TEXT NOT NULL,
    address TEXT NOT NULL,
    at_ms   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS login_attempts_email ON login_attempts (lower(email), at_ms);
CREATE INDEX IF NOT EXISTS login_attempts_address ON login_attempts (address, at_ms);
CREATE INDEX IF NOT EXISTS login_attempts_at ON login_attempts (at_ms);
-- Schema 3 (issue 14): the audit trail (`satchel-server audit`), newest first by id.
CREATE TABLE IF NOT EXISTS audit (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms   BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
-- Schema 4 (issue 14): the newest value of each child row's link columns (a phone's customer, a
-- custom value's record), by which the server files a change under its record (see `filing`).
CREATE TABLE IF NOT EXISTS links (
    team   TEXT NOT NULL,
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col    TEXT NOT NULL,
    value  TEXT NOT NULL,
    hlc    BIGINT NOT NULL,
    PRIMARY KEY (team, tbl, row_id, col)
);
-- Schema 5 (issue 14): records made private (`seq`: the team's last sequence number once the
-- change was stored), so the teammates who lose them are told at their next pull.
CREATE TABLE IF NOT EXISTS revoked (
    team      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    owner_id  TEXT NOT NULL,
    seq       BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS revoked_team ON revoked (team, seq);
-- Schema 6 (issue 14): attachments' bytes, once per team and content hash, in pieces as they
-- arrive (an upload cut off goes on from `received`); fetchable once `complete` (all arrived and
-- matched the hash). `links` keeps attachment rows' hash and size too, found by hash here.
-- Records first pushed without who may see them are claimable by their creator (storage::Claim).
ALTER TABLE entities ADD COLUMN IF NOT EXISTS claimable BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS first_hlc BIGINT NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS links_sha256 ON links (team, value) WHERE tbl = 'attachments' AND col = 'sha256';
CREATE TABLE IF NOT EXISTS blobs (
    team     TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    size     BIGINT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    complete BOOLEAN NOT NULL DEFAULT false,
    -- true once the file moved to the object store (`serve --object-store`): no pieces here.
    elsewhere BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (team, sha256)
);
CREATE TABLE IF NOT EXISTS blob_pieces (
    team   TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    pos    BIGINT NOT NULL,
    data   BYTEA NOT NULL,
    PRIMARY KEY (team, sha256, pos)
);
";

/// Fills `links` from the changes stored before schema 4, and the attachment columns from those
/// before 6 (an existing row is kept).
fn fill_links(tx: &mut Tx) -> Result<()> {
    for t in satchel_proto::schema::SYNCED_TABLES.iter() {
        for col in t.columns.iter().filter(|c| satchel_proto::schema::kept(t.name, c)) {
            tx.execute(
                "INSERT INTO links (team, tbl, row_id, col, value, hlc)
                 SELECT DISTINCT ON (team, row_id) team, tbl, row_id, col, coalesce(value::jsonb #>> '{}', ''), hlc
                 FROM changes WHERE tbl = $1 AND col = $2 ORDER BY team, row_id, hlc DESC
                 ON CONFLICT DO NOTHING",
                &[&t.name, col],
            )?;
        }
    }
    Ok(())
}

/// The advisory lock (with [`LOCK_SPACE`] + 1) that login attempts are counted under: one at a
/// time over all servers, so parallel attempts cannot all pass the check before any is counted.
const LOGIN_LOCK: i32 = 0;
/// The advisory lock space (the second key is the team and hash's `hashtext`) that appends to one
/// attachment's bytes are made under, one at a time.
const BLOB_LOCK: i32 = LOCK_SPACE + 2;

/// Stores the changes of one push in batch order, numbered from new sequence values taken in one
/// go and handed out in ascending order (so the numbers follow the batch, whatever order the
/// database evaluates `nextval` in). A change already stored is skipped: looked up first rather
/// than left to `ON CONFLICT` (a third faster), which is safe because the team's pushes run one at
/// a time and a site's changes only ever come from its own team. The batch has no repeats.
const INSERT_CHANGES: &str = "
INSERT INTO changes (seq, team, site_id, hlc, tbl, row_id, col, value, entity)
SELECT n.seq, $1, c.site_id, c.hlc, c.tbl, c.row_id, c.col, c.value, c.entity
FROM unnest($2::text[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
     WITH ORDINALITY AS c (site_id, hlc, tbl, row_id, col, value, entity, ord)
JOIN (SELECT s AS seq, row_number() OVER (ORDER BY s) AS ord
      FROM (SELECT nextval('changes_seq') AS s FROM generate_series(1, cardinality($3::int8[]))) g) n USING (ord)
WHERE NOT EXISTS (
    SELECT FROM changes x WHERE x.site_id = c.site_id COLLATE \"C\" AND x.hlc = c.hlc AND x.tbl = c.tbl COLLATE \"C\"
                            AND x.row_id = c.row_id COLLATE \"C\" AND x.col = c.col COLLATE \"C\")";

/// Records made shared: their changes get new sequence numbers, after every cursor, record after
/// record in the order given, each keeping its changes' order.
const RESEQUENCE: &str = "
WITH old AS (
    SELECT seq, row_number() OVER (ORDER BY array_position($2::text[], entity), seq) AS rn
    FROM changes WHERE team = $1 AND entity = ANY($2::text[])
), new AS (
    SELECT s, row_number() OVER (ORDER BY s) AS rn FROM (SELECT nextval('changes_seq') AS s FROM old) g
)
UPDATE changes c SET seq = new.s FROM old JOIN new USING (rn) WHERE c.team = $1 AND c.seq = old.seq";

pub struct PostgresStorage {
    config: Config,
    pool: Mutex<Pool>,
    freed: Condvar,
    server_id: OnceLock<String>,
}

struct Pool {
    idle: Vec<Conn>,
    /// Idle and in use.
    open: usize,
}

/// A connection taken from the pool; given back when dropped (a dead one is let go).
struct Lease<'a> {
    storage: &'a PostgresStorage,
    conn: Option<Conn>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut pool = self.storage.pool();
            if conn.client.is_closed() {
                pool.open -= 1;
            } else {
                pool.idle.push(conn);
            }
            self.storage.freed.notify_one();
        }
    }
}

/// A connection and its prepared statements: each statement is parsed once per connection, so a
/// query costs one round trip instead of two.
struct Conn {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

fn prepared(statements: &mut HashMap<&'static str, Statement>, c: &mut impl GenericClient, sql: &'static str) -> Result<Statement> {
    if let Some(st) = statements.get(sql) {
        return Ok(st.clone());
    }
    let st = c.prepare(sql)?;
    statements.insert(sql, st.clone());
    Ok(st)
}

impl Conn {
    fn transaction(&mut self) -> Result<Tx<'_>> {
        Ok(Tx { tx: self.client.transaction()?, statements: &mut self.statements })
    }
    fn execute(&mut self, sql: &'static str, params: Params<'_>) -> Result<u64> {
        let st = prepared(&mut self.statements, &mut self.client, sql)?;
        Ok(self.client.execute(&st, params)?)
    }
    fn query(&mut self, sql: &'static str, params: Params<'_>) -> Result<Vec<Row>> {
        let st = prepared(&mut self.statements, &mut self.client, sql)?;
        Ok(self.client.query(&st, params)?)
    }
    fn query_one(&mut self, sql: &'static str, params: Params<'_>) -> Result<Row> {
        let st = prepared(&mut self.statements, &mut self.client, sql)?;
        Ok(self.client.query_one(&st, params)?)
    }
    fn query_opt(&mut self, sql: &'static str, params: Params<'_>) -> Result<Option<Row>> {
        let st = prepared(&mut self.statements, &mut self.client, sql)?;
        Ok(self.client.query_opt(&st, params)?)
    }
}

/// A transaction on a [`Conn`], with its prepared statements.
struct Tx<'a> {
    tx: Transaction<'a>,
    statements: &'a mut HashMap<&'static str, Statement>,
}

impl Tx<'_> {
    fn execute(&mut self, sql: &'static str, params: Params<'_>) -> Result<u64> {
        let st = prepared(self.statements, &mut self.tx, sql)?;
        Ok(self.tx.execute(&st, params)?)
    }
    fn query(&mut self, sql: &'static str, params: Params<'_>) -> Result<Vec<Row>> {
        let st = prepared(self.statements, &mut self.tx, sql)?;
        Ok(self.tx.query(&st, params)?)
    }
    fn query_one(&mut self, sql: &'static str, params: Params<'_>) -> Result<Row> {
        let st = prepared(self.statements, &mut self.tx, sql)?;
        Ok(self.tx.query_one(&st, params)?)
    }
    fn query_opt(&mut self, sql: &'static str, params: Params<'_>) -> Result<Option<Row>> {
        let st = prepared(self.statements, &mut self.tx, sql)?;
        Ok(self.tx.query_opt(&st, params)?)
    }
    fn batch_execute(&mut self, sql: &str) -> Result<()> {
        Ok(self.tx.batch_execute(sql)?)
    }
    fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}

/// The database's own words, not just "db error".
fn pg_error(e: postgres::Error) -> StorageError {
    let mut message = e.to_string();
    if let Some(db) = e.as_db_error() {
        message = format!("{message}: {}", db.message());
        if let Some(detail) = db.detail() {
            message = format!("{message} ({detail})");
        }
    } else if let Some(source) = std::error::Error::source(&e) {
        message = format!("{message}: {source}");
    }
    StorageError::Backend(format!("PostgreSQL: {message}"))
}

impl From<postgres::Error> for StorageError {
    fn from(e: postgres::Error) -> Self {
        pg_error(e)
    }
}

/// A batch of changes as one array per column.
#[derive(Default)]
struct Columns<'a> {
    site: Vec<&'a str>,
    hlc: Vec<i64>,
    table: Vec<&'a str>,
    row: Vec<&'a str>,
    column: Vec<&'a str>,
    value: Vec<String>,
    entity: Vec<&'a str>,
}

fn user_row(r: &Row) -> User {
    User { id: r.get(0), email: r.get(1), role: Role::parse(r.get(2)).unwrap_or(Role::Sales), team: r.get(3) }
}

/// `id, email, role, team, password_hash, disabled`.
fn account_row(r: &Row) -> Account {
    Account { user: user_row(r), password_hash: r.get(4), disabled: r.get(5) }
}

/// `token_hash, email, device, created_ms, last_used_ms`.
fn token_info_row(r: &Row) -> TokenInfo {
    let hash: &str = r.get(0);
    TokenInfo {
        id: hash[..TOKEN_ID_LEN.min(hash.len())].to_string(),
        email: r.get(1),
        device: r.get(2),
        created_ms: r.get(3),
        last_used_ms: r.get(4),
    }
}

impl PostgresStorage {
    /// Connects and creates the tables that are missing (idempotent: several servers may start at
    /// once on one database). The URL is libpq's: `postgres://user:password@host:port/dbname`,
    /// `?options=-c%20search_path%3Dsatchel` to keep the tables in a schema of their own.
    pub fn connect(url: &str) -> Result<Self> {
        let mut config: Config = url.parse().map_err(|e| StorageError::Backend(format!("bad --database URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("satchel-server");
        }
        let storage =
            Self { config, pool: Mutex::new(Pool { idle: Vec::new(), open: 0 }), freed: Condvar::new(), server_id: OnceLock::new() };
        storage.with_client(|c| {
            let mut tx = c.transaction()?;
            // Two servers creating the same table at once would collide: one at a time.
            tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&LOCK_SPACE])?;
            // Once set up, the tables are left alone: even `CREATE INDEX IF NOT EXISTS` locks its
            // table against writes, which would stall the other servers' pushes.
            let current = tx.query_one("SELECT to_regclass('meta') IS NOT NULL", &[])?.get::<_, bool>(0)
                && tx.query_opt("SELECT value FROM meta WHERE key = 'schema'", &[])?.is_some_and(|r| r.get::<_, &str>(0) == SCHEMA_VERSION);
            if !current {
                // Schemas before 6 kept fewer columns beside the links (none before 4).
                let had_meta = tx.query_one("SELECT to_regclass('meta') IS NOT NULL", &[])?.get::<_, bool>(0);
                let was: i64 = if had_meta {
                    tx.query_opt("SELECT value FROM meta WHERE key = 'schema'", &[])?
                        .and_then(|r| r.get::<_, &str>(0).parse().ok())
                        .unwrap_or(0)
                } else {
                    0
                };
                tx.batch_execute(SCHEMA)?;
                if was < 6 {
                    fill_links(&mut tx)?;
                }
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    &[&SCHEMA_VERSION],
                )?;
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('server_id', $1) ON CONFLICT DO NOTHING",
                &[&uuid::Uuid::new_v4().to_string()],
            )?;
            // Issue 14: a database made before epochs gets its first one; an existing one is kept.
            tx.execute("INSERT INTO meta (key, value) VALUES ('epoch', $1) ON CONFLICT DO NOTHING", &[&crate::storage::fresh_epoch()])?;
            tx.commit()?;
            Ok(())
        })?;
        Ok(storage)
    }

    /// The database a URL names, without its password: for messages.
    pub fn describe(url: &str) -> String {
        let Ok(config) = url.parse::<Config>() else { return "a PostgreSQL database".into() };
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
            None => "localhost".into(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let db = config.get_dbname().or(config.get_user()).unwrap_or("postgres");
        format!("PostgreSQL database {db} on {host}:{port}")
    }

    fn connect_one(&self) -> Result<Conn> {
        match self.config.connect(NoTls) {
            Ok(client) => Ok(Conn { client, statements: HashMap::new() }),
            Err(e) => Err(match pg_error(e) {
                StorageError::Backend(m) => StorageError::Backend(format!("cannot connect to the database: {m}")),
                e => e,
            }),
        }
    }

    fn pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An idle connection, or a new one while fewer than [`MAX_CONNECTIONS`] are open; `true`
    /// when new.
    fn lease(&self) -> Result<(Lease<'_>, bool)> {
        let deadline = std::time::Instant::now() + WAIT_FOR_CONNECTION;
        let mut pool = self.pool();
        loop {
            if let Some(conn) = pool.idle.pop() {
                return Ok((Lease { storage: self, conn: Some(conn) }, false));
            }
            if pool.open < MAX_CONNECTIONS {
                pool.open += 1;
                drop(pool);
                return match self.connect_one() {
                    Ok(conn) => Ok((Lease { storage: self, conn: Some(conn) }, true)),
                    Err(e) => {
                        self.pool().open -= 1;
                        self.freed.notify_one();
                        Err(e)
                    }
                };
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Err(StorageError::Backend(format!("all {MAX_CONNECTIONS} database connections stayed busy")));
            }
            pool = self.freed.wait_timeout(pool, left).unwrap_or_else(|p| p.into_inner()).0;
        }
    }

    /// Changes the account of an email with `f` (given its id), and returns it as changed
    /// (`NotFound` for an unknown email).
    fn update_user(&self, email: &str, f: impl Fn(&mut Tx, &str) -> Result<()>) -> Result<User> {
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            let id: String = tx
                .query_opt("SELECT id FROM users WHERE lower(email) = lower($1) FOR UPDATE", &[&email])?
                .map(|r| r.get(0))
                .ok_or_else(|| StorageError::NotFound(format!("no account {email}")))?;
            f(&mut tx, &id)?;
            let user = user_row(&tx.query_one("SELECT id, email, role, team FROM users WHERE id = $1", &[&id])?);
            tx.commit()?;
            Ok(user)
        })
    }

    /// Runs `f` on a pooled connection. A connection that died (the database restarted) is
    /// dropped, and `f` runs once more on a new one: each call is one transaction or one
    /// statement, so running it again after a failure is safe.
    fn with_client<T>(&self, mut f: impl FnMut(&mut Conn) -> Result<T>) -> Result<T> {
        let mut retried = false;
        loop {
            let (mut lease, fresh) = self.lease()?;
            let conn = lease.conn.as_mut().expect("a lease holds its connection until dropped");
            let result = f(conn);
            // A connection the database cut (a restart, an administrator) may not know it yet when
            // the error arrives: ask it, and let a dead one go before trying once more.
            if result.is_err()
                && !fresh
                && !retried
                && (conn.client.is_closed() || conn.client.is_valid(std::time::Duration::from_secs(2)).is_err())
            {
                retried = true;
                if let Some(dead) = lease.conn.take() {
                    drop(dead);
                    self.pool().open -= 1;
                    self.freed.notify_one();
                }
                continue;
            }
            return result;
        }
    }
}

impl Drop for PostgresStorage {
    fn drop(&mut self) {
        // Each client runs a small runtime of its own, which may not be shut down from async
        // code (the storage is dropped where the server stops): close them on a plain thread.
        let idle = std::mem::take(&mut self.pool.get_mut().unwrap_or_else(|p| p.into_inner()).idle);
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}

impl Storage for PostgresStorage {
    fn add_user(&self, email: &str, role: Role, team: &str, password_hash: &str) -> Result<User> {
        let user = User { id: uuid::Uuid::now_v7().to_string(), email: email.to_string(), role, team: team.to_string() };
        let inserted = self.with_client(|c| {
            c.execute(
                "INSERT INTO users (id, email, role, team, password_hash) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                &[&user.id, &user.email, &role.as_str(), &team, &password_hash],
            )
        })?;
        if inserted == 0 {
            return Err(StorageError::Exists(email.to_string()));
        }
        Ok(user)
    }

    fn user_by_email(&self, email: &str) -> Result<Option<Account>> {
        self.with_client(|c| {
            let row =
                c.query_opt("SELECT id, email, role, team, password_hash, disabled FROM users WHERE lower(email) = lower($1)", &[&email])?;
            Ok(row.map(|r| account_row(&r)))
        })
    }

    fn users(&self) -> Result<Vec<Account>> {
        self.with_client(|c| {
            let rows = c.query("SELECT id, email, role, team, password_hash, disabled FROM users ORDER BY lower(email)", &[])?;
            Ok(rows.iter().map(account_row).collect())
        })
    }

    fn set_disabled(&self, email: &str, disabled: bool) -> Result<User> {
        self.update_user(email, |c, id| c.execute("UPDATE users SET disabled = $2 WHERE id = $1", &[&id, &disabled]).map(|_| ()))
    }

    fn set_role(&self, email: &str, role: Role) -> Result<User> {
        self.update_user(email, |c, id| c.execute("UPDATE users SET role = $2 WHERE id = $1", &[&id, &role.as_str()]).map(|_| ()))
    }

    fn set_password(&self, email: &str, password_hash: &str) -> Result<(User, usize)> {
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            let user = tx
                .query_opt("SELECT id, email, role, team FROM users WHERE lower(email) = lower($1) FOR UPDATE", &[&email])?
                .map(|r| user_row(&r))
                .ok_or_else(|| StorageError::NotFound(format!("no account {email}")))?;
            tx.execute("UPDATE users SET password_hash = $2 WHERE id = $1", &[&user.id, &password_hash])?;
            let revoked = tx.execute("DELETE FROM tokens WHERE user_id = $1", &[&user.id])?;
            tx.commit()?;
            Ok((user, revoked as usize))
        })
    }

    fn create_token(&self, user: &User, device: &str, token_hash: &str, now_ms: i64) -> Result<()> {
        self.with_client(|c| {
            c.execute(
                "INSERT INTO tokens (token_hash, user_id, device, created_ms, last_used_ms) VALUES ($1, $2, $3, $4, $4)",
                &[&token_hash, &user.id, &device, &now_ms],
            )?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        self.with_client(|c| {
            let row = c.query_opt(
                "SELECT u.id, u.email, u.role, u.team, t.device, t.last_used_ms, u.disabled
                 FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
                &[&token_hash],
            )?;
            Ok(row.map(|r| Session { user: user_row(&r), device: r.get(4), last_used_ms: r.get(5), disabled: r.get(6) }))
        })
    }

    fn touch_token(&self, token_hash: &str, now_ms: i64) -> Result<()> {
        self.with_client(|c| {
            c.execute("UPDATE tokens SET last_used_ms = $2 WHERE token_hash = $1 AND last_used_ms < $2", &[&token_hash, &now_ms])?;
            Ok(())
        })
    }

    fn revoke_token(&self, token_hash: &str) -> Result<bool> {
        self.with_client(|c| Ok(c.execute("DELETE FROM tokens WHERE token_hash = $1", &[&token_hash])? > 0))
    }

    fn revoke_token_id(&self, id: &str) -> Result<TokenInfo> {
        let len = TOKEN_ID_LEN as i32;
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            let found: Vec<TokenInfo> = tx
                .query(
                    "SELECT t.token_hash, u.email, t.device, t.created_ms, t.last_used_ms FROM tokens t JOIN users u ON u.id = t.user_id
                     WHERE left(t.token_hash, $2) = lower($1) FOR UPDATE OF t",
                    &[&id, &len],
                )?
                .iter()
                .map(token_info_row)
                .collect();
            let token = crate::sqlite::one_token(id, found)?;
            tx.execute("DELETE FROM tokens WHERE left(token_hash, $2) = lower($1)", &[&id, &len])?;
            tx.commit()?;
            Ok(token)
        })
    }

    fn forget_tokens_unused_since(&self, before_ms: i64) -> Result<usize> {
        self.with_client(|c| Ok(c.execute("DELETE FROM tokens WHERE last_used_ms < $1", &[&before_ms])? as usize))
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>> {
        self.with_client(|c| {
            let rows = c.query(
                "SELECT t.token_hash, u.email, t.device, t.created_ms, t.last_used_ms FROM tokens t JOIN users u ON u.id = t.user_id
                 ORDER BY lower(u.email), t.created_ms DESC, t.token_hash",
                &[],
            )?;
            Ok(rows.iter().map(token_info_row).collect())
        })
    }

    fn reserve_login(&self, email: &str, address: &str, now_ms: i64, limits: LoginLimits) -> Result<Reservation> {
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            // One count-and-insert at a time over every server on this database.
            tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&(LOCK_SPACE + 1), &LOGIN_LOCK])?;
            let by_account: i64 = tx
                .query_one(
                    "SELECT count(*) FROM login_attempts WHERE lower(email) = lower($1) AND at_ms >= $2",
                    &[&email, &limits.since_ms],
                )?
                .get(0);
            if by_account >= i64::from(limits.per_account) {
                return Ok(Reservation::AccountLocked);
            }
            if !address.is_empty() {
                let by_address: i64 = tx
                    .query_one("SELECT count(*) FROM login_attempts WHERE address = $1 AND at_ms >= $2", &[&address, &limits.since_ms])?
                    .get(0);
                if by_address >= i64::from(limits.per_address) {
                    return Ok(Reservation::AddressLocked);
                }
            }
            let id: i64 = tx
                .query_one(
                    "INSERT INTO login_attempts (email, address, at_ms) VALUES ($1, $2, $3) RETURNING id",
                    &[&email, &address, &now_ms],
                )?
                .get(0);
            // Old attempts are only kept as long as they count.
            tx.execute("DELETE FROM login_attempts WHERE at_ms < $1", &[&(now_ms - 3_600_000)])?;
            tx.commit()?;
            Ok(Reservation::Counted(id))
        })
    }

    fn release_login(&self, id: i64) -> Result<()> {
        self.with_client(|c| {
            c.execute("DELETE FROM login_attempts WHERE id = $1", &[&id])?;
            Ok(())
        })
    }

    fn audit(&self, e: &AuditEntry) -> Result<()> {
        self.with_client(|c| {
            c.execute(
                "INSERT INTO audit (at_ms, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
                &[&e.at_ms, &e.actor, &e.action, &e.subject, &e.detail],
            )?;
            Ok(())
        })
    }

    fn audit_trail(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        self.with_client(|c| {
            let rows =
                c.query("SELECT at_ms, actor, action, subject, detail FROM audit ORDER BY id DESC LIMIT $1", &[&i64::from(limit)])?;
            Ok(rows
                .iter()
                .map(|r| AuditEntry { at_ms: r.get(0), actor: r.get(1), action: r.get(2), subject: r.get(3), detail: r.get(4) })
                .collect())
        })
    }

    fn push(&self, user: &User, device: &str, changes: &[WireChange]) -> Result<Pushed> {
        if changes.is_empty() {
            return Ok(Pushed { stored: 0, seqs: None });
        }
        // Each distinct site and record once, in the order the batch names them.
        let mut sites: Vec<&str> = Vec::new();
        let mut entity_ids: Vec<&str> = Vec::new();
        {
            let mut seen = std::collections::HashSet::new();
            for ch in changes {
                if seen.insert((0, ch.site.as_str())) {
                    sites.push(&ch.site);
                }
                if !ch.entity.is_empty() && seen.insert((1, ch.entity.as_str())) {
                    entity_ids.push(&ch.entity);
                }
            }
        }
        // The columns of the batch, sent as one array each (one statement for the whole batch);
        // a change repeated within the batch once, the first time.
        let mut cols = Columns::default();
        let mut once = std::collections::HashSet::with_capacity(changes.len());
        for ch in changes {
            if !once.insert((ch.site.as_str(), ch.hlc, ch.table.as_str(), ch.row.as_str(), ch.column.as_str())) {
                continue;
            }
            cols.site.push(&ch.site);
            cols.hlc.push(ch.hlc);
            cols.table.push(&ch.table);
            cols.row.push(&ch.row);
            cols.column.push(&ch.column);
            cols.value.push(ch.value.to_string());
            cols.entity.push(&ch.entity);
        }
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            // One push per team at a time: the team's sequence numbers then follow commit order.
            tx.execute("SELECT pg_advisory_xact_lock($1, hashtext($2))", &[&LOCK_SPACE, &user.team])?;
            let last_seq = |tx: &mut Tx| -> Result<i64> {
                Ok(tx.query_one("SELECT coalesce(max(seq), 0)::int8 FROM changes WHERE team = $1", &[&user.team])?.get(0))
            };
            let before = last_seq(&mut tx)?;

            // A site belongs to the first account that pushed from it (claimed here if new).
            tx.execute(
                "INSERT INTO sites (site_id, user_id, device) SELECT unnest($1::text[]), $2, $3 ON CONFLICT DO NOTHING",
                &[&sites, &user.id, &device],
            )?;
            let site_owner: HashMap<String, String> = tx
                .query("SELECT site_id, user_id FROM sites WHERE site_id = ANY($1)", &[&sites])?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();

            // A record belongs to the first account that pushed it, shared until made private.
            // (Or, first pushed without who may see it, claimable by its creator: `storage::Claim`.)
            let mut entities: HashMap<String, (String, bool, i64)> = HashMap::new();
            // Records new to the server in this push, with their oldest change's clock.
            let mut new_entities: HashMap<String, i64> = HashMap::new();
            // Records claimed by their creator in this push that were hidden until then, and those
            // whose owner the server does not know yet (anyone in the team may add to them).
            let mut claimed_hidden: Vec<String> = Vec::new();
            let mut still_claimable: std::collections::HashSet<String> = std::collections::HashSet::new();
            if !entity_ids.is_empty() {
                let (claims, firsts) = crate::storage::Claim::scan(changes);
                let new: Vec<crate::storage::Claim> =
                    entity_ids.iter().map(|e| crate::storage::Claim::of_new(user, claims.contains_key(e))).collect();
                let shared: Vec<bool> = new.iter().map(|c| c.shared).collect();
                let claimable: Vec<bool> = new.iter().map(|c| c.claimable).collect();
                let first: Vec<i64> = entity_ids.iter().map(|e| firsts.get(e).copied().unwrap_or(0)).collect();
                for r in tx.query(
                    "INSERT INTO entities (team, entity_id, owner_id, shared, claimable, first_hlc)
                     SELECT $1, u.id, $3, u.shared, u.claimable, u.first FROM unnest($2::text[], $4::bool[], $5::bool[], $6::int8[]) AS u (id, shared, claimable, first)
                     ON CONFLICT DO NOTHING RETURNING entity_id",
                    &[&user.team, &entity_ids, &user.id, &shared, &claimable, &first],
                )? {
                    let id: String = r.get(0);
                    let first = firsts.get(id.as_str()).copied().unwrap_or(i64::MAX);
                    new_entities.insert(id, first);
                }
                for r in tx.query(
                    "SELECT entity_id, owner_id, shared, shared_hlc, claimable, first_hlc FROM entities WHERE team = $1 AND entity_id = ANY($2)",
                    &[&user.team, &entity_ids],
                )? {
                    let (id, mut owner): (String, String) = (r.get(0), r.get(1));
                    let (claimable, first_hlc): (bool, i64) = (r.get(4), r.get(5));
                    let (mut shared, mut shared_hlc): (bool, i64) = (r.get(2), r.get(3));
                    if claimable && owner != user.id && claims.get(id.as_str()).is_some_and(|h| *h < first_hlc) {
                        // As the SQLite backend: who sees it starts over from a creation's default,
                        // and what was hidden is numbered again for its creator's cursor.
                        tx.execute(
                            "UPDATE entities SET owner_id = $3, claimable = false, shared = true, shared_hlc = 0 WHERE team = $1 AND entity_id = $2",
                            &[&user.team, &id, &user.id],
                        )?;
                        log::info!("record {id} is {}'s: their changes to it are older than any it had", user.email);
                        owner = user.id.clone();
                        if !shared {
                            claimed_hidden.push(id.clone());
                        }
                        (shared, shared_hlc) = (true, 0);
                    }
                    if claimable && owner != user.id {
                        still_claimable.insert(id.clone());
                    }
                    entities.insert(id, (owner, shared, shared_hlc));
                }
            }

            // The rules, change by change as the SQLite backend applies them (same refusals).
            let mut checked_sites = std::collections::HashSet::new();
            let mut checked_entities = std::collections::HashSet::new();
            let mut changed: Vec<&str> = Vec::new();
            let mut now_shared: Vec<&str> = Vec::new();
            // Records this push shares at some time (see the SQLite backend's `seen_shared`).
            let mut shared_in_push = std::collections::HashSet::new();
            let mut first_private: HashMap<&str, i64> = HashMap::new();
            for ch in changes.iter().filter(|c| c.sets_shared() == Some(false)) {
                let p = first_private.entry(ch.entity.as_str()).or_insert(ch.hlc);
                *p = (*p).min(ch.hlc);
            }
            let shared_at_start: HashMap<String, bool> = entities.iter().map(|(k, v)| (k.clone(), v.1)).collect();
            for (i, ch) in changes.iter().enumerate() {
                if checked_sites.insert(ch.site.as_str()) && site_owner.get(&ch.site) != Some(&user.id) {
                    return Err(StorageError::Forbidden(format!("change {i}: its device database belongs to another account")));
                }
                if ch.entity.is_empty() {
                    continue;
                }
                let state = entities
                    .get_mut(&ch.entity)
                    .ok_or_else(|| StorageError::Backend(format!("record {} vanished during the push", ch.entity)))?;
                if checked_entities.insert(ch.entity.as_str())
                    && !state.1
                    && state.0 != user.id
                    && !user.role.sees_all()
                    && !still_claimable.contains(ch.entity.as_str())
                {
                    return Err(StorageError::Forbidden(format!("change {i}: record {} is another person's private record", ch.entity)));
                }
                if ch.sets_access() && state.0 != user.id && !user.role.sees_all() {
                    return Err(StorageError::Forbidden(format!(
                        "change {i}: only the owner of record {} or a manager may change who sees it or who looks after it",
                        ch.entity
                    )));
                }
                if ch.sets_shared() == Some(true) {
                    shared_in_push.insert(ch.entity.as_str());
                }
                if let Some(to) = ch.sets_shared().filter(|_| ch.hlc > state.2) {
                    if to && !state.1 {
                        // Made shared again later in the batch: it moves after what came between.
                        now_shared.retain(|e| *e != ch.entity);
                        now_shared.push(&ch.entity);
                    }
                    state.1 = to;
                    state.2 = ch.hlc;
                    if !changed.contains(&ch.entity.as_str()) {
                        changed.push(&ch.entity);
                    }
                }
            }
            if !changed.is_empty() {
                let shared: Vec<bool> = changed.iter().map(|e| entities[*e].1).collect();
                let hlcs: Vec<i64> = changed.iter().map(|e| entities[*e].2).collect();
                tx.execute(
                    "UPDATE entities e SET shared = u.shared, shared_hlc = u.hlc
                     FROM unnest($2::text[], $3::bool[], $4::int8[]) AS u (id, shared, hlc)
                     WHERE e.team = $1 AND e.entity_id = u.id",
                    &[&user.team, &changed, &shared, &hlcs],
                )?;
            }

            let stored = tx.execute(
                INSERT_CHANGES,
                &[&user.team, &cols.site, &cols.hlc, &cols.table, &cols.row, &cols.column, &cols.value, &cols.entity],
            )?;
            // The link columns the batch sets, newest each (one row per key in one statement).
            let mut newest: HashMap<(&str, &str, &str), (i64, String)> = HashMap::new();
            for ch in changes.iter().filter(|ch| satchel_proto::schema::kept(&ch.table, &ch.column)) {
                let v = (ch.hlc, crate::storage::kept_text(&ch.value));
                match newest.entry((&ch.table, &ch.row, &ch.column)) {
                    std::collections::hash_map::Entry::Occupied(mut old) => {
                        if v.0 > old.get().0 {
                            old.insert(v);
                        }
                    }
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(v);
                    }
                }
            }
            if !newest.is_empty() {
                let (mut t, mut r, mut c, mut v, mut h) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
                for ((table, row, column), (hlc, value)) in &newest {
                    t.push(*table);
                    r.push(*row);
                    c.push(*column);
                    v.push(value.as_str());
                    h.push(*hlc);
                }
                tx.execute(
                    "INSERT INTO links (team, tbl, row_id, col, value, hlc)
                     SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int8[]) AS u
                     ON CONFLICT (team, tbl, row_id, col) DO UPDATE SET value = excluded.value, hlc = excluded.hlc
                     WHERE excluded.hlc > links.hlc",
                    &[&user.team, &t, &r, &c, &v, &h],
                )?;
            }
            // A private record made shared: its past changes get new sequence numbers, after every
            // cursor, so the teammates who could not see it before receive all of it.
            // Shared records made private: the teammates who had them are told at their next pull.
            // So are records the push shares and ends private: a server restored from a backup
            // may have lost that teammates pulled them shared. (A record new to the server counts
            // as shared at the start here, so it is announced whenever it ends private.)
            let now_private: Vec<&str> = changed
                .iter()
                .copied()
                .filter(|e| {
                    // A record new here was seen by nobody unless something before its first
                    // "private" reached the server (as the SQLite backend's `seen_shared`).
                    let seen_shared = match new_entities.get(*e) {
                        Some(first) => shared_in_push.contains(e) || first_private.get(*e).is_some_and(|p| first < p),
                        None => shared_at_start.get(*e) == Some(&true) || shared_in_push.contains(e),
                    };
                    seen_shared && !entities[*e].1
                })
                .collect();
            if !now_private.is_empty() {
                let top = last_seq(&mut tx)?;
                let owners: Vec<&str> = now_private.iter().map(|e| entities[*e].0.as_str()).collect();
                tx.execute(
                    "INSERT INTO revoked (team, entity_id, owner_id, seq) SELECT $1, u.id, u.owner, $4 FROM unnest($2::text[], $3::text[]) AS u (id, owner)",
                    &[&user.team, &now_private, &owners, &top],
                )?;
            }
            let mut resequence: Vec<&str> = now_shared.clone();
            for id in &claimed_hidden {
                if !resequence.contains(&id.as_str()) {
                    resequence.push(id);
                }
            }
            let seqs = if resequence.is_empty() { Some((before, last_seq(&mut tx)?)) } else { None };
            if !resequence.is_empty() {
                tx.execute(RESEQUENCE, &[&user.team, &resequence])?;
            }
            tx.commit()?;
            Ok(Pushed { stored: stored as usize, seqs })
        })
    }

    fn revoked(&self, user: &User, after: i64, upto: Option<i64>) -> Result<Vec<String>> {
        if user.role.sees_all() {
            return Ok(Vec::new());
        }
        let upto = upto.unwrap_or(i64::MAX);
        self.with_client(|c| {
            let rows = c.query(
                "SELECT DISTINCT r.entity_id FROM revoked r JOIN entities e ON e.team = r.team AND e.entity_id = r.entity_id
                 WHERE r.team = $1 AND r.seq > $2 AND r.seq <= $3 AND r.owner_id <> $4 AND NOT e.shared AND e.owner_id <> $4",
                &[&user.team, &after, &upto, &user.id],
            )?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn links(&self, team: &str, keys: &[LinkKey]) -> Result<HashMap<LinkKey, (i64, String)>> {
        let t: Vec<&str> = keys.iter().map(|k| k.table.as_str()).collect();
        let r: Vec<&str> = keys.iter().map(|k| k.row.as_str()).collect();
        let c: Vec<&str> = keys.iter().map(|k| k.column.as_str()).collect();
        self.with_client(|client| {
            let rows = client.query(
                "SELECT l.tbl, l.row_id, l.col, l.hlc, l.value FROM links l
                 JOIN unnest($2::text[], $3::text[], $4::text[]) AS k (tbl, row_id, col)
                   ON l.tbl = k.tbl AND l.row_id = k.row_id AND l.col = k.col
                 WHERE l.team = $1",
                &[&team, &t, &r, &c],
            )?;
            Ok(rows.iter().map(|x| (LinkKey { table: x.get(0), row: x.get(1), column: x.get(2) }, (x.get(3), x.get(4)))).collect())
        })
    }

    fn pull(&self, user: &User, after: i64, limit: u32) -> Result<Vec<Pulled>> {
        let all = user.role.sees_all();
        self.with_client(|c| {
            // Walk the team's changes in `seq` order down the (team, seq) index and look up each
            // one's record by its key, whatever the statistics say. (A team whose changes the
            // statistics do not know yet, a new team or a freshly filled table, was otherwise
            // planned as "fetch all after the cursor, then sort": seconds per page.)
            let mut tx = c.transaction()?;
            tx.batch_execute("SET LOCAL enable_sort = off")?;
            let rows = tx.query(
                "SELECT c.seq, c.site_id, c.hlc, c.tbl, c.row_id, c.col, c.value, c.entity FROM changes c
                 LEFT JOIN LATERAL (SELECT e.shared, e.owner_id FROM entities e WHERE e.team = c.team AND e.entity_id = c.entity LIMIT 1) e ON true
                 WHERE c.team = $1 AND c.seq > $2 AND ($4 OR c.entity = '' OR e.shared OR e.owner_id = $5)
                 ORDER BY c.seq LIMIT $3",
                &[&user.team, &after, &i64::from(limit), &all, &user.id],
            )?;
            tx.commit()?;
            Ok(rows
                .iter()
                .map(|r| Pulled {
                    seq: r.get(0),
                    change: WireChange {
                        site: r.get(1),
                        hlc: r.get(2),
                        table: r.get(3),
                        row: r.get(4),
                        column: r.get(5),
                        value: serde_json::from_str(r.get(6)).unwrap_or(serde_json::Value::Null),
                        entity: r.get(7),
                    },
                })
                .collect())
        })
    }

    fn sites(&self, sites: &[&str]) -> Result<Vec<SiteInfo>> {
        if sites.is_empty() {
            return Ok(Vec::new());
        }
        let found: HashMap<String, (String, String)> = self.with_client(|c| {
            Ok(c.query(
                "SELECT s.site_id, u.email, s.device FROM sites s JOIN users u ON u.id = s.user_id WHERE s.site_id = ANY($1)",
                &[&sites],
            )?
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect())
        })?;
        Ok(sites
            .iter()
            .filter_map(|s| {
                found.get(*s).map(|(author, device)| SiteInfo { site: s.to_string(), author: author.clone(), device: device.clone() })
            })
            .collect())
    }

    fn last_seq(&self, team: &str) -> Result<i64> {
        self.with_client(|c| Ok(c.query_one("SELECT coalesce(max(seq), 0)::int8 FROM changes WHERE team = $1", &[&team])?.get(0)))
    }

    fn server_id(&self) -> Result<String> {
        // Set once, never changed: asked of the database once per process, not per request.
        if let Some(id) = self.server_id.get() {
            return Ok(id.clone());
        }
        let id: String = self.with_client(|c| Ok(c.query_one("SELECT value FROM meta WHERE key = 'server_id'", &[])?.get(0)))?;
        Ok(self.server_id.get_or_init(|| id).clone())
    }

    fn next_series(&self) -> Result<u64> {
        // One statement: two logins at once still get two series.
        self.with_client(|c| {
            let n: i64 = c
                .query_one(
                    "INSERT INTO meta (key, value) VALUES ('series', '1')
                     ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + 1)::text RETURNING value::bigint",
                    &[],
                )?
                .get(0);
            Ok(n as u64)
        })
    }

    fn epoch(&self) -> Result<String> {
        // Read every time (not kept like the server id): `satchel-server new-epoch` after a
        // pg_restore reaches servers that are already running.
        self.with_client(|c| Ok(c.query_one("SELECT value FROM meta WHERE key = 'epoch'", &[])?.get(0)))
    }

    fn new_epoch(&self) -> Result<String> {
        let epoch = crate::storage::fresh_epoch();
        self.with_client(|c| {
            c.execute(
                "INSERT INTO meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&epoch],
            )?;
            Ok(())
        })?;
        Ok(epoch)
    }

    fn attachment_rows(&self, team: &str, sha256: &str) -> Result<Vec<(String, u64)>> {
        self.with_client(|c| {
            let rows = c.query(
                "SELECT h.row_id, coalesce(s.value, '0') FROM links h
                 LEFT JOIN links s ON s.team = h.team AND s.tbl = 'attachments' AND s.row_id = h.row_id AND s.col = 'size'
                 WHERE h.team = $1 AND h.tbl = 'attachments' AND h.col = 'sha256' AND h.value = $2",
                &[&team, &sha256],
            )?;
            Ok(rows.iter().map(|r| (r.get(0), r.get::<_, &str>(1).parse::<u64>().unwrap_or(0))).collect())
        })
    }

    fn may_see(&self, user: &User, entity: &str) -> Result<bool> {
        if entity.is_empty() || user.role.sees_all() {
            return Ok(true);
        }
        self.with_client(|c| {
            let found = c.query_opt("SELECT shared, owner_id FROM entities WHERE team = $1 AND entity_id = $2", &[&user.team, &entity])?;
            Ok(found.is_some_and(|r| r.get::<_, bool>(0) || r.get::<_, &str>(1) == user.id))
        })
    }

    fn blob(&self, team: &str, sha256: &str) -> Result<Option<Blob>> {
        self.with_client(|c| Ok(blob_row(c.query_opt(BLOB, &[&team, &sha256])?)))
    }

    fn blob_append(&self, team: &str, sha256: &str, size: u64, offset: u64, bytes: &[u8]) -> Result<std::result::Result<Blob, u64>> {
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            // One append at a time per file, over all servers on this database.
            tx.execute("SELECT pg_advisory_xact_lock($1, hashtext($2 || $3))", &[&BLOB_LOCK, &team, &sha256])?;
            let held = match blob_row(tx.query_opt(BLOB, &[&team, &sha256])?) {
                Some(b) if b.complete => return Ok(Ok(b)),
                Some(b) if b.size == size => b,
                other => {
                    if other.is_some() {
                        tx.execute("DELETE FROM blob_pieces WHERE team = $1 AND sha256 = $2", &[&team, &sha256])?;
                    }
                    tx.execute(
                        "INSERT INTO blobs (team, sha256, size, received, complete) VALUES ($1, $2, $3, 0, false)
                         ON CONFLICT (team, sha256) DO UPDATE SET size = excluded.size, received = 0, complete = false",
                        &[&team, &sha256, &(size as i64)],
                    )?;
                    Blob { size, received: 0, complete: false, elsewhere: false }
                }
            };
            if offset != held.received {
                return Ok(Err(held.received));
            }
            if !bytes.is_empty() {
                tx.execute(
                    "INSERT INTO blob_pieces (team, sha256, pos, data) VALUES ($1, $2, $3, $4)",
                    &[&team, &sha256, &(offset as i64), &bytes],
                )?;
            }
            let received = held.received + bytes.len() as u64;
            tx.execute("UPDATE blobs SET received = $3 WHERE team = $1 AND sha256 = $2", &[&team, &sha256, &(received as i64)])?;
            tx.commit()?;
            Ok(Ok(Blob { received, ..held }))
        })
    }

    fn blob_read(&self, team: &str, sha256: &str, offset: u64, max: usize) -> Result<Vec<u8>> {
        self.with_client(|c| {
            let rows = c.query(
                "SELECT pos, data FROM blob_pieces WHERE team = $1 AND sha256 = $2
                 AND pos >= coalesce((SELECT max(pos) FROM blob_pieces WHERE team = $1 AND sha256 = $2 AND pos <= $3), 0)
                 AND pos < $4 ORDER BY pos",
                &[&team, &sha256, &(offset as i64), &((offset + max as u64) as i64)],
            )?;
            Ok(crate::storage::from_pieces(rows.iter().map(|r| (r.get::<_, i64>(0) as u64, r.get::<_, &[u8]>(1))), offset, max))
        })
    }

    fn blob_moved(&self, team: &str, sha256: &str) -> Result<()> {
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            tx.execute("UPDATE blobs SET complete = true, elsewhere = true WHERE team = $1 AND sha256 = $2", &[&team, &sha256])?;
            tx.execute("DELETE FROM blob_pieces WHERE team = $1 AND sha256 = $2", &[&team, &sha256])?;
            tx.commit()?;
            Ok(())
        })
    }

    fn blob_settle(&self, team: &str, sha256: &str, whole: bool) -> Result<()> {
        self.with_client(|c| {
            if whole {
                c.execute("UPDATE blobs SET complete = true WHERE team = $1 AND sha256 = $2", &[&team, &sha256])?;
            } else {
                let mut tx = c.transaction()?;
                tx.execute("DELETE FROM blob_pieces WHERE team = $1 AND sha256 = $2", &[&team, &sha256])?;
                tx.execute("DELETE FROM blobs WHERE team = $1 AND sha256 = $2", &[&team, &sha256])?;
                tx.commit()?;
            }
            Ok(())
        })
    }
}

const BLOB: &str = "SELECT size, received, complete, elsewhere FROM blobs WHERE team = $1 AND sha256 = $2";

fn blob_row(r: Option<Row>) -> Option<Blob> {
    r.map(|r| Blob { size: r.get::<_, i64>(0) as u64, received: r.get::<_, i64>(1) as u64, complete: r.get(2), elsewhere: r.get(3) })
}
