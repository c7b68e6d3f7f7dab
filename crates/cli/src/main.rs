//! `satchel`: the command-line face of satchel-core, for scripts, demos and benchmarks.
//! It opens the same database file as the app (or `--db PATH` / `SATCHEL_DB`).
//!
//! Every run appends to the log beside the database (`<database folder>/logs/satchel.log`, the
//! app's too); `--verbose` also prints its lines on standard error. Standard output is only ever
//! the command's own result, which scripts read.
//!
//! Each module's commands are a group of their own in `cmd/` (`satchel customers ...`); the
//! top-level `import`, `export` and `search` that scripts already use stay as they were.

mod cmd;

use clap::{Parser, Subcommand};
use satchel_core::i18n::Locale;
use satchel_core::store::Profile;
use satchel_core::Satchel;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "satchel", version, about = "Satchel, the offline-first CRM, from the command line")]
struct Cli {
    /// Database file (default: the app's database in your data directory).
    #[arg(long, env = "SATCHEL_DB", global = true)]
    db: Option<PathBuf>,
    /// Also print the log's lines on standard error. The log is written either way, to
    /// logs/satchel.log in the database's folder; SATCHEL_LOG=debug logs more.
    #[arg(long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Companies and people: import, export, search, count.
    #[command(subcommand)]
    Customers(cmd::customers::Command),
    /// Quotes: make one from a CSV file of lines, list them, show one with its totals.
    #[command(subcommand)]
    Quote(cmd::sales::QuoteCommand),
    /// Contracts: make one from a quote.
    #[command(subcommand)]
    Contract(cmd::sales::ContractCommand),
    /// The product catalogue: import and export CSV.
    #[command(subcommand)]
    Products(cmd::sales::ProductsCommand),
    /// Service settings: business hours, holidays and extra working days, SLA targets.
    #[command(subcommand)]
    Service(cmd::service::ServiceCommand),
    /// Service tickets: open one, show one with its SLA due times, list them.
    #[command(subcommand)]
    Ticket(cmd::service::TicketCommand),
    /// Print a quote (its newest version) or a contract as PDF, with the team's letterhead, in
    /// the language of LANG.
    Pdf(cmd::sales::PdfArgs),
    /// Fill the database with realistic Chinese and English demo customers, and for them
    /// products, deals in every stage, quotes and contracts, calendar events and series, service
    /// tickets and knowledge-base articles, in proportion to --customers unless counts are given.
    DemoData(cmd::demo::DemoArgs),
    /// Import customers from a CSV or vCard file (the same as `satchel customers import`), or
    /// calendar events from an iCalendar (.ics) file. Refused rows or events are printed on stdout
    /// (row or line, column or property, reason) and the exit status is 1; nothing is written
    /// unless --skip-invalid is given.
    Import(cmd::customers::ImportArgs),
    /// Export every live customer as CSV or vCard (the same as `satchel customers export`), or
    /// every calendar event as iCalendar (--format ics).
    Export(cmd::customers::ExportArgs),
    /// List the calendar's occurrences overlapping [--from 00:00, --to 00:00) in --tz, one a
    /// line: START<TAB>END<TAB>SUMMARY, sorted by start then summary.
    Agenda(cmd::calendar::AgendaArgs),
    /// Sync with a satchel-server: push this database's changes, pull everyone else's. Log in
    /// once with --email and the password on standard input; the device token is kept for later runs
    /// (in the OS secret store when the session has one, otherwise in a file beside the database
    /// that only you can read). Exit status 1 on failure.
    Sync {
        /// The server, https://... (plain http only for this computer). Default: the last one.
        #[arg(long)]
        server: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from standard input (never from the command line).
        #[arg(long, requires = "email")]
        password_stdin: bool,
    },
    /// Search customers by name, company, email, phone, tag or notes; best matches first (the
    /// same as `satchel customers search`).
    Search(cmd::customers::SearchArgs),
    /// Write a consistent copy of the database to FILE (readable by you only). Works while the
    /// app has the book open; FILE must not exist yet.
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replace the database with a backup. Refused while the app (or another satchel command)
    /// has the book open; the replaced book is kept as <db>.before-restore-<time>. The restored
    /// book syncs as a new device and pulls everything again.
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Encrypt the database in place (SQLCipher), its random key kept in the OS secret store
    /// (with SATCHEL_TOKEN_STORE=file: in <db>.key, readable by you only, which is much weaker).
    /// Refused while the app has the book open. The plain file is overwritten and deleted; backups
    /// made before stay unencrypted. Without its key the book cannot be read: there is no recovery.
    Encrypt,
}

