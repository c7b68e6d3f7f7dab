//! Escalation, pure: which notices a ticket's running target calls for at a moment — "breaching
//! soon" to its assignee, "breached" to its assignee, then to the manager a while later — and the
//! team's optional actions on a breach (raise the priority a step, hand it to someone). The
//! desktop's scheduler asks this on each tick with what it has sent already, so each notice goes
//! out once per target (a new target after the first response may escalate again).

#[cfg(test)]
use super::queue::RowText;
use super::queue::{QueueRow, QueueView};
use super::{Priority, Status};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// A quarter of the target left.
    Soon,
    /// Past due.
    Breached,
    /// Still past due after the manager's delay.
    Manager,
}

/// The team's escalation rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rules {
    /// Who hears of breaches after the delay, and of unassigned tickets at once.
    pub manager: String,
    /// How long after a breach the manager is told.
    pub manager_after: Duration,
    /// On a breach, raise the priority one step (low -> normal -> high -> urgent).
    pub raise_priority: bool,
    /// On a breach, hand the ticket to this person (empty: keep the assignee).
    pub reassign_to: String,
}

/// One notice (and what to do with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub ticket_id: String,
    pub number: String,
    pub subject: String,
    pub customer_name: String,
    pub assignee: String,
    pub due: DateTime<Utc>,
    pub level: Level,
    /// Who is told.
    pub notify: String,
    /// On a breach, the priority to raise it to.
    pub raise_to: Option<Priority>,
    /// On a breach, who to hand it to.
    pub reassign_to: Option<String>,
    /// The key to remember it was sent by (ticket, level, the target's due instant).
    pub key: (String, Level, DateTime<Utc>),
}

impl Escalation {
    /// The notification's summary and body, in `locale`, times in `zone`.
    pub fn notice(&self, locale: crate::i18n::Locale, zone: chrono_tz::Tz) -> (String, String) {
        let key = match self.level {
            Level::Soon => "sla.soonTitle",
            Level::Breached => "sla.breachedTitle",
            Level::Manager => "sla.managerTitle",
        };
        let summary = locale.text(key, &[("number", &self.number), ("subject", &self.subject)]);
        let time = self.due.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
        let mut body = if self.level == Level::Manager && !self.assignee.is_empty() {
            locale.text("sla.dueAssigned", &[("customer", &self.customer_name), ("time", &time), ("assignee", &self.assignee)])
        } else {
            locale.text("sla.due", &[("customer", &self.customer_name), ("time", &time)])
        };
        if let Some(p) = self.raise_to {
            body.push(' ');
            body.push_str(&locale.text("sla.raised", &[("priority", &locale.text(&format!("sla.priorities.{}", p.as_str()), &[]))]));
        }
        if let Some(a) = &self.reassign_to {
            body.push(' ');
            body.push_str(&locale.text("sla.reassigned", &[("assignee", a)]));
        }
        (summary, body)
    }
}

/// The first instant after `now` at which [`due`] could answer differently for these rows: a
/// running target's warning or due time, or the manager's delay after it, reached. None when no
/// such instant lies ahead. Until then (and while the rows and `sent` stay as they are) `due`
/// gives the same answer, so the scheduler need not ask.
pub fn next_change<'a>(rows: impl IntoIterator<Item = &'a QueueRow>, rules: &Rules, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let mut next: Option<DateTime<Utc>> = None;
    for r in rows {
        let (Some(due), Some(warn)) = (r.due, r.warn_at) else { continue };
        if matches!(r.status, Status::Resolved | Status::Closed) {
            continue;
        }
        let manager = (!rules.manager.is_empty()).then(|| due + rules.manager_after);
        for t in [Some(warn), Some(due), manager].into_iter().flatten() {
            if t > now && next.is_none_or(|n| t < n) {
                next = Some(t);
            }
        }
    }
    next
}

