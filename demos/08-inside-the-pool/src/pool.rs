//! The pool itself: a `par_iter` whose items `join` again inside (nested parallelism, on the
//! same workers), and the classic mistake, a lock held for each item's whole work.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};
use std::thread::ThreadId;

use rayon::ThreadPool;
use rayon::prelude::*;
use workload::timeline;

use crate::scoped::median;
use crate::sort::{CUTOFF, merge_sort_join};

// ANCHOR: nested
/// A `par_iter` over the images whose every item sorts its image with `join`: the inner
/// tasks go on the same pool's queues, so no thread is started and none waits idle.
pub fn medians_nested(pool: &ThreadPool, pixels: &[u8], image: usize) -> Vec<u8> {
    let images = pixels.par_chunks(image.max(1));
    pool.install(|| {
        let median = |(i, pixels): (usize, &[u8])| {
            let _span = timeline::item(i); // a bar on --timeline's chart
            let (mut values, mut scratch) = (pixels.to_vec(), vec![0; pixels.len()]);
            merge_sort_join(&mut values, &mut scratch, CUTOFF);
            values.get(values.len() / 2).copied().unwrap_or(0)
        };
        images.enumerate().map(median).collect()
    })
}
// ANCHOR_END: nested

/// The threads that ran [`medians_nested`]'s inner sorts: never more than the pool has.
pub fn threads_nested(pool: &ThreadPool, pixels: &[u8], image: usize) -> usize {
    let seen: Mutex<HashSet<ThreadId>> = Mutex::default();
    let note = || {
        let id = std::thread::current().id();
        seen.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id);
    };
    pool.install(|| {
        pixels.par_chunks(image.max(1)).for_each(|pixels| {
            let (left, right) = pixels.split_at(pixels.len() / 2);
            rayon::join(|| (note(), median(left)), || (note(), median(right)));
        });
    });
    seen.into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .len()
}

// ANCHOR: blocking
/// The mistake: every item holds one shared lock while it works (a log file, a connection,
/// a cache behind a `Mutex`). The other workers block on it: one image at a time.
pub fn medians_under_lock(pool: &ThreadPool, pixels: &[u8], image: usize) -> Vec<u8> {
    let lock = Mutex::new(());
    let images = pixels.par_chunks(image.max(1));
    pool.install(|| {
        let median = |(i, pixels): (usize, &[u8])| {
            let _held = lock.lock().unwrap_or_else(PoisonError::into_inner);
            let _span = timeline::item(i); // the bar starts once the lock is held
            median(pixels)
        };
        images.enumerate().map(median).collect()
    })
}
// ANCHOR_END: blocking
