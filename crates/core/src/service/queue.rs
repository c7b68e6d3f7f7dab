//! Ticket queues: mine, unassigned, breaching soon, breached, open, or all, narrowed by status,
//! priority and words, sorted by due time, opening time or priority. Pure: each ticket's SLA
//! instants are worked out once when it changes ([`QueueRow`]), so a queue over 50,000 tickets
//! is comparisons only, as of any `now`.

use super::settings::ServiceSettings;
use super::sla::{self, Pause};
use super::{Priority, Status};
use crate::search::mapped::Packed;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Which tickets a queue shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum QueueView {
    /// Every ticket not closed.
    #[default]
    Open,
    /// Open tickets assigned to the user.
    Mine,
    /// Open tickets nobody is assigned to.
    Unassigned,
    /// Open tickets with less than a quarter of a running target left.
    BreachingSoon,
    /// Open tickets past a running target.
    Breached,
    /// Every ticket, closed ones too.
    All,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum QueueSort {
    /// Soonest due first (tickets with no running target last).
    #[default]
    Due,
    /// Newest first.
    Opened,
    /// Most urgent first, then soonest due.
    Priority,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct QueueFilter {
    pub view: QueueView,
    /// Only these; empty: any.
    pub statuses: Vec<Status>,
    pub priorities: Vec<Priority>,
    /// In the number, subject or customer's name (any case, Chinese substrings too).
    pub query: String,
    /// Only this customer's tickets (its page's panel).
    pub customer_id: Option<crate::ids::CustomerId>,
    /// Only this person's tickets; empty: anyone's.
    pub assignee: String,
    pub sort: QueueSort,
}

/// A ticket as queues read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    /// Its id, number, customer id, customer name, subject, assignee, then the lowercase number,
    /// subject and customer a filter's words are looked for in: one buffer a row, not seven
    /// strings. A team's 50,000 tickets stay in memory for the queues; as strings they took about
    /// 20 MB of the app's (docs/benchmarks.md, "Eleventh pass").
    pub(crate) text: Packed<7>,
    pub status: Status,
    pub priority: Priority,
    pub opened: DateTime<Utc>,
    /// When the running target falls due (the first response until answered, then the
    /// resolution); none when nothing runs (met, resolved, closed, or waiting on the customer).
    pub due: Option<DateTime<Utc>>,
    /// When it turns "breaching soon": three quarters of that target used.
    pub warn_at: Option<DateTime<Utc>>,
    /// The team's breach actions were applied already (they apply once per ticket).
    pub escalated: bool,
}

/// A row's texts, in [`QueueRow`]'s order.
pub struct RowText<'a> {
    pub id: &'a str,
    pub number: &'a str,
    pub customer_id: &'a str,
    pub customer_name: &'a str,
    pub subject: &'a str,
    pub assignee: &'a str,
}

impl QueueRow {
    /// A row of these texts (its filter words made from them) and these states.
    pub fn new(
        t: RowText<'_>,
        status: Status,
        priority: Priority,
        opened: DateTime<Utc>,
        due: Option<DateTime<Utc>>,
        warn_at: Option<DateTime<Utc>>,
        escalated: bool,
    ) -> Self {
        let words = format!("{} {} {}", t.number, t.subject, t.customer_name).to_lowercase();
        let text = Packed::new([t.id, t.number, t.customer_id, t.customer_name, t.subject, t.assignee, &words]);
        Self { text, status, priority, opened, due, warn_at, escalated }
    }

    fn part(&self, i: usize) -> &str {
        self.text.part(i)
    }
    pub fn id(&self) -> &str {
        self.part(0)
    }
    pub fn number(&self) -> &str {
        self.part(1)
    }
    pub fn customer_id(&self) -> &str {
        self.part(2)
    }
    pub fn customer_name(&self) -> &str {
        self.part(3)
    }
    pub fn subject(&self) -> &str {
        self.part(4)
    }
    pub fn assignee(&self) -> &str {
        self.part(5)
    }
    /// The lowercase number, subject and customer name.
    pub fn words(&self) -> &str {
        self.part(6)
    }

    /// The same row with other texts (tests).
    #[cfg(test)]
    pub(crate) fn with_text(&self, t: RowText<'_>) -> Self {
        Self::new(t, self.status, self.priority, self.opened, self.due, self.warn_at, self.escalated)
    }
}

/// What a ticket's row is made from.
pub struct RowInput<'a> {
    pub text: RowText<'a>,
    pub status: Status,
    pub priority: Priority,
    pub opened: DateTime<Utc>,
    pub answered: bool,
    pub pauses: &'a [Pause],
    pub escalated: bool,
}

