//! One result per image, from many workers, into one `Vec`: the job `Manager().list()` does in
//! Python. Each result is `(image index, sum of its pixel values)`.

use std::sync::{Mutex, mpsc};

use rayon::ThreadPool;
use rayon::prelude::*;

/// What each image gives: its index and the sum of its pixel values.
pub type Summary = (usize, u64);

/// One image's result; every strategy below calls it once per image.
fn summary((index, image): (usize, &[u8])) -> Summary {
    let _span = workload::timeline::item(index); // --timeline's bar
    (index, image.iter().map(|&p| u64::from(p)).sum())
}

/// The reference: a plain loop, in index order.
pub fn collect_serial(pixels: &[u8], image_bytes: usize) -> Vec<Summary> {
    pixels
        .chunks(image_bytes.max(1))
        .enumerate()
        .map(summary)
        .collect()
}

// ANCHOR: collect
/// Every worker computes its result, then pushes it onto one locked `Vec`: all results
/// arrive, in whatever order the workers happened to take the lock.
pub fn collect_mutex_push(pool: &ThreadPool, pixels: &[u8], image_bytes: usize) -> Vec<Summary> {
    let results = Mutex::new(Vec::new());
    let images = pixels.par_chunks(image_bytes.max(1)).enumerate();
    let push = |result| results.lock().unwrap().push(result); // only the push takes turns
    pool.install(|| images.map(summary).for_each(push));
    results.into_inner().unwrap()
}

/// Every worker sends its results down a channel; the receiver ends when the last sender
/// (one per rayon task) is dropped. Order: as they finish.
pub fn collect_channel(pool: &ThreadPool, pixels: &[u8], image_bytes: usize) -> Vec<Summary> {
    let (sender, receiver) = mpsc::channel();
    let images = pixels.par_chunks(image_bytes.max(1)).enumerate();
    pool.install(|| images.for_each_with(sender, |s, image| s.send(summary(image)).unwrap()));
    receiver.into_iter().collect()
}

/// No sharing at all: each result goes into its own slot, so the order is the input's.
pub fn collect_ordered(pool: &ThreadPool, pixels: &[u8], image_bytes: usize) -> Vec<Summary> {
    let images = pixels.par_chunks(image_bytes.max(1)).enumerate();
    pool.install(|| images.map(summary).collect())
}
// ANCHOR_END: collect

/// The results sorted by index: two collections hold the same results when these are equal.
pub fn as_set(mut results: Vec<Summary>) -> Vec<Summary> {
    results.sort_unstable();
    results
}
