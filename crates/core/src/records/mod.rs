//! What every record type shares, keyed by `(record type, id)` rather than by customer:
//!
//! - [`attachments`]: files on a record;
//! - [`fields`]: custom fields, defined per record type, and each record's values;
//! - [`views`]: saved views of a type's list (the customers' segments);
//! - [`history`]: a record's field history with the values that lost a concurrent edit, and
//!   restoring one;
//! - [`trash`]: moving a record with its parts to the trash and back, and what is in it;
//! - [`import`]: encodings, CSV tables and refused rows for every importer.
//!
//! The record types themselves (which table, which parts) are protocol: a module declares them
//! beside its tables in `satchel-proto` (`tables/<module>.rs`), and the shared tables file their
//! rows under the record they name for sync. A module uses these with its own record type; the
//! customers module is the first (`customers::api`). The window reaches attachments and the trash
//! of any record through [`api`] (`satchel.records()`, records named by a `RecordKey`).

pub mod api;
pub mod attachments;
pub mod fields;
pub mod history;
pub mod import;
pub mod trash;
pub mod views;

pub use satchel_proto::records::{of_table, record_type, Part, RecordType, RECORD_TYPES};

use crate::error::{CoreError, Invalid, Result};
use crate::store::schema::{self, TableDef};
use crate::store::Writer;

/// A record of any type, as the shared features name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    pub kind: &'static RecordType,
    pub id: String,
}

impl RecordRef {
    pub fn new(kind: &'static RecordType, id: impl Into<String>) -> Self {
        Self { kind, id: id.into() }
    }

    /// A record named by a type's stored name, as a command or a file names it: a type this build
    /// does not know is a field error, not a panic.
    pub fn named(kind: &str, id: impl Into<String>) -> Result<Self> {
        Ok(Self::new(known_type(kind)?, id))
    }

    /// The table the record is a row of.
    pub fn table(&self) -> &'static TableDef {
        table_of(self.kind)
    }
}

/// The table a record type's records are rows of (`problems` checks it exists).
pub fn table_of(kind: &RecordType) -> &'static TableDef {
    schema::table(kind.table).unwrap_or_else(|| panic!("record type {} names table {}, which is not defined", kind.name, kind.table))
}

/// The record type stored under `name`, or a field error on `recordType` listing the known ones.
pub fn known_type(name: &str) -> Result<&'static RecordType> {
    record_type(name).ok_or_else(|| {
        let allowed = RECORD_TYPES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ");
        CoreError::invalid("recordType", Invalid::OneOf { value: name.into(), allowed })
    })
}

/// Refuses a write naming a record that is missing or in the trash.
pub(crate) fn require_live(w: &Writer<'_>, record: &RecordRef) -> Result<()> {
    if w.deleted_at(record.table(), &record.id)? != Some(None) {
        return Err(CoreError::NotFound { what: record.kind.name, id: record.id.clone() });
    }
    Ok(())
}
