//! Exercise 11.1's tests: `cargo xtask exercise 11.1` runs them on your
//! `exercises/11_1_workers_for.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/11_1_workers_for.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/11_1_workers_for.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::workers_for;
use speedup_plots::amdahl::Amdahl;

#[test]
fn workers_for_a_target() {
    let law = Amdahl {
        t1: 1.0,
        serial: 0.1,
    };
    assert_eq!(workers_for(law, 1.0), Some(1));
    assert_eq!(workers_for(law, 4.0), Some(6)); // 1 / (0.1 + 0.9/6) = 4.0
    assert_eq!(workers_for(law, 10.0), None);
    let perfect = Amdahl {
        t1: 1.0,
        serial: 0.0,
    };
    assert_eq!(workers_for(perfect, 8.0), Some(8));
}
