//! Time helpers: the store keeps instants as UTC milliseconds or RFC 3339 text; the UI formats
//! them for the user's locale and time zone.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

pub fn rfc3339_ms(ms: u64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms as i64).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    // The form's own `YYYY-MM-DD` without chrono's format parser (every saved birthday goes
    // through here); anything else, such as `2026-3-5`, takes the general path.
    if is_iso_date_shape(s) {
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
        return NaiveDate::from_ymd_opt(n(0..4)? as i32, n(5..7)?, n(8..10)?);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// `dddd-dd-dd`: a date already written the way Satchel stores dates.
pub fn is_iso_date_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
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
