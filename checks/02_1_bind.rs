//! Exercise 2.1's tests: `cargo xtask exercise 2.1` runs them on your
//! `exercises/02_1_bind.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/02_1_bind.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/02_1_bind.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::bind;
use testkit::ScratchDir;
use workload::{ImageSize, make_image};

#[test]
fn bound_closure_does_what_make_image_does() {
    let (a, b) = (ScratchDir::new("bound"), ScratchDir::new("direct"));
    let size = ImageSize::new(20, 10);
    let make = bind(a.path().to_owned(), size);
    let bound = std::thread::spawn(move || make(7)).join().unwrap().unwrap();
    let direct = make_image(b.path(), size, 7).unwrap();
    assert_eq!(
        std::fs::read(bound).unwrap(),
        std::fs::read(direct).unwrap()
    );
}
