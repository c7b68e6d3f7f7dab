//! What a customer record may hold. Pure: takes the form's input, returns it cleaned (trimmed,
//! empty rows dropped) or every problem found, each with the field it concerns. Checks that need the
//! database (does the company exist?) live in `repo`.

use super::{Address, ContactPoint, CustomerInput, CustomerKind};
use crate::error::{Invalid, Problems, Result};
use crate::time::{parse_date, today};

pub const NAME_MAX: usize = 200;
pub const SHORT_MAX: usize = 100;
pub const LABEL_MAX: usize = 40;
pub const NOTES_MAX: usize = 20_000;
pub const EMAIL_MAX: usize = 254;
pub const PHONE_MAX: usize = 40;
pub const ADDRESS_PART_MAX: usize = 200;
pub const TAG_MAX: usize = 40;
pub const TAGS_MAX: usize = 50;
pub const POINTS_MAX: usize = 20;

/// Whether a value fits `max` characters. The field is named by the caller only when it does
/// not: the names of list rows (`phones.2.value`) are formatted strings, not worth making for
/// every valid row.
fn len_ok(value: &str, max: usize) -> Result<(), Invalid> {
    // Bytes bound characters from above: most values are far below the limit and need no count.
    if value.len() > max && value.chars().count() > max {
        return Err(Invalid::TooLong { max });
    }
    Ok(())
}

pub fn is_valid_email(s: &str) -> bool {
    is_plain_email(s) || is_rfc_email(s)
}

/// RFC 5322 via email_address, plus what people mean by an address: a dot in the domain.
fn is_rfc_email(s: &str) -> bool {
    s.parse::<email_address::EmailAddress>().is_ok_and(|e| e.domain().contains('.') && !e.domain().ends_with('.'))
        && !s.contains(char::is_whitespace)
}

/// The shape nearly every address has (`wang.xm+crm@mail.example.cn`): letters, digits and
/// `._%+-` before the `@` (no dot first, last or twice), and after it two or more labels of
/// letters, digits and inner hyphens. Every such address passes the full check too (a property
/// test below holds this), which then runs only for the rest: parsing was half of what validating
/// a new customer cost.
fn is_plain_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    if local.is_empty() || local.len() > 64 || s.len() > 254 || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    if !local.bytes().all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b)) {
        return false;
    }
    let mut labels = 0;
    for label in domain.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return false;
        }
        labels += 1;
    }
    labels >= 2
}

/// Splits an extension off a phone number as people write one: `转` or `分机` (Chinese offices'
/// "transfer to"), `ext`, `ext.`, `extension`, `x` or `#`, then its digits. Returns the number and
/// the extension as typed after its marker (`None` without a marker). The value is stored as
/// typed; duplicate checks compare the number alone.
pub fn split_extension(s: &str) -> (&str, Option<&str>) {
    const MARKERS: [&str; 7] = ["分机", "转", "extension", "ext.", "ext", "x", "#"];
    // ASCII lower-casing keeps every byte offset, so positions found in it are positions in `s`.
    let lower = s.to_ascii_lowercase();
    let found = MARKERS.iter().filter_map(|m| lower.find(m).map(|at| (at, std::cmp::Reverse(m.len())))).min();
    match found {
        None => (s, None),
        Some((at, std::cmp::Reverse(len))) => (s[..at].trim_end(), Some(s[at + len..].trim_start_matches(['.', ':', '：', ' ']).trim())),
    }
}

/// Digits plus the separators people type (`+86 138-0013-8000`, `(021) 6234 5678`), and perhaps
/// an extension of up to 8 digits (`ext. 12`, `x12`, `#12`, `转 8001`).
pub fn is_valid_phone(s: &str) -> bool {
    let (main, ext) = split_extension(s);
    let ext_ok = ext.is_none_or(|e| (1..=8).contains(&e.len()) && e.chars().all(|c| c.is_ascii_digit()));
    let chars_ok = main.chars().all(|c| c.is_ascii_digit() || " +-().-/".contains(c));
    let plus_ok = main.trim_start().chars().skip(1).all(|c| c != '+');
    let digits = main.chars().filter(char::is_ascii_digit).count();
    ext_ok && chars_ok && plus_ok && (5..=20).contains(&digits)
}

/// Only the digits of a phone number: what search compares.
pub fn phone_digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A phone number as duplicate checks compare it: digits only, an international `00` prefix
/// dropped, and China's country code folded into the national form (+86 138-0013-8000 is
/// 13800138000; +86 21 6234 5678 is 021-62345678). Other countries' codes are kept as typed:
/// an 11-digit number starting with 1 is a Chinese mobile as often as a North American number.
pub fn normalize_phone(s: &str) -> String {
    // The number without its extension: two people at one switchboard share it.
    let digits = phone_digits(split_extension(s).0);
    let digits = digits.strip_prefix("00").unwrap_or(&digits);
    match digits.strip_prefix("86") {
        Some(national) if national.len() == 11 && national.starts_with('1') => national.to_string(),
        Some(national) if (9..=11).contains(&national.len()) && !national.starts_with('0') => format!("0{national}"),
        _ => digits.to_string(),
    }
}

