//! vCard import (2.1, 3.0, 4.0) and export (3.0, 4.0).
//!
//! `calcard` parses (unfolding, quoted-printable, charsets, escapes, parameters) and writes
//! (escaping, CRLF, folding at 75 octets); this module only maps properties to customer fields.
//! A label no TYPE can carry exactly (`办公室`, `Work`) travels the way Apple and Google write
//! custom labels: a property group with an `X-ABLabel` (`item1.TEL:…` + `item1.X-ABLabel:办公室`),
//! which those apps show and which import reads back as written.

use super::{ImportRecord, ReadResult, RowError};
use crate::customers::{Address, ContactPoint, Customer, CustomerKind, Stage};
use crate::error::{CoreError, FileProblem, Invalid, Result};
use crate::i18n::Locale;
use crate::ids::CustomerId;
use calcard::vcard::{VCard, VCardEntry, VCardParameter, VCardParameterName, VCardProperty, VCardValue};
use calcard::{Entry, Parser};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum VcardVersion {
    V3,
    V4,
}

/// Parses a file holding one or many cards (vCard 2.1, 3.0 or 4.0). Each card becomes an
/// [`ImportRecord`] (row = card number, 1-based) or a [`RowError`] naming the card and the property.
pub fn read(text: &str, locale: Locale) -> Result<ReadResult> {
    let cards = split_cards(text);
    if cards.is_empty() {
        return Err(CoreError::File(FileProblem::NotVcard));
    }
    let mut out = ReadResult::default();
    for (i, raw) in cards.into_iter().enumerate() {
        let row = i as u32 + 1;
        let unreadable = locale.text("file.cardUnreadable", &[]);
        match Parser::new(raw).entry() {
            Entry::VCard(card) => match record(row, &card, raw, locale) {
                Ok(r) => out.records.push(r),
                Err(e) => out.errors.push(e),
            },
            _ => out.errors.push(RowError { row, column: String::new(), message: unreadable.into() }),
        }
    }
    Ok(out)
}

/// Each card's text, from its `BEGIN:VCARD` line to the next. Splitting here rather than streaming
/// through calcard keeps a card that lacks `END:VCARD` from swallowing the card after it.
fn split_cards(text: &str) -> Vec<&str> {
    let (mut starts, mut pos) = (Vec::new(), 0);
    for line in text.split_inclusive('\n') {
        if line.trim_start_matches('\u{feff}').trim_end().eq_ignore_ascii_case("BEGIN:VCARD") {
            starts.push(pos);
        }
        pos += line.len();
    }
    starts.iter().enumerate().map(|(i, &s)| &text[s..starts.get(i + 1).copied().unwrap_or(text.len())]).collect()
}

