//! The floor: Tauri 2 and WebKitGTK with none of Satchel, measured the way `bench-app` measures
//! the app (issue 18's budgets). A window whose page (`tests/floor/page/index.html`) asks one
//! command for 50 rows and draws them, then times 600 round trips of a command answering 20
//! rows, each drawn and followed by the next frame, in turns: a plain command, an async one (as
//! the app's are), and an async one asked just after a change on screen (as a typed character
//! is). Then it prints one line and quits:
//!
//! `floor: first rows' frame 0.NN s after the process started (N ms of it on the page's clock); round trip + frame p50 N ms, p95 N
//! ms; round trip alone p50 N ms, p95 N ms; async command: round trip + frame p50 N ms, p95 N ms,
//! round trip alone p50 N ms, p95 N ms; after a change on screen: round trip + frame p50 N ms,
//! p95 N ms; memory N MB (app N, web N, network N)`
//!
//! Its own workspace, built only by `make bench-floor`, which runs it as bench-app runs the app:
//! under `xvfb-run` and `dbus-run-session`, with `NO_AT_BRIDGE=1`, and with
//! `WEBKIT_DISABLE_COMPOSITING_MODE=1` as the app sets for itself.

use std::time::{SystemTime, UNIX_EPOCH};

#[tauri::command]
fn rows(n: usize) -> Vec<String> {
    // Chinese and Latin text, as a search's answers are.
    (0..n).map(|i| format!("王小明 {i} · 上海贸易有限公司 · wang{i}@example.cn · 138 0000 {i:04}")).collect()
}

/// The same answer from a command Tauri runs on its async runtime, as the app's commands are.
#[tauri::command]
async fn rows_async(n: usize) -> Vec<String> {
    rows(n)
}

#[derive(serde::Deserialize)]
struct Report {
    /// The page's clock's zero on the epoch's clock, in ms.
    origin: f64,
    /// When the first rows' frame came, on the page's clock, in ms.
    painted: f64,
    /// Each round trip and its frame, in ms.
    total: Vec<f64>,
    /// Each round trip alone, in ms.
    ipc: Vec<f64>,
    /// The same two with the async command.
    total_async: Vec<f64>,
    ipc_async: Vec<f64>,
    /// Round trip + frame of the async command asked just after a change on screen.
    total_typed: Vec<f64>,
}

#[tauri::command]
fn report(app: tauri::AppHandle, report: Report) {
    let started = process_start_epoch_ms(std::process::id());
    let painted = (report.origin + report.painted - started) / 1e3;
    let (app_mb, web, net) = memory();
    println!(
        "floor: first rows' frame {painted:.2} s after the process started ({:.0} ms of it on the page's clock); round trip + frame p50 {:.0} ms, p95 {:.0} ms; round trip alone p50 {:.0} ms, p95 {:.0} ms; async command: round trip + frame p50 {:.0} ms, p95 {:.0} ms, round trip alone p50 {:.0} ms, p95 {:.0} ms; after a change on screen: round trip + frame p50 {:.0} ms, p95 {:.0} ms; memory {:.0} MB (app {app_mb:.0}, web {web:.0}, network {net:.0})",
        report.painted,
        quantile(&report.total, 0.5),
        quantile(&report.total, 0.95),
        quantile(&report.ipc, 0.5),
        quantile(&report.ipc, 0.95),
        quantile(&report.total_async, 0.5),
        quantile(&report.total_async, 0.95),
        quantile(&report.ipc_async, 0.5),
        quantile(&report.ipc_async, 0.95),
        quantile(&report.total_typed, 0.5),
        quantile(&report.total_typed, 0.95),
        app_mb + web + net,
    );
    app.exit(0);
}

#[tauri::command]
fn report_error(app: tauri::AppHandle, message: String) {
    eprintln!("floor: the page failed: {message}");
    app.exit(1);
}

fn quantile(v: &[f64], q: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(f64::NAN)
}

/// The process's start on the epoch's clock, in ms (to the kernel's 10 ms tick), as bench-app
/// takes it.
fn process_start_epoch_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    // Field 22 (starttime) is the 20th after the command's closing parenthesis.
    let ticks: f64 = after.split_whitespace().nth(19).and_then(|t| t.parse().ok()).unwrap_or(f64::NAN);
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|u| u.split_whitespace().next().and_then(|s| s.parse().ok()))
        .unwrap_or(f64::NAN);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64() * 1e3).unwrap_or(f64::NAN);
    now - (uptime - ticks / 100.0) * 1e3
}

/// PSS of this process and of WebKit's processes it started, in MB: (app, web, network).
fn memory() -> (f64, f64, f64) {
    let me = std::process::id();
    let pss = |pid: &str| -> f64 {
        std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with("Pss:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
            .unwrap_or(0.0)
            / 1024.0
    };
    let (mut web, mut net) = (0.0, 0.0);
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let pid = entry.file_name().to_string_lossy().to_string();
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let parent = stat.rsplit_once(')').and_then(|(_, r)| r.split_whitespace().nth(1)).and_then(|p| p.parse::<u32>().ok());
        if parent != Some(me) {
            continue;
        }
        if stat.contains("(WebKitWebProces") {
            web += pss(&pid);
        } else if stat.contains("(WebKitNetworkP") {
            net += pss(&pid);
        }
    }
    (pss(&me.to_string()), web, net)
}

fn main() {
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // As the app does for itself (src-tauri/src/lib.rs, `software_rendering`).
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![rows, rows_async, report, report_error])
        .run(tauri::generate_context!())
        .expect("the floor's window could not start");
}
