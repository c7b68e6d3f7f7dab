//! satchel-core: the domain and the local store of Satchel, the offline-first CRM.
//!
//! [`Satchel`] is the one API surface every shell calls: the Tauri app, the `satchel` CLI, tests
//! and benchmarks. It owns the [`store::Store`] (SQLite, one write door, change log with hybrid
//! logical clocks) and the in-memory indexes that answer search and list queries. Nothing here
//! knows about windows, IPC or networks.

pub mod customers;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod store;
pub mod sync;
pub mod time;

use customers::index::CustomerIndex;
use customers::transfer;
use customers::*;
use customers::{attachments, fields, merge, segments};
use error::{CoreError, Result};
use i18n::Locale;
use ids::CustomerId;
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use store::{Profile, Store};

pub use error::AppError;
/// The SQLite binding the store is built on, for tests and tools that need raw access.
pub use rusqlite;
/// Clocks, as the protocol crate defines them (the server uses the same).
pub use satchel_proto::hlc;

/// Facts about this installation the settings page shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub site_id: String,
    pub author: String,
    pub device: String,
    pub locale: Locale,
    pub customer_count: u32,
}

pub struct Satchel {
    store: Store,
    customers: RwLock<CustomerIndex>,
    /// Whether `customers` holds the database's records yet (see [`Satchel::open_in_background`]).
    ready: (Mutex<bool>, Condvar),
    locale: RwLock<Locale>,
}

impl Satchel {
    /// Opens the database (creating and migrating it as needed) and loads the indexes.
    pub fn open(path: impl AsRef<Path>, profile: Profile) -> Result<Self> {
        let store = Store::open(path, profile)?;
        let index = CustomerIndex::build(repo::load_index_sources(&store, None)?);
        Ok(Self { store, customers: RwLock::new(index), ready: (Mutex::new(true), Condvar::new()), locale: RwLock::new(Locale::default()) })
    }

    /// Opens the database now and builds the indexes on another thread, so a window can appear at
    /// once (about 2 s are saved at 100,000 customers). Calls that need the index wait for it.
    pub fn open_in_background(path: impl AsRef<Path>, profile: Profile) -> Result<Arc<Self>> {
        let store = Store::open(path, profile)?;
        let app = Arc::new(Self {
            store,
            customers: RwLock::new(CustomerIndex::default()),
            ready: (Mutex::new(false), Condvar::new()),
            locale: RwLock::new(Locale::default()),
        });
        let builder = app.clone();
        std::thread::Builder::new().name("satchel-index".into()).spawn(move || {
            let start = std::time::Instant::now();
            match repo::load_index_sources(&builder.store, None) {
                Ok(sources) => *builder.customers.write().unwrap_or_else(PoisonError::into_inner) = CustomerIndex::build(sources),
                Err(e) => log::error!("building the customer index failed: {e}"),
            }
            log::info!("customer index ready in {:.2} s", start.elapsed().as_secs_f64());
            *builder.ready.0.lock().unwrap_or_else(PoisonError::into_inner) = true;
            builder.ready.1.notify_all();
        })?;
        Ok(app)
    }

