//! Exercise 7.1's tests: `cargo xtask exercise 7.1` runs them on your
//! `exercises/07_1_spawned_threads.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/07_1_spawned_threads.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/07_1_spawned_threads.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::spawned_threads;
use shared_state::{histogram_serial, noise_images};

#[test]
fn spawned_threads_give_the_serial_histogram() {
    let pixels = noise_images(3, workload::ImageSize::new(17, 5));
    let serial = histogram_serial(&pixels);
    for threads in [1, 2, 3, 7] {
        // `into` makes whichever shared slice the function takes.
        let shared = pixels.clone().into();
        assert_eq!(
            spawned_threads(shared, threads),
            serial,
            "{threads} threads"
        );
    }
    assert_eq!(spawned_threads(Vec::new().into(), 3), [0; 256]);
}
