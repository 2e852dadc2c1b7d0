//! A one-line description of the machine, printed above every table so a recorded run says
//! where it came from.

use std::collections::HashSet;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Machine {
    pub cpu: String,
    pub logical_cores: usize,
    /// `None` where `/proc/cpuinfo` does not say (not Linux, or a VM that hides it).
    pub physical_cores: Option<usize>,
    pub os: String,
}

impl Machine {
    pub fn current() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let logical = logical_cores();
        Self {
            cpu: field(&cpuinfo, "model name")
                .unwrap_or("unknown CPU")
                .to_owned(),
            logical_cores: logical,
            // `/proc/cpuinfo` lists the whole machine, even where this process may use only
            // some of its cores (a container, `taskset`): never more cores than we can use.
            physical_cores: physical_cores(&cpuinfo).map(|p| p.min(logical)),
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        }
    }
}

/// Cores the OS lets this process use: the pool size rayon picks by default.
pub fn logical_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Physical memory in bytes, from `/proc/meminfo`; `None` where it does not say.
pub fn memory_bytes() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib = field(&meminfo, "MemTotal")?
        .trim_end_matches("kB")
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(kib * 1024)
}

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
        let children = live_children_ticks()?;
        let mut times = Self::parse(&stat, &own)?;
        times.ours += children;
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

/// The CPU time (user + system) this program has used so far: this process, the children it
/// has waited for (`getrusage`, to the microsecond) and those still running (a pool that
/// outlives a run: `/proc`, to the clock tick). `None` where the counters cannot be read.
pub fn cpu_used() -> Option<Duration> {
    use nix::sys::resource::UsageWho;
    let live = live_children_ticks().unwrap_or(0) as f64 / ticks_per_second();
    Some(rusage(UsageWho::RUSAGE_SELF)? + waited_children_cpu()? + Duration::from_secs_f64(live))
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

/// The ticks (user + system) of the running processes that belong to this program besides
/// this one: its children, and its siblings where [`count_siblings_as_ours`] was called.
fn live_children_ticks() -> Option<u64> {
    let siblings = SIBLINGS_ARE_OURS.load(Ordering::Relaxed);
    let parent = std::os::unix::process::parent_id();
    let siblings = if siblings { children_of(parent)? } else { 0 };
    Some(own_children_ticks()? + siblings)
}

/// The ticks (user + system) of `parent`'s running children, this process left out.
fn children_of(parent: u32) -> Option<u64> {
    let parent = parent.to_string();
    let stat = |entry: std::fs::DirEntry| {
        // Numbers only: `/proc/self` and `/proc/thread-self` are this process again.
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let text = std::fs::read_to_string(entry.path().join("stat")).ok()?;
        let fields = fields_after_name(&text)?;
        let theirs = fields.get(1) == Some(&parent.as_str()) && pid != std::process::id();
        theirs.then(|| ticks(&fields, 11..13))?
    };
    let entries = std::fs::read_dir("/proc").ok()?;
    Some(entries.filter_map(|entry| stat(entry.ok()?)).sum())
}

/// The ticks (user + system) of this process's running children. Each thread's `children`
/// list names them in a few small files; where the kernel has no such lists, every process
/// in `/proc` is read to find those whose parent is this one.
fn own_children_ticks() -> Option<u64> {
    let listed: Option<Vec<String>> = std::fs::read_dir("/proc/self/task")
        .ok()?
        .map(|task| std::fs::read_to_string(task.ok()?.path().join("children")).ok())
        .collect();
    let Some(lists) = listed else {
        return children_of(std::process::id());
    };
    let stat = |pid: &str| std::fs::read_to_string(format!("/proc/{pid}/stat")).ok();
    let own = |text: String| ticks(&fields_after_name(&text)?, 11..13);
    let pids = lists.iter().flat_map(|l| l.split_whitespace());
    Some(pids.filter_map(stat).filter_map(own).sum())
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

fn field<'a>(cpuinfo: &'a str, key: &str) -> Option<&'a str> {
    cpuinfo.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim() == key).then(|| v.trim())
    })
}

/// Distinct (package, core) pairs; hyper-threads share one pair.
fn physical_cores(cpuinfo: &str) -> Option<usize> {
    let cores: HashSet<(&str, &str)> = cpuinfo
        .split("\n\n")
        .filter_map(|cpu| Some((field(cpu, "physical id")?, field(cpu, "core id")?)))
        .collect();
    (!cores.is_empty()).then_some(cores.len())
}

impl fmt::Display for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {} logical cores", self.cpu, self.logical_cores)?;
        if let Some(physical) = self.physical_cores {
            write!(f, " ({physical} physical)")?;
        }
        write!(f, ", {}", self.os)
    }
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
    fn spinning_uses_cpu() {
        let before = cpu_used().unwrap();
        let mut x = 0u64;
        while cpu_used().unwrap() <= before {
            x = std::hint::black_box(x.wrapping_add(1));
        }
    }

    /// What `count_siblings_as_ours` adds is `children_of(parent)`: check it, and the children
    /// lists, see a running child's CPU.
    #[test]
    fn a_busy_child_is_found_both_ways() {
        let mut spin = std::process::Command::new("sh");
        spin.args(["-c", "while :; do :; done"]);
        let _child = crate::child::OwnedChild::spawn(&mut spin).unwrap(); // killed on drop
        let start = std::time::Instant::now();
        while children_of(std::process::id()).unwrap() == 0 || own_children_ticks().unwrap() == 0 {
            assert!(
                start.elapsed().as_secs() < 300,
                "the child's CPU was never seen"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn hyperthreads_count_once() {
        let cpuinfo = "processor\t: 0\nphysical id\t: 0\ncore id\t: 0\n\n\
                       processor\t: 1\nphysical id\t: 0\ncore id\t: 0\n\n\
                       processor\t: 2\nphysical id\t: 0\ncore id\t: 1\n";
        assert_eq!(physical_cores(cpuinfo), Some(2));
        assert_eq!(physical_cores("processor : 0\n"), None);
        assert_eq!(field(cpuinfo, "core id"), Some("0"));
    }
}
