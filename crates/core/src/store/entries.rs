//! Reading the values behind change-log entries.
//!
//! Most entries carry their values as a JSON object (`cols`, and `old` for what they replaced).
//! A row this database created is logged as `cols = '*'` (migration 0008): its values are in the
//! row. A column whose clock is still the insert's stamp holds the inserted value; a column
//! changed since finds it as the old value the first later change of that column kept (none: the
//! insert left it at the table's default and did not write it, so it is not part of the insert
//! at any time; a shared customer's 'team' visibility is such a column). So an
//! insert costs one copy of each value instead of two, and every reader (sync push, history,
//! undo, replay) still sees exactly the values the insert wrote. The rows a write creates for one
//! record share one such entry (migration 0009): the first row is the entry's own, the others
//! are listed in its `more_rows`, and each reads back the same way.

use super::schema::{self, TableDef};
use super::{value_text, Clocks, ROW_BACKED};
use crate::error::Result;
use crate::hlc::{Hlc, Stamp};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Statement};
use rustc_hash::FxHashMap;

/// A JSON object's members in the order they are written (`serde_json::Map` may sort them,
/// depending on which features other crates switch on).
pub(super) fn json_pairs(text: &str) -> Vec<(String, Value)> {
    struct Pairs(Vec<(String, Value)>);
    impl<'de> serde::Deserialize<'de> for Pairs {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Pairs;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Pairs, A::Error> {
                    let mut out = Vec::with_capacity(m.size_hint().unwrap_or(8));
                    while let Some((k, v)) = m.next_entry::<String, serde_json::Value>()? {
                        out.push((k, super::value_from_json(v)));
                    }
                    Ok(Pairs(out))
                }
            }
            d.deserialize_map(V)
        }
    }
    serde_json::from_str::<Pairs>(text).map(|p| p.0).unwrap_or_default()
}

/// A JSON object's member names, in order, without building its values (an entry's `cols` may
/// hold long notes).
pub(super) fn json_keys(text: &str) -> Vec<String> {
    struct Keys(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Keys, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, _)) = m.next_entry::<String, serde::de::IgnoredAny>()? {
                        out.push(k);
                    }
                    Ok(Keys(out))
                }
            }
            d.deserialize_map(V)
        }
    }
    serde_json::from_str::<Keys>(text).map(|k| k.0).unwrap_or_default()
}

/// One log entry as the store reads it back.
pub(super) struct Entry {
    pub seq: i64,
    pub hlc: i64,
    /// `None`: this database's own change.
    pub site: Option<String>,
    pub tbl: String,
    pub row_id: String,
    pub cols: String,
    pub old: Option<String>,
    /// A row-backed entry's other rows (migration 0009): see [`push_row`].
    pub more: Option<Vec<u8>>,
}

impl Entry {
    /// Columns `seq, hlc, site_id, tbl, row_id, cols, old, more_rows` from `from`.
    pub fn read(r: &rusqlite::Row<'_>, from: usize) -> rusqlite::Result<Self> {
        Ok(Entry {
            seq: r.get(from)?,
            hlc: r.get(from + 1)?,
            site: r.get(from + 2)?,
            tbl: r.get(from + 3)?,
            row_id: row_id_text(r.get_ref(from + 4)?),
            cols: r.get(from + 5)?,
            old: r.get(from + 6)?,
            more: r.get(from + 7)?,
        })
    }
}

/// A row id as the 16 bytes of its UUID, when the text is exactly what those bytes print as
/// (20 bytes fewer than the text, per new row); other ids (a custom value's
/// `<customer>.<field>`) stay text. [`row_id_text`] turns them back.
pub(super) fn compact_id(id: &str) -> Option<[u8; 16]> {
    let u = uuid::Uuid::try_parse(id).ok()?;
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    (u.hyphenated().encode_lower(&mut buf) == id).then(|| *u.as_bytes())
}

