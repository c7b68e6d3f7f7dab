//! The lists every module contributes to (synced tables, record types), plus what a test build
//! adds before anything reads them: tables and record types that exist only for tests.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// What tests added to one list, and whether the list was already read (after which adding
/// would leave readers with two different lists, so it panics).
pub(crate) struct TestExtras<T: 'static> {
    read: AtomicBool,
    extra: Mutex<Vec<&'static T>>,
}

impl<T> TestExtras<T> {
    pub(crate) const fn new() -> Self {
        Self { read: AtomicBool::new(false), extra: Mutex::new(Vec::new()) }
    }

    /// Adds the items not added yet (`same` tells two apart); `what` names the list for the panic.
    pub(crate) fn register(&self, items: &[&'static T], same: impl Fn(&T, &T) -> bool, what: &str) {
        let mut extra = self.extra.lock().unwrap_or_else(|e| e.into_inner());
        let missing: Vec<_> = items.iter().filter(|t| !extra.iter().any(|e| same(e, t))).copied().collect();
        if missing.is_empty() {
            return;
        }
        assert!(!self.read.load(Ordering::SeqCst), "test {what} must be registered before they are first read in this process");
        extra.extend(missing);
    }

    /// The modules' items followed by the tests', marking the list as read.
    pub(crate) fn gather(&self, modules: impl Iterator<Item = &'static T>) -> Vec<&'static T> {
        self.read.store(true, Ordering::SeqCst);
        let mut all: Vec<&'static T> = modules.collect();
        all.extend(self.extra.lock().unwrap_or_else(|e| e.into_inner()).iter().copied());
        all
    }
}
