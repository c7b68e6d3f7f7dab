//! The registry of domain modules. Each module keeps its own in-memory state (the customers'
//! search index; later the calendar's occurrences, the service queues) behind [`ModuleState`],
//! and adds its API to [`crate::Satchel`] from its own folder (`satchel.customers()` is defined
//! in `customers/api.rs`). Registering a module is one line in the `modules!` list below; the
//! rest of the core reaches every module through the generated [`Modules`]. A module's
//! migrations are listed there too, numbered in the store's one sequence.

use crate::error::Result;
use crate::store::{Store, Touched};
use crate::Satchel;
use serde::Serialize;
use std::collections::BTreeSet;

/// What changed underneath the window (a sync page applied, a replay): the modules and tables
/// whose rows changed, so each screen refetches only what it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Changed {
    pub modules: Vec<String>,
    pub tables: Vec<String>,
}

impl Changed {
    pub fn of(touched: &BTreeSet<Touched>) -> Self {
        let tables: BTreeSet<&str> = touched.iter().map(|t| t.table).collect();
        // A shared feature's row (an attachment, a saved view) belongs to the module of the
        // record type it serves; any other row to its table's module.
        let modules: BTreeSet<&str> = touched
            .iter()
            .filter_map(|t| match t.kind.and_then(satchel_proto::records::record_type) {
                Some(r) => satchel_proto::tables::module_of(r.table),
                None => satchel_proto::tables::module_of(t.table),
            })
            .collect();
        Self { modules: modules.into_iter().map(String::from).collect(), tables: tables.into_iter().map(String::from).collect() }
    }
}

/// Told of every [`Changed`] (the desktop turns it into one window event).
pub type ChangeListener = Box<dyn Fn(&Changed) + Send + Sync>;

/// What the app asks of each module's state (made empty by `Default`, which `Modules` derives).
pub trait ModuleState: Send + Sync {
    /// Builds the state from the database, unless it is built: on a thread at the window's start,
    /// or on first need (`Satchel::open` builds nothing, so a CLI command pays only for what it
    /// uses). Must leave the state usable (if empty) even when it fails.
    fn load(&self, store: &Store) -> Result<()>;
    /// Rows changed underneath the module (a sync page, a replay): it picks out its own and
    /// refreshes just those.
    fn changed(&self, app: &Satchel, touched: &BTreeSet<Touched>) -> Result<()>;
    /// Rebuilds everything (after a bulk load outside the module's own calls).
    fn reload(&self, app: &Satchel) -> Result<()>;
}

macro_rules! modules {
    ($($name:ident: $state:ty => $migrations:expr),* $(,)?) => {
        /// Every registered module's state, one field each.
        #[derive(Default)]
        pub struct Modules {
            $(pub $name: $state,)*
        }

        impl Modules {
            /// Each module's state, in registration order.
            pub fn all(&self) -> [&dyn ModuleState; Self::NAMES.len()] {
                [$(&self.$name as &dyn ModuleState),*]
            }

            /// The modules' names, in registration order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            /// Each module's own migrations (numbered in the store's one sequence).
            pub const MIGRATIONS: &'static [&'static [crate::store::Migration]] = &[$($migrations),*];
        }
    };
}

// The registration: one line per module (its state, and its migrations).
modules! {
    customers: crate::customers::api::State => crate::customers::api::MIGRATIONS,
    calendar: crate::calendar::api::State => crate::calendar::api::MIGRATIONS,
    sales: crate::sales::api::State => crate::sales::api::MIGRATIONS,
    service: crate::service::api::State => crate::service::api::MIGRATIONS,
}
