//! Custom fields: extra fields the user defines for a record type (text, number, date, single
//! choice, multi choice), labelled in English and Chinese. Customers narrow a field further to
//! companies, people or both ([`FieldScope`]); other types use `Both`.
//!
//! Definitions live in `custom_fields` (with the record type they are for), values in
//! `customer_field_values` (one row per record and field, id `"<record>.<field>"`; the table keeps
//! its first name, see migration 0011). A removed field is a tombstone: its values stay stored
//! and in history, and come back if the field is restored. Choice values store option *keys*, so
//! renaming an option relabels every record at once and loses nothing.

use super::{RecordRef, RecordType};
use crate::error::{CoreError, Invalid, Result};
use crate::i18n::Locale;
use crate::ids::FieldId;
use crate::store::{schema, Store, Writer};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Date,
    Choice,
    Multi,
}

impl FieldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Choice => "choice",
            Self::Multi => "multi",
        }
    }
    pub fn parse(s: &str) -> Self {
        [Self::Number, Self::Date, Self::Choice, Self::Multi].into_iter().find(|k| k.as_str() == s).unwrap_or(Self::Text)
    }
}

/// Which records a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FieldScope {
    Both,
    Company,
    Person,
}

impl FieldScope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Both => "both",
            Self::Company => "company",
            Self::Person => "person",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "company" => Self::Company,
            "person" => Self::Person,
            _ => Self::Both,
        }
    }
    /// Whether the field applies to a record of this kind (`"company"`, `"person"`; a type
    /// without kinds passes `""`, which only `Both` fields apply to).
    pub fn applies_to(self, kind: &str) -> bool {
        self == Self::Both || self.as_str() == kind
    }
}

/// One option of a choice field. `key` is made by Satchel and never changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ChoiceOption {
    /// Empty for a new option; the core assigns one.
    pub key: String,
    pub en: String,
    pub zh: String,
}

impl ChoiceOption {
    pub fn label(&self, l: Locale) -> &str {
        l.label(&self.en, &self.zh)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomField {
    pub id: FieldId,
    pub scope: FieldScope,
    pub kind: FieldKind,
    pub label_en: String,
    pub label_zh: String,
    pub options: Vec<ChoiceOption>,
    pub position: i32,
}

impl CustomField {
    pub fn label(&self, l: Locale) -> &str {
        l.label(&self.label_en, &self.label_zh)
    }

    /// The option whose key, English or Chinese label is `text` (imports carry labels).
    pub fn option(&self, text: &str) -> Option<&ChoiceOption> {
        let t = text.trim();
        self.options.iter().find(|o| o.key == t || o.en.eq_ignore_ascii_case(t) || o.zh == t)
    }

    /// A stored value as people read it: option labels instead of keys.
    pub fn display(&self, value: &str, l: Locale) -> String {
        match self.kind {
            FieldKind::Choice | FieldKind::Multi => value
                .split(',')
                .filter(|k| !k.is_empty())
                .map(|k| self.options.iter().find(|o| o.key == k).map(|o| o.label(l).to_string()).unwrap_or_else(|| k.to_string()))
                .collect::<Vec<_>>()
                .join("; "),
            _ => value.to_string(),
        }
    }
}

/// A custom field's value on a record, as forms and imports carry it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomValue {
    pub field_id: FieldId,
    /// Text as typed; a number; a date `YYYY-MM-DD`; a choice's option key; a multi choice's keys
    /// joined by `,`.
    pub value: String,
}

/// What the field editor submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldInput {
    pub scope: FieldScope,
    pub kind: FieldKind,
    pub label_en: String,
    pub label_zh: String,
    pub options: Vec<ChoiceOption>,
}

pub const TEXT_MAX: usize = 2000;
const LABEL_MAX: usize = 60;
const OPTIONS_MAX: usize = 100;

/// The error key of a custom field's value in a form: `custom.<field id>`.
pub fn field_key(id: &FieldId) -> String {
    format!("custom.{}", id.0)
}

