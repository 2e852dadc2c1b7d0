//! Exercise 6.1's tests: `cargo xtask exercise 6.1` runs them on your
//! `exercises/06_1_balanced_bands.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/06_1_balanced_bands.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/06_1_balanced_bands.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::{balanced_bands, fill_balanced};
use shared_array_fill::{Shape, fill_serial, plain_cell};

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
        assert_eq!(
            sizes.len(),
            workers.min(rows),
            "bands for {workers} workers"
        );
        assert!(
            sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1,
            "{sizes:?}"
        );
        fill_balanced(&mut cells, shape, workers, &plain_cell);
        assert_eq!(cells, serial, "{rows} rows, {workers} workers");
    }
}
