//! The team's sales settings: pipeline stages with their default probability, the reasons a deal
//! is lost, the company's letterhead, how quotes and contracts are numbered, the home currency
//! and the exchange rates the forecast converts with, the default validity and terms.
//!
//! Each part is one row of `sales_settings` (id = the part's key, value = JSON), so a stage list
//! changed on one laptop and the letterhead on another both survive sync. A part never written
//! reads as its default; a part written by a newer laptop that does not parse here reads as the
//! default too (logged), rather than breaking the sales pages.

use super::money::{self, Currency};
use crate::error::{CoreError, Invalid, Problems, Result};
use crate::store::{Store, Writer};
use base64::Engine;
use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use satchel_proto::tables::sales::SALES_SETTINGS;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A stage of the pipeline. `won` and `lost` always end it (they are added if missing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PipelineStage {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    /// Percent, 0-100: what a deal here is weighed by in the forecast unless it has its own.
    pub probability: u32,
}

pub const WON: &str = "won";
pub const LOST: &str = "lost";

/// The company printed at the top of quotes and contracts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct Letterhead {
    pub name: String,
    /// Address, phone, email, tax number: one printed line each.
    pub lines: Vec<String>,
    /// A PNG or JPEG, base64; empty for none.
    pub logo: String,
}

/// How document numbers are made (see `numbers.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct Numbering {
    pub quote_prefix: String,
    pub contract_prefix: String,
    /// Whether the year is part of the number (`Q-2026-0042`).
    pub year: bool,
    /// Digits of the running number, zero-padded.
    pub width: u32,
}

impl Default for Numbering {
    fn default() -> Self {
        Self { quote_prefix: "Q".into(), contract_prefix: "C".into(), year: true, width: 4 }
    }
}

/// One exchange rate: 1 unit of `currency` is `rate` units of the home currency, as of `date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeRate {
    pub currency: String,
    pub rate: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SalesSettings {
    pub stages: Vec<PipelineStage>,
    pub lost_reasons: Vec<String>,
    pub company: Letterhead,
    pub numbering: Numbering,
    pub home_currency: String,
    pub rates: Vec<ExchangeRate>,
    /// Days a quote stays valid unless the form says otherwise.
    pub validity_days: u32,
    /// Days before a sent quote expires to remind its owner.
    pub expiry_notice_days: u32,
    pub quote_terms: String,
    pub contract_terms: String,
}

fn stage(id: &str, en: &str, zh: &str, p: u32) -> PipelineStage {
    PipelineStage { id: id.into(), name_en: en.into(), name_zh: zh.into(), probability: p }
}

impl Default for SalesSettings {
    fn default() -> Self {
        Self {
            stages: vec![
                stage("qualify", "Qualify", "初步接洽", 10),
                stage("needs", "Needs analysis", "需求分析", 25),
                stage("proposal", "Proposal", "方案报价", 50),
                stage("negotiation", "Negotiation", "商务谈判", 75),
                stage(WON, "Won", "赢单", 100),
                stage(LOST, "Lost", "输单", 0),
            ],
            lost_reasons: vec!["Price 价格".into(), "Competitor 竞争对手".into(), "No budget 无预算".into(), "No decision 未决策".into()],
            company: Letterhead::default(),
            numbering: Numbering::default(),
            home_currency: "CNY".into(),
            rates: Vec::new(),
            validity_days: 30,
            expiry_notice_days: 3,
            quote_terms: "Prices are valid until the date above. 报价在上述有效期内有效。".into(),
            contract_terms: "Payment is due on the dates of the schedule below. 按下列付款计划付款。".into(),
        }
    }
}

/// The largest logo accepted: it travels in the settings row to every laptop.
pub const LOGO_MAX_BYTES: usize = 512 * 1024;

fn part<T: DeserializeOwned>(c: &rusqlite::Connection, key: &str, default: T) -> Result<T> {
    let raw: Option<String> = c
        .prepare_cached("SELECT value FROM sales_settings WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    Ok(match raw {
        Some(v) => serde_json::from_str(&v).unwrap_or_else(|e| {
            log::warn!("sales settings: {key} does not read here ({e}); using the default");
            default
        }),
        None => default,
    })
}