/// A ticket's row with its SLA instants, under the team's settings.
pub fn row(s: &ServiceSettings, hours: &sla::BusinessHours, t: RowInput<'_>) -> QueueRow {
    let target = s.target(t.priority);
    let minutes = |m: u32| Duration::minutes(i64::from(m));
    let open = !matches!(t.status, Status::Resolved | Status::Closed);
    let mut running: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    let mut consider = |total: Duration, pauses: &[Pause]| {
        let due = sla::due(hours, t.opened, total, pauses);
        let warn = sla::due(hours, t.opened, total * 3 / 4, pauses);
        if let (Some(d), Some(w)) = (due, warn) {
            if running.is_none_or(|(rd, _)| d < rd) {
                running = Some((d, w));
            }
        }
    };
    if open && !t.answered {
        consider(minutes(target.first_response_minutes), &[]);
    }
    if open {
        consider(minutes(target.resolution_minutes), t.pauses);
    }
    // Waiting on the customer: the resolution clock is stopped, so nothing of it runs.
    if t.status == Status::Waiting && t.answered {
        running = None;
    }
    QueueRow::new(t.text, t.status, t.priority, t.opened, running.map(|r| r.0), running.map(|r| r.1), t.escalated)
}

fn rank(p: Priority) -> u8 {
    match p {
        Priority::Urgent => 0,
        Priority::High => 1,
        Priority::Normal => 2,
        Priority::Low => 3,
    }
}

