//! A minimal stderr logger: errors are logged with their details while users see a plain message.
//! `SATCHEL_LOG=debug` shows more.

use log::{Level, LevelFilter, Metadata, Record};

struct Stderr(Level);

impl log::Log for Stderr {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        m.level() <= self.0 && (m.target().starts_with("satchel") || m.level() <= Level::Warn)
    }
    fn log(&self, r: &Record<'_>) {
        if self.enabled(r.metadata()) {
            eprintln!("[{} {}] {}", r.level(), r.target(), r.args());
        }
    }
    fn flush(&self) {}
}

pub fn init() {
    let level = match std::env::var("SATCHEL_LOG").as_deref() {
        Ok("debug") => Level::Debug,
        Ok("warn") => Level::Warn,
        _ => Level::Info,
    };
    if log::set_boxed_logger(Box::new(Stderr(level))).is_ok() {
        log::set_max_level(LevelFilter::Debug);
    }
}
