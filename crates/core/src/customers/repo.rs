//! Reading and writing customers through the store's one write door.
//!
//! An edit submits the whole form; the store logs only the columns that really changed, so the
//! history (and later, sync) sees "phone 2 changed", not "everything was rewritten". Child rows
//! (phones, emails, addresses, tags) keep their ids across edits: a kept row is updated in place,
//! a new one is inserted, a removed one gets a tombstone.

use super::*;
use crate::error::{CoreError, Invalid, Problems, Result};
use crate::ids::ContactPointId;
use crate::records::{history, trash};
use crate::store::schema::{self, TableDef};
use crate::store::{LogEntry, Store, Writer};
use crate::time::rfc3339_ms;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::FxHashMap as HashMap;

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

const PRIVATE: &str = "private";
const TEAM: &str = "team";

/// A customer's own columns, borrowed from the form.
fn customer_refs(v: &CustomerInput) -> [(&'static str, ValueRef<'_>); 10] {
    fn opt(s: Option<&str>) -> ValueRef<'_> {
        s.map_or(ValueRef::Null, |s| ValueRef::Text(s.as_bytes()))
    }
    [
        ("kind", ValueRef::Text(v.kind.as_str().as_bytes())),
        ("name", ValueRef::Text(v.name.as_bytes())),
        ("company_id", opt(v.company_id.as_ref().map(|c| c.as_str()))),
        ("owner", ValueRef::Text(v.owner.as_bytes())),
        ("stage", ValueRef::Text(v.stage.as_str().as_bytes())),
        ("source", ValueRef::Text(v.source.as_bytes())),
        ("notes", ValueRef::Text(v.notes.as_bytes())),
        ("birthday", opt(v.birthday.as_deref())),
        ("job_title", ValueRef::Text(v.job_title.as_bytes())),
        ("department", ValueRef::Text(v.department.as_bytes())),
    ]
}

/// A phone's or email's columns at list position `i` (its customer added by the caller).
fn point_refs(p: &ContactPoint, i: usize) -> [(&'static str, ValueRef<'_>); 3] {
    [
        ("label", ValueRef::Text(p.label.as_bytes())),
        ("value", ValueRef::Text(p.value.as_bytes())),
        ("position", ValueRef::Integer(i as i64)),
    ]
}

/// An address's columns at list position `i` (its customer added by the caller).
fn address_refs(a: &Address, i: usize) -> [(&'static str, ValueRef<'_>); 7] {
    [
        ("label", ValueRef::Text(a.label.as_bytes())),
        ("street", ValueRef::Text(a.street.as_bytes())),
        ("city", ValueRef::Text(a.city.as_bytes())),
        ("region", ValueRef::Text(a.region.as_bytes())),
        ("postal_code", ValueRef::Text(a.postal_code.as_bytes())),
        ("country", ValueRef::Text(a.country.as_bytes())),
        ("position", ValueRef::Integer(i as i64)),
    ]
}

/// Borrowed columns as owned values, for an edit (`Writer::update` compares and keeps them).
fn owned(values: &[(&'static str, ValueRef<'_>)]) -> Vec<(&'static str, Value)> {
    values
        .iter()
        .map(|(c, v)| {
            let v = match *v {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(i) => Value::Integer(i),
                ValueRef::Real(f) => Value::Real(f),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Value::Blob(b.to_vec()),
            };
            (*c, v)
        })
        .collect()
}

