//! The CPU time a run used: this process, the children it has waited for, and the worker
//! processes still running (a pool that outlives a run, an MPI rank's fellow ranks); and how
//! busy the rest of the machine was meanwhile.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::ps;

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
        use procfs::CurrentSI;
        let machine = procfs::KernelStats::current().ok()?.total;
        let own = procfs::process::Process::myself().ok()?.stat().ok()?;
        let others: u64 = live_relatives().into_iter().filter_map(ps::cpu_ticks).sum();
        let mut times = Self::from_counters(&machine, &own);
        times.ours += others;
        Some(times)
    }

    fn from_counters(machine: &procfs::CpuTime, own: &procfs::process::Stat) -> Self {
        let optional = [machine.iowait, machine.irq, machine.softirq, machine.steal];
        let machine_total = machine.user
            + machine.nice
            + machine.system
            + machine.idle
            + optional.iter().flatten().sum::<u64>();
        let idle = machine.idle + machine.iowait.unwrap_or(0);
        let waited = (own.cutime + own.cstime).max(0) as u64;
        Self {
            machine_busy: machine_total - idle,
            machine_total,
            ours: own.utime + own.stime + waited,
        }
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
/// it has waited for (`getrusage`), and those still running (see [`ps::cpu_time`]). `None`
/// where the counters cannot be read.
pub fn cpu_used() -> Option<Duration> {
    use nix::sys::resource::UsageWho;
    let live: Duration = live_relatives().into_iter().filter_map(ps::cpu_time).sum();
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

/// Whether the other children of this process's parent belong to this program too.
static SIBLINGS_ARE_OURS: AtomicBool = AtomicBool::new(false);

/// From now on, count the other children of this process's parent as this program: an MPI
/// rank's fellow ranks are all children of `mpirun`, so their CPU is the run's, not noise.
pub fn count_siblings_as_ours() {
    SIBLINGS_ARE_OURS.store(true, Ordering::Relaxed);
}

/// The running processes that belong to this program besides this one: its children, and its
/// siblings where [`count_siblings_as_ours`] was called.
fn live_relatives() -> Vec<u32> {
    let mut pids = ps::own_children();
    if SIBLINGS_ARE_OURS.load(Ordering::Relaxed) {
        let siblings = ps::children_of(std::os::unix::process::parent_id());
        pids.extend(
            siblings
                .into_iter()
                .filter(|&pid| pid != std::process::id()),
        );
    }
    pids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn others_share_is_busy_time_not_ours() {
        use procfs::{ExplicitSystemInfo, FromRead, FromReadSI, KernelStats};
        let info = ExplicitSystemInfo {
            boot_time_secs: 0,
            ticks_per_second: 100,
            page_size: 4096,
            is_little_endian: true,
        };
        let times = |user, idle, ours| {
            let stat = format!(
                "cpu  {user} 0 0 {idle} 0 0 0 0 0 0\ncpu0 1 2 3 4\nctxt 0\nbtime 0\nprocesses 0\n"
            );
            let own = format!(
                "42 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 {ours} 0 0 0 20 0 1 0 0 0 0 0 0 0 0 0 0 0 \
                 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"
            );
            let machine = KernelStats::from_read(stat.as_bytes(), &info)
                .unwrap()
                .total;
            let own = procfs::process::Stat::from_read(own.as_bytes()).unwrap();
            CpuTimes::from_counters(&machine, &own)
        };
        let before = times(100, 100, 10);
        let after = times(200, 200, 70);
        // 200 ticks passed, 100 busy, 60 of them ours: others used 40 of 200.
        assert_eq!(after.others_share_since(&before), Some(0.2));
        let soon = times(110, 110, 20);
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
}
