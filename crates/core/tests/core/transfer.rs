//! Import and export on real databases: round trips through CSV and vCard, spreadsheet edits,
//! Chinese encodings, refused rows, cancel, and files that are not what they claim.

use crate::fixtures::*;
use satchel_core::customers::transfer::{csv::ColumnMap, ExportFormat, FileFormat, ImportFile, TextEncoding};
use satchel_core::customers::{Address, Customer, CustomerInput, ListQuery, Stage};
use satchel_core::error::{CoreError, FileProblem};
use satchel_core::i18n::Locale;
use satchel_core::Satchel;
use std::sync::atomic::AtomicBool;

fn log_len(app: &Satchel) -> i64 {
    app.store().read(|c| Ok(c.query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))?)).unwrap()
}

fn live_count(app: &Satchel) -> u32 {
    app.customers().list(&ListQuery::default()).total
}

/// A small book with everything a round trip can lose: Chinese text, several labelled phones and
/// emails, an address, tags, notes with quotes, commas and line breaks, and empty fields.
fn fill(app: &Satchel) -> Vec<Customer> {
    let co = app.customers().create(&CustomerInput { tags: vec!["供应商".into()], ..company("上海示例贸易有限公司") }).unwrap();
    let wang = app
        .customers()
        .create(&CustomerInput {
            company_id: Some(co.id.clone()),
            owner: "李娜".into(),
            stage: Stage::Won,
            source: "展会".into(),
            job_title: "采购经理, 华东区".into(),
            department: "采购部; 二组".into(),
            notes: "首次见面在展会，\"重点\"客户\n第二行, with a comma; and a semicolon".into(),
            birthday: Some("1988-02-29".into()),
            tags: vec!["VIP".into(), "华东".into()],
            phones: vec![point("mobile", "+86 138-0013-8000"), point("办公室", "021-62345678"), point("home", "010 8888 7777")],
            emails: vec![point("work", "wang@example.cn"), point("私人", "xiaoming@example.com")],
            addresses: vec![Address {
                id: None,
                label: "work".into(),
                street: "南京西路 1266 号".into(),
                city: "上海".into(),
                region: "上海".into(),
                postal_code: "200040".into(),
                country: "中国".into(),
            }],
            ..person("王小明")
        })
        .unwrap();
    let ann = app.customers().create(&person("Ann O'Neil")).unwrap();
    vec![co, wang, ann]
}

fn import(app: &Satchel, name: &str, bytes: Vec<u8>, encoding: Option<TextEncoding>) -> satchel_core::customers::transfer::ImportSummary {
    let file = ImportFile::from_bytes(name.into(), bytes, encoding, None, Locale::En).expect("file reads");
    let plan = app.customers().import_check(&file, None).expect("plan");
    assert!(plan.errors().is_empty(), "{:?}", plan.errors());
    app.customers().import_commit(&plan, &AtomicBool::new(false), &mut |_, _| {}).expect("commit")
}

/// What must survive a round trip: everything but row ids and timestamps.
fn comparable(c: &Customer) -> (CustomerInput, Option<String>, String) {
    let mut input = c.to_input();
    for p in input.phones.iter_mut().chain(input.emails.iter_mut()) {
        p.id = None;
    }
    for a in input.addresses.iter_mut() {
        a.id = None;
    }
    input.tags.sort();
    (input, c.company_name.clone(), c.id.0.clone())
}

fn round_trip(format: ExportFormat, name: &str) {
    let a = new_db();
    let originals = fill(&a.app);
    let (bytes, count) = a.app.customers().export(&ListQuery::default(), format).unwrap();
    assert_eq!(count, 3);
    let b = new_db();
    let summary = import(&b.app, name, bytes, None);
    assert_eq!((summary.created, summary.updated, summary.skipped), (3, 0, 0));
    for orig in &originals {
        let back = b.app.customers().get(&orig.id).expect("same id after the round trip");
        assert_eq!(comparable(&back), comparable(orig), "{format:?}");
    }
    assert_eq!(live_count(&b.app), 3, "the company was matched by name, not created twice");
}

#[test]
fn csv_export_then_import_gives_the_same_records() {
    round_trip(ExportFormat::Csv, "export.csv");
}

