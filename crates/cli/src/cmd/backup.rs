//! `satchel backup --out FILE` and `satchel restore FILE`.
//!
//! Both run before the book is opened: a backup reads a snapshot without claiming the database,
//! so it works while the app has the book open (backing up a running app's book is the point);
//! a restore claims it and is refused while any Satchel has it open.

use satchel_core::backup;
use satchel_core::i18n::Locale;
use std::path::Path;
use std::process::ExitCode;

fn fail(e: satchel_core::error::CoreError, locale: Locale) -> ExitCode {
    super::failed(&e, locale)
}

pub fn create(db: &Path, out: &Path, locale: Locale) -> ExitCode {
    match backup::create(db, out) {
        Ok(made) => {
            println!("backed up {} to {} ({} bytes)", db.display(), out.display(), made.size);
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, locale),
    }
}

pub fn restore(db: &Path, from: &Path, locale: Locale) -> ExitCode {
    match backup::restore(db, from, satchel_core::store::now_ms() as i64) {
        Ok(done) => {
            println!("restored {} from {}", db.display(), from.display());
            if let Some(kept) = done.replaced {
                println!("the replaced book is kept as {}", kept.display());
            }
            println!("this book syncs as a new device now; the next sync pulls everything again");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, locale),
    }
}
