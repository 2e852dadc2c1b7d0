//! Exercise 3.4's tests: `cargo xtask exercise 3.4` runs them on your
//! `exercises/03_4_listed_images.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/03_4_listed_images.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/03_4_listed_images.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::listed_images;
use testkit::ScratchDir;
use workload::{ImageSize, image_path, make_image};

#[test]
fn listing_is_in_index_order_whatever_the_order_of_writing() {
    let dir = ScratchDir::new("listed");
    for index in [11, 3, 7, 0, 10] {
        make_image(dir.path(), ImageSize::new(4, 4), index).unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), "not an image").unwrap();
    let listed = listed_images(dir.path()).unwrap();
    let expected: Vec<_> = [0, 3, 7, 10, 11]
        .iter()
        .map(|&i| image_path(dir.path(), i))
        .collect();
    assert_eq!(listed, expected);
}
