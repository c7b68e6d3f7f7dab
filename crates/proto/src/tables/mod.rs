//! The synced tables and record types of every module, one file per module. A module adds its
//! file here and one line to [`MODULES`]; codes are taken from the ranges below so two modules
//! never collide.
//!
//! | codes | module |
//! |---|---|
//! | 0-19 | customers (6-9: the shared record features it introduced, `records.rs`) |
//! | 20-39 | calendar |
//! | 40-59 | sales |
//! | 60-79 | service |
//! | 100-127 | tests only |

use crate::records::RecordType;
use crate::schema::TableDef;

pub mod calendar;
pub mod customers;
pub mod records;
pub mod sales;
pub mod service;

/// A module's part of the protocol: its tables and the record types it defines.
#[derive(Debug)]
pub struct Module {
    pub name: &'static str,
    pub tables: &'static [&'static TableDef],
    pub records: &'static [&'static RecordType],
    /// The columns of its tables that may hold null (`table.column`); every other column is
    /// NOT NULL on the laptops, so the server refuses a null for it rather than store a change
    /// no laptop could apply. A core test holds this to the laptops' real SQLite schema.
    pub nullable: &'static [&'static str],
}

/// Every module, one line each. `records` is the shared area every record type uses.
pub const MODULES: &[Module] = &[
    Module { name: "records", tables: records::TABLES, records: &[], nullable: records::NULLABLE },
    Module { name: "customers", tables: customers::TABLES, records: customers::RECORD_TYPES, nullable: customers::NULLABLE },
    Module { name: "calendar", tables: calendar::TABLES, records: calendar::RECORD_TYPES, nullable: calendar::NULLABLE },
    Module { name: "sales", tables: sales::TABLES, records: sales::RECORD_TYPES, nullable: sales::NULLABLE },
    Module { name: "service", tables: service::TABLES, records: service::RECORD_TYPES, nullable: service::NULLABLE },
];

/// Whether `table.column` may hold null (see [`Module::nullable`]; a test table's columns all may).
pub fn nullable(table: &str, column: &str) -> bool {
    match MODULES.iter().find(|m| m.tables.iter().any(|t| t.name == table)) {
        Some(m) => m.nullable.iter().any(|c| c.split_once('.') == Some((table, column))),
        None => true,
    }
}

/// The module a table belongs to (`None` for a table of no module, such as a test's).
pub fn module_of(table: &str) -> Option<&'static str> {
    MODULES.iter().find(|m| m.tables.iter().any(|t| t.name == table)).map(|m| m.name)
}

#[doc(hidden)]
pub mod testing;
