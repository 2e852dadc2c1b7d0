//! Exercise 3.2's tests: `cargo xtask exercise 3.2` runs them on your
//! `exercises/03_2_pixel_sum.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/03_2_pixel_sum.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/03_2_pixel_sum.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::pixel_sum;
use thread_pool_map::thread_pool;
use workload::{ImageSize, noise_pixels};

#[test]
fn parallel_sum_equals_serial_sum() {
    let size = ImageSize::new(64, 32);
    let serial: u64 = (0..9)
        .flat_map(|i| noise_pixels(i, size))
        .map(u64::from)
        .sum();
    for threads in [1, 2, 7] {
        let pool = thread_pool(threads).unwrap();
        assert_eq!(pixel_sum(&pool, size, 9), serial, "{threads} threads");
    }
}
