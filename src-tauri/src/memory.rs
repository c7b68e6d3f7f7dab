//! Giving freed memory back to the system after heavy work.
//!
//! Why: glibc's allocator keeps what a thread frees in that thread's arena for the next
//! allocation; only a free stretch at an arena's very top goes back on its own. Loading the
//! indexes and a module's first page (a snapshot decoded, thousands of rows read and serialised
//! for the window) free tens of megabytes in the middle of the heap, which then stayed counted
//! against the app for good. `malloc_trim(0)` hands every free page back (madvise), leaving the
//! allocator's bookkeeping as it was. Measured at 100,000 customers after opening every page once:
//! the app process 559 → 482 MB (PSS) with one trim (docs/benchmarks.md). A trim takes 5-10 ms
//! there.
//!
//! A trim walks every arena under its lock, so it is not made after each command: heavy work
//! asks for one (`give_back_soon`), and the trimmer thread makes it once the app has been quiet
//! for `QUIET`, one trim for a burst of work. SQLite's page caches are emptied first (`watch`):
//! they are for one page's many queries, and held up to 48 MB between pages.
//!
//! Every other command asks for less (`pages_read`): the indexes read their records' text in
//! place from the snapshot files (`satchel_core::search::mapped`), and the pages a search or a
//! list read stay counted against the app until handed back. That is an unmapping, cheap enough
//! after each quiet spell; the data stays in the OS's file cache for the next read.

use satchel_core::Satchel;
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError, Weak};
use std::time::Duration;

/// How long after the last request the trim is made.
const QUIET: Duration = Duration::from_millis(400);

/// A command that took this long is heavy enough to have freed much.
pub const HEAVY: Duration = Duration::from_millis(25);

struct Trimmer {
    /// Requests so far; the thread acts when the count stops moving.
    asked: Mutex<Asked>,
    wake: Condvar,
    /// The opened book, whose SQLite page caches are emptied first (`watch`).
    book: Mutex<Weak<Satchel>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Asked {
    count: u64,
    /// Whether any request since the last answer was heavy (a trim, not only the snapshots' pages).
    heavy: bool,
}

static TRIMMER: Trimmer =
    Trimmer { asked: Mutex::new(Asked { count: 0, heavy: false }), wake: Condvar::new(), book: Mutex::new(Weak::new()) };

/// Whether the trimmer thread runs (started by the first call below).
static STARTED: OnceLock<bool> = OnceLock::new();

/// The book whose page caches a trim empties too (SQLite's caches are memory it holds, not
/// memory it freed: see `Store::release_memory`).
pub fn watch(book: &Arc<Satchel>) {
    *TRIMMER.book.lock().unwrap_or_else(PoisonError::into_inner) = Arc::downgrade(book);
}

/// Asks for freed memory to go back to the system once the app is quiet. Cheap; never blocks.
pub fn give_back_soon() {
    ask(true);
}

/// Asks for the snapshots' pages a command read to be handed back once the app is quiet (no
/// trim). Cheap; never blocks.
pub fn pages_read() {
    ask(false);
}

fn ask(heavy: bool) {
    if !*STARTED.get_or_init(start) {
        return;
    }
    let mut asked = TRIMMER.asked.lock().unwrap_or_else(PoisonError::into_inner);
    asked.count += 1;
    asked.heavy |= heavy;
    drop(asked);
    TRIMMER.wake.notify_one();
}

fn start() -> bool {
    match std::thread::Builder::new().name("satchel-trim".into()).spawn(|| run(&TRIMMER)) {
        Ok(_) => true,
        Err(e) => {
            log::warn!("no thread to give memory back: {e}");
            false
        }
    }
}

fn run(t: &Trimmer) {
    let mut done = 0;
    loop {
        let mut asked = t.asked.lock().unwrap_or_else(PoisonError::into_inner);
        while asked.count == done {
            asked = t.wake.wait(asked).unwrap_or_else(PoisonError::into_inner);
        }
        // Wait out the burst: act once nothing more was asked for QUIET.
        loop {
            let seen = asked.count;
            asked = t.wake.wait_timeout(asked, QUIET).unwrap_or_else(PoisonError::into_inner).0;
            if asked.count == seen {
                break;
            }
        }
        done = asked.count;
        let heavy = std::mem::take(&mut asked.heavy);
        drop(asked);
        let book = t.book.lock().unwrap_or_else(PoisonError::into_inner).upgrade();
        match (book, heavy) {
            (Some(book), true) => book.store().release_memory(),
            (Some(book), false) => book.store().release_mapped(),
            (None, _) => {}
        }
        if heavy {
            trim();
        }
    }
}

fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let start = std::time::Instant::now();
        let before = resident_kib();
        // SAFETY: malloc_trim only returns free pages to the system; it takes the allocator's own
        // locks, and no memory in use moves.
        unsafe { libc::malloc_trim(0) };
        log::debug!(
            "gave freed memory back in {:.1} ms: resident {} → {} MB",
            start.elapsed().as_secs_f64() * 1e3,
            before / 1024,
            resident_kib() / 1024
        );
    }
}

/// The process's resident memory in KiB (0 when /proc cannot say).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or_default();
    line.split_whitespace().nth(1).and_then(|kib| kib.parse().ok()).unwrap_or(0)
}
