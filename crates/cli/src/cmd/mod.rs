//! One file per command group. A module adds its file here and one variant to the top-level
//! `Command` in `main.rs` (`satchel customers ...`).

pub mod backup;
pub mod calendar;
pub mod customers;
pub mod demo;
pub mod sales;
pub mod service;
pub mod sync;

use satchel_core::error::{CoreError, ErrorCode};
use satchel_core::i18n::Locale;
use std::process::ExitCode;

/// A failed core call: its details go to the log (`<db dir>/logs/satchel.log`), its message,
/// which names the log when the details are only there, to standard error. Exit status 1.
pub fn failed(e: &CoreError, locale: Locale) -> ExitCode {
    log_error(e);
    eprintln!("satchel: {}", e.message(locale));
    ExitCode::FAILURE
}

/// [`failed`], the log naming what was being done (`import /path/book.csv: i/o: ...`).
pub fn failed_doing(doing: &str, e: &CoreError, locale: Locale) -> ExitCode {
    log_at(e, format_args!("{doing}: {e}"));
    eprintln!("satchel: {}", e.message(locale));
    ExitCode::FAILURE
}

/// Logs a core error with its details: as an error when the message only points at the log (or
/// the book is damaged or too new), otherwise (a refused value, a busy book) as information.
pub fn log_error(e: &CoreError) {
    log_at(e, format_args!("{e}"));
}

fn log_at(e: &CoreError, line: std::fmt::Arguments<'_>) {
    match e.code() {
        ErrorCode::Storage | ErrorCode::Internal | ErrorCode::Corrupt | ErrorCode::SchemaTooNew => log::error!("{line}"),
        _ => log::info!("{line}"),
    }
}

/// A mistake in how the command was called (exit status 2, as clap's own).
pub fn usage_error(msg: &str) -> ExitCode {
    eprintln!("satchel: {msg}");
    ExitCode::from(2)
}

/// Prints a value as pretty JSON on standard output (the `--json` outputs scripts read).
pub fn json<T: serde::Serialize>(v: &T) -> ExitCode {
    match serde_json::to_string_pretty(v) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("satchel: {e}");
            ExitCode::FAILURE
        }
    }
}