#[test]
fn vcard_3_and_4_export_then_import_give_the_same_records() {
    round_trip(ExportFormat::Vcard3, "export.vcf");
    round_trip(ExportFormat::Vcard4, "export.vcf");
}

#[test]
fn reimporting_an_unchanged_export_updates_in_place_and_writes_nothing() {
    let db = new_db();
    fill(&db.app);
    let (bytes, _) = db.app.customers().export(&ListQuery::default(), ExportFormat::Csv).unwrap();
    let before = log_len(&db.app);
    let summary = import(&db.app, "book.csv", bytes, None);
    assert_eq!((summary.created, summary.updated), (0, 3));
    assert_eq!(live_count(&db.app), 3, "no duplicates");
    assert_eq!(log_len(&db.app), before, "an unchanged round trip changes nothing, not even phone rows");
}

#[test]
fn a_spreadsheet_edit_updates_the_record_and_shows_in_its_history() {
    let db = new_db();
    let people = fill(&db.app);
    let wang = &people[1];
    let (bytes, _) = db.app.customers().export(&ListQuery::default(), ExportFormat::Csv).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    // In the spreadsheet: rename, and drop the second email.
    let edited = text.replace("王小明", "王晓明").replace("xiaoming@example.com", "");
    import(&db.app, "book.csv", edited.into_bytes(), None);
    let back = db.app.customers().get(&wang.id).unwrap();
    assert_eq!(back.name, "王晓明");
    assert_eq!(back.emails.len(), 1);
    assert_eq!(back.phones, wang.phones, "untouched phones keep their ids and labels");
    let history = db.app.customers().history(&wang.id).unwrap();
    assert!(history.iter().any(|h| h.field == "name" && h.old_value.as_deref() == Some("王小明")));
    assert_eq!(live_count(&db.app), 3);
}

#[test]
fn a_gbk_spreadsheet_with_chinese_headers_imports_and_links_companies() {
    let csv = "姓名,公司,手机,邮箱,标签,阶段,生日\r\n张伟,北京样例科技,13900001111,zw@example.cn,重点、华北,接触,1990/5/1\r\n\
               李静,北京样例科技,13900002222,,,线索,\r\n";
    let bytes = encoding_rs::GBK.encode(csv).0.into_owned();
    let db = new_db();
    let file = ImportFile::from_bytes("客户.csv".into(), bytes, None, None, Locale::ZhCn).unwrap();
    assert_eq!(file.encoding, TextEncoding::Gbk);
    assert_eq!(file.format, FileFormat::Csv);
    let preview = db.app.customers().import_preview(&file).unwrap();
    assert_eq!(preview.sample[0][0], "张伟");
    let plan = db.app.customers().import_check(&file, None).unwrap();
    let check = plan.check();
    assert_eq!((check.create, check.new_companies.clone()), (3, vec!["北京样例科技".to_string()]), "two people and their company");
    assert_eq!(live_count(&db.app), 0, "checking writes nothing");
    db.app.customers().import_commit(&plan, &AtomicBool::new(false), &mut |_, _| {}).unwrap();
    let hits = db.app.customers().search("张伟", None, 5);
    let zhang = db.app.customers().get(&hits[0].row.id).unwrap();
    assert_eq!(zhang.company_name.as_deref(), Some("北京样例科技"));
    assert_eq!(zhang.tags, vec!["重点", "华北"]);
    assert_eq!((zhang.stage, zhang.birthday.as_deref()), (Stage::Contacted, Some("1990-05-01")));
    assert_eq!(zhang.phones[0].label, "mobile");
    assert_eq!(live_count(&db.app), 3, "one company shared by both people");
}

#[test]
fn refused_rows_are_listed_and_the_rest_import_only_on_commit() {
    let db = new_db();
    db.app.set_locale(Locale::ZhCn);
    let csv = "name,email,phone\nGood One,good@example.com,13800138000\nBad Mail,not-an-email,\n,,\nBad Phone,,call me\n";
    let file = ImportFile::from_bytes("x.csv".into(), csv.as_bytes().to_vec(), None, None, Locale::ZhCn).unwrap();
    let plan = db.app.customers().import_check(&file, None).unwrap();
    let check = plan.check();
    assert_eq!(check.valid, 1);
    let errs: Vec<(u32, &str)> = check.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(errs, vec![(3, "email"), (5, "phone")]);
    assert!(check.errors[0].message.contains("邮箱"), "in the user's language: {}", check.errors[0].message);
    let summary = db.app.customers().import_commit(&plan, &AtomicBool::new(false), &mut |_, _| {}).unwrap();
    assert_eq!((summary.created, summary.skipped), (1, 2));
}

