//! The harness behind Satchel's end-to-end tests: it starts the real desktop app under
//! tauri-driver (which drives WebKitWebDriver), hands the tests a few verbs a user would recognise
//! (click, fill, wait until some text shows), and always tears the app down again.
//!
//! Every launch gets its own throw-away home: the database is `--db <tempdir>/satchel.db`, and the
//! XDG data, config and cache directories (where WebKit keeps localStorage, so the UI language)
//! point into the same tempdir, so no test sees another's data and none touches the real user's.
//!
//! Nothing here sleeps for long: every wait polls for up to [`WAIT`] and then fails with what it
//! was waiting for and what the page showed instead.

use std::cell::Cell;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tempfile::TempDir;
pub use thirtyfour::prelude::*;
pub use thirtyfour::Key;

/// How long any single wait may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(10);
/// The first window can take a while on a cold machine (WebKit starts its web process).
const FIRST_PAINT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);

/// A process's proportional set size in KiB (`/proc/PID/smaps_rollup`): its private memory plus
/// its share of what it maps with others, so summing it over processes counts shared libraries
/// once.
pub fn pss_kib(pid: u32) -> Option<u64> {
    let text = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    text.lines().find_map(|l| l.strip_prefix("Pss:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The CSS selector of a `data-testid` hook (see ui/README.md for the list).
pub fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// The repository's root folder (docs/screenshots lives there).
pub fn workspace_root() -> PathBuf {
    // Cargo sets CARGO_MANIFEST_DIR when it runs a test; prefer that to the compile-time value,
    // which names whichever clone built this binary last when clones share a target dir.
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into());
    let root = Path::new(&dir).join("../..");
    root.canonicalize().unwrap_or(root)
}

// ---------------------------------------------------------------------------------------------
// Finding the tools

/// The programs a launch needs, all found before anything is started.
#[derive(Debug, Clone)]
pub struct Tools {
    pub app: PathBuf,
    pub tauri_driver: PathBuf,
    pub webkit_driver: PathBuf,
}

/// Checks everything a launch needs and says precisely what is missing. `var` reads the
/// environment (a parameter so that the messages themselves can be tested).
///
/// Without a display the app panics inside GTK and WebKitWebDriver waits for a window that never
/// comes, so this refuses up front instead of letting a test hang.
pub fn preflight(var: impl Fn(&str) -> Option<OsString>) -> Result<Tools, String> {
    let mut problems = Vec::new();
    let set = |name: &str| var(name).filter(|v| !v.is_empty());

    if set("DISPLAY").is_none() && set("WAYLAND_DISPLAY").is_none() {
        problems.push(
            "no display: DISPLAY is not set. Run the end-to-end tests under Xvfb, e.g. `make e2e`, or\n  \
             xvfb-run -a -s \"-screen 0 1400x900x24\" cargo test -p satchel-e2e -- --test-threads=1"
                .to_string(),
        );
    }

    // A local display that nothing serves: GTK would fail inside the app, seconds later.
    if let Some(display) = set("DISPLAY").and_then(|d| d.into_string().ok()) {
        let number = display.strip_prefix(':').map(|rest| rest.split('.').next().unwrap_or(rest).to_string());
        if let Some(number) = number.filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())) {
            let socket = Path::new("/tmp/.X11-unix").join(format!("X{number}"));
            if !socket.exists() {
                problems.push(format!(
                    "DISPLAY is {display}, but no X server listens there ({} is missing): run the tests under \
                     xvfb-run (see `make e2e`)",
                    socket.display()
                ));
            }
        }
    }

    let app = app_binary(&var);
    if let Err(e) = &app {
        problems.push(e.clone());
    }

    let home = set("HOME").map(PathBuf::from);
    let tauri_driver = set("TAURI_DRIVER")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| find_in_path(&var, "tauri-driver"))
        .or_else(|| home.as_ref().map(|h| h.join(".cargo/bin/tauri-driver")).filter(|p| p.is_file()));
    if tauri_driver.is_none() {
        problems.push(
            "tauri-driver not found (looked at $TAURI_DRIVER, $PATH and ~/.cargo/bin): install it with\n  \
             cargo install tauri-driver --locked --version 2.1.0"
                .to_string(),
        );
    }

    let webkit_driver = set("WEBKIT_WEBDRIVER")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| find_in_path(&var, "WebKitWebDriver"))
        .or_else(|| Some(PathBuf::from("/usr/bin/WebKitWebDriver")).filter(|p| p.is_file()));
    if webkit_driver.is_none() {
        problems.push(
            "WebKitWebDriver not found (looked at $WEBKIT_WEBDRIVER, $PATH and /usr/bin): install the \
             Debian package webkit2gtk-driver (`make system-deps` does)"
                .to_string(),
        );
    }

    match (app, tauri_driver, webkit_driver) {
        (Ok(app), Some(tauri_driver), Some(webkit_driver)) if problems.is_empty() => Ok(Tools { app, tauri_driver, webkit_driver }),
        _ => Err(format!("cannot start the Satchel app for an end-to-end test:\n- {}", problems.join("\n- "))),
    }
}

/// `$SATCHEL_APP`, else the debug build in `$CARGO_TARGET_DIR`, the Makefile's default target
/// directory (~/.cache/satchel/target) or the workspace's own target/.
fn app_binary(var: &impl Fn(&str) -> Option<OsString>) -> Result<PathBuf, String> {
    if let Some(path) = var("SATCHEL_APP").filter(|v| !v.is_empty()).map(PathBuf::from) {
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("SATCHEL_APP points at {}, which does not exist: build it with `cargo build -p satchel-desktop`", path.display()))
        };
    }
    let candidates = target_dirs(var).into_iter().map(|dir| dir.join("debug/satchel-desktop")).collect::<Vec<_>>();
    candidates.iter().find(|p| p.is_file()).cloned().ok_or_else(|| {
        let looked = candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        format!(
            "the app is not built (looked for {looked}): run `npm --prefix ui run build && cargo build -p \
             satchel-desktop`, or set SATCHEL_APP to the binary"
        )
    })
}

