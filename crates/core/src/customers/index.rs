//! The in-memory customer index: search as you type and list pages, both in well under a
//! millisecond at 100,000 records.
//!
//! Why not SQLite FTS5: its trigram tokenizer cannot match one- or two-character Chinese queries
//! (海示, 王) and bm25 does not put name matches first; a brute scan was measured at ~5 ms p95.
//! Instead each record's text is cut into grams — every character, every pair of adjacent
//! characters, and every run of three ASCII letters/digits — with a posting list of records per
//! gram. A query intersects the posting lists of its own grams (smallest first) and confirms each
//! candidate with a real substring test, so results are exact. Names have their own postings:
//! when enough records match by name, other fields are never looked at.
//!
//! Ranking, best first: exact name, name prefix, name contains, then company, email, phone, tag,
//! notes; ties by shorter name, then name.
//!
//! Updates are cheap: a changed record takes a fresh slot and its old slot is emptied; postings
//! still naming the empty slot are skipped and swept out when they pile up.

use super::repo::{searchable_phone, IndexSource};
use super::*;
use crate::time::rfc3339_ms;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

type Gram = u64;
type Slot = u32;

const SEP: char = '\u{1}';

struct Doc {
    id: CustomerId,
    kind: CustomerKind,
    name: String,
    name_lc: String,
    company_id: Option<String>,
    owner: String,
    stage: Stage,
    tags: Vec<String>,
    email: Option<String>,
    phone: Option<String>,
    updated_ms: i64,
    deleted_at: Option<String>,
    company_lc: String,
    emails_lc: String,
    phones: String,
    tags_lc: String,
    notes_lc: String,
}

#[derive(Default)]
pub struct CustomerIndex {
    docs: Vec<Option<Doc>>,
    by_id: HashMap<String, Slot>,
    /// Records by company id, so a company rename can refresh its people.
    people: HashMap<String, BTreeSet<String>>,
    name_grams: HashMap<Gram, Vec<Slot>>,
    other_grams: HashMap<Gram, Vec<Slot>>,
    empty_slots: usize,
    sorted: Mutex<HashMap<SortKey, Arc<Vec<Slot>>>>,
}

fn unigram(c: char) -> Gram {
    ((c as u64) << 32) | 0xFFFF_FFFF
}

fn bigram(a: char, b: char) -> Gram {
    ((a as u64) << 32) | b as u64
}

fn trigram(a: u8, b: u8, c: u8) -> Gram {
    (1 << 63) | ((a as u64) << 16) | ((b as u64) << 8) | c as u64
}

fn is_word_ascii(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Every gram of `text` (already lowercased), deduplicated, appended to `out`.
fn grams_of(text: &str, out: &mut Vec<Gram>) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == SEP || c.is_whitespace() {
            continue;
        }
        out.push(unigram(c));
        if let Some(&d) = chars.get(i + 1) {
            if d != SEP {
                out.push(bigram(c, d));
            }
        }
        if let (Some(&d), Some(&e)) = (chars.get(i + 1), chars.get(i + 2)) {
            if is_word_ascii(c) && is_word_ascii(d) && is_word_ascii(e) {
                out.push(trigram(c as u8, d as u8, e as u8));
            }
        }
    }
}

/// The grams a query must contain: the fewest, most selective ones.
fn query_grams(q: &str) -> Vec<Gram> {
    let chars: Vec<char> = q.chars().collect();
    match chars.len() {
        0 => vec![],
        1 => vec![unigram(chars[0])],
        _ => {
            let mut out = Vec::new();
            let mut i = 0;
            while i + 1 < chars.len() {
                let (a, b) = (chars[i], chars[i + 1]);
                if let Some(&c) = chars.get(i + 2) {
                    if is_word_ascii(a) && is_word_ascii(b) && is_word_ascii(c) {
                        out.push(trigram(a as u8, b as u8, c as u8));
                        i += 1;
                        continue;
                    }
                }
                if !(a.is_whitespace() && b.is_whitespace()) {
                    out.push(bigram(a, b));
                }
                i += 1;
            }
            out.sort_unstable();
            out.dedup();
            out
        }
    }
}

fn intersect(a: &[Slot], b: &[Slot]) -> Vec<Slot> {
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(a.len().min(b.len())));
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Candidate slots containing every gram of `q`; `None` when the query has no usable gram.
fn candidates(postings: &HashMap<Gram, Vec<Slot>>, q: &str) -> Option<Vec<Slot>> {
    let grams = query_grams(q);
    if grams.is_empty() {
        return None;
    }
    let mut lists: Vec<&Vec<Slot>> = Vec::with_capacity(grams.len());
    for g in &grams {
        match postings.get(g) {
            Some(l) => lists.push(l),
            None => return Some(vec![]),
        }
    }
    lists.sort_by_key(|l| l.len());
    let mut acc = lists[0].clone();
    for l in &lists[1..] {
        if acc.is_empty() {
            break;
        }
        acc = intersect(&acc, l);
    }
    Some(acc)
}

