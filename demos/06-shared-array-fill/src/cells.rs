//! The array and what goes into each cell: the shape, the cheap value of a plain fill, the
//! expensive value of the heavy grid, and the loop that fills a run of rows.
#![forbid(unsafe_code)]

use std::fmt;

use workload::grid::heavy_cell;

/// Rows x columns of `f64`, stored row after row in one slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shape {
    pub rows: usize,
    pub cols: usize,
}

/// Why a shape cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ShapeError {
    #[error("an array needs at least one row and one column (got {0})")]
    Empty(String),
    #[error(
        "{0} cells of 8 bytes do not fit in this machine's address space (or more than 2^31 - 1 columns)"
    )]
    Overflow(String),
    #[error(
        "a {shape} array needs {gib:.1} GiB; the demo holds {copies} such arrays at once and this machine has {memory:.1} GiB"
    )]
    TooBig {
        shape: String,
        gib: f64,
        copies: u64,
        memory: f64,
    },
}

impl Shape {
    /// A shape of which `copies` arrays fit in `memory` bytes.
    pub fn new(rows: usize, cols: usize, copies: u64, memory: u64) -> Result<Self, ShapeError> {
        let shape = Self { rows, cols };
        if rows == 0 || cols == 0 {
            return Err(ShapeError::Empty(shape.to_string()));
        }
        let bytes = rows
            .checked_mul(cols)
            .and_then(|cells| cells.checked_mul(size_of::<f64>()))
            .filter(|&bytes| isize::try_from(bytes).is_ok() && i32::try_from(cols).is_ok())
            .ok_or_else(|| ShapeError::Overflow(shape.to_string()))?;
        if (bytes as u64).saturating_mul(copies) > memory {
            return Err(ShapeError::TooBig {
                shape: shape.to_string(),
                gib: gib(bytes as u64),
                copies,
                memory: gib(memory),
            });
        }
        Ok(shape)
    }

    pub const fn cells(self) -> usize {
        self.rows * self.cols
    }

    pub const fn bytes(self) -> usize {
        self.cells() * size_of::<f64>()
    }
}

fn gib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 30) as f64
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.rows, self.cols)
    }
}

// ANCHOR: cells
/// The plain fill's value for a cell: row 12, column 345 holds about 12.000345. Cheap on
/// purpose: filling the array is then limited by memory, not by arithmetic. (A column fits
/// in an `i32`, see [`Shape::new`], and turning that into an `f64` is much cheaper than
/// turning a `usize` into one.)
pub fn plain_cell(row: usize, col: usize) -> f64 {
    row as f64 + f64::from(col as i32) * 1e-6
}

/// The heavy grid's value for a cell: the shared workload's `heavy_cell` (`rounds` rounds
/// of xorshift64, the same work as demo 05's grid), its top 53 bits turned into a number in
/// [0, 1). Each round needs the one before, so it is pure computation.
pub fn heavy_value(row: usize, col: usize, rounds: u64) -> f64 {
    (heavy_cell(row, col, rounds) >> 11) as f64 / (1u64 << 53) as f64
}

/// Fill `rows` (whole rows of `cols` cells, the first being `first_row`) from `cell`.
/// Every strategy ends up calling this on its own part of the array.
pub fn fill_rows(
    rows: &mut [f64],
    first_row: usize,
    cols: usize,
    cell: &impl Fn(usize, usize) -> f64,
) {
    for (offset, row) in rows.chunks_mut(cols).enumerate() {
        let _span = workload::timeline::item(first_row + offset); // --timeline's bar
        for (col, value) in row.iter_mut().enumerate() {
            *value = cell(first_row + offset, col);
        }
    }
}
// ANCHOR_END: cells

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_checked() {
        let plenty = u64::MAX;
        assert_eq!(Shape::new(3, 4, 1, plenty).unwrap().bytes(), 96);
        assert!(matches!(
            Shape::new(0, 4, 1, plenty),
            Err(ShapeError::Empty(_))
        ));
        assert!(matches!(
            Shape::new(4, 0, 1, plenty),
            Err(ShapeError::Empty(_))
        ));
        assert!(matches!(
            Shape::new(usize::MAX / 4, 3, 1, plenty),
            Err(ShapeError::Overflow(_))
        ));
        assert!(matches!(
            Shape::new(1 << 10, 1 << 10, 200, 1 << 30),
            Err(ShapeError::TooBig { .. })
        ));
    }

    #[test]
    fn cells_are_deterministic_and_distinct() {
        assert_eq!(plain_cell(12, 345), 12.0 + 345.0 * 1e-6);
        assert_ne!(plain_cell(1, 0), plain_cell(0, 1));
        let x = heavy_value(3, 5, 100);
        assert_eq!(x, heavy_value(3, 5, 100));
        assert!((0.0..1.0).contains(&x));
        assert_ne!(heavy_value(3, 5, 100), heavy_value(3, 5, 101));
        assert_eq!(
            heavy_value(3, 5, 100),
            (heavy_cell(3, 5, 100) >> 11) as f64 * 0.5f64.powi(53)
        );
    }

    #[test]
    fn fill_rows_starts_at_the_given_row() {
        let mut rows = vec![0.0; 6];
        fill_rows(&mut rows, 10, 3, &|r, c| (r * 10 + c) as f64);
        assert_eq!(rows, [100.0, 101.0, 102.0, 110.0, 111.0, 112.0]);
    }
}
