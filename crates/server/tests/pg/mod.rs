//! A PostgreSQL schema of its own for each test, in the database that `SATCHEL_TEST_POSTGRES`
//! names (`make test` sets it and starts a local PostgreSQL; see `scripts/test-postgres`).
//! Tests run in parallel without meeting; the schema is dropped when the test ends, passed or not.
#![allow(dead_code)]

use std::io::Write;

/// Each test named, once per backend: in `mod sqlite` with the file's `sqlite()`, and in `mod
/// postgres` with its `postgres(name)` (skipped, or under `make test` failed, without a database).
/// The first argument prefixes the PostgreSQL schema's name.
#[macro_export]
macro_rules! on_both_backends {
    ($prefix:literal; $($test:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $test() { super::$test(&super::sqlite()) } )*
        }
        mod postgres {
            $( #[test] fn $test() {
                if let Some(b) = super::postgres(concat!($prefix, "::", stringify!($test))) { super::$test(&b) }
            } )*
        }
    };
}

pub const VAR: &str = "SATCHEL_TEST_POSTGRES";
/// Set to 1 by `make test`: then a missing [`VAR`] fails the tests instead of skipping them.
pub const REQUIRED: &str = "SATCHEL_REQUIRE_POSTGRES";

pub struct TestSchema {
    /// A URL whose connections see only this test's schema (`search_path`), and name themselves
    /// after it (`application_name`).
    pub url: String,
    /// The schema, also the connections' `application_name`.
    pub name: String,
    base: String,
}

/// A fresh schema for `test`, or `None` when no PostgreSQL is configured (said once per test
/// binary, past the test harness's capture, so a green run does not hide it).
pub fn schema(test: &str) -> Option<TestSchema> {
    let Some(base) = std::env::var(VAR).ok().filter(|v| !v.is_empty()) else {
        // Under `make test` a missing database is a failure, not a pass that tested nothing.
        if std::env::var_os(REQUIRED).is_some_and(|v| v == "1") {
            panic!("{REQUIRED}=1 but {VAR} is not set or empty: the PostgreSQL tests ({test} and others) cannot run (`make postgres` sets one up)");
        }
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            let line = format!(
                "\nskipped: the PostgreSQL tests ({test} and others): set {VAR}=postgres://USER:PASSWORD@HOST/DB (`make test` does)\n"
            );
            let _ = std::io::stderr().write_all(line.as_bytes());
        });
        return None;
    };
    let slug: String = test.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).take(30).collect();
    let name = format!("t_{slug}_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let create = format!("CREATE SCHEMA {name}");
    admin(&base, &create).unwrap_or_else(|e| panic!("{VAR}: cannot create a schema: {e}"));
    let url = if base.contains("://") {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}options=-c%20search_path%3D{name}&application_name={name}")
    } else {
        format!("{base} options='-c search_path={name}' application_name={name}")
    };
    Some(TestSchema { url, base, name })
}

impl TestSchema {
    /// Runs `sql` on a connection of its own (not one of the storage's) and returns the first
    /// column of the first row as text.
    pub fn admin_query(&self, sql: &str) -> String {
        let (url, sql) = (self.base.clone(), sql.to_string());
        std::thread::spawn(move || {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            c.simple_query(&sql)
                .unwrap()
                .into_iter()
                .find_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => Some(r.get(0).unwrap_or("").to_string()),
                    _ => None,
                })
                .unwrap_or_default()
        })
        .join()
        .unwrap()
    }
}

/// Runs one statement on a connection of its own, on a plain thread: the synchronous client may
/// not run inside an async test's runtime.
fn admin(url: &str, sql: &str) -> Result<(), String> {
    let (url, sql) = (url.to_string(), sql.to_string());
    std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).map_err(|e| format!("cannot connect: {e:?}"))?;
        c.batch_execute(&sql).map_err(|e| format!("{e:?}"))
    })
    .join()
    .unwrap()
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let _ = admin(&self.base, &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
    }
}

/// Where a test's server keeps its data: a SQLite file in a temporary directory, or a PostgreSQL
/// schema of its own. Test files that run on both backends use it with [`on_both_backends!`]
/// (`use pg::{postgres, sqlite, Db};`) and add their own methods.
pub enum Db {
    Sqlite(tempfile::TempDir),
    Postgres(TestSchema),
}

pub fn sqlite() -> Db {
    Db::Sqlite(tempfile::tempdir().unwrap())
}

pub fn postgres(test: &str) -> Option<Db> {
    schema(test).map(Db::Postgres)
}

impl Db {
    /// The flags that point the server's binary at this data.
    pub fn args(&self) -> Vec<String> {
        match self {
            Db::Sqlite(dir) => vec!["--data".into(), dir.path().display().to_string()],
            Db::Postgres(schema) => vec!["--database".into(), schema.url.clone()],
        }
    }

    /// The storage, as a server process would open it.
    pub fn storage(&self) -> std::sync::Arc<dyn satchel_server::storage::Storage> {
        match self {
            Db::Sqlite(dir) => std::sync::Arc::new(satchel_server::sqlite::SqliteStorage::init(dir.path()).unwrap()),
            Db::Postgres(schema) => std::sync::Arc::new(satchel_server::postgres::PostgresStorage::connect(&schema.url).unwrap()),
        }
    }
}
