//! Noise image `i`: W x H random grey pixels seeded only by `i`.

use std::path::{Path, PathBuf};

use crate::image_file::{Compression, ImageError, encode_png, save_png, save_png_with};

// Kept here too for the callers that name them so.
pub use crate::image_file::ImageSize;
pub use crate::image_name::{image_index, image_path, is_image_file};

/// SplitMix64, a tiny well-mixed generator. Its whole state is one `u64`, so seeding it with
/// the image index gives image `i` the same bytes on any thread, in any order.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The pixels of noise image `index`: depends on `index` and `size` alone.
pub fn noise_pixels(index: usize, size: ImageSize) -> Vec<u8> {
    let mut rng = SplitMix64(index as u64);
    let mut pixels = vec![0; size.bytes()];
    for chunk in pixels.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next_u64().to_le_bytes()[..chunk.len()]);
    }
    pixels
}

// ANCHOR: make_image
/// One item of work: make noise image `index` and save it in `dir`.
/// Everything it needs comes in as arguments, so any thread can run any index.
pub fn make_image(dir: &Path, size: ImageSize, index: usize) -> Result<PathBuf, ImageError> {
    let _span = crate::timeline::item(index); // a bar on --timeline's chart; free when off
    let path = image_path(dir, index);
    save_png(&path, &noise_pixels(index, size), size)?;
    Ok(path)
}
// ANCHOR_END: make_image

/// [`make_image`] with the encoder's effort chosen by the caller (`--compression`);
/// `make_image` uses the default.
pub fn make_image_with(
    dir: &Path,
    size: ImageSize,
    compression: Compression,
    index: usize,
) -> Result<PathBuf, ImageError> {
    let _span = crate::timeline::item(index);
    let path = image_path(dir, index);
    save_png_with(&path, &noise_pixels(index, size), size, compression)?;
    Ok(path)
}

/// Image `index` as the bytes of its PNG file, for a worker that sends them rather than
/// writing them (chapter 4's pool).
pub fn noise_png(index: usize, size: ImageSize) -> Result<Vec<u8>, png::EncodingError> {
    let _span = crate::timeline::item(index);
    encode_png(&noise_pixels(index, size), size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_index_same_pixels_other_index_other_pixels() {
        let size = ImageSize::new(13, 7);
        assert_eq!(noise_pixels(5, size), noise_pixels(5, size));
        assert_ne!(noise_pixels(5, size), noise_pixels(6, size));
        assert_eq!(noise_pixels(5, size).len(), 91);
    }

    #[test]
    fn pixels_look_random() {
        let pixels = noise_pixels(0, ImageSize::new(256, 256));
        let mut seen = [0u32; 256];
        for &p in &pixels {
            seen[p as usize] += 1;
        }
        // 65536 bytes over 256 values: each should appear about 256 times.
        assert!(seen.iter().all(|&n| (150..370).contains(&n)), "{seen:?}");
    }
}
