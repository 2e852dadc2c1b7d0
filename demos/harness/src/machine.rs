//! A one-line description of the machine, printed above every table so a recorded run says
//! where it came from.

use std::collections::HashSet;
use std::fmt;

mod cpu;

pub use cpu::{CpuTimes, count_siblings_as_ours, cpu_used, waited_children_cpu};

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
    fn hyperthreads_count_once() {
        let cpuinfo = "processor\t: 0\nphysical id\t: 0\ncore id\t: 0\n\n\
                       processor\t: 1\nphysical id\t: 0\ncore id\t: 0\n\n\
                       processor\t: 2\nphysical id\t: 0\ncore id\t: 1\n";
        assert_eq!(physical_cores(cpuinfo), Some(2));
        assert_eq!(physical_cores("processor : 0\n"), None);
        assert_eq!(field(cpuinfo, "core id"), Some("0"));
    }
}