    fn wait_ready(&self) {
        let mut ready = self.ready.0.lock().unwrap_or_else(PoisonError::into_inner);
        while !*ready {
            ready = self.ready.1.wait(ready).unwrap_or_else(PoisonError::into_inner);
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn locale(&self) -> Locale {
        *self.locale.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_locale(&self, l: Locale) {
        *self.locale.write().unwrap_or_else(PoisonError::into_inner) = l;
    }

    fn index(&self) -> RwLockReadGuard<'_, CustomerIndex> {
        self.wait_ready();
        self.customers.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for the first build too, so an edit can never be overwritten by a build that read the
    /// database before it.
    fn index_mut(&self) -> RwLockWriteGuard<'_, CustomerIndex> {
        self.wait_ready();
        self.customers.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Brings the index up to date for these records (and the people of any company among them:
    /// the index's own company -> people map knows them, so no query is needed per save).
    pub fn refresh(&self, ids: &[String]) -> Result<()> {
        // Many records at once (a page of a first sync): one bulk load beats ~8 lookups each;
        // measured, refreshing 8,000 one by one cost as much as applying their 170,000 changes.
        if ids.len() >= 1000 && ids.len() * 4 >= self.index().len() {
            return self.reload();
        }
        let mut all: Vec<String> = ids.to_vec();
        {
            let ix = self.index();
            for id in ids {
                all.extend(ix.people_of(id));
            }
        }
        all.sort();
        all.dedup();
        let sources = repo::load_index_sources(&self.store, Some(&all))?;
        // Companies first, so their people pick up the new company name.
        let (companies, people): (Vec<_>, Vec<_>) = sources.into_iter().partition(|s| s.kind == "company");
        let mut ix = self.index_mut();
        let found: std::collections::HashSet<String> = companies.iter().chain(people.iter()).map(|s| s.id.clone()).collect();
        for id in all.iter().filter(|id| !found.contains(*id)) {
            ix.remove(id);
        }
        for s in companies.into_iter().chain(people) {
            ix.upsert(s);
        }
        Ok(())
    }

    /// Takes the form or a reference to it: the IPC command hands over the form it decoded, which
    /// is then cleaned in place rather than copied.
    pub fn create_customer(&self, input: impl Into<CustomerInput>) -> Result<Customer> {
        let id = repo::create(&self.store, input.into())?;
        self.refresh(std::slice::from_ref(&id.0))?;
        repo::get(&self.store, &id)
    }

    pub fn update_customer(&self, id: &CustomerId, input: &CustomerInput) -> Result<Customer> {
        repo::update(&self.store, id, input)?;
        self.refresh(std::slice::from_ref(&id.0))?;
        repo::get(&self.store, id)
    }

    pub fn delete_customer(&self, id: &CustomerId) -> Result<()> {
        repo::delete(&self.store, id)?;
        self.refresh(std::slice::from_ref(&id.0))
    }

    pub fn restore_customer(&self, id: &CustomerId) -> Result<Customer> {
        repo::restore(&self.store, id)?;
        self.refresh(std::slice::from_ref(&id.0))?;
        repo::get(&self.store, id)
    }

    pub fn get_customer(&self, id: &CustomerId) -> Result<Customer> {
        repo::get(&self.store, id)
    }

    /// A known customer (live or in the trash), else `NotFound`: answered by the index, no query.
    fn require_customer(&self, id: &CustomerId) -> Result<()> {
        match self.index().get_row(id.as_str()) {
            Some(_) => Ok(()),
            None => Err(CoreError::NotFound { what: "customer", id: id.to_string() }),
        }
    }

    pub fn customer_history(&self, id: &CustomerId) -> Result<Vec<HistoryEntry>> {
        self.require_customer(id)?;
        repo::history(&self.store, id, 1000)
    }

    // Activities change a customer's "last activity", which segments filter on: each refreshes it.
    pub fn log_activity(&self, customer: &CustomerId, input: &activities::ActivityInput) -> Result<activities::Activity> {
        let a = activities::log(&self.store, customer, input)?;
        self.refresh(std::slice::from_ref(&a.customer_id.0))?;
        Ok(a)
    }

    pub fn update_activity(&self, id: &ids::ActivityId, input: &activities::ActivityInput) -> Result<activities::Activity> {
        let a = activities::update(&self.store, id, input)?;
        self.refresh(std::slice::from_ref(&a.customer_id.0))?;
        Ok(a)
    }

    pub fn delete_activity(&self, id: &ids::ActivityId) -> Result<()> {
        let customer = activities::get(&self.store, id).ok().map(|a| a.customer_id.0);
        activities::delete(&self.store, id)?;
        self.refresh(&customer.into_iter().collect::<Vec<_>>())
    }

    pub fn restore_activity(&self, id: &ids::ActivityId) -> Result<activities::Activity> {
        let a = activities::restore(&self.store, id)?;
        self.refresh(std::slice::from_ref(&a.customer_id.0))?;
        Ok(a)
    }

    pub fn add_attachment(&self, customer: &CustomerId, name: &str, bytes: &[u8]) -> Result<attachments::Attachment> {
        attachments::add(&self.store, customer, name, bytes)
    }

    pub fn attachments(&self, customer: &CustomerId) -> Result<Vec<attachments::Attachment>> {
        self.require_customer(customer)?;
        attachments::list(&self.store, customer)
    }

    /// The stored file, for the system's viewer.
    pub fn attachment_path(&self, id: &ids::AttachmentId) -> Result<std::path::PathBuf> {
        attachments::path(&self.store, id)
    }

    pub fn delete_attachment(&self, id: &ids::AttachmentId) -> Result<()> {
        attachments::delete(&self.store, id)
    }

    pub fn restore_attachment(&self, id: &ids::AttachmentId) -> Result<attachments::Attachment> {
        attachments::restore(&self.store, id)
    }

    /// Saved segments with their live counts.
    pub fn segments(&self) -> Result<Vec<segments::Segment>> {
        let mut list = segments::list(&self.store)?;
        let ix = self.index();
        for s in &mut list {
            s.count = ix.list(&ListQuery { limit: 0, ..s.filter.query() }).total;
        }
        Ok(list)
    }

    /// One segment with its count (only its own filter is counted).
    fn segment(&self, id: &ids::SegmentId) -> Result<segments::Segment> {
        let mut s = segments::list(&self.store)?
            .into_iter()
            .find(|s| &s.id == id)
            .ok_or_else(|| CoreError::NotFound { what: "segment", id: id.to_string() })?;
        s.count = self.index().list(&ListQuery { limit: 0, ..s.filter.query() }).total;
        Ok(s)
    }

    pub fn create_segment(&self, name: &str, filter: &segments::SegmentFilter) -> Result<segments::Segment> {
        let id = segments::create(&self.store, name, filter)?;
        self.segment(&id)
    }

    pub fn update_segment(&self, id: &ids::SegmentId, name: &str, filter: &segments::SegmentFilter) -> Result<segments::Segment> {
        segments::update(&self.store, id, name, filter)?;
        self.segment(id)
    }

    pub fn delete_segment(&self, id: &ids::SegmentId) -> Result<()> {
        segments::delete(&self.store, id)
    }

    pub fn restore_segment(&self, id: &ids::SegmentId) -> Result<segments::Segment> {
        segments::restore(&self.store, id)?;
        self.segment(id)
    }

    /// One page of a customer's timeline (activities and field changes), newest first.
    pub fn customer_timeline(&self, id: &CustomerId, before: Option<&str>, limit: u32) -> Result<activities::TimelinePage> {
        self.require_customer(id)?;
        activities::timeline(&self.store, id, before, limit)
    }

    pub fn list_customers(&self, q: &ListQuery) -> ListPage {
        self.index().list(q)
    }

    pub fn search_customers(&self, text: &str, kind: Option<CustomerKind>, limit: u32) -> Vec<SearchHit> {
        self.index().search(text, kind, limit.min(200) as usize)
    }

    /// Records that look like the form being typed (same email, same phone, close name at the same
    /// company); `editing` is the record the form edits, never its own duplicate.
    pub fn possible_duplicates(&self, input: &CustomerInput, editing: Option<&CustomerId>) -> Vec<DuplicateHint> {
        let emails: Vec<String> = input.emails.iter().map(|e| e.value.clone()).collect();
        let phones: Vec<String> = input.phones.iter().map(|p| p.value.clone()).collect();
        self.index().duplicates(&customers::index::DuplicateProbe {
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
        self.index().duplicate_pairs(limit.min(10_000) as usize)
    }

    pub fn customer_facets(&self) -> Facets {
        self.index().facets()
    }

    pub fn custom_fields(&self) -> Result<Vec<fields::CustomField>> {
        fields::list(&self.store)
    }

    pub fn create_custom_field(&self, input: &fields::CustomFieldInput) -> Result<fields::CustomField> {
        let id = fields::create(&self.store, input)?;
        self.custom_field(&id)
    }

    pub fn update_custom_field(&self, id: &ids::FieldId, input: &fields::CustomFieldInput) -> Result<fields::CustomField> {
        fields::update(&self.store, id, input)?;
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
        fields::usage(&self.store, id)
    }

    /// Hides a field; its values stay stored and in history.
    pub fn remove_custom_field(&self, id: &ids::FieldId) -> Result<()> {
        fields::remove(&self.store, id)?;
        self.reload()
    }

    pub fn restore_custom_field(&self, id: &ids::FieldId) -> Result<fields::CustomField> {
        fields::restore(&self.store, id)?;
        self.reload()?;
        self.custom_field(id)
    }

    /// Merges `other` into `keep` with the user's field choices; see [`customers::merge`].
    pub fn merge_customers(&self, keep: &CustomerId, other: &CustomerId, choices: &merge::MergeChoices) -> Result<merge::MergeOutcome> {
        let (touched, undo_token, moved_activities, moved_people) = merge::merge(&self.store, keep, other, choices)?;
        self.refresh(&touched)?;
        Ok(merge::MergeOutcome { survivor: repo::get(&self.store, keep)?, undo_token, moved_activities, moved_people })
    }

    /// Reverts a merge: the absorbed record, its parts, activities and people return.
    pub fn undo_merge(&self, token: &str) -> Result<()> {
        let touched = merge::undo(&self.store, token)?;
        self.refresh(&touched)
    }

    /// What the import dialog shows first: format, encoding, sample rows and suggested mapping.
    pub fn import_preview(&self, file: &transfer::ImportFile) -> Result<transfer::ImportPreview> {
        Ok(file.preview(&self.custom_fields()?, self.locale()))
    }

    /// Checks an import: every row validated, ids matched, companies resolved. Writes nothing.
    pub fn import_check(&self, file: &transfer::ImportFile, mapping: Option<&[transfer::csv::ColumnMap]>) -> Result<transfer::ImportPlan> {
        let read = file.read(mapping, &self.custom_fields()?, self.locale())?;
        transfer::plan(&self.store, read, self.locale())
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
            let (summary, ()) = transfer::commit(&self.store, plan, cancel, progress, || ())?;
            self.refresh(&summary.ids)?;
            return Ok(summary);
        }
        self.wait_ready();
        let (summary, built) = transfer::commit(&self.store, plan, cancel, progress, || -> Result<CustomerIndex> {
            let mut sources = repo::load_index_sources(&self.store, None)?;
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
        *self.index_mut() = built?;
        Ok(summary)
    }

    /// Copies the write-ahead log back into the database file (after a large import, off the
    /// path the user waits on).
    pub fn checkpoint(&self) -> Result<()> {
        self.store.checkpoint()
    }

    /// The customers of a list view (its filters and order, every row, not one page) as a file.
    pub fn export_customers(&self, query: &ListQuery, format: transfer::ExportFormat) -> Result<(Vec<u8>, u32)> {
        let ids = self.index().list_ids(&ListQuery { trash: false, ..query.clone() });
        let customers = repo::load_live(&self.store, Some(&ids))?;
        Ok((format.write(&customers, &self.custom_fields()?), customers.len() as u32))
    }

    /// Applies changes from elsewhere (sync, replay) and refreshes what they touched.
    pub fn apply_changes(&self, changes: &[store::Change]) -> Result<store::Applied> {
        let applied = self.store.apply_changes(changes)?;
        self.changed(&applied.touched)?;
        Ok(applied)
    }

    /// Brings each module's in-memory state up to date after rows changed underneath it (a sync
    /// page, a replay): every module is told the rows and picks out its own.
    pub fn changed(&self, touched: &std::collections::BTreeSet<store::Touched>) -> Result<()> {
        if touched.is_empty() {
            return Ok(());
        }
        self.refresh(&customers::affected(touched))
    }

    /// Makes a value that lost a concurrent edit the current one again (`HistoryEntry::restore`).
    pub fn restore_lost_value(&self, token: &str) -> Result<()> {
        let entity = repo::restore_lost(&self.store, token)?;
        self.refresh(&[entity])
    }

    /// Reloads every index from the database (after a bulk load).
    pub fn reload(&self) -> Result<()> {
        let index = CustomerIndex::build(repo::load_index_sources(&self.store, None)?);
        let old = std::mem::replace(&mut *self.index_mut(), index);
        // Freeing a large index takes tens of milliseconds: not under the lock every list and
        // search waits on, and not on the caller's time (the end of a sync).
        std::thread::spawn(move || drop(old));
        Ok(())
    }

    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            db_path: self.store.path().display().to_string(),
            site_id: self.store.site_id().into(),
            author: self.store.profile().author.clone(),
            device: self.store.profile().device.clone(),
            locale: self.locale(),
            customer_count: self.index().live_count() as u32,
        }
    }

    /// The error as the user should read it now.
    pub fn app_error(&self, e: &CoreError) -> AppError {
        e.to_app(self.locale())
    }
}
