//! Exercise 4.1: does starting more processes cost more?
//!
//! Write `start_many`: start `processes` children from `command()` all at once
//! (`OwnedChild::spawn`), then wait for every one, and return the time from the first start to
//! the last exit; a child that fails is an error naming "a child failed". `start_cost_by_count`
//! below times it for several counts. Check: `cargo xtask exercise 4.1`.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::ensure;
use harness::report::Timing;
use process_spawn::OwnedChild;

pub fn start_many(
    mut command: impl FnMut() -> Command,
    processes: usize,
) -> anyhow::Result<Duration> {
    todo!("start them all, then wait for each")
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