/// Tiers, best first.
const EXACT: u8 = 0;
const PREFIX: u8 = 1;
const CONTAINS: u8 = 2;

impl CustomerIndex {
    pub fn build(sources: Vec<IndexSource>) -> Self {
        let mut ix = CustomerIndex::default();
        // Companies first so that people can resolve their company's name.
        let (companies, people): (Vec<_>, Vec<_>) = sources.into_iter().partition(|s| s.kind == "company");
        for s in companies.into_iter().chain(people) {
            ix.upsert(s);
        }
        ix
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn live_count(&self) -> usize {
        self.docs.iter().flatten().filter(|d| d.deleted_at.is_none()).count()
    }

    fn company_name_lc(&self, company_id: Option<&str>) -> String {
        company_id.and_then(|c| self.doc(c)).filter(|d| d.deleted_at.is_none()).map(|d| d.name_lc.clone()).unwrap_or_default()
    }

    fn doc(&self, id: &str) -> Option<&Doc> {
        self.by_id.get(id).and_then(|&s| self.docs[s as usize].as_ref())
    }

    /// Ids of the people whose company is `id` (to refresh after a company changes).
    pub fn people_of(&self, id: &str) -> Vec<String> {
        self.people.get(id).map(|s| s.iter().cloned().collect()).unwrap_or_default()
    }

    /// Adds or replaces one record.
    pub fn upsert(&mut self, s: IndexSource) {
        self.remove(&s.id);
        let slot = self.docs.len() as Slot;
        let name_lc = s.name.to_lowercase();
        let company_lc = self.company_name_lc(s.company_id.as_deref());
        let doc = Doc {
            id: CustomerId(s.id.clone()),
            kind: CustomerKind::parse(&s.kind),
            name_lc,
            company_id: s.company_id.clone(),
            owner: s.owner,
            stage: Stage::parse(&s.stage),
            email: s.emails.first().cloned(),
            phone: s.phones.first().cloned(),
            updated_ms: s.updated_ms,
            deleted_at: s.deleted_at,
            company_lc,
            emails_lc: s.emails.join("\u{1}").to_lowercase(),
            phones: s.phones.iter().map(|p| searchable_phone(p)).collect::<Vec<_>>().join("\u{1}"),
            tags_lc: s.tags.join("\u{1}").to_lowercase(),
            notes_lc: s.notes.to_lowercase(),
            tags: s.tags,
            name: s.name,
        };
        let mut grams = Vec::new();
        grams_of(&doc.name_lc, &mut grams);
        grams.sort_unstable();
        grams.dedup();
        for g in &grams {
            self.name_grams.entry(*g).or_default().push(slot);
        }
        grams.clear();
        for field in [&doc.company_lc, &doc.emails_lc, &doc.phones, &doc.tags_lc, &doc.notes_lc] {
            grams_of(field, &mut grams);
            grams.push(unigram(SEP)); // keeps fields apart without a real gram across them
        }
        grams.sort_unstable();
        grams.dedup();
        for g in &grams {
            self.other_grams.entry(*g).or_default().push(slot);
        }
        if let Some(c) = &doc.company_id {
            self.people.entry(c.clone()).or_default().insert(s.id.clone());
        }
        self.by_id.insert(s.id, slot);
        self.docs.push(Some(doc));
        self.invalidate();
    }

    /// Forgets a record (a row that lost its name, or before re-adding it).
    pub fn remove(&mut self, id: &str) {
        if let Some(slot) = self.by_id.remove(id) {
            if let Some(old) = self.docs[slot as usize].take() {
                if let Some(c) = &old.company_id {
                    if let Some(set) = self.people.get_mut(c) {
                        set.remove(id);
                    }
                }
            }
            self.empty_slots += 1;
            self.invalidate();
            if self.empty_slots > 1024 && self.empty_slots * 4 > self.docs.len() {
                self.compact();
            }
        }
    }

    fn invalidate(&mut self) {
        self.sorted.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    /// Renumbers slots densely and drops postings of emptied slots.
    fn compact(&mut self) {
        let mut remap = vec![Slot::MAX; self.docs.len()];
        let mut docs = Vec::with_capacity(self.by_id.len());
        for (old, d) in std::mem::take(&mut self.docs).into_iter().enumerate() {
            if let Some(d) = d {
                remap[old] = docs.len() as Slot;
                docs.push(Some(d));
            }
        }
        for postings in [&mut self.name_grams, &mut self.other_grams] {
            postings.retain(|_, list| {
                list.retain_mut(|s| {
                    let n = remap[*s as usize];
                    *s = n;
                    n != Slot::MAX
                });
                !list.is_empty()
            });
        }
        for s in self.by_id.values_mut() {
            *s = remap[*s as usize];
        }
        self.docs = docs;
        self.empty_slots = 0;
    }

    fn row(&self, d: &Doc) -> CustomerRow {
        let company_name = d.company_id.as_deref().and_then(|c| self.doc(c)).filter(|c| c.deleted_at.is_none()).map(|c| c.name.clone());
        CustomerRow {
            id: d.id.clone(),
            kind: d.kind,
            name: d.name.clone(),
            company_name,
            stage: d.stage,
            owner: d.owner.clone(),
            tags: d.tags.clone(),
            email: d.email.clone(),
            phone: d.phone.clone(),
            updated_at: rfc3339_ms(d.updated_ms.max(0) as u64),
            deleted_at: d.deleted_at.clone(),
        }
    }

    pub fn get_row(&self, id: &str) -> Option<CustomerRow> {
        self.doc(id).map(|d| self.row(d))
    }

    /// Ranked search over live records.
    pub fn search(&self, text: &str, kind: Option<CustomerKind>, limit: usize) -> Vec<SearchHit> {
        let q = text.trim().to_lowercase();
        if q.is_empty() || limit == 0 {
            return vec![];
        }
        let wanted = |d: &Doc| d.deleted_at.is_none() && kind.is_none_or(|k| d.kind == k);
        // (tier, name length, slot) for every match; names first.
        let mut hits: Vec<(u8, usize, Slot, MatchField)> = Vec::new();
        let mut seen_by_name = 0usize;
        if let Some(cands) = candidates(&self.name_grams, &q) {
            for s in cands {
                let Some(d) = &self.docs[s as usize] else { continue };
                if !wanted(d) {
                    continue;
                }
                let tier = if d.name_lc == q {
                    EXACT
                } else if d.name_lc.starts_with(&q) {
                    PREFIX
                } else if d.name_lc.contains(&q) {
                    CONTAINS
                } else {
                    continue;
                };
                hits.push((tier, d.name.chars().count(), s, MatchField::Name));
            }
            seen_by_name = hits.len();
        }
        // Other fields only matter when names did not already fill the page.
        if seen_by_name < limit {
            let digits: String = q.chars().filter(char::is_ascii_digit).collect();
            let phone_like = digits.len() >= 3 && q.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
            let mut other: Vec<Slot> = candidates(&self.other_grams, &q).unwrap_or_default();
            if phone_like && digits != q {
                if let Some(more) = candidates(&self.other_grams, &digits) {
                    other.extend(more);
                    other.sort_unstable();
                    other.dedup();
                }
            }
            let by_name: std::collections::HashSet<Slot> = hits.iter().map(|h| h.2).collect();
            for s in other {
                if by_name.contains(&s) {
                    continue;
                }
                let Some(d) = &self.docs[s as usize] else { continue };
                if !wanted(d) {
                    continue;
                }
                let field = if d.company_lc.contains(&q) {
                    MatchField::Company
                } else if d.emails_lc.contains(&q) {
                    MatchField::Email
                } else if (phone_like && d.phones.contains(&digits)) || d.phones.contains(&q) {
                    MatchField::Phone
                } else if d.tags_lc.contains(&q) {
                    MatchField::Tag
                } else if d.notes_lc.contains(&q) {
                    MatchField::Notes
                } else {
                    continue;
                };
                hits.push((3 + field as u8, d.name.chars().count(), s, field));
            }
        }
        // Best first: tier, shorter name, then name and id so equal results never shuffle.
        let order = |a: &(u8, usize, Slot, MatchField), b: &(u8, usize, Slot, MatchField)| {
            (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| {
                let (da, db) = (self.docs[a.2 as usize].as_ref(), self.docs[b.2 as usize].as_ref());
                da.map(|d| (&d.name_lc, &d.id)).cmp(&db.map(|d| (&d.name_lc, &d.id)))
            })
        };
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, order);
            hits.truncate(limit);
        }
        hits.sort_by(order);
        hits.into_iter().filter_map(|(_, _, s, matched)| self.docs[s as usize].as_ref().map(|d| SearchHit { row: self.row(d), matched })).collect()
    }

