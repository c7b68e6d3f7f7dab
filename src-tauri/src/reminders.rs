//! Reminders that fire without a server: a thread that wakes every [`TICK`] (or when told), asks
//! the core what is due ([`Calendar::due_reminders`]), shows each as a native notification and
//! marks it shown, so nothing fires twice.
//!
//! Sleep: a tick that comes much later by the wall clock than it was asked for (the monotonic
//! clock stops while the laptop sleeps) means the laptop was asleep or off. Missed reminders then
//! wait one short moment ([`SYNC_FIRST`]) while sync is asked to run, so one dismissed on another
//! laptop in the meantime does not pop up here; then they fire once, marked as missed in the text
//! (the core decides what was missed, one per record). The app starting counts as a wake.
//!
//! Notifications go over D-Bus (`org.freedesktop.Notifications`) through notify-rust on zbus
//! ([`Notifier`]); their actions (open, snooze 10 minutes / 1 hour / tomorrow, dismiss) come back
//! on the async runtime and are applied by [`apply`].
//!
//! The same thread is the service module's scheduler: each tick it asks which SLA notices are
//! due for this laptop's user (`Service::due_notices`: breaching soon, breached, the manager's
//! reminder; it rests while none can fall due), shows each once, a backlog as a few and one
//! summary ([`tell_notices`]), and applies the team's breach actions (`notices_shown`). Its time
//! is [`crate::clock`]'s, which a debug build's test can move forward.
//!
//! [`Calendar::due_reminders`]: satchel_core::calendar::api::Calendar

use chrono::Utc;
use chrono_tz::Tz;
use notify_rust::{Notification, Timeout};
use satchel_core::calendar::reminders::{DueReminder, ReminderAction};
use satchel_core::calendar::when;
use satchel_core::i18n::Locale;
use satchel_core::service::escalate::{self, Escalation, More};
use satchel_core::Satchel;
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// How often the worker looks for due reminders.
pub const TICK: Duration = Duration::from_secs(20);
/// A tick later than asked by more than this (by the wall clock) means the laptop slept.
pub const SLEPT_AFTER: Duration = Duration::from_secs(60);
/// After a wake, missed reminders wait this long for sync to bring the other laptops' marks.
pub const SYNC_FIRST: Duration = Duration::from_secs(10);

/// Whether a tick asked for after `asked` came so late by the wall clock (`wall`) that the
/// laptop must have slept in between.
pub fn slept(asked: Duration, wall: Duration) -> bool {
    wall > asked + SLEPT_AFTER
}

/// The app's name on its notifications.
pub const APP_NAME: &str = "Satchel";
/// The desktop entry's icon name.
const ICON: &str = "satchel-desktop";
const IFACE: &str = "org.freedesktop.Notifications";
/// At most this many shown notifications wait for an answer; beyond, the oldest is forgotten
/// (its buttons then do nothing: the in-app list still has it).
const MAX_WAITING: usize = 100;

type OnAction = Box<dyn FnOnce(ReminderAction) + Send>;

/// A shown notification waiting for the user: notify-rust's handle keeps its connection open
/// (some desktops drop a notification whose sender left the bus), and what to do on an answer.
struct Waiting {
    _handle: notify_rust::NotificationHandle,
    on_action: OnAction,
    order: u64,
}

/// Shows reminders as native notifications (notify-rust over zbus) and hears their answers.
///
/// One connection of its own listens to the server's `ActionInvoked` and `NotificationClosed`
/// signals, subscribed before the first notification is sent, so no answer can come before
/// anyone listens (notify-rust's own per-notification wait subscribes only after sending).
/// The desktop notification servers (GNOME Shell, Plasma, dunst, mako, xfce4-notifyd) send
/// those signals to the whole bus.
pub struct Notifier {
    waiting: Arc<Mutex<(HashMap<u32, Waiting>, u64)>>,
    _listener: zbus::Connection,
}

impl Notifier {
    /// Connects to the session bus and starts listening for answers (on the async runtime).
    pub fn connect() -> Result<Notifier, String> {
        let waiting: Arc<Mutex<(HashMap<u32, Waiting>, u64)>> = Arc::default();
        let w = waiting.clone();
        let listener = tauri::async_runtime::block_on(async move {
            let conn = zbus::Connection::session().await?;
            let rule = zbus::MatchRule::builder().msg_type(zbus::message::Type::Signal).interface(IFACE).build()?;
            let mut stream = zbus::MessageStream::for_match_rule(rule, &conn, None).await?;
            tauri::async_runtime::spawn(async move {
                use futures_lite::StreamExt;
                while let Some(msg) = stream.next().await {
                    let Ok(msg) = msg else { continue };
                    let member = msg.header().member().map(|m| m.to_string());
                    let answer = match member.as_deref() {
                        Some("ActionInvoked") => msg.body().deserialize::<(u32, String)>().ok().map(|(id, key)| (id, Some(key))),
                        Some("NotificationClosed") => msg.body().deserialize::<(u32, u32)>().ok().map(|(id, _)| (id, None)),
                        _ => None,
                    };
                    let Some((id, key)) = answer else { continue };
                    let Some(done) = lock(&w).0.remove(&id) else { continue };
                    if let Some(action) = key.as_deref().and_then(ReminderAction::from_key) {
                        (done.on_action)(action);
                    }
                }
            });
            Ok::<_, zbus::Error>(conn)
        })
        .map_err(|e| format!("no session bus for notifications: {e}"))?;
        Ok(Notifier { waiting, _listener: listener })
    }

