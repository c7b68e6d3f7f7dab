//! The team's service settings: business hours (weekdays, opening and closing time, time zone),
//! holidays and extra working days, and the SLA targets per priority. Stored one synced row per
//! part in `service_settings` (`hours`, `sla.<priority>`, `day.<date>`), so a holiday added on
//! one laptop and an SLA changed on another both survive a sync.

use super::sla::{self, BusinessHours};
use super::Priority;
use crate::error::{CoreError, Invalid, Problems, Result};
use crate::store::Writer;
use chrono::{Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use rusqlite::types::Value;
use rusqlite::Connection;
use satchel_proto::tables::service::SERVICE_SETTINGS;
use serde::{Deserialize, Serialize};

/// Business hours as stored and as the CLI sets them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Hours {
    /// `mon`, `tue`, ... in week order.
    pub days: Vec<String>,
    /// `HH:MM`.
    pub open: String,
    pub close: String,
    /// IANA zone.
    pub tz: String,
}

/// First-response and resolution targets of one priority, in business minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SlaTarget {
    pub first_response_minutes: u32,
    pub resolution_minutes: u32,
}

/// A day that is not as its weekday says: a holiday, or a day off worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SpecialDay {
    pub date: String,
    pub working: bool,
}

/// What happens when a ticket's target is missed, beyond telling its assignee.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct EscalationRules {
    /// Who hears of breaches after `managerAfterMinutes` (and of unassigned tickets at once);
    /// empty: nobody.
    pub manager: String,
    pub manager_after_minutes: u32,
    /// On a breach, raise the priority one step (once per ticket).
    pub raise_priority: bool,
    /// On a breach, hand the ticket to this person (empty: keep the assignee).
    pub reassign_to: String,
}

impl EscalationRules {
    pub fn rules(&self) -> super::escalate::Rules {
        super::escalate::Rules {
            manager: self.manager.clone(),
            manager_after: Duration::minutes(i64::from(self.manager_after_minutes)),
            raise_priority: self.raise_priority,
            reassign_to: self.reassign_to.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSettings {
    pub hours: Hours,
    /// Urgent, high, normal, low.
    pub sla: Vec<(Priority, SlaTarget)>,
    pub days: Vec<SpecialDay>,
    pub escalation: EscalationRules,
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The defaults a new book starts with: Monday to Friday 09:00-18:00 in the computer's zone;
/// answers within 1/4/8/24 business hours and solutions within 8/24/40/80 by priority.
pub fn defaults() -> ServiceSettings {
    let target = |f: u32, r: u32| SlaTarget { first_response_minutes: f * 60, resolution_minutes: r * 60 };
    ServiceSettings {
        hours: Hours {
            days: DAY_NAMES[..5].iter().map(|d| d.to_string()).collect(),
            open: "09:00".into(),
            close: "18:00".into(),
            tz: crate::calendar::when::system_zone().name().to_string(),
        },
        sla: vec![
            (Priority::Urgent, target(1, 8)),
            (Priority::High, target(4, 24)),
            (Priority::Normal, target(8, 40)),
            (Priority::Low, target(24, 80)),
        ],
        days: vec![],
        escalation: EscalationRules { manager_after_minutes: 60, ..EscalationRules::default() },
    }
}

/// Checks escalation rules as typed: names are trimmed, the manager's delay is at most a week.
pub fn clean_escalation(r: &EscalationRules) -> Result<EscalationRules> {
    let mut p = Problems::default();
    let name = |p: &mut Problems, field: &'static str, s: &str| {
        let s = s.trim();
        if s.chars().count() > 200 {
            p.add(field, Invalid::TooLong { max: 200 });
        }
        s.to_string()
    };
    let manager = name(&mut p, "manager", &r.manager);
    let reassign_to = name(&mut p, "reassignTo", &r.reassign_to);
    if r.manager_after_minutes > 7 * 24 * 60 {
        p.add("managerAfterMinutes", Invalid::OutOfRange { min: 0, max: 7 * 24 * 60 });
    }
    p.check()?;
    Ok(EscalationRules { manager, manager_after_minutes: r.manager_after_minutes, raise_priority: r.raise_priority, reassign_to })
}

/// Checks hours as typed (`mon,tue`, `09:00`, an IANA zone), naming the field that is wrong.
pub fn clean_hours(days: &str, open: &str, close: &str, tz: &str) -> Result<Hours> {
    let mut p = Problems::default();
    let mut picked = [false; 7];
    for d in days.split([',', ' ']).map(|d| d.trim().to_ascii_lowercase()).filter(|d| !d.is_empty()) {
        match DAY_NAMES.iter().position(|n| d.starts_with(n) && d.parse::<Weekday>().is_ok()) {
            Some(i) => picked[i] = true,
            None => p.add("days", Invalid::OneOf { value: d.clone(), allowed: DAY_NAMES.join(", ") }),
        }
    }
    let time = |p: &mut Problems, field: &'static str, s: &str| match NaiveTime::parse_from_str(s.trim(), "%H:%M") {
        Ok(t) => Some(t),
        Err(_) => {
            p.add(field, Invalid::DateTime);
            None
        }
    };
    let (o, c) = (time(&mut p, "open", open), time(&mut p, "close", close));
    let zone = crate::calendar::when::zone(tz);
    if zone.is_none() {
        p.add("tz", Invalid::OneOf { value: tz.trim().into(), allowed: "Asia/Shanghai, America/New_York, Europe/Berlin, ...".into() });
    }
    if let (Some(o), Some(c), Some(z)) = (o, c, zone) {
        if let Err((field, reason)) = BusinessHours::new(z, picked, o, c) {
            p.add(field, reason);
        }
    }
    p.check()?;
    Ok(Hours {
        days: DAY_NAMES.iter().zip(picked).filter(|(_, on)| *on).map(|(d, _)| d.to_string()).collect(),
        open: o.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
        close: c.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
        tz: zone.map(|z| z.name().to_string()).unwrap_or_default(),
    })
}

/// A date as typed for a holiday: one that exists.
pub fn clean_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| CoreError::invalid("date", Invalid::Date))
}

