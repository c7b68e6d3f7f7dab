//! Grams: how the in-memory indexes (customers, and every other module's records in
//! `search`) find records by any part of a text in well under a millisecond.
//!
//! Each text is cut into every character, every pair of adjacent characters and every run of three
//! ASCII letters/digits, with a posting list of slots per gram. A query intersects the posting
//! lists of its own grams (smallest first); a candidate is then confirmed with a real substring
//! test, unless the query is one gram, so results are exact.

use super::mapped::Words;
use rustc_hash::FxHashMap;

pub(crate) type Gram = u64;
pub(crate) type Slot = u32;

/// Between a record's fields (and a field's values): no gram spans it.
pub(crate) const SEP: char = '\u{1}';

pub(crate) fn unigram(c: char) -> Gram {
    ((c as u64) << 32) | 0xFFFF_FFFF
}

pub(crate) fn bigram(a: char, b: char) -> Gram {
    ((a as u64) << 32) | b as u64
}

pub(crate) fn trigram(a: char, b: char, c: char) -> Gram {
    (1 << 63) | ((a as u64) << 16) | ((b as u64) << 8) | c as u64
}

pub(crate) fn is_word_ascii(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Every gram of `text` (already lowercased) appended to `out`.
pub(crate) fn grams_of(text: &str, out: &mut Vec<Gram>) {
    let mut it = text.chars().peekable();
    let (mut prev2, mut prev1): (Option<char>, Option<char>) = (None, None);
    while let Some(c) = it.next() {
        if c == SEP {
            prev2 = None;
            prev1 = None;
            continue;
        }
        if !c.is_whitespace() {
            out.push(unigram(c));
        }
        if let Some(p) = prev1 {
            if !(p.is_whitespace() && c.is_whitespace()) {
                out.push(bigram(p, c));
            }
            if let Some(pp) = prev2 {
                if is_word_ascii(pp) && is_word_ascii(p) && is_word_ascii(c) {
                    out.push(trigram(pp, p, c));
                }
            }
        }
        prev2 = prev1;
        prev1 = Some(c);
    }
}

/// The grams a query must contain (the most selective kind available at each position), and
/// whether finding them already proves the match (a one-gram query needs no substring check).
pub(crate) fn query_grams(q: &str) -> (Vec<Gram>, bool) {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    match chars.len() {
        0 => return (out, false),
        1 => return (vec![unigram(chars[0])], true),
        _ => {}
    }
    let mut i = 0;
    while i + 1 < chars.len() {
        let (a, b) = (chars[i], chars[i + 1]);
        match chars.get(i + 2) {
            Some(&c) if is_word_ascii(a) && is_word_ascii(b) && is_word_ascii(c) => out.push(trigram(a, b, c)),
            _ if !(a.is_whitespace() && b.is_whitespace()) => out.push(bigram(a, b)),
            _ => {}
        }
        i += 1;
    }
    out.sort_unstable();
    out.dedup();
    let exact = chars.len() == 2 || (chars.len() == 3 && chars.iter().all(|c| is_word_ascii(*c)));
    (out, exact)
}

/// The records holding one gram: a sorted list of slots, or a bitmap once more than one slot in
/// 32 holds it (a bit a slot then costs less than four bytes a record). At the demo book's scale
/// a tenth of the lists held four fifths of the entries: single letters, digits, common
/// characters. As bitmaps they take 27 MB instead of 93, load as a few large copies, and answer
/// "is this slot in it" in one step.
///
/// Loaded from a snapshot, both are read in place from the mapped file (`mapped::Words`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Posting {
    List(Words<Slot>),
    Bits { words: Words<u64>, count: u32 },
}

impl Default for Posting {
    fn default() -> Self {
        Posting::List(Vec::new().into())
    }
}

impl Posting {
    pub(crate) fn len(&self) -> usize {
        match self {
            Posting::List(l) => l.len(),
            Posting::Bits { count, .. } => *count as usize,
        }
    }