fn record(row: u32, card: &VCard, raw: &str, l: Locale) -> std::result::Result<ImportRecord, RowError> {
    let fail = |column: &str, message: String| RowError { row, column: column.into(), message };
    let mut r = ImportRecord::new(row, CustomerKind::Person);
    let ab_labels: HashMap<String, String> = card
        .entries
        .iter()
        .filter(|e| x_name(e).as_deref() == Some("X-ABLABEL"))
        .filter_map(|e| Some((e.group.as_deref()?.to_ascii_lowercase(), ab_label(&first(e)))))
        .collect();
    let point = |e: &VCardEntry, value: String| ContactPoint { id: None, label: label_of(e, &ab_labels), value };
    let (mut fn_name, mut n, mut org, mut role) = (None, None, None, None);
    let input = &mut r.input;
    for e in &card.entries {
        let value = first(e);
        let value = value.trim();
        match &e.name {
            VCardProperty::Fn if fn_name.is_none() => fn_name = Some(value.to_string()).filter(|s| !s.is_empty()),
            VCardProperty::N => n = Some(name_from_n(e)).filter(|s| !s.is_empty()),
            VCardProperty::Org if org.is_none() => {
                org = Some(value.to_string()).filter(|s| !s.is_empty());
                // ORG:Company;Department: the unit is where Outlook, Google and Apple put it.
                input.department = e.values.get(1).map(text).unwrap_or_default().trim().to_string();
            }
            VCardProperty::Title if input.job_title.is_empty() => input.job_title = value.into(),
            VCardProperty::Role if role.is_none() => role = Some(value.to_string()).filter(|s| !s.is_empty()),
            VCardProperty::Kind if ["org", "organization"].contains(&value.to_ascii_lowercase().as_str()) => {
                input.kind = CustomerKind::Company
            }
            // A 4.0 `VALUE=uri` number is `tel:+1-555-0100;ext=12`.
            VCardProperty::Tel => input.phones.push(point(e, strip_ci(value, "tel:").replace(";ext=", " ext. "))),
            VCardProperty::Email => input.emails.push(point(e, strip_ci(value, "mailto:").into())),
            VCardProperty::Adr => {
                let part = |i: usize| e.values.get(i).map(text).unwrap_or_default().trim().to_string();
                // Satchel has one street field: the extended address and PO box join it.
                let street = [part(2), part(1), part(0)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
                let (label, city, region, postal_code, country) = (label_of(e, &ab_labels), part(3), part(4), part(5), part(6));
                input.addresses.push(Address { id: None, label, street, city, region, postal_code, country });
            }
            VCardProperty::Note if !value.is_empty() => {
                input.notes = if input.notes.is_empty() { value.into() } else { format!("{}\n{value}", input.notes) }
            }
            VCardProperty::Categories => {
                for tag in e.values.iter().map(text) {
                    if !tag.trim().is_empty() && !input.tags.iter().any(|t| t == tag.trim()) {
                        input.tags.push(tag.trim().into());
                    }
                }
            }
            VCardProperty::Uid => r.id = CustomerId::parse(strip_ci(value, "urn:uuid:")),
            VCardProperty::Other(_) => match x_name(e).as_deref() {
                Some("X-SATCHEL-KIND" | "X-ABSHOWAS") if value.eq_ignore_ascii_case("company") => input.kind = CustomerKind::Company,
                Some("X-SATCHEL-STAGE") => input.stage = Stage::parse(value),
                Some("X-SATCHEL-OWNER") => input.owner = value.into(),
                Some("X-SATCHEL-SOURCE") => input.source = value.into(),
                // Custom fields travel as X-SATCHEL-FIELD-<field id>, their stored form as value.
                Some(n) if n.starts_with("X-SATCHEL-FIELD-") && !value.is_empty() => {
                    let field = crate::ids::FieldId(n["X-SATCHEL-FIELD-".len()..].to_ascii_lowercase());
                    r.sources.push((crate::customers::fields::field_key(&field), n.to_string()));
                    input.custom.push(crate::customers::CustomValue { field_id: field, value: value.into() });
                }
                _ => {}
            },
            _ => {} // PHOTO, URL, ...: no customer field holds them.
        }
    }
    // ROLE ("the function or part played") is the department when ORG names none.
    if input.department.is_empty() {
        if let Some(role) = role {
            input.department = role;
        }
    }
    let (name, name_prop) = match (fn_name, n, &org) {
        (Some(name), _, _) => (name, "FN"),
        (None, Some(name), _) => (name, "N"),
        // A card named only by its organisation is that organisation.
        (None, None, Some(o)) => {
            input.kind = CustomerKind::Company;
            (o.clone(), "ORG")
        }
        (None, None, None) => return Err(fail("FN", CoreError::invalid("name", Invalid::Required).message(l))),
    };
    input.name = name;
    if input.kind == CustomerKind::Person {
        r.company = org;
    }
    if let Some(b) = raw_value(raw, "BDAY").filter(|b| !b.is_empty()) {
        let no_year = || l.text("file.birthdayNoYear", &[]);
        let bad = || CoreError::invalid("birthday", Invalid::Date).message(l);
        input.birthday = Some(birthday(&b).map_err(|year_missing| fail("BDAY", if year_missing { no_year() } else { bad() }))?);
    }
    // Which property each field came from, so that a refused value names it.
    let (input, sources) = (&r.input, &mut r.sources);
    for (list, len, prop) in
        [("phones", input.phones.len(), "TEL"), ("emails", input.emails.len(), "EMAIL"), ("addresses", input.addresses.len(), "ADR")]
    {
        sources.extend((0..len).map(|i| (format!("{list}.{i}"), prop.to_string())));
    }
    let single = [
        ("name", name_prop, true),
        ("id", "UID", r.id.is_some()),
        ("companyId", "ORG", r.company.is_some()),
        ("birthday", "BDAY", input.birthday.is_some()),
        ("notes", "NOTE", !input.notes.is_empty()),
        ("tags", "CATEGORIES", !input.tags.is_empty()),
        ("owner", "X-SATCHEL-OWNER", !input.owner.is_empty()),
        ("source", "X-SATCHEL-SOURCE", !input.source.is_empty()),
        ("jobTitle", "TITLE", !input.job_title.is_empty()),
        ("department", "ORG", !input.department.is_empty()),
    ];
    sources.extend(single.into_iter().filter(|s| s.2).map(|(field, prop, _)| (field.to_string(), prop.to_string())));
    Ok(r)
}

/// The first value of a property as text; a structured part with unescaped commas comes back whole.
fn first(e: &VCardEntry) -> String {
    e.values.first().map(text).unwrap_or_default()
}

fn text(v: &VCardValue) -> String {
    match v {
        VCardValue::Component(parts) => parts.join(","),
        v => v.as_text().unwrap_or_default().to_string(),
    }
}

fn x_name(e: &VCardEntry) -> Option<String> {
    match &e.name {
        VCardProperty::Other(name) => Some(name.to_ascii_uppercase()),
        _ => None,
    }
}

fn strip_ci<'a>(s: &'a str, prefix: &str) -> &'a str {
    match s.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &s[prefix.len()..],
        _ => s,
    }
}

