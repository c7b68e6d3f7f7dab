//! The user's language for messages that originate in Rust (validation and storage errors).
//!
//! The UI owns all other strings; it tells the core which locale it shows so that an error next
//! to a field reads in the same language as the form around it.

use serde::{Deserialize, Serialize};

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
    fn locale_tags_map_to_the_two_shipped_languages() {
        for (tag, want) in
            [("zh_CN.UTF-8", Locale::ZhCn), ("zh-Hans", Locale::ZhCn), ("en_US.UTF-8", Locale::En), ("C", Locale::En), ("de", Locale::En)]
        {
            assert_eq!(Locale::from_tag(tag), want, "{tag}");
        }
    }
}
