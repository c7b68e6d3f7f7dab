//! `satchel`: the command-line face of satchel-core, for scripts, demos and benchmarks.
//! It opens the same database file as the app (or `--db PATH` / `SATCHEL_DB`).

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
