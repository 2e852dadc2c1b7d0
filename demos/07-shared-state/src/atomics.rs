//! Counters that many threads add to without a lock: one `AtomicU64` per bin shared by all,
//! and one counter per thread per bin, packed side by side or each on its own cache line.

use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

use crossbeam_utils::CachePadded;
use rayon::ThreadPool;
use rayon::prelude::*;

use crate::{Histogram, parts};

// ANCHOR: atomic_per_bin
/// One atomic counter per bin, shared by every worker. `Relaxed` is enough: each increment
/// only has to be counted once, no other memory depends on it, and the pool's end of work
/// makes every increment visible to the reads below.
pub fn atomic_per_bin(pool: &ThreadPool, pixels: &[u8]) -> Histogram {
    let bins: [AtomicU64; 256] = std::array::from_fn(|_| AtomicU64::new(0));
    pool.install(|| {
        pixels.par_iter().for_each(|&value| {
            bins[usize::from(value)].fetch_add(1, Relaxed);
        });
    });
    bins.map(|bin| bin.into_inner())
}
// ANCHOR_END: atomic_per_bin

// ANCHOR: per_thread
/// Each thread has its own counter for every value: thread `t` of `n` counts value `v` in slot
/// `v * n + t`, so a value's counters sit side by side, sharing a cache line or not as `C` says.
/// One writer per counter: a `Relaxed` load and store do the increment, no locked instruction.
pub fn per_thread_counters<C>(pixels: &[u8], threads: usize) -> Histogram
where
    C: Default + Sync + Deref<Target = AtomicU64>,
{
    let n = threads.max(1);
    let slots: Vec<C> = (0..256 * n).map(|_| C::default()).collect();
    thread::scope(|scope| {
        for (t, part) in parts(pixels, n).enumerate() {
            let slots = &slots;
            scope.spawn(move || {
                for &value in part {
                    let counter = &slots[usize::from(value) * n + t];
                    counter.store(counter.load(Relaxed) + 1, Relaxed);
                }
            });
        }
    }); // the scope joins every thread: their counts are all visible now
    std::array::from_fn(|v| slots[v * n..][..n].iter().map(|c| c.load(Relaxed)).sum())
}

// ANCHOR: slots
/// A counter with no padding: 8 of them share one 64-byte cache line (false sharing).
#[derive(Default)]
pub struct Packed(AtomicU64);

/// A counter alone on its cache line (crossbeam pads to 128 bytes on x86-64: lines go in pairs).
pub type Padded = CachePadded<AtomicU64>;
// ANCHOR_END: slots
// ANCHOR_END: per_thread

impl Deref for Packed {
    type Target = AtomicU64;
    fn deref(&self) -> &AtomicU64 {
        &self.0
    }
}
