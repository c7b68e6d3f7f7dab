//! Demo calendar data for the demo customers (`satchel demo-data`): meetings, calls, visits and
//! demos over the past year and the next, most about a customer and on its owner's calendar,
//! in Chinese or English as the customer's name is; a few all-day ones (a trade fair, leave);
//! and recurring series (weekly, fortnightly, monthly), some ending after a count. Deterministic
//! for a seed and a day.
//!
//! Each event is a form checked by `validate::event` and written by `repo::insert_event`, as an
//! .ics import writes, a few thousand per write.

use super::validate;
use super::{repo, EventInput, EventKind, EventStatus};
use crate::demo::{DemoCounts, DemoCustomer, Rng, BATCH, OWNERS};
use crate::error::Result;
use crate::Satchel;
use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoCalendar {
    /// Every event written, the series among them.
    pub events: usize,
    pub series: usize,
}

/// What an appointment with a customer is called, `{}` being its name: (Chinese, English).
fn customer_titles(kind: EventKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        EventKind::Call => &[("电话回访 {}", "Follow-up call with {}"), ("确认订单 {}", "Order confirmation call: {}")],
        EventKind::Visit => &[("拜访 {}", "Site visit: {}"), ("{} 安装验收", "Installation check at {}")],
        EventKind::Demo => &[("{} 产品演示", "Product demo for {}")],
        _ => &[("{} 季度业务回顾", "Quarterly review with {}"), ("{} 合同谈判", "Contract negotiation with {}")],
    }
}

/// The team's own appointments: (Chinese, English).
const TEAM_TITLES: &[(&str, &str)] = &[
    ("销售周会", "Weekly sales meeting"),
    ("团队培训", "Team training"),
    ("销售漏斗复盘", "Pipeline review"),
    ("展会准备", "Trade show preparation"),
];
const ALL_DAY_TITLES: &[(&str, &str)] =
    &[("广交会", "Canton Fair"), ("年假", "Annual leave"), ("华东区客户巡访", "East China customer tour")];
const SERIES_CUSTOMER_TITLES: &[(&str, &str)] =
    &[("{} 每周例会", "Weekly check-in with {}"), ("{} 月度对账", "Monthly account review with {}")];
const SERIES_TEAM_TITLES: &[(&str, &str)] =
    &[("销售周会", "Weekly sales meeting"), ("周一晨会", "Monday stand-up"), ("月度销售总结", "Monthly sales review")];
const WEEKDAYS: [(Weekday, &str); 5] =
    [(Weekday::Mon, "MO"), (Weekday::Tue, "TU"), (Weekday::Wed, "WE"), (Weekday::Thu, "TH"), (Weekday::Fri, "FR")];

/// Reminders for something starting `days` from today. Only what is still ahead after tomorrow
/// gets one: a reminder already due is refused by the form's check, and one due in the last
/// week would greet the user with a pile of "missed" notices the first time the app opens.
pub fn reminders(days: i64, minutes: i32) -> Vec<i32> {
    if days >= 2 {
        vec![minutes]
    } else {
        vec![]
    }
}

/// The first `weekday` on or after `day`.
fn on_or_after(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() as i64 - day.weekday().num_days_from_monday() as i64) % 7;
    day + Duration::days(ahead)
}

/// The customer it is about (with whose owner), or none (the team's own, someone's calendar).
fn about<'a>(r: &mut Rng, book: &'a [DemoCustomer], percent: usize) -> (Option<&'a DemoCustomer>, String, bool) {
    match (!book.is_empty() && r.chance(percent)).then(|| &book[r.below(book.len())]) {
        Some(c) => (Some(c), if c.owner.is_empty() { r.pick(OWNERS).to_string() } else { c.owner.clone() }, c.chinese()),
        None => (None, r.pick(OWNERS).to_string(), r.chance(60)),
    }
}

fn title(pattern: (&str, &str), chinese: bool, customer: Option<&DemoCustomer>) -> String {
    let text = if chinese { pattern.0 } else { pattern.1 };
    text.replace("{}", customer.map_or("", |c| c.name.as_str())).trim().to_string()
}

