//! The command line of `08-inside-the-pool`.

use clap::Parser;
use harness::cli::{GridArgs, RunsArg, ThreadsArg, within};
use workload::ImageSize;

use crate::sort::CUTOFF;

/// Inside rayon's pool: a merge sort of the noise images' pixels with `join` (with and without
/// a cut-off), the heavy grid split in halves where idle workers steal (orange on --timeline's
/// chart) against a static split, a task per image with `rayon::scope` against a thread per
/// image, nested `join` inside `par_iter`, a lock that blocks the pool, and `par_bridge`.
#[derive(Parser)]
#[command(name = "08-inside-the-pool")]
pub struct Cli {
    /// Noise images (1 to 4096): their pixels are sorted, each image is one item of the median
    /// tables
    #[arg(long, value_name = "N", default_value_t = 32, value_parser = within::<1, 4096>)]
    pub count: usize,
    /// Width of each image in pixels (1 to 16384)
    #[arg(long, value_name = "PIXELS", default_value_t = 512, value_parser = within::<1, 16384>)]
    pub width: usize,
    /// Height of each image in pixels (1 to 16384)
    #[arg(long, value_name = "PIXELS", default_value_t = 512, value_parser = within::<1, 16384>)]
    pub height: usize,
    /// The join sort's cut-off: slices of at most N values are sorted serially (1 to 2^30)
    #[arg(long, value_name = "N", default_value_t = CUTOFF, value_parser = within::<1, {1 << 30}>)]
    pub cutoff: usize,
    #[command(flatten)]
    pub threads: ThreadsArg,
    #[command(flatten)]
    pub runs: RunsArg,
    #[command(flatten)]
    pub grid: GridArgs,
}

/// The most pixels the demo sorts: 256 MiB of them (and as much again to merge into).
pub const MOST_PIXELS: usize = 1 << 28;

impl Cli {
    /// The size of each image, or why the images are too many pixels in all.
    pub fn size(&self) -> Result<ImageSize, String> {
        let pixels = self.count * self.width * self.height;
        if pixels > MOST_PIXELS {
            return Err(format!(
                "--count x --width x --height is {pixels} pixels; at most {MOST_PIXELS}"
            ));
        }
        Ok(ImageSize::new(self.width as u32, self.height as u32))
    }
}
