//! Exercise 2.2, solved: map, then reduce.

use std::path::Path;

use workload::{ImageSize, make_image};

// ANCHOR: total_bytes
/// Each item reports the size of the file it wrote and the results are summed: the shape of
/// almost every parallel computation.
pub fn total_bytes(dir: &Path, size: ImageSize, count: usize) -> anyhow::Result<u64> {
    let file_size = |index| -> anyhow::Result<u64> {
        let path = make_image(dir, size, index)?;
        Ok(std::fs::metadata(path)?.len())
    };
    (0..count).map(file_size).sum()
}
// ANCHOR_END: total_bytes
