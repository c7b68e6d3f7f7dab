//! Import and export of customers: CSV (Satchel's own, Google Contacts, Outlook, Chinese Excel)
//! and vCard 3.0/4.0.
//!
//! Every import runs the same three steps, whatever the format:
//! 1. **read**: the file's bytes become text ([`text`]) and then [`ImportRecord`]s, one per row or
//!    card, or per-row errors ([`csv`], [`vcard`]). Nothing touches the database.
//! 2. **plan**: each record is validated like a form, matched to an existing customer by Satchel id,
//!    and its company resolved by name (existing, elsewhere in the file, or to be created). The
//!    user sees the counts and every refused row before anything is written.
//! 3. **commit**: one write transaction, companies first; progress is reported and a cancel flag
//!    is checked per row. A cancelled or failed commit rolls back, leaving the database as it was.

pub mod csv;
/// Encodings and text detection: shared by every record type's import (`records::import`).
pub use crate::records::import::text;
pub use crate::records::import::RowError;
pub mod vcard;

use super::repo;
use super::validate::validate;
use super::*;
use crate::error::{CoreError, Result};
use crate::i18n::Locale;
use crate::ids::CustomerId;
use crate::store::Store;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
pub use text::{TextEncoding, MAX_IMPORT_BYTES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Csv,
    Vcard,
}

impl FileFormat {
    /// From the file's name, then its first bytes.
    pub fn guess(name: &str, text_start: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".vcf") || lower.ends_with(".vcard") {
            return Self::Vcard;
        }
        // Only the first characters are looked at, without copying the text (which once cut it at
        // a byte offset and panicked inside a Chinese character).
        let start = text_start.trim_start_matches('\u{FEFF}').trim_start();
        if start.get(.."BEGIN:VCARD".len()).is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD")) {
            return Self::Vcard;
        }
        Self::Csv
    }
}

/// A row or card as read from a file, before validation. `company` is a name: it is resolved to an
/// id when the import is planned.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    /// The row number a spreadsheet shows (the header is row 1), or the card's number in a vCard file.
    pub row: u32,
    /// A Satchel id carried by the file (our own export): the record to update.
    pub id: Option<CustomerId>,
    pub input: CustomerInput,
    pub company: Option<String>,
    /// Which column (or vCard property) each field came from, as (field prefix, column), so an
    /// error on `emails.1.value` names the column "E-mail 2 Address".
    pub sources: Vec<(String, String)>,
}

impl ImportRecord {
    pub fn new(row: u32, kind: CustomerKind) -> Self {
        Self { row, id: None, input: CustomerInput::named(kind, ""), company: None, sources: vec![] }
    }

    fn column_of(&self, field: &str) -> String {
        self.sources
            .iter()
            .filter(|(prefix, _)| field == prefix || field.starts_with(&format!("{prefix}.")))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, col)| col.clone())
            .unwrap_or_default()
    }
}

/// What reading a file produced: records, and rows that could not even be read.
#[derive(Debug, Default)]
pub struct ReadResult {
    pub records: Vec<ImportRecord>,
    pub errors: Vec<RowError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    /// The id is in the trash: the import brings it back with the file's values.
    Restore,
}

#[derive(Debug, Clone)]
struct Planned {
    id: CustomerId,
    action: Action,
    input: CustomerInput,
}

/// The outcome of planning, shown to the user before they confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportCheck {
    /// Records that will be written: `people` + `companies` + the `newCompanies`.
    pub valid: u32,
    pub create: u32,
    pub update: u32,
    /// What the file holds, as it will be written: its people and its companies (rows or cards),
    /// so the check can say "1,001 people, plus 940 new companies from their company column"
    /// rather than a total the file does not show.
    pub people: u32,
    pub companies: u32,
    /// Companies named by people in the file that exist nowhere yet and will be created.
    pub new_companies: Vec<String>,
    /// Refused rows (at most [`ERRORS_SHOWN`]; `errorCount` has them all).
    pub errors: Vec<RowError>,
    pub error_count: u32,
}

