//! Customer records: companies and the people who work there.
//!
//! A customer is one row in `customers` plus its multi-valued parts (phones, emails, addresses,
//! tags), each a row of its own with its own id so that two devices adding a phone offline both
//! keep theirs after sync. The types here are what crosses IPC; `repo` reads and writes them,
//! `validate` decides what is acceptable, `index` answers search and list queries from memory.

pub mod activities;
pub mod api;
pub mod collate;
pub mod index;
mod lean;
pub mod merge;
pub mod repo;
pub mod segments;
pub mod snapshot;
pub mod transfer;
pub mod validate;

// The record features customers use from the shared area, by the paths they always had.
pub use crate::records::{attachments, fields};

/// Customers as a record type: the shared features (attachments, custom fields, saved views,
/// history, trash) name a customer as `(CUSTOMER, id)`.
pub use satchel_proto::tables::customers::CUSTOMER;

/// A customer, as the shared record features name records.
pub fn record(id: &CustomerId) -> crate::records::RecordRef {
    crate::records::RecordRef::new(&CUSTOMER, id.0.clone())
}

use crate::ids::{ContactPointId, CustomerId};
use serde::{Deserialize, Serialize};

/// The customers the in-memory index must refresh after these rows changed: a customer's own
/// row, and the customer a child row (phone, email, tag, activity, custom value, attachment)
/// belongs to, before and after a move. An activity counts through its customer, whose "last
/// activity" the list shows and segments filter on.
pub fn affected(touched: &std::collections::BTreeSet<crate::store::Touched>) -> Vec<String> {
    use crate::store::schema::{Scope, CUSTOMERS};
    let mut ids: Vec<String> = touched
        .iter()
        .filter_map(|t| match crate::store::schema::table(t.table)?.scope() {
            Scope::Root { .. } if t.table == CUSTOMERS.name => Some(t.id.clone()),
            Scope::Child { parent, .. } if parent == CUSTOMERS.name => t.parent.clone(),
            Scope::Record { .. } if t.kind == Some(CUSTOMER.name) => t.parent.clone(),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    Company,
    Person,
}

impl CustomerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerKind::Company => "company",
            CustomerKind::Person => "person",
        }
    }
    pub fn parse(s: &str) -> Self {
        if s == "company" {
            CustomerKind::Company
        } else {
            CustomerKind::Person
        }
    }
}

/// Lifecycle stages from the seed documents: 线索 → 初识 → 接触 → 赢得 → 保持 → 退化.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Lead,
    FirstTouch,
    Contacted,
    Won,
    Retained,
    Lapsing,
}

impl Stage {
    pub const ALL: [Stage; 6] = [Stage::Lead, Stage::FirstTouch, Stage::Contacted, Stage::Won, Stage::Retained, Stage::Lapsing];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Lead => "lead",
            Stage::FirstTouch => "first_touch",
            Stage::Contacted => "contacted",
            Stage::Won => "won",
            Stage::Retained => "retained",
            Stage::Lapsing => "lapsing",
        }
    }

    /// Unknown text (say, a stage added by a newer device) reads as a lead rather than failing.
    pub fn parse(s: &str) -> Self {
        Self::ALL.into_iter().find(|st| st.as_str() == s).unwrap_or(Stage::Lead)
    }
}

/// A labelled phone number or email address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ContactPoint {
    /// `null` for a new entry; the stored row's id otherwise.
    pub id: Option<ContactPointId>,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub id: Option<ContactPointId>,
    pub label: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

pub use crate::records::fields::CustomValue;

/// What a form submits to create or edit a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomerInput {
    pub kind: CustomerKind,
    pub name: String,
    pub company_id: Option<CustomerId>,
    pub owner: String,
    pub stage: Stage,
    pub source: String,
    /// A person's job title and department (a company leaves them empty); empty when a
    /// script's form leaves them out.
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub department: String,
    pub notes: String,
    /// `YYYY-MM-DD`.
    pub birthday: Option<String>,
    pub tags: Vec<String>,
    pub phones: Vec<ContactPoint>,
    pub emails: Vec<ContactPoint>,
    pub addresses: Vec<Address>,
    /// Custom field values; fields left out keep no value.
    #[serde(default)]
    pub custom: Vec<CustomValue>,
    /// Private: once synced, only its owner (and the team's managers) see it. `None` leaves it
    /// as it is (an import row knows nothing of it); a new record is shared with the team.
    #[serde(default)]
    pub private: Option<bool>,
}