#[test]
fn a_cancelled_or_failed_import_leaves_the_database_as_it_was() {
    let db = new_db();
    fill(&db.app);
    let before = (log_len(&db.app), live_count(&db.app));
    let rows: String = (0..3000).map(|i| format!("Person {i},p{i}@example.com,公司{}\n", i % 7)).collect();
    let file =
        ImportFile::from_bytes("big.csv".into(), format!("name,email,company\n{rows}").into_bytes(), None, None, Locale::En).unwrap();
    let plan = db.app.customers().import_check(&file, None).unwrap();
    let cancel = AtomicBool::new(false);
    let mut calls = 0;
    let r = db.app.customers().import_commit(&plan, &cancel, &mut |done, _| {
        calls += 1;
        if done >= 1500 {
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    });
    assert!(matches!(r, Err(CoreError::Cancelled)), "{r:?}");
    assert!(calls >= 4, "progress was reported while writing");
    assert_eq!((log_len(&db.app), live_count(&db.app)), before, "nothing of the cancelled import remains");

    // A company the plan linked to is deleted before the commit: the commit fails as a whole.
    let csv = "name,company\nA,上海示例贸易有限公司\nB,上海示例贸易有限公司\n";
    let file = ImportFile::from_bytes("c.csv".into(), csv.as_bytes().to_vec(), None, None, Locale::En).unwrap();
    let plan = db.app.customers().import_check(&file, None).unwrap();
    let co = db.app.customers().search("上海示例贸易有限公司", None, 1)[0].row.id.clone();
    db.app.customers().delete(&co).unwrap();
    let before = (log_len(&db.app), live_count(&db.app));
    assert!(db.app.customers().import_commit(&plan, &AtomicBool::new(false), &mut |_, _| {}).is_err());
    assert_eq!((log_len(&db.app), live_count(&db.app)), before);
}

#[test]
fn files_that_are_not_what_they_claim_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.csv");
    std::fs::File::create(&huge).unwrap().set_len(2 << 30).unwrap(); // sparse: 2 GB without the disk
    let cases: Vec<(Result<ImportFile, CoreError>, &str)> = vec![
        (ImportFile::open(&huge, None, None, Locale::En), "2048 MB"),
        (ImportFile::from_bytes("a.csv".into(), b"PK\x03\x04xlsx".to_vec(), None, None, Locale::En), "Excel"),
        (ImportFile::from_bytes("a.csv".into(), vec![0xFF, 0xFF, 0x41, 0x42], None, None, Locale::En), "encoding"),
        (
            ImportFile::from_bytes(
                "a.csv".into(),
                encoding_rs::GBK.encode("姓名\n王").0.into_owned(),
                Some(TextEncoding::Utf8),
                None,
                Locale::En,
            ),
            "UTF-8",
        ),
        (ImportFile::from_bytes("a.csv".into(), vec![], None, None, Locale::En), "empty"),
    ];
    for (result, needle) in cases {
        match result {
            Err(e @ CoreError::File(_)) => assert!(e.message(Locale::En).contains(needle), "{needle}: {}", e.message(Locale::En)),
            Err(e) => panic!("{needle}: wrong error {e:?}"),
            Ok(_) => panic!("{needle}: accepted"),
        }
    }
    // No name column under the chosen mapping.
    let db = new_db();
    let file = ImportFile::from_bytes("a.csv".into(), b"name,phone\nA,12345678\n".to_vec(), None, None, Locale::En).unwrap();
    let only_phone = vec![
        ColumnMap { field: satchel_core::customers::transfer::csv::ImportField::Ignore, group: 0, label: String::new() },
        ColumnMap { field: satchel_core::customers::transfer::csv::ImportField::Phone, group: 1, label: String::new() },
    ];
    assert!(matches!(db.app.customers().import_check(&file, Some(&only_phone)), Err(CoreError::File(FileProblem::NoNameColumn))));
}

