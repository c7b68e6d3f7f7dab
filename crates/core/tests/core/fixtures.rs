//! Fixtures built by code: a fresh database in its own temp dir, and customer inputs.

use satchel_core::customers::{ContactPoint, CustomerInput, CustomerKind};
use satchel_core::store::Profile;
use satchel_core::Satchel;
use std::path::PathBuf;
use tempfile::TempDir;

pub struct TestDb {
    pub dir: TempDir,
    pub app: Satchel,
}

impl TestDb {
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("satchel.db")
    }
}

pub fn profile(author: &str) -> Profile {
    Profile { author: author.into(), device: format!("{author}-laptop") }
}

pub fn new_db() -> TestDb {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = Satchel::open(dir.path().join("satchel.db"), profile("ana")).expect("open");
    TestDb { dir, app }
}

pub fn person(name: &str) -> CustomerInput {
    CustomerInput::named(CustomerKind::Person, name)
}

pub fn company(name: &str) -> CustomerInput {
    CustomerInput::named(CustomerKind::Company, name)
}

/// A team-wide free-text custom field (both people and companies).
pub fn text_field(app: &Satchel, en: &str, zh: &str) -> satchel_core::customers::fields::CustomField {
    use satchel_core::customers::fields::{CustomFieldInput, FieldKind, FieldScope};
    app.customers()
        .create_custom_field(&CustomFieldInput {
            scope: FieldScope::Both,
            kind: FieldKind::Text,
            label_en: en.into(),
            label_zh: zh.into(),
            options: vec![],
        })
        .unwrap()
}

pub fn point(label: &str, value: &str) -> ContactPoint {
    ContactPoint { id: None, label: label.into(), value: value.into() }
}

/// A row's `_clocks` with every stamp whole: a database writes its own stamps without its site,
/// so the same clocks read differently in the database that made them and in a replica.
pub fn full_clocks(text: &str, site: &str) -> serde_json::Value {
    let full = |s: &str| if s.contains('@') { s.to_string() } else { format!("{s}@{site}") };
    let m: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).unwrap();
    m.into_iter()
        .map(|(k, v)| match k.as_str() {
            "deleted_at" => (k, serde_json::Value::String(full(v.as_str().unwrap()))),
            _ => (full(&k), v),
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Every synced table's rows, sorted, with `_clocks` parsed (stamps whole) so key order does not
/// matter.
pub fn snapshot(app: &Satchel) -> Vec<(String, Vec<Vec<serde_json::Value>>)> {
    use satchel_core::store::schema::SYNCED_TABLES;
    let site = app.store().site_id().to_string();
    app.store()
        .read(|c| {
            let mut out = Vec::new();
            for t in SYNCED_TABLES.iter() {
                let mut st = c.prepare(&format!("SELECT * FROM {} ORDER BY id", t.name))?;
                let names: Vec<String> = st.column_names().into_iter().map(String::from).collect();
                let rows = st
                    .query_map([], |r| {
                        let mut row = Vec::new();
                        // `_created_seq` is where this database's own log recorded the row's
                        // creation: bookkeeping of the log, not the record (a replica has none).
                        for (i, name) in names.iter().enumerate().filter(|(_, n)| *n != "_created_seq") {
                            let v: rusqlite::types::Value = r.get(i)?;
                            row.push(match v {
                                rusqlite::types::Value::Null => serde_json::Value::Null,
                                rusqlite::types::Value::Integer(n) => n.into(),
                                rusqlite::types::Value::Real(f) => f.into(),
                                rusqlite::types::Value::Text(s) if name == "_clocks" => full_clocks(&s, &site),
                                rusqlite::types::Value::Text(s) => s.into(),
                                rusqlite::types::Value::Blob(b) => format!("{b:?}").into(),
                            });
                        }
                        Ok(row)
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                out.push((t.name.to_string(), rows));
            }
            Ok(out)
        })
        .expect("snapshot")
}

/// One of several laptops in a test of sync: its own database, signed by `author`.
pub fn laptop(author: &str) -> TestDb {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = Satchel::open(dir.path().join("satchel.db"), profile(author)).expect("open");
    TestDb { dir, app }
}

/// Hands `to` every change of `from`'s log after `after`, as a sync would; returns the last
/// sequence number sent (the next call's `after`).
pub fn send(from: &TestDb, to: &TestDb, after: i64) -> i64 {
    let changes = from.app.store().changes_since(after, 1_000_000).expect("changes");
    let last = changes.last().map(|c| c.0).unwrap_or(after);
    to.app.apply_changes(&changes.into_iter().map(|(_, c)| c).collect::<Vec<_>>()).expect("apply");
    last
}
