//! `satchel customers ...`: the customers module's commands. `satchel import`, `export` and
//! `search` at the top level are the same commands, kept for the scripts that use them.

use super::{failed, failed_doing, usage_error};
use clap::{Args, Subcommand};
use satchel_core::customers::transfer::{ExportFormat, FileFormat, ImportFile, TextEncoding};
use satchel_core::customers::ListQuery;
use satchel_core::i18n::Locale;
use satchel_core::Satchel;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

/// `import`'s arguments (also those of the top-level `satchel import`).
#[derive(Args)]
pub struct ImportArgs {
    /// One file or several (say, a folder of .vcf cards exported one per person).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// csv or vcard (default: from the file's name and content); the top-level `satchel import`
    /// also takes ics (calendar events), and reads a .ics file as one without being told.
    #[arg(long)]
    pub format: Option<String>,
    /// utf-8, gbk, gb18030 or utf-16 (default: detected).
    #[arg(long)]
    pub encoding: Option<String>,
    /// Import the valid rows even when others are refused.
    #[arg(long)]
    pub skip_invalid: bool,
}

/// `export`'s arguments (also those of the top-level `satchel export`).
#[derive(Args)]
pub struct ExportArgs {
    /// csv, vcard (4.0) or vcard3; the top-level `satchel export` also takes ics (every event).
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `search`'s arguments (also those of the top-level `satchel search`).
#[derive(Args)]
pub struct SearchArgs {
    text: String,
    #[arg(long, default_value_t = 20)]
    limit: u32,
}

#[derive(Subcommand)]
pub enum Command {
    /// Import customers from a CSV or vCard file. Refused rows are printed on stdout (row, column,
    /// reason) and the exit status is 1; nothing is written unless --skip-invalid is given.
    Import(ImportArgs),
    /// Export every live customer as CSV (all fields, every phone and email) or vCard.
    Export(ExportArgs),
    /// Search customers by name, company, email, phone, tag or notes; best matches first.
    Search(SearchArgs),
    /// How many live customers the book holds (companies and people).
    Count,
}

pub fn run(app: &Satchel, command: Command, locale: Locale) -> ExitCode {
    match command {
        Command::Import(ImportArgs { files, format, encoding, skip_invalid }) => {
            // Each file is checked and imported on its own; the status is the first failure's.
            let mut status = ExitCode::SUCCESS;
            for file in &files {
                let code = import(app, file, format.clone(), encoding.clone(), skip_invalid, locale);
                if status == ExitCode::SUCCESS {
                    status = code;
                }
            }
            status
        }
        Command::Export(ExportArgs { format, out }) => export(app, &format, out),
        Command::Search(SearchArgs { text, limit }) => {
            for hit in app.customers().search(&text, None, limit) {
                let r = hit.row;
                let company = r.company_name.map(|c| format!("  @ {c}")).unwrap_or_default();
                let contact = [r.phone, r.email].into_iter().flatten().collect::<Vec<_>>().join("  ");
                println!("{}\t{}{}\t[{:?}]\t{}", r.id, r.name, company, hit.matched, contact);
            }
            ExitCode::SUCCESS
        }
        Command::Count => {
            println!("{}", app.customers().live_count());
            ExitCode::SUCCESS
        }
    }
}

pub fn import(
    app: &Satchel,
    file: &Path,
    format: Option<String>,
    encoding: Option<String>,
    skip_invalid: bool,
    locale: Locale,
) -> ExitCode {
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
        app.customers().import_check(&f, None)
    }) {
        Ok(p) => p,
        Err(e) => return failed_doing(&format!("import {}", file.display()), &e, locale),
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
    let result = app.customers().import_commit(&plan, &AtomicBool::new(false), &mut |done, total| {
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
        Err(e) => failed(&e, locale),
    }
}

pub fn export(app: &Satchel, format: &str, out: Option<PathBuf>) -> ExitCode {
    let format = match format {
        "csv" => ExportFormat::Csv,
        "vcard" | "vcard4" | "vcf" => ExportFormat::Vcard4,
        "vcard3" => ExportFormat::Vcard3,
        other => return usage_error(&format!("unknown format {other:?} (csv, vcard or vcard3)")),
    };
    let (bytes, count) = match app.customers().export(&ListQuery::default(), format) {
        Ok(x) => x,
        Err(e) => return failed(&e, app.locale()),
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
            log::error!("export: cannot write {}: {e}", out.as_ref().map_or("standard output".to_string(), |p| p.display().to_string()));
            eprintln!("satchel: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}