pub const ERRORS_SHOWN: usize = 1000;

/// A checked import, ready to commit.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    rows: Vec<Planned>,
    /// The custom fields the plan was checked against.
    defs: Vec<super::fields::CustomField>,
    errors: Vec<RowError>,
    new_companies: Vec<String>,
}

impl ImportPlan {
    pub fn check(&self) -> ImportCheck {
        let create = self.rows.iter().filter(|r| r.action == Action::Create).count() as u32;
        let people = self.rows.iter().filter(|r| r.input.kind == CustomerKind::Person).count() as u32;
        ImportCheck {
            valid: self.rows.len() as u32,
            create,
            update: self.rows.len() as u32 - create,
            people,
            companies: self.rows.len() as u32 - people - self.new_companies.len() as u32,
            new_companies: self.new_companies.clone(),
            errors: self.errors.iter().take(ERRORS_SHOWN).cloned().collect(),
            error_count: self.errors.len() as u32,
        }
    }

    pub fn errors(&self) -> &[RowError] {
        &self.errors
    }

    /// What the index will hold for each record the plan writes, known before anything is written
    /// (an import replaces whole records), so the index can be rebuilt while the rows are written.
    pub fn index_sources(&self, now_ms: i64) -> Vec<repo::IndexSource> {
        self.rows
            .iter()
            .map(|p| {
                let v = &p.input;
                repo::IndexSource {
                    id: p.id.0.clone(),
                    kind: v.kind.as_str().into(),
                    name: v.name.clone(),
                    company_id: v.company_id.as_ref().map(|c| c.0.clone()),
                    owner: v.owner.clone(),
                    stage: v.stage.as_str().into(),
                    job_title: v.job_title.clone(),
                    department: v.department.clone(),
                    notes: v.notes.clone(),
                    updated_ms: now_ms,
                    deleted_at: None,
                    tags: v.tags.clone(),
                    emails: v.emails.iter().map(|e| e.value.clone()).collect(),
                    phones: v.phones.iter().map(|e| e.value.clone()).collect(),
                    custom_text: v
                        .custom
                        .iter()
                        .filter(|c| self.defs.iter().any(|d| d.id == c.field_id && d.kind == super::fields::FieldKind::Text))
                        .map(|c| c.value.as_str())
                        .collect::<Vec<_>>()
                        .join("\u{1}"),
                    custom: v.custom.clone(),
                    last_activity_ms: 0, // kept from the snapshot by the caller
                }
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
    /// The ids written, in file order (the UI opens the list on them; tests check them).
    #[serde(skip)]
    pub ids: Vec<String>,
}

fn live_companies(store: &Store) -> Result<HashMap<String, CustomerId>> {
    store.read(|c| {
        let mut st =
            c.prepare("SELECT id, name FROM customers WHERE kind = 'company' AND deleted_at IS NULL AND name <> '' ORDER BY id")?;
        let mut map = HashMap::default();
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, name) = row?;
            map.entry(name).or_insert(CustomerId(id)); // the oldest company of a name wins
        }
        Ok(map)
    })
}

/// `None` unknown, `Some(false)` live, `Some(true)` in the trash. Many ids are answered by one
/// scan of the table (a spreadsheet round trip carries every id), a few by lookups.
fn existing(store: &Store, ids: &[&CustomerId]) -> Result<HashMap<String, bool>> {
    store.read(|c| {
        let mut out = HashMap::default();
        if ids.len() > 1000 {
            let wanted: HashSet<&str> = ids.iter().map(|i| i.as_str()).collect();
            let mut st = c.prepare("SELECT id, deleted_at IS NOT NULL FROM customers WHERE name <> ''")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let id = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                if wanted.contains(id) {
                    out.insert(id.to_string(), r.get::<_, bool>(1)?);
                }
            }
            return Ok(out);
        }
        let mut st = c.prepare_cached("SELECT deleted_at IS NOT NULL FROM customers WHERE id = ?1 AND name <> ''")?;
        for id in ids {
            if let Some(trashed) = rusqlite::OptionalExtension::optional(st.query_row([id.as_str()], |r| r.get::<_, bool>(0)))? {
                out.insert(id.0.clone(), trashed);
            }
        }
        Ok(out)
    })
}

