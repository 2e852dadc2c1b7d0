//! Exercise 4.1's tests: `cargo xtask exercise 4.1` runs them on your
//! `exercises/04_1_start_many.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/04_1_start_many.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/04_1_start_many.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use std::process::Command;

use exercise::{start_cost_by_count, start_many};

#[test]
fn starting_many_waits_for_every_one() {
    let rows = start_cost_by_count(|| Command::new("/bin/true"), &[1, 3], 2).unwrap();
    let counts: Vec<usize> = rows.iter().map(|r| r.0).collect();
    assert_eq!(counts, [1, 3]);
    assert!(
        rows.iter()
            .all(|&(n, total, each)| each * n as u32 <= total),
        "{rows:?}"
    );
    let failing = start_many(|| Command::new("/bin/false"), 2).unwrap_err();
    assert!(failing.to_string().contains("a child failed"), "{failing}");
}
