//! Lean mode: the customers module's answers for a book whose index would not fit in the memory
//! Satchel may use (`crate::budget`).
//!
//! Nothing is kept of the records. Each question reads the book from SQLite a slice at a time
//! (`CHUNK` records by id, with the companies their people name), builds a small
//! [`CustomerIndex`] of the slice, asks it the same question and merges the slices' answers by
//! keys the index gives for that (`list_keyed`, `search_keyed`). So every answer is the in-memory
//! index's own, exact and ranked the same, and the memory a question takes is two slices'; it
//! costs a pass over the book (seconds at 100,000 records) instead of a millisecond.
//!
//! A list's order (its ids only, 16-40 bytes a record) is kept per query until the next change, so
//! scrolling reads just the page's rows. Finding every duplicate pair needs the whole book's
//! names, emails and phones at once: an index of those alone, built for the question and freed.

use super::index::{CustomerIndex, DuplicateProbe, ListKey, RankKey};
use super::repo::{self, IndexSource};
use super::*;
use crate::error::{CoreError, Result};
use crate::store::Store;
use rustc_hash::FxHashSet;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

/// Records in one slice: a slice's small index takes about 12 MB (two are in memory at once, one
/// read while the other is asked).
pub(super) const CHUNK: usize = 5_000;

/// Orders kept for scrolling: the list's current one and a few recent (a filter switched back).
const KEPT_ORDERS: usize = 4;

pub(super) struct Lean {
    /// What the in-memory index was estimated to need, and what was allowed (bytes).
    pub needed: u64,
    pub allowed: u64,
    chunk: usize,
    /// Recent list orders by query (see [`order_key`]), ids ascending; emptied by any change.
    orders: Mutex<Vec<(String, Arc<Vec<String>>)>>,
    /// Held while an order is worked out: the list asks for several pages at once, and each
    /// would otherwise make its own pass over the book.
    ordering: Mutex<()>,
    /// Counts of list queries (saved views), by query, until the next change.
    counts: Mutex<std::collections::HashMap<String, u32>>,
    /// Counts changes: an order worked out across one is used once, not kept.
    changes: std::sync::atomic::AtomicU64,
}

/// A slice's small index and the ids it was read for (the companies added for their people's
/// sake are in the index but answered by their own slice).
struct Slice {
    ix: CustomerIndex,
    own: FxHashSet<String>,
}

impl Slice {
    /// These records.
    fn read(store: &Store, ids: &[String]) -> Result<Self> {
        Ok(Self::build(with_companies(store, repo::load_index_sources(store, Some(ids))?)?))
    }

    fn build((sources, own): (Vec<IndexSource>, FxHashSet<String>)) -> Self {
        Slice { ix: CustomerIndex::build(sources), own }
    }

    fn owns(&self, id: &str) -> bool {
        self.own.contains(id)
    }
}

/// `sources` with the companies their people name (a person's row shows its company's name and
/// is found by it), and the ids of `sources` themselves.
fn with_companies(store: &Store, mut sources: Vec<IndexSource>) -> Result<(Vec<IndexSource>, FxHashSet<String>)> {
    let own: FxHashSet<String> = sources.iter().map(|s| s.id.clone()).collect();
    let mut companies: Vec<String> = sources.iter().filter_map(|s| s.company_id.clone()).filter(|c| !own.contains(c)).collect();
    companies.sort_unstable();
    companies.dedup();
    if !companies.is_empty() {
        sources.extend(repo::load_index_sources(store, Some(&companies))?);
    }
    Ok((sources, own))
}

/// What duplicate pairs compare, and nothing else.
fn stripped(s: IndexSource) -> IndexSource {
    IndexSource {
        id: s.id,
        kind: s.kind,
        name: s.name,
        company_id: s.company_id,
        deleted_at: s.deleted_at,
        emails: s.emails,
        phones: s.phones,
        stage: s.stage,
        ..Default::default()
    }
}

/// A list query's key for its kept order: everything but the page, and the day for "no
/// activity in N days" (it moves with the clock).
fn order_key(q: &ListQuery) -> String {
    let base = ListQuery { offset: 0, limit: 0, descending: false, ..q.clone() };
    let day = q.inactive_days.map(|_| crate::store::now_ms() / 86_400_000);
    format!("{}@{day:?}", serde_json::to_string(&base).unwrap_or_default())
}

impl Lean {
    pub fn with_chunk(needed: u64, allowed: u64, chunk: usize) -> Self {
        Lean {
            needed,
            allowed,
            chunk: chunk.max(1),
            orders: Mutex::default(),
            ordering: Mutex::default(),
            counts: Mutex::default(),
            changes: Default::default(),
        }
    }

