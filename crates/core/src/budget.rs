//! How much memory the in-memory indexes may take, and whether an index fits in it.
//!
//! The customer index answers list pages and search in well under a millisecond because it keeps
//! every record's searched text and posting lists in memory: about 2 KB a customer. A book too
//! large for the machine (or for a limit the user or the system set) would make building it
//! fail an allocation, and a failed allocation aborts the process. Instead the module runs lean
//! (`customers::lean`): the same answers, read from SQLite a slice at a time, slower.
//!
//! The decision is [`plan`], pure; what the machine allows is read by [`Limits::of_this_process`].

/// What the machine and the user allow, in bytes; `None` where there is no such limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Set by the user (`SATCHEL_INDEX_MEMORY_MB`): the most the indexes may take, whatever the
    /// machine has. It overrides every guess below.
    pub user: Option<u64>,
    /// Memory the kernel could hand out now without swapping (`MemAvailable`).
    pub available: Option<u64>,
    /// What is left under the process's control group's `memory.max`.
    pub cgroup_left: Option<u64>,
    /// What is left under the address-space limit (`ulimit -v`).
    pub address_left: Option<u64>,
}

/// Whether an index is built in memory or its module answers from SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    InMemory,
    /// Too large: `needed` bytes estimated against `allowed`.
    Lean {
        needed: u64,
        allowed: u64,
    },
}

/// Of what the system says is free, the share one index may take: the window, the web engine, the
/// other modules and whatever else the user runs need the rest, and swapping is what the budget
/// is there to avoid.
const SHARE: u64 = 2;

/// Builds in memory when `needed` bytes fit in what `limits` allow, else lean.
pub fn plan(needed: u64, limits: &Limits) -> Plan {
    let allowed = match limits.user {
        Some(user) => Some(user),
        None => [limits.available, limits.cgroup_left, limits.address_left].into_iter().flatten().min().map(|free| free / SHARE),
    };
    match allowed {
        Some(allowed) if needed > allowed => Plan::Lean { needed, allowed },
        _ => Plan::InMemory,
    }
}

impl Limits {
    /// This process's limits, read from the environment and Linux's `/proc` and `/sys` (no limit is
    /// known elsewhere, and an unreadable file is no limit).
    pub fn of_this_process() -> Self {
        let user = std::env::var("SATCHEL_INDEX_MEMORY_MB").ok().and_then(|v| v.trim().parse::<u64>().ok()).map(|mb| mb << 20);
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let available = read("/proc/meminfo").and_then(|t| kib_field(&t, "MemAvailable:"));
        let cgroup_left = read("/proc/self/cgroup").and_then(|t| {
            // cgroup v2: one line "0::/path".
            let path = t.lines().find_map(|l| l.strip_prefix("0::"))?.trim().to_string();
            let dir = format!("/sys/fs/cgroup{path}");
            let max = read(&format!("{dir}/memory.max"))?.trim().parse::<u64>().ok()?; // "max" is no limit
            let current = read(&format!("{dir}/memory.current"))?.trim().parse::<u64>().ok()?;
            Some(max.saturating_sub(current))
        });
        let address_left = read("/proc/self/limits").and_then(|t| {
            let line = t.lines().find(|l| l.starts_with("Max address space"))?;
            let soft = line.split_whitespace().nth(3)?.parse::<u64>().ok()?; // "unlimited" is no limit
            let used = read("/proc/self/status").and_then(|s| kib_field(&s, "VmSize:")).unwrap_or(0);
            Some(soft.saturating_sub(used))
        });
        Limits { user, available, cgroup_left, address_left }
    }
}

/// A `Name:   1234 kB` line's value in bytes.
fn kib_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse::<u64>().ok().map(|kib| kib << 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1 << 20;

    #[test]
    fn an_index_is_lean_only_when_it_would_not_fit() {
        let none = Limits::default();
        let free = |available: u64| Limits { available: Some(available), ..none };
        let cases: &[(&str, u64, Limits, Plan)] = &[
            ("nothing known: in memory", 10_000 * MB, none, Plan::InMemory),
            ("half of what is free", 200 * MB, free(400 * MB), Plan::InMemory),
            ("over half of what is free", 201 * MB, free(400 * MB), Plan::Lean { needed: 201 * MB, allowed: 200 * MB }),
            (
                "the tightest limit counts",
                100 * MB,
                Limits { available: Some(8000 * MB), cgroup_left: Some(150 * MB), address_left: Some(4000 * MB), user: None },
                Plan::Lean { needed: 100 * MB, allowed: 75 * MB },
            ),
            (
                "an address-space limit alone",
                300 * MB,
                Limits { address_left: Some(500 * MB), ..none },
                Plan::Lean { needed: 300 * MB, allowed: 250 * MB },
            ),
            ("the user's budget overrides a small machine", 300 * MB, Limits { user: Some(400 * MB), ..free(100 * MB) }, Plan::InMemory),
            (
                "the user's budget overrides a large one",
                300 * MB,
                Limits { user: Some(MB), ..free(64_000 * MB) },
                Plan::Lean { needed: 300 * MB, allowed: MB },
            ),
            ("an empty book fits anything", 0, Limits { user: Some(0), ..none }, Plan::InMemory),
        ];
        for (what, needed, limits, want) in cases {
            assert_eq!(plan(*needed, limits), *want, "{what}");
        }
    }

    #[test]
    fn proc_lines_are_read_in_bytes() {
        let meminfo = "MemTotal:       24000000 kB\nMemFree:         1000 kB\nMemAvailable:   2048 kB\n";
        assert_eq!(kib_field(meminfo, "MemAvailable:"), Some(2048 * 1024));
        assert_eq!(kib_field(meminfo, "VmSize:"), None);
    }

    #[test]
    fn this_process_has_some_free_memory_on_linux() {
        let limits = Limits::of_this_process();
        if cfg!(target_os = "linux") {
            assert!(limits.available.is_some_and(|a| a > 0), "{limits:?}");
        }
    }
}