    /// Shows an SLA notice (summary and body already in the user's language) with one button,
    /// "Open"; `on_open` runs when it (or the notification) is clicked.
    pub fn show_notice(&self, summary: &str, body: &str, locale: Locale, on_open: impl FnOnce() + Send + 'static) -> Result<u32, String> {
        let mut n = Notification::new();
        n.appname(APP_NAME).summary(summary).body(body).icon(ICON).timeout(Timeout::Never);
        n.action(ReminderAction::OPEN_KEY, &locale.text("reminders.open", &[]));
        let handle = tauri::async_runtime::block_on(n.show_async()).map_err(|e| e.to_string())?;
        let id = handle.id();
        let on_action: OnAction = Box::new(move |a| {
            if a == ReminderAction::Open {
                on_open();
            }
        });
        let mut g = lock(&self.waiting);
        let order = g.1;
        g.1 += 1;
        g.0.insert(id, Waiting { _handle: handle, on_action, order });
        Ok(id)
    }

    /// Shows one reminder, in `locale` with times in `zone`; `on_action` runs (on the async
    /// runtime) when the user clicks it or one of its buttons. Returns the notification's id.
    /// What the worker calls for each due reminder.
    pub fn show(
        &self,
        r: &DueReminder,
        locale: Locale,
        zone: Tz,
        on_action: impl FnOnce(ReminderAction) + Send + 'static,
    ) -> Result<u32, String> {
        let (summary, body) = r.notice(locale, zone);
        let mut n = Notification::new();
        n.appname(APP_NAME).summary(&summary).body(&body).icon(ICON).timeout(Timeout::Never);
        for (key, label) in ReminderAction::buttons(locale) {
            n.action(&key, &label);
        }
        let handle = tauri::async_runtime::block_on(n.show_async()).map_err(|e| e.to_string())?;
        let id = handle.id();
        let mut g = lock(&self.waiting);
        let order = g.1;
        g.1 += 1;
        g.0.insert(id, Waiting { _handle: handle, on_action: Box::new(on_action), order });
        if g.0.len() > MAX_WAITING {
            if let Some(oldest) = g.0.iter().min_by_key(|(_, w)| w.order).map(|(id, _)| *id) {
                g.0.remove(&oldest);
            }
        }
        Ok(id)
    }
}

/// Applies what the user chose on a notification (or in the in-app list): snooze or dismiss in
/// the core. Opening is the shell's (it shows the window); returns whether it was asked for.
pub fn apply(app: &Satchel, r: &DueReminder, action: ReminderAction, zone: Tz) -> satchel_core::error::Result<bool> {
    match action {
        ReminderAction::Open => return Ok(true),
        ReminderAction::Snooze(s) => {
            app.calendar().snooze_reminder_for(r, s, zone)?;
        }
        ReminderAction::Dismiss => app.calendar().dismiss_reminder(r)?,
    }
    Ok(false)
}

