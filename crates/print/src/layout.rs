//! Pure layout: the document and a width measurer in, positioned items per page out.
//!
//! Nothing here knows about PDF, so wrapping and pagination are unit-tested with a fake
//! measurer. Coordinates are PDF points with y growing *down* from the top of the page (the
//! renderer flips them); a text item's `baseline` is where its glyphs sit.
//!
//! Everything is laid out first and emitted afterwards because "Page x of y" needs the page
//! count, which is only known once the last block has been placed.

use crate::{Align, Document, Party, Section, Table, TotalRow};

pub const MM: f32 = 72.0 / 25.4;
pub const PAGE_W: f32 = 210.0 * MM;
pub const PAGE_H: f32 = 297.0 * MM;
const LEFT: f32 = 16.0 * MM;
const RIGHT: f32 = PAGE_W - 16.0 * MM;
const CONTENT_W: f32 = RIGHT - LEFT;
const TOP: f32 = 15.0 * MM;
/// Continuation pages start below a one-line running header.
const CONT_TOP: f32 = TOP + 10.0 * MM;
const FOOTER_RULE: f32 = PAGE_H - 16.0 * MM;
/// Body content never goes below this, so it can never touch the footer.
pub const BODY_BOTTOM: f32 = FOOTER_RULE - 4.0 * MM;
/// Slack for float comparisons, so a block that fits exactly is not pushed to the next page.
const EPS: f32 = 0.01;

pub type Rgb = [f32; 3];
const INK: Rgb = [0.12, 0.13, 0.15];
const MUTED: Rgb = [0.40, 0.43, 0.47];
const ACCENT: Rgb = [0.10, 0.22, 0.40];
const RULE: Rgb = [0.78, 0.80, 0.84];
const HEADER_FILL: Rgb = [0.92, 0.94, 0.97];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

/// Text width in points. The real one reads the font's advance widths; tests use a fake.
pub trait Measure {
    fn width(&self, text: &str, face: Face, size: f32) -> f32;
}