/// Apple writes its built-in labels as `_$!<Mobile>!$_`.
fn ab_label(s: &str) -> String {
    let s = s.trim();
    s.strip_prefix("_$!<").and_then(|s| s.strip_suffix(">!$_")).map_or_else(|| s.to_string(), str::to_lowercase)
}

fn label_of(e: &VCardEntry, ab_labels: &HashMap<String, String>) -> String {
    if let Some(label) = e.group.as_ref().and_then(|g| ab_labels.get(&g.to_ascii_lowercase())) {
        return label.clone();
    }
    let types: Vec<String> = e.parameters(&VCardParameterName::Type).filter_map(|p| p.as_text()).map(str::to_ascii_lowercase).collect();
    label_from_types(&types)
}

/// TYPE values to a label: `cell` is what people call mobile; `voice`, `pref` and `internet` say
/// nothing a person would label.
fn label_from_types(types: &[String]) -> String {
    if types.iter().any(|t| t == "cell" || t == "mobile") {
        return "mobile".into();
    }
    types.iter().find(|t| !["voice", "pref", "internet", "x400"].contains(&t.as_str())).cloned().unwrap_or_default()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..)
}

/// N is family;given;additional;prefix;suffix. CJK names read family first without a space.
fn name_from_n(e: &VCardEntry) -> String {
    let part = |i: usize| e.values.get(i).map(text).unwrap_or_default().trim().to_string();
    let (family, given) = (part(0), part(1));
    if family.chars().chain(given.chars()).any(is_cjk) {
        return format!("{family}{given}");
    }
    [part(3), given, part(2), family, part(4)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

/// (family, given): 王小明 is 王 + 小明; "Ann Lee" splits on the last space.
fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    match name.chars().next() {
        Some(c) if is_cjk(c) => (&name[..c.len_utf8()], name[c.len_utf8()..].trim()),
        _ => name.rsplit_once(' ').map_or(("", name), |(given, family)| (family.trim(), given.trim())),
    }
}

/// The value of a card's first `prop` line, as written. BDAY is read here rather than from calcard,
/// whose 4.0 date parser takes `1990-05-01` (the extended form, which 4.0 forbids but apps write)
/// for May 1990 without a word.
fn raw_value(card: &str, prop: &str) -> Option<String> {
    let mut lines = card.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((head, value)) = line.split_once(':') else { continue };
        let name = head.split(';').next().unwrap_or_default().rsplit('.').next().unwrap_or_default();
        if !line.starts_with([' ', '\t']) && name.eq_ignore_ascii_case(prop) {
            let mut value = value.to_string();
            while let Some(more) = lines.peek().and_then(|l| l.strip_prefix([' ', '\t'])) {
                value.push_str(more);
                lines.next();
            }
            return Some(value.trim().to_string());
        }
    }
    None
}