/// How a tick's notices reach the desktop: at most `at_once` notifications. When more are due,
/// the first `at_once - 1` (most severe first, as [`due`] orders them) come one by one and the
/// rest in one summary. Why: the first start on a book with a backlog (a laptop back from a
/// week away, or a team's shared queue) found hundreds due at once, and showed hundreds of
/// notifications, each staying on screen until dismissed.
pub fn at_once(mut due: Vec<Escalation>, at_once: usize) -> (Vec<Escalation>, Option<More>) {
    if due.len() <= at_once.max(1) {
        return (due, None);
    }
    let rest = due.split_off(at_once.saturating_sub(1));
    (due, Some(More { notices: rest }))
}

/// The notices told in one summary notification (see [`at_once`]); each is still noted as shown
/// and its actions applied, as a notice of its own would be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct More {
    pub notices: Vec<Escalation>,
}

impl More {
    /// How many are past due (the assignee's breach or the manager's reminder).
    pub fn overdue(&self) -> usize {
        self.notices.iter().filter(|e| e.level != Level::Soon).count()
    }

    /// How many are breaching soon.
    pub fn soon(&self) -> usize {
        self.notices.len() - self.overdue()
    }

    /// The queue a click opens: the breached tickets when any is overdue.
    pub fn view(&self) -> QueueView {
        if self.overdue() > 0 {
            QueueView::Breached
        } else {
            QueueView::BreachingSoon
        }
    }

    /// Whether any of them changes a ticket (a raised priority or a new assignee).
    pub fn changes_tickets(&self) -> bool {
        self.notices.iter().any(|e| e.raise_to.is_some() || e.reassign_to.is_some())
    }

    /// The notification's summary and body, in `locale`.
    pub fn notice(&self, locale: crate::i18n::Locale) -> (String, String) {
        let count = |n: usize| n.to_string();
        let summary = locale.text("sla.moreTitle", &[("count", &count(self.notices.len()))]);
        let body = locale.text("sla.moreBody", &[("overdue", &count(self.overdue())), ("soon", &count(self.soon()))]);
        (summary, body)
    }
}

fn raised(p: Priority) -> Option<Priority> {
    match p {
        Priority::Low => Some(Priority::Normal),
        Priority::Normal => Some(Priority::High),
        Priority::High => Some(Priority::Urgent),
        Priority::Urgent => None,
    }
}