/// Checks a value against its field and returns it in stored form (trimmed; numbers canonical;
/// choice labels turned into keys; multi choices deduplicated in option order). Empty is `None`.
pub fn clean_value(field: &CustomField, raw: &str) -> Result<Option<String>> {
    let key = field_key(&field.id);
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let bad = |reason| {
        let reason = Invalid::InField { en: field.label_en.clone(), zh: field.label_zh.clone(), reason: Box::new(reason) };
        CoreError::invalid(key.clone(), reason)
    };
    match field.kind {
        FieldKind::Text => {
            if v.chars().count() > TEXT_MAX {
                return Err(bad(Invalid::TooLong { max: TEXT_MAX }));
            }
            Ok(Some(v.to_string()))
        }
        FieldKind::Number => {
            // People type thousands separators (1,234.5 or 1，234); the value is stored without.
            let plain: String = v.chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect();
            let ok = !plain.is_empty()
                && plain.parse::<f64>().is_ok_and(f64::is_finite)
                && plain.chars().all(|c| c.is_ascii_digit() || "+-.".contains(c));
            if !ok {
                return Err(bad(Invalid::Number));
            }
            let n: f64 = plain.parse().unwrap_or(0.0);
            Ok(Some(if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { plain.trim_start_matches('+').to_string() }))
        }
        FieldKind::Date => {
            crate::time::parse_loose_date(v, false).map(|d| Some(d.format("%Y-%m-%d").to_string())).ok_or_else(|| bad(Invalid::Date))
        }
        FieldKind::Choice => match field.option(v) {
            Some(o) => Ok(Some(o.key.clone())),
            None => Err(bad(Invalid::OneOf { value: v.into(), allowed: options_text(field) })),
        },
        FieldKind::Multi => {
            let mut keys = Vec::new();
            for part in v.split([',', ';', '，', '；', '、']).map(str::trim).filter(|p| !p.is_empty()) {
                match field.option(part) {
                    Some(o) => keys.push(o.key.clone()),
                    None => return Err(bad(Invalid::OneOf { value: part.into(), allowed: options_text(field) })),
                }
            }
            let ordered: Vec<String> = field.options.iter().filter(|o| keys.contains(&o.key)).map(|o| o.key.clone()).collect();
            Ok((!ordered.is_empty()).then(|| ordered.join(",")))
        }
    }
}

