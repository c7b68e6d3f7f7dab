//! Reminders: the default reminders of new events, the in-app list of what fired, dismiss and
//! snooze, "follow up in N days", and the settings that keep reminders firing (stay in the
//! tray when the window closes, start at login). The notifications themselves come from the
//! worker in `crate::reminders`, started here ([`start`]).

use crate::reminders::{self as worker, ReminderWorker};
use crate::state::AppState;
use satchel_core::calendar::reminders::{DueReminder, ReminderAction, Snooze};
use satchel_core::calendar::{CustomerId, Task};
use satchel_core::AppError;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_specta::Event;

/// The `meta` key of "closing the window keeps Satchel in the tray" (`0` off; on by default).
pub const CLOSE_TO_TRAY_KEY: &str = "app.close_to_tray";

/// A reminder's notification was clicked: the window is shown and should open the record.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct ReminderOpened {
    /// `event`, `task`, `customer`, `ticket`, or `tickets` (a summary of SLA notices: `id` is
    /// then the queue view to open, such as `breached`).
    pub record_type: String,
    pub id: String,
    /// The occurrence of a series, when it is one.
    pub recurrence_id: Option<String>,
}

/// Reminders fired, or were snoozed or dismissed from a notification: the in-app list refetches.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct RemindersChanged {}

/// What Settings → Reminders shows.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReminderSettings {
    /// Closing the window keeps Satchel running in the system tray, so reminders still fire.
    pub close_to_tray: bool,
    /// Whether this desktop has a tray to stay in (without one, closing the window quits).
    pub tray_available: bool,
    /// Satchel starts (in the tray) when the user logs in.
    pub start_at_login: bool,
    /// Whether starting at login can be set here.
    pub start_at_login_available: bool,
}

/// Reads (and with `Some`, first sets) whether Satchel starts at login; `None` where the
/// autostart plugin is not there (the commands' tests).
type Login = Box<dyn Fn(Option<bool>) -> Option<Result<bool, String>> + Send + Sync>;

/// The worker, whether the tray exists and closing should keep the app there, and start at
/// login (commands cannot name the window's runtime for tauri-specta, so it is kept boxed).
pub struct ReminderState {
    worker: OnceLock<ReminderWorker>,
    tray: AtomicBool,
    close_to_tray: AtomicBool,
    login: Login,
}

impl ReminderState {
    pub fn new<R: Runtime>(handle: AppHandle<R>) -> Self {
        let login: Login = Box::new(move |set| {
            let m = handle.try_state::<tauri_plugin_autostart::AutoLaunchManager>()?;
            let run = || -> Result<bool, tauri_plugin_autostart::Error> {
                match set {
                    Some(true) => m.enable()?,
                    Some(false) => m.disable()?,
                    None => {}
                }
                m.is_enabled()
            };
            Some(run().map_err(|e| e.to_string()))
        });
        Self { worker: OnceLock::new(), tray: AtomicBool::new(false), close_to_tray: AtomicBool::new(true), login }
    }

    fn kick(&self) {
        if let Some(w) = self.worker.get() {
            w.kick();
        }
    }

    /// Whether closing the main window should hide it instead (a tray to come back from).
    pub fn keep_in_tray(&self) -> bool {
        self.tray.load(Ordering::Relaxed) && self.close_to_tray.load(Ordering::Relaxed)
    }

    pub fn set_tray(&self, available: bool) {
        self.tray.store(available, Ordering::Relaxed);
    }

    fn settings(&self, close_to_tray: bool) -> ReminderSettings {
        let login = (self.login)(None);
        ReminderSettings {
            close_to_tray,
            tray_available: self.tray.load(Ordering::Relaxed),
            start_at_login: matches!(login, Some(Ok(true))),
            start_at_login_available: login.is_some(),
        }
    }
}

fn close_to_tray_setting(s: &satchel_core::Satchel) -> bool {
    s.store().meta(CLOSE_TO_TRAY_KEY).ok().flatten().as_deref() != Some("0")
}

