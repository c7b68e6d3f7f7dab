//! `satchel demo-data` as the performance budgets (issue 18) use it: every module's records in
//! proportion to the customers, each count given on its own when wanted, and the same book
//! again for the same seed. Real SQLite files, counted and compared with SQL.

mod common;

use common::count;
use std::path::Path;

fn satchel(db: &Path, args: &[&str]) -> (i32, String, String) {
    common::satchel_with(db, args, "", &[])
}

/// Each table's content as sorted rows: what a user sees (names, titles, subjects, amounts,
/// dates, statuses, numbers) and what records link to by their content, never the ids or the
/// times the rows were written.
const CONTENT: &[(&str, &str)] = &[
    (
        "customers",
        "SELECT c.kind, c.name, c.owner, c.stage, c.source, c.notes, c.birthday, p.name
         FROM customers c LEFT JOIN customers p ON p.id = c.company_id",
    ),
    (
        "opportunities",
        "SELECT o.title, o.stage, o.amount, o.currency, o.expected_close, o.closed_on, o.lost_reason, o.owner, c.name
         FROM opportunities o LEFT JOIN customers c ON c.id = o.customer_id",
    ),
    (
        "quotes",
        "SELECT q.number, q.version, q.status, q.currency, q.issued_on, q.valid_until, q.sent_on, q.decided_on, q.discount_percent,
                q.notes, q.owner, c.name, p.name, o.title, r.number
         FROM quotes q LEFT JOIN customers c ON c.id = q.customer_id LEFT JOIN customers p ON p.id = q.contact_id
         LEFT JOIN opportunities o ON o.id = q.opportunity_id LEFT JOIN quotes r ON r.id = q.revision_of",
    ),
    (
        "quote lines",
        "SELECT q.number, q.version, l.position, l.description, l.quantity, l.unit, l.unit_price, l.discount_percent, l.tax_percent
         FROM quote_lines l JOIN quotes q ON q.id = l.quote_id",
    ),
    (
        "contracts",
        "SELECT k.number, k.title, k.value, k.currency, k.starts_on, k.ends_on, k.status, k.signed_on, c.name, q.number
         FROM contracts k LEFT JOIN customers c ON c.id = k.customer_id LEFT JOIN quotes q ON q.id = k.quote_id",
    ),
    (
        "events",
        "SELECT e.kind, e.title, e.location, e.starts, e.ends, e.tz, e.rrule, e.reminders, e.status, e.owner, c.name
         FROM events e LEFT JOIN customers c ON c.id = e.customer_id",
    ),
    (
        "tickets",
        "SELECT t.number, t.subject, t.description, t.status, t.priority, t.channel, t.category, t.assignee, t.opened_at,
                t.first_response_at, t.resolved_at, t.closed_at, t.rating, t.rating_comment, c.name, p.code
         FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN products p ON p.id = t.product_id",
    ),
    ("ticket pauses", "SELECT t.number, x.from_at, x.until_at FROM ticket_pauses x JOIN tickets t ON t.id = x.ticket_id"),
    (
        "articles",
        "SELECT a.title, a.problem, a.solution, a.tags, a.language, p.code FROM articles a LEFT JOIN products p ON p.id = a.product_id",
    ),
];

fn content(db: &Path, sql: &str) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c.prepare(sql).unwrap();
    let n = st.column_count();
    let mut rows: Vec<String> = st
        .query_map([], |r| {
            let cells: Vec<String> = (0..n).map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap())).collect();
            Ok(cells.join(" | "))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.sort();
    rows
}

/// The first row where two books differ, for the failure message.
fn first_difference(a: &[String], b: &[String]) -> String {
    match a.iter().zip(b).find(|(x, y)| x != y) {
        Some((x, y)) => format!("{x}\n    vs {y}"),
        None => format!("{} rows vs {}", a.len(), b.len()),
    }
}

