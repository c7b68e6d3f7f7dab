//! The synced tables and their columns: the only names the write path and the change applier
//! will put into SQL. A change naming anything else is refused, never interpolated.

/// A synced table: its columns (besides `id`, `updated_ms` and `_clocks`) and how its rows find
/// the record whose history they belong to. Columns are only ever appended to a list, never
/// removed or reordered: a row's `_clocks` name its columns by their position here.
#[derive(Debug)]
pub struct TableDef {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// The column naming the owning record (a phone's customer); `None` when the row is the record.
    pub entity_column: Option<&'static str>,
}

/// Whose permissions a row falls under when synced (the server enforces them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The row is a customer: its own owner and visibility.
    Record,
    /// The row belongs to the customer named in this column (a phone, an activity).
    Parent(&'static str),
    /// Team-wide settings every member sees (custom fields, segments).
    Team,
}

impl TableDef {
    pub fn has_column(&self, col: &str) -> bool {
        self.columns.contains(&col)
    }

    /// Whether a row of this table is a record of its own (its history's entity), not a part of
    /// one. Such a row keeps the number of the log entry that created it (`_created_seq`).
    pub fn is_record(&self) -> bool {
        self.entity_column.is_none()
    }

    pub fn scope(&self) -> Scope {
        match (self.name, self.entity_column) {
            ("customers", _) => Scope::Record,
            // Activities are their own history entity, but a private customer's calls are private.
            ("activities", _) => Scope::Parent("customer_id"),
            (_, Some(col)) => Scope::Parent(col),
            _ => Scope::Team,
        }
    }
}

pub const CUSTOMERS: TableDef = TableDef {
    name: "customers",
    columns: &["kind", "name", "company_id", "owner", "stage", "source", "notes", "birthday", "deleted_at", "merged_into", "visibility"],
    entity_column: None,
};

pub const CUSTOMER_PHONES: TableDef = TableDef {
    name: "customer_phones",
    columns: &["customer_id", "label", "value", "position", "deleted_at"],
    entity_column: Some("customer_id"),
};

pub const CUSTOMER_EMAILS: TableDef = TableDef {
    name: "customer_emails",
    columns: &["customer_id", "label", "value", "position", "deleted_at"],
    entity_column: Some("customer_id"),
};

pub const CUSTOMER_ADDRESSES: TableDef = TableDef {
    name: "customer_addresses",
    columns: &["customer_id", "label", "street", "city", "region", "postal_code", "country", "position", "deleted_at"],
    entity_column: Some("customer_id"),
};

pub const CUSTOMER_TAGS: TableDef =
    TableDef { name: "customer_tags", columns: &["customer_id", "tag", "deleted_at"], entity_column: Some("customer_id") };

pub const ACTIVITIES: TableDef = TableDef {
    name: "activities",
    columns: &["customer_id", "kind", "occurred_at", "duration_minutes", "outcome", "body", "logged_by", "deleted_at"],
    // An activity is a record of its own: its edits are its history, and a customer's history stays
    // small however many calls are logged against it (the timeline reads activities directly).
    entity_column: None,
};

pub const CUSTOM_FIELDS: TableDef = TableDef {
    name: "custom_fields",
    columns: &["scope", "kind", "label_en", "label_zh", "options", "position", "deleted_at"],
    entity_column: None,
};

pub const CUSTOMER_FIELD_VALUES: TableDef = TableDef {
    name: "customer_field_values",
    columns: &["customer_id", "field_id", "value", "deleted_at"],
    entity_column: Some("customer_id"),
};

pub const SEGMENTS: TableDef = TableDef { name: "segments", columns: &["name", "filter", "position", "deleted_at"], entity_column: None };

pub const ATTACHMENTS: TableDef = TableDef {
    name: "attachments",
    columns: &["customer_id", "name", "size", "sha256", "added_by", "deleted_at"],
    entity_column: Some("customer_id"),
};

/// Only ever appended, never reordered: a row-backed log entry names the other rows it created
/// by their table's position here (`more_rows`, migration 0009).
pub const SYNCED_TABLES: &[&TableDef] = &[
    &CUSTOMERS,
    &CUSTOMER_PHONES,
    &CUSTOMER_EMAILS,
    &CUSTOMER_ADDRESSES,
    &CUSTOMER_TAGS,
    &ACTIVITIES,
    &CUSTOM_FIELDS,
    &CUSTOMER_FIELD_VALUES,
    &SEGMENTS,
    &ATTACHMENTS,
];

pub fn table(name: &str) -> Option<&'static TableDef> {
    SYNCED_TABLES.iter().copied().find(|t| t.name == name)
}

/// A table's position in [`SYNCED_TABLES`], as log entries name it.
pub fn code(t: &TableDef) -> Option<u8> {
    SYNCED_TABLES.iter().position(|s| s.name == t.name).and_then(|i| u8::try_from(i).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Log entries written by released versions name tables by these positions.
    #[test]
    fn tables_keep_their_positions() {
        let released = [
            "customers",
            "customer_phones",
            "customer_emails",
            "customer_addresses",
            "customer_tags",
            "activities",
            "custom_fields",
            "customer_field_values",
            "segments",
            "attachments",
        ];
        for (i, name) in released.iter().enumerate() {
            assert_eq!(SYNCED_TABLES[i].name, *name);
            assert_eq!(code(SYNCED_TABLES[i]), Some(i as u8));
        }
    }
}