/// Shows the main window and brings it to the front.
pub fn show_window<R: Runtime>(handle: &AppHandle<R>) {
    if let Some(w) = handle.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Starts the reminders worker for the opened database: notifications over D-Bus, their actions
/// applied in the core, a click shows the window and names the record.
pub fn start<R: Runtime>(handle: &AppHandle<R>) {
    let Ok(app) = handle.state::<AppState>().satchel() else { return };
    let state = handle.state::<ReminderState>();
    state.close_to_tray.store(close_to_tray_setting(&app), Ordering::Relaxed);
    let (h, shown_app) = (handle.clone(), app.clone());
    // Connected at the first reminder (and again after a failure: the session bus may come later).
    let mut notifier: Option<worker::Notifier> = None;
    let show: worker::Shower = Box::new(move |r: &DueReminder| {
        if notifier.is_none() {
            notifier = Some(worker::Notifier::connect()?);
        }
        let (h2, a, r2) = (h.clone(), shown_app.clone(), r.clone());
        let shown = notifier.as_ref().map(|n| n.show(r, shown_app.locale(), worker::zone(), move |action| on_action(&h2, &a, &r2, action)));
        if let Some(Err(_)) = shown {
            notifier = None;
        }
        shown.unwrap_or_else(|| Err("no notifier".into()))?;
        let _ = RemindersChanged {}.emit(&h);
        Ok(())
    });
    let (h, notice_app) = (handle.clone(), app.clone());
    let mut notifier: Option<worker::Notifier> = None;
    let notice: worker::NoticeShower = Box::new(move |n: worker::Notice<'_>| {
        if notifier.is_none() {
            notifier = Some(worker::Notifier::connect()?);
        }
        let locale = notice_app.locale();
        // A click opens the ticket, or for a backlog's summary the queue it belongs in.
        let ((summary, body), opened, changes) = match n {
            worker::Notice::One(e) => {
                let zone = notice_app.service().settings().map(|s| s.zone()).unwrap_or_else(|_| worker::zone());
                let opened = ReminderOpened { record_type: "ticket".into(), id: e.ticket_id.clone(), recurrence_id: None };
                (e.notice(locale, zone), opened, e.raise_to.is_some() || e.reassign_to.is_some())
            }
            worker::Notice::More(m) => {
                let view = serde_json::to_value(m.view()).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                let opened = ReminderOpened { record_type: "tickets".into(), id: view, recurrence_id: None };
                (m.notice(locale), opened, m.changes_tickets())
            }
        };
        let h2 = h.clone();
        let shown = notifier.as_ref().map(|n| {
            n.show_notice(&summary, &body, locale, move || {
                show_window(&h2);
                if let Err(err) = opened.emit(&h2) {
                    log::warn!("cannot tell the window to open {}: {err}", opened.record_type);
                }
            })
        });
        if let Some(Err(_)) = shown {
            notifier = None;
        }
        shown.unwrap_or_else(|| Err("no notifier".into()))?;
        // The window's queues show the raised priority or new assignee.
        if changes {
            let _ = super::app::RecordsChanged { modules: vec!["service".into()], tables: vec!["tickets".into()] }.emit(&h);
        }
        Ok(())
    });
    let h = handle.clone();
    let on_wake: worker::OnWake = Box::new(move || {
        if let Some(w) = h.state::<super::sync::SyncState>().worker() {
            w.kick();
        }
    });
    let _ = state.worker.set(ReminderWorker::start(app, show, notice, on_wake));
}

fn on_action<R: Runtime>(handle: &AppHandle<R>, app: &satchel_core::Satchel, r: &DueReminder, action: ReminderAction) {
    match worker::apply(app, r, action, worker::zone()) {
        Ok(true) => {
            show_window(handle);
            let opened =
                ReminderOpened { record_type: r.record_type.clone(), id: r.record_id.clone(), recurrence_id: r.recurrence_id.clone() };
            if let Err(e) = opened.emit(handle) {
                log::warn!("cannot tell the window to open {}: {e}", r.record_id);
            }
        }
        Ok(false) => {
            handle.state::<ReminderState>().kick();
            let _ = RemindersChanged {}.emit(handle);
        }
        Err(e) => log::warn!("reminder {}: {action:?} failed: {e}", r.key),
    }
}

