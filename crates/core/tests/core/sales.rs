//! The sales module on real SQLite files: the catalogue, quotes that add up to the cent, the
//! status flow and revisions, contracts whose instalments become tasks, the pipeline, a lead
//! converted in one step, refused input that leaves nothing half-saved, and quote numbers made
//! offline on several laptops that never clash after sync.

use super::fixtures::{company, laptop, new_db, person, send, TestDb};
use proptest::prelude::*;
use satchel_core::customers::Stage as CustomerStage;
use satchel_core::error::{CoreError, Invalid};
use satchel_core::ids::CustomerId;
use satchel_core::sales::api::LeadConversion;
use satchel_core::sales::opportunities::DealFilter;
use satchel_core::sales::*;
use satchel_core::Satchel;

fn line(desc: &str, qty: &str, price: &str, disc: &str, tax: &str) -> QuoteLineInput {
    QuoteLineInput {
        product_id: None,
        description: desc.into(),
        quantity: qty.into(),
        unit: "pcs".into(),
        unit_price: price.into(),
        discount_percent: disc.into(),
        tax_percent: tax.into(),
    }
}

fn quote_for(customer: &CustomerId, lines: Vec<QuoteLineInput>) -> QuoteInput {
    QuoteInput {
        customer_id: Some(customer.clone()),
        currency: "CNY".into(),
        issued_on: "2026-12-04".into(),
        valid_until: "2099-01-31".into(),
        lines,
        ..Default::default()
    }
}

fn count(app: &Satchel, table: &str) -> i64 {
    app.store().read(|c| Ok(c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)).unwrap()
}

fn fields(e: &CoreError) -> Vec<String> {
    e.fields()
}

