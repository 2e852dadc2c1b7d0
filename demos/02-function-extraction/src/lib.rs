//! Demo 02: the loop body becomes a function of one index (`workload::make_image`), and the
//! loop becomes a map of that function over the indices. Nothing runs in parallel yet, but the
//! work is now in the shape every parallel strategy needs.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use workload::{ImageError, ImageSize, make_image};

// ANCHOR: map_serial
/// Make images `0..count` by mapping one-item work over the indices.
pub fn map_serial(dir: &Path, size: ImageSize, count: usize) -> Result<Vec<PathBuf>, ImageError> {
    // The closure fixes `dir` and `size`, as `functools.partial` would: the index is left
    // as the only input, so `make` can be handed to anything that maps over indices.
    let make = |index| make_image(dir, size, index);
    (0..count).map(make).collect()
}
// ANCHOR_END: map_serial
