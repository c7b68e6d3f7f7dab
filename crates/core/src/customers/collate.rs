//! How names sort for people who read Chinese: by pinyin, interleaved with Latin names, the way
//! Chinese phone books and spreadsheets order them (陈 chen before 王 wang before Zed). Plain code
//! point order would follow the Unicode radical-stroke layout, which nobody expects.

use pinyin::ToPinyin;

/// The sort key of a name: each Chinese character becomes its toneless pinyin followed by a space
/// (so 西安 "xi an " stays apart from 先 "xian "), everything else is lowercased as is.
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 2);
    for c in name.chars() {
        match c.to_pinyin() {
            Some(p) => {
                key.push_str(p.plain());
                key.push(' ');
            }
            None => key.extend(c.to_lowercase()),
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_latin_names_sort_together_by_sound() {
        let mut names = vec!["Zed", "王海示", "陈晓", "alice", "李娜", "Bob", "欧阳娜娜", "西安示例", "先锋"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, vec!["alice", "Bob", "陈晓", "李娜", "欧阳娜娜", "王海示", "西安示例", "先锋", "Zed"]);
    }
}
