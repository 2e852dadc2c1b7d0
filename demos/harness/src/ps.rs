//! Processes as `/proc` lists them, zombies included, read with the `procfs` crate: whose
//! children they are, which process group they are in, and how much CPU time they used. The
//! demos' checks that nothing was left running, and the table's CPU column, use them. Where
//! there is no `/proc` (not Linux), every list is empty.

use std::time::Duration;

use procfs::process::{Process, Stat};

/// The processes whose parent is `parent`.
pub fn children_of(parent: u32) -> Vec<u32> {
    matching(|stat| u32::try_from(stat.ppid) == Ok(parent))
}

/// The processes in the process group `pgid`.
pub fn in_group(pgid: u32) -> Vec<u32> {
    matching(|stat| u32::try_from(stat.pgrp) == Ok(pgid))
}

/// The processes whose `stat` passes `wanted`.
fn matching(wanted: impl Fn(&Stat) -> bool) -> Vec<u32> {
    let Ok(all) = procfs::process::all_processes() else {
        return Vec::new();
    };
    all.flatten()
        .filter(|process| process.stat().is_ok_and(|stat| wanted(&stat)))
        .filter_map(|process| u32::try_from(process.pid).ok())
        .collect()
}

/// This process's running children. Each thread's `children` list names them, in a few small
/// files; where the kernel keeps no such lists, every process in `/proc` is read.
pub fn own_children() -> Vec<u32> {
    let listed: Option<Vec<Vec<u32>>> = Process::myself()
        .and_then(|me| me.tasks())
        .ok()
        .and_then(|tasks| tasks.map(|task| task.ok()?.children().ok()).collect());
    match listed {
        Some(lists) => lists.into_iter().flatten().collect(),
        None => children_of(std::process::id()),
    }
}

/// A running process's CPU time (user + system) in clock ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = Process::new(i32::try_from(pid).ok()?).ok()?.stat().ok()?;
    Some(stat.utime + stat.stime)
}

/// A running process's CPU time: the sum of its threads' run times in `schedstat`, to the
/// nanosecond (a run of a few milliseconds is below a clock tick); its clock ticks where the
/// kernel keeps no `schedstat`.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let process = Process::new(i32::try_from(pid).ok()?).ok()?;
    let nanos: Option<u64> = process
        .tasks()
        .ok()?
        .map(|task| Some(task.ok()?.schedstat().ok()?.sum_exec_runtime))
        .sum();
    nanos.map(Duration::from_nanos).or_else(|| {
        let ticks = cpu_ticks(pid)?;
        Some(Duration::from_secs_f64(
            ticks as f64 / procfs::ticks_per_second() as f64,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_child_is_found_every_way_and_its_cpu_counted() {
        let mut spin = std::process::Command::new("sh");
        spin.args(["-c", "while :; do :; done"]);
        let child = crate::child::OwnedChild::spawn(&mut spin).unwrap(); // killed on drop
        let pid = child.id();
        assert!(children_of(std::process::id()).contains(&pid));
        assert!(own_children().contains(&pid));
        let group = procfs::process::Process::myself()
            .unwrap()
            .stat()
            .unwrap()
            .pgrp;
        assert!(in_group(group as u32).contains(&pid));
        assert!(!in_group(group as u32 + 1).contains(&pid));
        let ran = testkit::within(Duration::from_secs(300), || {
            cpu_time(pid).is_some_and(|t| t > Duration::ZERO)
        });
        assert!(ran, "the child's CPU never showed");
    }
}