pub fn read_in(c: &rusqlite::Connection) -> Result<SalesSettings> {
    let d = SalesSettings::default();
    let mut s = SalesSettings {
        stages: part(c, "stages", d.stages)?,
        lost_reasons: part(c, "lost_reasons", d.lost_reasons)?,
        company: part(c, "company", d.company)?,
        numbering: part(c, "numbering", d.numbering)?,
        home_currency: part(c, "home_currency", d.home_currency)?,
        rates: part(c, "rates", d.rates)?,
        validity_days: part(c, "validity_days", d.validity_days)?,
        expiry_notice_days: part(c, "expiry_notice_days", d.expiry_notice_days)?,
        quote_terms: part(c, "quote_terms", d.quote_terms)?,
        contract_terms: part(c, "contract_terms", d.contract_terms)?,
    };
    with_ends(&mut s.stages);
    Ok(s)
}

pub fn read(store: &Store) -> Result<SalesSettings> {
    store.read(read_in)
}

/// `won` and `lost` end every pipeline, whatever a laptop wrote.
fn with_ends(stages: &mut Vec<PipelineStage>) {
    let d = SalesSettings::default().stages;
    for end in [WON, LOST] {
        if !stages.iter().any(|s| s.id == end) {
            stages.push(d.iter().find(|s| s.id == end).cloned().unwrap_or_else(|| stage(end, end, end, 0)));
        }
    }
    // Ends last, in that order.
    let (mut open, ends): (Vec<PipelineStage>, Vec<PipelineStage>) = stages.drain(..).partition(|s| s.id != WON && s.id != LOST);
    let mut ends = ends;
    ends.sort_by_key(|s| if s.id == WON { 0 } else { 1 });
    open.extend(ends);
    *stages = open;
}

/// Whether `bytes` are a PNG or a JPEG (by signature and a readable size), so a text file named
/// `logo.png` is refused when it is chosen, not when a quote is printed.
pub fn is_image(bytes: &[u8]) -> bool {
    let png = bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR" && {
        let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
        let h = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
        w > 0 && h > 0
    };
    let jpeg = bytes.len() > 4 && bytes.starts_with(&[0xFF, 0xD8, 0xFF]) && bytes.ends_with(&[0xFF, 0xD9]);
    png || jpeg
}

/// The logo's bytes (None when there is none or it does not decode).
pub fn logo_bytes(c: &Letterhead) -> Option<Vec<u8>> {
    if c.logo.is_empty() {
        return None;
    }
    base64::engine::general_purpose::STANDARD.decode(c.logo.as_bytes()).ok().filter(|b| is_image(b))
}

/// Sets a logo from a file's bytes (empty removes it).
pub fn logo_from_bytes(bytes: &[u8]) -> Result<String> {
    if bytes.is_empty() {
        return Ok(String::new());
    }
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(CoreError::invalid("logo", Invalid::TooLong { max: LOGO_MAX_BYTES }));
    }
    if !is_image(bytes) {
        return Err(CoreError::invalid("logo", Invalid::NotAnImage));
    }
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn clean(s: &SalesSettings) -> Result<SalesSettings> {
    let mut p = Problems::default();
    let mut out = s.clone();
    let mut seen = std::collections::HashSet::new();
    for (i, st) in out.stages.iter_mut().enumerate() {
        st.id = st.id.trim().to_lowercase();
        st.name_en = st.name_en.trim().to_string();
        st.name_zh = st.name_zh.trim().to_string();
        if st.id.is_empty() || !st.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            p.add(format!("stages.{i}.id"), Invalid::Required);
        } else if !seen.insert(st.id.clone()) {
            p.add(format!("stages.{i}.id"), Invalid::Duplicate);
        }
        if st.name_en.is_empty() && st.name_zh.is_empty() {
            p.add(format!("stages.{i}.name"), Invalid::Required);
        }
        if st.probability > 100 {
            p.add(format!("stages.{i}.probability"), Invalid::OutOfRange { min: 0, max: 100 });
        }
    }
    if out.stages.len() > 30 {
        p.add("stages", Invalid::TooMany { max: 30 });
    }
    out.lost_reasons = out.lost_reasons.iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
    match Currency::parse(&out.home_currency) {
        Ok(c) => out.home_currency = c.code().to_string(),
        Err(e) => p.add("homeCurrency", e),
    }
    for (i, r) in out.rates.iter_mut().enumerate() {
        match Currency::parse(&r.currency) {
            Ok(c) => r.currency = c.code().to_string(),
            Err(e) => p.add(format!("rates.{i}.currency"), e),
        }
        match money::parse_decimal(&r.rate) {
            Ok(d) if d > rust_decimal::Decimal::ZERO => r.rate = money::plain(d),
            Ok(_) => p.add(format!("rates.{i}.rate"), Invalid::Positive),
            Err(e) => p.add(format!("rates.{i}.rate"), e),
        }
        if chrono::NaiveDate::parse_from_str(r.date.trim(), "%Y-%m-%d").is_err() {
            p.add(format!("rates.{i}.date"), Invalid::Date);
        }
    }
    let n = &mut out.numbering;
    n.quote_prefix = n.quote_prefix.trim().to_string();
    n.contract_prefix = n.contract_prefix.trim().to_string();
    for (field, prefix) in [("numbering.quotePrefix", &n.quote_prefix), ("numbering.contractPrefix", &n.contract_prefix)] {
        if prefix.chars().count() > 12 {
            p.add(field, Invalid::TooLong { max: 12 });
        } else if prefix.chars().any(|c| c.is_whitespace() || c.is_ascii_digit()) {
            // A digit would run into the year or the running number when read out.
            p.add(field, Invalid::Number);
        }
    }
    if !(1..=8).contains(&n.width) {
        p.add("numbering.width", Invalid::OutOfRange { min: 1, max: 8 });
    }
    if !out.company.logo.is_empty() && logo_bytes(&out.company).is_none() {
        p.add("logo", Invalid::NotAnImage);
    }
    if out.validity_days == 0 || out.validity_days > 3650 {
        p.add("validityDays", Invalid::OutOfRange { min: 1, max: 3650 });
    }
    p.check()?;
    with_ends(&mut out.stages);
    Ok(out)
}