#[test]
fn export_follows_the_list_filter_and_order() {
    let db = new_db();
    fill(&db.app);
    let won = ListQuery { stage: Some(Stage::Won), ..Default::default() };
    let (bytes, count) = db.app.customers().export(&won, ExportFormat::Csv).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(count, 1);
    assert!(text.starts_with('\u{FEFF}'), "a BOM so Excel reads UTF-8");
    assert!(text.contains("王小明") && !text.contains("Ann O'Neil"));
    assert!(text.contains("phone 3 label") && text.contains("010 8888 7777"), "every phone gets a column");
}

#[test]
fn another_apps_uid_does_not_become_a_satchel_id() {
    let db = new_db();
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nUID:0b5a0c2e-3f1c-4d0e-9b7a-2f1e4c9d8a71\r\nEND:VCARD\r\n";
    let summary = import(&db.app, "phone.vcf", card.as_bytes().to_vec(), None);
    assert_eq!(summary.created, 1);
    let id = satchel_core::ids::CustomerId(summary.ids[0].clone());
    assert_ne!(id.as_str(), "0b5a0c2e-3f1c-4d0e-9b7a-2f1e4c9d8a71");
    assert!(id.created_ms().is_some(), "a fresh UUIDv7");
}

#[test]
fn a_large_import_is_searchable_and_listed_as_soon_as_it_commits() {
    let db = new_db();
    fill(&db.app);
    let rows: String = (0..3000).map(|i| format!("客户{i},c{i}@example.com,Firma {}\n", i % 11)).collect();
    let file =
        ImportFile::from_bytes("big.csv".into(), format!("name,email,company\n{rows}").into_bytes(), None, None, Locale::En).unwrap();
    let plan = db.app.customers().import_check(&file, None).unwrap();
    let summary = db.app.customers().import_commit(&plan, &AtomicBool::new(false), &mut |_, _| {}).unwrap();
    assert_eq!(summary.created, 3011, "3000 people and 11 companies");
    assert_eq!(live_count(&db.app), 3 + 3011, "the records that were there stay listed");
    let hit = &db.app.customers().search("客户2999", None, 1)[0].row;
    assert_eq!((hit.name.as_str(), hit.company_name.as_deref()), ("客户2999", Some("Firma 7")));
    assert_eq!(db.app.customers().search("王小明", None, 1).len(), 1);
    // The index built beside the write matches one built from the database afterwards.
    let q = ListQuery { limit: 1000, ..Default::default() };
    let before = db.app.customers().list(&q);
    db.app.reload().unwrap();
    assert_eq!(
        db.app.customers().list(&q).rows.iter().map(|r| (&r.id, &r.name, &r.company_name, &r.email)).collect::<Vec<_>>(),
        before.rows.iter().map(|r| (&r.id, &r.name, &r.company_name, &r.email)).collect::<Vec<_>>()
    );
}

/// Issue 13: re-importing an unchanged export moved some people to another company of the same
/// name (the oldest one), so 38 of 2,000 demo rows were written. A row naming the company its
/// person has now keeps that link, and the round trip writes nothing.
#[test]
fn a_round_trip_keeps_people_at_their_company_when_two_companies_share_its_name() {
    let db = new_db();
    let customers = db.app.customers();
    let older = customers.create(&company("示例贸易")).unwrap();
    let newer = customers.create(&company("示例贸易")).unwrap();
    let at_newer = customers.create(&CustomerInput { company_id: Some(newer.id.clone()), ..person("王小明") }).unwrap();
    let at_older = customers.create(&CustomerInput { company_id: Some(older.id.clone()), ..person("李娜") }).unwrap();
    for format in [ExportFormat::Csv, ExportFormat::Vcard4] {
        let (bytes, _) = customers.export(&ListQuery::default(), format).unwrap();
        let before = log_len(&db.app);
        let name = if format == ExportFormat::Csv { "book.csv" } else { "book.vcf" };
        import(&db.app, name, bytes, None);
        assert_eq!(log_len(&db.app), before, "{format:?}: an unchanged file writes nothing");
        assert_eq!(customers.get(&at_newer.id).unwrap().company_id, Some(newer.id.clone()));
        assert_eq!(customers.get(&at_older.id).unwrap().company_id, Some(older.id.clone()));
    }
}

