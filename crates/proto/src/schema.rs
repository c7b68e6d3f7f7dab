//! The synced tables and their columns: the only names the write path, the change applier and
//! the server will put into SQL or permission checks. A change naming anything else is refused,
//! never interpolated.
//!
//! Each table declares its own sync [`Scope`]: whose permissions its rows fall under. The store
//! files every row under its root record by following these declarations (through any depth: a
//! quote line under a quote under an opportunity under a customer), and the server decides who
//! may see and write a change from the same declarations, never from table names of its own.
//!
//! The definitions live in [`crate::tables`], one file per module; [`SYNCED_TABLES`] gathers them.

use crate::registry::TestExtras;
use std::sync::LazyLock;

/// A synced table: its columns (besides `id`, `updated_ms` and `_clocks`), how its rows find
/// the record whose history they belong to, and whose permissions they fall under when synced.
/// Columns are only ever appended to a list, never removed or reordered: a row's `_clocks` name
/// its columns by their position here.
#[derive(Debug, PartialEq, Eq)]
pub struct TableDef {
    pub name: &'static str,
    /// The number log entries name this table by (`more_rows`): fixed once released, never
    /// reused, below 128 (the high bit of its byte marks an id kept as text).
    pub code: u8,
    pub columns: &'static [&'static str],
    /// The column naming the record whose history a row is part of (a phone's customer); `None`
    /// when each row is a record with a history of its own.
    pub entity_column: Option<&'static str>,
    pub scope: Scope,
}

/// Whose permissions a row falls under when synced (the server enforces them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Each row is a root record: it has an owner (the account that first pushed it) and a
    /// visibility, kept in the named column (the value `"private"` hides it from teammates).
    Root {
        visibility: &'static str,
        /// The column naming who looks after the record (`""`: none). Like the visibility, only
        /// the record's owner, a manager or the team's owner may change it.
        owner: &'static str,
    },
    /// Each row belongs to the row of table `parent` named in `column` (a phone's customer, a
    /// quote's opportunity), and through it to that row's root record. A row whose column is
    /// empty is team-wide.
    Child { parent: &'static str, column: &'static str },
    /// Each row belongs to a record of any type: `type_column` names the record type (see
    /// [`crate::records`]) and `id_column` the record, which files the row as that type's table
    /// files its own rows. The record features every type shares (attachments, custom values)
    /// are shaped so. A type this build does not know files the row team-wide here (only a
    /// server older than the teammate who wrote it would see that).
    /// Rows written before record types existed (by 0.1 clients) name none: they are of type
    /// `default`, as the column's default in the local table says.
    Record { type_column: &'static str, id_column: &'static str, default: &'static str },
    /// Team-wide rows every member sees (custom field definitions, saved views).
    Team,
}

/// The column naming the record type a shared row serves (see [`crate::records`]): the type
/// column of a [`Scope::Record`] table, and on team-wide tables (custom field definitions,
/// saved views) the type the row is for.
pub const RECORD_TYPE: &str = "record_type";

/// The value of a root record's visibility column that hides it from teammates.
pub const PRIVATE: &str = "private";

impl TableDef {
    pub fn has_column(&self, col: &str) -> bool {
        self.columns.contains(&col)
    }