impl ServiceSettings {
    /// The business calendar the SLA clock runs on.
    pub fn business_hours(&self) -> BusinessHours {
        let zone: Tz = crate::calendar::when::zone(&self.hours.tz).unwrap_or(Tz::UTC);
        let mut days = [false; 7];
        for d in &self.hours.days {
            if let Some(i) = DAY_NAMES.iter().position(|n| n == d) {
                days[i] = true;
            }
        }
        let t = |s: &str, or: &str| {
            NaiveTime::parse_from_str(s, "%H:%M").unwrap_or_else(|_| NaiveTime::parse_from_str(or, "%H:%M").expect("a time"))
        };
        // Stored hours were checked when set; a damaged row falls back to office hours.
        let mut h = BusinessHours::new(zone, days, t(&self.hours.open, "09:00"), t(&self.hours.close, "18:00")).unwrap_or_else(|_| {
            BusinessHours::new(zone, [true, true, true, true, true, false, false], t("09:00", ""), t("18:00", "")).expect("office hours")
        });
        for d in &self.days {
            if let Ok(date) = NaiveDate::parse_from_str(&d.date, "%Y-%m-%d") {
                if d.working {
                    h.working.insert(date);
                } else {
                    h.holidays.insert(date);
                }
            }
        }
        h
    }

    pub fn target(&self, p: Priority) -> SlaTarget {
        self.sla
            .iter()
            .find(|(x, _)| *x == p)
            .map(|(_, t)| *t)
            .unwrap_or(SlaTarget { first_response_minutes: 8 * 60, resolution_minutes: 40 * 60 })
    }

    pub fn zone(&self) -> Tz {
        crate::calendar::when::zone(&self.hours.tz).unwrap_or(Tz::UTC)
    }
}

