//! The fast way: every worker counts into its own histogram, and the histograms are added up
//! at the end. Nothing is shared while the work runs.

use rayon::ThreadPool;
use rayon::prelude::*;

use crate::{Histogram, count_into};

/// Pixels per task: big enough that a task's own histogram costs nothing next to its work.
pub const TASK_PIXELS: usize = 1 << 16;

// ANCHOR: fold_reduce
/// `fold` gives every task's worker a private histogram to count into; `reduce` adds the
/// private histograms up, pairwise, as the tasks finish.
pub fn fold_reduce(pool: &ThreadPool, pixels: &[u8]) -> Histogram {
    pool.install(|| {
        pixels
            .par_chunks(TASK_PIXELS)
            .fold(
                || [0; 256],
                |mut histogram, chunk| {
                    count_into(&mut histogram, chunk);
                    histogram
                },
            )
            .reduce(|| [0; 256], add)
    })
}

/// Bin by bin, `a + b`.
pub fn add(mut a: Histogram, b: Histogram) -> Histogram {
    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
    a
}
// ANCHOR_END: fold_reduce
