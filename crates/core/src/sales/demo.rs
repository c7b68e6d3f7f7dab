//! Demo sales data for the demo customers (`satchel demo-data`): a catalogue with Chinese and
//! English names, deals in every stage of the pipeline, quotes in every status with Chinese and
//! English lines (some for deals, some revised), and contracts made from some of them.
//! Deterministic for a seed and a day.
//!
//! The catalogue and the letterhead go through the module's calls; deals, quotes and contracts
//! in bulk writes through the same functions those calls use (`clean`, `insert_in`,
//! `set_status_in`...). A quote moves one status per write (a column is written once per
//! write), so quotes are written in three passes: made, sent, then decided or revised.

use super::numbers::Batch;
use super::settings::{SalesSettings, LOST, WON};
use super::*;
use crate::demo::{DemoCounts, DemoCustomer, Rng, BATCH, OWNERS};
use crate::error::Result;
use crate::Satchel;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use rusqlite::types::Value;
use satchel_proto::tables::sales::QUOTES;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSales {
    pub products: usize,
    pub opportunities: usize,
    pub quotes: usize,
    pub contracts: usize,
}

/// (code, English, Chinese, unit, CNY price, USD price, tax %)
const PRODUCTS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    ("CH-100", "Ergonomic office chair", "人体工学办公椅", "把", "1299.00", "189.00", "13"),
    ("DK-140", "Standing desk 140 cm", "升降办公桌 140 厘米", "张", "2680.00", "389.00", "13"),
    ("CB-030", "Filing cabinet, 3 drawers", "三抽文件柜", "个", "860.00", "125.00", "13"),
    ("MT-027", "27-inch monitor", "27 英寸显示器", "台", "1899.00", "269.00", "13"),
    ("LP-010", "LED desk lamp", "LED 台灯", "盏", "199.00", "29.00", "13"),
    ("WB-120", "Whiteboard 120 x 90", "白板 120×90", "块", "420.00", "59.00", "13"),
    ("CP-001", "A4 copy paper, 5 reams", "A4 复印纸（5 包）", "箱", "135.00", "19.50", "13"),
    ("SV-INS", "Installation", "安装服务", "次", "300.00", "45.00", "6"),
    ("SV-DLV", "Delivery in the city", "市内配送", "次", "150.00", "22.00", "9"),
    ("SV-MNT", "Maintenance, one year", "一年维保服务", "年", "2400.00", "350.00", "6"),
    ("SW-CRM", "CRM training, half day", "CRM 培训（半天）", "场", "1800.00", "260.00", "6"),
    ("MR-TBL", "Meeting table for 8", "八人会议桌", "张", "4200.00", "610.00", "13"),
];

const DEAL_NAMES: &[&str] =
    &["办公室升级", "New office fit-out", "年度采购", "Annual supplies", "会议室改造", "Branch opening", "维保续约", "Training programme"];
const COMPETITORS: &[&str] = &["Steelcase", "Herman Miller", "震旦 AURORA", "Okamura 冈村"];
const QUOTE_NOTES: &[&str] =
    &["", "", "", "含市内配送。Delivery in the city included.", "Installation on a Saturday on request.", "分两批交货。"];

/// The demo catalogue, made once per book (a second run finds its products by code).
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// How many products this run made.
    pub made: usize,
    pub products: Vec<Product>,
}

