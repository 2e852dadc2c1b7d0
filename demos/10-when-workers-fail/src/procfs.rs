//! Processes as `/proc` lists them, zombies included: the children of a process, or the
//! members of a process group. The demo's checks that nothing was left running use them.

/// The processes whose parent is `parent`.
pub fn children_of(parent: u32) -> Vec<u32> {
    with_stat_field(1, parent)
}

/// The processes in the process group `pgid`.
pub fn in_group(pgid: u32) -> Vec<u32> {
    with_stat_field(2, pgid)
}

/// The processes whose `/proc/PID/stat` has `value` in field `n` after the name
/// (0 the state, 1 the parent, 2 the process group).
fn with_stat_field(n: usize, value: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // "pid (name) state ppid pgrp ...": the name may hold spaces, so start after its ')'.
        let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let field = after_name.split_whitespace().nth(n);
        if field.and_then(|f| f.parse().ok()) == Some(value) {
            found.push(pid);
        }
    }
    found
}
