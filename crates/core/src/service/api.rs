//! The service module's calls: `satchel.service()`: the team's business hours, holidays, SLA
//! targets and escalation rules; tickets made, edited, moved, commented and queued with their SLA;
//! the notices the desktop's scheduler shows; the knowledge base.

use super::escalate;
use super::kb::{self, ArticleRow};
use super::queue::{self, QueueFilter, QueueRow, RowInput, RowText};
use super::settings::{self, ServiceSettings, SlaTarget};
use super::sla::{self, Pause};
use super::workflow;
use super::*;
use crate::error::{CoreError, Invalid, Problems, Result};
use crate::records::RecordRef;
use crate::store::{Store, Touched};
use crate::Satchel;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use satchel_proto::tables::customers::CUSTOMERS;
use satchel_proto::tables::sales::{CONTRACTS, PRODUCTS};
use satchel_proto::tables::service::{ARTICLES, TICKET, TICKETS, TICKET_ARTICLES, TICKET_COMMENTS, TICKET_PAUSES};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The service module's migrations, numbered in the store's one sequence.
pub const MIGRATIONS: &[crate::store::Migration] = &[
    crate::store::Migration { number: 18, sql: include_str!("migrations/0018_service.sql") },
    crate::store::Migration { number: 19, sql: include_str!("migrations/0019_knowledge_base.sql") },
    crate::store::Migration { number: 20, sql: include_str!("migrations/0020_ticket_comments.sql") },
];

/// The queues' rows, built on first use and patched per touched ticket (see `queue.rs`): a
/// queue over 50,000 tickets is then comparisons only.
#[derive(Default)]
pub struct State {
    rows: Mutex<Option<HashMap<String, QueueRow>>>,
    /// The knowledge base's search rows, built on first search and patched per article.
    articles: Mutex<Option<HashMap<String, ArticleRow>>>,
    /// The SLA scheduler's rest: no notice falls due for this laptop before this instant, as
    /// long as no ticket, pause or setting changes (see `Service::due_notices`).
    quiet: Mutex<Quiet>,
}

#[derive(Default)]
struct Quiet {
    /// Bumped by every change that can move a notice; a rest worked out across one is not kept.
    changes: u64,
    /// From when to when none is due: `[from, until)`. Before `from` (a clock set back) the
    /// answer may differ, a lower level's notice never shown, so it is not assumed.
    rest: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl State {
    fn rows(&self) -> MutexGuard<'_, Option<HashMap<String, QueueRow>>> {
        self.rows.lock().unwrap_or_else(PoisonError::into_inner)
    }
    fn articles(&self) -> MutexGuard<'_, Option<HashMap<String, ArticleRow>>> {
        self.articles.lock().unwrap_or_else(PoisonError::into_inner)
    }
    fn quiet(&self) -> MutexGuard<'_, Quiet> {
        self.quiet.lock().unwrap_or_else(PoisonError::into_inner)
    }
    fn unquiet(&self) {
        let mut q = self.quiet();
        q.changes += 1;
        q.rest = None;
    }
}

impl crate::modules::ModuleState for State {
    fn load(&self, _store: &Store) -> Result<()> {
        Ok(())
    }

    fn changed(&self, app: &Satchel, touched: &BTreeSet<Touched>) -> Result<()> {
        {
            let mut articles = self.articles();
            if let Some(map) = articles.as_mut() {
                for t in touched.iter().filter(|t| t.table == "articles") {
                    map.remove(&t.id);
                    if let Some(row) = app.store().read(|c| article_rows(c, Some(&t.id)))?.pop() {
                        map.insert(row.id.clone(), row);
                    }
                }
            }
        }
        if touched.iter().any(|t| matches!(t.table, "tickets" | "ticket_pauses" | "service_settings")) {
            self.unquiet();
        }
        let mut cache = self.rows();
        let Some(rows) = cache.as_mut() else { return Ok(()) };
        // Hours, holidays or targets changed: every due time moves.
        if touched.iter().any(|t| t.table == "service_settings") {
            *cache = None;
            return Ok(());
        }
        let mut ids: Vec<String> = touched.iter().filter(|t| t.table == "tickets").map(|t| t.id.clone()).collect();
        ids.extend(touched.iter().filter(|t| t.table == "ticket_pauses").filter_map(|t| t.parent.clone()));
        // A renamed customer: its tickets show and match the new name.
        let customers: Vec<String> = touched.iter().filter(|t| t.table == "customers").map(|t| t.id.clone()).collect();
        if ids.is_empty() && customers.is_empty() {
            return Ok(());
        }
        let s = app.store().read(settings::load)?;
        for chunk in ids.chunks(500) {
            for id in chunk {
                rows.remove(id);
            }
            for r in app.store().read(|c| queue_rows(c, &s, Some(("t.id", chunk))))? {
                rows.insert(r.id().to_string(), r);
            }
        }
        for chunk in customers.chunks(500) {
            for r in app.store().read(|c| queue_rows(c, &s, Some(("t.customer_id", chunk))))? {
                rows.insert(r.id().to_string(), r);
            }
        }
        Ok(())
    }

    fn reload(&self, _app: &Satchel) -> Result<()> {
        *self.rows() = None;
        *self.articles() = None;
        self.unquiet();
        Ok(())
    }
}

impl Satchel {
    /// Tickets and their SLAs: see [`Service`].
    pub fn service(&self) -> Service<'_> {
        Service { app: self }
    }
}

pub struct Service<'a> {
    app: &'a Satchel,
}

const SUBJECT_MAX: usize = 500;
const DESCRIPTION_MAX: usize = 20_000;
const COMMENT_MAX: usize = 2_000;
/// A name (assignee, category).
const NAME_MAX: usize = 200;

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim()).ok().map(|t| t.with_timezone(&Utc))
}

