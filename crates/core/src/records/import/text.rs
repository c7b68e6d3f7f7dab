//! Turning a file's bytes into text: which encoding it is in, and whether it is text at all.
//!
//! Chinese Excel saves CSV as GBK (or GB18030, its superset) unless told otherwise; Google and
//! Outlook write UTF-8, sometimes with a byte-order mark. The detection is deliberately simple and
//! strict: valid UTF-8 is UTF-8; anything else must decode as GB18030 without a single error, or
//! the user is asked to choose. A lossy decode would silently change names, so there is none.

use serde::{Deserialize, Serialize};

/// Files larger than this are refused before they are read: 100,000 customers with every field
/// filled are about 40 MB, and a 2 GB file would take the app's memory with it.
pub const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    Gbk,
    Gb18030,
    Utf16,
}

impl TextEncoding {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf8" => Some(Self::Utf8),
            "gbk" | "cp936" | "gb2312" => Some(Self::Gbk),
            "gb18030" => Some(Self::Gb18030),
            "utf16" => Some(Self::Utf16),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Gbk => "GBK",
            Self::Gb18030 => "GB18030",
            Self::Utf16 => "UTF-16",
        }
    }
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    /// The forced encoding does not fit the bytes.
    NotEncoding(TextEncoding),
    /// Neither UTF-8 nor GB18030.
    UnknownEncoding,
    /// NUL bytes or a known binary signature: a workbook, an image, an archive.
    Binary(Option<&'static str>),
}

/// A file that cannot be read as text, as the error every import reports it with.
impl From<TextProblem> for crate::error::CoreError {
    fn from(p: TextProblem) -> Self {
        use crate::error::FileProblem;
        crate::error::CoreError::File(match p {
            TextProblem::NotEncoding(e) => FileProblem::NotEncoding(e.label()),
            TextProblem::UnknownEncoding => FileProblem::UnknownEncoding,
            TextProblem::Binary(kind) => FileProblem::Binary(kind),
        })
    }
}

/// What a known binary file is, from its first bytes (to say "save it as CSV first").
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some("zip") // .xlsx, .docx, .zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("xls")
    } else if bytes.starts_with(b"%PDF") {
        Some("pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G']) || bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image")
    } else {
        None
    }
}

/// Decodes `bytes`, detecting the encoding unless one is forced. Returns the text (without a
/// byte-order mark) and the encoding used.
pub fn decode(bytes: &[u8], forced: Option<TextEncoding>) -> Result<(String, TextEncoding), TextProblem> {
    if let Some(kind) = binary_kind(bytes) {
        return Err(TextProblem::Binary(Some(kind)));
    }
    let utf16_bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if utf16_bom && matches!(forced, None | Some(TextEncoding::Utf16)) {
        let (text, _, had_errors) = encoding_rs::UTF_16LE.decode(bytes); // BOM sniffing picks LE or BE
        if had_errors {
            return Err(TextProblem::NotEncoding(TextEncoding::Utf16));
        }
        return Ok((text.into_owned(), TextEncoding::Utf16));
    }
    // Past this point text never holds NUL; a NUL means a binary file in disguise.
    if bytes.contains(&0) {
        return Err(TextProblem::Binary(None));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf8 = || match std::str::from_utf8(body) {
        Ok(s) => Ok((s.to_string(), TextEncoding::Utf8)),
        Err(_) => Err(TextProblem::NotEncoding(TextEncoding::Utf8)),
    };
    let gb = |enc: TextEncoding| {
        // encoding_rs decodes GBK with the GB18030 decoder (as browsers do): GBK is a subset.
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(body);
        if had_errors {
            return Err(TextProblem::NotEncoding(enc));
        }
        Ok((text.into_owned(), enc))
    };
    match forced {
        Some(TextEncoding::Utf8) => utf8(),
        Some(TextEncoding::Gbk) => gb(TextEncoding::Gbk),
        Some(TextEncoding::Gb18030) => gb(TextEncoding::Gb18030),
        Some(TextEncoding::Utf16) => Err(TextProblem::NotEncoding(TextEncoding::Utf16)),
        None => utf8().or_else(|_| {
            let enc = if uses_four_byte_gb18030(body) { TextEncoding::Gb18030 } else { TextEncoding::Gbk };
            gb(enc).map_err(|_| TextProblem::UnknownEncoding)
        }),
    }
}

/// GB18030's four-byte sequences (lead 0x81-0xFE, then a digit byte) are what GBK lacks.
fn uses_four_byte_gb18030(b: &[u8]) -> bool {
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] < 0x80 {
            i += 1;
        } else if (0x30..=0x39).contains(&b[i + 1]) {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    #[test]
    fn detects_each_encoding_a_chinese_spreadsheet_arrives_in() {
        let text = "姓名,公司\n王小明,上海示例贸易\n";
        let cases: Vec<(Vec<u8>, TextEncoding)> = vec![
            (text.as_bytes().to_vec(), TextEncoding::Utf8),
            ([b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(), TextEncoding::Utf8),
            (gbk(text), TextEncoding::Gbk),
            // 𠀀 (U+20000) exists only in GB18030, as a four-byte sequence.
            (encoding_rs::GB18030.encode("姓名\n𠀀先生\n").0.into_owned(), TextEncoding::Gb18030),
            ([&[0xFF, 0xFE][..], &text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>()].concat(), TextEncoding::Utf16),
        ];
        for (bytes, want) in cases {
            let (decoded, enc) = decode(&bytes, None).unwrap();
            assert_eq!(enc, want);
            assert!(decoded.contains("姓名") && !decoded.starts_with('\u{FEFF}'), "{want:?}: {decoded:?}");
        }
    }

    #[test]
    fn a_forced_encoding_that_does_not_fit_is_refused_not_mangled() {
        assert_eq!(decode(&gbk("王小明"), Some(TextEncoding::Utf8)), Err(TextProblem::NotEncoding(TextEncoding::Utf8)));
        // UTF-8 Chinese is usually not valid GBK either; when it happens to be, the preview shows
        // the garbled text before anything is imported.
        assert_eq!(decode("王小明".as_bytes(), Some(TextEncoding::Gbk)), Err(TextProblem::NotEncoding(TextEncoding::Gbk)));
        assert_eq!(decode(&[0xFF, 0xFF, 0x41], None), Err(TextProblem::UnknownEncoding));
    }

    #[test]
    fn binary_files_are_named_not_parsed() {
        assert_eq!(decode(b"PK\x03\x04rest", None), Err(TextProblem::Binary(Some("zip"))));
        assert_eq!(decode(b"%PDF-1.7", None), Err(TextProblem::Binary(Some("pdf"))));
        assert_eq!(decode(b"name\0\0\0", None), Err(TextProblem::Binary(None)));
    }
}
