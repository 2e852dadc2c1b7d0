//! Solutions to the exercises of chapter 6.
#![forbid(unsafe_code)]

use rayon::prelude::*;

use crate::cells::{Shape, fill_rows};

// ANCHOR: balanced_bands
/// Exercise 6.1: exactly `workers` bands (fewer only if there are fewer rows), whose sizes
/// differ by at most one row, cut off the front of the array with `split_at_mut`.
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

// ANCHOR: smooth
/// Exercise 6.2: each output cell is the mean of the input cell and its upper and lower
/// neighbours (at the edges, of those that exist). Workers read the whole input through a
/// shared `&[f64]` and write only their own output rows.
pub fn smooth_rows(pool: &rayon::ThreadPool, input: &[f64], output: &mut [f64], shape: Shape) {
    let cols = shape.cols;
    let row = |r: usize| &input[r * cols..(r + 1) * cols];
    pool.install(|| {
        output
            .par_chunks_mut(cols)
            .enumerate()
            .for_each(|(r, out)| {
                let above = r.checked_sub(1).map(row);
                let below = (r + 1 < shape.rows).then(|| row(r + 1));
                let neighbours = [above, Some(row(r)), below];
                let count = neighbours.iter().flatten().count() as f64;
                for (col, value) in out.iter_mut().enumerate() {
                    *value = neighbours.iter().flatten().map(|n| n[col]).sum::<f64>() / count;
                }
            });
    });
}
// ANCHOR_END: smooth

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fill_serial, plain_cell, thread_pool};

    #[test]
    fn balanced_bands_use_every_worker_and_fill_the_serial_array() {
        for (rows, workers) in [(10, 7), (10, 3), (2, 7), (8, 1), (9, 2)] {
            let shape = Shape { rows, cols: 5 };
            let mut serial = vec![0.0; shape.cells()];
            fill_serial(&mut serial, shape, &plain_cell);
            let mut cells = vec![0.0; shape.cells()];
            let sizes: Vec<usize> = balanced_bands(&mut cells, shape, workers)
                .iter()
                .map(|(_, band)| band.len() / shape.cols)
                .collect();
            assert_eq!(sizes.len(), workers.min(rows));
            assert!(
                sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1,
                "{sizes:?}"
            );
            fill_balanced(&mut cells, shape, workers, &plain_cell);
            assert_eq!(cells, serial, "{rows} rows, {workers} workers");
        }
    }

    #[test]
    fn parallel_smoothing_equals_the_serial_loop() {
        let shape = Shape { rows: 7, cols: 4 };
        let mut input = vec![0.0; shape.cells()];
        fill_serial(&mut input, shape, &|r, c| (r * r + c) as f64);
        let at = |r: usize, c: usize| input[r * shape.cols + c];
        let mut serial = vec![0.0; shape.cells()];
        for r in 0..shape.rows {
            let rows: Vec<usize> = (r.saturating_sub(1)..=(r + 1).min(shape.rows - 1)).collect();
            for c in 0..shape.cols {
                let sum: f64 = rows.iter().map(|&n| at(n, c)).sum();
                serial[r * shape.cols + c] = sum / rows.len() as f64;
            }
        }
        assert_eq!(serial[0], (0.0 + 1.0) / 2.0, "top edge: two rows");
        assert_eq!(serial[4 + 1], (1.0 + 2.0 + 5.0) / 3.0, "row 1, column 1");
        for threads in [1, 2, 3, 7] {
            let mut output = vec![0.0; shape.cells()];
            smooth_rows(&thread_pool(threads).unwrap(), &input, &mut output, shape);
            assert_eq!(output, serial, "{threads} threads");
        }
    }
}