    /// Adds a slot past every slot it holds (a new record takes the next slot).
    pub(crate) fn push(&mut self, s: Slot) {
        match self {
            Posting::List(l) => l.to_mut().push(s),
            Posting::Bits { words, count } => {
                let words = words.to_mut();
                let w = s as usize / 64;
                if words.len() <= w {
                    words.resize(w + 1, 0);
                }
                words[w] |= 1 << (s % 64);
                *count += 1;
            }
        }
    }

    pub(crate) fn contains(&self, s: Slot) -> bool {
        match self {
            Posting::List(l) => l.binary_search(&s).is_ok(),
            Posting::Bits { words, .. } => words.get(s as usize / 64).is_some_and(|w| w & (1 << (s % 64)) != 0),
        }
    }

    /// Every slot, ascending.
    pub(crate) fn slots(&self) -> Vec<Slot> {
        match self {
            Posting::List(l) => l.to_vec(),
            Posting::Bits { .. } => Meet::new(&[self], 0, Slot::MAX).collect(),
        }
    }

    /// The posting as it is best kept among `slots` slots: a bitmap when dense, else a list
    /// without spare room.
    pub(crate) fn settled(self, slots: usize) -> Posting {
        let dense = self.len() * 32 > slots;
        match self {
            Posting::List(l) if dense => {
                let mut words = vec![0u64; slots.div_ceil(64)];
                for &s in l.iter() {
                    words[s as usize / 64] |= 1 << (s % 64);
                }
                Posting::Bits { words: words.into(), count: l.len() as u32 }
            }
            Posting::List(l) => {
                let mut l = l.into_vec();
                l.shrink_to_fit();
                Posting::List(l.into())
            }
            Posting::Bits { .. } if !dense => Posting::List(self.slots().into()),
            bits => bits,
        }
    }

    /// The posting with every slot `s` as `remap[s]` (`Slot::MAX`: gone), settled among `slots`;
    /// none when nothing is left.
    pub(crate) fn remapped(self, remap: &[Slot], slots: usize) -> Option<Posting> {
        let mut list: Vec<Slot> = match self {
            Posting::List(l) => l.into_vec(),
            bits => bits.slots(),
        };
        list.retain_mut(|s| {
            *s = remap[*s as usize];
            *s != Slot::MAX
        });
        list.sort_unstable();
        (!list.is_empty()).then(|| Posting::List(list.into()).settled(slots))
    }

    /// Whether it is as an index keeps one among `n` slots: a list ascending and in range, a
    /// bitmap no longer than the slots with its count true (a snapshot's claim, checked).
    pub(crate) fn well_formed(&self, n: usize) -> bool {
        match self {
            Posting::List(l) => l.windows(2).all(|w| w[0] < w[1]) && l.last().is_none_or(|&s| (s as usize) < n),
            Posting::Bits { words, count } => {
                let tail_ok = match (n % 64, words.len() == n.div_ceil(64)) {
                    (0, _) | (_, false) => true,
                    (r, true) => words.last().is_none_or(|w| w >> r == 0),
                };
                words.len() <= n.div_ceil(64) && tail_ok && words.iter().map(|w| w.count_ones()).sum::<u32>() == *count
            }
        }
    }
}

/// Bytes a map of postings holds on the heap: its table (a control byte, a gram and a posting a
/// bucket) and every posting's slots or words. For [`footprint`]s, which say where an index's
/// memory goes (`cargo bench -p satchel-core --bench lean`).
pub(crate) fn postings_bytes(map: &FxHashMap<Gram, Posting>) -> (usize, usize) {
    let table = map.capacity() * (1 + std::mem::size_of::<(Gram, Posting)>());
    let data = map
        .values()
        .map(|p| match p {
            Posting::List(l) => l.heap_bytes(),
            Posting::Bits { words, .. } => words.heap_bytes(),
        })
        .sum();
    (table, data)
}

/// Adds `slot` to the list under `key`, making the key's string only for a key not yet there
/// (most keys, a company or a customer, have several records: a load made one string a record).
pub(crate) fn push_under(map: &mut FxHashMap<String, Vec<Slot>>, key: &str, slot: Slot) {
    match map.get_mut(key) {
        Some(slots) => slots.push(slot),
        None => drop(map.insert(key.to_string(), vec![slot])),
    }
}

