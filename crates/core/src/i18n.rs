//! The user's language for messages that originate in Rust (validation and storage errors).
//!
//! The UI owns all other strings; it tells the core which locale it shows so that an error next
//! to a field reads in the same language as the form around it. The words of Rust's messages live
//! in `locales/<language>/messages.json` at the top of the repository, which the UI loads too:
//! one source for both layers. They are embedded here at compile time ([`Locale::text`]).

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The shared message catalogues, flattened to `group.key -> words`.
static CATALOGUES: LazyLock<[HashMap<String, String>; 2]> = LazyLock::new(|| {
    [flatten(include_str!("../../../locales/en/messages.json")), flatten(include_str!("../../../locales/zh-CN/messages.json"))]
});

fn flatten(json: &str) -> HashMap<String, String> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut HashMap<String, String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    walk(&key, v, out);
                }
            }
            serde_json::Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            _ => {}
        }
    }
    let mut out = HashMap::new();
    // The files are part of the build: a broken one fails the catalogue test, not a user.
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(json) {
        walk("", &v, &mut out);
    }
    out
}

/// Fills `{{name}}` placeholders (i18next's syntax) with the given values.
pub fn fill(template: &str, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match params.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub enum Locale {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Locale {
    /// Picks the locale from a tag such as `zh_CN.UTF-8`, `zh-Hans` or `en-US`.
    pub fn from_tag(tag: &str) -> Self {
        if tag.to_ascii_lowercase().starts_with("zh") {
            Locale::ZhCn
        } else {
            Locale::En
        }
    }

    /// The locale of the process environment (LC_ALL, LC_MESSAGES, LANG), for the CLI.
    pub fn from_env() -> Self {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .map(|v| Self::from_tag(&v))
            .unwrap_or_default()
    }

    /// The words for `key` in this language from the shared catalogue, with its parameters filled
    /// in. A key missing from the catalogue reads as itself (a test keeps that from shipping).
    pub fn text(self, key: &str, params: &[(&str, &str)]) -> String {
        let catalogue = &CATALOGUES[self as usize];
        match catalogue.get(key) {
            Some(t) => fill(t, params),
            None => key.to_string(),
        }
    }

    /// Whether the shared catalogue has words for `key` in this language.
    pub fn has_text(self, key: &str) -> bool {
        CATALOGUES[self as usize].contains_key(key)
    }

    /// Every key of this language's catalogue (for the tests that hold the two together).
    pub fn keys(self) -> Vec<String> {
        let mut keys: Vec<String> = CATALOGUES[self as usize].keys().cloned().collect();
        keys.sort();
        keys
    }

    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Locale::En => en,
            Locale::ZhCn => zh,
        }
    }

    /// A label the user wrote in one or both languages: theirs, else the other one.
    pub fn label<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self.pick(en, zh) {
            "" => self.pick(zh, en),
            mine => mine,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys_and_the_same_parameters() {
        let (en, zh) = (Locale::En.keys(), Locale::ZhCn.keys());
        assert!(en.len() > 50, "the catalogue is read: {} keys", en.len());
        assert_eq!(en, zh);
        let params = |l: Locale, k: &str| {
            let t = &CATALOGUES[l as usize][k];
            let mut p: Vec<&str> = t.split("{{").skip(1).filter_map(|s| s.split_once("}}").map(|(n, _)| n.trim())).collect();
            p.sort_unstable();
            p
        };
        for k in &en {
            assert_eq!(params(Locale::En, k), params(Locale::ZhCn, k), "{k}");
        }
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(fill("at most {{max}} ({{ max }}), {{other}}", &[("max", "20")]), "at most 20 (20), {{other}}");
        assert_eq!(fill("unclosed {{max", &[("max", "1")]), "unclosed {{max");
        assert_eq!(Locale::ZhCn.text("invalid.tooLong", &[("max", "80")]), "太长（最多 80 个字符）");
        assert_eq!(Locale::En.text("no.such.key", &[]), "no.such.key");
    }

    #[test]
    fn locale_tags_map_to_the_two_shipped_languages() {
        for (tag, want) in
            [("zh_CN.UTF-8", Locale::ZhCn), ("zh-Hans", Locale::ZhCn), ("en_US.UTF-8", Locale::En), ("C", Locale::En), ("de", Locale::En)]
        {
            assert_eq!(Locale::from_tag(tag), want, "{tag}");
        }
    }
}