/// The live company each of these people is linked to now, with its name: a re-imported row
/// naming the same company keeps that link, though another company may share the name.
fn current_companies(store: &Store, ids: &[&CustomerId]) -> Result<HashMap<String, (CustomerId, String)>> {
    store.read(|c| {
        let mut out = HashMap::default();
        let sql = "SELECT p.id, co.id, co.name FROM customers p JOIN customers co ON co.id = p.company_id AND co.deleted_at IS NULL";
        let mut add = |r: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
            out.insert(r.get::<_, String>(0)?, (CustomerId(r.get(1)?), r.get::<_, String>(2)?));
            Ok(())
        };
        if ids.len() > 1000 {
            let wanted: HashSet<&str> = ids.iter().map(|i| i.as_str()).collect();
            let mut st = c.prepare(sql)?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                if wanted.contains(r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?) {
                    add(r)?;
                }
            }
        } else {
            let mut st = c.prepare_cached(&format!("{sql} WHERE p.id = ?1"))?;
            for id in ids {
                let mut rows = st.query([id.as_str()])?;
                while let Some(r) = rows.next()? {
                    add(r)?;
                }
            }
        }
        Ok(out)
    })
}

/// Validates every record, matches ids, and resolves companies. Touches nothing.
pub fn plan(store: &Store, read: ReadResult, locale: Locale) -> Result<ImportPlan> {
    let mut errors = read.errors;
    let mut records = read.records;
    let companies = live_companies(store)?;
    let defs = super::fields::list(store, &super::CUSTOMER)?;
    let carried: Vec<&CustomerId> = records.iter().filter_map(|r| r.id.as_ref()).collect();
    let known = existing(store, &carried)?;
    let linked_now = current_companies(store, &carried)?;

    // Companies the file itself defines, so its people link to them rather than to new copies.
    let mut file_companies: HashMap<String, CustomerId> = HashMap::default();
    let mut seen_ids: HashSet<String> = HashSet::default();
    // A Satchel id twice in one file: the second row is refused (which edit would win?).
    records.retain(|r| match &r.id {
        Some(id) if !seen_ids.insert(id.0.clone()) => {
            errors.push(RowError {
                row: r.row,
                column: r.column_of("id"),
                message: CoreError::invalid("id", crate::error::Invalid::Duplicate).message(locale),
            });
            false
        }
        _ => true,
    });
    for r in records.iter_mut() {
        // A Satchel id from another database keeps its identity; another app's UUID (a vCard's
        // UID from a phone: not v7, so no creation time) is not ours to keep.
        if r.id.as_ref().is_some_and(|id| !known.contains_key(id.as_str()) && id.created_ms().is_none()) {
            r.id = None;
        }
        if r.input.kind == CustomerKind::Company && !r.input.name.trim().is_empty() {
            let id = r.id.get_or_insert_with(CustomerId::new).clone();
            file_companies.entry(r.input.name.trim().to_string()).or_insert(id);
        }
    }

    let mut new_companies: Vec<(String, CustomerId)> = Vec::new();
    for r in records.iter_mut().filter(|r| r.input.kind == CustomerKind::Person) {
        if let Some(name) = r.company.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            // The company the person has now, when the file names it: two companies may share a
            // name, and an unchanged row must write nothing (a round trip once moved 38 of 2,000
            // people to the older company of their company's name).
            let kept = r.id.as_ref().and_then(|id| linked_now.get(id.as_str())).filter(|(_, n)| n.trim() == name).map(|(c, _)| c);
            let id = match kept.or_else(|| file_companies.get(name)).or_else(|| companies.get(name)) {
                Some(id) => id.clone(),
                None => {
                    let id = CustomerId::new();
                    file_companies.insert(name.to_string(), id.clone());
                    new_companies.push((name.to_string(), id.clone()));
                    id
                }
            };
            r.input.company_id = Some(id);
        }
    }
    let validated = validate_all(&records, &defs, locale);
    let mut rows = Vec::with_capacity(records.len());
    let mut people = Vec::new();
    for (r, checked) in records.into_iter().zip(validated) {
        let input = match checked {
            Ok(v) => v,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let (id, action) = match r.id {
            Some(id) => match known.get(id.as_str()) {
                Some(false) => (id, Action::Update),
                Some(true) => (id, Action::Restore),
                None => (id, Action::Create),
            },
            None => (CustomerId::new(), Action::Create),
        };
        let planned = Planned { id, action, input };
        if planned.input.kind == CustomerKind::Company {
            rows.push(planned);
        } else {
            people.push(planned);
        }
    }
    // A new company whose only people were refused is not created.
    let used: HashSet<&str> = people.iter().filter_map(|p| p.input.company_id.as_ref().map(|c| c.as_str())).collect();
    let mut companies_first: Vec<Planned> = new_companies
        .iter()
        .filter(|(_, id)| used.contains(id.as_str()))
        .map(|(name, id)| Planned { id: id.clone(), action: Action::Create, input: CustomerInput::named(CustomerKind::Company, name) })
        .collect();
    let new_companies = companies_first.iter().map(|p| p.input.name.clone()).collect();
    companies_first.append(&mut rows);
    companies_first.append(&mut people);
    errors.sort_by_key(|e| e.row);
    Ok(ImportPlan { rows: companies_first, defs, errors, new_companies })
}