/// Saves the parts that differ from what is stored, each as its own row.
pub fn save(store: &Store, s: &SalesSettings) -> Result<SalesSettings> {
    let s = clean(s)?;
    store.write(|w| save_in(w, &s))?;
    Ok(s)
}

fn save_in(w: &mut Writer<'_>, s: &SalesSettings) -> Result<()> {
    let now = read_in(w.conn())?;
    let parts: [(&str, serde_json::Value, serde_json::Value); 10] = [
        ("stages", json(&s.stages)?, json(&now.stages)?),
        ("lost_reasons", json(&s.lost_reasons)?, json(&now.lost_reasons)?),
        ("company", json(&s.company)?, json(&now.company)?),
        ("numbering", json(&s.numbering)?, json(&now.numbering)?),
        ("home_currency", json(&s.home_currency)?, json(&now.home_currency)?),
        ("rates", json(&s.rates)?, json(&now.rates)?),
        ("validity_days", json(&s.validity_days)?, json(&now.validity_days)?),
        ("expiry_notice_days", json(&s.expiry_notice_days)?, json(&now.expiry_notice_days)?),
        ("quote_terms", json(&s.quote_terms)?, json(&now.quote_terms)?),
        ("contract_terms", json(&s.contract_terms)?, json(&now.contract_terms)?),
    ];
    for (key, new, old) in parts {
        if new == old {
            continue;
        }
        let value = vec![("value", Value::Text(new.to_string()))];
        match w.deleted_at(&SALES_SETTINGS, key)? {
            Some(_) => {
                w.update(&SALES_SETTINGS, key, &value)?;
            }
            None => w.insert(&SALES_SETTINGS, key, &value)?,
        }
    }
    Ok(())
}

fn json<T: Serialize>(v: &T) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| CoreError::Internal(e.to_string()))
}

impl SalesSettings {
    pub fn stage(&self, id: &str) -> Option<&PipelineStage> {
        self.stages.iter().find(|s| s.id == id)
    }

    pub fn home(&self) -> Currency {
        Currency::parse(&self.home_currency).unwrap_or_else(|_| Currency::parse("CNY").expect("CNY is ISO 4217"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn won_and_lost_end_every_pipeline() {
        let mut stages = vec![stage(LOST, "Lost", "输", 0), stage("a", "A", "甲", 20)];
        with_ends(&mut stages);
        let ids: Vec<&str> = stages.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", WON, LOST]);
    }

    #[test]
    fn only_pngs_and_jpegs_are_logos() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend([0, 0, 0, 4, 0, 0, 0, 2, 8, 6, 0, 0, 0]);
        assert!(is_image(&png));
        assert!(is_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0xFF, 0xD9]));
        assert!(!is_image(b"hello, I am a text file named logo.png"));
        assert!(!is_image(b"%PDF-1.7"));
        assert!(matches!(logo_from_bytes(b"GIF89a......"), Err(CoreError::Validation { reason: Invalid::NotAnImage, .. })));
    }
}
