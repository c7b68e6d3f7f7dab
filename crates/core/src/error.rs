//! Errors: one closed set of codes the UI can branch on, a message for people in their language,
//! the field it concerns, and details that stay in the log.
//!
//! `CoreError` is what the domain returns; [`AppError`] is the shape that crosses IPC and is printed
//! by the CLI. Nothing else crosses: storage details are logged, not shown.

use crate::i18n::Locale;
use serde::Serialize;
use std::path::PathBuf;

/// What went wrong, as the UI branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    Conflict,
    ReadOnly,
    Corrupt,
    SchemaTooNew,
    Storage,
    Internal,
    /// A file to import could not be read as what it claims to be.
    BadFile,
    /// The user cancelled a long operation; nothing was changed.
    Cancelled,
    /// Talking to the sync server failed (unreachable, refused, wrong password).
    Sync,
    /// The database is open in another Satchel (a window, or the command line) right now.
    InUse,
}

/// Why a field's value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    Required,
    TooLong {
        max: usize,
    },
    TooMany {
        max: usize,
    },
    Email,
    Phone,
    Date,
    FutureDate,
    UnknownCompany,
    NotACompany,
    OnlyPeopleHaveACompany,
    Duplicate,
    DateTime,
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// A value outside a fixed set (stage, type), with the accepted ones listed.
    OneOf {
        value: String,
        allowed: String,
    },
    /// Not a Satchel record id (a UUID).
    Id,
    Number,
    /// A problem with a custom field's value: the field's labels, since the field key
    /// (`custom.<id>`) means nothing to a person.
    InField {
        en: String,
        zh: String,
        reason: Box<Invalid>,
    },
    /// An end before its start.
    EndsBeforeStart,
    /// A recurrence rule the calendar cannot expand, in the rule library's words.
    Recurrence {
        reason: String,
    },
    /// A reminder of an event still to come whose time has passed already.
    ReminderPast,
    /// Not an ISO 4217 currency code (or one without minor units, like gold).
    Currency {
        value: String,
    },
    /// More decimals than allowed: a currency's minor units (named), or a quantity's or rate's.
    Decimals {
        max: u32,
        currency: String,
    },
    Negative,
    /// Must be above zero (a quantity).
    Positive,
    /// A file chosen as a logo that is not a PNG or JPEG image.
    NotAnImage,
    /// A quote with no lines.
    NoLines,
    /// A business-time duration that does not read (`30m`, `4h`, `1h30m` do).
    Duration,
    /// A document that can no longer be changed this way in its status (a sent quote is revised,
    /// not edited).
    Locked {
        status: String,
    },
    /// A payment schedule that does not add up to the contract's value.
    /// A ticket's status move the workflow does not allow: its number, the statuses (stored
    /// words; the message gives them in the user's language) and those it may move to.
    Move {
        ticket: String,
        from: String,
        to: String,
        allowed: Vec<String>,
    },
    ScheduleSum {
        sum: String,
        value: String,
    },
}

