//! Exact money: `rust_decimal` amounts in an ISO 4217 currency, never a float. An amount is
//! stored and sent over IPC as a decimal string with exactly its currency's minor units
//! (`1234.50` CNY, `1200` JPY, `1.250` KWD), so the UI, the PDF and the CLI print the same digits.
//!
//! The one rounding rule (README, "Money"): **half-up (half away from zero) to the currency's
//! minor units, per line** (see `totals.rs`).

use crate::error::Invalid;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

pub use rust_decimal::Decimal as Dec;

/// The largest unit price or amount accepted: a trillion, far above any quote and far below
/// where a product of quantity, price and percentages could overflow a `Decimal` (about 7.9e28).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// The largest quantity of a line.
pub const MAX_QUANTITY: i64 = 1_000_000_000;
/// Decimals a quantity or a percentage may have.
pub const QUANTITY_DECIMALS: u32 = 4;
pub const PERCENT_DECIMALS: u32 = 4;

/// An ISO 4217 currency that has minor units (not gold, not a fund code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// `cny`, ` CNY ` and `CNY` are the renminbi; anything not in ISO 4217 (or without minor
    /// units, like XAU) is refused.
    pub fn parse(code: &str) -> Result<Self, Invalid> {
        let code = code.trim().to_ascii_uppercase();
        match iso_currency::Currency::from_code(&code) {
            Some(c) if c.exponent().is_some() && !c.is_fund() => Ok(Currency(c)),
            _ => Err(Invalid::Currency { value: code }),
        }
    }

    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Digits after the decimal point: 2 for CNY and USD, 0 for JPY, 3 for KWD.
    pub fn minor_units(self) -> u32 {
        u32::from(self.0.exponent().unwrap_or(2))
    }

    /// The sign printed before an amount: `¥` for CNY and JPY, `$` for USD; the code for a
    /// currency whose symbol is a generic sign.
    pub fn symbol(self) -> String {
        let s = self.0.symbol().to_string();
        if s.is_empty() || s == "¤" {
            self.code().to_string()
        } else {
            s
        }
    }
}

/// Rounds half away from zero to `dp` decimals (the README's rule).
pub fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// A decimal typed by a person: `1234.5`, `1,234.50`, ` 12 `, full-width digits (`１２`). Thousands
/// separators must group by three; a comma as the decimal mark is refused rather than guessed.
pub fn parse_decimal(s: &str) -> Result<Decimal, Invalid> {
    let s: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            '－' => '-',
            c => c,
        })
        .collect();
    if s.is_empty() {
        return Err(Invalid::Required);
    }
    if s.contains(',') {
        let int = s.split('.').next().unwrap_or("");
        let int = int.strip_prefix('-').unwrap_or(int);
        let groups: Vec<&str> = int.split(',').collect();
        let grouped = groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
        if !grouped {
            return Err(Invalid::Number);
        }
    }
    let plain = s.replace(',', "");
    // Only digits, one point and a leading minus: no exponents, no `+`, no spaces inside.
    let body = plain.strip_prefix('-').unwrap_or(&plain);
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.') || body.matches('.').count() > 1 || body == "." {
        return Err(Invalid::Number);
    }
    Decimal::from_str(&plain).map(|d| d.normalize()).map_err(|_| Invalid::Number)
}

fn scale_of(d: Decimal) -> u32 {
    d.normalize().scale()
}

/// An amount of money in `cur`: not negative, not above [`MAX_AMOUNT`], and with no more
/// decimals than the currency has minor units (`12.345` CNY is refused, not rounded: a typo
/// must not change a price silently).
pub fn parse_amount(s: &str, cur: Currency) -> Result<Decimal, Invalid> {
    let d = parse_decimal(s)?;
    check_amount(d, cur)
}

pub fn check_amount(d: Decimal, cur: Currency) -> Result<Decimal, Invalid> {
    if d.is_sign_negative() && !d.is_zero() {
        return Err(Invalid::Negative);
    }
    if d > Decimal::from(MAX_AMOUNT) {
        return Err(Invalid::OutOfRange { min: 0, max: MAX_AMOUNT });
    }
    if scale_of(d) > cur.minor_units() {
        return Err(Invalid::Decimals { max: cur.minor_units(), currency: cur.code().to_string() });
    }
    Ok(d.normalize())
}

/// A line's quantity: above zero, at most [`MAX_QUANTITY`], four decimals at most.
pub fn parse_quantity(s: &str) -> Result<Decimal, Invalid> {
    let d = parse_decimal(s)?;
    if d <= Decimal::ZERO {
        return Err(Invalid::Positive);
    }
    if d > Decimal::from(MAX_QUANTITY) {
        return Err(Invalid::OutOfRange { min: 0, max: MAX_QUANTITY });
    }
    if scale_of(d) > QUANTITY_DECIMALS {
        return Err(Invalid::Decimals { max: QUANTITY_DECIMALS, currency: String::new() });
    }
    Ok(d.normalize())
}

/// A discount or tax rate in percent, 0 to 100 (`13`, `6.5`, `13%`); empty is 0.
pub fn parse_percent(s: &str) -> Result<Decimal, Invalid> {
    let t = s.trim().trim_end_matches(['%', '％']).trim();
    if t.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let d = parse_decimal(t)?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(Invalid::Negative);
    }
    if d > Decimal::ONE_HUNDRED {
        return Err(Invalid::OutOfRange { min: 0, max: 100 });
    }
    if scale_of(d) > PERCENT_DECIMALS {
        return Err(Invalid::Decimals { max: PERCENT_DECIMALS, currency: String::new() });
    }
    Ok(d.normalize())
}