/// Trims in place, copying only when there is something to trim (rarely: forms trim as you go).
fn trim(s: &mut String) {
    let t = s.trim();
    if t.len() != s.len() {
        *s = t.to_string();
    }
}

fn clean_points(
    p: &mut Problems,
    field: &str,
    points: Vec<ContactPoint>,
    check: fn(&str) -> bool,
    bad: Invalid,
    max: usize,
) -> Vec<ContactPoint> {
    if points.len() > POINTS_MAX {
        p.add(field, Invalid::TooMany { max: POINTS_MAX });
    }
    let mut out = Vec::with_capacity(points.len());
    for (i, mut point) in points.into_iter().enumerate() {
        trim(&mut point.value);
        trim(&mut point.label);
        if point.value.is_empty() && point.label.is_empty() {
            continue; // an empty row the form left behind
        }
        if point.value.is_empty() {
            p.add(format!("{field}.{i}.value"), Invalid::Required);
        } else if let Err(reason) = len_ok(&point.value, max) {
            p.add(format!("{field}.{i}.value"), reason);
        } else if !check(&point.value) {
            p.add(format!("{field}.{i}.value"), bad.clone());
        }
        if let Err(reason) = len_ok(&point.label, LABEL_MAX) {
            p.add(format!("{field}.{i}.label"), reason);
        }
        out.push(point);
    }
    out
}

fn clean_addresses(p: &mut Problems, addresses: Vec<Address>) -> Vec<Address> {
    if addresses.len() > POINTS_MAX {
        p.add("addresses", Invalid::TooMany { max: POINTS_MAX });
    }
    let mut out = Vec::with_capacity(addresses.len());
    for (i, mut a) in addresses.into_iter().enumerate() {
        for part in [&mut a.label, &mut a.street, &mut a.city, &mut a.region, &mut a.postal_code, &mut a.country] {
            trim(part);
        }
        let parts =
            [("street", &a.street), ("city", &a.city), ("region", &a.region), ("postalCode", &a.postal_code), ("country", &a.country)];
        if parts.iter().all(|(_, v)| v.is_empty()) {
            continue;
        }
        for (name, v) in [("label", &a.label)].into_iter().chain(parts) {
            let max = if name == "label" { LABEL_MAX } else { ADDRESS_PART_MAX };
            if let Err(reason) = len_ok(v, max) {
                p.add(format!("addresses.{i}.{name}"), reason);
            }
        }
        out.push(a);
    }
    out
}

/// Cleans and checks a customer form. Every problem found is returned (the first, in the
/// form's order, as the error's field), so a form marks all its bad fields at once.
pub fn validate(input: &CustomerInput) -> Result<CustomerInput> {
    validate_owned(input.clone())
}

/// [`validate`] taking the form: what it cleans is cleaned in place, so a form that is already
/// clean (most are) is checked without copying a single string.
pub fn validate_owned(v: CustomerInput) -> Result<CustomerInput> {
    let mut p = Problems::default();
    let v = clean(v, &mut p);
    p.check()?;
    Ok(v)
}

