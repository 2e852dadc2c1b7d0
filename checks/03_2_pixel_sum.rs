//! The tests of exercise 3.2: `cargo xtask exercise 3.2` runs them against your
//! `exercises/03_2_pixel_sum.rs`; CI runs them against `solutions/03_2_pixel_sum.rs` (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/03_2_pixel_sum.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/03_2_pixel_sum.rs")]
#[cfg_attr(not(feature = "solutions"), allow(unused_variables))] // a starter's `todo!()`
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
