//! A database written by Satchel 0.1 as released (commit a637e15; made by the program in
//! tests/fixtures/db-0.1/README.md) opens in this version with everything in it: records and
//! their parts, a custom field and its values, a segment, an attachment and its file, an
//! activity, history, and a value that lost a concurrent edit, still restorable.

use super::fixtures::*;
use satchel_core::customers::activities::TimelineItem;
use satchel_core::customers::ListQuery;
use satchel_core::ids::CustomerId;
use satchel_core::Satchel;

const COMPANY: &str = "01a242c5-b0be-7545-878a-c031c3acde5c";
const PERSON: &str = "01a242c5-b0bf-768f-b80b-39067d0d4466";

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_database_written_by_the_released_version_opens_with_everything_in_it() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-0.1");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture, dir.path());
    let app = Satchel::open(dir.path().join("satchel.db"), profile("ana")).unwrap();
    let version: i64 = app.store().read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?)).unwrap();
    assert_eq!(version as usize, satchel_core::store::schema_version(), "migrated to this version's schema");
    let customers = app.customers();
    let (company, person) = (CustomerId(COMPANY.into()), CustomerId(PERSON.into()));

    // Records and their parts.
    assert_eq!(customers.list(&ListQuery { limit: 10, ..Default::default() }).total, 2);
    let co = customers.get(&company).unwrap();
    assert_eq!(
        (co.name.as_str(), co.tags.as_slice(), co.phones[0].value.as_str()),
        ("上海示例贸易有限公司", &["VIP".to_string()][..], "021-6555 8888")
    );
    let p = customers.get(&person).unwrap();
    assert_eq!(
        (p.name.as_str(), p.company_name.as_deref(), p.owner.as_str()),
        ("欧阳晓梅（主管）", Some("上海示例贸易有限公司"), "李销售")
    );
    assert_eq!(customers.search("13800138000", None, 5)[0].row.id, person);

    // The custom field and its value; the segment and its count.
    let fields = customers.custom_fields().unwrap();
    assert_eq!(fields.iter().map(|f| (f.label_en.as_str(), f.label_zh.as_str())).collect::<Vec<_>>(), vec![("Industry", "行业")]);
    assert_eq!(co.custom.iter().map(|v| (v.field_id.clone(), v.value.as_str())).collect::<Vec<_>>(), vec![(fields[0].id.clone(), "贸易")]);
    let segments = customers.segments().unwrap();
    assert_eq!(segments.iter().map(|s| (s.name.as_str(), s.count)).collect::<Vec<_>>(), vec![("VIP 客户", 1)]);

    // The attachment and its file beside the database.
    let files = customers.attachments(&company).unwrap();
    assert_eq!(files.iter().map(|a| (a.name.as_str(), a.size)).collect::<Vec<_>>(), vec![("合同.pdf", 25)]);
    let path = customers.attachment_path(&files[0].id).unwrap();
    assert_eq!(std::fs::read(path).unwrap(), b"%PDF-1.4 fixture contract");

    // The activity, the edit in history, and the value that lost, restorable.
    let timeline = customers.timeline(&person, None, 50).unwrap();
    assert!(timeline.items.iter().any(|i| matches!(i, TimelineItem::Activity { activity } if activity.outcome == "签约意向")));
    let history = customers.history(&person).unwrap();
    assert!(history.iter().any(|h| h.field == "notes" && h.new_value.as_deref() == Some("改过一次")), "{history:?}");
    let lost = history.iter().find(|h| h.restore.is_some()).expect("the losing rename is in history");
    // (Replayed straight from the other database, not pulled from a server: its author is its site.)
    assert_eq!((lost.field.as_str(), lost.new_value.as_deref()), ("name", Some("欧阳小梅")));
    customers.restore_lost_value(lost.restore.as_deref().unwrap()).unwrap();
    assert_eq!(customers.get(&person).unwrap().name, "欧阳小梅");

    // The shared record features found it all as a customer's (migration 0011 tagged every row
    // of theirs with its record type).
    use satchel_core::customers::{record, CUSTOMER};
    use satchel_core::records;
    let store = app.store();
    for table in ["attachments", "customer_field_values", "custom_fields", "segments"] {
        let types: Vec<String> = store
            .read(|c| {
                Ok(c.prepare(&format!("SELECT DISTINCT record_type FROM {table}"))?
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<_, _>>()?)
            })
            .unwrap();
        assert_eq!(types, ["customer"], "{table}");
    }
    assert_eq!(records::attachments::list(store, &record(&company)).unwrap().len(), 1);
    assert_eq!(records::fields::list(store, &CUSTOMER).unwrap().len(), 1);
    assert_eq!(records::views::list(store, &CUSTOMER).unwrap().iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["VIP 客户"]);
    let company_history = records::history::of(store, &record(&company), None, 100).unwrap();
    assert!(
        company_history.iter().any(|h| h.field == "attachments.name" && h.new_value.as_deref() == Some("合同.pdf")),
        "{company_history:?}"
    );
    assert!(company_history.iter().any(|h| h.field == format!("custom.{}", fields[0].id) && h.new_value.as_deref() == Some("贸易")));

    // And it takes new work.
    let new = customers.create(&super::fixtures::person("新客户")).unwrap();
    assert_eq!(customers.get(&new.id).unwrap().name, "新客户");

    // The calendar (migration 0015) works on the upgraded book, linked to a customer it held.
    let visit = satchel_core::calendar::EventInput {
        title: "拜访".into(),
        start: "2027-01-12T09:00".into(),
        end: "2027-01-12T10:00".into(),
        tz: "Asia/Shanghai".into(),
        customer_id: Some(company.clone()),
        ..Default::default()
    };
    app.calendar().create_event(&visit).unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let page = app.calendar().occurrences(day("2027-01-12"), day("2027-01-13"), "Asia/Shanghai".parse().unwrap(), None).unwrap();
    assert_eq!(page.iter().map(|o| o.title.as_str()).collect::<Vec<_>>(), ["拜访"]);
    assert_eq!(app.calendar().for_customer(&company).unwrap().events.len(), 1);
}
