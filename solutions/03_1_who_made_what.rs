//! Exercise 3.1, solved: which worker made which image?

use std::path::Path;

use rayon::prelude::*;
use workload::{ImageError, ImageSize, make_image};

// ANCHOR: who_made_what
/// Results still come back in index order, whatever order the workers finished in.
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
