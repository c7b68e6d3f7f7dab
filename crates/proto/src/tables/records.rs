//! The tables of the record features every record type shares: custom field definitions and
//! values, saved views (segments) and attachments. They began as the customers module's (hence
//! their codes in its range and the `customer_id` column, which now holds any record's id: both
//! are on the wire and in released log entries, so they keep their names). Each row names its
//! record type in `record_type`; rows from before record types existed are customers'.

use crate::schema::{Scope, TableDef, RECORD_TYPE};

/// Filed under the record named by (`record_type`, `customer_id`), whatever its type.
const UNDER_RECORD: Scope = Scope::Record { type_column: RECORD_TYPE, id_column: "customer_id", default: "customer" };

/// A field the team added to a record type: team-wide, for every record of that type.
pub const CUSTOM_FIELDS: TableDef = TableDef {
    name: "custom_fields",
    code: 6,
    columns: &["scope", "kind", "label_en", "label_zh", "options", "position", "deleted_at", RECORD_TYPE],
    entity_column: None,
    scope: Scope::Team,
};

/// One record's value of one custom field (id `"<record>.<field>"`).
pub const CUSTOMER_FIELD_VALUES: TableDef = TableDef {
    name: "customer_field_values",
    code: 7,
    columns: &["customer_id", "field_id", "value", "deleted_at", RECORD_TYPE],
    entity_column: Some("customer_id"),
    scope: UNDER_RECORD,
};

/// A saved view of a record type's list: a name and the list's filters.
pub const SEGMENTS: TableDef = TableDef {
    name: "segments",
    code: 8,
    columns: &["name", "filter", "position", "deleted_at", RECORD_TYPE],
    entity_column: None,
    scope: Scope::Team,
};

/// A file attached to a record (its bytes live beside the database, by content hash).
pub const ATTACHMENTS: TableDef = TableDef {
    name: "attachments",
    code: 9,
    columns: &["customer_id", "name", "size", "sha256", "added_by", "deleted_at", RECORD_TYPE],
    entity_column: Some("customer_id"),
    scope: UNDER_RECORD,
};

pub const TABLES: &[&TableDef] = &[&CUSTOM_FIELDS, &CUSTOMER_FIELD_VALUES, &SEGMENTS, &ATTACHMENTS];

/// Columns that may hold null (see `Module::nullable`).
pub const NULLABLE: &[&str] =
    &["custom_fields.deleted_at", "customer_field_values.deleted_at", "segments.deleted_at", "attachments.deleted_at"];
