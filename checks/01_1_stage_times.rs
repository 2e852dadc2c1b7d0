//! The tests of exercise 1.1: `cargo xtask exercise 1.1` runs them against your
//! `exercises/01_1_stage_times.rs`; CI runs them against `solutions/01_1_stage_times.rs` (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/01_1_stage_times.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/01_1_stage_times.rs")]
#[cfg_attr(not(feature = "solutions"), allow(unused_variables))] // a starter's `todo!()`
mod exercise;

use exercise::stage_times;
use serial_loop::serial_loop;
use testkit::ScratchDir;
use workload::{Compression, ImageSize, image_path};

#[test]
fn staged_body_writes_the_same_file_as_the_loop() {
    let (a, b) = (ScratchDir::new("staged"), ScratchDir::new("loop"));
    let size = ImageSize::new(40, 30);
    let times = stage_times(a.path(), size, 4).unwrap();
    println!("{times:?}");
    let from_loop = serial_loop(b.path(), size, Compression::default(), 5).unwrap();
    let staged = std::fs::read(image_path(a.path(), 4)).expect("image 4 was written");
    assert_eq!(staged, std::fs::read(&from_loop[4]).unwrap());
}
