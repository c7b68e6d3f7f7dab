//! Quote lines from a CSV file or from cells pasted out of a spreadsheet. The header is
//! `description,quantity,unit,unit_price,discount_percent,tax_percent` (any order, the last three
//! optional), or its Chinese words (名称, 数量, 单位, 单价, 折扣, 税率); UTF-8 or GBK; comma,
//! semicolon or tab separated. Pasted cells with no header are read in that column order.
//!
//! Every row is checked the way the quote form checks a line; a file with any bad row is refused
//! whole, each problem named with its spreadsheet row number and column, so nothing is half-read.

use super::money::{self, Currency};
use super::QuoteLineInput;
use crate::error::{CoreError, FileProblem, Invalid, Result};
use crate::i18n::Locale;
use crate::records::import::table::parse_table;
use crate::records::import::{text, RowError};

/// The largest lines file read (a quote of thousands of lines is a mistake, not a quote).
pub const MAX_BYTES: u64 = 2 * 1024 * 1024;
pub const MAX_LINES: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Description,
    Quantity,
    Unit,
    UnitPrice,
    Discount,
    Tax,
}

/// The column a header names (English field names, their spoken forms, and the Chinese words).
fn column(h: &str) -> Option<Col> {
    let n: String =
        h.trim().trim_start_matches('\u{feff}').to_lowercase().chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').collect();
    let n = n.trim_end_matches(['%', '％']).trim_end_matches(['(', '（']).to_string();
    Some(match n.as_str() {
        "description" | "item" | "product" | "name" | "名称" | "品名" | "产品" | "产品名称" | "描述" | "项目" => {
            Col::Description
        }
        "quantity" | "qty" | "数量" => Col::Quantity,
        "unit" | "单位" => Col::Unit,
        "unitprice" | "price" | "单价" | "价格" => Col::UnitPrice,
        "discountpercent" | "discount" | "折扣" | "折扣率" => Col::Discount,
        "taxpercent" | "tax" | "taxrate" | "vat" | "税率" | "税" => Col::Tax,
        _ => return None,
    })
}

const ORDER: [Col; 6] = [Col::Description, Col::Quantity, Col::Unit, Col::UnitPrice, Col::Discount, Col::Tax];

fn header_name(c: Col) -> &'static str {
    match c {
        Col::Description => "description",
        Col::Quantity => "quantity",
        Col::Unit => "unit",
        Col::UnitPrice => "unit_price",
        Col::Discount => "discount_percent",
        Col::Tax => "tax_percent",
    }
}

/// The text of a lines file, in whatever encoding it came in.
pub fn file_text(bytes: &[u8]) -> Result<String> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(CoreError::File(FileProblem::TooLarge { bytes: bytes.len() as u64, max: MAX_BYTES }));
    }
    Ok(text::decode(bytes, None)?.0)
}

/// Lines read from a file's or a paste's text, checked against `currency`. `Err` lists every bad
/// row (`RowError`s, spreadsheet row numbers) or names what is wrong with the file as a whole.
pub fn parse(text: &str, currency: Currency, l: Locale) -> Result<std::result::Result<Vec<QuoteLineInput>, Vec<RowError>>> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(CoreError::File(FileProblem::Empty));
    }
    let table = parse_table(text, l)?;
    let mapped: Vec<Option<Col>> = table.headers.iter().map(|h| column(h)).collect();
    // No header a line can be read by: pasted cells, in the documented order.
    let (cols, rows): (Vec<Option<Col>>, Vec<(u32, Vec<String>)>) = if mapped.iter().flatten().count() == 0 {
        let mut rows = vec![(1, table.headers.clone())];
        rows.extend(table.rows.iter().cloned());
        (ORDER.iter().copied().map(Some).take(table.headers.len()).collect(), rows)
    } else {
        (mapped, table.rows.clone())
    };
    let mut errors: Vec<RowError> = table.ragged.clone();
    if !cols.contains(&Some(Col::Description)) || !cols.contains(&Some(Col::Quantity)) || !cols.contains(&Some(Col::UnitPrice)) {
        let missing: Vec<&str> =
            [Col::Description, Col::Quantity, Col::UnitPrice].into_iter().filter(|c| !cols.contains(&Some(*c))).map(header_name).collect();
        errors.push(RowError {
            row: 1,
            column: missing.join(", "),
            message: l.text("sales.linesHeader", &[("columns", &missing.join(", "))]),
        });
        return Ok(Err(errors));
    }
    if rows.len() > MAX_LINES {
        return Err(CoreError::invalid("lines", Invalid::TooMany { max: MAX_LINES }));
    }
    let mut out = Vec::new();
    for (row, cells) in rows {
        let get =
            |c: Col| cols.iter().position(|x| *x == Some(c)).and_then(|i| cells.get(i)).map(|s| s.trim().to_string()).unwrap_or_default();
        let line = QuoteLineInput {
            product_id: None,
            description: get(Col::Description),
            quantity: get(Col::Quantity),
            unit: get(Col::Unit),
            unit_price: get(Col::UnitPrice),
            discount_percent: get(Col::Discount),
            tax_percent: get(Col::Tax),
        };
        let before = errors.len();
        for (col, problem) in check_line(&line, currency) {
            let message = crate::error::CoreError::invalid(header_name(col), problem).message(l);
            errors.push(RowError { row, column: header_name(col).to_string(), message });
        }
        if errors.len() == before {
            out.push(line);
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok(Err(errors));
    }
    Ok(Ok(out))
}

