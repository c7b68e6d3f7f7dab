//! The Satchel desktop shell: Tauri at the edge of satchel-core.
//!
//! This crate only adapts. It opens the database, keeps [`state::AppState`] in Tauri's state,
//! and exposes each core operation as a command (one module per domain area under `commands/`,
//! mirroring `crates/core/src` and `ui/src`). Command signatures generate the TypeScript bindings
//! in `ui/src/bindings.ts` through tauri-specta.

pub mod commands;
mod logger;
pub mod state;
pub mod window;

use state::AppState;
use std::path::PathBuf;
use tauri::Manager;

/// `--db PATH` on the command line, then `SATCHEL_DB`, then the per-user data directory.
fn database_path(app: &tauri::App) -> PathBuf {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--db" {
            if let Some(p) = args.next() {
                return PathBuf::from(p);
            }
        } else if let Some(p) = a.strip_prefix("--db=") {
            return PathBuf::from(p);
        }
    }
    if let Some(p) = std::env::var_os("SATCHEL_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    app.path().app_data_dir().unwrap_or_else(|_| PathBuf::from(".")).join("satchel.db")
}

pub fn run() {
    logger::init();
    let builder = commands::specta_builder::<tauri::Wry>();
    tauri::Builder::default()
        .invoke_handler(commands::invoke_handler(&builder))
        .setup(move |app| {
            builder.mount_events(app);
            let path = database_path(app);
            logger::open(&path);
            commands::backup::finish_pending_restore(&path);
            commands::backup::finish_pending_encrypt(&path);
            log::info!("opening {}", path.display());
            app.manage(AppState::open(&path));
            commands::manage(app);
            commands::start(app.handle());
            // Hidden until placed (tauri.conf.json `visible: false`): see `window`.
            if let Some(main) = app.get_webview_window("main") {
                window::open(&main);
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the Satchel window could not start");
}
