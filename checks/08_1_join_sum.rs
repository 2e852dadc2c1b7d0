//! Exercise 8.1's tests: `cargo xtask exercise 8.1` runs them on your
//! `exercises/08_1_join_sum.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/08_1_join_sum.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/08_1_join_sum.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::sum_join;
use thread_pool_map::thread_pool;
use workload::{ImageSize, noise_pixels};

/// Noise pixels of the lengths the chapter asks for: none, one, a prime and many.
fn inputs() -> Vec<Vec<u8>> {
    let pixels = noise_pixels(3, ImageSize::new(100_003, 1));
    [0, 1, 1009, 100_003]
        .map(|len| pixels[..len].to_vec())
        .into()
}

#[test]
fn the_join_sum_equals_the_serial_sum_on_every_pool_and_cutoff() {
    for pixels in inputs() {
        let expected: u64 = pixels.iter().map(|&p| u64::from(p)).sum();
        for threads in [1, 2, 3, 7] {
            let pool = thread_pool(threads).unwrap();
            for cutoff in [1, 7, 4096] {
                let got = pool.install(|| sum_join(&pixels, cutoff));
                let case = format!(
                    "{} values, {threads} threads, cut-off {cutoff}",
                    pixels.len()
                );
                assert_eq!(got, expected, "{case}");
            }
        }
    }
}

#[test]
fn a_sum_of_bright_pixels_does_not_overflow() {
    let pixels = vec![u8::MAX; 100_003];
    let pool = thread_pool(3).unwrap();
    for cutoff in [1, 4096, 1_000_000] {
        let got = pool.install(|| sum_join(&pixels, cutoff));
        assert_eq!(got, 255 * 100_003, "100003 pixels of 255, cut-off {cutoff}");
    }
}
