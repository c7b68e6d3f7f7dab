//! The customers module's API: what every shell (the app's commands, the CLI, tests) calls for
//! companies and people, reached as `satchel.customers()`. It owns the module's in-memory state
//! (the customer index), which it builds at open and refreshes when rows change underneath it
//! ([`crate::modules`]). The core's `Satchel` knows only the store, the locale and the list of
//! modules.

use super::index::{CustomerIndex, DuplicateProbe};
use super::lean::Lean;
use super::snapshot::{self, Refused};
use super::transfer;
use super::*;
use super::{activities, attachments, fields, merge, repo, segments};
use crate::error::{CoreError, Result};
use crate::ids::{self, CustomerId};
use crate::store::{self, Store, Touched};
use crate::Satchel;
use std::collections::BTreeSet;
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The customers module's migrations after the store's first eleven (which created its tables).
/// A new one is `Migration { number: <next free>, sql: include_str!("migrations/....sql") }`.
pub const MIGRATIONS: &[crate::store::Migration] =
    &[crate::store::Migration { number: 12, sql: include_str!("migrations/0012_job_title.sql") }];

/// The customers module's state: the in-memory index that answers search, list pages and
/// duplicate checks, built on first need. A command that never searches or lists (`satchel
/// sync`, a backup) never pays for it; the window builds it on a thread as soon as it opens.
#[derive(Default)]
pub struct State {
    index: RwLock<CustomerIndex>,
    phase: (Mutex<Phase>, Condvar),
    /// The change-log entry the snapshot on disk was made at, when it is this index's.
    saved: Mutex<Option<i64>>,
    origin: Mutex<Option<IndexOrigin>>,
    /// Set when the index would not fit in the memory allowed (`crate::budget`): then nothing is
    /// built and the module answers from SQLite (`super::lean`).
    lean: Mutex<Option<Arc<Lean>>>,
    /// The limits to plan by instead of this process's (tests, and a shell that knows better).
    limits: Mutex<Option<crate::budget::Limits>>,
    /// Records per lean slice (tests make it small to cross many slices).
    lean_chunk: Mutex<Option<usize>>,
}

/// What the in-memory index takes a customer, measured on the demo book (`satchel search` on
/// 100,000 customers peaks 210 MB above a command that builds nothing), with some room.
pub const INDEX_BYTES_PER_CUSTOMER: u64 = 2_400;

/// Whether the module answers from its in-memory index or, the book being too large for the
/// memory allowed, from SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "mode")]
pub enum IndexMode {
    InMemory,
    /// In megabytes: what the index would need and what it may take.
    Lean {
        #[serde(rename = "neededMb")]
        needed_mb: u32,
        #[serde(rename = "allowedMb")]
        allowed_mb: u32,
    },
}

/// Where the index came from at its first build (for the log, tests and benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexOrigin {
    /// Read from SQLite.
    Built,
    /// Loaded from its snapshot, with this many records read again for changes since.
    Snapshot { caught_up: usize },
}

/// The snapshot's index caught up with the changes logged since it was made, its stamp and how
/// many records were read again; or why it cannot be used.
fn from_snapshot(store: &Store, database: u64) -> std::result::Result<(CustomerIndex, snapshot::Stamp, usize), Refused> {
    let (mut ix, stamp) = snapshot::read(store)?;
    let unreadable = |e: crate::error::CoreError| {
        log::warn!("reading the database for the index snapshot: {e}");
        Refused::Damaged("database unreadable")
    };
    if !snapshot::history_holds(store, &stamp).map_err(unreadable)? {
        return Err(Refused::OtherHistory);
    }
    let touched = store.touched_since(stamp.seq, snapshot::CATCH_UP_MAX).map_err(unreadable)?.ok_or(Refused::OtherHistory)?;
    let ids = affected(&touched);
    refresh_in(&mut ix, store, &ids).map_err(unreadable)?;
    if ix.len() as u64 != database {
        return Err(Refused::Disagrees { snapshot: ix.len() as u64, database });
    }
    Ok((ix, stamp, ids.len()))
}

/// Brings `ix` up to date for these records and the people of any company among them.
fn refresh_in(ix: &mut CustomerIndex, store: &Store, ids: &[String]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let all = with_people(ix, ids);
    let sources = repo::load_index_sources(store, Some(&all))?;
    apply_sources(ix, &all, sources);
    Ok(())
}

