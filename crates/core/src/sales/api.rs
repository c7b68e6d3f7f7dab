//! The sales module's API, reached as `satchel.sales()`: settings, the catalogue, quotes,
//! contracts and opportunities. It keeps no in-memory state yet: the board and the forecast read
//! the deals from SQLite on each call (docs/benchmarks.md has the figures at 10,000 deals).

use super::forecast::{self, BoardColumn, Forecast};
use super::opportunities::DealFilter;
use super::products::ProductImport;
use super::settings::SalesSettings;
use super::*;
use crate::customers::{CustomerInput, CustomerKind, Stage as CustomerStage};
use crate::error::{CoreError, Invalid, Result};
use crate::records::import::RowError;
use crate::store::{Store, Touched};
use crate::Satchel;
use chrono::{Datelike, NaiveDate, Utc};
use forecast::Deal;
use satchel_proto::tables::sales::{CONTRACT, OPPORTUNITY, QUOTE};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The sales migrations, numbered in the store's one sequence.
pub const MIGRATIONS: &[crate::store::Migration] =
    &[crate::store::Migration { number: 16, sql: include_str!("migrations/0016_sales.sql") }];

/// The module's in-memory state: every live deal as the board and the forecast read it, loaded on
/// the first read and patched deal by deal as writes and syncs touch them (a board over 10,000
/// deals read from SQLite each time took 11 ms; from memory about 1: docs/benchmarks.md).
#[derive(Default)]
pub struct State {
    deals: Mutex<Option<HashMap<String, Deal>>>,
}

impl State {
    fn deals(&self) -> MutexGuard<'_, Option<HashMap<String, Deal>>> {
        self.deals.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl crate::modules::ModuleState for State {
    /// Nothing at open: the deals load on the first sales page.
    fn load(&self, _store: &Store) -> Result<()> {
        Ok(())
    }

    fn changed(&self, app: &Satchel, touched: &BTreeSet<Touched>) -> Result<()> {
        let mut cache = self.deals();
        let Some(deals) = cache.as_mut() else { return Ok(()) };
        // A stage's default probability is resolved at load: settings changed, load again.
        if touched.iter().any(|t| t.table == "sales_settings") {
            *cache = None;
            return Ok(());
        }
        let ids: Vec<String> = touched.iter().filter(|t| t.table == "opportunities").map(|t| t.id.clone()).collect();
        // A renamed customer: its deals show the new name.
        let customers: Vec<String> = touched.iter().filter(|t| t.table == "customers").map(|t| t.id.clone()).collect();
        if ids.is_empty() && customers.is_empty() {
            return Ok(());
        }
        let s = settings::read(app.store())?;
        for chunk in ids.chunks(500) {
            for id in chunk {
                deals.remove(id);
            }
            for d in app.store().read(|c| opportunities::load_deals(c, &s, Some(chunk), None))? {
                deals.insert(d.id.clone(), d);
            }
        }
        for chunk in customers.chunks(500) {
            for d in app.store().read(|c| opportunities::load_deals(c, &s, None, Some(chunk)))? {
                deals.insert(d.id.clone(), d);
            }
        }
        Ok(())
    }

    fn reload(&self, _app: &Satchel) -> Result<()> {
        *self.deals() = None;
        Ok(())
    }
}

impl Satchel {
    /// Opportunities, products, quotes, contracts: see [`Sales`].
    pub fn sales(&self) -> Sales<'_> {
        Sales { app: self, state: &self.modules.sales }
    }
}

/// A lead made into a company, its person and a deal, in one step.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LeadConversion {
    pub lead_id: CustomerId,
    /// A lead who is a person with no company: the company made for them (empty: none made).
    pub company_name: String,
    /// A lead that is a company: its contact person made under it (empty: none made).
    pub person_name: String,
    pub opportunity: OpportunityInput,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Converted {
    pub company_id: Option<CustomerId>,
    pub person_id: Option<CustomerId>,
    pub opportunity: Opportunity,
}

/// Quote lines read from a file or a paste: the lines, or every bad row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReadLines {
    pub lines: Vec<QuoteLineInput>,
    pub errors: Vec<RowError>,
}

/// A saved view of the deals' list: a name and its filter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DealView {
    pub id: crate::ids::SegmentId,
    pub name: String,
    pub filter: DealFilter,
}

