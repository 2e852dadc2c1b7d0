//! Exercise M.1's tests: `cargo xtask exercise M.1` runs them on your
//! `exercises/m_1_parallel_fraction.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/m_1_parallel_fraction.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/m_1_parallel_fraction.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::{amdahl, parallel_fraction};

#[test]
fn amdahl_turned_around_gives_back_the_fraction() {
    for p in [0.5, 0.9, 0.95, 1.0] {
        for workers in [2, 4, 64] {
            let back = parallel_fraction(amdahl(p, workers), workers);
            assert!((back - p).abs() < 1e-9, "p {p} on {workers}: {back}");
        }
    }
    // Chapter 3's rayon par_iter row: 1.92x on 2 workers.
    let p = parallel_fraction(1.92, 2);
    assert!((p - 0.958).abs() < 0.001, "{p}");
    assert!((amdahl(p, 16) - 9.85).abs() < 0.05, "16 workers");
    assert!(
        (amdahl(p, 1_000_000) - 24.0).abs() < 0.1,
        "the ceiling 1 / (1 - p)"
    );
}