/// The stored and wire form of an amount: exactly the currency's minor units, no grouping
/// (`1234.50`, `1200`). The amount must already be rounded to them.
pub fn fixed(d: Decimal, cur: Currency) -> String {
    let mut r = round(d, cur.minor_units());
    r.rescale(cur.minor_units());
    // "-0.00" would read as a refund.
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.to_string()
}

/// A quantity or percentage as stored: no trailing zeros (`1.5`, `13`).
pub fn plain(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".into()
    } else {
        n.to_string()
    }
}

/// An amount for people: grouped by thousands with the currency's sign (`¥1,234.50`,
/// `US$` is not used: `$1,234.50`).
pub fn display(d: Decimal, cur: Currency) -> String {
    let f = fixed(d, cur);
    let (sign, body) = match f.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", f.as_str()),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
    format!("{sign}{}{grouped}{frac}", cur.symbol())
}

/// A stored decimal read back; a value a newer or broken laptop wrote that does not parse reads
/// as zero rather than failing the whole page (and is logged).
pub fn stored(s: &str) -> Decimal {
    Decimal::from_str(s.trim()).unwrap_or_else(|_| {
        if !s.trim().is_empty() {
            log::warn!("sales: stored decimal {s:?} does not parse; read as 0");
        }
        Decimal::ZERO
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny() -> Currency {
        Currency::parse("CNY").unwrap()
    }

    #[test]
    fn currencies_have_their_iso_minor_units() {
        let cases = [("CNY", 2), ("usd", 2), ("JPY", 0), ("KWD", 3), (" eur ", 2), ("KRW", 0), ("BHD", 3)];
        for (code, units) in cases {
            assert_eq!(Currency::parse(code).unwrap().minor_units(), units, "{code}");
        }
        for bad in ["", "RMB", "XAU", "US", "€", "CNYY"] {
            assert!(matches!(Currency::parse(bad), Err(Invalid::Currency { .. })), "{bad}");
        }
        assert_eq!(Currency::parse("cny").unwrap().code(), "CNY");
        assert_eq!(cny().symbol(), "¥");
    }

    #[test]
    fn amounts_parse_exactly_or_are_refused_naming_why() {
        let jpy = Currency::parse("JPY").unwrap();
        let kwd = Currency::parse("KWD").unwrap();
        let ok = [
            ("1234.5", cny(), "1234.50"),
            ("1,234.50", cny(), "1234.50"),
            (" 12 ", cny(), "12.00"),
            ("１２．５", cny(), "12.50"),
            ("1200", jpy, "1200"),
            ("0.125", kwd, "0.125"),
            ("0", cny(), "0.00"),
            ("12.300", cny(), "12.30"),
        ];
        for (input, cur, want) in ok {
            assert_eq!(fixed(parse_amount(input, cur).unwrap(), cur), want, "{input}");
        }
        let bad: [(&str, Currency, Invalid); 9] = [
            ("12.345", cny(), Invalid::Decimals { max: 2, currency: "CNY".into() }),
            ("1.5", jpy, Invalid::Decimals { max: 0, currency: "JPY".into() }),
            ("-1", cny(), Invalid::Negative),
            ("1,5", cny(), Invalid::Number),
            ("12,34.5", cny(), Invalid::Number),
            ("1e5", cny(), Invalid::Number),
            ("abc", cny(), Invalid::Number),
            ("", cny(), Invalid::Required),
            ("1000000000001", cny(), Invalid::OutOfRange { min: 0, max: MAX_AMOUNT }),
        ];
        for (input, cur, want) in bad {
            assert_eq!(parse_amount(input, cur), Err(want), "{input}");
        }
    }

    #[test]
    fn quantities_and_percentages_have_their_bounds() {
        assert_eq!(plain(parse_quantity("1.50").unwrap()), "1.5");
        assert_eq!(parse_quantity("-2"), Err(Invalid::Positive));
        assert_eq!(parse_quantity("0"), Err(Invalid::Positive));
        assert_eq!(parse_quantity("1.00001"), Err(Invalid::Decimals { max: 4, currency: String::new() }));
        assert_eq!(plain(parse_percent("13%").unwrap()), "13");
        assert_eq!(plain(parse_percent("").unwrap()), "0");
        assert_eq!(plain(parse_percent("100").unwrap()), "100");
        assert_eq!(parse_percent("100.5"), Err(Invalid::OutOfRange { min: 0, max: 100 }));
        assert_eq!(parse_percent("-5"), Err(Invalid::Negative));
    }

    #[test]
    fn rounding_is_half_away_from_zero_and_display_groups_thousands() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let cases =
            [("0.125", 2, "0.13"), ("0.135", 2, "0.14"), ("0.124", 2, "0.12"), ("2.5", 0, "3"), ("3.5", 0, "4"), ("0.0005", 3, "0.001")];
        for (x, dp, want) in cases {
            assert_eq!(round(d(x), dp).to_string(), want, "{x}");
        }
        assert_eq!(display(d("1234567.5"), cny()), "¥1,234,567.50");
        assert_eq!(display(d("999"), cny()), "¥999.00");
        assert_eq!(display(d("1200"), Currency::parse("JPY").unwrap()), "¥1,200");
        assert_eq!(display(d("-0.001"), cny()), "¥0.00");
    }
}
