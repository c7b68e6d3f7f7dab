//! A quote's totals, a pure function of its lines (never stored: SYNC.md "totals are derived").
//!
//! The rule, the same in the UI, the PDF and the CLI because they all call this (README, "Money"):
//! 1. a line's net = quantity × unit price × (1 − line discount %), rounded half-up to the
//!    currency's minor units;
//! 2. subtotal = the sum of the line nets (so the lines always add up to it);
//! 3. quote discount = subtotal × quote discount %, rounded;
//! 4. a line's tax = its net × (1 − quote discount %) × its tax %, rounded per line;
//!    tax = the sum of the line taxes;
//! 5. total = subtotal − quote discount + tax.
//!
//! Each rounded figure is within half a minor unit of its exact value, so the total is within
//! 1.5 minor units per line plus half a unit of the exact total (a line's net rounding carries
//! through its tax, at most 100 %; then its tax's own rounding; then the discount's), tested
//! below against a model in exact fractions.

use super::money::round;
use rust_decimal::Decimal;

/// A line as the computation needs it (percentages 0-100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineIn {
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub tax_percent: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineOut {
    /// After the line's discount, before tax.
    pub net: Decimal,
    pub tax: Decimal,
}

/// The tax of one rate, for the totals block ("VAT 13 %: ¥130.00").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxBand {
    pub percent: Decimal,
    /// The nets after the quote discount that are taxed at this rate (exact, for showing).
    pub base: Decimal,
    pub tax: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub lines: Vec<LineOut>,
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
    /// One band per tax rate used, lowest rate first.
    pub bands: Vec<TaxBand>,
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// The totals of `lines` with a quote-level discount, rounded to `minor` decimals.
pub fn compute(lines: &[LineIn], quote_discount_percent: Decimal, minor: u32) -> Totals {
    let keep = (HUNDRED - quote_discount_percent) / HUNDRED;
    let mut out = Vec::with_capacity(lines.len());
    let mut bands: Vec<TaxBand> = Vec::new();
    for l in lines {
        let exact = l.quantity * l.unit_price * (HUNDRED - l.discount_percent) / HUNDRED;
        let net = round(exact, minor);
        let base = net * keep;
        let tax = round(base * l.tax_percent / HUNDRED, minor);
        out.push(LineOut { net, tax });
        match bands.iter_mut().find(|b| b.percent == l.tax_percent) {
            Some(b) => {
                b.base += base;
                b.tax += tax;
            }
            None => bands.push(TaxBand { percent: l.tax_percent, base, tax }),
        }
    }
    bands.sort_by(|a, b| a.percent.cmp(&b.percent));
    let subtotal: Decimal = out.iter().map(|l| l.net).sum();
    let discount = round(subtotal * quote_discount_percent / HUNDRED, minor);
    let tax: Decimal = out.iter().map(|l| l.tax).sum();
    Totals { lines: out, subtotal, discount, tax, total: subtotal - discount + tax, bands }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn line(q: &str, p: &str, disc: &str, tax: &str) -> LineIn {
        LineIn { quantity: d(q), unit_price: d(p), discount_percent: d(disc), tax_percent: d(tax) }
    }

    /// Worked examples, figured by hand.
    #[test]
    fn a_table_of_quotes_adds_up_as_the_readme_says() {
        struct Case {
            lines: Vec<LineIn>,
            discount: &'static str,
            minor: u32,
            nets: &'static [&'static str],
            subtotal: &'static str,
            less: &'static str,
            tax: &'static str,
            total: &'static str,
        }
        let cases = [
            // 3 chairs at 1,299.00 with 13 % VAT.
            Case {
                lines: vec![line("3", "1299", "0", "13")],
                discount: "0",
                minor: 2,
                nets: &["3897.00"],
                subtotal: "3897.00",
                less: "0.00",
                tax: "506.61",
                total: "4403.61",
            },
            // A line discount of 10 % and a quote discount of 5 %: tax on the discounted base.
            Case {
                lines: vec![line("2", "100", "10", "13"), line("1", "50", "0", "6")],
                discount: "5",
                minor: 2,
                nets: &["180.00", "50.00"],
                subtotal: "230.00",
                less: "11.50",
                tax: "25.08", // 180 × 0.95 × 0.13 = 22.23; 50 × 0.95 × 0.06 = 2.85
                total: "243.58",
            },
            // Half a cent rounds up: 0.333 × 1.5 = 0.4995 -> 0.50.
            Case {
                lines: vec![line("0.333", "1.5", "0", "0")],
                discount: "0",
                minor: 2,
                nets: &["0.50"],
                subtotal: "0.50",
                less: "0.00",
                tax: "0.00",
                total: "0.50",
            },
            // Yen has no minor units: 3 × 333 × 0.9 = 899.1 -> 899; tax 10 % = 89.9 -> 90.
            Case {
                lines: vec![line("3", "333", "10", "10")],
                discount: "0",
                minor: 0,
                nets: &["899"],
                subtotal: "899",
                less: "0",
                tax: "90",
                total: "989",
            },
            // Dinar has three: 1.5 × 0.125 = 0.1875 -> 0.188.
            Case {
                lines: vec![line("1.5", "0.125", "0", "0")],
                discount: "0",
                minor: 3,
                nets: &["0.188"],
                subtotal: "0.188",
                less: "0.000",
                tax: "0.000",
                total: "0.188",
            },
            // A 100 % discount leaves nothing to tax.
            Case {
                lines: vec![line("1", "99.99", "0", "13")],
                discount: "100",
                minor: 2,
                nets: &["99.99"],
                subtotal: "99.99",
                less: "99.99",
                tax: "0.00",
                total: "0.00",
            },
        ];
        for (i, c) in cases.iter().enumerate() {
            let t = compute(&c.lines, d(c.discount), c.minor);
            let s = |x: Decimal| {
                let mut x = x;
                x.rescale(c.minor);
                x.to_string()
            };
            let nets: Vec<String> = t.lines.iter().map(|l| s(l.net)).collect();
            assert_eq!(nets, c.nets, "case {i}");
            assert_eq!(
                (s(t.subtotal), s(t.discount), s(t.tax), s(t.total)),
                (c.subtotal.into(), c.less.into(), c.tax.into(), c.total.into()),
                "case {i}"
            );
        }
    }

    /// The model: exact rational arithmetic over i128 (numerator, denominator), written apart from
    /// `Decimal`, for the property below.
    #[derive(Clone, Copy, Debug)]
    struct Frac(i128, i128);

    impl Frac {
        fn of(d: Decimal) -> Frac {
            Frac(d.mantissa(), 10i128.pow(d.scale()))
        }
        fn mul(self, o: Frac) -> Frac {
            Frac(self.0 * o.0, self.1 * o.1).reduced()
        }
        fn add(self, o: Frac) -> Frac {
            // Over the least common denominator: the product of two would overflow i128.
            let d = self.1 / gcd(self.1, o.1) * o.1;
            Frac(self.0 * (d / self.1) + o.0 * (d / o.1), d).reduced()
        }
        fn neg(self) -> Frac {
            Frac(-self.0, self.1)
        }
        fn reduced(self) -> Frac {
            let g = gcd(self.0, self.1).max(1);
            Frac(self.0 / g, self.1 / g)
        }
        /// |self - d| × 10^minor × 2 <= limit (distance in half minor units).
        fn within(self, d: Decimal, minor: u32, half_units: i128) -> bool {
            let diff = self.add(Frac::of(d).neg());
            (diff.0.abs() * 10i128.pow(minor) * 2) <= half_units * diff.1
        }
    }

    fn gcd(a: i128, b: i128) -> i128 {
        if b == 0 {
            a.abs()
        } else {
            gcd(b, a % b)
        }
    }

    fn pct(p: Frac) -> Frac {
        Frac(p.0, p.1 * 100).reduced()
    }

    fn one_minus(p: Frac) -> Frac {
        Frac(1, 1).add(pct(p).neg())
    }

    prop_compose! {
        fn a_line(minor: u32)(q in 1i64..100_000, qs in 0u32..=3, p in 0i64..10_000_000, disc in 0i64..=1000, tax in 0i64..=1000) -> LineIn {
            LineIn {
                quantity: Decimal::new(q, qs),
                unit_price: Decimal::new(p, minor),
                discount_percent: Decimal::new(disc, 1),
                tax_percent: Decimal::new(tax, 1),
            }
        }
    }

    fn quote() -> impl Strategy<Value = (u32, Vec<LineIn>, Decimal)> {
        prop_oneof![Just(0u32), Just(2u32), Just(3u32)].prop_flat_map(|minor| {
            (Just(minor), prop::collection::vec(a_line(minor), 1..30), (0i64..=1000).prop_map(|x| Decimal::new(x, 1)))
        })
    }

    proptest! {
        #[test]
        fn totals_add_up_and_stay_within_the_stated_rounding((minor, lines, qd) in quote()) {
            let t = compute(&lines, qd, minor);
            // The lines sum to the subtotal, and the total is what the parts say.
            prop_assert_eq!(t.lines.iter().map(|l| l.net).sum::<Decimal>(), t.subtotal);
            prop_assert_eq!(t.subtotal - t.discount + t.tax, t.total);
            prop_assert_eq!(t.bands.iter().map(|b| b.tax).sum::<Decimal>(), t.tax);
            // Every figure has the currency's minor units at most.
            for x in t.lines.iter().flat_map(|l| [l.net, l.tax]).chain([t.subtotal, t.discount, t.tax, t.total]) {
                prop_assert!(x.normalize().scale() <= minor, "{} has more than {} decimals", x, minor);
            }
            // Against the exact model: each line within half a unit; the total within the
            // rounding of every line's net and tax and of the discount.
            let mut exact_total = Frac(0, 1);
            for (l, o) in lines.iter().zip(&t.lines) {
                let net = Frac::of(l.quantity).mul(Frac::of(l.unit_price)).mul(one_minus(Frac::of(l.discount_percent)));
                prop_assert!(net.within(o.net, minor, 1), "net {:?} vs {}", net, o.net);
                // Discounts and taxes in any order: the exact value does not depend on the order
                // the factors are applied in.
                let a = net.mul(one_minus(Frac::of(qd))).mul(Frac(1, 1).add(pct(Frac::of(l.tax_percent))));
                let b = Frac::of(l.quantity).mul(Frac(1, 1).add(pct(Frac::of(l.tax_percent)))).mul(one_minus(Frac::of(qd))).mul(Frac::of(l.unit_price)).mul(one_minus(Frac::of(l.discount_percent)));
                prop_assert!(a.within_frac(b));
                exact_total = exact_total.add(a);
            }
            let half_units = 3 * lines.len() as i128 + 1;
            prop_assert!(exact_total.within(t.total, minor, half_units), "total {} vs exact {:?}", t.total, exact_total);
        }
    }

    impl Frac {
        fn within_frac(self, o: Frac) -> bool {
            self.0 * o.1 == o.0 * self.1
        }
    }
}
