//! The customer index kept on disk between runs, so a window opens on a searchable book at once
//! instead of rebuilding the index from SQLite (about 2 s at 100,000 customers, see
//! docs/benchmarks.md).
//!
//! The file (`<database>.index`, beside the database, readable by its user only) is a cache and
//! is never trusted: it is used only when everything it was made from still holds.
//! - **Whose**: its stamp names the app version, the index format, the schema version and the
//!   database's site id. Another version's snapshot, or one left from before a restore (which
//!   gives the book a new site), is rebuilt.
//! - **How far**: the stamp names the change log's newest entry (sequence and clock) when the
//!   snapshot was made. If the log still holds that entry with that clock, the book's history
//!   up to there is the snapshot's, and the rows changed since (a sync from the command line, a
//!   crash before the window saved it) are read again from SQLite; if it does not, the
//!   snapshot belongs to another history and is rebuilt.
//! - **Whole**: a CRC-32 over everything after the magic; a truncated or damaged file fails it,
//!   and a body that does not read as an index (a slot out of range, an unknown word) is refused
//!   by the decoder.
//! - **Agrees**: after loading, the number of records must equal what SQLite counts.
//!
//! Encrypted books have no snapshot: it would put their customers on disk in the clear.

use super::index::CustomerIndex;
use crate::error::Result;
use crate::search::mapped::{self, Blob, Map, Text};
use crate::store::Store;
use std::path::{Path, PathBuf};

/// One kind of index kept on disk: the file beside the database, its magic, and its layout's
/// version. The global search keeps its records' index the same way (`search/snapshot.rs`).
pub struct Kind {
    pub suffix: &'static str,
    pub magic: &'static [u8; 8],
    /// Bumped whenever the index's layout, its grams or the body's layout change.
    pub format: u32,
}

impl Kind {
    pub fn path_for(&self, db: &Path) -> PathBuf {
        let mut p = db.as_os_str().to_owned();
        p.push(self.suffix);
        PathBuf::from(p)
    }
}

pub const CUSTOMERS: Kind = Kind { suffix: ".index", magic: b"SATCHIX\0", format: 4 };
/// More changes than this since the snapshot: rebuilding is about as quick as catching up.
pub const CATCH_UP_MAX: usize = 20_000;

/// What a snapshot was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub app: String,
    pub schema: i64,
    pub site: String,
    /// The change log's newest entry: sequence number and packed clock (0, 0 when empty).
    pub seq: i64,
    pub hlc: i64,
    /// Records in the index (those `load_index_sources` reads).
    pub records: u64,
}

/// Why a snapshot was not used (logged; the index is then built from SQLite).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    Missing,
    Encrypted,
    Damaged(&'static str),
    OtherVersion,
    OtherBook,
    OtherHistory,
    Disagrees { snapshot: u64, database: u64 },
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Missing => write!(f, "no snapshot yet"),
            Refused::Encrypted => write!(f, "the book is encrypted"),
            Refused::Damaged(why) => write!(f, "damaged ({why})"),
            Refused::OtherVersion => write!(f, "made by another version"),
            Refused::OtherBook => write!(f, "made from another book (restored or replaced)"),
            Refused::OtherHistory => write!(f, "the change log no longer holds its last change"),
            Refused::Disagrees { snapshot, database } => write!(f, "it holds {snapshot} records, the database {database}"),
        }
    }
}

pub fn path_for(db: &Path) -> PathBuf {
    CUSTOMERS.path_for(db)
}

