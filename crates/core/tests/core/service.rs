//! Tickets on a real SQLite file with a clock the test sets: the first response recorded once,
//! the resolution clock stopped while waiting on the customer, moves the workflow refuses, and a
//! satisfaction rating recorded once.

use super::fixtures::{company, new_db};
use chrono::{DateTime, Utc};
use satchel_core::error::{CoreError, Invalid};
use satchel_core::service::{SlaStanding, Status, TicketInput};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn a_tickets_clock_stops_while_it_waits_and_its_workflow_refuses_what_it_does_not_allow() {
    let db = new_db();
    let service = db.app.service();
    service.set_hours("mon,tue,wed,thu,fri", "09:00", "18:00", "Asia/Shanghai").unwrap();
    service.set_sla("high", "2h", "8h").unwrap();
    let acme = db.app.customers().create(company("Acme 上海")).unwrap();
    let input = TicketInput {
        customer_id: Some(acme.id.clone()),
        subject: "打印机卡纸".into(),
        priority: "high".into(),
        opened_at: "2026-11-30T10:00:00+08:00".into(),
        ..Default::default()
    };
    let t = service.create_ticket(&input).unwrap();
    assert_eq!(
        (t.status, t.first_response_due.as_deref(), t.resolution_due.as_deref()),
        (Status::New, Some("2026-11-30T12:00:00+08:00"), Some("2026-11-30T18:00:00+08:00"))
    );

    // Assigning is not answering; starting work at 11:00 is, and it was in time.
    let t = service.move_ticket_at(&t.id, Status::Assigned, None, "", at("2026-11-30T10:15:00+08:00")).unwrap();
    assert_ne!(t.first_response, Some(SlaStanding::Met), "not answered yet");
    let t = service.move_ticket_at(&t.id, Status::InProgress, None, "", at("2026-11-30T11:00:00+08:00")).unwrap();
    assert_eq!(t.first_response, Some(SlaStanding::Met));
    // Waiting on the customer from 12:00 Monday (2 of 8 hours used): no resolution due time.
    let t = service.move_ticket_at(&t.id, Status::Waiting, None, "", at("2026-11-30T12:00:00+08:00")).unwrap();
    assert_eq!((t.status, t.resolution_due.as_deref(), t.resolution), (Status::Waiting, None, Some(SlaStanding::Paused)));
    // The customer answers on Tuesday at 10:00: 6 hours left, due at 16:00.
    let t = service.move_ticket_at(&t.id, Status::InProgress, None, "", at("2026-12-01T10:00:00+08:00")).unwrap();
    assert_eq!(t.resolution_due.as_deref(), Some("2026-12-01T16:00:00+08:00"));

    // Closing what is not resolved is refused, naming what may come next; nothing changes.
    let e = service.move_ticket_at(&t.id, Status::Closed, None, "", at("2026-12-01T11:00:00+08:00")).unwrap_err();
    assert_eq!(e.fields(), ["status"]);
    assert!(e.message(satchel_core::i18n::Locale::En).contains("resolved"), "{}", e.message(satchel_core::i18n::Locale::En));
    assert_eq!(service.get_ticket(&t.id).unwrap().status, Status::InProgress);

    // Resolved in time, closed with the customer's rating.
    let t = service.move_ticket_at(&t.id, Status::Resolved, None, "", at("2026-12-01T15:00:00+08:00")).unwrap();
    assert_eq!(t.resolution, Some(SlaStanding::Met));
    let bad = service.move_ticket_at(&t.id, Status::Closed, Some(6), "", at("2026-12-01T15:30:00+08:00")).unwrap_err();
    assert_eq!(bad.fields(), ["rating"]);
    let t = service.move_ticket_at(&t.id, Status::Closed, Some(4), "很快解决了", at("2026-12-01T15:30:00+08:00")).unwrap();
    assert_eq!(t.status, Status::Closed);
    // Reopened and closed again: the satisfaction was recorded once, a second one is refused.
    let t = service.move_ticket_at(&t.id, Status::InProgress, None, "", at("2026-12-02T09:00:00+08:00")).unwrap();
    let t = service.move_ticket_at(&t.id, Status::Resolved, None, "", at("2026-12-02T10:00:00+08:00")).unwrap();
    let twice = service.move_ticket_at(&t.id, Status::Closed, Some(5), "", at("2026-12-02T11:00:00+08:00")).unwrap_err();
    assert!(matches!(twice, CoreError::Validation { reason: Invalid::Duplicate, .. }), "{twice:?}");
    assert_eq!(service.get_ticket(&t.id).unwrap().status, Status::Resolved, "nothing half-written");
    let rating: (i64, String) = db
        .app
        .store()
        .read(|c| {
            Ok(c.query_row("SELECT rating, rating_comment FROM tickets WHERE id = ?1", [t.id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?)
        })
        .unwrap();
    assert_eq!(rating, (4, "很快解决了".to_string()));

    // A ticket for a customer in the trash is refused.
    db.app.customers().delete(&acme.id).unwrap();
    let e = service.create_ticket(&input).unwrap_err();
    assert_eq!(e.fields(), ["customerId"]);
}

/// The queues read rows kept in memory: a new ticket, a move and a change of hours all show in
/// the next queue without a reload.
#[test]
fn queues_follow_every_write() {
    use satchel_core::service::queue::{QueueFilter, QueueView};
    let db = new_db();
    let service = db.app.service();
    service.set_hours("mon,tue,wed,thu,fri", "09:00", "18:00", "Asia/Shanghai").unwrap();
    let acme = db.app.customers().create(company("Acme")).unwrap();
    let open = |subject: &str, opened: &str| {
        let input = TicketInput {
            customer_id: Some(acme.id.clone()),
            subject: subject.into(),
            priority: "urgent".into(),
            opened_at: opened.into(),
            ..Default::default()
        };
        service.create_ticket(&input).unwrap()
    };
    let now = at("2026-11-30T09:50:00+08:00");
    let q = |view| {
        service
            .queue_at(&QueueFilter { view, ..Default::default() }, 100, now)
            .unwrap()
            .into_iter()
            .map(|t| (t.number, t.badge))
            .collect::<Vec<_>>()
    };
    let a = open("Printer", "2026-11-30T09:00:00+08:00"); // urgent: answered within 1h, due 10:00
    assert_eq!(q(QueueView::BreachingSoon), [(a.number.clone(), "soon".to_string())]);
    let b = open("Network", "2026-11-30T08:00:00+08:00"); // before opening: also due 10:00
    assert_eq!(q(QueueView::Open).len(), 2, "a new ticket shows at once");
    // Answered: its first response no longer runs; its resolution (8h) is far.
    service.move_ticket_at(&a.id, Status::InProgress, None, "", at("2026-11-30T09:40:00+08:00")).unwrap();
    assert_eq!(q(QueueView::BreachingSoon), [(b.number.clone(), "soon".to_string())]);
    // The team opens at 06:00 instead: the other ticket's hour started at 06:00 and is past.
    service.set_hours("mon,tue,wed,thu,fri", "06:00", "18:00", "Asia/Shanghai").unwrap();
    assert_eq!(q(QueueView::Breached), [(b.number.clone(), "breached".to_string())]);
    // Waiting on the customer: nothing runs for it.
    service.move_ticket_at(&b.id, Status::Waiting, None, "", at("2026-11-30T09:45:00+08:00")).unwrap();
    assert!(q(QueueView::Breached).is_empty());
}

/// The knowledge base on a real file: articles found by Chinese substrings and suggested for a
/// subject as soon as they are written, linked to a ticket once, and one written from a resolved
/// ticket in one step (refused while the ticket is still open).
#[test]
fn articles_are_found_suggested_linked_and_written_from_a_resolved_ticket() {
    use satchel_core::service::ArticleInput;
    let db = new_db();
    let service = db.app.service();
    let acme = db.app.customers().create(company("Acme")).unwrap();
    assert!(service.search_articles("打印", 10).unwrap().is_empty(), "the empty book's index is built");
    let jam = service
        .create_article(&ArticleInput {
            title: "打印机卡纸".into(),
            problem: "纸张卡在进纸口".into(),
            solution: "打开后盖，取出卡住的纸张。".into(),
            tags: vec!["打印机".into(), "硬件".into()],
            language: "zh".into(),
            product_id: None,
        })
        .unwrap();
    let titles = |v: Vec<satchel_core::service::ArticleHit>| v.into_iter().map(|h| h.title).collect::<Vec<_>>();
    assert_eq!(titles(service.search_articles("卡", 10).unwrap()), ["打印机卡纸"], "found at once");
    assert_eq!(titles(service.suggest_articles("打印机一直卡纸怎么办", 5).unwrap()), ["打印机卡纸"]);
    let e = service.create_article(&ArticleInput { title: "x".into(), language: "fr".into(), ..Default::default() }).unwrap_err();
    assert_eq!(e.fields(), ["solution", "language"]);

    let input = TicketInput {
        customer_id: Some(acme.id.clone()),
        subject: "VPN 连接中断".into(),
        description: "连接几分钟后断开".into(),
        priority: "high".into(),
        opened_at: "2026-11-30T10:00:00+08:00".into(),
        ..Default::default()
    };
    let t = service.create_ticket(&input).unwrap();
    service.link_article(&t.id, &jam.id).unwrap();
    assert_eq!(service.link_article(&t.id, &jam.id).unwrap().len(), 1, "linked once");
    // Written from the ticket only once it is resolved.
    let e = service.article_from_ticket(&t.id, "更新客户端").unwrap_err();
    assert_eq!(e.fields(), ["status"]);
    service.move_ticket_at(&t.id, Status::Resolved, None, "", at("2026-11-30T11:00:00+08:00")).unwrap();
    let vpn = service.article_from_ticket(&t.id, "更新客户端并关闭节能模式。").unwrap();
    assert_eq!(
        (vpn.title.as_str(), vpn.problem.as_str(), vpn.source_ticket_id.as_ref()),
        ("VPN 连接中断", "连接几分钟后断开", Some(&t.id))
    );
    assert_eq!(titles(service.search_articles("节能", 10).unwrap()), ["VPN 连接中断"]);
    let linked: Vec<String> = service.ticket_articles(&t.id).unwrap().into_iter().map(|a| a.title).collect();
    assert_eq!(linked, ["VPN 连接中断", "打印机卡纸"]);
}

/// Two laptops of a team, offline: each adds a holiday and opens tickets; after they sync, both
/// holidays hold on both (one settings row per day), the tickets' numbers differ (each laptop's
/// series), and both books give the same due times.
#[test]
fn tickets_and_holidays_made_offline_on_two_laptops_meet_after_sync() {
    use super::fixtures::{laptop, send};
    let (a, b) = (laptop("ana"), laptop("bo"));
    a.app.sales().take_series("A").unwrap();
    b.app.sales().take_series("B").unwrap();
    a.app.service().set_hours("mon,tue,wed,thu,fri", "09:00", "18:00", "Asia/Shanghai").unwrap();
    let acme = a.app.customers().create(company("Acme")).unwrap();
    let sent = send(&a, &b, 0);
    a.app.service().set_day("2026-12-01", false).unwrap();
    b.app.service().set_day("2026-12-02", false).unwrap();
    let open = |db: &super::fixtures::TestDb| {
        let input = TicketInput {
            customer_id: Some(acme.id.clone()),
            subject: "网络中断".into(),
            priority: "normal".into(),
            opened_at: "2026-11-30T17:00:00+08:00".into(),
            ..Default::default()
        };
        db.app.service().create_ticket(&input).unwrap()
    };
    let (ta, tb) = (open(&a), open(&b));
    assert_eq!((ta.number.as_str(), tb.number.as_str()), ("T-2026-A0001", "T-2026-B0001"));
    send(&a, &b, sent);
    send(&b, &a, 0);
    for db in [&a, &b] {
        let days: Vec<String> = db.app.service().settings().unwrap().days.into_iter().map(|d| d.date).collect();
        assert_eq!(days, ["2026-12-01", "2026-12-02"]);
        // Normal: an answer within 8 business hours, from Monday 17:00: 1 on Monday, Tuesday and
        // Wednesday off, 7 on Thursday; a solution within 40: Wednesday 9 December at noon.
        for t in [&ta, &tb] {
            let t = db.app.service().get_ticket(&t.id).unwrap();
            assert_eq!(t.first_response_due.as_deref(), Some("2026-12-03T16:00:00+08:00"));
            assert_eq!(t.resolution_due.as_deref(), Some("2026-12-09T12:00:00+08:00"));
        }
    }
}

/// A holiday calendar from an .ics file (as Chinese holiday calendars publish them: the days off
/// as all-day events, the make-up working days titled 补班): holidays and working days marked,
/// a day listed twice marked once, and the SLA clock follows them.
#[test]
fn an_ics_holiday_calendar_marks_holidays_and_make_up_working_days() {
    let db = new_db();
    let service = db.app.service();
    service.set_hours("mon,tue,wed,thu,fri", "09:00", "18:00", "Asia/Shanghai").unwrap();
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//holidays//CN\r\n\
BEGIN:VEVENT\r\nUID:nd-2026\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261008\r\nSUMMARY:国庆节（休）\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:nd-2026-dup\r\nDTSTART;VALUE=DATE:20261001\r\nSUMMARY:National Day\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:nd-2026-work\r\nDTSTART;VALUE=DATE:20261010\r\nSUMMARY:国庆节补班\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:meeting\r\nDTSTART:20261012T020000Z\r\nDTEND:20261012T030000Z\r\nSUMMARY:Not a day off\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
    assert_eq!(service.import_holidays_ics(ics.as_bytes()).unwrap(), (7, 1));
    let days = service.settings().unwrap().days;
    assert_eq!(days.len(), 8);
    assert!(days.iter().any(|d| d.date == "2026-10-10" && d.working));
    assert!(days.iter().any(|d| d.date == "2026-10-05" && !d.working));
    let acme = db.app.customers().create(company("Acme")).unwrap();
    let input = TicketInput {
        customer_id: Some(acme.id.clone()),
        subject: "x".into(),
        priority: "normal".into(),
        opened_at: "2026-09-30T17:00:00+08:00".into(),
        ..Default::default()
    };
    // 8 business hours: 1 on the 30th, then 8 October (Thursday) 09:00-16:00.
    assert_eq!(service.create_ticket(&input).unwrap().first_response_due.as_deref(), Some("2026-10-08T16:00:00+08:00"));
    // Not iCalendar: refused, nothing marked.
    assert!(service.import_holidays_ics(b"name,date\nholiday,2026-01-01\n").is_err());
    assert_eq!(service.settings().unwrap().days.len(), 8);
}

#[test]
fn comments_answer_bulk_moves_are_all_or_nothing_and_a_breach_escalates_once() {
    use satchel_core::service::escalate::Level;
    use satchel_core::service::settings::EscalationRules;
    use satchel_core::service::Priority;
    let db = new_db();
    let service = db.app.service();
    service.set_hours("mon,tue,wed,thu,fri", "09:00", "18:00", "Asia/Shanghai").unwrap();
    service.set_sla("high", "4h", "24h").unwrap();
    service.set_sla("urgent", "1h", "8h").unwrap();
    let acme = db.app.customers().create(company("Acme 上海")).unwrap();
    let new = |subject: &str, priority: &str, assignee: &str| {
        let input = TicketInput {
            customer_id: Some(acme.id.clone()),
            subject: subject.into(),
            priority: priority.into(),
            assignee: assignee.into(),
            category: " 打印机 ".into(),
            opened_at: "2026-11-30T09:00:00+08:00".into(),
            ..Default::default()
        };
        service.create_ticket(&input).unwrap()
    };
    let t1 = new("打印机卡纸", "urgent", "bo");
    let t2 = new("发票抬头错了", "normal", "");
    assert_eq!((t1.status, t2.status, t1.category.as_str()), (Status::Assigned, Status::New, "打印机"), "an assignee makes it assigned");

    // An internal note is not an answer; the first word to the customer is, once.
    service.add_comment_at(&t1.id, "先查一下固件版本", true, at("2026-11-30T09:10:00+08:00")).unwrap();
    assert_eq!(service.get_ticket(&t1.id).unwrap().first_response_at, None);
    service.add_comment_at(&t1.id, "您好，我们正在处理", false, at("2026-11-30T09:20:00+08:00")).unwrap();
    let comments = service.add_comment_at(&t1.id, "已派工程师", false, at("2026-11-30T09:40:00+08:00")).unwrap();
    assert_eq!(
        comments.iter().map(|c| (c.internal, c.author.as_str())).collect::<Vec<_>>(),
        [(true, "ana"), (false, "ana"), (false, "ana")]
    );
    let t = service.get_ticket(&t1.id).unwrap();
    assert_eq!((t.first_response_at.as_deref(), t.first_response), (Some("2026-11-30T09:20:00+08:00"), Some(SlaStanding::Met)));
    assert_eq!(service.add_comment(&t1.id, "   ", false).unwrap_err().fields(), ["body"]);

    // Closing both is refused (neither is resolved), naming the first ticket; nothing moved.
    let e = service.move_tickets(&[t2.id.clone(), t1.id.clone()], Status::Closed).unwrap_err();
    assert!(e.message(satchel_core::i18n::Locale::En).contains(&t2.number), "{}", e.message(satchel_core::i18n::Locale::En));
    // In the user's language, statuses as the screens name them.
    let zh = e.message(satchel_core::i18n::Locale::ZhCn);
    assert!(zh.contains(&format!("{} 不能从“新建”改为“已关闭”（可改为：已分配、处理中、等待客户、已解决）", t2.number)), "{zh}");
    assert_eq!((service.get_ticket(&t1.id).unwrap().status, service.get_ticket(&t2.id).unwrap().status), (Status::Assigned, Status::New));
    assert_eq!(service.move_tickets(&[t1.id.clone(), t2.id.clone()], Status::InProgress).unwrap(), 2);
    assert_eq!(service.assign_tickets(&[t2.id.clone()], " li ").unwrap(), 1);
    let t = service.get_ticket(&t2.id).unwrap();
    assert_eq!(
        (t.status, t.assignee.as_str(), t.next.clone()),
        (Status::InProgress, "li", vec![Status::Assigned, Status::Waiting, Status::Resolved])
    );
    assert_eq!(service.assignees().unwrap(), ["ana", "bo", "li"]);
    let theirs = satchel_core::service::queue::QueueFilter { assignee: "li".into(), ..Default::default() };
    assert_eq!(service.queue(&theirs, 10).unwrap().iter().map(|q| q.number.clone()).collect::<Vec<_>>(), [t2.number.clone()]);

    // ana's own high ticket (answer within 4h: due 13:00, "soon" from 12:00); the rules raise a
    // breached ticket a step and tell the manager 30 minutes later.
    let mine = new("网络中断", "high", "ana");
    service
        .set_escalation(&EscalationRules {
            manager: "boss".into(),
            manager_after_minutes: 30,
            raise_priority: true,
            reassign_to: String::new(),
        })
        .unwrap();
    let notices =
        |now: &str| service.due_notices(at(now)).unwrap().into_iter().filter(|e| e.ticket_id == mine.id.as_str()).collect::<Vec<_>>();
    assert!(notices("2026-11-30T11:50:00+08:00").is_empty());
    let anas = satchel_core::service::queue::QueueFilter { assignee: "ana".into(), ..Default::default() };
    let badge =
        |now: &str| service.queue_at(&anas, 10, at(now)).unwrap().into_iter().map(|q| (q.badge, q.minutes_left)).collect::<Vec<_>>();
    assert_eq!(badge("2026-11-30T12:05:00+08:00"), [("soon".to_string(), Some(55))]);
    // Counted in business time: at 09:05 the next morning it is 5h05m overdue (13:00-18:00, then
    // five minutes), not 20h.
    assert_eq!(badge("2026-12-01T09:05:00+08:00"), [("breached".to_string(), Some(-305))]);
    let soon = notices("2026-11-30T12:05:00+08:00");
    assert_eq!(soon.iter().map(|e| (e.level, e.notify.as_str())).collect::<Vec<_>>(), [(Level::Soon, "ana")]);
    service.notice_shown(&soon[0], at("2026-11-30T12:05:00+08:00")).unwrap();
    assert!(notices("2026-11-30T12:06:00+08:00").is_empty(), "shown once");
    let breach = notices("2026-11-30T13:05:00+08:00");
    assert_eq!(breach.iter().map(|e| (e.level, e.raise_to)).collect::<Vec<_>>(), [(Level::Breached, Some(Priority::Urgent))]);
    service.notice_shown(&breach[0], at("2026-11-30T13:05:00+08:00")).unwrap();
    assert_eq!(service.get_ticket(&mine.id).unwrap().priority, Priority::Urgent);
    // Urgent's shorter target is breached too: ana hears of it, but it is not raised again (it
    // could not go higher anyway) nor handed on; the manager's notice is for boss's laptop.
    let again = notices("2026-11-30T13:06:00+08:00");
    assert!(again.iter().all(|e| e.raise_to.is_none() && e.reassign_to.is_none() && e.notify == "ana"), "{again:?}");
    for e in &again {
        service.notice_shown(e, at("2026-11-30T13:06:00+08:00")).unwrap();
    }
    assert!(notices("2026-11-30T14:00:00+08:00").is_empty(), "the manager's notice goes to boss, not ana");
    // A holiday taken back off the calendar.
    service.set_day("2026-12-25", false).unwrap();
    assert_eq!(service.clear_day("2026-12-25").unwrap().days.len(), 0);
}

#[test]
fn tickets_keep_custom_fields_contract_and_product_and_refuse_dead_links() {
    use satchel_core::records::fields::{CustomFieldInput, CustomValue, FieldKind, FieldScope};
    let db = new_db();
    let service = db.app.service();
    let acme = db.app.customers().create(company("Acme")).unwrap();
    let field = db
        .app
        .records()
        .create_custom_field(
            "ticket",
            &CustomFieldInput {
                scope: FieldScope::Both,
                kind: FieldKind::Text,
                label_en: "Serial number".into(),
                label_zh: "序列号".into(),
                options: vec![],
            },
        )
        .unwrap();
    let input = TicketInput {
        customer_id: Some(acme.id.clone()),
        subject: "Jam".into(),
        priority: "low".into(),
        custom: vec![CustomValue { field_id: field.id.clone(), value: "SN-42".into() }],
        ..Default::default()
    };
    let t = service.create_ticket(&input).unwrap();
    assert_eq!(t.custom.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(), ["SN-42"]);
    let dead = TicketInput { contract_id: Some(satchel_core::ids::ContractId::new()), ..input.clone() };
    assert_eq!(service.update_ticket(&t.id, &dead).unwrap_err().fields(), ["contractId"]);
    let t2 = service.update_ticket(&t.id, &TicketInput { subject: "Paper jam".into(), priority: "high".into(), ..input.clone() }).unwrap();
    assert_eq!((t2.subject.as_str(), t2.priority.as_str(), t2.opened_at.as_str()), ("Paper jam", "high", t.opened_at.as_str()));
    // A product named on the ticket carries over to the article written from it.
    let printer = db
        .app
        .sales()
        .create_product(&satchel_core::sales::ProductInput {
            code: "PR-1".into(),
            name_en: "Printer".into(),
            name_zh: "打印机".into(),
            active: true,
            ..Default::default()
        })
        .unwrap();
    let t3 = service
        .update_ticket(
            &t.id,
            &TicketInput { subject: "Paper jam".into(), priority: "high".into(), product_id: Some(printer.id.clone()), ..input.clone() },
        )
        .unwrap();
    assert_eq!(t3.product_name, "打印机");
    service.set_status(&t.id, Status::Resolved).unwrap();
    let article = service.article_from_ticket(&t.id, "Open the back cover").unwrap();
    assert_eq!((article.product_id.as_ref(), article.title.as_str()), (Some(&printer.id), "Paper jam"));
    let bad = satchel_core::service::ArticleInput {
        title: "x".into(),
        solution: "y".into(),
        product_id: Some(satchel_core::ids::ProductId::new()),
        ..Default::default()
    };
    assert_eq!(service.create_article(&bad).unwrap_err().fields(), ["productId"]);
    // The customer's page lists its tickets only.
    let other = db.app.customers().create(company("Other")).unwrap();
    service.create_ticket(&TicketInput { customer_id: Some(other.id.clone()), ..input.clone() }).unwrap();
    let f = satchel_core::service::queue::QueueFilter {
        customer_id: Some(acme.id.clone()),
        view: satchel_core::service::queue::QueueView::All,
        ..Default::default()
    };
    assert_eq!(service.queue(&f, 10).unwrap().len(), 1);
    // A deleted customer's ticket is refused, nothing written.
    db.app.customers().delete(&other.id).unwrap();
    let before = service.tickets(100).unwrap().len();
    let e = service.create_ticket(&TicketInput { customer_id: Some(other.id.clone()), ..input }).unwrap_err();
    assert_eq!(e.fields(), ["customerId"]);
    assert_eq!(service.tickets(100).unwrap().len(), before);
}

/// A book written by the previous release (schema 19: tickets without comments or the
/// escalation mark) opens with its tickets, pauses, articles and settings, takes migration 0020,
/// and then applies what a newer teammate's laptop synced to it before the upgrade (a ticket's
/// comment and escalation mark, which the old release parked as unknown): nothing is lost
/// either way.
#[test]
fn a_book_from_before_comments_opens_and_applies_what_newer_laptops_synced_to_it() {
    use satchel_core::hlc::Hlc;
    let db = new_db();
    let service = db.app.service();
    service.set_day("2026-10-01", false).unwrap();
    let acme = db.app.customers().create(company("Acme 上海")).unwrap();
    let input = TicketInput {
        customer_id: Some(acme.id.clone()),
        subject: "打印机卡纸".into(),
        priority: "high".into(),
        opened_at: "2026-11-30T10:00:00+08:00".into(),
        ..Default::default()
    };
    let t = service.create_ticket(&input).unwrap();
    service.move_ticket_at(&t.id, Status::Waiting, None, "", at("2026-11-30T11:00:00+08:00")).unwrap();
    let article = service
        .create_article(&satchel_core::service::ArticleInput { title: "卡纸".into(), solution: "取出".into(), ..Default::default() })
        .unwrap();
    service.link_article(&t.id, &article.id).unwrap();
    let before = service.get_ticket(&t.id).unwrap();
    let path = db.path();
    drop(db.app);

    // Back to what the previous release wrote: no 0020.
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("DROP TABLE ticket_comments; DROP TABLE ticket_notices; ALTER TABLE tickets DROP COLUMN escalated_at; PRAGMA user_version = 19;").unwrap();
        // What a newer laptop had synced here, parked by the old release as unknown.
        let hlc = |n: i64| Hlc::new(satchel_core::store::now_ms() + n as u64, 0).pack();
        let comment = "0190f5c0-0000-7000-8000-00000000c001";
        for (n, (tbl, row, col, value)) in [
            ("ticket_comments", comment, "ticket_id", rusqlite::types::Value::Text(t.id.to_string())),
            ("ticket_comments", comment, "body", rusqlite::types::Value::Text("已派工程师".into())),
            ("ticket_comments", comment, "internal", rusqlite::types::Value::Integer(0)),
            ("ticket_comments", comment, "author", rusqlite::types::Value::Text("bo".into())),
            ("ticket_comments", comment, "created_at", rusqlite::types::Value::Text("2026-11-30T03:30:00Z".into())),
            ("tickets", t.id.as_str(), "escalated_at", rusqlite::types::Value::Text("2026-11-30T05:00:00Z".into())),
        ]
        .into_iter()
        .enumerate()
        {
            c.execute(
                "INSERT INTO parked_changes (site_id, hlc, tbl, row_id, col, value) VALUES ('newer-laptop', ?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![hlc(n as i64), tbl, row, col, value],
            )
            .unwrap();
        }
    }

    let app = satchel_core::Satchel::open(&path, super::fixtures::profile("ana")).unwrap();
    let version: i64 = app.store().read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?)).unwrap();
    assert_eq!(version as usize, satchel_core::store::schema_version());
    let service = app.service();
    let after = service.get_ticket(&t.id).unwrap();
    assert_eq!(
        (after.number.as_str(), after.status, after.resolution),
        (before.number.as_str(), Status::Waiting, Some(SlaStanding::Paused))
    );
    assert_eq!(service.ticket_articles(&t.id).unwrap().len(), 1);
    assert_eq!(service.settings().unwrap().days.len(), 1);
    let comments = service.comments(&t.id).unwrap();
    assert_eq!(
        comments.iter().map(|c| (c.body.as_str(), c.author.as_str(), c.internal)).collect::<Vec<_>>(),
        [("已派工程师", "bo", false)]
    );
    let parked: i64 = app.store().read(|c| Ok(c.query_row("SELECT count(*) FROM parked_changes", [], |r| r.get(0))?)).unwrap();
    assert_eq!(parked, 0, "every parked change is known now");
    // The mark arrived: the team's breach actions are not applied to this ticket again.
    let escalated: String =
        app.store().read(|c| Ok(c.query_row("SELECT escalated_at FROM tickets WHERE id = ?1", [t.id.as_str()], |r| r.get(0))?)).unwrap();
    assert_eq!(escalated, "2026-11-30T05:00:00Z");
    // And the upgraded book works on: a new comment, a move.
    service.add_comment(&t.id, "客户已回复", true).unwrap();
    assert_eq!(service.set_status(&t.id, Status::InProgress).unwrap().status, Status::InProgress);
}

