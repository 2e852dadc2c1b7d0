//! The heavy grid: every cell needs many rounds of integer arithmetic and touches no memory,
//! so the work is compute bound. The rows can be skewed so that some cost far more than
//! others, which is what separates a static split of the rows from a dynamic queue.

use std::fmt;

use crate::noise::SplitMix64;

/// How the cost is spread over the rows. Every skew does about the same total work
/// (rows x cols x iterations rounds), so their serial times can be compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Skew {
    /// Every row costs the same.
    Even,
    /// Row r costs in proportion to r + 1: the first row almost nothing, the last twice the
    /// average.
    Linear,
    /// The last eighth of the rows cost 9 times as much as the others.
    Tail,
}

impl fmt::Display for Skew {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Even => "even",
            Self::Linear => "linear",
            Self::Tail => "tail",
        })
    }
}

// ANCHOR: heavy_cell
/// One cell of the heavy grid: `rounds` rounds of xorshift64, started from a nonzero value
/// that depends on the cell alone. Each round needs the one before and reads nothing from
/// memory, so the cost is pure arithmetic, `rounds` times the cost of one round. Every demo
/// that needs compute-bound work per item calls this, so they all compare the same work.
pub fn heavy_cell(row: usize, col: usize, rounds: u64) -> u64 {
    let mut x = start(row, col);
    for _ in 0..rounds {
        x = xorshift(x);
    }
    x
}
// ANCHOR_END: heavy_cell

// ANCHOR: heavy_cells
/// `N` neighbouring cells of a row from `first_col` on, each as [`heavy_cell`] computes it.
pub fn heavy_cells<const N: usize>(row: usize, first_col: usize, rounds: u64) -> [u64; N] {
    let mut x: [u64; N] = std::array::from_fn(|i| start(row, first_col + i));
    for _ in 0..rounds {
        for x in &mut x {
            *x = xorshift(*x);
        }
    }
    x
}
// ANCHOR_END: heavy_cells

/// A cell's first value: never zero, since xorshift would stay at zero.
fn start(row: usize, col: usize) -> u64 {
    SplitMix64(((row as u64) << 32) ^ col as u64).next_u64() | 1
}

/// One round of xorshift64.
fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// Cells that [`Grid::row`] computes together (see [`heavy_cells`]).
pub const LANES: usize = 16;

/// A grid of `rows` x `cols` cells; a cell in row r takes `iterations_for(r)` rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    pub rows: usize,
    pub cols: usize,
    /// Rounds per cell, on average over the rows.
    pub iterations: u32,
    pub skew: Skew,
}

impl Grid {
    /// Rounds of arithmetic that each cell of `row` needs.
    pub fn iterations_for(&self, row: usize) -> u64 {
        let (k, rows, row) = (u64::from(self.iterations), self.rows as u64, row as u64);
        match self.skew {
            Skew::Even => k,
            Skew::Linear => k * 2 * (row + 1) / (rows + 1),
            Skew::Tail => {
                // `heavy` rows at the end cost `h`, the rest k/2, so the mean stays about k.
                let heavy = (rows / 8).max(1);
                if row >= rows - heavy {
                    k * (rows + heavy) / (2 * heavy)
                } else {
                    k / 2
                }
            }
        }
    }

    /// Rounds of arithmetic in the whole grid.
    pub fn total_iterations(&self) -> u64 {
        (0..self.rows)
            .map(|row| self.iterations_for(row))
            .sum::<u64>()
            * self.cols as u64
    }

    // ANCHOR: row
    /// The result of one row: the wrapping sum of its cells. It depends on the grid and the
    /// row number alone, so any thread computing it, in any order, gets the same number.
    /// The cells go [`LANES`] at a time, the last few (when `cols` is not a multiple) alone.
    pub fn row(&self, row: usize) -> u64 {
        let _span = crate::timeline::item(row); // a bar on --timeline's chart; free when off
        let rounds = self.iterations_for(row);
        let whole = self.cols - self.cols % LANES;
        let lanes = (0..whole)
            .step_by(LANES)
            .flat_map(|col| heavy_cells::<LANES>(row, col, rounds));
        let rest = (whole..self.cols).map(|col| heavy_cell(row, col, rounds));
        lanes.chain(rest).fold(0, u64::wrapping_add)
    }
    // ANCHOR_END: row
}

impl fmt::Display for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} rows x {} cells, {} rounds per cell on average, {} skew",
            self.rows, self.cols, self.iterations, self.skew
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: usize, skew: Skew) -> Grid {
        Grid {
            rows,
            cols: 3,
            iterations: 800,
            skew,
        }
    }

    #[test]
    fn every_skew_does_about_the_same_total_work() {
        let even = grid(120, Skew::Even).total_iterations() as f64;
        for skew in [Skew::Linear, Skew::Tail] {
            let other = grid(120, skew).total_iterations() as f64;
            assert!(
                (other / even - 1.0).abs() < 0.02,
                "{skew}: {other} vs {even}"
            );
        }
    }

    #[test]
    fn skews_put_the_cost_where_they_say() {
        let linear = grid(10, Skew::Linear);
        assert!(linear.iterations_for(0) < linear.iterations_for(9));
        assert_eq!(linear.iterations_for(9), 2 * 800 * 10 / 11);
        let tail = grid(16, Skew::Tail);
        assert_eq!(tail.iterations_for(13), 400);
        assert_eq!(tail.iterations_for(14), 800 * 18 / 4);
        assert_eq!(grid(1, Skew::Tail).iterations_for(0), 800);
        assert_eq!(grid(1, Skew::Linear).iterations_for(0), 800);
    }

    #[test]
    fn a_row_is_the_sum_of_its_cells() {
        let g = grid(4, Skew::Linear);
        let rounds = g.iterations_for(2);
        let cells = (0..3).map(|col| heavy_cell(2, col, rounds));
        assert_eq!(g.row(2), cells.fold(0, u64::wrapping_add));
        assert_ne!(heavy_cell(2, 0, rounds), heavy_cell(2, 0, rounds + 1));
        assert_ne!(heavy_cell(0, 1, 0), 0, "the start is never zero");
    }

    #[test]
    fn a_row_in_lanes_equals_its_cells_one_by_one() {
        for cols in [0, 1, LANES - 1, LANES, LANES + 3, 3 * LANES + 5] {
            let g = Grid {
                cols,
                ..grid(3, Skew::Even)
            };
            let one_by_one = (0..cols).map(|col| heavy_cell(1, col, 800));
            assert_eq!(
                g.row(1),
                one_by_one.fold(0, u64::wrapping_add),
                "{cols} cols"
            );
        }
        let eight = heavy_cells::<LANES>(2, 5, 300);
        let alone: Vec<u64> = (5..5 + LANES).map(|col| heavy_cell(2, col, 300)).collect();
        assert_eq!(eight.to_vec(), alone);
    }

    #[test]
    fn a_row_depends_only_on_the_grid_and_its_number() {
        let g = grid(5, Skew::Linear);
        let first: Vec<u64> = (0..5).map(|r| g.row(r)).collect();
        let backwards: Vec<u64> = (0..5).rev().map(|r| g.row(r)).collect();
        assert!(first.iter().eq(backwards.iter().rev()));
        assert_ne!(first[0], first[1]);
        let from_thread = std::thread::spawn(move || g.row(3)).join().unwrap();
        assert_eq!(from_thread, first[3]);
    }
}
