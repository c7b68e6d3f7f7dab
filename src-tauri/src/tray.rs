//! The system tray icon, so Satchel can keep running (and reminders keep firing) with its window
//! closed: "Show Satchel" brings the window back, "Quit Satchel" ends the app. On Linux the icon
//! goes through libayatana-appindicator3 (loaded at run time); without it, or without a tray on
//! the desktop, there is no icon and closing the window quits as before.

use satchel_core::i18n::Locale;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Runtime};

const SHOW: &str = "show";
const QUIT: &str = "quit";

/// Puts the icon in the tray; whether it is there.
pub fn build<R: Runtime>(handle: &AppHandle<R>, locale: Locale) -> bool {
    // A missing appindicator library panics inside tray-icon rather than failing: caught here.
    let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> tauri::Result<()> {
        let show = MenuItem::with_id(handle, SHOW, locale.text("reminders.trayShow", &[]), true, None::<&str>)?;
        let quit = MenuItem::with_id(handle, QUIT, locale.text("reminders.trayQuit", &[]), true, None::<&str>)?;
        let menu = Menu::with_items(handle, &[&show, &quit])?;
        let mut tray = TrayIconBuilder::with_id("satchel")
            .menu(&menu)
            .tooltip(locale.text("reminders.trayTooltip", &[]))
            .show_menu_on_left_click(false)
            .on_menu_event(|app, event| match event.id().as_ref() {
                SHOW => crate::commands::reminders::show_window(app),
                QUIT => app.exit(0),
                _ => {}
            })
            .on_tray_icon_event(|tray, event| {
                if let TrayIconEvent::Click { button: MouseButton::Left, button_state: MouseButtonState::Up, .. } = event {
                    crate::commands::reminders::show_window(tray.app_handle());
                }
            });
        if let Some(icon) = handle.default_window_icon() {
            tray = tray.icon(icon.clone());
        }
        tray.build(handle)?;
        Ok(())
    }));
    match made {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            log::warn!("no tray icon ({e}): closing the window quits Satchel");
            false
        }
        Err(_) => {
            log::warn!("no tray icon (no appindicator library): closing the window quits Satchel");
            false
        }
    }
}