/// Adds row `id` of the table numbered `code` (`TableDef::code`) to a row-backed entry's
/// `more_rows`: the code byte and the UUID's 16 bytes, or the code with its high bit set, a
/// length byte and the id's text. False (nothing added) for an id too long for that byte.
pub(super) fn push_row(more: &mut Vec<u8>, code: u8, id: &str) -> bool {
    debug_assert!(code < 0x80);
    if let Some(bytes) = compact_id(id) {
        more.push(code);
        more.extend_from_slice(&bytes);
        return true;
    }
    let Ok(len) = u8::try_from(id.len()) else { return false };
    more.push(code | 0x80);
    more.push(len);
    more.extend_from_slice(id.as_bytes());
    true
}

/// The rows `push_row` listed, in order. A list cut short (a damaged file) yields what it can.
pub(super) fn listed_rows(more: &[u8]) -> Vec<(&'static TableDef, String)> {
    let mut out = Vec::new();
    let mut rest = more;
    while let Some((&code, tail)) = rest.split_first() {
        let table = schema::by_code(code & 0x7f);
        let (id, tail) = if code & 0x80 == 0 {
            let Some((bytes, tail)) = (tail.len() >= 16).then(|| tail.split_at(16)) else { break };
            (uuid::Uuid::from_slice(bytes).map(|u| u.to_string()).unwrap_or_default(), tail)
        } else {
            let Some((&len, tail)) = tail.split_first() else { break };
            let Some((text, tail)) = (tail.len() >= usize::from(len)).then(|| tail.split_at(usize::from(len))) else { break };
            (String::from_utf8_lossy(text).into_owned(), tail)
        };
        if let Some(t) = table {
            out.push((t, id));
        }
        rest = tail;
    }
    out
}

/// A log entry's row id as text: a row-backed entry keeps a UUID as its 16 bytes.
pub(super) fn row_id_text(v: rusqlite::types::ValueRef<'_>) -> String {
    match v {
        rusqlite::types::ValueRef::Blob(b) => uuid::Uuid::from_slice(b).map(|u| u.to_string()).unwrap_or_default(),
        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        _ => String::new(),
    }
}

pub(super) const ENTRY_COLUMNS: &str = "seq, hlc, site_id, tbl, row_id, cols, old, more_rows";

/// One row's part of an entry: what the entry set in it.
pub(super) struct RowValues {
    pub table: String,
    pub row_id: String,
    /// The columns and the values they were set to, in the order the entry wrote them.
    pub values: Vec<(String, Value)>,
    /// For a row read back from the table (row-backed): the current value of its parent column
    /// (`schema::Scope::Child`), read with it; sync files the row under its parent's record.
    pub parent: Option<Option<String>>,
}

/// Expands entries into `(column, value)` pairs, keeping the statements it needs for the
/// lifetime of one read (a push reads thousands of entries).
pub(super) struct EntryReader<'c> {
    c: &'c Connection,
    site: &'c str,
    rows: FxHashMap<&'static str, Statement<'c>>,
    /// The parent column's value of the row `inserted` read last.
    parent: Option<Option<String>>,
}

impl<'c> EntryReader<'c> {
    pub fn new(c: &'c Connection, site: &'c str) -> Self {
        Self { c, site, rows: FxHashMap::default(), parent: None }
    }

    /// The rows the entry wrote, each with the columns it set and their values, in the order
    /// it wrote them: one row, or for a row-backed entry its row and those listed with it.
    pub fn rows(&mut self, e: &Entry) -> Result<Vec<RowValues>> {
        if e.cols != ROW_BACKED {
            let values = json_pairs(&e.cols);
            return Ok(vec![RowValues { table: e.tbl.clone(), row_id: e.row_id.clone(), values, parent: None }]);
        }
        let mut out = Vec::with_capacity(1);
        if let Some(t) = schema::table(&e.tbl) {
            out.push(self.row(t, e, &e.row_id)?);
        }
        for (t, id) in e.more.as_deref().map(listed_rows).unwrap_or_default() {
            out.push(self.row(t, e, &id)?);
        }
        Ok(out)
    }