/// A person's company must be a live company, and not the person itself. A link the person
/// already has stands even when that company is in the trash (deleting a company leaves its
/// people linked, so restoring it brings the link back): editing such a person must still work.
fn check_company(w: &mut Writer<'_>, v: &CustomerInput, self_id: Option<&CustomerId>) -> Result<()> {
    let Some(cid) = &v.company_id else {
        return Ok(());
    };
    if Some(cid) == self_id {
        return Err(CoreError::invalid("companyId", Invalid::NotACompany));
    }
    // A company the record already names is kept as it is, whether or not this laptop holds it:
    // a teammate's private company, or one not synced yet, must not stop an edit of the person's
    // tags (the replica property test's model found that).
    if let Some(me) = self_id {
        let kept: Option<i64> = w
            .statement("SELECT 1 FROM customers WHERE id = ?1 AND company_id = ?2")?
            .query_row([me.as_str(), cid.as_str()], |r| r.get(0))
            .optional()?;
        if kept.is_some() {
            return Ok(());
        }
    }
    const LIVE_COMPANY: &str = "live company";
    if w.passed(&schema::CUSTOMERS, LIVE_COMPANY, cid.as_str()) {
        return Ok(());
    }
    // Through the write's own statement (a bulk load asks this for most of its people), and
    // compared in place rather than copied out.
    let is_company: Option<bool> = w
        .statement("SELECT kind FROM customers WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([cid.as_str()], |r| Ok(r.get_ref(0)?.as_str()? == "company"))
        .optional()?;
    match is_company {
        None => Err(CoreError::invalid("companyId", Invalid::UnknownCompany)),
        Some(true) => {
            w.remember_passed(&schema::CUSTOMERS, LIVE_COMPANY, cid.as_str());
            Ok(())
        }
        Some(false) => Err(CoreError::invalid("companyId", Invalid::NotACompany)),
    }
}

pub fn create(store: &Store, input: CustomerInput) -> Result<CustomerId> {
    store.write(|w| create_owned_in(w, input))
}

/// Creates a customer inside an open write (bulk loads put many in one transaction).
pub fn create_in(w: &mut Writer<'_>, input: &CustomerInput) -> Result<CustomerId> {
    create_owned_in(w, input.clone())
}

/// [`create_in`] taking the form, which is then cleaned in place instead of copied.
pub fn create_owned_in(w: &mut Writer<'_>, input: CustomerInput) -> Result<CustomerId> {
    let id = CustomerId::new();
    let v = checked(w, input, None)?;
    insert_checked_in(w, &id, &v)?;
    Ok(id)
}

/// Cleans a form and checks it against the store (custom fields, the company), refusing with
/// every problem found at once.
fn checked(w: &mut Writer<'_>, input: CustomerInput, self_id: Option<&CustomerId>) -> Result<CustomerInput> {
    let mut p = Problems::default();
    let mut v = super::validate::clean(input, &mut p);
    if !v.custom.is_empty() || self_id.is_some() {
        // An edit cleans even an empty list: values of fields that no longer apply are dropped.
        let defs = fields::list_in(w.conn(), &super::CUSTOMER)?;
        if let Some(custom) = p.keep(fields::clean_values(&defs, v.kind.as_str(), &v.custom))? {
            v.custom = custom;
        }
    }
    p.keep(check_company(w, &v, self_id))?;
    p.check()?;
    Ok(v)
}

/// Inserts an already validated customer under a given id (imports keep the ids their file
/// carries, and plan companies' ids before writing them).
pub fn insert_in(w: &mut Writer<'_>, id: &CustomerId, v: &CustomerInput) -> Result<()> {
    check_company(w, v, None)?;
    insert_checked_in(w, id, v)
}

/// `insert_in` for a caller that has already checked the company (an import checks each
/// company once, not once per person).
pub fn insert_checked_in(w: &mut Writer<'_>, id: &CustomerId, v: &CustomerInput) -> Result<()> {
    if v.private == Some(true) {
        // Only a private record logs its visibility: 'team' is every device's default.
        let mut values = customer_refs(v).to_vec();
        values.push(("visibility", ValueRef::Text(PRIVATE.as_bytes())));
        w.insert_ref(&schema::CUSTOMERS, id.as_str(), &values)?;
    } else {
        w.insert_ref(&schema::CUSTOMERS, id.as_str(), &customer_refs(v))?;
    }
    insert_children(w, id, v)
}

/// The children of a customer created in this write: all new rows, so no lookups and no copies
/// (`write_children` does the same for an edit, comparing with what is stored).
fn insert_children(w: &mut Writer<'_>, id: &CustomerId, v: &CustomerInput) -> Result<()> {
    let owner = ("customer_id", ValueRef::Text(id.as_str().as_bytes()));
    for (t, list) in [(&schema::CUSTOMER_PHONES, &v.phones), (&schema::CUSTOMER_EMAILS, &v.emails)] {
        for (i, p) in list.iter().enumerate() {
            let [label, value, position] = point_refs(p, i);
            w.insert_ref(t, ContactPointId::new().as_str(), &[owner, label, value, position])?;
        }
    }
    for (i, a) in v.addresses.iter().enumerate() {
        let [label, street, city, region, postal_code, country, position] = address_refs(a, i);
        let values = [owner, label, street, city, region, postal_code, country, position];
        w.insert_ref(&schema::CUSTOMER_ADDRESSES, ContactPointId::new().as_str(), &values)?;
    }
    for tag in &v.tags {
        w.insert_ref(&schema::CUSTOMER_TAGS, ContactPointId::new().as_str(), &[owner, ("tag", ValueRef::Text(tag.as_bytes()))])?;
    }
    fields::write_values(w, &record(id), &v.custom, true)
}

pub fn update(store: &Store, id: &CustomerId, input: &CustomerInput) -> Result<()> {
    store.write(|w| {
        if w.deleted_at(&schema::CUSTOMERS, id.as_str())?.is_none() {
            return Err(CoreError::NotFound { what: "customer", id: id.to_string() });
        }
        let v = checked(w, input.clone(), Some(id))?;
        update_in(w, id, &v, false)
    })
}

/// Updates a live customer with validated values inside an open write. `match_by_position`: the
/// input's phones, emails and addresses carry no ids (a file), so each takes the id of the stored
/// one at the same position; an unchanged round trip then writes nothing at all.
pub fn update_in(w: &mut Writer<'_>, id: &CustomerId, v: &CustomerInput, match_by_position: bool) -> Result<()> {
    if w.deleted_at(&schema::CUSTOMERS, id.as_str())?.is_none() {
        return Err(CoreError::NotFound { what: "customer", id: id.to_string() });
    }
    check_company(w, v, Some(id))?;
    let mut values = owned(&customer_refs(v));
    if let Some(private) = v.private {
        values.push(("visibility", text(if private { PRIVATE } else { TEAM })));
    }
    w.update(&schema::CUSTOMERS, id.as_str(), &values)?;
    write_children(w, id, v, match_by_position)
}

/// Moves a customer and its parts to the trash (see `records::trash`).
pub fn delete(store: &Store, id: &CustomerId) -> Result<()> {
    store.write(|w| trash::delete_in(w, &record(id)).map(|_| ()))
}

pub fn restore(store: &Store, id: &CustomerId) -> Result<()> {
    store.write(|w| restore_in(w, id))
}

/// Brings a trashed customer back with the parts its delete removed (a no-op when live).
pub fn restore_in(w: &mut Writer<'_>, id: &CustomerId) -> Result<()> {
    trash::restore_in(w, &record(id)).map(|_| ())
}

/// Live child rows of a customer: (row id, first value column) in display order.
fn live_children(c: &Connection, t: &TableDef, customer: &CustomerId) -> Result<Vec<(String, String)>> {
    let (col, order) = if t.name == schema::CUSTOMER_TAGS.name { ("tag", "id") } else { ("label", "position, id") };
    let mut st =
        c.prepare_cached(&format!("SELECT id, {col} FROM {} WHERE customer_id = ?1 AND deleted_at IS NULL ORDER BY {order}", t.name))?;
    let rows = st.query_map([customer.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Makes an existing customer's phones, emails, addresses, tags and custom values match the form
/// (a new customer's are written by `insert_children`).
fn write_children(w: &mut Writer<'_>, id: &CustomerId, v: &CustomerInput, by_position: bool) -> Result<()> {
    let points =
        |list: &[ContactPoint]| -> Vec<Wanted> { list.iter().enumerate().map(|(i, p)| (p.id.clone(), owned(&point_refs(p, i)))).collect() };
    sync_rows(w, &schema::CUSTOMER_PHONES, id, points(&v.phones), by_position)?;
    sync_rows(w, &schema::CUSTOMER_EMAILS, id, points(&v.emails), by_position)?;
    let addresses = v.addresses.iter().enumerate().map(|(i, a)| (a.id.clone(), owned(&address_refs(a, i)))).collect();
    sync_rows(w, &schema::CUSTOMER_ADDRESSES, id, addresses, by_position)?;

    // Tags are a set keyed by their text: keep the rows of tags that stay, tombstone the rest.
    let existing = live_children(w.conn(), &schema::CUSTOMER_TAGS, id)?;
    for (row, tag) in &existing {
        if !v.tags.contains(tag) {
            w.tombstone(&schema::CUSTOMER_TAGS, row)?;
        }
    }
    for tag in &v.tags {
        if !existing.iter().any(|(_, t)| t == tag) {
            let row = ContactPointId::new();
            w.insert(&schema::CUSTOMER_TAGS, row.as_str(), &[("customer_id", text(id.as_str())), ("tag", text(tag))])?;
        }
    }
    fields::write_values(w, &record(id), &v.custom, false)
}

/// Sets one custom value (see [`fields::set_value`]); imports call it per value.
pub fn set_custom_value(w: &mut Writer<'_>, id: &CustomerId, field: &str, value: &str) -> Result<()> {
    fields::set_value(w, &record(id), field, value)
}

/// Makes the live child rows of `t` equal `wanted`: rows named by id are updated, the others
/// inserted, and live rows no longer wanted are tombstoned. `by_position`: rows without an id take
/// the id of the stored row at their position.
/// A child row the form wants: its id (none for a new one) and its columns.
type Wanted = (Option<ContactPointId>, Vec<(&'static str, Value)>);

fn sync_rows(w: &mut Writer<'_>, t: &TableDef, id: &CustomerId, wanted: Vec<Wanted>, by_position: bool) -> Result<()> {
    let existing: Vec<String> = live_children(w.conn(), t, id)?.into_iter().map(|(r, _)| r).collect();
    let mut kept = Vec::new();
    for (i, (row, mut values)) in wanted.into_iter().enumerate() {
        let row = match row {
            None if by_position => existing.get(i).map(|e| ContactPointId(e.clone())),
            row => row,
        };
        match row.filter(|r| existing.iter().any(|e| e == r.as_str())) {
            Some(r) => {
                w.update(t, r.as_str(), &values)?;
                kept.push(r.0);
            }
            None => {
                let r = ContactPointId::new();
                values.insert(0, ("customer_id", text(id.as_str())));
                w.insert(t, r.as_str(), &values)?;
            }
        }
    }
    for r in existing.iter().filter(|e| !kept.contains(e)) {
        w.tombstone(t, r)?;
    }
    Ok(())
}

/// A customer's own columns, read from `first` on in the order kind, name, company_id, company
/// name, owner, stage, source, notes, birthday, updated_ms, job_title, department (the one shape
/// both readers select).
fn customer_columns(r: &rusqlite::Row<'_>, id: CustomerId, first: usize) -> rusqlite::Result<Customer> {
    Ok(Customer {
        kind: CustomerKind::parse(&r.get::<_, String>(first)?),
        name: r.get(first + 1)?,
        company_id: r.get::<_, Option<String>>(first + 2)?.map(CustomerId),
        company_name: r.get(first + 3)?,
        company_deleted: false,
        owner: r.get(first + 4)?,
        stage: Stage::parse(&r.get::<_, String>(first + 5)?),
        source: r.get(first + 6)?,
        job_title: r.get(first + 10)?,
        department: r.get(first + 11)?,
        notes: r.get(first + 7)?,
        birthday: r.get(first + 8)?,
        tags: vec![],
        phones: vec![],
        emails: vec![],
        addresses: vec![],
        custom: vec![],
        private: false,
        created_at: rfc3339_ms(id.created_ms().unwrap_or(0)),
        updated_at: rfc3339_ms(r.get::<_, i64>(first + 9)? as u64),
        deleted_at: None,
        id,
    })
}

/// The full record, including a trashed one (the trash view shows it).
pub fn get(store: &Store, id: &CustomerId) -> Result<Customer> {
    store.read(|c| {
        let row = c
            .prepare_cached(
                "SELECT c.kind, c.name, c.company_id, co.name, c.owner, c.stage, c.source, c.notes, c.birthday, c.updated_ms,
                        c.job_title, c.department, c.deleted_at,
                        CASE WHEN c.deleted_at IS NOT NULL THEN json_extract(c._clocks, '$.deleted_at') END, c.visibility,
                        co.deleted_at IS NOT NULL
                 FROM customers c LEFT JOIN customers co ON co.id = c.company_id
                 WHERE c.id = ?1 AND c.name <> ''",
            )?
            .query_row([id.as_str()], |r| {
                let delete_stamp: Option<String> = r.get(13)?;
                let private = r.get::<_, String>(14)? == PRIVATE;
                // A company in the trash keeps its name here, marked deleted (lists and exports,
                // which read live records, leave it out).
                let company_deleted = r.get::<_, Option<bool>>(15)?.unwrap_or(false);
                Ok((delete_stamp, Customer { deleted_at: r.get(12)?, private, company_deleted, ..customer_columns(r, id.clone(), 0)? }))
            })
            .optional()?;
        let Some((delete_stamp, mut cust)) = row else {
            return Err(CoreError::NotFound { what: "customer", id: id.to_string() });
        };
        // A trashed record shows the parts it had when it was deleted (same delete stamp).
        let alive = "(deleted_at IS NULL OR json_extract(_clocks, '$.deleted_at') = ?2)";
        let del = delete_stamp;
        let points = |table: &str| -> Result<Vec<ContactPoint>> {
            let mut st = c.prepare_cached(&format!("SELECT id, label, value FROM {table} WHERE customer_id = ?1 AND {alive} ORDER BY position, id"))?;
            let rows = st.query_map(params![id.as_str(), del], |r| Ok(ContactPoint { id: Some(ContactPointId(r.get(0)?)), label: r.get(1)?, value: r.get(2)? }))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        cust.phones = points("customer_phones")?;
        cust.emails = points("customer_emails")?;
        let mut st = c.prepare_cached(&format!(
            "SELECT id, label, street, city, region, postal_code, country FROM customer_addresses WHERE customer_id = ?1 AND {alive} ORDER BY position, id"
        ))?;
        cust.addresses = st
            .query_map(params![id.as_str(), del], |r| {
                Ok(Address {
                    id: Some(ContactPointId(r.get(0)?)),
                    label: r.get(1)?,
                    street: r.get(2)?,
                    city: r.get(3)?,
                    region: r.get(4)?,
                    postal_code: r.get(5)?,
                    country: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut st = c.prepare_cached(&format!("SELECT tag FROM customer_tags WHERE customer_id = ?1 AND {alive} ORDER BY id"))?;
        cust.tags = st.query_map(params![id.as_str(), del], |r| r.get(0))?.collect::<Result<_, _>>()?;
        cust.custom = fields::values_in(c, &CUSTOMER, Some(id.as_str()))?.remove(id.as_str()).unwrap_or_default().into_iter().map(|(v, _)| v).collect();
        Ok(cust)
    })
}

/// What the in-memory index needs of one customer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexSource {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub company_id: Option<String>,
    pub owner: String,
    pub stage: String,
    pub job_title: String,
    pub department: String,
    pub notes: String,
    pub updated_ms: i64,
    pub deleted_at: Option<String>,
    pub tags: Vec<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub custom: Vec<CustomValue>,
    /// Text custom fields' values, joined: what search reads.
    pub custom_text: String,
    /// When the newest live activity happened (Unix ms; 0 when there is none).
    pub last_activity_ms: i64,
}

/// Loads index sources for all customers (`ids == None`) or just the given ones. Rows without a
/// name are skipped: they are partial rows whose remaining columns have not arrived by sync yet.
pub fn load_index_sources(store: &Store, ids: Option<&[String]>) -> Result<Vec<IndexSource>> {
    load_sources(
        store,
        match ids {
            None => Sources::All,
            Some(ids) => Sources::Ids(ids),
        },
    )
}

/// [`load_index_sources`] for the customers whose ids are after `after`, up to `upto`: a slice of
/// the book in a few range scans (lean mode reads the book so).
pub fn load_index_sources_between(store: &Store, after: &str, upto: &str) -> Result<Vec<IndexSource>> {
    load_sources(store, Sources::Between(after, upto))
}

#[derive(Clone, Copy)]
enum Sources<'a> {
    All,
    Ids(&'a [String]),
    Between(&'a str, &'a str),
}

impl<'a> Sources<'a> {
    /// The condition on a customer id column `col`, for a statement's `WHERE`.
    fn filter(self, col: &str) -> String {
        match self {
            Sources::All => String::new(),
            Sources::Ids(_) => format!("AND {col} = ?1"),
            Sources::Between(..) => format!("AND {col} > ?1 AND {col} <= ?2"),
        }
    }

    /// The parameters of each run of a statement with [`Sources::filter`]: one run for the whole
    /// book or a range, one per id.
    fn runs(self) -> Vec<Vec<&'a str>> {
        match self {
            Sources::All => vec![vec![]],
            Sources::Between(after, upto) => vec![vec![after, upto]],
            Sources::Ids(ids) => ids.iter().map(|id| vec![id.as_str()]).collect(),
        }
    }
}

fn load_sources(store: &Store, scope: Sources<'_>) -> Result<Vec<IndexSource>> {
    store.read(|c| {
        let mut by_id: HashMap<String, IndexSource> = HashMap::default();
        let mut order = Vec::new();
        // Records merged into another are neither listed nor in the trash: undo merge brings them back.
        let base = "SELECT id, kind, name, company_id, owner, stage, notes, updated_ms, deleted_at, job_title, department
                    FROM customers WHERE name <> '' AND merged_into IS NULL";
        let mut push = |r: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
            let s = IndexSource {
                id: r.get(0)?,
                kind: r.get(1)?,
                name: r.get(2)?,
                company_id: r.get(3)?,
                owner: r.get(4)?,
                stage: r.get(5)?,
                notes: r.get(6)?,
                updated_ms: r.get(7)?,
                deleted_at: r.get(8)?,
                job_title: r.get(9)?,
                department: r.get(10)?,
                ..Default::default()
            };
            order.push(s.id.clone());
            by_id.insert(s.id.clone(), s);
            Ok(())
        };
        let mut st = c.prepare_cached(&format!("{base} {}", scope.filter("id")))?;
        for params in scope.runs() {
            let mut rows = st.query(rusqlite::params_from_iter(params))?;
            while let Some(r) = rows.next()? {
                push(r)?;
            }
        }
        // Children: a bulk scan for a full load, per-customer lookups for a few.
        // Children: live rows, plus those a trashed parent took with it (same delete stamp).
        // No ORDER BY and no join for live rows: sorting 400,000 rows in SQL was half the load.
        let mut children = |table: &str, col: &str, sink: &mut dyn FnMut(&mut IndexSource, String)| -> Result<()> {
            let pos = if table == "customer_tags" { "0" } else { "c.position" };
            let one = scope.filter("c.customer_id");
            let sql = format!(
                "SELECT c.customer_id, c.{col}, {pos}, c.id FROM {table} c WHERE c.deleted_at IS NULL {one}
                 UNION ALL
                 SELECT c.customer_id, c.{col}, {pos}, c.id FROM {table} c JOIN customers p ON p.id = c.customer_id
                 WHERE c.deleted_at IS NOT NULL AND p.deleted_at IS NOT NULL {one}
                   AND json_extract(c._clocks, '$.deleted_at') = json_extract(p._clocks, '$.deleted_at')"
            );
            let mut st = c.prepare_cached(&sql)?;
            let mut found: HashMap<String, Vec<(i64, String, String)>> = HashMap::default();
            let mut each = |rows: &mut rusqlite::Rows<'_>| -> Result<()> {
                while let Some(r) = rows.next()? {
                    let cid: String = r.get(0)?;
                    if by_id.contains_key(&cid) {
                        found.entry(cid).or_default().push((r.get(2)?, r.get(3)?, r.get(1)?));
                    }
                }
                Ok(())
            };
            for params in scope.runs() {
                each(&mut st.query(rusqlite::params_from_iter(params))?)?;
            }
            for (cid, mut values) in found {
                values.sort_unstable();
                if let Some(s) = by_id.get_mut(&cid) {
                    for (_, _, v) in values {
                        sink(s, v);
                    }
                }
            }
            Ok(())
        };
        children("customer_tags", "tag", &mut |s, v| s.tags.push(v))?;
        children("customer_emails", "value", &mut |s, v| s.emails.push(v))?;
        children("customer_phones", "value", &mut |s, v| s.phones.push(v))?;
        let custom = match scope {
            Sources::All => fields::values_in(c, &CUSTOMER, None)?,
            Sources::Between(after, upto) => fields::values_between(c, &CUSTOMER, after, upto)?,
            Sources::Ids(ids) => {
                let mut all = HashMap::default();
                for id in ids {
                    all.extend(fields::values_in(c, &CUSTOMER, Some(id))?);
                }
                all
            }
        };
        // The newest activity per customer, for "no activity in N days" (text order of the UTC
        // RFC 3339 times is time order).
        let mut st = c.prepare_cached(&format!(
            "SELECT customer_id, max(occurred_at) FROM activities WHERE deleted_at IS NULL {} GROUP BY customer_id",
            scope.filter("customer_id")
        ))?;
        let mut last = |r: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
            let (cid, at): (String, Option<String>) = (r.get(0)?, r.get(1)?);
            if let (Some(s), Some(at)) = (by_id.get_mut(&cid), at) {
                s.last_activity_ms = chrono::DateTime::parse_from_rfc3339(&at).map(|t| t.timestamp_millis()).unwrap_or(0);
            }
            Ok(())
        };
        for params in scope.runs() {
            let mut rows = st.query(rusqlite::params_from_iter(params))?;
            while let Some(r) = rows.next()? {
                last(r)?;
            }
        }
        for (cid, values) in custom {
            if let Some(s) = by_id.get_mut(&cid) {
                s.custom_text = values
                    .iter()
                    .filter(|(_, k)| *k == fields::FieldKind::Text)
                    .map(|(v, _)| v.value.as_str())
                    .collect::<Vec<_>>()
                    .join("\u{1}");
                s.custom = values.into_iter().map(|(v, _)| v).collect();
            }
        }
        Ok(order.into_iter().filter_map(|id| by_id.remove(&id)).collect())
    })
}

/// A record's history, newest first, without bookkeeping columns.
pub fn history(store: &Store, id: &CustomerId, limit: u32) -> Result<Vec<HistoryEntry>> {
    history_before(store, id, None, limit)
}

/// Field changes made before `before_ms`, newest first; activities are left to the timeline.
pub fn history_before(store: &Store, id: &CustomerId, before_ms: Option<u64>, limit: u32) -> Result<Vec<HistoryEntry>> {
    // A merge moved the absorbed records' past here: their history is this record's too.
    let mut ids = vec![id.0.clone()];
    let mut i = 0;
    while i < ids.len() && ids.len() < 1000 {
        let absorbed: Vec<String> = store.read(|c| {
            Ok(c.prepare_cached("SELECT id FROM customers WHERE merged_into = ?1")?
                .query_map([&ids[i]], |r| r.get(0))?
                .collect::<Result<_, _>>()?)
        })?;
        ids.extend(absorbed.into_iter().filter(|a| !ids.contains(a)).collect::<Vec<_>>());
        i += 1;
    }
    let mut entries = Vec::new();
    let mut merges: Vec<(LogEntry, String)> = Vec::new();
    for entity in &ids {
        let mut found = store.history(entity, before_ms, limit)?;
        if entity != &id.0 {
            // The merge's own bookkeeping on the absorbed record (its tombstones, the pointer
            // here) reads as one line: "merged in: <name>".
            let merge_clocks: Vec<_> =
                found.iter().filter(|e| e.column == "merged_into" && e.value != Value::Null).map(|e| e.hlc).collect();
            for e in found.iter().filter(|e| e.column == "merged_into" && e.value != Value::Null) {
                let name: String = store.read(|c| Ok(c.query_row("SELECT name FROM customers WHERE id = ?1", [entity], |r| r.get(0))?))?;
                merges.push((e.clone(), name));
            }
            found.retain(|e| !merge_clocks.contains(&e.hlc));
        }
        entries.extend(found);
    }
    for (e, name) in merges {
        entries.push(LogEntry {
            column: "merged".into(),
            table: "customers".into(),
            old_value: Value::Null,
            value: Value::Text(name),
            ..e
        });
    }
    if ids.len() > 1 {
        entries.sort_by(|a, b| b.hlc.cmp(&a.hlc));
        entries.truncate(limit as usize);
    }
    let mut out: Vec<HistoryEntry> = entries.into_iter().filter_map(|e| history::entry(&CUSTOMER, e)).collect();
    // A company is stored by id; people read its name (as it is now; ids of purged ones stay).
    store.read(|c| {
        let mut st = c.prepare_cached("SELECT name FROM customers WHERE id = ?1 AND name <> ''")?;
        for e in out.iter_mut().filter(|e| e.field == "company_id" || e.field == "merged_into") {
            for v in [&mut e.old_value, &mut e.new_value].into_iter().flatten() {
                if let Some(name) = st.query_row([v.as_str()], |r| r.get::<_, String>(0)).optional()? {
                    *v = name;
                }
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// Every live customer with all its parts, in five scans instead of five queries per customer
/// (exports of 100,000 records). `wanted` keeps only those ids, in that order.
pub fn load_live(store: &Store, wanted: Option<&[String]>) -> Result<Vec<Customer>> {
    store.read(|c| {
        let mut by_id: HashMap<String, Customer> = HashMap::default();
        let mut order: Vec<String> = Vec::new();
        let mut st = c.prepare(
            "SELECT c.id, c.kind, c.name, c.company_id, co.name, c.owner, c.stage, c.source, c.notes, c.birthday, c.updated_ms,
                    c.job_title, c.department, c.visibility
             FROM customers c LEFT JOIN customers co ON co.id = c.company_id AND co.deleted_at IS NULL
             WHERE c.deleted_at IS NULL AND c.name <> ''",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id = CustomerId(r.get(0)?);
            let cust = Customer { private: r.get::<_, String>(13)? == PRIVATE, ..customer_columns(r, id.clone(), 1)? };
            order.push(id.0.clone());
            by_id.insert(id.0, cust);
        }
        for table in ["customer_phones", "customer_emails"] {
            let mut st = c.prepare(&format!(
                "SELECT customer_id, id, label, value FROM {table} WHERE deleted_at IS NULL ORDER BY customer_id, position, id"
            ))?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(cust) = by_id.get_mut(&r.get::<_, String>(0)?) {
                    let p = ContactPoint { id: Some(ContactPointId(r.get(1)?)), label: r.get(2)?, value: r.get(3)? };
                    if table == "customer_phones" {
                        cust.phones.push(p)
                    } else {
                        cust.emails.push(p)
                    }
                }
            }
        }
        let mut st = c.prepare(
            "SELECT customer_id, id, label, street, city, region, postal_code, country FROM customer_addresses
             WHERE deleted_at IS NULL ORDER BY customer_id, position, id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(cust) = by_id.get_mut(&r.get::<_, String>(0)?) {
                cust.addresses.push(Address {
                    id: Some(ContactPointId(r.get(1)?)),
                    label: r.get(2)?,
                    street: r.get(3)?,
                    city: r.get(4)?,
                    region: r.get(5)?,
                    postal_code: r.get(6)?,
                    country: r.get(7)?,
                });
            }
        }
        let mut st = c.prepare("SELECT customer_id, tag FROM customer_tags WHERE deleted_at IS NULL ORDER BY customer_id, id")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(cust) = by_id.get_mut(&r.get::<_, String>(0)?) {
                cust.tags.push(r.get(1)?);
            }
        }
        for (cid, values) in fields::values_in(c, &CUSTOMER, None)? {
            if let Some(cust) = by_id.get_mut(&cid) {
                cust.custom = values.into_iter().map(|(v, _)| v).collect();
            }
        }
        let ids: Vec<String> = match wanted {
            Some(w) => w.to_vec(),
            None => order,
        };
        Ok(ids.into_iter().filter_map(|id| by_id.remove(&id)).collect())
    })
}
