//! Exercise 3.2, solved: a parallel reduce.

use rayon::prelude::*;
use workload::{ImageSize, noise_pixels};

// ANCHOR: pixel_sum
/// Map, then reduce in parallel: the sum of every pixel of every image. Addition of integers
/// is associative, so any grouping gives the serial answer.
pub fn pixel_sum(pool: &rayon::ThreadPool, size: ImageSize, count: usize) -> u64 {
    let image_sum = |index| {
        noise_pixels(index, size)
            .iter()
            .map(|&p| u64::from(p))
            .sum::<u64>()
    };
    pool.install(|| (0..count).into_par_iter().map(image_sum).sum())
}
// ANCHOR_END: pixel_sum