/// `19900501`, `1990-05-01` or `1990-05-01T00:00:00Z` to `1990-05-01`; `Err(true)` when the
/// year is missing (`--0501`), `Err(false)` for anything else that is not a date.
fn birthday(raw: &str) -> std::result::Result<String, bool> {
    let date = raw.split(['T', 't']).next().unwrap_or_default().trim();
    if date.starts_with("--") {
        return Err(true);
    }
    let digits: String = date.chars().filter(|&c| c != '-').collect();
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(false);
    }
    let num = |r: std::ops::Range<usize>| digits[r].parse::<u32>().unwrap_or_default();
    chrono::NaiveDate::from_ymd_opt(num(0..4) as i32, num(4..6), num(6..8)).map(|d| d.format("%Y-%m-%d").to_string()).ok_or(false)
}

/// Writes the customers as cards in the given version: CRLF line endings, folded at 75 octets, UTF-8.
pub fn write(customers: &[Customer], version: VcardVersion) -> String {
    let mut out = String::new();
    let v4 = version == VcardVersion::V4;
    let cal = if v4 { calcard::vcard::VCardVersion::V4_0 } else { calcard::vcard::VCardVersion::V3_0 };
    for c in customers {
        card(c, v4).write_to(&mut out, cal).expect("writing to a String cannot fail");
    }
    out
}

fn card(c: &Customer, v4: bool) -> VCard {
    let text = |p: VCardProperty, s: &str| VCardEntry::new(p).with_value(s.to_string());
    let x = |name: &str, s: &str| text(VCardProperty::Other(name.into()), s);
    let company = c.kind == CustomerKind::Company;
    let mut e = vec![text(VCardProperty::Uid, &format!("urn:uuid:{}", c.id))];
    if company {
        // calcard would write VCardKind::Org as `ORG`; RFC 6350 and most readers use `org`.
        e.push(if v4 { text(VCardProperty::Kind, "org") } else { x("X-SATCHEL-KIND", "company") });
    }
    e.push(text(VCardProperty::Fn, &c.name));
    // 3.0 requires N; an organisation's is empty (RFC 6350's own example).
    let (family, given) = if company { ("", "") } else { split_name(&c.name) };
    e.push(VCardEntry::new(VCardProperty::N).with_values([family, given, "", "", ""].map(|s| VCardValue::Text(s.into())).to_vec()));
    let org = if company { Some(c.name.as_str()) } else { c.company_name.as_deref() }.filter(|o| !o.trim().is_empty());
    let department = Some(c.department.as_str()).filter(|d| !company && !d.trim().is_empty());
    match (org, department) {
        (org, Some(dept)) => e.push(
            VCardEntry::new(VCardProperty::Org)
                .with_values(vec![VCardValue::Text(org.unwrap_or("").into()), VCardValue::Text(dept.into())]),
        ),
        (Some(org), None) => e.push(text(VCardProperty::Org, org)),
        (None, None) => {}
    }
    if !company && !c.job_title.trim().is_empty() {
        e.push(text(VCardProperty::Title, &c.job_title));
    }
    let mut groups = 0;
    for p in &c.phones {
        e.extend(labelled(text(VCardProperty::Tel, &p.value), &p.label, v4, &mut groups));
    }
    for p in &c.emails {
        e.extend(labelled(text(VCardProperty::Email, &p.value), &p.label, v4, &mut groups));
    }
    for a in &c.addresses {
        let parts = ["", "", &a.street, &a.city, &a.region, &a.postal_code, &a.country];
        let adr = VCardEntry::new(VCardProperty::Adr).with_values(parts.map(|s| VCardValue::Text(s.to_string())).to_vec());
        e.extend(labelled(adr, &a.label, v4, &mut groups));
    }
    if let Some(b) = &c.birthday {
        // 4.0 dates are the basic ISO 8601 form only.
        e.push(text(VCardProperty::Bday, &if v4 { b.replace('-', "") } else { b.clone() }));
    }
    if !c.notes.is_empty() {
        e.push(text(VCardProperty::Note, &c.notes));
    }
    if !c.tags.is_empty() {
        e.push(VCardEntry::new(VCardProperty::Categories).with_values(c.tags.iter().map(|t| VCardValue::Text(t.clone())).collect()));
    }
    e.push(x("X-SATCHEL-STAGE", c.stage.as_str()));
    for (name, value) in [("X-SATCHEL-OWNER", &c.owner), ("X-SATCHEL-SOURCE", &c.source)] {
        if !value.is_empty() {
            e.push(x(name, value));
        }
    }
    for v in &c.custom {
        e.push(x(&format!("X-SATCHEL-FIELD-{}", v.field_id.as_str().to_ascii_uppercase()), &v.value));
    }
    VCard { entries: e }
}

