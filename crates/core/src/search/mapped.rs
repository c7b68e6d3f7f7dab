//! Text an index keeps in its snapshot's file instead of its heap.
//!
//! A loaded index used to copy every record's text out of the snapshot: 27 MB for the demo
//! book's customers and 41 MB for the other modules' records, anonymous memory the process holds
//! for good. Now a record loaded from a snapshot points at its bytes in the mapped file, and the
//! pages are handed back once the load has checked them, and again whenever the app is idle
//! ([`release`], `Store::release_memory`). The kernel maps a page back in when a search or a row
//! reads it, keeps the file in its page cache, and can drop it under pressure without swapping,
//! since the file holds it (docs/benchmarks.md, "Eleventh pass").
//!
//! A record written after the load owns its text as before ([`Text::Owned`]).

use std::ops::Deref;
use std::sync::Arc;

/// A snapshot file, mapped read-only.
pub(crate) type Map = Arc<memmap2::Mmap>;

/// `len` bytes at `start` in a mapped snapshot.
#[derive(Clone)]
pub(crate) struct Span {
    map: Map,
    start: u32,
    len: u32,
}

impl Span {
    /// The span of `bytes`, which must lie inside `map` (none for a file past 4 GB: the caller then
    /// copies).
    pub(crate) fn of(map: &Map, bytes: &[u8]) -> Option<Self> {
        let base = map.as_ptr() as usize;
        let at = (bytes.as_ptr() as usize).checked_sub(base)?;
        let end = at.checked_add(bytes.len())?;
        if end > map.len() {
            return None;
        }
        Some(Self { map: map.clone(), start: u32::try_from(at).ok()?, len: u32::try_from(bytes.len()).ok()? })
    }

    fn bytes(&self) -> &[u8] {
        let start = self.start as usize;
        &self.map[start..start + self.len as usize]
    }
}

/// A record's text: its own buffer, or its bytes in a mapped snapshot.
#[derive(Clone)]
pub(crate) enum Text {
    Owned(Box<str>),
    /// Checked as UTF-8 when the snapshot loaded (see [`Text::mapped`]).
    Mapped(Span),
}

impl Text {
    /// The text at `s`, kept in place when `s` lies in `map`. `s` is a `str`, so its bytes were
    /// checked as UTF-8 when the decoder read them.
    pub(crate) fn mapped(map: Option<&Map>, s: &str) -> Self {
        match map.and_then(|m| Span::of(m, s.as_bytes())) {
            Some(span) => Text::Mapped(span),
            None => Text::Owned(s.into()),
        }
    }

    /// Bytes of the process's heap it holds (a mapped text holds none).
    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Text::Owned(s) => s.len(),
            Text::Mapped(_) => 0,
        }
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Owned(s) => s,
            // SAFETY: the bytes were checked as UTF-8 when the snapshot loaded (`Text::mapped`
            // takes a `str`), and a mapped snapshot does not change while mapped: Satchel replaces
            // a snapshot by renaming a new file over it, which leaves the mapped one as it was,
            // and the only write in place (encryption's scrub, `store/cipher.rs`) writes zeros,
            // which are UTF-8 too, and runs when no Satchel holds the book open.
            Text::Mapped(span) => unsafe { std::str::from_utf8_unchecked(span.bytes()) },
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Owned(s.into_boxed_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// A record's strings in one buffer, the `i`th ending at `ends[i]`: one allocation a record
/// instead of one a string (the customers' index, the ticket queues' rows). At 100,000 records
/// the separate strings cost their headers, their allocations' overhead and spare capacity
/// (docs/benchmarks.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Packed<const N: usize> {
    /// Its own buffer, or its bytes in the snapshot it loaded from.
    pub(crate) buf: Text,
    pub(crate) ends: [u32; N],
}

impl<const N: usize> Packed<N> {
    pub(crate) fn new(parts: [&str; N]) -> Self {
        let mut buf = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut ends = [0u32; N];
        for (end, part) in ends.iter_mut().zip(parts) {
            buf.push_str(part);
            *end = buf.len() as u32;
        }
        Self { buf: buf.into(), ends }
    }