fn target_dirs(var: &impl Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = var("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(home) = var("HOME").filter(|v| !v.is_empty()) {
        dirs.push(PathBuf::from(home).join(".cache/satchel/target"));
    }
    dirs.push(workspace_root().join("target"));
    dirs
}

fn find_in_path(var: &impl Fn(&str) -> Option<OsString>, name: &str) -> Option<PathBuf> {
    let path = var("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// The `satchel` command-line tool built beside the app (`cargo build -p satchel-cli`), or
/// `$SATCHEL_CLI`.
pub fn cli_binary() -> PathBuf {
    sibling_binary("satchel", "SATCHEL_CLI", "satchel-cli")
}

/// The sync server built beside the app (`cargo build -p satchel-server`), or `$SATCHEL_SERVER`.
pub fn server_binary() -> PathBuf {
    sibling_binary("satchel-server", "SATCHEL_SERVER", "satchel-server")
}

/// A real `satchel-server` process for the tests that sync two windows: killed when dropped.
pub struct ServerProcess {
    child: Child,
    /// The address it printed, `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `satchel-server --data DATA serve --listen LISTEN` (`127.0.0.1:0` for a free port, or an
/// address it had before, to come back on it).
pub fn start_server(data: &Path, listen: &str) -> ServerProcess {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(server_binary())
        .arg("--data")
        .arg(data)
        .args(["serve", "--listen", listen])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("satchel-server said {line:?}")).to_string();
    ServerProcess { child, base }
}

/// Adds a salesperson of team East with the password "long enough" to the server's data.
pub fn add_server_user(data: &Path, email: &str) {
    use std::io::Write;
    let mut c = Command::new(server_binary())
        .arg("--data")
        .arg(data)
        .args(["user", "add", email, "--role", "sales", "--team", "East", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(b"long enough\n").unwrap();
    assert!(c.wait().unwrap().success());
}

fn sibling_binary(name: &str, env: &str, package: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(env).filter(|v| !v.is_empty()) {
        return PathBuf::from(path);
    }
    let beside_app = app_binary(&|k: &str| std::env::var_os(k)).ok().and_then(|app| app.parent().map(|d| d.join(name)));
    let var = |k: &str| std::env::var_os(k);
    beside_app
        .into_iter()
        .chain(target_dirs(&var).into_iter().map(|d| d.join("debug").join(name)))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} is not built: run `cargo build -p {package}`, or set {env}"))
}

// ---------------------------------------------------------------------------------------------
// A profile: one database and one home, launched once or several times

/// One user's installation: a database file and the directories WebKit writes to. Launch it as
/// often as needed; each launch is a fresh app process on the same data, like a real restart.
pub struct Profile {
    dir: TempDir,
    launches: Cell<u32>,
    /// An X display of the test's own (a small screen) instead of the run's.
    display: Option<String>,
    /// The app's SLA clock runs this file's seconds ahead (see `with_test_clock`).
    test_clock: bool,
    /// The memory its indexes may take (`SATCHEL_INDEX_MEMORY_MB`), see `with_index_memory_mb`.
    index_memory_mb: Option<u32>,
}

impl Default for Profile {
    fn default() -> Self {
        Self::new()
    }
}

impl Profile {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new().prefix("satchel-e2e-").tempdir().expect("create a temp dir");
        for sub in ["home/data", "home/config", "home/cache", "home/state", "home/downloads"] {
            fs::create_dir_all(dir.path().join(sub)).expect("create the profile's directories");
        }
        // Exports go to the desktop's Downloads folder: this profile's, never the user's.
        let downloads = format!("XDG_DOWNLOAD_DIR=\"{}\"\n", dir.path().join("home/downloads").display());
        fs::write(dir.path().join("home/config/user-dirs.dirs"), downloads).expect("write user-dirs.dirs");
        Self { dir, launches: Cell::new(0), display: None, test_clock: false, index_memory_mb: None }
    }

    /// The same profile, its launches allowing the indexes this many megabytes: a book larger
    /// than that runs lean (lists and search from SQLite).
    pub fn with_index_memory_mb(mut self, mb: u32) -> Self {
        self.index_memory_mb = Some(mb);
        self
    }

    /// The same profile, its launches with the app's test clock (`SATCHEL_TEST_CLOCK_FILE`, read
    /// by debug builds only): [`Profile::move_clock`] moves the app's SLA time forward.
    pub fn with_test_clock(mut self) -> Self {
        self.test_clock = true;
        self
    }

    fn clock_file(&self) -> PathBuf {
        self.dir.path().join("clock-offset")
    }

    /// Moves the running app's SLA clock to `seconds` ahead of the wall clock.
    pub fn move_clock(&self, seconds: i64) {
        fs::write(self.clock_file(), seconds.to_string()).expect("write the test clock");
    }

    /// The same profile, its launches on another X display (see [`Xvfb`]).
    pub fn on_display(mut self, display: &str) -> Self {
        self.display = Some(display.to_string());
        self
    }

    /// The app's per-user settings folder (`$XDG_CONFIG_HOME/<identifier>`).
    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("home/config/app.satchel.desktop")
    }

    /// Where exports land (the profile's XDG Downloads folder).
    pub fn downloads(&self) -> PathBuf {
        self.dir.path().join("home/downloads")
    }

    /// A scratch folder for files a test hands to the app (imports).
    pub fn files(&self) -> PathBuf {
        let dir = self.dir.path().join("files");
        fs::create_dir_all(&dir).expect("create the files folder");
        dir
    }

    /// The database file the app is started with (`--db`).
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("satchel.db")
    }

    /// Starts the app on this profile and waits until its window shows the sidebar.
    pub async fn launch(&self) -> App {
        let tools = preflight(|k| std::env::var_os(k)).unwrap_or_else(|message| panic!("{message}"));
        let n = self.launches.get() + 1;
        self.launches.set(n);
        App::start(&tools, self, n, &tid("nav-customers")).await
    }
}