/// Above this many rows an import rebuilds the index instead of patching it, and checkpoints the
/// WAL beside that rebuild.
pub const LARGE_IMPORT: usize = 2_000;

/// Validates every record like a form, on both cores for a large file (validation is pure).
fn validate_all(
    records: &[ImportRecord],
    defs: &[super::fields::CustomField],
    locale: Locale,
) -> Vec<std::result::Result<CustomerInput, RowError>> {
    let one = |r: &ImportRecord| {
        validate(&r.input)
            .and_then(|mut v| {
                v.custom = super::fields::clean_values(defs, v.kind.as_str(), &v.custom)?;
                Ok(v)
            })
            .map_err(|e| {
                let column = e.field().map(|f| r.column_of(f)).unwrap_or_default();
                RowError { row: r.row, column, message: e.message(locale) }
            })
    };
    if records.len() < 5_000 {
        return records.iter().map(one).collect();
    }
    let (head, tail) = records.split_at(records.len() / 2);
    std::thread::scope(|s| {
        let second = s.spawn(|| tail.iter().map(one).collect::<Vec<_>>());
        let mut out: Vec<_> = head.iter().map(one).collect();
        out.extend(second.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        out
    })
}

/// How often progress is reported (rows).
pub const PROGRESS_EVERY: usize = 500;

/// Writes a plan in one transaction. `progress(done, total)` is called every [`PROGRESS_EVERY`]
/// rows; when `cancel` becomes true the write stops and rolls back (`CoreError::Cancelled`).
///
/// `beside` runs on another thread while the rows are written, inside the write transaction, so
/// it reads the database as it was before the import and no other write can slip in between
/// (the app rebuilds its index there, on the second core).
pub fn commit<T: Send>(
    store: &Store,
    plan: &ImportPlan,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u32, u32),
    beside: impl FnOnce() -> T + Send,
) -> Result<(ImportSummary, T)> {
    let total = plan.rows.len() as u32;
    let mut summary = ImportSummary { created: 0, updated: 0, skipped: plan.errors.len() as u32, ids: Vec::with_capacity(plan.rows.len()) };
    let large = plan.rows.len() > LARGE_IMPORT;
    if large {
        // The commit of a large import would checkpoint its whole WAL before returning (1.7 s at
        // 100,000 rows); the app runs that checkpoint afterwards, while the user reads the result.
        store.write_conn_pragma("wal_autocheckpoint", 0)?;
    }
    // Companies the plan links people to but does not create must still be live: checked once
    // each here, instead of once per person inside the write.
    let planned: HashSet<&str> = plan.rows.iter().map(|p| p.id.as_str()).collect();
    let linked: HashSet<&str> =
        plan.rows.iter().filter_map(|p| p.input.company_id.as_ref().map(|c| c.as_str())).filter(|c| !planned.contains(c)).collect();
    let written = store.write(|w| {
        if large {
            // The index is rebuilt beside the write (`Customers::import_commit`).
            w.bulk();
        }
        std::thread::scope(|scope| {
            let side = scope.spawn(beside);
            let wrote = write_rows(w, plan, &linked, cancel, progress, &mut summary);
            let side = side.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            wrote.map(|()| side)
        })
    });
    // Back to the default, and the memory handed back, whether the write succeeded or not.
    let _ = store.write_conn_pragma("cache_size", crate::store::WRITE_CACHE_KIB);
    let _ = store.write_conn_pragma("shrink_memory", 0);
    if large {
        let _ = store.write_conn_pragma("wal_autocheckpoint", 1000);
    }
    let side = written?;
    progress(total, total);
    Ok((summary, side))
}

