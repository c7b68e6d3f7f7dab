//! The service commands: `satchel service hours|holiday|sla ...` set the team's business
//! calendar and SLA targets; `satchel ticket new|show|list` make and read tickets with their SLA
//! due times. Their outputs are contracts scripts rely on:
//! - `service hours set` prints `DAYS OPEN-CLOSE ZONE` (`mon,tue,wed,thu,fri 09:00-18:00 Asia/Shanghai`);
//! - `service holiday add` prints `DATE holiday` or `DATE working`; `service holiday import
//!   FILE.ics` prints `N holidays, M working days`;
//! - `service sla set` prints `PRIORITY first-response DURATION resolution DURATION`;
//! - `ticket new` prints the new ticket's number, alone on its line;
//! - `ticket show NUMBER --json` the ticket: `status`, `priority`, `firstResponseDue` and
//!   `resolutionDue` (RFC 3339 in the team's zone, null while its clock is stopped), and more;
//! - `ticket list` prints `NUMBER<TAB>STATUS<TAB>PRIORITY<TAB>OPENED<TAB>RESOLUTION DUE<TAB>CUSTOMER<TAB>SUBJECT`
//!   per ticket, newest first; `--json` an array.

use super::sales::customer;
use super::{failed, json};
use clap::{Args, Subcommand};
use satchel_core::i18n::Locale;
use satchel_core::service::settings::ServiceSettings;
use satchel_core::service::sla::duration_text;
use satchel_core::service::{Priority, TicketInput};
use satchel_core::Satchel;
use std::io::Write;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ServiceCommand {
    /// The team's business hours: the weekdays worked, opening and closing time, time zone.
    #[command(subcommand)]
    Hours(HoursCommand),
    /// Holidays, and days off worked in exchange (`--working`).
    #[command(subcommand)]
    Holiday(HolidayCommand),
    /// SLA targets per priority, in business time.
    #[command(subcommand)]
    Sla(SlaCommand),
}

#[derive(Subcommand)]
pub enum HoursCommand {
    /// Set the business hours: `--days mon,tue,wed,thu,fri --open 09:00 --close 18:00 --tz Asia/Shanghai`.
    Set {
        #[arg(long)]
        days: String,
        #[arg(long)]
        open: String,
        #[arg(long)]
        close: String,
        #[arg(long)]
        tz: String,
    },
}

#[derive(Subcommand)]
pub enum HolidayCommand {
    /// Add a holiday (YYYY-MM-DD), or with `--working` an extra working day.
    Add {
        date: String,
        #[arg(long)]
        working: bool,
    },
    /// Mark the days of an .ics holiday calendar: all-day events are holidays, those titled
    /// 补班/上班 or "working day" extra working days. Prints `N holidays, M working days`.
    Import { file: std::path::PathBuf },
}

#[derive(Subcommand)]
pub enum SlaCommand {
    /// Set a priority's targets: `urgent --first-response 30m --resolution 4h` (business time).
    Set {
        priority: String,
        #[arg(long)]
        first_response: String,
        #[arg(long)]
        resolution: String,
    },
}

#[derive(Subcommand)]
pub enum TicketCommand {
    /// Open a ticket for a customer (its id or exact name); prints the ticket's number.
    New(NewTicket),
    /// One ticket, with its SLA due times.
    Show {
        number: String,
        #[arg(long)]
        json: bool,
    },
    /// The tickets, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct NewTicket {
    #[arg(long)]
    customer: String,
    #[arg(long)]
    subject: String,
    /// urgent, high, normal or low.
    #[arg(long, default_value = "normal")]
    priority: String,
    /// phone, email, visit, chat or other.
    #[arg(long, default_value = "phone")]
    channel: String,
    /// When the customer called, RFC 3339 (default: now).
    #[arg(long)]
    opened_at: Option<String>,
    #[arg(long, default_value = "")]
    description: String,
}

fn target_line(s: &ServiceSettings, p: Priority) -> String {
    let t = s.target(p);
    let d = |m: u32| duration_text(chrono::Duration::minutes(i64::from(m)));
    format!("{} first-response {} resolution {}", p.as_str(), d(t.first_response_minutes), d(t.resolution_minutes))
}

pub fn service(app: &Satchel, c: ServiceCommand, locale: Locale) -> ExitCode {
    let service = app.service();
    let done = match c {
        ServiceCommand::Hours(HoursCommand::Set { days, open, close, tz }) => service
            .set_hours(&days, &open, &close, &tz)
            .map(|s| format!("{} {}-{} {}", s.hours.days.join(","), s.hours.open, s.hours.close, s.hours.tz)),
        ServiceCommand::Holiday(HolidayCommand::Add { date, working }) => {
            service.set_day(&date, working).map(|_| format!("{} {}", date.trim(), if working { "working" } else { "holiday" }))
        }
        ServiceCommand::Holiday(HolidayCommand::Import { file }) => match std::fs::read(&file) {
            Ok(bytes) => service.import_holidays_ics(&bytes).map(|(off, on)| format!("{off} holidays, {on} working days")),
            Err(e) => return super::usage_error(&format!("cannot read {}: {e}", file.display())),
        },
        ServiceCommand::Sla(SlaCommand::Set { priority, first_response, resolution }) => {
            service.set_sla(&priority, &first_response, &resolution).map(|s| target_line(&s, Priority::parse(priority.trim())))
        }
    };
    match done {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => failed(&e, locale),
    }
}

pub fn ticket(app: &Satchel, c: TicketCommand, locale: Locale) -> ExitCode {
    let service = app.service();
    match c {
        TicketCommand::New(args) => {
            let customer = match customer(app, &args.customer) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let input = TicketInput {
                customer_id: Some(customer),
                subject: args.subject,
                description: args.description,
                priority: args.priority,
                channel: args.channel,
                opened_at: args.opened_at.unwrap_or_default(),
                ..Default::default()
            };
            match service.create_ticket(&input) {
                Ok(t) => {
                    println!("{}", t.number);
                    ExitCode::SUCCESS
                }
                Err(e) => failed(&e, locale),
            }
        }
        TicketCommand::Show { number, json: as_json } => {
            let t = match service.ticket_by_number(&number) {
                Ok(t) => t,
                Err(e) => return failed(&e, locale),
            };
            if as_json {
                return json(&t);
            }
            let due = |d: &Option<String>| d.clone().unwrap_or_else(|| "paused".into());
            println!("{} {} {} {} {}", t.number, t.status.as_str(), t.priority.as_str(), t.customer_name, t.subject);
            println!(
                "opened\t{}\nfirst response due\t{}\nresolution due\t{}",
                t.opened_at,
                due(&t.first_response_due),
                due(&t.resolution_due)
            );
            ExitCode::SUCCESS
        }
        TicketCommand::List { json: as_json } => {
            let list = match service.tickets(100_000) {
                Ok(l) => l,
                Err(e) => return failed(&e, locale),
            };
            if as_json {
                return json(&list);
            }
            let mut out = std::io::stdout().lock();
            for t in &list {
                let due = t.resolution_due.clone().unwrap_or_else(|| "paused".into());
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    t.number,
                    t.status.as_str(),
                    t.priority.as_str(),
                    t.opened_at,
                    due,
                    t.customer_name,
                    t.subject
                );
            }
            ExitCode::SUCCESS
        }
    }
}
