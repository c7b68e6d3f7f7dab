//! Set-up shared by the test binaries that need the test-only tables and record type
//! (`satchel_proto::tables::testing`), which must be registered before anything reads the schema.

use satchel_core::store::Profile;
use satchel_core::Satchel;
use satchel_proto::tables::testing;

/// A laptop of `author` whose database also has the test tables.
pub fn open_with_test_tables(author: &str) -> (Satchel, tempfile::TempDir) {
    testing::register();
    let dir = tempfile::tempdir().unwrap();
    let app = Satchel::open(dir.path().join("satchel.db"), Profile { author: author.into(), device: format!("{author}-laptop") }).unwrap();
    app.store()
        .write(|w| {
            w.conn().execute_batch(testing::SQL)?;
            Ok(())
        })
        .unwrap();
    (app, dir)
}
