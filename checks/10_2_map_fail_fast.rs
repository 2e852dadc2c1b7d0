//! Exercise 10.2's tests: `cargo xtask exercise 10.2` runs them on your
//! `exercises/10_2_map_fail_fast.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/10_2_map_fail_fast.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/10_2_map_fail_fast.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::map_fail_fast;
use thread_pool_map::thread_pool;

#[test]
fn fail_fast_stops_starting_items_and_counts_every_one() {
    let pool = thread_pool(1).unwrap();
    let run = map_fail_fast(&pool, 100, |i| {
        anyhow::ensure!(i != 10, "item {i} is bad");
        Ok(())
    });
    assert_eq!(run.failures.len(), 1);
    assert_eq!(run.failures[0].id, 10);
    assert_eq!(run.failures[0].reason, "item 10 is bad");
    assert_eq!(run.completed + run.failures.len() + run.skipped, 100);
    assert!(run.skipped > 0, "{run:?}");

    let pool = thread_pool(3).unwrap();
    let run = map_fail_fast(&pool, 100, |i| {
        assert!(i != 50, "item {i} panics");
        Ok(())
    });
    assert_eq!(run.failures[0].reason, "panicked: item 50 panics");
    assert_eq!(run.completed + run.failures.len() + run.skipped, 100);

    let run = map_fail_fast(&pool, 20, |_| Ok(()));
    assert_eq!((run.completed, run.skipped), (20, 0));
}
