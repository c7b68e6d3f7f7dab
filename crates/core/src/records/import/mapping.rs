//! Column mapping every importer shares: headers compared as people write them, and the columns
//! that name one of the record type's custom fields. Each module maps its own standard columns
//! (the customers' Google and Outlook layouts, for one) on top.

use crate::records::fields::CustomField;

/// A header as compared: trimmed, without a byte-order mark, lower case, inner spaces single.
pub fn norm(h: &str) -> String {
    h.trim().trim_start_matches('\u{FEFF}').to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The custom field a header names: a field's English or Chinese label, or `<label> (custom)` (as
/// an export writes it when the label is also a standard header). The second value says whether
/// the header carried that suffix, which outranks a standard column of the same name.
pub fn custom_field<'d>(header: &str, defs: &'d [CustomField]) -> Option<(&'d CustomField, bool)> {
    let h = norm(header);
    let (h, marked) = match h.strip_suffix(" (custom)") {
        Some(rest) => (rest.to_string(), true),
        None => (h, false),
    };
    defs.iter().find(|d| [&d.label_en, &d.label_zh].iter().any(|l| !l.is_empty() && norm(l) == h)).map(|d| (d, marked))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::FieldId;
    use crate::records::fields::{FieldKind, FieldScope};

    #[test]
    fn headers_name_custom_fields_by_either_label() {
        let field = |id: &str, en: &str, zh: &str| CustomField {
            id: FieldId(id.into()),
            scope: FieldScope::Both,
            kind: FieldKind::Text,
            label_en: en.into(),
            label_zh: zh.into(),
            options: vec![],
            position: 1,
        };
        let defs = [field("f1", "Industry", "行业"), field("f2", "Source", ""), field("f3", "", "预算")];
        let cases: &[(&str, Option<(&str, bool)>)] = &[
            ("\u{FEFF}  INDUSTRY ", Some(("f1", false))),
            ("行业", Some(("f1", false))),
            ("Source (custom)", Some(("f2", true))),
            ("预算", Some(("f3", false))),
            ("", None),
            ("Industry 2", None),
        ];
        for (header, want) in cases {
            assert_eq!(custom_field(header, &defs).map(|(d, m)| (d.id.0.as_str(), m)), *want, "{header:?}");
        }
    }
}
