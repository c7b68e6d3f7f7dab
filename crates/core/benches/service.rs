//! `cargo bench -p satchel-core --bench service` (or `make bench`): ticket queues over a book of
//! 50,000 tickets, for docs/benchmarks.md.
//!
//! Measures `Service::queue_at` (filter, sort, take the first 200) for the queues the window
//! will show: open by due time, mine, unassigned, breaching soon, breached, and a word filter;
//! each over many runs (p50/p95). Tickets of 20 agents in every status and priority, opened over
//! the last 60 days, a tenth of them having waited on the customer. The first call (building the
//! rows with their SLA instants from SQLite) is timed apart.
//!
//! Then the knowledge base: 10,000 articles (Chinese and English, a few hundred characters
//! each), searched by words and suggested for a subject.
//!
//! Environment: `BENCH_TICKETS` (default 50000), `BENCH_ARTICLES` (default 10000), `BENCH_RUNS`
//! (default 200).

mod common;

use chrono::{DateTime, Duration as Span, SecondsFormat, Utc};
use common::{env_usize, ms, time};
use rusqlite::types::Value;
use satchel_core::demo::Rng;
use satchel_core::ids::{ArticleId, TicketId, TicketPauseId};
use satchel_core::service::queue::{QueueFilter, QueueSort, QueueView};
use satchel_core::service::{Priority, Status};
use satchel_core::store::Profile;
use satchel_core::Satchel;
use satchel_proto::tables::service::{ARTICLES, TICKETS, TICKET_PAUSES};
use std::time::Instant;

