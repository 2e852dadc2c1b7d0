//! Exercise 12.2's tests: `cargo xtask exercise 12.2` runs them on your
//! `exercises/12_2_fit.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/12_2_fit.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/12_2_fit.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use std::time::Duration;

use exercise::{fit, half_way_bytes};

#[test]
fn the_fit_finds_latency_and_bandwidth() {
    let (latency, bandwidth) = (Duration::from_nanos(500), 5e9);
    let trips: Vec<_> = [8usize, 1 << 10, 1 << 16, 1 << 20]
        .into_iter()
        .map(|b| (b, latency + Duration::from_secs_f64(b as f64 / bandwidth)))
        .collect();
    let (l, b) = fit(&trips).unwrap();
    assert!((l.as_secs_f64() - 5e-7).abs() < 1e-8, "{l:?}");
    assert!((b / bandwidth - 1.0).abs() < 1e-3, "{b}");
    assert!((half_way_bytes(l, b) - 2500.0).abs() < 50.0);
    assert_eq!(
        fit(&[(8, latency), (16, latency / 2)]),
        None,
        "faster for more bytes"
    );
}
