//! Demo 01: the baseline. One plain loop makes every noise image in turn; every later demo
//! divides this same work among workers and is measured against it.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use workload::{Compression, ImageError, ImageSize, image_path, noise_pixels, save_png_with};

/// How long each step of the loop's body takes: exercise 1.1's worked solution, which the
/// demo prints on its last line.
#[path = "../../../solutions/01_1_stage_times.rs"]
pub mod stages;

// ANCHOR: serial_loop
/// Make noise images `0..count` in `dir`, one after another, and return their paths.
/// `compression` is how hard the encoder works on each file.
pub fn serial_loop(
    dir: &Path,
    size: ImageSize,
    compression: Compression,
    count: usize,
) -> Result<Vec<PathBuf>, ImageError> {
    let mut paths = Vec::new();
    for index in 0..count {
        let pixels = noise_pixels(index, size);
        let path = image_path(dir, index);
        save_png_with(&path, &pixels, size, compression)?;
        paths.push(path);
    }
    Ok(paths)
}
// ANCHOR_END: serial_loop

/// True when the images in `a` and `b`, pair by pair, decode to the same pixels: files
/// written at different levels of compression hold different bytes but the same image.
pub fn same_pixels(a: &[PathBuf], b: &[PathBuf], size: ImageSize) -> Result<bool, ImageError> {
    let (mut x, mut y) = (vec![0; size.bytes()], vec![0; size.bytes()]);
    for (pa, pb) in a.iter().zip(b) {
        workload::read_png_into(pa, size, &mut x)?;
        workload::read_png_into(pb, size, &mut y)?;
        if x != y {
            return Ok(false);
        }
    }
    Ok(a.len() == b.len())
}

/// Bytes in all the files of `paths` together.
pub fn total_bytes(paths: &[PathBuf]) -> std::io::Result<u64> {
    paths.iter().map(|p| Ok(std::fs::metadata(p)?.len())).sum()
}
