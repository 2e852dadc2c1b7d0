//! Demo 01: the baseline. One plain loop makes every noise image in turn; every later demo
//! divides this same work among workers and is measured against it.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use workload::{ImageError, ImageSize, image_path, noise_pixels, save_png};

pub mod exercises;

// ANCHOR: serial_loop
/// Make noise images `0..count` in `dir`, one after another, and return their paths.
pub fn serial_loop(dir: &Path, size: ImageSize, count: usize) -> Result<Vec<PathBuf>, ImageError> {
    let mut paths = Vec::new();
    for index in 0..count {
        let pixels = noise_pixels(index, size);
        let path = image_path(dir, index);
        save_png(&path, &pixels, size)?;
        paths.push(path);
    }
    Ok(paths)
}
// ANCHOR_END: serial_loop
