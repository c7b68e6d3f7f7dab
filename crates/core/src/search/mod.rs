//! The global search: one question answered from every module's records at once, in memory.
//!
//! Customers keep their own index (`customers/index.rs`, its ranking unchanged). Every other
//! module's searchable records (deals, quotes, contracts, tickets, articles, events) are kept here
//! as [`Doc`]s in one [`RecordIndex`]: a record's title first, then its other searchable fields,
//! lowercased, cut into grams (`grams.rs`). Each module says what its records' docs are, from its
//! own folder (`sales/search.rs`, `service/search.rs`, `calendar/search.rs`).
//!
//! What matches: a record holding every word of the query (each a substring of any of its fields,
//! in any case; Chinese of any length). Order within a module's group: its kinds in their order
//! (deals before quotes and contracts; tickets before articles), then records whose title holds
//! every word, then the kind's own order (deals by title; quotes and contracts newest number
//! first; tickets newest first; articles shortest title first; events latest start first).
//!
//! Why in memory: the window asks at every keystroke, and a keystroke's results must paint
//! within a frame; the modules' searches before this (SQL `LIKE` over quotes, a scan of every
//! ticket and article) took tens of milliseconds at the demo book's scale (docs/benchmarks.md).
//!
//! The index is made on first need (the window makes it as it starts: from its snapshot on disk,
//! `snapshot.rs`, beside the customers; or built from SQLite after them) and follows every
//! change: a write or a sync page names the rows it touched, and the records behind them are read
//! again ([`State::changed`]). A search before it is made waits for it (0.4 s from the snapshot,
//! 1.2-1.6 s built, at the demo book's scale).

pub(crate) mod grams;
pub(crate) mod mapped;
use mapped::Text;
pub mod snapshot;

use crate::customers::api::IndexOrigin;
use crate::customers::snapshot::{self as customer_snapshot, Refused};
use crate::customers::SearchHit;
use crate::error::Result;
use crate::store::{Store, Touched};
use crate::Satchel;
use grams::{grams_of, lists_of, query_grams, renumbered, Gram, Meet, Posting, Slot, SEP};
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Which records a module's loader reads.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every live record.
    All,
    /// The records behind these touched rows of the module's tables (`Touched::id`).
    Rows(&'a [String]),
    /// The records of these customers (a renamed customer: its records match the new name).
    Customers(&'a [String]),
}

/// The module groups of the global search, in the order the window shows them after customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Sales = 0,
    Service = 1,
    Calendar = 2,
}

/// One record as the search sees it. Its strings live in one buffer (one allocation a record,
/// not seven: at 190,000 records that was some 50 MB of allocator overhead).
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub group: Group,
    /// `deal`, `quote`, `contract`, `ticket`, `article`, `event`.
    pub kind: &'static str,
    /// The kind's place within its group (lower first).
    pub rank: u8,
    /// Whether the kind's order key sorts newest (largest) first.
    pub desc: bool,
    /// key, id, title, subtitle, customer id, order key, then the lowercased text (the title as
    /// matched, then the other fields, each after [`SEP`]).
    buf: Text,
    /// Where each of the first six ends in `buf`, and where the text's title part ends.
    ends: [u32; 7],
}

impl Doc {
    /// A doc of `fields`: the first is the title as matched (lowercased here), the others the
    /// rest of what the record is found by. Its key is its kind and id.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        group: Group,
        kind: &'static str,
        rank: u8,
        id: String,
        title: String,
        subtitle: String,
        customer_id: String,
        order: String,
        desc: bool,
        fields: &[&str],
    ) -> Self {
        Self::keyed(format!("{kind}:{id}"), group, kind, rank, &id, &title, &subtitle, &customer_id, &order, desc, fields)
    }

    /// As [`Doc::new`], under a key of its own (a quote is found by its number).
    #[allow(clippy::too_many_arguments)]
    pub fn keyed(
        key: String,
        group: Group,
        kind: &'static str,
        rank: u8,
        id: &str,
        title: &str,
        subtitle: &str,
        customer_id: &str,
        order: &str,
        desc: bool,
        fields: &[&str],
    ) -> Self {
        let mut buf = String::with_capacity(
            key.len()
                + id.len()
                + title.len() * 2
                + subtitle.len()
                + customer_id.len()
                + order.len()
                + fields.iter().map(|f| f.len() + 1).sum::<usize>(),
        );
        let mut ends = [0u32; 7];
        for (i, part) in [key.as_str(), id, title, subtitle, customer_id, order].into_iter().enumerate() {
            buf.push_str(part);
            ends[i] = buf.len() as u32;
        }
        ends[6] = buf.len() as u32;
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                buf.push(SEP);
            }
            // A field holding SEP would let a gram or a word span two fields.
            buf.extend(f.chars().filter(|c| *c != SEP).flat_map(char::to_lowercase));
            if i == 0 {
                ends[6] = buf.len() as u32;
            }
        }
        Self { group, kind, rank, desc, buf: buf.into(), ends }
    }

    fn part(&self, i: usize) -> &str {
        let from = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[from..self.ends[i] as usize]
    }

    pub fn key(&self) -> &str {
        self.part(0)
    }
    pub fn id(&self) -> &str {
        self.part(1)
    }
    pub fn title(&self) -> &str {
        self.part(2)
    }
    pub fn subtitle(&self) -> &str {
        self.part(3)
    }
    pub fn customer_id(&self) -> &str {
        self.part(4)
    }
    pub fn order(&self) -> &str {
        self.part(5)
    }
    /// Lowercased: the title, then the other fields.
    fn text(&self) -> &str {
        &self.buf[self.ends[5] as usize..]
    }
    /// The title part of [`Doc::text`].
    fn title_text(&self) -> &str {
        &self.buf[self.ends[5] as usize..self.ends[6] as usize]
    }
}

/// What a module's loader read: the keys the scope covers (dropped before `docs` go in, so a
/// deleted record leaves), and the live records' docs.
#[derive(Debug, Default)]
pub struct Loaded {
    pub keys: Vec<String>,
    pub docs: Vec<Doc>,
}

