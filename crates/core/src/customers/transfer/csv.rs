//! CSV: reading a table, guessing what each column means, turning rows into [`ImportRecord`]s,
//! and writing Satchel's own export.
//!
//! The column guesses know three vocabularies without help: Satchel's export (`phone 2 label`),
//! Google Contacts (`Phone 1 - Label`, `Phone 1 - Value`, values joined by ` ::: `) and Outlook
//! (`Business Phone`, `E-mail 2 Address`, `Home Street`), plus the Chinese headers people type
//! in Excel (姓名, 手机, 公司...). The user can change any of them before importing.
//!
//! Columns that belong together share a `group`: a phone number and its label column, or the
//! street, city and postal code of one address.

use super::{ImportRecord, ReadResult, RowError};
use crate::customers::{Address, ContactPoint, Customer, CustomerKind, Stage};
use crate::error::{CoreError, FileProblem, Invalid, Result};
use crate::i18n::Locale;
use crate::ids::CustomerId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    Ignore,
    Id,
    Kind,
    Name,
    GivenName,
    MiddleName,
    FamilyName,
    Company,
    Owner,
    Stage,
    Source,
    JobTitle,
    Department,
    Notes,
    Birthday,
    Tags,
    Phone,
    PhoneLabel,
    Email,
    EmailLabel,
    AddressLabel,
    Street,
    City,
    Region,
    PostalCode,
    Country,
    /// A custom field; the column's `label` holds the field's id.
    Custom,
}

/// What one column of the file becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ColumnMap {
    pub field: ImportField,
    /// Columns of one phone, email or address share a group number.
    pub group: u32,
    /// The label a phone, email or address gets when no label column says otherwise.
    pub label: String,
}

impl ColumnMap {
    fn new(field: ImportField, group: u32, label: &str) -> Self {
        Self { field, group, label: label.into() }
    }
    fn plain(field: ImportField) -> Self {
        Self::new(field, 0, "")
    }
}

/// Whose export a header row looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CsvDialect {
    Satchel,
    Google,
    Outlook,
    Other,
}

pub use crate::records::import::table::{parse_table, Table};

use crate::records::import::formula;
use crate::records::import::mapping::{self, norm};

/// "phone 2 label" with prefix "phone " -> (2, "label"); "phone 2" -> (2, "").
fn numbered<'a>(h: &'a str, prefix: &str) -> Option<(u32, &'a str)> {
    let rest = h.strip_prefix(prefix)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let n = digits.parse().ok()?;
    Some((n, rest[digits.len()..].trim_start_matches([' ', '-']).trim()))
}

/// Guesses every column's meaning from the header row, custom fields included: a header equal to
/// a field's English or Chinese label (or `<label> (custom)`, as the export writes it when the
/// label is also a standard header) maps to that field.
pub fn suggest_with(headers: &[String], defs: &[crate::customers::fields::CustomField]) -> (Vec<ColumnMap>, CsvDialect) {
    let (mut maps, dialect) = suggest(headers);
    for (i, h) in headers.iter().enumerate() {
        if let Some((d, marked)) = mapping::custom_field(h, defs) {
            if maps[i].field == ImportField::Ignore || dialect == CsvDialect::Other || marked {
                maps[i] = ColumnMap::new(ImportField::Custom, 0, &d.id.0);
            }
        }
    }
    (maps, dialect)
}

/// Guesses every column's meaning from the header row.
pub fn suggest(headers: &[String]) -> (Vec<ColumnMap>, CsvDialect) {
    let normed: Vec<String> = headers.iter().map(|h| norm(h)).collect();
    let dialect = if normed.iter().any(|h| h == "id") && normed.iter().any(|h| h == "stage") {
        CsvDialect::Satchel
    } else if normed.iter().any(|h| h.ends_with(" - value")) {
        CsvDialect::Google
    } else if normed.iter().any(|h| h == "e-mail address" || h == "business phone" || h == "mobile phone") {
        CsvDialect::Outlook
    } else {
        CsvDialect::Other
    };
    // Columns that carry their own phone/email/address without a number get groups from 100 up.
    let mut next_group = 100;
    let maps = normed
        .iter()
        .map(|h| {
            let mut fresh = || {
                next_group += 1;
                next_group
            };
            guess(h, &mut fresh)
        })
        .collect();
    (maps, dialect)
}