/// The reminders new events get unless the user picks others (minutes before the start).
#[tauri::command]
#[specta::specta]
pub async fn default_reminders(state: State<'_, AppState>) -> Result<Vec<i32>, AppError> {
    state.call(|s| s.calendar().default_reminders())
}

#[tauri::command]
#[specta::specta]
pub async fn set_default_reminders(state: State<'_, AppState>, minutes: Vec<i32>) -> Result<Vec<i32>, AppError> {
    state.call(|s| s.calendar().set_default_reminders(&minutes))
}

/// The in-app list: reminders that fired in the last week and are neither dismissed nor snoozed
/// to later, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn due_reminders(state: State<'_, AppState>) -> Result<Vec<DueReminder>, AppError> {
    state.call(|s| s.calendar().reminder_list(chrono::Utc::now()))
}

/// Dismisses a reminder here and, after sync, on the user's other laptops.
#[tauri::command]
#[specta::specta]
pub async fn dismiss_reminder(
    state: State<'_, AppState>,
    reminders: State<'_, ReminderState>,
    reminder: DueReminder,
) -> Result<(), AppError> {
    state.call(|s| s.calendar().dismiss_reminder(&reminder))?;
    reminders.kick();
    Ok(())
}

/// Snoozes a reminder for 10 minutes, an hour, or until 09:00 tomorrow; returns when it fires
/// again (RFC 3339 UTC).
#[tauri::command]
#[specta::specta]
pub async fn snooze_reminder(
    state: State<'_, AppState>,
    reminders: State<'_, ReminderState>,
    reminder: DueReminder,
    choice: Snooze,
) -> Result<String, AppError> {
    let until = state.call(|s| s.calendar().snooze_reminder_for(&reminder, choice, worker::zone()))?;
    reminders.kick();
    Ok(until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// "Follow up in N days" after logging an activity: a task for the customer due then, with a
/// reminder at 09:00 that morning. An empty title reads "Follow up with <name>".
#[tauri::command]
#[specta::specta]
pub async fn follow_up(
    state: State<'_, AppState>,
    reminders: State<'_, ReminderState>,
    customer_id: CustomerId,
    days: u32,
    title: String,
) -> Result<Task, AppError> {
    let task = state.call(|s| s.calendar().follow_up(&customer_id, days, &title))?;
    reminders.kick();
    Ok(task)
}

#[tauri::command]
#[specta::specta]
pub async fn reminder_settings(state: State<'_, AppState>, reminders: State<'_, ReminderState>) -> Result<ReminderSettings, AppError> {
    let close_to_tray = state.call(|s| Ok(close_to_tray_setting(s)))?;
    Ok(reminders.settings(close_to_tray))
}

#[tauri::command]
#[specta::specta]
pub async fn set_close_to_tray(
    state: State<'_, AppState>,
    reminders: State<'_, ReminderState>,
    on: bool,
) -> Result<ReminderSettings, AppError> {
    state.call(|s| s.store().set_meta(&[(CLOSE_TO_TRAY_KEY, Some(if on { "1" } else { "0" }.to_string()))]))?;
    reminders.close_to_tray.store(on, Ordering::Relaxed);
    Ok(reminders.settings(on))
}

/// Starts Satchel at login (in the tray, its window hidden), or stops doing so.
#[tauri::command]
#[specta::specta]
pub async fn set_start_at_login(
    state: State<'_, AppState>,
    reminders: State<'_, ReminderState>,
    on: bool,
) -> Result<ReminderSettings, AppError> {
    match (reminders.login)(Some(on)) {
        None => return Err(state.internal("starting at login is not available here")),
        Some(Err(e)) => return Err(state.internal(&format!("start at login: {e}"))),
        Some(Ok(_)) => {}
    }
    let close_to_tray = state.call(|s| Ok(close_to_tray_setting(s)))?;
    Ok(reminders.settings(close_to_tray))
}
