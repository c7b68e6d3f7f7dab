//! The product catalogue: code, a name in each language, unit, price per currency, tax rate,
//! active or not; and its CSV import and export (`code,name_en,name_zh,unit,tax_percent,active,
//! notes,price_CNY,price_USD,...`: one price column per currency).

use super::money::{self, Currency};
use super::*;
use crate::error::{CoreError, FileProblem, Invalid, Problems, Result};
use crate::i18n::Locale;
use crate::records::import::table::parse_table;
use crate::records::import::{formula, RowError};
use crate::records::{trash, RecordRef};
use crate::store::{Store, Writer};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use satchel_proto::tables::sales::{PRODUCT, PRODUCTS, PRODUCT_PRICES};

pub const MAX_TEXT: usize = 500;
pub const MAX_NOTES: usize = 20_000;

/// A product form, checked: prices by currency with their exact minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanProduct {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub unit: String,
    pub tax_percent: String,
    pub active: bool,
    pub notes: String,
    pub prices: Vec<(Currency, String)>,
}

fn text_field(p: &mut Problems, field: &str, s: &str, max: usize) -> String {
    let t = s.trim().to_string();
    if t.chars().count() > max {
        p.add(field, Invalid::TooLong { max });
    }
    t
}

pub fn clean(input: &ProductInput) -> Result<CleanProduct> {
    let mut p = Problems::default();
    let code = text_field(&mut p, "code", &input.code, 64);
    let name_en = text_field(&mut p, "nameEn", &input.name_en, MAX_TEXT);
    let name_zh = text_field(&mut p, "nameZh", &input.name_zh, MAX_TEXT);
    if name_en.is_empty() && name_zh.is_empty() {
        p.add("nameEn", Invalid::Required);
    }
    let unit = text_field(&mut p, "unit", &input.unit, 32);
    let notes = text_field(&mut p, "notes", &input.notes, MAX_NOTES);
    let tax_percent = match money::parse_percent(&input.tax_percent) {
        Ok(d) => money::plain(d),
        Err(e) => {
            p.add("taxPercent", e);
            String::new()
        }
    };
    let mut prices: Vec<(Currency, String)> = Vec::new();
    for (i, pr) in input.prices.iter().enumerate() {
        if pr.currency.trim().is_empty() && pr.price.trim().is_empty() {
            continue;
        }
        let cur = match Currency::parse(&pr.currency) {
            Ok(c) => c,
            Err(e) => {
                p.add(format!("prices.{i}.currency"), e);
                continue;
            }
        };
        if prices.iter().any(|(c, _)| *c == cur) {
            p.add(format!("prices.{i}.currency"), Invalid::Duplicate);
            continue;
        }
        match money::parse_amount(&pr.price, cur) {
            Ok(d) => prices.push((cur, money::fixed(d, cur))),
            Err(e) => p.add(format!("prices.{i}.price"), e),
        }
    }
    p.check()?;
    Ok(CleanProduct { code, name_en, name_zh, unit, tax_percent, active: input.active, notes, prices })
}

fn values(c: &CleanProduct) -> Vec<(&'static str, Value)> {
    vec![
        ("code", Value::Text(c.code.clone())),
        ("name_en", Value::Text(c.name_en.clone())),
        ("name_zh", Value::Text(c.name_zh.clone())),
        ("unit", Value::Text(c.unit.clone())),
        ("tax_percent", Value::Text(c.tax_percent.clone())),
        ("active", Value::Integer(c.active as i64)),
        ("notes", Value::Text(c.notes.clone())),
    ]
}

/// A code already used by another live product.
fn code_taken(conn: &Connection, code: &str, except: Option<&ProductId>) -> Result<bool> {
    if code.is_empty() {
        return Ok(false);
    }
    let found: Option<String> = conn
        .prepare_cached("SELECT id FROM products WHERE code = ?1 AND deleted_at IS NULL AND id <> ?2 LIMIT 1")?
        .query_row(rusqlite::params![code, except.map(|e| e.as_str()).unwrap_or("")], |r| r.get(0))
        .optional()?;
    Ok(found.is_some())
}