/// Cleans a form, noting each problem in `p` and going on, so that checks needing the store
/// (custom values, the company) can add theirs before the save is refused with all of them.
pub fn clean(mut v: CustomerInput, p: &mut Problems) -> CustomerInput {
    trim(&mut v.name);
    if v.name.is_empty() {
        p.add("name", Invalid::Required);
    }
    let short = |p: &mut Problems, field: &str, value: &mut String, max: usize| {
        trim(value);
        if let Err(reason) = len_ok(value, max) {
            p.add(field, reason);
        }
    };
    if let Err(reason) = len_ok(&v.name, NAME_MAX) {
        p.add("name", reason);
    }
    if v.kind == CustomerKind::Company && v.company_id.is_some() {
        p.add("companyId", Invalid::OnlyPeopleHaveACompany);
    }
    short(p, "owner", &mut v.owner, SHORT_MAX);
    short(p, "source", &mut v.source, SHORT_MAX);
    short(p, "jobTitle", &mut v.job_title, SHORT_MAX);
    short(p, "department", &mut v.department, SHORT_MAX);
    let kept = v.notes.trim_end().len();
    v.notes.truncate(kept);
    if let Err(reason) = len_ok(&v.notes, NOTES_MAX) {
        p.add("notes", reason);
    }
    v.birthday = match v.birthday.take().map(|mut b| {
        trim(&mut b);
        b
    }) {
        None => None,
        Some(b) if b.is_empty() => None,
        Some(b) => match parse_date(&b) {
            None => {
                p.add("birthday", Invalid::Date);
                Some(b)
            }
            Some(d) if d > today() => {
                p.add("birthday", Invalid::FutureDate);
                Some(b)
            }
            // Stored as YYYY-MM-DD: what was typed when it already is, else formatted.
            Some(d) => Some(if crate::time::is_iso_date_shape(&b) { b } else { d.format("%Y-%m-%d").to_string() }),
        },
    };
    if v.tags.len() > TAGS_MAX {
        p.add("tags", Invalid::TooMany { max: TAGS_MAX });
    }
    let mut tags: Vec<String> = Vec::with_capacity(v.tags.len());
    for (i, mut t) in std::mem::take(&mut v.tags).into_iter().enumerate() {
        trim(&mut t);
        if t.is_empty() {
            continue;
        }
        if let Err(reason) = len_ok(&t, TAG_MAX) {
            p.add(format!("tags.{i}"), reason);
        }
        // Tags are a set: "VIP" twice is one tag, silently.
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    v.tags = tags;
    v.phones = clean_points(p, "phones", std::mem::take(&mut v.phones), is_valid_phone, Invalid::Phone, PHONE_MAX);
    v.emails = clean_points(p, "emails", std::mem::take(&mut v.emails), is_valid_email, Invalid::Email, EMAIL_MAX);
    v.addresses = clean_addresses(p, std::mem::take(&mut v.addresses));
    // Custom values are checked against the field definitions by `fields::clean_values`, which
    // needs the store.
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::CustomerKind;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The fast path never accepts what the full check refuses: near misses, and addresses of
        /// the plain shape with every separator in every place.
        #[test]
        fn a_plain_looking_address_passes_the_full_check(
            s in "[a-zA-Z0-9._%+-]{0,70}@[a-zA-Z0-9.-]{0,70}|[a-z0-9.@%+-]{0,16}|[a-z0-9]{1,10}([._%+-]{1,2}[a-zA-Z0-9]{0,10}){0,3}@[a-z0-9-]{1,12}(\\.[a-z0-9-]{0,10}){1,3}"
        ) {
            if is_plain_email(&s) {
                proptest::prop_assert!(is_rfc_email(&s), "{s}");
            }
        }
    }

    #[test]
    fn addresses_people_type() {
        for ok in ["wang@example.cn", "wang.xm+crm@mail.example.com.cn", "a_b%c-d@x-y.io", "李@例子.中国"] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "wang",
            "wang@",
            "@example.cn",
            "wang@localhost",
            "wang@example.",
            "wang..xm@example.cn",
            "wang @example.cn",
            ".wang@example.cn",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
        assert!(is_plain_email("wang.xm+crm@mail.example.com.cn"));
        assert!(!is_plain_email("李@例子.中国"), "left to the full check");
    }

    fn person(name: &str) -> CustomerInput {
        CustomerInput::named(CustomerKind::Person, name)
    }

    fn point(v: &str) -> ContactPoint {
        ContactPoint { id: None, label: "Work".into(), value: v.into() }
    }

    fn field_of(r: Result<CustomerInput>) -> Option<String> {
        r.err().and_then(|e| e.field().map(str::to_string))
    }

    #[test]
    fn emails_are_judged_like_a_person_would() {
        for ok in ["a@example.com", "张三@例子.中国", "first.last+tag@sub.example.co.uk"] {
            assert!(is_valid_email(ok), "{ok} should be valid");
        }
        for bad in ["", "plainaddress", "a@b", "a @example.com", "@example.com", "a@example.", "a@@example.com"] {
            assert!(!is_valid_email(bad), "{bad} should be refused");
        }
    }

    #[test]
    fn phones_accept_common_writing_and_refuse_letters() {
        for ok in ["+86 138-0013-8000", "13800138000", "(021) 6234 5678", "021-62345678 ext. 12", "+1 (555) 010-9999 x7"] {
            assert!(is_valid_phone(ok), "{ok} should be valid");
        }
        for bad in ["abc", "123", "+86 138 0013 8000 1234 5678 9", "12+345678", "138-0013-800O"] {
            assert!(!is_valid_phone(bad), "{bad} should be refused");
        }
        assert_eq!(phone_digits("+86 138-0013-8000"), "8613800138000");
    }

    #[test]
    fn extensions_are_split_off_as_people_write_them() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("0755 8888 9999 转 8001", "0755 8888 9999", Some("8001")),
            ("0755-88889999转8001", "0755-88889999", Some("8001")),
            ("021-62345678 分机 12", "021-62345678", Some("12")),
            ("021-62345678 ext. 12", "021-62345678", Some("12")),
            ("021-62345678 EXT 12", "021-62345678", Some("12")),
            ("+1 (555) 010-9999 extension 7", "+1 (555) 010-9999", Some("7")),
            ("+1 (555) 010-9999 x7", "+1 (555) 010-9999", Some("7")),
            ("62345678#12", "62345678", Some("12")),
            ("13800138000", "13800138000", None),
        ];
        for (typed, number, ext) in cases {
            assert_eq!(split_extension(typed), (*number, *ext), "{typed}");
            assert!(is_valid_phone(typed), "{typed} should be valid");
        }
        for bad in ["021-62345678 x", "021-62345678 转 分机", "021-62345678 ext 123456789", "021 x 62345678"] {
            assert!(!is_valid_phone(bad), "{bad} should be refused");
        }
        assert_eq!(normalize_phone("0755 8888 9999 转 8001"), normalize_phone("+86 755 8888 9999"));
        assert_eq!(normalize_phone("021-62345678 ext. 12"), normalize_phone("021 6234 5678 #13"), "the number, not the extension");
    }

    #[test]
    fn phones_that_are_the_same_number_normalise_alike() {
        let same = [
            ("+86 138-0013-8000", "13800138000"),
            ("0086 13800138000", "138 0013 8000"),
            ("+86 21 6234 5678", "021-62345678"),
            ("(021) 6234 5678", "+86-21-62345678"),
        ];
        for (a, b) in same {
            assert_eq!(normalize_phone(a), normalize_phone(b), "{a} = {b}");
        }
        assert_ne!(normalize_phone("+1 555 010 9999"), normalize_phone("13800138000"));
    }

    #[test]
    fn each_bad_value_is_reported_on_its_own_field() {
        let cases: Vec<(CustomerInput, &str)> = vec![
            (person("   "), "name"),
            (person(&"长".repeat(NAME_MAX + 1)), "name"),
            (CustomerInput { emails: vec![point("a@example.com"), point("nope")], ..person("A") }, "emails.1.value"),
            (CustomerInput { phones: vec![point("call me")], ..person("A") }, "phones.0.value"),
            (CustomerInput { birthday: Some("2020-02-30".into()), ..person("A") }, "birthday"),
            (CustomerInput { birthday: Some("2999-01-01".into()), ..person("A") }, "birthday"),
            (CustomerInput { owner: "x".repeat(SHORT_MAX + 1), ..person("A") }, "owner"),
            (CustomerInput { tags: vec!["ok".into(), "t".repeat(TAG_MAX + 1)], ..person("A") }, "tags.1"),
            (
                CustomerInput { company_id: Some(crate::ids::CustomerId::new()), ..CustomerInput::named(CustomerKind::Company, "Co") },
                "companyId",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(field_of(validate(&input)).as_deref(), Some(want), "input {:?}", input.name);
        }
    }

    /// A form with several bad fields is refused naming all of them, in the form's order, so
    /// the user fixes them in one go instead of one save at a time.
    #[test]
    fn every_bad_field_is_reported_at_once_in_form_order() {
        let input = CustomerInput {
            emails: vec![point("nope"), point("ok@example.com"), point("also nope")],
            phones: vec![point("call me")],
            birthday: Some("2020-02-30".into()),
            tags: vec!["t".repeat(TAG_MAX + 1)],
            addresses: vec![Address { city: "长".repeat(ADDRESS_PART_MAX + 1), ..Default::default() }],
            ..person("  ")
        };
        let e = validate(&input).unwrap_err();
        let fields: Vec<&str> = e.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["name", "birthday", "tags.0", "phones.0.value", "emails.0.value", "emails.2.value", "addresses.0.city"],);
        assert_eq!(e.field(), Some("name"), "the first stays the error's own field");
        let app = e.to_app(crate::i18n::Locale::En);
        assert_eq!(app.fields.len(), 7);
        assert!(app.fields[4].message.starts_with("Email 1"), "{}", app.fields[4].message);
        assert_eq!(app.fields[6].reason, "invalid.tooLong");
        assert_eq!(app.fields[6].params.get("max").map(String::as_str), Some("200"));
    }

    #[test]
    fn cleaning_trims_drops_blank_rows_and_dedupes_tags() {
        let input = CustomerInput {
            tags: vec![" VIP ".into(), "VIP".into(), "".into(), "重点".into()],
            phones: vec![point(" 13800138000 "), ContactPoint { id: None, label: " ".into(), value: "".into() }],
            birthday: Some(" 1990-05-01 ".into()),
            ..person("  王小明  ")
        };
        let out = validate(&input).unwrap();
        assert_eq!(out.name, "王小明");
        assert_eq!(out.tags, vec!["VIP", "重点"]);
        assert_eq!(out.phones.len(), 1);
        assert_eq!(out.phones[0].value, "13800138000");
        assert_eq!(out.birthday.as_deref(), Some("1990-05-01"));
    }
}