    fn sorted_slots(&self, key: SortKey) -> Arc<Vec<Slot>> {
        let mut cache = self.sorted.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(v) = cache.get(&key) {
            return v.clone();
        }
        let mut slots: Vec<Slot> = (0..self.docs.len() as Slot).filter(|&s| self.docs[s as usize].is_some()).collect();
        let d = |s: &Slot| self.docs[*s as usize].as_ref().expect("filtered to live slots");
        // Every order ends in name, then id, so equal keys never shuffle between calls or devices.
        let by_name = |a: &Slot, b: &Slot| d(a).name_lc.cmp(&d(b).name_lc).then_with(|| d(a).id.cmp(&d(b).id));
        match key {
            SortKey::Name => slots.sort_by(by_name),
            SortKey::Updated => slots.sort_by(|a, b| d(a).updated_ms.cmp(&d(b).updated_ms).then_with(|| by_name(a, b))),
            SortKey::Stage => slots.sort_by(|a, b| d(a).stage.cmp(&d(b).stage).then_with(|| by_name(a, b))),
            SortKey::Owner => slots.sort_by(|a, b| d(a).owner.cmp(&d(b).owner).then_with(|| by_name(a, b))),
            SortKey::Company => {
                // A company sorts under its own name; people under their company's; no company last.
                let key_of = |s: &Slot| {
                    let doc = d(s);
                    if doc.kind == CustomerKind::Company {
                        doc.name_lc.clone()
                    } else {
                        doc.company_lc.clone()
                    }
                };
                let mut keyed: Vec<(String, Slot)> = slots.iter().map(|s| (key_of(s), *s)).collect();
                keyed.sort_by(|a, b| (a.0.is_empty(), &a.0).cmp(&(b.0.is_empty(), &b.0)).then_with(|| by_name(&a.1, &b.1)));
                slots = keyed.into_iter().map(|(_, s)| s).collect();
            }
        }
        let v = Arc::new(slots);
        cache.insert(key, v.clone());
        v
    }

