//! Exercise 1.1, solved: time each step of the loop's body on its own.

use std::path::Path;
use std::time::{Duration, Instant};

use workload::{ImageSize, encode_png, image_path, noise_pixels, write_whole};

// ANCHOR: stage_times
/// How long each step of the loop body takes for image `index`.
#[derive(Debug)]
pub struct StageTimes {
    pub noise: Duration,
    pub encode: Duration,
    pub write: Duration,
}

pub fn stage_times(dir: &Path, size: ImageSize, index: usize) -> anyhow::Result<StageTimes> {
    let start = Instant::now();
    let pixels = noise_pixels(index, size);
    let noise = start.elapsed();

    let start = Instant::now();
    let png = encode_png(&pixels, size)?;
    let encode = start.elapsed();

    let start = Instant::now();
    write_whole(&image_path(dir, index), &png)?;
    let write = start.elapsed();

    Ok(StageTimes {
        noise,
        encode,
        write,
    })
}
// ANCHOR_END: stage_times
