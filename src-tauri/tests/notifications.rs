//! A reminder's notification as it really leaves the app: a private D-Bus session bus
//! (`dbus-daemon --session --nofork`), a fake `org.freedesktop.Notifications` server on it, and
//! the function the reminders worker calls (`satchel_desktop::reminders::show`). The server
//! checks the summary, body and buttons that arrived; then it invokes actions on the bus, which
//! must come back as snooze, open and dismiss. No display needed.
//!
//! Waiting is bounded and event-driven: the notification arrives as a message on a channel, and
//! the notifier subscribes to the server's signals before it sends anything, so an action
//! invoked after the notification arrived cannot be missed. No sleeps.

use satchel_core::calendar::reminders::{DueReminder, ReminderAction, ReminderKind, Snooze};
use satchel_core::i18n::Locale;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);
const PATH: &str = "/org/freedesktop/Notifications";
const IFACE: &str = "org.freedesktop.Notifications";

/// A session bus of the test's own, stopped when dropped.
struct Bus {
    daemon: Child,
    address: String,
}

impl Bus {
    fn start() -> Bus {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon is needed for this test (Debian: the dbus-daemon package, from the Makefile's dbus-x11)");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().expect("stdout")).read_line(&mut address).expect("the bus address");
        Bus { daemon, address: address.trim().to_string() }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// What one `Notify` call carried.
#[derive(Debug, Clone, PartialEq)]
struct Arrived {
    app: String,
    summary: String,
    body: String,
    /// Identifier and label pairs, flattened as the spec sends them.
    actions: Vec<String>,
    id: u32,
}

struct FakeServer {
    arrived: mpsc::Sender<Arrived>,
    next_id: u32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakeServer {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, zbus::OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        self.next_id += 1;
        let _ = self.arrived.send(Arrived { app: app_name, summary, body, actions, id: self.next_id });
        self.next_id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    fn close_notification(&self, _id: u32) {}

    fn get_server_information(&self) -> (String, String, String, String) {
        ("fake".into(), "satchel-tests".into(), "1".into(), "1.2".into())
    }
}

fn reminder(kind: ReminderKind, title: &str, starts_at: &str, all_day: bool, missed: bool) -> DueReminder {
    DueReminder {
        key: format!("0190b2a0-0000-7000-8000-000000000001@{starts_at}"),
        kind,
        record_type: kind.record_type().into(),
        record_id: "0190b2a0-0000-7000-8000-000000000001".into(),
        recurrence_id: None,
        title: title.into(),
        starts_at: starts_at.into(),
        all_day,
        minutes_before: 0,
        due_at: starts_at.into(),
        fire_at: starts_at.into(),
        missed,
        snoozed: false,
        covers: vec![],
    }
}

#[test]
fn a_reminder_notification_reaches_the_bus_and_its_actions_come_back() {
    let bus = Bus::start();
    // The app's notifications go to the session bus named here (this test's only test function,
    // so nothing else in the process reads it meanwhile).
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let (arrived_tx, arrived) = mpsc::channel();
    let server = rt
        .block_on(
            zbus::connection::Builder::address(bus.address.as_str())
                .name(IFACE)
                .serve_at(PATH, FakeServer { arrived: arrived_tx, next_id: 0 })
                .build(),
        )
        .expect("the fake notification server");

    // The app's notifier: it listens for the server's answers from here on.
    let notifier = satchel_desktop::reminders::Notifier::connect().expect("the notifier connects to the session bus");

    let zone: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
    let cases = [
        (
            reminder(ReminderKind::Event, "Visit Acme", "2027-01-12T01:00:00Z", false, true),
            Locale::En,
            "Visit Acme",
            "Missed while this computer was off or asleep. Starts at 09:00",
            "snooze-60",
            ReminderAction::Snooze(Snooze::OneHour),
        ),
        (
            reminder(ReminderKind::Birthday, "李雷", "2027-01-12T01:00:00Z", true, false),
            Locale::ZhCn,
            "生日：李雷",
            "2027-01-12 生日",
            "default",
            ReminderAction::Open,
        ),
        (
            reminder(ReminderKind::Task, "Send quote", "2027-01-12T06:30:00Z", false, false),
            Locale::En,
            "Send quote",
            "Due at 14:30",
            "dismiss",
            ReminderAction::Dismiss,
        ),
    ];
    for (r, locale, summary, body, invoke, want) in cases {
        let (acted_tx, acted) = mpsc::channel();
        let id = notifier
            .show(&r, locale, zone, move |a| {
                let _ = acted_tx.send(a);
            })
            .expect("the notification is sent");
        let got = arrived.recv_timeout(WAIT).expect("the server got a notification");
        assert_eq!(got.id, id);
        assert_eq!((got.app.as_str(), got.summary.as_str(), got.body.as_str()), ("Satchel", summary, body));
        let buttons: Vec<(String, String)> = got.actions.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect();
        assert_eq!(buttons, ReminderAction::buttons(locale));

        // The user presses a button (or the notification itself): the server says so to the bus.
        rt.block_on(server.emit_signal(None::<&str>, PATH, IFACE, "ActionInvoked", &(id, invoke))).expect("signal");
        assert_eq!(acted.recv_timeout(WAIT).expect("the action came back"), want, "{invoke}");
    }
    // The English buttons, as a user reads them.
    let en: Vec<String> = ReminderAction::buttons(Locale::En).into_iter().map(|b| b.1).collect();
    assert_eq!(en, ["Open", "Snooze 10 min", "Snooze 1 hour", "Tomorrow", "Dismiss"]);
}

/// The scheduler's SLA step over a real book (a SQLite file in a temp dir), its notifications
/// kept as they would be shown: a backlog comes as two alone and one summary, every notice is
/// noted once (the next tick shows nothing), a summary that could not be shown is shown on the
/// next tick, and the team's breach actions apply to the summarized tickets too.
#[test]
fn a_backlog_of_sla_notices_comes_as_three_notifications_each_noted_once() {
    use satchel_core::service::queue::QueueView;
    use satchel_core::service::settings::EscalationRules;
    use satchel_core::service::{Priority, TicketInput};
    use satchel_desktop::reminders::{tell_notices, Notice, NoticeShower};
    use std::sync::{Arc, Mutex};

    let dir = tempfile::tempdir().unwrap();
    let profile = satchel_core::store::Profile { author: "ana".into(), device: "ana-laptop".into() };
    let app = satchel_core::Satchel::open(dir.path().join("satchel.db"), profile).unwrap();
    let service = app.service();
    service.set_hours("mon,tue,wed,thu,fri", "09:00", "18:00", "Asia/Shanghai").unwrap();
    service.set_sla("urgent", "1h", "8h").unwrap();
    service.set_sla("high", "4h", "24h").unwrap();
    let acme = app
        .customers()
        .create(satchel_core::customers::CustomerInput::named(satchel_core::customers::CustomerKind::Company, "上海示例"))
        .unwrap();
    let ticket = |n: usize, priority: &str| {
        let input = TicketInput {
            customer_id: Some(acme.id.clone()),
            subject: format!("打印机卡纸 {n}"),
            priority: priority.into(),
            assignee: "ana".into(),
            opened_at: "2026-11-30T09:00:00+08:00".into(),
            ..Default::default()
        };
        service.create_ticket(&input).unwrap()
    };
    for n in 0..6 {
        ticket(n, "urgent");
    }
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc);

    // What reached the desktop: a ticket's number, or a summary's count and queue.
    let shown: Arc<Mutex<Vec<String>>> = Arc::default();
    let fail_summaries = Arc::new(Mutex::new(true));
    let (seen, fail) = (shown.clone(), fail_summaries.clone());
    let mut shower: NoticeShower = Box::new(move |n: Notice<'_>| {
        let what = match n {
            Notice::One(e) => e.number.clone(),
            Notice::More(m) => {
                if *fail.lock().unwrap() {
                    return Err("the notification server went away".into());
                }
                format!("{} more, {} overdue, {:?}", m.notices.len(), m.overdue(), m.view())
            }
        };
        seen.lock().unwrap().push(what);
        Ok(())
    });
    let take = || std::mem::take(&mut *shown.lock().unwrap());

    // Six overdue at once; the summary cannot be shown this tick: its four are left for the next.
    let now = at("2026-12-01T10:00:00+08:00");
    let problem = tell_notices(&app, now, &mut shower);
    assert_eq!(problem.as_deref(), Some("cannot show an SLA notice: the notification server went away"));
    let alone = take();
    assert_eq!(alone.len(), 2, "{alone:?}");
    *fail_summaries.lock().unwrap() = false;
    assert_eq!(tell_notices(&app, now, &mut shower), None);
    let next = take();
    // The two shown are not shown again; the four left come as two and a summary of two.
    assert_eq!(next.len(), 3, "{next:?}");
    assert!(next[..2].iter().all(|n| !alone.contains(n)), "{alone:?} then {next:?}");
    assert_eq!(next[2], format!("2 more, 2 overdue, {:?}", QueueView::Breached));
    // Each was noted once: nothing more at the next tick.
    assert_eq!(tell_notices(&app, at("2026-12-01T10:01:00+08:00"), &mut shower), None);
    assert!(take().is_empty());

    // The team raises a breached ticket's priority: the summarized ones are raised too.
    service
        .set_escalation(&EscalationRules {
            manager: String::new(),
            manager_after_minutes: 30,
            raise_priority: true,
            reassign_to: String::new(),
        })
        .unwrap();
    let high: Vec<_> = (0..5).map(|n| ticket(10 + n, "high")).collect();
    assert_eq!(tell_notices(&app, at("2026-12-02T10:00:00+08:00"), &mut shower), None);
    let told = take();
    assert_eq!(told.len(), 3, "{told:?}");
    assert_eq!(told[2], format!("3 more, 3 overdue, {:?}", QueueView::Breached));
    for t in &high {
        assert_eq!(service.get_ticket(&t.id).unwrap().priority, Priority::Urgent, "{}", t.number);
    }
}
