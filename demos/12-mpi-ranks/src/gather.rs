//! Every rank computes its own rows; rank 0 collects them into one array with a varcount
//! gather. The same two functions serve the window fill of chapter 6 and the heavy grid.
#![forbid(unsafe_code)]

use mpi::datatype::PartitionMut;
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use shared_array_fill::{Shape, fill_rows};
use workload::grid::Grid;

use crate::shares::Shares;

// ANCHOR: gather
/// Rank 0 receives every rank's rows (`mine` on each rank, `per_row` elements a row) into one
/// array, in rank order, and returns it; the other ranks send theirs and get `None`.
pub fn gather_rows<T>(
    world: &SimpleCommunicator,
    shares: Shares,
    per_row: usize,
    mine: &[T],
) -> Option<Vec<T>>
where
    T: Equivalence + Default + Clone,
{
    let root = world.process_at_rank(0);
    if world.rank() != 0 {
        root.gather_varcount_into(mine);
        return None;
    }
    let (counts, offsets) = shares.counts_and_offsets(per_row);
    let mut all = vec![T::default(); shares.total * per_row];
    let mut parts = PartitionMut::new(&mut all[..], counts, offsets);
    root.gather_varcount_into_root(mine, &mut parts);
    Some(all)
}
// ANCHOR_END: gather

// ANCHOR: my_rows
/// The window fill of chapter 6, split by rows: this rank fills only its own rows.
pub fn fill_my_rows(world: &SimpleCommunicator, shape: Shape) -> Option<Vec<f64>> {
    let shares = Shares {
        total: shape.rows,
        ranks: world.size() as usize,
    };
    let rows = shares.range(world.rank() as usize);
    let mut mine = vec![0.0; rows.len() * shape.cols];
    fill_rows(
        &mut mine,
        rows.start,
        shape.cols,
        &shared_array_fill::plain_cell,
    );
    gather_rows(world, shares, shape.cols, &mine)
}

/// The heavy grid of chapters 5 and 11, split by rows: one `u64` per row comes back.
pub fn grid_my_rows(
    world: &SimpleCommunicator,
    grid: Grid,
    pool: Option<&rayon::ThreadPool>,
) -> Option<Vec<u64>> {
    let shares = Shares {
        total: grid.rows,
        ranks: world.size() as usize,
    };
    let rows = shares.range(world.rank() as usize);
    let mine: Vec<u64> = match pool {
        None => rows.map(|row| grid.row(row)).collect(),
        Some(pool) => crate::threads::grid_rows(pool, grid, rows),
    };
    gather_rows(world, shares, 1, &mine)
}
// ANCHOR_END: my_rows
