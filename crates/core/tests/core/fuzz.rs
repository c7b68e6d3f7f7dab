//! No file makes an importer panic: random bytes, exports cut at any byte, bytes flipped, and
//! text in the Chinese encodings, through every step the app takes with a picked file (open,
//! preview, check). Each may refuse the file with a reason; none may crash the app or the CLI.

use crate::fixtures::*;
use proptest::prelude::*;
use satchel_core::customers::transfer::{ExportFormat, FileFormat, ImportFile, TextEncoding};
use satchel_core::customers::{CustomerInput, ListQuery, Stage};
use satchel_core::i18n::Locale;
use satchel_core::Satchel;
use std::sync::OnceLock;

/// Every step a picked file goes through; errors are answers, a panic fails the test.
fn take(app: &Satchel, name: &str, bytes: Vec<u8>, encoding: Option<TextEncoding>, format: Option<FileFormat>) {
    let Ok(file) = ImportFile::from_bytes(name.into(), bytes, encoding, format, Locale::ZhCn) else { return };
    let _ = app.customers().import_preview(&file);
    let _ = app.customers().import_check(&file, None);
}

/// One database and a small book's exports (CSV and both vCard versions), made once: the checks
/// read, never write.
fn book() -> &'static (TestDb, Vec<(&'static str, Vec<u8>)>) {
    static BOOK: OnceLock<(TestDb, Vec<(&'static str, Vec<u8>)>)> = OnceLock::new();
    BOOK.get_or_init(|| {
        let db = new_db();
        let co = db.app.customers().create(&CustomerInput { tags: vec!["供应商".into()], ..company("上海示例贸易有限公司") }).unwrap();
        db.app
            .customers()
            .create(&CustomerInput {
                company_id: Some(co.id.clone()),
                stage: Stage::Won,
                notes: "首次见面，\"重点\"客户\n第二行, 逗号; 分号".into(),
                ..person("欧阳晓梅")
            })
            .unwrap();
        let exports = [("book.csv", ExportFormat::Csv), ("book.vcf", ExportFormat::Vcard3), ("book4.vcf", ExportFormat::Vcard4)]
            .into_iter()
            .map(|(name, format)| (name, db.app.customers().export(&ListQuery::default(), format).unwrap().0))
            .collect();
        (db, exports)
    })
}

/// The file that crashed `satchel import` (issue 13): a Chinese CSV larger than 64 KiB, whose
/// 65,536th byte falls inside a character.
#[test]
fn a_chinese_csv_larger_than_64_kib_imports() {
    let mut text = String::from("姓名,手机,公司\n");
    let mut n = 0;
    while text.len() < 70 * 1024 {
        n += 1;
        text.push_str(&format!("张三丰{n},13800{n:06},上海示例贸易有限公司\n"));
    }
    assert!(!text.is_char_boundary(64 * 1024) || !text.is_char_boundary(64 * 1024 + 1), "the cut falls inside a character");
    let db = new_db();
    let file = ImportFile::from_bytes("客户.csv".into(), text.into_bytes(), None, None, Locale::ZhCn).expect("the file reads");
    let plan = db.app.customers().import_check(&file, None).expect("and is checked");
    let check = plan.check();
    assert_eq!(
        (check.people, check.companies, check.new_companies.len()),
        (n as u32, 0, 1),
        "every person, and the one company their column names"
    );
    assert_eq!(check.valid, n + 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), as_vcard in any::<bool>()) {
        let (db, _) = book();
        take(&db.app, if as_vcard { "x.vcf" } else { "x.csv" }, bytes, None, None);
    }

    #[test]
    fn an_export_cut_or_damaged_anywhere_never_panics(which in 0usize..3, cut in any::<prop::sample::Index>(), flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4)) {
        let (db, exports) = book();
        let (name, bytes) = &exports[which];
        let mut bytes = bytes[..cut.index(bytes.len() + 1)].to_vec();
        for (at, value) in flips {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = value;
            }
        }
        take(&db.app, name, bytes, None, None);
    }

    #[test]
    fn chinese_encodings_cut_anywhere_never_panic(which in 0usize..3, cut in any::<prop::sample::Index>(), encoding in 0usize..3, forced in any::<bool>()) {
        let (db, exports) = book();
        let (name, bytes) = &exports[which];
        let text = String::from_utf8(bytes.clone()).unwrap();
        let (encoded, as_named) = match encoding {
            0 => (encoding_rs::GBK.encode(&text).0.into_owned(), TextEncoding::Gbk),
            1 => (encoding_rs::GB18030.encode(&text).0.into_owned(), TextEncoding::Gb18030),
            _ => {
                let mut b = vec![0xFF, 0xFE];
                b.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
                (b, TextEncoding::Utf16)
            }
        };
        let cut = cut.index(encoded.len() + 1);
        // Forced: the user picked an encoding; otherwise it is detected (perhaps wrongly).
        take(&db.app, name, encoded[..cut].to_vec(), forced.then_some(as_named), None);
    }
}
