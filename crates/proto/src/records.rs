//! Record types: the kinds of record (a customer today; an event, an opportunity, a quote, a
//! ticket as modules arrive) that the shared record features serve. Attachments, custom fields
//! and their values, and saved views name a record by `(record type, id)`; their tables declare
//! [`Scope::Record`](crate::schema::Scope::Record), so a row is filed for sync under whatever
//! record it belongs to.
//!
//! A module declares its record types beside its tables (see [`crate::tables`]). A type's name
//! is stored in rows and sent on the wire: fixed once released.

use crate::registry::TestExtras;
use crate::schema::{Scope, TableDef};
use std::sync::LazyLock;

/// A kind of record.
#[derive(Debug, PartialEq, Eq)]
pub struct RecordType {
    /// As stored in the shared tables' `record_type` column (`"customer"`).
    pub name: &'static str,
    /// The table whose rows are records of this type; each row is a record of its own
    /// ([`TableDef::is_record`]).
    pub table: &'static str,
    /// The column a record is titled by (trash lists, a lost value's record).
    pub title: &'static str,
    /// The tables of a record's parts (a customer's phones): they go to the trash and come back
    /// with their record, and their changes read in its history as `<field>.<column>`.
    pub parts: &'static [Part],
}

/// A table of a record's parts, and the name its changes have in the record's history.
#[derive(Debug, PartialEq, Eq)]
pub struct Part {
    pub table: &'static str,
    pub field: &'static str,
}

/// Every module's record types, plus any a test registered before first use.
pub static RECORD_TYPES: LazyLock<Vec<&'static RecordType>> =
    LazyLock::new(|| EXTRA.gather(crate::tables::MODULES.iter().flat_map(|m| m.records.iter().copied())));

static EXTRA: TestExtras<RecordType> = TestExtras::new();

/// Adds record types that exist only in a test build, like
/// [`register_test_tables`](crate::schema::register_test_tables).
///
/// # Panics
/// When the record types were already read without these.
#[doc(hidden)]
pub fn register_test_types(types: &[&'static RecordType]) {
    EXTRA.register(types, |a, b| a.name == b.name, "record types");
}

/// The record type stored under `name`.
pub fn record_type(name: &str) -> Option<&'static RecordType> {
    RECORD_TYPES.iter().copied().find(|t| t.name == name)
}

/// The record type whose records are the rows of `table`.
pub fn of_table(table: &str) -> Option<&'static RecordType> {
    RECORD_TYPES.iter().copied().find(|t| t.table == table)
}

/// What is wrong with a set of record types over a set of tables: names unique, each type's
/// table defined and a table of records, each part a table of parts under it. Checked by a test
/// over [`RECORD_TYPES`].
pub fn problems(types: &[&RecordType], tables: &[&TableDef]) -> Vec<String> {
    let mut out = Vec::new();
    let find = |name: &str| tables.iter().copied().find(|t| t.name == name);
    for (i, rt) in types.iter().enumerate() {
        if types[..i].iter().any(|o| o.name == rt.name) {
            out.push(format!("record type {} is defined twice", rt.name));
        }
        if types[..i].iter().any(|o| o.table == rt.table) {
            out.push(format!("record type {}: table {} is another type's", rt.name, rt.table));
        }
        let Some(t) = find(rt.table) else {
            out.push(format!("record type {}: table {} is not defined", rt.name, rt.table));
            continue;
        };
        if !t.is_record() {
            out.push(format!("record type {}: rows of {} are parts, not records", rt.name, rt.table));
        }
        if !t.has_column(rt.title) {
            out.push(format!("record type {}: no title column {}", rt.name, rt.title));
        }
        for part in rt.parts {
            match find(part.table) {
                Some(p) if matches!(p.scope, Scope::Child { parent, .. } if parent == rt.table) && p.entity_column == p.parent_column() => {
                }
                Some(_) => out.push(format!("record type {}: {} is not a table of its parts", rt.name, part.table)),
                None => out.push(format!("record type {}: part table {} is not defined", rt.name, part.table)),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SYNCED_TABLES;

    #[test]
    fn the_registered_record_types_hold_together() {
        assert_eq!(problems(&RECORD_TYPES, &SYNCED_TABLES), Vec::<String>::new());
        assert_eq!(record_type("customer").map(|t| t.table), Some("customers"));
        assert_eq!(of_table("customers").map(|t| t.name), Some("customer"));
    }

    #[test]
    fn broken_record_types_are_named() {
        let records = TableDef {
            name: "r",
            code: 1,
            columns: &["title"],
            entity_column: None,
            scope: Scope::Root { visibility: "title", owner: "" },
        };
        let parts = TableDef {
            name: "p",
            code: 2,
            columns: &["r_id"],
            entity_column: Some("r_id"),
            scope: Scope::Child { parent: "r", column: "r_id" },
        };
        let good = RecordType { name: "r", table: "r", title: "title", parts: &[Part { table: "p", field: "ps" }] };
        assert_eq!(problems(&[&good], &[&records, &parts]), Vec::<String>::new());
        let twice =
            RecordType { name: "r", table: "p", title: "name", parts: &[Part { table: "r", field: "x" }, Part { table: "q", field: "y" }] };
        let nowhere = RecordType { name: "n", table: "nope", title: "x", parts: &[] };
        let got = problems(&[&good, &twice, &nowhere], &[&records, &parts]).join("\n");
        for want in [
            "record type r is defined twice",
            "record type r: rows of p are parts, not records",
            "record type r: no title column name",
            "record type r: r is not a table of its parts",
            "record type r: part table q is not defined",
            "record type n: table nope is not defined",
        ] {
            assert!(got.contains(want), "{want:?} missing from:\n{got}");
        }
    }
}