fn write_prices(w: &mut Writer<'_>, id: &ProductId, prices: &[(Currency, String)]) -> Result<()> {
    let existing: Vec<(String, String)> = {
        let mut st = w.conn().prepare_cached("SELECT id, currency FROM product_prices WHERE product_id = ?1 AND deleted_at IS NULL")?;
        let rows = st.query_map([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (cur, price) in prices {
        // One row per product and currency, the same id on every laptop.
        let row = format!("{}.{}", id.as_str(), cur.code());
        let v = vec![("price", Value::Text(price.clone()))];
        match w.deleted_at(&PRODUCT_PRICES, &row)? {
            Some(Some(_)) => {
                // A price removed before and set again: back from the trash in the same update.
                w.update(&PRODUCT_PRICES, &row, &[("price", Value::Text(price.clone())), ("deleted_at", Value::Null)])?;
            }
            Some(None) => {
                w.update(&PRODUCT_PRICES, &row, &v)?;
            }
            None => {
                let mut all = vec![("product_id", Value::Text(id.as_str().into())), ("currency", Value::Text(cur.code().into()))];
                all.extend(v);
                w.insert(&PRODUCT_PRICES, &row, &all)?;
            }
        }
    }
    for (row, cur) in existing {
        if !prices.iter().any(|(c, _)| c.code() == cur) {
            w.tombstone(&PRODUCT_PRICES, &row)?;
        }
    }
    Ok(())
}

pub fn insert_in(w: &mut Writer<'_>, c: &CleanProduct) -> Result<ProductId> {
    if code_taken(w.conn(), &c.code, None)? {
        return Err(CoreError::invalid("code", Invalid::Duplicate));
    }
    let id = ProductId::new();
    w.insert(&PRODUCTS, id.as_str(), &values(c))?;
    write_prices(w, &id, &c.prices)?;
    Ok(id)
}

pub fn update_in(w: &mut Writer<'_>, id: &ProductId, c: &CleanProduct) -> Result<()> {
    if !matches!(w.deleted_at(&PRODUCTS, id.as_str())?, Some(None)) {
        return Err(CoreError::NotFound { what: "product", id: id.to_string() });
    }
    if code_taken(w.conn(), &c.code, Some(id))? {
        return Err(CoreError::invalid("code", Invalid::Duplicate));
    }
    w.update(&PRODUCTS, id.as_str(), &values(c))?;
    write_prices(w, id, &c.prices)
}

pub fn delete(store: &Store, id: &ProductId) -> Result<()> {
    store.write(|w| trash::delete_in(w, &RecordRef::new(&PRODUCT, id.as_str())).map(|_| ()))
}

const COLUMNS: &str = "id, code, name_en, name_zh, unit, tax_percent, active, notes";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Product> {
    Ok(Product {
        id: ProductId(r.get(0)?),
        code: r.get(1)?,
        name_en: r.get(2)?,
        name_zh: r.get(3)?,
        unit: r.get(4)?,
        tax_percent: r.get(5)?,
        active: r.get::<_, i64>(6)? != 0,
        notes: r.get(7)?,
        prices: Vec::new(),
    })
}

fn with_prices(conn: &Connection, mut list: Vec<Product>) -> Result<Vec<Product>> {
    let mut st =
        conn.prepare_cached("SELECT currency, price FROM product_prices WHERE product_id = ?1 AND deleted_at IS NULL ORDER BY currency")?;
    for p in &mut list {
        let rows = st.query_map([p.id.as_str()], |r| Ok(Price { currency: r.get(0)?, price: r.get(1)? }))?;
        p.prices = rows.collect::<rusqlite::Result<_>>()?;
    }
    Ok(list)
}

pub fn get_in(conn: &Connection, id: &ProductId) -> Result<Product> {
    let p = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM products WHERE id = ?1 AND deleted_at IS NULL"))?
        .query_row([id.as_str()], from_row)
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "product", id: id.to_string() })?;
    Ok(with_prices(conn, vec![p])?.remove(0))
}

/// The catalogue, by code then name; `query` matches code or either name (any case).
pub fn list_in(conn: &Connection, query: &str, include_inactive: bool) -> Result<Vec<Product>> {
    let q = format!("%{}%", query.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM products WHERE deleted_at IS NULL AND (active = 1 OR ?2)
         AND (lower(code) LIKE ?1 ESCAPE '\\' OR lower(name_en) LIKE ?1 ESCAPE '\\' OR name_zh LIKE ?1 ESCAPE '\\')
         ORDER BY code = '', code, name_en, name_zh LIMIT 5000"
    ))?;
    let rows = st.query_map(rusqlite::params![q, include_inactive], from_row)?;
    let list = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    with_prices(conn, list)
}

// ---- CSV ----

