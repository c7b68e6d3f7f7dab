//! The store: opening, refusing what it must not touch, and the one write path.

use super::fixtures::*;
use satchel_core::error::{CoreError, ErrorCode};
use satchel_core::i18n::Locale;
use satchel_core::store::{schema_version, Store};
use satchel_core::Satchel;

/// Every column change in log order: `(hlc, table, row, column, value, old value)`. Values come
/// from the store's reader (an own insert's are in its row); old values from the log's view, which
/// lists every entry that carries values (edits among them).
fn log_rows(app: &Satchel) -> Vec<(i64, String, String, String, rusqlite::types::Value, rusqlite::types::Value)> {
    let olds: std::collections::HashMap<(i64, String), rusqlite::types::Value> = app
        .store()
        .read(|c| {
            let mut st = c.prepare("SELECT seq, col, old_value FROM column_changes")?;
            let rows = st.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .unwrap();
    app.store()
        .changes_since(0, u32::MAX)
        .unwrap()
        .into_iter()
        .map(|(seq, c)| {
            let old = olds.get(&(seq, c.column.clone())).cloned().unwrap_or(rusqlite::types::Value::Null);
            (c.hlc.pack(), c.table, c.row_id, c.column, c.value, old)
        })
        .collect()
}

#[test]
fn a_new_database_uses_wal_and_keeps_its_site_id_across_reopen() {
    let db = new_db();
    let site = db.app.store().site_id().to_string();
    let mode: String = db.app.store().read(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?)).unwrap();
    assert_eq!(mode, "wal");
    let path = db.path();
    drop(db.app);
    let again = Satchel::open(&path, profile("ana")).unwrap();
    assert_eq!(again.store().site_id(), site);
}

#[test]
fn a_database_from_a_newer_satchel_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(&format!("CREATE TABLE x (a); PRAGMA user_version = {};", schema_version() + 5)).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Satchel::open(&path, profile("ana")).err().expect("must refuse");
    assert_eq!(err.code(), ErrorCode::SchemaTooNew);
    assert!(err.message(Locale::En).contains("newer Satchel"), "{}", err.message(Locale::En));
    assert!(err.message(Locale::ZhCn).contains("更新版本"));
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file must not be modified");
    assert!(!dir.path().join("future.db-wal").exists());
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_message_and_is_not_modified() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let junk: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &junk).unwrap();
    let err = Satchel::open(&path, profile("ana")).err().expect("must refuse");
    assert_eq!(err.code(), ErrorCode::Corrupt);
    assert!(err.message(Locale::En).contains("not a Satchel database or is damaged"));
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

/// Makes a file read-only even for root (who ignores permission bits): the immutable attribute.
struct Immutable(std::path::PathBuf);