/// A copy of a borrowed form, so that `Satchel::create_customer` takes either.
impl From<&CustomerInput> for CustomerInput {
    fn from(v: &CustomerInput) -> Self {
        v.clone()
    }
}

impl CustomerInput {
    pub fn named(kind: CustomerKind, name: &str) -> Self {
        Self {
            kind,
            name: name.into(),
            company_id: None,
            owner: String::new(),
            stage: Stage::Lead,
            source: String::new(),
            job_title: String::new(),
            department: String::new(),
            notes: String::new(),
            birthday: None,
            tags: vec![],
            phones: vec![],
            emails: vec![],
            addresses: vec![],
            custom: vec![],
            private: None,
        }
    }
}

/// A stored customer with everything the detail page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: CustomerId,
    pub kind: CustomerKind,
    pub name: String,
    pub company_id: Option<CustomerId>,
    pub company_name: Option<String>,
    /// The person's company is in the trash: the link stays (restoring the company brings it
    /// back), and the detail page shows the company as deleted.
    pub company_deleted: bool,
    pub owner: String,
    pub stage: Stage,
    pub source: String,
    pub job_title: String,
    pub department: String,
    pub notes: String,
    pub birthday: Option<String>,
    pub tags: Vec<String>,
    pub phones: Vec<ContactPoint>,
    pub emails: Vec<ContactPoint>,
    pub addresses: Vec<Address>,
    pub custom: Vec<CustomValue>,
    /// Seen only by its owner and the team's managers once synced.
    pub private: bool,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

impl Customer {
    pub fn to_input(&self) -> CustomerInput {
        CustomerInput {
            kind: self.kind,
            name: self.name.clone(),
            company_id: self.company_id.clone(),
            owner: self.owner.clone(),
            stage: self.stage,
            source: self.source.clone(),
            job_title: self.job_title.clone(),
            department: self.department.clone(),
            notes: self.notes.clone(),
            birthday: self.birthday.clone(),
            tags: self.tags.clone(),
            phones: self.phones.clone(),
            emails: self.emails.clone(),
            addresses: self.addresses.clone(),
            custom: self.custom.clone(),
            private: Some(self.private),
        }
    }
}

/// One line of the customer list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRow {
    pub id: CustomerId,
    pub kind: CustomerKind,
    pub name: String,
    pub company_name: Option<String>,
    pub stage: Stage,
    pub owner: String,
    pub job_title: String,
    pub department: String,
    pub tags: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    /// Custom field values, for the list's optional columns.
    pub custom: Vec<CustomValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Name,
    Company,
    Stage,
    Owner,
    Updated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    pub sort: SortKey,
    pub descending: bool,
    pub stage: Option<Stage>,
    pub tag: Option<String>,
    pub owner: Option<String>,
    pub kind: Option<CustomerKind>,
    /// Custom field filters, all of which must match: an equal value, or a multi choice holding
    /// the option key.
    #[serde(default)]
    pub custom: Vec<CustomValue>,
    /// Only records with no activity in this many days (never contacted included).
    #[serde(default)]
    pub inactive_days: Option<u32>,
    /// `true` lists the trash instead of live records.
    pub trash: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            sort: SortKey::Name,
            descending: false,
            stage: None,
            tag: None,
            owner: None,
            kind: None,
            custom: vec![],
            inactive_days: None,
            trash: false,
            offset: 0,
            limit: 100,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ListPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<CustomerRow>,
}

/// Which field a search result matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum MatchField {
    Name,
    Company,
    Email,
    Phone,
    Tag,
    /// The job title or the department.
    Job,
    Notes,
    Custom,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SearchHit {
    pub row: CustomerRow,
    pub matched: MatchField,
}

/// Why a record looks like the one being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    SameEmail,
    SamePhone,
    SimilarName,
}

/// An existing record that may be the same customer as the one in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DuplicateHint {
    pub row: CustomerRow,
    pub reason: DuplicateReason,
    /// The email, phone or name that matched.
    pub matched: String,
}

/// Two live records that look like the same customer, for the "find duplicates" view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DuplicatePair {
    pub a: CustomerRow,
    pub b: CustomerRow,
    pub reason: DuplicateReason,
    pub matched: String,
    /// Each side's own writing of the shared email or phone (`+86 138-0013-8000` and
    /// `13800138000`), whichever of its emails or phones that is; its name for a similar name.
    #[serde(rename = "aShared")]
    pub a_shared: String,
    #[serde(rename = "bShared")]
    pub b_shared: String,
}

/// Values the list filters offer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Facets {
    pub owners: Vec<String>,
    pub tags: Vec<String>,
}

pub use crate::records::history::HistoryEntry;