/// The stamp the database would give a snapshot made now (records: of the index at hand).
pub fn current(store: &Store, records: u64) -> Result<Stamp> {
    store.read(|c| {
        let schema: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let (seq, hlc): (i64, i64) = c
            .query_row("SELECT seq, hlc FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok((0, 0)) } else { Err(e) })?;
        Ok(Stamp { app: env!("CARGO_PKG_VERSION").into(), schema, site: store.site_id(), seq, hlc, records })
    })
}

/// Records the database holds, counted as the index's load counts them.
pub fn database_records(store: &Store) -> Result<u64> {
    store.read(|c| {
        Ok(c.query_row("SELECT count(*) FROM customers WHERE name <> '' AND merged_into IS NULL", [], |r| r.get::<_, i64>(0))? as u64)
    })
}

/// Writes `ix` with its stamp (to a temporary file renamed over the old one: a reader never
/// sees half a file). Returns the bytes written.
pub fn save(store: &Store, ix: &CustomerIndex, stamp: &Stamp) -> std::io::Result<u64> {
    save_as(store, &CUSTOMERS, stamp, |e| ix.encode(e))
}

/// Writes a snapshot of `kind`: the stamp, the body `body` encodes, and the checksum.
pub fn save_as(store: &Store, kind: &Kind, stamp: &Stamp, body: impl FnOnce(&mut Encoder)) -> std::io::Result<u64> {
    if store.is_encrypted() {
        return Ok(0);
    }
    let mut e = Encoder(Vec::with_capacity(64 << 20));
    e.0.extend_from_slice(kind.magic);
    e.u32(kind.format);
    e.str(&stamp.app);
    e.i64(stamp.schema);
    e.str(&stamp.site);
    e.i64(stamp.seq);
    e.i64(stamp.hlc);
    e.u64(stamp.records);
    body(&mut e);
    let crc = crc32fast::hash(&e.0[kind.magic.len()..]);
    e.u32(crc);
    let path = kind.path_for(store.path());
    let mut tmp = path.clone().into_os_string();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(&tmp)?, &e.0)?;
    std::fs::rename(&tmp, &path)?;
    Ok(e.0.len() as u64)
}

/// The snapshot's index and stamp, if the file is whole, this version's and this book's.
/// Whether its history is still the database's is for the caller (see [`history_holds`]).
pub fn read(store: &Store) -> std::result::Result<(CustomerIndex, Stamp), Refused> {
    let (ix, stamp) = read_as(store, &CUSTOMERS, CustomerIndex::decode)?;
    if ix.len() as u64 != stamp.records {
        return Err(Refused::Damaged("record count"));
    }
    Ok((ix, stamp))
}

/// Reads a snapshot of `kind` whose body `body` decodes (none: it does not read as one).
pub fn read_as<T>(
    store: &Store,
    kind: &Kind,
    body: impl FnOnce(&mut Decoder<'_>) -> Option<T>,
) -> std::result::Result<(T, Stamp), Refused> {
    if store.is_encrypted() {
        return Err(Refused::Encrypted);
    }
    let file = match std::fs::File::open(kind.path_for(store.path())) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Refused::Missing),
        Err(_) => return Err(Refused::Damaged("unreadable")),
    };
    // Mapped, not read: the file's pages are read once from the page cache instead of copied
    // into a buffer of the file's size (77 MB at 100,000 customers) that the allocator must
    // first hand out page by page (docs/benchmarks.md, "Eighth pass"). The records' text stays
    // in the file and is read in place for as long as the index lives (`search/mapped.rs`).
    // SAFETY: a mapped file must not change under it: Satchel replaces a snapshot by renaming
    // a new file over it (`save_as`), which leaves the mapped one as it was. Only another
    // program cutting the file short in place could fault it. A file already short or damaged
    // when mapped is refused by its size and checksum, as before.
    let map: Map = match unsafe { memmap2::Mmap::map(&file) } {
        Ok(map) => std::sync::Arc::new(map),
        Err(_) => return Err(Refused::Damaged("unreadable")),
    };
    let read = decode(&map[..], Some(&map), store, kind, body);
    // What the index keeps of the file (its records' text) is read in place from now on; the
    // pages the load read are handed back (`mapped::release`), and again whenever the app is
    // idle (`Store::release_memory`): a kernel that caches the file in large folios maps a
    // whole folio (up to 2 MB) on each fault, so the twenty records a sort reads can bring tens
    // of megabytes back.
    if std::sync::Arc::strong_count(&map) > 1 {
        mapped::release(&map);
        store.keep_mapped(&map);
    }
    read
}