/// These records and the people of any company among them (the index's own company -> people
/// map knows them, so no query is needed), sorted and once each.
fn with_people(ix: &CustomerIndex, ids: &[String]) -> Vec<String> {
    let mut all: Vec<String> = ids.to_vec();
    for id in ids {
        all.extend(ix.people_of(id));
    }
    all.sort();
    all.dedup();
    all
}

/// Replaces the records `all` with what was read of them (`sources`); those not read are gone.
fn apply_sources(ix: &mut CustomerIndex, all: &[String], sources: Vec<repo::IndexSource>) {
    // Companies first, so their people pick up the new company name.
    let (companies, people): (Vec<_>, Vec<_>) = sources.into_iter().partition(|s| s.kind == "company");
    let found: std::collections::HashSet<String> = companies.iter().chain(people.iter()).map(|s| s.id.clone()).collect();
    for id in all.iter().filter(|id| !found.contains(*id)) {
        ix.remove(id);
    }
    for s in companies.into_iter().chain(people) {
        ix.upsert(s);
    }
}

/// Where the index's first build is.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    /// Nothing built yet: changes underneath need no telling, the build will read them.
    #[default]
    Unloaded,
    Loading,
    /// Built (or its build failed and was logged: callers then see an empty book rather than
    /// waiting forever).
    Ready,
}

