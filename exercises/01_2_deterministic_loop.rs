//! Exercise 1.2: prove two runs agree.
//!
//! Run the loop (`serial_loop`, at `Compression::default()`) twice, into folders `a` and `b`,
//! and return whether the files are byte-identical. `workload::same_files` compares two lists
//! of paths pair by pair. Check: `cargo xtask exercise 1.2`.

use std::path::Path;

use serial_loop::serial_loop;
use workload::{Compression, ImageSize, same_files};

pub fn loop_is_deterministic(
    a: &Path,
    b: &Path,
    size: ImageSize,
    count: usize,
) -> anyhow::Result<bool> {
    todo!("run the loop into `a`, then into `b`, and compare")
}