    /// A column's position, as row clock maps name it.
    pub fn column_index(&self, col: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == col)
    }

    /// Whether a row of this table is a record of its own (its history's entity), not a part of
    /// one. Such a row keeps the number of the log entry that created it (`_created_seq`).
    pub fn is_record(&self) -> bool {
        self.entity_column.is_none()
    }

    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// The column naming this row's parent, for a child table.
    pub fn parent_column(&self) -> Option<&'static str> {
        match self.scope {
            Scope::Child { column, .. } => Some(column),
            Scope::Record { id_column, .. } => Some(id_column),
            _ => None,
        }
    }

    /// The column naming the record type a row serves, if the table has one (see [`RECORD_TYPE`]).
    pub fn type_column(&self) -> Option<&'static str> {
        match self.scope {
            Scope::Record { type_column, .. } => Some(type_column),
            _ => self.columns.iter().copied().find(|c| *c == RECORD_TYPE),
        }
    }

    /// Whether a change to `column` sets this root record's visibility.
    pub fn is_visibility(&self, column: &str) -> bool {
        matches!(self.scope, Scope::Root { visibility, .. } if visibility == column)
    }

    /// Whether a change to `column` sets who looks after this root record.
    pub fn is_owner(&self, column: &str) -> bool {
        matches!(self.scope, Scope::Root { owner, .. } if !owner.is_empty() && owner == column)
    }

    /// Whether `column` names the row a row belongs to, or the type of that record: what files
    /// a child row under its record (see [`file_under`]).
    pub fn is_link(&self, column: &str) -> bool {
        match self.scope {
            Scope::Child { column: c, .. } => c == column,
            Scope::Record { type_column, id_column, .. } => type_column == column || id_column == column,
            Scope::Root { .. } | Scope::Team => false,
        }
    }
}

/// The definitions of every module, one line per module (see `tables/mod.rs`), plus any a test
/// registered before first use. Positions in this list mean nothing: log entries name tables
/// by [`TableDef::code`].
pub static SYNCED_TABLES: LazyLock<Vec<&'static TableDef>> =
    LazyLock::new(|| EXTRA.gather(crate::tables::MODULES.iter().flat_map(|m| m.tables.iter().copied())));

static EXTRA: TestExtras<TableDef> = TestExtras::new();

/// Adds tables that exist only in a test build (for example a three-level chain of child tables
/// no module has yet). Must run before anything reads the schema in this process: a test binary
/// calls it first thing in each of its tests.
///
/// # Panics
/// When the schema was already read without these tables.
#[doc(hidden)]
pub fn register_test_tables(tables: &[&'static TableDef]) {
    EXTRA.register(tables, |a, b| a.name == b.name, "tables");
}

pub fn table(name: &str) -> Option<&'static TableDef> {
    SYNCED_TABLES.iter().copied().find(|t| t.name == name)
}

/// The table log entries name by `code`.
pub fn by_code(code: u8) -> Option<&'static TableDef> {
    SYNCED_TABLES.iter().copied().find(|t| t.code == code)
}

/// A table's code, as log entries name it.
pub fn code(t: &TableDef) -> Option<u8> {
    Some(t.code).filter(|c| *c < 0x80)
}

/// Whether `name.column` is a synced column.
/// The attachments table's columns that say what an attachment's bytes are: the server keeps
/// their newest value per row (beside the link columns), to tell who may upload and fetch the
/// bytes of a content hash and how large they are (issue 14).
pub const ATTACHMENT_CONTENT: (&str, &str, &str) = ("attachments", "sha256", "size");

/// Whether the server keeps the newest value of this column per row: a link column (what files a
/// child row under its record) or an attachment's content hash and size.
pub fn kept(table: &str, column: &str) -> bool {
    let (t, hash, size) = ATTACHMENT_CONTENT;
    (table == t && (column == hash || column == size)) || self::table(table).is_some_and(|d| d.is_link(column))
}

pub fn knows(name: &str, column: &str) -> bool {
    table(name).is_some_and(|t| t.has_column(column))
}

