//! Exercise 3.1's tests: `cargo xtask exercise 3.1` runs them on your
//! `exercises/03_1_who_made_what.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/03_1_who_made_what.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/03_1_who_made_what.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::who_made_what;
use testkit::ScratchDir;
use thread_pool_map::thread_pool;
use workload::ImageSize;

#[test]
fn results_come_back_in_index_order_from_pool_workers() {
    let dir = ScratchDir::new("who");
    let pool = thread_pool(3).unwrap();
    let made = who_made_what(&pool, dir.path(), ImageSize::new(16, 16), 20).unwrap();
    let indices: Vec<usize> = made.iter().map(|&(index, _)| index).collect();
    assert_eq!(indices, (0..20).collect::<Vec<_>>());
    assert!(made.iter().all(|&(_, worker)| worker < 3), "{made:?}");
    assert_eq!(
        testkit::files_below(dir.path()).len(),
        20,
        "every image written"
    );
}
