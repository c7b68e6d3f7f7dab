//! Where the main window opens, and remembering it between runs.
//!
//! A laptop with a 768-pixel-high screen has less than 768 pixels for a window once the panel and
//! the title bar are taken; a window opened at the configured 1280x800 would hide the sidebar's
//! bottom (Settings, the sync status) below the screen. So the window starts hidden, [`place`]
//! decides its size and position from the monitors' work areas and what was saved last time, and
//! only then is it shown. Moves and resizes are saved (a moment after the last one) to
//! `window.json` in the per-user config folder: a window belongs to the person, not to a database.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;
use tauri::{Manager, PhysicalPosition, PhysicalSize, WebviewWindow, WindowEvent};

/// The size a first run asks for, in logical pixels (the configured one).
pub const DEFAULT: (f64, f64) = (1280.0, 800.0);
/// The smallest the layout works at, in logical pixels (`minWidth`/`minHeight` of the config).
pub const MIN: (f64, f64) = (900.0, 560.0);
/// Room left for the window manager's title bar when sizing a window to fit a work area, in
/// logical pixels: the size set is the inside of the window.
pub const FRAME: f64 = 40.0;

/// A rectangle in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    fn center(&self) -> (i32, i32) {
        (self.x + self.width as i32 / 2, self.y + self.height as i32 / 2)
    }

    /// How many pixels two rectangles share.
    fn overlap(&self, o: &Rect) -> i64 {
        let w = (self.x + self.width as i32).min(o.x + o.width as i32) - self.x.max(o.x);
        let h = (self.y + self.height as i32).min(o.y + o.height as i32) - self.y.max(o.y);
        if w > 0 && h > 0 {
            w as i64 * h as i64
        } else {
            0
        }
    }
}

/// A monitor as placement needs it: the part windows may use, and its scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Screen {
    pub work_area: Rect,
    pub scale: f64,
}

/// What is remembered: the window's place when not maximised (outer position, inner size), and
/// whether it was maximised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub rect: Rect,
    pub maximized: bool,
    /// The title bar's height as the window manager drew it (outer less inner height), so a
    /// restored window is fitted with the real one rather than a guess.
    #[serde(default)]
    pub frame: Option<u32>,
}

/// Where the window opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub rect: Rect,
    pub maximized: bool,
    /// The smallest size the user may drag it to: the layout's minimum, or the screen when smaller.
    pub min: (u32, u32),
}

/// Decides where the window opens. The saved place wins when it still lies partly on a monitor
/// (a second screen may be gone); it is then shrunk and moved as needed to lie inside the work
/// area of the monitor it overlaps most. Otherwise the default size, no larger than the primary monitor's work
/// area, centred on it.
pub fn place(saved: Option<&Saved>, screens: &[Screen], primary: usize) -> Option<Placement> {
    let on = |s: &Saved| screens.iter().filter(|m| m.work_area.overlap(&s.rect) > 0).max_by_key(|m| m.work_area.overlap(&s.rect));
    let (screen, wanted, maximized, frame) = match saved.and_then(|s| on(s).map(|m| (m, s))) {
        Some((m, s)) => (m, s.rect, s.maximized, s.frame),
        None => {
            let m = screens.get(primary).or(screens.first())?;
            let (w, h) = ((DEFAULT.0 * m.scale).round() as u32, (DEFAULT.1 * m.scale).round() as u32);
            let area = m.work_area;
            let rect = Rect { x: area.center().0 - w as i32 / 2, y: area.center().1 - h as i32 / 2, width: w, height: h };
            (m, rect, false, None)
        }
    };
    let area = screen.work_area;
    let frame = frame.unwrap_or((FRAME * screen.scale).round() as u32);
    let width = wanted.width.min(area.width).max(1);
    let height = wanted.height.min(area.height.saturating_sub(frame)).max(1);
    // Inside the work area: pulled back from the right and bottom edges, then from the top left.
    let x = wanted.x.min(area.x + (area.width - width) as i32).max(area.x);
    let y = wanted.y.min(area.y + (area.height - height - frame.min(area.height - height)) as i32).max(area.y);
    let min = ((MIN.0 * screen.scale).round() as u32, (MIN.1 * screen.scale).round() as u32);
    Some(Placement { rect: Rect { x, y, width, height }, maximized, min: (min.0.min(width), min.1.min(height)) })
}

fn state_file(app: &tauri::AppHandle) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|d| d.join("window.json"))
}

