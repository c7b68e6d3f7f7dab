//! The service module's tables: tickets (a root record under a customer), the times a ticket
//! waited on the customer (its SLA clock stopped), the team's service settings (business hours,
//! holidays and extra working days, SLA targets per priority, one synced row per part), and the
//! knowledge base's articles with their links to tickets.

use crate::records::{Part, RecordType};
use crate::schema::{Scope, TableDef};

/// A ticket: numbered per laptop series like quotes (`T-2026-B0007`); times are UTC RFC 3339.
pub const TICKETS: TableDef = TableDef {
    name: "tickets",
    code: 60,
    columns: &[
        "number",
        "customer_id",
        "contract_id",
        "product_id",
        // phone, email, visit, chat, other
        "channel",
        "category",
        // urgent, high, normal, low
        "priority",
        // new, assigned, in_progress, waiting, resolved, closed
        "status",
        "assignee",
        "owner",
        "visibility",
        "subject",
        "description",
        "opened_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "rating",
        "rating_comment",
        "deleted_at",
        // Appended (0020): when the team's breach actions were applied, once per ticket.
        "escalated_at",
    ],
    entity_column: None,
    scope: Scope::Root { visibility: "visibility", owner: "owner" },
};

/// A time the ticket waited on the customer: `until_at` empty while it still waits.
pub const TICKET_PAUSES: TableDef = TableDef {
    name: "ticket_pauses",
    code: 61,
    columns: &["ticket_id", "from_at", "until_at", "deleted_at"],
    entity_column: Some("ticket_id"),
    scope: Scope::Child { parent: "tickets", column: "ticket_id" },
};

/// One part of the team's service settings per row, by key: `hours`, `sla.<priority>`,
/// `day.<YYYY-MM-DD>` (a holiday or an extra working day; one row each, so two laptops adding
/// different days both keep theirs).
pub const SERVICE_SETTINGS: TableDef =
    TableDef { name: "service_settings", code: 62, columns: &["value", "deleted_at"], entity_column: None, scope: Scope::Team };

/// A knowledge-base article: a problem and its solution, findable the next time. Team-wide
/// knowledge (visibility `team` unless made private), optionally about a product, in a language.
pub const ARTICLES: TableDef = TableDef {
    name: "articles",
    code: 63,
    columns: &["title", "problem", "solution", "tags", "product_id", "language", "source_ticket_id", "owner", "visibility", "deleted_at"],
    entity_column: None,
    scope: Scope::Root { visibility: "visibility", owner: "owner" },
};

/// An article linked to a ticket (id `"<ticket>.<article>"`: linking it twice, or on two
/// laptops, is one row).
pub const TICKET_ARTICLES: TableDef = TableDef {
    name: "ticket_articles",
    code: 64,
    columns: &["ticket_id", "article_id", "deleted_at"],
    entity_column: Some("ticket_id"),
    scope: Scope::Child { parent: "tickets", column: "ticket_id" },
};

/// A comment on a ticket: internal (the team's), or said to the customer.
pub const TICKET_COMMENTS: TableDef = TableDef {
    name: "ticket_comments",
    code: 65,
    columns: &["ticket_id", "body", "internal", "author", "created_at", "deleted_at"],
    entity_column: Some("ticket_id"),
    scope: Scope::Child { parent: "tickets", column: "ticket_id" },
};

pub const TABLES: &[&TableDef] = &[&TICKETS, &TICKET_PAUSES, &SERVICE_SETTINGS, &ARTICLES, &TICKET_ARTICLES, &TICKET_COMMENTS];

pub const TICKET: RecordType = RecordType {
    name: "ticket",
    table: "tickets",
    title: "subject",
    parts: &[
        Part { table: "ticket_pauses", field: "pauses" },
        Part { table: "ticket_articles", field: "articles" },
        Part { table: "ticket_comments", field: "comments" },
    ],
};

pub const ARTICLE: RecordType = RecordType { name: "article", table: "articles", title: "title", parts: &[] };

pub const RECORD_TYPES: &[&RecordType] = &[&TICKET, &ARTICLE];

/// Columns that may hold null (see `Module::nullable`).
pub const NULLABLE: &[&str] = &[
    "tickets.deleted_at",
    "ticket_pauses.deleted_at",
    "service_settings.deleted_at",
    "articles.deleted_at",
    "ticket_articles.deleted_at",
    "ticket_comments.deleted_at",
];
