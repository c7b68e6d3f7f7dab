//! Quote and contract numbers that people can say on the phone and that stay unique when several
//! laptops make documents offline.
//!
//! The rule (README, "Numbers"): **a per-laptop series**. A number is
//! `<prefix>-<year>-<series><running number>` (`Q-2026-0042`, `Q-2026-B0042`), the year and the
//! width as the team's numbering settings say. `<series>` is this laptop's letter code: empty on
//! a book that has never joined a team (one laptop, so nothing to clash with), and once it joins,
//! the code the sync server handed it at login (A, B, ..., Z, AA, ...; the server never hands the
//! same code twice). The running number is one more than the highest this series has used for
//! that prefix and year, counted over every version, the trash included, so no number is ever
//! reused. Two laptops never share a series, so they never make the same number, with or without
//! a network; a sync property test makes quotes on several laptops offline and checks.
//!
//! A revision keeps its quote's number and takes the next version. Two laptops may revise the
//! same quote offline; each version records the series that made it, and one made by a series
//! other than the number's own prints with that series (`v2-B`), so both versions survive and
//! read apart.

use rusqlite::Connection;

/// Where this laptop's series code is kept (local `meta`, never synced: it is this book's).
pub const SERIES_META: &str = "sales.series";

/// `1 -> A`, `26 -> Z`, `27 -> AA`: the letters for the server's n-th series.
pub fn series_code(n: u64) -> String {
    let mut n = n;
    let mut out = Vec::new();
    while n > 0 {
        let d = ((n - 1) % 26) as u8;
        out.push(b'A' + d);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// What every number of one series in one year starts with: `Q-2026-B`.
pub fn stem(prefix: &str, year: Option<i32>, series: &str) -> String {
    let mut s = String::new();
    if !prefix.is_empty() {
        s.push_str(prefix);
        s.push('-');
    }
    if let Some(y) = year {
        s.push_str(&y.to_string());
        s.push('-');
    }
    s.push_str(series);
    s
}

/// The number after `used` (the running numbers this stem has used), zero-padded to `width`.
pub fn format(stem: &str, running: u64, width: u32) -> String {
    format!("{stem}{running:0width$}", width = width as usize)
}

/// The running number of `number` if it belongs to `stem` (its rest is digits only).
pub fn running_of(stem: &str, number: &str) -> Option<u64> {
    let rest = number.strip_prefix(stem)?;
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

/// The series code inside a number made by [`format`] from `stem`'s parts: the capital letters
/// between the stem's prefix-and-year and the running number (`Q-2026-B0042` -> `B`).
pub fn series_of(number: &str) -> &str {
    let tail = number.rsplit('-').next().unwrap_or("");
    let letters = tail.trim_end_matches(|c: char| c.is_ascii_digit());
    if letters.chars().all(|c| c.is_ascii_uppercase()) {
        letters
    } else {
        ""
    }
}

/// How a version prints: `2`, or `2-B` when a series other than the number's own made it.
pub fn version_label(number: &str, version: u32, series: &str) -> String {
    if series.is_empty() || series == series_of(number) {
        version.to_string()
    } else {
        format!("{version}-{series}")
    }
}

/// The next number of `stem` in `table` (`quotes` or `contracts`): every row counts, deleted
/// ones and old versions too.
pub fn next(conn: &Connection, table: &str, stem: &str, width: u32) -> crate::error::Result<String> {
    // The stem's own characters are matched literally (a prefix may hold `%` or `_`).
    let mut st = conn.prepare_cached(&format!("SELECT number FROM {table} WHERE substr(number, 1, ?1) = ?2"))?;
    let rows = st.query_map(rusqlite::params![stem.chars().count() as i64, stem], |r| r.get::<_, String>(0))?;
    let mut max = 0;
    for n in rows {
        if let Some(r) = running_of(stem, &n?) {
            max = max.max(r);
        }
    }
    Ok(format(stem, max + 1, width))
}

/// Numbers handed out many at a time (demo data): each stem's next number is read from `table`
/// once, as [`next`] reads it, and counted on from there, instead of reading every number of the
/// stem again for each document (which grows with the square of the count).
#[derive(Debug)]
pub struct Batch {
    table: &'static str,
    width: u32,
    used: std::collections::HashMap<String, u64>,
}

impl Batch {
    pub fn new(table: &'static str, width: u32) -> Self {
        Self { table, width, used: Default::default() }
    }

    /// The next number of `stem`: one more than the last this batch gave, or than the table's.
    pub fn next(&mut self, conn: &Connection, stem: &str) -> crate::error::Result<String> {
        let running = match self.used.get(stem) {
            Some(last) => last + 1,
            None => running_of(stem, &next(conn, self.table, stem, self.width)?).unwrap_or(1),
        };
        self.used.insert(stem.to_string(), running);
        Ok(format(stem, running, self.width))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_codes_are_letters_that_never_repeat() {
        let cases = [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (28, "AB"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA")];
        for (n, want) in cases {
            assert_eq!(series_code(n), want, "{n}");
        }
        let all: std::collections::HashSet<String> = (1..5000).map(series_code).collect();
        assert_eq!(all.len(), 4999);
    }

    #[test]
    fn numbers_read_out_as_prefix_year_series_and_running_number() {
        assert_eq!(format(&stem("Q", Some(2026), ""), 42, 4), "Q-2026-0042");
        assert_eq!(format(&stem("Q", Some(2026), "B"), 42, 4), "Q-2026-B0042");
        assert_eq!(format(&stem("HT", None, "A"), 7, 3), "HT-A007");
        assert_eq!(format(&stem("", None, ""), 12345, 3), "12345");
        assert_eq!(running_of("Q-2026-", "Q-2026-0042"), Some(42));
        // Another series' numbers are not this one's.
        assert_eq!(running_of("Q-2026-", "Q-2026-B0042"), None);
        assert_eq!(running_of("Q-2026-B", "Q-2026-B0042"), Some(42));
        assert_eq!(running_of("Q-2026-", "Q-2025-0042"), None);
    }

    #[test]
    fn a_version_made_by_another_series_prints_with_it() {
        assert_eq!(series_of("Q-2026-B0042"), "B");
        assert_eq!(series_of("Q-2026-0042"), "");
        assert_eq!(series_of("HT-AB007"), "AB");
        assert_eq!(version_label("Q-2026-B0042", 2, "B"), "2");
        assert_eq!(version_label("Q-2026-B0042", 2, "C"), "2-C");
        assert_eq!(version_label("Q-2026-0042", 3, ""), "3");
    }

    #[test]
    fn a_batch_counts_on_from_the_tables_highest_number_per_stem() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE quotes (number TEXT); INSERT INTO quotes VALUES ('Q-2026-0041'), ('Q-2026-B0099'), ('Q-2025-0007');")
            .unwrap();
        let mut b = Batch::new("quotes", 4);
        let got: Vec<String> = ["Q-2026-", "Q-2026-", "Q-2025-", "Q-2024-", "Q-2026-"].iter().map(|s| b.next(&c, s).unwrap()).collect();
        assert_eq!(got, ["Q-2026-0042", "Q-2026-0043", "Q-2025-0008", "Q-2024-0001", "Q-2026-0044"]);
    }
}
