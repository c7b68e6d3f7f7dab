//! Import plumbing every record type uses: the text of a file in whatever encoding it came in
//! (`text`: UTF-8, GBK, GB18030, UTF-16, refused when binary), a CSV file read into a table
//! (`table`), header matching and the columns that name custom fields (`mapping`), and the
//! refused-row shape the import check lists; `formula` keeps a spreadsheet from running a cell of
//! an export as a formula, and takes that protection off again on import.

pub mod formula;
pub mod mapping;
pub mod table;
pub mod text;

use serde::{Deserialize, Serialize};

/// One refused row: where it is and why, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RowError {
    pub row: u32,
    /// The column's header (or vCard property); empty when the row as a whole is wrong.
    pub column: String,
    pub message: String,
}
