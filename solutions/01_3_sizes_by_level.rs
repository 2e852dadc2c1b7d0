//! Exercise 1.3, solved: what compression effort buys on noise and on a smooth image.

use workload::{Compression, ImageSize, encode_png_with};

// ANCHOR: sizes_by_level
/// How big `pixels` becomes as a PNG file at each level of effort.
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