fn guess(h: &str, fresh: &mut dyn FnMut() -> u32) -> ColumnMap {
    use ImportField as F;
    let address_part = |part: &str| match part {
        "street" | "street address" => Some(F::Street),
        "city" => Some(F::City),
        "region" | "state" | "province" => Some(F::Region),
        "postal code" | "zip" | "zip code" => Some(F::PostalCode),
        "country" | "country/region" => Some(F::Country),
        "label" | "type" => Some(F::AddressLabel),
        _ => None,
    };
    // Numbered: Satchel's "phone 1 label", Google's "phone 1 - label" / "e-mail 1 - value".
    for (prefix, value, label) in
        [("phone ", F::Phone, F::PhoneLabel), ("email ", F::Email, F::EmailLabel), ("e-mail ", F::Email, F::EmailLabel)]
    {
        if let Some((n, rest)) = numbered(h, prefix) {
            return match rest {
                "" | "value" => ColumnMap::new(value, n, ""),
                "label" | "type" => ColumnMap::new(label, n, ""),
                "address" => ColumnMap::new(F::Email, n, ""), // Outlook "E-mail 2 Address"
                _ => ColumnMap::plain(F::Ignore),
            };
        }
    }
    if let Some((n, rest)) = numbered(h, "address ") {
        return address_part(rest).map(|f| ColumnMap::new(f, n, "")).unwrap_or(ColumnMap::plain(F::Ignore));
    }
    // Google's older "Organization 1 - Name", "- Title", "- Department".
    if let Some((_, rest)) = numbered(h, "organization ") {
        return ColumnMap::plain(match rest {
            "name" => F::Company,
            "title" => F::JobTitle,
            "department" => F::Department,
            _ => F::Ignore,
        });
    }
    // Outlook's "Business Street", "Home City", "Other Postal Code": one address group each.
    for (prefix, label, group) in [("business ", "work", 201), ("home ", "home", 202), ("other ", "other", 203)] {
        if let Some(part) = h.strip_prefix(prefix) {
            if let Some(f) = address_part(part).filter(|f| *f != F::AddressLabel) {
                return ColumnMap::new(f, group, label);
            }
        }
    }
    // Outlook's phones, each a column of its own with the label in its name.
    let outlook_phone = match h {
        "mobile phone" => Some("mobile"),
        "business phone" | "business phone 2" => Some("work"),
        "home phone" | "home phone 2" => Some("home"),
        "other phone" => Some("other"),
        "primary phone" | "company main phone" => Some("main"),
        "business fax" | "home fax" | "other fax" => Some("fax"),
        "car phone" => Some("car"),
        "pager" => Some("pager"),
        "assistant's phone" => Some("assistant"),
        _ => None,
    };
    if let Some(label) = outlook_phone {
        return ColumnMap::new(F::Phone, fresh(), label);
    }
    let field = match h {
        "id" | "satchel id" | "编号" => F::Id,
        "type" | "kind" | "类型" => F::Kind,
        "name" | "full name" | "display name" | "姓名" | "名称" | "客户名称" | "客户" | "联系人" => F::Name,
        "given name" | "first name" | "名" => F::GivenName,
        "additional name" | "middle name" => F::MiddleName,
        "family name" | "last name" | "surname" | "姓" => F::FamilyName,
        "company" | "organization" | "organization name" | "公司" | "公司名称" | "单位" | "所属公司" | "企业" => F::Company,
        "owner" | "account manager" | "负责人" | "客户经理" => F::Owner,
        "stage" | "lifecycle stage" | "阶段" | "客户阶段" => F::Stage,
        "source" | "lead source" | "来源" | "客户来源" => F::Source,
        // Not a bare "title": Outlook's "Title" is Mr. or Ms.
        "job title" | "organization title" | "position" | "职位" | "职务" | "岗位" | "头衔" => F::JobTitle,
        "department" | "organization department" | "部门" | "所属部门" => F::Department,
        "notes" | "note" | "备注" => F::Notes,
        "birthday" | "生日" => F::Birthday,
        "tags" | "labels" | "group membership" | "categories" | "标签" => F::Tags,
        "phone" | "telephone" | "电话" | "联系电话" | "座机" | "办公电话" | "固定电话" => {
            return ColumnMap::new(F::Phone, fresh(), "work")
        }
        "mobile" | "cell" | "手机" | "手机号" | "手机号码" | "移动电话" => return ColumnMap::new(F::Phone, fresh(), "mobile"),
        "email" | "e-mail" | "e-mail address" | "email address" | "邮箱" | "电子邮件" | "电子邮箱" | "邮件" => {
            return ColumnMap::new(F::Email, fresh(), "")
        }
        "address" | "street" | "地址" | "详细地址" => return ColumnMap::new(F::Street, 1, ""),
        "city" | "城市" => return ColumnMap::new(F::City, 1, ""),
        "region" | "state" | "province" | "省" | "省份" => return ColumnMap::new(F::Region, 1, ""),
        "postal code" | "zip" | "邮编" | "邮政编码" => return ColumnMap::new(F::PostalCode, 1, ""),
        "country" | "国家" => return ColumnMap::new(F::Country, 1, ""),
        _ => F::Ignore,
    };
    ColumnMap::plain(field)
}

