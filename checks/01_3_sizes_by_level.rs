//! Exercise 1.3's tests: `cargo xtask exercise 1.3` runs them on your
//! `exercises/01_3_sizes_by_level.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/01_3_sizes_by_level.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/01_3_sizes_by_level.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::{gradient, sizes_by_level};
use workload::{Compression, ImageSize, noise_pixels};

#[test]
fn effort_pays_on_a_gradient_and_not_on_noise() {
    let size = ImageSize::new(256, 256);
    let noise = sizes_by_level(&noise_pixels(1, size), size).unwrap();
    let smooth = sizes_by_level(&gradient(size), size).unwrap();
    println!("noise {noise:?}\ngradient {smooth:?}");
    let levels: Vec<Compression> = noise.iter().map(|&(level, _)| level).collect();
    let expected = [Compression::Fast, Compression::Balanced, Compression::Best];
    assert_eq!(levels, expected, "one size per level, fastest first");
    let (fast, best) = (noise[0].1 as f64, noise[2].1 as f64);
    assert!(best > 0.99 * fast, "noise: {noise:?}");
    assert!(smooth[2].1 * 4 < smooth[0].1, "gradient: {smooth:?}");
}
