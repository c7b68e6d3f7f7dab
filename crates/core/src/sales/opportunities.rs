//! Opportunities (deals): the form's checks, reads and writes, moving between stages (won and
//! lost close a deal; lost needs one of the team's reasons), and the deals the kanban and the
//! forecast read. Stage and amount changes are in the record's history like any column.

use super::forecast::Deal;
use super::money::{self, Currency};
use super::quotes::{long_text, visibility};
use super::settings::{SalesSettings, LOST, WON};
use super::*;
use crate::error::{CoreError, Invalid, Problems, Result};
use crate::records::{trash, RecordRef};
use crate::store::Writer;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;
use satchel_proto::tables::customers::CUSTOMERS;
use satchel_proto::tables::sales::{OPPORTUNITIES, OPPORTUNITY, OPPORTUNITY_COMPETITORS};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanOpportunity {
    pub title: String,
    pub customer_id: Option<CustomerId>,
    pub stage: String,
    pub amount: Decimal,
    pub currency: Currency,
    pub probability: Option<u32>,
    pub expected_close: Option<NaiveDate>,
    pub lost_reason: String,
    pub competitors: Vec<String>,
    pub notes: String,
    pub owner: String,
    pub visibility: String,
}

/// The stage checks shared by the form and a drag on the board.
fn check_stage(p: &mut Problems, s: &SalesSettings, stage: &str, lost_reason: &str) -> String {
    let stage = if stage.trim().is_empty() { s.stages.first().map(|x| x.id.clone()).unwrap_or_default() } else { stage.trim().to_string() };
    if s.stage(&stage).is_none() {
        let allowed = s.stages.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join(", ");
        p.add("stage", Invalid::OneOf { value: stage.clone(), allowed });
    }
    if stage == LOST {
        if lost_reason.trim().is_empty() {
            p.add("lostReason", Invalid::Required);
        } else if !s.lost_reasons.iter().any(|r| r == lost_reason.trim()) {
            p.add("lostReason", Invalid::OneOf { value: lost_reason.trim().into(), allowed: s.lost_reasons.join(", ") });
        }
    }
    stage
}

