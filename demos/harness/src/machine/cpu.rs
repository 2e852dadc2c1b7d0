//! The CPU time a run used: this process, the children it has waited for, and the worker
//! processes still running (a pool that outlives a run, an MPI rank's fellow ranks); and how
//! busy the rest of the machine was meanwhile.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// CPU time counters from `/proc`, in clock ticks: the whole machine's, split into busy and
/// total, and this program's own: this process, its children still running, and those it has
/// waited for.
#[derive(Clone, Copy, Debug)]
pub struct CpuTimes {
    machine_busy: u64,
    machine_total: u64,
    ours: u64,
}

impl CpuTimes {
    /// Now; `None` where `/proc` does not say (not Linux).
    pub fn now() -> Option<Self> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let own = std::fs::read_to_string("/proc/self/stat").ok()?;
        let others: u64 = live_relatives()?.into_iter().filter_map(stat_ticks).sum();
        let mut times = Self::parse(&stat, &own)?;
        times.ours += others;
        Some(times)
    }

    fn parse(stat: &str, own: &str) -> Option<Self> {
        // cpu  user nice system idle iowait irq softirq steal ...
        let counters: Vec<u64> = stat
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .map_while(|t| t.parse().ok())
            .collect();
        let machine_total: u64 = counters.iter().take(8).sum();
        let idle = counters.get(3)? + counters.get(4)?;
        let ours = ticks(&fields_after_name(own)?, 11..15)?; // utime stime cutime cstime
        Some(Self {
            machine_busy: machine_total - idle,
            machine_total,
            ours,
        })
    }

    /// The share of the machine's CPU capacity that other programs (and, on a virtual
    /// machine, the host) used between `earlier` and this sample; `None` over too short a span
    /// to tell.
    pub fn others_share_since(&self, earlier: &Self) -> Option<f64> {
        let total = self.machine_total.checked_sub(earlier.machine_total)?;
        let busy = self.machine_busy.checked_sub(earlier.machine_busy)?;
        let ours = self.ours.checked_sub(earlier.ours)?;
        (total >= 50).then(|| busy.saturating_sub(ours) as f64 / total as f64)
    }
}

/// The CPU time (user + system) this program has used so far: this process and the children
/// it has waited for (`getrusage`), and those still running (the kernel's run time of each of
/// their threads, to the nanosecond, where it keeps one; else clock ticks). `None` where the
/// counters cannot be read.
pub fn cpu_used() -> Option<Duration> {
    use nix::sys::resource::UsageWho;
    let live: Duration = live_relatives()
        .unwrap_or_default()
        .into_iter()
        .filter_map(run_time)
        .sum();
    Some(rusage(UsageWho::RUSAGE_SELF)? + waited_children_cpu()? + live)
}

/// The CPU time (user + system) of this process's children that it has waited for.
pub fn waited_children_cpu() -> Option<Duration> {
    rusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
}

fn rusage(who: nix::sys::resource::UsageWho) -> Option<Duration> {
    let usage = nix::sys::resource::getrusage(who).ok()?;
    Some(duration(usage.user_time()) + duration(usage.system_time()))
}

fn duration(t: nix::sys::time::TimeVal) -> Duration {
    Duration::from_secs(t.tv_sec().max(0) as u64) + Duration::from_micros(t.tv_usec().max(0) as u64)
}

