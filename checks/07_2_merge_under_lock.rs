//! Exercise 7.2's tests: `cargo xtask exercise 7.2` runs them on your
//! `exercises/07_2_merge_under_lock.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/07_2_merge_under_lock.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/07_2_merge_under_lock.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::merge_under_lock;
use shared_state::{histogram_serial, noise_images};

#[test]
fn merged_under_a_lock_equals_the_serial_histogram() {
    let pixels = noise_images(3, workload::ImageSize::new(17, 5));
    let serial = histogram_serial(&pixels);
    for threads in [1, 2, 3, 7] {
        assert_eq!(
            merge_under_lock(&pixels, threads),
            serial,
            "{threads} threads"
        );
    }
}