fn load(path: &Path) -> Option<Saved> {
    // A file from a crash or an older build that does not parse is ignored: the default place.
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

fn save(path: &Path, saved: &Saved) {
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec(saved).unwrap_or_default())?;
        std::fs::rename(tmp, path)
    };
    if let Err(e) = write() {
        log::warn!("could not remember the window's place in {}: {e}", path.display());
    }
}

/// Places and shows the main window (unless `show` is false: started at login into the tray),
/// then remembers where the user puts it.
pub fn open(window: &WebviewWindow, show: bool) {
    let file = state_file(window.app_handle());
    let saved = file.as_deref().and_then(load);
    let screens: Vec<Screen> = window
        .available_monitors()
        .unwrap_or_default()
        .iter()
        .map(|m| {
            let a = m.work_area();
            Screen {
                work_area: Rect { x: a.position.x, y: a.position.y, width: a.size.width, height: a.size.height },
                scale: m.scale_factor(),
            }
        })
        .collect();
    let primary = window
        .primary_monitor()
        .ok()
        .flatten()
        .and_then(|p| screens.iter().position(|s| s.work_area.x == p.work_area().position.x && s.work_area.y == p.work_area().position.y))
        .unwrap_or(0);
    if let Some(p) = place(saved.as_ref(), &screens, primary) {
        log::info!("window at {:?} on screens {:?}", p, screens);
        let _ = window.set_min_size(Some(PhysicalSize::new(p.min.0, p.min.1)));
        let _ = window.set_size(PhysicalSize::new(p.rect.width, p.rect.height));
        let _ = window.set_position(PhysicalPosition::new(p.rect.x, p.rect.y));
        if p.maximized {
            let _ = window.maximize();
        }
    }
    // Shown whatever happened above: a window that never shows is worse than one misplaced.
    if show {
        let _ = window.show();
    }
    if let Some(file) = file {
        remember(window, file, saved);
    }
}

