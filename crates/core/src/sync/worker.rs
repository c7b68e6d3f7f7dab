//! Background sync for the app: one thread that syncs when there is something to push, every
//! so often to pull, and at once when asked ("sync now", or just after connecting). It never holds
//! up the user: writes go to the local store as always, and the thread only takes the store's write
//! lock for the moment it applies one pulled page.
//!
//! The shell hears about every change of state through the `publish` callback (the app turns it
//! into an event for the status indicator).

use super::{SyncError, SyncProgress, SyncReport};
use crate::Satchel;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// What the status indicator shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Not connected to a server: everything stays on this computer.
    Off,
    /// Everything is pushed and pulled.
    Synced,
    Syncing,
    /// The server cannot be reached; changes wait here.
    Offline,
    /// The token was refused: log in again.
    NeedsLogin,
    /// Something else went wrong; `error` says what.
    Error,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub state: SyncState,
    pub server: Option<String>,
    pub email: Option<String>,
    /// This computer's changes the server has not acknowledged yet.
    pub pending: u32,
    /// RFC 3339 UTC of the last completed sync.
    pub last_sync_at: Option<String>,
    /// Why the last attempt failed, in the user's language.
    pub error: Option<String>,
    /// Where a running sync is (a first sync of a large database takes a while).
    pub progress: Option<SyncProgress>,
    /// What the last completed sync did (the UI refreshes lists when it applied changes).
    pub last_report: Option<SyncReport>,
    /// Where the device token is kept: the OS secret store, or a file only the user can read.
    pub token_place: Option<super::token::TokenPlace>,
    /// Grows with every change of status: an answer that arrives after a newer event (they
    /// travel separately) is recognised as older and ignored.
    pub version: u32,
}

struct Shared {
    status: SyncStatus,
    kick: bool,
    stop: bool,
}

type Publish = Arc<dyn Fn(&SyncStatus) + Send + Sync>;

pub struct SyncWorker {
    shared: Arc<(Mutex<Shared>, Condvar)>,
    app: Arc<Satchel>,
    publish: Publish,
}

/// How often a connected app looks at the server for others' changes when it has none to push.
pub const PULL_EVERY: Duration = Duration::from_secs(20);
/// How often it checks whether local changes wait (a count on the log: cheap).
pub const CHECK_EVERY: Duration = Duration::from_secs(2);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The status as the store has it, with no sync running.
pub fn current_status(app: &Satchel) -> SyncStatus {
    let connection = super::connection(app).ok().flatten();
    // Counted only when connected: unconnected, the push cursor is 0 and the count would walk the
    // whole change log every time the worker looks (every 2 s).
    let pending = if connection.is_some() { super::pending(app).unwrap_or(0) as u32 } else { 0 };
    let last = super::last_sync_ms(app).ok().flatten().map(crate::time::rfc3339_ms);
    SyncStatus {
        // Connected and with work to do (or never synced yet): the worker is on it; it says
        // "offline" itself when an attempt fails.
        state: match &connection {
            None => SyncState::Off,
            Some(_) if pending == 0 && last.is_some() => SyncState::Synced,
            Some(_) => SyncState::Syncing,
        },
        server: connection.as_ref().map(|c| c.0.clone()),
        token_place: connection.as_ref().and_then(|_| super::token_place(app).ok().flatten()),
        email: connection.map(|c| c.1),
        pending,
        last_sync_at: last,
        error: None,
        progress: None,
        last_report: None,
        version: 0,
    }
}

impl SyncWorker {
    /// Starts the thread. `publish` is called (on that thread) whenever the status changes.
    pub fn start(app: Arc<Satchel>, publish: impl Fn(&SyncStatus) + Send + Sync + 'static) -> Self {
        let initial = current_status(&app);
        let shared = Arc::new((Mutex::new(Shared { status: initial, kick: true, stop: false }), Condvar::new()));
        let publish: Publish = Arc::new(publish);
        let (worker, thread_app, thread_publish) = (shared.clone(), app.clone(), publish.clone());
        std::thread::Builder::new()
            .name("satchel-sync".into())
            .spawn(move || run(thread_app, worker, move |s: &SyncStatus| thread_publish(s)))
            .expect("cannot start the sync thread");
        Self { shared, app, publish }
    }

