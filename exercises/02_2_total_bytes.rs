//! Exercise 2.2: map, then reduce.
//!
//! Make images `0..count` with `make_image` and return the total size of the files written.
//! Map each index to the size of its file, then add the sizes up; a failure to make or
//! measure one file is the function's error. Check: `cargo xtask exercise 2.2`.

use std::path::Path;

use workload::{ImageSize, make_image};

pub fn total_bytes(dir: &Path, size: ImageSize, count: usize) -> anyhow::Result<u64> {
    todo!("map each index to its file's size, then sum")
}