/// What the worker does with a due reminder (the app: a notification; tests: anything).
pub type Shower = Box<dyn FnMut(&DueReminder) -> Result<(), String> + Send>;
/// What the worker does with a due SLA notice (the app: a notification; tests: anything).
pub type NoticeShower = Box<dyn FnMut(Notice<'_>) -> Result<(), String> + Send>;

/// An SLA notification: one ticket's notice, or the summary of a backlog's rest.
pub enum Notice<'a> {
    One(&'a Escalation),
    More(&'a More),
}

/// Called when the laptop woke (to kick sync).
pub type OnWake = Box<dyn Fn() + Send>;

struct Shared {
    kick: bool,
    stop: bool,
}

pub struct ReminderWorker {
    shared: Arc<(Mutex<Shared>, Condvar)>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ReminderWorker {
    /// Starts the thread: each due reminder goes to `show` and is then marked shown (one that
    /// could not be shown is tried again at the next tick).
    pub fn start(app: Arc<Satchel>, show: Shower, notice: NoticeShower, on_wake: OnWake) -> Self {
        let shared = Arc::new((Mutex::new(Shared { kick: false, stop: false }), Condvar::new()));
        let s = shared.clone();
        std::thread::Builder::new()
            .name("satchel-reminders".into())
            .spawn(move || run(&app, &s, show, notice, &on_wake))
            .expect("cannot start the reminders thread");
        Self { shared }
    }

    /// Looks again now (after an event or task was saved, a reminder snoozed, a sync).
    pub fn kick(&self) {
        lock(&self.shared.0).kick = true;
        self.shared.1.notify_all();
    }

    pub fn stop(&self) {
        lock(&self.shared.0).stop = true;
        self.shared.1.notify_all();
    }
}

impl Drop for ReminderWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(app: &Satchel, shared: &(Mutex<Shared>, Condvar), mut show: Shower, mut notice: NoticeShower, on_wake: &OnWake) {
    let (m, cv) = shared;
    // Starting is a wake: the laptop may have been off through some reminders.
    let mut hold_missed_until = Some(Instant::now() + SYNC_FIRST);
    on_wake();
    let mut wait = Duration::ZERO;
    let mut last_problem: Option<String> = None;
    loop {
        let (asked, wall_before) = (wait, SystemTime::now());
        {
            let mut g = lock(m);
            if !g.kick && !g.stop && !wait.is_zero() {
                g = cv.wait_timeout(g, wait).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
            }
            if g.stop {
                return;
            }
            g.kick = false;
        }
        let wall = SystemTime::now().duration_since(wall_before).unwrap_or_default();
        if slept(asked, wall) {
            log::info!("reminders: the laptop slept for about {} minutes", wall.as_secs() / 60);
            hold_missed_until = Some(Instant::now() + SYNC_FIRST);
            on_wake();
        }
        let holding = hold_missed_until.is_some_and(|t| Instant::now() < t);
        if !holding {
            hold_missed_until = None;
        }
        let now = Utc::now();
        let work = Instant::now();
        let mut problem: Option<String> = None;
        match app.calendar().due_reminders(now) {
            Ok(due) => {
                for r in due.iter().filter(|r| !(holding && r.missed)) {
                    // One that cannot be shown (no notification server yet) is tried next tick.
                    match show(r) {
                        Ok(()) => {
                            if let Err(e) = app.calendar().mark_shown(r, now) {
                                problem = Some(format!("cannot note a reminder as shown: {e}"));
                            }
                        }
                        Err(e) => problem = Some(format!("cannot show a reminder: {e}")),
                    }
                }
            }
            Err(e) => problem = Some(format!("cannot read what is due: {e}")),
        }
        // SLA notices: held after a wake like missed reminders (another laptop may have
        // answered the ticket meanwhile), then each shown once.
        if !holding {
            if let Some(p) = tell_notices(app, crate::clock::now(), &mut notice) {
                problem = Some(p);
            }
        }
        // A long tick (the open tickets read afresh for SLA notices, a backlog's notes written)
        // leaves tens of MB of SQLite's pages and freed buffers at 50,000 tickets; like a heavy
        // command, it asks for them to go back once the app is quiet.
        if work.elapsed() >= crate::memory::HEAVY {
            crate::memory::give_back_soon();
        }
        // Logged when it starts or changes, not every tick while it lasts.
        if problem.is_some() && problem != last_problem {
            log::warn!("reminders: {}", problem.as_deref().unwrap_or_default());
        }
        last_problem = problem;
        wait = match hold_missed_until {
            Some(t) => t.saturating_duration_since(Instant::now()).max(Duration::from_millis(100)).min(TICK),
            None => crate::clock::service_tick(TICK),
        };
    }
}

/// At most this many SLA notifications a tick; a backlog beyond comes as a summary
/// (`escalate::at_once`).
pub const NOTICES_AT_ONCE: usize = 3;

/// One tick's SLA notices for this laptop's user: shown (the most severe one by one, a backlog's
/// rest as one summary) and each noted as shown, with the team's breach actions applied. A
/// notification that cannot be shown leaves its notices for the next tick. Returns what went
/// wrong, if anything.
pub fn tell_notices(app: &Satchel, now: chrono::DateTime<Utc>, notice: &mut NoticeShower) -> Option<String> {
    let due = match app.service().due_notices(now) {
        Ok(due) => due,
        Err(e) => return Some(format!("cannot read the SLA notices: {e}")),
    };
    let (alone, more) = escalate::at_once(due, NOTICES_AT_ONCE);
    let mut problem = None;
    for e in &alone {
        match notice(Notice::One(e)) {
            Ok(()) => {
                if let Err(err) = app.service().notice_shown(e, now) {
                    problem = Some(format!("cannot note an SLA notice as shown: {err}"));
                }
            }
            Err(err) => problem = Some(format!("cannot show an SLA notice: {err}")),
        }
    }
    if let Some(more) = &more {
        match notice(Notice::More(more)) {
            Ok(()) => {
                if let Err(err) = app.service().notices_shown(&more.notices, now) {
                    problem = Some(format!("cannot note SLA notices as shown: {err}"));
                }
            }
            Err(err) => problem = Some(format!("cannot show an SLA notice: {err}")),
        }
    }
    problem
}

/// The laptop's zone, for reminder times and "tomorrow at 09:00".
pub fn zone() -> Tz {
    when::system_zone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tick_much_later_than_asked_means_the_laptop_slept() {
        assert!(!slept(TICK, TICK));
        assert!(!slept(TICK, TICK + Duration::from_secs(30)));
        assert!(slept(TICK, TICK + Duration::from_secs(61)));
        assert!(slept(TICK, Duration::from_secs(8 * 3600)));
        assert!(!slept(Duration::ZERO, Duration::from_millis(5)));
    }
}