/// Issue 13: phone numbers with extensions, as people write them, survive a round trip through
/// CSV and both vCard versions exactly as typed.
#[test]
fn phone_extensions_round_trip_through_csv_and_vcard() {
    use satchel_core::customers::ContactPoint;
    let a = new_db();
    let typed = ["0755 8888 9999 转 8001", "021-62345678 ext. 12", "+1 (555) 010-9999 x7"];
    let phones = typed.iter().map(|v| ContactPoint { id: None, label: "Office".into(), value: v.to_string() }).collect();
    let p = a.app.customers().create(&CustomerInput { phones, ..person("前台") }).unwrap();
    for (format, name) in [(ExportFormat::Csv, "p.csv"), (ExportFormat::Vcard3, "p.vcf"), (ExportFormat::Vcard4, "p4.vcf")] {
        let (bytes, _) = a.app.customers().export(&ListQuery::default(), format).unwrap();
        let b = new_db();
        let summary = import(&b.app, name, bytes, None);
        assert_eq!((summary.created, summary.skipped), (1, 0), "{format:?}");
        let back: Vec<String> = b.app.customers().get(&p.id).unwrap().phones.into_iter().map(|c| c.value).collect();
        assert_eq!(back, typed, "{format:?}");
    }
}

/// Issue 13: the check says what the file holds (people, companies) apart from the companies its
/// people's company column will create, for an Outlook export as for any file.
#[test]
fn the_check_counts_people_companies_and_new_companies_apart() {
    let db = new_db();
    db.app.customers().create(&company("Acme Trading")).unwrap();
    let outlook = "First Name,Last Name,Company,E-mail Address,Business Phone\n\
                   Ann,Lee,Acme Trading,ann@acme.example,021-62345678\n\
                   Bo,Chen,Globex,bo@globex.example,021-62345679\n\
                   Cy,Wu,Globex,cy@globex.example,\n\
                   Di,Ma,Initech,,13800138000\n";
    let file = ImportFile::from_bytes("contacts.csv".into(), outlook.as_bytes().to_vec(), None, None, Locale::En).unwrap();
    let check = db.app.customers().import_check(&file, None).unwrap().check();
    assert_eq!((check.people, check.companies), (4, 0));
    let mut made = check.new_companies.clone();
    made.sort();
    assert_eq!(made, ["Globex", "Initech"], "Acme Trading exists already");
    assert_eq!(check.valid, 6);
}

/// Issue 13: an Outlook export's columns that no row fills are marked, so the mapping folds them.
#[test]
fn the_preview_marks_columns_no_row_fills() {
    let db = new_db();
    let outlook = "First Name,Middle Name,Last Name,Job Title,Suffix,E-mail Address\n\
                   Ann,,Lee,Buyer,,ann@acme.example\n\
                   Bo,,Chen,, ,bo@globex.example\n";
    let file = ImportFile::from_bytes("contacts.csv".into(), outlook.as_bytes().to_vec(), None, None, Locale::En).unwrap();
    let preview = db.app.customers().import_preview(&file).unwrap();
    assert_eq!(preview.empty, [false, true, false, false, true, false]);
}

/// The header row Outlook (Microsoft 365, "Export to a file" > CSV) writes, in its order.
const OUTLOOK_HEADER: &str = "Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,\
Business Street,Business Street 2,Business Street 3,Business City,Business State,Business Postal Code,Business Country/Region,\
Home Street,Home Street 2,Home Street 3,Home City,Home State,Home Postal Code,Home Country/Region,\
Other Street,Other Street 2,Other Street 3,Other City,Other State,Other Postal Code,Other Country/Region,\
Assistant's Phone,Business Fax,Business Phone,Business Phone 2,Callback,Car Phone,Company Main Phone,Home Fax,Home Phone,\
Home Phone 2,ISDN,Mobile Phone,Other Fax,Other Phone,Pager,Primary Phone,Radio Phone,TTY/TDD Phone,Telex,Account,\
Anniversary,Assistant's Name,Billing Information,Birthday,Business Address PO Box,Categories,Children,Directory Server,\
E-mail Address,E-mail Type,E-mail Display Name,E-mail 2 Address,E-mail 2 Type,E-mail 2 Display Name,E-mail 3 Address,\
E-mail 3 Type,E-mail 3 Display Name,Gender,Government ID Number,Hobby,Home Address PO Box,Initials,Internet Free Busy,\
Keywords,Language,Location,Manager's Name,Mileage,Notes,Office Location,Organizational ID Number,Other Address PO Box,\
Priority,Private,Profession,Referred By,Sensitivity,Spouse,User 1,User 2,User 3,User 4,Web Page";

