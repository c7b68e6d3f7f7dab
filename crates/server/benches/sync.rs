//! Sync throughput on loopback, end to end: the real `satchel-server` binary (its own process, so
//! its memory can be read), laptops with real SQLite files, the app's own sync engine over HTTP.
//!
//! 1. Push + pull of about 100,000 column changes: one laptop pushes its log, an empty one pulls
//!    it; changes per second over both.
//! 2. First sync of the 100,000-customer demo database: pushed from the laptop that has it, then
//!    pulled by an empty laptop (the time a new colleague waits).
//! 3. The server's peak resident memory (VmHWM) over all of it.
//! 1b. Attachments' files: 100 MB in 20 files up through one laptop's sync and down through
//!    another's fetching ahead, MB/s each way (`BENCH_FILES_MB`, 0 skips it).
//!
//! Run with `make bench BENCH_ONLY=sync` (`cargo bench -p satchel-server --bench sync`).
//! `BENCH_CUSTOMERS` (default 100000) sets the scale of part 2.

use satchel_core::store::Profile;
use satchel_core::sync;
use satchel_core::Satchel;
use std::time::Instant;

/// A laptop's book in a folder of its own (its attachments folder is beside it: two laptops in one
/// folder would share their files).
fn laptop(dir: &std::path::Path, name: &str) -> Satchel {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    Satchel::open(folder.join(format!("{name}.db")), Profile { author: name.into(), device: format!("{name}-laptop") }).unwrap()
}

fn sync_timed(app: &Satchel) -> (f64, sync::SyncReport) {
    let start = Instant::now();
    let mut remote = sync::remote_for(app).unwrap();
    let report = sync::sync_once(app, &mut remote, &mut |_| {}).unwrap();
    (start.elapsed().as_secs_f64(), report)
}

/// User + system CPU seconds a process has used so far (/proc/PID/stat, clock ticks of 1/100 s).
fn cpu(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

mod support;
use support::peak_rss_mb;

fn main() {
    let customers: usize = std::env::var("BENCH_CUSTOMERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    // SATCHEL_BENCH_SERVER runs another build of the server against this laptop code: two
    // copies of the binary, run in turns, compare a server change on this noisy shared machine.
    let server = std::env::var("SATCHEL_BENCH_SERVER").unwrap_or_else(|_| env!("CARGO_BIN_EXE_satchel-server").to_string());
    let data = dir.path().join("server");
    let (mut child, base) = support::start(&server, &data);
    let pid = child.id();
    let login = |app: &Satchel| {
        sync::login(app, &base, "ana@example.cn", "long enough").unwrap();
    };

    // 1. About 100,000 changes: 8,000 demo customers with their phones, emails and tags.
    let a = laptop(dir.path(), "a");
    satchel_core::demo::generate(a.store(), 8_000, 1).unwrap();
    login(&a);
    // CPU seconds each side spent, to see which one bounds a phase.
    let me = std::process::id();
    let (c0, s0) = (cpu(me), cpu(pid));
    let (push_s, pushed) = sync_timed(&a);
    let (c1, s1) = (cpu(me), cpu(pid));
    println!("push: laptop CPU {:.2} s, server CPU {:.2} s", c1 - c0, s1 - s0);
    let b = laptop(dir.path(), "b");
    login(&b);
    let (c0, s0) = (cpu(me), cpu(pid));
    let (pull_s, pulled) = sync_timed(&b);
    let (c1, s1) = (cpu(me), cpu(pid));
    println!("pull: laptop CPU {:.2} s, server CPU {:.2} s", c1 - c0, s1 - s0);
    let n = pushed.pushed as f64;
    // End to end: every change leaves one laptop and is applied on the other; counted once.
    println!(
        "push + pull: {} changes pushed in {push_s:.2} s ({:.0}/s), {} pulled and applied in {pull_s:.2} s ({:.0}/s); end to end {:.0} changes/s",
        pushed.pushed,
        n / push_s,
        pulled.pulled,
        pulled.pulled as f64 / pull_s,
        n / (push_s + pull_s),
    );
    println!("server peak memory after part 1: {:.0} MB", peak_rss_mb(pid));

    // 1b. Attachments' files (issue 14): 20 files of 5 MB attached on one laptop go up at its
    // sync, and another laptop that fetches ahead brings them down (BENCH_FILES_MB sets the total).
    let files_mb: usize = std::env::var("BENCH_FILES_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    if files_mb > 0 {
        let count = 20;
        let each = files_mb * 1024 * 1024 / count;
        let holder = a
            .customers()
            .create(&satchel_core::customers::CustomerInput::named(satchel_core::customers::CustomerKind::Company, "附件公司"))
            .unwrap();
        for i in 0..count {
            // Different bytes each (a file is stored once per content).
            let bytes: Vec<u8> = (0..each).map(|k| (k as u32).wrapping_mul(2_654_435_761).wrapping_add(i as u32 * 7919) as u8).collect();
            a.customers().add_attachment(&holder.id, &format!("scan-{i}.pdf"), &bytes).unwrap();
        }
        let (up_s, up) = sync_timed(&a);
        assert_eq!(up.uploaded as usize, count, "every file went up");
        satchel_core::sync::blobs::set_fetch_ahead(&b, true).unwrap();
        let (down_s, down) = sync_timed(&b);
        assert_eq!(down.fetched as usize, count, "every file came down");
        let mb = (count * each) as f64 / (1024.0 * 1024.0);
        println!(
            "attachments: {count} files, {mb:.0} MB up in {up_s:.2} s ({:.0} MB/s), down (fetched ahead) in {down_s:.2} s ({:.0} MB/s)",
            mb / up_s,
            mb / down_s
        );
        println!("server peak memory after the attachments: {:.0} MB", peak_rss_mb(pid));
    }

    // 2. First sync of the demo database (BENCH_CUSTOMERS=0 skips it).
    if customers == 0 {
        let _ = child.kill();
        return;
    }
    let c = laptop(dir.path(), "c");
    let start = Instant::now();
    satchel_core::demo::generate(c.store(), customers, 42).unwrap();
    println!("generated {customers} demo customers in {:.1} s", start.elapsed().as_secs_f64());
    login(&c);
    let (push_s, pushed) = sync_timed(&c);
    println!(
        "first push of the {customers}-customer database: {} changes in {push_s:.1} s ({:.0}/s)",
        pushed.pushed,
        pushed.pushed as f64 / push_s
    );
    let d = laptop(dir.path(), "d");
    login(&d);
    let (pull_s, pulled) = sync_timed(&d);
    println!("first sync of an empty laptop: {} changes in {pull_s:.1} s ({:.0}/s)", pulled.pulled, pulled.pulled as f64 / pull_s);
    let live = d.customers().list(&satchel_core::customers::ListQuery { limit: 1, ..Default::default() }).total;
    assert!(live as usize >= customers, "the new laptop lists every customer ({live})");
    println!("server peak memory (VmHWM) over the run: {:.0} MB", peak_rss_mb(pid));
    let db = std::fs::metadata(data.join("satchel-server.db")).map(|m| m.len()).unwrap_or(0);
    println!("server database: {:.0} MB", db as f64 / 1e6);
    let _ = child.kill();
    let _ = child.wait();
}
