//! The customers module's tables: companies and people (the root records), their phones,
//! emails, addresses and tags, and activities logged against them. The record features that
//! started here (custom fields, saved segments, attachments) serve every record type now: see
//! `records.rs`.

use crate::records::{Part, RecordType};
use crate::schema::{Scope, TableDef};

/// A company or a person: a root record with its own owner and visibility.
pub const CUSTOMERS: TableDef = TableDef {
    name: "customers",
    code: 0,
    // Appended, never reordered: `job_title` and `department` came in 0.3 (migration 0012).
    columns: &[
        "kind",
        "name",
        "company_id",
        "owner",
        "stage",
        "source",
        "notes",
        "birthday",
        "deleted_at",
        "merged_into",
        "visibility",
        "job_title",
        "department",
    ],
    entity_column: None,
    scope: Scope::Root { visibility: "visibility", owner: "owner" },
};

const UNDER_CUSTOMER: Scope = Scope::Child { parent: "customers", column: "customer_id" };

pub const CUSTOMER_PHONES: TableDef = TableDef {
    name: "customer_phones",
    code: 1,
    columns: &["customer_id", "label", "value", "position", "deleted_at"],
    entity_column: Some("customer_id"),
    scope: UNDER_CUSTOMER,
};

pub const CUSTOMER_EMAILS: TableDef = TableDef {
    name: "customer_emails",
    code: 2,
    columns: &["customer_id", "label", "value", "position", "deleted_at"],
    entity_column: Some("customer_id"),
    scope: UNDER_CUSTOMER,
};

pub const CUSTOMER_ADDRESSES: TableDef = TableDef {
    name: "customer_addresses",
    code: 3,
    columns: &["customer_id", "label", "street", "city", "region", "postal_code", "country", "position", "deleted_at"],
    entity_column: Some("customer_id"),
    scope: UNDER_CUSTOMER,
};

pub const CUSTOMER_TAGS: TableDef = TableDef {
    name: "customer_tags",
    code: 4,
    columns: &["customer_id", "tag", "deleted_at"],
    entity_column: Some("customer_id"),
    scope: UNDER_CUSTOMER,
};

pub const ACTIVITIES: TableDef = TableDef {
    name: "activities",
    code: 5,
    columns: &["customer_id", "kind", "occurred_at", "duration_minutes", "outcome", "body", "logged_by", "deleted_at"],
    // An activity is a record of its own: its edits are its history, and a customer's history stays
    // small however many calls are logged against it (the timeline reads activities directly).
    // But a private customer's calls are private: it syncs under its customer.
    entity_column: None,
    scope: UNDER_CUSTOMER,
};

pub const TABLES: &[&TableDef] = &[&CUSTOMERS, &CUSTOMER_PHONES, &CUSTOMER_EMAILS, &CUSTOMER_ADDRESSES, &CUSTOMER_TAGS, &ACTIVITIES];

/// A customer: a company or a person. Its phones, emails, addresses and tags are its parts.
pub const CUSTOMER: RecordType = RecordType {
    name: "customer",
    table: "customers",
    title: "name",
    parts: &[
        Part { table: "customer_phones", field: "phones" },
        Part { table: "customer_emails", field: "emails" },
        Part { table: "customer_addresses", field: "addresses" },
        Part { table: "customer_tags", field: "tags" },
    ],
};

pub const RECORD_TYPES: &[&RecordType] = &[&CUSTOMER];

/// Columns that may hold null (see `Module::nullable`).
pub const NULLABLE: &[&str] = &[
    "customers.company_id",
    "customers.birthday",
    "customers.deleted_at",
    "customers.merged_into",
    "customer_phones.deleted_at",
    "customer_emails.deleted_at",
    "customer_addresses.deleted_at",
    "customer_tags.deleted_at",
    "activities.duration_minutes",
    "activities.deleted_at",
];
