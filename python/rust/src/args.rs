//! The command line: one subcommand per recipe, with the recipe's own flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use harness::cli::{MAX_COUNT, ThreadsArg, within};
use shared_array_fill::Shape;
use workload::ImageSize;

/// Each Python recipe's work, done the Rust way; prints `result: ...` like the recipe.
#[derive(Parser)]
#[command(name = "rust-recipes")]
pub struct Cli {
    #[command(subcommand)]
    pub recipe: Recipe,
}

#[derive(Subcommand)]
pub enum Recipe {
    /// images.py and manager_list.py: noise images written as PNG files on a rayon pool
    /// (demo 03's `par_map`; one thread is demo 02's serial map)
    Images(Images),
    /// read_into_array.py: the images decoded into one array (demo 03's `load_parallel`)
    ReadIntoArray(Images),
    /// window_fill.py: the array filled by one scoped thread per band (demo 06's `fill_scoped`)
    WindowFill(Fill),
    /// pool_initializer.py: the array filled by a rayon pool, a band per task (demo 06's
    /// `fill_rayon`)
    PoolInitializer(Fill),
    /// grid_queue.py: the heavy grid's rows on demo 05's bounded queue
    GridQueue(GridFlags),
    /// histogram.py: the noise images' pixel histogram by demo 07's fold and reduce (the
    /// pixels are made first, untimed)
    Histogram(HistogramFlags),
    /// Where the time of writing many small images goes: encoding in memory, then the file
    /// operations alone, each on one thread and on --threads (tables like the demos')
    SmallFiles {
        #[command(flatten)]
        images: Images,
        /// Times to run each row (they take turns)
        #[arg(long, value_name = "N", default_value_t = 3)]
        runs: usize,
    },
    /// requests_asyncio.py: demo 09's requests to its slow server, all at once as tokio tasks
    RequestsAsyncio(crate::requests::Requests),
    /// requests_threads.py: demo 09's requests on a pool of --pool threads, blocking sockets
    RequestsThreads(crate::requests::Requests),
    /// Check that the images in two folders decode to the same pixels, pair by pair
    SameImages {
        #[command(flatten)]
        images: Images,
        /// The folder to compare with --out
        #[arg(long, value_name = "DIR")]
        other: PathBuf,
    },
}

#[derive(Args)]
pub struct Images {
    /// How many noise images, 0 to 1000000
    #[arg(long, value_name = "N", default_value_t = 10000, value_parser = within::<0, MAX_COUNT>)]
    pub count: usize,
    /// Width of each image in pixels, 1 to 16384
    #[arg(long, value_name = "PIXELS", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=16384))]
    pub width: u32,
    /// Height of each image in pixels, 1 to 16384
    #[arg(long, value_name = "PIXELS", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=16384))]
    pub height: u32,
    /// The folder of the images
    #[arg(long, value_name = "DIR", default_value = "noise-images")]
    pub out: PathBuf,
    #[command(flatten)]
    pub threads: ThreadsArg,
}

#[derive(Args)]
pub struct HistogramFlags {
    /// How many noise images, 0 to 1000000
    #[arg(long, value_name = "N", default_value_t = 10000, value_parser = within::<0, MAX_COUNT>)]
    pub count: usize,
    /// Width of each image in pixels, 1 to 16384
    #[arg(long, value_name = "PIXELS", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=16384))]
    pub width: u32,
    /// Height of each image in pixels, 1 to 16384
    #[arg(long, value_name = "PIXELS", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=16384))]
    pub height: u32,
    #[command(flatten)]
    pub threads: ThreadsArg,
}

#[derive(Args)]
pub struct Fill {
    /// Rows of the array
    #[arg(long, value_name = "N", default_value_t = 4096)]
    pub rows: usize,
    /// Columns of the array
    #[arg(long, value_name = "N", default_value_t = 8192)]
    pub cols: usize,
    /// Rows per task (pool-initializer only)
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub band: usize,
    #[command(flatten)]
    pub threads: ThreadsArg,
}

#[derive(Args)]
pub struct GridFlags {
    /// Rows of the grid, one task each
    #[arg(long, value_name = "N", default_value_t = 120)]
    pub rows: usize,
    /// Cells per row
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub cols: usize,
    /// Rounds of xorshift per cell
    #[arg(long, value_name = "N", default_value_t = 2500)]
    pub iterations: u32,
    #[command(flatten)]
    pub threads: ThreadsArg,
}

impl Images {
    pub fn size(&self) -> ImageSize {
        ImageSize::new(self.width, self.height)
    }
}

impl Fill {
    /// The shape and a zeroed array of it, or a clean error if it cannot fit.
    pub fn array(&self) -> anyhow::Result<(Shape, Vec<f64>)> {
        let memory = harness::machine::memory_bytes().unwrap_or(u64::MAX);
        let shape = Shape::new(self.rows, self.cols, 1, memory)?;
        Ok((shape, vec![0.0; shape.cells()]))
    }
}
