//! The work every demo shares, so that every strategy is compared on identical work:
//! deterministic noise images saved as PNG files, reading them back, a compute-bound grid and
//! tasks that only wait. How the work is measured and run lives in `harness`.
#![forbid(unsafe_code)]

pub mod grid;
pub mod image_file;
pub mod image_name;
pub mod noise;
pub mod sleepy;
pub mod timeline;

pub use image_file::{
    Compression, ImageError, check_output, encode_png, encode_png_with, read_png_into, same_files,
    save_png, save_png_with, temp_path, write_whole,
};
pub use noise::{ImageSize, image_path, make_image, make_image_with, noise_pixels, noise_png};
