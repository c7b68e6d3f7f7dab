//! The synced tables of every module, one file per module. A module adds its file here and one
//! line to [`MODULES`]; codes are taken from the ranges below so two modules never collide.
//!
//! | codes | module |
//! |---|---|
//! | 0-19 | customers (and, for now, the record features it introduced) |
//! | 20-39 | calendar |
//! | 40-59 | sales |
//! | 60-79 | service |
//! | 100-127 | tests only |

use crate::schema::TableDef;

pub mod customers;

/// Every module's tables, under the module's name: one line per module.
pub const MODULES: &[(&str, &[&TableDef])] = &[("customers", customers::TABLES)];

/// The module a table belongs to (`None` for a table of no module, such as a test's).
pub fn module_of(table: &str) -> Option<&'static str> {
    MODULES.iter().find(|(_, tables)| tables.iter().any(|t| t.name == table)).map(|(m, _)| *m)
}

#[doc(hidden)]
pub mod testing;
