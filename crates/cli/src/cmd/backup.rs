//! `satchel backup --out FILE`, `satchel restore FILE` and `satchel encrypt`.
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

/// `satchel encrypt`: the book at `db` encrypted in place (see `satchel_core::store::cipher`).
pub fn encrypt(db: &Path, locale: Locale) -> ExitCode {
    use satchel_core::store::cipher::{self, Encrypted, KeyPlace};
    match cipher::encrypt(db) {
        Ok(Encrypted::Already) => {
            println!("{} is already encrypted", db.display());
            ExitCode::SUCCESS
        }
        Ok(Encrypted::Done { place, customers }) => {
            println!("encrypted {} ({customers} customers)", db.display());
            match place {
                KeyPlace::Keyring => println!(
                    "its key is in the OS secret store (service \"{}\", account {})",
                    cipher::SERVICE,
                    satchel_core::sync::token::account_for(db)
                ),
                KeyPlace::File => println!(
                    "its key is in {} (readable by you only; anyone who can copy both files can read the book)",
                    cipher::key_file(db).display()
                ),
            }
            println!("the unencrypted file was overwritten and deleted");
            let plain = backup::list(db).map(|b| b.iter().filter(|b| !cipher::is_encrypted(Path::new(&b.path))).count()).unwrap_or(0);
            if plain > 0 {
                println!(
                    "{plain} backups in {} were made before and are not encrypted: delete them once a new backup is made",
                    backup::folder(db).display()
                );
            }
            println!("without its key this book cannot be read: there is no way to recover it");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, locale),
    }
}
