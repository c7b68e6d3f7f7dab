//! The in-memory customer index: search as you type and list pages, both in well under a
//! millisecond at 100,000 records.
//!
//! Why not SQLite FTS5: its trigram tokenizer cannot match one- or two-character Chinese queries
//! (海示, 王) and bm25 does not put name matches first; a brute scan was measured at ~5 ms p95.
//! Instead each field's text is cut into grams — every character, every pair of adjacent
//! characters, and every run of three ASCII letters/digits — with a posting list of records per
//! gram and field. A query intersects the posting lists of its own grams (smallest first) and
//! confirms each candidate with a real substring test, so results are exact.
//!
//! Ranking, best first: exact name, name prefix, name contains, then company, email, phone, tag,
//! job title or department, notes, text custom fields; ties by shorter name, then name, then id. Fields are searched tier by tier and the
//! search stops after the first tier that fills the page, so common words never scan everything.
//!
//! Lists: each sort order is kept as a sorted vector of slots, patched in place on every change
//! (no re-sort after an edit); each filter's result is cached until the next change, so scrolling
//! is a slice. Filters read a compact per-slot array (stage, kind, owner, tag bits).
//!
//! A changed record takes a fresh slot and its old slot is emptied; postings still naming the
//! empty slot are skipped and swept out when they pile up.

use super::repo::IndexSource;
use super::validate::phone_digits;
use super::*;
use crate::time::rfc3339_ms;
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::search::grams::{grams_of, lists_of, push_under, query_grams, renumbered, Gram, Meet, Posting, Slot};
use crate::search::mapped::{Blob, Text};

/// Searchable fields in ranking order after the name tiers.
const FIELDS: [MatchField; 7] =
    [MatchField::Company, MatchField::Email, MatchField::Phone, MatchField::Tag, MatchField::Job, MatchField::Notes, MatchField::Custom];

struct Doc {
    id: CustomerId,
    kind: CustomerKind,
    name_len: usize,
    stage: Stage,
    tags: Vec<String>,
    updated_ms: i64,
    /// The name lowercased, its pinyin-aware sort key (see `collate`), the sort key of a person's
    /// company's name, the seven texts searched after the name (company, emails, phones (digits),
    /// tags, job title and department, notes, text custom fields: lowercased, values joined by
    /// SEP), then what a row shows as typed (name, owner, job title, department, first email,
    /// first phone, company id, deletion time): one allocation a record instead of eighteen
    /// (see [`Packed`]).
    packed: Packed,
    /// Which of the optional parts are there ([`HAS_COMPANY`] ...): an empty part is not a value.
    has: u8,
    custom: Vec<CustomValue>,
    last_activity_ms: i64,
}

const HAS_COMPANY: u8 = 1;
const HAS_EMAIL: u8 = 2;
const HAS_PHONE: u8 = 4;
const HAS_DELETED: u8 = 8;

/// What a row shows of a record as typed, handed to [`pack`].
struct Shown<'a> {
    name: &'a str,
    owner: &'a str,
    job_title: &'a str,
    department: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    company_id: Option<&'a str>,
    deleted_at: Option<&'a str>,
}

/// A record's buffer of parts and its presence bits: the ten searched parts, then `shown`.
fn pack(searched: [&str; 10], shown: &Shown<'_>) -> (Packed, u8) {
    let mut parts = [""; PARTS];
    parts[..10].copy_from_slice(&searched);
    let optional = [shown.email, shown.phone, shown.company_id, shown.deleted_at];
    parts[10..14].copy_from_slice(&[shown.name, shown.owner, shown.job_title, shown.department]);
    let mut has = 0;
    for (i, (part, bit)) in optional.iter().zip([HAS_EMAIL, HAS_PHONE, HAS_COMPANY, HAS_DELETED]).enumerate() {
        if let Some(v) = part {
            parts[14 + i] = v;
            has |= bit;
        }
    }
    (Packed::new(parts), has)
}

/// Parts in a record's buffer.
const PARTS: usize = 18;

/// A customer's parts (see [`pack`]) in one buffer (`search/mapped.rs`).
type Packed = crate::search::mapped::Packed<PARTS>;

impl Packed {
    /// A buffer and its ends as a snapshot gives them, if every part lies in the text, in order,
    /// on a character's edge (`part` slices), and each optional part is there exactly when its
    /// bit in `has` says so (as [`pack`] makes them).
    fn checked(buf: Text, ends: [u32; PARTS], has: u8) -> Option<Self> {
        let mut from = 0;
        for &end in &ends {
            let end = end as usize;
            if end < from || end > buf.len() || !buf.is_char_boundary(end) {
                return None;
            }
            from = end;
        }
        if from != buf.len() || has & !(HAS_EMAIL | HAS_PHONE | HAS_COMPANY | HAS_DELETED) != 0 {
            return None;
        }
        let packed = Self { buf, ends };
        let optional = [(HAS_EMAIL, 14), (HAS_PHONE, 15), (HAS_COMPANY, 16), (HAS_DELETED, 17)];
        optional.iter().all(|&(bit, part)| has & bit != 0 || packed.part(part).is_empty()).then_some(packed)
    }
}

impl Doc {
    fn name_lc(&self) -> &str {
        self.packed.part(0)
    }

    /// The name as typed.
    fn name(&self) -> &str {
        self.packed.part(10)
    }

    fn owner(&self) -> &str {
        self.packed.part(11)
    }

    fn job_title(&self) -> &str {
        self.packed.part(12)
    }

    fn department(&self) -> &str {
        self.packed.part(13)
    }

    fn optional(&self, bit: u8, part: usize) -> Option<&str> {
        (self.has & bit != 0).then(|| self.packed.part(part))
    }

    /// The first email, as typed.
    fn email(&self) -> Option<&str> {
        self.optional(HAS_EMAIL, 14)
    }

    /// The first phone, as typed.
    fn phone(&self) -> Option<&str> {
        self.optional(HAS_PHONE, 15)
    }

    fn company_id(&self) -> Option<&str> {
        self.optional(HAS_COMPANY, 16)
    }

    fn deleted_at(&self) -> Option<&str> {
        self.optional(HAS_DELETED, 17)
    }

    fn sort_key(&self) -> &str {
        self.packed.part(1)
    }

    fn company_sort(&self) -> &str {
        self.packed.part(2)
    }

    /// The name lowercased, then the seven texts: what each posting map of the index is made of.
    fn searched(&self) -> impl Iterator<Item = &str> {
        std::iter::once(0).chain(3..10).map(|i| self.packed.part(i))
    }

    fn text(&self, f: MatchField) -> &str {
        match f {
            MatchField::Name => self.name_lc(),
            MatchField::Company => self.packed.part(3),
            MatchField::Email => self.packed.part(4),
            MatchField::Phone => self.packed.part(5),
            MatchField::Tag => self.packed.part(6),
            MatchField::Job => self.packed.part(7),
            MatchField::Notes => self.packed.part(8),
            MatchField::Custom => self.packed.part(9),
        }
    }

    /// What the company column sorts by: a company's own name, a person's company's name.
    fn company_key(&self) -> &str {
        if self.kind == CustomerKind::Company {
            self.sort_key()
        } else {
            self.company_sort()
        }
    }

    /// Search's order within a tier: shorter name, then name, then id.
    fn ranking(&self, other: &Doc) -> Ordering {
        (self.name_len, self.name_lc(), &self.id.0).cmp(&(other.name_len, other.name_lc(), &other.id.0))
    }

    /// A coarse, order-preserving stand-in for (name length, name): compared as one integer.
    fn rank_key(&self) -> u64 {
        let mut prefix = [0u8; 6];
        for (d, s) in prefix.iter_mut().zip(self.name_lc().bytes()) {
            *d = s;
        }
        let mut k = (self.name_len.min(0xFFFF) as u64) << 48;
        for (i, b) in prefix.iter().enumerate() {
            k |= (*b as u64) << (40 - 8 * i);
        }
        k
    }
}

/// A search hit's place in the ranking: tier, then shorter name, name, id.
pub(crate) type RankKey = (u8, usize, String, String);

/// A record's place in a list's order, owned: the sort's own column, then the name's pinyin key,
/// the name and the id, as [`CustomerIndex::cmp_slots`] compares them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ListKey {
    head: ListHead,
    sort_key: String,
    name_lc: String,
    id: String,
}

/// The sort's own column (one variant per list, so the derived order compares like with like).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ListHead {
    None,
    Updated(i64),
    Stage(Stage),
    Owner(String),
    /// No company sorts last: (no company, the company's key).
    Company(bool, String),
}

/// What list filters read, packed so a filter pass over 100,000 records stays in cache.
#[derive(Clone, Copy, Default)]
struct Meta {
    rank: u64,
    live: bool,
    deleted: bool,
    stage: u8,
    kind: u8,
    owner: u32,
    tag_bits: u64,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct FilterKey {
    sort: SortKey,
    trash: bool,
    stage: Option<Stage>,
    kind: Option<CustomerKind>,
    owner: Option<String>,
    tag: Option<String>,
    custom: Vec<CustomValue>,
    inactive_since: Option<i64>,
}

/// The orders kept sorted: one per list sort, and lowercase-name order for search's prefix tier
/// (a binary search needs the order it searches; the list sorts names by pinyin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Order {
    List(SortKey),
    Prefix,
}