    /// The book changed: kept orders may be wrong.
    pub fn forget(&self) {
        self.changes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.orders.lock().unwrap_or_else(PoisonError::into_inner).clear();
        self.counts.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// Calls `f` with each slice of the book in turn, by id. The next slice is read from SQLite
    /// on another thread while this one's index is built and asked: the two take about as long,
    /// and a laptop has two cores.
    fn each_slice(&self, store: &Store, mut f: impl FnMut(&Slice)) -> Result<()> {
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<_>>(1);
            scope.spawn(move || {
                let read = self.each_range(store, |after, upto| {
                    let slice = with_companies(store, repo::load_index_sources_between(store, after, upto)?)?;
                    // The asking side stopped (an error): so does the reading.
                    tx.send(Ok(slice)).map_err(|_| CoreError::Internal("lean slices: nobody asking".into()))
                });
                if let Err(e) = read {
                    let _ = tx.send(Err(e));
                }
            });
            for slice in rx {
                f(&Slice::build(slice?));
            }
            Ok(())
        })
    }

    /// Calls `f` with the bounds of each slice of the book in turn (ids after the first, up to
    /// the second).
    fn each_range(&self, store: &Store, mut f: impl FnMut(&str, &str) -> Result<()>) -> Result<()> {
        let mut after = String::new();
        loop {
            // Only the slice's bounds: its rows are read by range, so its ids need not be fetched.
            let (last, n): (Option<String>, i64) = store.read(|c| {
                let mut st = c.prepare_cached(
                    "SELECT max(id), count(*) FROM (SELECT id FROM customers
                     WHERE name <> '' AND merged_into IS NULL AND id > ?1 ORDER BY id LIMIT ?2)",
                )?;
                Ok(st.query_row(rusqlite::params![after, self.chunk as i64], |r| Ok((r.get(0)?, r.get(1)?)))?)
            })?;
            let Some(last) = last else { return Ok(()) };
            f(&after, &last)?;
            after = last;
            if (n as usize) < self.chunk {
                return Ok(());
            }
        }
    }

    /// The ids a list query keeps, ascending in its order.
    fn order(&self, store: &Store, q: &ListQuery) -> Result<Arc<Vec<String>>> {
        let key = order_key(q);
        let kept =
            || self.orders.lock().unwrap_or_else(PoisonError::into_inner).iter().find(|(k, _)| *k == key).map(|(_, ids)| ids.clone());
        if let Some(ids) = kept() {
            return Ok(ids);
        }
        let _one = self.ordering.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(ids) = kept() {
            return Ok(ids); // worked out while this one waited
        }
        let changes = self.changes.load(std::sync::atomic::Ordering::SeqCst);
        let mut all: Vec<(ListKey, String)> = Vec::new();
        self.each_slice(store, |s| all.extend(s.ix.list_keyed(q).into_iter().filter(|(_, id)| s.owns(id))))?;
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let ids = Arc::new(all.into_iter().map(|(_, id)| id).collect::<Vec<_>>());
        let mut kept = self.orders.lock().unwrap_or_else(PoisonError::into_inner);
        if self.changes.load(std::sync::atomic::Ordering::SeqCst) != changes {
            return Ok(ids); // the book changed while it was read: right for this question at most
        }
        kept.retain(|(k, _)| *k != key);
        kept.insert(0, (key, ids.clone()));
        kept.truncate(KEPT_ORDERS);
        Ok(ids)
    }

    /// These records' rows, in this order (those gone since are left out).
    fn rows(&self, store: &Store, ids: &[String]) -> Result<Vec<CustomerRow>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let slice = Slice::read(store, ids)?;
        Ok(ids.iter().filter_map(|id| slice.ix.get_row(id)).collect())
    }

    pub fn list(&self, store: &Store, q: &ListQuery) -> Result<ListPage> {
        let ids = self.order(store, q)?;
        let total = ids.len();
        // As the in-memory index pages (`CustomerIndex::list`).
        let (offset, limit) = ((q.offset as usize).min(total), q.limit.min(1000) as usize);
        let end = (offset + limit).min(total);
        let page: Vec<String> =
            if q.descending { ids[total - end..total - offset].iter().rev().cloned().collect() } else { ids[offset..end].to_vec() };
        Ok(ListPage { total: total as u32, offset: q.offset, rows: self.rows(store, &page)? })
    }

    pub fn list_ids(&self, store: &Store, q: &ListQuery) -> Result<Vec<String>> {
        let ids = self.order(store, q)?;
        Ok(if q.descending { ids.iter().rev().cloned().collect() } else { ids.to_vec() })
    }

    /// How many records each query keeps, in one pass (a list of saved segments).
    /// Counts are kept like orders (the list of saved views asks again after every save); a query
    /// whose order is kept is counted by it.
    pub fn totals(&self, store: &Store, queries: &[ListQuery]) -> Result<Vec<u32>> {
        let keys: Vec<String> = queries.iter().map(order_key).collect();
        let known = |key: &String| {
            let orders = self.orders.lock().unwrap_or_else(PoisonError::into_inner);
            let counted = self.counts.lock().unwrap_or_else(PoisonError::into_inner).get(key).copied();
            counted.or_else(|| orders.iter().find(|(k, _)| k == key).map(|(_, ids)| ids.len() as u32))
        };
        let mut totals: Vec<Option<u32>> = keys.iter().map(known).collect();
        let missing: Vec<usize> = (0..queries.len()).filter(|&i| totals[i].is_none()).collect();
        if !missing.is_empty() {
            let changes = self.changes.load(std::sync::atomic::Ordering::SeqCst);
            let mut counted = vec![0u32; missing.len()];
            self.each_slice(store, |s| {
                for (total, &i) in counted.iter_mut().zip(&missing) {
                    *total += s.ix.list_ids(&queries[i]).iter().filter(|id| s.owns(id)).count() as u32;
                }
            })?;
            let mut kept = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
            let unchanged = self.changes.load(std::sync::atomic::Ordering::SeqCst) == changes;
            for (total, &i) in counted.into_iter().zip(&missing) {
                totals[i] = Some(total);
                if unchanged {
                    kept.insert(keys[i].clone(), total);
                }
            }
        }
        Ok(totals.into_iter().map(Option::unwrap_or_default).collect())
    }

    pub fn search(&self, store: &Store, text: &str, kind: Option<CustomerKind>, limit: usize) -> Result<Vec<SearchHit>> {
        if text.trim().is_empty() || limit == 0 {
            return Ok(vec![]);
        }
        let mut best: Vec<(RankKey, SearchHit)> = Vec::new();
        self.each_slice(store, |s| {
            // Asked for as many more as the slice holds others' companies, so its own best
            // `limit` are all there after those are dropped.
            let more = s.ix.len() - s.own.len();
            best.extend(s.ix.search_keyed(text, kind, limit + more).into_iter().filter(|(_, h)| s.owns(h.row.id.as_str())));
            best.sort_by(|a, b| a.0.cmp(&b.0));
            best.truncate(limit);
        })?;
        Ok(best.into_iter().map(|(_, hit)| hit).collect())
    }

    pub fn live_count(&self, store: &Store) -> Result<usize> {
        store.read(|c| {
            Ok(c.query_row("SELECT count(*) FROM customers WHERE name <> '' AND merged_into IS NULL AND deleted_at IS NULL", [], |r| {
                r.get::<_, i64>(0)
            })? as usize)
        })
    }

    pub fn get_row(&self, store: &Store, id: &str) -> Result<Option<CustomerRow>> {
        Ok(self.rows(store, &[id.to_string()])?.pop())
    }

    pub fn facets(&self, store: &Store) -> Result<Facets> {
        let (mut owners, mut tags) = (BTreeSet::new(), BTreeSet::new());
        self.each_slice(store, |s| {
            let f = s.ix.facets();
            owners.extend(f.owners);
            tags.extend(f.tags);
        })?;
        Ok(Facets { owners: owners.into_iter().collect(), tags: tags.into_iter().collect() })
    }

    /// The form's likely duplicates from every slice: emails first, then phones, then names, as
    /// the in-memory index gives them; at most ten.
    pub fn duplicates(&self, store: &Store, probe: &DuplicateProbe<'_>) -> Result<Vec<DuplicateHint>> {
        let mut out: Vec<DuplicateHint> = Vec::new();
        self.each_slice(store, |s| {
            for h in s.ix.duplicates(probe) {
                if s.owns(h.row.id.as_str()) && !out.iter().any(|o| o.row.id == h.row.id) {
                    out.push(h);
                }
            }
        })?;
        let rank = |r: DuplicateReason| match r {
            DuplicateReason::SameEmail => 0,
            DuplicateReason::SamePhone => 1,
            DuplicateReason::SimilarName => 2,
        };
        out.sort_by_key(|h| rank(h.reason));
        out.truncate(10);
        Ok(out)
    }

    /// Every likely duplicate pair, from an index of the whole book's names, emails and phones
    /// (pairs cross slices); the pairs' rows read whole.
    pub fn duplicate_pairs(&self, store: &Store, limit: usize) -> Result<Vec<DuplicatePair>> {
        let mut light = Vec::new();
        self.each_range(store, |after, upto| {
            let live = repo::load_index_sources_between(store, after, upto)?.into_iter().filter(|s| s.deleted_at.is_none());
            light.extend(live.map(stripped));
            Ok(())
        })?;
        let mut pairs = CustomerIndex::build(light).duplicate_pairs(limit);
        let mut wanted: Vec<String> = pairs.iter().flat_map(|p| [p.a.id.0.clone(), p.b.id.0.clone()]).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let whole = Slice::read(store, &wanted)?;
        for p in &mut pairs {
            for row in [&mut p.a, &mut p.b] {
                if let Some(r) = whole.ix.get_row(row.id.as_str()) {
                    *row = r;
                }
            }
        }
        Ok(pairs)
    }
}