fn parse_stage(s: &str) -> Option<Stage> {
    let k = norm(s).replace([' ', '-'], "_");
    if k.is_empty() {
        return Some(Stage::Lead);
    }
    Stage::ALL.into_iter().find(|st| st.as_str() == k).or(match k.as_str() {
        "线索" => Some(Stage::Lead),
        "初识" => Some(Stage::FirstTouch),
        "接触" => Some(Stage::Contacted),
        "赢得" => Some(Stage::Won),
        "保持" => Some(Stage::Retained),
        "退化" => Some(Stage::Lapsing),
        _ => None,
    })
}

fn parse_kind(s: &str) -> Option<CustomerKind> {
    match norm(s).as_str() {
        "" | "person" | "people" | "contact" | "个人" | "联系人" => Some(CustomerKind::Person),
        "company" | "organization" | "organisation" | "org" | "公司" | "企业" => Some(CustomerKind::Company),
        _ => None,
    }
}

/// Dates as spreadsheets write them; `Ok(None)` for an empty cell or Outlook's "0/0/00".
fn parse_birthday(s: &str) -> std::result::Result<Option<String>, ()> {
    let s = s.trim();
    if s.is_empty() || s == "0/0/00" {
        return Ok(None);
    }
    crate::time::parse_loose_date(s, true).map(|d| Some(d.format("%Y-%m-%d").to_string())).ok_or(())
}

fn split_tags(s: &str) -> Vec<String> {
    s.split(":::")
        .flat_map(|p| p.split([';', ',', '，', '；', '、']))
        .map(|t| t.trim().trim_start_matches("* ").trim().to_string())
        .filter(|t| !t.is_empty() && t != "myContacts")
        .collect()
}

/// Google writes labels as "* Mobile"; the common ones become Satchel's lowercase labels.
fn clean_label(s: &str) -> String {
    let t = s.trim().trim_start_matches("* ").trim();
    match t.to_lowercase().as_str() {
        l @ ("mobile" | "work" | "home" | "other" | "main" | "fax" | "pager") => l.to_string(),
        "cell" => "mobile".into(),
        _ => t.to_string(),
    }
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c))
}

#[derive(Default)]
struct Group {
    first_column: usize,
    header: String,
    values: Vec<String>,
    label: Option<String>,
    default_label: String,
    address: Address,
    address_headers: Vec<String>,
}

