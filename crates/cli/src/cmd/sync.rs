//! `satchel sync`: push this database's changes to a satchel-server and pull everyone else's.

use super::usage_error;
use satchel_core::i18n::Locale;
use satchel_core::Satchel;
use std::process::ExitCode;

pub fn run(app: &Satchel, server: Option<String>, email: Option<String>, password_stdin: bool, locale: Locale) -> ExitCode {
    use satchel_core::sync;
    let fail = |e: sync::SyncError| {
        // The details (the server's words, the storage error) go to the log; the message names
        // it when they are only there.
        match &e {
            sync::SyncError::Local(local) => super::log_error(local),
            other => log::warn!("sync failed: {other}"),
        }
        eprintln!("satchel: {}", e.message(locale));
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
                    _ => eprintln!(
                        "the device token is kept in {} (only you can read it)",
                        sync::token::path_for(app.store().path()).display()
                    ),
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
            if r.refused > 0 {
                println!("{} of this computer's changes were refused by the server and set aside (listed in Settings → Sync)", r.refused);
            }
            if r.uploaded > 0 || r.fetched > 0 {
                // Also after the summary line: attachments' bytes that went up or came down.
                println!("attachments: {} sent to the server, {} fetched from it", r.uploaded, r.fetched);
            }
            if r.files_refused > 0 {
                println!(
                    "{} attachments were refused by the server (too large for it) and set aside (listed in Settings → Sync)",
                    r.files_refused
                );
            }
            if r.set_aside > 0 {
                // A line of its own, after the summary scripts read: changes a broken client sent
                // that this database cannot hold, kept with the reason instead of stopping sync.
                println!("{} received changes could not be taken and were set aside (listed in Settings → Sync)", r.set_aside);
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
