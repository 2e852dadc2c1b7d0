//! Solutions to the exercises of chapter 3.

use std::path::Path;

use rayon::prelude::*;
use workload::{ImageError, ImageSize, make_image, noise_pixels};

// ANCHOR: who_made_what
/// Exercise 3.1: which worker made which image? Results still come back in index order,
/// whatever order the workers finished in.
pub fn who_made_what(
    pool: &rayon::ThreadPool,
    dir: &Path,
    size: ImageSize,
    count: usize,
) -> Result<Vec<(usize, usize)>, ImageError> {
    pool.install(|| {
        (0..count)
            .into_par_iter()
            .map(|index| {
                make_image(dir, size, index)?;
                let worker = rayon::current_thread_index().expect("runs inside the pool");
                Ok((index, worker))
            })
            .collect()
    })
}
// ANCHOR_END: who_made_what

// ANCHOR: pixel_sum
/// Exercise 3.2: map, then reduce in parallel: the sum of every pixel of every image.
/// Addition of integers is associative, so any grouping gives the serial answer.
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

#[cfg(test)]
mod tests {
    use workload::testing::ScratchDir;

    use super::*;
    use crate::thread_pool;

    #[test]
    fn results_come_back_in_index_order_from_pool_workers() {
        let dir = ScratchDir::new("who");
        let pool = thread_pool(3).unwrap();
        let made = who_made_what(&pool, dir.path(), ImageSize::new(16, 16), 20).unwrap();
        let indices: Vec<usize> = made.iter().map(|&(index, _)| index).collect();
        assert_eq!(indices, (0..20).collect::<Vec<_>>());
        assert!(made.iter().all(|&(_, worker)| worker < 3));
    }

    #[test]
    fn parallel_sum_equals_serial_sum() {
        let size = ImageSize::new(64, 32);
        let serial: u64 = (0..9)
            .flat_map(|i| noise_pixels(i, size))
            .map(u64::from)
            .sum();
        for threads in [1, 2, 7] {
            assert_eq!(pixel_sum(&thread_pool(threads).unwrap(), size, 9), serial);
        }
    }
}