/// One found record, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordHit {
    /// `deal`, `quote`, `contract`, `ticket`, `article`, `event`.
    pub kind: String,
    pub id: String,
    pub title: String,
    pub subtitle: String,
}

/// Every module's answer to one question: at most `limit` each (asked with one more, the window
/// knows when to say "20+").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Everything {
    pub customers: Vec<SearchHit>,
    pub sales: Vec<RecordHit>,
    pub service: Vec<RecordHit>,
    pub calendar: Vec<RecordHit>,
}

/// What ranking reads of a record, packed beside the slot so a question matching most of the
/// records (a single letter) ranks them without visiting each record's text.
#[derive(Debug, Clone, Copy, Default)]
struct Meta {
    live: bool,
    group: u8,
    /// The kind's rank and direction (twice the rank, plus one when newest first).
    rank: u8,
    /// The first 16 bytes of the order key, big-endian (complemented when the kind sorts newest
    /// first): a ≤ b here whenever a comes first in full, so it only ever needs the full key to
    /// break its own ties.
    key: u128,
}

impl Meta {
    fn of(d: &Doc) -> Self {
        let mut bytes = [0u8; 16];
        for (b, o) in bytes.iter_mut().zip(d.order().bytes()) {
            *b = o;
        }
        let prefix = u128::from_be_bytes(bytes);
        // The direction joins the rank, so two kinds of one rank that sort opposite ways (none
        // today) still make a total order with their keys, as `ranking` does.
        Self { live: true, group: d.group as u8, rank: d.rank * 2 + d.desc as u8, key: if d.desc { !prefix } else { prefix } }
    }
}

/// The order a group's records are shown in, but for whether the question is in the title: the
/// kind's place, then its order key (newest first where the kind says so), then the id.
fn ranking(a: &Doc, b: &Doc) -> std::cmp::Ordering {
    (a.group, a.rank, a.desc)
        .cmp(&(b.group, b.rank, b.desc))
        .then_with(|| if a.desc { b.order().cmp(a.order()) } else { a.order().cmp(b.order()) })
        .then_with(|| a.id().cmp(b.id()))
}

/// A run of slots below [`RecordIndex::sorted`] holding one group's records of one rank.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Run {
    group: u8,
    rank: u8,
    from: Slot,
    to: Slot,
}

/// Each record's slot by its key, and each customer's records: what a change (a record written
/// or synced, a customer's records counted) looks up. Searches never do, so a window that only
/// reads never makes them: at the demo book's scale they took 23 MB and 376,000 allocations of
/// the snapshot's load (docs/benchmarks.md). Made from the records on first need, then kept up.
#[derive(Default)]
struct Keys {
    by_key: FxHashMap<String, Slot>,
    by_customer: FxHashMap<String, Vec<Slot>>,
}

impl Keys {
    fn of(docs: &[Option<Doc>]) -> Self {
        let mut keys = Keys::default();
        keys.by_key.reserve(docs.len());
        for (slot, d) in docs.iter().enumerate() {
            if let Some(d) = d {
                keys.add(d, slot as Slot);
            }
        }
        keys
    }

    fn add(&mut self, d: &Doc, slot: Slot) {
        if !d.customer_id().is_empty() {
            grams::push_under(&mut self.by_customer, d.customer_id(), slot);
        }
        self.by_key.insert(d.key().to_string(), slot);
    }
}

/// The records of every module but customers, found by any part of their text.
///
/// The slots below `sorted` hold records in [`ranking`] order, so a search walks each group's
/// candidates best first and stops when it has enough (`Meet`, a lazy intersection): a single
/// letter that matches 150,000 records costs the walk to the 21st, not a ranking of all of them.
/// A record added or changed since takes a slot past `sorted` (the tail, ranked as it is found);
/// once the tail is long the slots are numbered again in order ([`RecordIndex::renumber`]).
#[derive(Default)]
pub struct RecordIndex {
    docs: Vec<Option<Doc>>,
    meta: Vec<Meta>,
    /// Made from `docs` on first need (see [`Keys`]).
    keys: OnceLock<Keys>,
    postings: FxHashMap<Gram, Posting>,
    /// The grams of titles alone: whether a one-gram question is in a record's title.
    title_postings: FxHashMap<Gram, Posting>,
    empty: usize,
    /// Slots below this are in [`ranking`] order (holes aside).
    sorted: usize,
    runs: Vec<Run>,
}

impl RecordIndex {
    pub fn build(mut docs: Vec<Doc>) -> Self {
        docs.sort_by(ranking);
        let mut ix = Self::default();
        for d in docs {
            ix.remove(d.key());
            ix.push(d);
        }
        // Posting lists grow by doubling (up to half of each would be spare room); dense ones
        // are kept as bitmaps.
        let n = ix.docs.len();
        for p in ix.postings.values_mut().chain(ix.title_postings.values_mut()) {
            *p = std::mem::take(p).settled(n);
        }
        ix.docs.shrink_to_fit();
        ix.meta.shrink_to_fit();
        ix.sorted = ix.docs.len();
        ix.mark_runs();
        ix
    }

    /// Finds the runs of the slots just put in order. Should the packed keys ever disagree with
    /// [`ranking`] (a kind sharing a rank with another that sorts the other way), every slot is
    /// treated as tail: searches stay exact, only slower, instead of missing the ordered slots.
    fn mark_runs(&mut self) {
        match self.runs_of() {
            Some(runs) => self.runs = runs,
            None => {
                log::warn!("global search: records out of ranking order; searching them unordered");
                self.sorted = 0;
                self.runs = Vec::new();
            }
        }
    }

    /// The runs of one group and rank below `sorted`, or none when those slots are not in
    /// ranking order as far as the packed keys tell (a snapshot that is not this index's).
    fn runs_of(&self) -> Option<Vec<Run>> {
        let mut runs: Vec<Run> = Vec::new();
        let mut last: Option<Meta> = None;
        for s in 0..self.sorted {
            let m = self.meta[s];
            if !m.live {
                continue;
            }
            if let Some(l) = last {
                if (l.group, l.rank, l.key) > (m.group, m.rank, m.key) {
                    return None;
                }
            }
            last = Some(m);
            match runs.last_mut() {
                Some(r) if (r.group, r.rank) == (m.group, m.rank) => r.to = s as Slot + 1,
                _ => runs.push(Run { group: m.group, rank: m.rank, from: s as Slot, to: s as Slot + 1 }),
            }
        }
        Some(runs)
    }

