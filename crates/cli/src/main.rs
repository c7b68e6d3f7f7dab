//! `satchel`: the command-line face of satchel-core, for scripts, demos and benchmarks.
//! It opens the same database file as the app (or `--db PATH` / `SATCHEL_DB`).

use clap::{Parser, Subcommand};
use satchel_core::customers::transfer::{ExportFormat, FileFormat, ImportFile, TextEncoding};
use satchel_core::customers::ListQuery;
use satchel_core::i18n::Locale;
use satchel_core::store::Profile;
use satchel_core::Satchel;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

#[derive(Parser)]
#[command(name = "satchel", version, about = "Satchel, the offline-first CRM, from the command line")]
struct Cli {
    /// Database file (default: the app's database in your data directory).
    #[arg(long, env = "SATCHEL_DB", global = true)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fill the database with realistic Chinese and English demo customers.
    DemoData {
        /// How many customers to create.
        #[arg(long, default_value_t = 1000)]
        customers: usize,
        /// Seed for the generator: the same seed gives the same names, phones and tags.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Import customers from a CSV or vCard file. Refused rows are printed on stdout (row, column,
    /// reason) and the exit status is 1; nothing is written unless --skip-invalid is given.
    Import {
        /// One file or several (say, a folder of .vcf cards exported one per person).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// csv or vcard (default: from the file's name and content).
        #[arg(long)]
        format: Option<String>,
        /// utf-8, gbk, gb18030 or utf-16 (default: detected).
        #[arg(long)]
        encoding: Option<String>,
        /// Import the valid rows even when others are refused.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Export every live customer as CSV (all fields, every phone and email) or vCard.
    Export {
        /// csv, vcard (4.0) or vcard3.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
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
    /// Search customers by name, company, email, phone, tag or notes; best matches first.
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
}

/// Where the app keeps its database unless told otherwise; the desktop app uses the same rule.
fn default_db() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("app.satchel.desktop").join("satchel.db")
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let locale = Locale::from_env();
    let path = cli.db.unwrap_or_else(default_db);
    let app = match Satchel::open(&path, Profile::from_env()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("satchel: {}", e.message(locale));
            return ExitCode::FAILURE;
        }
    };
    app.set_locale(locale);
    let result = match cli.command {
        Command::DemoData { customers, seed } => {
            let start = std::time::Instant::now();
            satchel_core::demo::generate(app.store(), customers, seed).map(|n| {
                println!("created {n} demo customers in {:.1} s ({})", start.elapsed().as_secs_f64(), path.display());
            })
        }
        Command::Import { files, format, encoding, skip_invalid } => {
            // Each file is checked and imported on its own; the status is the first failure's.
            let mut status = ExitCode::SUCCESS;
            for file in &files {
                let code = import(&app, file, format.clone(), encoding.clone(), skip_invalid, locale);
                if status == ExitCode::SUCCESS {
                    status = code;
                }
            }
            return status;
        }
        Command::Export { format, out } => return export(&app, &format, out),
        Command::Sync { server, email, password_stdin } => return sync(&app, server, email, password_stdin, locale),
        Command::Search { text, limit } => {
            for hit in app.search_customers(&text, None, limit) {
                let r = hit.row;
                let company = r.company_name.map(|c| format!("  @ {c}")).unwrap_or_default();
                let contact = [r.phone, r.email].into_iter().flatten().collect::<Vec<_>>().join("  ");
                println!("{}\t{}{}\t[{:?}]\t{}", r.id, r.name, company, hit.matched, contact);
            }
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("satchel: {}", e.message(locale));
            ExitCode::FAILURE
        }
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("satchel: {msg}");
    ExitCode::from(2)
}

fn import(app: &Satchel, file: &Path, format: Option<String>, encoding: Option<String>, skip_invalid: bool, locale: Locale) -> ExitCode {
    let format = match format.as_deref() {
        None => None,
        Some("csv") => Some(FileFormat::Csv),
        Some("vcard" | "vcf") => Some(FileFormat::Vcard),
        Some(other) => return usage_error(&format!("unknown format {other:?} (csv or vcard)")),
    };
    let encoding = match encoding.as_deref() {
        None => None,
        Some(e) => match TextEncoding::parse(e) {
            Some(e) => Some(e),
            None => return usage_error(&format!("unknown encoding {e:?} (utf-8, gbk, gb18030, utf-16)")),
        },
    };
    let start = std::time::Instant::now();
    let plan = match ImportFile::open(file, encoding, format, locale).and_then(|f| {
        eprintln!("{}: {:?}, {}", f.name, f.format, f.encoding.label());
        app.import_check(&f, None)
    }) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("satchel: {}", e.message(locale));
            return ExitCode::FAILURE;
        }
    };
    let check = plan.check();
    let mut stdout = std::io::stdout().lock();
    for e in plan.errors() {
        let column = if e.column.is_empty() { String::new() } else { format!(", column {:?}", e.column) };
        let _ = writeln!(stdout, "row {}{column}: {}", e.row, e.message);
    }
    if check.error_count > 0 && !skip_invalid {
        eprintln!("satchel: {} rows refused; nothing imported (--skip-invalid imports the other {})", check.error_count, check.valid);
        return ExitCode::FAILURE;
    }
    let mut last = 0;
    let result = app.import_commit(&plan, &AtomicBool::new(false), &mut |done, total| {
        if done >= last + 10_000 || done == total {
            last = done;
            eprint!("\r{done}/{total}");
        }
    });
    eprintln!();
    match result {
        Ok(s) => {
            let _ = writeln!(
                stdout,
                "imported {} new, {} updated, {} refused in {:.1} s",
                s.created,
                s.updated,
                s.skipped,
                start.elapsed().as_secs_f64()
            );
            if s.skipped > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("satchel: {}", e.message(locale));
            ExitCode::FAILURE
        }
    }
}