/// The scheduler asks for SLA notices every tick. Before any queue is opened it reads only the
/// tickets not resolved or closed, afresh, instead of keeping the whole queue in memory; the
/// answer must be the one the kept queue gives, at every moment and in every status.
#[test]
fn sla_notices_read_afresh_match_the_kept_queues_answer() {
    use satchel_core::service::settings::EscalationRules;
    let db = new_db();
    let service = db.app.service();
    service.set_hours("mon,tue,wed,thu,fri", "09:00", "18:00", "Asia/Shanghai").unwrap();
    service.set_sla("urgent", "1h", "8h").unwrap();
    service.set_sla("high", "4h", "24h").unwrap();
    service
        .set_escalation(&EscalationRules {
            manager: String::new(),
            manager_after_minutes: 30,
            raise_priority: true,
            reassign_to: String::new(),
        })
        .unwrap();
    let acme = db.app.customers().create(company("Acme 上海")).unwrap();
    let ticket = |subject: &str, priority: &str, assignee: &str, opened_at: &str| {
        let input = TicketInput {
            customer_id: Some(acme.id.clone()),
            subject: subject.into(),
            priority: priority.into(),
            assignee: assignee.into(),
            opened_at: opened_at.into(),
            ..Default::default()
        };
        service.create_ticket(&input).unwrap()
    };
    // Every status a ticket can be in, each in every priority, opened at different hours. With
    // no manager, this laptop hears of the unassigned, new ones too.
    let mut n = 0;
    for priority in ["urgent", "high", "normal", "low"] {
        for path in [
            &[][..],
            &[Status::InProgress],
            &[Status::InProgress, Status::Waiting],
            &[Status::InProgress, Status::Resolved],
            &[Status::InProgress, Status::Resolved, Status::Closed],
        ] {
            for assignee in ["", "ana"] {
                n += 1;
                let t = ticket(&format!("工单 {n}"), priority, assignee, &format!("2026-11-30T{:02}:15:00+08:00", 9 + n % 8));
                for to in path {
                    service.set_status(&t.id, *to).unwrap();
                }
            }
        }
    }
    // Every ten minutes over four days, the way the scheduler asks (remembering when nothing
    // can fall due before some instant), against asking afresh each time (a reload forgets all).
    let keys =
        |now: DateTime<Utc>| service.due_notices(now).unwrap().into_iter().map(|e| (e.key, e.notify, e.raise_to)).collect::<Vec<_>>();
    let moments: Vec<_> = (0..4 * 24 * 6).map(|i| at("2026-11-30T08:00:00+08:00") + chrono::Duration::minutes(10 * i)).collect();
    let ticking: Vec<_> = moments.iter().map(|m| keys(*m)).collect();
    let afresh: Vec<_> = moments
        .iter()
        .map(|m| {
            db.app.reload().unwrap();
            keys(*m)
        })
        .collect();
    assert!(afresh.iter().filter(|k| !k.is_empty()).count() > 10, "notices fall due over the days");
    assert_eq!(ticking, afresh);
    // Opening a queue keeps every ticket's row; the notices are then worked out from it.
    let kept: Vec<_> = moments
        .iter()
        .map(|m| {
            db.app.reload().unwrap();
            service.queue(&Default::default(), 10).unwrap();
            keys(*m)
        })
        .collect();
    assert_eq!(afresh, kept);

    // Quiet until some instant; a ticket written meanwhile, already overdue, is told at once,
    // and so is one that settings make overdue.
    let calm = at("2026-12-04T10:00:00+08:00");
    // Shown until none is left (a raised priority's shorter target is breached in turn).
    let show_all = |now: DateTime<Utc>| {
        for _ in 0..4 {
            for e in service.due_notices(now).unwrap() {
                service.notice_shown(&e, now).unwrap();
            }
        }
    };
    show_all(calm);
    assert!(keys(calm).is_empty());
    let late = ticket("迟到的工单", "urgent", "", "2026-12-03T09:00:00+08:00");
    assert_eq!(keys(calm + chrono::Duration::seconds(20)).into_iter().map(|k| k.0 .0).collect::<Vec<_>>(), [late.id.to_string()]);
    show_all(calm);
    assert!(keys(calm + chrono::Duration::seconds(40)).is_empty());
    let slow = ticket("慢慢来", "low", "", "2026-12-04T09:00:00+08:00");
    assert!(keys(calm + chrono::Duration::seconds(60)).is_empty(), "not due yet");
    // A shorter target for low tickets: this one (and the older low ones, on their new
    // targets) is overdue now.
    service.set_sla("low", "30m", "8h").unwrap();
    let told: Vec<String> = keys(calm + chrono::Duration::seconds(80)).into_iter().map(|k| k.0 .0).collect();
    assert!(told.contains(&slow.id.to_string()), "{told:?}");
}