    /// Numbers the live records again, densely and in ranking order: the tail joins the walk,
    /// emptied slots go. Posting lists are mapped and sorted, not cut from the texts again
    /// (a rebuild took 1.2-1.8 s at the demo book's scale).
    fn renumber(&mut self) {
        let remap = renumbered(&mut self.docs, &mut self.meta, ranking);
        let n = self.docs.len();
        for postings in [&mut self.postings, &mut self.title_postings] {
            *postings = std::mem::take(postings).into_iter().filter_map(|(g, p)| Some((g, p.remapped(&remap, n)?))).collect();
        }
        // Made again from the records when next needed.
        self.keys = OnceLock::new();
        self.empty = 0;
        self.sorted = self.docs.len();
        self.mark_runs();
    }

    /// Where the index's heap goes, part by part, in bytes (a diagnostic: the lean bench prints it).
    #[doc(hidden)]
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        let (pt, pd) = grams::postings_bytes(&self.postings);
        let (tt, td) = grams::postings_bytes(&self.title_postings);
        vec![
            ("records (slots)", self.docs.capacity() * std::mem::size_of::<Option<Doc>>()),
            (
                "records' text (on the heap; loaded from a snapshot it stays in the file)",
                self.docs.iter().flatten().map(|d| d.buf.heap_bytes()).sum(),
            ),
            ("ranking keys (meta)", self.meta.capacity() * std::mem::size_of::<Meta>()),
            (
                "keys and customers → slots (when made)",
                self.keys.get().map_or(0, |k| grams::keyed_bytes(&k.by_key) + grams::keyed_bytes(&k.by_customer)),
            ),
            ("postings' tables", pt + tt),
            ("postings' slots and bitmaps", pd + td),
        ]
    }

    /// Live records (each slot not emptied holds one).
    pub fn len(&self) -> usize {
        self.docs.len() - self.empty
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn keys(&self) -> &Keys {
        self.keys.get_or_init(|| Keys::of(&self.docs))
    }

    /// The maps to change, made first if need be (always there once made).
    fn keys_mut(&mut self) -> Option<&mut Keys> {
        self.keys();
        self.keys.get_mut()
    }

    /// Adds or replaces the doc of its key. A changed doc takes a fresh slot at the end, so every
    /// posting list stays sorted (the intersections need it); the old slot is emptied.
    pub fn insert(&mut self, d: Doc) {
        self.remove(d.key());
        self.push(d);
        // The tail is ranked whole at every search: number again once it is long.
        let tail = self.docs.len() - self.sorted;
        if tail > 2048 && tail * 16 > self.docs.len() {
            self.renumber();
        }
    }

    /// Puts a doc in the next slot (its key must not be in the index).
    fn push(&mut self, d: Doc) {
        let slot = self.docs.len() as Slot;
        let mut grams = Vec::new();
        grams_of(d.text(), &mut grams);
        grams.sort_unstable();
        grams.dedup();
        for g in grams.drain(..) {
            self.postings.entry(g).or_default().push(slot);
        }
        grams_of(d.title_text(), &mut grams);
        grams.sort_unstable();
        grams.dedup();
        for g in grams {
            self.title_postings.entry(g).or_default().push(slot);
        }
        self.meta.push(Meta::of(&d));
        if let Some(keys) = self.keys_mut() {
            keys.add(&d, slot);
        }
        self.docs.push(Some(d));
    }

    pub fn remove(&mut self, key: &str) {
        if let Some(slot) = self.keys_mut().and_then(|k| k.by_key.remove(key)) {
            self.docs[slot as usize] = None;
            self.meta[slot as usize].live = false;
            self.empty += 1;
        }
        // Empty slots are skipped by every read; sweep them out once they are a quarter.
        if self.empty > 1024 && self.empty * 4 > self.docs.len() {
            self.compact();
        }
    }

    fn compact(&mut self) {
        self.renumber();
    }

    /// Applies what a loader read.
    pub fn apply(&mut self, loaded: Loaded) {
        for k in &loaded.keys {
            self.remove(k);
        }
        for d in loaded.docs {
            self.insert(d);
        }
    }

    /// (records, bytes of their texts and display strings, distinct grams, posting entries with the
    /// titles' own): what
    /// the index holds, for the benchmark's report.
    pub fn stats(&self) -> (usize, usize, usize, usize) {
        let live = self.docs.iter().flatten();
        let bytes = live.map(|d| d.buf.len()).sum();
        let entries = self.postings.values().chain(self.title_postings.values()).map(Posting::len).sum();
        (self.len(), bytes, self.postings.len(), entries)
    }

    /// How many live docs are for this customer.
    pub fn customer_docs(&self, customer_id: &str) -> usize {
        self.keys().by_customer.get(customer_id).map(|s| s.iter().filter(|s| self.docs[**s as usize].is_some()).count()).unwrap_or(0)
    }

    /// Records holding every word of `text`, at most `limit` per group, each group in order.
    pub fn search(&self, text: &str, limit: usize) -> Vec<(Group, Vec<RecordHit>)> {
        self.search_keyed(text, limit).into_iter().map(|(g, hits)| (g, hits.into_iter().map(|(_, h)| h).collect())).collect()
    }

    /// [`Self::search`] with each hit's place in its group's order, comparable between indexes
    /// (lean mode merges many small indexes' answers by it).
    fn search_keyed(&self, text: &str, limit: usize) -> Vec<(Group, Vec<(HitKey, RecordHit)>)> {
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut all_grams = Vec::new();
        let mut proven = words.len() == 1;
        for w in &words {
            let (g, exact) = query_grams(w);
            proven &= exact;
            all_grams.extend(g);
        }
        all_grams.sort_unstable();
        all_grams.dedup();
        let Some(lists) = lists_of(&self.postings, &all_grams) else { return Vec::new() };
        // No title holds a gram of the question: nothing is in a title.
        let title_lists = lists_of(&self.title_postings, &all_grams);
        let finders: Vec<memchr::memmem::Finder<'_>> = words.iter().map(|w| memchr::memmem::Finder::new(w.as_bytes())).collect();
        let text_of = |slot: Slot| self.docs[slot as usize].as_ref().map(|d| d.text().as_bytes());
        let in_title_text = |slot: Slot| {
            let title = self.docs[slot as usize].as_ref().map(|d| d.title_text().as_bytes()).unwrap_or_default();
            finders.iter().all(|f| f.find(title).is_some())
        };
        // A one-gram question is in a title exactly when the title's posting holds the slot: no
        // title is read.
        let titled: Option<&Posting> = title_lists.as_ref().filter(|_| proven).map(|tl| tl[0]);
        // Whether a candidate holds the question, and if so whether its title does.
        let matched = |slot: Slot| -> Option<bool> {
            if proven {
                return Some(titled.is_some_and(|t| t.contains(slot)));
            }
            let text = text_of(slot)?;
            finders.iter().all(|f| f.find(text).is_some()).then(|| in_title_text(slot))
        };
        // Per group: (rank, not in the title, packed order key, slot).
        let mut found: [Vec<(u8, bool, u128, Slot)>; 3] = Default::default();

        // The ranked slots, run by run in ranking order: a run's records with the question in
        // their title, then its others, until the group has its page.
        for run in &self.runs {
            let out = &mut found[run.group as usize];
            if out.len() >= limit {
                continue;
            }
            if let Some(tl) = &title_lists {
                for slot in Meet::new(tl, run.from, run.to) {
                    let m = self.meta[slot as usize];
                    // Every word in the title is in the text too (the title is the text's start).
                    if m.live && (proven || in_title_text(slot)) {
                        out.push((m.rank, false, m.key, slot));
                        if out.len() >= limit {
                            break;
                        }
                    }
                }
            }
            if out.len() >= limit {
                continue;
            }
            for slot in Meet::new(&lists, run.from, run.to) {
                let m = self.meta[slot as usize];
                // Those in their title were taken above.
                if m.live && matched(slot) == Some(false) {
                    out.push((m.rank, true, m.key, slot));
                    if out.len() >= limit {
                        break;
                    }
                }
            }
        }

        // The tail (records added or changed since the slots were numbered): every match, ranked
        // with the walk's below.
        if self.sorted < self.docs.len() {
            for slot in Meet::new(&lists, self.sorted as Slot, self.docs.len() as Slot) {
                let m = self.meta[slot as usize];
                if let Some(in_title) = m.live.then(|| matched(slot)).flatten() {
                    found[m.group as usize].push((m.rank, !in_title, m.key, slot));
                }
            }
        }
        let doc = |slot: Slot| self.docs[slot as usize].as_ref().expect("a live slot has its doc");
        let full = |a: &(u8, bool, u128, Slot), b: &(u8, bool, u128, Slot)| {
            let (da, db) = (doc(a.3), doc(b.3));
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| if da.desc { db.order().cmp(da.order()) } else { da.order().cmp(db.order()) })
                .then_with(|| da.id().cmp(db.id()))
        };
        let mut out: Vec<(Group, Vec<(HitKey, RecordHit)>)> = Vec::new();
        for (g, mut hits) in found.into_iter().enumerate() {
            if hits.is_empty() {
                continue;
            }
            if hits.len() > limit {
                // The first `limit` by the packed keys, and every record tied with the last of
                // them: the full order can only reorder within a tie, never bring one from beyond.
                let packed = |h: &(u8, bool, u128, Slot)| (h.0, h.1, h.2);
                hits.select_nth_unstable_by_key(limit - 1, packed);
                let bound = packed(&hits[limit - 1]);
                hits.retain(|h| packed(h) <= bound);
            }
            hits.sort_by(full);
            hits.truncate(limit);
            let group = [Group::Sales, Group::Service, Group::Calendar][g];
            let hits = hits
                .into_iter()
                .map(|h| {
                    let d = doc(h.3);
                    let order = if d.desc { Order::Desc(std::cmp::Reverse(d.order().into())) } else { Order::Asc(d.order().into()) };
                    let key = (h.0, h.1, order, d.id().to_string());
                    (key, RecordHit { kind: d.kind.into(), id: d.id().into(), title: d.title().into(), subtitle: d.subtitle().into() })
                })
                .collect();
            out.push((group, hits));
        }
        out.sort_by_key(|g| g.0);
        out
    }
}

