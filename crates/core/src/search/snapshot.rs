//! The records' index kept on disk between runs (`<database>.search`), as the customer index is
//! (`customers/snapshot.rs`: the same stamp, checksum and rules, so it is never trusted blindly:
//! another version's, another book's, another history's, a truncated or damaged file is refused
//! and the index built from SQLite). Why: building it reads and cuts every deal, quote, contract,
//! ticket, article and event, 1.2-1.6 s at the demo book's scale, and the window's first search
//! waited for it (docs/benchmarks.md).
//!
//! The body holds each slot's record as the index holds it and every posting list, so loading is
//! copying, not cutting text into grams again. The packed keys are derived as it loads; the key
//! and customer maps when first needed (`Keys`: a search never needs them).

use super::grams::{Gram, Posting};
use super::{Doc, Group, Meta, RecordIndex};
use crate::customers::snapshot::{Decoder, Encoder, Kind};
use rustc_hash::FxHashMap;

pub const RECORDS: Kind = Kind { suffix: ".search", magic: b"SATCHRX\0", format: 3 };

/// Every kind a doc can be, by its place here in the file.
const KINDS: &[&str] = &["deal", "quote", "contract", "ticket", "article", "event"];
const GROUPS: &[Group] = &[Group::Sales, Group::Service, Group::Calendar];

impl RecordIndex {
    pub(super) fn encode(&self, e: &mut Encoder) {
        e.u32(self.docs.len() as u32);
        for d in &self.docs {
            let Some(d) = d else {
                e.u8(0);
                continue;
            };
            e.u8(1);
            e.u8(d.group as u8);
            // A kind not in KINDS would be a bug here; written as one past the end, it fails the
            // decoder, so the next start rebuilds.
            e.u8(KINDS.iter().position(|k| *k == d.kind).unwrap_or(KINDS.len()) as u8);
            e.u8(d.rank);
            e.u8(d.desc as u8);
            e.str(&d.buf);
            for end in d.ends {
                e.u32(end);
            }
        }
        e.u32(self.sorted as u32);
        for postings in [&self.postings, &self.title_postings] {
            e.u32(postings.len() as u32);
            for (gram, posting) in postings {
                e.u64(*gram);
                e.posting(posting);
            }
        }
    }

    /// The index a snapshot's body describes, or none when it does not read as one (a slot out of
    /// range or out of order, a part that is not where its text is): never half an index.
    pub(super) fn decode(d: &mut Decoder<'_>) -> Option<Self> {
        let n = d.u32()? as usize;
        // Each slot takes at least a byte: a count the file cannot hold is damage.
        if n > d.remaining() {
            return None;
        }
        let mut ix = RecordIndex { docs: Vec::with_capacity(n), meta: Vec::with_capacity(n), ..Default::default() };
        // Each key once: the keys' own map is made on first need (`Keys`), so their hashes stand in
        // here (a clash of two keys' 64-bit hashes would only mean a rebuild).
        let mut seen: rustc_hash::FxHashSet<u64> = rustc_hash::FxHashSet::default();
        seen.reserve(n);
        for _ in 0..n {
            if d.u8()? == 0 {
                ix.docs.push(None);
                ix.meta.push(Meta::default());
                ix.empty += 1;
                continue;
            }
            let group = *GROUPS.get(d.u8()? as usize)?;
            let kind = *KINDS.get(d.u8()? as usize)?;
            let (rank, desc) = (d.u8()?, d.u8()? == 1);
            let buf = d.text()?;
            let mut ends = [0u32; 7];
            for end in &mut ends {
                *end = d.u32()?;
            }
            // Every part must lie in the text, in order, on a character's edge: `Doc::part` slices.
            let mut from = 0;
            for (i, end) in ends.iter().enumerate() {
                let at = *end as usize;
                let start = if i == 6 { ends[5] as usize } else { from };
                if at < start || at > buf.len() || !buf.is_char_boundary(at) {
                    return None;
                }
                from = at;
            }
            let doc = Doc { group, kind, rank, desc, buf, ends };
            ix.meta.push(Meta::of(&doc));
            if !seen.insert(std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, doc.key())) {
                return None;
            }
            ix.docs.push(Some(doc));
        }
        // The slots the search walks in ranking order: the packed keys must agree, or the file
        // is not this index's.
        ix.sorted = d.u32()? as usize;
        if ix.sorted > n {
            return None;
        }
        ix.runs = ix.runs_of()?;
        for which in 0..2 {
            let count = d.u32()? as usize;
            if count > d.remaining() {
                return None;
            }
            let mut postings: FxHashMap<Gram, Posting> = FxHashMap::with_capacity_and_hasher(count, Default::default());
            for _ in 0..count {
                let gram = d.u64()?;
                // Sorted and in range (the walks step through them and index by them).
                postings.insert(gram, d.posting(n)?);
            }
            if which == 0 {
                ix.postings = postings;
            } else {
                ix.title_postings = postings;
            }
        }
        d.is_done().then_some(ix)
    }
}
