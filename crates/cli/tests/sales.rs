//! The sales commands as scripts run them: `quote new|list|show`, `contract new`, `products`,
//! `pdf`, and `demo-data` filling the pipeline. Their outputs are contracts (see cmd/sales.rs).

mod common;

use std::path::Path;

fn satchel(db: &Path, args: &[&str]) -> (i32, String, String) {
    common::satchel_with(db, args, "", &[])
}

fn lines_file(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn customer(db: &Path, name: &str) {
    let app = satchel_core::Satchel::open(db, satchel_core::store::Profile { author: "ana".into(), device: "ana-laptop".into() }).unwrap();
    app.customers().create(satchel_core::customers::CustomerInput::named(satchel_core::customers::CustomerKind::Company, name)).unwrap();
}

#[test]
fn a_quote_from_a_csv_file_prints_its_number_and_shows_its_totals_as_decimal_strings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    customer(&db, "上海示例贸易有限公司");
    let csv = lines_file(
        dir.path(),
        "lines.csv",
        "description,quantity,unit,unit_price,discount_percent,tax_percent\n办公椅 Office chair,3,把,1299.00,0,13\n\"Desk, oak\",2,pcs,100,10,13\nInstallation 安装,1,次,50,,6\n",
    );
    let (code, out, err) = satchel(&db, &["quote", "new", "--customer", "上海示例贸易有限公司", "--lines", &csv]);
    assert_eq!(code, 0, "{err}");
    let year = chrono::Local::now().format("%Y").to_string();
    assert_eq!(out, format!("Q-{year}-0001\n"));
    let number = out.trim();

    let (code, out, _) = satchel(&db, &["quote", "show", number, "--json"]);
    assert_eq!(code, 0);
    let q: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(q["number"], number);
    assert_eq!(q["currency"], "CNY");
    let nets: Vec<&str> = q["lines"].as_array().unwrap().iter().map(|l| l["net"].as_str().unwrap()).collect();
    assert_eq!(nets, ["3897.00", "180.00", "50.00"]);
    assert_eq!(q["lines"][0]["tax"], "506.61");
    // Money is a string everywhere, never a JSON number.
    for key in ["subtotal", "discount", "tax", "total"] {
        assert!(q[key].is_string(), "{key}: {}", q[key]);
    }
    assert_eq!(
        (q["subtotal"].as_str(), q["discount"].as_str(), q["tax"].as_str(), q["total"].as_str()),
        (Some("4127.00"), Some("0.00"), Some("533.01"), Some("4660.01"))
    );

    let (code, out, _) = satchel(&db, &["quote", "list"]);
    assert_eq!(code, 0);
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(out, format!("{number}\t1\tdraft\t{today}\t上海示例贸易有限公司\t4660.01 CNY\n"));
    let (_, out, _) = satchel(&db, &["quote", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list[0]["total"], "4660.01");

    let (code, out, err) = satchel(&db, &["contract", "new", "--from-quote", number]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("C-{year}-0001\n"));
    let (_, out, _) = satchel(&db, &["quote", "show", number, "--json"]);
    let q: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(q["status"], "accepted");
}

#[test]
fn bad_lines_are_named_by_row_and_nothing_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    customer(&db, "Acme");
    // GBK, as Excel in China saves CSV, with Chinese headers.
    let (gbk, _, _) = encoding_rs::GBK.encode("名称,数量,单价,折扣\n办公椅,-1,12.345,0\n桌子,1,100,150\n");
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, &gbk).unwrap();
    let (code, out, err) = satchel(&db, &["quote", "new", "--customer", "acme", "--lines", path.to_str().unwrap(), "--currency", "JPY"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        out,
        "row 2, quantity: Quantity: must be more than zero\nrow 2, unit_price: Unit price: has too many decimals: JPY has 0\n\
         row 3, discount_percent: Discount %: must be between 0 and 100\n"
    );
    assert!(err.contains("no quote made"), "{err}");
    assert_eq!(satchel(&db, &["quote", "list"]).1, "");
    let ok = lines_file(dir.path(), "ok.csv", "description,quantity,unit_price\nChair,1,100\n");
    let (code, _, err) = satchel(&db, &["quote", "new", "--customer", "Nobody Ltd", "--lines", &ok]);
    assert_eq!(code, 2);
    assert!(err.contains("no customer is named"), "{err}");
    let (code, _, err) = satchel(&db, &["quote", "new", "--customer", "Acme", "--lines", &ok, "--currency", "RMB"]);
    assert_eq!(code, 1);
    assert!(err.contains("not a currency code"), "{err}");
}

#[test]
fn demo_data_fills_every_stage_and_the_catalogue_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let (code, out, err) = satchel(&db, &["demo-data", "--customers", "400", "--seed", "5"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("created 400 demo customers in "), "{out}");
    // A tenth of the customers as deals, a fifth as quotes (demo.rs counts everything else).
    assert!(out.contains("\ncreated 12 products, 40 opportunities, 80 quotes and "), "{out}");
    let c = rusqlite::Connection::open(&db).unwrap();
    let stages: i64 = c.query_row("SELECT count(DISTINCT stage) FROM opportunities", [], |r| r.get(0)).unwrap();
    assert_eq!(stages, 6, "a deal in every stage");
    let statuses: i64 = c.query_row("SELECT count(DISTINCT status) FROM quotes", [], |r| r.get(0)).unwrap();
    assert_eq!(statuses, 5, "draft, sent, accepted, rejected and superseded quotes");
    let chinese: i64 = c.query_row("SELECT count(*) FROM quote_lines WHERE description GLOB '*[一-龥]*'", [], |r| r.get(0)).unwrap();
    assert!(chinese > 0);

    let (code, csv, _) = satchel(&db, &["products", "export"]);
    assert_eq!(code, 0);
    assert!(csv.contains("CH-100,Ergonomic office chair,人体工学办公椅,把,13,yes,,1299.00,189.00"), "{csv}");
    let other = dir.path().join("other.db");
    let file = lines_file(dir.path(), "catalogue.csv", &csv);
    let (code, out, err) = satchel(&other, &["products", "import", &file]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "imported 12 new, 0 updated\n");
}