fn zone(r: &mut Rng) -> &'static str {
    if r.chance(90) {
        "Asia/Shanghai"
    } else {
        "America/New_York"
    }
}

/// A single event within a year either side of `today`.
fn single(r: &mut Rng, book: &[DemoCustomer], today: NaiveDate) -> EventInput {
    let days = r.below(731) as i64 - 365;
    let on = today + Duration::days(days);
    if r.chance(4) {
        let (_, owner, chinese) = about(r, &[], 0);
        let length = 1 + r.below(3) as i64;
        return EventInput {
            kind: EventKind::Other,
            title: title(*r.pick(ALL_DAY_TITLES), chinese, None),
            all_day: true,
            start: on.to_string(),
            end: (on + Duration::days(length)).to_string(),
            tz: String::new(),
            reminders: reminders(days, 0),
            owner,
            ..Default::default()
        };
    }
    let (customer, owner, chinese) = about(r, book, 65);
    let kind = match customer {
        Some(_) => *r.pick(&[EventKind::Call, EventKind::Call, EventKind::Meeting, EventKind::Visit, EventKind::Demo]),
        None => EventKind::Meeting,
    };
    let text = match customer {
        Some(_) => *r.pick(customer_titles(kind)),
        None => *r.pick(TEAM_TITLES),
    };
    let minutes = match kind {
        EventKind::Call => *r.pick(&[15, 30]),
        EventKind::Visit => *r.pick(&[60, 120]),
        EventKind::Demo => *r.pick(&[45, 60]),
        _ => *r.pick(&[30, 60, 90]),
    };
    let location = match (kind, chinese) {
        (EventKind::Visit, true) => "客户现场",
        (EventKind::Visit, false) => "Customer site",
        (EventKind::Demo, true) => "腾讯会议",
        (EventKind::Demo, false) => "Zoom",
        (EventKind::Meeting, true) if customer.is_none() => "3 楼会议室",
        (EventKind::Meeting, false) if customer.is_none() => "Meeting room 2",
        _ => "",
    };
    let starts = on.and_hms_opt(9 + r.below(9) as u32, *r.pick(&[0, 0, 15, 30, 30, 45]), 0).expect("a time of day");
    let status = match (days < 0, r.below(100)) {
        (_, 0..=2) => EventStatus::Cancelled,
        (true, 3..=52) if kind != EventKind::Meeting => EventStatus::Done,
        (false, 3..=12) => EventStatus::Tentative,
        _ => EventStatus::Confirmed,
    };
    EventInput {
        kind,
        title: title(text, chinese, customer),
        location: location.into(),
        start: starts.format("%Y-%m-%dT%H:%M").to_string(),
        end: (starts + Duration::minutes(minutes)).format("%Y-%m-%dT%H:%M").to_string(),
        tz: zone(r).into(),
        reminders: reminders(days, if kind == EventKind::Visit { 60 } else { 15 }),
        customer_id: customer.map(|c| c.id.clone()),
        owner,
        status,
        ..Default::default()
    }
}

