//! The Rust side of `cargo xtask python`: one subcommand per Python recipe in `python/`, doing
//! the same work with the same flags through the demos' own library code, and printing its
//! result on a last line `result: ...` in the same form as the recipe, so the two can be
//! compared. Run whole, as a process, so that its time is compared with the whole Python run.
#![forbid(unsafe_code)]

mod small_files;

// Many small images are many small allocations inside the PNG encoder, on every thread at
// once: glibc's malloc makes the threads queue on its locks, mimalloc gives each thread its
// own heap (`small-files` measures both; see the book's "Python side by side").
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, ensure};
use clap::{Args, Parser, Subcommand};
use harness::cli::ThreadsArg;
use rayon::prelude::*;
use shared_array_fill::threads::fill_constant;
use shared_array_fill::{Shape, fill_rayon, fill_scoped, plain_cell};
use task_queue::{Queue, grid_queue};
use thread_pool_map::{load_parallel, par_map, thread_pool};
use workload::grid::{Grid, Skew};
use workload::{ImageSize, image_path, read_png_into};

/// Each Python recipe's work, done the Rust way; prints `result: ...` like the recipe.
#[derive(Parser)]
#[command(name = "rust-recipes")]
struct Cli {
    #[command(subcommand)]
    recipe: Recipe,
}

