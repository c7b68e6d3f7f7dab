//! What the server benchmarks share: the real binary on a fresh data directory, and its memory.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

/// `server` (a satchel-server binary) serving a fresh data directory `data` on a free loopback
/// port, with one account (ana@example.cn, sales, team East, password "long enough"); the
/// process and its address.
pub fn start(server: &str, data: &std::path::Path) -> (Child, String) {
    let mut add = Command::new(server)
        .arg("--data")
        .arg(data)
        .args(["user", "add", "ana@example.cn", "--role", "sales", "--team", "East", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(b"long enough\n").unwrap();
    assert!(add.wait().unwrap().success());
    let mut child = Command::new(server)
        .arg("--data")
        .arg(data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    (child, line.trim().strip_prefix("listening on ").unwrap().to_string())
}

/// A process's peak resident memory (VmHWM), in MB.
pub fn peak_rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}
