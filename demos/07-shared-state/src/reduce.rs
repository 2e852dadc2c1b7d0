//! The fast way: every worker counts into its own histogram, and the histograms are added up
//! at the end. Nothing is shared while the work runs.

use rayon::ThreadPool;
use rayon::prelude::*;

use crate::{Histogram, count_into};

// ANCHOR: fold_reduce
/// `fold` gives every task's worker a private histogram to count its images into; `reduce`
/// adds the private histograms up, pairwise, as the tasks finish.
pub fn fold_reduce(pool: &ThreadPool, pixels: &[u8], image_bytes: usize) -> Histogram {
    let images = pixels.par_chunks(image_bytes.max(1)).enumerate();
    let count = |mut histogram: Histogram, (i, image): (usize, &[u8])| {
        let _span = workload::timeline::item(i); // --timeline's bar
        count_into(&mut histogram, image);
        histogram
    };
    pool.install(|| images.fold(|| [0; 256], count).reduce(|| [0; 256], add))
}

/// Bin by bin, `a + b`.
pub fn add(mut a: Histogram, b: Histogram) -> Histogram {
    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
    a
}
// ANCHOR_END: fold_reduce
