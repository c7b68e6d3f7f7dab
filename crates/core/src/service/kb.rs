//! The knowledge base's search, pure: articles found by words (each a substring of the title,
//! tags, problem or solution, in any case; Chinese substrings of any length), and suggested for
//! a ticket's subject while it is typed (by the character pairs they share with the subject, so
//! "打印机一直卡纸怎么办" finds "打印机卡纸" though neither contains the other).

use rustc_hash::FxHashSet as HashSet;

/// An article as the search reads it (built once per change, kept in memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRow {
    pub id: String,
    pub title: String,
    pub language: String,
    /// Lowercase title.
    title_lc: String,
    /// Lowercase title, tags, problem and solution, separated so no word spans two of them.
    haystack: String,
    /// Character pairs of the lowercase title and tags (see [`pairs`]).
    pairs: HashSet<(char, char)>,
    title_len: usize,
}

impl ArticleRow {
    pub fn new(id: &str, title: &str, tags: &str, problem: &str, solution: &str, language: &str) -> Self {
        let title_lc = title.to_lowercase();
        let tags_lc = tags.to_lowercase();
        let mut p = pairs(&title_lc);
        p.extend(pairs(&tags_lc));
        Self {
            id: id.to_string(),
            title: title.to_string(),
            language: language.to_string(),
            haystack: format!("{title_lc}\u{1f}{tags_lc}\u{1f}{}\u{1f}{}", problem.to_lowercase(), solution.to_lowercase()),
            title_len: title.chars().count(),
            title_lc,
            pairs: p,
        }
    }
}

/// Adjacent character pairs of a text's words (a latin word gives its letter pairs; Chinese text
/// its character pairs), lowercase, without spaces or punctuation.
pub fn pairs(text: &str) -> HashSet<(char, char)> {
    let mut out = HashSet::default();
    let mut prev: Option<char> = None;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if let Some(p) = prev {
                out.insert((p, c));
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
    out
}

/// Articles holding every word of `query`, those with all of them in the title first, then the
/// shorter titles; at most `limit`.
pub fn search<'a>(rows: impl IntoIterator<Item = &'a ArticleRow>, query: &str, limit: usize) -> Vec<&'a ArticleRow> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    // A searcher per word, built once for the whole scan.
    let finders: Vec<memchr::memmem::Finder<'_>> = words.iter().map(|w| memchr::memmem::Finder::new(w.as_bytes())).collect();
    let mut hits: Vec<(bool, usize, &ArticleRow)> = rows
        .into_iter()
        .filter(|r| finders.iter().all(|f| f.find(r.haystack.as_bytes()).is_some()))
        .map(|r| (!finders.iter().all(|f| f.find(r.title_lc.as_bytes()).is_some()), r.title_len, r))
        .collect();
    let order = |a: &(bool, usize, &ArticleRow), b: &(bool, usize, &ArticleRow)| (a.0, a.1, &a.2.id).cmp(&(b.0, b.1, &b.2.id));
    if limit < hits.len() {
        hits.select_nth_unstable_by(limit, order);
        hits.truncate(limit);
    }
    hits.sort_by(order);
    hits.into_iter().map(|h| h.2).collect()
}

/// Articles worth showing beside a ticket's subject as it is typed: those sharing the most
/// character pairs with it (at least two, or the one a two-character subject has), at most `limit`.
pub fn suggest<'a>(rows: impl IntoIterator<Item = &'a ArticleRow>, subject: &str, limit: usize) -> Vec<&'a ArticleRow> {
    let want = pairs(subject);
    if want.is_empty() {
        return Vec::new();
    }
    let needed = want.len().min(2);
    let mut scored: Vec<(usize, &ArticleRow)> =
        rows.into_iter().map(|r| (want.iter().filter(|p| r.pairs.contains(p)).count(), r)).filter(|(n, _)| *n >= needed).collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| a.1.title.chars().count().cmp(&b.1.title.chars().count())).then_with(|| a.1.id.cmp(&b.1.id))
    });
    scored.into_iter().take(limit).map(|s| s.1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Vec<ArticleRow> {
        vec![
            ArticleRow::new("a1", "打印机卡纸", "打印机,硬件", "纸张卡在进纸口", "打开后盖，取出卡住的纸张。", "zh"),
            ArticleRow::new(
                "a2",
                "Printer paper jam",
                "printer",
                "Paper stuck in the tray",
                "Open the rear cover and pull the sheet out.",
                "en",
            ),
            ArticleRow::new("a3", "无法登录系统", "账号", "输入密码后提示错误", "在设置中重置密码；检查大写锁定。", "zh"),
            ArticleRow::new("a4", "VPN 连接中断", "网络,VPN", "连接几分钟后断开", "更新客户端并关闭节能模式。打印机无关。", "zh"),
        ]
    }

    #[test]
    fn words_find_articles_by_any_part_title_matches_first() {
        let b = book();
        let ids = |v: Vec<&ArticleRow>| v.iter().map(|r| r.id.clone()).collect::<Vec<String>>();
        // A one-character Chinese word, a longer one, latin in any case, words across parts.
        assert_eq!(ids(search(&b, "纸", 10)), ["a1"]);
        assert_eq!(ids(search(&b, "打印机", 10)), ["a1", "a4"], "the title match first, the solution's mention after");
        assert_eq!(ids(search(&b, "PAPER jam", 10)), ["a2"]);
        assert_eq!(ids(search(&b, "重置 密码", 10)), ["a3"]);
        assert_eq!(ids(search(&b, "vpn 节能", 10)), ["a4"]);
        assert!(search(&b, "传真", 10).is_empty());
        assert!(search(&b, "   ", 10).is_empty());
        assert_eq!(ids(search(&b, "打印机", 1)), ["a1"]);
    }

    #[test]
    fn a_subject_suggests_articles_that_share_its_pairs() {
        let b = book();
        let ids = |v: Vec<&ArticleRow>| v.iter().map(|r| r.id.clone()).collect::<Vec<String>>();
        assert_eq!(ids(suggest(&b, "打印机一直卡纸怎么办", 5)), ["a1"]);
        assert_eq!(ids(suggest(&b, "The printer has a paper jam again", 5))[0], "a2");
        assert_eq!(ids(suggest(&b, "登录", 5)), ["a3"]);
        assert!(suggest(&b, "发票开错了", 5).is_empty());
        assert!(suggest(&b, "", 5).is_empty());
    }
}
