//! Exercise 1.1's tests: `cargo xtask exercise 1.1` runs them on your
//! `exercises/01_1_stage_times.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/01_1_stage_times.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/01_1_stage_times.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
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
    let total = times.noise + times.encode + times.write;
    println!("{times:?}, {total:?} in all");
    let from_loop = serial_loop(b.path(), size, Compression::default(), 5).unwrap();
    let staged = std::fs::read(image_path(a.path(), 4)).expect("image 4 was written");
    assert_eq!(staged, std::fs::read(&from_loop[4]).unwrap());
}