#[test]
fn demo_data_makes_every_modules_records_in_proportion_to_the_customers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let (code, out, err) = satchel(&db, &["demo-data", "--customers", "2000", "--seed", "5"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("created 2000 demo customers in ") && lines[0].ends_with(&format!(" s ({})", db.display())), "{out}");
    let contracts = count(&db, "SELECT count(*) FROM contracts");
    assert!(contracts > 0, "some quotes became contracts");
    assert_eq!(lines[1], format!("created 12 products, 200 opportunities, 400 quotes and {contracts} contracts"));
    assert_eq!(lines[2], "created 2000 events (20 recurring series), 1000 tickets and 200 articles");

    let n = |sql: &str| count(&db, sql);
    assert_eq!(n("SELECT count(*) FROM customers WHERE deleted_at IS NULL"), 2000);
    assert_eq!(n("SELECT count(*) FROM opportunities"), 200);
    assert_eq!(n("SELECT count(*) FROM quotes"), 400);
    assert_eq!(n("SELECT count(*) FROM events"), 2000);
    assert_eq!(n("SELECT count(*) FROM events WHERE rrule <> ''"), 20);
    assert_eq!(n("SELECT count(*) FROM tickets"), 1000);
    assert_eq!(n("SELECT count(*) FROM articles"), 200);

    // What a user of the demo book sees: every status somewhere, both languages, links that hold.
    assert_eq!(n("SELECT count(DISTINCT stage) FROM opportunities"), 6, "a deal in every stage");
    assert_eq!(n("SELECT count(DISTINCT status) FROM quotes"), 5, "draft, sent, accepted, rejected and superseded quotes");
    assert!(
        n("SELECT count(*) FROM quotes WHERE status = 'sent' AND valid_until < date('now', 'localtime')") > 0,
        "some sent quotes expired"
    );
    assert!(n("SELECT count(*) FROM quotes WHERE version = 2 AND revision_of <> ''") > 0, "some quotes were revised");
    assert!(n("SELECT count(*) FROM quotes WHERE opportunity_id <> ''") > 0, "some quotes are for deals");
    assert_eq!(n("SELECT count(DISTINCT number) FROM contracts"), contracts, "contract numbers are unique");
    assert_eq!(
        n("SELECT count(*) FROM (SELECT 1 FROM quotes GROUP BY number, version HAVING count(*) > 1)"),
        0,
        "a quote's number is its own"
    );
    assert_eq!(
        n("SELECT count(*) FROM quotes q LEFT JOIN customers c ON c.id = q.customer_id WHERE c.id IS NULL"),
        0,
        "every quote's customer exists"
    );

    assert!(n("SELECT count(*) FROM events WHERE starts < date('now', '-6 months')") > 0, "events in the past year");
    assert!(n("SELECT count(*) FROM events WHERE starts > date('now', '+6 months')") > 0, "and in the next");
    assert!(n("SELECT count(*) FROM events WHERE customer_id <> ''") > 1000, "most about a customer");
    assert!(n("SELECT count(DISTINCT owner) FROM events") >= 5, "on different people's calendars");
    assert!(n("SELECT count(DISTINCT kind) FROM events") >= 4, "meetings, calls, visits and demos");
    assert!(n("SELECT count(*) FROM events WHERE tz = ''") > 0, "some all day");
    assert!(
        n("SELECT count(*) FROM events WHERE rrule LIKE 'FREQ=WEEKLY%'") > 0
            && n("SELECT count(*) FROM events WHERE rrule LIKE 'FREQ=MONTHLY%'") > 0
    );
    let chinese = |table: &str, column: &str| n(&format!("SELECT count(*) FROM {table} WHERE {column} GLOB '*[一-龥]*'"));
    let english = |table: &str, column: &str| n(&format!("SELECT count(*) FROM {table} WHERE {column} NOT GLOB '*[一-龥]*'"));
    for (table, column) in [("events", "title"), ("tickets", "subject"), ("articles", "title")] {
        assert!(chinese(table, column) > 0 && english(table, column) > 0, "{table} in Chinese and in English");
    }

    assert_eq!(n("SELECT count(DISTINCT status) FROM tickets"), 6, "tickets in every status");
    assert_eq!(n("SELECT count(DISTINCT priority) FROM tickets"), 4);
    assert!(n("SELECT count(DISTINCT channel) FROM tickets") >= 4);
    assert_eq!(n("SELECT count(DISTINCT number) FROM tickets"), 1000, "ticket numbers are unique");
    assert_eq!(n("SELECT count(*) FROM tickets WHERE number NOT GLOB 'T-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'"), 0);
    assert_eq!(
        n("SELECT count(*) FROM tickets WHERE opened_at < datetime('now', '-61 days') OR opened_at > datetime('now')"),
        0,
        "opened over the last 60 days"
    );
    assert_eq!(
        n("SELECT count(*) FROM tickets WHERE status NOT IN ('new', 'assigned') AND first_response_at = ''"),
        0,
        "worked-on tickets were answered"
    );
    assert_eq!(n("SELECT count(*) FROM tickets WHERE status = 'closed' AND closed_at = ''"), 0);
    assert!(n("SELECT count(*) FROM tickets WHERE rating BETWEEN 1 AND 5") > 0, "some closed tickets were rated");
    assert!(n("SELECT count(*) FROM tickets WHERE product_id <> ''") > 0);
    assert_eq!(
        n("SELECT count(*) FROM tickets t WHERE status = 'waiting' AND NOT EXISTS (SELECT 1 FROM ticket_pauses p WHERE p.ticket_id = t.id AND p.until_at = '')"),
        0,
        "a ticket waiting on the customer has its SLA clock stopped"
    );
    assert!(n("SELECT count(*) FROM articles WHERE product_id <> ''") > 0, "some articles are about a product");
    assert!(n("SELECT count(*) FROM articles WHERE language = 'zh'") > 0 && n("SELECT count(*) FROM articles WHERE language = 'en'") > 0);

    // The app's own reads agree.
    let (code, out, err) = satchel(&db, &["ticket", "list"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().count() > 0, "{out}");
}

#[test]
fn each_demo_count_can_be_given_and_a_series_is_one_of_the_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("given.db");
    let args = [
        "demo-data",
        "--customers",
        "300",
        "--opportunities",
        "5",
        "--quotes",
        "9",
        "--events",
        "10",
        "--series",
        "3",
        "--tickets",
        "7",
        "--articles",
        "0",
    ];
    let (code, out, err) = satchel(&db, &args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\ncreated 12 products, 5 opportunities, 9 quotes and "), "{out}");
    assert!(out.ends_with("\ncreated 10 events (3 recurring series), 7 tickets and 0 articles\n"), "{out}");
    let n = |sql: &str| count(&db, sql);
    assert_eq!(
        [
            n("SELECT count(*) FROM customers"),
            n("SELECT count(*) FROM opportunities"),
            n("SELECT count(*) FROM quotes"),
            n("SELECT count(*) FROM events")
        ],
        [300, 5, 9, 10]
    );
    assert_eq!(
        [n("SELECT count(*) FROM events WHERE rrule <> ''"), n("SELECT count(*) FROM tickets"), n("SELECT count(*) FROM articles")],
        [3, 7, 0]
    );

    let other = dir.path().join("refused.db");
    let (code, out, err) = satchel(&other, &["demo-data", "--customers", "10", "--events", "4", "--series", "5"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("--series 5 is more than --events 4"), "{err}");
    assert!(!other.exists(), "no book was made for counts that were refused");
}

#[test]
fn the_same_seed_makes_the_same_demo_book_and_another_seed_another() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (dir.path().join("a.db"), dir.path().join("b.db"), dir.path().join("c.db"));
    for (db, seed) in [(&a, "9"), (&b, "9"), (&c, "10")] {
        let (code, _, err) = satchel(db, &["demo-data", "--customers", "400", "--seed", seed]);
        assert_eq!(code, 0, "{err}");
    }
    for (table, sql) in CONTENT {
        let (first, again, other) = (content(&a, sql), content(&b, sql), content(&c, sql));
        assert!(!first.is_empty(), "{table}: the demo book has some");
        assert!(first == again, "{table} differ for the same seed: {}", first_difference(&first, &again));
        assert_ne!(first, other, "{table}: another seed makes other {table}");
    }
}

#[test]
fn demo_data_help_lists_every_count() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = satchel(&dir.path().join("h.db"), &["demo-data", "--help"]);
    assert_eq!(code, 0, "{err}");
    for option in ["--customers", "--seed", "--opportunities", "--quotes", "--events", "--series", "--tickets", "--articles"] {
        assert!(out.contains(option), "{option} in {out}");
    }
    assert!(out.contains("default: half of --customers"), "{out}");
}
