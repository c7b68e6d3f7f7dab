//! Sales commands: adapters over `satchel.sales()` (settings, catalogue, quotes, contracts,
//! opportunities) and the printed documents (`satchel-print`). Money crosses IPC as decimal
//! strings only.

use crate::state::AppState;
use satchel_core::error::CoreError;
use satchel_core::ids::CustomerId;
use satchel_core::sales::api::{Converted, DealView, LeadConversion, QuoteTotals, ReadLines};
use satchel_core::sales::forecast::{BoardColumn, DealCard, Forecast};
use satchel_core::sales::opportunities::DealFilter;
use satchel_core::sales::products::ProductImport;
use satchel_core::sales::settings::SalesSettings;
use satchel_core::sales::*;
use satchel_core::AppError;
use serde::{Deserialize, Serialize};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn sales_settings(state: State<'_, AppState>) -> Result<SalesSettings, AppError> {
    state.call(|s| s.sales().settings())
}

#[tauri::command]
#[specta::specta]
pub async fn save_sales_settings(state: State<'_, AppState>, settings: SalesSettings) -> Result<SalesSettings, AppError> {
    state.call(|s| s.sales().save_settings(&settings))
}

/// Sets the letterhead logo from an image file sent as the raw IPC body (empty: no logo).
#[tauri::command]
pub async fn set_logo(request: tauri::ipc::Request<'_>, state: State<'_, AppState>) -> Result<SalesSettings, AppError> {
    state.call(|s| match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => s.sales().set_logo(bytes),
        tauri::ipc::InvokeBody::Json(_) => Err(CoreError::Internal("set_logo expects a binary body".into())),
    })
}

// ---- products ----

#[tauri::command]
#[specta::specta]
pub async fn list_products(state: State<'_, AppState>, query: String, include_inactive: bool) -> Result<Vec<Product>, AppError> {
    state.call(|s| s.sales().products(&query, include_inactive))
}

#[tauri::command]
#[specta::specta]
pub async fn create_product(state: State<'_, AppState>, input: ProductInput) -> Result<Product, AppError> {
    state.call(|s| s.sales().create_product(&input))
}

