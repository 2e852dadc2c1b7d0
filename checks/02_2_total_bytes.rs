//! Exercise 2.2's tests: `cargo xtask exercise 2.2` runs them on your
//! `exercises/02_2_total_bytes.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/02_2_total_bytes.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/02_2_total_bytes.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::total_bytes;
use testkit::ScratchDir;
use workload::ImageSize;

#[test]
fn reduced_total_matches_the_files_on_disk() {
    let dir = ScratchDir::new("total");
    let total = total_bytes(dir.path(), ImageSize::new(32, 32), 6).unwrap();
    let on_disk: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().metadata().unwrap().len())
        .sum();
    assert_eq!(total, on_disk);
    assert!(total > 6 * 32 * 32, "noise does not compress");
}
