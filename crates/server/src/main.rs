//! `satchel-server --data DIR init | user add EMAIL --role R --team T --password-stdin | serve`.

use clap::{Parser, Subcommand};
use satchel_server::http::{router, AppState};
use satchel_server::postgres::PostgresStorage;
use satchel_server::sqlite::SqliteStorage;
use satchel_server::storage::{Role, Storage};
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Init => match open_storage(&cli.data, cli.database.as_deref()) {
            Ok((_, name)) => {
                println!("initialised {name}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::User { action: UserAction::Add { email, role, team, .. } } => {
            let Some(role) = Role::parse(&role) else { return fail(format!("unknown role {role:?} (owner, manager or sales)")) };
            let mut password = String::new();
            if std::io::stdin().read_to_string(&mut password).is_err() {
                return fail("cannot read the password from standard input");
            }
            let password = password.trim_end_matches(['\n', '\r']);
            if password.chars().count() < 8 {
                return fail("the password must have at least 8 characters");
            }
            // Adding the first account sets the directory up too: one command, no other set-up.
            let storage = match open_storage(&cli.data, cli.database.as_deref()) {
                Ok((s, _)) => s,
                Err(e) => return fail(e),
            };
            let hash = match satchel_server::hash_password(password) {
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
        Command::Serve { listen, tls_cert, tls_key } => {
            // A bad certificate is refused before anything listens.
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => match satchel_server::tls::config(&cert, &key) {
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
                println!("listening on {scheme}://{}", listener.local_addr().map(|a| a.to_string()).unwrap_or(listen));
                let app = router(AppState { storage });
                let served = match tls {
                    Some(config) => match satchel_server::tls::TlsListener::new(listener, config) {
                        Ok(l) => axum::serve(l, app).await,
                        Err(e) => Err(e),
                    },
                    None => axum::serve(listener, app).await,
                };
                match served {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(e),
                }
            })
        }
    }
}