fn ticks_per_second() -> f64 {
    use nix::unistd::{SysconfVar, sysconf};
    sysconf(SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .map_or(100.0, |t| t as f64)
}

/// Whether the other children of this process's parent belong to this program too.
static SIBLINGS_ARE_OURS: AtomicBool = AtomicBool::new(false);

/// From now on, count the other children of this process's parent as this program: an MPI
/// rank's fellow ranks are all children of `mpirun`, so their CPU is the run's, not noise.
pub fn count_siblings_as_ours() {
    SIBLINGS_ARE_OURS.store(true, Ordering::Relaxed);
}

/// The running processes that belong to this program besides this one: its children, and its
/// siblings where [`count_siblings_as_ours`] was called.
fn live_relatives() -> Option<Vec<u32>> {
    let mut pids = own_children()?;
    if SIBLINGS_ARE_OURS.load(Ordering::Relaxed) {
        pids.extend(children_of(std::os::unix::process::parent_id())?);
    }
    Some(pids)
}

/// The running children of `parent`, this process left out: every process in `/proc` whose
/// parent it is.
fn children_of(parent: u32) -> Option<Vec<u32>> {
    let parent = parent.to_string();
    let child = |entry: std::fs::DirEntry| {
        // Numbers only: `/proc/self` and `/proc/thread-self` are this process again.
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let text = std::fs::read_to_string(entry.path().join("stat")).ok()?;
        let theirs = fields_after_name(&text)?.get(1) == Some(&parent.as_str());
        (theirs && pid != std::process::id()).then_some(pid)
    };
    let entries = std::fs::read_dir("/proc").ok()?;
    Some(entries.filter_map(|entry| child(entry.ok()?)).collect())
}

/// This process's running children. Each thread's `children` list names them in a few small
/// files; where the kernel has no such lists, every process in `/proc` is read.
fn own_children() -> Option<Vec<u32>> {
    let listed: Option<Vec<String>> = std::fs::read_dir("/proc/self/task")
        .ok()?
        .map(|task| std::fs::read_to_string(task.ok()?.path().join("children")).ok())
        .collect();
    let Some(lists) = listed else {
        return children_of(std::process::id());
    };
    let pids = lists.iter().flat_map(|l| l.split_whitespace());
    Some(pids.filter_map(|pid| pid.parse().ok()).collect())
}

/// A running process's CPU ticks (user + system).
fn stat_ticks(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    ticks(&fields_after_name(&text)?, 11..13)
}

/// A running process's CPU time: the sum of its threads' run times in `schedstat`, in
/// nanoseconds (a run of a few milliseconds is below a clock tick); its ticks where the kernel
/// keeps no `schedstat`.
fn run_time(pid: u32) -> Option<Duration> {
    let threads = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let ran = |thread: std::fs::DirEntry| -> Option<u64> {
        let text = std::fs::read_to_string(thread.path().join("schedstat")).ok()?;
        text.split_whitespace().next()?.parse().ok()
    };
    let nanos: Option<u64> = threads.map(|t| ran(t.ok()?)).sum();
    nanos.map(Duration::from_nanos).or_else(|| {
        let ticks = stat_ticks(pid)?;
        Some(Duration::from_secs_f64(ticks as f64 / ticks_per_second()))
    })
}

/// The fields of a `/proc/<pid>/stat` line after the command name (which may hold spaces and
/// parentheses): state, parent pid, ...; utime is at index 11.
fn fields_after_name(stat: &str) -> Option<Vec<&str>> {
    Some(stat.rsplit_once(')')?.1.split_whitespace().collect())
}

/// The sum of the tick counters in `fields[range]`.
fn ticks(fields: &[&str], range: std::ops::Range<usize>) -> Option<u64> {
    fields
        .get(range)?
        .iter()
        .map(|t| t.parse::<u64>().ok())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn others_share_is_busy_time_not_ours() {
        let stat = |user, idle| format!("cpu  {user} 0 0 {idle} 0 0 0 0 0 0\ncpu0 1 2 3\n");
        let own = |ticks| format!("42 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 {ticks} 0 0 0 20 0 1 0");
        let before = CpuTimes::parse(&stat(100, 100), &own(10)).unwrap();
        let after = CpuTimes::parse(&stat(200, 200), &own(70)).unwrap();
        // 200 ticks passed, 100 busy, 60 of them ours: others used 40 of 200.
        assert_eq!(after.others_share_since(&before), Some(0.2));
        let soon = CpuTimes::parse(&stat(110, 110), &own(20)).unwrap();
        assert_eq!(soon.others_share_since(&before), None, "too short to tell");
    }

    #[test]
    fn computing_uses_cpu() {
        let before = cpu_used().unwrap();
        testkit::burn_cpu();
        assert!(
            cpu_used().unwrap() > before,
            "a fixed amount of work took no CPU time"
        );
    }

    /// `count_siblings_as_ours` adds `children_of(parent)`; a pool's workers are found by
    /// `own_children`: both find a running child, and its CPU time is counted.
    #[test]
    fn a_running_child_is_found_both_ways_and_its_cpu_counted() {
        let mut spin = std::process::Command::new("sh");
        spin.args(["-c", "while :; do :; done"]);
        let child = crate::child::OwnedChild::spawn(&mut spin).unwrap(); // killed on drop
        assert!(
            children_of(std::process::id())
                .unwrap()
                .contains(&child.id())
        );
        assert!(own_children().unwrap().contains(&child.id()));
        let start = std::time::Instant::now();
        while run_time(child.id()).unwrap() == Duration::ZERO {
            assert!(
                start.elapsed().as_secs() < 300,
                "the child's CPU never showed"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
