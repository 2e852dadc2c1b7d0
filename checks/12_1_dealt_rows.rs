//! Exercise 12.1's tests: `cargo xtask exercise 12.1` runs them on your
//! `exercises/12_1_dealt_rows.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/12_1_dealt_rows.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/12_1_dealt_rows.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::{dealt_rows, undeal};
use workload::grid::{Grid, Skew};

#[test]
fn dealt_rows_gathered_and_undealt_give_the_serial_grid() {
    let grid = Grid {
        rows: 23,
        cols: 4,
        iterations: 60,
        skew: Skew::Linear,
    };
    let serial: Vec<u64> = (0..grid.rows).map(|r| grid.row(r)).collect();
    for ranks in 1..6 {
        // What a gather in rank order would hold.
        let gathered: Vec<u64> = (0..ranks)
            .flat_map(|rank| dealt_rows(grid.rows, ranks, rank))
            .map(|r| grid.row(r))
            .collect();
        assert_eq!(undeal(&gathered, ranks), serial, "{ranks} ranks");
    }
    // The skew is spread: the last rows are no longer all on the last rank.
    let cost = |rank| {
        dealt_rows(grid.rows, 3, rank)
            .map(|r| grid.iterations_for(r))
            .sum::<u64>()
    };
    let (low, high) = (
        (0..3).map(cost).min().unwrap(),
        (0..3).map(cost).max().unwrap(),
    );
    assert!(high as f64 / low as f64 <= 1.2, "{low} - {high}");
}
