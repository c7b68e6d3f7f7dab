//! Records this laptop may no longer see (issue 14). When a record's owner makes it private, the
//! server stops sending its changes to teammates and, at their next pull, names it among the
//! `revoked`: each such laptop forgets its copy here, the record with every row filed under it
//! (phones, emails, activities, custom values, attachments' rows, at any depth), so a record
//! someone hid does not stay readable and editable on the laptops that had it. This is not a
//! delete: nothing is logged or pushed, the owner and the managers keep theirs, and if the record
//! is shared again the server sends all of it again.

use super::{lock, schema, Result, Store, Touched};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use satchel_proto::schema::Scope;

impl Store {
    /// Forgets these records and everything filed under them, in one transaction; returns the
    /// rows it removed, for the modules' in-memory state. Ids this laptop does not hold are
    /// passed over.
    pub fn forget_records(&self, ids: &[String]) -> Result<Vec<Touched>> {
        let mut side = lock(&self.write);
        let tx = side.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // (table, row, the row it is filed under directly)
        let mut doomed: Vec<(&'static schema::TableDef, String, Option<String>)> = Vec::new();
        for t in schema::SYNCED_TABLES.iter().filter(|t| matches!(t.scope, Scope::Root { .. })) {
            for id in ids {
                let here: Option<i64> = tx.query_row(&format!("SELECT 1 FROM {} WHERE id = ?1", t.name), [id], |r| r.get(0)).optional()?;
                if here.is_some() {
                    doomed.push((t, id.clone(), None));
                }
            }
        }
        // Down the tables' scopes until no more rows are found (a chain is as deep as the
        // tables' nesting; `schema::problems` refuses cycles).
        let mut from = 0;
        while from < doomed.len() {
            let parents: Vec<(&'static str, String)> = doomed[from..].iter().map(|(t, id, _)| (t.name, id.clone())).collect();
            from = doomed.len();
            for t in schema::SYNCED_TABLES.iter() {
                for (parent_table, parent) in &parents {
                    let sql = match t.scope {
                        Scope::Child { parent: p, column } if p == *parent_table => format!("SELECT id FROM {} WHERE {column} = ?1", t.name),
                        Scope::Record { type_column, id_column, default } => {
                            let Some(kind) = satchel_proto::records::of_table(parent_table) else { continue };
                            format!(
                                "SELECT id FROM {} WHERE {id_column} = ?1 AND coalesce(nullif({type_column}, ''), '{default}') = '{}'",
                                t.name, kind.name
                            )
                        }
                        _ => continue,
                    };
                    let mut st = tx.prepare(&sql)?;
                    let rows: Vec<String> = st.query_map([parent], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                    doomed.extend(rows.into_iter().map(|id| (*t, id, Some(parent.clone()))));
                }
            }
        }
        let mut touched = Vec::with_capacity(doomed.len());
        for (t, id, parent) in &doomed {
            tx.execute(&format!("DELETE FROM {} WHERE id = ?1", t.name), [id])?;
            touched.push(Touched { table: t.name, id: id.clone(), parent: parent.clone(), kind: None });
        }
        for id in ids {
            tx.execute("DELETE FROM lost_values WHERE entity_id = ?1", params![id])?;
        }
        tx.commit()?;
        if !doomed.is_empty() {
            log::info!("sync: forgot {} rows of {} records made private by their owners", doomed.len(), ids.len());
        }
        Ok(touched)
    }
}
