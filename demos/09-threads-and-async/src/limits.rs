//! What the machine allows: open descriptors, threads, client ports. Ten thousand connections
//! need more descriptors than many systems give a process by default.

use nix::sys::resource::{Resource, getrlimit, setrlimit};

/// Descriptors the demo keeps for itself besides the sockets: standard streams, the runtime's,
/// the server's pipes.
const SPARE_FDS: u64 = 64;
/// Threads the demo keeps for itself besides one per request: the main thread, the signal
/// thread, a sampler, a runtime's.
const SPARE_THREADS: u64 = 64;

/// Raise this process's soft limit on open descriptors to its hard limit (the most it may ask
/// for without privileges); the server, a child, inherits it. The limit now in force.
pub fn raise_open_files() -> nix::Result<u64> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft < hard {
        setrlimit(Resource::RLIMIT_NOFILE, hard, hard)?;
    }
    Ok(hard)
}

/// The most requests at once that the descriptors and the client ports allow, and what sets
/// it. Each request holds one socket in this process and one in the server.
pub fn most_connections(open_files: u64) -> (u64, String) {
    let by_files = open_files.saturating_sub(SPARE_FDS);
    if let Some((count, range)) = client_ports().filter(|(count, _)| *count < by_files) {
        return (count, format!("the {count} client ports ({range})"));
    }
    (
        by_files,
        format!("the limit of {open_files} open files (RLIMIT_NOFILE)"),
    )
}

/// How many local ports a client connection may get, and the range they come from.
fn client_ports() -> Option<(u64, String)> {
    let text = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").ok()?;
    let mut ends = text.split_whitespace().map(str::parse::<u64>);
    let (low, high) = (ends.next()?.ok()?, ends.next()?.ok()?);
    Some((high.saturating_sub(low) + 1, format!("{low}-{high}")))
}

/// The most threads this process may start, and what sets it: the kernel's threads-max, the
/// cgroup's pids.max, the user's RLIMIT_NPROC (which root is exempt from).
pub fn most_threads() -> (u64, String) {
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .ok()?
            .trim()
            .parse::<u64>()
            .ok()
    };
    let mut limits = vec![];
    if let Some(max) = read("/proc/sys/kernel/threads-max") {
        limits.push((max, "the kernel's threads-max".to_owned()));
    }
    for path in ["/sys/fs/cgroup/pids.max", "/sys/fs/cgroup/pids/pids.max"] {
        if let Some(max) = read(path) {
            limits.push((max, format!("the cgroup's {path}")));
        }
    }
    if !nix::unistd::Uid::effective().is_root()
        && let Ok((soft, _)) = getrlimit(Resource::RLIMIT_NPROC)
    {
        limits.push((soft, "RLIMIT_NPROC (ulimit -u)".to_owned()));
    }
    let (most, why) = limits
        .into_iter()
        .min_by_key(|(n, _)| *n)
        .unwrap_or((u64::MAX, "no limit found".to_owned()));
    (most.saturating_sub(SPARE_THREADS), why)
}

/// The kernel's cap on a listen backlog: a larger one asked for is cut to it silently.
pub fn somaxconn() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/sys/net/core/somaxconn").ok()?;
    text.trim().parse().ok()
}