/// The catalogue, and the letterhead when the team has none yet, through the module's calls.
pub fn catalogue(app: &Satchel) -> Result<Catalogue> {
    let sales = app.sales();
    let mut out = Catalogue::default();
    for (code, en, zh, unit, cny, usd, tax) in PRODUCTS {
        let existing = sales.products(code, true)?.into_iter().find(|p| p.code == *code);
        let p = match existing {
            Some(p) => p,
            None => {
                out.made += 1;
                sales.create_product(&ProductInput {
                    code: code.to_string(),
                    name_en: en.to_string(),
                    name_zh: zh.to_string(),
                    unit: unit.to_string(),
                    tax_percent: tax.to_string(),
                    active: true,
                    notes: String::new(),
                    prices: vec![
                        Price { currency: "CNY".into(), price: cny.to_string() },
                        Price { currency: "USD".into(), price: usd.to_string() },
                    ],
                })?
            }
        };
        out.products.push(p);
    }
    let mut s = sales.settings()?;
    if s.company.name.is_empty() {
        s.company.name = "上海示例贸易有限公司 Shanghai Example Trading Co., Ltd.".into();
        s.company.lines = vec![
            "上海市浦东新区世纪大道 100 号 21 楼 / 21F, 100 Century Avenue, Pudong, Shanghai".into(),
            "+86 21 5888 0000 · sales@example.cn".into(),
            "统一社会信用代码 Tax ID: 91310115MA1H7XXXXX".into(),
        ];
        sales.save_settings(&s)?;
    }
    Ok(out)
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn owner_of(r: &mut Rng, c: &DemoCustomer) -> String {
    if c.owner.is_empty() {
        r.pick(OWNERS).to_string()
    } else {
        c.owner.clone()
    }
}

/// A customer to sell to: mostly companies, sometimes a person.
fn pick_customer(r: &mut Rng, book: &[DemoCustomer], companies: &[usize]) -> usize {
    if !companies.is_empty() && r.chance(85) {
        *r.pick(companies)
    } else {
        r.below(book.len())
    }
}

/// Deals, quotes and contracts for `book`, as many as `counts` says; the catalogue is made first
/// ([`catalogue`]).
pub fn generate(
    app: &Satchel,
    catalogue: &Catalogue,
    book: &[DemoCustomer],
    counts: &DemoCounts,
    seed: u64,
    today: NaiveDate,
) -> Result<DemoSales> {
    let mut out = DemoSales { products: catalogue.made, ..Default::default() };
    if book.is_empty() {
        return Ok(out);
    }
    let s = app.sales().settings()?;
    let companies: Vec<usize> = (0..book.len()).filter(|&i| book[i].company).collect();
    let deals = deals(app, &s, book, &companies, counts.opportunities, seed, today)?;
    out.opportunities = deals.len();
    let (quotes, contracts) = quotes(app, &s, catalogue, book, &companies, &deals, counts.quotes, seed, today)?;
    out.quotes = quotes;
    out.contracts = contracts;
    Ok(out)
}

/// A deal made, for the quotes that follow it.
struct Deal {
    id: OpportunityId,
    customer: usize,
    currency: &'static str,
}

/// Deals in every stage (the first ones take each stage in turn, so even a small board has a
/// card in every column), for companies mostly; open ones close over the next half year, won and
/// lost ones closed over the last.
fn deals(
    app: &Satchel,
    s: &SalesSettings,
    book: &[DemoCustomer],
    companies: &[usize],
    n: usize,
    seed: u64,
    today: NaiveDate,
) -> Result<Vec<Deal>> {
    let mut r = Rng::new(seed ^ 0x5A1E5);
    let me = app.store().profile().author.clone();
    // A lost deal needs one of the team's reasons; a team that has none gets no lost deals.
    let stages: Vec<&str> = s.stages.iter().map(|x| x.id.as_str()).filter(|id| *id != LOST || !s.lost_reasons.is_empty()).collect();
    let mut made = Vec::with_capacity(n);
    while made.len() < n && !stages.is_empty() {
        let from = made.len();
        let batch = (n - from).min(BATCH);
        app.store().write(|w| {
            w.bulk();
            for i in from..from + batch {
                let customer = pick_customer(&mut r, book, companies);
                let c = &book[customer];
                let stage = if i < stages.len() { stages[i] } else { *r.pick(&stages) };
                let closed = stage == WON || stage == LOST;
                let currency = if r.chance(80) { "CNY" } else { "USD" };
                // A closed deal is written as of the day it closed, which is when it says it did.
                let closed_on = today - Duration::days(1 + r.below(180) as i64);
                let expected = if closed {
                    closed_on + Duration::days(r.below(30) as i64 - 15)
                } else {
                    today + Duration::days(r.below(200) as i64 - 20)
                };
                let input = OpportunityInput {
                    title: format!("{} · {}", c.name, r.pick(DEAL_NAMES)),
                    customer_id: Some(c.id.clone()),
                    stage: stage.into(),
                    amount: ((r.below(500) + 5) * 1000).to_string(),
                    currency: currency.into(),
                    expected_close: day(expected),
                    lost_reason: if stage == LOST { r.pick(&s.lost_reasons).clone() } else { String::new() },
                    competitors: if r.chance(30) { vec![r.pick(COMPETITORS).to_string()] } else { vec![] },
                    owner: owner_of(&mut r, c),
                    ..Default::default()
                };
                let clean = opportunities::clean(&input, s, &me)?;
                let id = opportunities::insert_in(w, &clean, if closed { closed_on } else { today })?;
                made.push(Deal { id, customer, currency });
            }
            Ok(())
        })?;
    }
    Ok(made)
}

/// What becomes of a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Draft,
    /// Sent and not answered: expired once its validity is past.
    Sent,
    Accepted,
    Rejected,
    /// Accepted, and made into a contract.
    Contract,
    /// Sent, then revised: a second version of the same number (a row of its own), the first
    /// superseded.
    Revised,
}