fn write_rows(
    w: &mut crate::store::Writer<'_>,
    plan: &ImportPlan,
    linked: &HashSet<&str>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u32, u32),
    summary: &mut ImportSummary,
) -> Result<()> {
    let total = plan.rows.len() as u32;
    for company in linked {
        if w.deleted_at(&crate::store::schema::CUSTOMERS, company)? != Some(None) {
            return Err(CoreError::invalid("companyId", crate::error::Invalid::UnknownCompany));
        }
    }
    // One transaction of 100,000 customers dirties far more pages than SQLite's 2 MB page
    // cache holds; spilling them to the WAL mid-transaction doubled the write time.
    w.conn().pragma_update(None, "cache_size", -256 * 1024)?;
    for (i, p) in plan.rows.iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            if cancel.load(Ordering::Relaxed) {
                return Err(CoreError::Cancelled);
            }
            progress(i as u32, total);
        }
        match p.action {
            Action::Create => {
                repo::insert_checked_in(w, &p.id, &p.input)?;
                summary.created += 1;
            }
            Action::Update => {
                repo::update_in(w, &p.id, &p.input, true)?;
                summary.updated += 1;
            }
            Action::Restore => {
                repo::restore_in(w, &p.id)?;
                repo::update_in(w, &p.id, &p.input, true)?;
                summary.updated += 1;
            }
        }
        summary.ids.push(p.id.0.clone());
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(CoreError::Cancelled);
    }
    Ok(())
}

/// A file opened for import, kept between the preview, the check and the commit.
pub struct ImportFile {
    pub name: String,
    pub format: FileFormat,
    pub encoding: TextEncoding,
    bytes: Vec<u8>,
    text: String,
    table: Option<csv::Table>,
}

/// What the import dialog shows before the user maps columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub name: String,
    pub format: FileFormat,
    pub encoding: TextEncoding,
    /// CSV headers; for vCard, the columns of the sample.
    pub headers: Vec<String>,
    /// The first rows as they will be read, so a wrong encoding shows before anything is written.
    pub sample: Vec<Vec<String>>,
    /// Rows (CSV) or cards (vCard) in the file.
    pub rows: u32,
    /// The suggested mapping, one entry per header (empty for vCard).
    pub mapping: Vec<csv::ColumnMap>,
    pub dialect: csv::CsvDialect,
    /// Per header: no row of the whole file has a value in it (an Outlook export carries dozens
    /// of such columns), so the mapping can fold them away. Empty for vCard.
    pub empty: Vec<bool>,
}

pub const SAMPLE_ROWS: usize = 20;

