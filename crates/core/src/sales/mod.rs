//! The sales module: opportunities (deals) in a pipeline, the product catalogue, quotes with
//! exact money, contracts made from quotes, and the numbers people say on the phone. Reached as
//! `satchel.sales()` (`api.rs`).
//!
//! - `money.rs`: currencies, parsing and printing amounts exactly (pure).
//! - `totals.rs`: a quote's totals from its lines, the one rounding rule (pure).
//! - `numbers.rs`: quote and contract numbers, unique across laptops (pure format + the next one).
//! - `settings.rs`: the team's pipeline stages, lost reasons, company details, numbering, rates.
//! - `products.rs`, `quotes.rs`, `contracts.rs`, `opportunities.rs`: each kind's form checks,
//!   reads and writes through the store's one write door.
//! - `lines.rs`: quote lines pasted from a spreadsheet or read from a CSV file.
//! - `forecast.rs`: the kanban and the weighted forecast (pure over loaded deals).

pub mod api;
pub mod contracts;
pub mod demo;
pub mod forecast;
pub mod lines;
pub mod money;
pub mod numbers;
pub mod opportunities;
pub mod products;
pub mod quotes;
pub mod search;
pub mod settings;
pub mod totals;

pub use crate::ids::{ContractId, CustomerId, InstalmentId, OpportunityId, ProductId, QuoteId, QuoteLineId};
pub use crate::records::fields::CustomValue;
use serde::{Deserialize, Serialize};

word_enum!(
    /// Where a quote is. `Expired` is never stored: a sent quote past its validity date reads as
    /// expired. `Superseded`: a newer version was made from it.
    QuoteStatus { Draft = "draft", Sent = "sent", Accepted = "accepted", Rejected = "rejected", Expired = "expired", Superseded = "superseded" } default Draft
);

word_enum!(
    ContractStatus { Draft = "draft", Active = "active", Ended = "ended", Cancelled = "cancelled" } default Draft
);

/// A price of a product in one currency, as typed (`"1299.00"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Price {
    pub currency: String,
    pub price: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductInput {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub unit: String,
    /// Percent, `13` or `6.5`.
    pub tax_percent: String,
    pub active: bool,
    pub notes: String,
    pub prices: Vec<Price>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: ProductId,
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub unit: String,
    pub tax_percent: String,
    pub active: bool,
    pub notes: String,
    /// Exactly the currency's minor units (`1299.00`), by currency code.
    pub prices: Vec<Price>,
}

/// A line of the quote form: a catalogue product or free text. Numbers are strings as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuoteLineInput {
    pub product_id: Option<ProductId>,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount_percent: String,
    pub tax_percent: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuoteInput {
    pub customer_id: Option<CustomerId>,
    /// The customer's person the quote is addressed to.
    pub contact_id: Option<CustomerId>,
    pub opportunity_id: Option<OpportunityId>,
    /// ISO 4217 (`CNY`); empty: the team's home currency.
    pub currency: String,
    /// `YYYY-MM-DD`; empty: today.
    pub issued_on: String,
    /// `YYYY-MM-DD`; empty: the team's default validity after `issued_on`.
    pub valid_until: String,
    pub discount_percent: String,
    pub notes: String,
    pub terms: String,
    pub lines: Vec<QuoteLineInput>,
    /// Whose quote it is; empty: the user's own.
    pub owner: String,
    /// `team` or `private`; empty: `team`.
    pub visibility: String,
    /// Values of the team's custom fields for this record type (Settings -> Custom fields).
    #[serde(default)]
    pub custom: Vec<CustomValue>,
}

/// A line as shown and printed: the stored values and what it adds up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuoteLine {
    pub id: QuoteLineId,
    pub product_id: Option<ProductId>,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount_percent: String,
    pub tax_percent: String,
    /// After the line's discount, before tax (the line total printed).
    pub net: String,
    pub tax: String,
}

/// One tax rate's share of the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TaxLine {
    pub percent: String,
    pub tax: String,
}

