//! Activities and the timeline: what happened with a customer (calls, visits, meetings, emails,
//! notes) mixed with what changed in the record, newest first.
//!
//! Activities are synced rows of their own (`activities`, migration 0002), written through the
//! store's one write door like everything else. The timeline pages backwards by time: each page
//! reads at most `limit` activities (index on customer and time) and `limit` change groups (the
//! record's history runs), merges them, and hands back a cursor, so a record with 10,000 entries
//! costs the same as one with ten.

use super::repo;
use super::HistoryEntry;
use crate::error::{CoreError, Invalid, Result};
use crate::ids::{ActivityId, CustomerId};
use crate::store::{schema, Store};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Call,
    Visit,
    Meeting,
    Email,
    Note,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 5] =
        [ActivityKind::Call, ActivityKind::Visit, ActivityKind::Meeting, ActivityKind::Email, ActivityKind::Note];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Visit => "visit",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Email => "email",
            ActivityKind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Self {
        Self::ALL.into_iter().find(|k| k.as_str() == s).unwrap_or(ActivityKind::Note)
    }
}

/// What the "log activity" form submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityInput {
    pub kind: ActivityKind,
    /// RFC 3339 with the user's offset, e.g. `2026-11-23T10:30:00+08:00`.
    pub occurred_at: String,
    pub duration_minutes: Option<i32>,
    pub outcome: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub id: ActivityId,
    pub customer_id: CustomerId,
    pub kind: ActivityKind,
    /// RFC 3339 UTC.
    pub occurred_at: String,
    pub duration_minutes: Option<i32>,
    pub outcome: String,
    pub body: String,
    /// Who logged it (the local profile's name).
    pub logged_by: String,
}

/// One save's field changes, as the timeline shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChangeGroup {
    pub at: String,
    pub author: String,
    pub device: String,
    pub entries: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineItem {
    Activity { activity: Activity },
    Changes { changes: ChangeGroup },
}