impl ImportFile {
    /// Reads a file from disk; its size is checked before a byte is read.
    pub fn open(path: &std::path::Path, encoding: Option<TextEncoding>, format: Option<FileFormat>, locale: Locale) -> Result<Self> {
        let size = std::fs::metadata(path)?.len();
        if size > MAX_IMPORT_BYTES {
            return Err(CoreError::File(crate::error::FileProblem::TooLarge { bytes: size, max: MAX_IMPORT_BYTES }));
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Self::from_bytes(name, std::fs::read(path)?, encoding, format, locale)
    }

    pub fn from_bytes(
        name: String,
        bytes: Vec<u8>,
        encoding: Option<TextEncoding>,
        format: Option<FileFormat>,
        locale: Locale,
    ) -> Result<Self> {
        use crate::error::FileProblem;
        if bytes.len() as u64 > MAX_IMPORT_BYTES {
            return Err(CoreError::File(FileProblem::TooLarge { bytes: bytes.len() as u64, max: MAX_IMPORT_BYTES }));
        }
        if bytes.is_empty() {
            return Err(CoreError::File(FileProblem::Empty));
        }
        let (text, encoding) = text::decode(&bytes, encoding)?;
        let format = format.unwrap_or_else(|| FileFormat::guess(&name, &text));
        let table = match format {
            FileFormat::Csv => Some(csv::parse_table(&text, locale)?),
            FileFormat::Vcard => None,
        };
        Ok(Self { name, format, encoding, bytes, text, table })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The same bytes read again with another encoding (the user's override).
    pub fn reopen(&self, encoding: Option<TextEncoding>, locale: Locale) -> Result<Self> {
        Self::from_bytes(self.name.clone(), self.bytes.clone(), encoding, Some(self.format), locale)
    }

    pub fn preview(&self, defs: &[super::fields::CustomField], locale: Locale) -> ImportPreview {
        match &self.table {
            Some(t) => {
                let (mapping, dialect) = csv::suggest_with(&t.headers, defs);
                let mut empty = vec![true; t.headers.len()];
                for (_, row) in &t.rows {
                    for (flag, cell) in empty.iter_mut().zip(row) {
                        *flag &= cell.trim().is_empty();
                    }
                }
                ImportPreview {
                    name: self.name.clone(),
                    format: self.format,
                    encoding: self.encoding,
                    headers: t.headers.clone(),
                    sample: t.rows.iter().take(SAMPLE_ROWS).map(|(_, r)| r.clone()).collect(),
                    rows: (t.rows.len() + t.ragged.len()) as u32,
                    mapping,
                    dialect,
                    empty,
                }
            }
            None => {
                let read = vcard::read(&self.text, locale).unwrap_or_default();
                let headers = ["Name", "Company", "Phone", "Email"].map(String::from).to_vec();
                let first = |l: &[ContactPoint]| l.first().map(|p| p.value.clone()).unwrap_or_default();
                let sample = read
                    .records
                    .iter()
                    .take(SAMPLE_ROWS)
                    .map(|r| {
                        vec![r.input.name.clone(), r.company.clone().unwrap_or_default(), first(&r.input.phones), first(&r.input.emails)]
                    })
                    .collect();
                ImportPreview {
                    name: self.name.clone(),
                    format: self.format,
                    encoding: self.encoding,
                    headers,
                    sample,
                    rows: (read.records.len() + read.errors.len()) as u32,
                    mapping: vec![],
                    dialect: csv::CsvDialect::Other,
                    empty: vec![],
                }
            }
        }
    }

    /// The file's records under a column mapping (CSV; `None` uses the suggested one).
    pub fn read(&self, mapping: Option<&[csv::ColumnMap]>, defs: &[super::fields::CustomField], locale: Locale) -> Result<ReadResult> {
        match &self.table {
            Some(t) => match mapping {
                Some(m) => csv::read(t, m, locale),
                None => csv::read(t, &csv::suggest_with(&t.headers, defs).0, locale),
            },
            None => vcard::read(&self.text, locale),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Vcard3,
    Vcard4,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            _ => "vcf",
        }
    }

    pub fn write(self, customers: &[Customer], defs: &[super::fields::CustomField]) -> Vec<u8> {
        match self {
            Self::Csv => csv::write(customers, defs),
            Self::Vcard3 => vcard::write(customers, vcard::VcardVersion::V3).into_bytes(),
            Self::Vcard4 => vcard::write(customers, vcard::VcardVersion::V4).into_bytes(),
        }
    }
}