/// What a quote form adds up to before it is saved, by the same rule as a saved quote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuoteTotals {
    pub currency: String,
    /// Each line's net (after its discount) and tax, in the form's order.
    pub lines: Vec<LineTotal>,
    pub subtotal: String,
    pub discount: String,
    pub tax: String,
    pub total: String,
    pub taxes: Vec<TaxLine>,
}

/// One hit of the global search among deals, quotes and contracts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SalesHit {
    /// `deal`, `quote` or `contract`.
    pub kind: String,
    pub id: String,
    /// The deal's title, or the document's number.
    pub title: String,
    /// The customer's name (and a document's total or value).
    pub subtitle: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LineTotal {
    pub net: String,
    pub tax: String,
}

pub struct Sales<'a> {
    pub(crate) app: &'a Satchel,
    pub(crate) state: &'a State,
}

impl Sales<'_> {
    fn store(&self) -> &Store {
        self.app.store()
    }

    fn me(&self) -> String {
        self.store().profile().author.clone()
    }

    /// Today in the laptop's zone (a quote's dates are calendar days where it is made).
    pub fn today(&self) -> NaiveDate {
        Utc::now().with_timezone(&crate::calendar::when::system_zone()).date_naive()
    }

    // ---- settings ----

    pub fn settings(&self) -> Result<SalesSettings> {
        settings::read(self.store())
    }

    pub fn save_settings(&self, s: &SalesSettings) -> Result<SalesSettings> {
        let saved = settings::save(self.store(), s)?;
        self.app.settle()?;
        Ok(saved)
    }

    /// Sets the letterhead's logo from an image file's bytes (empty: no logo).
    pub fn set_logo(&self, bytes: &[u8]) -> Result<SalesSettings> {
        let mut s = self.settings()?;
        s.company.logo = settings::logo_from_bytes(bytes)?;
        self.save_settings(&s)
    }

    /// This laptop's number series (`""` until it joins a team; see `numbers.rs`).
    pub fn series(&self) -> Result<String> {
        Ok(self.store().meta(numbers::SERIES_META)?.unwrap_or_default())
    }

    /// Keeps the series the sync server handed this book (the first one it was given).
    pub fn take_series(&self, code: &str) -> Result<()> {
        let code = code.trim().to_ascii_uppercase();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_uppercase()) || code.len() > 6 {
            return Err(CoreError::invalid("series", Invalid::OneOf { value: code, allowed: "A-Z".into() }));
        }
        if self.series()?.is_empty() {
            self.store().set_meta(&[(numbers::SERIES_META, Some(code))])?;
        }
        Ok(())
    }

    fn stem(&self, s: &SalesSettings, prefix: &str, on: NaiveDate) -> Result<String> {
        let year = if s.numbering.year { Some(on.year()) } else { None };
        Ok(numbers::stem(prefix, year, &self.series()?))
    }

    // ---- products ----

    pub fn create_product(&self, input: &ProductInput) -> Result<Product> {
        let c = products::clean(input)?;
        let id = self.store().write(|w| products::insert_in(w, &c))?;
        self.app.settle()?;
        self.get_product(&id)
    }

    pub fn update_product(&self, id: &ProductId, input: &ProductInput) -> Result<Product> {
        let c = products::clean(input)?;
        self.store().write(|w| products::update_in(w, &id.checked()?, &c))?;
        self.app.settle()?;
        self.get_product(id)
    }

    pub fn delete_product(&self, id: &ProductId) -> Result<()> {
        products::delete(self.store(), &id.checked()?)?;
        self.app.settle()
    }

    pub fn get_product(&self, id: &ProductId) -> Result<Product> {
        self.store().read(|c| products::get_in(c, &id.checked()?))
    }

    pub fn products(&self, query: &str, include_inactive: bool) -> Result<Vec<Product>> {
        self.store().read(|c| products::list_in(c, query, include_inactive))
    }

    pub fn import_products(&self, bytes: &[u8]) -> Result<ProductImport> {
        let r = products::import_csv(self.store(), bytes, self.app.locale())?;
        self.app.settle()?;
        Ok(r)
    }

    pub fn export_products(&self) -> Result<String> {
        self.store().read(products::export_csv)
    }

    // ---- quotes ----

    /// Lines from pasted cells or a CSV file's text, checked against `currency`.
    pub fn read_lines(&self, text: &str, currency: &str) -> Result<ReadLines> {
        let cur = if currency.trim().is_empty() {
            self.settings()?.home()
        } else {
            money::Currency::parse(currency).map_err(|e| CoreError::invalid("currency", e))?
        };
        Ok(match lines::parse(text, cur, self.app.locale())? {
            Ok(lines) => ReadLines { lines, errors: Vec::new() },
            Err(errors) => ReadLines { lines: Vec::new(), errors },
        })
    }

    /// Lines from a CSV file's bytes (UTF-8 or GBK).
    pub fn read_lines_file(&self, bytes: &[u8], currency: &str) -> Result<ReadLines> {
        let text = lines::file_text(bytes)?;
        self.read_lines(&text, currency)
    }

    /// A new draft with the next number of this laptop's series.
    pub fn create_quote(&self, input: &QuoteInput) -> Result<Quote> {
        let s = self.settings()?;
        let c = quotes::clean(input, &s, &self.me(), self.today())?;
        let stem = self.stem(&s, &s.numbering.quote_prefix, c.issued_on)?;
        let series = self.series()?;
        let id = self.store().write(|w| {
            let number = numbers::next(w.conn(), "quotes", &stem, s.numbering.width)?;
            let id = quotes::insert_in(w, &c, &number, 1, &series, None)?;
            custom(w, &QUOTE, id.as_str(), &input.custom, true)?;
            Ok(id)
        })?;
        self.app.settle()?;
        self.get_quote(&id)
    }

    /// A form's totals as typed (its problems refused as a save would refuse them): the window
    /// shows these while editing, so it never adds money up itself.
    pub fn preview_quote(&self, input: &QuoteInput) -> Result<QuoteTotals> {
        let s = self.settings()?;
        let mut input = input.clone();
        // Totals need lines, not a customer: a half-filled form still shows what it adds up to.
        if input.customer_id.is_none() {
            input.customer_id = Some(CustomerId(String::new()));
        }
        let c = quotes::clean(&input, &s, &self.me(), self.today())?;
        let ins: Vec<totals::LineIn> = c
            .lines
            .iter()
            .map(|l| totals::LineIn {
                quantity: l.quantity,
                unit_price: l.unit_price,
                discount_percent: l.discount_percent,
                tax_percent: l.tax_percent,
            })
            .collect();
        let t = totals::compute(&ins, c.discount_percent, c.currency.minor_units());
        let f = |d| money::fixed(d, c.currency);
        Ok(QuoteTotals {
            currency: c.currency.code().to_string(),
            lines: t.lines.iter().map(|l| LineTotal { net: f(l.net), tax: f(l.tax) }).collect(),
            subtotal: f(t.subtotal),
            discount: f(t.discount),
            tax: f(t.tax),
            total: f(t.total),
            taxes: t
                .bands
                .iter()
                .filter(|b| !b.tax.is_zero())
                .map(|b| TaxLine { percent: money::plain(b.percent), tax: f(b.tax) })
                .collect(),
        })
    }

    pub fn update_quote(&self, id: &QuoteId, input: &QuoteInput) -> Result<Quote> {
        let s = self.settings()?;
        let c = quotes::clean(input, &s, &self.me(), self.today())?;
        self.store().write(|w| {
            let id = id.checked()?;
            quotes::update_in(w, &id, &c)?;
            custom(w, &QUOTE, id.as_str(), &input.custom, false)
        })?;
        self.app.settle()?;
        self.get_quote(id)
    }

    pub fn get_quote(&self, id: &QuoteId) -> Result<Quote> {
        let today = self.today();
        self.store().read(|c| quotes::get_in(c, &id.checked()?, today))
    }

    /// The newest version of a quote by its number.
    pub fn quote_by_number(&self, number: &str) -> Result<Quote> {
        let id = self.store().read(|c| quotes::by_number(c, number))?;
        self.get_quote(&id)
    }

    pub fn quotes(&self, customer: Option<&CustomerId>, limit: u32) -> Result<Vec<QuoteSummary>> {
        let today = self.today();
        self.store().read(|c| quotes::list_in(c, customer, today, limit.clamp(1, 10_000)))
    }

    /// Marks a draft sent and adds a task reminding its owner before it expires.
    pub fn send_quote(&self, id: &QuoteId) -> Result<Quote> {
        let id = id.checked()?;
        let (today, s, l) = (self.today(), self.settings()?, self.app.locale());
        let q = self.get_quote(&id)?;
        self.store().write(|w| {
            quotes::set_status_in(w, &id, QuoteStatus::Sent, today)?;
            let until = NaiveDate::parse_from_str(&q.valid_until, "%Y-%m-%d").unwrap_or(today);
            let due = (until - chrono::Duration::days(i64::from(s.expiry_notice_days))).max(today);
            let input = crate::calendar::TaskInput {
                title: l.text("sales.expiryTask", &[("number", &q.number), ("until", &q.valid_until)]),
                due_date: due.format("%Y-%m-%d").to_string(),
                tz: crate::calendar::when::system_zone().name().to_string(),
                reminders: vec![0],
                customer_id: q.customer_id.clone(),
                opportunity_id: q.opportunity_id.clone(),
                owner: q.owner.clone(),
                visibility: q.visibility.clone(),
                ..Default::default()
            };
            let task = crate::calendar::validate::task(&input, &q.owner, Utc::now())?;
            crate::calendar::repo::insert_task(w, &task, Utc::now()).map(|_| ())
        })?;
        self.app.settle()?;
        self.get_quote(&id)
    }

    pub fn accept_quote(&self, id: &QuoteId) -> Result<Quote> {
        self.decide(id, QuoteStatus::Accepted)
    }

    pub fn reject_quote(&self, id: &QuoteId) -> Result<Quote> {
        self.decide(id, QuoteStatus::Rejected)
    }

    fn decide(&self, id: &QuoteId, to: QuoteStatus) -> Result<Quote> {
        let id = id.checked()?;
        let today = self.today();
        self.store().write(|w| quotes::set_status_in(w, &id, to, today))?;
        self.app.settle()?;
        self.get_quote(&id)
    }

    /// A new draft version of a quote that went out (sent, expired or rejected); the old one is
    /// kept, superseded. A draft is edited instead, and an accepted quote is not revised.
    pub fn revise_quote(&self, id: &QuoteId) -> Result<Quote> {
        let id = id.checked()?;
        let old = self.get_quote(&id)?;
        if !matches!(old.status, QuoteStatus::Sent | QuoteStatus::Expired | QuoteStatus::Rejected) {
            return Err(CoreError::invalid("status", Invalid::Locked { status: old.status.as_str().into() }));
        }
        let s = self.settings()?;
        let mut input = quotes::input_of(&old);
        let today = self.today();
        // A revision is issued today and valid for the usual time again.
        input.issued_on = today.format("%Y-%m-%d").to_string();
        input.valid_until = String::new();
        let c = quotes::clean(&input, &s, &self.me(), today)?;
        let version = old.versions.iter().map(|v| v.version).max().unwrap_or(old.version) + 1;
        let series = self.series()?;
        let new = self.store().write(|w| {
            let new = quotes::insert_in(w, &c, &old.number, version, &series, Some(&id))?;
            custom(w, &QUOTE, new.as_str(), &input.custom, true)?;
            w.update(
                &satchel_proto::tables::sales::QUOTES,
                id.as_str(),
                &[("status", rusqlite::types::Value::Text(QuoteStatus::Superseded.as_str().into()))],
            )?;
            Ok(new)
        })?;
        self.app.settle()?;
        self.get_quote(&new)
    }

    pub fn delete_quote(&self, id: &QuoteId) -> Result<()> {
        self.store().write(|w| quotes::delete_in(w, &id.checked()?))?;
        self.app.settle()
    }

    // ---- contracts ----

    /// The contract form a quote fills (see [`contracts::from_quote`]); nothing is saved.
    pub fn contract_draft(&self, quote: &QuoteId) -> Result<ContractInput> {
        let q = self.get_quote(quote)?;
        Ok(contracts::from_quote(&q, &self.settings()?.contract_terms, self.today(), self.app.locale()))
    }

    /// A quote made into a contract in one step, with the defaults of [`Self::contract_draft`].
    /// A contract means the customer agreed: a draft or sent quote is marked accepted (a draft
    /// sent first, today) in the same write. A superseded, rejected or expired quote is refused:
    /// the agreed version is the one to use, or a revision of it.
    pub fn contract_from_quote(&self, quote: &QuoteId) -> Result<Contract> {
        let q = self.get_quote(quote)?;
        if !matches!(q.status, QuoteStatus::Draft | QuoteStatus::Sent | QuoteStatus::Accepted) {
            return Err(CoreError::invalid("status", Invalid::Locked { status: q.status.as_str().into() }));
        }
        let input = self.contract_draft(quote)?;
        self.create_contract_with(&input, Some(&q.id))
    }

    pub fn create_contract(&self, input: &ContractInput) -> Result<Contract> {
        self.create_contract_with(input, None)
    }

    fn create_contract_with(&self, input: &ContractInput, accept: Option<&QuoteId>) -> Result<Contract> {
        let s = self.settings()?;
        let c = contracts::clean(input, &self.me())?;
        let stem = self.stem(&s, &s.numbering.contract_prefix, c.starts_on)?;
        let (l, today) = (self.app.locale(), self.today());
        let id = self.store().write(|w| {
            if let Some(q) = accept {
                quotes::accept_for_contract_in(w, q, today)?;
            }
            let number = numbers::next(w.conn(), "contracts", &stem, s.numbering.width)?;
            let id = contracts::insert_in(w, &c, &number, l, Utc::now())?;
            custom(w, &CONTRACT, id.as_str(), &input.custom, true)?;
            Ok(id)
        })?;
        self.app.settle()?;
        self.get_contract(&id)
    }

    /// Saves an edited contract: its terms, dates and value, and its payment schedule (each
    /// instalment's task follows it; the renewal reminder follows the end date).
    pub fn update_contract(&self, id: &ContractId, input: &ContractInput) -> Result<Contract> {
        let c = contracts::clean(input, &self.me())?;
        let l = self.app.locale();
        self.store().write(|w| {
            let id = id.checked()?;
            contracts::update_in(w, &id, &c, l, Utc::now())?;
            custom(w, &CONTRACT, id.as_str(), &input.custom, false)
        })?;
        self.app.settle()?;
        self.get_contract(id)
    }

    /// Marks an instalment paid today (or not paid); its reminder is done with it.
    pub fn set_instalment_paid(&self, id: &InstalmentId, paid: bool) -> Result<Contract> {
        let today = self.today();
        let contract = self.store().write(|w| contracts::set_paid_in(w, &id.checked()?, paid.then_some(today), Utc::now()))?;
        self.app.settle()?;
        self.get_contract(&contract)
    }

    pub fn set_contract_status(&self, id: &ContractId, status: ContractStatus) -> Result<Contract> {
        let today = self.today();
        let signed = (status == ContractStatus::Active).then_some(today);
        self.store().write(|w| contracts::set_status_in(w, &id.checked()?, status, signed))?;
        self.app.settle()?;
        self.get_contract(id)
    }

    pub fn delete_contract(&self, id: &ContractId) -> Result<()> {
        self.store().write(|w| contracts::delete_in(w, &id.checked()?))?;
        self.app.settle()
    }

    pub fn get_contract(&self, id: &ContractId) -> Result<Contract> {
        self.store().read(|c| contracts::get_in(c, &id.checked()?))
    }

    pub fn contract_by_number(&self, number: &str) -> Result<Contract> {
        let id = self.store().read(|c| contracts::by_number(c, number))?;
        self.get_contract(&id)
    }

    pub fn contracts(&self, customer: Option<&CustomerId>, limit: u32) -> Result<Vec<ContractSummary>> {
        self.store().read(|c| contracts::list_in(c, customer, limit.clamp(1, 10_000)))
    }

    // ---- opportunities ----

    pub fn create_opportunity(&self, input: &OpportunityInput) -> Result<Opportunity> {
        let s = self.settings()?;
        let c = opportunities::clean(input, &s, &self.me())?;
        let today = self.today();
        let id = self.store().write(|w| {
            let id = opportunities::insert_in(w, &c, today)?;
            custom(w, &OPPORTUNITY, id.as_str(), &input.custom, true)?;
            Ok(id)
        })?;
        self.app.settle()?;
        self.get_opportunity(&id)
    }

    pub fn update_opportunity(&self, id: &OpportunityId, input: &OpportunityInput) -> Result<Opportunity> {
        let s = self.settings()?;
        let c = opportunities::clean(input, &s, &self.me())?;
        let today = self.today();
        self.store().write(|w| {
            let id = id.checked()?;
            opportunities::update_in(w, &id, &c, today)?;
            custom(w, &OPPORTUNITY, id.as_str(), &input.custom, false)
        })?;
        self.app.settle()?;
        self.get_opportunity(id)
    }

    /// A drag on the board to `stage` (`lost` needs a reason).
    pub fn move_opportunity(&self, id: &OpportunityId, stage: &str, lost_reason: &str) -> Result<Opportunity> {
        let s = self.settings()?;
        let today = self.today();
        self.store().write(|w| opportunities::move_in(w, &id.checked()?, &s, stage, lost_reason, today))?;
        self.app.settle()?;
        self.get_opportunity(id)
    }

    pub fn delete_opportunity(&self, id: &OpportunityId) -> Result<()> {
        self.store().write(|w| opportunities::delete_in(w, &id.checked()?))?;
        self.app.settle()
    }

    pub fn get_opportunity(&self, id: &OpportunityId) -> Result<Opportunity> {
        let s = self.settings()?;
        self.store().read(|c| opportunities::get_in(c, &s, &id.checked()?))
    }

    /// The board: a column per stage with its count, sums per currency and first `per_column`
    /// deals.
    /// The live deals matching `filter`, from the module's cache (loaded on first use).
    fn matching(&self, s: &SalesSettings, filter: &DealFilter) -> Result<Vec<Deal>> {
        let mut cache = self.state.deals();
        if cache.is_none() {
            let all = self.store().read(|c| opportunities::load_deals(c, s, None, None))?;
            *cache = Some(all.into_iter().map(|d| (d.id.clone(), d)).collect());
        }
        let q = filter.query.trim().to_lowercase();
        Ok(cache.as_ref().map(|m| m.values().filter(|d| opportunities::matches(d, filter, &q)).cloned().collect()).unwrap_or_default())
    }

    pub fn board(&self, filter: &DealFilter, per_column: u32) -> Result<Vec<BoardColumn>> {
        let s = self.settings()?;
        let deals = self.matching(&s, filter)?;
        Ok(forecast::kanban(&deals, &s.stages, per_column.clamp(1, 1000) as usize))
    }

    /// The deals of a list view, soonest close first.
    pub fn deals(&self, filter: &DealFilter, limit: u32) -> Result<Vec<forecast::DealCard>> {
        let s = self.settings()?;
        let mut deals = self.matching(&s, filter)?;
        deals.sort_by(|a, b| {
            (a.expected_close.is_empty(), &a.expected_close, &a.title, &a.id).cmp(&(
                b.expected_close.is_empty(),
                &b.expected_close,
                &b.title,
                &b.id,
            ))
        });
        Ok(deals.iter().take(limit as usize).map(forecast::card).collect())
    }

    /// Deals by title or customer, quotes and contracts by number, title or customer (any case,
    /// any part): what the global search shows under "Sales", deals first.
    pub fn search(&self, text: &str, limit: u32) -> Result<Vec<SalesHit>> {
        let q = text.trim().to_lowercase();
        let limit = limit.clamp(1, 200) as usize;
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let s = self.settings()?;
        let mut deals = self.matching(&s, &DealFilter { query: q.clone(), ..Default::default() })?;
        deals.sort_by(|a, b| (&a.title, &a.id).cmp(&(&b.title, &b.id)));
        let mut out: Vec<SalesHit> = deals
            .into_iter()
            .take(limit)
            .map(|d| SalesHit { kind: "deal".into(), id: d.id, title: d.title, subtitle: d.customer_name })
            .collect();
        let like = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let rest = limit.saturating_sub(out.len()) as i64;
        let docs = self.store().read(|c| {
            let mut st = c.prepare_cached(
                "SELECT 'quote', q.id, q.number, coalesce(cu.name, '') FROM quotes q LEFT JOIN customers cu ON cu.id = q.customer_id
                 WHERE q.deleted_at IS NULL AND (lower(q.number) LIKE ?1 ESCAPE '\\' OR lower(coalesce(cu.name, '')) LIKE ?1 ESCAPE '\\')
                   AND NOT EXISTS (SELECT 1 FROM quotes n WHERE n.number = q.number AND n.deleted_at IS NULL
                                   AND (n.version > q.version OR (n.version = q.version AND n.id > q.id)))
                 UNION ALL
                 SELECT 'contract', k.id, k.number, coalesce(cu.name, '') FROM contracts k LEFT JOIN customers cu ON cu.id = k.customer_id
                 WHERE k.deleted_at IS NULL AND (lower(k.number) LIKE ?1 ESCAPE '\\' OR lower(k.title) LIKE ?1 ESCAPE '\\'
                                                 OR lower(coalesce(cu.name, '')) LIKE ?1 ESCAPE '\\')
                 ORDER BY 3 DESC LIMIT ?2",
            )?;
            let rows = st.query_map(rusqlite::params![like, rest], |r| {
                Ok(SalesHit { kind: r.get(0)?, id: r.get(1)?, title: r.get(2)?, subtitle: r.get(3)? })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })?;
        out.extend(docs);
        Ok(out)
    }

    /// The saved views of the deals' list, in their order.
    pub fn deal_views(&self) -> Result<Vec<DealView>> {
        let views = crate::records::views::list(self.store(), &satchel_proto::tables::sales::OPPORTUNITY)?;
        Ok(views
            .into_iter()
            .map(|v| DealView { filter: serde_json::from_str(&v.filter).unwrap_or_default(), id: v.id, name: v.name })
            .collect())
    }

    pub fn save_deal_view(&self, name: &str, filter: &DealFilter) -> Result<DealView> {
        let text = serde_json::to_string(filter).map_err(|e| CoreError::Internal(e.to_string()))?;
        let id = crate::records::views::create(self.store(), &satchel_proto::tables::sales::OPPORTUNITY, name, text)?;
        self.app.settle()?;
        self.deal_views()?.into_iter().find(|v| v.id == id).ok_or_else(|| CoreError::NotFound { what: "view", id: id.to_string() })
    }

    pub fn delete_deal_view(&self, id: &crate::ids::SegmentId) -> Result<()> {
        crate::records::views::delete(self.store(), id)?;
        self.app.settle()
    }

    pub fn forecast(&self, filter: &DealFilter) -> Result<Forecast> {
        let s = self.settings()?;
        let deals = self.matching(&s, filter)?;
        Ok(forecast::forecast(&deals, s.home(), &s.rates))
    }

    /// A lead made into a company, a person and a deal in one write: a person with no company
    /// gets one named `company_name`; a company gets its contact person `person_name`; the lead
    /// moves from `lead` to `contacted`; the deal is the company's.
    pub fn convert_lead(&self, conv: &LeadConversion) -> Result<Converted> {
        let s = self.settings()?;
        let lead = self.app.customers().get(&conv.lead_id.checked()?)?;
        if lead.stage != CustomerStage::Lead {
            return Err(CoreError::invalid(
                "leadId",
                Invalid::OneOf { value: lead.stage.as_str().into(), allowed: CustomerStage::Lead.as_str().into() },
            ));
        }
        let mut deal = opportunities::clean(&conv.opportunity, &s, &self.me())?;
        let today = self.today();
        let (company, person, id) = self.store().write(|w| {
            let mut lead_input = lead.to_input();
            lead_input.stage = CustomerStage::Contacted;
            let (company, person) = match lead.kind {
                CustomerKind::Person => {
                    let company = match (&lead.company_id, conv.company_name.trim()) {
                        (Some(c), _) => Some(c.clone()),
                        (None, "") => None,
                        (None, name) => {
                            let mut c = CustomerInput::named(CustomerKind::Company, name);
                            c.stage = CustomerStage::Contacted;
                            c.owner = lead.owner.clone();
                            Some(crate::customers::repo::create_in(w, &c)?)
                        }
                    };
                    lead_input.company_id = company.clone();
                    (company, Some(lead.id.clone()))
                }
                CustomerKind::Company => {
                    let person = match conv.person_name.trim() {
                        "" => None,
                        name => {
                            let mut p = CustomerInput::named(CustomerKind::Person, name);
                            p.company_id = Some(lead.id.clone());
                            p.stage = CustomerStage::Contacted;
                            p.owner = lead.owner.clone();
                            Some(crate::customers::repo::create_in(w, &p)?)
                        }
                    };
                    (Some(lead.id.clone()), person)
                }
            };
            crate::customers::repo::update_in(w, &lead.id, &lead_input, true)?;
            deal.customer_id = company.clone().or_else(|| person.clone());
            let id = opportunities::insert_in(w, &deal, today)?;
            Ok((company, person, id))
        })?;
        self.app.settle()?;
        Ok(Converted { company_id: company, person_id: person, opportunity: self.get_opportunity(&id)? })
    }
}

/// A deal's, quote's or contract's custom values, checked and written in its own write (a
/// refused value refuses the save; see `records::fields`).
fn custom(
    w: &mut crate::store::Writer<'_>,
    kind: &'static crate::records::RecordType,
    id: &str,
    values: &[CustomValue],
    is_new: bool,
) -> Result<()> {
    crate::records::fields::check_and_write(w, &crate::records::RecordRef::new(kind, id), values, is_new)
}
