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