pub fn clean(input: &OpportunityInput, s: &SalesSettings, me: &str) -> Result<CleanOpportunity> {
    let mut p = Problems::default();
    let title = long_text(&mut p, "title", &input.title, 500);
    if title.is_empty() {
        p.add("title", Invalid::Required);
    }
    let stage = check_stage(&mut p, s, &input.stage, &input.lost_reason);
    let currency = if input.currency.trim().is_empty() {
        Some(s.home())
    } else {
        Currency::parse(&input.currency).map_err(|e| p.add("currency", e)).ok()
    };
    let amount = if input.amount.trim().is_empty() {
        Some(Decimal::ZERO)
    } else {
        currency.and_then(|c| money::parse_amount(&input.amount, c).map_err(|e| p.add("amount", e)).ok())
    };
    let probability = match input.probability.trim().trim_end_matches('%') {
        "" => None,
        x => match x.parse::<u32>() {
            Ok(n) if n <= 100 => Some(n),
            _ => {
                p.add("probability", Invalid::OutOfRange { min: 0, max: 100 });
                None
            }
        },
    };
    let expected_close = match input.expected_close.trim() {
        "" => None,
        d => super::quotes::date(&mut p, "expectedClose", d),
    };
    let mut competitors: Vec<String> = Vec::new();
    for (i, c) in input.competitors.iter().enumerate() {
        let c = long_text(&mut p, &format!("competitors.{i}"), c, 200);
        if !c.is_empty() && !competitors.contains(&c) {
            competitors.push(c);
        }
    }
    if competitors.len() > 50 {
        p.add("competitors", Invalid::TooMany { max: 50 });
    }
    let notes = long_text(&mut p, "notes", &input.notes, 20_000);
    let visibility = visibility(&mut p, &input.visibility);
    p.check()?;
    Ok(CleanOpportunity {
        title,
        customer_id: input.customer_id.clone(),
        lost_reason: if stage == LOST { input.lost_reason.trim().to_string() } else { String::new() },
        stage,
        amount: amount.expect("checked"),
        currency: currency.expect("checked"),
        probability,
        expected_close,
        competitors,
        notes,
        owner: if input.owner.trim().is_empty() { me.to_string() } else { input.owner.trim().to_string() },
        visibility,
    })
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn closed_on(stage: &str, before: Option<(&str, &str)>, today: NaiveDate) -> String {
    match (stage == WON || stage == LOST, before) {
        (false, _) => String::new(),
        // Still closed the same way: keep the day it was closed.
        (true, Some((was, on))) if was == stage && !on.is_empty() => on.to_string(),
        (true, _) => today.format("%Y-%m-%d").to_string(),
    }
}

fn values(c: &CleanOpportunity, closed: String) -> Vec<(&'static str, Value)> {
    vec![
        ("title", text(&c.title)),
        ("customer_id", text(c.customer_id.as_ref().map(|x| x.as_str()).unwrap_or(""))),
        ("owner", text(&c.owner)),
        ("visibility", text(&c.visibility)),
        ("stage", text(&c.stage)),
        ("amount", text(money::fixed(c.amount, c.currency))),
        ("currency", text(c.currency.code())),
        ("probability", text(c.probability.map(|p| p.to_string()).unwrap_or_default())),
        ("expected_close", text(c.expected_close.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default())),
        ("lost_reason", text(&c.lost_reason)),
        ("closed_on", text(closed)),
        ("notes", text(&c.notes)),
    ]
}

fn check_customer(w: &Writer<'_>, c: &CleanOpportunity) -> Result<()> {
    match &c.customer_id {
        Some(id) if !matches!(w.deleted_at(&CUSTOMERS, id.as_str())?, Some(None)) => {
            Err(CoreError::invalid("customerId", Invalid::UnknownCompany))
        }
        _ => Ok(()),
    }
}

/// Competitors are rows: one added here and another on a second laptop both stay.
fn write_competitors(w: &mut Writer<'_>, id: &OpportunityId, names: &[String]) -> Result<()> {
    let existing: Vec<(String, String)> = {
        let mut st =
            w.conn().prepare_cached("SELECT id, name FROM opportunity_competitors WHERE opportunity_id = ?1 AND deleted_at IS NULL")?;
        let rows = st.query_map([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for name in names {
        if !existing.iter().any(|(_, n)| n == name) {
            w.insert(
                &OPPORTUNITY_COMPETITORS,
                &uuid::Uuid::now_v7().to_string(),
                &[("opportunity_id", text(id.as_str())), ("name", text(name))],
            )?;
        }
    }
    for (row, n) in existing {
        if !names.contains(&n) {
            w.tombstone(&OPPORTUNITY_COMPETITORS, &row)?;
        }
    }
    Ok(())
}

pub fn insert_in(w: &mut Writer<'_>, c: &CleanOpportunity, today: NaiveDate) -> Result<OpportunityId> {
    check_customer(w, c)?;
    let id = OpportunityId::new();
    w.insert(&OPPORTUNITIES, id.as_str(), &values(c, closed_on(&c.stage, None, today)))?;
    write_competitors(w, &id, &c.competitors)?;
    Ok(id)
}

fn stage_and_closed(conn: &Connection, id: &OpportunityId) -> Result<(String, String)> {
    conn.prepare_cached("SELECT stage, closed_on FROM opportunities WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "opportunity", id: id.to_string() })
}

pub fn update_in(w: &mut Writer<'_>, id: &OpportunityId, c: &CleanOpportunity, today: NaiveDate) -> Result<()> {
    let (was, on) = stage_and_closed(w.conn(), id)?;
    check_customer(w, c)?;
    w.update(&OPPORTUNITIES, id.as_str(), &values(c, closed_on(&c.stage, Some((&was, &on)), today)))?;
    write_competitors(w, id, &c.competitors)
}

/// A drag on the board: only the stage (and the lost reason) change, so a concurrent edit of the
/// amount on another laptop is not overwritten.
pub fn move_in(w: &mut Writer<'_>, id: &OpportunityId, s: &SalesSettings, stage: &str, lost_reason: &str, today: NaiveDate) -> Result<()> {
    let mut p = Problems::default();
    let stage = check_stage(&mut p, s, stage, lost_reason);
    p.check()?;
    let (was, on) = stage_and_closed(w.conn(), id)?;
    let reason = if stage == LOST { lost_reason.trim() } else { "" };
    w.update(
        &OPPORTUNITIES,
        id.as_str(),
        &[("stage", text(&stage)), ("lost_reason", text(reason)), ("closed_on", text(closed_on(&stage, Some((&was, &on)), today)))],
    )?;
    Ok(())
}

pub fn delete_in(w: &mut Writer<'_>, id: &OpportunityId) -> Result<()> {
    stage_and_closed(w.conn(), id)?;
    trash::delete_in(w, &RecordRef::new(&OPPORTUNITY, id.as_str())).map(|_| ())
}

// ---- reads ----

fn effective_probability(s: &SalesSettings, stage: &str, own: &str) -> u32 {
    match own.trim().parse::<u32>() {
        Ok(p) if p <= 100 => p,
        _ => s.stage(stage).map(|x| x.probability).unwrap_or(0),
    }
}

pub fn get_in(conn: &Connection, s: &SalesSettings, id: &OpportunityId) -> Result<Opportunity> {
    let o = conn
        .prepare_cached(
            "SELECT o.id, o.title, o.customer_id, coalesce(c.name, ''), o.owner, o.visibility, o.stage, o.amount, o.currency,
                    o.probability, o.expected_close, o.lost_reason, o.closed_on, o.notes
             FROM opportunities o LEFT JOIN customers c ON c.id = o.customer_id WHERE o.id = ?1 AND o.deleted_at IS NULL",
        )?
        .query_row([id.as_str()], |r| {
            let customer: String = r.get(2)?;
            let stage: String = r.get(6)?;
            let probability: String = r.get(9)?;
            Ok(Opportunity {
                id: OpportunityId(r.get(0)?),
                title: r.get(1)?,
                customer_id: if customer.is_empty() { None } else { Some(CustomerId(customer)) },
                customer_name: r.get(3)?,
                owner: r.get(4)?,
                visibility: r.get(5)?,
                effective_probability: effective_probability(s, &stage, &probability),
                stage,
                amount: r.get(7)?,
                currency: r.get(8)?,
                probability,
                expected_close: r.get(10)?,
                lost_reason: r.get(11)?,
                closed_on: r.get(12)?,
                competitors: Vec::new(),
                notes: r.get(13)?,
                custom: Vec::new(),
            })
        })
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "opportunity", id: id.to_string() })?;
    let mut st =
        conn.prepare_cached("SELECT name FROM opportunity_competitors WHERE opportunity_id = ?1 AND deleted_at IS NULL ORDER BY name")?;
    let competitors = st.query_map([id.as_str()], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let custom = crate::records::fields::record_values(conn, &RecordRef::new(&OPPORTUNITY, id.as_str()))?;
    Ok(Opportunity { competitors, custom, ..o })
}

/// Which deals a board, a list or a forecast reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct DealFilter {
    /// Only these owners; empty: everyone's.
    pub owners: Vec<String>,
    pub customer_id: Option<CustomerId>,
    /// Only these stages; empty: every stage.
    pub stages: Vec<String>,
    /// Title or customer name contains this (any case).
    pub query: String,
    /// Expected close on or after / on or before (`YYYY-MM-DD`); empty: open-ended.
    pub close_from: String,
    pub close_to: String,
}

/// Whether a deal passes a filter (the board, the list and the forecast read the cached deals).
pub fn matches(d: &Deal, f: &DealFilter, query_lower: &str) -> bool {
    (f.owners.is_empty() || f.owners.iter().any(|o| *o == d.owner))
        && (f.stages.is_empty() || f.stages.iter().any(|s| *s == d.stage))
        && f.customer_id.as_ref().is_none_or(|c| c.as_str() == d.customer_id)
        && (f.close_from.trim().is_empty() || d.expected_close.as_str() >= f.close_from.trim())
        && (f.close_to.trim().is_empty() || (!d.expected_close.is_empty() && d.expected_close.as_str() <= f.close_to.trim()))
        && (query_lower.is_empty() || d.title.to_lowercase().contains(query_lower) || d.customer_name.to_lowercase().contains(query_lower))
}

/// Live deals from SQLite: all of them, or those with the given ids, or of the given customers.
pub fn load_deals(conn: &Connection, s: &SalesSettings, ids: Option<&[String]>, customers: Option<&[String]>) -> Result<Vec<Deal>> {
    let mut sql = String::from(
        "SELECT o.id, o.title, o.customer_id, coalesce(c.name, ''), o.owner, o.stage, o.amount, o.currency, o.probability, o.expected_close
         FROM opportunities o LEFT JOIN customers c ON c.id = o.customer_id WHERE o.deleted_at IS NULL",
    );
    let mut params: Vec<Value> = Vec::new();
    for (column, values) in [("o.id", ids), ("o.customer_id", customers)] {
        if let Some(values) = values {
            sql.push_str(&format!(" AND {column} IN ({})", vec!["?"; values.len()].join(",")));
            params.extend(values.iter().map(|v| Value::Text(v.clone())));
        }
    }
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(rusqlite::params_from_iter(params), |r| {
        let stage: String = r.get(5)?;
        let probability: String = r.get(8)?;
        Ok(Deal {
            id: r.get(0)?,
            title: r.get(1)?,
            customer_id: r.get(2)?,
            customer_name: r.get(3)?,
            owner: r.get(4)?,
            amount: money::stored(&r.get::<_, String>(6)?),
            currency: r.get(7)?,
            probability: effective_probability(s, &stage, &probability),
            stage,
            expected_close: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The deals matching `f`, straight from SQLite (the module's cache is the usual way: see
/// `api.rs`; this is what the cache is checked against).
pub fn deals_in(conn: &Connection, s: &SalesSettings, f: &DealFilter) -> Result<Vec<Deal>> {
    let q = f.query.trim().to_lowercase();
    Ok(load_deals(conn, s, None, None)?.into_iter().filter(|d| matches(d, f, &q)).collect())
}