impl Command {
    /// The command's name, for the log.
    fn name(&self) -> &'static str {
        match self {
            Command::Customers(_) => "customers",
            Command::DemoData { .. } => "demo-data",
            Command::Quote(_) => "quote",
            Command::Contract(_) => "contract",
            Command::Products(_) => "products",
            Command::Pdf(_) => "pdf",
            Command::Service(_) => "service",
            Command::Ticket(_) => "ticket",
            Command::Import(_) => "import",
            Command::Export(_) => "export",
            Command::Agenda(_) => "agenda",
            Command::Sync { .. } => "sync",
            Command::Search(_) => "search",
            Command::Backup { .. } => "backup",
            Command::Restore { .. } => "restore",
            Command::Encrypt => "encrypt",
        }
    }
}

/// The shared logger, writing to `<database folder>/logs/satchel.log` (and standard error with
/// `--verbose`). A log that cannot be written is no reason to refuse the command.
fn start_log(db: &std::path::Path, verbose: bool) {
    satchel_core::logfile::install(verbose);
    open_log(db);
}

/// Opens the log file once the database's folder exists: a command is not what makes a folder
/// for a database that is not there (`backup` of a mistyped path), opening the book is.
/// Whether it opened the file just now.
fn open_log(db: &std::path::Path) -> bool {
    let folder = db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    if satchel_core::logfile::current().is_some() || !folder.is_dir() {
        return false;
    }
    match satchel_core::logfile::open(db) {
        Ok(_) => true,
        Err(e) => {
            log::warn!("cannot write the log {}: {e}", satchel_core::logfile::path_for(db).display());
            false
        }
    }
}

/// Where the app keeps its database unless told otherwise; the desktop app uses the same rule.
fn default_db() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("app.satchel.desktop").join("satchel.db")
}

fn main() -> ExitCode {
    // `satchel export | head` should end quietly as any Unix tool does when its reader goes.
    // Rust ignores SIGPIPE, so the next write failed and `println!` panicked with a backtrace
    // hint on the terminal; with the default action the process just ends (status 141 in a
    // shell). What was written to the book is committed or rolled back by SQLite either way.
    #[cfg(unix)]
    // SAFETY: restores the signal's default disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let locale = Locale::from_env();
    let path = cli.db.unwrap_or_else(default_db);
    start_log(&path, cli.verbose);
    let started = format!("satchel {} {}: {}", env!("CARGO_PKG_VERSION"), cli.command.name(), path.display());
    log::info!("{started}");
    // None opens the book: a backup reads it beside whoever has it open, a restore replaces it,
    // encrypting rewrites it under its claim.
    match &cli.command {
        Command::Backup { out } => return cmd::backup::create(&path, out, locale),
        Command::Restore { file } => return cmd::backup::restore(&path, file, locale),
        Command::Encrypt => return cmd::backup::encrypt(&path, locale),
        _ => {}
    }
    // Counts that contradict each other are refused before a new book is made for them.
    if let Command::DemoData(args) = &cli.command {
        if let Err(code) = cmd::demo::check(args) {
            return code;
        }
    }
    let app = match Satchel::open(&path, Profile::from_env()) {
        Ok(a) => a,
        Err(e) => return cmd::failed(&e, locale),
    };
    if open_log(&path) {
        log::info!("{started}"); // the first run on a new book made its folder just now
    }
    app.set_locale(locale);
    use cmd::customers::Command as Customers;
    let code = match cli.command {
        Command::Customers(c) => cmd::customers::run(&app, c, locale),
        Command::DemoData(args) => cmd::demo::run(&app, &args, &path, locale),
        Command::Quote(c) => cmd::sales::quote(&app, c, locale),
        Command::Contract(c) => cmd::sales::contract(&app, c, locale),
        Command::Products(c) => cmd::sales::products(&app, c, locale),
        Command::Pdf(args) => cmd::sales::pdf(&app, args, locale),
        Command::Service(c) => cmd::service::service(&app, c, locale),
        Command::Ticket(c) => cmd::service::ticket(&app, c, locale),
        Command::Import(args) => cmd::calendar::import_files(&app, args, locale),
        Command::Export(args) if args.format.eq_ignore_ascii_case("ics") => cmd::calendar::export(&app, args.out, locale),
        Command::Export(args) => cmd::customers::run(&app, Customers::Export(args), locale),
        Command::Agenda(args) => cmd::calendar::agenda(&app, args, locale),
        Command::Search(args) => cmd::customers::run(&app, Customers::Search(args), locale),
        Command::Sync { server, email, password_stdin } => cmd::sync::run(&app, server, email, password_stdin, locale),
        Command::Backup { .. } | Command::Restore { .. } | Command::Encrypt => unreachable!("handled before the book is opened"),
    };
    // A clean exit leaves the whole book in the .db file: copied alone, it is complete.
    if let Err(e) = app.store().checkpoint_at_exit() {
        cmd::log_error(&e);
        eprintln!("satchel: {}", e.message(locale));
    }
    code
}
