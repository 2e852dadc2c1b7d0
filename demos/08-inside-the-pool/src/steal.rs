//! Work stealing made visible: the heavy grid's rows, split in halves with `join_context`
//! until one row is left. With a skewed grid one half is much heavier than the other; a worker
//! that runs out of work takes the other half of someone else's split, and the chart shows it.

use rayon::ThreadPool;
use workload::grid::Grid;
use workload::timeline;

// ANCHOR: rows_join
/// Rows `first..first + sums.len()` of `grid` into `sums`, halves handed to `join_context`.
/// `stolen`: this part was taken from another worker's queue; its first row is marked so.
fn rows_join(grid: &Grid, first: usize, sums: &mut [u64], stolen: bool) {
    if let [sum] = sums {
        let item = if stolen {
            timeline::stolen(first)
        } else {
            first
        };
        let _span = timeline::item(item); // orange on --timeline's chart when stolen
        *sum = grid.row(first);
        return;
    }
    let mid = sums.len() / 2;
    let (left, right) = sums.split_at_mut(mid);
    rayon::join_context(
        |here| rows_join(grid, first, left, stolen || here.migrated()),
        |there| rows_join(grid, first + mid, right, there.migrated()),
    );
}
// ANCHOR_END: rows_join

/// Every row of `grid` on `pool`, split in halves down to single rows.
pub fn grid_join(pool: &ThreadPool, grid: &Grid) -> Vec<u64> {
    let mut sums = vec![0; grid.rows];
    if grid.rows > 0 {
        pool.install(|| rows_join(grid, 0, &mut sums, false));
    }
    sums
}
