//! `satchel-server --data DIR init | user add|list|disable|enable|passwd|role | token list|revoke | audit |
//! backup --out FILE | restore FILE | new-epoch | serve`.
//! See docs/server.md for each command's exact syntax and output.

use clap::{Parser, Subcommand};
use satchel_server::http::{router_with, AppState, Config};
use satchel_server::postgres::PostgresStorage;
use satchel_server::sqlite::SqliteStorage;
use satchel_server::storage::{Role, Storage};
use satchel_server::utc;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "satchel-server", version, about = "Satchel's sync server")]
struct Cli {
    /// Where the server keeps its database.
    #[arg(long, global = true, default_value = "satchel-server-data")]
    data: PathBuf,
    /// Keep everything in this PostgreSQL database instead (`postgres://user:password@host/db`);
    /// several servers may share one. `--data` is then unused.
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Creates the data directory and its database (an existing one is kept).
    Init,
    /// Manages accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Lists and revokes devices' tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Prints the audit trail, newest first: time, actor, action, subject, detail (tab-separated).
    Audit {
        /// At most this many lines.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Writes a consistent copy of the SQLite database to a new file (0600) while servers serve it.
    /// (PostgreSQL: use pg_dump.)
    Backup {
        /// The backup file to create; an existing file is refused.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replaces the SQLite database with a backup and gives it a new epoch, so laptops push what it
    /// lacks and pull again. Refused while a server serves the directory. (PostgreSQL: pg_restore,
    /// then `new-epoch`.)
    Restore {
        /// A file `backup --out` wrote.
        file: PathBuf,
    },
    /// Gives the database a new epoch: every laptop pushes all its changes again and pulls
    /// everything again at its next sync. Run it after restoring a PostgreSQL database by hand.
    NewEpoch,
    /// Serves the API.
    Serve {
        #[arg(long, default_value = "127.0.0.1:7878")]
        listen: String,
        /// Serve HTTPS with this PEM certificate chain (with --tls-key). Laptops accept plain HTTP
        /// only from this same computer.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's PEM private key.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// A device's token expires when unused for this many days (each sync extends it).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
        token_days: u32,
        /// The largest attachment whose bytes the server takes, in MB (the app's own limit is 100).
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=4096))]
        attachment_mb: u64,
        /// Keep attachments' files in this S3-compatible bucket (https://HOST/BUCKET?region=R;
        /// keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) instead of the database.
        #[arg(long)]
        object_store: Option<String>,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Adds an account; the password is read from standard input (never from the command line).
    Add {
        email: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        team: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Lists the accounts, one a line: email, role, team, enabled|disabled (tab-separated).
    List,
    /// Refuses the account's login and its devices' tokens (at once) until enabled again.
    Disable { email: String },
    /// Lets a disabled account log in again (its devices' tokens work again too).
    Enable { email: String },
    /// Sets a new password, read from standard input; revokes all of the account's tokens.
    Passwd {
        email: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Changes the account's role (owner, manager or sales).
    Role { email: String, role: String },
}

#[derive(Subcommand)]
enum TokenAction {
    /// Lists the tokens, one a line: id, email, device, created, last used (tab-separated, UTC).
    List,
    /// Revokes the token with this id (from `token list`): its device must log in again.
    Revoke { id: String },
}

/// Reads a new password from standard input (its line ending dropped), at least 8 characters.
fn read_password() -> Result<String, String> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password).map_err(|_| "cannot read the password from standard input".to_string())?;
    let password = password.trim_end_matches(['\n', '\r']);
    if password.chars().count() < 8 {
        return Err("the password must have at least 8 characters".into());
    }
    Ok(password.to_string())
}

/// A field of a tab-separated line: tabs and line breaks in it become spaces.
fn field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Who runs an admin command, for the audit trail: `cli:USER`.
fn cli_actor() -> String {
    format!("cli:{}", std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "?".into()))
}

/// Adds an admin command's line to the audit trail (a failure to is said, not fatal: the change
/// itself is made).
fn audit(s: &dyn Storage, action: &str, subject: &str, detail: &str) {
    let entry = satchel_server::storage::AuditEntry {
        at_ms: satchel_server::now_ms(),
        actor: cli_actor(),
        action: action.into(),
        subject: subject.into(),
        detail: detail.into(),
    };
    if let Err(e) = s.audit(&entry) {
        eprintln!("satchel-server: warning: not in the audit trail: {e}");
    }
}

