//! One median per image, four ways: a loop, a `rayon::scope` task per image, a thread per
//! image with `std::thread::scope`, and `par_iter`. The tasks borrow the pixels and write into
//! a `Vec` that lives on the caller's stack: no `Arc`, no `'static`.

use rayon::ThreadPool;
use rayon::prelude::*;
use workload::timeline;

use crate::sort::sorted_serial;

/// The middle value of `pixels` (the upper one of the two middles when the count is even).
pub fn median(pixels: &[u8]) -> u8 {
    sorted_serial(pixels)
        .get(pixels.len() / 2)
        .copied()
        .unwrap_or(0)
}

/// One image's median, as a bar on `--timeline`'s chart.
fn median_of(index: usize, image: &[u8]) -> u8 {
    let _span = timeline::item(index);
    median(image)
}

/// The reference: image after image.
pub fn medians_serial(pixels: &[u8], image: usize) -> Vec<u8> {
    let images = pixels.chunks(image.max(1));
    images.enumerate().map(|(i, p)| median_of(i, p)).collect()
}

// ANCHOR: rayon_scope
/// A task per image on the pool; each borrows its image and its slot of `medians`.
/// `scope` returns once every task spawned inside it has finished.
pub fn medians_rayon_scope(pool: &ThreadPool, pixels: &[u8], image: usize) -> Vec<u8> {
    let images = pixels.chunks(image.max(1));
    let mut medians = vec![0; images.len()];
    pool.scope(|scope| {
        for (i, (slot, pixels)) in medians.iter_mut().zip(images).enumerate() {
            scope.spawn(move |_| *slot = median_of(i, pixels));
        }
    });
    medians
}
// ANCHOR_END: rayon_scope

// ANCHOR: thread_scope
/// The same with `std::thread::scope`: a new OS thread for every image, none reused.
pub fn medians_thread_scope(pixels: &[u8], image: usize) -> Vec<u8> {
    let images = pixels.chunks(image.max(1));
    let mut medians = vec![0; images.len()];
    std::thread::scope(|scope| {
        for (i, (slot, pixels)) in medians.iter_mut().zip(images).enumerate() {
            scope.spawn(move || *slot = median_of(i, pixels));
        }
    });
    medians
}
// ANCHOR_END: thread_scope

/// The indexed way: `par_chunks`, results in order.
pub fn medians_par_iter(pool: &ThreadPool, pixels: &[u8], image: usize) -> Vec<u8> {
    let images = pixels.par_chunks(image.max(1));
    pool.install(|| images.enumerate().map(|(i, p)| median_of(i, p)).collect())
}