    /// One page of the filtered, sorted list, and how many records the filter matches.
    pub fn list(&self, q: &ListQuery) -> ListPage {
        let order = self.sorted_slots(q.sort);
        let keep = |d: &Doc| {
            d.deleted_at.is_some() == q.trash
                && q.stage.is_none_or(|s| d.stage == s)
                && q.kind.is_none_or(|k| d.kind == k)
                && q.owner.as_deref().is_none_or(|o| d.owner == o)
                && q.tag.as_deref().is_none_or(|t| d.tags.iter().any(|x| x == t))
        };
        let (offset, limit) = (q.offset as usize, q.limit.min(1000) as usize);
        let mut total = 0usize;
        let mut rows = Vec::new();
        let mut visit = |s: &Slot| {
            if let Some(d) = &self.docs[*s as usize] {
                if keep(d) {
                    if total >= offset && rows.len() < limit {
                        rows.push(self.row(d));
                    }
                    total += 1;
                }
            }
        };
        if q.descending {
            order.iter().rev().for_each(&mut visit);
        } else {
            order.iter().for_each(&mut visit);
        }
        ListPage { total: total as u32, offset: q.offset, rows }
    }

    /// Owners and tags in use on live records, for the list's filters.
    pub fn facets(&self) -> Facets {
        let mut owners = BTreeSet::new();
        let mut tags = BTreeSet::new();
        for d in self.docs.iter().flatten().filter(|d| d.deleted_at.is_none()) {
            if !d.owner.is_empty() {
                owners.insert(d.owner.as_str());
            }
            tags.extend(d.tags.iter().map(String::as_str));
        }
        Facets { owners: owners.into_iter().map(String::from).collect(), tags: tags.into_iter().map(String::from).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            IndexSource { emails: vec!["Li.Na@Example.com".into()], phones: vec!["+86 138-0013-8000".into()], tags: vec!["VIP".into()], ..src("p2", "person", "李娜") },
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
        let ix = sample();
        assert_eq!(ix.search("li.na@", None, 5)[0].matched, MatchField::Email);
        assert_eq!(ix.search("vip", None, 5)[0].matched, MatchField::Tag);
        assert_eq!(ix.search("fair", None, 5)[0].matched, MatchField::Notes);
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
        assert_eq!(people.rows[0].name, "王海示", "code-point order, descending");
        let vip = ix.list(&ListQuery { tag: Some("VIP".into()), ..Default::default() });
        assert_eq!(vip.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["李娜"]);
        let page2 = ix.list(&ListQuery { offset: 5, limit: 10, ..Default::default() });
        assert_eq!(page2.rows.len(), 1);
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
}