#[derive(Default)]
struct Caches {
    sorted: FxHashMap<Order, Arc<Vec<Slot>>>,
    filtered: FxHashMap<FilterKey, Arc<Vec<Slot>>>,
}

/// Records by lowercased email and by normalised phone: what duplicate warnings look up.
#[derive(Default)]
struct DupeMaps {
    email: FxHashMap<String, Vec<Slot>>,
    phone: FxHashMap<String, Vec<Slot>>,
}

/// The duplicate maps, made on first need. A window that never checks for duplicates (nobody
/// types a new customer, nothing is written) never makes them: from a snapshot they stay the
/// file's bytes, checked when it loaded, until then. At 100,000 customers the maps took about
/// 20 MB and a fifth of the snapshot's load; the bytes take 8 MB (docs/benchmarks.md).
#[derive(Default)]
struct Dupes {
    maps: OnceLock<DupeMaps>,
    /// The snapshot's section, as [`CustomerIndex::encode`] wrote it, not yet read into maps.
    pending: Option<Blob>,
}

impl Dupes {
    fn get(&self) -> &DupeMaps {
        self.maps.get_or_init(|| self.pending.as_deref().map(read_dupes).unwrap_or_default())
    }

    /// Changes the maps (made first if need be); the snapshot's bytes are then let go.
    fn edit(&mut self, f: impl FnOnce(&mut DupeMaps)) {
        self.get();
        self.pending = None;
        if let Some(maps) = self.maps.get_mut() {
            f(maps);
        }
    }
}

/// The maps a snapshot's section holds. It was checked when the snapshot loaded
/// ([`check_dupes`]), so nothing here fails; were it to, the maps would hold less, never panic.
fn read_dupes(bytes: &[u8]) -> DupeMaps {
    let mut d = Decoder::new(bytes);
    let mut read = || {
        let mut map = FxHashMap::default();
        let keys = d.u32().unwrap_or(0) as usize;
        map.reserve(keys.min(d.remaining()));
        for _ in 0..keys {
            let (Some(k), Some(slots)) = (d.string(), d.slots()) else { break };
            map.insert(k, slots);
        }
        map
    };
    let email = read();
    DupeMaps { email, phone: read() }
}

/// Walks a snapshot's duplicate maps without making them: keys are UTF-8 and every slot is one
/// of the `n`. None when they are not so (the snapshot is then refused).
fn check_dupes(d: &mut Decoder<'_>, n: usize) -> Option<()> {
    for _ in 0..2 {
        let keys = d.u32()? as usize;
        if keys > d.remaining() {
            return None;
        }
        for _ in 0..keys {
            d.str()?;
            for _ in 0..d.u32()? {
                if d.u32()? as usize >= n {
                    return None;
                }
            }
        }
    }
    Some(())
}

#[derive(Default)]
pub struct CustomerIndex {
    docs: Vec<Option<Doc>>,
    meta: Vec<Meta>,
    by_id: FxHashMap<String, Slot>,
    /// People's slots by company id, so a company rename can refresh them.
    people: FxHashMap<String, Vec<Slot>>,
    /// Records by lowercased email and by normalised phone, for duplicate warnings.
    dupes: Dupes,
    /// Postings: index 0 is the name, then FIELDS in order.
    postings: [FxHashMap<Gram, Posting>; 8],
    owners: FxHashMap<String, u32>,
    tags: FxHashMap<String, u32>,
    empty_slots: usize,
    /// Slots below this hold records in search's order ([`Doc::ranking`]), holes aside: a tier
    /// walks its candidates best first and stops when the page is full. Records added or changed
    /// since sit past it (the tail, ranked as they are found) until the slots are numbered again.
    sorted: usize,
    caches: Mutex<Caches>,
}

/// Whether a record's custom values pass every filter: the value is equal, or (a multi choice)
/// holds the filter's option key among its keys. A substring rule would let option `o1` match
/// `o10`, so there is none.
fn custom_matches(values: &[CustomValue], filters: &[CustomValue]) -> bool {
    filters.iter().all(|f| {
        let want = f.value.trim();
        want.is_empty() || values.iter().any(|v| v.field_id == f.field_id && (v.value == want || v.value.split(',').any(|k| k == want)))
    })
}

/// Name tiers, best first; fields follow from 3 on.
const EXACT: u8 = 0;
const PREFIX: u8 = 1;
const CONTAINS: u8 = 2;
/// After every field's own tier: records holding each of several words somewhere.
const EVERY_WORD: u8 = CONTAINS + 1 + FIELDS.len() as u8;

type Hit = (u8, u64, Slot, MatchField);

/// Names a person would call the same: equal ignoring case and spaces, or one edit apart once
/// they are long enough for a typo to be the likely story (3 characters and more).
fn close_names(a: &str, b: &str) -> bool {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<Vec<char>>();
    let (a, b) = (squash(a), squash(b));
    if a == b {
        return true;
    }
    if a.len().min(b.len()) < 3 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    // One insertion, deletion or substitution.
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            Ordering::Greater => i += 1,
            Ordering::Less => j += 1,
            Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// What the form has typed so far, for [`CustomerIndex::duplicates`].
pub struct DuplicateProbe<'a> {
    pub kind: CustomerKind,
    pub name: &'a str,
    pub company_id: Option<&'a str>,
    pub emails: &'a [String],
    pub phones: &'a [String],
    pub exclude: Option<&'a str>,
}

/// Which slots a search already returned: a bitmap, cheaper than hashing 60,000 slots.
struct Seen(Vec<u64>);

impl Seen {
    fn has(&self, s: Slot) -> bool {
        self.0[s as usize / 64] & (1 << (s % 64)) != 0
    }
    /// Marks `s`; true if it was not marked before.
    fn mark(&mut self, s: Slot) -> bool {
        let fresh = !self.has(s);
        self.0[s as usize / 64] |= 1 << (s % 64);
        fresh
    }
}

impl CustomerIndex {
    pub fn build(mut sources: Vec<IndexSource>) -> Self {
        let mut ix = CustomerIndex::default();
        // People show their company's name: looked up here, as the companies may come later in
        // search's order, in which the slots are numbered.
        let companies: FxHashMap<String, (String, String)> = sources
            .iter()
            .filter(|s| s.kind == "company" && s.deleted_at.is_none())
            .map(|s| (s.id.clone(), (s.name.to_lowercase(), super::collate::sort_key(&s.name))))
            .collect();
        let mut keyed: Vec<((usize, String), IndexSource)> =
            sources.drain(..).map(|s| ((s.name.chars().count(), s.name.to_lowercase()), s)).collect();
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
        for (_, s) in keyed {
            let company = s.company_id.as_deref().and_then(|c| companies.get(c)).cloned().unwrap_or_default();
            ix.remove(&s.id);
            ix.push(s, company);
        }
        ix.sorted = ix.docs.len();
        // Grown by doubling: up to half of each would be spare room (6 MB at 100,000 customers).
        ix.docs.shrink_to_fit();
        ix.meta.shrink_to_fit();
        let n = ix.docs.len();
        for postings in ix.postings.iter_mut() {
            for p in postings.values_mut() {
                *p = std::mem::take(p).settled(n);
            }
        }
        // An id given twice leaves a hole in order; anything else out of order would be a bug.
        debug_assert!(ix.in_order());
        ix.sorted_slots(Order::Prefix); // search's prefix tier reads it: sort once, patch after
        ix
    }

    /// Whether the slots below `sorted` are in search's order (a snapshot's claim, checked).
    fn in_order(&self) -> bool {
        let mut last: Option<&Doc> = None;
        for d in self.docs[..self.sorted].iter().flatten() {
            if last.is_some_and(|l| l.ranking(d) != Ordering::Less) {
                return false;
            }
            last = Some(d);
        }
        true
    }

    /// Where the index's heap goes, part by part, in bytes (a diagnostic: the lean bench prints it).
    #[doc(hidden)]
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        use crate::search::grams::{keyed_bytes, postings_bytes};
        let docs = self.docs.capacity() * std::mem::size_of::<Option<Doc>>();
        let text: usize = self.docs.iter().flatten().map(|d| d.packed.buf.heap_bytes() + d.id.as_str().len()).sum();
        let tags: usize =
            self.docs.iter().flatten().map(|d| d.tags.capacity() * 24 + d.tags.iter().map(|t| t.capacity()).sum::<usize>()).sum();
        let custom: usize = self
            .docs
            .iter()
            .flatten()
            .map(|d| {
                d.custom.capacity() * std::mem::size_of::<CustomValue>()
                    + d.custom.iter().map(|c| c.value.capacity() + c.field_id.as_str().len()).sum::<usize>()
            })
            .sum();
        let (mut table, mut data) = (0, 0);
        for p in &self.postings {
            let (t, d) = postings_bytes(p);
            table += t;
            data += d;
        }
        let caches = {
            let c = self.caches.lock().unwrap_or_else(|e| e.into_inner());
            c.sorted.values().chain(c.filtered.values()).map(|v| v.capacity() * 4).sum()
        };
        vec![
            ("records (slots)", docs),
            ("records' text (on the heap; loaded from a snapshot it stays in the file)", text),
            ("tags", tags),
            ("custom values", custom),
            ("ranking keys (meta)", self.meta.capacity() * std::mem::size_of::<Meta>()),
            ("ids → slots", keyed_bytes(&self.by_id)),
            ("people by company", keyed_bytes(&self.people)),
            (
                "emails and phones (maps, or the snapshot's bytes until needed)",
                self.dupes.maps.get().map_or(0, |m| keyed_bytes(&m.email) + keyed_bytes(&m.phone))
                    + self.dupes.pending.as_ref().map_or(0, |b| b.heap_bytes()),
            ),
            ("postings' tables", table),
            ("postings' slots and bitmaps", data),
            ("kept orders", caches),
        ]
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn live_count(&self) -> usize {
        self.meta.iter().filter(|m| m.live && !m.deleted).count()
    }

