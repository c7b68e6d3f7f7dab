//! The Satchel desktop shell: Tauri at the edge of satchel-core.
//!
//! This crate only adapts. It opens the database, keeps [`state::AppState`] in Tauri's state,
//! and exposes each core operation as a command (one module per domain area under `commands/`,
//! mirroring `crates/core/src` and `ui/src`). Command signatures generate the TypeScript bindings
//! in `ui/src/bindings.ts` through tauri-specta.

pub mod clock;
pub mod commands;
mod logger;
pub mod memory;
pub mod reminders;
pub mod state;
mod tray;
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

/// Asks WebKitGTK to draw the page without accelerated compositing, unless the user chose.
///
/// Why: a CRM's pages are lists and forms, which gain nothing from GPU layers, and composited
/// mode costs much. Measured on the 2-core machine under Xvfb (`make bench-app`, a 200-customer
/// book, every page opened once): WebKit's web process took 330 MB (PSS) composited and 171 MB
/// without; a keystroke's results painted at p95 186 ms against 97 ms; the longest scrolling frame
/// was 73 ms against 41 ms. Without a GPU (a VM, Xvfb, many office laptops) composited mode runs
/// on Mesa's software GL, which is where that goes. `SATCHEL_GPU=1`, or the variable set to
/// anything by hand, keeps WebKit's own choice (docs/troubleshooting.md).
fn software_rendering() {
    const VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(VAR).is_none() && std::env::var_os("SATCHEL_GPU").is_none_or(|v| v.is_empty() || v == "0") {
        // Set before any thread starts and before WebKit reads it; its processes inherit it.
        std::env::set_var(VAR, "1");
    }
}

/// Quits the way closing the window does when the system asks Satchel to end (SIGTERM at logout
/// or shutdown, SIGHUP when its terminal goes, Ctrl-C): Tauri's exit runs `RunEvent::Exit`, which
/// keeps the customer index and notes the clean close, so the next start neither rebuilds the
/// index nor reads every page of the book again (about 1 s at 100,000 customers,
/// docs/benchmarks.md). Without it a signal ended the process where it stood.
fn quit_on_signals(handle: tauri::AppHandle) {
    use futures_lite::future::race;
    use tokio::signal::unix::{signal, SignalKind};
    tauri::async_runtime::spawn(async move {
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) =
            (signal(SignalKind::terminate()), signal(SignalKind::hangup()), signal(SignalKind::interrupt()))
        else {
            log::warn!("cannot listen for signals: a signal to quit ends Satchel without keeping its index");
            return;
        };
        race(term.recv(), race(hup.recv(), int.recv())).await;
        log::info!("asked to quit by a signal: closing the book as the window does");
        handle.exit(0);
    });
}

/// The argument start-at-login runs Satchel with: into the tray, the window hidden.
pub const HIDDEN_ARG: &str = "--hidden";

/// At most four malloc arenas for the app's threads instead of glibc's eight a core.
///
/// Why: every thread that answers a command (Tauri's pool, the index loaders, sync) got an arena
/// of its own, and memory freed in one (a page of quotes serialised for the window, a snapshot
/// decoded) stayed reserved in it. Measured with `bench-app` at 100,000 customers after opening
/// every page once (app process, PSS; the machine noisy): 610 MB with glibc's default, 593 MB
/// with four, 585 MB with two; with two the two snapshot loaders at start contended for them
/// (0.8-0.9 s each against 0.5-0.75 s). `MALLOC_ARENA_MAX` set by hand still wins.
fn fewer_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes the allocator's settings; called before any thread starts.
        unsafe { libc::mallopt(libc::M_ARENA_MAX, 4) };
    }
}

pub fn run() {
    fewer_malloc_arenas();
    software_rendering();
    logger::init();
    let builder = commands::specta_builder::<tauri::Wry>();
    tauri::Builder::default()
        .plugin(tauri_plugin_autostart::Builder::new().arg(HIDDEN_ARG).build())
        .invoke_handler(commands::invoke_handler(&builder))
        .on_window_event(|window, event| {
            // Closing the window can leave Satchel in the tray, so reminders still fire.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let keep = window.try_state::<commands::reminders::ReminderState>().is_some_and(|s| s.keep_in_tray());
                if window.label() == "main" && keep {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .setup(move |app| {
            builder.mount_events(app);
            let path = database_path(app);
            logger::open(&path);
            commands::backup::finish_pending_restore(&path);
            commands::backup::finish_pending_encrypt(&path);
            log::info!("opening {}", path.display());
            app.manage(AppState::open(&path));
            commands::manage(app);
            let in_tray = tray::build(app.handle(), app.state::<AppState>().locale());
            app.state::<commands::reminders::ReminderState>().set_tray(in_tray);
            commands::start(app.handle());
            quit_on_signals(app.handle().clone());
            // Hidden until placed (tauri.conf.json `visible: false`): see `window`. Started at
            // login, it stays hidden in the tray (when there is one to come back from).
            let hidden = in_tray && std::env::args().any(|a| a == HIDDEN_ARG);
            if let Some(main) = app.get_webview_window("main") {
                window::open(&main, !hidden);
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the Satchel window could not start")
        .run(|handle, event| {
            // The next start loads the customer index from its snapshot instead of rebuilding it.
            if let tauri::RunEvent::Exit = event {
                if let Ok(app) = handle.state::<AppState>().satchel() {
                    let start = std::time::Instant::now();
                    match app.persist() {
                        Ok(()) => log::info!("kept the index for the next start in {:.2} s", start.elapsed().as_secs_f64()),
                        Err(e) => log::warn!("could not keep the index for the next start: {e}"),
                    }
                }
            }
        });
}
