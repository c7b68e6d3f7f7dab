//! Memory freed after heavy work goes back to the system: the app's resident size falls, as
//! the user's system monitor shows. Its own test binary (one process, one test), since it
//! measures the whole process's resident memory.

use std::time::{Duration, Instant};

fn resident_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() / 1024
}

#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn freed_memory_is_given_back_once_the_app_is_quiet() {
    // 160 MB in 2 KiB blocks, as rows read and serialised are: small blocks come from the heap,
    // not from mappings of their own, so freeing them returns nothing by itself...
    let mut blocks: Vec<Box<[u8]>> = (0..80_000).map(|i| vec![(i % 251) as u8; 2048].into_boxed_slice()).collect();
    // ...least of all while something allocated after them still lives at the heap's top.
    let kept = vec![7u8; 4096].into_boxed_slice();
    let full = resident_mib();
    blocks.truncate(0);
    blocks.shrink_to_fit();
    drop(blocks);
    let freed = resident_mib();
    assert!(freed + 40 > full, "the allocator gave the blocks back by itself ({full} → {freed} MiB): this test shows nothing");

    satchel_desktop::memory::give_back_soon();
    let deadline = Instant::now() + Duration::from_secs(10);
    while resident_mib() + 100 > full && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let after = resident_mib();
    assert!(after + 100 <= full, "resident {full} MiB with the blocks, {freed} MiB freed, {after} MiB after asking for a trim");
    assert_eq!(kept[4095], 7, "what is still in use is untouched");
}
