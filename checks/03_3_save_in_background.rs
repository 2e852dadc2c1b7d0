//! Exercise 3.3's tests: `cargo xtask exercise 3.3` runs them on your
//! `exercises/03_3_save_in_background.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(
    feature = "solutions",
    path = "../solutions/03_3_save_in_background.rs"
)]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/03_3_save_in_background.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::save_in_background;
use testkit::ScratchDir;
use workload::{ImageSize, make_image};

#[test]
fn background_saver_writes_what_the_loop_writes() {
    let (dir, reference) = (ScratchDir::new("bg"), ScratchDir::new("bg-ref"));
    let size = ImageSize::new(24, 16);
    let saved = save_in_background(dir.path(), size, 7).unwrap();
    let looped: Vec<_> = (0..7)
        .map(|i| make_image(reference.path(), size, i).unwrap())
        .collect();
    assert!(workload::same_files(&saved, &looped).unwrap());
}

#[test]
fn a_saver_that_fails_reports_its_error() {
    let dir = ScratchDir::new("bg-bad");
    let missing = dir.path().join("no such folder");
    assert!(save_in_background(&missing, ImageSize::new(8, 8), 5).is_err());
}
