//! What the app holds between commands: the opened core, or the reason it could not be opened.
//! A database that is too new, read-only or damaged still gets a window that explains why,
//! instead of a crash before anything is shown. State that belongs to one area (an import in
//! progress, the sync worker) is managed by that area's commands file (`commands::manage`).

use satchel_core::error::CoreError;
use satchel_core::i18n::Locale;
use satchel_core::store::Profile;
use satchel_core::{AppError, Satchel};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, RwLock};

pub struct AppState {
    opened: Result<Arc<Satchel>, CoreError>,
    /// The UI's language while no database is open (the core keeps its own once opened).
    locale: RwLock<Locale>,
}

impl AppState {
    pub fn open(path: &Path) -> Self {
        // The index builds on its own thread so the window appears at once on a large database.
        // Each loader frees its snapshot's buffer and the rows it read as it ends: given back.
        let opened = Satchel::open_in_background_then(path, Profile::from_env(), crate::memory::give_back_soon);
        if let Err(e) = &opened {
            log::error!("cannot open {}: {e}", path.display());
        }
        let locale = Locale::from_env();
        if let Ok(s) = &opened {
            s.set_locale(locale);
            crate::memory::watch(s);
        }
        Self { opened, locale: RwLock::new(locale) }
    }

    pub fn locale(&self) -> Locale {
        match &self.opened {
            Ok(s) => s.locale(),
            Err(_) => *self.locale.read().unwrap_or_else(|p| p.into_inner()),
        }
    }

    pub fn set_locale(&self, l: Locale) {
        *self.locale.write().unwrap_or_else(|p| p.into_inner()) = l;
        if let Ok(s) = &self.opened {
            s.set_locale(l);
        }
    }

    /// The opened core itself, for work that runs on another thread (imports, exports).
    pub fn satchel(&self) -> Result<Arc<Satchel>, AppError> {
        self.opened.as_ref().cloned().map_err(|e| e.to_app(self.locale()))
    }

    /// A failure outside the core (a worker thread that died) as the UI sees it.
    pub fn internal(&self, detail: &str) -> AppError {
        CoreError::Internal(detail.to_string()).to_app(self.locale())
    }

    /// Runs one core call for a command. Core errors become `{code, message, field}` in the
    /// user's language; a panic becomes an internal error instead of a dead promise in the UI.
    pub fn call<T>(&self, f: impl FnOnce(&Satchel) -> Result<T, CoreError>) -> Result<T, AppError> {
        let s = self.opened.as_ref().map_err(|e| e.to_app(self.locale()))?;
        let start = std::time::Instant::now();
        let answer = catch_unwind(AssertUnwindSafe(|| f(s.as_ref())));
        // A slow call (a module's first page, an import) read and freed much; any other may have
        // read the indexes' snapshots: see `memory`.
        if start.elapsed() >= crate::memory::HEAVY {
            crate::memory::give_back_soon();
        } else {
            crate::memory::pages_read();
        }
        match answer {
            Ok(r) => r.map_err(|e| s.app_error(&e)),
            Err(panic) => {
                let what = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned());
                let e = CoreError::Internal(format!("panic: {}", what.unwrap_or_default()));
                Err(s.app_error(&e))
            }
        }
    }
}
