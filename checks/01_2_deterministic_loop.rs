//! Exercise 1.2's tests: `cargo xtask exercise 1.2` runs them on your
//! `exercises/01_2_deterministic_loop.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(
    feature = "solutions",
    path = "../solutions/01_2_deterministic_loop.rs"
)]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/01_2_deterministic_loop.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::loop_is_deterministic;
use testkit::ScratchDir;
use workload::ImageSize;

#[test]
fn two_runs_of_the_loop_agree() {
    let (a, b) = (ScratchDir::new("first"), ScratchDir::new("second"));
    let same = loop_is_deterministic(a.path(), b.path(), ImageSize::new(16, 16), 4).unwrap();
    assert!(same, "two runs of the loop wrote different bytes");
    assert!(
        testkit::files_below(a.path()).len() == 4,
        "the first run wrote 4 images"
    );
}
