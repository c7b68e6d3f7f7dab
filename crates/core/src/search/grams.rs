//! Grams: how the in-memory indexes (customers, and every other module's records in
//! `search`) find records by any part of a text in well under a millisecond.
//!
//! Each text is cut into every character, every pair of adjacent characters and every run of three
//! ASCII letters/digits, with a posting list of slots per gram. A query intersects the posting
//! lists of its own grams (smallest first); a candidate is then confirmed with a real substring
//! test, unless the query is one gram, so results are exact.

use rustc_hash::FxHashMap;
use std::cmp::Ordering;

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

pub(crate) fn intersect(a: &[Slot], b: &[Slot]) -> Vec<Slot> {
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(a.len().min(b.len())));
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Slots whose field holds every gram of the query, smallest posting list first.
pub(crate) fn candidates<'a>(postings: &'a FxHashMap<Gram, Vec<Slot>>, grams: &[Gram]) -> std::borrow::Cow<'a, [Slot]> {
    let mut lists: Vec<&Vec<Slot>> = Vec::with_capacity(grams.len());
    for g in grams {
        match postings.get(g) {
            Some(l) => lists.push(l),
            None => return std::borrow::Cow::Owned(vec![]),
        }
    }
    lists.sort_by_key(|l| l.len());
    match lists.as_slice() {
        [] => std::borrow::Cow::Owned(vec![]),
        [only] => std::borrow::Cow::Borrowed(only.as_slice()),
        [first, rest @ ..] => {
            let mut acc = intersect(first, rest[0]);
            for l in &rest[1..] {
                if acc.is_empty() {
                    break;
                }
                acc = intersect(&acc, l);
            }
            std::borrow::Cow::Owned(acc)
        }
    }
}

/// The posting lists of every gram, or none when a gram has none (nothing can match).
pub(crate) fn lists_of<'a>(postings: &'a FxHashMap<Gram, Vec<Slot>>, grams: &[Gram]) -> Option<Vec<&'a [Slot]>> {
    grams.iter().map(|g| postings.get(g).map(Vec::as_slice)).collect()
}

/// The slots in every one of `lists` (each sorted) within `from..to`, smallest first, found as
/// they are asked for. Why lazily: the indexes keep their records in ranking order, so a search
/// that wants the best 21 of 60,000 matches stops after the 21st instead of intersecting whole
/// lists (the slow questions' cost before: `example.cn`, 4 ms).
pub(crate) struct Meet<'a> {
    /// The shortest list drives; the others are searched forward from where they were.
    lead: std::slice::Iter<'a, Slot>,
    rest: Vec<&'a [Slot]>,
}

impl<'a> Meet<'a> {
    pub(crate) fn new(lists: &[&'a [Slot]], from: Slot, to: Slot) -> Self {
        let mut cut: Vec<&'a [Slot]> = lists
            .iter()
            .map(|l| {
                let a = l.partition_point(|&s| s < from);
                let b = a + l[a..].partition_point(|&s| s < to);
                &l[a..b]
            })
            .collect();
        cut.sort_by_key(|l| l.len());
        if cut.is_empty() {
            return Self { lead: [].iter(), rest: Vec::new() };
        }
        let lead = cut.remove(0).iter();
        Self { lead, rest: cut }
    }
}

impl Iterator for Meet<'_> {
    type Item = Slot;

    fn next(&mut self) -> Option<Slot> {
        'lead: for &s in self.lead.by_ref() {
            for l in self.rest.iter_mut() {
                // Galloping: a few steps when the next match is near, a binary search when far.
                let mut step = 1;
                while step < l.len() && l[step - 1] < s {
                    step *= 2;
                }
                let skip = l[..step.min(l.len())].partition_point(|&x| x < s);
                *l = &l[skip..];
                match l.first() {
                    None => {
                        self.lead = [].iter();
                        return None;
                    }
                    Some(&x) if x != s => continue 'lead,
                    Some(_) => {}
                }
            }
            return Some(s);
        }
        None
    }
}
