//! The pipeline's two views over loaded deals, pure: the kanban (deals by stage, with counts and
//! sums per currency) and the weighted forecast (amount × probability, by close month and owner,
//! per currency, and in the home currency where the team keeps a rate).

use super::money::{self, Currency};
use super::settings::{ExchangeRate, PipelineStage, LOST, WON};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A deal as the views need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deal {
    pub id: String,
    pub title: String,
    pub customer_id: String,
    pub customer_name: String,
    pub owner: String,
    pub stage: String,
    pub amount: Decimal,
    pub currency: String,
    /// Its own probability, or its stage's (already resolved).
    pub probability: u32,
    /// `YYYY-MM-DD`, or empty.
    pub expected_close: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DealCard {
    pub id: String,
    pub title: String,
    pub customer_name: String,
    pub owner: String,
    pub amount: String,
    pub currency: String,
    pub probability: u32,
    pub expected_close: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MoneySum {
    pub currency: String,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BoardColumn {
    pub stage: PipelineStage,
    pub count: u32,
    /// The stage's deals' amounts, per currency (never added across currencies).
    pub sums: Vec<MoneySum>,
    /// The first deals by expected close (the column shows these; the rest are counted).
    pub cards: Vec<DealCard>,
}

pub fn card(d: &Deal) -> DealCard {
    let cur = Currency::parse(&d.currency).ok();
    DealCard {
        id: d.id.clone(),
        title: d.title.clone(),
        customer_name: d.customer_name.clone(),
        owner: d.owner.clone(),
        amount: cur.map(|c| money::fixed(d.amount, c)).unwrap_or_else(|| d.amount.to_string()),
        currency: d.currency.clone(),
        probability: d.probability,
        expected_close: d.expected_close.clone(),
    }
}

fn sums(map: BTreeMap<String, Decimal>) -> Vec<MoneySum> {
    map.into_iter()
        .map(|(currency, amount)| MoneySum {
            amount: Currency::parse(&currency).map(|c| money::fixed(amount, c)).unwrap_or_else(|_| amount.to_string()),
            currency,
        })
        .collect()
}

/// One column per stage, in the pipeline's order; a deal at a stage the pipeline no longer has
/// goes to the first stage, so no deal disappears from the board.
pub fn kanban(deals: &[Deal], stages: &[PipelineStage], per_column: usize) -> Vec<BoardColumn> {
    let first = stages.first().map(|s| s.id.as_str()).unwrap_or("");
    let mut by_stage: BTreeMap<&str, Vec<&Deal>> = BTreeMap::new();
    for d in deals {
        let s = if stages.iter().any(|s| s.id == d.stage) { d.stage.as_str() } else { first };
        by_stage.entry(s).or_default().push(d);
    }
    stages
        .iter()
        .map(|s| {
            let mut list = by_stage.remove(s.id.as_str()).unwrap_or_default();
            // Soonest close first; deals without a date last; then by title for a stable order.
            list.sort_by(|a, b| {
                (a.expected_close.is_empty(), &a.expected_close, &a.title, &a.id).cmp(&(
                    b.expected_close.is_empty(),
                    &b.expected_close,
                    &b.title,
                    &b.id,
                ))
            });
            let mut total: BTreeMap<String, Decimal> = BTreeMap::new();
            for d in &list {
                *total.entry(d.currency.clone()).or_default() += d.amount;
            }
            BoardColumn {
                stage: s.clone(),
                count: list.len() as u32,
                sums: sums(total),
                cards: list.iter().take(per_column).map(|d| card(d)).collect(),
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ForecastRow {
    /// `YYYY-MM`, or empty for deals without an expected close.
    pub month: String,
    pub owner: String,
    pub currency: String,
    pub deals: u32,
    /// The open deals' amounts.
    pub pipeline: String,
    /// Σ amount × probability.
    pub weighted: String,
    /// `weighted` in the home currency, when the team has a rate for this currency (or it is the
    /// home currency); empty otherwise.
    pub weighted_home: String,
    /// The date of the rate used, empty when none was needed or known.
    pub rate_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Forecast {
    pub home_currency: String,
    pub rows: Vec<ForecastRow>,
    /// Per month, every owner and currency with a rate, in the home currency.
    pub months: Vec<MoneySum>,
    /// Currencies with open deals but no rate: their rows have no home amount.
    pub missing_rates: Vec<String>,
}

/// The weighted forecast of the open deals (not won, not lost).
pub fn forecast(deals: &[Deal], home: Currency, rates: &[ExchangeRate]) -> Forecast {
    let mut groups: BTreeMap<(String, String, String), (u32, Decimal, Decimal)> = BTreeMap::new();
    for d in deals.iter().filter(|d| d.stage != WON && d.stage != LOST) {
        let month = d.expected_close.get(..7).unwrap_or("").to_string();
        let g = groups.entry((month, d.owner.clone(), d.currency.clone())).or_default();
        g.0 += 1;
        g.1 += d.amount;
        g.2 += d.amount * Decimal::from(d.probability) / Decimal::ONE_HUNDRED;
    }
    let rate_of = |cur: &str| -> Option<(Decimal, String)> {
        if cur == home.code() {
            return Some((Decimal::ONE, String::new()));
        }
        rates.iter().find(|r| r.currency == cur).map(|r| (money::stored(&r.rate), r.date.clone()))
    };
    let mut months: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut missing: Vec<String> = Vec::new();
    let rows = groups
        .into_iter()
        .map(|((month, owner, currency), (n, pipeline, weighted))| {
            let cur = Currency::parse(&currency).ok();
            let fmt = |x: Decimal| cur.map(|c| money::fixed(x, c)).unwrap_or_else(|| x.round_dp(2).to_string());
            let (weighted_home, rate_date) = match rate_of(&currency) {
                Some((rate, date)) => {
                    let h = money::round(weighted * rate, home.minor_units());
                    *months.entry(month.clone()).or_default() += h;
                    (money::fixed(h, home), date)
                }
                None => {
                    if !missing.contains(&currency) {
                        missing.push(currency.clone());
                    }
                    (String::new(), String::new())
                }
            };
            ForecastRow { month, owner, currency, deals: n, pipeline: fmt(pipeline), weighted: fmt(weighted), weighted_home, rate_date }
        })
        .collect();
    missing.sort();
    Forecast {
        home_currency: home.code().to_string(),
        rows,
        months: months.into_iter().map(|(m, a)| MoneySum { currency: m, amount: money::fixed(a, home) }).collect(),
        missing_rates: missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sales::settings::SalesSettings;
    use std::str::FromStr;

    fn deal(id: &str, stage: &str, amount: &str, cur: &str, p: u32, close: &str, owner: &str) -> Deal {
        Deal {
            id: id.into(),
            title: id.into(),
            customer_id: String::new(),
            customer_name: String::new(),
            owner: owner.into(),
            stage: stage.into(),
            amount: Decimal::from_str(amount).unwrap(),
            currency: cur.into(),
            probability: p,
            expected_close: close.into(),
        }
    }

    #[test]
    fn the_board_counts_every_deal_once_and_never_adds_currencies() {
        let stages = SalesSettings::default().stages;
        let deals = [
            deal("a", "proposal", "100.50", "CNY", 50, "2026-12-20", "ana"),
            deal("b", "proposal", "200", "USD", 50, "2026-12-01", "ana"),
            deal("c", "proposal", "99.50", "CNY", 50, "", "bo"),
            deal("d", "gone-stage", "1", "CNY", 10, "2027-01-01", "bo"),
            deal("e", "won", "5000", "CNY", 100, "2026-11-01", "bo"),
        ];
        let board = kanban(&deals, &stages, 2);
        assert_eq!(board.iter().map(|c| c.count).sum::<u32>(), 5);
        let proposal = board.iter().find(|c| c.stage.id == "proposal").unwrap();
        assert_eq!(proposal.count, 3);
        assert_eq!(proposal.cards.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(
            proposal.sums,
            vec![
                MoneySum { currency: "CNY".into(), amount: "200.00".into() },
                MoneySum { currency: "USD".into(), amount: "200.00".into() }
            ]
        );
        // A stage the pipeline lost: the deal shows in the first column.
        assert_eq!(board[0].cards[0].id, "d");
    }

    #[test]
    fn the_forecast_weighs_open_deals_by_month_owner_and_currency() {
        let deals = [
            deal("a", "proposal", "1000", "CNY", 50, "2026-12-20", "ana"),
            deal("b", "negotiation", "300", "CNY", 75, "2026-12-02", "ana"),
            deal("c", "proposal", "200", "USD", 50, "2026-12-01", "ana"),
            deal("d", "qualify", "100", "EUR", 10, "2027-01-05", "bo"),
            deal("e", "won", "9999", "CNY", 100, "2026-12-01", "ana"),
            deal("f", "lost", "9999", "CNY", 0, "2026-12-01", "ana"),
        ];
        let rates = [ExchangeRate { currency: "USD".into(), rate: "7.1".into(), date: "2026-12-01".into() }];
        let f = forecast(&deals, Currency::parse("CNY").unwrap(), &rates);
        let row = |m: &str, o: &str, c: &str| f.rows.iter().find(|r| r.month == m && r.owner == o && r.currency == c).unwrap().clone();
        let cny = row("2026-12", "ana", "CNY");
        assert_eq!(
            (cny.deals, cny.pipeline.as_str(), cny.weighted.as_str(), cny.weighted_home.as_str()),
            (2, "1300.00", "725.00", "725.00")
        );
        let usd = row("2026-12", "ana", "USD");
        assert_eq!((usd.weighted.as_str(), usd.weighted_home.as_str(), usd.rate_date.as_str()), ("100.00", "710.00", "2026-12-01"));
        let eur = row("2027-01", "bo", "EUR");
        assert_eq!((eur.weighted.as_str(), eur.weighted_home.as_str()), ("10.00", ""));
        assert_eq!(f.missing_rates, ["EUR"]);
        assert_eq!(f.months, vec![MoneySum { currency: "2026-12".into(), amount: "1435.00".into() }]);
        assert_eq!(f.rows.len(), 3, "won and lost deals are not forecast");
    }
}