/// A recurring series that started in the last year (or starts within a month): weekly,
/// fortnightly or monthly on a working day, a third of them ending after a count.
fn series(r: &mut Rng, book: &[DemoCustomer], today: NaiveDate) -> EventInput {
    let (customer, owner, chinese) = about(r, book, 50);
    let text = match customer {
        Some(_) => *r.pick(SERIES_CUSTOMER_TITLES),
        None => *r.pick(SERIES_TEAM_TITLES),
    };
    let from = today + Duration::days(r.below(396) as i64 - 365);
    let (weekday, code) = *r.pick(&WEEKDAYS);
    // The first occurrence is the start, which falls on a day the rule names.
    let (rule, first) = match r.below(10) {
        0..=4 => (format!("FREQ=WEEKLY;BYDAY={code}"), on_or_after(from, weekday)),
        5 | 6 => (format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={code}"), on_or_after(from, weekday)),
        7 | 8 => {
            let month = from.with_day(1).expect("the first of a month");
            (format!("FREQ=MONTHLY;BYDAY=1{code}"), on_or_after(month, weekday))
        }
        _ => {
            let day = 1 + r.below(28) as u32;
            (format!("FREQ=MONTHLY;BYMONTHDAY={day}"), from.with_day(day).expect("a day every month has"))
        }
    };
    let rrule = if r.chance(33) { format!("{rule};COUNT={}", 6 + r.below(47)) } else { rule };
    let starts = first.and_hms_opt(9 + r.below(8) as u32, *r.pick(&[0, 30]), 0).expect("a time of day");
    let days = (first - today).num_days();
    EventInput {
        kind: if customer.is_some() && r.chance(50) { EventKind::Call } else { EventKind::Meeting },
        title: title(text, chinese, customer),
        start: starts.format("%Y-%m-%dT%H:%M").to_string(),
        end: (starts + Duration::minutes(*r.pick(&[30, 45, 60]))).format("%Y-%m-%dT%H:%M").to_string(),
        tz: zone(r).into(),
        rrule,
        // A series already running would be due again within the week: see [`reminders`].
        reminders: reminders(days, 10),
        customer_id: customer.map(|c| c.id.clone()),
        owner,
        ..Default::default()
    }
}

/// `counts.events` events for `book`, the first `counts.series` of them recurring series (as
/// many as there are events at most).
pub fn generate(app: &Satchel, book: &[DemoCustomer], counts: &DemoCounts, seed: u64, today: NaiveDate) -> Result<DemoCalendar> {
    let mut r = Rng::new(seed ^ 0xCA1E_0DA5);
    let (n, repeating) = (counts.events, counts.series.min(counts.events));
    let me = app.store().profile().author.clone();
    let now = Utc::now();
    let mut written = 0;
    while written < n {
        let batch = (n - written).min(BATCH);
        app.store().write(|w| {
            w.bulk();
            for i in written..written + batch {
                let input = if i < repeating { series(&mut r, book, today) } else { single(&mut r, book, today) };
                repo::insert_event(w, &validate::event(&input, &me, now)?, "")?;
            }
            Ok(())
        })?;
        written += batch;
    }
    Ok(DemoCalendar { events: written, series: repeating })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_reminders_only_for_what_starts_after_tomorrow() {
        let cases = [(-300, vec![]), (-1, vec![]), (0, vec![]), (1, vec![]), (2, vec![15]), (200, vec![15])];
        for (days, want) in cases {
            assert_eq!(reminders(days, 15), want, "{days}");
        }
    }

    #[test]
    fn demo_series_start_on_a_day_their_rule_names() {
        let tue = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
        assert_eq!(on_or_after(tue, Weekday::Tue), tue);
        assert_eq!(on_or_after(tue, Weekday::Mon), NaiveDate::from_ymd_opt(2026, 3, 9).unwrap());
        assert_eq!(on_or_after(tue, Weekday::Fri), NaiveDate::from_ymd_opt(2026, 3, 6).unwrap());
    }

    #[test]
    fn every_demo_event_is_a_form_the_calendar_accepts() {
        let book = vec![
            DemoCustomer {
                id: crate::ids::CustomerId::new(),
                name: "上海华信贸易有限公司".into(),
                company: true,
                company_id: None,
                owner: "张经理".into(),
            },
            DemoCustomer {
                id: crate::ids::CustomerId::new(),
                name: "Acme Labs Inc".into(),
                company: true,
                company_id: None,
                owner: String::new(),
            },
        ];
        let today = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let now = today.and_hms_opt(12, 0, 0).unwrap().and_utc();
        let mut r = Rng::new(3);
        for i in 0..3000 {
            let input = if i % 3 == 0 { series(&mut r, &book, today) } else { single(&mut r, &book, today) };
            if let Err(e) = validate::event(&input, "me", now) {
                panic!("{input:?}: {e}");
            }
        }
    }
}
