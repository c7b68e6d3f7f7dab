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
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("file refused: {0:?}")]
    File(FileProblem),
    #[error("cancelled")]
    Cancelled,
    #[error("invalid {field}: {reason:?}")]
    Validation { field: String, reason: Invalid },
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error("database {path} has schema version {found}, this Satchel knows up to {supported}")]
    SchemaTooNew { path: PathBuf, found: usize, supported: usize },
    #[error("database {path} is read-only")]
    ReadOnly { path: PathBuf },
    #[error("{path} is not a Satchel database or is damaged: {detail}")]
    Corrupt { path: PathBuf, detail: String },
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
        CoreError::Validation { field: field.into(), reason }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Validation { .. } => ErrorCode::Validation,
            CoreError::NotFound { .. } => ErrorCode::NotFound,
            CoreError::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            CoreError::ReadOnly { .. } => ErrorCode::ReadOnly,
            CoreError::Corrupt { .. } => ErrorCode::Corrupt,
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

    /// The message a person reads, in their language.
    pub fn message(&self, l: Locale) -> String {
        match self {
            CoreError::Validation { reason: Invalid::InField { en, zh, reason }, .. } => {
                format!("{}{}{}", l.label(en, zh), l.pick(": ", "："), reason_text(reason, l))
            }
            CoreError::Validation { field, reason } => {
                format!("{}{}{}", field_label(field, l), l.pick(": ", "："), reason_text(reason, l))
            }
            CoreError::NotFound { .. } => {
                l.pick("This record no longer exists (it may have been deleted).", "该记录不存在（可能已被删除）。").into()
            }
            CoreError::SchemaTooNew { path, found, supported } => match l {
                Locale::En => format!(
                    "{} was written by a newer Satchel (schema {found}; this version knows {supported}). Update Satchel to open it; the file was not changed.",
                    path.display()
                ),
                Locale::ZhCn => format!(
                    "{} 由更新版本的 Satchel 写入（结构版本 {found}，本版本支持到 {supported}）。请升级 Satchel 后再打开；文件未被修改。",
                    path.display()
                ),
            },
            CoreError::ReadOnly { .. } => read_only_text(l).into(),
            CoreError::Storage(e) if is_read_only(e) => read_only_text(l).into(),
            CoreError::Corrupt { path, .. } => match l {
                Locale::En => format!("{} is not a Satchel database or is damaged. Restore it from a backup.", path.display()),
                Locale::ZhCn => format!("{} 不是 Satchel 数据库或已损坏，请从备份恢复。", path.display()),
            },
            CoreError::Storage(_) | CoreError::Io(_) => {
                l.pick("Saving failed; nothing was changed. Details are in the log.", "保存失败，数据未作任何修改。详情见日志。").into()
            }
            CoreError::Internal(_) => l.pick("Something went wrong inside Satchel; details are in the log.", "Satchel 内部出错，详情见日志。").into(),
            CoreError::File(p) => file_problem_text(p, l),
            CoreError::Cancelled => l.pick("Cancelled; nothing was changed.", "已取消，数据未作任何修改。").into(),
        }
    }

    pub fn to_app(&self, l: Locale) -> AppError {
        if matches!(self.code(), ErrorCode::Storage | ErrorCode::Internal) {
            log::error!("{self}");
        }
        AppError { code: self.code(), message: self.message(l), field: self.field().map(str::to_string) }
    }
}

/// The error shape that crosses IPC: `{code, message, field}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn file_problem_text(p: &FileProblem, l: Locale) -> String {
    let mb = |b: u64| format!("{:.0}", b as f64 / 1_048_576.0);
    match p {
        FileProblem::TooLarge { bytes, max } => match l {
            Locale::En => {
                format!("The file is {} MB; Satchel imports files up to {} MB. Split it into smaller files.", mb(*bytes), mb(*max))
            }
            Locale::ZhCn => format!("文件大小为 {} MB，最多可导入 {} MB。请拆分成较小的文件。", mb(*bytes), mb(*max)),
        },
        FileProblem::Binary(Some("zip" | "xls")) => l
            .pick(
                "This is an Excel workbook, not a CSV file. In Excel choose File › Save As › CSV, then import that file.",
                "这是 Excel 工作簿，不是 CSV 文件。请在 Excel 中选择“文件 › 另存为 › CSV”，再导入该文件。",
            )
            .into(),
        FileProblem::Binary(_) => {
            l.pick("This is not a text file, so it is not CSV or vCard.", "这不是文本文件，不是 CSV 或 vCard。").into()
        }
        FileProblem::NotEncoding(enc) => match l {
            Locale::En => format!("The file is not valid {enc} text. Choose another encoding."),
            Locale::ZhCn => format!("文件不是有效的 {enc} 文本，请选择其他编码。"),
        },
        FileProblem::UnknownEncoding => l
            .pick(
                "The file's encoding is neither UTF-8 nor GBK/GB18030. Choose its encoding, or save it again as UTF-8.",
                "无法识别文件编码（不是 UTF-8，也不是 GBK/GB18030）。请选择编码，或将文件另存为 UTF-8。",
            )
            .into(),
        FileProblem::Empty => l.pick("The file is empty.", "文件是空的。").into(),
        FileProblem::NoNameColumn => l
            .pick(
                "No column is mapped to Name (or to given/family name or company). Map one to import.",
                "没有列对应到“名称”（或姓、名、公司）。请至少对应一列后再导入。",
            )
            .into(),
        FileProblem::NotVcard => l
            .pick(
                "No contact cards (BEGIN:VCARD … END:VCARD) were found in the file.",
                "文件中没有找到联系人名片（BEGIN:VCARD … END:VCARD）。",
            )
            .into(),
    }
}

