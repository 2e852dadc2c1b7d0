//! Exercise 8.2's tests: `cargo xtask exercise 8.2` runs them on your
//! `exercises/08_2_join_quicksort.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/08_2_join_quicksort.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/08_2_join_quicksort.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::quicksort_join;
use thread_pool_map::thread_pool;
use workload::{ImageSize, noise_pixels};

/// Sorts a copy of `values` on a pool of `threads` and checks it against the standard sort.
fn check(values: &[u8], threads: usize, cutoff: usize) {
    let mut expected = values.to_vec();
    expected.sort_unstable();
    let mut got = values.to_vec();
    thread_pool(threads)
        .unwrap()
        .install(|| quicksort_join(&mut got, cutoff));
    let case = format!(
        "{} values, {threads} threads, cut-off {cutoff}",
        values.len()
    );
    assert_eq!(got, expected, "{case}");
}

#[test]
fn the_join_quicksort_equals_the_serial_sort_on_every_pool_and_cutoff() {
    let pixels = noise_pixels(5, ImageSize::new(100_003, 1));
    for len in [0, 1, 1009, 100_003] {
        for threads in [1, 2, 3, 7] {
            for cutoff in [1, 7, 4096] {
                check(&pixels[..len], threads, cutoff);
            }
        }
    }
}

#[test]
fn equal_values_and_two_values_still_get_sorted() {
    let equal = vec![42; 101];
    let two: Vec<u8> = (0..1009)
        .map(|i| if i % 3 == 0 { 200 } else { 9 })
        .collect();
    for threads in [1, 2, 7] {
        for cutoff in [1, 7] {
            check(&equal, threads, cutoff);
            check(&two, threads, cutoff);
        }
    }
}