/// Turns a parsed table into records under the given column mapping.
pub fn read(table: &Table, mapping: &[ColumnMap], locale: Locale) -> Result<ReadResult> {
    use ImportField as F;
    let maps: Vec<&ColumnMap> = table.headers.iter().enumerate().map(|(i, _)| mapping.get(i).unwrap_or(&IGNORE)).collect();
    if !maps.iter().any(|m| matches!(m.field, F::Name | F::GivenName | F::FamilyName | F::Company)) {
        return Err(CoreError::File(FileProblem::NoNameColumn));
    }
    let mut out = ReadResult { records: Vec::with_capacity(table.rows.len()), errors: table.ragged.clone() };
    let col = |i: usize| table.headers[i].clone();
    'rows: for (row, cells) in &table.rows {
        let mut rec = ImportRecord::new(*row, CustomerKind::Person);
        let (mut given, mut middle, mut family, mut kind) = (String::new(), String::new(), String::new(), None);
        let mut phones: BTreeMap<u32, Group> = BTreeMap::new();
        let mut emails: BTreeMap<u32, Group> = BTreeMap::new();
        let mut addresses: BTreeMap<u32, Group> = BTreeMap::new();
        macro_rules! refuse {
            ($i:expr, $field:expr, $reason:expr) => {{
                out.errors.push(RowError { row: *row, column: col($i), message: CoreError::invalid($field, $reason).message(locale) });
                continue 'rows;
            }};
        }
        for (i, m) in maps.iter().enumerate() {
            let cell = cells[i].trim();
            match m.field {
                F::Ignore => {}
                F::Id if cell.is_empty() => {}
                F::Id => match CustomerId::parse(cell) {
                    Some(id) => {
                        rec.id = Some(id);
                        rec.sources.push(("id".into(), col(i)));
                    }
                    None => refuse!(i, "id", Invalid::Id),
                },
                F::Kind => match parse_kind(cell) {
                    Some(k) => kind = Some(k).filter(|_| !cell.is_empty()),
                    None => refuse!(i, "kind", Invalid::OneOf { value: cell.into(), allowed: "company, person".into() }),
                },
                F::Name => {
                    rec.input.name = cell.into();
                    rec.sources.push(("name".into(), col(i)));
                }
                F::GivenName => given = cell.into(),
                F::MiddleName => middle = cell.into(),
                F::FamilyName => family = cell.into(),
                F::Company => {
                    if !cell.is_empty() {
                        rec.company = Some(cell.into());
                        rec.sources.push(("companyId".into(), col(i)));
                    }
                }
                F::Owner => {
                    rec.input.owner = cell.into();
                    rec.sources.push(("owner".into(), col(i)));
                }
                F::Stage => match parse_stage(cell) {
                    Some(s) => rec.input.stage = s,
                    None => refuse!(
                        i,
                        "stage",
                        Invalid::OneOf {
                            value: cell.into(),
                            allowed: "lead, first_touch, contacted, won, retained, lapsing / 线索 初识 接触 赢得 保持 退化".into()
                        }
                    ),
                },
                F::Source => {
                    rec.input.source = cell.into();
                    rec.sources.push(("source".into(), col(i)));
                }
                F::JobTitle => {
                    rec.input.job_title = cell.into();
                    rec.sources.push(("jobTitle".into(), col(i)));
                }
                F::Department => {
                    rec.input.department = cell.into();
                    rec.sources.push(("department".into(), col(i)));
                }
                F::Notes => {
                    // Notes keep their inner line breaks; only the cell's edges are trimmed.
                    rec.input.notes = cells[i].trim().to_string();
                    rec.sources.push(("notes".into(), col(i)));
                }
                F::Birthday => match parse_birthday(cell) {
                    Ok(b) => {
                        rec.input.birthday = b;
                        rec.sources.push(("birthday".into(), col(i)));
                    }
                    Err(()) => refuse!(i, "birthday", Invalid::Date),
                },
                F::Tags => {
                    rec.input.tags.extend(split_tags(cell));
                    rec.sources.push(("tags".into(), col(i)));
                }
                F::Phone | F::Email => {
                    let map = if m.field == F::Phone { &mut phones } else { &mut emails };
                    let g = map.entry(m.group).or_insert_with(|| Group { first_column: i, ..Default::default() });
                    g.header = col(i);
                    g.default_label = m.label.clone();
                    g.values.extend(cell.split(":::").map(|v| v.trim().to_string()).filter(|v| !v.is_empty()));
                }
                F::PhoneLabel | F::EmailLabel => {
                    let map = if m.field == F::PhoneLabel { &mut phones } else { &mut emails };
                    let g = map.entry(m.group).or_insert_with(|| Group { first_column: i, ..Default::default() });
                    if !cell.is_empty() {
                        g.label = Some(clean_label(cell));
                    }
                }
                F::Custom => {
                    if !cell.is_empty() {
                        let field = crate::ids::FieldId(m.label.clone());
                        rec.sources.push((crate::customers::fields::field_key(&field), col(i)));
                        rec.input.custom.push(crate::customers::CustomValue { field_id: field, value: cells[i].trim().to_string() });
                    }
                }
                F::AddressLabel | F::Street | F::City | F::Region | F::PostalCode | F::Country => {
                    let g = addresses.entry(m.group).or_insert_with(|| Group { first_column: i, ..Default::default() });
                    g.default_label = if g.default_label.is_empty() { m.label.clone() } else { g.default_label.clone() };
                    let a = &mut g.address;
                    match m.field {
                        F::AddressLabel => {
                            if !cell.is_empty() {
                                g.label = Some(clean_label(cell));
                            }
                        }
                        F::Street => a.street = cells[i].trim().to_string(),
                        F::City => a.city = cell.into(),
                        F::Region => a.region = cell.into(),
                        F::PostalCode => a.postal_code = cell.into(),
                        _ => a.country = cell.into(),
                    }
                    g.address_headers.push(col(i));
                }
            }
        }
        if rec.input.name.is_empty() {
            rec.input.name = if has_cjk(&family) || has_cjk(&given) {
                format!("{family}{middle}{given}")
            } else {
                [given.as_str(), middle.as_str(), family.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ")
            };
            if let Some(i) = maps.iter().position(|m| matches!(m.field, F::GivenName | F::FamilyName)) {
                rec.sources.push(("name".into(), col(i)));
            }
        }
        // A row with only a company is the company itself (Google and Outlook have no "type").
        let kind =
            kind.unwrap_or(if rec.input.name.is_empty() && rec.company.is_some() { CustomerKind::Company } else { CustomerKind::Person });
        rec.input.kind = kind;
        if kind == CustomerKind::Company {
            if rec.input.name.is_empty() {
                rec.input.name = rec.company.clone().unwrap_or_default();
            }
            rec.company = None;
        }
        let order = |map: BTreeMap<u32, Group>| {
            let mut groups: Vec<Group> = map.into_values().collect();
            groups.sort_by_key(|g| g.first_column);
            groups
        };
        for (list, groups, prefix) in [(&mut rec.input.phones, order(phones), "phones"), (&mut rec.input.emails, order(emails), "emails")] {
            for g in groups {
                for v in g.values {
                    rec.sources.push((format!("{prefix}.{}", list.len()), g.header.clone()));
                    list.push(ContactPoint { id: None, label: g.label.clone().unwrap_or_else(|| g.default_label.clone()), value: v });
                }
            }
        }
        for g in order(addresses) {
            let mut a = g.address;
            if [&a.street, &a.city, &a.region, &a.postal_code, &a.country].iter().all(|s| s.is_empty()) {
                continue;
            }
            a.label = g.label.unwrap_or(g.default_label);
            let header = g.address_headers.first().cloned().unwrap_or_default();
            rec.sources.push((format!("addresses.{}", rec.input.addresses.len()), header));
            rec.input.addresses.push(a);
        }
        out.records.push(rec);
    }
    Ok(out)
}

