//! Exercise 2.1, solved: `functools.partial` by hand.

use std::path::PathBuf;

use workload::{ImageError, ImageSize, make_image};

// ANCHOR: bind
/// The returned closure owns copies of `dir` and `size` (`move`), so it can outlive this call
/// and be sent to another thread.
pub fn bind(
    dir: PathBuf,
    size: ImageSize,
) -> impl Fn(usize) -> Result<PathBuf, ImageError> + Send + Sync {
    move |index| make_image(&dir, size, index)
}
// ANCHOR_END: bind