/// Adds the TYPE a label maps to and, when reading that TYPE back would not give the label exactly,
/// a grouped X-ABLabel holding it.
fn labelled(mut e: VCardEntry, label: &str, v4: bool, groups: &mut u32) -> Vec<VCardEntry> {
    let lower = label.trim().to_ascii_lowercase();
    let typ = match lower.as_str() {
        "mobile" | "cell" => Some("cell".to_string()),
        t if !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => Some(lower.clone()),
        _ => None,
    };
    if let Some(t) = &typ {
        // Older 3.0 readers compare TYPE values in upper case.
        e.add_param(VCardParameter::typ(if v4 { t.clone() } else { t.to_ascii_uppercase() }));
    }
    if label_from_types(typ.as_slice()) == label {
        return vec![e];
    }
    *groups += 1;
    let group = Some(format!("item{groups}"));
    let ab = VCardEntry::new(VCardProperty::Other("X-ABLabel".into())).with_group(group.clone()).with_value(label.to_string());
    vec![e.with_group(group), ab]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(label: &str, value: &str) -> ContactPoint {
        ContactPoint { id: None, label: label.into(), value: value.into() }
    }

    fn customer(kind: CustomerKind, name: &str) -> Customer {
        let input = crate::customers::CustomerInput::named(kind, name);
        Customer {
            id: CustomerId::new(),
            kind,
            name: name.into(),
            company_id: None,
            company_name: None,
            company_deleted: false,
            owner: input.owner,
            stage: input.stage,
            source: input.source,
            job_title: String::new(),
            department: String::new(),
            notes: input.notes,
            birthday: None,
            tags: vec![],
            phones: vec![],
            emails: vec![],
            addresses: vec![],
            custom: vec![],
            private: false,
            created_at: "2024-01-01T00:00:00Z".into(),
            updated_at: "2024-01-01T00:00:00Z".into(),
            deleted_at: None,
        }
    }

    fn sample() -> Vec<Customer> {
        let mut co = customer(CustomerKind::Company, "上海示例有限公司");
        co.phones = vec![point("work", "021-62345678")];
        co.stage = Stage::Retained;
        let mut wang = customer(CustomerKind::Person, "王小明");
        wang.company_id = Some(co.id.clone());
        wang.company_name = Some(co.name.clone());
        wang.phones =
            vec![point("mobile", "138 0013 8000"), point("办公室", "+86 21 6234 5678"), point("Work", "021-1234"), point("", "5550100")];
        wang.emails = vec![point("work", "wang@example.com"), point("私人", "x@example.cn"), point("cell", "y@example.org")];
        wang.addresses = vec![Address {
            id: None,
            label: "home".into(),
            street: "南京西路 1266 号, 5F; Room 3".into(),
            city: "上海".into(),
            region: "上海".into(),
            postal_code: "200040".into(),
            country: "中国".into(),
        }];
        wang.tags = vec!["VIP".into(), "回头客".into(), "a,b;c".into()];
        wang.notes = format!("第一行\n second line, with comma; semicolon \\ backslash\n{}", "很长的备注".repeat(30));
        wang.birthday = Some("1990-05-01".into());
        wang.stage = Stage::Won;
        wang.owner = "李雷, Sales".into();
        wang.source = "展会;2024".into();
        wang.job_title = "采购经理, 华东区".into();
        wang.department = "采购部; 二组".into();
        let mut ann = customer(CustomerKind::Person, "Ann Lee");
        ann.company_name = Some("Acme, Inc.".into());
        ann.emails = vec![point("", "ann@acme.com")];
        ann.job_title = "Buyer".into();
        let mut solo = customer(CustomerKind::Person, "Bo Chen");
        solo.department = "Field Sales".into();
        vec![co, wang, ann, solo]
    }

    #[test]
    fn round_trip_keeps_everything_vcard_can_carry() {
        let customers = sample();
        for version in [VcardVersion::V3, VcardVersion::V4] {
            let text = write(&customers, version);
            assert!(text.split("\r\n").all(|line| line.len() <= 75 && !line.contains('\n')), "{text}");
            assert!(text.contains(if version == VcardVersion::V4 { "KIND:org\r\n" } else { "X-SATCHEL-KIND:company\r\n" }), "{text}");
            assert!(text.contains(":王;小明;;;\r\n") && text.contains("N:Lee;Ann;;;\r\n"), "{text}");
            assert!(text.contains(&format!("UID:urn:uuid:{}\r\n", customers[1].id)), "{text}");
            let read = read(&text, Locale::En).unwrap();
            assert!(read.errors.is_empty(), "{:?}", read.errors);
            assert_eq!(read.records.len(), customers.len());
            for (i, (c, r)) in customers.iter().zip(&read.records).enumerate() {
                let want = crate::customers::CustomerInput { company_id: None, private: None, ..c.to_input() };
                assert_eq!(r.input, want, "{version:?}\n{text}");
                assert_eq!(r.row, i as u32 + 1);
                assert_eq!(r.id.as_ref(), Some(&c.id));
                assert_eq!(r.company, if c.kind == CustomerKind::Person { c.company_name.clone() } else { None });
            }
            let wang = &read.records[1];
            for source in [
                ("phones.1", "TEL"),
                ("emails.2", "EMAIL"),
                ("addresses.0", "ADR"),
                ("birthday", "BDAY"),
                ("owner", "X-SATCHEL-OWNER"),
                ("jobTitle", "TITLE"),
                ("department", "ORG"),
            ] {
                assert!(wang.sources.contains(&(source.0.into(), source.1.into())), "{source:?} in {:?}", wang.sources);
            }
        }
    }

    fn one(text: &str) -> ImportRecord {
        let mut read = read(text, Locale::En).unwrap();
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        assert_eq!(read.records.len(), 1);
        read.records.remove(0)
    }

    fn labels(points: &[ContactPoint]) -> Vec<(&str, &str)> {
        points.iter().map(|p| (p.label.as_str(), p.value.as_str())).collect()
    }

    #[test]
    fn role_is_the_department_when_org_names_none() {
        let r = one("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李雷\r\nORG:示例公司\r\nTITLE:工程师\r\nROLE:技术部\r\nEND:VCARD\r\n");
        assert_eq!((r.input.job_title.as_str(), r.input.department.as_str(), r.company.as_deref()), ("工程师", "技术部", Some("示例公司")));
        let r = one("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李雷\r\nORG:示例公司;销售部\r\nROLE:技术部\r\nEND:VCARD\r\n");
        assert_eq!(r.input.department, "销售部", "ORG's own unit comes first");
    }

    #[test]
    fn reads_vcard_21_quoted_printable() {
        let r = one(concat!(
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E5=B0=8F=E6=98=8E;;;\r\n",
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B=E5=B0=8F=\r\n=E6=98=8E\r\n", // a soft line break
            "TEL;CELL;VOICE:13800138000\r\nTEL;WORK;VOICE:021-62345678\r\nEMAIL;PREF;INTERNET:wang@example.com\r\nBDAY:19900501\r\nEND:VCARD\r\n"
        ));
        assert_eq!(r.input.name, "王小明");
        assert_eq!(labels(&r.input.phones), [("mobile", "13800138000"), ("work", "021-62345678")]);
        assert_eq!(labels(&r.input.emails), [("", "wang@example.com")]);
        assert_eq!(r.input.birthday.as_deref(), Some("1990-05-01"));
        let only_n = one("BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=9D=8E;=E9=9B=B7\nEND:VCARD\n");
        assert_eq!(only_n.input.name, "李雷");
        assert!(only_n.sources.contains(&("name".into(), "N".into())), "{:?}", only_n.sources);
    }

    #[test]
    fn reads_apple_and_google_style_30_cards() {
        let r = one(concat!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\nN:Lee;Ann;;;\r\nFN:Ann Lee\r\n",
            "ORG:Acme Inc.;Sales\r\nTITLE:Buyer\r\nitem1.EMAIL;type=INTERNET;type=pref:ann@acme.com\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n",
            "item2.EMAIL;type=INTERNET:ann@home.net\r\nitem2.X-ABLabel:私人\r\nTEL;type=CELL;type=VOICE;type=pref:+1 555 0100\r\n",
            "TEL;TYPE=CELL,VOICE:+1 555 0101\r\nTEL;TYPE=WORK,VOICE:+1 555 0102\r\nTEL;TYPE=FAX:+1 555 0103\r\n",
            "item3.ADR;type=HOME;type=pref:;Suite 5;1 Infinite Loop;Cupertino;CA;95014;United States\r\nitem3.X-ABADR:us\r\n",
            "BDAY;value=date:1990-05-01\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRg==\r\nCATEGORIES:friends,clients\r\n",
            "NOTE:line one\\nline two\\, with comma\\; and semicolon\r\nURL;type=pref:http://acme.com\r\n",
            "UID:ABCDEF01-2345-6789-ABCD-EF0123456789\r\nEND:VCARD\r\n"
        ));
        assert_eq!((r.input.name.as_str(), r.input.kind, r.company.as_deref()), ("Ann Lee", CustomerKind::Person, Some("Acme Inc.")));
        assert_eq!((r.input.job_title.as_str(), r.input.department.as_str()), ("Buyer", "Sales"), "TITLE, and ORG's unit");
        assert_eq!(labels(&r.input.emails), [("other", "ann@acme.com"), ("私人", "ann@home.net")]);
        assert_eq!(
            labels(&r.input.phones),
            [("mobile", "+1 555 0100"), ("mobile", "+1 555 0101"), ("work", "+1 555 0102"), ("fax", "+1 555 0103")]
        );
        let a = &r.input.addresses[0];
        assert_eq!(
            [&a.label, &a.street, &a.city, &a.region, &a.postal_code, &a.country],
            ["home", "1 Infinite Loop, Suite 5", "Cupertino", "CA", "95014", "United States"]
        );
        assert_eq!(r.input.birthday.as_deref(), Some("1990-05-01"));
        assert_eq!(r.input.tags, ["friends", "clients"]);
        assert_eq!(r.input.notes, "line one\nline two, with comma; and semicolon");
        assert_eq!(r.id, Some(CustomerId("abcdef01-2345-6789-abcd-ef0123456789".into())));
        assert!(r.sources.contains(&("phones.2".into(), "TEL".into())) && r.sources.contains(&("emails.1".into(), "EMAIL".into())));

        let g = one("BEGIN:VCARD\nVERSION:3.0\nFN:张伟\nN:张;伟;;;\nTEL;TYPE=CELL:139 1234 5678\nBDAY:1990-05-01T00:00:00Z\nUID:not-a-uuid-123\nEND:VCARD\n");
        assert_eq!((g.input.name.as_str(), g.id, g.input.birthday.as_deref()), ("张伟", None, Some("1990-05-01")));
    }

    #[test]
    fn reads_many_cards_of_mixed_versions_and_line_endings() {
        let text = concat!(
            "\u{feff}BEGIN:VCARD\nVERSION:4.0\nKIND:org\nFN:Acme\nTEL;VALUE=uri;TYPE=work:tel:+1-555-555-5555;ext=12\nBDAY:19900501\nEND:VCARD\n",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nORG:Acme\r\nEND:VCARD\r\n\r\n",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nORG:Only An Org\r\nX-ABShowAs:COMPANY\r\nEND:VCARD\r\n",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dee\r\nKIND:individual\r\nEND:VCARD\r\n",
        );
        let read = read(text, Locale::En).unwrap();
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let got: Vec<_> = read.records.iter().map(|r| (r.row, r.input.name.as_str(), r.input.kind, r.company.as_deref())).collect();
        use CustomerKind::*;
        assert_eq!(
            got,
            [(1, "Acme", Company, None), (2, "Bo", Person, Some("Acme")), (3, "Only An Org", Company, None), (4, "Dee", Person, None)]
        );
        assert_eq!(labels(&read.records[0].input.phones), [("work", "+1-555-555-5555 ext. 12")]);
        assert_eq!(read.records[0].input.birthday.as_deref(), Some("1990-05-01"));
    }

    #[test]
    fn ignores_unknown_properties_and_survives_broken_folding() {
        let text = concat!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Fold\r\nX-WHATEVER;X-P=1:zzz\r\nGEO:geo:1,2\r\nIMPP:xmpp:a@b.c\r\n",
            "NOTE:first part of a long note that was\r\ncut without the leading space: oops\r\nTEL:13800138000\r\n",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:After A Card Without END\r\n\r\n \r\nEND:VCARD\r\n",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Last\r\nNOTE:ok\r\n folded\r\nEND:VCARD",
        );
        let read = read(text, Locale::En).unwrap();
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let got: Vec<_> = read.records.iter().map(|r| (r.input.name.as_str(), r.input.notes.as_str(), r.input.phones.len())).collect();
        assert_eq!(
            got,
            [("Broken Fold", "first part of a long note that was", 1), ("After A Card Without END", "", 0), ("Last", "okfolded", 0)]
        );
    }

    #[test]
    fn refuses_cards_without_a_name_or_with_a_yearless_birthday() {
        let text = concat!(
            "BEGIN:VCARD\nVERSION:3.0\nTEL:13800138000\nEND:VCARD\n",
            "BEGIN:VCARD\nVERSION:3.0\nFN:Kept\nEND:VCARD\n",
            "BEGIN:VCARD\nVERSION:3.0\nFN:No Year\nBDAY:--0501\nEND:VCARD\n",
            "BEGIN:VCARD\nVERSION:4.0\nFN:No Year 4\nBDAY:--05-01\nEND:VCARD\n",
            "BEGIN:VCARD\nVERSION:3.0\nFN:Bad Date\nBDAY:1990-13-45\nEND:VCARD\n",
        );
        let read = read(text, Locale::ZhCn).unwrap();
        assert_eq!(read.records.iter().map(|r| (r.row, r.input.name.as_str())).collect::<Vec<_>>(), [(2, "Kept")]);
        let errors: Vec<_> = read.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(errors, [(1, "FN"), (3, "BDAY"), (4, "BDAY"), (5, "BDAY")]);
        assert_eq!(read.errors[0].message, CoreError::invalid("name", Invalid::Required).message(Locale::ZhCn));
        assert!(read.errors[1].message.contains("年份"), "{}", read.errors[1].message);
        assert_eq!(read.errors[3].message, CoreError::invalid("birthday", Invalid::Date).message(Locale::ZhCn));
    }

    #[test]
    fn a_file_without_cards_is_not_a_vcard() {
        for text in ["", "FN:Ann\r\nTEL:1\r\n", "name,phone\nAnn,123\n", "BEGIN:VCALENDAR\nEND:VCALENDAR\n"] {
            assert!(matches!(read(text, Locale::En), Err(CoreError::File(FileProblem::NotVcard))), "{text:?}");
        }
    }
}