/// The first `limit` tickets of a queue, sorted, as of `now`.
pub fn queue<'a>(
    rows: impl IntoIterator<Item = &'a QueueRow>,
    f: &QueueFilter,
    me: &str,
    now: DateTime<Utc>,
    limit: usize,
) -> Vec<&'a QueueRow> {
    let words: Vec<String> = f.query.split_whitespace().map(str::to_lowercase).collect();
    let mut out: Vec<&QueueRow> = rows
        .into_iter()
        .filter(|r| {
            let open = r.status != Status::Closed;
            let view = match f.view {
                QueueView::All => true,
                QueueView::Open => open,
                QueueView::Mine => open && !me.is_empty() && r.assignee() == me,
                QueueView::Unassigned => open && r.assignee().is_empty(),
                QueueView::BreachingSoon => open && matches!((r.warn_at, r.due), (Some(w), Some(d)) if w <= now && now < d),
                QueueView::Breached => open && r.due.is_some_and(|d| d <= now),
            };
            view && (f.statuses.is_empty() || f.statuses.contains(&r.status))
                && (f.priorities.is_empty() || f.priorities.contains(&r.priority))
                && f.customer_id.as_ref().is_none_or(|c| c.as_str() == r.customer_id())
                && (f.assignee.is_empty() || f.assignee == r.assignee())
                && words.iter().all(|w| r.words().contains(w.as_str()))
        })
        .collect();
    let due_key = |r: &QueueRow| r.due.unwrap_or(DateTime::<Utc>::MAX_UTC);
    let order = |a: &&QueueRow, b: &&QueueRow| match f.sort {
        QueueSort::Due => due_key(a).cmp(&due_key(b)).then_with(|| a.number().cmp(b.number())),
        QueueSort::Opened => b.opened.cmp(&a.opened).then_with(|| b.number().cmp(a.number())),
        QueueSort::Priority => {
            rank(a.priority).cmp(&rank(b.priority)).then_with(|| due_key(a).cmp(&due_key(b))).then_with(|| a.number().cmp(b.number()))
        }
    };
    // Only the first `limit` are shown: pick them in linear time, then sort just those.
    if limit < out.len() {
        out.select_nth_unstable_by(limit, order);
        out.truncate(limit);
    }
    out.sort_by(order);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::settings;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn team() -> (ServiceSettings, sla::BusinessHours) {
        let mut s = settings::defaults();
        s.hours = settings::clean_hours("mon,tue,wed,thu,fri", "09:00", "18:00", "Asia/Shanghai").unwrap();
        let h = s.business_hours();
        (s, h)
    }

    fn ticket(
        s: &ServiceSettings,
        h: &sla::BusinessHours,
        n: u32,
        priority: Priority,
        status: Status,
        assignee: &str,
        opened: &str,
        answered: bool,
    ) -> QueueRow {
        let (id, number) = (format!("t{n}"), format!("T-2026-{n:04}"));
        row(
            s,
            h,
            RowInput {
                text: RowText {
                    id: &id,
                    number: &number,
                    customer_id: "c1",
                    customer_name: "上海示例贸易有限公司",
                    subject: if n % 2 == 0 { "打印机卡纸" } else { "Network down" },
                    assignee,
                },
                status,
                priority,
                opened: at(opened),
                answered,
                pauses: &[],
                escalated: false,
            },
        )
    }

    #[test]
    fn a_rows_texts_read_back_as_given_from_its_one_buffer() {
        let cases = [
            RowText {
                id: "t1",
                number: "T-2026-0001",
                customer_id: "c1",
                customer_name: "上海示例",
                subject: "打印机 Jam",
                assignee: "ana",
            },
            RowText { id: "t2", number: "T-2", customer_id: "", customer_name: "", subject: "", assignee: "" },
        ];
        for t in cases {
            let want = [t.id, t.number, t.customer_id, t.customer_name, t.subject, t.assignee];
            let r = QueueRow::new(t, Status::New, Priority::Low, at("2026-12-01T09:00:00+08:00"), None, None, false);
            assert_eq!([r.id(), r.number(), r.customer_id(), r.customer_name(), r.subject(), r.assignee()], want);
            assert_eq!(r.words(), format!("{} {} {}", want[1], want[4], want[3]).to_lowercase());
        }
    }

    #[test]
    fn queues_pick_and_sort_by_their_rules() {
        let (s, h) = team();
        // Defaults: urgent answers in 1h, high in 4h, normal in 8h; all opened Monday morning.
        let rows = vec![
            ticket(&s, &h, 1, Priority::Urgent, Status::New, "", "2026-11-30T09:00:00+08:00", false), // due 10:00, warn 09:45
            ticket(&s, &h, 2, Priority::High, Status::InProgress, "ana", "2026-11-30T09:00:00+08:00", false), // due 13:00, warn 12:00
            ticket(&s, &h, 3, Priority::Normal, Status::Assigned, "bo", "2026-11-30T09:00:00+08:00", false), // due 17:00
            ticket(&s, &h, 4, Priority::Low, Status::Closed, "ana", "2026-11-20T09:00:00+08:00", true),
            ticket(&s, &h, 5, Priority::High, Status::Waiting, "ana", "2026-11-30T09:00:00+08:00", true), // clock stopped
        ];
        let now = at("2026-11-30T12:30:00+08:00");
        let numbers = |v: Vec<&QueueRow>| v.iter().map(|r| r.number()[7..].to_string()).collect::<Vec<_>>();
        let q = |view, sort| numbers(queue(&rows, &QueueFilter { view, sort, ..Default::default() }, "ana", now, 100));
        assert_eq!(q(QueueView::Open, QueueSort::Due), ["0001", "0002", "0003", "0005"]);
        assert_eq!(q(QueueView::All, QueueSort::Opened), ["0005", "0003", "0002", "0001", "0004"]);
        assert_eq!(q(QueueView::Mine, QueueSort::Due), ["0002", "0005"]);
        assert_eq!(q(QueueView::Unassigned, QueueSort::Due), ["0001"]);
        assert_eq!(q(QueueView::Breached, QueueSort::Due), ["0001"]);
        assert_eq!(q(QueueView::BreachingSoon, QueueSort::Due), ["0002"]);
        assert_eq!(q(QueueView::Open, QueueSort::Priority), ["0001", "0002", "0005", "0003"]);
        // Overnight nothing runs: at 20:00 the normal ticket (due 17:00) is breached, none is "soon".
        let night = at("2026-11-30T20:00:00+08:00");
        let f = |view| QueueFilter { view, ..Default::default() };
        assert_eq!(numbers(queue(&rows, &f(QueueView::Breached), "ana", night, 100)), ["0001", "0002", "0003"]);
        assert!(queue(&rows, &f(QueueView::BreachingSoon), "ana", night, 100).is_empty());
        // Words, status and priority narrow any view.
        let words = QueueFilter { query: "打印 上海".into(), ..Default::default() };
        assert_eq!(numbers(queue(&rows, &words, "ana", now, 100)), ["0002"]);
        let narrowed =
            QueueFilter { statuses: vec![Status::New, Status::Assigned], priorities: vec![Priority::Normal], ..Default::default() };
        assert_eq!(numbers(queue(&rows, &narrowed, "ana", now, 100)), ["0003"]);
        assert_eq!(rows[4].due, None, "waiting: no clock runs");
        // The first two of a queue are the first two of the whole sorted queue.
        let all = QueueFilter { view: QueueView::All, sort: QueueSort::Opened, ..Default::default() };
        assert_eq!(numbers(queue(&rows, &all, "ana", now, 2)), ["0005", "0003"]);
    }
}
