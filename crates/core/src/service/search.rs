//! The service module's records in the global search (`crate::search`): tickets by number,
//! subject or customer (closed ones too), articles by title, tags, problem or solution.

use crate::error::Result;
use crate::search::{row_keys, scope_filter, Doc, Group, Loaded, Scope};
use rusqlite::Connection;

pub fn tickets(c: &Connection, _me: &str, scope: Scope<'_>) -> Result<Loaded> {
    let (filter, params) = scope_filter(scope, "t.id", "t.customer_id");
    let mut st = c.prepare(&format!(
        "SELECT t.id, t.number, t.subject, coalesce(cu.name, ''), t.customer_id, t.opened_at FROM tickets t LEFT JOIN customers cu ON cu.id = t.customer_id
         WHERE t.deleted_at IS NULL{filter}"
    ))?;
    let docs = st
        .query_map(rusqlite::params_from_iter(params), |r| {
            let (id, number, subject, customer, customer_id, opened): (String, String, String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
            let fields = [subject.as_str(), number.as_str(), customer.as_str()];
            Ok(Doc::new(
                Group::Service,
                "ticket",
                0,
                id,
                format!("{number} {subject}"),
                customer.clone(),
                customer_id,
                opened,
                true,
                &fields,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Loaded { keys: row_keys("ticket", scope), docs })
}

pub fn articles(c: &Connection, _me: &str, scope: Scope<'_>) -> Result<Loaded> {
    // Articles are for no customer: a renamed customer changes none.
    if let Scope::Customers(_) = scope {
        return Ok(Loaded::default());
    }
    let (filter, params) = scope_filter(scope, "id", "");
    let mut st = c.prepare(&format!("SELECT id, title, tags, problem, solution FROM articles WHERE deleted_at IS NULL{filter}"))?;
    let docs = st
        .query_map(rusqlite::params_from_iter(params), |r| {
            let (id, title, tags, problem, solution): (String, String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            let fields = [title.as_str(), tags.as_str(), problem.as_str(), solution.as_str()];
            // Shorter titles first, as the knowledge base's own search.
            let order = format!("{:08}", title.chars().count());
            Ok(Doc::new(Group::Service, "article", 1, id, title.clone(), String::new(), String::new(), order, false, &fields))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Loaded { keys: row_keys("article", scope), docs })
}
