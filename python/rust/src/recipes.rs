//! Each recipe's work through the demos' library code, and the line of its result.

use std::time::Instant;

use anyhow::{Context, ensure};
use shared_array_fill::threads::fill_constant;
use shared_array_fill::{fill_rayon, fill_scoped, plain_cell};
use task_queue::{Queue, grid_queue};
use thread_pool_map::{load_parallel, par_map, thread_pool};
use workload::grid::{Grid, Skew};
use workload::{ImageSize, image_path, read_png_into};

use crate::args::{Cli, HistogramFlags, Images, Recipe};
use crate::checks::{digest, pixel_sum};
use crate::small_files;

/// Run the recipe `cli` names and print `result: ...`, the line the Python recipe prints.
pub fn run(cli: Cli) -> anyhow::Result<()> {
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
        Recipe::Histogram(args) => histogram(&args)?,
        Recipe::SmallFiles { images, runs } => small_files_tables(&images, runs)?,
        Recipe::RequestsAsyncio(args) => crate::requests::run(&args, true)?,
        Recipe::RequestsThreads(args) => crate::requests::run(&args, false)?,
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

/// histogram.py's work: chapter 7's `fold` + `reduce`, timed alone, and a digest of the counts.
fn histogram(args: &HistogramFlags) -> anyhow::Result<String> {
    let size = ImageSize::new(args.width, args.height);
    let pixels = shared_state::noise_images_on(&thread_pool(2)?, args.count, size);
    let start = Instant::now();
    let pool = thread_pool(args.threads.get())?;
    let counts = shared_state::reduce::fold_reduce(&pool, &pixels, size.bytes());
    work_seconds(start)?;
    let fold = |digest: u64, &count: &u64| digest.wrapping_mul(0x100000001B3).wrapping_add(count);
    Ok(counts.iter().fold(0, fold).to_string())
}

/// Where the time of writing many small images goes, as tables.
fn small_files_tables(images: &Images, runs: usize) -> anyhow::Result<String> {
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
    // Its runs write into folders of their own inside one of this process's, removed
    // on the way out, failed or not: never the folder named, nor what else is in it.
    let scratch = dir.join(format!("small-files-{}", std::process::id()));
    let tables = small_files::run(&scratch, size, images.count, threads, runs);
    let _ = std::fs::remove_dir_all(&scratch);
    for table in tables? {
        harness::outln!("{table}")?;
    }
    Ok("done".to_owned())
}