/// Logs to standard error at the level `SATCHEL_LOG` names (`error`, `warn`, `info` (the
/// default), `debug`, `trace` or `off`): one line per request, refusals, logins.
struct StderrLog;

impl log::Log for StderrLog {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.level() <= log::max_level()
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            eprintln!("{} {:<5} {}", utc_ms(satchel_server::now_ms()), r.level(), r.args());
        }
    }
    fn flush(&self) {}
}

fn init_log() {
    let level = match std::env::var("SATCHEL_LOG").unwrap_or_default().to_lowercase().as_str() {
        "off" => log::LevelFilter::Off,
        "error" => log::LevelFilter::Error,
        "warn" => log::LevelFilter::Warn,
        "debug" => log::LevelFilter::Debug,
        "trace" => log::LevelFilter::Trace,
        _ => log::LevelFilter::Info,
    };
    if log::set_logger(&StderrLog).is_ok() {
        log::set_max_level(level);
    }
}

/// A time as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC), for log lines.
fn utc_ms(ms: i64) -> String {
    let s = utc(ms);
    format!("{}.{:03}Z", &s[..s.len() - 1], ms.rem_euclid(1000))
}

/// Runs an admin command on the storage the flags name; prints what it did, or fails.
fn admin(cli: &Cli, f: impl FnOnce(&dyn Storage) -> Result<String, String>) -> ExitCode {
    let storage = match open_storage(&cli.data, cli.database.as_deref()) {
        Ok((s, _)) => s,
        Err(e) => return fail(e),
    };
    match f(&*storage) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("satchel-server: {msg}");
    ExitCode::FAILURE
}

/// The storage the flags name, and what to call it: the PostgreSQL database of `--database`, or
/// else the SQLite file in `--data`. Either is set up when missing (its tables, or the directory
/// and file), so one command starts a server.
fn open_storage(data: &std::path::Path, database: Option<&str>) -> Result<(Arc<dyn Storage>, String), String> {
    match database {
        Some(url) => PostgresStorage::connect(url)
            .map(|s| (Arc::new(s) as Arc<dyn Storage>, PostgresStorage::describe(url)))
            .map_err(|e| format!("{}: {e}", PostgresStorage::describe(url))),
        None => SqliteStorage::init(data)
            .map(|s| (Arc::new(s) as Arc<dyn Storage>, SqliteStorage::file(data).display().to_string()))
            .map_err(|e| e.to_string()),
    }
}

/// What a new epoch means, as `restore` and `new-epoch` say it.
const NEW_EPOCH_MEANS: &str = "each laptop pushes what the server lacks and pulls everything again at its next sync";