fn options_text(field: &CustomField) -> String {
    field
        .options
        .iter()
        .map(|o| if o.zh.is_empty() || o.zh == o.en { o.en.clone() } else { format!("{} / {}", o.en, o.zh) })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The values a record of `kind` keeps (see [`FieldScope::applies_to`]): each checked against its
/// live field; values for fields that do not apply or no longer exist are left out (and left
/// alone in storage).
pub fn clean_values(defs: &[CustomField], kind: &str, values: &[CustomValue]) -> Result<Vec<CustomValue>> {
    let mut out = Vec::new();
    for def in defs.iter().filter(|d| d.scope.applies_to(kind)) {
        if let Some(v) = values.iter().rev().find(|v| v.field_id == def.id) {
            if let Some(clean) = clean_value(def, &v.value)? {
                out.push(CustomValue { field_id: def.id.clone(), value: clean });
            }
        }
    }
    Ok(out)
}

fn row_to_field(r: &rusqlite::Row<'_>) -> rusqlite::Result<CustomField> {
    let options: String = r.get(5)?;
    Ok(CustomField {
        id: FieldId(r.get(0)?),
        scope: FieldScope::parse(&r.get::<_, String>(1)?),
        kind: FieldKind::parse(&r.get::<_, String>(2)?),
        label_en: r.get(3)?,
        label_zh: r.get(4)?,
        options: serde_json::from_str(&options).unwrap_or_default(),
        position: r.get(6)?,
    })
}

/// A record type's live fields in their order.
pub fn list_in(c: &Connection, kind: &RecordType) -> Result<Vec<CustomField>> {
    let mut st = c.prepare_cached(
        "SELECT id, scope, kind, label_en, label_zh, options, position FROM custom_fields
         WHERE record_type = ?1 AND deleted_at IS NULL AND (label_en <> '' OR label_zh <> '') ORDER BY position, id",
    )?;
    let rows = st.query_map([kind.name], row_to_field)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn list(store: &Store, kind: &RecordType) -> Result<Vec<CustomField>> {
    store.read(|c| list_in(c, kind))
}

fn check_input(input: &CustomFieldInput, existing: Option<&CustomField>) -> Result<CustomFieldInput> {
    let label_en = input.label_en.trim().to_string();
    let label_zh = input.label_zh.trim().to_string();
    if label_en.is_empty() && label_zh.is_empty() {
        return Err(CoreError::invalid("labelEn", Invalid::Required));
    }
    for (k, v) in [("labelEn", &label_en), ("labelZh", &label_zh)] {
        if v.chars().count() > LABEL_MAX {
            return Err(CoreError::invalid(k, Invalid::TooLong { max: LABEL_MAX }));
        }
    }
    if let Some(e) = existing {
        // Changing the kind would reinterpret every stored value; a new field is the safe way.
        if e.kind != input.kind {
            return Err(CoreError::invalid("kind", Invalid::OneOf { value: input.kind.as_str().into(), allowed: e.kind.as_str().into() }));
        }
    }
    let choice = matches!(input.kind, FieldKind::Choice | FieldKind::Multi);
    let mut options: Vec<ChoiceOption> = Vec::new();
    if choice {
        if input.options.len() > OPTIONS_MAX {
            return Err(CoreError::invalid("options", Invalid::TooMany { max: OPTIONS_MAX }));
        }
        let mut next =
            existing.map_or(0, |e| e.options.iter().filter_map(|o| o.key.strip_prefix('o')?.parse::<u32>().ok()).max().unwrap_or(0)) + 1;
        for (i, o) in input.options.iter().enumerate() {
            let (en, zh) = (o.en.trim().to_string(), o.zh.trim().to_string());
            if en.is_empty() && zh.is_empty() {
                continue;
            }
            if options.iter().any(|x| (!en.is_empty() && x.en == en) || (!zh.is_empty() && x.zh == zh)) {
                return Err(CoreError::invalid(format!("options.{i}"), Invalid::Duplicate));
            }
            let key = if !o.key.is_empty() && existing.is_some_and(|e| e.options.iter().any(|x| x.key == o.key)) {
                o.key.clone()
            } else {
                next += 1;
                format!("o{}", next - 1)
            };
            options.push(ChoiceOption { key, en, zh });
        }
        // An option that records use can be renamed but not dropped: it stays, so no value is
        // silently orphaned.
        if let Some(e) = existing {
            for old in &e.options {
                if !options.iter().any(|o| o.key == old.key) {
                    options.push(old.clone());
                }
            }
        }
        if options.is_empty() {
            return Err(CoreError::invalid("options", Invalid::Required));
        }
    }
    Ok(CustomFieldInput { scope: input.scope, kind: input.kind, label_en, label_zh, options })
}

fn values_of(v: &CustomFieldInput) -> Vec<(&'static str, Value)> {
    vec![
        ("scope", Value::Text(v.scope.as_str().into())),
        ("kind", Value::Text(v.kind.as_str().into())),
        ("label_en", Value::Text(v.label_en.clone())),
        ("label_zh", Value::Text(v.label_zh.clone())),
        ("options", Value::Text(serde_json::to_string(&v.options).unwrap_or_else(|_| "[]".into()))),
    ]
}

/// Adds a field to every record of a type, after the type's others.
pub fn create(store: &Store, kind: &RecordType, input: &CustomFieldInput) -> Result<FieldId> {
    let v = check_input(input, None)?;
    let id = FieldId::new();
    store.write(|w| {
        let position: i64 =
            w.conn()
                .query_row("SELECT coalesce(max(position), 0) + 1 FROM custom_fields WHERE record_type = ?1", [kind.name], |r| r.get(0))?;
        let mut values = values_of(&v);
        values.push(("position", Value::Integer(position)));
        values.push((schema::RECORD_TYPE, Value::Text(kind.name.into())));
        w.insert(&schema::CUSTOM_FIELDS, id.as_str(), &values)
    })?;
    Ok(id)
}

pub fn get_in(c: &Connection, id: &FieldId) -> Result<Option<CustomField>> {
    Ok(c.prepare_cached(
        "SELECT id, scope, kind, label_en, label_zh, options, position FROM custom_fields WHERE id = ?1 AND deleted_at IS NULL",
    )?
    .query_row([id.as_str()], row_to_field)
    .optional()?)
}

/// Relabels a field, changes its scope or adds and renames options (the kind stays).
pub fn update(store: &Store, id: &FieldId, input: &CustomFieldInput) -> Result<()> {
    store.write(|w| {
        let existing = get_in(w.conn(), id)?.ok_or_else(|| CoreError::NotFound { what: "custom field", id: id.to_string() })?;
        let v = check_input(input, Some(&existing))?;
        w.update(&schema::CUSTOM_FIELDS, id.as_str(), &values_of(&v))?;
        Ok(())
    })
}

/// The record type a field (live or removed) is for.
pub fn type_of(store: &Store, id: &FieldId) -> Result<&'static RecordType> {
    let kind: Option<String> = store.read(|c| {
        Ok(c.prepare_cached("SELECT record_type FROM custom_fields WHERE id = ?1")?.query_row([id.as_str()], |r| r.get(0)).optional()?)
    })?;
    kind.as_deref().and_then(super::record_type).ok_or_else(|| CoreError::NotFound { what: "custom field", id: id.to_string() })
}

/// How many live records hold a value for the field (what the removal question tells the user).
pub fn usage(store: &Store, id: &FieldId) -> Result<u32> {
    store.read(|c| {
        let kind: Option<String> =
            c.prepare_cached("SELECT record_type FROM custom_fields WHERE id = ?1")?.query_row([id.as_str()], |r| r.get(0)).optional()?;
        let Some(table) = kind.as_deref().and_then(super::record_type).map(super::table_of) else {
            return Err(CoreError::NotFound { what: "custom field", id: id.to_string() });
        };
        Ok(c.query_row(
            &format!(
                "SELECT count(*) FROM customer_field_values v JOIN {} r ON r.id = v.customer_id
                 WHERE v.field_id = ?1 AND v.deleted_at IS NULL AND r.deleted_at IS NULL",
                table.name
            ),
            [id.as_str()],
            |r| r.get(0),
        )?)
    })
}

/// Makes a record's values of its type's live custom fields equal `values` (already checked):
/// one row per field, id `"<record>.<field>"`, so the same field set on two devices is the same
/// row. Values of removed fields are left as they are (kept for when the field comes back).
pub fn write_values(w: &mut Writer<'_>, record: &RecordRef, values: &[CustomValue], is_new: bool) -> Result<()> {
    if is_new && values.is_empty() {
        return Ok(());
    }
    let live: Vec<(String, String)> = if is_new {
        vec![]
    } else {
        w.conn()
            .prepare_cached(
                "SELECT v.id, v.field_id FROM customer_field_values v JOIN custom_fields f ON f.id = v.field_id AND f.deleted_at IS NULL
                 WHERE v.customer_id = ?1 AND v.deleted_at IS NULL",
            )?
            .query_map([record.id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    for (row, field) in &live {
        if !values.iter().any(|v| v.field_id.as_str() == field) {
            w.tombstone(&schema::CUSTOMER_FIELD_VALUES, row)?;
        }
    }
    for v in values {
        set_value(w, record, v.field_id.as_str(), &v.value)?;
    }
    Ok(())
}

/// Checks a record's custom values against its type's live fields and writes them, inside the
/// record's own write: a refused value refuses the whole save. For record types without kinds
/// (deals, quotes, contracts), whose fields are all `Both`.
pub fn check_and_write(w: &mut Writer<'_>, record: &RecordRef, values: &[CustomValue], is_new: bool) -> Result<()> {
    let defs = list_in(w.conn(), record.kind)?;
    let clean = clean_values(&defs, "", values)?;
    write_values(w, record, &clean, is_new)
}

/// One record's live values of its type's live fields, in the fields' order.
pub fn record_values(c: &Connection, record: &RecordRef) -> Result<Vec<CustomValue>> {
    Ok(values_in(c, record.kind, Some(&record.id))?.remove(&record.id).unwrap_or_default().into_iter().map(|(v, _)| v).collect())
}

/// Sets one custom value (inserting its row, or bringing a removed one back).
pub fn set_value(w: &mut Writer<'_>, record: &RecordRef, field: &str, value: &str) -> Result<()> {
    let row = format!("{}.{}", record.id, field);
    let text = |s: &str| Value::Text(s.to_string());
    match w.deleted_at(&schema::CUSTOMER_FIELD_VALUES, &row)? {
        None => w.insert(
            &schema::CUSTOMER_FIELD_VALUES,
            &row,
            &[
                (schema::RECORD_TYPE, text(record.kind.name)),
                ("customer_id", text(&record.id)),
                ("field_id", text(field)),
                ("value", text(value)),
            ],
        ),
        Some(_) => w.update(&schema::CUSTOMER_FIELD_VALUES, &row, &[("value", text(value)), ("deleted_at", Value::Null)]).map(|_| ()),
    }
}

/// Live values of a type's live custom fields, by record (all of the type's records, or one),
/// each with its field's kind, in the fields' order.
pub fn values_in(c: &Connection, kind: &RecordType, one: Option<&str>) -> Result<HashMap<String, Vec<(CustomValue, FieldKind)>>> {
    match one {
        Some(id) => values_where(c, kind, "AND v.customer_id = ?2", &[id]),
        None => values_where(c, kind, "", &[]),
    }
}

/// [`values_in`] for the records whose ids are after `after`, up to `upto` (a slice of a book
/// read by id range).
pub fn values_between(
    c: &Connection,
    kind: &RecordType,
    after: &str,
    upto: &str,
) -> Result<HashMap<String, Vec<(CustomValue, FieldKind)>>> {
    values_where(c, kind, "AND v.customer_id > ?2 AND v.customer_id <= ?3", &[after, upto])
}

fn values_where(
    c: &Connection,
    kind: &RecordType,
    clause: &str,
    params: &[&str],
) -> Result<HashMap<String, Vec<(CustomValue, FieldKind)>>> {
    let sql = format!(
        "SELECT v.customer_id, v.field_id, v.value, f.kind FROM customer_field_values v
         JOIN custom_fields f ON f.id = v.field_id AND f.deleted_at IS NULL
         WHERE v.deleted_at IS NULL AND v.record_type = ?1 {clause} ORDER BY f.position, f.id"
    );
    let mut st = c.prepare_cached(&sql)?;
    let mut out: HashMap<String, Vec<(CustomValue, FieldKind)>> = HashMap::default();
    let mut rows = st.query(rusqlite::params_from_iter(std::iter::once(kind.name).chain(params.iter().copied())))?;
    while let Some(r) = rows.next()? {
        let v = CustomValue { field_id: FieldId(r.get(1)?), value: r.get(2)? };
        out.entry(r.get(0)?).or_default().push((v, FieldKind::parse(&r.get::<_, String>(3)?)));
    }
    Ok(out)
}

/// Removes a field from forms and lists. Its values are not touched: they stay in storage and
/// history, and `restore` brings them back.
pub fn remove(store: &Store, id: &FieldId) -> Result<()> {
    store.write(|w| w.tombstone(&schema::CUSTOM_FIELDS, id.as_str()).map(|_| ()))
}

pub fn restore(store: &Store, id: &FieldId) -> Result<()> {
    store.write(|w| w.update(&schema::CUSTOM_FIELDS, id.as_str(), &[("deleted_at", Value::Null)]).map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: FieldKind) -> CustomField {
        let opt = |key: &str, en: &str, zh: &str| ChoiceOption { key: key.into(), en: en.into(), zh: zh.into() };
        CustomField {
            id: FieldId("f1".into()),
            scope: FieldScope::Both,
            kind,
            label_en: "Level".into(),
            label_zh: "等级".into(),
            options: vec![opt("o1", "Gold", "金牌"), opt("o2", "Silver", "银牌"), opt("o3", "Bronze", "")],
            position: 1,
        }
    }

    #[test]
    fn values_are_checked_and_stored_in_one_form_per_kind() {
        use FieldKind::*;
        let ok: &[(FieldKind, &str, Option<&str>)] = &[
            (Text, "  VIP 客户 ", Some("VIP 客户")),
            (Text, "   ", None),
            (Number, "1,234", Some("1234")),
            (Number, "-12.50", Some("-12.50")),
            (Number, "3.0", Some("3")),
            (Date, "2026/3/5", Some("2026-03-05")),
            (Date, "2026年3月5日", Some("2026-03-05")),
            (Choice, "金牌", Some("o1")),
            (Choice, "silver", Some("o2")),
            (Choice, "o3", Some("o3")),
            (Multi, "Bronze; 金牌, Gold", Some("o1,o3")),
        ];
        for (kind, raw, want) in ok {
            assert_eq!(clean_value(&field(*kind), raw).unwrap().as_deref(), *want, "{kind:?} {raw:?}");
        }
        let bad: &[(FieldKind, &str)] = &[
            (Number, "12abc"),
            (Number, "1e400"),
            (Number, "--1"),
            (Date, "2026-02-30"),
            (Date, "soon"),
            (Choice, "Platinum"),
            (Multi, "Gold, Tin"),
        ];
        for (kind, raw) in bad {
            let e = clean_value(&field(*kind), raw).unwrap_err();
            assert_eq!(e.field(), Some("custom.f1"), "{kind:?} {raw:?}");
        }
        let long = "字".repeat(TEXT_MAX + 1);
        assert!(clean_value(&field(Text), &long).is_err());
    }

    #[test]
    fn wrong_type_messages_name_the_field_and_the_choices() {
        let e = clean_value(&field(FieldKind::Choice), "Platinum").unwrap_err();
        let zh = e.message(Locale::ZhCn);
        assert!(zh.contains("Platinum") && zh.contains("Gold / 金牌"), "{zh}");
        let e = clean_value(&field(FieldKind::Number), "abc").unwrap_err();
        assert!(e.message(Locale::En).starts_with("Level: is not a number"), "{}", e.message(Locale::En));
        assert!(e.message(Locale::ZhCn).starts_with("等级：不是数字"), "{}", e.message(Locale::ZhCn));
    }

    #[test]
    fn options_keep_their_keys_and_are_never_dropped_by_an_edit() {
        let existing = field(FieldKind::Choice);
        let input = CustomFieldInput {
            scope: FieldScope::Both,
            kind: FieldKind::Choice,
            label_en: "Level".into(),
            label_zh: "等级".into(),
            options: vec![
                ChoiceOption { key: "o1".into(), en: "Gold+".into(), zh: "金牌".into() },
                ChoiceOption { key: String::new(), en: "Platinum".into(), zh: "白金".into() },
            ],
        };
        let out = check_input(&input, Some(&existing)).unwrap();
        let keys: Vec<(&str, &str)> = out.options.iter().map(|o| (o.key.as_str(), o.en.as_str())).collect();
        assert_eq!(keys, vec![("o1", "Gold+"), ("o4", "Platinum"), ("o2", "Silver"), ("o3", "Bronze")]);
        let kind_change = CustomFieldInput { kind: FieldKind::Text, ..input };
        assert_eq!(check_input(&kind_change, Some(&existing)).unwrap_err().field(), Some("kind"));
    }
}