/// A hit's place in its group: the kind's rank, whether the question missed the title, the
/// kind's order key (newest first for some kinds), the id; as `RecordIndex::search` orders them.
type HitKey = (u8, bool, Order, String);

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Order {
    Asc(String),
    Desc(std::cmp::Reverse<String>),
}

/// A module's loader: the docs of its records in a scope.
pub type Loader = fn(&Connection, &str, Scope<'_>) -> Result<Loaded>;

/// Every module's loader (each in the module's own folder), and the tables whose touched rows
/// each one reads again.
const LOADERS: &[(Loader, &[&str])] = &[
    (crate::sales::search::deals, &["opportunities"]),
    (crate::sales::search::quotes, &["quotes"]),
    (crate::sales::search::contracts, &["contracts"]),
    (crate::service::search::tickets, &["tickets"]),
    (crate::service::search::articles, &["articles"]),
    (crate::calendar::search::events, &["events"]),
];

/// The index, built on first need.
#[derive(Default)]
pub struct State {
    index: RwLock<Option<RecordIndex>>,
    /// One builder at a time: a second caller waits for the first's index.
    building: Mutex<()>,
    /// The change log's newest entry when the snapshot on disk was made (or loaded) from the
    /// index: `persist` writes it again only when the book has moved on since.
    saved: Mutex<Option<i64>>,
    /// Where the index came from at its last build (for the log, tests and benchmarks).
    origin: Mutex<Option<IndexOrigin>>,
    /// Set by `reload`: rows were written around the change log (a bulk load), which a
    /// snapshot's check cannot see, so the next build reads SQLite.
    distrust_snapshot: std::sync::atomic::AtomicBool,
    /// Set when the index would not fit in the memory allowed (`crate::budget`): nothing is
    /// built and each search reads the records from SQLite a slice at a time (see `lean_search`).
    lean: Mutex<Option<crate::budget::Plan>>,
    /// The limits to plan by instead of this process's (tests).
    limits: Mutex<Option<crate::budget::Limits>>,
    /// Records per lean slice.
    lean_chunk: Mutex<Option<usize>>,
}

/// What the index takes a record, measured on the demo book (190,000 records: 106 MB), with room.
pub const INDEX_BYTES_PER_RECORD: u64 = 700;

/// Records per slice in lean mode.
const LEAN_CHUNK: usize = 5_000;

impl State {
    fn index(&self) -> RwLockReadGuard<'_, Option<RecordIndex>> {
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn index_mut(&self) -> RwLockWriteGuard<'_, Option<RecordIndex>> {
        self.index.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every module's docs read from SQLite.
    fn read_all(store: &Store) -> Result<Vec<Doc>> {
        let me = store.profile().author.clone();
        // One read per kind, not one for all: the window's other reads share this connection and
        // wait for each in turn (the largest, 100,000 events, is about a tenth of a second).
        let mut docs = Vec::new();
        for (load, _) in LOADERS {
            docs.extend(store.read(|c| load(c, &me, Scope::All))?.docs);
        }
        Ok(docs)
    }

    /// Builds the index unless it is built (the window's start-up thread calls it): from its
    /// snapshot when that is whole and this book's (then caught up with the changes logged
    /// since), else from SQLite, and then kept on disk for the next start.
    pub fn ensure(&self, store: &Store) -> Result<()> {
        let _one = self.building.lock().unwrap_or_else(PoisonError::into_inner);
        if self.index().is_some() || self.is_lean() {
            return Ok(());
        }
        let records = store.read(|c| {
            let mut n = 0u64;
            for (_, tables) in LOADERS {
                n += c.query_row(&format!("SELECT count(*) FROM {}", tables[0]), [], |r| r.get::<_, i64>(0))? as u64;
            }
            Ok(n)
        })?;
        let limits = self.limits.lock().unwrap_or_else(PoisonError::into_inner).unwrap_or_else(crate::budget::Limits::of_this_process);
        if let plan @ crate::budget::Plan::Lean { needed, allowed } = crate::budget::plan(records * INDEX_BYTES_PER_RECORD, &limits) {
            log::warn!(
                "global search: {records} records would take about {} MB, {} MB allowed: searches read them from SQLite",
                needed >> 20,
                allowed >> 20
            );
            *self.lean.lock().unwrap_or_else(PoisonError::into_inner) = Some(plan);
            return Ok(());
        }
        let start = std::time::Instant::now();
        // Taken before anything is read, so the index holds at least every change up to it: a
        // snapshot stamped with it is never ahead of what it holds, whatever is written meanwhile
        // (catching up from an earlier entry reads a row again, which changes nothing).
        let before = customer_snapshot::current(store, 0)?;
        let snapshot = if self.distrust_snapshot.swap(false, std::sync::atomic::Ordering::Relaxed) {
            Err(Refused::Missing)
        } else {
            self.load_snapshot(store)
        };
        match snapshot {
            Ok((seq, caught_up)) => {
                log::info!(
                    "global search: {} records from its snapshot in {:.2} s ({caught_up} rows changed since)",
                    self.index().as_ref().map_or(0, RecordIndex::len),
                    start.elapsed().as_secs_f64()
                );
                *self.saved.lock().unwrap_or_else(PoisonError::into_inner) = Some(seq);
                *self.origin.lock().unwrap_or_else(PoisonError::into_inner) = Some(IndexOrigin::Snapshot { caught_up });
                if caught_up >= 1000 {
                    self.save(store, before);
                }
                return Ok(());
            }
            Err(Refused::Missing) | Err(Refused::Encrypted) => {}
            Err(why) => log::warn!("global search snapshot not used: {why}"),
        }
        let docs = Self::read_all(store)?;
        *self.index_mut() = Some(RecordIndex::build(docs));
        *self.origin.lock().unwrap_or_else(PoisonError::into_inner) = Some(IndexOrigin::Built);
        self.save(store, before);
        Ok(())
    }

    /// Loads the snapshot and catches it up; the change-log entry it was made at, and how many
    /// rows changed since.
    fn load_snapshot(&self, store: &Store) -> std::result::Result<(i64, usize), Refused> {
        let (ix, stamp) = customer_snapshot::read_as(store, &snapshot::RECORDS, RecordIndex::decode)?;
        if ix.len() as u64 != stamp.records {
            return Err(Refused::Damaged("record count"));
        }
        let unreadable = |e: crate::error::CoreError| {
            log::warn!("reading the database for the global search's snapshot: {e}");
            Refused::Damaged("database unreadable")
        };
        if !customer_snapshot::history_holds(store, &stamp).map_err(unreadable)? {
            return Err(Refused::OtherHistory);
        }
        let touched = store.touched_since(stamp.seq, customer_snapshot::CATCH_UP_MAX).map_err(unreadable)?.ok_or(Refused::OtherHistory)?;
        let mut ix = ix;
        // Caught up before anyone sees it.
        catch_up(&mut ix, store, &touched).map_err(unreadable)?;
        *self.index_mut() = Some(ix);
        Ok((stamp.seq, touched.len()))
    }

    /// Writes the snapshot of the index as it is (logged, never failing the caller: it is a
    /// cache). Searches go on while it is written; a change waits for it.
    /// `stamp`: the change log as it was before the index's newest content was read (its count of
    /// records is set here).
    fn save(&self, store: &Store, mut stamp: customer_snapshot::Stamp) {
        if store.is_encrypted() {
            return;
        }
        let start = std::time::Instant::now();
        let guard = self.index();
        let Some(ix) = guard.as_ref() else { return };
        stamp.records = ix.len() as u64;
        let written = customer_snapshot::save_as(store, &snapshot::RECORDS, &stamp, |e| ix.encode(e)).map_err(|e| e.to_string());
        drop(guard);
        match written {
            Ok(bytes) => {
                *self.saved.lock().unwrap_or_else(PoisonError::into_inner) = Some(stamp.seq);
                log::info!("global search snapshot: {:.1} MB in {:.2} s", bytes as f64 / 1e6, start.elapsed().as_secs_f64());
            }
            Err(e) => log::warn!("global search snapshot not written: {e}"),
        }
    }

    /// Keeps the index on disk for the next start when the book changed since it was last kept.
    pub fn persist(&self, store: &Store) -> Result<()> {
        if !self.is_built() || store.is_encrypted() {
            return Ok(());
        }
        // On the way out, with nothing else writing: the log as it is now is what the index holds.
        let now = customer_snapshot::current(store, 0)?;
        if *self.saved.lock().unwrap_or_else(PoisonError::into_inner) != Some(now.seq) {
            self.save(store, now);
        }
        Ok(())
    }

    pub fn is_built(&self) -> bool {
        self.index().is_some()
    }

    fn is_lean(&self) -> bool {
        self.lean.lock().unwrap_or_else(PoisonError::into_inner).is_some()
    }

    /// Each module's records a slice at a time by id, each slice's small index asked the
    /// question, the best `limit` a group kept: the in-memory index's answer, in one slice's
    /// memory, at the cost of a pass over the records.
    fn lean_search(&self, store: &Store, text: &str, limit: usize) -> Result<Vec<(Group, Vec<RecordHit>)>> {
        if text.split_whitespace().next().is_none() || limit == 0 {
            return Ok(Vec::new());
        }
        let chunk = self.lean_chunk.lock().unwrap_or_else(PoisonError::into_inner).unwrap_or(LEAN_CHUNK).max(1);
        let me = store.profile().author.clone();
        let mut best: [Vec<(HitKey, RecordHit)>; 3] = Default::default();
        // The next slice is read from SQLite on another thread while this one's index is built and
        // asked (a laptop has two cores).
        std::thread::scope(|scope| -> Result<()> {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Doc>>>(1);
            scope.spawn(move || {
                let read = (|| -> Result<()> {
                    for (load, tables) in LOADERS {
                        let mut after = String::new();
                        loop {
                            let ids: Vec<String> = store.read(|c| {
                                let mut st =
                                    c.prepare_cached(&format!("SELECT id FROM {} WHERE id > ?1 ORDER BY id LIMIT ?2", tables[0]))?;
                                let ids =
                                    st.query_map(rusqlite::params![after, chunk as i64], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                                Ok(ids)
                            })?;
                            let Some(last) = ids.last() else { break };
                            after = last.clone();
                            let mut docs = Vec::new();
                            for part in ids.chunks(500) {
                                docs.extend(store.read(|c| load(c, &me, Scope::Rows(part)))?.docs);
                            }
                            // The asking side stopped (an error): so does the reading.
                            tx.send(Ok(docs)).map_err(|_| crate::error::CoreError::Internal("lean slices: nobody asking".into()))?;
                            if ids.len() < chunk {
                                break;
                            }
                        }
                    }
                    Ok(())
                })();
                if let Err(e) = read {
                    let _ = tx.send(Err(e));
                }
            });
            for docs in rx {
                for (group, hits) in RecordIndex::build(docs?).search_keyed(text, limit) {
                    let kept = &mut best[group as usize];
                    kept.extend(hits);
                    kept.sort_by(|a, b| a.0.cmp(&b.0));
                    // A record read for two slices (a quote's versions in both: each stands for
                    // its number's newest) is one hit.
                    kept.dedup_by(|a, b| a.0 == b.0);
                    kept.truncate(limit);
                }
            }
            Ok(())
        })?;
        let groups = [Group::Sales, Group::Service, Group::Calendar];
        Ok(groups
            .into_iter()
            .zip(best)
            .filter(|(_, hits)| !hits.is_empty())
            .map(|(g, hits)| (g, hits.into_iter().map(|(_, h)| h).collect()))
            .collect())
    }

    /// See [`RecordIndex::stats`]; `None` before the index is built.
    pub fn stats(&self) -> Option<(usize, usize, usize, usize)> {
        self.index().as_ref().map(RecordIndex::stats)
    }

    /// Rows changed (a write here, a sync page): the records behind them are read again.
    /// A build under way is waited for first: it may have read the database before these rows
    /// changed, and with nothing built yet this call would otherwise drop them.
    pub fn changed(&self, store: &Store, touched: &BTreeSet<Touched>) -> Result<()> {
        let _built = self.building.lock().unwrap_or_else(PoisonError::into_inner);
        let mut guard = self.index_mut();
        let Some(ix) = guard.as_mut() else { return Ok(()) };
        catch_up(ix, store, touched)
    }

    pub fn reload(&self) {
        self.distrust_snapshot.store(true, std::sync::atomic::Ordering::Relaxed);
        *self.index_mut() = None;
    }

    /// The records of every module but customers that hold every word of `text`.
    fn search(&self, store: &Store, text: &str, limit: usize) -> Result<Vec<(Group, Vec<RecordHit>)>> {
        if let Some(ix) = self.index().as_ref() {
            return Ok(ix.search(text, limit));
        }
        self.ensure(store)?;
        if self.is_lean() {
            return self.lean_search(store, text, limit);
        }
        Ok(self.index().as_ref().map(|ix| ix.search(text, limit)).unwrap_or_default())
    }
}

/// Reads again the records behind these touched rows, and the records of any customer among them
/// (a renamed customer: its records show and match the new name).
fn catch_up(ix: &mut RecordIndex, store: &Store, touched: &BTreeSet<Touched>) -> Result<()> {
    let me = store.profile().author.clone();
    let customers: Vec<String> = touched.iter().filter(|t| t.table == "customers").map(|t| t.id.clone()).collect();
    let customers: Vec<String> = customers.into_iter().filter(|c| ix.customer_docs(c) > 0).collect();
    for (load, tables) in LOADERS {
        let rows: Vec<String> = touched.iter().filter(|t| tables.contains(&t.table)).map(|t| t.id.clone()).collect();
        for chunk in rows.chunks(500) {
            ix.apply(store.read(|c| load(c, &me, Scope::Rows(chunk)))?);
        }
        for chunk in customers.chunks(500) {
            ix.apply(store.read(|c| load(c, &me, Scope::Customers(chunk)))?);
        }
    }
    Ok(())
}

impl Satchel {
    /// The global search: customers (their own ranking) and every other module's records, each
    /// at most `limit`, in one call.
    pub fn search_everything(&self, text: &str, limit: u32) -> Result<Everything> {
        let limit = limit.clamp(1, 200);
        let mut out = Everything { customers: self.customers().search(text, None, limit), ..Default::default() };
        for (group, hits) in self.search.search(&self.store, text, limit as usize)? {
            match group {
                Group::Sales => out.sales = hits,
                Group::Service => out.service = hits,
                Group::Calendar => out.calendar = hits,
            }
        }
        Ok(out)
    }

    /// Where the global search's index came from (building it now if it is not built).
    pub fn search_origin(&self) -> Result<IndexOrigin> {
        self.search.ensure(&self.store)?;
        Ok(self.search.origin.lock().unwrap_or_else(PoisonError::into_inner).unwrap_or(IndexOrigin::Built))
    }

    /// What the global search's index holds (see [`RecordIndex::stats`]).
    pub fn search_stats(&self) -> Option<(usize, usize, usize, usize)> {
        self.search.stats()
    }

    /// Builds the global search's index now, unless it is built.
    pub fn load_search(&self) -> Result<()> {
        self.search.ensure(&self.store)
    }

    /// Whether the global search answers from its index or, the records being too many for the
    /// memory allowed, from SQLite (slower); decided when it is first needed.
    pub fn search_is_lean(&self) -> bool {
        self.search.ensure(&self.store).is_ok() && self.search.is_lean()
    }

    /// Where the records' index's heap goes (empty in lean mode): a diagnostic for benches.
    #[doc(hidden)]
    pub fn search_index_footprint(&self) -> Vec<(&'static str, usize)> {
        let _ = self.search.ensure(&self.store);
        self.search.index().as_ref().map(RecordIndex::footprint).unwrap_or_default()
    }

    /// Plans the global search's index by these limits instead of this process's, with slices of
    /// `slice` records in lean mode (tests; before its first need).
    #[doc(hidden)]
    pub fn set_search_memory_limits(&self, limits: crate::budget::Limits, slice: usize) {
        *self.search.limits.lock().unwrap_or_else(PoisonError::into_inner) = Some(limits);
        *self.search.lean_chunk.lock().unwrap_or_else(PoisonError::into_inner) = Some(slice);
    }
}

/// The `AND column IN (...)` a scope adds to a loader's query, and its parameters: `rows` names
/// the column the touched ids are in, `customers` the customer column.
pub(crate) fn scope_filter(scope: Scope<'_>, rows: &str, customers: &str) -> (String, Vec<String>) {
    let list = |column: &str, ids: &[String]| (format!(" AND {column} IN ({})", vec!["?"; ids.len()].join(",")), ids.to_vec());
    match scope {
        Scope::All => (String::new(), Vec::new()),
        Scope::Rows(ids) => list(rows, ids),
        // `<> ''` lets SQLite use the modules' partial indexes on the customer column (`WHERE
        // customer_id <> ''`): it cannot see that the bound ids are never empty.
        Scope::Customers(ids) => {
            let (sql, params) = list(customers, ids);
            (format!(" AND {customers} <> ''{sql}"), params)
        }
    }
}

/// The keys a scope of touched rows covers when a record's key is its kind and id.
pub(crate) fn row_keys(kind: &str, scope: Scope<'_>) -> Vec<String> {
    match scope {
        Scope::Rows(ids) => ids.iter().map(|id| format!("{kind}:{id}")).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// (group, kind, rank, newest first) of each kind a test doc can be.
    const KINDS: [(Group, &str, u8, bool); 5] = [
        (Group::Sales, "deal", 0, false),
        (Group::Sales, "quote", 1, true),
        (Group::Service, "ticket", 0, true),
        (Group::Service, "article", 1, false),
        (Group::Calendar, "event", 0, true),
    ];

    /// A test record: its kind, title, one other field and order key.
    #[derive(Debug, Clone)]
    struct Spec {
        kind: usize,
        title: String,
        other: String,
        order: String,
    }

    fn doc(id: &str, s: &Spec) -> Doc {
        let (group, kind, rank, desc) = KINDS[s.kind];
        Doc::new(group, kind, rank, id.into(), s.title.clone(), String::new(), String::new(), s.order.clone(), desc, &[&s.title, &s.other])
    }

    /// A snapshot's body reads back as the index it was written from; one that holds a record in
    /// two slots is refused (its key map is only made later, so the load checks keys itself).
    #[test]
    fn a_body_with_one_record_twice_is_refused() {
        use crate::customers::snapshot::{Decoder, Encoder};
        let spec = |kind, title: &str| Spec { kind, title: title.into(), other: "上海".into(), order: "2026-01-01".into() };
        let ix =
            RecordIndex::build(vec![doc("a", &spec(0, "Printer deal")), doc("b", &spec(2, "打印机 ticket")), doc("c", &spec(4, "Visit"))]);
        let body = |ix: &RecordIndex| Encoder::body(|e| ix.encode(e));
        let bytes = body(&ix);
        let back = RecordIndex::decode(&mut Decoder::new(&bytes)).expect("its own body");
        assert_eq!((back.len(), back.stats()), (3, ix.stats()));
        assert_eq!(back.customer_docs(""), 0);

        let mut twice = RecordIndex::build(vec![doc("a", &spec(0, "Printer deal")), doc("b", &spec(2, "打印机 ticket"))]);
        let copy = twice.docs[0].clone();
        twice.docs.push(copy);
        twice.meta.push(twice.meta[0]);
        assert!(RecordIndex::decode(&mut Decoder::new(&body(&twice))).is_none(), "one record in two slots");
    }

    /// The documented rule, the slow way: every word in some field; per group by kind, title
    /// first, order key, id; at most `limit`.
    fn plain(recs: &BTreeMap<String, Spec>, q: &str, limit: usize) -> Vec<(Group, Vec<String>)> {
        let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
        let mut groups: BTreeMap<Group, Vec<(u8, bool, &str, bool, &str)>> = BTreeMap::new();
        for (id, s) in recs {
            let (group, _, rank, desc) = KINDS[s.kind];
            let (title, other) = (s.title.to_lowercase(), s.other.to_lowercase());
            if !words.is_empty() && words.iter().all(|w| title.contains(w.as_str()) || other.contains(w.as_str())) {
                let in_title = words.iter().all(|w| title.contains(w.as_str()));
                groups.entry(group).or_default().push((rank, !in_title, &s.order, desc, id));
            }
        }
        groups
            .into_iter()
            .map(|(g, mut v)| {
                v.sort_by(|a, b| {
                    (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| if a.3 { b.2.cmp(a.2) } else { a.2.cmp(b.2) }).then_with(|| a.4.cmp(b.4))
                });
                (g, v.into_iter().take(limit).map(|x| x.4.to_string()).collect())
            })
            .collect()
    }

    fn ids(found: Vec<(Group, Vec<RecordHit>)>) -> Vec<(Group, Vec<String>)> {
        found.into_iter().map(|(g, hits)| (g, hits.into_iter().map(|h| h.id).collect())).collect()
    }

    fn spec() -> impl Strategy<Value = Spec> {
        (0usize..5, "[王海ab c]{0,5}", "[李ab]{0,4}", "[0-2]{0,3}").prop_map(|(kind, title, other, order)| Spec {
            kind,
            title,
            other,
            order,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..Default::default() })]
        /// Built from some records, then added to, changed, emptied and numbered again: every
        /// question's answer is the plain scan's, whatever part is walked in order and whatever
        /// is in the tail.
        #[test]
        fn the_records_search_is_exactly_a_plain_scan_through_edits_and_renumbering(
            first in proptest::collection::vec(spec(), 0..50),
            edits in proptest::collection::vec((0usize..70, proptest::option::of(spec())), 0..40),
            renumber_at in 0usize..45,
            queries in proptest::collection::vec("[王海李ab c]{1,3}", 1..6),
            limit in 1usize..6,
        ) {
            let mut model: BTreeMap<String, Spec> = BTreeMap::new();
            let mut docs = Vec::new();
            for (i, s) in first.iter().enumerate() {
                let id = format!("r{i:02}");
                docs.push(doc(&id, s));
                model.insert(id, s.clone());
            }
            let mut ix = RecordIndex::build(docs);
            for (n, (i, change)) in edits.iter().enumerate() {
                if n == renumber_at {
                    ix.renumber();
                }
                let id = format!("r{i:02}");
                match change {
                    Some(s) => {
                        // A record keeps its kind when it changes (its key is kind and id).
                        let s = Spec { kind: model.get(&id).map_or(s.kind, |old| old.kind), ..s.clone() };
                        ix.insert(doc(&id, &s));
                        model.insert(id, s);
                    }
                    None => {
                        if let Some(old) = model.remove(&id) {
                            ix.remove(&format!("{}:{id}", KINDS[old.kind].1));
                        }
                    }
                }
            }
            prop_assert_eq!(ix.len(), model.len());
            for q in &queries {
                prop_assert_eq!(ids(ix.search(q, limit)), plain(&model, q, limit), "question {:?}", q);
            }
        }
    }

    /// Two kinds of one rank that sort opposite ways still make one order (the direction joins
    /// the rank): no sort is handed an inconsistent comparison, and every match is found.
    #[test]
    fn kinds_of_one_rank_sorting_opposite_ways_are_still_ordered_and_found() {
        let docs: Vec<Doc> = (0..40)
            .map(|i| {
                let (kind, desc) = if i % 2 == 0 { ("deal", false) } else { ("quote", true) };
                Doc::new(
                    Group::Sales,
                    kind,
                    0,
                    format!("r{i:02}"),
                    format!("海{}", i % 7),
                    String::new(),
                    String::new(),
                    format!("{:02}", i % 9),
                    desc,
                    &[&format!("海{}", i % 7)],
                )
            })
            .collect();
        let ix = RecordIndex::build(docs);
        assert_eq!(ix.sorted, 40, "every record is walked in order");
        let mut found: Vec<String> = ix.search("海", 100).into_iter().flat_map(|(_, hits)| hits).map(|h| h.id).collect();
        found.sort();
        assert_eq!(found, (0..40).map(|i| format!("r{i:02}")).collect::<Vec<_>>());
    }

    /// A long tail is numbered into the ranked slots on its own, and answers stay the same.
    #[test]
    fn a_long_tail_is_numbered_again_without_changing_an_answer() {
        let spec =
            |i: usize| Spec { kind: i % 5, title: format!("海{}", i % 7), other: format!("ab{}", i % 3), order: format!("{:03}", i % 50) };
        let mut ix = RecordIndex::build((0..1000).map(|i| doc(&format!("r{i:04}"), &spec(i))).collect());
        let mut model: BTreeMap<String, Spec> = (0..1000).map(|i| (format!("r{i:04}"), spec(i))).collect();
        for i in 1000..4000 {
            ix.insert(doc(&format!("r{i:04}"), &spec(i)));
            model.insert(format!("r{i:04}"), spec(i));
        }
        assert!(
            ix.docs.len() - ix.sorted < 2049,
            "the tail was numbered in once it grew: {} of {}",
            ix.docs.len() - ix.sorted,
            ix.docs.len()
        );
        for q in ["海", "海3", "ab", "b1", "a", "海 b2", "0"] {
            assert_eq!(ids(ix.search(q, 7)), plain(&model, q, 7), "{q}");
        }
    }
}