/// One Outlook row: the named columns filled, every other one empty (as Outlook leaves them).
fn outlook_row(values: &[(&str, &str)]) -> String {
    let cells: Vec<String> = OUTLOOK_HEADER
        .split(',')
        .map(|h| values.iter().find(|(k, _)| *k == h).map(|(_, v)| format!("\"{v}\"")).unwrap_or_default())
        .collect();
    cells.join(",")
}

/// Issue 13: an Outlook export keeps each person's job title and department; the check counts
/// people and the companies their column will make; Outlook's "Title" (Mr., Ms.) is not a job.
#[test]
fn an_outlook_export_keeps_job_title_and_department_and_counts_what_it_holds() {
    let db = new_db();
    let rows = [
        outlook_row(&[
            ("Title", "Ms."),
            ("First Name", "Ann"),
            ("Last Name", "Lee"),
            ("Company", "Acme Trading"),
            ("Department", "Purchasing"),
            ("Job Title", "Buyer"),
            ("E-mail Address", "ann@acme.example"),
            ("Business Phone", "021-62345678 ext. 12"),
        ]),
        outlook_row(&[
            ("First Name", "小明"),
            ("Last Name", "王"),
            ("Company", "上海示例贸易有限公司"),
            ("Department", "采购部"),
            ("Job Title", "采购经理"),
            ("Mobile Phone", "138 0013 8000"),
        ]),
        outlook_row(&[("First Name", "Bo"), ("Last Name", "Chen"), ("Company", "Acme Trading"), ("Job Title", "CEO")]),
    ];
    let csv = format!("{OUTLOOK_HEADER}\r\n{}\r\n", rows.join("\r\n"));
    let file = ImportFile::from_bytes("contacts.csv".into(), csv.into_bytes(), None, None, Locale::En).unwrap();
    let preview = db.app.customers().import_preview(&file).unwrap();
    let headers: Vec<&str> = OUTLOOK_HEADER.split(',').collect();
    let at = |h: &str| headers.iter().position(|x| *x == h).unwrap();
    assert!(!preview.empty[at("Job Title")] && !preview.empty[at("Department")]);
    assert!(preview.empty[at("Pager")] && preview.empty[at("Web Page")], "unfilled columns fold away");
    let plan = db.app.customers().import_check(&file, None).unwrap();
    let check = plan.check();
    assert_eq!((check.people, check.companies), (3, 0));
    let mut made = check.new_companies.clone();
    made.sort();
    assert_eq!(made, ["Acme Trading", "上海示例贸易有限公司"]);
    assert!(plan.errors().is_empty(), "{:?}", plan.errors());
    db.app.customers().import_commit(&plan, &AtomicBool::new(false), &mut |_, _| {}).unwrap();
    let ann = &db.app.customers().search("Ann Lee", None, 1)[0].row;
    assert_eq!((ann.job_title.as_str(), ann.department.as_str()), ("Buyer", "Purchasing"));
    let wang = db.app.customers().search("采购经理", None, 5);
    assert_eq!(wang.iter().map(|h| h.row.name.as_str()).collect::<Vec<_>>(), ["王小明"], "found by job title");
    assert_eq!(wang[0].row.department, "采购部");
    let bo = &db.app.customers().search("Bo Chen", None, 1)[0].row;
    assert_eq!((bo.job_title.as_str(), bo.department.as_str()), ("CEO", ""));
}