impl TimelineItem {
    fn at(&self) -> &str {
        match self {
            TimelineItem::Activity { activity } => &activity.occurred_at,
            TimelineItem::Changes { changes } => &changes.at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TimelinePage {
    pub items: Vec<TimelineItem>,
    /// Pass as `before` for the next (older) page; `null` when there is nothing older.
    pub next_before: Option<String>,
}

pub const DURATION_MAX: i32 = 7 * 24 * 60;
pub const OUTCOME_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;

/// Cleans and checks an activity form; the time comes back as UTC RFC 3339 with milliseconds.
pub fn validate(input: &ActivityInput) -> Result<ActivityInput> {
    let occurred = DateTime::parse_from_rfc3339(input.occurred_at.trim())
        .map_err(|_| CoreError::invalid("occurredAt", Invalid::DateTime))?
        .with_timezone(&Utc);
    if let Some(d) = input.duration_minutes {
        // i32, not u32, so that a negative number reaches this check and gets a message naming
        // the field instead of failing to decode.
        if !(0..=DURATION_MAX).contains(&d) {
            return Err(CoreError::invalid("durationMinutes", Invalid::OutOfRange { min: 0, max: DURATION_MAX as i64 }));
        }
    }
    let outcome = input.outcome.trim().to_string();
    if outcome.chars().count() > OUTCOME_MAX {
        return Err(CoreError::invalid("outcome", Invalid::TooLong { max: OUTCOME_MAX }));
    }
    let body = input.body.trim_end().to_string();
    if body.chars().count() > BODY_MAX {
        return Err(CoreError::invalid("body", Invalid::TooLong { max: BODY_MAX }));
    }
    Ok(ActivityInput {
        kind: input.kind,
        occurred_at: occurred.to_rfc3339_opts(SecondsFormat::Millis, true),
        duration_minutes: input.duration_minutes,
        outcome,
        body,
    })
}

fn values(v: &ActivityInput) -> Vec<(&'static str, Value)> {
    vec![
        ("kind", Value::Text(v.kind.as_str().into())),
        ("occurred_at", Value::Text(v.occurred_at.clone())),
        ("duration_minutes", v.duration_minutes.map(|d| Value::Integer(d.into())).unwrap_or(Value::Null)),
        ("outcome", Value::Text(v.outcome.clone())),
        ("body", Value::Text(v.body.clone())),
    ]
}

pub fn log(store: &Store, customer: &CustomerId, input: &ActivityInput) -> Result<Activity> {
    let v = validate(input)?;
    let id = ActivityId::new();
    store.write(|w| {
        let live: Option<Option<String>> = w
            .conn()
            .prepare_cached("SELECT deleted_at FROM customers WHERE id = ?1 AND name <> ''")?
            .query_row([customer.as_str()], |r| r.get(0))
            .optional()?;
        // A customer in the trash takes no new activities: restore it first.
        if !matches!(live, Some(None)) {
            return Err(CoreError::NotFound { what: "customer", id: customer.to_string() });
        }
        let mut cols = vec![("customer_id", Value::Text(customer.0.clone()))];
        cols.extend(values(&v));
        cols.push(("logged_by", Value::Text(store.profile().author.clone())));
        w.insert(&schema::ACTIVITIES, id.as_str(), &cols)
    })?;
    get(store, &id)
}

pub fn update(store: &Store, id: &ActivityId, input: &ActivityInput) -> Result<Activity> {
    let v = validate(input)?;
    store.write(|w| {
        if !matches!(w.deleted_at(&schema::ACTIVITIES, id.as_str())?, Some(None)) {
            return Err(CoreError::NotFound { what: "activity", id: id.to_string() });
        }
        w.update(&schema::ACTIVITIES, id.as_str(), &values(&v)).map(|_| ())
    })?;
    get(store, id)
}

pub fn delete(store: &Store, id: &ActivityId) -> Result<()> {
    store.write(|w| w.tombstone(&schema::ACTIVITIES, id.as_str()).map(|_| ()))
}

/// Undoes a delete: the same activity (id, author) comes back.
pub fn restore(store: &Store, id: &ActivityId) -> Result<Activity> {
    store.write(|w| w.update(&schema::ACTIVITIES, id.as_str(), &[("deleted_at", Value::Null)]).map(|_| ()))?;
    get(store, id)
}

const COLUMNS: &str = "id, customer_id, kind, occurred_at, duration_minutes, outcome, body, logged_by";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Activity> {
    Ok(Activity {
        id: ActivityId(r.get(0)?),
        customer_id: CustomerId(r.get(1)?),
        kind: ActivityKind::parse(&r.get::<_, String>(2)?),
        occurred_at: r.get(3)?,
        duration_minutes: r.get::<_, Option<i64>>(4)?.map(|d| d.clamp(0, DURATION_MAX as i64) as i32),
        outcome: r.get(5)?,
        body: r.get(6)?,
        logged_by: r.get(7)?,
    })
}

pub fn get(store: &Store, id: &ActivityId) -> Result<Activity> {
    store
        .read(|c| {
            Ok(c.prepare_cached(&format!("SELECT {COLUMNS} FROM activities WHERE id = ?1 AND deleted_at IS NULL"))?
                .query_row([id.as_str()], from_row)
                .optional()?)
        })?
        .ok_or_else(|| CoreError::NotFound { what: "activity", id: id.to_string() })
}

/// Where a timeline page ends: the last item's time, and for an activity its id, so that items
/// sharing one millisecond are never skipped or repeated across pages.
struct Cursor<'a> {
    at: &'a str,
    activity: Option<&'a str>,
}

impl<'a> Cursor<'a> {
    fn parse(s: &'a str) -> Self {
        match s.split_once('|') {
            Some((at, id)) => Cursor { at, activity: Some(id) },
            None => Cursor { at: s, activity: None },
        }
    }
}

/// One page of a customer's timeline: activities and change groups older than `before`.
/// Order: time descending; at the same time change groups come before activities, and
/// activities by id descending.
pub fn timeline(store: &Store, customer: &CustomerId, before: Option<&str>, limit: u32) -> Result<TimelinePage> {
    let limit = limit.clamp(1, 500);
    let cursor = before.map(Cursor::parse);
    let (at, after_changes, id) = match &cursor {
        None => ("9999", true, ""),
        // After a change group at T: every activity at T is still to come.
        Some(Cursor { at, activity: None }) => (*at, true, ""),
        // After an activity at T: only activities at T with a smaller id.
        Some(Cursor { at, activity: Some(id) }) => (*at, false, *id),
    };
    let activities: Vec<Activity> = store.read(|c| {
        let mut st = c.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM activities
             WHERE customer_id = ?1 AND deleted_at IS NULL
               AND (occurred_at < ?2 OR (occurred_at = ?2 AND (?3 OR id < ?4)))
             ORDER BY occurred_at DESC, id DESC LIMIT ?5"
        ))?;
        let rows = st.query_map(params![customer.as_str(), at, after_changes && cursor.is_some(), id, limit + 1], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    })?;
    let before_ms = cursor.as_ref().and_then(|c| DateTime::parse_from_rfc3339(c.at).ok()).map(|d| d.timestamp_millis().max(0) as u64);
    // Enough columns for `limit` saves of a typical size; a page may hold fewer groups than asked.
    let cap = limit * 12;
    let entries = repo::history_before(store, customer, before_ms, cap)?;
    // Known limit: a page whose time window holds more than `cap` changed columns shows the newest
    // `cap` of them; older items in that window are still paged, but the rest of those columns
    // are not (a record would need hundreds of edits between two activities).
    let capped = entries.len() as u32 >= cap;
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for e in entries {
        match groups.last_mut() {
            // One group per save: the same write (clock and device), not merely the same millisecond.
            Some(g) if g.entries[0].write == e.write => g.entries.push(e),
            _ => groups.push(ChangeGroup { at: e.at.clone(), author: e.author.clone(), device: e.device.clone(), entries: vec![e] }),
        }
    }
    let mut items: Vec<TimelineItem> = groups
        .into_iter()
        .map(|changes| TimelineItem::Changes { changes })
        .chain(activities.into_iter().map(|activity| TimelineItem::Activity { activity }))
        .collect();
    // Text order is time order (UTC RFC 3339 with milliseconds); the sort is stable, so at equal
    // times change groups stay before activities, which stay in id-descending order.
    items.sort_by(|a, b| b.at().cmp(a.at()));
    let more = items.len() > limit as usize || capped;
    items.truncate(limit as usize);
    let next_before = match items.last() {
        Some(TimelineItem::Activity { activity }) if more => Some(format!("{}|{}", activity.occurred_at, activity.id)),
        Some(TimelineItem::Changes { changes }) if more => Some(changes.at.clone()),
        _ => None,
    };
    Ok(TimelinePage { items, next_before })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(at: &str) -> ActivityInput {
        ActivityInput { kind: ActivityKind::Call, occurred_at: at.into(), duration_minutes: Some(15), outcome: "".into(), body: "".into() }
    }

    #[test]
    fn times_are_stored_in_utc_whatever_offset_was_typed() {
        assert_eq!(validate(&input("2026-11-23T10:30:00+08:00")).unwrap().occurred_at, "2026-11-23T02:30:00.000Z");
        assert_eq!(validate(&input("2026-11-23T02:30:00Z")).unwrap().occurred_at, "2026-11-23T02:30:00.000Z");
    }

    #[test]
    fn bad_activity_input_names_its_field() {
        let cases = [
            (input("yesterday"), "occurredAt"),
            (input("2026-13-01T00:00:00Z"), "occurredAt"),
            (ActivityInput { duration_minutes: Some(DURATION_MAX + 1), ..input("2026-11-23T02:30:00Z") }, "durationMinutes"),
            (ActivityInput { duration_minutes: Some(-5), ..input("2026-11-23T02:30:00Z") }, "durationMinutes"),
            (ActivityInput { outcome: "x".repeat(OUTCOME_MAX + 1), ..input("2026-11-23T02:30:00Z") }, "outcome"),
            (ActivityInput { body: "长".repeat(BODY_MAX + 1), ..input("2026-11-23T02:30:00Z") }, "body"),
        ];
        for (i, want) in cases {
            assert_eq!(validate(&i).unwrap_err().field(), Some(want));
        }
    }
}