/// Another version of the same quote number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuoteVersion {
    pub id: QuoteId,
    pub version: u32,
    /// As printed: `2`, or `2-B` for a version another laptop's series made (see `numbers.rs`).
    pub label: String,
    pub status: QuoteStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    pub id: QuoteId,
    pub number: String,
    pub version: u32,
    /// As printed (see [`QuoteVersion::label`]).
    pub version_label: String,
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub contact_id: Option<CustomerId>,
    pub contact_name: String,
    pub opportunity_id: Option<OpportunityId>,
    pub owner: String,
    pub visibility: String,
    pub currency: String,
    pub issued_on: String,
    pub valid_until: String,
    pub discount_percent: String,
    pub notes: String,
    pub terms: String,
    /// As it reads today (a sent quote past its validity reads `expired`).
    pub status: QuoteStatus,
    pub sent_on: String,
    pub decided_on: String,
    pub lines: Vec<QuoteLine>,
    /// Decimal strings with the currency's minor units (`totals.rs` says how they are made).
    pub subtotal: String,
    pub discount: String,
    pub tax: String,
    pub total: String,
    pub taxes: Vec<TaxLine>,
    /// Every version of this number, oldest first (this one among them).
    pub versions: Vec<QuoteVersion>,
    /// Values of the team's custom fields for this record type.
    pub custom: Vec<CustomValue>,
}

/// A quote in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuoteSummary {
    pub id: QuoteId,
    pub number: String,
    pub version: u32,
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub opportunity_id: Option<OpportunityId>,
    pub currency: String,
    pub issued_on: String,
    pub valid_until: String,
    pub status: QuoteStatus,
    pub total: String,
}

/// One instalment of a payment schedule, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InstalmentInput {
    pub label: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Instalment {
    pub id: InstalmentId,
    pub label: String,
    pub due_on: String,
    pub amount: String,
    pub paid_on: String,
    /// The calendar task that reminds of it.
    pub task_id: Option<crate::ids::TaskId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ContractInput {
    pub title: String,
    pub customer_id: Option<CustomerId>,
    pub contact_id: Option<CustomerId>,
    pub quote_id: Option<QuoteId>,
    pub value: String,
    pub currency: String,
    pub starts_on: String,
    pub ends_on: String,
    pub terms: String,
    pub status: Option<ContractStatus>,
    pub signed_on: String,
    /// Days before the end to remind of renewal.
    pub notice_days: u32,
    pub instalments: Vec<InstalmentInput>,
    pub owner: String,
    pub visibility: String,
    /// Values of the team's custom fields for this record type (Settings -> Custom fields).
    #[serde(default)]
    pub custom: Vec<CustomValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    pub id: ContractId,
    pub number: String,
    pub title: String,
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub contact_id: Option<CustomerId>,
    pub contact_name: String,
    pub quote_id: Option<QuoteId>,
    pub quote_number: String,
    pub owner: String,
    pub visibility: String,
    pub value: String,
    pub currency: String,
    pub starts_on: String,
    pub ends_on: String,
    pub terms: String,
    pub status: ContractStatus,
    pub signed_on: String,
    pub notice_days: u32,
    pub instalments: Vec<Instalment>,
    /// Values of the team's custom fields for this record type.
    pub custom: Vec<CustomValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ContractSummary {
    pub id: ContractId,
    pub number: String,
    pub title: String,
    pub customer_name: String,
    pub value: String,
    pub currency: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: ContractStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OpportunityInput {
    pub title: String,
    pub customer_id: Option<CustomerId>,
    /// A stage id of the pipeline; empty: the first stage.
    pub stage: String,
    pub amount: String,
    pub currency: String,
    /// Percent; empty: the stage's default.
    pub probability: String,
    /// `YYYY-MM-DD`.
    pub expected_close: String,
    /// Required when the stage is `lost`: one of the team's reasons.
    pub lost_reason: String,
    pub competitors: Vec<String>,
    pub notes: String,
    pub owner: String,
    pub visibility: String,
    /// Values of the team's custom fields for this record type (Settings -> Custom fields).
    #[serde(default)]
    pub custom: Vec<CustomValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Opportunity {
    pub id: OpportunityId,
    pub title: String,
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub owner: String,
    pub visibility: String,
    pub stage: String,
    pub amount: String,
    pub currency: String,
    /// As stored: empty when it follows the stage.
    pub probability: String,
    /// What the forecast weighs it by: its own, or its stage's.
    pub effective_probability: u32,
    pub expected_close: String,
    pub lost_reason: String,
    pub closed_on: String,
    pub competitors: Vec<String>,
    pub notes: String,
    /// Values of the team's custom fields for this record type.
    pub custom: Vec<CustomValue>,
}
