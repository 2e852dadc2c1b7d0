//! Exercise 6.1, solved: bands that use every worker.
#![forbid(unsafe_code)]

use shared_array_fill::{Shape, fill_rows};

// ANCHOR: balanced_bands
/// Exactly `workers` bands (fewer only if there are fewer rows), whose sizes differ by at
/// most one row, cut off the front of the array with `split_at_mut`.
pub fn balanced_bands(cells: &mut [f64], shape: Shape, workers: usize) -> Vec<(usize, &mut [f64])> {
    let bands = workers.clamp(1, shape.rows);
    let (base, extra) = (shape.rows / bands, shape.rows % bands);
    let mut rest = cells;
    let mut first_row = 0;
    let mut out = Vec::with_capacity(bands);
    for band in 0..bands {
        let rows = base + usize::from(band < extra); // the first `extra` bands get one more
        let (mine, after) = rest.split_at_mut(rows * shape.cols);
        out.push((first_row, mine));
        (rest, first_row) = (after, first_row + rows);
    }
    out
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
// ANCHOR_END: balanced_bands