#[derive(Subcommand)]
enum Recipe {
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
struct Images {
    /// How many noise images
    #[arg(long, value_name = "N", default_value_t = 10000)]
    count: usize,
    /// Width of each image in pixels
    #[arg(long, value_name = "PIXELS", default_value_t = 100)]
    width: u32,
    /// Height of each image in pixels
    #[arg(long, value_name = "PIXELS", default_value_t = 100)]
    height: u32,
    /// The folder of the images
    #[arg(long, value_name = "DIR", default_value = "noise-images")]
    out: PathBuf,
    #[command(flatten)]
    threads: ThreadsArg,
}

#[derive(Args)]
struct HistogramFlags {
    /// How many noise images
    #[arg(long, value_name = "N", default_value_t = 10000)]
    count: usize,
    /// Width of each image in pixels
    #[arg(long, value_name = "PIXELS", default_value_t = 100)]
    width: u32,
    /// Height of each image in pixels
    #[arg(long, value_name = "PIXELS", default_value_t = 100)]
    height: u32,
    #[command(flatten)]
    threads: ThreadsArg,
}

#[derive(Args)]
struct Fill {
    /// Rows of the array
    #[arg(long, value_name = "N", default_value_t = 4096)]
    rows: usize,
    /// Columns of the array
    #[arg(long, value_name = "N", default_value_t = 8192)]
    cols: usize,
    /// Rows per task (pool-initializer only)
    #[arg(long, value_name = "N", default_value_t = 64)]
    band: usize,
    #[command(flatten)]
    threads: ThreadsArg,
}

#[derive(Args)]
struct GridFlags {
    /// Rows of the grid, one task each
    #[arg(long, value_name = "N", default_value_t = 120)]
    rows: usize,
    /// Cells per row
    #[arg(long, value_name = "N", default_value_t = 500)]
    cols: usize,
    /// Rounds of xorshift per cell
    #[arg(long, value_name = "N", default_value_t = 2500)]
    iterations: u32,
    #[command(flatten)]
    threads: ThreadsArg,
}

fn main() -> ExitCode {
    harness::cli::finish(run(harness::cli::parse()))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let result = match cli.recipe {
        Recipe::Images(args) => {
            std::fs::create_dir_all(&args.out)
                .with_context(|| format!("cannot create {}", args.out.display()))?;
            let (size, threads) = (args.size(), args.threads.get());
            let start = Instant::now();
            let paths = if threads == 1 {
                function_extraction::map_serial(&args.out, size, args.count)?
            } else {
                par_map(&thread_pool(threads)?, &args.out, size, args.count)?
            };
            work_seconds(start)?;
            format!("{} images", paths.len())
        }
        Recipe::ReadIntoArray(args) => {
            let pool = thread_pool(args.threads.get())?;
            let pixels = load_parallel(&pool, &args.out, args.size(), args.count)?;
            pixel_sum(&pool, &pixels).to_string()
        }
        Recipe::WindowFill(args) => {
            let (shape, mut cells) = args.array()?;
            fill_scoped(&mut cells, shape, args.threads.get(), &plain_cell);
            digest(&thread_pool(args.threads.get())?, &cells).to_string()
        }
        Recipe::PoolInitializer(args) => {
            let (shape, mut cells) = args.array()?;
            // The recipe's RawArray is zeroed, its pages made, before its timer starts: the
            // same here, so that both time the fill alone.
            fill_constant(&thread_pool(2)?, &mut cells, shape, 0.0);
            let start = Instant::now();
            let pool = thread_pool(args.threads.get())?;
            fill_rayon(&pool, &mut cells, shape, args.band.max(1), &plain_cell);
            work_seconds(start)?;
            digest(&pool, &cells).to_string()
        }
        Recipe::GridQueue(args) => {
            let grid = Grid {
                rows: args.rows,
                cols: args.cols,
                iterations: args.iterations,
                skew: Skew::Even,
            };
            let workers = args.threads.get();
            let (sums, _tally) = grid_queue(grid, &Queue::new(workers, 2 * workers))?;
            sums.into_iter().fold(0, u64::wrapping_add).to_string()
        }
        Recipe::Histogram(args) => {
            let size = ImageSize::new(args.width, args.height);
            let pixels = shared_state::noise_images_on(&thread_pool(2)?, args.count, size);
            let start = Instant::now();
            let pool = thread_pool(args.threads.get())?;
            let counts = shared_state::reduce::fold_reduce(&pool, &pixels, size.bytes());
            work_seconds(start)?;
            let fold =
                |digest: u64, &count: &u64| digest.wrapping_mul(0x100000001B3).wrapping_add(count);
            counts.iter().fold(0, fold).to_string()
        }
        Recipe::SmallFiles { images, runs } => {
            let (size, threads) = (images.size(), images.threads.get());
            let dir = harness::cli::image_dir(&images.out)?;
            let work = format!(
                "{} images of {size} pixels into {}",
                images.count,
                dir.display()
            );
            harness::outln!(
                "{}",
                harness::report::header("rust-recipes small-files", &work, runs)
            )?;
            for table in small_files::run(&dir, size, images.count, threads, runs)? {
                harness::outln!("{table}")?;
            }
            let _ = std::fs::remove_dir_all(&dir);
            "done".to_owned()
        }
        Recipe::SameImages { images, other } => {
            let size = images.size();
            let (mut a, mut b) = (vec![0; size.bytes()], vec![0; size.bytes()]);
            for index in 0..images.count {
                read_png_into(&image_path(&images.out, index), size, &mut a)?;
                read_png_into(&image_path(&other, index), size, &mut b)?;
                ensure!(a == b, "image {index} differs between the two folders");
            }
            format!("{} images decode to the same pixels", images.count)
        }
    };
    harness::outln!("result: {result}")?;
    Ok(())
}

/// The work's own time, on a line `seconds: ...` before the result, for `cargo xtask python`
/// to hold against the same call timed inside Python.
fn work_seconds(start: Instant) -> anyhow::Result<()> {
    harness::outln!("seconds: {:.6}", start.elapsed().as_secs_f64())?;
    Ok(())
}

impl Images {
    fn size(&self) -> ImageSize {
        ImageSize::new(self.width, self.height)
    }
}

impl Fill {
    /// The shape and a zeroed array of it, or a clean error if it cannot fit.
    fn array(&self) -> anyhow::Result<(Shape, Vec<f64>)> {
        let memory = harness::machine::memory_bytes().unwrap_or(u64::MAX);
        let shape = Shape::new(self.rows, self.cols, 1, memory)?;
        Ok((shape, vec![0.0; shape.cells()]))
    }
}

// The checks below read every byte the recipe made, which costs about as much as making them:
// they run on the workers too, a piece per task, in loops the compiler vectorises.

/// Bytes or cells per task of a check.
const PIECE: usize = 1 << 16;

/// The sum of all the pixels, as `read_into_array.py` prints it. Bytes added straight into a
/// `u64` compile to one byte per step; added into a `u16` per 256 bytes (255 x 256 still
/// fits), to eight or more per step.
fn pixel_sum(pool: &rayon::ThreadPool, pixels: &[u8]) -> u64 {
    let run = |bytes: &[u8]| u64::from(bytes.iter().map(|&p| u16::from(p)).sum::<u16>());
    pool.install(|| {
        pixels
            .par_chunks(PIECE)
            .map(|piece| piece.chunks(256).map(run).sum::<u64>())
            .sum()
    })
}

/// The wrapping sum of the cells' bits, as `python/workload.py` computes it.
fn digest(pool: &rayon::ThreadPool, cells: &[f64]) -> u64 {
    let piece = |cells: &[f64]| cells.iter().fold(0, |sum, x| x.to_bits().wrapping_add(sum));
    pool.install(|| {
        cells
            .par_chunks(PIECE)
            .map(piece)
            .reduce(|| 0, u64::wrapping_add)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checks_in_pieces_equal_the_plain_sums() {
        let pool = thread_pool(2).unwrap();
        // Not a whole number of pieces or of 256-byte runs, and every byte 255 in places.
        let pixels: Vec<u8> = (0..3 * PIECE + 1000)
            .map(|i| {
                if i % 7 == 0 {
                    255
                } else {
                    (i * 31 % 256) as u8
                }
            })
            .collect();
        let plain: u64 = pixels.iter().map(|&p| u64::from(p)).sum();
        assert_eq!(pixel_sum(&pool, &pixels), plain);
        assert_eq!(pixel_sum(&pool, &[255; 256]), 255 * 256);
        let cells: Vec<f64> = (0..PIECE + 77).map(|i| i as f64 * 1e300).collect();
        let plain = cells
            .iter()
            .fold(0u64, |sum, x| sum.wrapping_add(x.to_bits()));
        assert_eq!(digest(&pool, &cells), plain);
    }
}
