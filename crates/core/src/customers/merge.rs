//! Merging two records of the same customer, and undoing it.
//!
//! The user keeps one record (the survivor) and picks, field by field, whose value wins. Nothing of
//! the other record is dropped: its extra phones, emails, addresses and tags move over (the rows
//! themselves, so their ids and history move too), its activities and its people (for a company)
//! move to the survivor, and the absorbed record goes to the trash pointing at the survivor
//! (`merged_into`), where the survivor's history still finds it. Values that lost stay in the
//! history of the record they came from.
//!
//! A merge is one write. Undo reverts exactly that write ([`crate::store::Writer::revert`]): every
//! column it set gets its old value back unless something changed it since.

use super::repo;
use super::validate::normalize_phone;
use super::*;
use crate::error::{CoreError, Invalid, Result};
use crate::store::schema;
use crate::store::{Store, Writer};
use rusqlite::types::Value;

/// Which record's value a field keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Pick {
    #[default]
    Keep,
    Other,
}

/// The user's choice for each single-valued field. Lists (phones, emails, addresses, tags) are
/// never chosen between: both sides are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MergeChoices {
    pub name: Pick,
    pub company_id: Pick,
    pub owner: Pick,
    pub stage: Pick,
    pub source: Pick,
    /// Added in 0.3: a choice that leaves them out keeps the kept record's.
    #[serde(default)]
    pub job_title: Pick,
    #[serde(default)]
    pub department: Pick,
    pub birthday: Pick,
    pub notes: Pick,
}

