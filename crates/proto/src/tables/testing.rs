//! Tables that exist only in tests, never in [`super::MODULES`]: a chain three levels deep
//! (customer → deal → deal line), the shape sales will have (quote line → quote → opportunity →
//! customer), so the filing of rows through any depth is proven on laptop and server before a
//! module needs it. A test binary calls [`register`] first thing, and creates the SQL tables on
//! its laptops with [`SQL`].

use crate::records::{Part, RecordType};
use crate::schema::{Scope, TableDef};

pub const TEST_DEALS: TableDef = TableDef {
    name: "test_deals",
    code: 120,
    columns: &["customer_id", "title", "deleted_at"],
    entity_column: None,
    scope: Scope::Child { parent: "customers", column: "customer_id" },
};

pub const TEST_DEAL_LINES: TableDef = TableDef {
    name: "test_deal_lines",
    code: 121,
    columns: &["deal_id", "text", "deleted_at"],
    entity_column: Some("deal_id"),
    scope: Scope::Child { parent: "test_deals", column: "deal_id" },
};

/// The local tables, shaped as the synced tables' convention asks (see migration 0001).
pub const SQL: &str = "
CREATE TABLE IF NOT EXISTS test_deals (
    id TEXT PRIMARY KEY, customer_id TEXT, title TEXT NOT NULL DEFAULT '', deleted_at TEXT,
    updated_ms INTEGER NOT NULL DEFAULT 0, _clocks TEXT NOT NULL DEFAULT '{}', _created_seq INTEGER
);
CREATE TABLE IF NOT EXISTS test_deal_lines (
    id TEXT PRIMARY KEY, deal_id TEXT, text TEXT NOT NULL DEFAULT '', deleted_at TEXT,
    updated_ms INTEGER NOT NULL DEFAULT 0, _clocks TEXT NOT NULL DEFAULT '{}'
);";

/// A deal as a record type of its own, whose lines are its parts: the shared record features
/// (attachments, custom fields, views, history, trash) are proven on it beside customers.
pub const TEST_DEAL: RecordType =
    RecordType { name: "test_deal", table: "test_deals", title: "title", parts: &[Part { table: "test_deal_lines", field: "lines" }] };

/// Adds the test tables and record type to this process's schema (before anything reads it).
pub fn register() {
    crate::schema::register_test_tables(&[&TEST_DEALS, &TEST_DEAL_LINES]);
    crate::records::register_test_types(&[&TEST_DEAL]);
}