    pub(crate) fn part(&self, i: usize) -> &str {
        let from = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[from..self.ends[i] as usize]
    }
}

impl Eq for Text {}

/// Bytes kept as they were read: owned, or in a mapped snapshot.
pub(crate) enum Blob {
    Owned(Box<[u8]>),
    Mapped(Span),
}

impl Blob {
    pub(crate) fn kept(map: Option<&Map>, bytes: &[u8]) -> Self {
        match map.and_then(|m| Span::of(m, bytes)) {
            Some(span) => Blob::Mapped(span),
            None => Blob::Owned(bytes.into()),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Blob::Owned(b) => b.len(),
            Blob::Mapped(_) => 0,
        }
    }
}

impl Deref for Blob {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Blob::Owned(b) => b,
            Blob::Mapped(span) => span.bytes(),
        }
    }
}

/// A number a posting is made of, as the snapshot writes it (little-endian).
pub(crate) trait Word: Copy + PartialEq + std::fmt::Debug + 'static {
    const SIZE: usize;
    fn from_le(b: &[u8]) -> Self;
}

impl Word for u32 {
    const SIZE: usize = 4;
    fn from_le(b: &[u8]) -> Self {
        u32::from_le_bytes(b.try_into().expect("4 bytes"))
    }
}

impl Word for u64 {
    const SIZE: usize = 8;
    fn from_le(b: &[u8]) -> Self {
        u64::from_le_bytes(b.try_into().expect("8 bytes"))
    }
}

/// A posting's slots or bitmap words: its own vector, or read in place from a mapped snapshot,
/// where the writer aligned them (`Encoder::align`). Changed, it is copied to a vector first
/// ([`Words::to_mut`]): writes after a load touch a few postings, searches read many.
pub(crate) enum Words<T: Word> {
    Owned(Vec<T>),
    /// Whole `T`s, aligned for `T`, little-endian like this machine (see [`Words::read`]).
    Mapped(Span, std::marker::PhantomData<T>),
}

impl<T: Word> Words<T> {
    /// The numbers in `bytes`: in place when `bytes` lie in `map`, aligned for `T`, on a
    /// little-endian machine; else copied.
    pub(crate) fn read(map: Option<&Map>, bytes: &[u8]) -> Self {
        debug_assert_eq!(bytes.len() % T::SIZE, 0);
        let aligned = (bytes.as_ptr() as usize).is_multiple_of(std::mem::align_of::<T>());
        if cfg!(target_endian = "little") && aligned {
            if let Some(span) = map.and_then(|m| Span::of(m, bytes)) {
                return Words::Mapped(span, std::marker::PhantomData);
            }
        }
        Words::Owned(bytes.chunks_exact(T::SIZE).map(T::from_le).collect())
    }

    /// The vector to change (a mapped one is copied first).
    pub(crate) fn to_mut(&mut self) -> &mut Vec<T> {
        if let Words::Mapped(..) = self {
            *self = Words::Owned(self.to_vec());
        }
        match self {
            Words::Owned(v) => v,
            Words::Mapped(..) => unreachable!("made owned above"),
        }
    }

    pub(crate) fn into_vec(self) -> Vec<T> {
        match self {
            Words::Owned(v) => v,
            mapped => mapped.to_vec(),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Words::Owned(v) => v.capacity() * T::SIZE,
            Words::Mapped(..) => 0,
        }
    }
}

impl<T: Word> Deref for Words<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Words::Owned(v) => v,
            Words::Mapped(span, _) => {
                let b = span.bytes();
                // SAFETY: `read` made this span only of whole `T`s aligned for `T` on a
                // little-endian machine, where the file's little-endian bytes are `T`s as they
                // are; u32 and u64 have no invalid bit patterns; the file does not change while
                // mapped (see `Text`'s deref).
                unsafe { std::slice::from_raw_parts(b.as_ptr().cast::<T>(), b.len() / T::SIZE) }
            }
        }
    }
}

impl<T: Word> From<Vec<T>> for Words<T> {
    fn from(v: Vec<T>) -> Self {
        Words::Owned(v)
    }
}

