//! Exercise M.2's tests: `cargo xtask exercise M.2` runs them on your
//! `exercises/m_2_mean.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/m_2_mean.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/m_2_mean.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use std::time::Duration;

use exercise::mean;
use harness::report::Timing;

#[test]
fn one_slow_run_moves_the_mean_but_not_the_median() {
    let ms = |v: &[u64]| {
        v.iter()
            .map(|&m| Duration::from_millis(m))
            .collect::<Vec<_>>()
    };
    let quiet = ms(&[100, 101, 102, 103, 104]);
    let one_slow = ms(&[100, 101, 102, 103, 500]);
    assert_eq!(
        Timing::new(quiet.clone()).median(),
        Timing::new(one_slow.clone()).median()
    );
    assert_eq!(mean(&quiet), Duration::from_millis(102));
    assert_eq!(mean(&one_slow), Duration::from_micros(181_200));
}