/// The notices due at `now` that are not in `sent`, most severe first.
pub fn due<'a>(
    rows: impl IntoIterator<Item = &'a QueueRow>,
    rules: &Rules,
    sent: &HashSet<(String, Level, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> Vec<Escalation> {
    let mut out = Vec::new();
    for r in rows {
        let (Some(due), Some(warn)) = (r.due, r.warn_at) else { continue };
        if matches!(r.status, Status::Resolved | Status::Closed) {
            continue;
        }
        let level = if now >= due + rules.manager_after && !rules.manager.is_empty() && due <= now {
            // The manager's notice comes after the assignee's breach notice, which comes first.
            if sent.contains(&(r.id().to_string(), Level::Breached, due)) {
                Level::Manager
            } else {
                Level::Breached
            }
        } else if now >= due {
            Level::Breached
        } else if now >= warn {
            Level::Soon
        } else {
            continue;
        };
        let key = (r.id().to_string(), level, due);
        if sent.contains(&key) {
            continue;
        }
        let assignee = if r.assignee().is_empty() { rules.manager.clone() } else { r.assignee().to_string() };
        // The team's actions apply once per ticket: a raised priority's shorter target would
        // otherwise breach and raise it again on the next tick.
        let breach = level == Level::Breached && !r.escalated;
        out.push(Escalation {
            ticket_id: r.id().to_string(),
            number: r.number().to_string(),
            subject: r.subject().to_string(),
            customer_name: r.customer_name().to_string(),
            assignee: r.assignee().to_string(),
            due,
            level,
            notify: if level == Level::Manager { rules.manager.clone() } else { assignee },
            raise_to: if breach && rules.raise_priority { raised(r.priority) } else { None },
            reassign_to: (breach && !rules.reassign_to.is_empty() && rules.reassign_to != r.assignee()).then(|| rules.reassign_to.clone()),
            key,
        });
    }
    out.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.number.cmp(&b.number)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn row(n: u32, assignee: &str, priority: Priority, warn: &str, due: &str) -> QueueRow {
        let (id, number) = (format!("t{n}"), format!("T-{n}"));
        QueueRow::new(
            RowText { id: &id, number: &number, customer_id: "", customer_name: "", subject: "", assignee },
            Status::InProgress,
            priority,
            at("2026-11-30T09:00:00+08:00"),
            Some(at(due)),
            Some(at(warn)),
            false,
        )
    }

    #[test]
    fn notices_go_out_once_each_in_order_with_the_teams_actions() {
        let rows = [
            row(1, "ana", Priority::Normal, "2026-11-30T11:00:00+08:00", "2026-11-30T12:00:00+08:00"),
            row(2, "", Priority::Urgent, "2026-11-30T09:45:00+08:00", "2026-11-30T10:00:00+08:00"),
        ];
        let rules =
            Rules { manager: "boss".into(), manager_after: Duration::minutes(30), raise_priority: true, reassign_to: String::new() };
        let mut sent = HashSet::new();
        let mut tick = |now: &str| {
            let out = due(&rows, &rules, &sent, at(now));
            for e in &out {
                sent.insert(e.key.clone());
            }
            out.into_iter().map(|e| (e.number, e.level, e.notify, e.raise_to)).collect::<Vec<_>>()
        };
        // 09:50: the unassigned urgent ticket is nearly due: the manager hears of it.
        assert_eq!(tick("2026-11-30T09:50:00+08:00"), [("T-2".to_string(), Level::Soon, "boss".to_string(), None)]);
        assert!(tick("2026-11-30T09:55:00+08:00").is_empty(), "once");
        // 10:05: breached; urgent cannot go higher.
        assert_eq!(tick("2026-11-30T10:05:00+08:00"), [("T-2".to_string(), Level::Breached, "boss".to_string(), None)]);
        // 10:31: the manager's reminder after 30 minutes.
        assert_eq!(tick("2026-11-30T10:31:00+08:00"), [("T-2".to_string(), Level::Manager, "boss".to_string(), None)]);
        // 12:10 (the laptop slept through the morning): ana's ticket is breached and raised a
        // step; the "soon" notice it missed is not sent late, the breach says more.
        assert_eq!(tick("2026-11-30T12:10:00+08:00"), [("T-1".to_string(), Level::Breached, "ana".to_string(), Some(Priority::High))]);
        assert_eq!(tick("2026-11-30T12:40:00+08:00"), [("T-1".to_string(), Level::Manager, "boss".to_string(), None)]);
        assert!(tick("2026-11-30T18:00:00+08:00").is_empty());
    }

    #[test]
    fn a_notice_reads_in_the_users_language() {
        let plain = row(7, "ana", Priority::Normal, "2026-11-30T11:00:00+08:00", "2026-11-30T12:00:00+08:00");
        let r = plain.with_text(RowText {
            id: plain.id(),
            number: plain.number(),
            customer_id: "",
            customer_name: "上海示例",
            subject: "打印机卡纸",
            assignee: plain.assignee(),
        });
        let rules =
            Rules { manager: "boss".into(), manager_after: Duration::minutes(30), raise_priority: true, reassign_to: String::new() };
        let e = due([&r], &rules, &HashSet::new(), at("2026-11-30T12:05:00+08:00")).remove(0);
        let zone: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
        let (s, b) = e.notice(crate::i18n::Locale::ZhCn, zone);
        assert_eq!((s.as_str(), b.as_str()), ("T-7 已超时：打印机卡纸", "上海示例 · 截止 2026-11-30 12:00 优先级已升为“高”。"));
        let (s, b) = e.notice(crate::i18n::Locale::En, zone);
        assert_eq!((s.as_str(), b.as_str()), ("T-7 is overdue: 打印机卡纸", "上海示例 · due 2026-11-30 12:00 Priority raised to high."));
    }

    #[test]
    fn a_new_target_escalates_again_and_a_resolved_ticket_never() {
        let first = row(1, "ana", Priority::High, "2026-11-30T09:45:00+08:00", "2026-11-30T10:00:00+08:00");
        let rules = Rules { reassign_to: "li".into(), ..Default::default() };
        let sent: HashSet<_> = due([&first], &rules, &HashSet::new(), at("2026-11-30T10:01:00+08:00")).into_iter().map(|e| e.key).collect();
        // Answered: the running target is now the resolution, due later; its notices are new.
        let second =
            QueueRow { due: Some(at("2026-12-01T12:00:00+08:00")), warn_at: Some(at("2026-12-01T10:00:00+08:00")), ..first.clone() };
        let e = due([&second], &rules, &sent, at("2026-12-01T12:30:00+08:00"));
        assert_eq!((e.len(), e[0].level, e[0].reassign_to.as_deref()), (1, Level::Breached, Some("li")));
        // Once the actions were applied (on any laptop), a later breach only tells.
        let applied = QueueRow { escalated: true, ..second.clone() };
        let e = due([&applied], &Rules { raise_priority: true, ..rules.clone() }, &sent, at("2026-12-01T12:30:00+08:00"));
        assert_eq!((e[0].level, e[0].raise_to, e[0].reassign_to.clone()), (Level::Breached, None, None));
        let resolved = QueueRow { status: Status::Resolved, ..second };
        assert!(due([&resolved], &rules, &HashSet::new(), at("2026-12-05T00:00:00+08:00")).is_empty());
        // Without a manager, nobody is told twice.
        let no_manager = Rules::default();
        assert_eq!(due([&first], &no_manager, &sent, at("2026-11-30T18:00:00+08:00")).len(), 0);
    }

    #[test]
    fn a_backlog_comes_as_a_few_notifications_and_one_summary() {
        // Notices for tickets T-1..T-n, the first `overdue` of them past due, as `due` orders them.
        let notices = |n: u32, overdue: u32| -> Vec<Escalation> {
            let rows: Vec<QueueRow> = (1..=n)
                .map(|i| {
                    let (warn, due) = if i <= overdue {
                        ("2026-11-30T09:30:00+08:00", "2026-11-30T10:00:00+08:00")
                    } else {
                        ("2026-11-30T10:30:00+08:00", "2026-11-30T12:00:00+08:00")
                    };
                    row(1000 + i, "ana", Priority::Normal, warn, due)
                })
                .collect();
            due(&rows, &Rules::default(), &HashSet::new(), at("2026-11-30T11:00:00+08:00"))
        };
        // (notices due, overdue among them, at once) -> (one by one, in the summary, its overdue, its queue)
        let cases: [((u32, u32, usize), (usize, usize, usize, Option<QueueView>)); 9] = [
            ((0, 0, 3), (0, 0, 0, None)),
            ((1, 1, 3), (1, 0, 0, None)),
            ((3, 0, 3), (3, 0, 0, None)),
            // One more than fits: two alone and a summary of two, never "1 more".
            ((4, 4, 3), (2, 2, 2, Some(QueueView::Breached))),
            ((4, 0, 3), (2, 2, 0, Some(QueueView::BreachingSoon))),
            // The most severe come alone; a summary with any overdue opens the breached queue.
            ((500, 3, 3), (2, 498, 1, Some(QueueView::Breached))),
            ((500, 2, 3), (2, 498, 0, Some(QueueView::BreachingSoon))),
            ((2, 2, 1), (0, 2, 2, Some(QueueView::Breached))),
            // Nothing at once still tells: the first alone.
            ((1, 1, 0), (1, 0, 0, None)),
        ];
        for ((n, overdue, at_most), want) in cases {
            let all = notices(n, overdue);
            let (alone, more) = at_once(all.clone(), at_most);
            let got = (
                alone.len(),
                more.as_ref().map_or(0, |m| m.notices.len()),
                more.as_ref().map_or(0, More::overdue),
                more.as_ref().map(More::view),
            );
            assert_eq!(got, want, "{n} due, {overdue} overdue, {at_most} at once");
            // Every notice is either alone or in the summary, in the order `due` gave.
            let together: Vec<_> = alone.iter().chain(more.iter().flat_map(|m| &m.notices)).cloned().collect();
            assert_eq!(together, all);
            assert!(alone.len() + usize::from(more.is_some()) <= at_most.max(1));
        }
    }

    #[test]
    fn a_summary_reads_in_the_users_language() {
        let rows = [
            row(1, "ana", Priority::Normal, "2026-11-30T09:30:00+08:00", "2026-11-30T10:00:00+08:00"),
            row(2, "ana", Priority::Normal, "2026-11-30T10:30:00+08:00", "2026-11-30T12:00:00+08:00"),
            row(3, "ana", Priority::Normal, "2026-11-30T10:30:00+08:00", "2026-11-30T12:00:00+08:00"),
        ];
        let rules = Rules { raise_priority: true, ..Default::default() };
        let (alone, more) = at_once(due(&rows, &rules, &HashSet::new(), at("2026-11-30T11:00:00+08:00")), 1);
        assert!(alone.is_empty());
        let more = more.expect("a summary");
        assert!(more.changes_tickets(), "the overdue one's priority is raised");
        let (s, b) = more.notice(crate::i18n::Locale::ZhCn);
        assert_eq!((s.as_str(), b.as_str()), ("还有 3 个工单需要处理", "已超时 1 个，即将超时 2 个。打开工单队列查看全部。"));
        let (s, b) = more.notice(crate::i18n::Locale::En);
        assert_eq!((s.as_str(), b.as_str()), ("3 more tickets need attention", "1 overdue, 2 due soon. Open the queue to see them all."));
    }

    mod rest {
        use super::*;
        use proptest::prelude::*;

        const STATUSES: [Status; 6] =
            [Status::New, Status::Assigned, Status::InProgress, Status::Waiting, Status::Resolved, Status::Closed];

        /// A ticket: its status, whether it is assigned, and its warning and due minutes (the
        /// warning before the due time, or no running target at all).
        fn ticket() -> impl Strategy<Value = (usize, bool, Option<(i64, i64)>, bool)> {
            (0..STATUSES.len(), any::<bool>(), proptest::option::weighted(0.85, (0i64..600, 1i64..300)), any::<bool>())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]
            /// Until `next_change`, `due` answers as it did: checked minute by minute, whatever
            /// was sent already and whoever the manager is.
            #[test]
            fn nothing_changes_before_the_next_change(
                tickets in proptest::collection::vec(ticket(), 0..8),
                manager in any::<bool>(),
                manager_after in 0i64..120,
                start in 0i64..900,
                sent_at in proptest::option::weighted(0.8, 0i64..900),
            ) {
                let base = at("2026-11-30T08:00:00+08:00");
                let rows: Vec<QueueRow> = tickets
                    .iter()
                    .enumerate()
                    .map(|(i, (status, assigned, target, escalated))| {
                        let (id, number) = (format!("t{i}"), format!("T-{i}"));
                        let (warn, due) = match target {
                            Some((warn, lead)) => (Some(base + Duration::minutes(*warn)), Some(base + Duration::minutes(warn + lead))),
                            None => (None, None),
                        };
                        let assignee = if *assigned { "ana" } else { "" };
                        QueueRow::new(
                            RowText { id: &id, number: &number, customer_id: "", customer_name: "", subject: "", assignee },
                            STATUSES[*status],
                            Priority::Normal,
                            base,
                            due,
                            warn,
                            *escalated,
                        )
                    })
                    .collect();
                let rules = Rules {
                    manager: if manager { "boss".into() } else { String::new() },
                    manager_after: Duration::minutes(manager_after),
                    raise_priority: true,
                    reassign_to: String::new(),
                };
                // What an earlier tick showed, if there was one.
                let sent: HashSet<_> =
                    sent_at.map(|m| due(&rows, &rules, &HashSet::new(), base + Duration::minutes(m))).unwrap_or_default().into_iter().map(|e| e.key).collect();
                let now = base + Duration::minutes(start);
                let answer = |t| due(&rows, &rules, &sent, t).into_iter().map(|e| (e.key, e.notify, e.raise_to)).collect::<Vec<_>>();
                let first = answer(now);
                let next = next_change(&rows, &rules, now);
                if let Some(n) = next {
                    prop_assert!(n > now);
                }
                // The model: every minute from `now` to the next change (or past every instant).
                let end = next.unwrap_or(base + Duration::minutes(1200));
                let mut t = now;
                while t < end {
                    prop_assert_eq!(&answer(t), &first, "at {}", t);
                    t += Duration::minutes(1);
                }
            }
        }
    }
}
