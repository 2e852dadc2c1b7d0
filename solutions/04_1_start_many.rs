//! Exercise 4.1, solved: what starting many processes at once costs.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::ensure;
use harness::report::Timing;
use process_spawn::OwnedChild;

// ANCHOR: start_many
/// Start `processes` copies of `command` all at once, then wait for every one. Returns the
/// time from the first start to the last exit.
pub fn start_many(
    mut command: impl FnMut() -> Command,
    processes: usize,
) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let mut children = Vec::with_capacity(processes);
    for _ in 0..processes {
        children.push(OwnedChild::spawn(&mut command())?);
    }
    for child in &mut children {
        let status = child.wait()?;
        ensure!(status.success(), "a child failed: {status}");
    }
    Ok(start.elapsed())
}

/// The median of `samples` runs of [`start_many`] for each count, with the time per process.
pub fn start_cost_by_count(
    mut command: impl FnMut() -> Command,
    counts: &[usize],
    samples: usize,
) -> anyhow::Result<Vec<(usize, Duration, Duration)>> {
    let mut rows = Vec::new();
    for &processes in counts {
        let runs = (0..samples.max(1))
            .map(|_| start_many(&mut command, processes))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let total = Timing::new(runs).median();
        rows.push((processes, total, total / processes.max(1) as u32));
    }
    Ok(rows)
}
// ANCHOR_END: start_many
