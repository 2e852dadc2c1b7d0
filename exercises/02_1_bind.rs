//! Exercise 2.1: `partial` by hand.
//!
//! Return a closure that takes just an index and makes that image with `make_image(dir,
//! size, index)`: the Rust version of `partial(make_image, dir, size)`. It must be callable
//! from another thread. What happens if you leave out `move`? Check: `cargo xtask exercise 2.1`.

use std::path::PathBuf;

use workload::{ImageError, ImageSize, make_image};

pub fn bind(
    dir: PathBuf,
    size: ImageSize,
) -> impl Fn(usize) -> Result<PathBuf, ImageError> + Send + Sync {
    // Replace this closure, which only panics, with one that makes the image.
    move |index| -> Result<PathBuf, ImageError> { todo!("make image {index}") }
}