impl State {
    fn phase(&self) -> Phase {
        *self.phase.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Builds the index unless it is built or being built (then waits for that build). Exactly
    /// one caller builds; an edit made meanwhile waits too, so no build that read the database
    /// before it can overwrite it.
    fn ensure(&self, store: &Store) -> Result<()> {
        {
            let mut phase = self.phase.0.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                match *phase {
                    Phase::Ready => return Ok(()),
                    Phase::Loading => phase = self.phase.1.wait(phase).unwrap_or_else(PoisonError::into_inner),
                    Phase::Unloaded => break,
                }
            }
            *phase = Phase::Loading;
        }
        // Taken before anything is read, so the index holds at least every change up to it. The
        // snapshot written below is stamped with it, not with the log as it is when written:
        // a write committed meanwhile, waiting to reach the index, would otherwise be claimed
        // by a snapshot that lacks it and never be read again (catching up from an earlier entry
        // only reads a row again).
        let before = match snapshot::current(store, 0) {
            Ok(stamp) => Some(stamp),
            Err(e) => {
                log::warn!("the change log could not be read before building the customer index: {e}");
                None
            }
        };
        // The book's size decides whether an index is built at all: counted once, also for the
        // snapshot's check below.
        let database = snapshot::database_records(store);
        if let Some(lean) = database.as_ref().ok().and_then(|&n| self.lean_plan(n)) {
            *self.lean.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(lean));
            *self.phase.0.lock().unwrap_or_else(PoisonError::into_inner) = Phase::Ready;
            self.phase.1.notify_all();
            return Ok(());
        }
        let (result, save) = match database.and_then(|n| self.build(store, n)) {
            Ok((ix, save)) => {
                *self.index.write().unwrap_or_else(PoisonError::into_inner) = ix;
                (Ok(()), save)
            }
            Err(e) => (Err(e), false),
        };
        *self.phase.0.lock().unwrap_or_else(PoisonError::into_inner) = Phase::Ready;
        self.phase.1.notify_all();
        if let (true, Some(before)) = (save, before) {
            // After the callers were let in: they read while it is written.
            self.save(store, Some(before));
        }
        result
    }

    /// The index from its snapshot when that is whole and this book's, caught up with the changes
    /// logged since; else from SQLite. Also says whether the snapshot should be written again.
    fn build(&self, store: &Store, database: u64) -> Result<(CustomerIndex, bool)> {
        let start = std::time::Instant::now();
        match from_snapshot(store, database) {
            Ok((ix, stamp, caught_up)) => {
                log::info!(
                    "customer index: {} records from its snapshot in {:.2} s ({caught_up} changed since)",
                    ix.len(),
                    start.elapsed().as_secs_f64()
                );
                *self.saved.lock().unwrap_or_else(PoisonError::into_inner) = Some(stamp.seq);
                *self.origin.lock().unwrap_or_else(PoisonError::into_inner) = Some(IndexOrigin::Snapshot { caught_up });
                return Ok((ix, caught_up >= 1000));
            }
            Err(Refused::Missing) | Err(Refused::Encrypted) => {}
            Err(why) => log::warn!("customer index snapshot not used: {why}"),
        }
        let ix = CustomerIndex::build(repo::load_index_sources(store, None)?);
        log::info!("customer index: {} records in {:.2} s", ix.len(), start.elapsed().as_secs_f64());
        *self.origin.lock().unwrap_or_else(PoisonError::into_inner) = Some(IndexOrigin::Built);
        Ok((ix, true))
    }

    /// Writes the snapshot of the index as it is (logged, never failing the caller: it is a cache).
    /// `stamp`: the change log as it was before the index's newest content was read; none for
    /// the log as it is now (on the way out, with nothing else writing).
    fn save(&self, store: &Store, stamp: Option<snapshot::Stamp>) {
        if store.is_encrypted() {
            return;
        }
        let start = std::time::Instant::now();
        let ix = self.index.read().unwrap_or_else(PoisonError::into_inner);
        let stamp = match stamp {
            Some(s) => Ok(snapshot::Stamp { records: ix.len() as u64, ..s }),
            None => snapshot::current(store, ix.len() as u64),
        };
        let written = stamp
            .map_err(|e| e.to_string())
            .and_then(|stamp| snapshot::save(store, &ix, &stamp).map(|bytes| (stamp, bytes)).map_err(|e| e.to_string()));
        drop(ix);
        match written {
            Ok((stamp, bytes)) => {
                *self.saved.lock().unwrap_or_else(PoisonError::into_inner) = Some(stamp.seq);
                log::info!("customer index snapshot: {:.1} MB in {:.2} s", bytes as f64 / 1e6, start.elapsed().as_secs_f64());
            }
            Err(e) => log::warn!("customer index snapshot not written: {e}"),
        }
    }

    /// Lean mode when `records` customers' index would not fit in the memory allowed.
    fn lean_plan(&self, records: u64) -> Option<Lean> {
        let limits = self.limits.lock().unwrap_or_else(PoisonError::into_inner).unwrap_or_else(crate::budget::Limits::of_this_process);
        match crate::budget::plan(records * INDEX_BYTES_PER_CUSTOMER, &limits) {
            crate::budget::Plan::InMemory => None,
            crate::budget::Plan::Lean { needed, allowed } => {
                log::warn!(
                    "customer index: {records} records would take about {} MB, {} MB allowed: lists and search read from SQLite",
                    needed >> 20,
                    allowed >> 20
                );
                let chunk = self.lean_chunk.lock().unwrap_or_else(PoisonError::into_inner).unwrap_or(super::lean::CHUNK);
                Some(Lean::with_chunk(needed, allowed, chunk))
            }
        }
    }

    /// Lean mode's reader, once the plan chose it.
    fn lean(&self) -> Option<Arc<Lean>> {
        self.lean.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// What answers reads: the index (built first if need be) or, in lean mode, SQLite.
    fn book<'a>(&'a self, store: &'a Store) -> Book<'a> {
        if let Err(e) = self.ensure(store) {
            log::error!("building the customer index failed: {e}");
        }
        match self.lean() {
            Some(lean) => Book::Lean(lean, store),
            None => Book::Memory(self.index.read().unwrap_or_else(PoisonError::into_inner)),
        }
    }

    fn index(&self, store: &Store) -> RwLockReadGuard<'_, CustomerIndex> {
        if let Err(e) = self.ensure(store) {
            log::error!("building the customer index failed: {e}");
        }
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn index_mut(&self, store: &Store) -> RwLockWriteGuard<'_, CustomerIndex> {
        if let Err(e) = self.ensure(store) {
            log::error!("building the customer index failed: {e}");
        }
        self.index.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What answers a read: the in-memory index, or lean mode over SQLite. The lean answers are the
/// index's own (see `super::lean`); a read error there is logged and answered as an empty book,
/// as a failed build is.
enum Book<'a> {
    Memory(RwLockReadGuard<'a, CustomerIndex>),
    Lean(Arc<Lean>, &'a Store),
}

fn logged<T: Default>(what: &str, r: Result<T>) -> T {
    r.unwrap_or_else(|e| {
        log::error!("customers ({what}) from SQLite: {e}");
        T::default()
    })
}

impl Book<'_> {
    fn list(&self, q: &ListQuery) -> ListPage {
        match self {
            Book::Memory(ix) => ix.list(q),
            Book::Lean(l, store) => logged("list", l.list(store, q)),
        }
    }

    fn list_ids(&self, q: &ListQuery) -> Vec<String> {
        match self {
            Book::Memory(ix) => ix.list_ids(q),
            Book::Lean(l, store) => logged("list", l.list_ids(store, q)),
        }
    }

    fn totals(&self, queries: &[ListQuery]) -> Vec<u32> {
        match self {
            Book::Memory(ix) => queries.iter().map(|q| ix.list(&ListQuery { limit: 0, ..q.clone() }).total).collect(),
            Book::Lean(l, store) => l.totals(store, queries).unwrap_or_else(|e| {
                log::error!("customers (counts) from SQLite: {e}");
                vec![0; queries.len()]
            }),
        }
    }

    fn search(&self, text: &str, kind: Option<CustomerKind>, limit: usize) -> Vec<SearchHit> {
        match self {
            Book::Memory(ix) => ix.search(text, kind, limit),
            Book::Lean(l, store) => logged("search", l.search(store, text, kind, limit)),
        }
    }

    fn get_row(&self, id: &str) -> Option<CustomerRow> {
        match self {
            Book::Memory(ix) => ix.get_row(id),
            Book::Lean(l, store) => logged("a row", l.get_row(store, id)),
        }
    }

    fn live_count(&self) -> usize {
        match self {
            Book::Memory(ix) => ix.live_count(),
            Book::Lean(l, store) => logged("count", l.live_count(store)),
        }
    }

    fn duplicates(&self, probe: &DuplicateProbe<'_>) -> Vec<DuplicateHint> {
        match self {
            Book::Memory(ix) => ix.duplicates(probe),
            Book::Lean(l, store) => logged("duplicates", l.duplicates(store, probe)),
        }
    }

    fn duplicate_pairs(&self, limit: usize) -> Vec<DuplicatePair> {
        match self {
            Book::Memory(ix) => ix.duplicate_pairs(limit),
            Book::Lean(l, store) => logged("duplicate pairs", l.duplicate_pairs(store, limit)),
        }
    }

    fn facets(&self) -> Facets {
        match self {
            Book::Memory(ix) => ix.facets(),
            Book::Lean(l, store) => logged("facets", l.facets(store)),
        }
    }
}

impl crate::modules::ModuleState for State {
    fn load(&self, store: &Store) -> Result<()> {
        self.ensure(store)
    }

    fn changed(&self, app: &Satchel, touched: &BTreeSet<Touched>) -> Result<()> {
        // Not built yet: its build will read these rows as they are now.
        if self.phase() == Phase::Unloaded {
            return Ok(());
        }
        let ids = affected(touched);
        if ids.is_empty() {
            return Ok(());
        }
        if let Some(lean) = self.lean() {
            lean.forget();
            return Ok(());
        }
        app.customers().refresh(&ids)
    }

    fn reload(&self, app: &Satchel) -> Result<()> {
        if self.phase() == Phase::Unloaded {
            return Ok(());
        }
        app.customers().reload()
    }
}

impl Satchel {
    /// Companies and people: see [`Customers`].
    pub fn customers(&self) -> Customers<'_> {
        Customers { app: self, state: &self.modules.customers }
    }
}

