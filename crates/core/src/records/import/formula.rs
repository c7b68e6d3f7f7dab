//! Cells a spreadsheet would run as a formula (issue 14, "CSV injection").
//!
//! Excel, WPS and LibreOffice treat a CSV cell that begins with `=`, `+`, `-` or `@` as a formula,
//! and tab or carriage return before one of those too (OWASP's list). A teammate could type
//! `=HYPERLINK("http://evil","click")` into a note, and whoever opened the export would get a
//! live link, or with `=cmd|' /C calc'!A0` an offer to start a program. The export therefore
//! writes such a cell with a single quote in front (`'=HYPERLINK(...)`): spreadsheets show it as
//! text, and [`unguard`] takes exactly that quote off again when the file is imported.
//!
//! **Phone numbers stay as typed.** A value made only of digits, spaces, `+`, `-`, `(` and `)`
//! (`+86 138 0013 8000`, `-1234`, `(021) 6234-5678`) is left alone: with no letter, no quote, no
//! `!`, `|` or `:` it can name no function, no other cell or sheet and no other program, so the
//! worst a spreadsheet can do with it is arithmetic on the screen (`+1-555-0100` shown as a
//! number), which changes nothing outside that cell. Quoting every `+86` phone would put a
//! visible `'` in front of most Chinese mobile numbers for that, and would change the CLI's
//! export, which scripts read, for ordinary data.
//!
//! **Export then import gives back every value** ([`guard`] and [`unguard`] are inverse): a value
//! that really begins with a quote before a trigger (`'=not a formula`, `''+86`) gets one more
//! quote, so "a quote the export added" and "a quote the user typed" never look alike. Imports of
//! other programs' files go through [`unguard`] too: a `'=...` cell there is most likely the same
//! defence, and the quote is not part of the value.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula (OWASP).
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn starts_with_trigger(s: &str) -> bool {
    s.starts_with(TRIGGERS)
}

/// A phone number as people type it: arithmetic at worst, never a call (see the module's note).
fn phone_like(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit()) && s.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'))
}

/// Whether the export writes `s` with a quote in front. Closed under "one more quote in front",
/// which is what makes [`unguard`] its exact inverse.
fn needs_quote(s: &str) -> bool {
    if s.starts_with('\'') {
        starts_with_trigger(s.trim_start_matches('\''))
    } else {
        starts_with_trigger(s) && !phone_like(s)
    }
}

/// The cell as the export writes it: `s`, or `'` + `s` when a spreadsheet would run `s`.
pub fn guard(s: &str) -> Cow<'_, str> {
    if needs_quote(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The value a cell of an export holds: the quote [`guard`] added taken off, anything else as it is.
pub fn unguard(cell: &str) -> Cow<'_, str> {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => Cow::Borrowed(rest),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_quoted_and_phones_and_plain_text_are_not() {
        let cases = [
            // What a teammate might type into a note or a name.
            ("=HYPERLINK(\"http://evil\",\"click\")", "'=HYPERLINK(\"http://evil\",\"click\")"),
            ("=1+1", "'=1+1"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("- buy milk", "'- buy milk"),
            ("+86 call after 6", "'+86 call after 6"),
            // Phones: left as typed.
            ("+86 138 0013 8000", "+86 138 0013 8000"),
            ("+86-138-0013-8000", "+86-138-0013-8000"),
            ("-1234", "-1234"),
            ("+1 (555) 010-0100", "+1 (555) 010-0100"),
            // Not starting with a trigger: unchanged.
            ("021-62345678", "021-62345678"),
            ("a=b", "a=b"),
            ("王小明", "王小明"),
            ("", ""),
            ("'quoted'", "'quoted'"),
            // Already beginning with a quote before a trigger: one more quote, so it comes back.
            ("'=not a formula", "''=not a formula"),
            ("'+86 138 0013 8000", "''+86 138 0013 8000"),
            ("''-x", "'''-x"),
            // Lone signs carry no digit: quoted (harmless either way, but not a phone).
            ("+", "'+"),
            ("-", "'-"),
        ];
        for (value, cell) in cases {
            assert_eq!(guard(value), cell, "{value:?}");
            assert_eq!(unguard(cell), value, "{cell:?}");
        }
    }

    #[test]
    fn a_quote_the_user_typed_before_plain_text_is_kept_on_import() {
        assert_eq!(unguard("'hello"), "'hello");
        assert_eq!(unguard("'+86 138 0013 8000"), "'+86 138 0013 8000", "not what the export writes for anything else");
    }

    proptest! {
        #[test]
        fn export_then_import_gives_back_any_string(
            prefix in proptest::collection::vec(prop_oneof![Just('\''), Just('='), Just('+'), Just('-'), Just('@'), Just('\t'), Just('\r'), Just(' '), Just('8')], 0..4),
            rest in ".{0,12}",
        ) {
            let value: String = prefix.into_iter().collect::<String>() + &rest;
            let cell = guard(&value);
            prop_assert_eq!(unguard(&cell), value.as_str());
            // What a spreadsheet sees first is never a trigger, unless the value is a phone number.
            prop_assert!(!starts_with_trigger(&cell) || phone_like(&cell), "{:?}", cell);
        }
    }
}