/// A line's problems, by column (the quote form reports the same ones by field).
fn check_line(l: &QuoteLineInput, cur: Currency) -> Vec<(Col, Invalid)> {
    let mut out = Vec::new();
    if l.description.trim().is_empty() {
        out.push((Col::Description, Invalid::Required));
    }
    if let Err(e) = money::parse_quantity(&l.quantity) {
        out.push((Col::Quantity, e));
    }
    if let Err(e) = money::parse_amount(&l.unit_price, cur) {
        out.push((Col::UnitPrice, e));
    }
    if let Err(e) = money::parse_percent(&l.discount_percent) {
        out.push((Col::Discount, e));
    }
    if let Err(e) = money::parse_percent(&l.tax_percent) {
        out.push((Col::Tax, e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny() -> Currency {
        Currency::parse("CNY").unwrap()
    }

    #[test]
    fn english_and_chinese_headers_in_any_order() {
        let en = "description,quantity,unit,unit_price,discount_percent,tax_percent\nOffice chair,3,pcs,1299.00,0,13\n\"Desk, oak\",1,pcs,2500,10,13\n";
        let lines = parse(en, cny(), Locale::En).unwrap().unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].description, "Desk, oak");
        assert_eq!((lines[1].quantity.as_str(), lines[1].unit_price.as_str(), lines[1].discount_percent.as_str()), ("1", "2500", "10"));
        let zh = "数量,名称,单价,单位,税率,折扣\n2,办公椅,899,把,13%,5\n";
        let lines = parse(zh, cny(), Locale::ZhCn).unwrap().unwrap();
        assert_eq!(lines[0].description, "办公椅");
        assert_eq!((lines[0].quantity.as_str(), lines[0].unit.as_str(), lines[0].tax_percent.as_str()), ("2", "把", "13%"));
    }

    #[test]
    fn gbk_files_and_pasted_cells_read_too() {
        let (gbk, _, _) = encoding_rs::GBK.encode("名称,数量,单价\n办公桌,1,1500\n");
        let text = file_text(&gbk).unwrap();
        assert_eq!(parse(&text, cny(), Locale::ZhCn).unwrap().unwrap()[0].description, "办公桌");
        // Cells copied out of a spreadsheet: tabs, no header.
        let pasted = "Chair\t2\tpcs\t100\t\t\nTable\t1\tpcs\t250.5\t10\t6\n";
        let lines = parse(pasted, cny(), Locale::En).unwrap().unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[1].unit_price.as_str(), lines[1].tax_percent.as_str()), ("250.5", "6"));
    }

    #[test]
    fn bad_rows_are_named_by_row_and_column_and_nothing_is_read() {
        let csv = "description,quantity,unit_price,discount_percent\nChair,2,100,0\n,1,5,0\nDesk,-1,100.123,150\n";
        let errors = parse(csv, cny(), Locale::En).unwrap().unwrap_err();
        let got: Vec<(u32, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(got, [(3, "description"), (4, "quantity"), (4, "unit_price"), (4, "discount_percent")]);
        assert!(errors[2].message.contains("2"), "{}", errors[2].message);
        let missing = parse("name,qty\nChair,2\n", cny(), Locale::En).unwrap().unwrap_err();
        assert_eq!(missing[0].column, "unit_price");
        assert!(matches!(parse("  ", cny(), Locale::En), Err(CoreError::File(FileProblem::Empty))));
    }
}