/// The customers module's calls, borrowed from the app for the duration of one call.
pub struct Customers<'a> {
    app: &'a Satchel,
    state: &'a State,
}

impl Customers<'_> {
    /// Whether the index has been built (or is being built): a command that never searched or
    /// listed has not paid for it.
    pub fn index_built(&self) -> bool {
        self.state.phase() != Phase::Unloaded
    }

    /// Where the index came from (building it first if it was not built).
    pub fn index_origin(&self) -> IndexOrigin {
        drop(self.state.book(&self.app.store));
        self.state.origin.lock().unwrap_or_else(PoisonError::into_inner).unwrap_or(IndexOrigin::Built)
    }

    /// Live records (not in the trash), from the index.
    pub fn live_count(&self) -> u32 {
        self.state.book(&self.app.store).live_count() as u32
    }

    /// Whether lists and search answer from the in-memory index or, the book being too large for
    /// the memory allowed, from SQLite (slower). Decided when the index is first needed.
    pub fn index_mode(&self) -> IndexMode {
        drop(self.state.book(&self.app.store));
        match self.state.lean() {
            None => IndexMode::InMemory,
            Some(l) => IndexMode::Lean { needed_mb: (l.needed >> 20) as u32, allowed_mb: (l.allowed >> 20) as u32 },
        }
    }

    /// Where the in-memory index's heap goes (empty in lean mode): a diagnostic for benches.
    #[doc(hidden)]
    pub fn index_footprint(&self) -> Vec<(&'static str, usize)> {
        match self.state.book(&self.app.store) {
            Book::Memory(ix) => ix.footprint(),
            Book::Lean(..) => Vec::new(),
        }
    }

    /// Plans the index by these limits instead of this process's (before its first need).
    pub fn set_memory_limits(&self, limits: crate::budget::Limits) {
        *self.state.limits.lock().unwrap_or_else(PoisonError::into_inner) = Some(limits);
    }

    /// Records per slice in lean mode (tests make it small, so that answers cross many slices).
    #[doc(hidden)]
    pub fn set_lean_slice(&self, records: usize) {
        *self.state.lean_chunk.lock().unwrap_or_else(PoisonError::into_inner) = Some(records);
    }

    /// Brings the index up to date for these records (and the people of any company among them:
    /// the index's own company -> people map knows them, so no query is needed per save).
    pub fn refresh(&self, ids: &[String]) -> Result<()> {
        if self.state.phase() == Phase::Unloaded {
            return Ok(()); // its first build will read them
        }
        if let Some(lean) = self.state.lean() {
            lean.forget();
            return Ok(());
        }
        // Many records at once (a page of a first sync): one bulk load beats ~8 lookups each;
        // measured, refreshing 8,000 one by one cost as much as applying their 170,000 changes.
        if ids.len() >= 1000 && ids.len() * 4 >= self.state.index(&self.app.store).len() {
            return self.reload();
        }
        // Read outside the write lock: searches go on while the rows load.
        let all = with_people(&self.state.index(&self.app.store), ids);
        let sources = repo::load_index_sources(&self.app.store, Some(&all))?;
        apply_sources(&mut self.state.index_mut(&self.app.store), &all, sources);
        Ok(())
    }

    /// Writes the index's snapshot if the book changed since the last one (the window calls it
    /// as it closes, so the next start loads instead of rebuilding). Nothing when it was never
    /// built or the book is encrypted.
    pub fn persist(&self) -> Result<()> {
        if self.state.phase() != Phase::Ready || self.app.store.is_encrypted() || self.state.lean().is_some() {
            return Ok(());
        }
        let now = snapshot::current(&self.app.store, 0)?.seq;
        if *self.state.saved.lock().unwrap_or_else(PoisonError::into_inner) != Some(now) {
            self.state.save(&self.app.store, None);
        }
        Ok(())
    }

    /// Takes the form or a reference to it: the IPC command hands over the form it decoded, which
    /// is then cleaned in place rather than copied.
    pub fn create(&self, input: impl Into<CustomerInput>) -> Result<Customer> {
        let id = repo::create(&self.app.store, input.into())?;
        self.app.settle()?;
        repo::get(&self.app.store, &id)
    }

    pub fn update(&self, id: &CustomerId, input: &CustomerInput) -> Result<Customer> {
        repo::update(&self.app.store, id, input)?;
        self.app.settle()?;
        repo::get(&self.app.store, id)
    }

    pub fn delete(&self, id: &CustomerId) -> Result<()> {
        repo::delete(&self.app.store, id)?;
        self.app.settle()
    }

    pub fn restore(&self, id: &CustomerId) -> Result<Customer> {
        repo::restore(&self.app.store, id)?;
        self.app.settle()?;
        repo::get(&self.app.store, id)
    }

    pub fn get(&self, id: &CustomerId) -> Result<Customer> {
        repo::get(&self.app.store, id)
    }

    /// A known customer (live or in the trash), else `NotFound`: answered by the index, no query.
    fn require(&self, id: &CustomerId) -> Result<()> {
        match self.state.book(&self.app.store).get_row(id.as_str()) {
            Some(_) => Ok(()),
            None => Err(CoreError::NotFound { what: "customer", id: id.to_string() }),
        }
    }

    pub fn history(&self, id: &CustomerId) -> Result<Vec<HistoryEntry>> {
        self.require(id)?;
        repo::history(&self.app.store, id, 1000)
    }

    // Activities change a customer's "last activity", which segments filter on: the index hears
    // of each through `settle`, as it would from any module that logged one.
    pub fn log_activity(&self, customer: &CustomerId, input: &activities::ActivityInput) -> Result<activities::Activity> {
        let a = activities::log(&self.app.store, customer, input)?;
        self.app.settle()?;
        Ok(a)
    }

    pub fn update_activity(&self, id: &ids::ActivityId, input: &activities::ActivityInput) -> Result<activities::Activity> {
        let a = activities::update(&self.app.store, id, input)?;
        self.app.settle()?;
        Ok(a)
    }

    pub fn delete_activity(&self, id: &ids::ActivityId) -> Result<()> {
        activities::delete(&self.app.store, id)?;
        self.app.settle()
    }

    pub fn restore_activity(&self, id: &ids::ActivityId) -> Result<activities::Activity> {
        let a = activities::restore(&self.app.store, id)?;
        self.app.settle()?;
        Ok(a)
    }

    pub fn add_attachment(&self, customer: &CustomerId, name: &str, bytes: &[u8]) -> Result<attachments::Attachment> {
        self.app.records().add_attachment(&super::record(customer), name, bytes)
    }

    pub fn attachments(&self, customer: &CustomerId) -> Result<Vec<attachments::Attachment>> {
        self.app.records().attachments(&super::record(customer))
    }

    /// The stored file, for the system's viewer.
    pub fn attachment_path(&self, id: &ids::AttachmentId) -> Result<std::path::PathBuf> {
        self.app.records().attachment_path(id)
    }

    pub fn delete_attachment(&self, id: &ids::AttachmentId) -> Result<()> {
        self.app.records().delete_attachment(id)
    }

    pub fn restore_attachment(&self, id: &ids::AttachmentId) -> Result<attachments::Attachment> {
        self.app.records().restore_attachment(id)
    }

    /// Saved segments with their live counts.
    pub fn segments(&self) -> Result<Vec<segments::Segment>> {
        let mut list = segments::list(&self.app.store)?;
        let queries: Vec<ListQuery> = list.iter().map(|s| s.filter.query()).collect();
        for (s, count) in list.iter_mut().zip(self.state.book(&self.app.store).totals(&queries)) {
            s.count = count;
        }
        Ok(list)
    }

    /// One segment with its count (only its own filter is counted).
    fn segment(&self, id: &ids::SegmentId) -> Result<segments::Segment> {
        let mut s = segments::list(&self.app.store)?
            .into_iter()
            .find(|s| &s.id == id)
            .ok_or_else(|| CoreError::NotFound { what: "segment", id: id.to_string() })?;
        s.count = self.state.book(&self.app.store).totals(&[s.filter.query()])[0];
        Ok(s)
    }

    pub fn create_segment(&self, name: &str, filter: &segments::SegmentFilter) -> Result<segments::Segment> {
        let id = segments::create(&self.app.store, name, filter)?;
        self.app.settle()?;
        self.segment(&id)
    }

    pub fn update_segment(&self, id: &ids::SegmentId, name: &str, filter: &segments::SegmentFilter) -> Result<segments::Segment> {
        segments::update(&self.app.store, id, name, filter)?;
        self.app.settle()?;
        self.segment(id)
    }

    pub fn delete_segment(&self, id: &ids::SegmentId) -> Result<()> {
        segments::delete(&self.app.store, id)?;
        self.app.settle()
    }

    pub fn restore_segment(&self, id: &ids::SegmentId) -> Result<segments::Segment> {
        segments::restore(&self.app.store, id)?;
        self.app.settle()?;
        self.segment(id)
    }

    /// One page of a customer's timeline (activities and field changes), newest first.
    pub fn timeline(&self, id: &CustomerId, before: Option<&str>, limit: u32) -> Result<activities::TimelinePage> {
        self.require(id)?;
        activities::timeline(&self.app.store, id, before, limit)
    }

    pub fn list(&self, q: &ListQuery) -> ListPage {
        self.state.book(&self.app.store).list(q)
    }

    pub fn search(&self, text: &str, kind: Option<CustomerKind>, limit: u32) -> Vec<SearchHit> {
        self.state.book(&self.app.store).search(text, kind, limit.min(200) as usize)
    }

    /// Records that look like the form being typed (same email, same phone, close name at the same
    /// company); `editing` is the record the form edits, never its own duplicate.
    pub fn possible_duplicates(&self, input: &CustomerInput, editing: Option<&CustomerId>) -> Vec<DuplicateHint> {
        let emails: Vec<String> = input.emails.iter().map(|e| e.value.clone()).collect();
        let phones: Vec<String> = input.phones.iter().map(|p| p.value.clone()).collect();
        self.state.book(&self.app.store).duplicates(&DuplicateProbe {
            kind: input.kind,
            name: &input.name,
            company_id: input.company_id.as_ref().map(|c| c.as_str()),
            emails: &emails,
            phones: &phones,
            exclude: editing.map(|e| e.as_str()),
        })
    }

    /// Likely duplicate pairs across all live records, strongest reason first per pair.
    pub fn duplicate_pairs(&self, limit: u32) -> Vec<DuplicatePair> {
        let mut pairs = self.state.book(&self.app.store).duplicate_pairs(limit.min(10_000) as usize);
        // Each card shows its own writing of the shared value, even when it is not the record's
        // first email or phone (the only ones a list row carries).
        let own = |c: &rusqlite::Connection, table: &str, id: &CustomerId, matched: &str| -> Result<Option<String>> {
            let mut st =
                c.prepare_cached(&format!("SELECT value FROM {table} WHERE customer_id = ?1 AND deleted_at IS NULL ORDER BY position"))?;
            let values: Vec<String> = st.query_map([id.as_str()], |r| r.get(0))?.collect::<Result<_, _>>()?;
            Ok(values.into_iter().find(|v| match table {
                "customer_emails" => v.trim().to_lowercase() == matched,
                _ => super::validate::normalize_phone(v) == matched,
            }))
        };
        let filled = self.app.store.read(|c| {
            for p in pairs.iter_mut() {
                let table = match p.reason {
                    DuplicateReason::SameEmail => "customer_emails",
                    DuplicateReason::SamePhone => "customer_phones",
                    DuplicateReason::SimilarName => continue,
                };
                p.a_shared = own(c, table, &p.a.id, &p.matched)?.unwrap_or_else(|| p.matched.clone());
                p.b_shared = own(c, table, &p.b.id, &p.matched)?.unwrap_or_else(|| p.matched.clone());
            }
            Ok(())
        });
        if let Err(e) = filled {
            // The pairs stand without it; the cards then show the compared form.
            log::warn!("duplicate pairs: {e}");
        }
        pairs
    }

    pub fn facets(&self) -> Facets {
        self.state.book(&self.app.store).facets()
    }

    pub fn custom_fields(&self) -> Result<Vec<fields::CustomField>> {
        fields::list(&self.app.store, &super::CUSTOMER)
    }

    pub fn create_custom_field(&self, input: &fields::CustomFieldInput) -> Result<fields::CustomField> {
        let id = fields::create(&self.app.store, &super::CUSTOMER, input)?;
        self.custom_field(&id)
    }

    pub fn update_custom_field(&self, id: &ids::FieldId, input: &fields::CustomFieldInput) -> Result<fields::CustomField> {
        fields::update(&self.app.store, id, input)?;
        // Search reads text fields' values; a relabel changes nothing there, a scope change may.
        self.reload()?;
        self.custom_field(id)
    }

    fn custom_field(&self, id: &ids::FieldId) -> Result<fields::CustomField> {
        self.custom_fields()?
            .into_iter()
            .find(|f| &f.id == id)
            .ok_or_else(|| CoreError::NotFound { what: "custom field", id: id.to_string() })
    }

    /// How many live records hold a value for the field (asked before removing it).
    pub fn custom_field_usage(&self, id: &ids::FieldId) -> Result<u32> {
        fields::usage(&self.app.store, id)
    }

    /// Hides a field; its values stay stored and in history.
    pub fn remove_custom_field(&self, id: &ids::FieldId) -> Result<()> {
        fields::remove(&self.app.store, id)?;
        self.reload()
    }

    pub fn restore_custom_field(&self, id: &ids::FieldId) -> Result<fields::CustomField> {
        fields::restore(&self.app.store, id)?;
        self.reload()?;
        self.custom_field(id)
    }

    /// Merges `other` into `keep` with the user's field choices; see [`customers::merge`].
    pub fn merge(&self, keep: &CustomerId, other: &CustomerId, choices: &merge::MergeChoices) -> Result<merge::MergeOutcome> {
        let (undo_token, moved_activities, moved_people) = merge::merge(&self.app.store, keep, other, choices)?;
        self.app.settle()?;
        Ok(merge::MergeOutcome { survivor: repo::get(&self.app.store, keep)?, undo_token, moved_activities, moved_people })
    }

    /// Reverts a merge: the absorbed record, its parts, activities and people return.
    pub fn undo_merge(&self, token: &str) -> Result<()> {
        merge::undo(&self.app.store, token)?;
        self.app.settle()
    }

    /// What the import dialog shows first: format, encoding, sample rows and suggested mapping.
    pub fn import_preview(&self, file: &transfer::ImportFile) -> Result<transfer::ImportPreview> {
        Ok(file.preview(&self.custom_fields()?, self.app.locale()))
    }

    /// Checks an import: every row validated, ids matched, companies resolved. Writes nothing.
    pub fn import_check(&self, file: &transfer::ImportFile, mapping: Option<&[transfer::csv::ColumnMap]>) -> Result<transfer::ImportPlan> {
        let read = file.read(mapping, &self.custom_fields()?, self.app.locale())?;
        transfer::plan(&self.app.store, read, self.app.locale())
    }

    /// Writes a checked import in one transaction (all or nothing), then brings the index up to
    /// date: a few records are patched in; for a large import a new index is built on the other
    /// core while the rows are written (from the database as it was, overlaid with the plan's
    /// records) and swapped in when the write commits.
    pub fn import_commit(
        &self,
        plan: &transfer::ImportPlan,
        cancel: &std::sync::atomic::AtomicBool,
        progress: &mut dyn FnMut(u32, u32),
    ) -> Result<transfer::ImportSummary> {
        if plan.check().valid as usize <= transfer::LARGE_IMPORT {
            let (summary, ()) = transfer::commit(&self.app.store, plan, cancel, progress, || ())?;
            self.app.settle()?;
            return Ok(summary);
        }
        self.state.ensure(&self.app.store)?; // so no first build that read the book before the import can land after it
        if let Some(lean) = self.state.lean() {
            // No index to build beside the write: the next question reads the book as imported.
            let (summary, ()) = transfer::commit(&self.app.store, plan, cancel, progress, || ())?;
            self.app.forget_touched();
            lean.forget();
            return Ok(summary);
        }
        let (summary, built) = transfer::commit(&self.app.store, plan, cancel, progress, || -> Result<CustomerIndex> {
            let mut sources = repo::load_index_sources(&self.app.store, None)?;
            let at: std::collections::HashMap<String, usize> = sources.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
            for mut fresh in plan.index_sources(store::now_ms() as i64) {
                match at.get(&fresh.id) {
                    Some(&i) => {
                        // An import does not touch activities; an unchanged record keeps its time,
                        // as the store does (nothing is written).
                        fresh.last_activity_ms = sources[i].last_activity_ms;
                        if sources[i] != (repo::IndexSource { updated_ms: sources[i].updated_ms, ..fresh.clone() }) {
                            sources[i] = fresh;
                        }
                    }
                    None => sources.push(fresh),
                }
            }
            Ok(CustomerIndex::build(sources))
        })?;
        *self.state.index_mut(&self.app.store) = built?;
        // The new index has every imported row; the other modules keep nothing of customers'
        // tables, so there is nothing left to tell.
        self.app.forget_touched();
        Ok(summary)
    }

    /// The customers of a list view (its filters and order, every row, not one page) as a file.
    /// The export is recorded for the server's audit trail (`sync::exports`).
    pub fn export(&self, query: &ListQuery, format: transfer::ExportFormat) -> Result<(Vec<u8>, u32)> {
        let ids = self.state.book(&self.app.store).list_ids(&ListQuery { trash: false, ..query.clone() });
        let customers = repo::load_live(&self.app.store, Some(&ids))?;
        let bytes = format.write(&customers, &self.custom_fields()?);
        let count = customers.len() as u32;
        // Recorded here, once the file's bytes exist, rather than by each caller after it writes
        // them: both callers (the desktop's `export_customers`, the CLI's `export`) write the
        // bytes straight after, so the record is as true, and a new caller cannot forget it.
        // A write that then fails still counts: the customers did leave the book, and an audit
        // trail had better say so once too often than once too few. (An export that cannot be
        // recorded is refused: the book's own database failing, the file would hardly be written.)
        crate::sync::exports::record(&self.app.store, &format!("customers.{}", format.extension()), count)?;
        Ok((bytes, count))
    }

    /// Makes a value that lost a concurrent edit the current one again (`HistoryEntry::restore`).
    pub fn restore_lost_value(&self, token: &str) -> Result<()> {
        crate::records::history::restore_lost(&self.app.store, token)?;
        self.app.settle()
    }

    /// Rebuilds the customer index from the database (after a bulk load).
    pub fn reload(&self) -> Result<()> {
        if self.state.phase() == Phase::Unloaded {
            return Ok(()); // built fresh on first need
        }
        if let Some(lean) = self.state.lean() {
            lean.forget();
            return Ok(());
        }
        let index = CustomerIndex::build(repo::load_index_sources(&self.app.store, None)?);
        let old = std::mem::replace(&mut *self.state.index_mut(&self.app.store), index);
        // Freeing a large index takes tens of milliseconds: not under the lock every list and
        // search waits on, and not on the caller's time (the end of a sync).
        std::thread::spawn(move || drop(old));
        Ok(())
    }
}