/// The catalogue as CSV: fixed columns, then one `price_<CUR>` column per currency used.
pub fn export_csv(conn: &Connection) -> Result<String> {
    let list = list_in(conn, "", true)?;
    let mut currencies: Vec<String> = list.iter().flat_map(|p| p.prices.iter().map(|x| x.currency.clone())).collect();
    currencies.sort();
    currencies.dedup();
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> =
        ["code", "name_en", "name_zh", "unit", "tax_percent", "active", "notes"].iter().map(|s| s.to_string()).collect();
    header.extend(currencies.iter().map(|c| format!("price_{c}")));
    w.write_record(&header).map_err(|e| CoreError::Internal(e.to_string()))?;
    for p in &list {
        let mut row: Vec<String> =
            [&p.code, &p.name_en, &p.name_zh, &p.unit, &p.tax_percent].iter().map(|s| formula::guard(s).into_owned()).collect();
        row.push(if p.active { "yes" } else { "no" }.into());
        row.push(formula::guard(&p.notes).into_owned());
        for c in &currencies {
            row.push(p.prices.iter().find(|x| &x.currency == c).map(|x| x.price.clone()).unwrap_or_default());
        }
        w.write_record(&row).map_err(|e| CoreError::Internal(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| CoreError::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| CoreError::Internal(e.to_string()))
}

/// What an import did (or, refused, why not).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductImport {
    pub created: u32,
    pub updated: u32,
    /// Bad rows; when there are any nothing was imported.
    pub errors: Vec<RowError>,
}

fn product_column(h: &str) -> Option<String> {
    let n = h.trim().to_lowercase().replace([' ', '-'], "_");
    let known = match n.as_str() {
        "code" | "编码" | "产品编码" | "货号" => "code",
        "name_en" | "name" | "english_name" | "英文名称" => "name_en",
        "name_zh" | "chinese_name" | "名称" | "中文名称" | "产品名称" => "name_zh",
        "unit" | "单位" => "unit",
        "tax_percent" | "tax" | "tax_rate" | "税率" => "tax_percent",
        "active" | "启用" => "active",
        "notes" | "备注" => "notes",
        _ => {
            let cur = n.strip_prefix("price_").or_else(|| n.strip_prefix("价格_")).or_else(|| n.strip_prefix("单价_"))?;
            return Currency::parse(cur).ok().map(|c| format!("price_{}", c.code()));
        }
    };
    Some(known.to_string())
}

fn yes(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "yes" | "y" | "true" | "1" | "是" | "启用" => Some(true),
        "no" | "n" | "false" | "0" | "否" | "停用" => Some(false),
        _ => None,
    }
}

/// Imports a catalogue CSV: a row whose code exists updates that product, any other row adds
/// one. Any bad row refuses the whole file (each named with its row), so nothing is half-read.
pub fn import_csv(store: &Store, bytes: &[u8], l: Locale) -> Result<ProductImport> {
    let text = lines::file_text(bytes)?;
    let table = parse_table(&text, l)?;
    let cols: Vec<Option<String>> = table.headers.iter().map(|h| product_column(h)).collect();
    if !cols.iter().flatten().any(|c| c == "name_en" || c == "name_zh") {
        return Err(CoreError::File(FileProblem::NoNameColumn));
    }
    let mut errors = table.ragged.clone();
    let mut rows: Vec<(u32, CleanProduct)> = Vec::new();
    for (row, cells) in &table.rows {
        let get = |name: &str| {
            cols.iter()
                .position(|c| c.as_deref() == Some(name))
                .and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let active = yes(&get("active"));
        if active.is_none() {
            errors.push(RowError {
                row: *row,
                column: "active".into(),
                message: CoreError::invalid("active", Invalid::OneOf { value: get("active"), allowed: "yes, no".into() }).message(l),
            });
        }
        let prices: Vec<Price> = cols
            .iter()
            .flatten()
            .filter_map(|c| c.strip_prefix("price_"))
            .map(|cur| Price { currency: cur.to_string(), price: get(&format!("price_{cur}")) })
            .filter(|p| !p.price.is_empty())
            .collect();
        let input = ProductInput {
            code: get("code"),
            name_en: get("name_en"),
            name_zh: get("name_zh"),
            unit: get("unit"),
            tax_percent: get("tax_percent"),
            active: active.unwrap_or(true),
            notes: get("notes"),
            prices: prices.clone(),
        };
        match clean(&input) {
            Ok(c) => rows.push((*row, c)),
            Err(e) => {
                for (field, problem) in e.problems() {
                    let column = match field.split('.').collect::<Vec<_>>().as_slice() {
                        ["prices", i, _] => {
                            i.parse::<usize>().ok().and_then(|i| prices.get(i)).map(|p| format!("price_{}", p.currency)).unwrap_or_default()
                        }
                        ["nameEn"] => "name_en".into(),
                        ["taxPercent"] => "tax_percent".into(),
                        [f] => f.to_string(),
                        _ => field.to_string(),
                    };
                    errors.push(RowError { row: *row, column, message: CoreError::invalid(field, problem.clone()).message(l) });
                }
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok(ProductImport { created: 0, updated: 0, errors });
    }
    let (mut created, mut updated) = (0, 0);
    store.write(|w| {
        for (_, c) in &rows {
            let existing: Option<String> = if c.code.is_empty() {
                None
            } else {
                w.conn()
                    .prepare_cached("SELECT id FROM products WHERE code = ?1 AND deleted_at IS NULL LIMIT 1")?
                    .query_row([&c.code], |r| r.get(0))
                    .optional()?
            };
            match existing {
                Some(id) => {
                    update_in(w, &ProductId(id), c)?;
                    updated += 1;
                }
                None => {
                    insert_in(w, c)?;
                    created += 1;
                }
            }
        }
        Ok(())
    })?;
    Ok(ProductImport { created, updated, errors: Vec::new() })
}
