//! The app's clock for SLA badges and escalation notices. It is the wall clock, except in debug
//! builds run with `SATCHEL_TEST_CLOCK_FILE`: that file holds a number of seconds to add (read on
//! each use, so a test moves the app's time forward while it runs, to breach a ticket without
//! waiting hours). Release builds ignore the variable: a user's clock is never shifted.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// The variable naming the test clock's offset file.
pub const TEST_CLOCK_FILE: &str = "SATCHEL_TEST_CLOCK_FILE";

fn offset_file() -> Option<std::path::PathBuf> {
    if cfg!(debug_assertions) {
        std::env::var_os(TEST_CLOCK_FILE).map(Into::into)
    } else {
        None
    }
}

/// Now, as SLAs count it.
pub fn now() -> DateTime<Utc> {
    let real = Utc::now();
    let Some(path) = offset_file() else { return real };
    let seconds = std::fs::read_to_string(path).ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(0);
    real + chrono::Duration::seconds(seconds)
}

/// How often the scheduler looks at tickets: a moved test clock is noticed within two seconds.
pub fn service_tick(normal: Duration) -> Duration {
    if offset_file().is_some() {
        Duration::from_secs(2)
    } else {
        normal
    }
}
