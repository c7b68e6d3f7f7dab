//! Printable business documents (quotes, contracts) rendered to A4 PDF.
//!
//! The caller fills a [`Document`]; [`render`] lays it out (`layout.rs`, pure and tested on its
//! own) and writes the pages with printpdf. The fonts (Noto Sans CJK SC, Chinese and Latin) are
//! compiled in and subset into each PDF, so output looks the same on every machine and a quote
//! stays a few tens of KB. The same `Document` always gives the same bytes.

mod fonts;
mod layout;
pub mod sales;

use printpdf::{
    Color, FontId, ImageCompression, ImageOptimizationOptions, Line, LinePoint, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Polygon, PolygonRing, Pt, RawImage, Rgb, TextItem, WindingOrder, XObjectId, XObjectTransform,
};

use crate::layout::{Face, Item, PAGE_H};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Big heading, e.g. "Quote 报价单".
    pub title: String,
    /// Printed under the title, e.g. "Q-2026-A0042".
    pub number: String,
    pub letterhead: Letterhead,
    /// Label/value pairs shown top right: "Date", "Valid until", "Currency"...
    pub meta: Vec<(String, String)>,
    /// Blocks side by side under the letterhead ("To", and for a contract also the seller).
    /// The first line of each is printed bold (the name).
    pub parties: Vec<Party>,
    /// The line items.
    pub table: Table,
    /// Right-aligned under the table; a `strong` row (the total) is emphasised.
    pub totals: Vec<TotalRow>,
    /// Notes, terms, payment schedule...
    pub sections: Vec<Section>,
    /// Labels of signature boxes side by side, each with a signature line, name and date.
    pub signatures: Vec<String>,
    /// With `{page}` and `{pages}`: "Page {page} of {pages}" or "第 {page} 页，共 {pages} 页".
    pub page_label: String,
    /// Small text at the bottom of every page (e.g. company + number).
    pub footer: String,
    /// "YYYY-MM-DD": the PDF's creation date. Nothing else in the output depends on the clock.
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Letterhead {
    pub company: String,
    pub lines: Vec<String>,
    /// PNG or JPEG bytes, fitted into a 40 x 20 mm box at the top left.
    pub logo: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Party {
    pub heading: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Cells by column; missing cells print empty, extra cells are ignored.
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Column {
    pub header: String,
    /// Relative width; 0 counts as 1.
    pub weight: u16,
    pub align: Align,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TotalRow {
    pub label: String,
    pub value: String,
    pub strong: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    pub heading: String,
    /// Paragraphs separated by `\n`.
    pub body: String,
    /// A small table under the text (e.g. a payment schedule).
    pub table: Option<Table>,
}

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the logo is not a PNG or JPEG image that can be printed: {0}")]
    BadLogo(String),
    #[error("font error: {0}")]
    Font(String),
    #[error("PDF error: {0}")]
    Pdf(String),
}

/// Parses the embedded fonts now instead of on the first [`render`] (about 0.1-0.2 s, once per
/// process), e.g. on a background thread at start-up so the first "Print" is instant.
pub fn preload_fonts() -> Result<(), PrintError> {
    fonts::fonts().map(|_| ())
}

fn is_png_or_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

fn decode_logo(bytes: &[u8]) -> Result<RawImage, PrintError> {
    // Only PNG and JPEG are promised (the settings screen says so), even if the decoder knew more.
    if !is_png_or_jpeg(bytes) {
        return Err(PrintError::BadLogo("not a PNG or JPEG file".into()));
    }
    let image = RawImage::decode_from_bytes(bytes, &mut Vec::new()).map_err(PrintError::BadLogo)?;
    if image.width == 0 || image.height == 0 {
        return Err(PrintError::BadLogo("the image is empty".into()));
    }
    Ok(image)
}

/// Whether `bytes` decode as a PNG or JPEG that [`render`] can place (checked when the logo is
/// chosen in settings, so a bad file is refused there rather than when printing).
pub fn logo_ok(bytes: &[u8]) -> bool {
    decode_logo(bytes).is_ok()
}

// Fixed resource names: printpdf would otherwise generate new ones per call, and the same
// document must give the same bytes. The six capital letters double as the PDF subset tag
// ("SATREG+NotoSansCJKsc-Regular"), which the spec wants to be exactly that shape.
const FONT_REGULAR: &str = "SATREG";
const FONT_BOLD: &str = "SATBLD";
const LOGO: &str = "Logo";

/// Renders `doc` as an A4 portrait PDF.
pub fn render(doc: &Document) -> Result<Vec<u8>, PrintError> {
    let fonts = fonts::fonts()?;
    let logo = doc.letterhead.logo.as_deref().map(decode_logo).transpose()?;
    let pages = layout::layout(doc, &fonts::Measurer::new(fonts), logo.as_ref().map(|l| (l.width as u32, l.height as u32)));

    let mut pdf = PdfDocument::new(&format!("{} {}", doc.title.trim(), doc.number.trim()));
    let info = &mut pdf.metadata.info;
    let date = pdf_date(&doc.created);
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    info.creator = "Satchel".into();
    info.producer = "Satchel".into();
    info.identifier = doc.number.clone();

    let regular = FontId(FONT_REGULAR.into());
    let bold = FontId(FONT_BOLD.into());
    // printpdf only embeds fonts it finds in the pages, so registering both costs nothing when
    // a document has no bold text. (The clone copies the parsed tables, not the file.)
    pdf.resources.fonts.map.insert(regular.clone(), printpdf::PdfFont::new(fonts.regular.parsed.clone()));
    pdf.resources.fonts.map.insert(bold.clone(), printpdf::PdfFont::new(fonts.bold.parsed.clone()));
    let logo_id = XObjectId(LOGO.into());
    if let Some(image) = &logo {
        pdf.resources.xobjects.map.insert(logo_id.clone(), printpdf::XObject::Image(image.clone()));
    }

    let pdf_pages = pages
        .iter()
        .map(|page| {
            let mut ops = Vec::with_capacity(page.items.len() * 6);
            for item in &page.items {
                emit(&mut ops, item, &regular, &bold, logo.as_ref().map(|l| (&logo_id, l)));
            }
            PdfPage::new(printpdf::Mm(210.0), printpdf::Mm(297.0), ops)
        })
        .collect();
    pdf.with_pages(pdf_pages);

    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        // Logos are flat artwork: keep them lossless (the default re-encodes colour as JPEG),
        // and let printpdf shrink a needlessly huge one.
        image_optimization: Some(ImageOptimizationOptions {
            format: Some(ImageCompression::Flate),
            max_image_size: Some("1MB".into()),
            ..Default::default()
        }),
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    // printpdf writes a random trailer /ID; derive it from the content instead so the same
    // document is byte-identical every time (and a different one gets a different ID).
    let id = document_id(doc).to_be_bytes().to_vec();
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.clone(), lopdf::StringFormat::Hexadecimal),
            lopdf::Object::String(id, lopdf::StringFormat::Hexadecimal),
        ]),
    );
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| PrintError::Pdf(e.to_string()))?;
    Ok(out)
}