    fn row(&mut self, t: &'static TableDef, e: &Entry, row_id: &str) -> Result<RowValues> {
        self.parent = None;
        // Row-backed entries are this database's own, except in a restored backup: there the
        // entries of the site it was before carry that site (`store::site`).
        let site = e.site.clone();
        let values = self.inserted(t, e.seq, e.hlc, site.as_deref(), row_id)?.into_iter().map(|(c, v)| (c.to_string(), v)).collect();
        Ok(RowValues { table: t.name.to_string(), row_id: row_id.to_string(), values, parent: self.parent.take() })
    }

    /// The values own insert `seq` (stamp `hlc`) gave row `row_id` of `t`.
    fn inserted(
        &mut self,
        t: &'static TableDef,
        seq: i64,
        hlc: i64,
        site: Option<&str>,
        row_id: &str,
    ) -> Result<Vec<(&'static str, Value)>> {
        let n = t.columns.len();
        let st = match self.rows.entry(t.name) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(self.c.prepare(&format!("SELECT {}, _clocks FROM {} WHERE id = ?1", t.columns.join(", "), t.name))?)
            }
        };
        let row: Option<(Vec<Value>, String)> =
            st.query_row([row_id], |r| Ok(((0..n).map(|k| r.get(k)).collect::<rusqlite::Result<_>>()?, r.get(n)?))).optional()?;
        // Rows are never deleted (deletes are tombstones), so a missing row is a log from a
        // damaged file: nothing to say about it rather than a failed sync.
        let Some((values, clocks)) = row else { return Ok(vec![]) };
        let text_of = |col: &str| t.columns.iter().position(|c| *c == col).and_then(|k| value_text(&values[k]));
        // Read while the row is at hand: the record its history is filed under now, and the
        // customer sync files it under.
        let entity = t.entity_column.map_or_else(|| Some(row_id.to_string()), text_of).unwrap_or_default();
        self.parent = t.parent_column().map(text_of);
        let clocks = Clocks::parse(&clocks, t, self.site);
        let stamp = Stamp { hlc: Hlc::unpack(hlc), site: site.unwrap_or(self.site).to_string() };
        let mut out: Vec<(usize, Value)> = Vec::with_capacity(n);
        let mut since: Vec<usize> = Vec::new();
        for (k, (col, value)) in t.columns.iter().zip(values).enumerate() {
            match clocks.get(col) {
                // Still the inserted value (an empty one was not set, so not logged).
                Some(s) if s == stamp && value != Value::Null => out.push((k, value)),
                Some(s) if s == stamp => {}
                // Changed since: the insert's value (if it set one) is the next change's old value.
                Some(s) if s > stamp => since.push(k),
                // Never set, or set by an older change from elsewhere after the insert left it empty.
                _ => {}
            }
        }
        if !since.is_empty() {
            let entity_moved = t.entity_column.is_some_and(|ec| since.iter().any(|&k| t.columns[k] == ec));
            let olds = self.later_olds(t, row_id, &entity, seq, entity_moved)?;
            for k in since {
                if let Some(v) = olds.get(t.columns[k]).filter(|v| **v != Value::Null) {
                    out.push((k, v.clone()));
                }
            }
            out.sort_by_key(|(k, _)| *k);
        }
        Ok(out.into_iter().map(|(k, v)| (t.columns[k], v)).collect())
    }

    /// For each column changed after entry `after`, the old value its first later change kept:
    /// NULL when that change kept none (the column had never been set: it held only the table's
    /// default, which the insert did not write, so the insert has no value for it). The first
    /// later change decides, never a change after it: that one's old value is what the first set.
    /// Found through the record's history runs; a row that moved to another record (a merge) may
    /// have entries filed under both, so then the log itself is scanned from `after`.
    fn later_olds(&mut self, t: &TableDef, row_id: &str, entity: &str, after: i64, entity_moved: bool) -> Result<FxHashMap<String, Value>> {
        let mut olds: FxHashMap<String, Value> = FxHashMap::default();
        let mut take = |cols: String, old: Option<String>| {
            // A row-backed entry of the same row (none but the insert itself) changes nothing.
            if cols == ROW_BACKED {
                return;
            }
            let mut kept: FxHashMap<String, Value> = old.as_deref().map(json_pairs).unwrap_or_default().into_iter().collect();
            for c in json_keys(&cols) {
                if !olds.contains_key(&c) {
                    let v = kept.remove(&c).unwrap_or(Value::Null);
                    olds.insert(c, v);
                }
            }
        };
        if entity_moved {
            let mut st =
                self.c.prepare_cached("SELECT cols, old FROM change_log WHERE seq > ?1 AND tbl = ?2 AND row_id = ?3 ORDER BY seq")?;
            let mut rows = st.query(params![after, t.name, row_id])?;
            while let Some(r) = rows.next()? {
                take(r.get(0)?, r.get(1)?);
            }
            return Ok(olds);
        }
        let runs: Vec<(i64, i64)> = self
            .c
            .prepare_cached("SELECT first_seq, last_seq FROM entity_log WHERE entity_id = ?1 AND last_seq > ?2 ORDER BY first_seq")?
            .query_map(params![entity, after], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut st = self
            .c
            .prepare_cached("SELECT cols, old FROM change_log WHERE seq BETWEEN ?1 AND ?2 AND tbl = ?3 AND row_id = ?4 ORDER BY seq")?;
        for (first, last) in runs {
            let mut rows = st.query(params![first.max(after + 1), last, t.name, row_id])?;
            while let Some(r) = rows.next()? {
                take(r.get(0)?, r.get(1)?);
            }
        }
        Ok(olds)
    }
}

