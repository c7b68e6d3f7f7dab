//! satchel-core: the domain and the local store of Satchel, the offline-first CRM.
//!
//! [`Satchel`] is the one API surface every shell calls: the Tauri app, the `satchel` CLI, tests
//! and benchmarks. It owns the [`store::Store`] (SQLite, one write door, change log with hybrid
//! logical clocks) and the in-memory indexes that answer search and list queries. Nothing here
//! knows about windows, IPC or networks.

/// A closed set of words stored as text (an event's kind, a quote's status): the enum, its
/// stored word, and a parse that reads a word it does not know (a newer laptop's) as the default.
/// Defined before the modules that use it (macros are in scope from their definition on).
macro_rules! word_enum {
    // `Name as "TsName"`: the TypeScript type's name, when the Rust name is too plain for the
    // bindings' one namespace (a ticket's `Status`).
    ($(#[$doc:meta])* $name:ident as $ts:literal { $($variant:ident = $word:literal),* $(,)? } default $default:ident) => {
        word_enum!(@make [$(#[$doc])*] [#[serde(rename = $ts)]] $name { $($variant = $word),* } default $default);
    };
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $word:literal),* $(,)? } default $default:ident) => {
        word_enum!(@make [$(#[$doc])*] [] $name { $($variant = $word),* } default $default);
    };
    (@make [$($doc:tt)*] [$($extra:tt)*] $name:ident { $($variant:ident = $word:literal),* } default $default:ident) => {
        $($doc)*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
        #[serde(rename_all = "snake_case")]
        $($extra)*
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),* }
            }
            /// The stored word; anything else (a newer laptop's word) reads as the default.
            pub fn parse(s: &str) -> Self {
                Self::from_word(s).unwrap_or($name::$default)
            }
            /// The word, or none for anything else: what a user or a script typed is refused
            /// by name rather than read as the default.
            pub fn from_word(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.as_str() == s)
            }
            /// Every word, for an error message.
            pub fn words() -> String {
                Self::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

pub mod backup;
pub mod budget;
pub mod calendar;
pub mod customers;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod logfile;
pub mod modules;
pub mod records;
pub mod sales;
pub mod search;
pub mod service;
pub mod store;
pub mod sync;
pub mod time;

use error::{CoreError, Result};
use i18n::Locale;
use modules::Modules;
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};
use store::{Profile, Store};

pub use error::AppError;
/// The SQLite binding the store is built on, for tests and tools that need raw access.
pub use rusqlite;
/// Clocks, as the protocol crate defines them (the server uses the same).
pub use satchel_proto::hlc;

/// Facts about this installation the settings page shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub site_id: String,
    pub author: String,
    pub device: String,
    pub locale: Locale,
    pub customer_count: u32,
}

/// The app: the local store, the user's language, and every module's state. Each module adds
/// its calls from its own folder (`satchel.customers()`, see `customers/api.rs`).
pub struct Satchel {
    store: Store,
    modules: Modules,
    /// The global search's index of every module's records but customers (`search/`).
    search: search::State,
    locale: RwLock<Locale>,
    listeners: RwLock<Vec<modules::ChangeListener>>,
    /// Held while the modules hear of local writes (`settle`): a call that finds nothing left to
    /// tell still returns only once another call's telling is done, so every caller reads its
    /// own write back.
    settling: std::sync::Mutex<()>,
}

impl Satchel {
    fn new(store: Store) -> Self {
        Self {
            store,
            modules: Modules::default(),
            search: search::State::default(),
            locale: RwLock::new(Locale::default()),
            listeners: RwLock::default(),
            settling: std::sync::Mutex::default(),
        }
    }

    /// Calls `f` after rows changed underneath the modules (see [`Satchel::changed`]).
    pub fn on_changed(&self, f: impl Fn(&modules::Changed) + Send + Sync + 'static) {
        self.listeners.write().unwrap_or_else(PoisonError::into_inner).push(Box::new(f));
    }

    /// Opens the database (creating and migrating it as needed). Each module builds its
    /// in-memory state on first need, so a command pays only for what it uses: `satchel sync`
    /// with nothing to do never builds the customer index (see docs/benchmarks.md).
    pub fn open(path: impl AsRef<Path>, profile: Profile) -> Result<Self> {
        Ok(Self::new(Store::open(path, profile)?))
    }

    /// Builds every module's in-memory state now rather than on first need (benchmarks time
    /// it; the window does it on a thread, see [`Satchel::open_in_background`]).
    pub fn load_modules(&self) -> Result<()> {
        for m in self.modules.all() {
            m.load(&self.store)?;
        }
        self.search.ensure(&self.store)
    }

    /// Opens the database now and loads the modules' state on another thread, so a window can
    /// appear at once (about 2 s are saved at 100,000 customers). Calls that need a module's
    /// state wait for it.
    pub fn open_in_background(path: impl AsRef<Path>, profile: Profile) -> Result<Arc<Self>> {
        Self::open_in_background_then(path, profile, || {})
    }

    /// [`Satchel::open_in_background`], calling `loaded` when the loading thread ends (the window
    /// gives the memory it freed back to the system then).
    pub fn open_in_background_then(path: impl AsRef<Path>, profile: Profile, loaded: fn()) -> Result<Arc<Self>> {
        let app = Arc::new(Self::new(Store::open(path, profile)?));
        let builder = app.clone();
        // One thread, customers first, the global search last: two loading threads side by side
        // took both cores from the window's own start (three processes of GTK and WebKit), and
        // the first rows were drawn 20-40 ms later on the demo book for it (docs/benchmarks.md,
        // "Tenth pass"). Built from SQLite, the search also needs the read connection the
        // window's start uses.
        std::thread::Builder::new().name("satchel-index".into()).spawn(move || {
            for (m, name) in builder.modules.all().into_iter().zip(Modules::NAMES) {
                let start = std::time::Instant::now();
                match m.load(&builder.store) {
                    Ok(()) => log::info!("{name} ready in {:.2} s", start.elapsed().as_secs_f64()),
                    Err(e) => log::error!("loading {name} failed: {e}"),
                }
            }
            let start = std::time::Instant::now();
            match builder.search.ensure(&builder.store) {
                Ok(()) => log::info!("global search ready in {:.2} s", start.elapsed().as_secs_f64()),
                Err(e) => log::error!("building the global search failed: {e}"),
            }
            loaded();
        })?;
        Ok(app)
    }

    /// Keeps what makes the next start quick: the customer index's and the global search's
    /// snapshots (when the book
    /// changed since it was last kept), and the whole book folded into its file with a note of
    /// how it was left (so the next open need not read every page again, see `store::Closed`).
    /// The window calls it as it closes.
    pub fn persist(&self) -> Result<()> {
        self.customers().persist()?;
        self.search.persist(&self.store)?;
        self.store.checkpoint_at_exit()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn locale(&self) -> Locale {
        *self.locale.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_locale(&self, l: Locale) {
        *self.locale.write().unwrap_or_else(PoisonError::into_inner) = l;
    }

    /// Copies the write-ahead log back into the database file (after a large import, off the
    /// path the user waits on).
    pub fn checkpoint(&self) -> Result<()> {
        self.store.checkpoint()
    }

    /// Applies changes from elsewhere (sync, replay) and refreshes what they touched.
    pub fn apply_changes(&self, changes: &[store::Change]) -> Result<store::Applied> {
        let applied = self.store.apply_changes(changes)?;
        self.changed(&applied.touched)?;
        Ok(applied)
    }

    /// Brings each module's in-memory state up to date after rows changed underneath it (a sync
    /// page, a replay): every module is told the rows and picks out its own.
    pub fn changed(&self, touched: &std::collections::BTreeSet<store::Touched>) -> Result<()> {
        if touched.is_empty() {
            return Ok(());
        }
        for m in self.modules.all() {
            m.changed(self, touched)?;
        }
        self.search.changed(&self.store, touched)?;
        let listeners = self.listeners.read().unwrap_or_else(PoisonError::into_inner);
        if !listeners.is_empty() {
            let what = modules::Changed::of(touched);
            for l in listeners.iter() {
                l(&what);
            }
        }
        Ok(())
    }

    /// Tells every module what this device's own writes touched since the last call (the rows
    /// each write read back before committing; see `Store::take_touched`), so a module's state
    /// follows a write whichever module made it: an activity logged from another module still
    /// moves its customer's "last activity". Every call that writes ends with it. The window is
    /// not told: the screen that wrote shows its own result.
    pub fn settle(&self) -> Result<()> {
        let _one_at_a_time = self.settling.lock().unwrap_or_else(PoisonError::into_inner);
        match self.store.take_touched() {
            store::LocalTouched::Rows(rows) if rows.is_empty() => Ok(()),
            store::LocalTouched::Rows(rows) => {
                for m in self.modules.all() {
                    m.changed(self, &rows)?;
                }
                self.search.changed(&self.store, &rows)
            }
            store::LocalTouched::Many => self.reload_modules(),
        }
    }

    /// Drops what local writes touched without telling the modules: for a module that rebuilt
    /// its state from those very writes (a large import builds its index beside the write).
    pub(crate) fn forget_touched(&self) {
        let _one_at_a_time = self.settling.lock().unwrap_or_else(PoisonError::into_inner);
        // The global search still hears of them: an import may rename a customer its records show.
        match self.store.take_touched() {
            store::LocalTouched::Rows(rows) => {
                if let Err(e) = self.search.changed(&self.store, &rows) {
                    log::error!("the global search missed a change ({e}); rebuilding it on the next search");
                    self.search.reload();
                }
            }
            store::LocalTouched::Many => self.search.reload(),
        }
    }

    /// Rebuilds every module's state from the database (after a bulk load that went around the
    /// modules' own calls, such as demo data).
    pub fn reload(&self) -> Result<()> {
        let _one_at_a_time = self.settling.lock().unwrap_or_else(PoisonError::into_inner);
        // What local writes touched so far is in the rebuilt state.
        self.store.take_touched();
        self.reload_modules()
    }

    fn reload_modules(&self) -> Result<()> {
        for m in self.modules.all() {
            m.reload(self)?;
        }
        self.search.reload();
        Ok(())
    }

    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            db_path: self.store.path().display().to_string(),
            site_id: self.store.site_id().into(),
            author: self.store.profile().author.clone(),
            device: self.store.profile().device.clone(),
            locale: self.locale(),
            customer_count: self.customers().live_count(),
        }
    }

    /// The error as the user should read it now.
    pub fn app_error(&self, e: &CoreError) -> AppError {
        e.to_app(self.locale())
    }
}