/// Saves the window's place a moment after it last moved or changed size (a drag sends many
/// events), and at once when it closes.
fn remember(window: &WebviewWindow, file: PathBuf, saved: Option<Saved>) {
    let (tx, rx) = mpsc::channel::<Option<Saved>>();
    std::thread::spawn(move || {
        let mut last = saved;
        let mut pending: Option<Saved> = None;
        loop {
            match rx.recv_timeout(Duration::from_millis(300)) {
                Ok(Some(s)) => pending = Some(s),
                // Closing: write what is pending now.
                Ok(None) => {
                    if let Some(s) = pending.take().filter(|s| Some(*s) != last) {
                        save(&file, &s);
                    }
                    last = None;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Some(s) = pending.take().filter(|s| Some(*s) != last) {
                        save(&file, &s);
                        last = Some(s);
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
    });
    let w = window.clone();
    let restored = std::sync::Mutex::new(saved.map(|s| s.rect));
    window.on_window_event(move |event| match event {
        WindowEvent::Moved(_) | WindowEvent::Resized(_) => {
            let maximized = w.is_maximized().unwrap_or(false);
            let mut restored = restored.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            // While maximised the place to return to stays the one from before.
            if !maximized && !w.is_minimized().unwrap_or(false) {
                if let (Ok(pos), Ok(size)) = (w.outer_position(), w.inner_size()) {
                    *restored = Some(Rect { x: pos.x, y: pos.y, width: size.width, height: size.height });
                }
            }
            let frame = match (w.outer_size(), w.inner_size()) {
                (Ok(outer), Ok(inner)) => Some(outer.height.saturating_sub(inner.height)),
                _ => None,
            };
            if let Some(rect) = *restored {
                let _ = tx.send(Some(Saved { rect, maximized, frame }));
            }
        }
        WindowEvent::CloseRequested { .. } | WindowEvent::Destroyed => {
            let _ = tx.send(None);
        }
        _ => {}
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(x: i32, y: i32, width: u32, height: u32, scale: f64) -> Screen {
        Screen { work_area: Rect { x, y, width, height }, scale }
    }

    fn rect(x: i32, y: i32, width: u32, height: u32) -> Rect {
        Rect { x, y, width, height }
    }

    fn saved(x: i32, y: i32, width: u32, height: u32, maximized: bool) -> Saved {
        Saved { rect: rect(x, y, width, height), maximized, frame: None }
    }

    #[test]
    fn placements() {
        let full_hd = screen(0, 0, 1920, 1040, 1.0); // a 1080-line screen less a 40-pixel panel
        let laptop = screen(0, 0, 1366, 728, 1.0);
        let netbook = screen(0, 0, 1024, 600, 1.0);
        let hidpi = screen(0, 0, 2880, 1760, 2.0);
        let right = screen(1920, 0, 1280, 1024, 1.0);
        let cases: Vec<(&str, Option<Saved>, Vec<Screen>, Rect, bool)> = vec![
            ("first run on a big screen: the default size, centred", None, vec![full_hd], rect(320, 120, 1280, 800), false),
            ("first run on a 1366x768 laptop: no taller than its work area", None, vec![laptop], rect(43, 0, 1280, 688), false),
            (
                "first run on a 1024x600 netbook: the whole width, the height less a title bar",
                None,
                vec![netbook],
                rect(0, 0, 1024, 560),
                false,
            ),
            ("first run at 2x: the default in logical pixels", None, vec![hidpi], rect(160, 80, 2560, 1600), false),
            ("a saved place on screen is kept", Some(saved(100, 50, 1000, 700, false)), vec![full_hd], rect(100, 50, 1000, 700), false),
            (
                "maximised is kept, with the place to return to",
                Some(saved(100, 50, 1000, 700, true)),
                vec![full_hd],
                rect(100, 50, 1000, 700),
                true,
            ),
            (
                "a saved place on a second screen",
                Some(saved(2000, 100, 1100, 800, false)),
                vec![full_hd, right],
                rect(2000, 100, 1100, 800),
                false,
            ),
            (
                "the second screen is gone: the default on the primary",
                Some(saved(2000, 100, 1100, 800, true)),
                vec![laptop],
                rect(43, 0, 1280, 688),
                false,
            ),
            (
                "saved on a bigger screen, now a laptop's: shrunk and pulled inside",
                Some(saved(500, 300, 1600, 900, false)),
                vec![laptop],
                rect(0, 0, 1366, 688),
                false,
            ),
            (
                "hanging off the bottom right: moved back in",
                Some(saved(900, 500, 800, 600, false)),
                vec![laptop],
                rect(566, 88, 800, 600),
                false,
            ),
            (
                "the title bar measured when saved is the one allowed for",
                Some(Saved { frame: Some(0), ..saved(40, 20, 940, 570, false) }),
                vec![netbook],
                rect(40, 20, 940, 570),
                false,
            ),
            (
                "a taller title bar than the guess",
                Some(Saved { frame: Some(60), ..saved(0, 0, 1024, 600, false) }),
                vec![netbook],
                rect(0, 0, 1024, 540),
                false,
            ),
        ];
        for (what, saved, screens, want, maximized) in cases {
            let p = place(saved.as_ref(), &screens, 0).expect(what);
            assert_eq!((p.rect, p.maximized), (want, maximized), "{what}");
            let area = screens.iter().find(|s| s.work_area.overlap(&p.rect) > 0).expect(what).work_area;
            assert!(p.rect.x + p.rect.width as i32 <= area.x + area.width as i32, "{what}: inside on the right");
            assert!(p.rect.y + p.rect.height as i32 <= area.y + area.height as i32, "{what}: inside at the bottom");
        }
        assert_eq!(place(None, &[], 0), None, "no monitor known: the configured size stands");
    }

    #[test]
    fn the_minimum_size_never_exceeds_the_screen() {
        let p = place(None, &[screen(0, 0, 800, 480, 1.0)], 0).unwrap();
        assert_eq!(p.rect, rect(0, 0, 800, 440));
        assert_eq!(p.min, (800, 440));
        let p = place(None, &[screen(0, 0, 1920, 1040, 1.0)], 0).unwrap();
        assert_eq!(p.min, (900, 560));
    }

    #[test]
    fn what_is_saved_reads_back_and_junk_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub/window.json");
        let kept = Saved { frame: Some(37), ..saved(10, 20, 1000, 700, true) };
        save(&file, &kept);
        assert_eq!(load(&file), Some(kept));
        std::fs::write(&file, br#"{"rect":{"x":1,"y":2,"width":900,"height":600},"maximized":false}"#).unwrap();
        assert_eq!(load(&file), Some(saved(1, 2, 900, 600, false)), "a file without the frame still reads");
        std::fs::write(&file, b"{\"rect\":").unwrap();
        assert_eq!(load(&file), None);
    }
}