/// What is wrong with a set of definitions, if anything: codes and names unique, codes below 128,
/// at most 64 columns (clock maps and the applier key column sets by a `u64` mask), every child's
/// parent defined with its column, and no cycle of parents. Checked by a test over
/// [`SYNCED_TABLES`], so a module's new table cannot break the others.
pub fn problems(tables: &[&TableDef]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        if t.code >= 0x80 {
            out.push(format!("{}: code {} is not below 128", t.name, t.code));
        }
        if t.columns.len() > 64 {
            out.push(format!("{}: more than 64 columns", t.name));
        }
        for o in &tables[..i] {
            if o.code == t.code {
                out.push(format!("{} and {} share code {}", o.name, t.name, t.code));
            }
            if o.name == t.name {
                out.push(format!("{} is defined twice", t.name));
            }
        }
        match t.scope {
            Scope::Root { visibility, .. } if !t.has_column(visibility) => {
                out.push(format!("{}: no visibility column {visibility}", t.name))
            }
            Scope::Root { owner, .. } if !owner.is_empty() && !t.has_column(owner) => {
                out.push(format!("{}: no owner column {owner}", t.name))
            }
            Scope::Child { parent, column } => {
                if !t.has_column(column) {
                    out.push(format!("{}: no parent column {column}", t.name));
                }
                if !tables.iter().any(|p| p.name == parent) {
                    out.push(format!("{}: parent table {parent} is not defined", t.name));
                }
                // Walk up: a chain of parents must end at a root or a team-wide table (a missing
                // parent on the way is reported for the table that names it).
                let mut at = *t;
                let mut ends = false;
                for _ in 0..=tables.len() {
                    match at.scope {
                        Scope::Child { parent, .. } => match tables.iter().find(|p| p.name == parent) {
                            Some(p) => at = p,
                            None => {
                                ends = true;
                                break;
                            }
                        },
                        _ => {
                            ends = true;
                            break;
                        }
                    }
                }
                if !ends {
                    out.push(format!("{}: its parents form a cycle", t.name));
                }
            }
            Scope::Record { type_column, id_column, .. } => {
                for col in [type_column, id_column] {
                    if !t.has_column(col) {
                        out.push(format!("{}: no record column {col}", t.name));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Files row `row` of table `t` under its root record, by walking up its parents: `parent_of`
/// answers the value of a row's column (`None` when the row or the value is unknown). A pure
/// function over a lookup, so the laptop (its SQLite rows) and the server (what it has stored)
/// file the same way. Returns `""` for team-wide rows and for rows whose chain breaks (a parent
/// table or record type not known here).
pub fn file_under(
    t: &'static TableDef,
    row: &str,
    mut parent_of: impl FnMut(&'static TableDef, &str, &'static str) -> Option<String>,
) -> String {
    let mut table = t;
    let mut id = row.to_string();
    // A chain is never longer than the list of tables (`problems` refuses cycles).
    for _ in 0..=SYNCED_TABLES.len() {
        let (parent, column) = match table.scope {
            Scope::Root { .. } => return id,
            Scope::Team => return String::new(),
            Scope::Child { parent, column } => match self::table(parent) {
                Some(p) => (p, column),
                None => return String::new(),
            },
            Scope::Record { type_column, id_column, default } => {
                let kind = parent_of(table, &id, type_column).filter(|k| !k.is_empty()).unwrap_or_else(|| default.to_string());
                match crate::records::record_type(&kind).and_then(|r| self::table(r.table)) {
                    Some(p) => (p, id_column),
                    None => return String::new(),
                }
            }
        };
        match parent_of(table, &id, column) {
            Some(p) if !p.is_empty() => {
                table = parent;
                id = p;
            }
            _ => return String::new(),
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Log entries written by released versions name tables by these codes.
    #[test]
    fn tables_keep_their_codes() {
        let released = [
            "customers",
            "customer_phones",
            "customer_emails",
            "customer_addresses",
            "customer_tags",
            "activities",
            "custom_fields",
            "customer_field_values",
            "segments",
            "attachments",
        ];
        for (i, name) in released.iter().enumerate() {
            let t = table(name).unwrap();
            assert_eq!(code(t), Some(i as u8), "{name}");
            assert_eq!(by_code(i as u8).map(|t| t.name), Some(*name));
        }
    }

    #[test]
    fn the_registered_definitions_hold_together() {
        assert_eq!(problems(&SYNCED_TABLES), Vec::<String>::new());
    }

    const ROOT: TableDef = TableDef {
        name: "r",
        code: 1,
        columns: &["name", "vis"],
        entity_column: None,
        scope: Scope::Root { visibility: "vis", owner: "" },
    };
    const MID: TableDef =
        TableDef { name: "m", code: 2, columns: &["r_id"], entity_column: None, scope: Scope::Child { parent: "r", column: "r_id" } };

    #[test]
    fn broken_definitions_are_named() {
        let dup = TableDef { name: "d", code: 1, columns: &[], entity_column: None, scope: Scope::Team };
        let orphan =
            TableDef { name: "o", code: 3, columns: &["x"], entity_column: None, scope: Scope::Child { parent: "nope", column: "x" } };
        let no_col =
            TableDef { name: "c", code: 4, columns: &[], entity_column: None, scope: Scope::Child { parent: "r", column: "r_id" } };
        let a = TableDef { name: "a", code: 5, columns: &["b"], entity_column: None, scope: Scope::Child { parent: "b", column: "b" } };
        let b = TableDef { name: "b", code: 6, columns: &["a"], entity_column: None, scope: Scope::Child { parent: "a", column: "a" } };
        let big = TableDef { name: "big", code: 200, columns: &[], entity_column: None, scope: Scope::Team };
        let got = problems(&[&ROOT, &MID, &dup, &orphan, &no_col, &a, &b, &big]).join("\n");
        for want in [
            "r and d share code 1",
            "o: parent table nope is not defined",
            "c: no parent column r_id",
            "a: its parents form a cycle",
            "b: its parents form a cycle",
            "big: code 200 is not below 128",
        ] {
            assert!(got.contains(want), "{want:?} missing from:\n{got}");
        }
        assert!(problems(&[&ROOT, &MID]).is_empty());
    }

    #[test]
    fn a_child_of_a_customer_is_filed_under_it_and_a_broken_chain_files_nowhere() {
        let phones = table("customer_phones").unwrap();
        let customers = table("customers").unwrap();
        let segments = table("segments").unwrap();
        let lookup = |t: &TableDef, row: &str, col: &str| {
            assert_eq!((t.name, col), ("customer_phones", "customer_id"));
            (row == "p1").then(|| "c1".to_string())
        };
        assert_eq!(file_under(phones, "p1", lookup), "c1");
        assert_eq!(file_under(phones, "p2", lookup), "");
        assert_eq!(file_under(customers, "c9", |_, _, _| unreachable!()), "c9");
        assert_eq!(file_under(segments, "s1", |_, _, _| unreachable!()), "");
    }

    #[test]
    fn a_shared_row_is_filed_under_its_record_whatever_the_type() {
        let attachments = table("attachments").unwrap();
        // (row, record_type, customer_id): typed, from a 0.1 client (no type: a customer's), and
        // of a type a newer teammate has (filed nowhere here, as any broken chain).
        let rows = [("a1", Some("customer"), "c1"), ("a2", None, "c2"), ("a3", Some("campaign"), "t1")];
        let lookup = |t: &TableDef, row: &str, col: &str| {
            assert_eq!(t.name, "attachments");
            let (_, kind, id) = rows.iter().find(|r| r.0 == row)?;
            match col {
                RECORD_TYPE => kind.map(String::from),
                "customer_id" => Some(id.to_string()),
                other => panic!("asked for {other}"),
            }
        };
        assert_eq!(file_under(attachments, "a1", lookup), "c1");
        assert_eq!(file_under(attachments, "a2", lookup), "c2");
        assert_eq!(file_under(attachments, "a3", lookup), "");
        assert_eq!(attachments.type_column(), Some(RECORD_TYPE));
        assert_eq!(table("segments").unwrap().type_column(), Some(RECORD_TYPE));
        assert_eq!(table("customer_phones").unwrap().type_column(), None);
    }
}