impl MergeChoices {
    /// Every field from the record that is kept.
    pub fn keep_all() -> Self {
        let k = Pick::Keep;
        MergeChoices { name: k, company_id: k, owner: k, stage: k, source: k, job_title: k, department: k, birthday: k, notes: k }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MergeOutcome {
    pub survivor: Customer,
    /// Hand back to `undo_merge` to revert this merge.
    pub undo_token: String,
    pub moved_activities: u32,
    pub moved_people: u32,
}

fn parse_token(token: &str) -> Option<(i64, i64)> {
    let mut parts = token.strip_prefix("merge:")?.split(':');
    let first = parts.next()?.parse().ok()?;
    let last = parts.next()?.parse().ok()?;
    (first <= last && parts.next().is_none()).then_some((first, last))
}

fn live_ids(w: &Writer<'_>, sql: &str, id: &CustomerId) -> Result<Vec<String>> {
    Ok(w.conn().prepare_cached(sql)?.query_map([id.as_str()], |r| r.get(0))?.collect::<Result<_, _>>()?)
}

/// Merges `other` into `keep`. Both must be live records of the same kind.
/// Returns the undo token and how many activities and people moved. (The rows it touched reach
/// the modules through the write itself: `Satchel::settle`.)
pub fn merge(store: &Store, keep: &CustomerId, other: &CustomerId, choices: &MergeChoices) -> Result<(String, u32, u32)> {
    if keep == other {
        return Err(CoreError::invalid("other", Invalid::Duplicate));
    }
    let a = repo::get(store, keep)?;
    let b = repo::get(store, other)?;
    for c in [&a, &b] {
        if c.deleted_at.is_some() {
            return Err(CoreError::NotFound { what: "customer", id: c.id.to_string() });
        }
    }
    if a.kind != b.kind {
        return Err(CoreError::invalid("kind", Invalid::OneOf { value: b.kind.as_str().into(), allowed: a.kind.as_str().into() }));
    }
    let from = |p: Pick| if p == Pick::Keep { &a } else { &b };
    let company_id = from(choices.company_id).company_id.clone().filter(|c| c != keep && c != other);
    let values: Vec<(&'static str, Value)> = vec![
        ("name", Value::Text(from(choices.name).name.clone())),
        ("company_id", company_id.map(|c| Value::Text(c.0)).unwrap_or(Value::Null)),
        ("owner", Value::Text(from(choices.owner).owner.clone())),
        ("stage", Value::Text(from(choices.stage).stage.as_str().into())),
        ("source", Value::Text(from(choices.source).source.clone())),
        ("job_title", Value::Text(from(choices.job_title).job_title.clone())),
        ("department", Value::Text(from(choices.department).department.clone())),
        ("birthday", from(choices.birthday).birthday.clone().map(Value::Text).unwrap_or(Value::Null)),
        ("notes", Value::Text(from(choices.notes).notes.clone())),
    ];

    store.write(|w| {
        w.update(&schema::CUSTOMERS, keep.as_str(), &values)?;
        // Extra phones, emails and addresses move over after the survivor's own; ones the
        // survivor already has (same number after normalisation, same address) stay behind.
        let move_points = |w: &mut Writer<'_>, t: &schema::TableDef, have: Vec<String>, theirs: Vec<(String, String)>| -> Result<()> {
            let mut position = have.len() as i64;
            let mut seen = have;
            for (row, key) in theirs {
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                w.update(t, &row, &[("customer_id", Value::Text(keep.0.clone())), ("position", Value::Integer(position))])?;
                position += 1;
            }
            Ok(())
        };
        let phone_keys = |c: &Customer| {
            c.phones.iter().map(|p| (p.id.clone().map(|i| i.0).unwrap_or_default(), normalize_phone(&p.value))).collect::<Vec<_>>()
        };
        let email_keys = |c: &Customer| {
            c.emails.iter().map(|p| (p.id.clone().map(|i| i.0).unwrap_or_default(), p.value.to_lowercase())).collect::<Vec<_>>()
        };
        let address_key =
            |a: &Address| [&a.street, &a.city, &a.region, &a.postal_code, &a.country].map(|s| s.trim().to_lowercase()).join("|");
        let addr_keys =
            |c: &Customer| c.addresses.iter().map(|a| (a.id.clone().map(|i| i.0).unwrap_or_default(), address_key(a))).collect::<Vec<_>>();
        let keys = |v: Vec<(String, String)>| v.into_iter().map(|(_, k)| k).collect::<Vec<_>>();
        move_points(w, &schema::CUSTOMER_PHONES, keys(phone_keys(&a)), phone_keys(&b))?;
        move_points(w, &schema::CUSTOMER_EMAILS, keys(email_keys(&a)), email_keys(&b))?;
        move_points(w, &schema::CUSTOMER_ADDRESSES, keys(addr_keys(&a)), addr_keys(&b))?;
        for (row, tag) in
            live_ids_with(w, "SELECT id, tag FROM customer_tags WHERE customer_id = ?1 AND deleted_at IS NULL ORDER BY id", other)?
        {
            if !a.tags.contains(&tag) {
                w.update(&schema::CUSTOMER_TAGS, &row, &[("customer_id", Value::Text(keep.0.clone()))])?;
            }
        }
        // Custom field values the survivor lacks are copied over (a value row's id names its
        // customer, so it cannot move); the absorbed record's rows go to the trash with it.
        for (field, value) in
            live_ids_with(w, "SELECT field_id, value FROM customer_field_values WHERE customer_id = ?1 AND deleted_at IS NULL", other)?
        {
            if !a.custom.iter().any(|v| v.field_id.as_str() == field) {
                repo::set_custom_value(w, keep, &field, &value)?;
            }
        }
        for id in live_ids(w, "SELECT id FROM attachments WHERE customer_id = ?1 AND deleted_at IS NULL", other)? {
            w.update(&schema::ATTACHMENTS, &id, &[("customer_id", Value::Text(keep.0.clone()))])?;
        }
        let activities = live_ids(w, "SELECT id FROM activities WHERE customer_id = ?1 AND deleted_at IS NULL", other)?;
        for id in &activities {
            w.update(&schema::ACTIVITIES, id, &[("customer_id", Value::Text(keep.0.clone()))])?;
        }
        let people = live_ids(w, "SELECT id FROM customers WHERE company_id = ?1 AND deleted_at IS NULL", other)?;
        for id in &people {
            w.update(&schema::CUSTOMERS, id, &[("company_id", Value::Text(keep.0.clone()))])?;
        }
        // The absorbed record and what stayed with it go to the trash, pointing at the survivor.
        w.update(&schema::CUSTOMERS, other.as_str(), &[("merged_into", Value::Text(keep.0.clone()))])?;
        w.tombstone(&schema::CUSTOMERS, other.as_str())?;
        for t in [
            &schema::CUSTOMER_PHONES,
            &schema::CUSTOMER_EMAILS,
            &schema::CUSTOMER_ADDRESSES,
            &schema::CUSTOMER_TAGS,
            &schema::CUSTOMER_FIELD_VALUES,
        ] {
            for row in live_ids(w, &format!("SELECT id FROM {} WHERE customer_id = ?1 AND deleted_at IS NULL", t.name), other)? {
                w.tombstone(t, &row)?;
            }
        }
        let (first, last) = w.log_range()?.ok_or_else(|| CoreError::Internal("a merge wrote nothing".into()))?;
        Ok((format!("merge:{first}:{last}"), activities.len() as u32, people.len() as u32))
    })
}

fn live_ids_with(w: &Writer<'_>, sql: &str, id: &CustomerId) -> Result<Vec<(String, String)>> {
    Ok(w.conn().prepare_cached(sql)?.query_map([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?)
}

/// Reverts a merge (the rows it touches reach the modules through the write, as any write's do).
pub fn undo(store: &Store, token: &str) -> Result<()> {
    let (first, last) = parse_token(token).ok_or_else(|| CoreError::NotFound { what: "merge", id: token.into() })?;
    store.write(|w| w.revert(first, last).map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_tokens_are_checked_not_trusted() {
        assert_eq!(parse_token("merge:10:42"), Some((10, 42)));
        for bad in ["", "merge:", "merge:42:10", "merge:1:2:3", "undo:1:2", "merge:a:b"] {
            assert_eq!(parse_token(bad), None, "{bad}");
        }
    }
}