impl Immutable {
    fn set(path: &std::path::Path) -> Option<Self> {
        let ok = std::process::Command::new("chattr").arg("+i").arg(path).status().is_ok_and(|s| s.success());
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_database_is_refused_with_a_clear_message() {
    let db = new_db();
    db.app.customers().create(&person("只读")).unwrap();
    let path = db.path();
    drop(db.app);
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let writable = std::fs::OpenOptions::new().write(true).open(&path).is_ok();
    // Running as root, permission bits do not stop writes; the immutable attribute does.
    let _guard = if writable { Some(Immutable::set(&path).expect("chattr +i is needed to make a read-only file as root")) } else { None };
    let before = std::fs::read(&path).unwrap();
    let err = Satchel::open(&path, profile("ana")).err().expect("must refuse");
    assert_eq!(err.code(), ErrorCode::ReadOnly, "{err}");
    assert!(err.message(Locale::En).contains("read-only"));
    assert!(err.message(Locale::ZhCn).contains("只读"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn creating_a_record_logs_every_set_column_with_one_clock() {
    let db = new_db();
    let c = db.app.customers().create(&person("王小明")).unwrap();
    let rows = log_rows(&db.app);
    let cols: Vec<&str> = rows.iter().filter(|r| r.2 == c.id.as_str()).map(|r| r.3.as_str()).collect();
    for col in ["kind", "name", "owner", "stage", "source", "notes"] {
        assert!(cols.contains(&col), "{col} missing from {cols:?}");
    }
    assert!(!cols.contains(&"birthday"), "unset (null) columns are not logged");
    let clocks: std::collections::BTreeSet<i64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(clocks.len(), 1, "one write, one clock");
}

#[test]
fn an_edit_logs_only_what_changed_with_the_old_value() {
    let db = new_db();
    let c = db.app.customers().create(&person("王小明")).unwrap();
    let before = log_rows(&db.app).len();
    let mut input = c.to_input();
    input.owner = "李销售".into();
    db.app.customers().update(&c.id, &input).unwrap();
    let rows = log_rows(&db.app);
    assert_eq!(rows.len(), before + 1);
    let last = rows.last().unwrap();
    assert_eq!((last.1.as_str(), last.3.as_str()), ("customers", "owner"));
    assert_eq!(last.4, rusqlite::types::Value::Text("李销售".into()));
    assert_eq!(last.5, rusqlite::types::Value::Text("".into()));
    assert!(last.0 > rows[0].0, "a later write has a later clock");

    db.app.customers().update(&c.id, &input).unwrap();
    assert_eq!(log_rows(&db.app).len(), before + 1, "saving an unchanged form logs nothing");
}

#[test]
fn a_refused_form_writes_nothing_at_all() {
    let db = new_db();
    let mut bad = person("王小明");
    bad.phones = vec![point("Mobile", "13800138000")];
    bad.emails = vec![point("Work", "ok@example.com"), point("Home", "not-an-email")];
    let err = db.app.customers().create(&bad).unwrap_err();
    assert_eq!(err.field(), Some("emails.1.value"));
    assert!(log_rows(&db.app).is_empty());
    let count: i64 = db.app.store().read(|c| Ok(c.query_row("SELECT count(*) FROM customer_phones", [], |r| r.get(0))?)).unwrap();
    assert_eq!(count, 0);
}

#[test]
fn a_failure_inside_a_write_rolls_back_everything_in_it() {
    let db = new_db();
    let result: Result<(), CoreError> = db.app.store().write(|w| {
        satchel_core::customers::repo::create_in(w, &person("第一个"))?;
        satchel_core::customers::repo::create_in(w, &person(""))?; // refused: rolls back the first too
        Ok(())
    });
    assert!(result.is_err());
    assert!(log_rows(&db.app).is_empty());
    db.app.reload().unwrap();
    assert_eq!(db.app.app_info().customer_count, 0);
}

#[test]
fn the_clock_survives_a_restart_and_never_goes_back() {
    let db = new_db();
    db.app.customers().create(&person("A")).unwrap();
    let first = log_rows(&db.app).last().unwrap().0;
    let path = db.path();
    drop(db.app);
    let app = Satchel::open(&path, profile("ana")).unwrap();
    app.customers().create(&person("B")).unwrap();
    let second = log_rows(&app).last().unwrap().0;
    assert!(second > first);
}

#[test]
fn the_store_refuses_nothing_it_can_read_back_from_two_connections() {
    // Reads use their own connection: a write is visible to the read door once committed.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("s.db"), profile("ana")).unwrap();
    let n: i64 = store.read(|c| Ok(c.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)).unwrap();
    assert_eq!(n, 0);
    satchel_core::customers::repo::create(&store, person("读写分离")).unwrap();
    let n: i64 = store.read(|c| Ok(c.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn opening_in_the_background_answers_once_the_index_is_built_and_keeps_early_edits() {
    let db = new_db();
    satchel_core::demo::generate(db.app.store(), 2000, 3).unwrap();
    let path = db.path();
    drop(db.app);
    let app = Satchel::open_in_background(&path, profile("ana")).unwrap();
    // An edit racing the build must survive it.
    let created = app.customers().create(&person("后台建索引")).unwrap();
    assert_eq!(app.app_info().customer_count, 2001);
    assert_eq!(app.customers().search("后台建索引", None, 5)[0].row.id, created.id);
}

/// An own insert is logged without its values (they are in the row); whatever happens to the row
/// later, the log still reads back exactly what the insert wrote.
#[test]
fn an_insert_reads_back_the_values_it_wrote_after_the_row_changes() {
    use rusqlite::types::Value;
    use satchel_core::store::schema::{CUSTOMERS, CUSTOMER_PHONES};
    let db = new_db();
    let store = db.app.store();
    let text = |s: &str| Value::Text(s.into());
    let (a, b, phone) =
        ("01900000-0000-7000-8000-00000000000a", "01900000-0000-7000-8000-00000000000b", "01900000-0000-7000-8000-0000000000f1");
    store
        .write(|w| {
            w.insert(
                &CUSTOMERS,
                a,
                &[("kind", text("person")), ("name", text("王小明")), ("owner", text("甲")), ("birthday", Value::Null)],
            )?;
            w.insert(&CUSTOMERS, b, &[("kind", text("person")), ("name", text("李四"))])?;
            w.insert(&CUSTOMER_PHONES, phone, &[("customer_id", text(a)), ("label", text("mobile")), ("value", text("13800138000"))])
        })
        .unwrap();
    let inserted = |app: &satchel_core::Satchel| {
        let mut v: Vec<(String, String, Value)> = app
            .store()
            .changes_since(0, 100)
            .unwrap()
            .into_iter()
            .filter(|(seq, _)| *seq <= 3)
            .map(|(_, c)| (c.row_id, c.column, c.value))
            .collect();
        v.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
        v
    };
    let before = inserted(&db.app);
    assert_eq!(before.len(), 3 + 2 + 3, "every set column, and not the empty birthday: {before:?}");
    assert!(before.contains(&(a.into(), "owner".into(), text("甲"))));
    assert!(before.contains(&(phone.into(), "value".into(), text("13800138000"))));

    // Edits: the owner changes twice, the birthday is set; the phone moves to the other record
    // (as a merge does) and is then edited there.
    for owner in ["乙", "丙"] {
        store.write(|w| w.update(&CUSTOMERS, a, &[("owner", text(owner)), ("birthday", text("1990-01-02"))]).map(|_| ())).unwrap();
    }
    store.write(|w| w.update(&CUSTOMER_PHONES, phone, &[("customer_id", text(b))]).map(|_| ())).unwrap();
    store.write(|w| w.update(&CUSTOMER_PHONES, phone, &[("value", text("13900139000"))]).map(|_| ())).unwrap();
    assert_eq!(inserted(&db.app), before, "the insert's values are the ones it wrote, not today's");

    // History shows the creation with its values, then each edit with the value it replaced.
    let history = store.history(a, None, 100).unwrap();
    let owners: Vec<(Value, Value)> =
        history.iter().filter(|e| e.column == "owner").map(|e| (e.value.clone(), e.old_value.clone())).collect();
    assert_eq!(owners, vec![(text("丙"), text("乙")), (text("乙"), text("甲")), (text("甲"), Value::Null)]);

    // Replaying the log elsewhere gives the same rows.
    let other = new_db();
    let all: Vec<_> = store.changes_since(0, u32::MAX).unwrap().into_iter().map(|(_, c)| c).collect();
    other.app.store().apply_changes(&all).unwrap();
    let row = |app: &satchel_core::Satchel, id: &str, sql: &str| -> (String, Option<String>) {
        app.store().read(|c| Ok(c.query_row(sql, [id], |r| Ok((r.get(0)?, r.get(1)?)))?)).unwrap()
    };
    for (id, sql) in [
        (a, "SELECT owner, birthday FROM customers WHERE id = ?1"),
        (phone, "SELECT value, customer_id FROM customer_phones WHERE id = ?1"),
    ] {
        assert_eq!(row(&other.app, id, sql), row(&db.app, id, sql));
    }
}

/// A database written before row-backed inserts and column masks (schema 7: every insert's values
/// as JSON in the log, one entry per row, clock maps naming columns with full stamps) opens,
/// reads and edits the same.
#[test]
fn a_database_from_before_row_backed_inserts_reads_and_edits_the_same() {
    use rusqlite::types::Value;
    use satchel_core::store::schema::{self, SYNCED_TABLES};
    let db = new_db();
    let c = db
        .app
        .customers()
        .create(&satchel_core::customers::CustomerInput {
            owner: "甲".into(),
            phones: vec![point("Mobile", "13800138000")],
            ..person("王小明")
        })
        .unwrap();
    let expected = db.app.store().changes_since(0, u32::MAX).unwrap();
    let history = |app: &satchel_core::Satchel| -> Vec<(String, Value, Value)> {
        app.store().history(c.id.as_str(), None, 100).unwrap().into_iter().map(|e| (e.column, e.value, e.old_value)).collect()
    };
    let before = history(&db.app);
    let site = db.app.store().site_id().to_string();
    let path = db.path();
    drop(db.app);

    // Rewrite it as 0.7 wrote it: one JSON entry per row, in order.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let entries: Vec<(i64, String, Value, String, Option<String>, Option<Vec<u8>>)> = conn
            .prepare("SELECT hlc, tbl, row_id, cols, old, more_rows FROM change_log ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(entries.len(), 1, "a customer and its phone are one entry");
        let mut rewritten: Vec<(i64, String, String, String, Option<String>)> = Vec::new();
        for (hlc, tbl, row, cols, old, more) in entries {
            let id = match row {
                Value::Blob(b) => uuid::Uuid::from_slice(&b).unwrap().to_string(),
                Value::Text(s) => s,
                other => panic!("row id {other:?}"),
            };
            if cols != "*" {
                rewritten.push((hlc, tbl, id, cols, old));
                continue;
            }
            // The entry's row, then those listed with it (a table byte and a UUID's 16 bytes each).
            let mut rows = vec![(tbl, id)];
            let more = more.unwrap_or_default();
            assert_eq!(more.len() % 17, 0, "UUID rows only here");
            for r in more.chunks(17) {
                rows.push((schema::by_code(r[0]).unwrap().name.to_string(), uuid::Uuid::from_slice(&r[1..]).unwrap().to_string()));
            }
            assert_eq!(rows.len(), 2, "the customer and its phone");
            for (tbl, id) in rows {
                let t = schema::table(&tbl).unwrap();
                let (values, clocks): (Vec<Value>, String) = conn
                    .query_row(&format!("SELECT {}, _clocks FROM {tbl} WHERE id = ?1", t.columns.join(", ")), [&id], |r| {
                        Ok(((0..t.columns.len()).map(|k| r.get(k)).collect::<Result<_, _>>()?, r.get(t.columns.len())?))
                    })
                    .unwrap();
                // The columns the insert set: those its stamp still holds (nothing was edited yet).
                let m: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&clocks).unwrap();
                let mask =
                    m.get(&hlc.to_string()).map_or(0, |v| u64::from_str_radix(v.as_str().unwrap().trim_start_matches('#'), 16).unwrap());
                let mut cols = serde_json::Map::new();
                for (col, v) in t.columns.iter().zip(values).enumerate().filter(|(k, _)| mask & (1 << k) != 0).map(|(_, cv)| cv) {
                    match v {
                        Value::Text(s) => cols.insert(col.to_string(), s.into()),
                        Value::Integer(i) => cols.insert(col.to_string(), i.into()),
                        _ => None,
                    };
                }
                rewritten.push((hlc, tbl, id, serde_json::Value::Object(cols).to_string(), None));
            }
        }
        conn.execute_batch("DELETE FROM change_log; DELETE FROM entity_log; ALTER TABLE change_log DROP COLUMN more_rows;").unwrap();
        // The tables of modules that came after 0.7 (the calendar's, 0015) go first: 0.7 had none.
        let older =
            |t: &&&satchel_proto::schema::TableDef| matches!(satchel_proto::tables::module_of(t.name), Some("records" | "customers"));
        for t in SYNCED_TABLES.iter().filter(|t| !older(t)) {
            conn.execute_batch(&format!("DROP TABLE {}", t.name)).unwrap();
        }
        conn.execute_batch("DROP TABLE reminders_shown; DROP TABLE ticket_notices").unwrap();
        for t in SYNCED_TABLES.iter().filter(older).filter(|t| t.is_record()) {
            conn.execute_batch(&format!("ALTER TABLE {} DROP COLUMN _created_seq", t.name)).unwrap();
        }
        // And what 0011 added (record types of the shared record features).
        for t in SYNCED_TABLES.iter().filter(older).filter(|t| t.has_column(schema::RECORD_TYPE)) {
            conn.execute_batch(&format!("ALTER TABLE {} DROP COLUMN {}", t.name, schema::RECORD_TYPE)).unwrap();
        }
        // And what 0012 added (a person's job title and department).
        conn.execute_batch("ALTER TABLE customers DROP COLUMN job_title; ALTER TABLE customers DROP COLUMN department").unwrap();
        // And what 0013 added (changes sync set aside).
        conn.execute_batch("DROP TABLE sync_problems").unwrap();
        // And what 0014 added (attachments' uploads, exports to report).
        conn.execute_batch("DROP TABLE attachment_uploads; DROP TABLE export_reports").unwrap();
        for (hlc, tbl, id, cols, old) in &rewritten {
            conn.execute(
                "INSERT INTO change_log (hlc, tbl, row_id, cols, old) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![hlc, tbl, id, cols, old],
            )
            .unwrap();
        }
        // One record: one run over all its entries.
        conn.execute(
            "INSERT INTO entity_log (entity_id, first_seq, last_seq) VALUES (?1, 1, ?2)",
            rusqlite::params![c.id.as_str(), rewritten.len() as i64],
        )
        .unwrap();
        for t in SYNCED_TABLES.iter().filter(older) {
            let rows: Vec<(String, String)> = conn
                .prepare(&format!("SELECT id, _clocks FROM {}", t.name))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for (id, clocks) in rows {
                let m: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&clocks).unwrap();
                let old: serde_json::Map<String, serde_json::Value> = m
                    .into_iter()
                    .map(|(k, v)| {
                        let full = |s: &str| if s.contains('@') { s.to_string() } else { format!("{s}@{site}") };
                        if k == "deleted_at" {
                            return (k, full(v.as_str().unwrap()).into());
                        }
                        let mask = u64::from_str_radix(v.as_str().unwrap().trim_start_matches('#'), 16).unwrap();
                        let mut names: Vec<&str> =
                            t.columns.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, c)| *c).collect();
                        names.sort_unstable();
                        (full(&k), names.join(",").into())
                    })
                    .collect();
                conn.execute(
                    &format!("UPDATE {} SET _clocks = ?2 WHERE id = ?1", t.name),
                    rusqlite::params![id, serde_json::Value::Object(old).to_string()],
                )
                .unwrap();
            }
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
    }

    let app = satchel_core::Satchel::open(&path, profile("ana")).unwrap();
    // Compared per row and column: 0.7's JSON kept its own key order, and gave each row its own
    // entry (its own sequence number).
    let sorted = |v: Vec<(i64, satchel_core::store::Change)>| {
        let mut v: Vec<_> = v.into_iter().map(|(_, c)| c).collect();
        v.sort_by(|a, b| (&a.table, &a.row_id, &a.column).cmp(&(&b.table, &b.row_id, &b.column)));
        v
    };
    assert_eq!(sorted(app.store().changes_since(0, u32::MAX).unwrap()), sorted(expected), "the log reads the same");
    let by_column = |mut v: Vec<(String, Value, Value)>| {
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    assert_eq!(by_column(history(&app)), by_column(before), "and so does the history");
    // An edit finds the old clocks and the old value, and writes the new forms.
    let mut input = app.customers().get(&c.id).unwrap().to_input();
    input.owner = "乙".into();
    app.customers().update(&c.id, &input).unwrap();
    let owners: Vec<(Value, Value)> = history(&app).into_iter().filter(|e| e.0 == "owner").map(|e| (e.1, e.2)).collect();
    assert_eq!(owners, vec![(Value::Text("乙".into()), Value::Text("甲".into())), (Value::Text("甲".into()), Value::Null)]);
    let clocks: String =
        app.store().read(|c2| Ok(c2.query_row("SELECT _clocks FROM customers WHERE id = ?1", [c.id.as_str()], |r| r.get(0))?)).unwrap();
    assert!(clocks.contains('#') && !clocks.contains(&site), "rewritten in the new form: {clocks}");
}

/// A new customer with its phones, emails, address, tags and custom values is one log entry, and
/// every reader sees each of those rows as it was written: the log, sync push (each row filed
/// under the customer), history, and a replica built from the log.
#[test]
fn a_new_customer_and_its_details_are_one_log_entry_that_reads_as_every_row() {
    use rusqlite::types::Value::Text;
    use satchel_core::customers::{Address, CustomValue, CustomerInput};
    use std::collections::BTreeSet;
    let db = new_db();
    let store = db.app.store();
    let wechat = text_field(&db.app, "WeChat", "微信");
    let entries = || {
        store
            .read(|c| Ok(c.query_row("SELECT count(*), max(seq) FROM change_log", [], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?))
            .unwrap()
    };
    let (before, last) = entries();
    let c = db
        .app
        .customers()
        .create(&CustomerInput {
            phones: vec![point("Mobile", "13800138000"), point("Work", "010-6552 9988")],
            emails: vec![point("Work", "wang@example.cn")],
            addresses: vec![Address {
                id: None,
                label: "Office".into(),
                street: "建国路 88 号".into(),
                city: "北京".into(),
                region: String::new(),
                postal_code: "100022".into(),
                country: "CN".into(),
            }],
            tags: vec!["VIP".into(), "北京".into()],
            custom: vec![CustomValue { field_id: wechat.id.clone(), value: "wang_xm88".into() }],
            ..person("王小明")
        })
        .unwrap();
    assert_eq!(entries().0 - before, 1, "one entry for the customer and its seven details");

    let changes: Vec<_> = store.changes_since(last, u32::MAX).unwrap();
    let rows: BTreeSet<(String, String)> = changes.iter().map(|(_, ch)| (ch.table.clone(), ch.row_id.clone())).collect();
    let per_table = |t: &str| rows.iter().filter(|(tbl, _)| tbl == t).count();
    assert_eq!(
        [
            per_table("customers"),
            per_table("customer_phones"),
            per_table("customer_emails"),
            per_table("customer_addresses"),
            per_table("customer_tags"),
            per_table("customer_field_values")
        ],
        [1, 2, 1, 1, 2, 1]
    );
    let value_of = |t: &str, col: &str| -> Vec<String> {
        changes
            .iter()
            .filter(|(_, ch)| ch.table == t && ch.column == col)
            .map(|(_, ch)| match &ch.value {
                rusqlite::types::Value::Text(s) => s.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(value_of("customer_phones", "value"), ["13800138000", "010-6552 9988"]);
    assert_eq!(value_of("customer_addresses", "street"), ["建国路 88 号"]);
    assert_eq!(value_of("customer_tags", "tag"), ["VIP", "北京"]);
    assert_eq!(value_of("customer_field_values", "value"), ["wang_xm88"]);
    assert!(
        changes
            .iter()
            .any(|(_, ch)| ch.table == "customer_field_values" && ch.row_id == format!("{}.{}", c.id.as_str(), wechat.id.as_str())),
        "a custom value's id is not a UUID, and still reads back"
    );

    // Push: the same changes, each filed under the customer.
    let pushed = store.own_changes_after(last, u32::MAX, u32::MAX).unwrap();
    assert_eq!(pushed.entries, 1);
    assert_eq!(pushed.changes.len(), changes.len());
    assert!(pushed.changes.iter().all(|(_, scope)| scope == c.id.as_str()), "every row is filed under its customer");

    // History: every detail as it was created, with nothing before it.
    let history = store.history(c.id.as_str(), None, 100).unwrap();
    assert_eq!(history.len(), changes.len());
    assert!(history.iter().any(|e| e.table == "customer_tags" && e.value == Text("北京".into())));
    assert!(history.iter().all(|e| e.old_value == rusqlite::types::Value::Null));

    // The record's row says where its creation is: no history run for it, until it is edited.
    let runs = || {
        store
            .read(|conn| {
                Ok(conn.query_row("SELECT count(*) FROM entity_log WHERE entity_id = ?1", [c.id.as_str()], |r| r.get::<_, i64>(0))?)
            })
            .unwrap()
    };
    assert_eq!(runs(), 0);
    let mut input = db.app.customers().get(&c.id).unwrap().to_input();
    input.name = "王晓明".into();
    db.app.customers().update(&c.id, &input).unwrap();
    assert_eq!(runs(), 1);
    let history = store.history(c.id.as_str(), None, 100).unwrap();
    assert_eq!(history.len(), changes.len() + 1, "the edit, then the creation");
    assert_eq!(
        (&history[0].column, &history[0].value, &history[0].old_value),
        (&"name".to_string(), &Text("王晓明".into()), &Text("王小明".into()))
    );
    assert!(history[1..].iter().any(|e| e.table == "customer_phones" && e.value == Text("010-6552 9988".into())));
    // Paged: the creation comes once, after the edit.
    assert_eq!(store.history(c.id.as_str(), None, 1).unwrap().len(), 1);
    let mut input = db.app.customers().get(&c.id).unwrap().to_input();
    input.name = "王小明".into();
    db.app.customers().update(&c.id, &input).unwrap();

    // A replica built from the log (the field's definition first) holds the same customer.
    let other = new_db();
    let all: Vec<_> = store.changes_since(0, u32::MAX).unwrap().into_iter().map(|(_, ch)| ch).collect();
    other.app.apply_changes(&all).unwrap();
    let copy = other.app.customers().get(&c.id).unwrap();
    assert_eq!(copy.to_input(), c.to_input());
}

/// A write may file rows under a record before it creates the record itself; the run that holds
/// the creation then starts earlier, and history still lists each change once.
#[test]
fn a_record_created_after_rows_filed_under_it_has_each_change_once_in_history() {
    use rusqlite::types::Value::{Integer, Text};
    use satchel_core::store::schema::{CUSTOMERS, CUSTOMER_PHONES};
    let db = new_db();
    let (customer, phone) = (satchel_core::ids::CustomerId::new(), satchel_core::ids::ContactPointId::new());
    db.app
        .store()
        .write(|w| {
            w.insert(
                &CUSTOMER_PHONES,
                phone.as_str(),
                &[
                    ("customer_id", Text(customer.as_str().into())),
                    ("label", Text("Mobile".into())),
                    ("value", Text("13800138000".into())),
                    ("position", Integer(0)),
                ],
            )?;
            // Writes the phone's entry: the record's run is open from there.
            assert!(w.log_range()?.is_some());
            w.insert(&CUSTOMERS, customer.as_str(), &[("kind", Text("person".into())), ("name", Text("王小明".into()))])
        })
        .unwrap();
    let history = db.app.store().history(customer.as_str(), None, 100).unwrap();
    let mut seen: Vec<(String, String)> = history.iter().map(|e| (e.row_id.clone(), e.column.clone())).collect();
    let all = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), all, "{history:?}");
    assert_eq!(all, 6, "the phone's customer, value, position and label; the customer's kind and name");
    assert_eq!(db.app.store().changes_since(0, u32::MAX).unwrap().len(), 6);
}

/// The protocol's list of columns that may hold null (what the server checks pushed values
/// against) is the laptops' real schema: a column SQLite holds NOT NULL is not in it, and every
/// other synced column is.
#[test]
fn the_protocols_nullable_columns_are_the_laptops_schema() {
    let db = new_db();
    let mismatches: Vec<String> = db
        .app
        .store()
        .read(|c| {
            let mut out = Vec::new();
            for t in satchel_core::store::schema::SYNCED_TABLES.iter().filter(|t| satchel_proto::tables::module_of(t.name).is_some()) {
                let mut st = c.prepare(&format!("SELECT name, \"notnull\" FROM pragma_table_info('{}')", t.name))?;
                let cols: Vec<(String, bool)> = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
                for col in t.columns {
                    let not_null = cols.iter().find(|(n, _)| n == col).map(|(_, nn)| *nn).expect("a synced column exists");
                    if not_null == satchel_proto::tables::nullable(t.name, col) {
                        out.push(format!("{}.{} (NOT NULL in SQLite: {not_null})", t.name, col));
                    }
                }
            }
            Ok(out)
        })
        .unwrap();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

/// Issue 14: the database, its write-ahead log and the attachments folder are created readable
/// by this user only (before: 0644 and 0755, per the umask, so anyone on a shared computer could
/// copy the customer book).
#[cfg(unix)]
#[test]
fn the_database_its_log_and_attachments_are_this_users_only() {
    use std::os::unix::fs::PermissionsExt;
    let db = new_db();
    let c = db.app.customers().create(&person("王海示")).unwrap();
    db.app.customers().add_attachment(&c.id, "合同.pdf", b"%PDF-1.4").unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o777;
    let path = db.path();
    assert_eq!(mode(&path), 0o600, "the database");
    assert_eq!(mode(&path.with_extension("db-wal")), 0o600, "its write-ahead log");
    let folder = db.app.customers().attachment_path(&db.app.customers().attachments(&c.id).unwrap()[0].id).unwrap();
    assert_eq!(mode(folder.parent().unwrap()), 0o700, "the attachments folder");
}

/// Issue 14: one Satchel per database. A second one on the same file (a second window, the CLI
/// while the app runs) is told the database is in use, instead of running a second clock and
/// sync worker over it; once the first closes, the file opens again.
#[test]
fn a_second_satchel_on_the_same_database_is_told_it_is_in_use() {
    let db = new_db();
    let path = db.path();
    let second = Satchel::open(&path, profile("bo")).err().expect("refused while the first is open");
    assert_eq!(second.code(), satchel_core::error::ErrorCode::InUse);
    assert!(
        second.message(satchel_core::i18n::Locale::En).contains("open in another Satchel"),
        "{}",
        second.message(satchel_core::i18n::Locale::En)
    );
    assert!(second.message(satchel_core::i18n::Locale::ZhCn).contains("正在被另一个 Satchel"));
    drop(db.app);
    assert!(Satchel::open(&path, profile("bo")).is_ok(), "free again once the first closed");
}

/// A column an insert left at the table's default is not part of the insert, however the row
/// changes later. A shared customer's creation does not log its visibility ('team' is every
/// device's default); once the record is made private here, or by a manager elsewhere and shared
/// again here, the creation must still read back without it. Otherwise the insert sent at the
/// first push and the one a laptop sends again after a server restore differ, and the laptop
/// counts as its own a change (`visibility = 'team'` at the creation's clock) it never sent.
#[test]
fn an_insert_never_gains_a_column_it_left_at_its_default() {
    use rusqlite::types::Value;
    use satchel_core::store::Change;
    let db = new_db();
    let store = db.app.store();
    // The creation's changes, as sync pushes them: (row, column, value) at the creation's clock.
    let creation = |id: &str| -> Vec<(String, Value)> {
        let all = store.own_changes_after(0, u32::MAX, u32::MAX).unwrap().changes;
        let first = all.iter().find(|(c, _)| c.row_id == id).unwrap().0.hlc;
        all.into_iter().filter(|(c, _)| c.row_id == id && c.hlc == first).map(|(c, _)| (c.column, c.value)).collect()
    };
    let set_private = |id: &satchel_core::ids::CustomerId, private: bool| {
        let mut input = db.app.customers().get(id).unwrap().to_input();
        input.private = Some(private);
        db.app.customers().update(id, &input).unwrap();
    };

    // Made private here, then shared again.
    let a = db.app.customers().create(&person("共享的")).unwrap();
    let at_first_push = creation(a.id.as_str());
    assert!(at_first_push.iter().all(|(c, _)| c != "visibility"), "{at_first_push:?}");
    set_private(&a.id, true);
    assert_eq!(creation(a.id.as_str()), at_first_push);
    set_private(&a.id, false);
    assert_eq!(creation(a.id.as_str()), at_first_push);

    // Made private by a manager on another laptop (pulled), then shared again here.
    let b = db.app.customers().create(&person("经理改过的")).unwrap();
    let at_first_push = creation(b.id.as_str());
    let later = satchel_core::hlc::Hlc::new(satchel_core::store::now_ms() + 1_000, 0);
    let private = Change {
        hlc: later,
        site: "mo-site".into(),
        table: "customers".into(),
        row_id: b.id.to_string(),
        column: "visibility".into(),
        value: Value::Text("private".into()),
    };
    store.apply_changes(&[private]).unwrap();
    assert!(db.app.customers().get(&b.id).unwrap().private);
    assert_eq!(creation(b.id.as_str()), at_first_push);
    set_private(&b.id, false);
    assert_eq!(creation(b.id.as_str()), at_first_push);

    // A column set by the insert still reads back as it was, after the same kind of edits.
    let mut input = person("私有的");
    input.private = Some(true);
    let c = db.app.customers().create(&input).unwrap();
    let at_first_push = creation(c.id.as_str());
    assert!(at_first_push.contains(&("visibility".into(), Value::Text("private".into()))), "{at_first_push:?}");
    set_private(&c.id, false);
    set_private(&c.id, true);
    assert_eq!(creation(c.id.as_str()), at_first_push);
}

/// Undoing a write that set a column never set before (it held the table's default) puts the
/// default back, as it puts back any other column's old value.
#[test]
fn undoing_a_write_puts_back_a_column_that_held_only_its_default() {
    use rusqlite::types::Value;
    use satchel_core::store::schema::CUSTOMERS;
    let db = new_db();
    let store = db.app.store();
    let a = db.app.customers().create(&person("撤销")).unwrap();
    let (first, last) = store
        .write(|w| {
            w.update(&CUSTOMERS, a.id.as_str(), &[("visibility", Value::Text("private".into())), ("notes", Value::Text("备注".into()))])?;
            w.log_range()
        })
        .unwrap()
        .unwrap();
    store.write(|w| w.revert(first, last).map(|_| ())).unwrap();
    let (visibility, notes): (String, String) = store
        .read(
            |c| Ok(c.query_row("SELECT visibility, notes FROM customers WHERE id = ?1", [a.id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?),
        )
        .unwrap();
    assert_eq!((visibility.as_str(), notes.as_str()), ("team", ""));
}

/// A laptop never forgets a record it created, whatever the server names among the records
/// made private by their owners: the server revokes only other owners' records, so such a
/// revocation is the server not knowing whose the record is (a server restored from a backup
/// that first met the record through a manager's re-sent edit holds it as the manager's for a
/// while). Forgetting it would delete the row that holds its creation's values (an own insert
/// is logged without them), and the laptop could never send its creation again. A record made
/// elsewhere is still forgotten.
#[test]
fn a_record_created_here_is_never_forgotten() {
    use rusqlite::types::Value;
    use satchel_core::store::Change;
    let db = new_db();
    let store = db.app.store();
    let mine = db.app.customers().create(&person("我的")).unwrap();
    let theirs = "01900000-0000-7000-8000-0000000000cc";
    let later = satchel_core::hlc::Hlc::new(satchel_core::store::now_ms(), 0);
    let change = |column: &str, value: &str| Change {
        hlc: later,
        site: "bo-site".into(),
        table: "customers".into(),
        row_id: theirs.into(),
        column: column.into(),
        value: Value::Text(value.into()),
    };
    store.apply_changes(&[change("kind", "person"), change("name", "别人的")]).unwrap();
    let sent_before = store.own_changes_after(0, u32::MAX, u32::MAX).unwrap().changes.len();

    let gone = store.forget_records(&[mine.id.to_string(), theirs.to_string()]).unwrap();
    assert!(gone.iter().all(|t| t.id == theirs), "{gone:?}");
    let count =
        |id: &str| -> i64 { store.read(|c| Ok(c.query_row("SELECT count(*) FROM customers WHERE id = ?1", [id], |r| r.get(0))?)).unwrap() };
    assert_eq!((count(mine.id.as_str()), count(theirs)), (1, 0));
    assert_eq!(store.own_changes_after(0, u32::MAX, u32::MAX).unwrap().changes.len(), sent_before, "its creation can still be sent");
}

/// A column written twice in one write would carry one clock stamp twice, and another laptop
/// could not tell which value came last: the write path refuses it, and the write leaves nothing.
#[test]
fn a_column_written_twice_in_one_write_is_refused_and_nothing_is_written() {
    use rusqlite::types::Value;
    use satchel_proto::tables::customers::CUSTOMERS;
    let db = new_db();
    let before = db.app.store().changes_since(0, u32::MAX).unwrap().len();
    let id = satchel_core::ids::CustomerId::new();
    let twice = db.app.store().write(|w| {
        w.insert(&CUSTOMERS, id.as_str(), &[("kind", Value::Text("company".into())), ("name", Value::Text("Acme".into()))])?;
        w.update(&CUSTOMERS, id.as_str(), &[("name", Value::Text("Acme Ltd".into()))])
    });
    assert!(matches!(twice, Err(CoreError::Internal(ref m)) if m.contains("customers.name")), "{twice:?}");
    assert_eq!(db.app.store().changes_since(0, u32::MAX).unwrap().len(), before, "the whole write was undone");
    // Another column of the row just made is fine, and so is the same column in the next write.
    let other = satchel_core::ids::CustomerId::new();
    db.app
        .store()
        .write(|w| {
            w.insert(&CUSTOMERS, other.as_str(), &[("kind", Value::Text("company".into())), ("name", Value::Text("Acme".into()))])?;
            w.update(&CUSTOMERS, other.as_str(), &[("source", Value::Text("fair".into()))])
        })
        .unwrap();
    assert!(db.app.store().write(|w| w.update(&CUSTOMERS, other.as_str(), &[("name", Value::Text("Acme Ltd".into()))])).unwrap());
}

/// Issue 18: reading every page at open costs half a second on a large book, so it is skipped
/// when the file is exactly as a clean close left it that same day; a file changed since (here:
/// damaged) is read whole again and refused, as before.
#[test]
fn a_cleanly_closed_book_opens_without_reading_every_page_but_a_changed_one_is_checked() {
    let db = new_db();
    db.app.customers().create(&person("王海示")).unwrap();
    let path = db.path();
    let first = db.app.store().pages_checked_ms();
    db.app.store().checkpoint_at_exit().unwrap();
    drop(db.app);

    std::thread::sleep(std::time::Duration::from_millis(5));
    let app = satchel_core::Satchel::open(&path, profile("ana")).unwrap();
    assert_eq!(app.store().pages_checked_ms(), first, "unchanged since a clean close: not read again");
    assert_eq!(app.customers().search("海示", None, 5).len(), 1);
    app.customers().create(&person("李示范")).unwrap();
    drop(app); // written to and closed without the note: the next open checks

    let app = satchel_core::Satchel::open(&path, profile("ana")).unwrap();
    let second = app.store().pages_checked_ms();
    assert!(second > first, "after an exit without the note's checkpoint, every page is read");
    app.store().checkpoint_at_exit().unwrap();
    drop(app);

    // A page damaged after the clean close: its size or time changed, so it is read and refused.
    let (root, page): (i64, i64) = {
        let c = satchel_core::rusqlite::Connection::open(&path).unwrap();
        (
            c.query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'customers'", [], |r| r.get(0)).unwrap(),
            c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap(),
        )
    };
    let mut damaged = std::fs::read(&path).unwrap();
    let at = ((root - 1) * page) as usize;
    for b in &mut damaged[at + 8..at + page as usize] {
        *b = 0xA5;
    }
    std::fs::write(&path, &damaged).unwrap();
    let refused = satchel_core::Satchel::open(&path, profile("ana"));
    assert!(
        matches!(refused, Err(satchel_core::error::CoreError::Corrupt { .. })),
        "a damaged page after a clean close is still found: {:?}",
        refused.err()
    );
}

/// Between pages the app hands back SQLite's page cache (the window's trimmer, once quiet): the
/// memory goes, and what the next query reads is the same.
#[test]
fn releasing_memory_empties_the_read_cache_and_keeps_every_answer() {
    fn cache_bytes(c: &rusqlite::Connection) -> i32 {
        let (mut now, mut high) = (0, 0);
        // SAFETY: the handle is the live connection's; the call only reads its counters.
        unsafe { rusqlite::ffi::sqlite3_db_status(c.handle(), rusqlite::ffi::SQLITE_DBSTATUS_CACHE_USED, &mut now, &mut high, 0) };
        now
    }
    let db = new_db();
    satchel_core::demo::generate(db.app.store(), 3000, 3).unwrap();
    let store = db.app.store();
    let scan = |c: &rusqlite::Connection| -> satchel_core::error::Result<(i64, i64, i32)> {
        let (n, len): (i64, i64) =
            c.query_row("SELECT count(*), sum(length(name) + length(notes) + length(_clocks)) FROM customers", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        Ok((n, len, cache_bytes(c)))
    };
    let (n, len, warm) = store.read(scan).unwrap();
    assert!(n >= 3000 && warm > 256 * 1024, "a scan of {n} customers should fill the cache: {warm} bytes");
    store.release_memory();
    let cold = store.read(|c| Ok(cache_bytes(c))).unwrap();
    assert!(cold * 4 < warm, "the cache held {warm} bytes, and {cold} after release_memory");
    let (n2, len2, _) = store.read(scan).unwrap();
    assert_eq!((n2, len2), (n, len));
}
