//! Exercise 3.1: who made what?
//!
//! Make images `0..count` on `pool`, as chapter 3's `par_map` does, and return for each one
//! the pair `(index, worker)`, where `worker` is `rayon::current_thread_index()` of the thread
//! that made it. Are the indices still in order? Check: `cargo xtask exercise 3.1`.

use std::path::Path;

use rayon::prelude::*;
use workload::{ImageError, ImageSize, make_image};

pub fn who_made_what(
    pool: &rayon::ThreadPool,
    dir: &Path,
    size: ImageSize,
    count: usize,
) -> Result<Vec<(usize, usize)>, ImageError> {
    todo!("make the images on the pool and note each one's worker")
}
