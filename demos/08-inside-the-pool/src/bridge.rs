//! `par_bridge`: a plain `Iterator`, one item per `next()` (lines of a file, a `read_dir`),
//! fed to the pool. The workers take turns calling `next()`, so the iterator itself runs one
//! step at a time, and the results come back in the order they finish, not the input order.

use rayon::ThreadPool;
use rayon::prelude::*;
use workload::{ImageSize, noise_pixels};

use crate::scoped::median;

/// (image, its median), the result of every strategy here.
pub type Median = (usize, u8);

/// Noise images `0..count`, each made when `next()` asks for it.
fn made(count: usize, size: ImageSize) -> impl Iterator<Item = (usize, Vec<u8>)> + Send {
    (0..count).map(move |i| (i, noise_pixels(i, size)))
}

fn median_of((index, pixels): (usize, Vec<u8>)) -> Median {
    let _span = workload::timeline::item(index); // a bar on --timeline's chart
    (index, median(&pixels))
}

/// The reference: one image made and measured after another.
pub fn bridge_serial(count: usize, size: ImageSize) -> Vec<Median> {
    made(count, size).map(median_of).collect()
}

// ANCHOR: par_bridge
/// The same iterator fed to the pool: making each image (inside `next()`) stays one at a
/// time, measuring it runs in parallel, and the results arrive in any order.
pub fn bridge_par(pool: &ThreadPool, count: usize, size: ImageSize) -> Vec<Median> {
    pool.install(|| made(count, size).par_bridge().map(median_of).collect())
}
// ANCHOR_END: par_bridge

/// The indexed way: the workers split `0..count` and make their own images, in order.
pub fn indexed_par(pool: &ThreadPool, count: usize, size: ImageSize) -> Vec<Median> {
    let image = |i| (i, noise_pixels(i, size));
    pool.install(|| {
        (0..count)
            .into_par_iter()
            .map(image)
            .map(median_of)
            .collect()
    })
}

/// `medians` in image order, to compare a `par_bridge` result with the reference.
pub fn in_order(mut medians: Vec<Median>) -> Vec<Median> {
    medians.sort_unstable();
    medians
}
