//! The tests of exercise 1.2: `cargo xtask exercise 1.2` runs them against your
//! `exercises/01_2_deterministic_loop.rs`; CI runs them against `solutions/01_2_deterministic_loop.rs` (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/01_2_deterministic_loop.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/01_2_deterministic_loop.rs")]
#[cfg_attr(not(feature = "solutions"), allow(unused_variables))] // a starter's `todo!()`
mod exercise;

use exercise::loop_is_deterministic;
use testkit::ScratchDir;
use workload::ImageSize;

#[test]
fn two_runs_of_the_loop_agree() {
    let (a, b) = (ScratchDir::new("first"), ScratchDir::new("second"));
    let same = loop_is_deterministic(a.path(), b.path(), ImageSize::new(16, 16), 4).unwrap();
    assert_eq!(same, true, "two runs of the loop wrote different bytes");
    assert!(testkit::files_below(a.path()).len() == 4, "the first run wrote 4 images");
}
