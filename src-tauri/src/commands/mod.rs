//! Every command the UI can call, one module per domain area. Each is a thin adapter: take the
//! state, call the core, map the error. `specta_builder` lists them all, for the invoke handler
//! and for the generated TypeScript bindings.

pub mod app;
pub mod backup;
pub mod calendar;
pub mod customers;
pub mod records;
pub mod reminders;
pub mod sales;
pub mod search;
pub mod service;
pub mod sync;
pub mod transfer;

use tauri::{Manager, Runtime};
use tauri_specta::{collect_commands, collect_events, Builder};

/// Puts each area's own state in Tauri's state (one line per area), before any command runs.
pub fn manage<R: Runtime, M: Manager<R>>(m: &M) {
    m.manage(transfer::ImportSession::default());
    m.manage(sync::SyncState::default());
    m.manage(backup::Restart::new(m.app_handle().clone()));
    m.manage(reminders::ReminderState::new(m.app_handle().clone()));
}

/// Starts each area's background work once the window exists (one line per area).
pub fn start<R: Runtime>(handle: &tauri::AppHandle<R>) {
    app::start(handle);
    sync::start(handle);
    backup::start(handle);
    reminders::start(handle);
}

pub fn specta_builder<R: Runtime>() -> Builder<R> {
    // One TypeScript type per Rust type: the UI sends back what it received (a Customer becomes
    // a CustomerInput), so split serialize/deserialize shapes would only add casts.
    // tauri-specta takes every command in one list (its macro cannot join lists): each area's
    // commands stay together, in its own block.
    Builder::<R>::new()
        .disable_serde_phases()
        .commands(collect_commands![
            app::app_info,
            app::set_locale,
            customers::list_customers,
            customers::search_customers,
            search::search_everything,
            customers::customer_facets,
            customers::customer_index_mode,
            customers::possible_duplicates,
            customers::duplicate_pairs,
            customers::get_customer,
            customers::create_customer,
            customers::update_customer,
            customers::delete_customer,
            customers::restore_customer,
            customers::customer_history,
            customers::log_activity,
            customers::update_activity,
            customers::delete_activity,
            customers::restore_activity,
            customers::customer_timeline,
            customers::merge_customers,
            customers::undo_merge,
            customers::custom_fields,
            customers::create_custom_field,
            customers::update_custom_field,
            customers::custom_field_usage,
            customers::remove_custom_field,
            customers::restore_custom_field,
            customers::segments,
            customers::create_segment,
            customers::update_segment,
            customers::delete_segment,
            customers::restore_segment,
            calendar::calendar_page,
            calendar::calendar_people,
            calendar::get_event,
            calendar::create_event,
            calendar::update_event,
            calendar::move_occurrence,
            calendar::delete_event,
            calendar::restore_event,
            calendar::check_event,
            service::service_settings,
            service::set_service_hours,
            service::set_service_day,
            service::clear_service_day,
            service::set_sla,
            service::set_escalation,
            service::ticket_queue,
            service::get_ticket,
            service::create_ticket,
            service::update_ticket,
            service::move_ticket,
            service::assign_tickets,
            service::move_tickets,
            service::ticket_comments,
            service::add_ticket_comment,
            service::ticket_assignees,
            service::ticket_views,
            service::save_ticket_view,
            service::delete_ticket_view,
            service::search_articles,
            service::suggest_articles,
            service::get_article,
            service::create_article,
            service::update_article,
            service::link_article,
            service::ticket_articles,
            service::article_from_ticket,
            calendar::log_event_as_activity,
            calendar::customer_calendar,
            calendar::deal_calendar,
            calendar::list_tasks,
            calendar::get_task,
            calendar::create_task,
            calendar::update_task,
            calendar::set_task_done,
            calendar::delete_task,
            calendar::export_ics,
            transfer::import_reopen,
            transfer::import_check,
            transfer::import_commit,
            transfer::import_cancel,
            transfer::export_customers,
            customers::restore_lost_value,
            records::record_attachments,
            records::record_history,
            records::record_custom_fields,
            records::create_record_custom_field,
            records::open_attachment,
            records::delete_attachment,
            records::restore_attachment,
            sync::sync_status,
            sync::sync_connect,
            sync::sync_disconnect,
            sync::sync_now,
            sync::sync_problems,
            sync::sync_fetch_ahead,
            sync::set_sync_fetch_ahead,
            backup::list_backups,
            backup::backup_now,
            backup::set_backup_keep_days,
            backup::restore_backup,
            backup::encrypt_book,
            reminders::default_reminders,
            reminders::set_default_reminders,
            reminders::due_reminders,
            reminders::dismiss_reminder,
            reminders::snooze_reminder,
            reminders::follow_up,
            reminders::reminder_settings,
            reminders::set_close_to_tray,
            reminders::set_start_at_login,
            sales::sales_settings,
            sales::save_sales_settings,
            sales::list_products,
            sales::create_product,
            sales::update_product,
            sales::delete_product,
            sales::export_products,
            sales::list_quotes,
            sales::get_quote,
            sales::create_quote,
            sales::preview_quote,
            sales::update_quote,
            sales::quote_action,
            sales::delete_quote,
            sales::read_quote_lines,
            sales::contract_from_quote,
            sales::create_contract,
            sales::update_contract,
            sales::set_instalment_paid,
            sales::get_contract,
            sales::list_contracts,
            sales::set_contract_status,
            sales::delete_contract,
            sales::sales_board,
            sales::list_deals,
            sales::sales_forecast,
            sales::sales_search,
            sales::deal_views,
            sales::save_deal_view,
            sales::delete_deal_view,
            sales::get_opportunity,
            sales::create_opportunity,
            sales::update_opportunity,
            sales::move_opportunity,
            sales::delete_opportunity,
            sales::convert_lead,
            sales::save_document_pdf,
            sales::open_document_pdf,
        ])
        // The raw-body commands' answers, so the UI still has their types from Rust.
        .typ::<satchel_core::calendar::ics::IcsImported>()
        .typ::<satchel_core::sales::products::ProductImport>()
        .typ::<satchel_core::sales::api::ReadLines>()
        .typ::<service::HolidayImport>()
        .events(collect_events![sync::SyncStatusChanged, app::RecordsChanged, reminders::ReminderOpened, reminders::RemindersChanged])
}