// ---------------------------------------------------------------------------------------------
// The running app

/// The app, running under tauri-driver, with a WebDriver session on its window.
///
/// Each launch has a private D-Bus session bus (GTK and WebKit would otherwise auto-launch one
/// tied to the X display, shared by every test in the run). The bus, tauri-driver,
/// WebKitWebDriver and the app share one process group that the harness created; dropping the
/// `App` (also when a test panics) ends that whole group.
pub struct App {
    driver: Option<WebDriver>,
    /// Our direct children, the group leader first; waited for so they leave no zombies.
    children: Vec<Child>,
    group: libc::pid_t,
    log: PathBuf,
    stopped: bool,
    /// The private session bus's address and the profile's home, when a keyring runs on it.
    bus: Option<(String, PathBuf)>,
    /// The private session bus the app runs on (its notifications, its keyring).
    session_bus: Option<String>,
    /// When the WebDriver session (which starts the app) was asked for: `make bench-app` counts
    /// the launch from here.
    requested: Instant,
}

/// Shown means laid out with a size and not `visibility: hidden`; a `display: contents` wrapper
/// (the detail page's rows) is shown when one of its children is. WebKitWebDriver's own "is
/// displayed" check (the Selenium atom) calls any element with `overflow: hidden` hidden, which is
/// how the detail page's title is styled, so the harness judges visibility and reads `innerText`
/// itself.
const SHOWN_JS: &str = "const shown = (e) => { const style = getComputedStyle(e); \
     if (style.display === 'contents') return [...e.children].some(shown); \
     const r = e.getBoundingClientRect(); \
     return r.width > 0 && r.height > 0 && style.visibility !== 'hidden'; }; \
     const all = [...document.querySelectorAll(arguments[0])].filter(shown);";

