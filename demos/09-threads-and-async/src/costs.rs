//! What a strategy costs beyond time: the most OS threads this process had at once, its peak
//! memory (resident set), and a check that it gave back every thread and descriptor.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often the sampler looks at `/proc/self/status`.
const SAMPLE_EVERY: Duration = Duration::from_millis(2);

/// The peaks of one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Peaks {
    /// OS threads of this process at once, the sampler's own not counted.
    pub threads: u64,
    /// Resident memory at its highest, in bytes; `None` where it cannot be read.
    pub rss: Option<u64>,
    /// Resident memory as the run began, in bytes.
    pub before: Option<u64>,
}

impl Peaks {
    /// What the run added to resident memory at its peak.
    pub fn added(&self) -> Option<u64> {
        Some(self.rss?.saturating_sub(self.before?))
    }
}

/// Run `work` while a thread samples the process's thread count and resident memory.
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, Peaks) {
    // The kernel's own record of the peak (VmHWM), reset where it lets us; the samples catch
    // the rest.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let done = AtomicBool::new(false);
    let before = status().map(|(_, rss)| rss);
    std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut peaks = Peaks {
                before,
                ..Peaks::default()
            };
            loop {
                let last = done.load(Ordering::Acquire);
                if let Some((threads, rss)) = status() {
                    peaks.threads = peaks.threads.max(threads.saturating_sub(1));
                    peaks.rss = Some(peaks.rss.unwrap_or(0).max(rss));
                }
                if last {
                    return peaks;
                }
                std::thread::sleep(SAMPLE_EVERY);
            }
        });
        let result = work();
        done.store(true, Ordering::Release);
        let mut peaks = sampler.join().expect("the sampler does not panic");
        if let Some(hwm) = reset.then(high_water_mark).flatten() {
            peaks.rss = Some(peaks.rss.unwrap_or(0).max(hwm));
        }
        (result, peaks)
    })
}

/// This process's threads and resident bytes now.
fn status() -> Option<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    Some((field(&text, "Threads:")?, field(&text, "VmRSS:")? * 1024))
}

fn high_water_mark() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    Some(field(&text, "VmHWM:")? * 1024)
}

fn field(status: &str, key: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].split_whitespace().next()?.parse().ok()
}

/// The threads and open descriptors of this process, to check nothing outlives a strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    pub threads: usize,
    pub fds: usize,
}

impl Held {
    pub fn now() -> Self {
        let count = |dir: &str| std::fs::read_dir(dir).map_or(0, |d| d.count());
        Self {
            threads: count("/proc/self/task"),
            fds: count("/proc/self/fd"),
        }
    }

    /// Ok once the process holds what it held at `self`. A thread that was joined may linger
    /// in `/proc` for a moment, and a rayon pool's threads end only after the pool is dropped,
    /// so it looks again for up to five seconds before it says what was left.
    pub fn check_back(self, strategy: &str) -> anyhow::Result<()> {
        let mut now = Self::now();
        for _ in 0..500 {
            if now == self {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
            now = Self::now();
        }
        anyhow::bail!(
            "{strategy} left {} threads and {} descriptors behind it (before: {} and {})",
            now.threads as i64 - self.threads as i64,
            now.fds as i64 - self.fds as i64,
            self.threads,
            self.fds
        )
    }
}

/// Bytes in MiB, for the tables.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}
