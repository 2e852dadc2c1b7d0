//! Exercise 1.1: where does one item's time go?
//!
//! Time each of the three steps of the loop's body for image `index`, with `Instant`:
//! making the pixels (`noise_pixels`), encoding them as PNG in memory (`encode_png`) and
//! writing the bytes to `image_path(dir, index)` (`write_whole`). The file must be the one
//! the loop writes. Check: `cargo xtask exercise 1.1`.

use std::path::Path;
use std::time::{Duration, Instant};

use workload::{ImageSize, encode_png, image_path, noise_pixels, write_whole};

/// How long each step of the loop body took.
#[derive(Debug)]
pub struct StageTimes {
    pub noise: Duration,
    pub encode: Duration,
    pub write: Duration,
}

pub fn stage_times(dir: &Path, size: ImageSize, index: usize) -> anyhow::Result<StageTimes> {
    todo!("time the three steps, and write the image")
}