    fn doc(&self, id: &str) -> Option<&Doc> {
        self.by_id.get(id).and_then(|&s| self.docs[s as usize].as_ref())
    }

    fn company_name_lc(&self, company_id: Option<&str>) -> String {
        company_id.and_then(|c| self.doc(c)).filter(|d| d.deleted_at().is_none()).map(|d| d.name_lc().to_string()).unwrap_or_default()
    }

    /// Ids of the people whose company is `id` (to refresh after a company changes).
    pub fn people_of(&self, id: &str) -> Vec<String> {
        let slots = self.people.get(id).map(Vec::as_slice).unwrap_or_default();
        let mut ids: Vec<String> = slots.iter().filter_map(|&s| self.docs[s as usize].as_ref()).map(|d| d.id.0.clone()).collect();
        ids.sort();
        ids
    }

    fn caches(&self) -> std::sync::MutexGuard<'_, Caches> {
        self.caches.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn intern(map: &mut FxHashMap<String, u32>, s: &str) -> u32 {
        let next = map.len() as u32;
        *map.entry(s.to_string()).or_insert(next)
    }

    fn cmp_slots(&self, order: Order, a: Slot, b: Slot) -> Ordering {
        let (da, db) = (self.docs[a as usize].as_ref(), self.docs[b as usize].as_ref());
        let (Some(da), Some(db)) = (da, db) else {
            return a.cmp(&b);
        };
        let key = match order {
            Order::Prefix => return da.name_lc().cmp(db.name_lc()).then_with(|| da.id.cmp(&db.id)),
            Order::List(key) => key,
        };
        // Every order ends in name, then id, so equal keys never shuffle between calls or devices.
        let by_name = || da.sort_key().cmp(db.sort_key()).then_with(|| da.name_lc().cmp(db.name_lc())).then_with(|| da.id.cmp(&db.id));
        match key {
            SortKey::Name => by_name(),
            SortKey::Updated => da.updated_ms.cmp(&db.updated_ms).then_with(by_name),
            SortKey::Stage => da.stage.cmp(&db.stage).then_with(by_name),
            SortKey::Owner => da.owner().cmp(db.owner()).then_with(by_name),
            // No company sorts last.
            SortKey::Company => {
                let (ka, kb) = (da.company_key(), db.company_key());
                (ka.is_empty(), ka).cmp(&(kb.is_empty(), kb)).then_with(by_name)
            }
        }
    }

    /// What list filters read of a live record (its owner and tags interned).
    fn meta_of(&mut self, doc: &Doc) -> Meta {
        let mut tag_bits = 0u64;
        for t in &doc.tags {
            let id = Self::intern(&mut self.tags, t);
            if id < 64 {
                tag_bits |= 1 << id;
            }
        }
        Meta {
            rank: doc.rank_key(),
            live: true,
            deleted: doc.deleted_at().is_some(),
            stage: doc.stage as u8,
            kind: doc.kind as u8,
            owner: Self::intern(&mut self.owners, doc.owner()),
            tag_bits,
        }
    }

    /// Adds or replaces one record.
    pub fn upsert(&mut self, s: IndexSource) {
        self.remove(&s.id);
        let company_lc = self.company_name_lc(s.company_id.as_deref());
        let company_sort = s
            .company_id
            .as_deref()
            .and_then(|c| self.doc(c))
            .filter(|d| d.deleted_at().is_none())
            .map(|d| d.sort_key().to_string())
            .unwrap_or_default();
        self.push(s, (company_lc, company_sort));
        // The tail is ranked whole at every search: number again once it is long.
        let tail = self.docs.len() - self.sorted;
        if tail > 2048 && tail * 16 > self.docs.len() {
            self.compact();
        }
    }

    /// Puts a record in the next slot (its id must not be in the index), with its company's
    /// lowercased name and sort key.
    fn push(&mut self, s: IndexSource, (company_lc, company_sort): (String, String)) {
        let slot = self.docs.len() as Slot;
        let name_lc = s.name.to_lowercase();
        let texts = [
            company_lc,
            s.emails.join("\u{1}").to_lowercase(),
            s.phones.iter().map(|p| phone_digits(p)).collect::<Vec<_>>().join("\u{1}"),
            s.tags.join("\u{1}").to_lowercase(),
            if s.department.is_empty() {
                s.job_title.to_lowercase()
            } else {
                format!("{}\u{1}{}", s.job_title, s.department).to_lowercase()
            },
            s.notes.to_lowercase(),
            s.custom_text.to_lowercase(),
        ];
        let sort_key = super::collate::sort_key(&s.name);
        let mut parts = [name_lc.as_str(), sort_key.as_str(), company_sort.as_str(), "", "", "", "", "", "", ""];
        for (part, text) in parts[3..].iter_mut().zip(&texts) {
            *part = text;
        }
        let shown = Shown {
            name: &s.name,
            owner: &s.owner,
            job_title: &s.job_title,
            department: &s.department,
            email: s.emails.first().map(String::as_str),
            phone: s.phones.first().map(String::as_str),
            company_id: s.company_id.as_deref(),
            deleted_at: s.deleted_at.as_deref(),
        };
        let (packed, has) = pack(parts, &shown);
        let doc = Doc {
            id: CustomerId(s.id.clone()),
            kind: CustomerKind::parse(&s.kind),
            name_len: s.name.chars().count(),
            packed,
            has,
            stage: Stage::parse(&s.stage),
            updated_ms: s.updated_ms,
            custom: s.custom,
            last_activity_ms: s.last_activity_ms,
            tags: s.tags,
        };
        let mut grams = Vec::with_capacity(64);
        for (i, text) in doc.searched().enumerate() {
            grams.clear();
            grams_of(text, &mut grams);
            grams.sort_unstable();
            grams.dedup();
            for g in &grams {
                self.postings[i].entry(*g).or_default().push(slot);
            }
        }
        let meta = self.meta_of(&doc);
        if let Some(c) = doc.company_id() {
            push_under(&mut self.people, c, slot);
        }
        self.dupes.edit(|maps| {
            for e in &s.emails {
                maps.email.entry(e.trim().to_lowercase()).or_default().push(slot);
            }
            for p in &s.phones {
                let n = super::validate::normalize_phone(p);
                if !n.is_empty() {
                    maps.phone.entry(n).or_default().push(slot);
                }
            }
        });
        self.by_id.insert(s.id, slot);
        self.docs.push(Some(doc));
        self.meta.push(meta);
        // Patch every cached order in place: a binary search and one insert, no re-sort.
        let mut caches = std::mem::take(&mut *self.caches());
        caches.filtered.clear();
        for (key, order) in caches.sorted.iter_mut() {
            let order = Arc::make_mut(order);
            let pos = order.binary_search_by(|probe| self.cmp_slots(*key, *probe, slot)).unwrap_or_else(|e| e);
            order.insert(pos, slot);
        }
        *self.caches() = caches;
    }

    /// Forgets a record (a row that lost its name, or before re-adding it).
    pub fn remove(&mut self, id: &str) {
        let Some(slot) = self.by_id.remove(id) else {
            return;
        };
        let mut caches = std::mem::take(&mut *self.caches());
        caches.filtered.clear();
        for order in caches.sorted.values_mut() {
            let order = Arc::make_mut(order);
            if let Some(pos) = order.iter().position(|s| *s == slot) {
                order.remove(pos);
            }
        }
        *self.caches() = caches;
        if let Some(old) = self.docs[slot as usize].take() {
            if let Some(c) = old.company_id() {
                if let Some(slots) = self.people.get_mut(c) {
                    slots.retain(|&s| s != slot);
                    if slots.is_empty() {
                        self.people.remove(c);
                    }
                }
            }
        }
        self.meta[slot as usize] = Meta::default();
        self.empty_slots += 1;
        if self.empty_slots > 1024 && self.empty_slots * 4 > self.docs.len() {
            self.compact();
        }
    }