#[tauri::command]
#[specta::specta]
pub async fn update_product(state: State<'_, AppState>, id: ProductId, input: ProductInput) -> Result<Product, AppError> {
    state.call(|s| s.sales().update_product(&id, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_product(state: State<'_, AppState>, id: ProductId) -> Result<(), AppError> {
    state.call(|s| s.sales().delete_product(&id))
}

/// Imports a catalogue CSV sent as the raw IPC body; any bad row refuses the whole file.
#[tauri::command]
pub async fn import_products(request: tauri::ipc::Request<'_>, state: State<'_, AppState>) -> Result<ProductImport, AppError> {
    state.call(|s| match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => s.sales().import_products(bytes),
        tauri::ipc::InvokeBody::Json(_) => Err(CoreError::Internal("import_products expects a binary body".into())),
    })
}

/// Writes the catalogue as CSV in the Downloads folder.
#[tauri::command]
#[specta::specta]
pub async fn export_products(state: State<'_, AppState>) -> Result<super::transfer::ExportResult, AppError> {
    let dir = super::transfer::export_dir();
    state.call(|s| {
        let text = s.sales().export_products()?;
        let count = text.lines().count().saturating_sub(1) as u32;
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("satchel-products-{}.csv", chrono::Local::now().format("%Y-%m-%d-%H%M%S")));
        std::fs::write(&path, text)?;
        Ok(super::transfer::ExportResult { path: path.display().to_string(), count })
    })
}

// ---- quotes ----

#[tauri::command]
#[specta::specta]
pub async fn list_quotes(state: State<'_, AppState>, customer_id: Option<CustomerId>) -> Result<Vec<QuoteSummary>, AppError> {
    state.call(|s| s.sales().quotes(customer_id.as_ref(), 5000))
}

#[tauri::command]
#[specta::specta]
pub async fn get_quote(state: State<'_, AppState>, id: QuoteId) -> Result<Quote, AppError> {
    state.call(|s| s.sales().get_quote(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn create_quote(state: State<'_, AppState>, input: QuoteInput) -> Result<Quote, AppError> {
    state.call(|s| s.sales().create_quote(&input))
}

/// What a quote form adds up to before it is saved (or its problems).
#[tauri::command]
#[specta::specta]
pub async fn preview_quote(state: State<'_, AppState>, input: QuoteInput) -> Result<QuoteTotals, AppError> {
    state.call(|s| s.sales().preview_quote(&input))
}

#[tauri::command]
#[specta::specta]
pub async fn update_quote(state: State<'_, AppState>, id: QuoteId, input: QuoteInput) -> Result<Quote, AppError> {
    state.call(|s| s.sales().update_quote(&id, &input))
}

/// What a quote's status can be moved to from the quote page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum QuoteAction {
    Send,
    Accept,
    Reject,
    Revise,
}

/// Sends, accepts, rejects or revises a quote; returns the quote to show (a revision's new version).
#[tauri::command]
#[specta::specta]
pub async fn quote_action(state: State<'_, AppState>, id: QuoteId, action: QuoteAction) -> Result<Quote, AppError> {
    state.call(|s| match action {
        QuoteAction::Send => s.sales().send_quote(&id),
        QuoteAction::Accept => s.sales().accept_quote(&id),
        QuoteAction::Reject => s.sales().reject_quote(&id),
        QuoteAction::Revise => s.sales().revise_quote(&id),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn delete_quote(state: State<'_, AppState>, id: QuoteId) -> Result<(), AppError> {
    state.call(|s| s.sales().delete_quote(&id))
}

/// Lines pasted from a spreadsheet (or a CSV file's text), checked against `currency`.
#[tauri::command]
#[specta::specta]
pub async fn read_quote_lines(state: State<'_, AppState>, text: String, currency: String) -> Result<ReadLines, AppError> {
    state.call(|s| s.sales().read_lines(&text, &currency))
}

/// Lines from a CSV file sent as the raw IPC body (UTF-8 or GBK), currency in `x-currency`.
#[tauri::command]
pub async fn read_quote_lines_file(request: tauri::ipc::Request<'_>, state: State<'_, AppState>) -> Result<ReadLines, AppError> {
    let currency = super::raw_header(&request, "x-currency").unwrap_or_default();
    state.call(|s| match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => s.sales().read_lines_file(bytes, &currency),
        tauri::ipc::InvokeBody::Json(_) => Err(CoreError::Internal("read_quote_lines_file expects a binary body".into())),
    })
}

// ---- contracts ----

#[tauri::command]
#[specta::specta]
pub async fn contract_from_quote(state: State<'_, AppState>, quote_id: QuoteId) -> Result<Contract, AppError> {
    state.call(|s| s.sales().contract_from_quote(&quote_id))
}

#[tauri::command]
#[specta::specta]
pub async fn create_contract(state: State<'_, AppState>, input: ContractInput) -> Result<Contract, AppError> {
    state.call(|s| s.sales().create_contract(&input))
}

/// Saves an edited contract (dates, value, terms, the payment schedule and its reminders).
#[tauri::command]
#[specta::specta]
pub async fn update_contract(state: State<'_, AppState>, id: ContractId, input: ContractInput) -> Result<Contract, AppError> {
    state.call(|s| s.sales().update_contract(&id, &input))
}

/// Marks an instalment paid today, or not paid; answers the contract as it now is.
#[tauri::command]
#[specta::specta]
pub async fn set_instalment_paid(state: State<'_, AppState>, id: InstalmentId, paid: bool) -> Result<Contract, AppError> {
    state.call(|s| s.sales().set_instalment_paid(&id, paid))
}

#[tauri::command]
#[specta::specta]
pub async fn get_contract(state: State<'_, AppState>, id: ContractId) -> Result<Contract, AppError> {
    state.call(|s| s.sales().get_contract(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn list_contracts(state: State<'_, AppState>, customer_id: Option<CustomerId>) -> Result<Vec<ContractSummary>, AppError> {
    state.call(|s| s.sales().contracts(customer_id.as_ref(), 5000))
}

#[tauri::command]
#[specta::specta]
pub async fn set_contract_status(state: State<'_, AppState>, id: ContractId, status: ContractStatus) -> Result<Contract, AppError> {
    state.call(|s| s.sales().set_contract_status(&id, status))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_contract(state: State<'_, AppState>, id: ContractId) -> Result<(), AppError> {
    state.call(|s| s.sales().delete_contract(&id))
}

// ---- opportunities ----

#[tauri::command]
#[specta::specta]
pub async fn sales_board(state: State<'_, AppState>, filter: DealFilter, per_column: u32) -> Result<Vec<BoardColumn>, AppError> {
    state.call(|s| s.sales().board(&filter, per_column))
}

#[tauri::command]
#[specta::specta]
pub async fn list_deals(state: State<'_, AppState>, filter: DealFilter, limit: u32) -> Result<Vec<DealCard>, AppError> {
    state.call(|s| s.sales().deals(&filter, limit))
}

/// Deals, quotes and contracts matching the global search's text.
#[tauri::command]
#[specta::specta]
pub async fn sales_search(
    state: State<'_, AppState>,
    text: String,
    limit: u32,
) -> Result<Vec<satchel_core::sales::api::SalesHit>, AppError> {
    state.call(|s| s.sales().search(&text, limit))
}

#[tauri::command]
#[specta::specta]
pub async fn deal_views(state: State<'_, AppState>) -> Result<Vec<DealView>, AppError> {
    state.call(|s| s.sales().deal_views())
}

#[tauri::command]
#[specta::specta]
pub async fn save_deal_view(state: State<'_, AppState>, name: String, filter: DealFilter) -> Result<DealView, AppError> {
    state.call(|s| s.sales().save_deal_view(&name, &filter))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_deal_view(state: State<'_, AppState>, id: satchel_core::ids::SegmentId) -> Result<(), AppError> {
    state.call(|s| s.sales().delete_deal_view(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn sales_forecast(state: State<'_, AppState>, filter: DealFilter) -> Result<Forecast, AppError> {
    state.call(|s| s.sales().forecast(&filter))
}

#[tauri::command]
#[specta::specta]
pub async fn get_opportunity(state: State<'_, AppState>, id: OpportunityId) -> Result<Opportunity, AppError> {
    state.call(|s| s.sales().get_opportunity(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn create_opportunity(state: State<'_, AppState>, input: OpportunityInput) -> Result<Opportunity, AppError> {
    state.call(|s| s.sales().create_opportunity(&input))
}

#[tauri::command]
#[specta::specta]
pub async fn update_opportunity(state: State<'_, AppState>, id: OpportunityId, input: OpportunityInput) -> Result<Opportunity, AppError> {
    state.call(|s| s.sales().update_opportunity(&id, &input))
}

/// A drag on the board (`lost` needs one of the team's reasons).
#[tauri::command]
#[specta::specta]
pub async fn move_opportunity(
    state: State<'_, AppState>,
    id: OpportunityId,
    stage: String,
    lost_reason: String,
) -> Result<Opportunity, AppError> {
    state.call(|s| s.sales().move_opportunity(&id, &stage, &lost_reason))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_opportunity(state: State<'_, AppState>, id: OpportunityId) -> Result<(), AppError> {
    state.call(|s| s.sales().delete_opportunity(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn convert_lead(state: State<'_, AppState>, conversion: LeadConversion) -> Result<Converted, AppError> {
    state.call(|s| s.sales().convert_lead(&conversion))
}

// ---- printed documents ----

/// Which printed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Quote,
    Contract,
}

/// The PDF of a quote or contract and the file name it is saved under (`Q-2026-0042.pdf`,
/// `Q-2026-0042-v2.pdf`).
fn render(s: &satchel_core::Satchel, kind: DocumentKind, id: &str) -> satchel_core::error::Result<(Vec<u8>, String)> {
    match kind {
        DocumentKind::Quote => {
            let q = s.sales().get_quote(&QuoteId(id.to_string()))?;
            let name = if q.version > 1 { format!("{}-v{}.pdf", q.number, q.version_label) } else { format!("{}.pdf", q.number) };
            Ok((satchel_print::sales::quote_pdf(s, &q)?, name))
        }
        DocumentKind::Contract => {
            let k = s.sales().get_contract(&ContractId(id.to_string()))?;
            Ok((satchel_print::sales::contract_pdf(s, &k)?, format!("{}.pdf", k.number)))
        }
    }
}

/// A file name made safe for any file system (a number may hold a `/` a prefix put there).
fn file_name(name: &str) -> String {
    name.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect()
}

/// The PDF's bytes as the raw IPC answer, for the preview (pdf.js draws it in the window).
/// Outside tauri-specta: the UI calls it through `ui/src/sales/api.ts`.
#[tauri::command]
pub async fn document_pdf(state: State<'_, AppState>, kind: DocumentKind, id: String) -> Result<tauri::ipc::Response, AppError> {
    let app = state.satchel()?;
    tauri::async_runtime::spawn_blocking(move || {
        render(&app, kind, &id).map(|(b, _)| tauri::ipc::Response::new(b)).map_err(|e| app.app_error(&e))
    })
    .await
    .map_err(|e| state.internal(&format!("pdf: {e}")))?
}

/// Saves the PDF in the Downloads folder (never over an earlier file); returns its path.
#[tauri::command]
#[specta::specta]
pub async fn save_document_pdf(
    state: State<'_, AppState>,
    kind: DocumentKind,
    id: String,
) -> Result<super::transfer::ExportResult, AppError> {
    let app = state.satchel()?;
    let dir = super::transfer::export_dir();
    tauri::async_runtime::spawn_blocking(move || {
        let run = || -> satchel_core::error::Result<super::transfer::ExportResult> {
            let (bytes, name) = render(&app, kind, &id)?;
            std::fs::create_dir_all(&dir)?;
            let name = file_name(&name);
            let mut path = dir.join(&name);
            let mut n = 1;
            while path.exists() {
                n += 1;
                path = dir.join(name.replacen(".pdf", &format!(" ({n}).pdf"), 1));
            }
            std::fs::write(&path, bytes)?;
            Ok(super::transfer::ExportResult { path: path.display().to_string(), count: 1 })
        };
        run().map_err(|e| app.app_error(&e))
    })
    .await
    .map_err(|e| state.internal(&format!("pdf: {e}")))?
}

/// Opens the PDF in the system's viewer, or with `print` sends it to the default printer
/// (`lp`, CUPS), falling back to the viewer (whose print dialog prints) where there is no `lp`.
/// `SATCHEL_OPENER` and `SATCHEL_PRINTER` name other programs (the end-to-end test's recorders).
#[tauri::command]
#[specta::specta]
pub async fn open_document_pdf(state: State<'_, AppState>, kind: DocumentKind, id: String, print: bool) -> Result<(), AppError> {
    let app = state.satchel()?;
    tauri::async_runtime::spawn_blocking(move || {
        let run = || -> satchel_core::error::Result<()> {
            let (bytes, name) = render(&app, kind, &id)?;
            let dir = std::env::temp_dir().join(format!("satchel-print-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(file_name(&name));
            std::fs::write(&path, bytes)?;
            let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
            let opener = env("SATCHEL_OPENER").unwrap_or_else(|| if cfg!(target_os = "macos") { "open".into() } else { "xdg-open".into() });
            let program = if print { env("SATCHEL_PRINTER").unwrap_or_else(|| "lp".into()) } else { opener.clone() };
            match std::process::Command::new(&program).arg(&path).spawn() {
                Ok(_) => Ok(()),
                Err(e) if print && e.kind() == std::io::ErrorKind::NotFound => {
                    log::info!("print: no {program} here; opening {} in the viewer to print from there", path.display());
                    std::process::Command::new(opener).arg(&path).spawn().map(|_| ()).map_err(CoreError::Io)
                }
                Err(e) => Err(CoreError::Io(e)),
            }
        };
        run().map_err(|e| app.app_error(&e))
    })
    .await
    .map_err(|e| state.internal(&format!("pdf: {e}")))?
}
