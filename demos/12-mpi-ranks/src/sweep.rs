//! The line demo 11's sweep reads: the heavy grid timed across all ranks, `--runs` times,
//! printed by rank 0 as `key=value` pairs. Demo 11 cannot link MPI, so it starts
//! `mpirun -np N 12-mpi-ranks sweep-grid ...` and parses this line.
#![forbid(unsafe_code)]

use std::time::{Duration, Instant};

use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use workload::grid::Grid;

use crate::gather::grid_my_rows;

/// Time the grid `runs` times over every rank, after one untimed warm-up run; rank 0 returns
/// the line to print.
pub fn sweep_line(
    world: &SimpleCommunicator,
    grid: Grid,
    runs: usize,
) -> anyhow::Result<Option<String>> {
    let mut times = Vec::with_capacity(runs);
    let mut digest = 0u64;
    for round in 0..=runs {
        world.barrier();
        let start = Instant::now();
        let rows = grid_my_rows(world, grid, None);
        if round > 0 {
            times.push(start.elapsed());
        }
        if let Some(rows) = rows {
            anyhow::ensure!(
                rows.len() == grid.rows,
                "rank 0 gathered {} of {} rows",
                rows.len(),
                grid.rows
            );
            digest = rows.iter().fold(0, |sum, &row| sum.wrapping_add(row));
        }
    }
    Ok((world.rank() == 0).then(|| line(world.size() as usize, &times, digest)))
}

/// `mpi-ranks heavy-grid ranks=2 runs=3 seconds=0.52,0.50,0.51 digest=...`
pub fn line(ranks: usize, times: &[Duration], digest: u64) -> String {
    let seconds: Vec<String> = times
        .iter()
        .map(|t| format!("{:.6}", t.as_secs_f64()))
        .collect();
    format!(
        "mpi-ranks heavy-grid ranks={ranks} runs={} seconds={} digest={digest}",
        times.len(),
        seconds.join(",")
    )
}