/// Why a file offered for import was refused as a whole (per-row problems are `RowError`s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    TooLarge {
        bytes: u64,
        max: u64,
    },
    /// A workbook, PDF, image or other binary file; the kind when known (`zip`, `xls`, `pdf`, `image`).
    Binary(Option<&'static str>),
    /// The chosen (or detected) encoding does not fit the bytes.
    NotEncoding(&'static str),
    /// Neither UTF-8 nor GBK/GB18030: the user must pick.
    UnknownEncoding,
    Empty,
    /// No column maps to a name (or given/family name, or company).
    NoNameColumn,
    /// No `BEGIN:VCARD` ... `END:VCARD` in the file.
    NotVcard,
    /// No `BEGIN:VCALENDAR` in the file.
    NotIcalendar,
    /// A calendar that ends (at this line) before its `END:VCALENDAR`: cut off.
    CalendarCutOff {
        line: u32,
    },
    /// A time zone (TZID) no IANA or Windows name and no VTIMEZONE of the file can name, with the
    /// line of the first event that uses it.
    UnknownTimeZone {
        zone: String,
        line: u32,
    },
    /// A file offered as a backup that is not a whole Satchel database (its path).
    NotBackup(String),
    /// A backup would overwrite this existing file.
    Exists(String),
    /// There is no database at this path to back up.
    NoDatabase(String),
    /// An attachment's stored bytes no longer match the hash its row records (its name).
    AttachmentDamaged(String),
    /// An attachment synced from another computer whose bytes are not here yet and could not be
    /// fetched now (offline, or no server): its name.
    AttachmentNotFetched(String),
    /// An attachment whose bytes the server does not have yet (the computer it was attached on
    /// has not synced since): its name.
    AttachmentNotUploaded(String),
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("file refused: {0:?}")]
    File(FileProblem),
    #[error("cancelled")]
    Cancelled,
    /// A refused value; `more` holds the other refused fields of the same form, so that one
    /// save names every problem at once instead of one per attempt.
    #[error("invalid {field}: {reason:?}")]
    Validation { field: String, reason: Invalid, more: Vec<(String, Invalid)> },
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error("database {path} has schema version {found}, this Satchel knows up to {supported}")]
    SchemaTooNew { path: PathBuf, found: usize, supported: usize },
    #[error("database {path} is read-only")]
    ReadOnly { path: PathBuf },
    #[error("database {path} is open in another Satchel")]
    InUse { path: PathBuf },
    #[error("{path} is not a Satchel database or is damaged: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    /// The book is encrypted (SQLCipher) and its key is in neither the secret store nor `<db>.key`.
    #[error("database {path} is encrypted and its key is not on this computer")]
    KeyMissing { path: PathBuf },
    /// Encrypting was asked for where no secret store can keep the key (and the weaker key file
    /// was not asked for with `SATCHEL_TOKEN_STORE=file`).
    #[error("no OS secret store to keep the key of {path}")]
    NoSecretStore { path: PathBuf },
    #[error("storage: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("internal: {0}")]
    Internal(String),
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl CoreError {
    pub fn invalid(field: impl Into<String>, reason: Invalid) -> Self {
        CoreError::Validation { field: field.into(), reason, more: Vec::new() }
    }

    /// Every refused field of a form, first (in form order) first.
    pub fn problems(&self) -> Vec<(&str, &Invalid)> {
        match self {
            CoreError::Validation { field, reason, more } => {
                std::iter::once((field.as_str(), reason)).chain(more.iter().map(|(f, r)| (f.as_str(), r))).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The names of every refused field (empty for any other error).
    pub fn fields(&self) -> Vec<String> {
        self.problems().into_iter().map(|(f, _)| f.to_string()).collect()
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Validation { .. } => ErrorCode::Validation,
            CoreError::NotFound { .. } => ErrorCode::NotFound,
            CoreError::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            CoreError::ReadOnly { .. } => ErrorCode::ReadOnly,
            CoreError::InUse { .. } => ErrorCode::InUse,
            CoreError::Corrupt { .. } => ErrorCode::Corrupt,
            CoreError::KeyMissing { .. } | CoreError::NoSecretStore { .. } => ErrorCode::Storage,
            CoreError::Storage(e) if is_read_only(e) => ErrorCode::ReadOnly,
            CoreError::Storage(_) | CoreError::Io(_) => ErrorCode::Storage,
            CoreError::Internal(_) => ErrorCode::Internal,
            CoreError::File(_) => ErrorCode::BadFile,
            CoreError::Cancelled => ErrorCode::Cancelled,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            CoreError::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The message a person reads, in their language, worded from the shared catalogue
    /// (`locales/`, see [`crate::i18n`]).
    pub fn message(&self, l: Locale) -> String {
        match self {
            // A refused value names its field, as the form shows it, before the reason.
            CoreError::Validation { field, reason, .. } => field_message(field, reason, l),
            other => {
                let (key, params) = other.reason();
                worded(l, key, &params)
            }
        }
    }

    pub fn to_app(&self, l: Locale) -> AppError {
        if matches!(self.code(), ErrorCode::Storage | ErrorCode::Internal) {
            log::error!("{self}");
        }
        let (reason, params) = self.reason();
        AppError {
            code: self.code(),
            message: self.message(l),
            field: self.field().map(str::to_string),
            reason: reason.to_string(),
            params: owned_params(params),
            fields: self
                .problems()
                .into_iter()
                .map(|(field, reason)| {
                    let (key, params) = reason_key(reason);
                    FieldError {
                        field: field.to_string(),
                        message: field_message(field, reason, l),
                        reason: key.to_string(),
                        params: owned_params(params),
                    }
                })
                .collect(),
        }
    }

    /// The message's key in the shared catalogue (`locales/`) and its parameters, so the UI can
    /// branch on why and word it again in another language. For a refused value it is the reason
    /// alone (`invalid.email`); `field` says which.
    pub fn reason(&self) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            CoreError::Validation { reason, .. } => reason_key(reason),
            CoreError::NotFound { .. } => ("error.notFound", vec![]),
            CoreError::SchemaTooNew { path, found, supported } => (
                "error.schemaTooNew",
                vec![("path", path.display().to_string()), ("found", found.to_string()), ("supported", supported.to_string())],
            ),
            CoreError::ReadOnly { .. } => ("error.readOnly", vec![]),
            CoreError::InUse { path } => ("error.inUse", vec![("path", path.display().to_string())]),
            CoreError::Storage(e) if is_read_only(e) => ("error.readOnly", vec![]),
            CoreError::Corrupt { path, .. } => ("error.corrupt", vec![("path", path.display().to_string())]),
            CoreError::KeyMissing { path } => ("error.keyMissing", vec![("path", path.display().to_string())]),
            CoreError::NoSecretStore { path } => ("error.noSecretStore", vec![("path", path.display().to_string())]),
            CoreError::Storage(_) | CoreError::Io(_) => logged("error.storage", "error.storageNoLog"),
            CoreError::Internal(_) => logged("error.internal", "error.internalNoLog"),
            CoreError::File(p) => file_problem_key(p),
            CoreError::Cancelled => ("error.cancelled", vec![]),
        }
    }
}

/// The error shape that crosses IPC: `{code, message, field, reason, params, fields}`.
/// `message` is in the user's language already; `reason` (a key of `locales/*/messages.json`)
/// and `params` let the UI branch on why and word it again. A refused form lists every refused
/// field in `fields` (the first is also `field`/`message`), so the form marks them all at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub reason: String,
    pub params: std::collections::BTreeMap<String, String>,
    pub fields: Vec<FieldError>,
}

/// One refused field of a form: which, the sentence to show beside it, and why as a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    pub reason: String,
    pub params: std::collections::BTreeMap<String, String>,
}