/// What a map keyed by strings takes on the heap (a diagnostic, for [`footprint`]s).
pub(crate) fn keyed_bytes<V: HeapSize>(map: &FxHashMap<String, V>) -> usize {
    map.capacity() * (1 + std::mem::size_of::<(String, V)>()) + map.iter().map(|(k, v)| k.capacity() + v.heap()).sum::<usize>()
}

/// The bytes a map's value holds on the heap besides itself.
pub(crate) trait HeapSize {
    fn heap(&self) -> usize;
}

impl HeapSize for Slot {
    fn heap(&self) -> usize {
        0
    }
}

impl HeapSize for Vec<Slot> {
    fn heap(&self) -> usize {
        self.capacity() * std::mem::size_of::<Slot>()
    }
}

/// Numbers the live records (`Some`) of `docs` again, densely and in `order`, with `meta` moved
/// beside them; returns where each old slot went (`Slot::MAX`: it was empty). Both indexes do
/// this when their tail is long or their empty slots many.
pub(crate) fn renumbered<T, M: Copy>(
    docs: &mut Vec<Option<T>>,
    meta: &mut Vec<M>,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<Slot> {
    let live_doc = |s: Slot| docs[s as usize].as_ref().expect("a live slot has its record");
    let mut live: Vec<Slot> = (0..docs.len() as Slot).filter(|&s| docs[s as usize].is_some()).collect();
    live.sort_by(|&a, &b| order(live_doc(a), live_doc(b)));
    let mut remap = vec![Slot::MAX; docs.len()];
    for (new, &old) in live.iter().enumerate() {
        remap[old as usize] = new as Slot;
    }
    let mut old_docs = std::mem::take(docs);
    *docs = live.iter().map(|&o| old_docs[o as usize].take()).collect();
    *meta = live.iter().map(|&o| meta[o as usize]).collect();
    remap
}

/// The postings of every gram, or none when a gram has none (nothing can match).
pub(crate) fn lists_of<'a>(postings: &'a FxHashMap<Gram, Posting>, grams: &[Gram]) -> Option<Vec<&'a Posting>> {
    grams.iter().map(|g| postings.get(g)).collect()
}

/// The slots in every one of `lists` within `from..to`, smallest first, found as they are asked
/// for. Why lazily: the indexes keep their records in ranking order, so a search that wants the
/// best 21 of 60,000 matches stops after the 21st instead of intersecting whole lists (the slow
/// questions' cost before: `example.cn`, 4 ms).
pub(crate) struct Meet<'a> {
    lead: Lead<'a>,
    /// The other postings: lists searched forward from where they were, bitmaps asked.
    rest: Vec<Rest<'a>>,
}

/// The posting with the fewest slots, which the others are checked against.
enum Lead<'a> {
    List(std::slice::Iter<'a, Slot>),
    /// The word being read (its bits below `from` cleared), its index, and the end.
    Bits {
        words: &'a [u64],
        at: usize,
        word: u64,
        to: Slot,
    },
}