/// The `i`-th quote's fate for a roll of 0..100: the first ones take each fate in turn, so even a
/// small book shows every status; then a fifth are drafts, a quarter wait on the customer, a
/// fifth are accepted and one in twenty becomes a contract.
fn fate(i: usize, roll: usize) -> Fate {
    use Fate::*;
    const TURN: [Fate; 6] = [Draft, Sent, Accepted, Rejected, Contract, Revised];
    if let Some(f) = TURN.get(i) {
        return *f;
    }
    match roll {
        0..=19 => Draft,
        20..=44 => Sent,
        45..=64 => Accepted,
        65..=79 => Rejected,
        80..=84 => Contract,
        _ => Revised,
    }
}

/// A quote as planned: its form, its fate and the days it moves on.
struct Planned {
    input: QuoteInput,
    issued: NaiveDate,
    fate: Fate,
    sent: NaiveDate,
    decided: NaiveDate,
    id: Option<QuoteId>,
}

fn lines(r: &mut Rng, products: &[Product], currency: &str) -> Vec<QuoteLineInput> {
    (0..(1 + r.below(6)))
        .map(|_| {
            let p = r.pick(products);
            let price = p.prices.iter().find(|x| x.currency == currency).map(|x| x.price.clone()).unwrap_or_else(|| "100".into());
            QuoteLineInput {
                product_id: Some(p.id.clone()),
                description: format!("{} {}", p.name_zh, p.name_en),
                quantity: (1 + r.below(20)).to_string(),
                unit: p.unit.clone(),
                unit_price: price,
                discount_percent: ["0", "0", "0", "5", "10"][r.below(5)].into(),
                tax_percent: p.tax_percent.clone(),
            }
        })
        .collect()
}