impl AppError {
    /// An error worded outside the catalogue's reasons (a sync refusal's own text).
    pub fn plain(code: ErrorCode, reason: &str, message: String, field: Option<String>) -> Self {
        AppError { code, message, field, reason: reason.to_string(), params: Default::default(), fields: Vec::new() }
    }
}

/// The problems of one form, gathered as its checks run so that a refused save names every
/// bad field at once. Errors that are not about a value (storage) still stop at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<(String, Invalid)>);

impl Problems {
    pub fn add(&mut self, field: impl Into<String>, reason: Invalid) {
        self.0.push((field.into(), reason));
    }

    /// Keeps a check's refusals and goes on; any other error is handed back to stop the save.
    pub fn keep<T>(&mut self, r: Result<T>) -> Result<Option<T>> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(CoreError::Validation { field, reason, more }) => {
                self.0.push((field, reason));
                self.0.extend(more);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Refuses with every problem found, or passes when there were none.
    pub fn check(self) -> Result<()> {
        let mut all = self.0.into_iter();
        match all.next() {
            None => Ok(()),
            Some((field, reason)) => Err(CoreError::Validation { field, reason, more: all.collect() }),
        }
    }
}

/// The key and parameters of a message whose details are only in the log: it names the file
/// being written ([`crate::logfile::current`]; `error.storage` with `{{log}}`), or says "the log"
/// in a process that writes none (`error.storageNoLog`).
fn logged(key: &'static str, unlogged: &'static str) -> (&'static str, Vec<(&'static str, String)>) {
    match crate::logfile::current() {
        Some(file) => (key, vec![("log", file.display().to_string())]),
        None => (unlogged, vec![]),
    }
}