static IGNORE: ColumnMap = ColumnMap { field: ImportField::Ignore, group: 0, label: String::new() };

/// Satchel's own export: every field and every phone, email and address, UTF-8 with a byte-order
/// mark so that Excel (Chinese Windows included) opens it without garbling. Its headers are
/// recognised by [`suggest`], so export → edit → import needs no mapping. A cell a spreadsheet
/// would run as a formula (a note typed as `=HYPERLINK(...)`) is written with a quote in front,
/// which the import takes off again ([`crate::records::import::formula`]).
pub fn write(customers: &[Customer], defs: &[crate::customers::fields::CustomField]) -> Vec<u8> {
    let most = |f: fn(&Customer) -> usize| customers.iter().map(f).max().unwrap_or(0).max(1);
    let (phones, emails, addresses) = (most(|c| c.phones.len()), most(|c| c.emails.len()), most(|c| c.addresses.len()));
    let mut header: Vec<String> =
        ["id", "type", "name", "company", "owner", "stage", "source", "birthday", "tags", "notes", "job title", "department"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    for n in 1..=phones {
        header.extend([format!("phone {n} label"), format!("phone {n}")]);
    }
    for n in 1..=emails {
        header.extend([format!("email {n} label"), format!("email {n}")]);
    }
    for n in 1..=addresses {
        for part in ["label", "street", "city", "region", "postal code", "country"] {
            header.push(format!("address {n} {part}"));
        }
    }
    // Custom fields by label (English, else Chinese), values as people read them (choice labels),
    // which import turns back into the stored form.
    let standard: Vec<String> = header.clone();
    for d in defs {
        let label = if d.label_en.is_empty() { &d.label_zh } else { &d.label_en };
        let clash = standard.iter().any(|h| norm(h) == norm(label)) || guess(&norm(label), &mut || 0).field != ImportField::Ignore;
        header.push(if clash { format!("{label} (custom)") } else { label.clone() });
    }
    header.extend(["created".to_string(), "updated".to_string()]);
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(&mut out);
        let mut put = |cells: &[&str]| {
            let guarded: Vec<std::borrow::Cow<'_, str>> = cells.iter().map(|c| formula::guard(c)).collect();
            let _ = w.write_record(guarded.iter().map(|c| c.as_bytes())); // writing to a Vec cannot fail
        };
        put(&header.iter().map(String::as_str).collect::<Vec<_>>());
        for c in customers {
            let mut row: Vec<&str> = Vec::with_capacity(header.len());
            let tags = c.tags.join("; ");
            row.extend([
                c.id.as_str(),
                c.kind.as_str(),
                &c.name,
                c.company_name.as_deref().unwrap_or(""),
                &c.owner,
                c.stage.as_str(),
                &c.source,
                c.birthday.as_deref().unwrap_or(""),
                &tags,
                &c.notes,
                &c.job_title,
                &c.department,
            ]);
            for list in [(&c.phones, phones), (&c.emails, emails)] {
                for n in 0..list.1 {
                    let p = list.0.get(n);
                    row.extend([p.map_or("", |p| p.label.as_str()), p.map_or("", |p| p.value.as_str())]);
                }
            }
            for n in 0..addresses {
                match c.addresses.get(n) {
                    Some(a) => row.extend([&a.label, &a.street, &a.city, &a.region, &a.postal_code, &a.country].map(String::as_str)),
                    None => row.extend([""; 6]),
                }
            }
            let custom: Vec<String> = defs
                .iter()
                .map(|d| c.custom.iter().find(|v| v.field_id == d.id).map(|v| d.display(&v.value, Locale::En)).unwrap_or_default())
                .collect();
            row.extend(custom.iter().map(String::as_str));
            row.extend([c.created_at.as_str(), c.updated_at.as_str()]);
            put(&row);
        }
        drop(put);
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_of_google_outlook_excel_and_satchel_are_recognised() {
        use ImportField as F;
        let cases: Vec<(&[&str], CsvDialect, Vec<(usize, F, &str)>)> = vec![
            (
                &[
                    "First Name",
                    "Last Name",
                    "Organization Name",
                    "E-mail 1 - Label",
                    "E-mail 1 - Value",
                    "Phone 1 - Label",
                    "Phone 1 - Value",
                    "Labels",
                ],
                CsvDialect::Google,
                vec![
                    (0, F::GivenName, ""),
                    (2, F::Company, ""),
                    (3, F::EmailLabel, ""),
                    (4, F::Email, ""),
                    (6, F::Phone, ""),
                    (7, F::Tags, ""),
                ],
            ),
            (
                &["Name", "Given Name", "Family Name", "Group Membership", "Organization 1 - Name", "Address 1 - City"],
                CsvDialect::Other,
                vec![(0, F::Name, ""), (3, F::Tags, ""), (4, F::Company, ""), (5, F::City, "")],
            ),
            (
                &[
                    "First Name",
                    "Last Name",
                    "Company",
                    "E-mail Address",
                    "E-mail 2 Address",
                    "Mobile Phone",
                    "Business Phone",
                    "Business City",
                    "Categories",
                ],
                CsvDialect::Outlook,
                vec![
                    (3, F::Email, ""),
                    (4, F::Email, ""),
                    (5, F::Phone, "mobile"),
                    (6, F::Phone, "work"),
                    (7, F::City, "work"),
                    (8, F::Tags, ""),
                ],
            ),
            (
                &["姓名", "公司", "手机", "邮箱", "备注", "生日"],
                CsvDialect::Other,
                vec![(0, F::Name, ""), (1, F::Company, ""), (2, F::Phone, "mobile"), (5, F::Birthday, "")],
            ),
            (
                &["id", "type", "name", "stage", "phone 1 label", "phone 1", "address 1 postal code"],
                CsvDialect::Satchel,
                vec![(0, F::Id, ""), (4, F::PhoneLabel, ""), (5, F::Phone, ""), (6, F::PostalCode, "")],
            ),
        ];
        for (headers, dialect, want) in cases {
            let (maps, d) = suggest(&h(headers));
            assert_eq!(d, dialect, "{headers:?}");
            for (i, field, label) in want {
                assert_eq!((maps[i].field, maps[i].label.as_str()), (field, label), "{}", headers[i]);
            }
        }
    }

    #[test]
    fn google_rows_split_multi_values_and_pair_labels() {
        let text = "Given Name,Family Name,Organization 1 - Name,Phone 1 - Type,Phone 1 - Value,E-mail 1 - Type,E-mail 1 - Value,Group Membership\n\
                    Ann,Lee,Acme Ltd,* Mobile,+1 555 0100 ::: +1 555 0101,Work,ann@acme.com,* myContacts ::: VIP\n\
                    小明,王,,,,,,\n";
        let table = parse_table(text, Locale::En).unwrap();
        let (maps, _) = suggest(&table.headers);
        let read = read(&table, &maps, Locale::En).unwrap();
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let ann = &read.records[0];
        assert_eq!((ann.input.name.as_str(), ann.company.as_deref(), ann.row), ("Ann Lee", Some("Acme Ltd"), 2));
        let phones: Vec<(&str, &str)> = ann.input.phones.iter().map(|p| (p.label.as_str(), p.value.as_str())).collect();
        assert_eq!(phones, vec![("mobile", "+1 555 0100"), ("mobile", "+1 555 0101")]);
        assert_eq!(ann.input.emails[0].label, "work");
        assert_eq!(ann.input.tags, vec!["VIP"]);
        assert_eq!(read.records[1].input.name, "王小明", "Chinese names join family first, without a space");
    }

    #[test]
    fn bad_cells_are_refused_per_row_naming_the_column() {
        let text =
            "name,stage,birthday,type,id\nA,won,1990/5/1,,\nB,someday,,,\nC,,31.02.1990,,\nD,,,robot,\nE,,,,not-an-id\n\"F,unclosed\n";
        let table = parse_table(text, Locale::En).unwrap();
        let (maps, _) = suggest(&table.headers);
        let r = read(&table, &maps, Locale::En).unwrap();
        assert_eq!(r.records.len(), 1);
        assert_eq!(r.records[0].input.birthday.as_deref(), Some("1990-05-01"));
        assert_eq!(r.records[0].input.stage, Stage::Won);
        let errs: Vec<(u32, &str)> = r.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(errs, vec![(7, ""), (3, "stage"), (4, "birthday"), (5, "type"), (6, "id")]);
        assert!(r.errors[0].message.contains("quote"), "{}", r.errors[0].message);
        assert!(r.errors[1].message.contains("someday"));
    }

    #[test]
    fn a_file_without_a_name_column_is_refused_as_a_whole() {
        let table = parse_table("phone,email\n123456,a@b.cn\n", Locale::En).unwrap();
        let (maps, _) = suggest(&table.headers);
        assert!(matches!(read(&table, &maps, Locale::En), Err(CoreError::File(FileProblem::NoNameColumn))));
        assert!(matches!(parse_table(" \n", Locale::En), Err(CoreError::File(FileProblem::Empty))));
    }

    #[test]
    fn semicolon_and_tab_separated_files_are_read() {
        for text in ["name;phone\nA;12345678\n", "name\tphone\nA\t12345678\n"] {
            let table = parse_table(text, Locale::En).unwrap();
            assert_eq!(table.headers, vec!["name", "phone"]);
            assert_eq!(table.rows[0].1, vec!["A", "12345678"]);
        }
    }
}