fn color(c: layout::Rgb) -> Color {
    Color::Rgb(Rgb { r: c[0], g: c[1], b: c[2], icc_profile: None })
}

/// PDF y grows upwards from the bottom; the layout's grows down from the top.
fn pt(x: f32, y_from_top: f32) -> Point {
    Point { x: Pt(x), y: Pt(PAGE_H - y_from_top) }
}

fn emit(ops: &mut Vec<Op>, item: &Item, regular: &FontId, bold: &FontId, logo: Option<(&XObjectId, &RawImage)>) {
    match item {
        Item::Text(r) => {
            if r.text.is_empty() {
                return;
            }
            let font = if r.face == Face::Bold { bold } else { regular };
            ops.extend([
                Op::StartTextSection,
                Op::SetFillColor { col: color(r.color) },
                Op::SetFont { font: PdfFontHandle::External(font.clone()), size: Pt(r.size) },
                // A fresh text section starts at the origin, so this relative move is absolute.
                Op::SetTextCursor { pos: pt(r.x, r.baseline) },
                Op::ShowText { items: vec![TextItem::Text(r.text.clone())] },
                Op::EndTextSection,
            ]);
        }
        Item::Line { x1, y1, x2, y2, width, color: c } => {
            ops.extend([
                Op::SetOutlineColor { col: color(*c) },
                Op::SetOutlineThickness { pt: Pt(*width) },
                Op::DrawLine {
                    line: Line {
                        points: vec![LinePoint { p: pt(*x1, *y1), bezier: false }, LinePoint { p: pt(*x2, *y2), bezier: false }],
                        is_closed: false,
                    },
                },
            ]);
        }
        Item::Fill { x, y, w, h, color: c } => {
            let corners = [(*x, *y), (x + w, *y), (x + w, y + h), (*x, y + h)];
            ops.extend([
                Op::SetFillColor { col: color(*c) },
                Op::DrawPolygon {
                    polygon: Polygon {
                        rings: vec![PolygonRing {
                            points: corners.iter().map(|(cx, cy)| LinePoint { p: pt(*cx, *cy), bezier: false }).collect(),
                        }],
                        mode: PaintMode::Fill,
                        winding_order: WindingOrder::NonZero,
                    },
                },
            ]);
        }
        Item::Logo { x, y, w, h } => {
            let Some((id, image)) = logo else { return };
            // At 72 dpi one pixel is one point, so the scale is simply target size / pixels.
            ops.push(Op::UseXobject {
                id: id.clone(),
                transform: XObjectTransform {
                    translate_x: Some(Pt(*x)),
                    translate_y: Some(Pt(PAGE_H - y - h)),
                    scale_x: Some(w / image.width as f32),
                    scale_y: Some(h / image.height as f32),
                    dpi: Some(72.0),
                    ..Default::default()
                },
            });
        }
    }
}

