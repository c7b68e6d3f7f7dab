//! The Debian package's binaries (feature `system-fonts`, `make deb`) print with face 2 of
//! fonts-noto-cjk's collections instead of the embedded files every other build and test uses.
//! Here: that face is the embedded face, table for table, so what the tests check of the PDFs holds
//! for the packaged app too. (fonts-noto-cjk is in the Makefile's apt list.)

// The paths of src/fonts.rs's `system-fonts` source.
const COLLECTIONS: [(&str, &str); 2] = [
    ("NotoSansCJKsc-Regular.otf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    ("NotoSansCJKsc-Bold.otf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
];
const SC_FACE: usize = 2;

fn u16_at(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_be_bytes([b[at], b[at + 1]]))
}

fn u32_at(b: &[u8], at: usize) -> usize {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}

/// The tables of the sfnt whose directory starts at `dir`: (tag, bytes), in directory order.
fn tables(file: &[u8], dir: usize) -> Vec<(String, &[u8])> {
    (0..u16_at(file, dir + 4))
        .map(|i| {
            let entry = dir + 12 + 16 * i;
            let tag = String::from_utf8_lossy(&file[entry..entry + 4]).into_owned();
            let (offset, length) = (u32_at(file, entry + 8), u32_at(file, entry + 12));
            (tag, &file[offset..offset + length])
        })
        .collect()
}

#[test]
fn the_debian_collections_hold_the_embedded_faces() {
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts");
    for (otf, ttc) in COLLECTIONS {
        let embedded = std::fs::read(assets.join(otf)).unwrap();
        let collection = std::fs::read(ttc).unwrap_or_else(|e| panic!("{ttc}: {e} (apt install fonts-noto-cjk)"));
        assert_eq!(&collection[..4], b"ttcf", "{ttc} is a collection");
        let face = u32_at(&collection, 12 + 4 * SC_FACE);

        let ours = tables(&embedded, 0);
        let theirs = tables(&collection, face);
        let tags = |t: &[(String, &[u8])]| {
            let mut tags: Vec<String> = t.iter().map(|(tag, _)| tag.clone()).collect();
            tags.sort();
            tags
        };
        assert_eq!(tags(&ours), tags(&theirs), "{otf} and face {SC_FACE} of {ttc} have the same tables");
        for (tag, bytes) in &ours {
            let other = theirs.iter().find(|(t, _)| t == tag).unwrap().1;
            if tag == "head" {
                // Saving the face alone rewrote its checksum adjustment (bytes 8-11) and its
                // modification time (28-35); nothing the PDF or the layout reads.
                let keep = |b: &[u8]| [&b[..8], &b[12..28], &b[36..]].concat();
                assert_eq!(keep(bytes), keep(other), "{otf}: head");
            } else {
                assert!(*bytes == other, "{otf}: table {tag} differs from face {SC_FACE} of {ttc}");
            }
        }
    }
}
