//! One file per command group. A module adds its file here and one variant to the top-level
//! `Command` in `main.rs` (`satchel customers ...`).

pub mod backup;
pub mod customers;
pub mod sync;

use std::process::ExitCode;

/// A mistake in how the command was called (exit status 2, as clap's own).
pub fn usage_error(msg: &str) -> ExitCode {
    eprintln!("satchel: {msg}");
    ExitCode::from(2)
}
