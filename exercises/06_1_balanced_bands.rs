//! Exercise 6.1: every worker gets a band.
//!
//! Cut `cells` (`shape.rows` rows of `shape.cols`) into exactly `workers` bands of whole rows
//! (fewer only if there are fewer rows), whose sizes differ by at most one row. Return each
//! band with the number of its first row. `fill_balanced` below fills the bands on scoped
//! threads; the test compares that with the serial fill. Check: `cargo xtask exercise 6.1`.

use shared_array_fill::{Shape, fill_rows};

pub fn balanced_bands(cells: &mut [f64], shape: Shape, workers: usize) -> Vec<(usize, &mut [f64])> {
    todo!("cut the bands off the front with `split_at_mut`")
}

/// Fill with one scoped thread per balanced band.
pub fn fill_balanced(
    cells: &mut [f64],
    shape: Shape,
    workers: usize,
    cell: &(impl Fn(usize, usize) -> f64 + Sync),
) {
    std::thread::scope(|scope| {
        for (first_row, rows) in balanced_bands(cells, shape, workers) {
            scope.spawn(move || fill_rows(rows, first_row, shape.cols, cell));
        }
    });
}
