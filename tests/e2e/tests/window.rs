//! The window on a small screen: it opens inside the screen's work area (not at the configured
//! 1280x800, which would hide Settings and the sync status below a 600-pixel screen), and opens
//! again where and as large as the user left it.

use satchel_e2e::{tid, Profile, Xvfb};
use serde_json::Value;
use std::time::Duration;

#[tokio::test]
async fn on_a_1024x600_screen_the_window_fits_and_reopens_where_it_was_left() {
    let screen = Xvfb::start(1024, 600);
    let profile = Profile::new().on_display(&screen.display);
    let app = profile.launch().await;
    let rect = app.driver().get_window_rect().await.expect("the window's place");
    assert!(rect.x >= 0 && rect.y >= 0, "{rect:?}");
    assert!(rect.x + rect.width <= 1024 && rect.y + rect.height <= 600, "the window lies inside the screen: {rect:?}");
    // The page inside it fits as well, and the sidebar's foot (Settings) is on screen.
    let inner = app.script("return [window.innerWidth, window.innerHeight]").await;
    assert!(inner[1].as_i64().unwrap() <= 600, "{inner}");
    let settings = app.get("nav-settings").await.rect().await.expect("Settings' place");
    assert!(settings.y + settings.height <= inner[1].as_f64().unwrap(), "Settings is visible: {settings:?} in {inner}");

    // The user makes it smaller and moves it; that is remembered.
    app.driver().set_window_rect(40, 20, 940, 570).await.expect("resize the window");
    let file = profile.config_dir().join("window.json");
    let saved = app
        .wait_until_within("the window's place to be saved", Duration::from_secs(10), async || {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            Ok(serde_json::from_str::<Value>(&text).ok().filter(|v| v["rect"]["width"] == 940))
        })
        .await;
    assert_eq!(saved["maximized"], false);
    let before = app.driver().get_window_rect().await.unwrap();
    app.quit().await;

    let app = profile.launch().await;
    let after = app.driver().get_window_rect().await.unwrap();
    assert_eq!((after.x, after.y, after.width, after.height), (before.x, before.y, before.width, before.height));
    app.wait_for(&tid("nav-customers")).await;
    app.quit().await;
}
