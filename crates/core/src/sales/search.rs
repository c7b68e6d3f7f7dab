//! The sales module's records in the global search (`crate::search`): deals by title or
//! customer, quotes by number or customer (the newest version of each number only), contracts by
//! number, title or customer.

use crate::error::Result;
use crate::search::{row_keys, scope_filter, Doc, Group, Loaded, Scope};
use rusqlite::Connection;

pub fn deals(c: &Connection, _me: &str, scope: Scope<'_>) -> Result<Loaded> {
    let (filter, params) = scope_filter(scope, "o.id", "o.customer_id");
    let mut st = c.prepare(&format!(
        "SELECT o.id, o.title, coalesce(cu.name, ''), o.customer_id FROM opportunities o LEFT JOIN customers cu ON cu.id = o.customer_id
         WHERE o.deleted_at IS NULL{filter}"
    ))?;
    let docs = st
        .query_map(rusqlite::params_from_iter(params), |r| {
            let (id, title, customer, customer_id): (String, String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let fields = [title.as_str(), customer.as_str()];
            Ok(Doc::new(Group::Sales, "deal", 0, id, title.clone(), customer.clone(), customer_id, title.clone(), false, &fields))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Loaded { keys: row_keys("deal", scope), docs })
}

pub fn quotes(c: &Connection, _me: &str, scope: Scope<'_>) -> Result<Loaded> {
    // A quote is found by its number: a touched version stands for its whole number, whose
    // newest live version is read again (a revision replaces the version before it).
    let mut keys = Vec::new();
    let (filter, params) = match scope {
        Scope::Rows(ids) => {
            let mut st = c.prepare(&format!("SELECT DISTINCT number FROM quotes WHERE id IN ({})", vec!["?"; ids.len()].join(",")))?;
            let numbers =
                st.query_map(rusqlite::params_from_iter(ids), |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            keys = numbers.iter().map(|n| format!("quote:{n}")).collect();
            scope_filter(Scope::Rows(&numbers), "q.number", "")
        }
        other => scope_filter(other, "", "q.customer_id"),
    };
    let mut st = c.prepare(&format!(
        "SELECT q.id, q.number, coalesce(cu.name, ''), q.customer_id FROM quotes q LEFT JOIN customers cu ON cu.id = q.customer_id
         WHERE q.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM quotes n WHERE n.number = q.number AND n.deleted_at IS NULL
                           AND (n.version > q.version OR (n.version = q.version AND n.id > q.id))){filter}"
    ))?;
    let docs = st
        .query_map(rusqlite::params_from_iter(params), |r| {
            let (id, number, customer, customer_id): (String, String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let fields = [number.as_str(), customer.as_str()];
            Ok(Doc::keyed(
                format!("quote:{number}"),
                Group::Sales,
                "quote",
                1,
                &id,
                &number,
                &customer,
                &customer_id,
                &number,
                true,
                &fields,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Loaded { keys, docs })
}

pub fn contracts(c: &Connection, _me: &str, scope: Scope<'_>) -> Result<Loaded> {
    let (filter, params) = scope_filter(scope, "k.id", "k.customer_id");
    let mut st = c.prepare(&format!(
        "SELECT k.id, k.number, k.title, coalesce(cu.name, ''), k.customer_id FROM contracts k LEFT JOIN customers cu ON cu.id = k.customer_id
         WHERE k.deleted_at IS NULL{filter}"
    ))?;
    let docs = st
        .query_map(rusqlite::params_from_iter(params), |r| {
            let (id, number, title, customer, customer_id): (String, String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            let fields = [number.as_str(), title.as_str(), customer.as_str()];
            Ok(Doc::new(Group::Sales, "contract", 1, id, number.clone(), customer.clone(), customer_id, number.clone(), true, &fields))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Loaded { keys: row_keys("contract", scope), docs })
}
