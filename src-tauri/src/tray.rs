//! The system tray icon, so Satchel can keep running (and reminders keep firing) with its window
//! closed: "Show Satchel" brings the window back, "Quit Satchel" ends the app. On Linux the icon
//! goes through libayatana-appindicator3 (loaded at run time); without it, or without a tray on
//! the desktop, there is no icon and closing the window quits as before.
//!
//! "A tray on the desktop" on Linux means a StatusNotifier host (KDE, XFCE, Cinnamon, MATE, GNOME
//! with the AppIndicator extension): without one the library falls back to an old-style icon
//! that GNOME and most Wayland desktops never show, and a hidden window could not be brought back.

use satchel_core::i18n::Locale;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Runtime};

const SHOW: &str = "show";
const QUIT: &str = "quit";

/// Whether the desktop shows tray icons (on Linux: a StatusNotifier host is on the session bus).
pub fn host_present() -> bool {
    #[cfg(target_os = "linux")]
    {
        let asked = tauri::async_runtime::block_on(async {
            let conn = zbus::Connection::session().await?;
            let bus = zbus::fdo::DBusProxy::new(&conn).await?;
            let name = zbus::names::BusName::try_from("org.kde.StatusNotifierWatcher")?;
            bus.name_has_owner(name).await.map_err(zbus::Error::from)
        });
        match asked {
            Ok(present) => present,
            Err(e) => {
                log::info!("no session bus to look for a tray on: {e}");
                false
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

/// Puts the icon in the tray; whether it is there for the user to come back from.
pub fn build<R: Runtime>(handle: &AppHandle<R>, locale: Locale) -> bool {
    if !host_present() {
        log::info!("the desktop shows no tray icons: closing the window quits Satchel");
        return false;
    }
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