fn decode<T>(
    bytes: &[u8],
    map: Option<&Map>,
    store: &Store,
    kind: &Kind,
    body: impl FnOnce(&mut Decoder<'_>) -> Option<T>,
) -> std::result::Result<(T, Stamp), Refused> {
    let magic = kind.magic;
    if bytes.len() < magic.len() + 8 || &bytes[..magic.len()] != magic {
        return Err(Refused::Damaged("not a snapshot"));
    }
    let (all, tail) = bytes.split_at(bytes.len() - 4);
    let crc = u32::from_le_bytes(tail.try_into().map_err(|_| Refused::Damaged("short"))?);
    if crc32fast::hash(&all[magic.len()..]) != crc {
        return Err(Refused::Damaged("checksum"));
    }
    let mut d = Decoder { b: all, at: magic.len(), map };
    let damaged = || Refused::Damaged("layout");
    if d.u32().ok_or_else(damaged)? != kind.format {
        return Err(Refused::OtherVersion);
    }
    let stamp = Stamp {
        app: d.string().ok_or_else(damaged)?,
        schema: d.i64().ok_or_else(damaged)?,
        site: d.string().ok_or_else(damaged)?,
        seq: d.i64().ok_or_else(damaged)?,
        hlc: d.i64().ok_or_else(damaged)?,
        records: d.u64().ok_or_else(damaged)?,
    };
    let now = current(store, 0).map_err(|_| Refused::Damaged("database unreadable"))?;
    if stamp.app != now.app || stamp.schema != now.schema {
        return Err(Refused::OtherVersion);
    }
    if stamp.site != now.site {
        return Err(Refused::OtherBook);
    }
    let value = body(&mut d).ok_or(Refused::Damaged("records"))?;
    Ok((value, stamp))
}

/// Whether the change log still holds the snapshot's newest entry with its clock: then the
/// book's history up to there is the snapshot's, and only later entries are news to it.
pub fn history_holds(store: &Store, stamp: &Stamp) -> Result<bool> {
    if stamp.seq == 0 {
        // Made from an empty log: any log is its continuation only if nothing was there.
        return Ok(true);
    }
    store.read(|c| {
        let hlc: Option<i64> =
            rusqlite::OptionalExtension::optional(c.query_row("SELECT hlc FROM change_log WHERE seq = ?1", [stamp.seq], |r| r.get(0)))?;
        Ok(hlc == Some(stamp.hlc))
    })
}

/// Little-endian, length-prefixed: the snapshot's own tiny format (no dependency for 100 lines).
pub struct Encoder(pub(super) Vec<u8>);

impl Encoder {
    /// A body alone, without the file around it (tests of the bodies' decoders).
    #[cfg(test)]
    pub(crate) fn body(f: impl FnOnce(&mut Encoder)) -> Vec<u8> {
        let mut e = Encoder(Vec::new());
        f(&mut e);
        e.0
    }
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    pub fn opt(&mut self, s: Option<&str>) {
        match s {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }
    /// Bytes a decoder gave back as they were ([`Decoder::since`]).
    pub(crate) fn raw(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    pub fn slots(&mut self, v: &[u32]) {
        self.u32(v.len() as u32);
        for s in v {
            self.0.extend_from_slice(&s.to_le_bytes());
        }
    }
    /// Zeros up to the next multiple of `to` from the file's start: numbers read in place from
    /// a mapped file must be aligned ([`Decoder::words`]).
    pub(crate) fn align(&mut self, to: usize) {
        let pad = self.0.len().next_multiple_of(to) - self.0.len();
        self.0.resize(self.0.len() + pad, 0);
    }
    /// A posting: a tag (0 a list, 1 a bitmap with its count), then its slots or words, aligned
    /// so a loaded index reads them in place.
    pub(crate) fn posting(&mut self, p: &crate::search::grams::Posting) {
        use crate::search::grams::Posting;
        match p {
            Posting::List(l) => {
                self.u8(0);
                self.u32(l.len() as u32);
                self.align(4);
                for s in l.iter() {
                    self.0.extend_from_slice(&s.to_le_bytes());
                }
            }
            Posting::Bits { words, count } => {
                self.u8(1);
                self.u32(*count);
                self.u32(words.len() as u32);
                self.align(8);
                for w in words.iter() {
                    self.0.extend_from_slice(&w.to_le_bytes());
                }
            }
        }
    }
}

/// Reads what [`Encoder`] wrote; `None` for anything past the end or not UTF-8.
pub struct Decoder<'a> {
    b: &'a [u8],
    at: usize,
    /// The mapped file `b` lies in, if it is one: [`Decoder::text`] then keeps text in place.
    map: Option<&'a Map>,
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Self { b, at: 0, map: None }
    }
    /// Where it is: with [`Decoder::since`], a part of the body kept as bytes.
    pub(crate) fn at(&self) -> usize {
        self.at
    }
    pub(crate) fn since(&self, from: usize) -> &'a [u8] {
        &self.b[from.min(self.at)..self.at]
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.b.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    pub fn remaining(&self) -> usize {
        self.b.len() - self.at
    }
    pub fn is_done(&self) -> bool {
        self.at == self.b.len()
    }
    pub fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    pub fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }
    pub fn u64(&mut self) -> Option<u64> {
        self.take(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
    pub fn i64(&mut self) -> Option<i64> {
        self.take(8).map(|b| i64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
    pub fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
    /// What [`Encoder::str`] wrote, as text an index keeps: in the mapped file when there is
    /// one, else copied.
    pub(crate) fn text(&mut self) -> Option<Text> {
        let s = self.str()?;
        Some(Text::mapped(self.map, s))
    }
    /// [`Decoder::since`], kept in the mapped file when there is one.
    pub(crate) fn blob_since(&self, from: usize) -> Blob {
        Blob::kept(self.map, self.since(from))
    }
    pub fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }
    /// What [`Encoder::opt`] wrote, borrowed from the file.
    pub fn opt(&mut self) -> Option<Option<&'a str>> {
        match self.u8()? {
            0 => Some(None),
            1 => self.str().map(Some),
            _ => None,
        }
    }
    pub fn slots(&mut self) -> Option<Vec<u32>> {
        let n = self.u32()? as usize;
        let bytes = self.take(n.checked_mul(4)?)?;
        Some(mapped::Words::<u32>::read(None, bytes).into_vec())
    }
    /// `len` numbers after the zeros [`Encoder::align`] wrote: in place in the mapped file
    /// when there is one, else copied.
    fn words<T: mapped::Word>(&mut self, len: usize) -> Option<mapped::Words<T>> {
        let pad = self.at.next_multiple_of(T::SIZE) - self.at;
        if self.take(pad)?.iter().any(|&b| b != 0) {
            return None;
        }
        let bytes = self.take(len.checked_mul(T::SIZE)?)?;
        Some(mapped::Words::read(self.map, bytes))
    }
    /// What [`Encoder::posting`] wrote, if it is well formed among `n` slots.
    pub(crate) fn posting(&mut self, n: usize) -> Option<crate::search::grams::Posting> {
        use crate::search::grams::Posting;
        let p = match self.u8()? {
            0 => {
                let len = self.u32()? as usize;
                Posting::List(self.words(len)?)
            }
            1 => {
                let count = self.u32()?;
                let len = self.u32()? as usize;
                Posting::Bits { words: self.words(len)?, count }
            }
            _ => return None,
        };
        p.well_formed(n).then_some(p)
    }
}
