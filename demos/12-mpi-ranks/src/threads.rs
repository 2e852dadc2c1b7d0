//! One machine's references: the same work done serially and by rayon's threads, inside one
//! process, and the helper that keeps the other ranks out of the way while rank 0 does it.
#![forbid(unsafe_code)]

use std::ops::Range;
use std::time::Duration;

use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use rayon::prelude::*;
use workload::grid::Grid;

/// The rows `rows` of the heavy grid on `pool`'s threads, one task per row.
pub fn grid_rows(pool: &rayon::ThreadPool, grid: Grid, rows: Range<usize>) -> Vec<u64> {
    pool.install(|| rows.into_par_iter().map(|row| grid.row(row)).collect())
}

/// How often an idle rank looks whether rank 0 is done.
const NAP: Duration = Duration::from_millis(1);

// ANCHOR: alone
/// Run `work` on rank 0 alone while every other rank sleeps; rank 0 gets its result. A rank
/// blocked in an MPI call spins on its core (Open MPI polls for speed), which would steal a
/// core from rank 0's threads, so the others wait on a non-blocking barrier and nap. (A
/// non-blocking barrier only matches non-blocking ones, so rank 0 joins one too.)
pub fn alone_on_root<R>(world: &SimpleCommunicator, work: impl FnOnce() -> R) -> Option<R> {
    if world.rank() == 0 {
        let result = work();
        world.immediate_barrier().wait();
        return Some(result);
    }
    let mut barrier = world.immediate_barrier();
    loop {
        match barrier.test() {
            Ok(_) => return None,
            Err(pending) => barrier = pending,
        }
        std::thread::sleep(NAP);
    }
}
// ANCHOR_END: alone
