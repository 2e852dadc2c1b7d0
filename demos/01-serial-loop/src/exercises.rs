//! Solutions to the exercises of chapter 1.

use std::path::Path;
use std::time::{Duration, Instant};

use workload::{
    Compression, ImageSize, encode_png, encode_png_with, image_path, noise_pixels, same_files,
    write_whole,
};

use crate::serial_loop;

// ANCHOR: stage_times
/// Exercise 1.1: how long each step of the loop body takes for image `index`.
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

// ANCHOR: deterministic
/// Exercise 1.2: run the loop twice into two folders; the files must be byte-identical,
/// because every later demo checks its output against the loop's.
pub fn loop_is_deterministic(
    a: &Path,
    b: &Path,
    size: ImageSize,
    count: usize,
) -> anyhow::Result<bool> {
    let first = serial_loop(a, size, Compression::default(), count)?;
    let second = serial_loop(b, size, Compression::default(), count)?;
    Ok(same_files(&first, &second)?)
}
// ANCHOR_END: deterministic

// ANCHOR: sizes_by_level
/// Exercise 1.3: how big `pixels` becomes as a PNG file at each level of effort.
pub fn sizes_by_level(pixels: &[u8], size: ImageSize) -> anyhow::Result<Vec<(Compression, usize)>> {
    let levels = [Compression::Fast, Compression::Balanced, Compression::Best];
    let size_at = |level| Ok((level, encode_png_with(pixels, size, level)?.len()));
    levels.into_iter().map(size_at).collect()
}

/// A smooth image, as photographs and diagrams are in places: pixel (x, y) is x + y.
pub fn gradient(size: ImageSize) -> Vec<u8> {
    let (w, h) = (size.width as usize, size.height as usize);
    (0..w * h).map(|i| (i % w + i / w) as u8).collect()
}
// ANCHOR_END: sizes_by_level

#[cfg(test)]
mod tests {
    use testkit::ScratchDir;

    use super::*;

    #[test]
    fn staged_body_writes_the_same_file_as_the_loop() {
        let (a, b) = (ScratchDir::new("staged"), ScratchDir::new("loop"));
        let size = ImageSize::new(40, 30);
        stage_times(a.path(), size, 4).unwrap();
        let from_loop = serial_loop(b.path(), size, Compression::default(), 5).unwrap();
        let staged = std::fs::read(image_path(a.path(), 4)).unwrap();
        assert_eq!(staged, std::fs::read(&from_loop[4]).unwrap());
    }

    #[test]
    fn two_runs_of_the_loop_agree() {
        let (a, b) = (ScratchDir::new("first"), ScratchDir::new("second"));
        assert!(loop_is_deterministic(a.path(), b.path(), ImageSize::new(16, 16), 4).unwrap());
    }

    #[test]
    fn effort_pays_on_a_gradient_and_not_on_noise() {
        let size = ImageSize::new(256, 256);
        let noise = sizes_by_level(&noise_pixels(1, size), size).unwrap();
        let smooth = sizes_by_level(&gradient(size), size).unwrap();
        println!("noise {noise:?}\ngradient {smooth:?}");
        let (fast, best) = (noise[0].1 as f64, noise[2].1 as f64);
        assert!(best > 0.99 * fast, "noise: {noise:?}");
        assert!(smooth[2].1 * 4 < smooth[0].1, "gradient: {smooth:?}");
    }
}