/// The settings as stored, over the defaults.
pub fn load(c: &Connection) -> Result<ServiceSettings> {
    let mut s = defaults();
    let mut st = c.prepare_cached("SELECT id, value FROM service_settings WHERE deleted_at IS NULL ORDER BY id")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (key, value) = row?;
        if key == "hours" {
            if let Ok(h) = serde_json::from_str::<Hours>(&value) {
                s.hours = h;
            }
        } else if let Some(p) = key.strip_prefix("sla.").and_then(Priority::from_word) {
            if let Ok(t) = serde_json::from_str::<SlaTarget>(&value) {
                match s.sla.iter_mut().find(|(x, _)| *x == p) {
                    Some(slot) => slot.1 = t,
                    None => s.sla.push((p, t)),
                }
            }
        } else if key == "escalation" {
            if let Ok(e) = serde_json::from_str::<EscalationRules>(&value) {
                s.escalation = e;
            }
        } else if let Some(date) = key.strip_prefix("day.") {
            s.days.push(SpecialDay { date: date.to_string(), working: value == "working" });
        }
    }
    Ok(s)
}

fn put(w: &mut Writer<'_>, key: &str, value: String) -> Result<()> {
    let v = vec![("value", Value::Text(value)), ("deleted_at", Value::Null)];
    match w.deleted_at(&SERVICE_SETTINGS, key)? {
        Some(_) => w.update(&SERVICE_SETTINGS, key, &v).map(|_| ()),
        None => w.insert(&SERVICE_SETTINGS, key, &v[..1]),
    }
}

pub fn set_hours(w: &mut Writer<'_>, h: &Hours) -> Result<()> {
    put(w, "hours", serde_json::to_string(h).map_err(|e| CoreError::Internal(e.to_string()))?)
}

pub fn set_target(w: &mut Writer<'_>, p: Priority, t: SlaTarget) -> Result<()> {
    put(w, &format!("sla.{}", p.as_str()), serde_json::to_string(&t).map_err(|e| CoreError::Internal(e.to_string()))?)
}

pub fn set_escalation(w: &mut Writer<'_>, e: &EscalationRules) -> Result<()> {
    put(w, "escalation", serde_json::to_string(e).map_err(|e| CoreError::Internal(e.to_string()))?)
}

/// Removes a holiday or extra working day (the day is as its weekday says again).
pub fn clear_day(w: &mut Writer<'_>, date: NaiveDate) -> Result<()> {
    let key = format!("day.{}", date.format("%Y-%m-%d"));
    if matches!(w.deleted_at(&SERVICE_SETTINGS, &key)?, Some(None)) {
        w.tombstone(&SERVICE_SETTINGS, &key)?;
    }
    Ok(())
}

pub fn set_day(w: &mut Writer<'_>, date: NaiveDate, working: bool) -> Result<()> {
    put(w, &format!("day.{}", date.format("%Y-%m-%d")), if working { "working" } else { "holiday" }.to_string())
}

/// A target typed as a duration (`4h`), in whole minutes, or the field's error.
pub fn minutes(field: &'static str, text: &str) -> Result<u32> {
    let d: Duration = sla::parse_duration(text).map_err(|r| CoreError::invalid(field, r))?;
    Ok(d.num_minutes() as u32)
}

/// The weekday names the CLI prints for a set of days.
pub fn weekday_names(days: &[String]) -> String {
    days.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn hours_as_typed_are_checked_by_field() {
        let h = clean_hours("mon,tue,wed,thu,fri", "09:00", "18:00", "Asia/Shanghai").unwrap();
        assert_eq!((h.days.len(), h.open.as_str(), h.close.as_str()), (5, "09:00", "18:00"));
        assert_eq!(clean_hours("fri, mon", "9:30", "17:00", "UTC").unwrap().days, ["mon", "fri"]);
        let fields = |e: CoreError| e.fields();
        assert_eq!(fields(clean_hours("mon", "18:00", "09:00", "UTC").unwrap_err()), ["close"]);
        assert_eq!(fields(clean_hours("mon,funday", "09:00", "18:00", "UTC").unwrap_err()), ["days"]);
        assert_eq!(fields(clean_hours("mon", "9am", "25:00", "Mars/Base").unwrap_err()), ["open", "close", "tz"]);
        assert_eq!(fields(clean_date("2026-02-30").unwrap_err()), ["date"]);
        assert_eq!(fields(minutes("firstResponse", "4 hours").unwrap_err()), ["firstResponse"]);
        assert_eq!(minutes("resolution", "40h").unwrap(), 2400);
        assert_eq!(NaiveDate::from_ymd_opt(2026, 10, 10).unwrap().weekday(), Weekday::Sat);
    }
}