impl Service<'_> {
    fn store(&self) -> &Store {
        self.app.store()
    }

    pub fn settings(&self) -> Result<ServiceSettings> {
        self.store().read(settings::load)
    }

    /// Sets the team's business hours (`mon,tue,...`, `HH:MM`, an IANA zone).
    pub fn set_hours(&self, days: &str, open: &str, close: &str, tz: &str) -> Result<ServiceSettings> {
        let h = settings::clean_hours(days, open, close, tz)?;
        self.store().write(|w| settings::set_hours(w, &h))?;
        self.app.settle()?;
        self.settings()
    }

    /// Marks a date a holiday, or (`working`) a day off worked.
    pub fn set_day(&self, date: &str, working: bool) -> Result<ServiceSettings> {
        let d = settings::clean_date(date)?;
        self.store().write(|w| settings::set_day(w, d, working))?;
        self.app.settle()?;
        self.settings()
    }

    /// Marks the days of an .ics holiday calendar: each all-day event's days are holidays, or
    /// working days when its title says so (China's make-up working days, titled 补班 or 上班, or
    /// "working day"). Returns how many holidays and working days were marked; all in one write.
    pub fn import_holidays_ics(&self, bytes: &[u8]) -> Result<(u32, u32)> {
        let days = crate::calendar::ics::all_day_days(bytes, self.app.locale())?;
        let working = |title: &str| {
            let t = title.to_lowercase();
            t.contains('班') || t.contains("working day") || t.contains("workday")
        };
        // One mark a day (a file may list a day twice; a day both off and worked is worked).
        let mut marks: std::collections::BTreeMap<chrono::NaiveDate, bool> = std::collections::BTreeMap::new();
        for (day, title) in &days {
            *marks.entry(*day).or_default() |= working(title);
        }
        let (mut off, mut on) = (0, 0);
        self.store().write(|w| {
            for (day, is_working) in &marks {
                let is_working = *is_working;
                settings::set_day(w, *day, is_working)?;
                if is_working {
                    on += 1;
                } else {
                    off += 1;
                }
            }
            Ok(())
        })?;
        self.app.settle()?;
        Ok((off, on))
    }

    /// Sets a priority's targets, typed as business durations (`30m`, `4h`).
    pub fn set_sla(&self, priority: &str, first_response: &str, resolution: &str) -> Result<ServiceSettings> {
        let mut p = Problems::default();
        let pr = Priority::from_word(priority.trim());
        if pr.is_none() {
            p.add("priority", Invalid::OneOf { value: priority.trim().into(), allowed: Priority::words() });
        }
        let first = p.keep(settings::minutes("firstResponse", first_response))?;
        let resolution = p.keep(settings::minutes("resolution", resolution))?;
        p.check()?;
        let (Some(pr), Some(f), Some(r)) = (pr, first, resolution) else { return Err(CoreError::Internal("checked above".into())) };
        self.store().write(|w| settings::set_target(w, pr, SlaTarget { first_response_minutes: f, resolution_minutes: r }))?;
        self.app.settle()?;
        self.settings()
    }

    /// Checks a ticket's fields as typed, naming each wrong one (in `p`); `None` if any is.
    fn clean(&self, input: &TicketInput, p: &mut Problems, is_new: bool) -> Option<Clean> {
        let subject = input.subject.trim().to_string();
        if subject.is_empty() {
            p.add("subject", Invalid::Required);
        } else if subject.chars().count() > SUBJECT_MAX {
            p.add("subject", Invalid::TooLong { max: SUBJECT_MAX });
        }
        if input.description.chars().count() > DESCRIPTION_MAX {
            p.add("description", Invalid::TooLong { max: DESCRIPTION_MAX });
        }
        for (field, text) in [("category", &input.category), ("assignee", &input.assignee)] {
            if text.trim().chars().count() > NAME_MAX {
                p.add(field, Invalid::TooLong { max: NAME_MAX });
            }
        }
        let priority = Priority::from_word(input.priority.trim());
        if priority.is_none() {
            p.add("priority", Invalid::OneOf { value: input.priority.trim().into(), allowed: Priority::words() });
        }
        let channel = if input.channel.trim().is_empty() { Some(Channel::Phone) } else { Channel::from_word(input.channel.trim()) };
        if channel.is_none() {
            p.add("channel", Invalid::OneOf { value: input.channel.trim().into(), allowed: Channel::words() });
        }
        let now = Utc::now();
        let opened = match input.opened_at.trim() {
            _ if !is_new => Some(now),
            "" => Some(now),
            s => match parse_instant(s) {
                // A ticket cannot be opened in the future (a clock hours off would start its SLA late).
                Some(t) if t > now + Duration::minutes(5) => {
                    p.add("openedAt", Invalid::FutureDate);
                    None
                }
                Some(t) => Some(t),
                None => {
                    p.add("openedAt", Invalid::DateTime);
                    None
                }
            },
        };
        if input.customer_id.is_none() {
            p.add("customerId", Invalid::Required);
        }
        let (priority, channel, opened, customer) = (priority?, channel?, opened?, input.customer_id.clone()?);
        Some(Clean {
            subject,
            description: input.description.trim().to_string(),
            category: input.category.trim().to_string(),
            assignee: input.assignee.trim().to_string(),
            priority,
            channel,
            opened,
            customer,
        })
    }

    /// Checks, inside a write, that the ticket's customer, contract and product are live.
    fn check_links(w: &crate::store::Writer<'_>, c: &Clean, input: &TicketInput) -> Result<()> {
        if !matches!(w.deleted_at(&CUSTOMERS, c.customer.as_str())?, Some(None)) {
            return Err(CoreError::invalid("customerId", Invalid::UnknownCompany));
        }
        if let Some(k) = &input.contract_id {
            if !matches!(w.deleted_at(&CONTRACTS, k.as_str())?, Some(None)) {
                return Err(CoreError::invalid("contractId", Invalid::Id));
            }
        }
        if let Some(k) = &input.product_id {
            if !matches!(w.deleted_at(&PRODUCTS, k.as_str())?, Some(None)) {
                return Err(CoreError::invalid("productId", Invalid::Id));
            }
        }
        Ok(())
    }

    /// A new ticket, numbered on this laptop's series (`T-2026-0007`); one with an assignee
    /// starts as assigned.
    pub fn create_ticket(&self, input: &TicketInput) -> Result<Ticket> {
        let mut p = Problems::default();
        let clean = self.clean(input, &mut p, true);
        p.check()?;
        let c = clean.ok_or_else(|| CoreError::Internal("checked above".into()))?;
        c.customer.checked()?;
        let year = c.opened.with_timezone(&self.settings()?.zone()).format("%Y").to_string();
        let series = self.app.sales().series()?;
        let stem = crate::sales::numbers::stem("T", year.parse().ok(), &series);
        let me = self.app.store().profile().author.clone();
        let id = self.store().write(|w| {
            Self::check_links(w, &c, input)?;
            let number = crate::sales::numbers::next(w.conn(), "tickets", &stem, 4)?;
            let id = TicketId::new();
            let text = |s: &str| Value::Text(s.to_string());
            let status = if c.assignee.is_empty() { Status::New } else { Status::Assigned };
            let mut v = c.values(input);
            v.extend([
                ("number", text(&number)),
                ("status", text(status.as_str())),
                ("owner", text(&me)),
                ("visibility", text("team")),
                ("opened_at", text(&rfc3339(c.opened))),
            ]);
            w.insert(&TICKETS, id.as_str(), &v)?;
            crate::records::fields::check_and_write(w, &RecordRef::new(&TICKET, id.as_str()), &input.custom, true)?;
            Ok(id)
        })?;
        self.app.settle()?;
        self.get_ticket(&id)
    }

    /// Changes a ticket's fields (not when it was opened, nor its status, which moves through
    /// the workflow): giving a new ticket an assignee makes it assigned.
    pub fn update_ticket(&self, id: &TicketId, input: &TicketInput) -> Result<Ticket> {
        let id = id.checked()?;
        let mut p = Problems::default();
        let clean = self.clean(input, &mut p, false);
        p.check()?;
        let c = clean.ok_or_else(|| CoreError::Internal("checked above".into()))?;
        self.store().write(|w| {
            let status: String = live_column(w.conn(), "status", id.as_str())?;
            Self::check_links(w, &c, input)?;
            let text = |s: &str| Value::Text(s.to_string());
            let mut v = c.values(input);
            if Status::parse(&status) == Status::New && !c.assignee.is_empty() {
                v.push(("status", text(Status::Assigned.as_str())));
            }
            w.update(&TICKETS, id.as_str(), &v)?;
            crate::records::fields::check_and_write(w, &RecordRef::new(&TICKET, id.as_str()), &input.custom, false)
        })?;
        self.app.settle()?;
        self.get_ticket(&id)
    }

    /// Hands tickets to someone (empty: nobody), all in one write; new ones become assigned.
    pub fn assign_tickets(&self, ids: &[TicketId], assignee: &str) -> Result<u32> {
        let assignee = assignee.trim();
        if assignee.chars().count() > NAME_MAX {
            return Err(CoreError::invalid("assignee", Invalid::TooLong { max: NAME_MAX }));
        }
        let ids = ids.iter().map(|i| i.checked().map_err(CoreError::from)).collect::<Result<Vec<_>>>()?;
        let text = |s: &str| Value::Text(s.to_string());
        let n = self.store().write(|w| {
            let mut n = 0;
            for id in &ids {
                let status: String = live_column(w.conn(), "status", id.as_str())?;
                let mut v = vec![("assignee", text(assignee))];
                if Status::parse(&status) == Status::New && !assignee.is_empty() {
                    v.push(("status", text(Status::Assigned.as_str())));
                }
                w.update(&TICKETS, id.as_str(), &v)?;
                n += 1;
            }
            Ok(n)
        })?;
        self.app.settle()?;
        Ok(n)
    }

    /// Moves tickets to one status, all or none: one the workflow does not allow refuses the
    /// lot, naming its number.
    pub fn move_tickets(&self, ids: &[TicketId], to: Status) -> Result<u32> {
        self.move_tickets_at(ids, to, Utc::now())
    }

    pub fn move_tickets_at(&self, ids: &[TicketId], to: Status, at: DateTime<Utc>) -> Result<u32> {
        let ids = ids.iter().map(|i| i.checked().map_err(CoreError::from)).collect::<Result<Vec<_>>>()?;
        let n = self.store().write(|w| {
            for id in &ids {
                move_in(w, id, to, None, "", at)?;
            }
            Ok(ids.len() as u32)
        })?;
        self.app.settle()?;
        Ok(n)
    }

    /// Adds a comment: internal (the team's) or to the customer; the first one to the customer is
    /// the ticket's first response (its clock stops). Returns the ticket's comments.
    pub fn add_comment(&self, ticket: &TicketId, body: &str, internal: bool) -> Result<Vec<TicketComment>> {
        self.add_comment_at(ticket, body, internal, Utc::now())
    }

    pub fn add_comment_at(&self, ticket: &TicketId, body: &str, internal: bool, at: DateTime<Utc>) -> Result<Vec<TicketComment>> {
        let ticket = ticket.checked()?;
        let body = body.trim();
        if body.is_empty() {
            return Err(CoreError::invalid("body", Invalid::Required));
        }
        if body.chars().count() > DESCRIPTION_MAX {
            return Err(CoreError::invalid("body", Invalid::TooLong { max: DESCRIPTION_MAX }));
        }
        let me = self.store().profile().author.clone();
        let now = rfc3339(at);
        let text = |s: &str| Value::Text(s.to_string());
        self.store().write(|w| {
            let first: String = live_column(w.conn(), "first_response_at", ticket.as_str())?;
            w.insert(
                &TICKET_COMMENTS,
                TicketCommentId::new().as_str(),
                &[
                    ("ticket_id", text(ticket.as_str())),
                    ("body", text(body)),
                    ("internal", Value::Integer(i64::from(internal))),
                    ("author", text(&me)),
                    ("created_at", text(&now)),
                ],
            )?;
            if !internal && first.is_empty() {
                w.update(&TICKETS, ticket.as_str(), &[("first_response_at", text(&now))])?;
            }
            Ok(())
        })?;
        self.app.settle()?;
        self.comments(&ticket)
    }

    /// A ticket's comments, oldest first.
    pub fn comments(&self, ticket: &TicketId) -> Result<Vec<TicketComment>> {
        let zone = self.settings()?.zone();
        self.store().read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, body, internal, author, created_at FROM ticket_comments WHERE ticket_id = ?1 AND deleted_at IS NULL ORDER BY created_at, id",
            )?;
            let rows = st.query_map([ticket.as_str()], |r| {
                let at: String = r.get(4)?;
                Ok(TicketComment {
                    id: TicketCommentId(r.get(0)?),
                    body: r.get(1)?,
                    internal: r.get::<_, i64>(2)? != 0,
                    author: r.get(3)?,
                    created_at: parse_instant(&at).map(|t| t.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, true)).unwrap_or(at),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The names tickets are assigned to, and the user's own, for pickers.
    pub fn assignees(&self) -> Result<Vec<String>> {
        let me = self.store().profile().author.clone();
        let mut names: BTreeSet<String> = self.store().read(|c| {
            let mut st = c.prepare_cached("SELECT DISTINCT assignee FROM tickets WHERE assignee <> '' AND deleted_at IS NULL")?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<BTreeSet<_>>>()?)
        })?;
        if !me.is_empty() {
            names.insert(me);
        }
        Ok(names.into_iter().collect())
    }

    /// Sets the team's escalation rules.
    pub fn set_escalation(&self, rules: &settings::EscalationRules) -> Result<ServiceSettings> {
        let r = settings::clean_escalation(rules)?;
        self.store().write(|w| settings::set_escalation(w, &r))?;
        self.app.settle()?;
        self.settings()
    }

    /// Takes a holiday or extra working day off the calendar.
    pub fn clear_day(&self, date: &str) -> Result<ServiceSettings> {
        let d = settings::clean_date(date)?;
        self.store().write(|w| settings::clear_day(w, d))?;
        self.app.settle()?;
        self.settings()
    }

    /// The SLA notices due at `now` for this laptop's user (the assignee's breach, the manager's
    /// reminder) that this laptop has not shown yet: what the desktop's scheduler shows.
    ///
    /// When none is due, the next instant one could be (a warning, a due time or the manager's
    /// delay reached, `escalate::next_change`) is kept, and until then, or until a ticket, a
    /// pause or a setting changes, the answer is known to be none without reading anything.
    pub fn due_notices(&self, now: DateTime<Utc>) -> Result<Vec<escalate::Escalation>> {
        let state = &self.app.modules.service;
        let changes = {
            let q = state.quiet();
            if q.rest.is_some_and(|(from, until)| from <= now && now < until) {
                return Ok(Vec::new());
            }
            q.changes
        };
        let me = self.store().profile().author.clone();
        let s = self.settings()?;
        let sent: std::collections::HashSet<(String, escalate::Level, DateTime<Utc>)> = self.store().read(|c| {
            let mut st = c.prepare_cached("SELECT id FROM ticket_notices")?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            let mut out = std::collections::HashSet::new();
            for key in rows {
                if let Some(k) = notice_key_parse(&key?) {
                    out.insert(k);
                }
            }
            Ok(out)
        })?;
        let rules = s.escalation.rules();
        // This laptop's notices, and when none is, until when none can be.
        let work = |rows: Vec<&QueueRow>| {
            let all = escalate::due(rows.iter().copied(), &rules, &sent, now);
            // Each person's laptop tells its own user; with no name set, this laptop is the team.
            let mine: Vec<_> = all.into_iter().filter(|e| me.is_empty() || e.notify.is_empty() || e.notify == me).collect();
            let rest =
                mine.is_empty().then(|| escalate::next_change(rows.iter().copied(), &rules, now).unwrap_or(DateTime::<Utc>::MAX_UTC));
            (mine, rest)
        };
        // The queues' rows once a queue was opened. Until then only the tickets not resolved or
        // closed are read, and not kept: at 50,000 tickets (6,500 of them open) the whole queue
        // held about 30 MB for a laptop that never opens it (docs/benchmarks.md, "Twelfth pass").
        let kept = state.rows().as_ref().map(|rows| work(rows.values().collect()));
        let (mine, rest) = match kept {
            Some(answer) => answer,
            None => {
                let open: Vec<String> = Status::ALL
                    .iter()
                    .filter(|st| !matches!(st, Status::Resolved | Status::Closed))
                    .map(|st| st.as_str().to_string())
                    .collect();
                let rows = self.store().read(|c| queue_rows(c, &s, Some(("t.status", &open))))?;
                work(rows.iter().collect())
            }
        };
        if let Some(until) = rest {
            let mut q = state.quiet();
            // Kept only if nothing changed while this was worked out.
            if q.changes == changes {
                q.rest = Some((now, until));
            }
        }
        Ok(mine)
    }

    /// Notes a notice as shown on this laptop and applies its actions (raise the priority,
    /// reassign) once per ticket, in one write.
    pub fn notice_shown(&self, e: &escalate::Escalation, now: DateTime<Utc>) -> Result<()> {
        self.notices_shown(std::slice::from_ref(e), now)
    }

    /// [`Self::notice_shown`] for many (a summary's), all in one write: all are noted, or none.
    pub fn notices_shown(&self, notices: &[escalate::Escalation], now: DateTime<Utc>) -> Result<()> {
        if notices.is_empty() {
            return Ok(());
        }
        let text = |s: &str| Value::Text(s.to_string());
        self.store().write(|w| {
            for e in notices {
                w.conn()
                    .execute("INSERT OR REPLACE INTO ticket_notices (id, sent_at) VALUES (?1, ?2)", [notice_key(&e.key), rfc3339(now)])?;
                if e.raise_to.is_none() && e.reassign_to.is_none() {
                    continue;
                }
                let escalated: Option<String> = w
                    .conn()
                    .prepare_cached("SELECT escalated_at FROM tickets WHERE id = ?1 AND deleted_at IS NULL")?
                    .query_row([e.ticket_id.as_str()], |r| r.get(0))
                    .optional()?;
                if escalated.is_none_or(|x| !x.is_empty()) {
                    continue;
                }
                let mut v = vec![("escalated_at", text(&rfc3339(now)))];
                if let Some(p) = e.raise_to {
                    v.push(("priority", text(p.as_str())));
                }
                if let Some(a) = &e.reassign_to {
                    v.push(("assignee", text(a)));
                }
                w.update(&TICKETS, &e.ticket_id, &v)?;
            }
            Ok(())
        })?;
        self.app.settle()
    }

    /// Moves a ticket along its workflow now (see [`Self::move_ticket_at`]).
    pub fn set_status(&self, id: &TicketId, to: Status) -> Result<Ticket> {
        self.move_ticket_at(id, to, None, "", Utc::now())
    }

    /// Closes a resolved ticket, with the customer's satisfaction (1-5) and comment if given.
    pub fn close_ticket(&self, id: &TicketId, rating: Option<u8>, comment: &str) -> Result<Ticket> {
        self.move_ticket_at(id, Status::Closed, rating, comment, Utc::now())
    }

    /// Moves a ticket to `to` at `at` (the clock is a parameter so SLA tests control it): a move
    /// the workflow does not allow is refused naming the allowed ones; the first move that
    /// engages the team records the first response; waiting on the customer stops the
    /// resolution clock until the next move; resolving records when, reopening clears it. A
    /// satisfaction rating is recorded once, on close.
    pub fn move_ticket_at(&self, id: &TicketId, to: Status, rating: Option<u8>, comment: &str, at: DateTime<Utc>) -> Result<Ticket> {
        let id = id.checked()?;
        let mut p = Problems::default();
        let rating = match rating.map(workflow::rating) {
            Some(Err(r)) => {
                p.add("rating", r);
                None
            }
            Some(Ok(r)) => Some(r),
            None => None,
        };
        if comment.chars().count() > COMMENT_MAX {
            p.add("ratingComment", Invalid::TooLong { max: COMMENT_MAX });
        }
        if (rating.is_some() || !comment.trim().is_empty()) && to != Status::Closed {
            p.add("rating", Invalid::OneOf { value: to.as_str().into(), allowed: Status::Closed.as_str().into() });
        }
        p.check()?;
        self.store().write(|w| move_in(w, &id, to, rating, comment, at))?;
        self.app.settle()?;
        self.get_ticket(&id)
    }

    /// A queue of tickets (see `queue.rs`), as of now, at most `limit` of them.
    pub fn queue(&self, filter: &QueueFilter, limit: u32) -> Result<Vec<QueueItem>> {
        self.queue_at(filter, limit, Utc::now())
    }

    pub fn queue_at(&self, filter: &QueueFilter, limit: u32, now: DateTime<Utc>) -> Result<Vec<QueueItem>> {
        let s = self.settings()?;
        let hours = s.business_hours();
        let me = self.store().profile().author.clone();
        self.with_rows(&s, |rows| {
            queue::queue(rows.values(), filter, &me, now, limit as usize).into_iter().map(|r| QueueItem::of(r, &hours, now)).collect()
        })
    }

    /// Runs `f` over the queues' rows, building them on first use.
    fn with_rows<T>(&self, s: &ServiceSettings, f: impl FnOnce(&HashMap<String, QueueRow>) -> T) -> Result<T> {
        let mut cache = self.app.modules.service.rows();
        if cache.is_none() {
            let rows = self.store().read(|c| queue_rows(c, s, None))?;
            *cache = Some(rows.into_iter().map(|r| (r.id().to_string(), r)).collect());
        }
        Ok(f(cache.as_ref().expect("just built")))
    }

    /// The team's saved ticket queues (a name and a filter), as the deals' list keeps them.
    pub fn ticket_views(&self) -> Result<Vec<TicketView>> {
        let views = crate::records::views::list(self.store(), &TICKET)?;
        Ok(views
            .into_iter()
            .map(|v| TicketView { filter: serde_json::from_str(&v.filter).unwrap_or_default(), id: v.id, name: v.name })
            .collect())
    }

    pub fn save_ticket_view(&self, name: &str, filter: &QueueFilter) -> Result<TicketView> {
        let text = serde_json::to_string(filter).map_err(|e| CoreError::Internal(e.to_string()))?;
        let id = crate::records::views::create(self.store(), &TICKET, name, text)?;
        self.app.settle()?;
        self.ticket_views()?.into_iter().find(|v| v.id == id).ok_or_else(|| CoreError::NotFound { what: "view", id: id.to_string() })
    }

    pub fn delete_ticket_view(&self, id: &crate::ids::SegmentId) -> Result<()> {
        crate::records::views::delete(self.store(), id)?;
        self.app.settle()
    }

    // ---- the knowledge base ----

    /// A new article (a title and a solution at least), searchable at once.
    pub fn create_article(&self, input: &ArticleInput) -> Result<Article> {
        self.write_article(input, None, None)
    }

    /// Rewrites an article's title, problem, solution, tags and language.
    pub fn update_article(&self, id: &ArticleId, input: &ArticleInput) -> Result<Article> {
        let id = id.checked()?;
        self.write_article(input, None, Some(&id))
    }

    fn write_article(&self, input: &ArticleInput, from_ticket: Option<&TicketId>, existing: Option<&ArticleId>) -> Result<Article> {
        let mut p = Problems::default();
        let title = input.title.trim();
        if title.is_empty() {
            p.add("title", Invalid::Required);
        } else if title.chars().count() > SUBJECT_MAX {
            p.add("title", Invalid::TooLong { max: SUBJECT_MAX });
        }
        if input.solution.trim().is_empty() {
            p.add("solution", Invalid::Required);
        }
        for (field, text) in [("problem", &input.problem), ("solution", &input.solution)] {
            if text.chars().count() > DESCRIPTION_MAX {
                p.add(field, Invalid::TooLong { max: DESCRIPTION_MAX });
            }
        }
        let language = input.language.trim();
        let product = input.product_id.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default();
        if !["", "en", "zh"].contains(&language) {
            p.add("language", Invalid::OneOf { value: language.into(), allowed: "en, zh".into() });
        }
        p.check()?;
        let tags: Vec<String> = input.tags.iter().map(|t| t.trim().replace(',', " ")).filter(|t| !t.is_empty()).collect();
        let me = self.store().profile().author.clone();
        let id = existing.cloned().unwrap_or_else(ArticleId::new);
        let text = |s: &str| Value::Text(s.to_string());
        self.store().write(|w| {
            if !product.is_empty() && !matches!(w.deleted_at(&PRODUCTS, &product)?, Some(None)) {
                return Err(CoreError::invalid("productId", Invalid::Id));
            }
            let mut v = vec![
                ("title", text(title)),
                ("problem", text(input.problem.trim())),
                ("solution", text(input.solution.trim())),
                ("tags", text(&tags.join(","))),
                ("language", text(language)),
                ("product_id", text(&product)),
            ];
            if existing.is_some() {
                if !matches!(w.deleted_at(&ARTICLES, id.as_str())?, Some(None)) {
                    return Err(CoreError::NotFound { what: "article", id: id.to_string() });
                }
                return w.update(&ARTICLES, id.as_str(), &v).map(|_| ());
            }
            v.extend([("owner", text(&me)), ("visibility", text("team"))]);
            if let Some(t) = from_ticket {
                v.push(("source_ticket_id", text(t.as_str())));
            }
            w.insert(&ARTICLES, id.as_str(), &v)?;
            if let Some(t) = from_ticket {
                link_in(w, t, &id)?;
            }
            Ok(())
        })?;
        self.app.settle()?;
        self.get_article(&id)
    }

    /// An article written from a resolved (or closed) ticket in one step: its subject as the
    /// title, its description as the problem, the solution given; linked to the ticket.
    pub fn article_from_ticket(&self, ticket: &TicketId, solution: &str) -> Result<Article> {
        let ticket = ticket.checked()?;
        let (subject, description, status, product): (String, String, String, String) = self.store().read(|c| {
            c.prepare_cached("SELECT subject, description, status, product_id FROM tickets WHERE id = ?1 AND deleted_at IS NULL")?
                .query_row([ticket.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?
                .ok_or_else(|| CoreError::NotFound { what: "ticket", id: ticket.to_string() })
        })?;
        if !matches!(Status::from_word(&status), Some(Status::Resolved | Status::Closed)) {
            return Err(CoreError::invalid("status", Invalid::OneOf { value: status, allowed: "resolved, closed".into() }));
        }
        // The article is about the ticket's product, if it named one.
        let product_id = (!product.is_empty()).then_some(ProductId(product));
        self.write_article(
            &ArticleInput { title: subject, problem: description, solution: solution.into(), product_id, ..Default::default() },
            Some(&ticket),
            None,
        )
    }

    pub fn get_article(&self, id: &ArticleId) -> Result<Article> {
        let id = id.checked()?;
        self.store().read(|c| {
            c.prepare_cached("SELECT id, title, problem, solution, tags, language, source_ticket_id, product_id FROM articles WHERE id = ?1 AND deleted_at IS NULL")?
                .query_row([id.as_str()], article_of)
                .optional()?
                .ok_or_else(|| CoreError::NotFound { what: "article", id: id.to_string() })
        })
    }

    /// Links an article to a ticket (once; linking again changes nothing).
    pub fn link_article(&self, ticket: &TicketId, article: &ArticleId) -> Result<Vec<Article>> {
        let (ticket, article) = (ticket.checked()?, article.checked()?);
        self.store().write(|w| {
            for (t, what, id) in [(&TICKETS, "ticket", ticket.as_str()), (&ARTICLES, "article", article.as_str())] {
                if !matches!(w.deleted_at(t, id)?, Some(None)) {
                    return Err(CoreError::NotFound { what, id: id.to_string() });
                }
            }
            link_in(w, &ticket, &article)
        })?;
        self.app.settle()?;
        self.ticket_articles(&ticket)
    }

    /// The articles linked to a ticket.
    pub fn ticket_articles(&self, ticket: &TicketId) -> Result<Vec<Article>> {
        self.store().read(|c| {
            let mut st = c.prepare_cached(
                "SELECT a.id, a.title, a.problem, a.solution, a.tags, a.language, a.source_ticket_id, a.product_id FROM ticket_articles l
                 JOIN articles a ON a.id = l.article_id AND a.deleted_at IS NULL
                 WHERE l.ticket_id = ?1 AND l.deleted_at IS NULL ORDER BY a.title",
            )?;
            let rows = st.query_map([ticket.as_str()], article_of)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn with_articles<T>(&self, f: impl FnOnce(&HashMap<String, ArticleRow>) -> T) -> Result<T> {
        let state = &self.app.modules.service;
        let mut cache = state.articles();
        if cache.is_none() {
            let rows = self.store().read(|c| article_rows(c, None))?;
            *cache = Some(rows.into_iter().map(|r| (r.id.clone(), r)).collect());
        }
        Ok(f(cache.as_ref().expect("just built")))
    }

    /// Articles holding every word (any part, any case, Chinese substrings of any length).
    pub fn search_articles(&self, query: &str, limit: u32) -> Result<Vec<ArticleHit>> {
        self.with_articles(|m| kb::search(m.values(), query, limit as usize).into_iter().map(ArticleHit::of).collect())
    }

    /// Articles to offer beside a ticket's subject while it is typed.
    pub fn suggest_articles(&self, subject: &str, limit: u32) -> Result<Vec<ArticleHit>> {
        self.with_articles(|m| kb::suggest(m.values(), subject, limit as usize).into_iter().map(ArticleHit::of).collect())
    }

    pub fn get_ticket(&self, id: &TicketId) -> Result<Ticket> {
        self.ticket_at(id, Utc::now())
    }

    /// A ticket with its SLA standing as of `now`.
    pub fn ticket_at(&self, id: &TicketId, now: DateTime<Utc>) -> Result<Ticket> {
        let s = self.settings()?;
        self.store().read(|c| {
            let row = load(c, Some(id.as_str()), None)?.pop().ok_or_else(|| CoreError::NotFound { what: "ticket", id: id.to_string() })?;
            view(c, &s, row, now)
        })
    }

    pub fn ticket_by_number(&self, number: &str) -> Result<Ticket> {
        let s = self.settings()?;
        let now = Utc::now();
        self.store().read(|c| {
            let row =
                load(c, None, Some(number.trim()))?.pop().ok_or_else(|| CoreError::NotFound { what: "ticket", id: number.to_string() })?;
            view(c, &s, row, now)
        })
    }

    /// Live tickets, newest first.
    pub fn tickets(&self, limit: u32) -> Result<Vec<Ticket>> {
        let s = self.settings()?;
        let now = Utc::now();
        self.store().read(|c| load(c, None, None)?.into_iter().take(limit as usize).map(|row| view(c, &s, row, now)).collect())
    }
}

/// One column of a live ticket, or "not found" for a ticket that is not (or no longer) there.
fn live_column(c: &Connection, column: &'static str, id: &str) -> Result<String> {
    c.prepare_cached(&format!("SELECT {column} FROM tickets WHERE id = ?1 AND deleted_at IS NULL"))?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "ticket", id: id.to_string() })
}

/// A ticket's fields once checked.
struct Clean {
    subject: String,
    description: String,
    category: String,
    assignee: String,
    priority: Priority,
    channel: Channel,
    opened: DateTime<Utc>,
    customer: CustomerId,
}

impl Clean {
    /// The columns a form sets, on a new ticket and on an edit alike.
    fn values(&self, input: &TicketInput) -> Vec<(&'static str, Value)> {
        let text = |s: &str| Value::Text(s.to_string());
        vec![
            ("customer_id", text(self.customer.as_str())),
            ("contract_id", text(input.contract_id.as_ref().map(|k| k.as_str()).unwrap_or_default())),
            ("product_id", text(input.product_id.as_ref().map(|k| k.as_str()).unwrap_or_default())),
            ("channel", text(self.channel.as_str())),
            ("category", text(&self.category)),
            ("priority", text(self.priority.as_str())),
            ("assignee", text(&self.assignee)),
            ("subject", text(&self.subject)),
            ("description", text(&self.description)),
        ]
    }
}

fn notice_key(k: &(String, escalate::Level, DateTime<Utc>)) -> String {
    format!("{}|{:?}|{}", k.0, k.1, rfc3339(k.2))
}

fn notice_key_parse(s: &str) -> Option<(String, escalate::Level, DateTime<Utc>)> {
    let mut parts = s.splitn(3, '|');
    let (id, level, due) = (parts.next()?, parts.next()?, parts.next()?);
    let level = match level {
        "Soon" => escalate::Level::Soon,
        "Breached" => escalate::Level::Breached,
        "Manager" => escalate::Level::Manager,
        _ => return None,
    };
    Some((id.to_string(), level, parse_instant(due)?))
}

/// One workflow move inside a write (see [`Service::move_ticket_at`]).
fn move_in(
    w: &mut crate::store::Writer<'_>,
    id: &TicketId,
    to: Status,
    rating: Option<u8>,
    comment: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let now = rfc3339(at);
    let text = |s: &str| Value::Text(s.to_string());
    let (status, first, rated, number): (String, String, i64, String) = w
        .conn()
        .prepare_cached("SELECT status, first_response_at, rating, number FROM tickets WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "ticket", id: id.to_string() })?;
    let from = Status::parse(&status);
    // The ticket's number in the refusal, so a refused bulk move says which ticket.
    let e = workflow::move_to(from, to, !first.is_empty()).map_err(|_| {
        let allowed = workflow::next(from).iter().map(|s| s.as_str().to_string()).collect();
        CoreError::invalid("status", Invalid::Move { ticket: number.clone(), from: from.as_str().into(), to: to.as_str().into(), allowed })
    })?;
    let mut v = vec![("status", text(to.as_str()))];
    if e.first_response {
        v.push(("first_response_at", text(&now)));
    }
    if e.resolved {
        v.push(("resolved_at", text(&now)));
    }
    if e.reopened {
        v.push(("resolved_at", text("")));
        if from == Status::Closed {
            v.push(("closed_at", text("")));
        }
    }
    if e.closed {
        v.push(("closed_at", text(&now)));
        if let Some(r) = rating {
            if rated > 0 {
                return Err(CoreError::invalid("rating", Invalid::Duplicate));
            }
            v.push(("rating", Value::Integer(i64::from(r))));
            v.push(("rating_comment", text(comment.trim())));
        }
    }
    w.update(&TICKETS, id.as_str(), &v)?;
    if e.pause_ends {
        let open: Vec<String> = w
            .conn()
            .prepare_cached("SELECT id FROM ticket_pauses WHERE ticket_id = ?1 AND until_at = '' AND deleted_at IS NULL")?
            .query_map([id.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for row in open {
            w.update(&TICKET_PAUSES, &row, &[("until_at", text(&now))])?;
        }
    }
    if e.pause_starts {
        w.insert(&TICKET_PAUSES, TicketPauseId::new().as_str(), &[("ticket_id", text(id.as_str())), ("from_at", text(&now))])?;
    }
    Ok(())
}

struct Row {
    id: String,
    number: String,
    customer_id: String,
    customer_name: String,
    subject: String,
    priority: String,
    status: String,
    channel: String,
    assignee: String,
    opened_at: String,
    first_response_at: String,
    resolved_at: String,
    closed_at: String,
    description: String,
    category: String,
    contract_id: String,
    contract_number: String,
    product_id: String,
    product_name: String,
    rating: i64,
    rating_comment: String,
}

fn load(c: &Connection, id: Option<&str>, number: Option<&str>) -> Result<Vec<Row>> {
    let filter = match (id, number) {
        (Some(_), _) => "AND t.id = ?1",
        (None, Some(_)) => "AND t.number = ?1",
        _ => "",
    };
    let sql = format!(
        "SELECT t.id, t.number, t.customer_id, coalesce(c.name, ''), t.subject, t.priority, t.status, t.channel, t.assignee,
                t.opened_at, t.first_response_at, t.resolved_at, t.closed_at, t.description, t.category,
                t.contract_id, coalesce(k.number, ''), t.product_id, coalesce(nullif(p.name_zh, ''), p.name_en, ''), t.rating, t.rating_comment
         FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id
              LEFT JOIN contracts k ON k.id = t.contract_id AND t.contract_id <> ''
              LEFT JOIN products p ON p.id = t.product_id AND t.product_id <> ''
         WHERE t.deleted_at IS NULL {filter} ORDER BY t.opened_at DESC, t.id DESC"
    );
    let mut st = c.prepare_cached(&sql)?;
    let map = |r: &rusqlite::Row<'_>| {
        Ok(Row {
            id: r.get(0)?,
            number: r.get(1)?,
            customer_id: r.get(2)?,
            customer_name: r.get(3)?,
            subject: r.get(4)?,
            priority: r.get(5)?,
            status: r.get(6)?,
            channel: r.get(7)?,
            assignee: r.get(8)?,
            opened_at: r.get(9)?,
            first_response_at: r.get(10)?,
            resolved_at: r.get(11)?,
            closed_at: r.get(12)?,
            description: r.get(13)?,
            category: r.get(14)?,
            contract_id: r.get(15)?,
            contract_number: r.get(16)?,
            product_id: r.get(17)?,
            product_name: r.get(18)?,
            rating: r.get(19)?,
            rating_comment: r.get(20)?,
        })
    };
    let rows = match id.or(number) {
        Some(k) => st.query_map([k], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
        None => st.query_map([], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
    };
    Ok(rows)
}

fn pauses(c: &Connection, ticket: &str) -> Result<Vec<Pause>> {
    let mut st = c.prepare_cached("SELECT from_at, until_at FROM ticket_pauses WHERE ticket_id = ?1 AND deleted_at IS NULL")?;
    let rows = st.query_map([ticket], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (from, until) = row?;
        if let Some(from) = parse_instant(&from) {
            out.push(Pause { from, until: parse_instant(&until) });
        }
    }
    Ok(out)
}

/// A ticket with its SLA due times, as RFC 3339 in the team's zone.
fn view(c: &Connection, s: &ServiceSettings, r: Row, now: DateTime<Utc>) -> Result<Ticket> {
    let hours = s.business_hours();
    let priority = Priority::parse(&r.priority);
    let target = s.target(priority);
    let opened = parse_instant(&r.opened_at);
    let paused = pauses(c, &r.id)?;
    let zone = s.zone();
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, true);
    let minutes = |m: u32| Duration::minutes(i64::from(m));
    let first_due = opened.and_then(|o| sla::due(&hours, o, minutes(target.first_response_minutes), &[]));
    let resolution_due = opened.and_then(|o| sla::due(&hours, o, minutes(target.resolution_minutes), &paused));
    let standing = |target_minutes: u32, done: &str, with_pauses: bool| {
        opened.map(|o| {
            let p: &[Pause] = if with_pauses { &paused } else { &[] };
            SlaStanding::from(sla::standing(&hours, o, minutes(target_minutes), p, parse_instant(done), now, 0.25))
        })
    };
    Ok(Ticket {
        id: TicketId(r.id.clone()),
        number: r.number,
        customer_id: (!r.customer_id.is_empty()).then(|| CustomerId(r.customer_id.clone())),
        customer_name: r.customer_name,
        subject: r.subject,
        priority,
        status: Status::parse(&r.status),
        channel: Channel::parse(&r.channel),
        assignee: r.assignee,
        opened_at: opened.map(local).unwrap_or_default(),
        first_response_due: first_due.map(local),
        resolution_due: resolution_due.map(local),
        first_response: standing(target.first_response_minutes, &r.first_response_at, false),
        resolution: standing(target.resolution_minutes, &r.resolved_at, true),
        description: r.description,
        category: r.category,
        contract_id: (!r.contract_id.is_empty()).then(|| ContractId(r.contract_id.clone())),
        contract_number: r.contract_number,
        product_id: (!r.product_id.is_empty()).then(|| ProductId(r.product_id.clone())),
        product_name: r.product_name,
        first_response_at: parse_instant(&r.first_response_at).map(local),
        resolved_at: parse_instant(&r.resolved_at).map(local),
        closed_at: parse_instant(&r.closed_at).map(local),
        rating: (r.rating > 0).then_some(r.rating as u8),
        rating_comment: r.rating_comment,
        next: workflow::next(Status::parse(&r.status)).to_vec(),
        custom: crate::records::fields::record_values(c, &RecordRef::new(&TICKET, &r.id))?,
    })
}

/// The queue rows of live tickets (all, or those whose `column` is in the list), each with its
/// pauses, read in one query each.
fn queue_rows(c: &Connection, s: &ServiceSettings, only: Option<(&str, &[String])>) -> Result<Vec<QueueRow>> {
    let hours = s.business_hours();
    let (filter, params): (String, Vec<&str>) = match only {
        Some((column, ids)) => (format!("AND {column} IN ({})", vec!["?"; ids.len()].join(",")), ids.iter().map(String::as_str).collect()),
        None => (String::new(), Vec::new()),
    };
    let mut pauses: HashMap<String, Vec<Pause>> = HashMap::new();
    {
        let mut st = c.prepare(&format!(
            "SELECT p.ticket_id, p.from_at, p.until_at FROM ticket_pauses p JOIN tickets t ON t.id = p.ticket_id
             WHERE p.deleted_at IS NULL AND t.deleted_at IS NULL {filter}"
        ))?;
        let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
        while let Some(r) = rows.next()? {
            if let Some(from) = parse_instant(&r.get::<_, String>(1)?) {
                pauses.entry(r.get(0)?).or_default().push(Pause { from, until: parse_instant(&r.get::<_, String>(2)?) });
            }
        }
    }
    let mut st = c.prepare(&format!(
        "SELECT t.id, t.number, t.customer_id, coalesce(c.name, ''), t.subject, t.status, t.priority, t.assignee, t.opened_at,
                t.first_response_at <> '', t.escalated_at <> ''
         FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id WHERE t.deleted_at IS NULL {filter}"
    ))?;
    let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let Some(opened) = parse_instant(&r.get::<_, String>(8)?) else { continue };
        let (number, customer_id, customer_name, subject, assignee): (String, String, String, String, String) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(7)?);
        let status = Status::parse(&r.get::<_, String>(5)?);
        let priority = Priority::parse(&r.get::<_, String>(6)?);
        let p = pauses.get(&id).map(Vec::as_slice).unwrap_or(&[]);
        out.push(queue::row(
            s,
            &hours,
            RowInput {
                text: RowText {
                    id: &id,
                    number: &number,
                    customer_id: &customer_id,
                    customer_name: &customer_name,
                    subject: &subject,
                    assignee: &assignee,
                },
                status,
                priority,
                opened,
                answered: r.get(9)?,
                pauses: p,
                escalated: r.get(10)?,
            },
        ));
    }
    Ok(out)
}

fn link_in(w: &mut crate::store::Writer<'_>, ticket: &TicketId, article: &ArticleId) -> Result<()> {
    let row = format!("{ticket}.{article}");
    let text = |s: &str| Value::Text(s.to_string());
    match w.deleted_at(&TICKET_ARTICLES, &row)? {
        Some(None) => Ok(()),
        Some(Some(_)) => w.update(&TICKET_ARTICLES, &row, &[("deleted_at", Value::Null)]).map(|_| ()),
        None => w.insert(&TICKET_ARTICLES, &row, &[("ticket_id", text(ticket.as_str())), ("article_id", text(article.as_str()))]),
    }
}

fn article_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Article> {
    let tags: String = r.get(4)?;
    let source: String = r.get(6)?;
    Ok(Article {
        id: ArticleId(r.get(0)?),
        title: r.get(1)?,
        problem: r.get(2)?,
        solution: r.get(3)?,
        tags: tags.split(',').filter(|t| !t.is_empty()).map(String::from).collect(),
        language: r.get(5)?,
        source_ticket_id: (!source.is_empty()).then_some(TicketId(source)),
        product_id: r.get::<_, String>(7).ok().filter(|p| !p.is_empty()).map(ProductId),
    })
}

/// The search rows of live articles (all, or one).
fn article_rows(c: &Connection, one: Option<&str>) -> Result<Vec<ArticleRow>> {
    let sql = format!(
        "SELECT id, title, tags, problem, solution, language FROM articles WHERE deleted_at IS NULL {}",
        if one.is_some() { "AND id = ?1" } else { "" }
    );
    let mut st = c.prepare_cached(&sql)?;
    let map = |r: &rusqlite::Row<'_>| {
        Ok(ArticleRow::new(
            &r.get::<_, String>(0)?,
            &r.get::<_, String>(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
        ))
    };
    let rows = match one {
        Some(id) => st.query_map([id], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
        None => st.query_map([], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
    };
    Ok(rows)
}