fn owned_params(params: Vec<(&'static str, String)>) -> std::collections::BTreeMap<String, String> {
    params.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// "Email 2: is not a valid email address": a refused value names its field, as the form shows
/// it, before the reason.
fn field_message(field: &str, reason: &Invalid, l: Locale) -> String {
    let field = match reason {
        Invalid::InField { en, zh, .. } => l.label(en, zh).to_string(),
        _ => field_label(field, l),
    };
    l.text("error.fieldMessage", &[("field", &field), ("reason", &reason_text(reason, l))])
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn file_problem_key(p: &FileProblem) -> (&'static str, Vec<(&'static str, String)>) {
    let mb = |b: u64| format!("{:.0}", b as f64 / 1_048_576.0);
    match p {
        FileProblem::TooLarge { bytes, max } => ("file.tooLarge", vec![("mb", mb(*bytes)), ("max", mb(*max))]),
        FileProblem::Binary(Some("zip" | "xls")) => ("file.workbook", vec![]),
        FileProblem::Binary(_) => ("file.binary", vec![]),
        FileProblem::NotEncoding(enc) => ("file.notEncoding", vec![("encoding", enc.to_string())]),
        FileProblem::UnknownEncoding => ("file.unknownEncoding", vec![]),
        FileProblem::Empty => ("file.empty", vec![]),
        FileProblem::NoNameColumn => ("file.noNameColumn", vec![]),
        FileProblem::NotVcard => ("file.notVcard", vec![]),
        FileProblem::NotIcalendar => ("file.notIcalendar", vec![]),
        FileProblem::CalendarCutOff { line } => ("file.calendarCutOff", vec![("line", line.to_string())]),
        FileProblem::UnknownTimeZone { zone, line } => ("file.unknownTimeZone", vec![("zone", zone.clone()), ("line", line.to_string())]),
        FileProblem::NotBackup(path) => ("file.notBackup", vec![("path", path.clone())]),
        FileProblem::Exists(path) => ("file.exists", vec![("path", path.clone())]),
        FileProblem::NoDatabase(path) => ("file.noDatabase", vec![("path", path.clone())]),
        FileProblem::AttachmentDamaged(name) => ("file.attachmentDamaged", vec![("name", name.clone())]),
        FileProblem::AttachmentNotFetched(name) => ("file.attachmentNotFetched", vec![("name", name.clone())]),
        FileProblem::AttachmentNotUploaded(name) => ("file.attachmentNotUploaded", vec![("name", name.clone())]),
    }
}

/// The catalogue's words for `key` with owned parameters.
fn worded(l: Locale, key: &str, params: &[(&'static str, String)]) -> String {
    let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    l.text(key, &params)
}

fn is_read_only(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly))
}

/// The catalogue key of a refused value's reason, with its parameters.
pub fn reason_key(r: &Invalid) -> (&'static str, Vec<(&'static str, String)>) {
    match r {
        Invalid::Required => ("invalid.required", vec![]),
        Invalid::TooLong { max } => ("invalid.tooLong", vec![("max", max.to_string())]),
        Invalid::TooMany { max } => ("invalid.tooMany", vec![("max", max.to_string())]),
        Invalid::Email => ("invalid.email", vec![]),
        Invalid::Phone => ("invalid.phone", vec![]),
        Invalid::Date => ("invalid.date", vec![]),
        Invalid::FutureDate => ("invalid.futureDate", vec![]),
        Invalid::UnknownCompany => ("invalid.unknownCompany", vec![]),
        Invalid::NotACompany => ("invalid.notACompany", vec![]),
        Invalid::OnlyPeopleHaveACompany => ("invalid.onlyPeopleHaveACompany", vec![]),
        Invalid::Duplicate => ("invalid.duplicate", vec![]),
        Invalid::DateTime => ("invalid.dateTime", vec![]),
        Invalid::OneOf { value, allowed } => ("invalid.oneOf", vec![("value", value.clone()), ("allowed", allowed.clone())]),
        Invalid::Id => ("invalid.id", vec![]),
        Invalid::Number => ("invalid.number", vec![]),
        Invalid::InField { reason, .. } => reason_key(reason),
        Invalid::OutOfRange { min, max } => ("invalid.outOfRange", vec![("min", min.to_string()), ("max", max.to_string())]),
        Invalid::EndsBeforeStart => ("invalid.endsBeforeStart", vec![]),
        Invalid::Recurrence { reason } => ("invalid.recurrence", vec![("reason", reason.clone())]),
        Invalid::ReminderPast => ("invalid.reminderPast", vec![]),
        Invalid::Currency { value } => ("invalid.currency", vec![("value", value.clone())]),
        Invalid::Decimals { max, currency } if currency.is_empty() => ("invalid.decimals", vec![("max", max.to_string())]),
        Invalid::Decimals { max, currency } => ("invalid.currencyDecimals", vec![("max", max.to_string()), ("currency", currency.clone())]),
        Invalid::Negative => ("invalid.negative", vec![]),
        Invalid::Positive => ("invalid.positive", vec![]),
        Invalid::NotAnImage => ("invalid.notAnImage", vec![]),
        Invalid::NoLines => ("invalid.noLines", vec![]),
        Invalid::Duration => ("invalid.duration", vec![]),
        Invalid::Locked { status } => ("invalid.locked", vec![("status", status.clone())]),
        Invalid::ScheduleSum { sum, value } => ("invalid.scheduleSum", vec![("sum", sum.clone()), ("value", value.clone())]),
        Invalid::Move { ticket, from, to, allowed } => {
            ("invalid.move", vec![("ticket", ticket.clone()), ("from", from.clone()), ("to", to.clone()), ("allowed", allowed.join(", "))])
        }
    }
}

fn reason_text(r: &Invalid, l: Locale) -> String {
    if let Invalid::Move { ticket, from, to, allowed } = r {
        // The statuses as the user's screens name them, not the stored words.
        let status = |w: &str| {
            let key = format!("sla.statuses.{w}");
            if l.has_text(&key) {
                l.text(&key, &[])
            } else {
                w.to_string()
            }
        };
        let allowed = allowed.iter().map(|w| status(w)).collect::<Vec<_>>().join(&l.text("sla.listSeparator", &[]));
        return l.text("invalid.move", &[("ticket", ticket), ("from", &status(from)), ("to", &status(to)), ("allowed", &allowed)]);
    }
    let (key, params) = reason_key(r);
    worded(l, key, &params)
}

/// "emails.1.value" -> "Email 2", so that a message names the field the way the form shows it.
/// Fields without words in the catalogue (`field.<name>`) are named as they are.
pub fn field_label(field: &str, l: Locale) -> String {
    let mut parts = field.split('.');
    let head = parts.next().unwrap_or(field);
    let index = parts.next().and_then(|p| p.parse::<usize>().ok());
    let sub = parts.next();
    let key = format!("field.{head}");
    let base = if l.has_text(&key) { l.text(&key, &[]) } else { head.to_string() };
    let part = sub.map(|s| format!("fieldPart.{s}")).filter(|k| l.has_text(k)).map(|k| l.text(&k, &[])).unwrap_or_default();
    match index {
        Some(i) => l.text("field.numbered", &[("base", &base), ("n", &(i + 1).to_string()), ("part", &part)]),
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_messages_name_the_field_in_both_languages() {
        let e = CoreError::invalid("emails.1.value", Invalid::Email);
        assert_eq!(e.code(), ErrorCode::Validation);
        assert_eq!(e.field(), Some("emails.1.value"));
        assert!(e.message(Locale::En).starts_with("Email 2: is not a valid email"));
        assert!(e.message(Locale::ZhCn).starts_with("邮箱 2：格式不正确"));
        assert!(CoreError::invalid("name", Invalid::Required).message(Locale::ZhCn).contains("名称"));
    }

    /// Every reason and file problem the core can give has words in both catalogues.
    #[test]
    fn every_message_the_core_gives_is_in_the_shared_catalogue() {
        let reasons = [
            Invalid::Required,
            Invalid::TooLong { max: 1 },
            Invalid::TooMany { max: 1 },
            Invalid::Email,
            Invalid::Phone,
            Invalid::Date,
            Invalid::FutureDate,
            Invalid::UnknownCompany,
            Invalid::NotACompany,
            Invalid::OnlyPeopleHaveACompany,
            Invalid::Duplicate,
            Invalid::DateTime,
            Invalid::OneOf { value: "x".into(), allowed: "a, b".into() },
            Invalid::Id,
            Invalid::Number,
            Invalid::OutOfRange { min: 0, max: 1 },
            Invalid::EndsBeforeStart,
            Invalid::Recurrence { reason: "x".into() },
            Invalid::ReminderPast,
            Invalid::Currency { value: "X".into() },
            Invalid::Decimals { max: 2, currency: "CNY".into() },
            Invalid::Decimals { max: 4, currency: String::new() },
            Invalid::Negative,
            Invalid::Positive,
            Invalid::NotAnImage,
            Invalid::NoLines,
            Invalid::Duration,
            Invalid::Locked { status: "sent".into() },
            Invalid::ScheduleSum { sum: "1".into(), value: "2".into() },
            Invalid::Move { ticket: "T-1".into(), from: "new".into(), to: "closed".into(), allowed: vec!["resolved".into()] },
        ];
        let files = [
            FileProblem::TooLarge { bytes: 1, max: 2 },
            FileProblem::Binary(Some("zip")),
            FileProblem::Binary(None),
            FileProblem::NotEncoding("GBK"),
            FileProblem::UnknownEncoding,
            FileProblem::Empty,
            FileProblem::NoNameColumn,
            FileProblem::NotVcard,
            FileProblem::NotIcalendar,
            FileProblem::CalendarCutOff { line: 9 },
            FileProblem::UnknownTimeZone { zone: "Customized Time Zone".into(), line: 12 },
            FileProblem::AttachmentDamaged("合同.pdf".into()),
        ];
        for l in [Locale::En, Locale::ZhCn] {
            for r in &reasons {
                let (key, _) = reason_key(r);
                assert!(l.has_text(key), "{key} in {l:?}");
                assert!(!reason_text(r, l).contains("{{"), "{key} in {l:?} has every parameter filled");
            }
            for f in &files {
                let text = CoreError::File(f.clone()).message(l);
                assert!(!text.starts_with("file."), "{text}");
                assert!(!text.contains("{{"), "{text}");
            }
            for field in
                ["name", "kind", "companyId", "owner", "stage", "source", "notes", "birthday", "tags", "phones", "emails", "addresses"]
            {
                assert!(l.has_text(&format!("field.{field}")), "field.{field} in {l:?}");
            }
        }
        assert_eq!(field_label("addresses.0.postalCode", Locale::En), "Address 1 postal code");
        assert_eq!(field_label("addresses.0.postalCode", Locale::ZhCn), "地址 1邮编");
        assert_eq!(field_label("custom.abc", Locale::En), "custom");
    }

    #[test]
    fn an_app_error_carries_its_reason_and_parameters_for_the_ui() {
        let app = CoreError::invalid("notes", Invalid::TooLong { max: 20_000 }).to_app(Locale::ZhCn);
        assert_eq!((app.reason.as_str(), app.field.as_deref()), ("invalid.tooLong", Some("notes")));
        assert_eq!(app.params.get("max").map(String::as_str), Some("20000"));
        assert_eq!(app.message, "备注：太长（最多 20000 个字符）");
        let file = CoreError::File(FileProblem::NotEncoding("GBK")).to_app(Locale::En);
        assert_eq!((file.reason.as_str(), file.params.get("encoding").map(String::as_str)), ("file.notEncoding", Some("GBK")));
    }

    /// "Details are in the log" names the file: the one being written, in either language; a
    /// process without a log file still reads "the log".
    #[test]
    fn the_generic_messages_name_the_log_file_in_both_languages() {
        let dir = tempfile::tempdir().unwrap();
        let log = crate::logfile::open(&dir.path().join("satchel.db")).unwrap();
        assert_eq!(log, dir.path().join("logs").join("satchel.log"));
        let shown = log.display().to_string();
        let errors = || {
            [
                CoreError::Storage(rusqlite::Error::InvalidQuery),
                CoreError::Io(std::io::Error::other("disk gone")),
                CoreError::Internal("bug".into()),
            ]
        };
        for l in [Locale::En, Locale::ZhCn] {
            for e in errors() {
                let app = e.to_app(l);
                assert!(app.message.contains(&shown), "{l:?}: {}", app.message);
                assert!(!app.message.contains("{{"), "{}", app.message);
                assert_eq!(app.params.get("log"), Some(&shown), "the UI can word it again");
            }
        }
        assert_eq!(errors()[0].message(Locale::En), format!("Saving failed; nothing was changed. Details are in the log: {shown}"));
        assert_eq!(errors()[2].message(Locale::ZhCn), format!("Satchel 内部出错，详情见日志：{shown}"));
        // A process that writes no log file (a test, a folder it may not write) says "the log".
        assert_eq!(Locale::En.text("error.storageNoLog", &[]), "Saving failed; nothing was changed. Details are in the log.");
        assert_eq!(Locale::ZhCn.text("error.internalNoLog", &[]), "Satchel 内部出错，详情见日志。");
    }

    #[test]
    fn storage_details_never_reach_the_message() {
        let e = CoreError::Storage(rusqlite::Error::InvalidQuery);
        let app = e.to_app(Locale::En);
        assert_eq!(app.code, ErrorCode::Storage);
        assert!(!app.message.contains("Query"));
        assert_eq!(app.field, None);
    }
}