/// The old values an entry kept, by column (none for an insert).
pub(super) fn old_values(old: Option<&str>) -> FxHashMap<String, Value> {
    old.map(json_pairs).unwrap_or_default().into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_rows_read_back_as_written() {
        let uuid = "01a235c4-f530-72fb-a120-cb810ae23ee0";
        let custom = format!("{uuid}.01a235c4-f52f-7668-9319-fb630857c9db");
        let upper = uuid.to_uppercase();
        let rows: [(u8, &str); 4] = [(1, uuid), (7, &custom), (4, &upper), (3, uuid)];
        let mut more = Vec::new();
        for (code, id) in rows {
            assert!(push_row(&mut more, code, id));
        }
        // A UUID is its 16 bytes; anything else (a custom value's id, a UUID not in its canonical
        // lower-case form) keeps its exact text.
        assert_eq!(more.len(), 17 + (2 + custom.len()) + (2 + 36) + 17);
        let back: Vec<(&str, String)> = listed_rows(&more).into_iter().map(|(t, id)| (t.name, id)).collect();
        let expected: Vec<(&str, String)> = rows.iter().map(|(code, id)| (schema::by_code(*code).unwrap().name, id.to_string())).collect();
        assert_eq!(back, expected);

        // Cut short (a damaged file): the whole rows before the cut.
        assert_eq!(listed_rows(&more[..more.len() - 1]).len(), 3);
        assert_eq!(listed_rows(&more[..17 + 1]).len(), 1);
        // A table this build does not know is skipped, and the rows after it still read.
        let mut unknown = vec![0x7f];
        unknown.extend_from_slice(uuid::Uuid::parse_str(uuid).unwrap().as_bytes());
        unknown.extend_from_slice(&more[..17]);
        assert_eq!(listed_rows(&unknown).len(), 1);
        // An id longer than its length byte is refused (the caller gives it an entry of its own).
        let mut none = Vec::new();
        assert!(!push_row(&mut none, 1, &"x".repeat(256)));
        assert!(none.is_empty());
    }
}
