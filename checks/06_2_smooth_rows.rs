//! Exercise 6.2's tests: `cargo xtask exercise 6.2` runs them on your
//! `exercises/06_2_smooth_rows.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/06_2_smooth_rows.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/06_2_smooth_rows.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::smooth_rows;
use shared_array_fill::{Shape, fill_serial, thread_pool};

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
