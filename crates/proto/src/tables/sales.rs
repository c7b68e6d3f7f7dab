//! The sales module's tables: opportunities (deals) and their competitors, the product catalogue
//! with a price per currency, quotes (one row per version) and their lines, contracts and their
//! payment instalments, and the team's sales settings.
//!
//! Money is text, never a float: a decimal string with exactly the currency's minor units
//! (`1234.50` CNY, `1200` JPY); quantities and percentages are decimal strings too. Totals are
//! never stored: a quote's total is a function of its lines (see the core's `sales/totals.rs`).

use crate::records::{Part, RecordType};
use crate::schema::{Scope, TableDef};

/// A deal: a root record with its own owner and visibility, under a customer.
pub const OPPORTUNITIES: TableDef = TableDef {
    name: "opportunities",
    code: 40,
    columns: &[
        "title",
        "customer_id",
        "owner",
        "visibility",
        // A stage id of the team's pipeline (`sales_settings` key `stages`); `won` and `lost` end it.
        "stage",
        "amount",
        "currency",
        // Percent, 0-100; empty: the stage's default.
        "probability",
        "expected_close",
        "lost_reason",
        "closed_on",
        "notes",
        "deleted_at",
    ],
    entity_column: None,
    scope: Scope::Root { visibility: "visibility", owner: "owner" },
};

/// A competitor in a deal: rows of their own, so two laptops that each add one keep both.
pub const OPPORTUNITY_COMPETITORS: TableDef = TableDef {
    name: "opportunity_competitors",
    code: 41,
    columns: &["opportunity_id", "name", "deleted_at"],
    entity_column: Some("opportunity_id"),
    scope: Scope::Child { parent: "opportunities", column: "opportunity_id" },
};

/// A product or service of the team's catalogue.
pub const PRODUCTS: TableDef = TableDef {
    name: "products",
    code: 42,
    columns: &["code", "name_en", "name_zh", "unit", "tax_percent", "active", "notes", "deleted_at"],
    entity_column: None,
    scope: Scope::Team,
};

/// A product's price in one currency (id `"<product>.<CUR>"`: the same price set on two laptops
/// is one row, merged per column).
pub const PRODUCT_PRICES: TableDef = TableDef {
    name: "product_prices",
    code: 43,
    columns: &["product_id", "currency", "price", "deleted_at"],
    entity_column: Some("product_id"),
    scope: Scope::Child { parent: "products", column: "product_id" },
};

/// One version of a quote. A revision of a sent quote is a new row with the same number and the
/// next `version`; the old one stays readable (status `superseded`).
pub const QUOTES: TableDef = TableDef {
    name: "quotes",
    code: 44,
    columns: &[
        "number",
        "version",
        // The series of the laptop that made this version (see the core's `sales/numbers.rs`).
        "series",
        "revision_of",
        "customer_id",
        "contact_id",
        "opportunity_id",
        "owner",
        "visibility",
        "currency",
        "issued_on",
        "valid_until",
        "discount_percent",
        "notes",
        "terms",
        "status",
        "sent_on",
        "decided_on",
        "deleted_at",
    ],
    entity_column: None,
    scope: Scope::Root { visibility: "visibility", owner: "owner" },
};

/// A line of a quote: a product of the catalogue or free text.
pub const QUOTE_LINES: TableDef = TableDef {
    name: "quote_lines",
    code: 45,
    columns: &[
        "quote_id",
        "position",
        "product_id",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "discount_percent",
        "tax_percent",
        "deleted_at",
    ],
    entity_column: Some("quote_id"),
    scope: Scope::Child { parent: "quotes", column: "quote_id" },
};

pub const CONTRACTS: TableDef = TableDef {
    name: "contracts",
    code: 46,
    columns: &[
        "number",
        "title",
        "customer_id",
        "contact_id",
        "quote_id",
        "owner",
        "visibility",
        "value",
        "currency",
        "starts_on",
        "ends_on",
        "terms",
        "status",
        "signed_on",
        // Days before the end to remind of renewal, and the task that does.
        "notice_days",
        "renewal_task_id",
        "deleted_at",
    ],
    entity_column: None,
    scope: Scope::Root { visibility: "visibility", owner: "owner" },
};

/// One instalment of a contract's payment schedule; `task_id` is the calendar task that reminds
/// of it.
pub const CONTRACT_INSTALMENTS: TableDef = TableDef {
    name: "contract_instalments",
    code: 47,
    columns: &["contract_id", "position", "due_on", "amount", "label", "task_id", "paid_on", "deleted_at"],
    entity_column: Some("contract_id"),
    scope: Scope::Child { parent: "contracts", column: "contract_id" },
};

/// The team's sales settings, one row per key (`stages`, `lost_reasons`, `company`, `numbering`,
/// `rates`, ...), each value a JSON document: settings changed on two laptops merge per key.
pub const SALES_SETTINGS: TableDef =
    TableDef { name: "sales_settings", code: 48, columns: &["value", "deleted_at"], entity_column: None, scope: Scope::Team };

pub const TABLES: &[&TableDef] = &[
    &OPPORTUNITIES,
    &OPPORTUNITY_COMPETITORS,
    &PRODUCTS,
    &PRODUCT_PRICES,
    &QUOTES,
    &QUOTE_LINES,
    &CONTRACTS,
    &CONTRACT_INSTALMENTS,
    &SALES_SETTINGS,
];

pub const OPPORTUNITY: RecordType = RecordType {
    name: "opportunity",
    table: "opportunities",
    title: "title",
    parts: &[Part { table: "opportunity_competitors", field: "competitors" }],
};

pub const QUOTE: RecordType =
    RecordType { name: "quote", table: "quotes", title: "number", parts: &[Part { table: "quote_lines", field: "lines" }] };

pub const CONTRACT: RecordType = RecordType {
    name: "contract",
    table: "contracts",
    title: "number",
    parts: &[Part { table: "contract_instalments", field: "instalments" }],
};

pub const PRODUCT: RecordType =
    RecordType { name: "product", table: "products", title: "name_en", parts: &[Part { table: "product_prices", field: "prices" }] };

pub const RECORD_TYPES: &[&RecordType] = &[&OPPORTUNITY, &QUOTE, &CONTRACT, &PRODUCT];

/// Columns that may hold null (see `Module::nullable`).
pub const NULLABLE: &[&str] = &[
    "opportunities.deleted_at",
    "opportunity_competitors.deleted_at",
    "products.deleted_at",
    "product_prices.deleted_at",
    "quotes.deleted_at",
    "quote_lines.deleted_at",
    "contracts.deleted_at",
    "contract_instalments.deleted_at",
    "sales_settings.deleted_at",
];
