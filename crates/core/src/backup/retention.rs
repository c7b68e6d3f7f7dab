//! Which automatic backups are deleted: a pure decision over (name, time) pairs.
//!
//! Backups older than the kept days go, except that the newest backup is never deleted: a
//! laptop left closed for a month still has its last copy when it is opened again (and the first
//! thing it does then is make a new one).

/// The names to delete among `backups` (any order), keeping `keep_days` days back from `now_ms`.
pub fn to_delete(backups: &[(String, i64)], keep_days: u32, now_ms: i64) -> Vec<String> {
    let newest = backups.iter().max_by_key(|(name, ms)| (*ms, name.clone())).map(|(n, _)| n.clone());
    let cutoff = now_ms - i64::from(keep_days.max(1)) * super::EVERY_MS;
    let mut out: Vec<String> =
        backups.iter().filter(|(name, ms)| *ms < cutoff && Some(name) != newest.as_ref()).map(|(n, _)| n.clone()).collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = super::super::EVERY_MS;

    #[test]
    fn backups_past_the_kept_days_go_but_never_the_newest() {
        let now = 100 * DAY;
        let at = |days_ago: i64| now - days_ago * DAY;
        let b = |list: &[(&str, i64)]| list.iter().map(|(n, t)| (n.to_string(), *t)).collect::<Vec<_>>();
        let cases: Vec<(&str, Vec<(String, i64)>, u32, Vec<&str>)> = vec![
            ("none", vec![], 14, vec![]),
            ("all within 14 days", b(&[("a", at(0)), ("b", at(13))]), 14, vec![]),
            ("exactly 14 days is kept", b(&[("a", at(0)), ("b", at(14))]), 14, vec![]),
            ("older than 14 days go", b(&[("a", at(1)), ("b", at(15)), ("c", at(40))]), 14, vec!["b", "c"]),
            ("a single old backup stays", b(&[("old", at(60))]), 14, vec![]),
            ("the newest of old ones stays", b(&[("x", at(60)), ("y", at(30))]), 14, vec!["x"]),
            ("one day kept", b(&[("a", at(0)), ("b", at(2))]), 1, vec!["b"]),
            ("zero days is one day", b(&[("a", at(0)), ("b", at(2))]), 0, vec!["b"]),
            ("order of the list does not matter", b(&[("c", at(40)), ("a", at(1)), ("b", at(15))]), 14, vec!["b", "c"]),
        ];
        for (what, list, keep, want) in cases {
            assert_eq!(to_delete(&list, keep, now), want, "{what}");
        }
    }
}