fn export(app: &Satchel, format: &str, out: Option<PathBuf>) -> ExitCode {
    let format = match format {
        "csv" => ExportFormat::Csv,
        "vcard" | "vcard4" | "vcf" => ExportFormat::Vcard4,
        "vcard3" => ExportFormat::Vcard3,
        other => return usage_error(&format!("unknown format {other:?} (csv, vcard or vcard3)")),
    };
    let (bytes, count) = match app.export_customers(&ListQuery::default(), format) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("satchel: {}", e.message(app.locale()));
            return ExitCode::FAILURE;
        }
    };
    let written = match &out {
        Some(path) => std::fs::write(path, &bytes),
        None => std::io::stdout().lock().write_all(&bytes),
    };
    match written {
        Ok(()) => {
            eprintln!("exported {count} customers{}", out.map(|p| format!(" to {}", p.display())).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("satchel: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}

fn sync(app: &Satchel, server: Option<String>, email: Option<String>, password_stdin: bool, locale: Locale) -> ExitCode {
    use satchel_core::sync;
    let fail = |e: sync::SyncError| {
        eprintln!("satchel: {}", e.message(locale));
        if matches!(e, sync::SyncError::Local(_)) {
            log::error!("{e}");
        }
        ExitCode::FAILURE
    };
    let known = sync::connection(app).ok().flatten();
    if let Some(email) = email {
        let Some(server) = server.clone().or_else(|| known.as_ref().map(|(s, _)| s.clone())) else {
            return usage_error("--server URL is needed the first time");
        };
        if !password_stdin {
            return usage_error("give the password on standard input with --password-stdin");
        }
        let mut password = String::new();
        if std::io::stdin().read_line(&mut password).is_err() {
            return usage_error("cannot read the password from standard input");
        }
        match sync::login(app, &server, &email, password.trim_end_matches(['\n', '\r'])) {
            Ok(user) => {
                eprintln!("logged in to {server} as {} ({}, team {})", user.email, user.role.as_str(), user.team);
                match sync::token_place(app).ok().flatten() {
                    Some(sync::token::TokenPlace::Keyring) => eprintln!("the device token is kept in the OS secret store"),
                    _ => eprintln!("the device token is kept in {} (only you can read it)", sync::token::path_for(app.store().path()).display()),
                }
            }
            Err(e) => return fail(e),
        }
    } else if let Some(server) = &server {
        match &known {
            Some((s, _)) if sync::http::check_url(server).ok().as_deref() == Some(s.as_str()) => {}
            _ => return usage_error(&format!("not logged in to {server}: add --email EMAIL --password-stdin")),
        }
    }
    let mut remote = match sync::remote_for(app) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let start = std::time::Instant::now();
    let mut shown = std::time::Instant::now();
    let result = sync::sync_once(app, &mut remote, &mut |p| {
        if shown.elapsed().as_millis() > 500 {
            shown = std::time::Instant::now();
            eprint!("\r{:?} {}/{}   ", p.phase, p.done, p.total);
        }
    });
    match result {
        Ok(r) => {
            println!(
                "synced with {} in {:.1} s: pushed {} changes, pulled {} ({} applied, {} kept in history as concurrent edits)",
                remote.base(),
                start.elapsed().as_secs_f64(),
                r.pushed,
                r.pulled,
                r.applied,
                r.lost
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
