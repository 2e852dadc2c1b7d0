//! Demo 07: many workers, one result they all write to. The histogram of the noise images'
//! pixel values (256 bins, one increment per pixel) computed through a lock, through atomics,
//! through per-thread counters with and without padding, and through a reduction; collecting
//! one result per image into one `Vec`; and a parameter refined in rounds of map, reduce and
//! broadcast. Every way gives the serial answer; they differ in what the sharing costs.
#![forbid(unsafe_code)]

pub mod atomics;
pub mod collect;
pub mod locks;
pub mod reduce;
pub mod rounds;
pub mod tables;

use workload::{ImageSize, noise_pixels};

/// How often each of the 256 pixel values occurs.
pub type Histogram = [u64; 256];

/// What a strategy that shares a lock can report instead of a histogram.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SharedError {
    #[error("a worker panicked while it held the histogram's lock ({0}); the lock is poisoned")]
    Poisoned(String),
}

/// The pixels of noise images `0..count`, one image after another in one array.
pub fn noise_images(count: usize, size: ImageSize) -> Vec<u8> {
    (0..count).flat_map(|i| noise_pixels(i, size)).collect()
}

/// The same pixels made on `pool`'s workers, an image per task (for the Python side by side,
/// where making 10000 images on one thread would take longer than counting them).
pub fn noise_images_on(pool: &rayon::ThreadPool, count: usize, size: ImageSize) -> Vec<u8> {
    use rayon::prelude::*;
    let mut pixels = vec![0; count * size.bytes()];
    let image = |(i, image): (usize, &mut [u8])| image.copy_from_slice(&noise_pixels(i, size));
    pool.install(|| {
        pixels
            .par_chunks_mut(size.bytes().max(1))
            .enumerate()
            .for_each(image)
    });
    pixels
}

// ANCHOR: serial
/// Add one to `histogram`'s bin of every pixel value in `pixels`.
pub fn count_into(histogram: &mut Histogram, pixels: &[u8]) {
    for &value in pixels {
        histogram[usize::from(value)] += 1;
    }
}

/// The reference: one loop, one histogram, nothing shared.
pub fn histogram_serial(pixels: &[u8]) -> Histogram {
    let mut histogram = [0; 256];
    count_into(&mut histogram, pixels);
    histogram
}
// ANCHOR_END: serial

/// `pixels` cut into at most `threads` consecutive parts of nearly equal length (the last may
/// be shorter); one part per thread.
pub fn parts(pixels: &[u8], threads: usize) -> std::slice::Chunks<'_, u8> {
    pixels.chunks(pixels.len().div_ceil(threads.max(1)).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_made_on_a_pool_equal_the_serial_ones() {
        let pool = thread_pool_map::thread_pool(3).unwrap();
        for (count, size) in [(0, (4, 4)), (1, (1, 1)), (7, (5, 3)), (4, (0, 3))] {
            let size = ImageSize::new(size.0, size.1);
            assert_eq!(
                noise_images_on(&pool, count, size),
                noise_images(count, size)
            );
        }
    }
}
