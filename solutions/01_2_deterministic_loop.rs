//! Exercise 1.2, solved: two runs of the loop write the same bytes.

use std::path::Path;

use serial_loop::serial_loop;
use workload::{Compression, ImageSize, same_files};

// ANCHOR: deterministic
/// Run the loop twice into two folders; the files must be byte-identical, because every
/// later demo checks its output against the loop's.
pub fn loop_is_deterministic(
    a: &Path,
    b: &Path,
    size: ImageSize,
    count: usize,
) -> anyhow::Result<bool> {
    let first = serial_loop(a, size, Compression::default(), count)?;
    let second = serial_loop(b, size, Compression::default(), count)?;
    Ok(same_files(&first, &second)?)
}
// ANCHOR_END: deterministic
