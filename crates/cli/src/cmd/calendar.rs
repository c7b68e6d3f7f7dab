//! The calendar's commands: `satchel agenda`, and the iCalendar side of the top-level `import`
//! (an .ics file, by its name or its first line) and `export --format ics`.

use super::customers::ImportArgs;
use super::{failed, usage_error};
use clap::Args;
use satchel_core::calendar::ics::looks_like_ics;
use satchel_core::calendar::when;
use satchel_core::error::CoreError;
use satchel_core::i18n::Locale;
use satchel_core::Satchel;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `agenda`'s arguments.
#[derive(Args)]
pub struct AgendaArgs {
    /// First day, YYYY-MM-DD (from its midnight).
    #[arg(long)]
    from: String,
    /// The day after the last, YYYY-MM-DD (up to its midnight, not included).
    #[arg(long)]
    to: String,
    /// The IANA time zone to show times in (Asia/Shanghai); default: the system's.
    #[arg(long)]
    tz: Option<String>,
}

/// The top-level `import`: each .ics file to the calendar, the others (CSV, vCard) to customers.
/// The status is the first failure's.
pub fn import_files(app: &Satchel, args: ImportArgs, locale: Locale) -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    for file in &args.files {
        let code = if is_ics(file, args.format.as_deref()) {
            import(app, file, args.skip_invalid, locale)
        } else {
            super::customers::import(app, file, args.format.clone(), args.encoding.clone(), args.skip_invalid, locale)
        };
        if status == ExitCode::SUCCESS {
            status = code;
        }
    }
    status
}

/// Whether a file to import is an iCalendar file: `--format ics`, its extension, or a first line
/// of `BEGIN:VCALENDAR`.
pub fn is_ics(file: &Path, format: Option<&str>) -> bool {
    if let Some(f) = format {
        return matches!(f.to_ascii_lowercase().as_str(), "ics" | "ical" | "icalendar");
    }
    let ext = file.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    if matches!(ext.as_deref(), Some("ics" | "ical" | "ifb" | "icalendar")) {
        return true;
    }
    let mut start = [0u8; 64];
    let n = std::fs::File::open(file).and_then(|mut f| f.read(&mut start)).unwrap_or(0);
    looks_like_ics(&String::from_utf8_lossy(&start[..n]))
}

/// Imports an .ics file: refused events are printed on stdout (`line N, PROPERTY: reason`), as is
/// the reason a whole file is refused; either way nothing is written and the status is 1, unless
/// `skip_invalid` imports the other events. A one-line summary on success.
pub fn import(app: &Satchel, file: &Path, skip_invalid: bool, locale: Locale) -> ExitCode {
    let start = std::time::Instant::now();
    let mut stdout = std::io::stdout().lock();
    let out = match app.calendar().import_ics_file(file, skip_invalid) {
        Ok(out) => out,
        Err(e @ CoreError::File(_)) => {
            // The reason the file was refused is the command's result: scripts read stdout.
            log::info!("import {}: {e}", file.display());
            let _ = writeln!(stdout, "{}: {}", file.display(), e.message(locale));
            eprintln!("satchel: {} refused; nothing imported", file.display());
            return ExitCode::FAILURE;
        }
        Err(e) => return super::failed_doing(&format!("import {}", file.display()), &e, locale),
    };
    for e in &out.errors {
        let column = if e.column.is_empty() { String::new() } else { format!(", {}", e.column) };
        let _ = writeln!(stdout, "line {}{column}: {}", e.row, e.message);
    }
    if !out.written {
        eprintln!("satchel: {} events refused; nothing imported (--skip-invalid imports the others)", out.refused);
        return ExitCode::FAILURE;
    }
    let _ = writeln!(
        stdout,
        "imported {} new, {} updated, {} refused in {:.1} s ({} changed occurrences)",
        out.created,
        out.updated,
        out.refused,
        start.elapsed().as_secs_f64(),
        out.occurrences
    );
    if out.refused > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Every event as an .ics file, on standard output or in `out`.
pub fn export(app: &Satchel, out: Option<PathBuf>, locale: Locale) -> ExitCode {
    let text = match app.calendar().export_ics(None, None) {
        Ok(t) => t,
        Err(e) => return failed(&e, locale),
    };
    let count = text.matches("\r\nBEGIN:VEVENT\r\n").count();
    let written = match &out {
        Some(path) => std::fs::write(path, text.as_bytes()),
        None => std::io::stdout().lock().write_all(text.as_bytes()),
    };
    match written {
        Ok(()) => {
            eprintln!("exported {count} events{}", out.map(|p| format!(" to {}", p.display())).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            log::error!("export: cannot write {}: {e}", out.as_ref().map_or("standard output".to_string(), |p| p.display().to_string()));
            eprintln!("satchel: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}

fn date(flag: &str, s: &str) -> Result<chrono::NaiveDate, ExitCode> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| usage_error(&format!("{flag} {s:?} is not a date (YYYY-MM-DD)")))
}

/// `satchel agenda`: every occurrence overlapping [from, to) in the zone, one a line,
/// `START<TAB>END<TAB>SUMMARY`, sorted by start then summary; cancelled ones are not listed.
pub fn agenda(app: &Satchel, args: AgendaArgs, locale: Locale) -> ExitCode {
    let from = match date("--from", &args.from) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let to = match date("--to", &args.to) {
        Ok(d) => d,
        Err(code) => return code,
    };
    if to < from {
        return usage_error(&format!("--to {} is before --from {}", args.to, args.from));
    }
    let zone = match args.tz.as_deref() {
        None => when::system_zone(),
        Some(name) => match when::zone(name) {
            Some(z) => z,
            None => return usage_error(&format!("--tz {name:?} is not a time zone (an IANA name, like Asia/Shanghai)")),
        },
    };
    let list = match app.calendar().occurrences(from, to, zone, None) {
        Ok(l) => l,
        Err(e) => return failed(&e, locale),
    };
    let mut stdout = std::io::stdout().lock();
    for o in list {
        let title: String = o.title.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect();
        if writeln!(stdout, "{}\t{}\t{}", o.start, o.end, title).is_err() {
            break; // a closed pipe (`| head`)
        }
    }
    ExitCode::SUCCESS
}
