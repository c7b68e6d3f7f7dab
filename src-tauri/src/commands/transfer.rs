//! Import and export of customers: adapters over `satchel_core::customers::transfer`.
//!
//! The file travels as raw bytes: the web UI reads the file the user picked and sends its bytes
//! in one binary IPC request (`import_open_bytes`, outside tauri-specta, which cannot describe a
//! raw body; its result type is still generated). The bytes stay here, in [`ImportSession`],
//! while the user maps columns, checks and confirms, so nothing large crosses IPC twice.

use crate::state::AppState;
use satchel_core::customers::transfer::csv::ColumnMap;
use satchel_core::customers::transfer::{
    ExportFormat, FileFormat, ImportCheck, ImportFile, ImportPlan, ImportPreview, ImportSummary, TextEncoding,
};
use satchel_core::customers::ListQuery;
use satchel_core::error::CoreError;
use satchel_core::AppError;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tauri::ipc::{Channel, InvokeBody, Request};
use tauri::State;

/// The import in progress: the file, the checked plan, and the flag that cancels its commit.
#[derive(Default)]
pub struct ImportSession {
    file: Mutex<Option<Arc<ImportFile>>>,
    plan: Mutex<Option<Arc<ImportPlan>>>,
    cancel: Arc<AtomicBool>,
}

impl ImportSession {
    fn file(&self) -> Result<Arc<ImportFile>, CoreError> {
        self.file.lock().unwrap_or_else(|p| p.into_inner()).clone().ok_or(CoreError::Internal("no file opened for import".into()))
    }
    fn set_file(&self, f: ImportFile) {
        *self.file.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(f));
        *self.plan.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// Opens a file for import from its bytes (the request body). Headers: `x-file-name` (percent-
/// encoded, for the format guess and the dialog's title) and optionally `x-encoding`.
/// Registered beside the tauri-specta commands; the UI calls it through `ui/src/customers/importApi.ts`.
#[tauri::command]
pub async fn import_open_bytes(
    request: Request<'_>,
    state: State<'_, AppState>,
    import: State<'_, ImportSession>,
) -> Result<ImportPreview, AppError> {
    let header = |name: &str| super::raw_header(&request, name);
    let name = header("x-file-name").unwrap_or_default();
    let encoding = header("x-encoding").and_then(|e| TextEncoding::parse(&e));
    let bytes = match request.body() {
        InvokeBody::Raw(bytes) => bytes.clone(),
        InvokeBody::Json(_) => return state.call(|_| Err(CoreError::Internal("import_open_bytes expects a binary body".into()))),
    };
    state.call(|s| {
        let file = ImportFile::from_bytes(name, bytes, encoding, None, s.locale())?;
        let preview = s.customers().import_preview(&file)?;
        import.set_file(file);
        Ok(preview)
    })
}

/// Reads the opened file again with another encoding or format (the user's override).
#[tauri::command]
#[specta::specta]
pub async fn import_reopen(
    state: State<'_, AppState>,
    import: State<'_, ImportSession>,
    encoding: Option<TextEncoding>,
    format: Option<FileFormat>,
) -> Result<ImportPreview, AppError> {
    state.call(|s| {
        let old = import.file()?;
        let file = match format.filter(|f| *f != old.format) {
            Some(f) => ImportFile::from_bytes(old.name.clone(), old.bytes().to_vec(), encoding, Some(f), s.locale())?,
            None => old.reopen(encoding, s.locale())?,
        };
        let preview = s.customers().import_preview(&file)?;
        import.set_file(file);
        Ok(preview)
    })
}

/// Validates every row under the mapping (CSV; `null` for vCard): counts and refused rows. Writes
/// nothing; the plan is kept for `import_commit`.
#[tauri::command]
#[specta::specta]
pub async fn import_check(
    state: State<'_, AppState>,
    import: State<'_, ImportSession>,
    mapping: Option<Vec<ColumnMap>>,
) -> Result<ImportCheck, AppError> {
    let (app, file) = (state.satchel()?, state.call(|_| import.file())?);
    let plan = tauri::async_runtime::spawn_blocking(move || {
        app.customers().import_check(&file, mapping.as_deref()).map_err(|e| app.app_error(&e))
    })
    .await
    .map_err(|e| state.internal(&format!("import check: {e}")))??;
    let check = plan.check();
    *import.plan.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(plan));
    Ok(check)
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

/// Writes the checked import in one transaction, reporting progress; `import_cancel` stops it
/// and leaves the database as it was.
#[tauri::command]
#[specta::specta]
pub async fn import_commit(
    state: State<'_, AppState>,
    import: State<'_, ImportSession>,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportSummary, AppError> {
    let app = state.satchel()?;
    let plan = import.plan.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let plan = state.call(|_| plan.ok_or(CoreError::Internal("import_commit before import_check".into())))?;
    let cancel = import.cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    let summary = tauri::async_runtime::spawn_blocking(move || {
        app.customers()
            .import_commit(&plan, &cancel, &mut |done, total| {
                let _ = on_progress.send(ImportProgress { done, total });
            })
            .map_err(|e| app.app_error(&e))
    })
    .await
    .map_err(|e| state.internal(&format!("import commit: {e}")))??;
    // The import grew the write-ahead log; copying it back into the database can wait until the
    // user is looking at the result (the next save would otherwise pay for it).
    if let Ok(app) = state.satchel() {
        tauri::async_runtime::spawn_blocking(move || {
            if let Err(e) = app.checkpoint() {
                log::warn!("checkpoint after import: {e}");
            }
        });
    }
    *import.file.lock().unwrap_or_else(|p| p.into_inner()) = None;
    *import.plan.lock().unwrap_or_else(|p| p.into_inner()) = None;
    Ok(summary)
}

#[tauri::command]
#[specta::specta]
pub async fn import_cancel(import: State<'_, ImportSession>) -> Result<(), AppError> {
    import.cancel.store(true, Ordering::Relaxed);
    Ok(())
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExportResult {
    /// Where the file was written (the user's Downloads folder).
    pub path: String,
    pub count: u32,
}

/// The folder exports go to: the desktop's Downloads folder (XDG user dirs), else ~/Downloads.
pub fn export_dir() -> PathBuf {
    dirs::download_dir().or_else(|| dirs::home_dir().map(|h| h.join("Downloads"))).unwrap_or_else(std::env::temp_dir)
}

/// Exports the customers of a list view (its filters and order) to a new file in Downloads.
#[tauri::command]
#[specta::specta]
pub async fn export_customers(state: State<'_, AppState>, query: ListQuery, format: ExportFormat) -> Result<ExportResult, AppError> {
    let app = state.satchel()?;
    let dir = export_dir();
    tauri::async_runtime::spawn_blocking(move || {
        let run = || -> Result<ExportResult, CoreError> {
            let (bytes, count) = app.customers().export(&query, format)?;
            std::fs::create_dir_all(&dir)?;
            let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
            let mut path = dir.join(format!("satchel-customers-{stamp}.{}", format.extension()));
            let mut n = 2;
            while path.exists() {
                path = dir.join(format!("satchel-customers-{stamp}-{n}.{}", format.extension()));
                n += 1;
            }
            std::fs::write(&path, bytes)?;
            Ok(ExportResult { path: path.display().to_string(), count })
        };
        run().map_err(|e| app.app_error(&e))
    })
    .await
    .map_err(|e| state.internal(&format!("export: {e}")))?
}
