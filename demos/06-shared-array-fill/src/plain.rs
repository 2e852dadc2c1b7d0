//! The fill a reader writes first: one array in memory, cut with `chunks_mut` into a band of
//! rows per thread, each thread borrowing its band for the scope. No `unsafe`, no lock.
#![forbid(unsafe_code)]

use crate::cells::plain_cell;

// ANCHOR: plain
/// A `rows` x `cols` array of f64, filled by `threads` threads, each with its own rows.
pub fn plain_fill(rows: usize, cols: usize, threads: usize) -> Vec<f64> {
    let mut cells = vec![0.0; rows * cols];
    let band = rows.div_ceil(threads.max(1)).max(1) * cols; // cells per thread
    std::thread::scope(|scope| {
        for (index, part) in cells.chunks_mut(band).enumerate() {
            scope.spawn(move || {
                for (offset, value) in part.iter_mut().enumerate() {
                    let cell = index * band + offset;
                    *value = plain_cell(cell / cols, cell % cols);
                }
            });
        }
    }); // every thread has finished here, and its borrow of `cells` with it
    cells
}
// ANCHOR_END: plain

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Shape, fill_serial};

    #[test]
    fn the_plain_fill_is_the_serial_fill() {
        for (rows, cols, threads) in [(1, 1, 1), (7, 5, 3), (10, 33, 4), (3, 2, 8)] {
            let mut serial = vec![0.0; rows * cols];
            fill_serial(&mut serial, Shape { rows, cols }, &plain_cell);
            assert_eq!(
                plain_fill(rows, cols, threads),
                serial,
                "{rows}x{cols}, {threads}"
            );
        }
    }
}