/// A header of a raw-body request, percent-decoded (headers are ASCII; file names may be Chinese).
pub fn raw_header(request: &tauri::ipc::Request<'_>, name: &str) -> Option<String> {
    let value = request.headers().get(name)?.to_str().ok()?;
    Some(percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned())
}

/// The commands that take a raw binary body (or answer with one), outside tauri-specta.
pub const RAW_COMMANDS: &[&str] = &[
    "import_open_bytes",
    "attach_file",
    "import_ics",
    "set_logo",
    "import_products",
    "read_quote_lines_file",
    "document_pdf",
    "import_holidays",
];

/// The invoke handler: every tauri-specta command, plus the ones that take a raw binary body
/// (`import_open_bytes`, `attach_file`), which tauri-specta cannot describe.
pub fn invoke_handler<R: Runtime>(builder: &Builder<R>) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    // Boxed: tauri-specta's handler type names the builder's borrow, though it outlives it.
    let typed: Box<dyn Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync> = Box::new(builder.invoke_handler());
    fn for_runtime<R: Runtime, F: Fn(tauri::ipc::Invoke<R>) -> bool>(f: F) -> F {
        f
    }
    let raw = for_runtime::<R, _>(tauri::generate_handler![
        transfer::import_open_bytes,
        records::attach_file,
        calendar::import_ics,
        sales::set_logo,
        sales::import_products,
        sales::read_quote_lines_file,
        sales::document_pdf,
        service::import_holidays,
    ]);
    move |invoke| {
        if RAW_COMMANDS.contains(&invoke.message.command()) {
            raw(invoke)
        } else {
            typed(invoke)
        }
    }
}

/// The TypeScript the UI imports, exactly as `ui/src/bindings.ts` must contain it.
pub fn typescript_bindings() -> String {
    let dir = std::env::temp_dir().join(format!("satchel-bindings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("bindings.ts");
    specta_builder::<tauri::Wry>()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated from the Rust command signatures by tauri-specta. Do not edit: run `make bindings`.\n"),
            &file,
        )
        .expect("bindings export");
    let text = std::fs::read_to_string(&file).expect("read bindings");
    let _ = std::fs::remove_dir_all(&dir);
    text
}