    /// Renumbers slots densely in search's order (the tail joins the ranked slots) and drops
    /// postings of emptied slots. Posting lists are mapped and sorted, not cut from the texts
    /// again; the kept orders are mapped too (their order is the records', not the slots').
    fn compact(&mut self) {
        let remap = renumbered(&mut self.docs, &mut self.meta, Doc::ranking);
        let renumber = |list: &mut Vec<Slot>| {
            list.retain_mut(|s| {
                *s = remap[*s as usize];
                *s != Slot::MAX
            });
            list.sort_unstable();
            !list.is_empty()
        };
        let n = self.docs.len();
        for postings in self.postings.iter_mut() {
            *postings = std::mem::take(postings).into_iter().filter_map(|(g, p)| Some((g, p.remapped(&remap, n)?))).collect();
        }
        self.dupes.edit(|maps| {
            maps.email.retain(|_, list| renumber(list));
            maps.phone.retain(|_, list| renumber(list));
        });
        self.people.retain(|_, list| renumber(list));
        for s in self.by_id.values_mut() {
            *s = remap[*s as usize];
        }
        self.empty_slots = 0;
        self.sorted = self.docs.len();
        let mut caches = std::mem::take(&mut *self.caches());
        caches.filtered.clear();
        for order in caches.sorted.values_mut() {
            let order = Arc::make_mut(order);
            order.retain_mut(|s| {
                *s = remap[*s as usize];
                *s != Slot::MAX
            });
        }
        *self.caches() = caches;
    }

    fn row(&self, d: &Doc) -> CustomerRow {
        let company_name = d.company_id().and_then(|c| self.doc(c)).filter(|c| c.deleted_at().is_none()).map(|c| c.name().to_string());
        CustomerRow {
            id: d.id.clone(),
            kind: d.kind,
            name: d.name().to_string(),
            company_name,
            stage: d.stage,
            owner: d.owner().to_string(),
            job_title: d.job_title().to_string(),
            department: d.department().to_string(),
            tags: d.tags.clone(),
            email: d.email().map(str::to_string),
            phone: d.phone().map(str::to_string),
            updated_at: rfc3339_ms(d.updated_ms.max(0) as u64),
            deleted_at: d.deleted_at().map(str::to_string),
            custom: d.custom.clone(),
        }
    }

    pub fn get_row(&self, id: &str) -> Option<CustomerRow> {
        self.doc(id).map(|d| self.row(d))
    }

    /// Ranked search over live records.
    pub fn search(&self, text: &str, kind: Option<CustomerKind>, limit: usize) -> Vec<SearchHit> {
        self.search_keyed(text, kind, limit).into_iter().map(|(_, hit)| hit).collect()
    }

    /// [`Self::search`] with each hit's place in the ranking, comparable between indexes: lean mode
    /// (`super::lean`) merges the pages of many small indexes by it.
    pub(crate) fn search_keyed(&self, text: &str, kind: Option<CustomerKind>, limit: usize) -> Vec<(RankKey, SearchHit)> {
        let q = text.trim().to_lowercase();
        if q.is_empty() || limit == 0 {
            return vec![];
        }
        let wanted = |s: Slot| {
            let m = self.meta[s as usize];
            m.live && !m.deleted && kind.is_none_or(|k| m.kind == k as u8)
        };
        let doc = |s: Slot| self.docs[s as usize].as_ref().expect("live slot has a doc");
        let mut seen = Seen(vec![0u64; self.docs.len().div_ceil(64)]);

        // Exact and prefix name matches are one range of the name order: a binary search away.
        let by_name = self.sorted_slots(Order::Prefix);
        let start = by_name.partition_point(|&s| doc(s).name_lc() < q.as_str());
        let mut hits: Vec<Hit> = Vec::new();
        for &s in by_name[start..].iter().take_while(|&&s| doc(s).name_lc().starts_with(q.as_str())) {
            if wanted(s) {
                seen.mark(s);
                let tier = if doc(s).name_lc() == q { EXACT } else { PREFIX };
                hits.push((tier, self.meta[s as usize].rank, s, MatchField::Name));
            }
        }

        // Then "name contains", then each other field: each tier walks its candidates best-ranked
        // first (the slots are numbered in that order) and stops as soon as the page is full, so a
        // word in 60,000 emails costs a walk to the 21st, not an intersection of whole lists.
        let (grams, exact) = query_grams(&q);
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let phone_like = digits.len() >= 3 && q.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
        for tier_no in CONTAINS..CONTAINS + 1 + FIELDS.len() as u8 {
            if hits.len() >= limit {
                break;
            }
            let field = if tier_no == CONTAINS { MatchField::Name } else { FIELDS[(tier_no - CONTAINS - 1) as usize] };
            let (needle, grams, exact) = if field == MatchField::Phone && phone_like {
                let (g, e) = query_grams(&digits);
                (digits.as_str(), g, e)
            } else {
                (q.as_str(), grams.clone(), exact)
            };
            let Some(lists) = lists_of(&self.postings[field as usize], &grams) else { continue };
            let need = limit - hits.len();
            let found = |s: Slot| wanted(s) && !seen.has(s) && (exact || doc(s).text(field).contains(needle));
            // The ranked slots best first, up to the page; then every match in the tail, and the
            // best of both.
            let mut tier: Vec<Slot> = Meet::new(&lists, 0, self.sorted as Slot).filter(|&s| found(s)).take(need).collect();
            if self.sorted < self.docs.len() {
                tier.extend(Meet::new(&lists, self.sorted as Slot, self.docs.len() as Slot).filter(|&s| found(s)));
                tier.sort_by(|&a, &b| doc(a).ranking(doc(b)));
                tier.truncate(need);
            }
            for s in tier {
                seen.mark(s);
                hits.push((tier_no, self.meta[s as usize].rank, s, field));
            }
        }

        // Several words that the whole text did not find enough of: records where every word is
        // in some field ("欧阳 上海": the name holds one, the company the other), after the
        // phrase's own tiers, best-ranked first.
        let words: Vec<&str> = q.split_whitespace().collect();
        if words.len() > 1 && hits.len() < limit {
            self.every_word(&words, &wanted, &mut seen, limit - hits.len(), &mut hits);
        }

        // Keep the best `limit` by the coarse key plus anything tied with the last one, then order
        // exactly (tier, shorter name, name, id) and cut to the page.
        if hits.len() > limit {
            hits.select_nth_unstable_by_key(limit - 1, |h| (h.0, h.1));
            let edge = (hits[limit - 1].0, hits[limit - 1].1);
            let tail = hits.split_off(limit);
            hits.extend(tail.into_iter().filter(|h| (h.0, h.1) == edge));
        }
        hits.sort_by(|a, b| {
            let (da, db) = (doc(a.2), doc(b.2));
            (a.0, da.name_len, da.name_lc(), &da.id).cmp(&(b.0, db.name_len, db.name_lc(), &db.id))
        });
        hits.truncate(limit);
        hits.into_iter()
            .map(|(tier, _, s, matched)| {
                let d = doc(s);
                ((tier, d.name_len, d.name_lc().to_string(), d.id.0.clone()), SearchHit { row: self.row(d), matched })
            })
            .collect()
    }

