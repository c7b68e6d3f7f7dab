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
