//! The fonts: parsed once per process, measured with their own advance widths.
//!
//! Embedded by default. With the feature `system-fonts` (the Debian package, `make deb`) the same
//! faces are read at run time from Debian's `fonts-noto-cjk`, the collections the embedded files
//! were cut from (assets/fonts/README.md): 33 MB less in each of the app's and the CLI's binaries.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::layout::{Face, Measure};
use crate::PrintError;

// Embedded so a quote prints the same on any laptop, with no font set-up there. Noto Sans CJK SC
// covers Latin too, so one family serves mixed Chinese/English lines (see assets/fonts/README.md).
#[cfg(not(feature = "system-fonts"))]
mod source {
    static REGULAR_OTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSansCJKsc-Regular.otf");
    static BOLD_OTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSansCJKsc-Bold.otf");

    /// The face's bytes and its index in them.
    pub(super) fn load(bold: bool) -> Result<(std::borrow::Cow<'static, [u8]>, usize), String> {
        Ok((std::borrow::Cow::Borrowed(if bold { BOLD_OTF } else { REGULAR_OTF }), 0))
    }
}

// The packaged app depends on fonts-noto-cjk; face 2 of each collection is Noto Sans CJK SC, the
// very face the embedded files hold (Debian 12's 1:20220127+repack1-1 is their source).
#[cfg(feature = "system-fonts")]
mod source {
    pub(super) const REGULAR_TTC: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    pub(super) const BOLD_TTC: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
    const SC_FACE: usize = 2;

    pub(super) fn load(bold: bool) -> Result<(std::borrow::Cow<'static, [u8]>, usize), String> {
        let path = if bold { BOLD_TTC } else { REGULAR_TTC };
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path} ({e}): install the package fonts-noto-cjk"))?;
        Ok((std::borrow::Cow::Owned(bytes), SC_FACE))
    }
}

/// One parsed face plus a table of ASCII advances: most of a quote is digits and Latin letters,
/// and a table read is much cheaper than a cmap lookup per character.
pub(crate) struct FontFace {
    pub(crate) parsed: ParsedFont,
    units_per_em: f32,
    ascii: [u16; 128],
}

impl FontFace {
    fn parse(bold: bool) -> Result<Self, String> {
        let name = if bold { "NotoSansCJKsc-Bold" } else { "NotoSansCJKsc-Regular" };
        let (bytes, index) = source::load(bold)?;
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(&bytes, index, &mut warnings).ok_or_else(|| format!("cannot parse the font {name}"))?;
        // A collection laid out otherwise would print in another region's glyphs: refuse it.
        if parsed.font_name.as_deref() != Some(name) {
            return Err(format!("the font is {:?}, not {name}", parsed.font_name));
        }
        let units_per_em = f32::from(parsed.font_metrics.units_per_em);
        if units_per_em <= 0.0 {
            return Err(format!("the font {name} has no units per em"));
        }
        let mut face = FontFace { parsed, units_per_em, ascii: [0; 128] };
        for c in 0u8..128 {
            face.ascii[usize::from(c)] = face.advance_uncached(u32::from(c));
        }
        Ok(face)
    }

    /// Advance in font units from the hmtx table; a character the font lacks is drawn as the
    /// .notdef glyph (gid 0), so that is the width it takes on the page too.
    fn advance_uncached(&self, c: u32) -> u16 {
        let gid = self.parsed.lookup_glyph_index(c).unwrap_or(0);
        self.parsed.get_horizontal_advance(gid)
    }

    fn advance(&self, c: char, cache: &mut HashMap<char, u16>) -> u16 {
        match self.ascii.get(c as usize) {
            Some(a) => *a,
            None => *cache.entry(c).or_insert_with(|| self.advance_uncached(c as u32)),
        }
    }
}

pub(crate) struct Fonts {
    pub(crate) regular: FontFace,
    pub(crate) bold: FontFace,
}

impl Fonts {
    fn load() -> Result<Self, String> {
        // Parse the two 16 MB faces on two threads: it halves the one-time cost on a 2-core laptop.
        let bold = std::thread::spawn(|| FontFace::parse(true));
        let regular = FontFace::parse(false);
        let bold = bold.join().map_err(|_| "parsing the bold font panicked".to_string())?;
        Ok(Fonts { regular: regular?, bold: bold? })
    }

    pub(crate) fn face(&self, face: Face) -> &FontFace {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }
}

/// The measurer for one layout. Wrapping measures the same Chinese characters over and over and
/// a cmap lookup in a 65,000-glyph font is slow enough to show, so non-ASCII advances are
/// remembered for the duration of the layout.
pub(crate) struct Measurer<'a> {
    fonts: &'a Fonts,
    cache: RefCell<[HashMap<char, u16>; 2]>,
}

impl<'a> Measurer<'a> {
    pub(crate) fn new(fonts: &'a Fonts) -> Self {
        Measurer { fonts, cache: RefCell::new([HashMap::new(), HashMap::new()]) }
    }
}

impl Measure for Measurer<'_> {
    /// PDF text is drawn here without kerning, so the sum of the advances is exactly what a
    /// viewer draws: right-aligned columns line up to the point.
    fn width(&self, text: &str, face: Face, size: f32) -> f32 {
        let font = self.fonts.face(face);
        let mut cache = self.cache.borrow_mut();
        let cache = &mut cache[usize::from(face == Face::Bold)];
        let units: u64 = text.chars().map(|c| u64::from(font.advance(c, cache))).sum();
        units as f32 * size / font.units_per_em
    }
}

static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();

/// The parsed fonts, parsed on first use (about a tenth of a second) and kept for the process.
pub(crate) fn fonts() -> Result<&'static Fonts, PrintError> {
    FONTS.get_or_init(Fonts::load).as_ref().map_err(|e| PrintError::Font(e.clone()))
}
