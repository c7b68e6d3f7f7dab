//! Quotes: the form's checks, reads with their totals (computed, never stored), and the status
//! flow draft -> sent -> accepted / rejected, expired by date, and revisions (a sent quote is
//! never edited: a revision is a new version of the same number, the old one kept readable).

use super::money::{self, Currency};
use super::settings::SalesSettings;
use super::totals::{self, LineIn};
use super::*;
use crate::error::{CoreError, Invalid, Problems, Result};
use crate::records::{trash, RecordRef};
use crate::store::Writer;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use satchel_proto::tables::customers::CUSTOMERS;
use satchel_proto::tables::sales::{OPPORTUNITIES, PRODUCTS, QUOTE, QUOTES, QUOTE_LINES};

pub const MAX_LINES: usize = 2000;
pub const MAX_TEXT: usize = 2000;
pub const MAX_NOTES: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanLine {
    pub product_id: Option<ProductId>,
    pub description: String,
    pub quantity: rust_decimal::Decimal,
    pub unit: String,
    pub unit_price: rust_decimal::Decimal,
    pub discount_percent: rust_decimal::Decimal,
    pub tax_percent: rust_decimal::Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanQuote {
    pub customer_id: CustomerId,
    pub contact_id: Option<CustomerId>,
    pub opportunity_id: Option<OpportunityId>,
    pub currency: Currency,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub discount_percent: rust_decimal::Decimal,
    pub notes: String,
    pub terms: String,
    pub lines: Vec<CleanLine>,
    pub owner: String,
    pub visibility: String,
}

pub(crate) fn date(p: &mut Problems, field: &str, s: &str) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            p.add(field, Invalid::Date);
            None
        }
    }
}

pub(crate) fn long_text(p: &mut Problems, field: &str, s: &str, max: usize) -> String {
    if s.chars().count() > max {
        p.add(field, Invalid::TooLong { max });
    }
    s.trim().to_string()
}

pub(crate) fn visibility(p: &mut Problems, s: &str) -> String {
    match s.trim() {
        "" | "team" => "team".into(),
        "private" => "private".into(),
        other => {
            p.add("visibility", Invalid::OneOf { value: other.into(), allowed: "team, private".into() });
            String::new()
        }
    }
}

/// Checks a quote form; every problem is named at once, lines as `lines.<i>.<field>`.
pub fn clean(input: &QuoteInput, s: &SalesSettings, me: &str, today: NaiveDate) -> Result<CleanQuote> {
    let mut p = Problems::default();
    let currency = if input.currency.trim().is_empty() {
        Some(s.home())
    } else {
        match Currency::parse(&input.currency) {
            Ok(c) => Some(c),
            Err(e) => {
                p.add("currency", e);
                None
            }
        }
    };
    if input.customer_id.is_none() {
        p.add("customerId", Invalid::Required);
    }
    let issued_on = if input.issued_on.trim().is_empty() { Some(today) } else { date(&mut p, "issuedOn", &input.issued_on) };
    let valid_until = if input.valid_until.trim().is_empty() {
        issued_on.map(|d| d + chrono::Duration::days(i64::from(s.validity_days)))
    } else {
        date(&mut p, "validUntil", &input.valid_until)
    };
    if let (Some(i), Some(v)) = (issued_on, valid_until) {
        if v < i {
            p.add("validUntil", Invalid::EndsBeforeStart);
        }
    }
    let discount_percent = match money::parse_percent(&input.discount_percent) {
        Ok(d) => d,
        Err(e) => {
            p.add("discountPercent", e);
            rust_decimal::Decimal::ZERO
        }
    };
    let notes = long_text(&mut p, "notes", &input.notes, MAX_NOTES);
    let terms = long_text(&mut p, "terms", &input.terms, MAX_NOTES);
    if input.lines.is_empty() {
        p.add("lines", Invalid::NoLines);
    }
    if input.lines.len() > MAX_LINES {
        p.add("lines", Invalid::TooMany { max: MAX_LINES });
    }
    let mut lines = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        let f = |name: &str| format!("lines.{i}.{name}");
        let description = long_text(&mut p, &f("description"), &l.description, MAX_TEXT);
        if description.is_empty() {
            p.add(f("description"), Invalid::Required);
        }
        let unit = long_text(&mut p, &f("unit"), &l.unit, 32);
        let quantity = money::parse_quantity(&l.quantity).map_err(|e| p.add(f("quantity"), e)).ok();
        let unit_price = currency.and_then(|c| money::parse_amount(&l.unit_price, c).map_err(|e| p.add(f("unitPrice"), e)).ok());
        let discount = money::parse_percent(&l.discount_percent).map_err(|e| p.add(f("discountPercent"), e)).ok();
        let tax = money::parse_percent(&l.tax_percent).map_err(|e| p.add(f("taxPercent"), e)).ok();
        if let (Some(quantity), Some(unit_price), Some(discount_percent), Some(tax_percent)) = (quantity, unit_price, discount, tax) {
            lines.push(CleanLine {
                product_id: l.product_id.clone(),
                description,
                quantity,
                unit,
                unit_price,
                discount_percent,
                tax_percent,
            });
        }
    }
    let visibility = visibility(&mut p, &input.visibility);
    p.check()?;
    let owner = if input.owner.trim().is_empty() { me.to_string() } else { input.owner.trim().to_string() };
    Ok(CleanQuote {
        customer_id: input.customer_id.clone().expect("checked above"),
        contact_id: input.contact_id.clone(),
        opportunity_id: input.opportunity_id.clone(),
        currency: currency.expect("checked above"),
        issued_on: issued_on.expect("checked above"),
        valid_until: valid_until.expect("checked above"),
        discount_percent,
        notes,
        terms,
        lines,
        owner,
        visibility,
    })
}