fn read_only_text(l: Locale) -> &'static str {
    l.pick(
        "The database file is read-only, so nothing can be saved. Check the file's permissions.",
        "数据库文件为只读，无法保存。请检查文件权限。",
    )
}

fn is_read_only(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly))
}

fn reason_text(r: &Invalid, l: Locale) -> String {
    match r {
        Invalid::Required => l.pick("is required", "不能为空").into(),
        Invalid::TooLong { max } => match l {
            Locale::En => format!("is too long (at most {max} characters)"),
            Locale::ZhCn => format!("太长（最多 {max} 个字符）"),
        },
        Invalid::TooMany { max } => match l {
            Locale::En => format!("too many (at most {max})"),
            Locale::ZhCn => format!("数量过多（最多 {max} 个）"),
        },
        Invalid::Email => l.pick("is not a valid email address (like name@example.com)", "格式不正确（例如 name@example.com）").into(),
        Invalid::Phone => l
            .pick(
                "is not a valid phone number (digits, spaces, + - ( ), 5 to 20 digits)",
                "格式不正确（数字、空格及 + - ( )，5 至 20 位数字）",
            )
            .into(),
        Invalid::Date => l.pick("is not a valid date (YYYY-MM-DD)", "日期无效（格式 YYYY-MM-DD）").into(),
        Invalid::FutureDate => l.pick("cannot be in the future", "不能晚于今天").into(),
        Invalid::UnknownCompany => l.pick("no such company (it may have been deleted)", "该公司不存在（可能已被删除）").into(),
        Invalid::NotACompany => l.pick("must be a company, not a person", "必须是公司，而不是个人").into(),
        Invalid::OnlyPeopleHaveACompany => l.pick("only people belong to a company", "只有个人可以隶属于公司").into(),
        Invalid::Duplicate => l.pick("appears twice", "重复").into(),
        Invalid::DateTime => l.pick("is not a valid date and time", "日期时间无效").into(),
        Invalid::OneOf { value, allowed } => match l {
            Locale::En => format!("\"{value}\" is not one of: {allowed}"),
            Locale::ZhCn => format!("“{value}”不是可选值之一：{allowed}"),
        },
        Invalid::Id => l.pick("is not a Satchel id", "不是 Satchel 记录编号").into(),
        Invalid::Number => l.pick("is not a number (like 1234.5)", "不是数字（例如 1234.5）").into(),
        Invalid::InField { reason, .. } => reason_text(reason, l),
        Invalid::OutOfRange { min, max } => match l {
            Locale::En => format!("must be between {min} and {max}"),
            Locale::ZhCn => format!("必须在 {min} 到 {max} 之间"),
        },
    }
}

/// "emails.1.value" -> "Email 2", so that a message names the field the way the form shows it.
pub fn field_label(field: &str, l: Locale) -> String {
    let mut parts = field.split('.');
    let head = parts.next().unwrap_or(field);
    let index = parts.next().and_then(|p| p.parse::<usize>().ok());
    let sub = parts.next();
    let base = match head {
        "name" => l.pick("Name", "名称"),
        "kind" => l.pick("Type", "类型"),
        "companyId" => l.pick("Company", "所属公司"),
        "owner" => l.pick("Owner", "负责人"),
        "stage" => l.pick("Stage", "阶段"),
        "source" => l.pick("Source", "来源"),
        "notes" => l.pick("Notes", "备注"),
        "birthday" => l.pick("Birthday", "生日"),
        "tags" => l.pick("Tag", "标签"),
        "phones" => l.pick("Phone", "电话"),
        "emails" => l.pick("Email", "邮箱"),
        "addresses" => l.pick("Address", "地址"),
        "occurredAt" => l.pick("Date and time", "时间"),
        "durationMinutes" => l.pick("Duration (minutes)", "时长（分钟）"),
        "outcome" => l.pick("Outcome", "结果"),
        "body" => l.pick("Notes", "记录内容"),
        "customerId" => l.pick("Customer", "客户"),
        "id" => l.pick("Id", "编号"),
        "other" => l.pick("Record to merge", "要合并的记录"),
        "inactiveDays" => l.pick("No activity for (days)", "未联系天数"),
        "labelEn" => l.pick("English label", "英文名称"),
        "labelZh" => l.pick("Chinese label", "中文名称"),
        "options" => l.pick("Option", "选项"),
        other => other,
    };
    let sub = match sub {
        Some("label") => l.pick(" label", "标签"),
        Some("street") => l.pick(" street", "街道"),
        Some("city") => l.pick(" city", "城市"),
        Some("region") => l.pick(" region", "省/州"),
        Some("postalCode") => l.pick(" postal code", "邮编"),
        Some("country") => l.pick(" country", "国家"),
        _ => "",
    };
    match index {
        Some(i) => match l {
            Locale::En => format!("{base} {}{sub}", i + 1),
            Locale::ZhCn => format!("{base} {}{sub}", i + 1),
        },
        None => base.to_string(),
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

    #[test]
    fn storage_details_never_reach_the_message() {
        let e = CoreError::Storage(rusqlite::Error::InvalidQuery);
        let app = e.to_app(Locale::En);
        assert_eq!(app.code, ErrorCode::Storage);
        assert!(!app.message.contains("Query"));
        assert_eq!(app.field, None);
    }
}
