//! Contracts: made from an accepted (or sent) quote in one step, or typed in. A contract has
//! parties (the customer and its contact person), a value, start and end, terms from the team's
//! template, a status, and a payment schedule whose instalments become calendar tasks reminded
//! on their due day; a renewal task reminds its owner `notice_days` before the end. The signed
//! copy is an attachment of the contract record (the platform's attachments).

use super::money::{self, Currency};
use super::quotes::{date, long_text, visibility};
use super::*;
use crate::calendar::{self, Priority, TaskInput};
use crate::error::{CoreError, Invalid, Problems, Result};
use crate::records::{trash, RecordRef};
use crate::store::Writer;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;
use satchel_proto::tables::customers::CUSTOMERS;
use satchel_proto::tables::sales::{CONTRACT, CONTRACTS, CONTRACT_INSTALMENTS};

pub const MAX_INSTALMENTS: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanInstalment {
    pub label: String,
    pub due_on: NaiveDate,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanContract {
    pub title: String,
    pub customer_id: CustomerId,
    pub contact_id: Option<CustomerId>,
    pub quote_id: Option<QuoteId>,
    pub value: Decimal,
    pub currency: Currency,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub terms: String,
    pub status: ContractStatus,
    pub signed_on: Option<NaiveDate>,
    pub notice_days: u32,
    pub instalments: Vec<CleanInstalment>,
    pub owner: String,
    pub visibility: String,
}

pub fn clean(input: &ContractInput, me: &str) -> Result<CleanContract> {
    let mut p = Problems::default();
    let title = long_text(&mut p, "title", &input.title, 500);
    if title.is_empty() {
        p.add("title", Invalid::Required);
    }
    if input.customer_id.is_none() {
        p.add("customerId", Invalid::Required);
    }
    let currency = Currency::parse(&input.currency).map_err(|e| p.add("currency", e)).ok();
    let value = currency.and_then(|c| money::parse_amount(&input.value, c).map_err(|e| p.add("value", e)).ok());
    let starts_on = date(&mut p, "startsOn", &input.starts_on);
    let ends_on = date(&mut p, "endsOn", &input.ends_on);
    if let (Some(s), Some(e)) = (starts_on, ends_on) {
        if e < s {
            p.add("endsOn", Invalid::EndsBeforeStart);
        }
    }
    let signed_on = if input.signed_on.trim().is_empty() { None } else { date(&mut p, "signedOn", &input.signed_on) };
    let terms = long_text(&mut p, "terms", &input.terms, 20_000);
    if input.notice_days > 3650 {
        p.add("noticeDays", Invalid::OutOfRange { min: 0, max: 3650 });
    }
    if input.instalments.len() > MAX_INSTALMENTS {
        p.add("instalments", Invalid::TooMany { max: MAX_INSTALMENTS });
    }
    let mut instalments = Vec::new();
    for (i, x) in input.instalments.iter().enumerate() {
        let label = long_text(&mut p, &format!("instalments.{i}.label"), &x.label, 200);
        let due_on = date(&mut p, &format!("instalments.{i}.dueOn"), &x.due_on);
        let amount = currency.and_then(|c| money::parse_amount(&x.amount, c).map_err(|e| p.add(format!("instalments.{i}.amount"), e)).ok());
        if let (Some(due_on), Some(amount)) = (due_on, amount) {
            instalments.push(CleanInstalment { label, due_on, amount });
        }
    }
    // The schedule must add up to the value, to the cent: a schedule that does not is a typo.
    if let Some(v) = value {
        let sum: Decimal = instalments.iter().map(|x| x.amount).sum();
        if !instalments.is_empty() && instalments.len() == input.instalments.len() && sum != v {
            p.add(
                "instalments",
                Invalid::ScheduleSum {
                    sum: money::fixed(sum, currency.expect("value parsed")),
                    value: money::fixed(v, currency.expect("value parsed")),
                },
            );
        }
    }
    let visibility = visibility(&mut p, &input.visibility);
    p.check()?;
    Ok(CleanContract {
        title,
        customer_id: input.customer_id.clone().expect("checked"),
        contact_id: input.contact_id.clone(),
        quote_id: input.quote_id.clone(),
        value: value.expect("checked"),
        currency: currency.expect("checked"),
        starts_on: starts_on.expect("checked"),
        ends_on: ends_on.expect("checked"),
        terms,
        status: input.status.unwrap_or(ContractStatus::Draft),
        signed_on,
        notice_days: input.notice_days,
        instalments,
        owner: if input.owner.trim().is_empty() { me.to_string() } else { input.owner.trim().to_string() },
        visibility,
    })
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn values(c: &CleanContract) -> Vec<(&'static str, Value)> {
    vec![
        ("title", text(&c.title)),
        ("customer_id", text(c.customer_id.as_str())),
        ("contact_id", text(c.contact_id.as_ref().map(|x| x.as_str()).unwrap_or(""))),
        ("quote_id", text(c.quote_id.as_ref().map(|x| x.as_str()).unwrap_or(""))),
        ("owner", text(&c.owner)),
        ("visibility", text(&c.visibility)),
        ("value", text(money::fixed(c.value, c.currency))),
        ("currency", text(c.currency.code())),
        ("starts_on", text(day(c.starts_on))),
        ("ends_on", text(day(c.ends_on))),
        ("terms", text(&c.terms)),
        ("status", text(c.status.as_str())),
        ("signed_on", text(c.signed_on.map(day).unwrap_or_default())),
        ("notice_days", Value::Integer(i64::from(c.notice_days))),
    ]
}

/// A task that reminds the contract's owner at 09:00 on `due` (in the laptop's zone).
fn reminder_task(w: &mut Writer<'_>, c: &CleanContract, title: String, due: NaiveDate, now: DateTime<Utc>) -> Result<crate::ids::TaskId> {
    // The deal the contract's quote was for: its payment and renewal tasks show on the deal too.
    let deal: Option<String> = match &c.quote_id {
        Some(q) => w
            .conn()
            .prepare_cached("SELECT opportunity_id FROM quotes WHERE id = ?1")?
            .query_row([q.as_str()], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten()
            .filter(|d| !d.is_empty()),
        None => None,
    };
    let input = TaskInput {
        title,
        opportunity_id: deal.map(crate::ids::OpportunityId),
        due_date: day(due),
        tz: calendar::when::system_zone().name().to_string(),
        priority: Priority::High,
        reminders: vec![0],
        customer_id: Some(c.customer_id.clone()),
        owner: c.owner.clone(),
        visibility: c.visibility.clone(),
        ..Default::default()
    };
    let clean = calendar::validate::task(&input, &c.owner, now)?;
    calendar::repo::insert_task(w, &clean, now)
}

/// Writes a new contract with its schedule, the schedule's tasks and the renewal task.
pub fn insert_in(w: &mut Writer<'_>, c: &CleanContract, number: &str, l: crate::i18n::Locale, now: DateTime<Utc>) -> Result<ContractId> {
    if !matches!(w.deleted_at(&CUSTOMERS, c.customer_id.as_str())?, Some(None)) {
        return Err(CoreError::invalid("customerId", Invalid::UnknownCompany));
    }
    let id = ContractId::new();
    let mut v = values(c);
    v.push(("number", text(number)));
    // In the insert itself: a column written twice in one write shares its clock stamp, and
    // another laptop could not tell which came last.
    v.push(("renewal_task_id", text(renewal_task(w, c, number, l, now)?)));
    w.insert(&CONTRACTS, id.as_str(), &v)?;
    write_instalments(w, &id, c, number, l, now)?;
    Ok(id)
}

/// Rewrites a contract: its values, and its schedule and renewal reminder when they changed (the
/// old instalments' tasks go to the trash with them; instalments already paid are kept as they
/// are only if the schedule is unchanged).
pub fn update_in(w: &mut Writer<'_>, id: &ContractId, c: &CleanContract, l: crate::i18n::Locale, now: DateTime<Utc>) -> Result<()> {
    let number: String = w
        .conn()
        .prepare_cached("SELECT number FROM contracts WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id.as_str()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "contract", id: id.to_string() })?;
    if !matches!(w.deleted_at(&CUSTOMERS, c.customer_id.as_str())?, Some(None)) {
        return Err(CoreError::invalid("customerId", Invalid::UnknownCompany));
    }
    let before = get_in(w.conn(), id)?;
    w.update(&CONTRACTS, id.as_str(), &values(c))?;
    let same_schedule = before.instalments.len() == c.instalments.len()
        && before
            .instalments
            .iter()
            .zip(&c.instalments)
            .all(|(a, b)| a.label == b.label && a.due_on == day(b.due_on) && a.amount == money::fixed(b.amount, c.currency));
    let same_renewal = before.ends_on == day(c.ends_on) && before.notice_days == c.notice_days;
    if same_schedule && same_renewal {
        return Ok(());
    }
    let renewal: String =
        w.conn().prepare_cached("SELECT renewal_task_id FROM contracts WHERE id = ?1")?.query_row([id.as_str()], |r| r.get(0))?;
    let tasks = satchel_proto::tables::calendar::TASKS;
    if !same_schedule {
        for x in &before.instalments {
            if let Some(t) = &x.task_id {
                w.tombstone(&tasks, t.as_str())?;
            }
            w.tombstone(&CONTRACT_INSTALMENTS, x.id.as_str())?;
        }
    }
    if !renewal.is_empty() {
        w.tombstone(&tasks, &renewal)?;
    }
    if !same_schedule {
        write_instalments(w, id, c, &number, l, now)?;
    }
    let renewal = renewal_task(w, c, &number, l, now)?;
    w.update(&CONTRACTS, id.as_str(), &[("renewal_task_id", text(renewal))])?;
    Ok(())
}

/// The instalments, each with its reminder task.
fn write_instalments(
    w: &mut Writer<'_>,
    id: &ContractId,
    c: &CleanContract,
    number: &str,
    l: crate::i18n::Locale,
    now: DateTime<Utc>,
) -> Result<()> {
    {
        let n = c.instalments.len();
        for (i, x) in c.instalments.iter().enumerate() {
            let amount = money::display(x.amount, c.currency);
            let title = l.text(
                "sales.instalmentTask",
                &[("number", number), ("n", &(i + 1).to_string()), ("of", &n.to_string()), ("amount", &amount)],
            );
            let task = reminder_task(w, c, title, x.due_on, now)?;
            w.insert(
                &CONTRACT_INSTALMENTS,
                InstalmentId::new().as_str(),
                &[
                    ("contract_id", text(id.as_str())),
                    ("position", Value::Integer(i as i64)),
                    ("due_on", text(day(x.due_on))),
                    ("amount", text(money::fixed(x.amount, c.currency))),
                    ("label", text(&x.label)),
                    ("task_id", text(task.as_str())),
                ],
            )?;
        }
    }
    Ok(())
}

/// The task reminding of renewal `notice_days` before the end (none without a notice): its id.
fn renewal_task(w: &mut Writer<'_>, c: &CleanContract, number: &str, l: crate::i18n::Locale, now: DateTime<Utc>) -> Result<String> {
    if c.notice_days == 0 {
        return Ok(String::new());
    }
    let due = (c.ends_on - chrono::Duration::days(i64::from(c.notice_days))).max(c.starts_on);
    let title = l.text("sales.renewalTask", &[("number", number), ("ends", &day(c.ends_on))]);
    Ok(reminder_task(w, c, title, due, now)?.as_str().to_string())
}

/// The form filled from a stored contract (to edit it).
pub fn input_of(k: &Contract) -> ContractInput {
    ContractInput {
        title: k.title.clone(),
        customer_id: k.customer_id.clone(),
        contact_id: k.contact_id.clone(),
        quote_id: k.quote_id.clone(),
        value: k.value.clone(),
        currency: k.currency.clone(),
        starts_on: k.starts_on.clone(),
        ends_on: k.ends_on.clone(),
        terms: k.terms.clone(),
        status: Some(k.status),
        signed_on: k.signed_on.clone(),
        notice_days: k.notice_days,
        instalments: k
            .instalments
            .iter()
            .map(|x| InstalmentInput { label: x.label.clone(), due_on: x.due_on.clone(), amount: x.amount.clone() })
            .collect(),
        owner: k.owner.clone(),
        visibility: k.visibility.clone(),
        custom: k.custom.clone(),
    }
}

/// Marks an instalment paid on `on` (or not paid, with `None`); its reminder task is done with it.
pub fn set_paid_in(w: &mut Writer<'_>, id: &InstalmentId, on: Option<NaiveDate>, now: DateTime<Utc>) -> Result<ContractId> {
    let (contract, task): (String, String) = w
        .conn()
        .prepare_cached("SELECT contract_id, task_id FROM contract_instalments WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "instalment", id: id.to_string() })?;
    w.update(&CONTRACT_INSTALMENTS, id.as_str(), &[("paid_on", text(on.map(day).unwrap_or_default()))])?;
    let tasks = satchel_proto::tables::calendar::TASKS;
    if !task.is_empty() && matches!(w.deleted_at(&tasks, &task)?, Some(None)) {
        let done = match on {
            Some(_) => text(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            None => Value::Null,
        };
        w.update(&tasks, &task, &[("done_at", done)])?;
    }
    Ok(ContractId(contract))
}

pub fn delete_in(w: &mut Writer<'_>, id: &ContractId) -> Result<()> {
    if !matches!(w.deleted_at(&CONTRACTS, id.as_str())?, Some(None)) {
        return Err(CoreError::NotFound { what: "contract", id: id.to_string() });
    }
    trash::delete_in(w, &RecordRef::new(&CONTRACT, id.as_str())).map(|_| ())
}

pub fn set_status_in(w: &mut Writer<'_>, id: &ContractId, status: ContractStatus, signed_on: Option<NaiveDate>) -> Result<()> {
    if !matches!(w.deleted_at(&CONTRACTS, id.as_str())?, Some(None)) {
        return Err(CoreError::NotFound { what: "contract", id: id.to_string() });
    }
    let mut v = vec![("status", text(status.as_str()))];
    if let Some(d) = signed_on {
        v.push(("signed_on", text(day(d))));
    }
    w.update(&CONTRACTS, id.as_str(), &v)?;
    Ok(())
}

/// The form a quote fills: its customer, contact, total and currency; this year's term from
/// today; the team's terms; one instalment of the whole value 30 days after the start.
pub fn from_quote(q: &Quote, terms: &str, today: NaiveDate, l: crate::i18n::Locale) -> ContractInput {
    let ends = today.checked_add_months(chrono::Months::new(12)).map(|d| d - chrono::Duration::days(1)).unwrap_or(today);
    ContractInput {
        title: l.text("sales.contractTitle", &[("number", &q.number), ("customer", &q.customer_name)]),
        customer_id: q.customer_id.clone(),
        contact_id: q.contact_id.clone(),
        quote_id: Some(q.id.clone()),
        value: q.total.clone(),
        currency: q.currency.clone(),
        starts_on: day(today),
        ends_on: day(ends),
        terms: terms.to_string(),
        status: Some(ContractStatus::Draft),
        signed_on: String::new(),
        notice_days: 30,
        instalments: vec![InstalmentInput {
            label: l.text("sales.instalmentLabel", &[]),
            due_on: day(today + chrono::Duration::days(30)),
            amount: q.total.clone(),
        }],
        owner: q.owner.clone(),
        visibility: q.visibility.clone(),
        // The quote's custom fields are the quote type's, not the contract's.
        custom: Vec::new(),
    }
}

// ---- reads ----

pub fn get_in(conn: &Connection, id: &ContractId) -> Result<Contract> {
    let c = conn
        .prepare_cached(
            "SELECT k.id, k.number, k.title, k.customer_id, coalesce(c.name, ''), k.contact_id, coalesce(p.name, ''), k.quote_id,
                    coalesce(q.number, ''), k.owner, k.visibility, k.value, k.currency, k.starts_on, k.ends_on, k.terms, k.status,
                    k.signed_on, k.notice_days
             FROM contracts k LEFT JOIN customers c ON c.id = k.customer_id LEFT JOIN customers p ON p.id = k.contact_id
                  LEFT JOIN quotes q ON q.id = k.quote_id
             WHERE k.id = ?1 AND k.deleted_at IS NULL",
        )?
        .query_row([id.as_str()], |r| {
            let opt = |s: String| if s.is_empty() { None } else { Some(s) };
            Ok(Contract {
                id: ContractId(r.get(0)?),
                number: r.get(1)?,
                title: r.get(2)?,
                customer_id: opt(r.get(3)?).map(CustomerId),
                customer_name: r.get(4)?,
                contact_id: opt(r.get(5)?).map(CustomerId),
                contact_name: r.get(6)?,
                quote_id: opt(r.get(7)?).map(QuoteId),
                quote_number: r.get(8)?,
                owner: r.get(9)?,
                visibility: r.get(10)?,
                value: r.get(11)?,
                currency: r.get(12)?,
                starts_on: r.get(13)?,
                ends_on: r.get(14)?,
                terms: r.get(15)?,
                status: ContractStatus::parse(&r.get::<_, String>(16)?),
                signed_on: r.get(17)?,
                notice_days: r.get::<_, i64>(18)?.clamp(0, 3650) as u32,
                instalments: Vec::new(),
                custom: Vec::new(),
            })
        })
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "contract", id: id.to_string() })?;
    let mut st = conn.prepare_cached(
        "SELECT id, label, due_on, amount, paid_on, task_id FROM contract_instalments
         WHERE contract_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
    )?;
    let rows = st.query_map([id.as_str()], |r| {
        let task: String = r.get(5)?;
        Ok(Instalment {
            id: InstalmentId(r.get(0)?),
            label: r.get(1)?,
            due_on: r.get(2)?,
            amount: r.get(3)?,
            paid_on: r.get(4)?,
            task_id: if task.is_empty() { None } else { Some(crate::ids::TaskId(task)) },
        })
    })?;
    let instalments = rows.collect::<rusqlite::Result<_>>()?;
    let custom = crate::records::fields::record_values(conn, &RecordRef::new(&CONTRACT, id.as_str()))?;
    Ok(Contract { instalments, custom, ..c })
}

pub fn by_number(conn: &Connection, number: &str) -> Result<ContractId> {
    conn.prepare_cached("SELECT id FROM contracts WHERE number = ?1 AND deleted_at IS NULL LIMIT 1")?
        .query_row([number.trim()], |r| r.get(0).map(ContractId))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "contract", id: number.to_string() })
}

pub fn list_in(conn: &Connection, customer: Option<&CustomerId>, limit: u32) -> Result<Vec<ContractSummary>> {
    let mut st = conn.prepare_cached(
        "SELECT k.id, k.number, k.title, coalesce(c.name, ''), k.value, k.currency, k.starts_on, k.ends_on, k.status
         FROM contracts k LEFT JOIN customers c ON c.id = k.customer_id
         WHERE k.deleted_at IS NULL AND (?1 = '' OR k.customer_id = ?1)
         ORDER BY k.starts_on DESC, k.number DESC LIMIT ?2",
    )?;
    let rows = st.query_map(rusqlite::params![customer.map(|c| c.as_str()).unwrap_or(""), limit], |r| {
        Ok(ContractSummary {
            id: ContractId(r.get(0)?),
            number: r.get(1)?,
            title: r.get(2)?,
            customer_name: r.get(3)?,
            value: r.get(4)?,
            currency: r.get(5)?,
            starts_on: r.get(6)?,
            ends_on: r.get(7)?,
            status: ContractStatus::parse(&r.get::<_, String>(8)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
