//! Attachments on real databases: stored once by content, listed, moved by a merge, deleted and
//! restored, refused when too big or nameless.

use crate::fixtures::*;
use satchel_core::customers::merge::MergeChoices;
use satchel_core::error::{CoreError, ErrorCode};

#[test]
fn files_are_stored_once_listed_and_come_back_after_delete() {
    let db = new_db();
    let a = db.app.customers().create(&person("王小明")).unwrap();
    let b = db.app.customers().create(&person("李娜")).unwrap();
    let pdf = b"%PDF-1.4 quote".to_vec();
    let first = db.app.customers().add_attachment(&a.id, "/home/me/报价单.pdf", &pdf).unwrap();
    assert_eq!((first.name.as_str(), first.size, first.added_by.as_str()), ("报价单.pdf", 14, "ana"));
    db.app.customers().add_attachment(&b.id, "copy.pdf", &pdf).unwrap();
    let stored: Vec<_> = std::fs::read_dir(db.dir.path().join("attachments")).unwrap().flatten().collect();
    assert_eq!(stored.len(), 1, "the same bytes are kept once");
    let path = db.app.customers().attachment_path(&first.id).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), pdf);

    db.app.customers().delete_attachment(&first.id).unwrap();
    assert!(db.app.customers().attachments(&a.id).unwrap().is_empty());
    assert!(matches!(db.app.customers().attachment_path(&first.id), Err(CoreError::NotFound { .. })));
    db.app.customers().restore_attachment(&first.id).unwrap();
    assert_eq!(db.app.customers().attachments(&a.id).unwrap(), vec![first.clone()]);
    let history = db.app.customers().history(&a.id).unwrap();
    assert!(history.iter().any(|h| h.field == "attachments.name" && h.new_value.as_deref() == Some("报价单.pdf")), "{history:?}");

    // A merge moves them to the survivor.
    let keep = MergeChoices::keep_all();
    db.app.customers().merge(&b.id, &a.id, &keep).unwrap();
    assert_eq!(db.app.customers().attachments(&b.id).unwrap().len(), 2);
}

#[test]
fn bad_attachments_are_refused_and_nothing_is_recorded() {
    let db = new_db();
    let a = db.app.customers().create(&person("王小明")).unwrap();
    let big = vec![0u8; satchel_core::customers::attachments::MAX_BYTES + 1];
    assert_eq!(db.app.customers().add_attachment(&a.id, "big.bin", &big).unwrap_err().code(), ErrorCode::BadFile);
    assert_eq!(db.app.customers().add_attachment(&a.id, "  ", b"x").unwrap_err().field(), Some("name"));
    let gone = satchel_core::ids::CustomerId::new();
    assert_eq!(db.app.customers().add_attachment(&gone, "a.txt", b"x").unwrap_err().code(), ErrorCode::NotFound);
    assert!(db.app.customers().attachments(&a.id).unwrap().is_empty());
}

/// Issue 14: an attachment's stored copy is checked by its hash when opened. Before, a copy
/// damaged on disk opened in the viewer as whatever it had become; now it is refused, naming it,
/// in both languages, and no half-written `.part` file is left beside the good ones.
#[test]
fn a_damaged_copy_is_refused_when_opened_naming_the_attachment() {
    let db = new_db();
    let a = db.app.customers().create(&person("王小明")).unwrap();
    let file = db.app.customers().add_attachment(&a.id, "合同.pdf", b"%PDF-1.4 signed contract").unwrap();
    let path = db.app.customers().attachment_path(&file.id).unwrap();
    let names: Vec<String> =
        std::fs::read_dir(path.parent().unwrap()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".part")), "{names:?}");

    std::fs::write(&path, b"%PDF-1.4 something else").unwrap();
    let err = db.app.customers().attachment_path(&file.id).unwrap_err();
    assert!(matches!(&err, CoreError::File(satchel_core::error::FileProblem::AttachmentDamaged(n)) if n == "合同.pdf"), "{err:?}");
    let en = err.to_app(satchel_core::i18n::Locale::En);
    assert!(en.message.contains("合同.pdf") && en.message.contains("damaged"), "{}", en.message);
    assert!(err.to_app(satchel_core::i18n::Locale::ZhCn).message.contains("已损坏"));
}