impl<T: Word> Clone for Words<T> {
    fn clone(&self) -> Self {
        match self {
            Words::Owned(v) => Words::Owned(v.clone()),
            Words::Mapped(span, _) => Words::Mapped(span.clone(), std::marker::PhantomData),
        }
    }
}

impl<T: Word> PartialEq for Words<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Word> std::fmt::Debug for Words<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// Hands the map's pages back: once a load has read them all (its checksum and checks), and
/// whenever the app is idle (`Store::release_memory`), so the process keeps only the pages a
/// search or a row reads until then. The file's data stays in the page cache, so reading it again
/// costs a minor fault, not a disk read. Without this every page the load touched would count in
/// the process's memory for as long as it runs.
pub(crate) fn release(map: &Map) {
    // SAFETY: `DontNeed` on a read-only shared mapping of a file only unmaps its pages from this
    // process; the next read maps the file's same bytes back. Nothing is written through it.
    if let Err(e) = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) } {
        log::debug!("snapshot pages not handed back: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn mapped(content: &[u8]) -> (tempfile::TempDir, Map) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snap");
        std::fs::File::create(&path).unwrap().write_all(content).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        (dir, Arc::new(unsafe { memmap2::Mmap::map(&file) }.unwrap()))
    }

    #[test]
    fn a_text_in_the_map_reads_its_own_bytes_and_outlives_the_file_and_a_release() {
        let (dir, map) = mapped("ab王五cd".as_bytes());
        let s = std::str::from_utf8(&map[2..8]).unwrap();
        let t = Text::mapped(Some(&map), s);
        assert!(matches!(t, Text::Mapped(_)));
        assert_eq!(&*t, "王五");
        assert_eq!(t.heap_bytes(), 0);
        release(&map);
        drop(map);
        // Replaced by a rename, as a snapshot is, then the directory gone: the text still reads.
        std::fs::write(dir.path().join("new"), b"zzzzzzzzzz").unwrap();
        std::fs::rename(dir.path().join("new"), dir.path().join("snap")).unwrap();
        drop(dir);
        assert_eq!(&*t, "王五");
        assert_eq!(t.clone(), Text::from("王五".to_string()));
    }

    #[test]
    fn numbers_are_read_in_place_when_aligned_and_copied_to_be_changed() {
        let mut content = vec![9u8; 4];
        content.extend([1u32, 2, 70_000].iter().flat_map(|n| n.to_le_bytes()));
        content.extend([5u8; 3]);
        content.extend(7u32.to_le_bytes());
        let (_dir, map) = mapped(&content);
        let mut w: Words<u32> = Words::read(Some(&map), &map[4..16]);
        assert!(matches!(w, Words::Mapped(..)), "aligned: in place");
        assert_eq!((&*w, w.heap_bytes()), (&[1, 2, 70_000][..], 0));
        w.to_mut().push(8);
        assert!(matches!(w, Words::Owned(_)));
        assert_eq!(&*w, &[1, 2, 70_000, 8]);
        let odd: Words<u32> = Words::read(Some(&map), &map[19..23]);
        assert!(matches!(odd, Words::Owned(_)), "not aligned: copied");
        assert_eq!(&*odd, &[7]);
        let none: Words<u64> = Words::read(None, &[1, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&*none, &[1u64]);
    }

    #[test]
    fn bytes_outside_the_map_are_copied() {
        let (_dir, map) = mapped(b"abc");
        let elsewhere = String::from("xyz");
        let t = Text::mapped(Some(&map), &elsewhere);
        assert!(matches!(t, Text::Owned(_)));
        assert_eq!(&*t, "xyz");
        assert_eq!(t.heap_bytes(), 3);
        assert!(matches!(Text::mapped(None, "abc"), Text::Owned(_)));
        let b = Blob::kept(Some(&map), &map[1..3]);
        assert!(matches!(b, Blob::Mapped(_)));
        assert_eq!(&*b, b"bc");
        assert!(matches!(Blob::kept(Some(&map), b"zz"), Blob::Owned(_)));
    }
}