enum Rest<'a> {
    List(&'a [Slot]),
    Bits(&'a Posting),
}

impl<'a> Meet<'a> {
    pub(crate) fn new(lists: &[&'a Posting], from: Slot, to: Slot) -> Self {
        let mut lists: Vec<&'a Posting> = lists.to_vec();
        lists.sort_by_key(|l| l.len());
        let cut = |l: &'a [Slot]| {
            let a = l.partition_point(|&s| s < from);
            let b = a + l[a..].partition_point(|&s| s < to);
            &l[a..b]
        };
        let Some((first, others)) = lists.split_first() else {
            return Self { lead: Lead::List([].iter()), rest: Vec::new() };
        };
        let lead = match first {
            Posting::List(l) => Lead::List(cut(l).iter()),
            Posting::Bits { words, .. } => {
                let at = from as usize / 64;
                let word = words.get(at).map_or(0, |w| w & (!0u64 << (from % 64)));
                Lead::Bits { words, at, word, to }
            }
        };
        let rest = others
            .iter()
            .map(|p| match p {
                Posting::List(l) => Rest::List(cut(l)),
                bits => Rest::Bits(bits),
            })
            .collect();
        Self { lead, rest }
    }

    fn next_lead(&mut self) -> Option<Slot> {
        match &mut self.lead {
            Lead::List(it) => it.next().copied(),
            Lead::Bits { words, at, word, to } => loop {
                if *word != 0 {
                    let s = (*at * 64) as Slot + word.trailing_zeros();
                    *word &= *word - 1;
                    return (s < *to).then_some(s);
                }
                *at += 1;
                if *at >= words.len() || (*at * 64) as u64 >= *to as u64 {
                    return None;
                }
                *word = words[*at];
            },
        }
    }
}

impl Iterator for Meet<'_> {
    type Item = Slot;

    fn next(&mut self) -> Option<Slot> {
        'lead: while let Some(s) = self.next_lead() {
            for r in self.rest.iter_mut() {
                match r {
                    Rest::Bits(p) => {
                        if !p.contains(s) {
                            continue 'lead;
                        }
                    }
                    Rest::List(l) => {
                        // Galloping: a few steps when the next match is near, a binary search when far.
                        let mut step = 1;
                        while step < l.len() && l[step - 1] < s {
                            step *= 2;
                        }
                        let skip = l[..step.min(l.len())].partition_point(|&x| x < s);
                        *l = &l[skip..];
                        match l.first() {
                            None => {
                                self.lead = Lead::List([].iter());
                                return None;
                            }
                            Some(&x) if x != s => continue 'lead,
                            Some(_) => {}
                        }
                    }
                }
            }
            return Some(s);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Lists and bitmaps alike: what meets in a range is what a set intersection says, and a
        /// posting settled, remapped or pushed to holds what a plain set holds.
        #[test]
        fn postings_meet_as_sets_do(
            sets in proptest::collection::vec(proptest::collection::btree_set(0u32..300, 0..200), 1..4),
            dense in proptest::collection::vec(any::<bool>(), 4),
            from in 0u32..320,
            len in 0u32..320,
            extra in 300u32..400,
        ) {
            let n = 300;
            let postings: Vec<Posting> = sets
                .iter()
                .zip(&dense)
                .map(|(set, d)| {
                    let p = Posting::List(set.iter().copied().collect::<Vec<_>>().into());
                    // Settled among few slots it is a bitmap; among many, a list.
                    if *d { p.settled(n) } else { p.settled(1 << 20) }
                })
                .collect();
            for (p, set) in postings.iter().zip(&sets) {
                prop_assert!(p.well_formed(n));
                prop_assert_eq!(p.len(), set.len());
                prop_assert_eq!(p.slots(), set.iter().copied().collect::<Vec<_>>());
            }
            let to = from.saturating_add(len);
            let refs: Vec<&Posting> = postings.iter().collect();
            let got: Vec<Slot> = Meet::new(&refs, from, to).collect();
            let want: Vec<Slot> = (from..to.min(n as Slot)).filter(|s| sets.iter().all(|set| set.contains(s))).collect();
            prop_assert_eq!(got, want);
            // A new record's slot joins; a remap drops odd slots and reverses the rest.
            let mut p = postings[0].clone();
            p.push(extra);
            prop_assert!(p.contains(extra));
            prop_assert_eq!(p.len(), sets[0].len() + 1);
            let remap: Vec<Slot> = (0..400).map(|s| if s % 2 == 1 { Slot::MAX } else { 399 - s }).collect();
            let mut want: Vec<Slot> = sets[0].iter().chain([&extra]).filter(|s| *s % 2 == 0).map(|s| 399 - s).collect();
            want.sort_unstable();
            let got = p.remapped(&remap, 400).map(|p| p.slots()).unwrap_or_default();
            prop_assert_eq!(got, want);
        }
    }
}