/// What a text run is, so tests (and nothing else) can find e.g. the table header on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Letterhead,
    Title,
    Meta,
    Party,
    TableHeader,
    TableCell,
    Total,
    SectionHeading,
    SectionBody,
    Signature,
    RunningHeader,
    Footer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub x: f32,
    pub baseline: f32,
    pub text: String,
    pub face: Face,
    pub size: f32,
    pub color: Rgb,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(Run),
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// The letterhead logo's box (top-left corner, size), already scaled to keep its aspect.
    Logo {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

impl Item {
    fn shifted(&self, dy: f32) -> Item {
        let mut it = self.clone();
        match &mut it {
            Item::Text(r) => r.baseline += dy,
            Item::Line { y1, y2, .. } => {
                *y1 += dy;
                *y2 += dy;
            }
            Item::Fill { y, .. } | Item::Logo { y, .. } => *y += dy,
        }
        it
    }

    /// The lowest point the item paints (for the "nothing runs off the page" tests).
    #[cfg(test)]
    fn bottom(&self) -> f32 {
        match self {
            Item::Text(r) => r.baseline + r.size * 0.25,
            Item::Line { y1, y2, .. } => y1.max(*y2),
            Item::Fill { y, h, .. } | Item::Logo { y, h, .. } => y + h,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

impl Page {
    #[cfg(test)]
    fn runs(&self) -> impl Iterator<Item = &Run> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(r) => Some(r),
            _ => None,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Text wrapping

/// Control characters would draw as boxes; tabs and carriage returns are common in pasted text.
fn clean(text: &str) -> String {
    text.chars().filter(|c| *c != '\r').map(|c| if c.is_control() && c != '\n' { ' ' } else { c }).collect()
}

/// Chinese, Japanese and Korean text may break between any two characters.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x303F | 0x3040..=0x30FF | 0x3100..=0x31FF | 0x3200..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Closing punctuation must not start a line (Chinese typesetting rule, and English commas).
fn no_break_before(c: char) -> bool {
    "，。、；：！？）」』》〉】〕”’…·%,.;:!?)]}～".contains(c)
}

/// Opening brackets must not end a line.
fn no_break_after(c: char) -> bool {
    "（「『《〈【〔“‘([{￥".contains(c)
}

fn break_between(prev: char, cur: char) -> bool {
    if cur.is_whitespace() || no_break_before(cur) || no_break_after(prev) {
        return false;
    }
    prev.is_whitespace() || is_cjk(prev) || is_cjk(cur)
}

/// Pieces that must stay on one line: a Latin word with its trailing spaces, or one CJK
/// character with the punctuation glued to it.
fn segments(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in paragraph.char_indices() {
        if let Some(p) = prev {
            if break_between(p, c) {
                out.push(&paragraph[start..i]);
                start = i;
            }
        }
        prev = Some(c);
    }
    if start < paragraph.len() {
        out.push(&paragraph[start..]);
    }
    out
}

/// Breaks a word wider than the line between characters (a long URL, an IBAN, a part number).
/// Always puts at least one character on a line, so it terminates for any `max`.
fn hard_break(seg: &str, max: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut w = 0.0;
    let mut buf = [0u8; 4];
    for c in seg.chars() {
        let cw = width(c.encode_utf8(&mut buf));
        if !cur.is_empty() && !c.is_whitespace() && w + cw > max + EPS {
            out.push(std::mem::take(&mut cur));
            w = 0.0;
        }
        cur.push(c);
        w += cw;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Wraps `text` into lines no wider than `max` points: `\n` starts a new line, Latin breaks at
/// spaces, CJK between characters, and a word too long for a line is broken where it must.
/// Always returns at least one line (maybe empty), so callers can rely on a line box.
pub fn wrap(text: &str, max: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    let text = clean(text);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut cur = String::new();
        let mut cur_w = 0.0;
        for seg in segments(paragraph) {
            let trimmed = seg.trim_end();
            let seg_w = width(seg);
            let trim_w = if trimmed.len() == seg.len() { seg_w } else { width(trimmed) };
            if !cur.is_empty() && cur_w + trim_w > max + EPS {
                lines.push(cur.trim_end().to_string());
                cur.clear();
                cur_w = 0.0;
            }
            if cur.is_empty() && trim_w > max + EPS {
                let mut parts = hard_break(seg, max, width);
                let last = parts.pop().unwrap_or_default();
                lines.extend(parts.into_iter().map(|p| p.trim_end().to_string()));
                cur_w = width(&last);
                cur = last;
            } else {
                cur.push_str(seg);
                cur_w += seg_w;
            }
        }
        lines.push(cur.trim_end().to_string());
    }
    lines
}

/// Shortens `text` with an ellipsis to fit `max` points (for one-line places like the footer).
pub fn fit(text: &str, max: f32, width: &dyn Fn(&str) -> f32) -> String {
    let text = clean(text).replace('\n', " ");
    if width(&text) <= max + EPS {
        return text;
    }
    let mut s = text;
    while !s.is_empty() {
        s.pop();
        let candidate = format!("{}…", s.trim_end());
        if width(&candidate) <= max + EPS {
            return candidate;
        }
    }
    String::new()
}

// ---------------------------------------------------------------------------------------------
// Blocks: what the flow places

#[derive(Debug, Clone, Copy)]
struct Style {
    face: Face,
    size: f32,
    color: Rgb,
    /// Line box height.
    lead: f32,
    role: Role,
}

const fn style(face: Face, size: f32, color: Rgb, lead: f32, role: Role) -> Style {
    Style { face, size, color, lead, role }
}

/// A horizontal band that is never split: one line of text, a logo, a signature box.
#[derive(Debug, Clone, Default)]
struct Piece {
    h: f32,
    /// Positioned relative to the top of the piece.
    items: Vec<Item>,
}

impl Piece {
    fn space(h: f32) -> Piece {
        Piece { h, items: Vec::new() }
    }
}

/// Side-by-side columns of pieces. Placed whole when it fits; a `keep` block that does not fit
/// moves to the next page; otherwise (or when taller than a page) it splits between pieces and
/// every column continues at the top of the next page.
#[derive(Debug, Clone, Default)]
struct Block {
    cols: Vec<Vec<Piece>>,
    keep: bool,
    /// A rule drawn under the block (and under each part of a split block): table row lines.
    rule_below: bool,
}

impl Block {
    fn height(&self) -> f32 {
        self.cols.iter().map(|c| c.iter().map(|p| p.h).sum::<f32>()).fold(0.0, f32::max)
    }

    fn single(pieces: Vec<Piece>, keep: bool) -> Block {
        Block { cols: vec![pieces], keep, rule_below: false }
    }
}

/// Where a line's baseline sits in its line box: centred on the CJK ideographic em box, which
/// spans roughly 0.88 em above the baseline to 0.12 em below.
fn baseline_in(lead: f32, size: f32) -> f32 {
    (lead - size) / 2.0 + size * 0.88
}

struct Ctx<'a> {
    m: &'a dyn Measure,
}

impl Ctx<'_> {
    fn w(&self, text: &str, st: Style) -> f32 {
        self.m.width(text, st.face, st.size)
    }

    fn wrap(&self, text: &str, max: f32, st: Style) -> Vec<String> {
        wrap(text, max.max(1.0), &|s| self.m.width(s, st.face, st.size))
    }

    fn fit(&self, text: &str, max: f32, st: Style) -> String {
        fit(text, max.max(1.0), &|s| self.m.width(s, st.face, st.size))
    }

    fn run(&self, text: &str, x: f32, baseline: f32, st: Style) -> Item {
        Item::Text(Run { x, baseline, text: text.to_string(), face: st.face, size: st.size, color: st.color, role: st.role })
    }

    /// One line of text in a line box, aligned between `left` and `right`.
    fn line(&self, text: &str, left: f32, right: f32, align: Align, st: Style) -> Piece {
        let x = match align {
            Align::Left => left,
            Align::Right => right - self.w(text, st),
        };
        let items = if text.is_empty() { Vec::new() } else { vec![self.run(text, x, baseline_in(st.lead, st.size), st)] };
        Piece { h: st.lead, items }
    }

    fn lines(&self, text: &str, left: f32, right: f32, align: Align, st: Style) -> Vec<Piece> {
        self.wrap(text, right - left, st).iter().map(|l| self.line(l, left, right, align, st)).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The flow: places blocks on pages

struct Flow<'a> {
    ctx: &'a Ctx<'a>,
    doc: &'a Document,
    pages: Vec<Page>,
    y: f32,
    /// Where content starts on the current page (below running and repeated table headers).
    top: f32,
    /// The table header to repeat at the top of each continued page.
    repeat: Option<Block>,
}

impl Flow<'_> {
    fn avail(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    fn at_top(&self) -> bool {
        self.y <= self.top + EPS
    }

    /// Room on a fresh continuation page, after the repeated header.
    fn full_avail(&self) -> f32 {
        BODY_BOTTOM - CONT_TOP - self.repeat.as_ref().map_or(0.0, Block::height)
    }

    /// Vertical space between blocks; none at the top of a page, where it would only waste room.
    fn gap(&mut self, h: f32) {
        if !self.at_top() {
            self.y = (self.y + h).min(BODY_BOTTOM);
        }
    }

    fn push(&mut self, item: Item) {
        if let Some(p) = self.pages.last_mut() {
            p.items.push(item);
        }
    }

    fn emit_piece(&mut self, p: &Piece, y: f32) {
        for it in &p.items {
            self.push(it.shifted(y));
        }
    }

    fn rule_at(&mut self, y: f32) {
        self.push(Item::Line { x1: LEFT, y1: y, x2: RIGHT, y2: y, width: 0.5, color: RULE });
    }

    fn new_page(&mut self) {
        let mut page = Page::default();
        running_header(self.ctx, self.doc, &mut page);
        self.pages.push(page);
        self.y = CONT_TOP;
        if let Some(h) = self.repeat.clone() {
            self.emit_whole(&h);
        }
        self.top = self.y;
    }

    fn emit_whole(&mut self, b: &Block) {
        let h = b.height();
        for col in &b.cols {
            let mut y = self.y;
            for p in col {
                self.emit_piece(p, y);
                y += p.h;
            }
        }
        if b.rule_below {
            self.rule_at(self.y + h);
        }
        self.y += h;
    }

    fn place(&mut self, b: &Block) {
        let h = b.height();
        if h <= self.avail() + EPS {
            self.emit_whole(b);
            return;
        }
        if b.keep && !self.at_top() && h <= self.full_avail() + EPS {
            self.new_page();
            self.emit_whole(b);
            return;
        }
        // Split between pieces; each column carries on at the top of the next page.
        let mut next = vec![0usize; b.cols.len()];
        loop {
            let avail = self.avail();
            // At the top of a page a piece that still does not fit is placed anyway (it can only
            // be taller than a whole page): progress matters more than a clipped line.
            let force = self.at_top();
            let mut used_max: f32 = 0.0;
            for (c, col) in b.cols.iter().enumerate() {
                let mut used = 0.0;
                while let Some(p) = col.get(next[c]) {
                    if used + p.h > avail + EPS && !(force && used == 0.0) {
                        break;
                    }
                    self.emit_piece(p, self.y + used);
                    used += p.h;
                    next[c] += 1;
                }
                used_max = used_max.max(used);
            }
            if b.rule_below && used_max > 0.0 {
                self.rule_at(self.y + used_max);
            }
            self.y += used_max;
            if b.cols.iter().zip(&next).all(|(col, n)| *n >= col.len()) {
                return;
            }
            self.new_page();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The document's parts

const LEAD: f32 = 1.38;

fn running_header(ctx: &Ctx, doc: &Document, page: &mut Page) {
    let st = style(Face::Regular, 7.5, MUTED, 10.0, Role::RunningHeader);
    let half = CONTENT_W / 2.0 - 6.0;
    let base = TOP + baseline_in(st.lead, st.size);
    let left = ctx.fit(&doc.letterhead.company, half, st);
    if !left.is_empty() {
        page.items.push(ctx.run(&left, LEFT, base, st));
    }
    let right = ctx.fit(format!("{}  {}", doc.title.trim(), doc.number.trim()).trim(), half, st);
    if !right.is_empty() {
        page.items.push(ctx.run(&right, RIGHT - ctx.w(&right, st), base, st));
    }
    let y = TOP + st.lead + 2.0;
    page.items.push(Item::Line { x1: LEFT, y1: y, x2: RIGHT, y2: y, width: 0.5, color: RULE });
}

fn footer(ctx: &Ctx, doc: &Document, page: &mut Page, label: &str) {
    let st = style(Face::Regular, 7.5, MUTED, 10.0, Role::Footer);
    page.items.push(Item::Line { x1: LEFT, y1: FOOTER_RULE, x2: RIGHT, y2: FOOTER_RULE, width: 0.5, color: RULE });
    let label = ctx.fit(label, CONTENT_W / 3.0, st);
    let label_w = ctx.w(&label, st);
    let top = FOOTER_RULE + 2.0 * MM;
    if !label.is_empty() {
        page.items.push(ctx.run(&label, RIGHT - label_w, top + baseline_in(st.lead, st.size), st));
    }
    // At most two lines: the footer's room is fixed, and the body must never move for it.
    let max = CONTENT_W - label_w - 12.0;
    let mut lines = ctx.wrap(&doc.footer, max, st);
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        lines.push(ctx.fit(&rest, max, st));
    }
    for (i, l) in lines.iter().enumerate() {
        if !l.is_empty() {
            page.items.push(ctx.run(l, LEFT, top + i as f32 * st.lead + baseline_in(st.lead, st.size), st));
        }
    }
}

/// Logo box on the letterhead: the image is scaled to fit, its aspect kept.
const LOGO_BOX: (f32, f32) = (40.0 * MM, 20.0 * MM);

fn logo_size(px: (u32, u32)) -> Option<(f32, f32)> {
    let (w, h) = (px.0 as f32, px.1 as f32);
    if w <= 0.0 || h <= 0.0 {
        return None;
    }
    let scale = (LOGO_BOX.0 / w).min(LOGO_BOX.1 / h);
    Some((w * scale, h * scale))
}

fn letterhead(ctx: &Ctx, doc: &Document, logo_px: Option<(u32, u32)>) -> Block {
    let left_w = CONTENT_W * 0.52;
    let right_w = CONTENT_W * 0.42;
    let rx = RIGHT - right_w;

    let mut left = Vec::new();
    if let Some((w, h)) = logo_px.and_then(logo_size) {
        left.push(Piece { h: h + 3.0 * MM, items: vec![Item::Logo { x: LEFT, y: 0.0, w, h }] });
    }
    let company = style(Face::Bold, 13.0, INK, 13.0 * 1.3, Role::Letterhead);
    if !doc.letterhead.company.trim().is_empty() {
        left.extend(ctx.lines(&doc.letterhead.company, LEFT, LEFT + left_w, Align::Left, company));
        left.push(Piece::space(1.5));
    }
    let small = style(Face::Regular, 8.5, MUTED, 8.5 * LEAD, Role::Letterhead);
    for l in &doc.letterhead.lines {
        left.extend(ctx.lines(l, LEFT, LEFT + left_w, Align::Left, small));
    }

    let mut right = Vec::new();
    let title = style(Face::Bold, 20.0, ACCENT, 20.0 * 1.25, Role::Title);
    if !doc.title.trim().is_empty() {
        right.extend(ctx.lines(&doc.title, rx, RIGHT, Align::Right, title));
    }
    let number = style(Face::Regular, 10.5, INK, 10.5 * LEAD, Role::Title);
    if !doc.number.trim().is_empty() {
        right.extend(ctx.lines(&doc.number, rx, RIGHT, Align::Right, number));
    }
    if !doc.meta.is_empty() {
        right.push(Piece::space(2.5 * MM));
        let label = style(Face::Regular, 8.5, MUTED, 8.5 * LEAD, Role::Meta);
        let value = style(Face::Regular, 8.5, INK, 8.5 * LEAD, Role::Meta);
        let label_w = doc.meta.iter().map(|(l, _)| ctx.w(l, label)).fold(0.0, f32::max).min(right_w * 0.45);
        for (l, v) in &doc.meta {
            right.extend(pair(ctx, (l, label, rx, rx + label_w), (v, value, rx + label_w + 8.0, RIGHT)));
        }
    }
    Block { cols: vec![left, right], keep: true, rule_below: false }
}

/// A label on the left and a right-aligned value, both wrapped in their own widths, as line
/// pieces (so a very long pair can still split across pages).
fn pair(ctx: &Ctx, label: (&str, Style, f32, f32), value: (&str, Style, f32, f32)) -> Vec<Piece> {
    let l = ctx.lines(label.0, label.2, label.3, Align::Left, label.1);
    let v = ctx.lines(value.0, value.2, value.3, Align::Right, value.1);
    let n = l.len().max(v.len());
    (0..n)
        .map(|i| {
            let mut p = Piece::default();
            for side in [&l, &v] {
                if let Some(s) = side.get(i) {
                    p.h = p.h.max(s.h);
                    p.items.extend(s.items.iter().cloned());
                }
            }
            p
        })
        .collect()
}

/// Blocks side by side, at most three per row.
fn columns_x(n: usize, gap: f32) -> Vec<(f32, f32)> {
    let slots = n.max(2) as f32; // one block alone takes half the width, not all of it
    let w = (CONTENT_W - gap * (slots - 1.0)) / slots;
    (0..n).map(|i| (LEFT + i as f32 * (w + gap), LEFT + i as f32 * (w + gap) + w)).collect()
}

fn parties(ctx: &Ctx, parties: &[Party]) -> Vec<Block> {
    let heading = style(Face::Bold, 7.5, MUTED, 7.5 * 1.5, Role::Party);
    let first = style(Face::Bold, 9.5, INK, 9.5 * LEAD, Role::Party);
    let rest = style(Face::Regular, 9.0, INK, 9.0 * LEAD, Role::Party);
    parties
        .chunks(3)
        .map(|row| {
            let xs = columns_x(row.len(), 8.0 * MM);
            let cols = row
                .iter()
                .zip(xs)
                .map(|(p, (l, r))| {
                    let mut col = ctx.lines(&p.heading, l, r, Align::Left, heading);
                    col.push(Piece { h: 3.0, items: vec![Item::Line { x1: l, y1: 0.5, x2: r, y2: 0.5, width: 0.5, color: RULE }] });
                    for (i, line) in p.lines.iter().enumerate() {
                        col.extend(ctx.lines(line, l, r, Align::Left, if i == 0 { first } else { rest }));
                    }
                    col
                })
                .collect();
            Block { cols, keep: true, rule_below: false }
        })
        .collect()
}

struct TableStyle {
    head: Style,
    cell: Style,
    pad_x: f32,
    pad_y: f32,
}

const ITEMS: TableStyle = TableStyle {
    head: style(Face::Bold, 8.0, INK, 8.0 * LEAD, Role::TableHeader),
    cell: style(Face::Regular, 8.5, INK, 8.5 * LEAD, Role::TableCell),
    pad_x: 4.0,
    pad_y: 4.0,
};

const SMALL: TableStyle = TableStyle {
    head: style(Face::Bold, 7.5, INK, 7.5 * LEAD, Role::TableHeader),
    cell: style(Face::Regular, 8.0, INK, 8.0 * LEAD, Role::TableCell),
    pad_x: 4.0,
    pad_y: 2.5,
};

/// Column edges: widths from the weights (a zero weight counts as one, so no column vanishes),
/// then widened where needed so no column is narrower than `mins` (its longest word or
/// number), taking the room from columns that have some to spare. A quantity or an amount
/// must never break between digits because the caller's weights were a little tight.
pub fn column_edges(weights: &[u16], mins: &[f32]) -> Vec<(f32, f32)> {
    let total: f32 = weights.iter().map(|w| f32::from((*w).max(1))).sum();
    let mut widths: Vec<f32> = weights.iter().map(|w| CONTENT_W * f32::from((*w).max(1)) / total).collect();
    let min = |i: usize| mins.get(i).copied().unwrap_or(0.0).min(CONTENT_W * 0.3);
    let deficit: f32 = widths.iter().enumerate().map(|(i, w)| (min(i) - w).max(0.0)).sum();
    let slack: f32 = widths.iter().enumerate().map(|(i, w)| (w - min(i)).max(0.0)).sum();
    if deficit > 0.0 && slack > 0.0 {
        // Each roomy column gives in proportion to its spare room (all of it if it must).
        let give = (deficit / slack).min(1.0);
        for (i, w) in widths.iter_mut().enumerate() {
            let m = min(i);
            *w = if *w < m { m } else { *w - (*w - m) * give };
        }
        let sum: f32 = widths.iter().sum();
        widths.iter_mut().for_each(|w| *w *= CONTENT_W / sum);
    }
    let mut x = LEFT;
    widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let right = if i + 1 == widths.len() { RIGHT } else { x + w };
            let edge = (x, right);
            x = right;
            edge
        })
        .collect()
}

/// The widest unbreakable piece (word, number) of a cell, plus its padding.
fn min_cell_width(ctx: &Ctx, text: &str, ts: &TableStyle, st: Style) -> f32 {
    let text = clean(text);
    let widest = text.split('\n').flat_map(segments).map(|seg| ctx.w(seg.trim_end(), st)).fold(0.0, f32::max);
    widest + 2.0 * ts.pad_x
}

fn cell_column(ctx: &Ctx, text: &str, edge: (f32, f32), align: &Align, ts: &TableStyle, st: Style, max_lines: usize) -> Vec<Piece> {
    let (l, r) = (edge.0 + ts.pad_x, (edge.1 - ts.pad_x).max(edge.0 + ts.pad_x + 1.0));
    let mut lines = ctx.wrap(text, r - l, st);
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(ctx.fit(&rest, r - l, st));
    }
    let mut col = vec![Piece::space(ts.pad_y)];
    col.extend(lines.iter().map(|t| ctx.line(t, l, r, *align, st)));
    col.push(Piece::space(ts.pad_y));
    col
}

fn table_header(ctx: &Ctx, t: &Table, edges: &[(f32, f32)], ts: &TableStyle) -> Block {
    // Header cells are capped at three lines: the header repeats on every page and must leave
    // room for rows.
    let mut cols: Vec<Vec<Piece>> =
        t.columns.iter().zip(edges).map(|(c, e)| cell_column(ctx, &c.header, *e, &c.align, ts, ts.head, 3)).collect();
    let h = Block { cols: cols.clone(), keep: true, rule_below: false }.height();
    // The shading and the rule under the header travel with it as a column of their own.
    cols.push(vec![Piece {
        h,
        items: vec![
            Item::Fill { x: LEFT, y: 0.0, w: CONTENT_W, h, color: HEADER_FILL },
            Item::Line { x1: LEFT, y1: h, x2: RIGHT, y2: h, width: 0.8, color: ACCENT },
        ],
    }]);
    // The background must be painted before the text, so it goes first.
    cols.rotate_right(1);
    Block { cols, keep: true, rule_below: false }
}

/// The header and row blocks of a table; `None` when it has no columns (nothing to print).
fn table_blocks(ctx: &Ctx, t: &Table, ts: &TableStyle) -> Option<(Block, Vec<Block>)> {
    if t.columns.is_empty() {
        return None;
    }
    let weights: Vec<u16> = t.columns.iter().map(|c| c.weight).collect();
    let mins: Vec<f32> = (0..t.columns.len())
        .map(|i| {
            let head = min_cell_width(ctx, &t.columns[i].header, ts, ts.head);
            t.rows.iter().filter_map(|r| r.get(i)).map(|c| min_cell_width(ctx, c, ts, ts.cell)).fold(head, f32::max)
        })
        .collect();
    let edges = column_edges(&weights, &mins);
    let header = table_header(ctx, t, &edges, ts);
    let rows = t
        .rows
        .iter()
        .map(|row| {
            let cols = t
                .columns
                .iter()
                .zip(&edges)
                .enumerate()
                .map(|(i, (c, e))| cell_column(ctx, row.get(i).map_or("", String::as_str), *e, &c.align, ts, ts.cell, usize::MAX))
                .collect();
            Block { cols, keep: true, rule_below: true }
        })
        .collect();
    Some((header, rows))
}

/// Height of a table's header plus its first row (capped at a page): what must stay together.
fn table_start(header: &Block, rows: &[Block]) -> f32 {
    header.height() + rows.first().map_or(0.0, Block::height).min(BODY_BOTTOM - CONT_TOP - header.height())
}

fn table(flow: &mut Flow, (header, rows): (Block, Vec<Block>)) {
    // Never leave a header alone at the bottom of a page: it needs its first row under it.
    if table_start(&header, &rows) > flow.avail() + EPS && !flow.at_top() {
        flow.new_page();
    }
    flow.place(&header);
    flow.repeat = Some(header);
    for r in &rows {
        flow.place(r);
    }
    flow.repeat = None;
}

fn totals(ctx: &Ctx, rows: &[TotalRow]) -> Block {
    let box_w = 82.0 * MM;
    let x0 = RIGHT - box_w;
    let normal_label = style(Face::Regular, 9.0, MUTED, 9.0 * 1.55, Role::Total);
    let normal_value = style(Face::Regular, 9.0, INK, 9.0 * 1.55, Role::Total);
    let strong = style(Face::Bold, 11.0, ACCENT, 11.0 * 1.6, Role::Total);
    let value_w = rows.iter().map(|r| ctx.w(&r.value, if r.strong { strong } else { normal_value })).fold(0.0, f32::max).min(box_w * 0.6);
    let label_r = RIGHT - value_w - 10.0;
    let mut pieces = Vec::new();
    for r in rows {
        let (ls, vs) = if r.strong { (strong, strong) } else { (normal_label, normal_value) };
        if r.strong {
            pieces.push(Piece { h: 4.0, items: vec![Item::Line { x1: x0, y1: 2.0, x2: RIGHT, y2: 2.0, width: 0.8, color: ACCENT }] });
        }
        pieces.extend(pair(ctx, (&r.label, ls, x0, label_r), (&r.value, vs, label_r + 10.0, RIGHT)));
    }
    Block::single(pieces, true)
}

const TABLE_GAP: f32 = 2.0 * MM;

fn section(flow: &mut Flow, s: &Section) {
    let ctx = flow.ctx;
    let heading = style(Face::Bold, 10.0, ACCENT, 10.0 * 1.5, Role::SectionHeading);
    let body = style(Face::Regular, 9.0, INK, 9.0 * 1.5, Role::SectionBody);
    let mut head = ctx.lines(&s.heading, LEFT, RIGHT, Align::Left, heading);
    head.push(Piece::space(1.0));
    let mut lines = if s.body.is_empty() { Vec::new() } else { ctx.lines(&s.body, LEFT, RIGHT, Align::Left, body) };
    // A heading keeps at least two lines of its text with it; the rest flows freely.
    let rest = lines.split_off(lines.len().min(2));
    head.extend(lines);
    let head = Block::single(head, true);
    let table_parts = s.table.as_ref().and_then(|t| table_blocks(ctx, t, &SMALL));
    // A short section and the start of its table belong together (a heading, one line, then
    // the schedule): move them to the next page as one rather than orphan the heading.
    if let (true, Some((header, rows))) = (rest.is_empty(), &table_parts) {
        let together = head.height() + TABLE_GAP + table_start(header, rows);
        if together > flow.avail() + EPS && together <= flow.full_avail() + EPS && !flow.at_top() {
            flow.new_page();
        }
    }
    flow.place(&head);
    if !rest.is_empty() {
        flow.place(&Block::single(rest, false));
    }
    if let Some(parts) = table_parts {
        flow.gap(TABLE_GAP);
        table(flow, parts);
    }
}

fn signatures(ctx: &Ctx, labels: &[String]) -> Vec<Block> {
    let label = style(Face::Bold, 9.5, INK, 9.5 * LEAD, Role::Signature);
    let caption = style(Face::Regular, 7.5, MUTED, 7.5 * 1.4, Role::Signature);
    labels
        .chunks(3)
        .map(|row| {
            let xs = columns_x(row.len(), 12.0 * MM);
            let cols = row
                .iter()
                .zip(xs)
                .map(|(text, (l, r))| {
                    let mut col = ctx.lines(text, l, r, Align::Left, label);
                    // Room to sign, the signature line, then a name and a date to fill in. The
                    // captions are bilingual because the model has no field for them.
                    let mut items = vec![Item::Line { x1: l, y1: 15.0 * MM, x2: r, y2: 15.0 * MM, width: 0.7, color: INK }];
                    for (i, cap) in ["Name 姓名", "Date 日期"].iter().enumerate() {
                        let base = 15.0 * MM + (i as f32 + 1.0) * 7.5 * MM;
                        items.push(ctx.run(cap, l, base, caption));
                        let x = l + ctx.w(cap, caption) + 4.0;
                        items.push(Item::Line { x1: x, y1: base + 1.5, x2: r, y2: base + 1.5, width: 0.4, color: MUTED });
                    }
                    col.push(Piece { h: 15.0 * MM + 2.0 * 7.5 * MM + 2.0 * MM, items });
                    col
                })
                .collect();
            Block { cols, keep: true, rule_below: false }
        })
        .collect()
}

/// Lays the document out on A4 pages. `logo_px` is the logo's pixel size when there is one.
pub fn layout(doc: &Document, m: &dyn Measure, logo_px: Option<(u32, u32)>) -> Vec<Page> {
    let ctx = Ctx { m };
    let mut flow = Flow { ctx: &ctx, doc, pages: vec![Page::default()], y: TOP, top: TOP, repeat: None };

    flow.place(&letterhead(&ctx, doc, logo_px));
    flow.gap(5.0 * MM);
    flow.place(&Block::single(
        vec![Piece { h: 1.0, items: vec![Item::Line { x1: LEFT, y1: 0.5, x2: RIGHT, y2: 0.5, width: 1.0, color: ACCENT }] }],
        true,
    ));
    flow.gap(6.0 * MM);

    for b in parties(&ctx, &doc.parties) {
        flow.place(&b);
        flow.gap(4.0 * MM);
    }
    flow.gap(3.0 * MM);

    if let Some(parts) = table_blocks(&ctx, &doc.table, &ITEMS) {
        table(&mut flow, parts);
    }
    if !doc.totals.is_empty() {
        flow.gap(4.0 * MM);
        flow.place(&totals(&ctx, &doc.totals));
    }
    for s in &doc.sections {
        flow.gap(7.0 * MM);
        section(&mut flow, s);
    }
    if !doc.signatures.is_empty() {
        flow.gap(12.0 * MM);
        for b in signatures(&ctx, &doc.signatures) {
            flow.place(&b);
            flow.gap(6.0 * MM);
        }
    }

    let n = flow.pages.len();
    let mut pages = flow.pages;
    for (i, page) in pages.iter_mut().enumerate() {
        let label = doc.page_label.replace("{page}", &(i + 1).to_string()).replace("{pages}", &n.to_string());
        footer(&ctx, doc, page, &label);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Letterhead};

    /// Latin half an em wide, CJK a full em: close enough to the real font to exercise wrapping.
    struct Fake;
    impl Measure for Fake {
        fn width(&self, text: &str, _face: Face, size: f32) -> f32 {
            text.chars().map(|c| if is_cjk(c) { size } else { size * 0.5 }).sum()
        }
    }

    fn unit(s: &str) -> f32 {
        s.chars().map(|c| if is_cjk(c) { 2.0 } else { 1.0 }).sum()
    }

    #[test]
    fn wrap_cases() {
        let cases: &[(&str, f32, &[&str])] = &[
            ("", 10.0, &[""]),
            ("hello world", 20.0, &["hello world"]),
            ("hello world", 8.0, &["hello", "world"]),
            ("hello   world", 8.0, &["hello", "world"]),
            // A word longer than the line is broken between characters.
            ("abcdefghij", 4.0, &["abcd", "efgh", "ij"]),
            ("a\n\nb", 10.0, &["a", "", "b"]),
            // CJK breaks between any characters (2 units each here).
            ("办公椅办公桌", 6.0, &["办公椅", "办公桌"]),
            // ...but closing punctuation never starts a line.
            ("办公椅，桌子", 6.0, &["办公", "椅，桌", "子"]),
            // Mixed: the Latin word stays whole next to Chinese.
            ("办公椅 Office chair", 13.0, &["办公椅 Office", "chair"]),
            ("办公椅 Office chair", 12.0, &["办公椅", "Office chair"]),
            ("tab\there", 20.0, &["tab here"]),
            ("x\r\ny", 20.0, &["x", "y"]),
        ];
        for (text, max, want) in cases {
            assert_eq!(wrap(text, *max, &unit), *want, "wrap({text:?}, {max})");
        }
    }

    #[test]
    fn wrap_never_exceeds_width_unless_one_character_does() {
        let long = "The quick brown fox 快速的棕色狐狸 jumps over Supercalifragilisticexpialidocious 12,345.00 ".repeat(40);
        for max in [1.0, 3.0, 7.0, 19.0, 50.0] {
            let lines = wrap(&long, max, &unit);
            for l in &lines {
                assert!(unit(l) <= max || l.chars().count() == 1, "{l:?} wider than {max}");
            }
            let joined: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
            let original: String = long.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(joined, original, "no text lost at {max}");
        }
    }

    #[test]
    fn fit_cases() {
        assert_eq!(fit("short", 10.0, &unit), "short");
        assert_eq!(fit("abcdefghij", 5.0, &unit), "abcd…");
        assert_eq!(fit("abc", 0.5, &unit), "");
    }

    #[test]
    fn column_edges_cover_the_content_width() {
        let widths = |e: &[(f32, f32)]| e.iter().map(|(l, r)| ((r - l) / CONTENT_W * 100.0).round()).collect::<Vec<_>>();
        let cases: &[(&[u16], &[f32], &[f32])] = &[
            // weights, minimum widths (pt), expected widths in % of the content width
            (&[1, 4, 0, 2], &[], &[12.0, 50.0, 12.0, 25.0]), // zero counts as one (12.5%)
            (&[1, 1], &[0.0, 0.0], &[50.0, 50.0]),
            // A narrow "#" column needing 10% gets it from the wide one.
            (&[2, 98], &[CONTENT_W * 0.10, 20.0], &[10.0, 90.0]),
            // Two wide columns both give, in proportion to their spare room.
            (&[2, 49, 49], &[CONTENT_W * 0.12, 0.0, 0.0], &[12.0, 44.0, 44.0]),
            // Minimums are capped at 30% each, so one huge word cannot take the table.
            (&[1, 9], &[CONTENT_W * 2.0, 0.0], &[30.0, 70.0]),
            // Not enough room for every minimum: shared in proportion to the minimums.
            (&[1, 1], &[CONTENT_W * 0.3, CONTENT_W * 0.3], &[50.0, 50.0]),
        ];
        for (weights, mins, want) in cases {
            let e = column_edges(weights, mins);
            assert!((e[0].0 - LEFT).abs() < 0.01 && (e[e.len() - 1].1 - RIGHT).abs() < 0.01);
            assert!(e.windows(2).all(|w| (w[0].1 - w[1].0).abs() < 0.01));
            assert_eq!(widths(&e), *want, "{weights:?} {mins:?}");
        }
    }

    fn doc(rows: usize) -> Document {
        Document {
            title: "Quote 报价单".into(),
            number: "Q-1".into(),
            letterhead: Letterhead { company: "ACME 上海".into(), lines: vec!["Road 1".into()], logo: None },
            meta: vec![("Date".into(), "2026-01-01".into())],
            table: Table {
                columns: vec![
                    Column { header: "Item 项目".into(), weight: 5, align: Align::Left },
                    Column { header: "Qty".into(), weight: 1, align: Align::Right },
                ],
                rows: (0..rows).map(|i| vec![format!("Office chair 办公椅 {i}"), i.to_string()]).collect(),
            },
            totals: vec![TotalRow { label: "Total".into(), value: "1.00".into(), strong: true }],
            signatures: vec!["Customer 客户".into(), "Seller 卖方".into()],
            page_label: "Page {page} of {pages}".into(),
            footer: "ACME".into(),
            created: "2026-01-01".into(),
            ..Default::default()
        }
    }

    fn assert_on_page(pages: &[Page]) {
        for (i, p) in pages.iter().enumerate() {
            for it in &p.items {
                assert!(it.bottom() <= PAGE_H - 5.0 * MM, "page {i}: {it:?} runs off the page");
                if let Item::Text(r) = it {
                    if r.role != Role::Footer {
                        assert!(it.bottom() <= BODY_BOTTOM + 1.0, "page {i}: {r:?} runs into the footer");
                    }
                    assert!(r.x >= LEFT - 0.5 && r.x <= RIGHT, "page {i}: {r:?} outside the margins");
                }
            }
        }
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let pages = layout(&doc(200), &Fake, None);
        assert!(pages.len() >= 4, "{} pages", pages.len());
        let mut seen = 0;
        for (i, p) in pages.iter().enumerate() {
            let table_runs: Vec<&Run> = p.runs().filter(|r| matches!(r.role, Role::TableHeader | Role::TableCell)).collect();
            if table_runs.is_empty() {
                continue;
            }
            assert_eq!(table_runs[0].role, Role::TableHeader, "page {i} starts with the header");
            let cells: Vec<&&Run> = table_runs.iter().filter(|r| r.role == Role::TableCell && r.text.starts_with("Office")).collect();
            seen += cells.len();
        }
        assert_eq!(seen, 200, "every row printed once");
        let last = pages.len();
        for (i, p) in pages.iter().enumerate() {
            let want = format!("Page {} of {last}", i + 1);
            assert!(p.runs().any(|r| r.role == Role::Footer && r.text == want), "page {i} label");
        }
        assert_on_page(&pages);
    }

    #[test]
    fn rows_never_split() {
        let pages = layout(&doc(120), &Fake, None);
        // Each row is a line "Office chair 办公椅 N" and its quantity N on the same baseline.
        for p in &pages {
            for r in p.runs().filter(|r| r.role == Role::TableCell && r.text.starts_with("Office")) {
                let n = r.text.rsplit(' ').next().unwrap_or_default();
                assert!(
                    p.runs().any(|q| q.role == Role::TableCell && q.text == n && (q.baseline - r.baseline).abs() < 0.01),
                    "row {n} split"
                );
            }
        }
    }

    #[test]
    fn empty_document_is_one_page_with_a_footer() {
        let pages = layout(&Document::default(), &Fake, None);
        assert_eq!(pages.len(), 1);
        assert!(pages[0].items.iter().any(|i| matches!(i, Item::Line { .. })));
    }

    #[test]
    fn huge_inputs_flow_across_pages_and_stay_on_the_page() {
        let mut d = doc(3);
        let note = "这是一段很长的备注。Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(400);
        assert!(note.chars().count() > 20_000);
        d.sections = vec![Section { heading: "Notes 备注".into(), body: note.clone(), table: None }];
        // A cell taller than a page, an unbreakable 3,000-character word, many parties and meta.
        d.table.rows.push(vec![note.clone(), "1".into()]);
        d.table.rows.push(vec!["x".repeat(3000), "2".into()]);
        d.parties = (0..7).map(|i| Party { heading: format!("P{i}"), lines: vec!["line".into(); 30] }).collect();
        d.letterhead.lines = vec!["Letterhead line".into(); 120];
        d.signatures = vec!["Sign".into(); 7];
        let pages = layout(&d, &Fake, Some((4000, 10)));
        assert!(pages.len() > 5);
        assert_on_page(&pages);
        let body: usize = pages.iter().flat_map(|p| p.runs()).filter(|r| r.role == Role::SectionBody).map(|r| r.text.chars().count()).sum();
        let want = note.chars().filter(|c| !c.is_whitespace()).count();
        let got: usize = pages
            .iter()
            .flat_map(|p| p.runs())
            .filter(|r| r.role == Role::SectionBody)
            .map(|r| r.text.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        assert!(body > 0 && got == want, "note printed whole: {got} of {want}");
    }

    #[test]
    fn weird_tables_do_not_panic() {
        let mut d = doc(0);
        d.table.columns = (0..60).map(|i| Column { header: format!("Column {i}"), weight: 0, align: Align::Right }).collect();
        d.table.rows = vec![vec![], vec!["a".into(); 90]];
        let pages = layout(&d, &Fake, Some((0, 0)));
        assert!(!pages.is_empty());
        d.table.columns.clear();
        assert_eq!(layout(&d, &Fake, None).len(), 1);
    }

    #[test]
    fn right_aligned_cells_end_at_the_column_edge() {
        let pages = layout(&doc(5), &Fake, None);
        let qty: Vec<&Run> = pages[0].runs().filter(|r| r.role == Role::TableCell && r.text.parse::<u32>().is_ok()).collect();
        assert_eq!(qty.len(), 5);
        for r in qty {
            let right = r.x + Fake.width(&r.text, r.face, r.size);
            assert!((right - (RIGHT - ITEMS.pad_x)).abs() < 0.01, "{r:?}");
        }
    }

    #[test]
    fn logo_keeps_its_aspect() {
        let (w, h) = logo_size((400, 100)).unwrap();
        assert!((w - LOGO_BOX.0).abs() < 0.01 && (w / h - 4.0).abs() < 0.01);
        let (w, h) = logo_size((100, 400)).unwrap();
        assert!((h - LOGO_BOX.1).abs() < 0.01 && (h / w - 4.0).abs() < 0.01);
        assert_eq!(logo_size((0, 5)), None);
    }
}
