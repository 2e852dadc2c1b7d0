//! Three ways through the heavy grid: serially, split statically, and through the queue.

use std::ops::Range;
use std::thread;

use workload::grid::Grid;

use crate::{Output, Queue, QueueError, Tally, Task};

// ANCHOR: grid_serial
/// The heavy grid, one row after another: the reference.
pub fn grid_serial(grid: &Grid) -> Vec<u64> {
    (0..grid.rows).map(|row| grid.row(row)).collect()
}
// ANCHOR_END: grid_serial

// ANCHOR: grid_static
/// A static split: worker w gets one contiguous block of rows, decided before anything runs.
pub fn grid_static(grid: &Grid, workers: usize) -> Vec<u64> {
    let mut sums = vec![0; grid.rows];
    let per_worker = grid.rows.div_ceil(workers.max(1)).max(1);
    thread::scope(|scope| {
        for (block, slots) in sums.chunks_mut(per_worker).enumerate() {
            scope.spawn(move || {
                for (i, slot) in slots.iter_mut().enumerate() {
                    *slot = grid.row(block * per_worker + i);
                }
            });
        }
    });
    sums
}
// ANCHOR_END: grid_static

/// The rows each worker of [`grid_static`] gets, and its share of the grid's arithmetic.
pub fn static_shares(grid: &Grid, workers: usize) -> Vec<(Range<usize>, f64)> {
    let per_worker = grid.rows.div_ceil(workers.max(1)).max(1);
    let total: u64 = (0..grid.rows).map(|row| grid.iterations_for(row)).sum();
    (0..grid.rows)
        .step_by(per_worker)
        .map(|start| {
            let rows = start..(start + per_worker).min(grid.rows);
            let work: u64 = rows.clone().map(|row| grid.iterations_for(row)).sum();
            (rows, work as f64 / total.max(1) as f64)
        })
        .collect()
}

// ANCHOR: grid_queue
/// A dynamic split: every row is a task on the queue, and whichever worker is free takes the
/// next one, so a worker that drew cheap rows simply takes more of them.
pub fn grid_queue(grid: Grid, queue: &Queue) -> Result<(Vec<u64>, Tally), QueueError> {
    let mut sums = vec![0; grid.rows];
    let tasks = (0..grid.rows).map(move |row| Task::Row { grid, row });
    let tally = queue.run(tasks, |done| {
        // Results come in the order they finish; the id puts each back in its place.
        if let Ok(Output::Row(sum)) = done.outcome {
            sums[done.id] = sum;
        }
    })?;
    Ok((sums, tally.check()?))
}
// ANCHOR_END: grid_queue

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_shares_cover_every_row_once() {
        let grid = Grid {
            rows: 10,
            cols: 1,
            iterations: 100,
            skew: workload::grid::Skew::Linear,
        };
        let shares = static_shares(&grid, 3);
        let rows: Vec<Range<usize>> = shares.iter().map(|(r, _)| r.clone()).collect();
        assert_eq!(rows, [0..4, 4..8, 8..10]);
        let total: f64 = shares.iter().map(|(_, share)| share).sum();
        assert!((total - 1.0).abs() < 1e-9);
        assert!(shares[0].1 < shares[1].1);
    }
}