    pub fn status(&self) -> SyncStatus {
        lock(&self.shared.0).status.clone()
    }

    /// Re-reads the status from the store now (after connecting or disconnecting, which the
    /// thread has not seen yet), publishes it, and returns it.
    pub fn refresh(&self) -> SyncStatus {
        let publish = self.publish.clone();
        set(&self.shared.0, &move |s: &SyncStatus| publish(s), current_status(&self.app));
        self.status()
    }

    /// Syncs as soon as possible (after connecting, on "sync now").
    pub fn kick(&self) {
        lock(&self.shared.0).kick = true;
        self.shared.1.notify_all();
    }

    pub fn stop(&self) {
        lock(&self.shared.0).stop = true;
        self.shared.1.notify_all();
    }
}

impl Drop for SyncWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(app: Arc<Satchel>, shared: Arc<(Mutex<Shared>, Condvar)>, publish: impl Fn(&SyncStatus)) {
    let (m, cv) = &*shared;
    let mut last_attempt: Option<Instant> = None;
    let mut backoff = Duration::from_secs(2);
    let mut failing = false;
    loop {
        let kicked = {
            let mut g = lock(m);
            if !g.kick && !g.stop {
                g = cv.wait_timeout(g, CHECK_EVERY).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
            }
            if g.stop {
                return;
            }
            std::mem::take(&mut g.kick)
        };
        let Ok(Some(_)) = super::connection(&app) else {
            let status = current_status(&app);
            set(m, &publish, status);
            continue;
        };
        let pending = super::pending(&app).unwrap_or(0);
        let since = last_attempt.map(|t| t.elapsed());
        let due = if failing {
            // After a failure, wait (longer each time, up to a minute) unless asked.
            since.is_none_or(|s| s >= backoff)
        } else {
            pending > 0 || since.is_none_or(|s| s >= PULL_EVERY)
        };
        if !kicked && !due {
            // Keep the "N changes waiting" count current between syncs.
            let mut g = lock(m);
            if g.status.pending != pending as u32 {
                g.status.pending = pending as u32;
                let s = g.status.clone();
                drop(g);
                publish(&s);
            }
            continue;
        }
        last_attempt = Some(Instant::now());
        let mut status = lock(m).status.clone();
        status.state = SyncState::Syncing;
        status.progress = None;
        set(m, &publish, status);
        let result = super::remote_for(&app).and_then(|mut remote| {
            let mut last_sent = Instant::now() - Duration::from_secs(1);
            super::sync_once(&app, &mut remote, &mut |p: SyncProgress| {
                // A progress bar needs a few updates a second, not one per page.
                if last_sent.elapsed() >= Duration::from_millis(200) {
                    last_sent = Instant::now();
                    let mut s = lock(m).status.clone();
                    s.progress = Some(p);
                    set(m, &publish, s);
                }
            })
        });
        let mut status = current_status(&app);
        match result {
            Ok(report) => {
                failing = false;
                backoff = Duration::from_secs(2);
                status.state = if status.pending == 0 { SyncState::Synced } else { SyncState::Syncing };
                status.last_report = Some(report);
                if status.pending > 0 {
                    lock(m).kick = true;
                }
            }
            Err(e) => {
                failing = true;
                backoff = (backoff * 2).min(Duration::from_secs(60));
                status.state = match e {
                    SyncError::Offline(_) | SyncError::Protocol(_) => SyncState::Offline,
                    SyncError::NeedsLogin(_) => SyncState::NeedsLogin,
                    _ => SyncState::Error,
                };
                log::warn!("sync failed: {e}");
                status.error = Some(e.message(app.locale()));
            }
        }
        set(m, &publish, status);
    }
}

fn set(m: &Mutex<Shared>, publish: &impl Fn(&SyncStatus), mut status: SyncStatus) {
    let mut g = lock(m);
    status.version = g.status.version;
    if g.status != status {
        status.version += 1;
        g.status = status.clone();
        drop(g);
        publish(&status);
    }
}