    /// Adds up to `need` records (tier [`EVERY_WORD`]) in which each word is found in some field,
    /// as a one-word search would find it (a word of digits also in phone numbers' digits).
    fn every_word(&self, words: &[&str], wanted: &dyn Fn(Slot) -> bool, seen: &mut Seen, need: usize, hits: &mut Vec<Hit>) {
        const ALL: [MatchField; 8] = [
            MatchField::Name,
            MatchField::Company,
            MatchField::Email,
            MatchField::Phone,
            MatchField::Tag,
            MatchField::Job,
            MatchField::Notes,
            MatchField::Custom,
        ];
        // Each word as it is looked for: in every field as typed, in phones by its digits.
        let needles: Vec<(&str, String)> = words
            .iter()
            .map(|w| {
                let digits: String = w.chars().filter(char::is_ascii_digit).collect();
                let phone_like = digits.len() >= 3 && w.chars().all(|c| c.is_ascii_digit() || "+-().".contains(c));
                (*w, if phone_like { digits } else { w.to_string() })
            })
            .collect();
        // Candidates: the union over fields of the records holding the rarest word (the fewest
        // postings in all, by each field's shortest gram list); every word is checked on each
        // candidate below. Merging a common surname's thousands of postings too cost a query
        // 20 ms at p99; a guess by length picked "公司", in nearly every company's name.
        let per_word: Vec<Vec<Vec<&Posting>>> = needles
            .iter()
            .map(|(word, phone)| {
                ALL.iter()
                    .map(|&field| {
                        let grams = query_grams(if field == MatchField::Phone { phone } else { word }).0;
                        lists_of(&self.postings[field as usize], &grams).unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        let size = |lists: &Vec<&Posting>| lists.iter().map(|p| p.len()).min().unwrap_or(0);
        let rarest = per_word.iter().min_by_key(|fields| fields.iter().map(size).sum::<usize>()).expect("two words or more");
        let doc = |s: Slot| self.docs[s as usize].as_ref().expect("live slot has a doc");
        let field_of = |s: Slot, word: &str, phone: &str| {
            ALL.into_iter().find(|&f| doc(s).text(f).contains(if f == MatchField::Phone { phone } else { word }))
        };
        // The fields each word is in, when every word is in some field.
        let check = |s: Slot| -> Option<Vec<MatchField>> {
            if !wanted(s) || seen.has(s) {
                return None;
            }
            needles.iter().map(|(w, p)| field_of(s, w, p)).collect()
        };
        // The ranked slots best first: a merge of the rarest word's lists, walked until the page
        // is full (common words match plenty, so few are checked); then the whole tail.
        let sorted = self.sorted as Slot;
        let mut heads: Vec<std::iter::Peekable<Meet<'_>>> =
            rarest.iter().filter(|l| !l.is_empty()).map(|l| Meet::new(l, 0, sorted).peekable()).collect();
        let mut taken: Vec<(Slot, Vec<MatchField>)> = Vec::new();
        while taken.len() < need {
            let Some(s) = heads.iter_mut().filter_map(|h| h.peek().copied()).min() else { break };
            // A slot in two fields' lists comes once: every field holding it steps past it.
            for h in heads.iter_mut() {
                h.next_if_eq(&s);
            }
            if let Some(fields) = check(s) {
                taken.push((s, fields));
            }
        }
        if self.sorted < self.docs.len() {
            let end = self.docs.len() as Slot;
            let mut tail: Vec<Slot> = rarest.iter().filter(|l| !l.is_empty()).flat_map(|l| Meet::new(l, sorted, end)).collect();
            tail.sort_unstable();
            tail.dedup();
            taken.extend(tail.into_iter().filter_map(|s| check(s).map(|f| (s, f))));
            taken.sort_by(|a, b| doc(a.0).ranking(doc(b.0)));
            taken.truncate(need);
        }
        for (s, fields) in taken {
            // Shown by the first field other than the name that holds a word (the name is on the row).
            let shown = fields.iter().copied().find(|f| *f != MatchField::Name).unwrap_or(MatchField::Name);
            seen.mark(s);
            hits.push((EVERY_WORD, self.meta[s as usize].rank, s, shown));
        }
    }

    fn sorted_slots(&self, key: Order) -> Arc<Vec<Slot>> {
        if let Some(v) = self.caches().sorted.get(&key) {
            return v.clone();
        }
        let mut slots: Vec<Slot> = (0..self.docs.len() as Slot).filter(|&s| self.meta[s as usize].live).collect();
        slots.sort_by(|a, b| self.cmp_slots(key, *a, *b));
        let v = Arc::new(slots);
        self.caches().sorted.insert(key, v.clone());
        v
    }

    fn filtered_slots(&self, q: &ListQuery) -> Arc<Vec<Slot>> {
        let key = FilterKey {
            sort: q.sort,
            trash: q.trash,
            stage: q.stage,
            kind: q.kind,
            owner: q.owner.clone(),
            tag: q.tag.clone(),
            custom: q.custom.clone(),
            // "No activity in N days" moves with the clock: the day is part of the key.
            inactive_since: q.inactive_days.map(|d| crate::store::now_ms() as i64 / 86_400_000 - d as i64),
        };
        if let Some(v) = self.caches().filtered.get(&key) {
            return v.clone();
        }
        let order = self.sorted_slots(Order::List(q.sort));
        let owner = q.owner.as_ref().map(|o| self.owners.get(o).copied().unwrap_or(u32::MAX));
        let tag = q.tag.as_ref().map(|t| self.tags.get(t).copied().unwrap_or(u32::MAX));
        let cutoff = key.inactive_since.map(|day| day * 86_400_000);
        let keep = |s: Slot| {
            let m = self.meta[s as usize];
            m.live
                && m.deleted == q.trash
                && q.stage.is_none_or(|st| m.stage == st as u8)
                && q.kind.is_none_or(|k| m.kind == k as u8)
                && owner.is_none_or(|o| m.owner == o)
                && tag.is_none_or(|t| match t {
                    u32::MAX => false,
                    t if t < 64 => m.tag_bits & (1 << t) != 0,
                    _ => self.docs[s as usize].as_ref().is_some_and(|d| d.tags.iter().any(|x| Some(x) == q.tag.as_ref())),
                })
                && (q.custom.is_empty() || self.docs[s as usize].as_ref().is_some_and(|d| custom_matches(&d.custom, &q.custom)))
                && cutoff.is_none_or(|c| self.docs[s as usize].as_ref().is_some_and(|d| d.last_activity_ms < c))
        };
        let v = Arc::new(order.iter().copied().filter(|s| keep(*s)).collect::<Vec<_>>());
        self.caches().filtered.insert(key, v.clone());
        v
    }

    /// One page of the filtered, sorted list, and how many records the filter matches.
    pub fn list(&self, q: &ListQuery) -> ListPage {
        let slots = self.filtered_slots(q);
        let total = slots.len();
        let (offset, limit) = ((q.offset as usize).min(total), q.limit.min(1000) as usize);
        let end = (offset + limit).min(total);
        let page: Vec<Slot> =
            if q.descending { slots[total - end..total - offset].iter().rev().copied().collect() } else { slots[offset..end].to_vec() };
        let rows = page.into_iter().filter_map(|s| self.docs[s as usize].as_ref().map(|d| self.row(d))).collect();
        ListPage { total: total as u32, offset: q.offset, rows }
    }

    /// The records a list query keeps, ascending, each with its place in the order as a key
    /// comparable between indexes (what [`Self::cmp_slots`] compares): lean mode merges many
    /// small indexes' lists by it.
    pub(crate) fn list_keyed(&self, q: &ListQuery) -> Vec<(ListKey, String)> {
        let order = match q.sort {
            SortKey::Name => |_: &Doc| ListHead::None,
            SortKey::Updated => |d: &Doc| ListHead::Updated(d.updated_ms),
            SortKey::Stage => |d: &Doc| ListHead::Stage(d.stage),
            SortKey::Owner => |d: &Doc| ListHead::Owner(d.owner().to_string()),
            SortKey::Company => |d: &Doc| {
                let k = d.company_key();
                ListHead::Company(k.is_empty(), k.to_string())
            },
        };
        self.filtered_slots(q)
            .iter()
            .filter_map(|&s| self.docs[s as usize].as_ref())
            .map(|d| {
                let key =
                    ListKey { head: order(d), sort_key: d.sort_key().to_string(), name_lc: d.name_lc().to_string(), id: d.id.0.clone() };
                (key, d.id.0.clone())
            })
            .collect()
    }

    /// Every id the list shows for this query, in its order (what an export of "this list" writes).
    pub fn list_ids(&self, q: &ListQuery) -> Vec<String> {
        let slots = self.filtered_slots(q);
        let ids = slots.iter().filter_map(|&s| self.docs[s as usize].as_ref().map(|d| d.id.0.clone()));
        if q.descending {
            ids.rev().collect()
        } else {
            ids.collect()
        }
    }

    /// Live records that look like the one being typed: the same email, the same phone after
    /// normalisation, or a close name in the same company. `exclude` is the record being edited.
    pub fn duplicates(&self, probe: &DuplicateProbe<'_>) -> Vec<DuplicateHint> {
        let mut out: Vec<DuplicateHint> = Vec::new();
        let mut push = |s: Slot, reason: DuplicateReason, matched: &str| {
            let Some(d) = self.docs.get(s as usize).and_then(|d| d.as_ref()) else { return };
            if d.deleted_at().is_some() || Some(d.id.as_str()) == probe.exclude || out.iter().any(|h| h.row.id == d.id) {
                return;
            }
            out.push(DuplicateHint { row: self.row(d), reason, matched: matched.to_string() });
        };
        for e in probe.emails {
            let key = e.trim().to_lowercase();
            if key.is_empty() {
                continue;
            }
            for &s in self.dupes.get().email.get(&key).map(Vec::as_slice).unwrap_or_default() {
                push(s, DuplicateReason::SameEmail, e.trim());
            }
        }
        for p in probe.phones {
            let key = super::validate::normalize_phone(p);
            if key.len() < 5 {
                continue;
            }
            for &s in self.dupes.get().phone.get(&key).map(Vec::as_slice).unwrap_or_default() {
                push(s, DuplicateReason::SamePhone, p.trim());
            }
        }
        let name = probe.name.trim();
        if !name.is_empty() {
            // Colleagues at the same company; for a company, other companies' names are its peers.
            let peers: Vec<String> = match probe.company_id {
                Some(c) => self.people_of(c),
                None if probe.kind == CustomerKind::Company => self
                    .sorted_slots(Order::Prefix)
                    .iter()
                    .filter_map(|&s| self.docs[s as usize].as_ref())
                    .filter(|d| d.kind == CustomerKind::Company)
                    .map(|d| d.id.0.clone())
                    .collect(),
                None => vec![],
            };
            let key = super::collate::sort_key(name);
            let lc = name.to_lowercase();
            for id in peers {
                if let Some(&s) = self.by_id.get(&id) {
                    if let Some(d) = self.docs[s as usize].as_ref() {
                        if d.sort_key() == key || close_names(d.name_lc(), &lc) {
                            push(s, DuplicateReason::SimilarName, d.name());
                        }
                    }
                }
            }
        }
        out.truncate(10);
        out
    }

    /// Every likely duplicate pair among live records: shared emails, shared phones (normalised),
    /// and close names at the same company (or, for companies, among companies). Each pair once,
    /// with its strongest reason (email, then phone, then name); at most `limit` pairs.
    pub fn duplicate_pairs(&self, limit: usize) -> Vec<DuplicatePair> {
        let live = |s: Slot| self.docs.get(s as usize).and_then(|d| d.as_ref()).filter(|d| d.deleted_at().is_none());
        let mut seen: rustc_hash::FxHashSet<(Slot, Slot)> = Default::default();
        let mut out: Vec<DuplicatePair> = Vec::new();
        let mut add = |a: Slot, b: Slot, reason: DuplicateReason, matched: &str, out: &mut Vec<DuplicatePair>| {
            let (a, b) = if a < b { (a, b) } else { (b, a) };
            if a == b || out.len() >= limit || !seen.insert((a, b)) {
                return;
            }
            if let (Some(da), Some(db)) = (live(a), live(b)) {
                // The older record first (ids are UUIDv7: time first), whatever slots they hold.
                let (da, db) = if da.id.0 <= db.id.0 { (da, db) } else { (db, da) };
                let (a, b) = (self.row(da), self.row(db));
                // Names are their own writing; emails and phones are filled in from the store
                // (`Customers::duplicate_pairs`): the index keeps only the compared forms.
                let (a_shared, b_shared) = (a.name.clone(), b.name.clone());
                out.push(DuplicatePair { a, b, reason, matched: matched.to_string(), a_shared, b_shared });
            }
        };
        let maps = self.dupes.get();
        for (map, reason) in [(&maps.email, DuplicateReason::SameEmail), (&maps.phone, DuplicateReason::SamePhone)] {
            let mut keys: Vec<(&String, &Vec<Slot>)> = map.iter().filter(|(_, v)| v.len() > 1).collect();
            keys.sort_by(|a, b| a.0.cmp(b.0)); // a stable order from run to run
            for (key, slots) in keys {
                let slots: Vec<Slot> = slots.iter().copied().filter(|&s| live(s).is_some()).collect();
                // A value shared by many records (a switchboard number) pairs each with the first only.
                for &s in slots.iter().skip(1) {
                    add(slots[0], s, reason, key, &mut out);
                }
            }
        }
        // Close names: neighbours in pinyin order within each company (and among companies), so
        // the scan stays linear however large a company is.
        let mut groups: FxHashMap<&str, Vec<Slot>> = FxHashMap::default();
        for (s, d) in self.docs.iter().enumerate() {
            let Some(d) = d.as_ref().filter(|d| d.deleted_at().is_none()) else { continue };
            let group = match (d.company_id(), d.kind) {
                (Some(c), _) => c,
                (None, CustomerKind::Company) => "\u{0}companies",
                (None, CustomerKind::Person) => continue,
            };
            groups.entry(group).or_default().push(s as Slot);
        }
        let mut group_keys: Vec<&&str> = groups.keys().collect();
        group_keys.sort();
        for g in group_keys {
            let mut members = groups[*g].clone();
            members.sort_by(|a, b| self.cmp_slots(Order::List(SortKey::Name), *a, *b));
            for w in members.windows(2) {
                let (da, db) = (live(w[0]).expect("live"), live(w[1]).expect("live"));
                if da.sort_key() == db.sort_key() || close_names(da.name_lc(), db.name_lc()) {
                    add(w[0], w[1], DuplicateReason::SimilarName, db.name(), &mut out);
                }
            }
        }
        out
    }

    /// Owners and tags in use on live records, for the list's filters.
    pub fn facets(&self) -> Facets {
        let mut owners = BTreeSet::new();
        let mut tags = BTreeSet::new();
        for d in self.docs.iter().flatten().filter(|d| d.deleted_at().is_none()) {
            if !d.owner().is_empty() {
                owners.insert(d.owner());
            }
            tags.extend(d.tags.iter().map(String::as_str));
        }
        Facets { owners: owners.into_iter().map(String::from).collect(), tags: tags.into_iter().map(String::from).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snapshot's record buffer is taken only as `pack` makes one: parts in the text, in order,
    /// on a character's edge, optional parts there only with their bit. Anything else would panic
    /// later (a slice off a character's edge) or show a value that is not there.
    #[test]
    fn a_snapshots_record_buffer_is_taken_only_as_pack_makes_one() {
        let shown = Shown {
            name: "王海燕",
            owner: "ana",
            job_title: "",
            department: "",
            email: Some("w@example.cn"),
            phone: None,
            company_id: Some("c1"),
            deleted_at: None,
        };
        let (good, has) = pack(["王海燕", "wanghaiyan", "", "", "w@example.cn", "", "", "", "", ""], &shown);
        let round = Packed::checked(good.buf.clone(), good.ends, has).expect("pack's own buffer");
        assert_eq!((round.part(10), round.part(14), round.part(16)), ("王海燕", "w@example.cn", "c1"));
        let edit = |f: &dyn Fn(&mut [u32; PARTS]) -> u8| {
            let mut ends = good.ends;
            let has = f(&mut ends);
            Packed::checked(good.buf.clone(), ends, has).is_some()
        };
        let cases: [(&str, &dyn Fn(&mut [u32; PARTS]) -> u8); 7] = [
            ("as made", &|_| has),
            ("an end past the text", &|e| {
                e[PARTS - 1] += 1;
                has
            }),
            ("ends out of order", &|e| {
                e.swap(0, 1);
                has
            }),
            ("an end inside a character", &|e| {
                e[0] = 1;
                has
            }),
            ("text after the last part", &|e| {
                e[PARTS - 1] -= 1;
                e[PARTS - 2] = e[PARTS - 2].min(e[PARTS - 1]);
                has
            }),
            ("an unknown bit", &|_| has | 0x40),
            ("an email without its bit", &|_| has & !HAS_EMAIL),
        ];
        for (what, case) in cases {
            assert_eq!(edit(case), what == "as made", "{what}");
        }
    }

    #[test]
    fn custom_filters_match_whole_values_and_option_keys_only() {
        let v = |f: &str, x: &str| CustomValue { field_id: crate::ids::FieldId(f.into()), value: x.into() };
        let record = [v("level", "o10"), v("tags", "o2,o10"), v("budget", "1200")];
        let cases = [
            (v("level", "o10"), true),
            (v("level", "o1"), false),
            (v("tags", "o2"), true),
            (v("tags", "o1"), false),
            (v("budget", "1200"), true),
            (v("budget", "120"), false),
            (v("level", " "), true),
        ];
        for (filter, want) in cases {
            assert_eq!(custom_matches(&record, std::slice::from_ref(&filter)), want, "{filter:?}");
        }
    }

    fn src(id: &str, kind: &str, name: &str) -> IndexSource {
        IndexSource { id: id.into(), kind: kind.into(), name: name.into(), stage: "lead".into(), ..Default::default() }
    }

    fn names(hits: &[SearchHit]) -> Vec<&str> {
        hits.iter().map(|h| h.row.name.as_str()).collect()
    }

    fn sample() -> CustomerIndex {
        let mut people = src("p1", "person", "王海示");
        people.company_id = Some("c1".into());
        CustomerIndex::build(vec![
            src("c1", "company", "上海示例贸易有限公司"),
            src("c2", "company", "Shanghai Example Trading"),
            people,
            IndexSource {
                emails: vec!["Li.Na@Example.com".into()],
                phones: vec!["+86 138-0013-8000".into()],
                tags: vec!["VIP".into()],
                ..src("p2", "person", "李娜")
            },
            IndexSource { notes: "met at the 海示 fair".into(), ..src("p3", "person", "Zed") },
            src("p4", "person", "海"),
        ])
    }

    #[test]
    fn chinese_substrings_of_any_length_find_names() {
        let ix = sample();
        assert_eq!(names(&ix.search("海示", None, 10)), vec!["王海示", "上海示例贸易有限公司", "Zed"]);
        assert_eq!(names(&ix.search("海", None, 10))[0], "海", "an exact name ranks first");
        assert!(names(&ix.search("贸易有限", None, 10)).contains(&"上海示例贸易有限公司"));
    }

    #[test]
    fn a_person_is_found_by_their_company_name() {
        let ix = sample();
        let hits = ix.search("示例贸易", None, 10);
        assert_eq!(names(&hits), vec!["上海示例贸易有限公司", "王海示"]);
        assert_eq!(hits[1].matched, MatchField::Company);
        assert_eq!(hits[1].row.company_name.as_deref(), Some("上海示例贸易有限公司"));
    }

    #[test]
    fn english_is_case_insensitive_and_prefix_beats_contains() {
        let ix = sample();
        assert_eq!(names(&ix.search("SHANG", None, 10)), vec!["Shanghai Example Trading"]);
        assert_eq!(names(&ix.search("example", None, 10)), vec!["Shanghai Example Trading", "李娜"]);
    }

    #[test]
    fn phones_match_whatever_separators_are_typed() {
        let ix = sample();
        for q in ["13800138000", "138 0013", "0013-8000", "+86 138"] {
            let hits = ix.search(q, None, 10);
            assert_eq!(names(&hits), vec!["李娜"], "query {q}");
            assert_eq!(hits[0].matched, MatchField::Phone);
        }
    }

    #[test]
    fn each_field_reports_what_matched() {
        let mut ix = sample();
        ix.upsert(IndexSource { job_title: "采购经理".into(), department: "Purchasing".into(), ..src("p5", "person", "赵敏") });
        assert_eq!(ix.search("li.na@", None, 5)[0].matched, MatchField::Email);
        assert_eq!(ix.search("vip", None, 5)[0].matched, MatchField::Tag);
        assert_eq!(ix.search("fair", None, 5)[0].matched, MatchField::Notes);
        assert_eq!(ix.search("采购", None, 5)[0].matched, MatchField::Job, "by job title");
        assert_eq!(ix.search("purchasing", None, 5)[0].matched, MatchField::Job, "by department");
        let row = &ix.search("经理", None, 5)[0].row;
        assert_eq!((row.job_title.as_str(), row.department.as_str()), ("采购经理", "Purchasing"), "rows carry them as typed");
        assert_eq!(names(&ix.search("赵 采购", None, 5)), vec!["赵敏"], "with other words across fields");
        assert!(ix.search("nothing like this", None, 5).is_empty());
        assert!(ix.search("   ", None, 5).is_empty());
    }

    #[test]
    fn kind_filter_and_trash_are_respected() {
        let mut ix = sample();
        assert_eq!(names(&ix.search("海示", Some(CustomerKind::Company), 10)), vec!["上海示例贸易有限公司"]);
        ix.upsert(IndexSource { deleted_at: Some("2026-01-01T00:00:00Z".into()), ..src("p4", "person", "海") });
        assert!(!names(&ix.search("海", None, 10)).contains(&"海"));
        let trash = ix.list(&ListQuery { trash: true, ..Default::default() });
        assert_eq!(trash.total, 1);
        assert_eq!(trash.rows[0].name, "海");
    }

    #[test]
    fn list_pages_sort_filter_and_count() {
        let ix = sample();
        let all = ix.list(&ListQuery { limit: 2, ..Default::default() });
        assert_eq!(all.total, 6);
        assert_eq!(all.rows.len(), 2);
        let people = ix.list(&ListQuery { kind: Some(CustomerKind::Person), sort: SortKey::Name, descending: true, ..Default::default() });
        assert_eq!(people.total, 4);
        assert_eq!(people.rows[0].name, "Zed", "pinyin order (hai, li, wang, zed), descending");
        let vip = ix.list(&ListQuery { tag: Some("VIP".into()), ..Default::default() });
        assert_eq!(vip.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["李娜"]);
        let page2 = ix.list(&ListQuery { offset: 5, limit: 10, ..Default::default() });
        assert_eq!(page2.rows.len(), 1);
    }

    #[test]
    fn names_one_typo_apart_are_close_short_ones_are_not() {
        for (a, b, want) in [
            ("王海示", "王海示", true),
            ("jane doe", "janedoe", true),
            ("jane doe", "jane do", true),
            ("jane doe", "jane dog", true),
            ("jane doe", "john doe", false),
            ("王海", "王海示", false),
            ("ab", "ac", false),
        ] {
            assert_eq!(close_names(a, b), want, "{a} ~ {b}");
        }
    }

    #[test]
    fn duplicates_are_found_by_email_phone_and_close_name_at_the_same_company() {
        let mut p1 = src("p1", "person", "王海示");
        p1.company_id = Some("c1".into());
        p1.emails = vec!["Wang@Example.cn".into()];
        p1.phones = vec!["+86 138-0013-8000".into()];
        let ix = CustomerIndex::build(vec![src("c1", "company", "上海示例贸易"), p1, src("p2", "person", "王海时")]);
        let probe = |name: &str, company: Option<&str>, emails: &[String], phones: &[String]| {
            ix.duplicates(&DuplicateProbe { kind: CustomerKind::Person, name, company_id: company, emails, phones, exclude: None })
                .into_iter()
                .map(|h| (h.row.id.0, h.reason))
                .collect::<Vec<_>>()
        };
        assert_eq!(probe("x", None, &["wang@example.cn ".into()], &[]), vec![("p1".to_string(), DuplicateReason::SameEmail)]);
        assert_eq!(probe("x", None, &[], &["13800138000".into()]), vec![("p1".to_string(), DuplicateReason::SamePhone)]);
        assert_eq!(
            probe("王海是", Some("c1"), &[], &[]),
            vec![("p1".to_string(), DuplicateReason::SimilarName)],
            "same pinyin, same company"
        );
        assert!(probe("王海是", None, &[], &[]).is_empty(), "a close name elsewhere is not a duplicate");
        let editing = ix.duplicates(&DuplicateProbe {
            kind: CustomerKind::Person,
            name: "王海示",
            company_id: Some("c1"),
            emails: &[],
            phones: &[],
            exclude: Some("p1"),
        });
        assert!(editing.is_empty(), "a record is not its own duplicate");
    }

    #[test]
    fn the_duplicate_scan_pairs_each_likely_duplicate_once_with_its_strongest_reason() {
        let mut a = src("a", "person", "王海示");
        a.company_id = Some("c".into());
        a.emails = vec!["w@x.cn".into()];
        a.phones = vec!["13800138000".into()];
        let mut b = src("b", "person", "王海是");
        b.company_id = Some("c".into());
        b.emails = vec!["W@x.cn".into()];
        b.phones = vec!["+86 138 0013 8000".into()];
        let mut d = src("d", "person", "Jane Doe");
        d.phones = vec!["13800138000".into()];
        let gone = IndexSource {
            deleted_at: Some("2026-01-01T00:00:00Z".into()),
            phones: vec!["13800138000".into()],
            ..src("e", "person", "Gone")
        };
        let ix = CustomerIndex::build(vec![src("c", "company", "Acme Trading"), src("c2", "company", "Acme Tradng"), a, b, d, gone]);
        let pairs: Vec<(String, String, DuplicateReason)> =
            ix.duplicate_pairs(100).into_iter().map(|p| (p.a.id.0, p.b.id.0, p.reason)).collect();
        assert!(pairs.contains(&("a".into(), "b".into(), DuplicateReason::SameEmail)), "{pairs:?}");
        assert_eq!(pairs.iter().filter(|p| (p.0.as_str(), p.1.as_str()) == ("a", "b")).count(), 1, "each pair once");
        assert!(pairs.iter().any(|p| p.2 == DuplicateReason::SamePhone && (p.0 == "d" || p.1 == "d")));
        assert!(
            pairs.iter().any(|p| p.2 == DuplicateReason::SimilarName && p.0.starts_with('c') && p.1.starts_with('c')),
            "companies one typo apart"
        );
        assert!(pairs.iter().all(|p| p.0 != "e" && p.1 != "e"), "trashed records are not offered");
    }

    #[test]
    fn results_stay_exact_after_many_edits_and_compaction() {
        let mut ix = CustomerIndex::default();
        for round in 0..3 {
            for i in 0..2000 {
                ix.upsert(src(&format!("id{i}"), "person", &format!("客户{i}号 round{round}")));
            }
        }
        assert_eq!(ix.len(), 2000);
        assert_eq!(ix.search("round0", None, 10).len(), 0);
        assert_eq!(ix.search("客户1999号", None, 10)[0].row.name, "客户1999号 round2");
        assert_eq!(ix.list(&ListQuery::default()).total, 2000);
    }

    /// The ranking rule written the slow, obvious way, to check the fast index against.
    fn brute_force(sources: &[IndexSource], q: &str, limit: usize) -> Vec<String> {
        let q = q.trim().to_lowercase();
        if q.is_empty() {
            return vec![];
        }
        let mut scored: Vec<(u8, usize, String, String)> = Vec::new();
        for s in sources.iter().filter(|s| s.deleted_at.is_none()) {
            let name = s.name.to_lowercase();
            let company = s
                .company_id
                .as_ref()
                .and_then(|c| sources.iter().find(|x| &x.id == c && x.deleted_at.is_none()))
                .map(|c| c.name.to_lowercase())
                .unwrap_or_default();
            let digits: String = q.chars().filter(char::is_ascii_digit).collect();
            let phone_like = digits.len() >= 3 && q.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
            let phones: Vec<String> = s.phones.iter().map(|p| phone_digits(p)).collect();
            let job = [s.job_title.to_lowercase(), s.department.to_lowercase()];
            let tier = if name == q {
                0
            } else if name.starts_with(&q) {
                1
            } else if name.contains(&q) {
                2
            } else if company.contains(&q) {
                3
            } else if s.emails.iter().any(|e| e.to_lowercase().contains(&q)) {
                4
            } else if phones.iter().any(|p| p.contains(if phone_like { digits.as_str() } else { q.as_str() })) {
                5
            } else if s.tags.iter().any(|t| t.to_lowercase().contains(&q)) {
                6
            } else if job.iter().any(|j| j.contains(&q)) {
                7
            } else if s.notes.to_lowercase().contains(&q) {
                8
            } else if q.split_whitespace().count() > 1
                && q.split_whitespace().all(|w| {
                    let digits: String = w.chars().filter(char::is_ascii_digit).collect();
                    let phone_word = if digits.len() >= 3 && w.chars().all(|c| c.is_ascii_digit() || "+-().".contains(c)) {
                        digits
                    } else {
                        w.to_string()
                    };
                    name.contains(w)
                        || company.contains(w)
                        || s.emails.iter().any(|e| e.to_lowercase().contains(w))
                        || phones.iter().any(|p| p.contains(&phone_word))
                        || s.tags.iter().any(|t| t.to_lowercase().contains(w))
                        || job.iter().any(|j| j.contains(w))
                        || s.notes.to_lowercase().contains(w)
                })
            {
                // Every one of several words, each in some field.
                9
            } else {
                continue;
            };
            scored.push((tier, name.chars().count(), name, s.id.clone()));
        }
        scored.sort();
        scored.into_iter().take(limit).map(|x| x.3).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]
        #[test]
        fn search_returns_exactly_what_a_brute_force_scan_ranks_first(
            names in proptest::collection::vec("[王海示李ab c]{1,6}", 1..120),
            query in "[王海示李ab c1]{1,3}",
            limit in 1usize..12,
            built in 0usize..120,
            renames in proptest::collection::vec((0usize..120, "[王海示李ab c]{1,6}"), 0..20),
            compact_at in 0usize..25,
        ) {
            let sources: Vec<IndexSource> = names.iter().enumerate().map(|(i, n)| IndexSource {
                id: format!("id{i:04}"),
                kind: if i % 5 == 0 { "company".into() } else { "person".into() },
                name: n.clone(),
                company_id: (i % 5 != 0).then(|| format!("id{:04}", i - i % 5)),
                emails: vec![format!("{}@ab.cn", n.replace(' ', ""))],
                phones: vec![format!("+86 13{}", i)],
                tags: if i % 3 == 0 { vec!["海 a".into()] } else { vec![] },
                notes: if i % 7 == 0 { "李 b 王".into() } else { String::new() },
                job_title: if i % 4 == 1 { "示 c".into() } else { String::new() },
                department: if i % 6 == 2 { "Ab 海".into() } else { String::new() },
                deleted_at: (i % 11 == 3).then(|| "2026-01-01T00:00:00Z".into()),
                stage: "lead".into(),
                ..Default::default()
            }).collect();
            let mut sources = sources;
            // Some records built, the rest added after (the tail, past the ranked slots), then
            // people renamed (a changed record leaves its slot for the tail) and the slots
            // numbered again somewhere along the way.
            let built = built.min(sources.len());
            let mut ix = CustomerIndex::build(sources[..built].to_vec());
            for s in &sources[built..] {
                ix.upsert(s.clone());
            }
            for (n, (i, name)) in renames.iter().enumerate() {
                if n == compact_at {
                    ix.compact();
                }
                // People only: a company's rename reaches its people through the API's refresh.
                if *i < sources.len() && sources[*i].kind == "person" {
                    sources[*i].name = name.clone();
                    ix.upsert(sources[*i].clone());
                }
            }
            let got: Vec<String> = ix.search(&query, None, limit).into_iter().map(|h| h.row.id.0).collect();
            proptest::prop_assert_eq!(got, brute_force(&sources, &query, limit));
            // Several words: each in some field.
            let two = format!("{query} {}", &names[0]);
            let got: Vec<String> = ix.search(&two, None, limit).into_iter().map(|h| h.row.id.0).collect();
            proptest::prop_assert_eq!(got, brute_force(&sources, &two, limit), "{:?}", two);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The snapshot's body (see `snapshot.rs` for the file around it: its stamp, checksum and checks).
// What is costly to make is stored as it is (each record's texts and sort key, the postings, the
// name orders); what is a quick pass over the records is made again on load (the per-slot meta,
// the id, company and interned owner/tag maps).

use super::snapshot::{Decoder, Encoder};

impl CustomerIndex {
    pub(super) fn encode(&self, e: &mut Encoder) {
        // The orders a first page and a first search read, made now so a loaded index has them.
        let prefix = self.sorted_slots(Order::Prefix);
        let by_name = self.sorted_slots(Order::List(SortKey::Name));
        e.u32(self.docs.len() as u32);
        for d in &self.docs {
            let Some(d) = d else {
                e.u8(0);
                continue;
            };
            e.u8(1);
            e.str(&d.id.0);
            e.u8(d.kind as u8);
            e.u8(d.stage as u8);
            // The record's one buffer as it is in memory: loading it is one check of its UTF-8
            // and one copy, not eighteen strings read and packed again (docs/benchmarks.md).
            e.u8(d.has);
            e.str(&d.packed.buf);
            for end in d.packed.ends {
                e.u32(end);
            }
            e.u32(d.tags.len() as u32);
            for t in &d.tags {
                e.str(t);
            }
            e.i64(d.updated_ms);
            e.u32(d.custom.len() as u32);
            for c in &d.custom {
                e.str(&c.field_id.0);
                e.str(&c.value);
            }
            e.i64(d.last_activity_ms);
        }
        for map in &self.postings {
            e.u32(map.len() as u32);
            for (g, posting) in map {
                e.u64(*g);
                e.posting(posting);
            }
        }
        match (self.dupes.maps.get(), &self.dupes.pending) {
            // Never made since they loaded: written back as they were read.
            (None, Some(bytes)) => e.raw(bytes),
            _ => {
                let maps = self.dupes.get();
                for map in [&maps.email, &maps.phone] {
                    e.u32(map.len() as u32);
                    for (k, slots) in map {
                        e.str(k);
                        e.slots(slots);
                    }
                }
            }
        }
        e.u32(self.empty_slots as u32);
        e.u32(self.sorted as u32);
        e.slots(&prefix);
        e.slots(&by_name);
    }

    /// The index a snapshot's body describes, or none when it does not read as one (a slot out of
    /// range, a word that is no kind or stage): never half an index.
    pub(super) fn decode(d: &mut Decoder<'_>) -> Option<Self> {
        let mut ix = CustomerIndex::default();
        let n = d.u32()? as usize;
        // Each present slot takes well over a byte: a count the file cannot hold is damage.
        if n > d.remaining() {
            return None;
        }
        // Sized once: growing the maps by doubling rehashed every key ~17 times over (a tenth of
        // the load's time at 100,000 customers).
        ix.docs.reserve(n);
        ix.meta.reserve(n);
        ix.by_id.reserve(n);
        for slot in 0..n as Slot {
            if d.u8()? == 0 {
                ix.docs.push(None);
                ix.meta.push(Meta::default());
                continue;
            }
            let id = d.string()?;
            let (kind_byte, stage_byte, has) = (d.u8()?, d.u8()?, d.u8()?);
            let kind = [CustomerKind::Company, CustomerKind::Person].into_iter().find(|k| *k as u8 == kind_byte)?;
            let stage = Stage::ALL.into_iter().find(|s| *s as u8 == stage_byte)?;
            let buf = d.text()?;
            let mut ends = [0u32; PARTS];
            for end in &mut ends {
                *end = d.u32()?;
            }
            let packed = Packed::checked(buf, ends, has)?;
            let name_len = packed.part(10).chars().count();
            let tags = (0..d.u32()?).map(|_| d.string()).collect::<Option<Vec<_>>>()?;
            let updated_ms = d.i64()?;
            let custom = (0..d.u32()?)
                .map(|_| Some(CustomValue { field_id: crate::ids::FieldId(d.string()?), value: d.string()? }))
                .collect::<Option<Vec<_>>>()?;
            let last_activity_ms = d.i64()?;
            let doc = Doc { id: CustomerId(id), kind, name_len, stage, tags, updated_ms, packed, has, custom, last_activity_ms };
            let meta = ix.meta_of(&doc);
            ix.meta.push(meta);
            if let Some(c) = doc.company_id() {
                push_under(&mut ix.people, c, slot);
            }
            if ix.by_id.insert(doc.id.0.clone(), slot).is_some() {
                return None; // one record in two slots
            }
            ix.docs.push(Some(doc));
        }
        for map in ix.postings.iter_mut() {
            let grams = d.u32()? as usize;
            map.reserve(grams.min(d.remaining()));
            for _ in 0..grams {
                let g = d.u64()?;
                map.insert(g, d.posting(n)?);
            }
        }
        let from = d.at();
        check_dupes(d, n)?;
        ix.dupes.pending = Some(d.blob_since(from));
        ix.empty_slots = d.u32()? as usize;
        // The slots search walks in order: checked, as a wrong claim would misrank results.
        ix.sorted = d.u32()? as usize;
        if ix.sorted > n || !ix.in_order() {
            return None;
        }
        let live = ix.meta.iter().filter(|m| m.live).count();
        for order in [Order::Prefix, Order::List(SortKey::Name)] {
            let slots = d.slots()?;
            // Every live record exactly once, or the order is not this index's.
            if slots.len() != live || !slots.iter().all(|&s| (s as usize) < n && ix.meta[s as usize].live) {
                return None;
            }
            ix.caches().sorted.insert(order, Arc::new(slots));
        }
        d.is_done().then_some(ix)
    }
}