fn live(w: &Writer<'_>, t: &satchel_proto::schema::TableDef, id: &str) -> Result<bool> {
    Ok(matches!(w.deleted_at(t, id)?, Some(None)))
}

/// The links a quote makes must name live records.
fn check_links(w: &Writer<'_>, c: &CleanQuote) -> Result<()> {
    let mut p = Problems::default();
    if !live(w, &CUSTOMERS, c.customer_id.as_str())? {
        p.add("customerId", Invalid::UnknownCompany);
    }
    if let Some(id) = &c.contact_id {
        if !live(w, &CUSTOMERS, id.as_str())? {
            p.add("contactId", Invalid::UnknownCompany);
        }
    }
    if let Some(id) = &c.opportunity_id {
        if !live(w, &OPPORTUNITIES, id.as_str())? {
            p.add("opportunityId", Invalid::Id);
        }
    }
    for (i, l) in c.lines.iter().enumerate() {
        if let Some(id) = &l.product_id {
            if !live(w, &PRODUCTS, id.as_str())? {
                p.add(format!("lines.{i}.productId"), Invalid::Id);
            }
        }
    }
    p.check()
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn opt(id: Option<&str>) -> Value {
    text(id.unwrap_or_default())
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn values(c: &CleanQuote) -> Vec<(&'static str, Value)> {
    vec![
        ("customer_id", text(c.customer_id.as_str())),
        ("contact_id", opt(c.contact_id.as_ref().map(|x| x.as_str()))),
        ("opportunity_id", opt(c.opportunity_id.as_ref().map(|x| x.as_str()))),
        ("owner", text(&c.owner)),
        ("visibility", text(&c.visibility)),
        ("currency", text(c.currency.code())),
        ("issued_on", text(day(c.issued_on))),
        ("valid_until", text(day(c.valid_until))),
        ("discount_percent", text(money::plain(c.discount_percent))),
        ("notes", text(&c.notes)),
        ("terms", text(&c.terms)),
    ]
}

fn write_lines(w: &mut Writer<'_>, quote: &QuoteId, c: &CleanQuote) -> Result<()> {
    let existing: Vec<String> = {
        let mut st =
            w.conn().prepare_cached("SELECT id FROM quote_lines WHERE quote_id = ?1 AND deleted_at IS NULL ORDER BY position, id")?;
        let rows = st.query_map([quote.as_str()], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (i, l) in c.lines.iter().enumerate() {
        let v = vec![
            ("position", Value::Integer(i as i64)),
            ("product_id", opt(l.product_id.as_ref().map(|x| x.as_str()))),
            ("description", text(&l.description)),
            ("quantity", text(money::plain(l.quantity))),
            ("unit", text(&l.unit)),
            ("unit_price", text(money::fixed(l.unit_price, c.currency))),
            ("discount_percent", text(money::plain(l.discount_percent))),
            ("tax_percent", text(money::plain(l.tax_percent))),
        ];
        match existing.get(i) {
            Some(row) => {
                w.update(&QUOTE_LINES, row, &v)?;
            }
            None => {
                let mut all = vec![("quote_id", text(quote.as_str()))];
                all.extend(v);
                w.insert(&QUOTE_LINES, QuoteLineId::new().as_str(), &all)?;
            }
        }
    }
    for row in existing.iter().skip(c.lines.len()) {
        w.tombstone(&QUOTE_LINES, row)?;
    }
    Ok(())
}

/// Writes a new quote (a first version, or a revision) inside a write.
pub fn insert_in(
    w: &mut Writer<'_>,
    c: &CleanQuote,
    number: &str,
    version: u32,
    series: &str,
    revision_of: Option<&QuoteId>,
) -> Result<QuoteId> {
    check_links(w, c)?;
    let id = QuoteId::new();
    let mut v = values(c);
    v.extend([
        ("number", text(number)),
        ("version", Value::Integer(i64::from(version))),
        ("series", text(series)),
        ("revision_of", opt(revision_of.map(|x| x.as_str()))),
        ("status", text(QuoteStatus::Draft.as_str())),
    ]);
    w.insert(&QUOTES, id.as_str(), &v)?;
    write_lines(w, &id, c)?;
    Ok(id)
}

/// The stored status of a live quote, or "not found".
pub fn stored_status(conn: &Connection, id: &QuoteId) -> Result<QuoteStatus> {
    conn.prepare_cached("SELECT status FROM quotes WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id.as_str()], |r| r.get::<_, String>(0))
        .optional()?
        .map(|s| QuoteStatus::parse(&s))
        .ok_or_else(|| CoreError::NotFound { what: "quote", id: id.to_string() })
}

/// Rewrites a draft; a quote that went out is changed by a revision instead.
pub fn update_in(w: &mut Writer<'_>, id: &QuoteId, c: &CleanQuote) -> Result<()> {
    let status = stored_status(w.conn(), id)?;
    if status != QuoteStatus::Draft {
        return Err(CoreError::invalid("status", Invalid::Locked { status: status.as_str().into() }));
    }
    check_links(w, c)?;
    w.update(&QUOTES, id.as_str(), &values(c))?;
    write_lines(w, id, c)
}

/// Moves a quote on: draft -> sent -> accepted / rejected. Anything else is refused, naming the
/// status it is in (as it reads today: a sent quote past its date is expired, and is revised,
/// not accepted).
pub fn set_status_in(w: &mut Writer<'_>, id: &QuoteId, to: QuoteStatus, today: NaiveDate) -> Result<()> {
    let (stored, valid_until): (String, String) = w
        .conn()
        .prepare_cached("SELECT status, valid_until FROM quotes WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "quote", id: id.to_string() })?;
    let now = effective(QuoteStatus::parse(&stored), &valid_until, today);
    let ok = matches!(
        (now, to),
        (QuoteStatus::Draft, QuoteStatus::Sent) | (QuoteStatus::Sent, QuoteStatus::Accepted) | (QuoteStatus::Sent, QuoteStatus::Rejected)
    );
    if !ok {
        return Err(CoreError::invalid("status", Invalid::Locked { status: now.as_str().into() }));
    }
    let mut v = vec![("status", text(to.as_str()))];
    match to {
        QuoteStatus::Sent => v.push(("sent_on", text(day(today)))),
        _ => v.push(("decided_on", text(day(today)))),
    }
    w.update(&QUOTES, id.as_str(), &v)?;
    Ok(())
}

/// A contract made from a draft or sent quote: accepted today, sent today too if it was a draft,
/// in one update (each column written once per write: two writes of one column in one
/// transaction would share a clock, and another laptop could not tell which came last).
pub fn accept_for_contract_in(w: &mut Writer<'_>, id: &QuoteId, today: NaiveDate) -> Result<()> {
    let (stored, valid_until, sent_on): (String, String, String) = w
        .conn()
        .prepare_cached("SELECT status, valid_until, sent_on FROM quotes WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "quote", id: id.to_string() })?;
    let now = effective(QuoteStatus::parse(&stored), &valid_until, today);
    match now {
        QuoteStatus::Accepted => Ok(()),
        QuoteStatus::Draft | QuoteStatus::Sent => {
            let mut v = vec![("status", text(QuoteStatus::Accepted.as_str())), ("decided_on", text(day(today)))];
            if sent_on.is_empty() {
                v.push(("sent_on", text(day(today))));
            }
            w.update(&QUOTES, id.as_str(), &v)?;
            Ok(())
        }
        other => Err(CoreError::invalid("status", Invalid::Locked { status: other.as_str().into() })),
    }
}

/// How a stored status reads on `today`.
pub fn effective(stored: QuoteStatus, valid_until: &str, today: NaiveDate) -> QuoteStatus {
    match (stored, NaiveDate::parse_from_str(valid_until, "%Y-%m-%d")) {
        (QuoteStatus::Sent, Ok(v)) if v < today => QuoteStatus::Expired,
        (s, _) => s,
    }
}

pub fn delete_in(w: &mut Writer<'_>, id: &QuoteId) -> Result<()> {
    stored_status(w.conn(), id)?;
    trash::delete_in(w, &RecordRef::new(&QUOTE, id.as_str())).map(|_| ())
}

// ---- reads ----

fn name_of(conn: &Connection, id: &str) -> Result<String> {
    if id.is_empty() {
        return Ok(String::new());
    }
    Ok(conn.prepare_cached("SELECT name FROM customers WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?.unwrap_or_default())
}

fn some<T>(s: String, f: impl Fn(String) -> T) -> Option<T> {
    if s.is_empty() {
        None
    } else {
        Some(f(s))
    }
}

struct Row {
    id: String,
    number: String,
    version: i64,
    series: String,
    customer_id: String,
    contact_id: String,
    opportunity_id: String,
    owner: String,
    visibility: String,
    currency: String,
    issued_on: String,
    valid_until: String,
    discount_percent: String,
    notes: String,
    terms: String,
    status: String,
    sent_on: String,
    decided_on: String,
}

const COLUMNS: &str = "id, number, version, series, customer_id, contact_id, opportunity_id, owner, visibility, currency, issued_on, \
     valid_until, discount_percent, notes, terms, status, sent_on, decided_on";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        number: r.get(1)?,
        version: r.get(2)?,
        series: r.get(3)?,
        customer_id: r.get(4)?,
        contact_id: r.get(5)?,
        opportunity_id: r.get(6)?,
        owner: r.get(7)?,
        visibility: r.get(8)?,
        currency: r.get(9)?,
        issued_on: r.get(10)?,
        valid_until: r.get(11)?,
        discount_percent: r.get(12)?,
        notes: r.get(13)?,
        terms: r.get(14)?,
        status: r.get(15)?,
        sent_on: r.get(16)?,
        decided_on: r.get(17)?,
    })
}

/// The currency a stored quote is in (a code a newer laptop knows and this one does not reads
/// as the home currency's minor units, logged).
fn currency_of(code: &str) -> Currency {
    Currency::parse(code).unwrap_or_else(|_| {
        log::warn!("sales: quote currency {code:?} is unknown here; shown with two decimals");
        Currency::parse("CNY").expect("CNY is ISO 4217")
    })
}

pub fn get_in(conn: &Connection, id: &QuoteId, today: NaiveDate) -> Result<Quote> {
    let q = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM quotes WHERE id = ?1 AND deleted_at IS NULL"))?
        .query_row([id.as_str()], row)
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "quote", id: id.to_string() })?;
    let cur = currency_of(&q.currency);
    let stored_lines: Vec<(String, String, String, String, String, String, String, String)> = {
        let mut st = conn.prepare_cached(
            "SELECT id, product_id, description, quantity, unit, unit_price, discount_percent, tax_percent
             FROM quote_lines WHERE quote_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
        )?;
        let rows =
            st.query_map([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let ins: Vec<LineIn> = stored_lines
        .iter()
        .map(|l| LineIn {
            quantity: money::stored(&l.3),
            unit_price: money::stored(&l.5),
            discount_percent: money::stored(&l.6),
            tax_percent: money::stored(&l.7),
        })
        .collect();
    let t = totals::compute(&ins, money::stored(&q.discount_percent), cur.minor_units());
    let lines = stored_lines
        .into_iter()
        .zip(&t.lines)
        .map(|(l, o)| QuoteLine {
            id: QuoteLineId(l.0),
            product_id: some(l.1, ProductId),
            description: l.2,
            quantity: l.3,
            unit: l.4,
            unit_price: l.5,
            discount_percent: l.6,
            tax_percent: l.7,
            net: money::fixed(o.net, cur),
            tax: money::fixed(o.tax, cur),
        })
        .collect();
    let versions = {
        let mut st = conn.prepare_cached(
            "SELECT id, version, status, valid_until, series FROM quotes WHERE number = ?1 AND deleted_at IS NULL ORDER BY version, id",
        )?;
        let rows = st.query_map([&q.number], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?))
        })?;
        rows.map(|r| {
            r.map(|(id, v, s, until, series)| QuoteVersion {
                id: QuoteId(id),
                version: v as u32,
                label: super::numbers::version_label(&q.number, v as u32, &series),
                status: effective(QuoteStatus::parse(&s), &until, today),
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let custom = crate::records::fields::record_values(conn, &RecordRef::new(&QUOTE, &q.id))?;
    Ok(Quote {
        custom,
        id: QuoteId(q.id),
        customer_name: name_of(conn, &q.customer_id)?,
        contact_name: name_of(conn, &q.contact_id)?,
        version_label: super::numbers::version_label(&q.number, q.version as u32, &q.series),
        number: q.number,
        version: q.version as u32,
        customer_id: some(q.customer_id, CustomerId),
        contact_id: some(q.contact_id, CustomerId),
        opportunity_id: some(q.opportunity_id, OpportunityId),
        owner: q.owner,
        visibility: q.visibility,
        currency: cur.code().to_string(),
        status: effective(QuoteStatus::parse(&q.status), &q.valid_until, today),
        issued_on: q.issued_on,
        valid_until: q.valid_until,
        discount_percent: q.discount_percent,
        notes: q.notes,
        terms: q.terms,
        sent_on: q.sent_on,
        decided_on: q.decided_on,
        lines,
        subtotal: money::fixed(t.subtotal, cur),
        discount: money::fixed(t.discount, cur),
        tax: money::fixed(t.tax, cur),
        total: money::fixed(t.total, cur),
        taxes: t
            .bands
            .iter()
            .filter(|b| !b.tax.is_zero())
            .map(|b| TaxLine { percent: money::plain(b.percent), tax: money::fixed(b.tax, cur) })
            .collect(),
        versions,
    })
}

/// The newest live version of a quote number.
pub fn by_number(conn: &Connection, number: &str) -> Result<QuoteId> {
    conn.prepare_cached("SELECT id FROM quotes WHERE number = ?1 AND deleted_at IS NULL ORDER BY version DESC, id DESC LIMIT 1")?
        .query_row([number.trim()], |r| r.get(0).map(QuoteId))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "quote", id: number.to_string() })
}

/// Quotes, newest first: the latest version of each number (all versions with `all_versions`),
/// optionally of one customer.
pub fn list_in(conn: &Connection, customer: Option<&CustomerId>, today: NaiveDate, limit: u32) -> Result<Vec<QuoteSummary>> {
    let mut st = conn.prepare_cached(
        "SELECT q.id, q.number, q.version, q.customer_id, coalesce(c.name, ''), q.currency, q.issued_on, q.valid_until, q.status,
                q.discount_percent, q.opportunity_id
         FROM quotes q LEFT JOIN customers c ON c.id = q.customer_id
         WHERE q.deleted_at IS NULL AND (?1 = '' OR q.customer_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM quotes n WHERE n.number = q.number AND n.deleted_at IS NULL
                           AND (n.version > q.version OR (n.version = q.version AND n.id > q.id)))
         ORDER BY q.issued_on DESC, q.number DESC LIMIT ?2",
    )?;
    let rows = st.query_map(rusqlite::params![customer.map(|c| c.as_str()).unwrap_or(""), limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, String>(8)?,
            r.get::<_, String>(9)?,
            r.get::<_, String>(10)?,
        ))
    })?;
    let heads = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    // Every live line of the customer's (or everyone's) quotes in one read, not one query a quote.
    let mut lines: std::collections::HashMap<String, Vec<LineIn>> = std::collections::HashMap::new();
    {
        let mut st = conn.prepare_cached(
            "SELECT l.quote_id, l.quantity, l.unit_price, l.discount_percent, l.tax_percent
             FROM quote_lines l JOIN quotes q ON q.id = l.quote_id
             WHERE l.deleted_at IS NULL AND q.deleted_at IS NULL AND (?1 = '' OR q.customer_id = ?1)",
        )?;
        let rows = st.query_map([customer.map(|c| c.as_str()).unwrap_or("")], |r| {
            let line = LineIn {
                quantity: money::stored(&r.get::<_, String>(1)?),
                unit_price: money::stored(&r.get::<_, String>(2)?),
                discount_percent: money::stored(&r.get::<_, String>(3)?),
                tax_percent: money::stored(&r.get::<_, String>(4)?),
            };
            Ok((r.get::<_, String>(0)?, line))
        })?;
        for row in rows {
            let (quote, line) = row?;
            lines.entry(quote).or_default().push(line);
        }
    }
    let mut out = Vec::with_capacity(heads.len());
    for (id, number, version, customer_id, customer_name, currency, issued_on, valid_until, status, discount, opportunity) in heads {
        let cur = currency_of(&currency);
        let ins = lines.get(&id).map(Vec::as_slice).unwrap_or_default();
        let t = totals::compute(ins, money::stored(&discount), cur.minor_units());
        out.push(QuoteSummary {
            id: QuoteId(id),
            number,
            version: version as u32,
            customer_id: some(customer_id, CustomerId),
            customer_name,
            opportunity_id: some(opportunity, OpportunityId),
            currency: cur.code().to_string(),
            status: effective(QuoteStatus::parse(&status), &valid_until, today),
            issued_on,
            valid_until,
            total: money::fixed(t.total, cur),
        });
    }
    Ok(out)
}

/// A quote's form filled from what is stored (for a revision, or to edit a draft).
pub fn input_of(q: &Quote) -> QuoteInput {
    QuoteInput {
        customer_id: q.customer_id.clone(),
        contact_id: q.contact_id.clone(),
        opportunity_id: q.opportunity_id.clone(),
        currency: q.currency.clone(),
        issued_on: q.issued_on.clone(),
        valid_until: q.valid_until.clone(),
        discount_percent: q.discount_percent.clone(),
        notes: q.notes.clone(),
        terms: q.terms.clone(),
        lines: q
            .lines
            .iter()
            .map(|l| QuoteLineInput {
                product_id: l.product_id.clone(),
                description: l.description.clone(),
                quantity: l.quantity.clone(),
                unit: l.unit.clone(),
                unit_price: l.unit_price.clone(),
                discount_percent: l.discount_percent.clone(),
                tax_percent: l.tax_percent.clone(),
            })
            .collect(),
        owner: q.owner.clone(),
        visibility: q.visibility.clone(),
        custom: q.custom.clone(),
    }
}
