//! Exercise 11.2's tests: `cargo xtask exercise 11.2` runs them on your
//! `exercises/11_2_last_efficient.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/11_2_last_efficient.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/11_2_last_efficient.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::last_efficient;

#[test]
fn last_efficient_count() {
    let points = [(1, 1.0), (2, 0.52), (3, 0.5), (4, 0.5)];
    assert_eq!(last_efficient(&points, 0.9), Some(2));
    assert_eq!(last_efficient(&points, 0.2), Some(4));
    assert_eq!(last_efficient(&points[1..], 0.5), None);
}