/// Issue 13: Google Contacts' CSV, in its current shape ("Organization Title") and its older
/// one ("Organization 1 - Title"), keeps job title and department.
#[test]
fn a_google_export_keeps_job_title_and_department() {
    let current = "First Name,Middle Name,Last Name,Organization Name,Organization Title,Organization Department,\
E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n\
Ann,,Lee,Acme Trading,Buyer,Purchasing,* Work,ann@acme.example,Mobile,+1 555 0100\n";
    let older = "Name,Given Name,Family Name,Organization 1 - Name,Organization 1 - Title,Organization 1 - Department,\
E-mail 1 - Type,E-mail 1 - Value\n\
李雷,雷,李,示例公司,工程师,技术部,* Work,li@example.cn\n";
    for (csv, name, title, dept) in [(current, "Ann Lee", "Buyer", "Purchasing"), (older, "李雷", "工程师", "技术部")] {
        let db = new_db();
        let summary = import(&db.app, "google.csv", csv.as_bytes().to_vec(), None);
        assert_eq!((summary.created, summary.skipped), (2, 0), "the person and their company");
        let row = &db.app.customers().search(name, None, 1)[0].row;
        assert_eq!((row.job_title.as_str(), row.department.as_str()), (title, dept), "{name}");
    }
}

/// The job title and department stay out of a company's vCard and CSV row, and an export of
/// someone with a department but no company still carries it.
#[test]
fn a_department_without_a_company_round_trips_through_vcard() {
    let a = new_db();
    let p =
        a.app.customers().create(&CustomerInput { job_title: "顾问".into(), department: "Field Sales".into(), ..person("陈波") }).unwrap();
    for format in [ExportFormat::Vcard3, ExportFormat::Vcard4, ExportFormat::Csv] {
        let (bytes, _) = a.app.customers().export(&ListQuery::default(), format).unwrap();
        let b = new_db();
        let summary = import(&b.app, if format == ExportFormat::Csv { "p.csv" } else { "p.vcf" }, bytes, None);
        assert_eq!((summary.created, summary.skipped), (1, 0), "{format:?}: no company made from an empty ORG");
        let back = b.app.customers().get(&p.id).unwrap();
        assert_eq!((back.job_title.as_str(), back.department.as_str(), back.company_id), ("顾问", "Field Sales", None), "{format:?}");
    }
}

/// The cells of one exported row by header, as a spreadsheet reads the file.
fn exported_cells(bytes: &[u8], name_cell: &str) -> std::collections::HashMap<String, String> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let row = reader.records().map(Result::unwrap).find(|r| r.get(2) == Some(name_cell)).expect("the row");
    headers.into_iter().zip(row.iter().map(String::from)).collect()
}

#[test]
fn a_hostile_note_is_not_a_formula_in_the_export_and_comes_back_as_typed() {
    let a = new_db();
    let hostile = a
        .app
        .customers()
        .create(&CustomerInput {
            notes: "=HYPERLINK(\"http://evil.example\",\"click\")".into(),
            source: "@SUM(1+1)*cmd|' /C calc'!A0".into(),
            job_title: "'=already quoted".into(),
            department: "- sales".into(),
            tags: vec!["+VIP".into()],
            phones: vec![point("mobile", "+86 138 0013 8000"), point("work", "+1 (555) 010-0100")],
            ..person("=1+1")
        })
        .unwrap();
    let (bytes, _) = a.app.customers().export(&ListQuery::default(), ExportFormat::Csv).unwrap();
    let cells = exported_cells(&bytes, "'=1+1");
    assert_eq!(cells["notes"], "'=HYPERLINK(\"http://evil.example\",\"click\")", "the note is text in Excel and WPS");
    assert_eq!(cells["source"], "'@SUM(1+1)*cmd|' /C calc'!A0");
    assert_eq!(cells["job title"], "''=already quoted");
    assert_eq!(cells["department"], "'- sales");
    assert_eq!(cells["tags"], "'+VIP");
    assert_eq!(cells["phone 1"], "+86 138 0013 8000", "a phone reads as the number typed");
    assert_eq!(cells["phone 2"], "+1 (555) 010-0100");
    for (header, cell) in &cells {
        assert!(!cell.starts_with(['=', '@']), "{header}: {cell}");
    }
    let b = new_db();
    import(&b.app, "export.csv", bytes, None);
    let back = b.app.customers().get(&hostile.id).unwrap();
    assert_eq!(comparable(&back), comparable(&hostile), "the import takes off exactly the quotes the export added");
}

#[test]
fn an_ordinary_export_has_no_quotes_added() {
    let db = new_db();
    fill(&db.app);
    let (bytes, _) = db.app.customers().export(&ListQuery::default(), ExportFormat::Csv).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains(",'"), "{text}");
    assert!(text.contains("+86 138-0013-8000"));
}
