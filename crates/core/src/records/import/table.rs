//! Reading a CSV file's text into a table: the header, and each row with its spreadsheet row
//! number, rows whose column count is off set aside with the reason. What the columns mean is
//! each record type's business (the customers' mapping is in `customers/transfer/csv.rs`).

use super::RowError;
use crate::error::{CoreError, FileProblem, Result};
use crate::i18n::Locale;

/// A parsed table: the header and each record with its spreadsheet row number.
#[derive(Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
    /// Rows whose column count differs from the header's.
    pub ragged: Vec<RowError>,
}

/// The delimiter the header line uses most: comma, semicolon (European Excel) or tab.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b';', b'\t'].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b',')
}

pub fn parse_table(text: &str, locale: Locale) -> Result<Table> {
    if text.trim().is_empty() {
        return Err(CoreError::File(FileProblem::Empty));
    }
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter(text)).from_reader(text.as_bytes());
    let mut table = Table::default();
    let mut record = ::csv::StringRecord::new();
    let mut index: u32 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            // The text is already valid UTF-8, so the reader has no other error to give.
            Err(e) => return Err(CoreError::Internal(format!("csv: {e}"))),
        }
        index += 1;
        // The quote an export put before a would-be formula is not part of the value (`formula`).
        let fields: Vec<String> = record.iter().map(|f| super::formula::unguard(f).into_owned()).collect();
        if index == 1 {
            table.headers = fields.iter().map(|h| h.trim().to_string()).collect();
            continue;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue; // blank lines Excel leaves at the end
        }
        let want = table.headers.len();
        if fields.len() != want {
            let multiline = fields.iter().any(|f| f.contains('\n'));
            let (found, want) = (fields.len().to_string(), want.to_string());
            let key = if multiline { "file.columnCountQuote" } else { "file.columnCount" };
            let message = locale.text(key, &[("found", &found), ("want", &want)]);
            table.ragged.push(RowError { row: index, column: String::new(), message });
            continue;
        }
        table.rows.push((index, fields));
    }
    Ok(table)
}