#[test]
fn a_quote_adds_up_to_the_cent_and_numbers_run_on() {
    let db = new_db();
    let acme = db.app.customers().create(company("上海示例贸易有限公司")).unwrap();
    let chair = db
        .app
        .sales()
        .create_product(&ProductInput {
            code: "CH-01".into(),
            name_en: "Office chair".into(),
            name_zh: "办公椅".into(),
            unit: "把".into(),
            tax_percent: "13".into(),
            active: true,
            prices: vec![Price { currency: "cny".into(), price: "1299".into() }, Price { currency: "USD".into(), price: "189.5".into() }],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        chair.prices,
        vec![Price { currency: "CNY".into(), price: "1299.00".into() }, Price { currency: "USD".into(), price: "189.50".into() }]
    );
    let mut chair_line = line("办公椅 Office chair", "3", "1299.00", "0", "13");
    chair_line.product_id = Some(chair.id.clone());
    let mut input =
        quote_for(&acme.id, vec![chair_line, line("Desk, oak", "2", "100", "10", "13"), line("Installation 安装", "1", "50", "0", "6")]);
    input.discount_percent = "5".into();
    let q = db.app.sales().create_quote(&input).unwrap();
    assert_eq!(q.number, "Q-2026-0001");
    assert_eq!(q.customer_name, "上海示例贸易有限公司");
    let nets: Vec<&str> = q.lines.iter().map(|l| l.net.as_str()).collect();
    assert_eq!(nets, ["3897.00", "180.00", "50.00"]);
    // 4127.00 - 5 % (206.35) = 3920.65; tax (3897 + 180) × 0.95 × 13 % = 503.51, 50 × 0.95 × 6 % = 2.85.
    assert_eq!((q.subtotal.as_str(), q.discount.as_str(), q.tax.as_str(), q.total.as_str()), ("4127.00", "206.35", "506.36", "4427.01"));
    assert_eq!(q.taxes.iter().map(|t| (t.percent.as_str(), t.tax.as_str())).collect::<Vec<_>>(), [("6", "2.85"), ("13", "503.51")]);
    assert_eq!(q.status, QuoteStatus::Draft);
    let second = db.app.sales().create_quote(&quote_for(&acme.id, vec![line("Chair", "1", "1", "0", "0")])).unwrap();
    assert_eq!(second.number, "Q-2026-0002");
    // By number, as the CLI finds it; the list shows the total.
    assert_eq!(db.app.sales().quote_by_number("Q-2026-0001").unwrap().id, q.id);
    let list = db.app.sales().quotes(None, 10).unwrap();
    assert_eq!(list.iter().find(|s| s.id == q.id).unwrap().total, "4427.01");
}

#[test]
fn yen_has_no_cents_and_a_price_with_too_many_decimals_is_refused() {
    let db = new_db();
    let acme = db.app.customers().create(company("Acme KK")).unwrap();
    let mut input = quote_for(&acme.id, vec![line("Chair", "3", "333", "10", "10")]);
    input.currency = "JPY".into();
    let q = db.app.sales().create_quote(&input).unwrap();
    assert_eq!((q.subtotal.as_str(), q.tax.as_str(), q.total.as_str()), ("899", "90", "989"));
    input.lines[0].unit_price = "333.5".into();
    let e = db.app.sales().create_quote(&input).unwrap_err();
    assert_eq!(fields(&e), ["lines.0.unitPrice"]);
    assert!(e.message(satchel_core::i18n::Locale::En).contains("JPY has 0"), "{}", e.message(satchel_core::i18n::Locale::En));
}

#[test]
fn bad_input_names_every_field_and_saves_nothing() {
    let db = new_db();
    let acme = db.app.customers().create(company("Acme")).unwrap();
    let before = (count(&db.app, "quotes"), count(&db.app, "quote_lines"), count(&db.app, "change_log"));
    let mut input = quote_for(&acme.id, vec![line("Chair", "-2", "10.005", "150", "13"), line("", "1", "5", "0", "0")]);
    input.currency = "CNY".into();
    let e = db.app.sales().create_quote(&input).unwrap_err();
    assert_eq!(fields(&e), ["lines.0.quantity", "lines.0.unitPrice", "lines.0.discountPercent", "lines.1.description"]);
    let zh = e.to_app(satchel_core::i18n::Locale::ZhCn);
    assert!(zh.fields[0].message.contains("数量"), "{}", zh.fields[0].message);
    assert!(zh.fields[0].message.contains("必须大于零"), "{}", zh.fields[0].message);
    let mut unknown = quote_for(&acme.id, vec![line("Chair", "1", "1", "0", "0")]);
    unknown.currency = "RMB".into();
    assert_eq!(fields(&db.app.sales().create_quote(&unknown).unwrap_err()), ["currency"]);
    let empty = quote_for(&acme.id, vec![]);
    let e = db.app.sales().create_quote(&empty).unwrap_err();
    assert!(matches!(e, CoreError::Validation { reason: Invalid::NoLines, .. }), "{e:?}");
    // A customer in the trash cannot be quoted.
    db.app.customers().delete(&acme.id).unwrap();
    let gone = db.app.sales().create_quote(&quote_for(&acme.id, vec![line("Chair", "1", "1", "0", "0")])).unwrap_err();
    assert_eq!(fields(&gone), ["customerId"]);
    assert_eq!((count(&db.app, "quotes"), count(&db.app, "quote_lines")), (before.0, before.1));
    // No number was used up either.
    let acme2 = db.app.customers().create(company("Acme 2")).unwrap();
    assert_eq!(db.app.sales().create_quote(&quote_for(&acme2.id, vec![line("Chair", "1", "1", "0", "0")])).unwrap().number, "Q-2026-0001");
}

#[test]
fn a_sent_quote_is_revised_not_edited_and_becomes_a_contract_with_tasks() {
    let db = new_db();
    let sales = db.app.sales();
    let acme = db.app.customers().create(company("Acme")).unwrap();
    let input = quote_for(&acme.id, vec![line("Chair", "2", "500", "0", "13")]);
    let q = sales.create_quote(&input).unwrap();
    let mut edited = input.clone();
    edited.lines[0].quantity = "3".into();
    assert_eq!(sales.update_quote(&q.id, &edited).unwrap().total, "1695.00");
    let tasks_before = count(&db.app, "tasks");
    let sent = sales.send_quote(&q.id).unwrap();
    assert_eq!((sent.status, sent.sent_on.is_empty()), (QuoteStatus::Sent, false));
    // A reminder to follow up before it expires.
    assert_eq!(count(&db.app, "tasks"), tasks_before + 1);
    let e = sales.update_quote(&q.id, &input).unwrap_err();
    assert!(matches!(e, CoreError::Validation { reason: Invalid::Locked { .. }, .. }), "{e:?}");
    let v2 = sales.revise_quote(&q.id).unwrap();
    assert_eq!((v2.number.as_str(), v2.version, v2.status), (q.number.as_str(), 2, QuoteStatus::Draft));
    assert_eq!(v2.total, "1695.00");
    // The old version is still readable, superseded; the number now finds the new one.
    let old = sales.get_quote(&q.id).unwrap();
    assert_eq!((old.status, old.total.as_str()), (QuoteStatus::Superseded, "1695.00"));
    assert_eq!(old.versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(sales.quote_by_number(&q.number).unwrap().id, v2.id);
    assert_eq!(sales.quotes(None, 10).unwrap().len(), 1, "the list shows the newest version only");
    // The superseded version cannot become a contract; the current one can, in one step, and is
    // then accepted.
    assert!(sales.contract_from_quote(&q.id).is_err());
    sales.send_quote(&v2.id).unwrap();
    let tasks_before = count(&db.app, "tasks");
    let k = sales.contract_from_quote(&v2.id).unwrap();
    assert_eq!(k.number, format!("C-{}-0001", sales.today().format("%Y")));
    assert_eq!((k.value.as_str(), k.currency.as_str(), k.quote_number.as_str()), ("1695.00", "CNY", q.number.as_str()));
    assert_eq!(k.instalments.len(), 1);
    assert_eq!(k.instalments[0].amount, "1695.00");
    // The instalment's task and the renewal task, reminded on their day.
    assert_eq!(count(&db.app, "tasks"), tasks_before + 2);
    let task = db.app.calendar().get_task(k.instalments[0].task_id.as_ref().unwrap()).unwrap();
    assert_eq!(task.due_date, k.instalments[0].due_on);
    assert!(task.title.contains(&k.number), "{}", task.title);
    assert_eq!(sales.get_quote(&v2.id).unwrap().status, QuoteStatus::Accepted);
    assert_eq!(sales.contract_by_number(&k.number).unwrap().id, k.id);
    // A draft becomes a contract too (sent and accepted today, in the same write).
    let draft = sales.create_quote(&input).unwrap();
    let k2 = sales.contract_from_quote(&draft.id).unwrap();
    assert_eq!(k2.number, format!("C-{}-0002", sales.today().format("%Y")));
    let accepted = sales.get_quote(&draft.id).unwrap();
    assert_eq!((accepted.status, accepted.sent_on.is_empty(), accepted.decided_on.is_empty()), (QuoteStatus::Accepted, false, false));
}

#[test]
fn a_schedule_that_does_not_add_up_is_refused() {
    let db = new_db();
    let acme = db.app.customers().create(company("Acme")).unwrap();
    let input = ContractInput {
        title: "Support 2027".into(),
        customer_id: Some(acme.id.clone()),
        value: "1000.00".into(),
        currency: "CNY".into(),
        starts_on: "2027-01-01".into(),
        ends_on: "2027-12-31".into(),
        instalments: vec![
            InstalmentInput { label: "Deposit".into(), due_on: "2027-01-15".into(), amount: "300".into() },
            InstalmentInput { label: "Rest".into(), due_on: "2027-06-30".into(), amount: "600".into() },
        ],
        ..Default::default()
    };
    let e = db.app.sales().create_contract(&input).unwrap_err();
    assert_eq!(fields(&e), ["instalments"]);
    assert_eq!((count(&db.app, "contracts"), count(&db.app, "tasks")), (0, 0));
    let mut fixed = input.clone();
    fixed.instalments[1].amount = "700".into();
    let k = db.app.sales().create_contract(&fixed).unwrap();
    assert_eq!(k.instalments.iter().map(|i| i.amount.as_str()).collect::<Vec<_>>(), ["300.00", "700.00"]);
}

#[test]
fn deals_move_on_the_board_and_lost_needs_a_reason() {
    let db = new_db();
    let sales = db.app.sales();
    let acme = db.app.customers().create(company("Acme")).unwrap();
    let deal = sales
        .create_opportunity(&OpportunityInput {
            title: "Chairs for HQ".into(),
            customer_id: Some(acme.id.clone()),
            amount: "12000".into(),
            currency: "CNY".into(),
            expected_close: "2027-01-20".into(),
            competitors: vec!["Steelcase".into(), "Herman Miller".into(), "Steelcase".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!((deal.stage.as_str(), deal.effective_probability, deal.amount.as_str()), ("qualify", 10, "12000.00"));
    assert_eq!(deal.competitors, ["Herman Miller", "Steelcase"]);
    let e = sales.move_opportunity(&deal.id, "lost", "").unwrap_err();
    assert_eq!(fields(&e), ["lostReason"]);
    assert!(sales.move_opportunity(&deal.id, "nowhere", "").is_err());
    let won = sales.move_opportunity(&deal.id, "won", "").unwrap();
    assert_eq!((won.stage.as_str(), won.effective_probability, won.closed_on.is_empty()), ("won", 100, false));
    let board = sales.board(&DealFilter::default(), 50).unwrap();
    let column = board.iter().find(|c| c.stage.id == "won").unwrap();
    assert_eq!((column.count, column.cards[0].title.as_str()), (1, "Chairs for HQ"));
    // The stage change is in the record's history.
    let lost = sales.move_opportunity(&deal.id, "lost", "Price 价格").unwrap();
    assert_eq!(lost.lost_reason, "Price 价格");
    let record = satchel_core::records::RecordRef::new(&satchel_proto::tables::sales::OPPORTUNITY, deal.id.as_str());
    let history = satchel_core::records::history::of(db.app.store(), &record, None, 50).unwrap();
    assert!(
        history.iter().any(|h| h.field == "stage" && h.old_value.as_deref() == Some("qualify") && h.new_value.as_deref() == Some("won")),
        "{history:?}"
    );
}

#[test]
fn a_lead_becomes_a_company_a_person_and_a_deal_in_one_step() {
    let db = new_db();
    let mut lead = person("王海");
    lead.stage = CustomerStage::Lead;
    let lead = db.app.customers().create(lead).unwrap();
    let done = db
        .app
        .sales()
        .convert_lead(&LeadConversion {
            lead_id: lead.id.clone(),
            company_name: "海示科技有限公司".into(),
            person_name: String::new(),
            opportunity: OpportunityInput { title: "First order".into(), amount: "5000".into(), ..Default::default() },
        })
        .unwrap();
    let company = db.app.customers().get(done.company_id.as_ref().unwrap()).unwrap();
    assert_eq!(company.name, "海示科技有限公司");
    let converted = db.app.customers().get(&lead.id).unwrap();
    assert_eq!((converted.company_id.as_ref(), converted.stage), (Some(&company.id), CustomerStage::Contacted));
    assert_eq!(done.opportunity.customer_id.as_ref(), Some(&company.id));
    // A lead is converted once: the second time it is no longer a lead, and nothing is made.
    let customers = count(&db.app, "customers");
    assert!(db
        .app
        .sales()
        .convert_lead(&LeadConversion { lead_id: lead.id.clone(), company_name: "X".into(), ..Default::default() })
        .is_err());
    assert_eq!(count(&db.app, "customers"), customers);
    // A bad deal refuses the whole conversion.
    let mut lead2 = person("李娜");
    lead2.stage = CustomerStage::Lead;
    let lead2 = db.app.customers().create(lead2).unwrap();
    let before = (count(&db.app, "customers"), count(&db.app, "opportunities"));
    let e = db.app.sales().convert_lead(&LeadConversion {
        lead_id: lead2.id.clone(),
        company_name: "娜娜公司".into(),
        person_name: String::new(),
        opportunity: OpportunityInput { title: "Deal".into(), amount: "-5".into(), ..Default::default() },
    });
    assert!(e.is_err());
    assert_eq!((count(&db.app, "customers"), count(&db.app, "opportunities")), before);
    assert_eq!(db.app.customers().get(&lead2.id).unwrap().stage, CustomerStage::Lead);
}

#[test]
fn the_catalogue_goes_out_and_back_as_csv_and_a_bad_row_imports_nothing() {
    let db = new_db();
    let sales = db.app.sales();
    let csv = "code,name_en,name_zh,unit,tax_percent,active,price_CNY,price_USD\nCH-01,Office chair,办公椅,把,13,yes,1299,189.50\nDK-02,Desk,办公桌,张,13,no,2500.5,\n";
    let r = sales.import_products(csv.as_bytes()).unwrap();
    assert_eq!((r.created, r.updated, r.errors.len()), (2, 0, 0));
    let all = sales.products("", true).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(sales.products("", false).unwrap().len(), 1, "the inactive desk is left out of pickers");
    assert_eq!(sales.products("办公", true).unwrap().len(), 2);
    let out = sales.export_products().unwrap();
    assert!(out.starts_with("code,name_en,name_zh,unit,tax_percent,active,notes,price_CNY,price_USD\n"), "{out}");
    assert!(out.contains("CH-01,Office chair,办公椅,把,13,yes,,1299.00,189.50"), "{out}");
    // Re-importing the export (in GBK, as Excel in China saves it) updates by code.
    let changed = out.replace("1299.00", "1399.00");
    let (gbk, _, _) = encoding_rs::GBK.encode(&changed);
    let r = sales.import_products(&gbk).unwrap();
    assert_eq!((r.created, r.updated), (0, 2));
    assert_eq!(sales.products("CH-01", true).unwrap()[0].prices[0].price, "1399.00");
    let bad = "code,name_en,tax_percent,price_JPY\nX-1,Thing,13,100\nX-2,,13,5\nX-3,Other,150,1.5\n";
    let r = sales.import_products(bad.as_bytes()).unwrap();
    assert_eq!(
        r.errors.iter().map(|e| (e.row, e.column.as_str())).collect::<Vec<_>>(),
        [(3, "name_en"), (4, "tax_percent"), (4, "price_JPY")]
    );
    assert_eq!(sales.products("", true).unwrap().len(), 2, "nothing of the bad file was imported");
    // A code is unique in the catalogue.
    let e = sales
        .create_product(&ProductInput { code: "CH-01".into(), name_en: "Copy".into(), active: true, ..Default::default() })
        .unwrap_err();
    assert_eq!(fields(&e), ["code"]);
}

#[test]
fn settings_refuse_a_logo_that_is_not_an_image_and_a_bad_rate() {
    let db = new_db();
    let sales = db.app.sales();
    let e = sales.set_logo(b"this is not a picture").unwrap_err();
    assert_eq!(fields(&e), ["logo"]);
    let mut s = sales.settings().unwrap();
    s.rates.push(satchel_core::sales::settings::ExchangeRate { currency: "usd".into(), rate: "-7".into(), date: "2026-13-01".into() });
    s.numbering.width = 0;
    let e = sales.save_settings(&s).unwrap_err();
    assert_eq!(fields(&e), ["rates.0.rate", "rates.0.date", "numbering.width"]);
    let mut s = sales.settings().unwrap();
    s.numbering.quote_prefix = "BJ".into();
    s.numbering.year = false;
    s.numbering.width = 3;
    sales.save_settings(&s).unwrap();
    let acme = db.app.customers().create(company("Acme")).unwrap();
    assert_eq!(sales.create_quote(&quote_for(&acme.id, vec![line("Chair", "1", "1", "0", "0")])).unwrap().number, "BJ-001");
}

// ---- numbers across laptops ----

#[derive(Debug, Clone)]
enum Step {
    Quote { laptop: usize },
    Contract { laptop: usize },
    Revise { laptop: usize },
    Sync { from: usize, to: usize },
}

fn step(n: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..n).prop_map(|laptop| Step::Quote { laptop }),
        1 => (0..n).prop_map(|laptop| Step::Contract { laptop }),
        1 => (0..n).prop_map(|laptop| Step::Revise { laptop }),
        3 => (0..n, 0..n).prop_map(|(from, to)| Step::Sync { from, to }),
    ]
}

/// Three laptops of one team, each with the series the server gave it, sharing a customer.
fn team() -> (Vec<TestDb>, CustomerId) {
    let laptops: Vec<TestDb> = ["ana", "bo", "chen"].iter().map(|a| laptop(a)).collect();
    for (i, l) in laptops.iter().enumerate() {
        l.app.sales().take_series(&satchel_core::sales::numbers::series_code(i as u64 + 1)).unwrap();
    }
    let acme = laptops[0].app.customers().create(company("Acme")).unwrap();
    for other in &laptops[1..] {
        send(&laptops[0], other, 0);
    }
    (laptops, acme.id)
}

fn all_numbers(app: &Satchel, table: &str) -> Vec<(String, String)> {
    // A quote version is its number, its version and the series that made it (two laptops may
    // each revise the same quote offline: "v2" and "v2-B").
    let version = if table == "quotes" { "version || '-' || series" } else { "''" };
    app.store()
        .read(|c| {
            let mut st = c.prepare(&format!("SELECT number, {version} FROM {table} ORDER BY 1, 2"))?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Quotes, revisions and contracts made offline on three laptops, synced in any order: after
    /// a full sync every laptop has the same documents and no number (with its version) twice.
    #[test]
    fn numbers_made_offline_on_several_laptops_never_clash(steps in proptest::collection::vec(step(3), 1..40)) {
        let (laptops, acme) = team();
        let mut made = 0usize;
        for s in &steps {
            match s {
                Step::Quote { laptop } => {
                    laptops[*laptop].app.sales().create_quote(&quote_for(&acme, vec![line("Chair 椅子", "1", "10", "0", "13")])).unwrap();
                    made += 1;
                }
                Step::Contract { laptop } | Step::Revise { laptop } => {
                    let sales = laptops[*laptop].app.sales();
                    let latest = sales.quotes(None, 1000).unwrap();
                    if let Some(q) = latest.iter().find(|q| q.status == QuoteStatus::Draft) {
                        sales.send_quote(&q.id).unwrap();
                        if matches!(s, Step::Contract { .. }) {
                            sales.contract_from_quote(&q.id).unwrap();
                        } else {
                            sales.revise_quote(&q.id).unwrap();
                        }
                    }
                }
                Step::Sync { from, to } => {
                    if from != to {
                        send(&laptops[*from], &laptops[*to], 0);
                    }
                }
            }
        }
        for a in 0..3 {
            for b in 0..3 {
                if a != b {
                    send(&laptops[a], &laptops[b], 0);
                }
            }
        }
        let quotes = all_numbers(&laptops[0].app, "quotes");
        let contracts = all_numbers(&laptops[0].app, "contracts");
        for l in &laptops[1..] {
            prop_assert_eq!(&all_numbers(&l.app, "quotes"), &quotes);
            prop_assert_eq!(&all_numbers(&l.app, "contracts"), &contracts);
        }
        let mut unique = quotes.clone();
        unique.dedup();
        prop_assert_eq!(unique.len(), quotes.len(), "a quote number clashed: {:?}", quotes);
        let mut unique = contracts.clone();
        unique.dedup();
        prop_assert_eq!(unique.len(), contracts.len(), "a contract number clashed: {:?}", contracts);
        prop_assert!(quotes.iter().filter(|(_, v)| v.starts_with("1-")).count() == made);
    }
}

/// Why the series exists: two books that never joined a team number alike.
#[test]
fn two_books_without_a_series_would_clash() {
    let (a, b) = (laptop("ana"), laptop("bo"));
    let acme = a.app.customers().create(company("Acme")).unwrap();
    send(&a, &b, 0);
    let qa = a.app.sales().create_quote(&quote_for(&acme.id, vec![line("Chair", "1", "1", "0", "0")])).unwrap();
    let qb = b.app.sales().create_quote(&quote_for(&acme.id, vec![line("Chair", "1", "1", "0", "0")])).unwrap();
    assert_eq!(qa.number, qb.number);
    // With their series, the next ones differ.
    a.app.sales().take_series("A").unwrap();
    b.app.sales().take_series("B").unwrap();
    let (na, nb) = (
        a.app.sales().create_quote(&quote_for(&acme.id, vec![line("Chair", "1", "1", "0", "0")])).unwrap().number,
        b.app.sales().create_quote(&quote_for(&acme.id, vec![line("Chair", "1", "1", "0", "0")])).unwrap().number,
    );
    assert_eq!((na.as_str(), nb.as_str()), ("Q-2026-A0001", "Q-2026-B0001"));
    // A series, once taken, is kept (a later login's code does not change it).
    a.app.sales().take_series("Q").unwrap();
    assert_eq!(a.app.sales().series().unwrap(), "A");
}

#[test]
fn a_form_is_priced_before_it_is_saved_by_the_same_rule() {
    let db = new_db();
    let mut input = QuoteInput {
        currency: "CNY".into(),
        lines: vec![line("Chair", "3", "1299", "0", "13"), line("Desk", "2", "100", "10", "13")],
        ..Default::default()
    };
    input.discount_percent = "5".into();
    let t = db.app.sales().preview_quote(&input).unwrap();
    assert_eq!(t.lines.iter().map(|l| l.net.as_str()).collect::<Vec<_>>(), ["3897.00", "180.00"]);
    assert_eq!((t.subtotal.as_str(), t.discount.as_str(), t.total.as_str()), ("4077.00", "203.85", "4376.66"));
    let acme = db.app.customers().create(company("Acme")).unwrap();
    input.customer_id = Some(acme.id);
    let saved = db.app.sales().create_quote(&input).unwrap();
    assert_eq!((saved.subtotal, saved.discount, saved.tax, saved.total), (t.subtotal, t.discount, t.tax, t.total));
    input.lines[1].quantity = "x".into();
    assert_eq!(fields(&db.app.sales().preview_quote(&input).unwrap_err()), ["lines.1.quantity"]);
    // Saved views of the deals' list.
    let filter = DealFilter { stages: vec!["proposal".into()], query: "椅".into(), ..Default::default() };
    let v = db.app.sales().save_deal_view("Proposals 方案", &filter).unwrap();
    assert_eq!(db.app.sales().deal_views().unwrap(), vec![v.clone()]);
    assert_eq!(v.filter, filter);
    db.app.sales().delete_deal_view(&v.id).unwrap();
    assert!(db.app.sales().deal_views().unwrap().is_empty());
}

/// The board reads deals from the module's memory: after edits here, a renamed customer, a
/// deleted deal, settings changed and deals arriving by sync, it shows what SQLite holds.
#[test]
fn the_cached_board_follows_every_write_and_sync() {
    use satchel_core::sales::forecast::kanban;
    use satchel_core::sales::opportunities::deals_in;
    let (a, b) = (laptop("ana"), laptop("bo"));
    let acme = a.app.customers().create(company("Acme")).unwrap();
    send(&a, &b, 0);
    let deal = |l: &TestDb, title: &str, stage: &str| {
        l.app
            .sales()
            .create_opportunity(&OpportunityInput {
                title: title.into(),
                customer_id: Some(acme.id.clone()),
                stage: stage.into(),
                amount: "100".into(),
                ..Default::default()
            })
            .unwrap()
    };
    let check = |l: &TestDb, why: &str| {
        let s = l.app.sales().settings().unwrap();
        let from_db = l.app.store().read(|c| deals_in(c, &s, &DealFilter::default())).unwrap();
        assert_eq!(l.app.sales().board(&DealFilter::default(), 100).unwrap(), kanban(&from_db, &s.stages, 100), "{why}");
    };
    let d1 = deal(&a, "One", "qualify");
    check(&a, "first read");
    let d2 = deal(&a, "Two", "proposal");
    a.app.sales().move_opportunity(&d1.id, "won", "").unwrap();
    check(&a, "after a create and a move");
    let mut renamed = a.app.customers().get(&acme.id).unwrap().to_input();
    renamed.name = "Acme Holdings".into();
    a.app.customers().update(&acme.id, &renamed).unwrap();
    check(&a, "after the customer was renamed");
    assert!(a
        .app
        .sales()
        .board(&DealFilter::default(), 100)
        .unwrap()
        .iter()
        .flat_map(|c| &c.cards)
        .all(|c| c.customer_name == "Acme Holdings"));
    a.app.sales().delete_opportunity(&d2.id).unwrap();
    check(&a, "after a delete");
    let mut s = a.app.sales().settings().unwrap();
    s.stages[0].probability = 15;
    a.app.sales().save_settings(&s).unwrap();
    check(&a, "after a stage's probability changed");
    // Deals made on another laptop arrive by sync.
    a.app.sales().board(&DealFilter::default(), 100).unwrap();
    deal(&b, "From Bo", "negotiation");
    send(&b, &a, 0);
    check(&a, "after a sync");
    assert_eq!(a.app.sales().board(&DealFilter::default(), 100).unwrap().iter().map(|c| c.count).sum::<u32>(), 2);
}

/// A contract's schedule split into instalments after it was made: the old instalment's task goes,
/// each new one has its own, and the renewal reminder follows a new end date.
#[test]
fn an_edited_schedule_moves_its_reminders_with_it() {
    let db = new_db();
    let sales = db.app.sales();
    let acme = db.app.customers().create(company("Acme")).unwrap();
    let q = sales.create_quote(&quote_for(&acme.id, vec![line("Chair", "10", "100", "0", "0")])).unwrap();
    let k = sales.contract_from_quote(&q.id).unwrap();
    let live_tasks = || -> Vec<String> {
        let mut v: Vec<String> = db
            .app
            .store()
            .read(|c| {
                let mut st = c.prepare("SELECT title || ' ' || due_date FROM tasks WHERE deleted_at IS NULL")?;
                let rows = st.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
            })
            .unwrap();
        v.sort();
        v
    };
    assert_eq!(live_tasks().len(), 2, "{:?}", live_tasks());
    let mut input = satchel_core::sales::contracts::input_of(&k);
    input.ends_on = "2031-06-30".into();
    input.instalments = vec![
        InstalmentInput { label: "Deposit 定金".into(), due_on: "2027-01-10".into(), amount: "300".into() },
        InstalmentInput { label: "Balance 尾款".into(), due_on: "2027-03-10".into(), amount: "700".into() },
    ];
    let edited = sales.update_contract(&k.id, &input).unwrap();
    assert_eq!(
        edited.instalments.iter().map(|i| (i.label.as_str(), i.amount.as_str())).collect::<Vec<_>>(),
        [("Deposit 定金", "300.00"), ("Balance 尾款", "700.00")]
    );
    let tasks = live_tasks();
    assert_eq!(tasks.len(), 3, "{tasks:?}");
    assert!(tasks.iter().any(|t| t.contains("1 of 2") && t.ends_with("2027-01-10")), "{tasks:?}");
    assert!(tasks.iter().any(|t| t.contains("2031-06-30") && t.ends_with("2031-05-31")), "the renewal reminder follows the end: {tasks:?}");
    // A schedule that no longer adds up is refused and nothing changes.
    input.instalments[1].amount = "600".into();
    assert_eq!(fields(&sales.update_contract(&k.id, &input).unwrap_err()), ["instalments"]);
    assert_eq!(live_tasks(), tasks);
    // The deposit paid: its reminder is done too; unpaid again, the reminder is back.
    let deposit = edited.instalments[0].clone();
    let paid = sales.set_instalment_paid(&deposit.id, true).unwrap();
    assert_eq!(paid.instalments[0].paid_on, sales.today().format("%Y-%m-%d").to_string());
    let task = db.app.calendar().get_task(deposit.task_id.as_ref().unwrap()).unwrap();
    assert!(task.done_at.is_some());
    let unpaid = sales.set_instalment_paid(&deposit.id, false).unwrap();
    assert_eq!(unpaid.instalments[0].paid_on, "");
    assert!(db.app.calendar().get_task(deposit.task_id.as_ref().unwrap()).unwrap().done_at.is_none());
}

#[test]
fn the_global_search_finds_deals_quotes_and_contracts() {
    let db = new_db();
    let sales = db.app.sales();
    let acme = db.app.customers().create(company("上海示例贸易有限公司")).unwrap();
    sales
        .create_opportunity(&OpportunityInput {
            title: "Office chairs 办公椅".into(),
            customer_id: Some(acme.id.clone()),
            ..Default::default()
        })
        .unwrap();
    let q = sales.create_quote(&quote_for(&acme.id, vec![line("Chair", "1", "1", "0", "0")])).unwrap();
    sales.send_quote(&q.id).unwrap();
    let v2 = sales.revise_quote(&q.id).unwrap();
    let k = sales.contract_from_quote(&v2.id).unwrap();
    let kinds = |text: &str| sales.search(text, 20).unwrap().into_iter().map(|h| (h.kind, h.title)).collect::<Vec<_>>();
    assert_eq!(kinds("办公"), [("deal".to_string(), "Office chairs 办公椅".to_string())]);
    // By number: only the newest version of a quote (and the contract whose title names it).
    assert_eq!(kinds(&q.number.to_lowercase()), [("quote".to_string(), q.number.clone()), ("contract".to_string(), k.number.clone())]);
    assert_eq!(sales.search(&q.number, 20).unwrap()[0].id, v2.id.as_str());
    // By the customer's name: the deal, the quote and the contract.
    let all = kinds("示例贸易");
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(all.contains(&("contract".to_string(), k.number.clone())));
    assert!(kinds("%").is_empty(), "a LIKE wildcard is a character like any other");
}

/// Every change a contract made on one laptop reaches another once (its renewal task's id was
/// written twice in one write, and the second, sharing the first's clock, was dropped there).
#[test]
fn every_change_of_a_new_contract_reaches_another_laptop() {
    let (a, b) = (laptop("ana"), laptop("bo"));
    let acme = a.app.customers().create(company("Acme")).unwrap();
    let q = a.app.sales().create_quote(&quote_for(&acme.id, vec![line("Chair", "1", "1", "0", "0")])).unwrap();
    a.app.sales().contract_from_quote(&q.id).unwrap();
    send(&a, &b, 0);
    let all = |l: &TestDb| l.app.store().changes_since(0, u32::MAX).unwrap();
    let (ca, cb) = (all(&a), all(&b));
    let key = |c: &satchel_core::store::Change| format!("{} {} {}", c.table, c.column, c.row_id);
    let sa: std::collections::BTreeSet<String> = ca.iter().map(|(_, c)| key(c)).collect();
    let sb: std::collections::BTreeSet<String> = cb.iter().map(|(_, c)| key(c)).collect();
    assert_eq!(sa, sb);
    assert_eq!(ca.len(), cb.len(), "no column written twice in one write");
}

fn deal_for(app: &Satchel, customer: &CustomerId, title: &str) -> Opportunity {
    let input = OpportunityInput { title: title.into(), customer_id: Some(customer.clone()), amount: "1000".into(), ..Default::default() };
    app.sales().create_opportunity(&input).unwrap()
}

/// Deals, quotes and contracts have custom fields of their own, defined per type like the
/// customers': values are checked (a bad one refuses the whole save, naming the field), kept with
/// the record, carried into a quote's revision, and in the record's history.
#[test]
fn deals_quotes_and_contracts_keep_their_own_custom_fields() {
    use satchel_core::records::fields::{ChoiceOption, CustomFieldInput, FieldKind, FieldScope};
    let db = new_db();
    let (sales, records) = (db.app.sales(), db.app.records());
    let acme = db.app.customers().create(company("Acme")).unwrap();
    let field = |label: &str, kind, options: Vec<ChoiceOption>| CustomFieldInput {
        scope: FieldScope::Both,
        kind,
        label_en: label.into(),
        label_zh: String::new(),
        options,
    };
    let source = records
        .create_custom_field(
            "opportunity",
            &field("Lead source", FieldKind::Choice, vec![ChoiceOption { key: String::new(), en: "Trade fair".into(), zh: "展会".into() }]),
        )
        .unwrap();
    let po = records.create_custom_field("quote", &field("PO number", FieldKind::Text, vec![])).unwrap();
    let budget = records.create_custom_field("contract", &field("Budget code", FieldKind::Number, vec![])).unwrap();
    // Each type lists only its own; customers' are apart.
    assert_eq!(records.custom_fields("opportunity").unwrap().iter().map(|f| f.label_en.as_str()).collect::<Vec<_>>(), ["Lead source"]);
    assert_eq!(records.custom_fields("quote").unwrap().len(), 1);
    assert!(db.app.customers().custom_fields().unwrap().is_empty());
    assert!(records.custom_fields("no-such-type").is_err());

    // A deal: the choice typed by its Chinese label is stored as the option's key.
    let value = |f: &satchel_core::records::fields::CustomField, v: &str| CustomValue { field_id: f.id.clone(), value: v.into() };
    let input = OpportunityInput {
        title: "Chairs".into(),
        customer_id: Some(acme.id.clone()),
        amount: "500".into(),
        custom: vec![value(&source, "展会")],
        ..Default::default()
    };
    let deal = sales.create_opportunity(&input).unwrap();
    assert_eq!(deal.custom, [value(&source, &source.options[0].key)]);
    // A value the field cannot take refuses the save, names the field, and changes nothing.
    let bad = OpportunityInput { title: "Renamed".into(), custom: vec![value(&source, "Cold call")], ..input.clone() };
    let e = sales.update_opportunity(&deal.id, &bad).unwrap_err();
    assert_eq!(fields(&e), [format!("custom.{}", source.id)]);
    assert!(e.message(satchel_core::i18n::Locale::En).contains("Lead source"), "{}", e.message(satchel_core::i18n::Locale::En));
    assert_eq!(sales.get_opportunity(&deal.id).unwrap().title, "Chairs");
    // Saving without the value clears it (the form sends what the record keeps).
    let cleared = sales.update_opportunity(&deal.id, &OpportunityInput { custom: vec![], ..input.clone() }).unwrap();
    assert!(cleared.custom.is_empty());
    let record = satchel_core::records::RecordRef::new(&satchel_proto::tables::sales::OPPORTUNITY, deal.id.as_str());
    let history = satchel_core::records::history::of(db.app.store(), &record, None, 50).unwrap();
    assert!(history.iter().any(|h| h.field == format!("custom.{}", source.id)), "{history:?}");

    // A quote keeps its PO number through a revision; a contract its budget code, canonical.
    let q = sales
        .create_quote(&QuoteInput {
            custom: vec![value(&po, " PO-7788 ")],
            ..quote_for(&acme.id, vec![line("Chair", "1", "10", "0", "0")])
        })
        .unwrap();
    assert_eq!(q.custom, [value(&po, "PO-7788")]);
    sales.send_quote(&q.id).unwrap();
    assert_eq!(sales.revise_quote(&q.id).unwrap().custom, [value(&po, "PO-7788")]);
    let k = sales.contract_from_quote(&sales.quote_by_number(&q.number).unwrap().id).unwrap();
    assert!(k.custom.is_empty(), "a quote's fields are not a contract's");
    let mut edit = satchel_core::sales::contracts::input_of(&k);
    edit.custom = vec![value(&budget, "1,200")];
    assert_eq!(sales.update_contract(&k.id, &edit).unwrap().custom, [value(&budget, "1200")]);
    edit.custom = vec![value(&budget, "twelve")];
    assert_eq!(fields(&sales.update_contract(&k.id, &edit).unwrap_err()), [format!("custom.{}", budget.id)]);
    assert_eq!(records.custom_field_usage(&budget.id).unwrap(), 1);
}

/// Events and tasks can be about a deal: the deal's page lists them, a deal brings its customer,
/// and a quote's expiry and a contract's payment reminders are filed under the deal too.
#[test]
fn a_deal_lists_its_own_events_and_tasks() {
    use satchel_core::calendar::{EventInput, TaskInput};
    let db = new_db();
    let (sales, cal) = (db.app.sales(), db.app.calendar());
    let acme = db.app.customers().create(company("Acme")).unwrap();
    let buyer = db.app.customers().create(person("Wang 王")).unwrap();
    let deal = deal_for(&db.app, &acme.id, "Chairs");
    let other = deal_for(&db.app, &acme.id, "Desks");
    // A task about the deal with no customer given takes the deal's.
    let task =
        cal.create_task(&TaskInput { title: "Call back".into(), opportunity_id: Some(deal.id.clone()), ..Default::default() }).unwrap();
    assert_eq!((task.customer_id.as_ref(), task.opportunity_id.as_ref()), (Some(&acme.id), Some(&deal.id)));
    // A meeting with the buyer (a person) about the company's deal keeps the person.
    let meeting = EventInput {
        title: "Demo".into(),
        start: "2027-01-12T10:00".into(),
        end: "2027-01-12T11:00".into(),
        customer_id: Some(buyer.id.clone()),
        opportunity_id: Some(deal.id.clone()),
        ..Default::default()
    };
    let ev = cal.create_event(&meeting).unwrap().event;
    assert_eq!((ev.customer_id.as_ref(), ev.opportunity_id.as_ref()), (Some(&buyer.id), Some(&deal.id)));
    let on_deal = cal.for_deal(&deal.id).unwrap();
    assert_eq!(on_deal.events.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(), ["Demo"]);
    assert_eq!(on_deal.tasks.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(), ["Call back"]);
    assert!(cal.for_deal(&other.id).unwrap().tasks.is_empty());
    // Moved to the other deal, it leaves the first.
    cal.update_event(
        &ev.id,
        &EventInput { opportunity_id: Some(other.id.clone()), ..meeting.clone() },
        satchel_core::calendar::Span::All,
        None,
    )
    .unwrap();
    assert!(cal.for_deal(&deal.id).unwrap().events.is_empty());
    assert_eq!(cal.for_deal(&other.id).unwrap().events.len(), 1);
    // A deal that does not exist (or is in the trash) is refused by name.
    sales.delete_opportunity(&other.id).unwrap();
    let e = cal.create_task(&TaskInput { title: "x".into(), opportunity_id: Some(other.id.clone()), ..Default::default() }).unwrap_err();
    assert_eq!(fields(&e), ["opportunityId"]);

    // The quote's expiry reminder and the contract's payment and renewal tasks land on the deal.
    let q = sales
        .create_quote(&QuoteInput {
            opportunity_id: Some(deal.id.clone()),
            ..quote_for(&acme.id, vec![line("Chair", "1", "10", "0", "0")])
        })
        .unwrap();
    sales.send_quote(&q.id).unwrap();
    sales.contract_from_quote(&q.id).unwrap();
    let titles: Vec<String> = cal.for_deal(&deal.id).unwrap().tasks.into_iter().map(|t| t.title).collect();
    assert_eq!(titles.len(), 4, "call back, expiry, instalment, renewal: {titles:?}");
    assert!(titles.iter().filter(|t| t.contains(&q.number)).count() >= 1, "{titles:?}");
}