/// `n` quote rows (a revision's two versions count two) issued over the last five months,
/// numbered in the order they were issued; returns the quotes and the contracts made.
#[allow(clippy::too_many_arguments)]
fn quotes(
    app: &Satchel,
    s: &SalesSettings,
    catalogue: &Catalogue,
    book: &[DemoCustomer],
    companies: &[usize],
    deals: &[Deal],
    n: usize,
    seed: u64,
    today: NaiveDate,
) -> Result<(usize, usize)> {
    if catalogue.products.is_empty() {
        return Ok((0, 0));
    }
    let mut r = Rng::new(seed ^ 0x0_0A7E5);
    let mut people: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, c) in book.iter().enumerate() {
        if let Some(company) = &c.company_id {
            people.entry(company.as_str()).or_default().push(i);
        }
    }
    let validity = Duration::days(i64::from(s.validity_days));
    let mut plan: Vec<Planned> = Vec::new();
    let mut rows = 0;
    while rows < n {
        let mut fate = fate(plan.len(), r.below(100));
        if fate == Fate::Revised && n - rows < 2 {
            fate = Fate::Sent;
        }
        rows += if fate == Fate::Revised { 2 } else { 1 };
        let deal = (!deals.is_empty() && r.chance(40)).then(|| r.pick(deals));
        let customer = deal.map_or_else(|| pick_customer(&mut r, book, companies), |d| d.customer);
        let c = &book[customer];
        let contact = people.get(c.id.as_str()).map(|ps| book[*r.pick(ps)].id.clone());
        let currency = deal.map_or_else(|| if r.chance(80) { "CNY" } else { "USD" }, |d| d.currency);
        let issued = today - Duration::days(r.below(150) as i64);
        // Sent and decided while the quote was valid, and not after today.
        let sent = (issued + Duration::days(r.below(3) as i64)).min(today).min(issued + validity);
        let decided = (sent + Duration::days(r.below(14) as i64)).min(today).min(issued + validity);
        let input = QuoteInput {
            customer_id: Some(c.id.clone()),
            contact_id: contact,
            opportunity_id: deal.map(|d| d.id.clone()),
            currency: currency.into(),
            issued_on: day(issued),
            lines: lines(&mut r, &catalogue.products, currency),
            notes: r.pick(QUOTE_NOTES).to_string(),
            terms: s.quote_terms.clone(),
            owner: owner_of(&mut r, c),
            ..Default::default()
        };
        plan.push(Planned { input, issued, fate, sent, decided, id: None });
    }
    // Numbers follow the days quotes were issued on, as they would have been handed out.
    plan.sort_by_key(|p| p.issued);
    let series = app.sales().series()?;
    let me = app.store().profile().author.clone();
    let stem = |prefix: &str, on: NaiveDate| numbers::stem(prefix, s.numbering.year.then(|| on.year()), &series);
    let mut quote_numbers = Batch::new("quotes", s.numbering.width);
    for chunk in plan.chunks_mut(BATCH) {
        app.store().write(|w| {
            w.bulk();
            for p in chunk.iter_mut() {
                let clean = quotes::clean(&p.input, s, &me, today)?;
                let number = quote_numbers.next(w.conn(), &stem(&s.numbering.quote_prefix, p.issued))?;
                p.id = Some(quotes::insert_in(w, &clean, &number, 1, &series, None)?);
            }
            Ok(())
        })?;
    }
    let ids = |p: &Planned| p.id.clone().ok_or_else(|| crate::error::CoreError::Internal("a planned quote was not written".into()));
    for chunk in plan.chunks(BATCH) {
        app.store().write(|w| {
            w.bulk();
            for p in chunk.iter().filter(|p| p.fate != Fate::Draft) {
                quotes::set_status_in(w, &ids(p)?, QuoteStatus::Sent, p.sent)?;
            }
            Ok(())
        })?;
    }
    let (l, now) = (app.locale(), Utc::now());
    let mut contract_numbers = Batch::new("contracts", s.numbering.width);
    let mut contracts = 0;
    for chunk in plan.chunks(BATCH) {
        app.store().write(|w| {
            w.bulk();
            for p in chunk {
                let id = ids(p)?;
                match p.fate {
                    Fate::Draft | Fate::Sent => {}
                    Fate::Accepted => quotes::set_status_in(w, &id, QuoteStatus::Accepted, p.decided)?,
                    Fate::Rejected => quotes::set_status_in(w, &id, QuoteStatus::Rejected, p.decided)?,
                    Fate::Contract => {
                        // As "Make contract" does it today: the quote accepted, the contract starting
                        // today (its payment and renewal reminders still ahead), half of them signed.
                        quotes::accept_for_contract_in(w, &id, p.decided)?;
                        let q = quotes::get_in(w.conn(), &id, today)?;
                        let mut input = contracts::from_quote(&q, &s.contract_terms, today, l);
                        if contracts % 2 == 0 {
                            input.status = Some(ContractStatus::Active);
                            input.signed_on = day(today);
                        }
                        let clean = contracts::clean(&input, &me)?;
                        let number = contract_numbers.next(w.conn(), &stem(&s.numbering.contract_prefix, clean.starts_on))?;
                        contracts::insert_in(w, &clean, &number, l, now)?;
                        contracts += 1;
                    }
                    Fate::Revised => {
                        // The customer asked for a better price: version 2 with a discount, issued
                        // the day it was revised; the first version is superseded.
                        let mut input = p.input.clone();
                        input.issued_on = day(p.decided);
                        input.discount_percent = "5".into();
                        let clean = quotes::clean(&input, s, &me, today)?;
                        let number: String = w.conn().query_row("SELECT number FROM quotes WHERE id = ?1", [id.as_str()], |r| r.get(0))?;
                        quotes::insert_in(w, &clean, &number, 2, &series, Some(&id))?;
                        w.update(&QUOTES, id.as_str(), &[("status", Value::Text(QuoteStatus::Superseded.as_str().into()))])?;
                    }
                }
            }
            Ok(())
        })?;
    }
    Ok((rows, contracts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_quotes_take_every_fate_first_then_by_weight() {
        use Fate::*;
        let first: Vec<Fate> = (0..6).map(|i| fate(i, 0)).collect();
        assert_eq!(first, [Draft, Sent, Accepted, Rejected, Contract, Revised]);
        let cases = [
            (0, Draft),
            (19, Draft),
            (20, Sent),
            (44, Sent),
            (45, Accepted),
            (65, Rejected),
            (80, Contract),
            (84, Contract),
            (85, Revised),
            (99, Revised),
        ];
        for (roll, want) in cases {
            assert_eq!(fate(100, roll), want, "{roll}");
        }
    }
}