/// The compact UTC time of a kept database's name: `YYYYMMDD-HHMMSS`.
fn stamp(ms: i64) -> String {
    let digits: String = utc(ms).chars().filter(char::is_ascii_digit).collect();
    format!("{}-{}", &digits[..8], &digits[8..])
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_log();
    // Every command on a data directory holds its lock shared while it runs (`serve` for as long
    // as it serves); `restore` takes it alone, so it is refused while any of them runs.
    let _claim = match (&cli.command, &cli.database) {
        (Command::Restore { .. }, _) | (_, Some(_)) => None,
        (_, None) => match satchel_server::backup::claim_shared(&cli.data) {
            Ok(c) => Some(c),
            Err(e) => return fail(e),
        },
    };
    match &cli.command {
        Command::Init => match open_storage(&cli.data, cli.database.as_deref()) {
            Ok((_, name)) => {
                println!("initialised {name}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::User { action: UserAction::Add { email, role, team, .. } } => {
            let Some(role) = Role::parse(role) else { return fail(format!("unknown role {role:?} (owner, manager or sales)")) };
            let password = match read_password() {
                Ok(p) => p,
                Err(e) => return fail(e),
            };
            // Adding the first account sets the directory up too: one command, no other set-up.
            let storage = match open_storage(&cli.data, cli.database.as_deref()) {
                Ok((s, _)) => s,
                Err(e) => return fail(e),
            };
            let hash = match satchel_server::hash_password(&password) {
                Ok(h) => h,
                Err(e) => return fail(e),
            };
            match storage.add_user(&email.trim().to_lowercase(), role, team.trim(), &hash) {
                Ok(u) => {
                    println!("added {} ({}, team {})", u.email, u.role.as_str(), u.team);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::User { action: UserAction::List } => admin(&cli, |s| {
            let mut out = String::new();
            for a in s.users().map_err(|e| e.to_string())? {
                let state = if a.disabled { "disabled" } else { "enabled" };
                out.push_str(&format!("{}\t{}\t{}\t{state}\n", a.user.email, a.user.role.as_str(), field(&a.user.team)));
            }
            Ok(out)
        }),
        Command::User { action: UserAction::Disable { email } } => admin(&cli, |s| {
            let u = s.set_disabled(&email.trim().to_lowercase(), true).map_err(|e| e.to_string())?;
            audit(s, "disable", &u.email, "");
            Ok(format!("disabled {}: its login and its devices' tokens are refused\n", u.email))
        }),
        Command::User { action: UserAction::Enable { email } } => admin(&cli, |s| {
            let u = s.set_disabled(&email.trim().to_lowercase(), false).map_err(|e| e.to_string())?;
            audit(s, "enable", &u.email, "");
            Ok(format!("enabled {}\n", u.email))
        }),
        Command::User { action: UserAction::Passwd { email, .. } } => admin(&cli, |s| {
            let password = read_password()?;
            let email = email.trim().to_lowercase();
            // An unknown account is said before the (slow) hashing.
            if s.user_by_email(&email).map_err(|e| e.to_string())?.is_none() {
                return Err(format!("no account {email}"));
            }
            let hash = satchel_server::hash_password(&password)?;
            let (u, revoked) = s.set_password(&email, &hash).map_err(|e| e.to_string())?;
            audit(s, "passwd", &u.email, &format!("{revoked} token(s) revoked"));
            Ok(format!("changed the password of {}; revoked {revoked} token(s)\n", u.email))
        }),
        Command::User { action: UserAction::Role { email, role } } => admin(&cli, |s| {
            let role = Role::parse(role).ok_or_else(|| format!("unknown role {role:?} (owner, manager or sales)"))?;
            let before = s.user_by_email(&email.trim().to_lowercase()).map_err(|e| e.to_string())?.map(|a| a.user.role);
            let u = s.set_role(&email.trim().to_lowercase(), role).map_err(|e| e.to_string())?;
            let from = before.map_or("?", |r| r.as_str());
            audit(s, "role", &u.email, &format!("{from} -> {}", u.role.as_str()));
            Ok(format!("{} is now {}\n", u.email, u.role.as_str()))
        }),
        Command::Audit { limit } => admin(&cli, |s| {
            let mut out = String::new();
            for e in s.audit_trail(*limit).map_err(|e| e.to_string())? {
                let line = [utc(e.at_ms), field(&e.actor), field(&e.action), field(&e.subject), field(&e.detail)].join("\t");
                out.push_str(&line);
                out.push('\n');
            }
            Ok(out)
        }),
        Command::Token { action: TokenAction::List } => admin(&cli, |s| {
            let mut out = String::new();
            for t in s.tokens().map_err(|e| e.to_string())? {
                out.push_str(&format!("{}\t{}\t{}\t{}\t{}\n", t.id, t.email, field(&t.device), utc(t.created_ms), utc(t.last_used_ms)));
            }
            Ok(out)
        }),
        Command::Token { action: TokenAction::Revoke { id } } => admin(&cli, |s| {
            let t = s.revoke_token_id(id.trim()).map_err(|e| e.to_string())?;
            audit(s, "token_revoke", &t.email, &format!("token {} on {}", t.id, field(&t.device)));
            Ok(format!("revoked token {} of {} on {}\n", t.id, t.email, field(&t.device)))
        }),
        Command::Backup { .. } if cli.database.is_some() => fail(
            "backup --out copies the SQLite data directory; back up a PostgreSQL database with pg_dump (docs/server.md, \"Backups and restoring\")",
        ),
        Command::Backup { out } => match satchel_server::backup::backup(&cli.data, out) {
            Ok(bytes) => {
                println!("backed up {} to {} ({bytes} bytes)", SqliteStorage::file(&cli.data).display(), out.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::Restore { .. } if cli.database.is_some() => fail(
            "restore replaces the SQLite data directory's database; restore a PostgreSQL database with pg_restore, then run `satchel-server --database URL new-epoch` before starting the servers (docs/server.md, \"Backups and restoring\")",
        ),
        Command::Restore { file } => {
            let now = satchel_server::now_ms();
            let restored = match satchel_server::backup::restore(&cli.data, file, &stamp(now)) {
                Ok(r) => r,
                Err(e) => return fail(e),
            };
            let db = SqliteStorage::file(&cli.data);
            println!("restored {} from {}", db.display(), file.display());
            if let Some(kept) = &restored.replaced {
                println!("the replaced database is kept as {}", kept.display());
            }
            println!("new epoch {}: {NEW_EPOCH_MEANS}", restored.epoch);
            println!("accounts, roles and tokens are as they were in the backup: check `user list` and `token list`");
            if restored.replaced_server_id.as_ref().is_some_and(|id| *id != restored.server_id) {
                println!("the backup is of another server (id {}): every laptop must log in again", restored.server_id);
            }
            // Into the restored database's own trail (its schema brought up to date first).
            match SqliteStorage::open(&cli.data) {
                Ok(s) => audit(&s, "restore", &file.display().to_string(), &format!("epoch {}", restored.epoch)),
                Err(e) => eprintln!("satchel-server: warning: not in the audit trail: {e}"),
            }
            ExitCode::SUCCESS
        }
        Command::NewEpoch => admin(&cli, |s| {
            let epoch = s.new_epoch().map_err(|e| e.to_string())?;
            audit(s, "new_epoch", "", &epoch);
            Ok(format!("new epoch {epoch}: {NEW_EPOCH_MEANS}\n"))
        }),
        Command::Serve { listen, tls_cert, tls_key, token_days, attachment_mb, object_store } => {
            let mut config = Config { token_days: *token_days, attachment_bytes: attachment_mb << 20, ..Config::default() };
            if let Some(url) = object_store {
                // Checked before serving: a store that cannot be used would otherwise refuse
                // every finished upload.
                match satchel_server::objects::ObjectStore::from_url(url).and_then(|o| o.check().map(|_| o)) {
                    Ok(o) => config.objects = Some(std::sync::Arc::new(o)),
                    Err(e) => return fail(e),
                }
            }
            // For tests and tuning: how long a client has to send a request's headers.
            if let Some(ms) = std::env::var("SATCHEL_SERVER_HEADER_TIMEOUT_MS").ok().and_then(|v| v.parse::<u64>().ok()) {
                config.header_timeout = std::time::Duration::from_millis(ms.max(1));
            }
            // A bad certificate is refused before anything listens.
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => match satchel_server::tls::config(cert, key) {
                    Ok(c) => Some(c),
                    Err(e) => return fail(e),
                },
                _ => None,
            };
            // An empty directory is set up on the spot, so one command starts a server.
            let storage = match open_storage(&cli.data, cli.database.as_deref()) {
                Ok((s, _)) => s,
                Err(e) => return fail(e),
            };
            let runtime = match tokio::runtime::Runtime::new() {
                Ok(r) => r,
                Err(e) => return fail(e),
            };
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::bind(&listen).await {
                    Ok(l) => l,
                    Err(e) => return fail(format!("cannot listen on {listen}: {e}")),
                };
                // The bound address, so a script that asked for port 0 learns the real one.
                let scheme = if tls.is_some() { "https" } else { "http" };
                println!("listening on {scheme}://{}", listener.local_addr().map(|a| a.to_string()).unwrap_or(listen.clone()));
                let app = router_with(AppState { storage }, &config);
                let served = match tls {
                    Some(tls) => match satchel_server::tls::TlsListener::new(listener, tls) {
                        Ok(l) => satchel_server::http::serve(l, app, config.header_timeout).await,
                        Err(e) => Err(e),
                    },
                    None => satchel_server::http::serve(listener, app, config.header_timeout).await,
                };
                match served {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(e),
                }
            })
        }
    }
}
