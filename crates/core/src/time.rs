//! Time helpers: the store keeps instants as UTC milliseconds or RFC 3339 text; the UI formats
//! them for the user's locale and time zone.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

pub fn rfc3339_ms(ms: u64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms as i64).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A date as people type it in spreadsheets and forms: `2026-03-05`, `2026/3/5`, `2026.3.5`,
/// `20260305`, `2026年3月5日`, and with `us_order` also `3/5/2026` (Outlook's export).
pub fn parse_loose_date(s: &str, us_order: bool) -> Option<NaiveDate> {
    let cleaned = s.trim().replace(['年', '月', '/', '.'], "-").replace('日', "");
    let formats: &[&str] = if us_order { &["%Y-%m-%d", "%Y%m%d", "%m-%d-%Y"] } else { &["%Y-%m-%d", "%Y%m%d"] };
    formats.iter().find_map(|f| NaiveDate::parse_from_str(&cleaned, f).ok())
}