fn rfc(t: DateTime<Utc>) -> Value {
    Value::Text(t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn main() {
    let tickets = env_usize("BENCH_TICKETS", 50_000);
    let runs = env_usize("BENCH_RUNS", 200);
    let dir = tempfile::tempdir().expect("tempdir");
    let app = Satchel::open(dir.path().join("bench.db"), Profile { author: "agent03".into(), device: "bench".into() }).expect("open");
    let service = app.service();
    service.set_hours("mon,tue,wed,thu,fri", "09:00", "18:00", "Asia/Shanghai").expect("hours");
    let now: DateTime<Utc> = "2026-12-07T06:00:00Z".parse().expect("now"); // Monday 14:00 in Shanghai
    let customer = app
        .customers()
        .create(satchel_core::customers::CustomerInput::named(satchel_core::customers::CustomerKind::Company, "上海示例贸易有限公司"))
        .expect("customer");
    let mut r = Rng::new(11);
    let start = Instant::now();
    app.store()
        .write(|w| {
            w.bulk();
            for i in 0..tickets {
                let id = TicketId::new();
                let opened = now - Span::minutes(r.below(60 * 24 * 60) as i64);
                let status = Status::ALL[r.below(Status::ALL.len())];
                let priority = Priority::ALL[r.below(Priority::ALL.len())];
                let answered = !matches!(status, Status::New | Status::Assigned);
                let text = |s: String| Value::Text(s);
                w.insert(
                    &TICKETS,
                    id.as_str(),
                    &[
                        ("number", text(format!("T-2026-{i:05}"))),
                        ("customer_id", text(customer.id.to_string())),
                        ("priority", text(priority.as_str().into())),
                        ("status", text(status.as_str().into())),
                        ("assignee", text(if r.below(5) == 0 { String::new() } else { format!("agent{:02}", r.below(20)) })),
                        (
                            "subject",
                            text(format!(
                                "{} {i}",
                                ["打印机卡纸", "Network down 网络中断", "Invoice question 发票", "无法登录 Cannot log in"][r.below(4)]
                            )),
                        ),
                        ("opened_at", rfc(opened)),
                        ("first_response_at", if answered { rfc(opened + Span::minutes(30)) } else { text(String::new()) }),
                    ],
                )?;
                if r.below(10) == 0 {
                    let from = opened + Span::hours(1);
                    let until = if status == Status::Waiting { Value::Text(String::new()) } else { rfc(from + Span::hours(20)) };
                    w.insert(
                        &TICKET_PAUSES,
                        TicketPauseId::new().as_str(),
                        &[("ticket_id", Value::Text(id.to_string())), ("from_at", rfc(from)), ("until_at", until)],
                    )?;
                }
            }
            Ok(())
        })
        .expect("tickets");
    app.reload().expect("reload");
    println!("{tickets} tickets written in {:.1} s", start.elapsed().as_secs_f64());

    // The desktop's scheduler asks for SLA notices every 20 seconds; before any queue is opened
    // it reads the tickets not resolved or closed afresh each time (nothing kept).
    let open_tickets = service.queue_at(&QueueFilter { view: QueueView::Open, ..Default::default() }, u32::MAX, now).map(|q| q.len());
    app.reload().expect("reload"); // forget the queue that count kept
    let (p50, p95) = time(runs.min(20), || service.due_notices(now).expect("notices"));
    println!("SLA notices, no queue kept ({} tickets open): p50 {:.1} ms, p95 {:.1} ms", open_tickets.expect("count"), ms(p50), ms(p95));

    let open = QueueFilter::default();
    let t = Instant::now();
    let first = service.queue_at(&open, 200, now).expect("queue");
    println!("first queue (rows and their SLA instants built from SQLite): {:.0} ms, {} shown", ms(t.elapsed()), first.len());
    let cases = [
        ("open, by due time", open.clone()),
        ("mine", QueueFilter { view: QueueView::Mine, ..Default::default() }),
        ("unassigned", QueueFilter { view: QueueView::Unassigned, ..Default::default() }),
        ("breaching soon", QueueFilter { view: QueueView::BreachingSoon, ..Default::default() }),
        ("breached, by priority", QueueFilter { view: QueueView::Breached, sort: QueueSort::Priority, ..Default::default() }),
        ("words 网络 (Chinese substring)", QueueFilter { query: "网络".into(), sort: QueueSort::Opened, ..Default::default() }),
        (
            "urgent and high, waiting",
            QueueFilter { priorities: vec![Priority::Urgent, Priority::High], statuses: vec![Status::Waiting], ..Default::default() },
        ),
    ];
    for (name, f) in cases {
        let n = service.queue_at(&f, 1_000_000, now).expect("queue").len();
        let (p50, p95) = time(runs, || service.queue_at(&f, 200, now).expect("queue"));
        println!("queue {name} ({n} of {tickets}), first 200: p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95));
    }

    let (p50, p95) = time(runs, || service.due_notices(now).expect("notices"));
    println!("SLA notices from the kept queue: p50 {:.1} ms, p95 {:.1} ms", ms(p50), ms(p95));

    // The knowledge base.
    let articles = env_usize("BENCH_ARTICLES", 10_000);
    let topics = [
        "打印机卡纸",
        "无法登录系统",
        "VPN 连接中断",
        "发票抬头错误",
        "Printer paper jam",
        "Cannot log in",
        "Email not syncing",
        "显示器闪烁",
        "键盘失灵",
        "Slow network 网络慢",
    ];
    let fixes = [
        "重启设备后再试一次，检查电源和数据线是否松动。",
        "Open the settings, reset the password and check caps lock.",
        "更新驱动程序并关闭节能模式，然后重新连接。",
        "Contact the vendor with the serial number from the label.",
    ];
    app.store()
        .write(|w| {
            w.bulk();
            for i in 0..articles {
                let text = |s: String| Value::Text(s);
                let topic = topics[r.below(topics.len())];
                let solution = (0..4).map(|_| fixes[r.below(fixes.len())]).collect::<Vec<_>>().join(" ");
                w.insert(
                    &ARTICLES,
                    ArticleId::new().as_str(),
                    &[
                        ("title", text(format!("{topic} #{i}"))),
                        ("problem", text(format!("客户报告：{topic}，型号 M{}。Customer reports: {topic}.", r.below(900)))),
                        ("solution", text(solution)),
                        (
                            "tags",
                            text(format!(
                                "{},{}",
                                ["硬件", "网络", "账号", "财务"][r.below(4)],
                                ["hardware", "network", "account"][r.below(3)]
                            )),
                        ),
                        ("language", text(["zh", "en", ""][r.below(3)].into())),
                    ],
                )?;
            }
            Ok(())
        })
        .expect("articles");
    let t = Instant::now();
    service.search_articles("卡纸", 20).expect("search");
    println!("{articles} articles: first search (index built from SQLite) {:.0} ms", ms(t.elapsed()));
    for q in ["卡", "打印机卡纸", "paper jam", "重启 驱动", "传真机"] {
        let n = service.search_articles(q, 1_000_000).expect("search").len();
        let (p50, p95) = time(runs, || service.search_articles(q, 20).expect("search"));
        println!("articles, search “{q}” ({n} hits), first 20: p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95));
    }
    let (p50, p95) = time(runs, || service.suggest_articles("打印机一直卡纸怎么办", 5).expect("suggest"));
    println!("articles, suggestions for a subject being typed: p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95));
}