/// `created` ("YYYY-MM-DD") as UTC midnight; anything else gives 1970-01-01 rather than the
/// clock, so the output stays reproducible.
fn pdf_date(created: &str) -> printpdf::OffsetDateTime {
    let (year, month, day) = parse_ymd(created).unwrap_or((1970, 1, 1));
    printpdf::date::DateTime {
        date: printpdf::date::Date { year, month, day },
        time: printpdf::date::Time { hour: 0, minute: 0, second: 0, millisecond: 0 },
        offset: printpdf::date::Offset { hours: 0, minutes: 0, seconds: 0, milliseconds: 0 },
    }
}

fn parse_ymd(s: &str) -> Option<(i32, u8, u8)> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.get(..2)?.parse().ok()?;
    ((1..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// A 128-bit FNV-1a digest of the document: stable across runs, Rust versions and
/// machines (unlike `DefaultHasher`), which is all a PDF file identifier needs.
fn document_id(doc: &Document) -> u128 {
    struct Fnv(u128);
    impl Fnv {
        fn feed(&mut self, s: &[u8]) {
            for b in s.iter().chain(&[0xFF]) {
                self.0 ^= u128::from(*b);
                self.0 = self.0.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
            }
        }
    }
    let mut h = Fnv(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d);
    for s in [&doc.title, &doc.number, &doc.letterhead.company, &doc.created, &doc.footer, &doc.page_label] {
        h.feed(s.as_bytes());
    }
    for s in doc.letterhead.lines.iter().chain(&doc.signatures) {
        h.feed(s.as_bytes());
    }
    h.feed(doc.letterhead.logo.as_deref().unwrap_or_default());
    for (k, v) in &doc.meta {
        h.feed(k.as_bytes());
        h.feed(v.as_bytes());
    }
    for p in &doc.parties {
        h.feed(p.heading.as_bytes());
        p.lines.iter().for_each(|l| h.feed(l.as_bytes()));
    }
    let tables = std::iter::once(&doc.table).chain(doc.sections.iter().filter_map(|s| s.table.as_ref()));
    for t in tables {
        t.columns.iter().for_each(|c| h.feed(format!("{}|{}|{:?}", c.header, c.weight, c.align).as_bytes()));
        t.rows.iter().flatten().for_each(|c| h.feed(c.as_bytes()));
    }
    for r in &doc.totals {
        h.feed(format!("{}|{}|{}", r.label, r.value, r.strong).as_bytes());
    }
    for s in &doc.sections {
        h.feed(s.heading.as_bytes());
        h.feed(s.body.as_bytes());
    }
    h.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_ymd("2026-01-15"), Some((2026, 1, 15)));
        assert_eq!(parse_ymd("2026-01-15T10:00"), Some((2026, 1, 15)));
        for bad in ["", "2026", "2026-13-01", "x-1-1", "2026-1-"] {
            assert_eq!(parse_ymd(bad), None, "{bad}");
        }
    }

    #[test]
    fn document_ids_differ_by_content() {
        let a = Document { number: "Q-1".into(), ..Default::default() };
        let b = Document { number: "Q-2".into(), ..Default::default() };
        assert_eq!(document_id(&a), document_id(&a.clone()));
        assert_ne!(document_id(&a), document_id(&b));
    }
}