impl App {
    /// Starts the app and waits until its window shows `ready` (a CSS selector): the sidebar, or
    /// the screen the app shows for a database it refuses.
    async fn start(tools: &Tools, profile: &Profile, n: u32, ready: &str) -> App {
        let dir = profile.dir.path();
        let home = dir.join("home");
        let log = dir.join(format!("tauri-driver-{n}.log"));
        let log_file = File::create(&log).expect("create the driver log");
        let to_log = || Stdio::from(log_file.try_clone().expect("clone the log handle"));
        let mut app = App {
            driver: None,
            children: Vec::new(),
            group: 0,
            log: log.clone(),
            stopped: false,
            bus: None,
            session_bus: None,
            requested: Instant::now(),
        };

        // 1. A private session bus, leader of the process group.
        let bus_socket = dir.join(format!("bus-{n}"));
        let bus = Command::new("dbus-daemon")
            .arg("--session")
            .arg("--nofork")
            .arg("--nopidfile")
            .arg(format!("--address=unix:path={}", bus_socket.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(to_log())
            .process_group(0)
            .spawn();
        let bus_address = match bus {
            Ok(child) => {
                app.group = child.id() as libc::pid_t;
                app.children.push(child);
                app.wait_for_file(&bus_socket, "dbus-daemon's socket");
                Some(format!("unix:path={}", bus_socket.display()))
            }
            // Without dbus-daemon the app still runs; GTK then auto-launches a bus itself.
            Err(_) => None,
        };

        // 1b. GNOME Keyring's Secret Service on that bus, its login keyring created and unlocked
        // with a password on stdin (as PAM does at a desktop login) inside this profile: the app
        // keeps its device token there, as on a real desktop. Started before anything can ask
        // the bus to activate one of its own (which would use the tester's home).
        if let Some(address) = &bus_address {
            app.start_keyring(&home, address);
        }
        app.session_bus = bus_address.clone();

        // 2. tauri-driver, which starts WebKitWebDriver, which starts the app on session creation.
        let port = free_port();
        let native_port = loop {
            let p = free_port();
            if p != port {
                break p;
            }
        };
        let mut cmd = Command::new(&tools.tauri_driver);
        cmd.arg("--port")
            .arg(port.to_string())
            .arg("--native-port")
            .arg(native_port.to_string())
            .arg("--native-driver")
            .arg(&tools.webkit_driver)
            // A stable language for the UI (navigator.language) and for anything Rust formats.
            .env("LANG", "en_US.UTF-8")
            .env("LANGUAGE", "en_US:en")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            // Where WebKit keeps localStorage and caches: inside this profile, never the user's.
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env_remove("SATCHEL_DB")
            // The app picks where its sync token goes itself (the keyring on the test bus).
            .env_remove("SATCHEL_TOKEN_STORE")
            // GTK would otherwise look for the accessibility bus, which Xvfb sessions lack.
            .env("NO_AT_BRIDGE", "1")
            .stdin(Stdio::null())
            .stdout(to_log())
            .stderr(to_log())
            .process_group(app.group);
        if let Some(address) = &bus_address {
            cmd.env("DBUS_SESSION_BUS_ADDRESS", address);
        }
        if let Some(display) = &profile.display {
            cmd.env("DISPLAY", display);
        }
        match profile.index_memory_mb {
            Some(mb) => cmd.env("SATCHEL_INDEX_MEMORY_MB", mb.to_string()),
            None => cmd.env_remove("SATCHEL_INDEX_MEMORY_MB"),
        };
        if profile.test_clock {
            cmd.env("SATCHEL_TEST_CLOCK_FILE", profile.clock_file());
        } else {
            cmd.env_remove("SATCHEL_TEST_CLOCK_FILE");
        }
        let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", tools.tauri_driver.display()));
        if app.group == 0 {
            app.group = child.id() as libc::pid_t;
        }
        app.children.push(child);

        app.wait_for_port(port);

        // 3. The session: this is what starts the app, on this profile's database.
        let capabilities: serde_json::Map<String, Value> = json!({
            "browserName": "wry",
            "tauri:options": {
                "application": tools.app,
                "args": ["--db", profile.db()],
            }
        })
        .as_object()
        .cloned()
        .expect("an object");
        app.requested = Instant::now();
        let connect = WebDriver::builder(format!("http://127.0.0.1:{port}"), Capabilities::from(capabilities))
            .request_timeout(Duration::from_secs(30))
            .connect();
        // An app that panics on start (no usable display, a database it cannot open) would only
        // surface as WebKitWebDriver's 30 s timeout; its panic in the log ends the wait at once.
        let crashed = async {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if fs::read_to_string(&log).is_ok_and(|text| text.contains("panicked at")) {
                    break;
                }
            }
        };
        let driver = tokio::select! {
            result = tokio::time::timeout(FIRST_PAINT + Duration::from_secs(15), connect) => match result {
                Ok(Ok(driver)) => driver,
                Ok(Err(e)) => panic!("could not open a WebDriver session on the app: {e}"),
                Err(_) => panic!("the app did not come up within {FIRST_PAINT:?}"),
            },
            _ = crashed => panic!("the app crashed while starting"),
        };
        app.driver = Some(driver);

        app.wait_for_within(ready, FIRST_PAINT).await;
        if n == 1 && ready == tid("nav-customers") {
            // A fresh profile must start in English (LANG above); anything else means the
            // environment leaked in, and every English assertion would fail confusingly.
            let lang = app.script("return document.documentElement.lang").await;
            assert_eq!(lang, json!("en"), "a fresh profile should start in English");
        }
        app
    }

    fn wait_for_file(&mut self, path: &Path, what: &str) {
        let deadline = Instant::now() + WAIT;
        while !path.exists() {
            if Instant::now() > deadline {
                panic!("{what} did not appear at {} within {WAIT:?}", path.display());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for_port(&mut self, port: u16) {
        let deadline = Instant::now() + WAIT;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Some(Ok(Some(status))) = self.children.last_mut().map(|c| c.try_wait()) {
                panic!("tauri-driver exited ({status}) before listening on port {port}");
            }
            if Instant::now() > deadline {
                panic!("tauri-driver did not listen on port {port} within {WAIT:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// When the session that started the app was asked for.
    pub fn requested(&self) -> Instant {
        self.requested
    }

    /// The app's processes and WebKit's (its web and network processes), by pid and name: every
    /// process of the launch's group but the bus, the keyring and the drivers.
    pub fn app_processes(&self) -> Vec<(u32, String)> {
        let mut out = Vec::new();
        let Ok(entries) = fs::read_dir("/proc") else { return out };
        for e in entries.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
            let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
            // pid (comm) state ppid pgrp ...: the name may hold spaces, so split after its ')'.
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
            let comm = stat[open + 1..close].to_string();
            let pgrp = stat[close + 1..].split_whitespace().nth(2).and_then(|s| s.parse::<i32>().ok());
            if pgrp == Some(self.group) && (comm.starts_with("satchel") || comm.starts_with("WebKit")) && !comm.contains("Driver") {
                out.push((pid, comm));
            }
        }
        out.sort();
        out
    }

    /// The WebDriver session, for anything the verbs below do not cover.
    pub fn driver(&self) -> &WebDriver {
        self.driver.as_ref().expect("the app is running")
    }

    /// Asks the app's own process to quit as the system does at logout (SIGTERM) and waits up to
    /// 10 s for it to end by itself; true when it did. The drivers are still to be stopped
    /// (`quit`).
    pub async fn terminate(&self) -> bool {
        let Some((pid, _)) = self.app_processes().into_iter().find(|(_, name)| name.starts_with("satchel")) else { return false };
        // SAFETY: kill(2) on a process of the group this harness started.
        unsafe { libc::kill(pid as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            // Gone, or a zombie waiting for its parent (the driver) to reap it.
            let alive = fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|s| s.rfind(')').is_some_and(|c| !s[c + 1..].trim_start().starts_with('Z')));
            if !alive {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// Quits like a user closing the window: ends the session (WebKitWebDriver closes the app),
    /// then stops the drivers and the bus. The database is left as the app wrote it.
    pub async fn quit(mut self) {
        if let Some(driver) = self.driver.take() {
            // A session that no longer answers is still ended below, by signal.
            let _ = tokio::time::timeout(WAIT, driver.quit()).await;
        }
        self.stop();
    }

    /// Ends the whole process group: politely first, then for certain.
    fn stop(&mut self) {
        if self.stopped || self.group <= 0 {
            return;
        }
        self.stopped = true;
        let group = -self.group;
        // SAFETY: kill(2) with a negative pid signals the process group this harness created.
        unsafe { libc::kill(group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(3);
        loop {
            // Reap our own children, or as zombies they would keep the group "alive".
            for child in &mut self.children {
                let _ = child.try_wait();
            }
            // SAFETY: signal 0 only asks whether anyone in the group is still there.
            let anyone = unsafe { libc::kill(group, 0) } == 0;
            if !anyone || Instant::now() > deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // SAFETY: as above; SIGKILL whatever ignored SIGTERM.
        unsafe { libc::kill(group, libc::SIGKILL) };
        // And until it is gone: the app holds its database's lock until it exits, and the next
        // launch on this profile must find the database free.
        let deadline = Instant::now() + Duration::from_secs(3);
        // SAFETY: signal 0 only asks whether anyone in the group is still there.
        while unsafe { libc::kill(group, 0) } == 0 && Instant::now() < deadline {
            for child in &mut self.children {
                let _ = child.try_wait();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        for child in &mut self.children {
            let _ = child.wait();
        }
    }

    /// The end of the launch's log: tauri-driver's output, WebKitWebDriver's and the app's stderr.
    pub fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = File::open(&self.log) {
            let _ = f.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n");
        format!("--- last lines of {} ---\n{tail}\n---", self.log.display())
    }

    // -----------------------------------------------------------------------------------------
    // Waiting

    /// Polls `probe` until it returns `Some`, for up to [`WAIT`]; then fails saying `what` was
    /// expected and what the window showed. WebDriver errors while polling (an element
    /// re-rendered away, say) count as "not yet"; the last one is reported.
    pub async fn wait_until<T>(&self, what: &str, probe: impl AsyncFnMut() -> WebDriverResult<Option<T>>) -> T {
        self.wait_until_within(what, WAIT, probe).await
    }

    pub async fn wait_until_within<T>(&self, what: &str, limit: Duration, mut probe: impl AsyncFnMut() -> WebDriverResult<Option<T>>) -> T {
        let deadline = Instant::now() + limit;
        let mut last_error = None;
        loop {
            match probe().await {
                Ok(Some(value)) => return value,
                Ok(None) => {}
                Err(e) => last_error = Some(e),
            }
            if Instant::now() > deadline {
                let error = last_error.map(|e| format!("\nlast WebDriver error: {e}")).unwrap_or_default();
                let page = self.visible_text().await;
                panic!("waited {limit:?} for {what}, in vain.{error}\n--- the window showed ---\n{page}\n---");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    fn start_keyring(&mut self, home: &Path, address: &str) {
        let runtime = home.join("run");
        fs::create_dir_all(&runtime).expect("create the keyring's runtime dir");
        fs::create_dir_all(home.join("data")).expect("create the profile's data dir");
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&runtime, fs::Permissions::from_mode(0o700)).expect("make the runtime dir private");
        let keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", address)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(self.group)
            .spawn();
        let mut keyring = match keyring {
            Ok(child) => child,
            // The app then keeps its token in a file, which the sync test notices.
            Err(e) => return eprintln!("gnome-keyring-daemon not started ({e}): no Secret Service on the test bus"),
        };
        {
            use std::io::Write;
            let mut stdin = keyring.stdin.take().expect("the keyring's stdin");
            stdin.write_all(b"login keyring password").expect("unlock the login keyring");
        }
        self.children.push(keyring);
        let deadline = Instant::now() + WAIT;
        let ask = |args: &[&str]| {
            Command::new("dbus-send")
                .arg(format!("--bus={address}"))
                .arg("--print-reply")
                .args(args)
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default()
        };
        while Instant::now() < deadline {
            // First only whether the daemon holds the name: calling org.freedesktop.secrets before
            // that would have the bus activate a second keyring daemon, outside this profile.
            let owned = ask(&[
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ]);
            if owned.contains("boolean true")
                && ask(&[
                    "--dest=org.freedesktop.secrets",
                    "/org/freedesktop/secrets",
                    "org.freedesktop.Secret.Service.ReadAlias",
                    "string:default",
                ])
                .contains("/collection/login")
            {
                self.bus = Some((address.to_string(), home.to_path_buf()));
                return;
            }
            std::thread::sleep(POLL);
        }
        panic!("gnome-keyring-daemon did not offer an unlocked login keyring within {WAIT:?}");
    }

    /// What the Secret Service on this app's bus holds for `service`/`username` (as the keyring
    /// crate files it), read by libsecret's `secret-tool`; None when there is no such entry or
    /// no keyring.
    pub fn keyring_secret(&self, service: &str, username: &str) -> Option<String> {
        let (address, home) = self.bus.as_ref()?;
        let out = Command::new("secret-tool")
            .args(["lookup", "service", service, "username", username])
            .env("DBUS_SESSION_BUS_ADDRESS", address)
            .env("XDG_DATA_HOME", home.join("data"))
            .output()
            .expect("secret-tool (apt package libsecret-tools; make test installs it)");
        let secret = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !secret.is_empty()).then_some(secret)
    }

    /// The address of the private session bus the app runs on, when dbus-daemon could start.
    pub fn session_bus(&self) -> Option<&str> {
        self.session_bus.as_deref()
    }

    /// Starts `program` with `args` on the app's bus, in the app's process group (stopped with
    /// it), its standard output into `out`.
    pub fn spawn_on_bus(&mut self, program: &str, args: &[&str], out: &Path) -> bool {
        let Some(address) = self.session_bus.clone() else { return false };
        let Ok(file) = File::create(out) else { return false };
        match Command::new(program)
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(Stdio::null())
            .process_group(self.group)
            .spawn()
        {
            Ok(child) => {
                self.children.push(child);
                true
            }
            Err(_) => false,
        }
    }

    /// Records every desktop notification the app sends (each `Notify` call on its session bus,
    /// as it leaves the app) into `log`, and starts dunst (when installed) to answer and draw
    /// them. Returns whether dunst runs (a screenshot of the popup is then worth taking).
    pub fn watch_notifications(&mut self, log: &Path, dunst_log: &Path) -> bool {
        assert!(
            self.spawn_on_bus("dbus-monitor", &["type='method_call',interface='org.freedesktop.Notifications',member='Notify'"], log),
            "dbus-monitor on the app's session bus"
        );
        self.spawn_on_bus("dunst", &[], dunst_log)
    }

    /// What the window shows, for failure messages.
    pub async fn visible_text(&self) -> String {
        match self.driver().execute("return document.body.innerText", Vec::<Value>::new()).await {
            Ok(ret) => ret.json().as_str().unwrap_or_default().to_string(),
            Err(e) => format!("(could not read the page: {e})"),
        }
    }

    /// Every shown element matching `css`, right now.
    pub async fn shown(&self, css: &str) -> WebDriverResult<Vec<WebElement>> {
        self.driver().execute(format!("{SHOWN_JS} return all;"), vec![json!(css)]).await?.elements()
    }

    /// The texts (`innerText`) of every shown element matching `css`, right now.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        self.try_texts(css).await.unwrap_or_default()
    }

    async fn try_texts(&self, css: &str) -> WebDriverResult<Vec<String>> {
        self.driver().execute(format!("{SHOWN_JS} return all.map((e) => e.innerText);"), vec![json!(css)]).await?.convert()
    }

    /// The first shown element matching `css`, waiting for it to appear.
    pub async fn wait_for(&self, css: &str) -> WebElement {
        self.wait_for_within(css, WAIT).await
    }

    async fn wait_for_within(&self, css: &str, limit: Duration) -> WebElement {
        self.wait_until_within(&format!("`{css}` to be shown"), limit, async || Ok(self.shown(css).await?.into_iter().next())).await
    }

    /// The file input with `data-testid="id"` (hidden behind its button, as file inputs are), once
    /// it is in the page: a page may still be arriving from its module's chunk (ui/src/lib/lazy.tsx)
    /// when the test goes to it.
    pub async fn file_input(&self, id: &str) -> WebElement {
        let css = tid(id);
        self.wait_until(&format!("`{css}` to be in the page"), async || {
            Ok(self.driver().find_all(By::Css(css.clone())).await?.into_iter().next())
        })
        .await
    }

    /// The element with `data-testid="id"`, waiting for it to appear.
    pub async fn get(&self, id: &str) -> WebElement {
        self.wait_for(&tid(id)).await
    }

    /// The text of the element with `data-testid="id"`, once it is shown.
    pub async fn text(&self, id: &str) -> String {
        let css = tid(id);
        self.wait_until(&format!("`{css}` to be shown"), async || Ok(self.try_texts(&css).await?.into_iter().next())).await
    }

    /// Waits until a shown element matching `css` has text containing `needle`; returns its text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        self.wait_until(&format!("`{css}` to show “{needle}”"), async || {
            Ok(self.try_texts(css).await?.into_iter().find(|t| t.contains(needle)))
        })
        .await
    }

    /// Waits until no shown element matching `css` has text containing `needle`.
    pub async fn wait_no_text(&self, css: &str, needle: &str) {
        self.wait_until(&format!("no `{css}` to show “{needle}”"), async || {
            Ok((!self.try_texts(css).await?.iter().any(|t| t.contains(needle))).then_some(()))
        })
        .await
    }

    /// Waits until no element matching `css` is shown.
    pub async fn wait_gone(&self, css: &str) {
        self.wait_until(&format!("`{css}` to disappear"), async || Ok(self.shown(css).await?.is_empty().then_some(()))).await
    }

    /// Waits until exactly `n` elements matching `css` are shown, and returns their texts.
    pub async fn wait_count(&self, css: &str, n: usize) -> Vec<String> {
        self.wait_until(&format!("{n} × `{css}`"), async || {
            let texts = self.try_texts(css).await?;
            Ok((texts.len() == n).then_some(texts))
        })
        .await
    }

    // -----------------------------------------------------------------------------------------
    // Acting

    /// Clicks the element with `data-testid="id"` once it is shown.
    pub async fn click(&self, id: &str) {
        self.click_css(&tid(id)).await;
    }

    /// Clicks the first shown element matching `css`, retrying while it is being re-rendered.
    pub async fn click_css(&self, css: &str) {
        self.wait_until(&format!("`{css}` to be clickable"), async || match self.shown(css).await?.first() {
            Some(el) => el.click().await.map(Some),
            None => Ok(None),
        })
        .await
    }

    /// Clicks the first shown element matching `css` whose text contains `needle`.
    pub async fn click_text(&self, css: &str, needle: &str) {
        self.wait_until(&format!("`{css}` showing “{needle}” to be clickable"), async || {
            let found = self
                .driver()
                .execute(
                    format!("{SHOWN_JS} return all.find((e) => e.innerText.includes(arguments[1])) ?? null;"),
                    vec![json!(css), json!(needle)],
                )
                .await?;
            if found.json().is_null() {
                return Ok(None);
            }
            found.element()?.click().await.map(Some)
        })
        .await
    }

    /// Replaces what the input `data-testid="id"` holds with `text`, typing it key by key as a
    /// user would, and checks that the input then holds exactly that.
    pub async fn fill(&self, id: &str, text: &str) {
        let el = self.get(id).await;
        self.fill_element(&el, id, text).await;
    }

    /// Scrolls an element to the middle of the view: at the bottom of a form it would sit under
    /// the sticky Save bar, which then gets the click.
    async fn to_middle(&self, el: &WebElement, what: &str) {
        self.driver()
            .execute("arguments[0].scrollIntoView({block: 'center'})", vec![el.to_json().expect("element as JSON")])
            .await
            .unwrap_or_else(|e| panic!("cannot scroll to {what}: {e}"));
    }

    pub async fn fill_element(&self, el: &WebElement, what: &str, text: &str) {
        self.to_middle(el, what).await;
        // WebKitWebDriver now and then drops a keystroke of CJK text under a busy window (seen in
        // CI: the input held something other than "金牌" for 10 s). That is the driver, not the
        // app: a user's input method delivers whole strings. So CJK text that comes out wrong is
        // typed again, up to three times. Any other text is typed once: a wrong value then is
        // the app's doing (a lost keystroke, a re-render that reset the input) and fails at once
        // with what the input held.
        let attempts = if has_cjk(text) { 3 } else { 1 };
        let mut held = String::new();
        for attempt in 1..=attempts {
            el.click().await.unwrap_or_else(|e| panic!("cannot focus {what}: {e}"));
            if !el.value().await.ok().flatten().unwrap_or_default().is_empty() {
                // Element Clear changes the DOM behind React's back; select-all and delete does not.
                el.send_keys(Key::Control + "a").await.unwrap_or_else(|e| panic!("cannot select {what}: {e}"));
                el.send_keys(Key::Backspace).await.unwrap_or_else(|e| panic!("cannot clear {what}: {e}"));
            }
            if !text.is_empty() {
                el.send_keys(text).await.unwrap_or_else(|e| panic!("cannot type into {what}: {e}"));
            }
            let deadline = Instant::now() + Duration::from_secs(3);
            loop {
                held = el.value().await.ok().flatten().unwrap_or_default();
                if held == text {
                    return;
                }
                if Instant::now() > deadline {
                    break;
                }
                tokio::time::sleep(POLL).await;
            }
            if attempt < attempts {
                eprintln!("{what} held “{held}” after typing “{text}” (attempt {attempt}, CJK text); typing again");
            }
        }
        let page = self.visible_text().await;
        let times = if attempts == 1 { "once".to_string() } else { format!("{attempts} times") };
        panic!("{what} holds “{held}” after typing “{text}” {times}.\n--- the window showed ---\n{page}\n---");
    }

    /// The current value of the input `data-testid="id"`.
    pub async fn value(&self, id: &str) -> String {
        let el = self.get(id).await;
        el.value().await.ok().flatten().unwrap_or_default()
    }

    /// Picks the option whose value is `value` in the `<select data-testid="id">`.
    pub async fn choose(&self, id: &str, value: &str) {
        let select = self.get(id).await;
        self.to_middle(&select, id).await;
        // Options of a closed <select> have no box of their own, so they are not "shown".
        let option =
            select.find(By::Css(format!("option[value=\"{value}\"]"))).await.unwrap_or_else(|e| panic!("{id} has no option {value}: {e}"));
        option.click().await.unwrap_or_else(|e| panic!("cannot pick {value} in {id}: {e}"));
        self.wait_until(
            &format!("{id} to be set to {value}"),
            async || Ok((select.value().await?.as_deref() == Some(value)).then_some(())),
        )
        .await;
    }

    /// Types `text` into the global search box and returns the hits' texts once the answer for
    /// exactly this text is on screen (the popover's `data-answered`, not busy): an empty list
    /// when it says "Nothing matches". A search that fails fails the test.
    pub async fn search(&self, text: &str) -> Vec<String> {
        self.fill("search-input", text).await;
        let js = "const [text] = arguments; \
            const box = document.querySelector('[data-testid=\"search-results\"]'); \
            if (!box || box.getAttribute('aria-busy') !== 'false' || box.dataset.answered !== text.trim()) return null; \
            const failed = box.querySelector('[role=\"alert\"]'); \
            if (failed) return { error: failed.innerText }; \
            const hits = [...box.querySelectorAll('[data-testid=\"search-result\"]')].map((e) => e.innerText); \
            if (hits.length === 0 && !box.querySelector('[data-testid=\"search-empty\"]')) return null; \
            return { hits };";
        let answer = self
            .wait_until(&format!("the search results for “{text}”"), async || {
                let answer = self.driver().execute(js, vec![json!(text)]).await?.json().clone();
                Ok((!answer.is_null()).then_some(answer))
            })
            .await;
        if let Some(error) = answer.get("error") {
            panic!("searching for “{text}” failed: {error}");
        }
        serde_json::from_value(answer["hits"].clone()).expect("hits are texts")
    }

    /// Runs JavaScript in the window and returns its result.
    pub async fn script(&self, js: &str) -> Value {
        self.driver().execute(js, Vec::<Value>::new()).await.unwrap_or_else(|e| panic!("script failed: {e}\n{js}")).json().clone()
    }

    /// Resizes the window so the page is `width`x`height` CSS pixels, and waits until it is. The
    /// window cannot grow past the X screen: a screen too small for it fails the test, naming the
    /// Xvfb screen size that fits (`-screen 0 1400x900x24` holds a 1366x768 laptop's window).
    pub async fn resize(&self, width: u32, height: u32) {
        let screen = self.script("return [screen.width, screen.height]").await;
        let (sw, sh) = (screen[0].as_u64().unwrap_or(0), screen[1].as_u64().unwrap_or(0));
        assert!(
            sw >= u64::from(width) && sh >= u64::from(height),
            "the X screen is {sw}x{sh}, too small for a {width}x{height} window: run Xvfb with -screen 0 1400x900x24"
        );
        self.driver().set_window_rect(0, 0, width, height).await.unwrap_or_else(|e| panic!("cannot resize the window: {e}"));
        self.wait_until(&format!("the page to be {width}x{height}"), async || {
            let size = self.driver().execute("return [innerWidth, innerHeight]", Vec::<Value>::new()).await?.json().clone();
            Ok((size[0].as_u64() == Some(u64::from(width)) && size[1].as_u64() == Some(u64::from(height))).then_some(()))
        })
        .await;
    }

    /// Saves a PNG of the window.
    pub async fn screenshot(&self, path: &Path) {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).expect("create the screenshot folder");
        }
        // The first capture of a session can return the window's first painted frame (seen as a
        // stale "Loading…" list); a second one, after the first forced a repaint, is current.
        let _ = self.driver().screenshot_as_png().await;
        let png = self.driver().screenshot_as_png().await.unwrap_or_else(|e| panic!("screenshot failed: {e}"));
        fs::write(path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(driver) = self.driver.take() {
            // Not quit over HTTP here (that would block the runtime); the processes are ended.
            let _ = driver.leak();
        }
        self.stop();
        if std::thread::panicking() {
            // Whatever failed, the app's and the drivers' own words are often the explanation.
            eprintln!("{}", self.log_tail());
        }
    }
}

/// Whether `text` holds CJK characters (Han, kana, Hangul, CJK punctuation and full-width
/// forms): the keystrokes WebKitWebDriver sometimes drops.
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x1100..=0x11FF      // Hangul Jamo
            | 0x2E80..=0x2FDF    // CJK radicals, Kangxi radicals
            | 0x3000..=0x30FF    // CJK symbols and punctuation, Hiragana, Katakana
            | 0x3100..=0x31FF    // Bopomofo, Hangul compatibility Jamo, Katakana extensions
            | 0x3200..=0x4DBF    // enclosed CJK, compatibility, extension A
            | 0x4E00..=0x9FFF    // CJK unified ideographs
            | 0xA960..=0xA97F    // Hangul Jamo extended-A
            | 0xAC00..=0xD7FF    // Hangul syllables and Jamo extended-B
            | 0xF900..=0xFAFF    // CJK compatibility ideographs
            | 0xFE30..=0xFE4F    // CJK compatibility forms
            | 0xFF00..=0xFFEF    // half-width and full-width forms
            | 0x20000..=0x3FFFF) // extensions B and later
    })
}

/// An X server of a test's own, with a screen of the size the test is about (a 1024x600
/// netbook), ended when dropped.
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Xvfb {
    pub fn start(width: u32, height: u32) -> Xvfb {
        // The first display number nobody holds: no lock file, no socket.
        let n = (90..200)
            .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists() && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .expect("a free X display number");
        let child = Command::new("Xvfb")
            .arg(format!(":{n}"))
            .args(["-screen", "0", &format!("{width}x{height}x24"), "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Xvfb (Debian package xvfb): {e}"));
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "Xvfb :{n} did not come up");
            std::thread::sleep(POLL);
        }
        Xvfb { child, display: format!(":{n}") }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("find a free local port")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &Path)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs.iter().map(|(k, v)| (k.to_string(), v.as_os_str().to_owned())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn only_cjk_text_is_typed_again() {
        let cjk = ["金牌", "上海示例贸易有限公司", "王 Wang", "ｗａｎｇ", "こんにちは", "서울", "客户，", "测试0000"];
        for text in cjk {
            assert!(has_cjk(text), "{text} holds CJK");
        }
        let other = ["", "Gold", "wang.haishi@example.cn", "+86 138 0013 8000", "Zoë Müller", "Ωmega", "€5 – “quoted”"];
        for text in other {
            assert!(!has_cjk(text), "{text} holds no CJK");
        }
    }

    #[test]
    fn without_a_display_or_drivers_a_launch_is_refused_with_what_to_do() {
        let empty = tempfile::tempdir().unwrap();
        let err =
            preflight(env_of(&[("HOME", empty.path()), ("PATH", empty.path()), ("SATCHEL_APP", &empty.path().join("nope"))])).unwrap_err();
        assert!(err.contains("DISPLAY is not set"), "{err}");
        assert!(err.contains("xvfb-run"), "{err}");
        assert!(err.contains("SATCHEL_APP points at"), "{err}");
        assert!(err.contains("cargo install tauri-driver"), "{err}");
    }

    #[test]
    fn a_display_that_nothing_serves_is_refused_up_front() {
        let empty = tempfile::tempdir().unwrap();
        let err = preflight(env_of(&[("DISPLAY", Path::new(":7777")), ("HOME", empty.path()), ("PATH", empty.path())])).unwrap_err();
        assert!(err.contains("DISPLAY is :7777, but no X server listens there"), "{err}");
    }

    #[test]
    fn with_everything_present_the_tools_are_found() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["app", "tauri-driver", "WebKitWebDriver"] {
            fs::write(dir.path().join(name), "").unwrap();
        }
        let tools = preflight(env_of(&[
            // A remote-style display is not checked for a local socket.
            ("DISPLAY", Path::new("localhost:10.0")),
            ("PATH", dir.path()),
            ("SATCHEL_APP", &dir.path().join("app")),
        ]))
        .unwrap();
        assert_eq!(tools.tauri_driver, dir.path().join("tauri-driver"));
        assert_eq!(tools.webkit_driver, dir.path().join("WebKitWebDriver"));
    }
}

/// Settings → Custom fields: defines the choice field "Level / 等级" with Gold/金牌 (key o1) and
/// Silver/银牌 (key o2) for `scope` (both, company or person); returns the field's id.
pub async fn define_level_field(app: &App, scope: &str) -> String {
    app.click("nav-settings").await;
    app.click("add-custom-field").await;
    app.fill("cf-label-en", "Level").await;
    app.fill("cf-label-zh", "等级").await;
    app.choose("cf-kind", "choice").await;
    app.choose("cf-scope", scope).await;
    for i in 0..2 {
        if app.shown(&tid(&format!("cf-option-en-{i}"))).await.unwrap_or_default().is_empty() {
            app.click("cf-add-option").await;
        }
    }
    app.fill("cf-option-en-0", "Gold").await;
    app.fill("cf-option-zh-0", "金牌").await;
    app.fill("cf-option-en-1", "Silver").await;
    app.fill("cf-option-zh-1", "银牌").await;
    app.click("cf-save").await;
    let row = app.wait_for(&tid("custom-field-row")).await;
    row.attr("data-id").await.ok().flatten().expect("the new field's id")
}

// ---------------------------------------------------------------------------------------------
// Launches that may not reach the customer list (a database the app refuses)

impl Profile {
    /// Starts the app on this profile and waits until its window shows `ready` (a CSS selector)
    /// instead of the sidebar: for a database the app refuses with its own screen.
    pub async fn launch_until(&self, ready: &str) -> App {
        let tools = preflight(|k| std::env::var_os(k)).unwrap_or_else(|message| panic!("{message}"));
        let n = self.launches.get() + 1;
        self.launches.set(n);
        App::start(&tools, self, n, ready).await
    }
}
