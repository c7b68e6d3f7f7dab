//! A burst of wrong-password logins against the real `satchel-server` binary (its own process, so
//! its memory can be read), over real HTTP on loopback (issue 14):
//!
//! 1. 200 at once for one account, from one address: how many reach the password check (at most
//!    the per-account limit, 5) and how many are refused before it.
//! 2. 200 at once for 200 accounts, each from its own loopback address (127.0.0.2 ...), so that no
//!    limit refuses them: every one reaches the check, but at most a few run at once (each
//!    argon2 check holds ~19 MiB) and those that find no turn within the wait are told `busy`.
//!
//! For each: the answers by kind, the wall time, and the server's peak resident memory (VmHWM).
//! Run with `make bench BENCH_ONLY=login` (`cargo bench -p satchel-server --bench login_burst`).
//! `BENCH_LOGINS` (default 200) sets the burst's size.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

mod support;
use support::{peak_rss_mb, start};

/// `n` logins at once, the i-th for `who(i)`'s email from `from(i)`; the answers by status and code.
fn burst(
    rt: &tokio::runtime::Runtime,
    base: &str,
    n: usize,
    who: impl Fn(usize) -> String,
    from: impl Fn(usize) -> Option<IpAddr>,
) -> (BTreeMap<String, usize>, f64) {
    let start = Instant::now();
    let answers = rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for i in 0..n {
            let mut client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(120));
            if let Some(ip) = from(i) {
                client = client.local_address(ip);
            }
            let client = client.build().unwrap();
            let (url, email) = (format!("{base}/api/v1/login"), who(i));
            set.spawn(async move {
                let body = serde_json::json!({"email": email, "password": "not the password", "device": "bench"});
                match client.post(url).json(&body).send().await {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        let code = res
                            .json::<serde_json::Value>()
                            .await
                            .ok()
                            .and_then(|v| v["code"].as_str().map(String::from))
                            .unwrap_or_default();
                        format!("{status} {code}")
                    }
                    Err(e) => format!("failed: {e}"),
                }
            });
        }
        set.join_all().await
    });
    let mut by_kind = BTreeMap::new();
    for a in answers {
        *by_kind.entry(a).or_insert(0) += 1;
    }
    (by_kind, start.elapsed().as_secs_f64())
}

fn report(name: &str, by_kind: &BTreeMap<String, usize>, secs: f64, pid: u32) {
    let checked = by_kind.get("401 bad_credentials").copied().unwrap_or(0);
    let refused = by_kind.get("429 too_many_attempts").copied().unwrap_or(0);
    let busy = by_kind.get("503 busy").copied().unwrap_or(0);
    println!(
        "{name}: {checked} reached the password check (401), {refused} refused before it (429), {busy} told busy (503) in {secs:.2} s"
    );
    for (kind, n) in by_kind {
        println!("  {n:>4} x {kind}");
    }
    println!("  server peak memory (VmHWM): {:.0} MB", peak_rss_mb(pid));
}

fn main() {
    let n: usize = std::env::var("BENCH_LOGINS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let server = std::env::var("SATCHEL_BENCH_SERVER").unwrap_or_else(|_| env!("CARGO_BIN_EXE_satchel-server").to_string());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();

    // 1. One account, one address.
    let (mut child, base) = start(&server, &dir.path().join("one"));
    let pid = child.id();
    println!("server idle: {:.0} MB", peak_rss_mb(pid));
    let (by_kind, secs) = burst(&rt, &base, n, |_| "ana@example.cn".into(), |_| None);
    report(&format!("{n} wrong passwords at once for one account"), &by_kind, secs, pid);
    let checked = by_kind.get("401 bad_credentials").copied().unwrap_or(0);
    assert!(checked <= satchel_server::http::MAX_FAILURES as usize, "the per-account limit held: {checked} checked");
    let _ = child.kill();
    let _ = child.wait();

    // 2. As many accounts and addresses: no limit applies; the cap on concurrent checks does.
    let (mut child, base) = start(&server, &dir.path().join("many"));
    let pid = child.id();
    let (by_kind, secs) = burst(
        &rt,
        &base,
        n,
        |i| format!("user{i}@example.cn"),
        |i| Some(IpAddr::V4(Ipv4Addr::new(127, 0, ((2 + i) / 250) as u8, ((2 + i) % 250) as u8))),
    );
    report(&format!("{n} wrong passwords at once for {n} accounts from {n} addresses"), &by_kind, secs, pid);
    let _ = child.kill();
    let _ = child.wait();
}
