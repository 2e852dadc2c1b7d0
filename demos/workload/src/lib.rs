//! The work every demo shares, so that every strategy is compared on identical work:
//! deterministic noise images saved as PNG files, reading them back, a compute-bound grid and
//! tasks that only wait, the timing and the comparison table every demo prints, and the
//! command-line arguments they have in common, and a child process that is always reaped.
#![forbid(unsafe_code)]

pub mod child;
pub mod cli;
pub mod exercises;
pub mod grid;
pub mod image_file;
pub mod link;
pub mod machine;
pub mod noise;
pub mod process;
pub mod report;
pub mod sleepy;
pub mod stop;
pub mod testing;

pub use image_file::{
    Compression, ImageError, encode_png, encode_png_with, read_png_into, same_files, save_png,
    save_png_with, temp_path, write_whole,
};
pub use noise::{ImageSize, image_path, make_image, make_image_with, noise_pixels};
