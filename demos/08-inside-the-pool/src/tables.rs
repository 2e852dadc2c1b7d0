//! The demo's tables, each checked against its serial version: the sort, the heavy grid for
//! every skew, the medians of the images, and the images from a plain iterator. An item
//! (items/s, a bar on `--timeline`'s chart) is an image, in the grid's table a row.

use harness::report::{Contender, compare};
use workload::ImageSize;
use workload::grid::Grid;

use crate::bridge::{bridge_par, bridge_serial, in_order, indexed_par};
use crate::pool::{medians_nested, medians_under_lock, threads_nested};
use crate::scoped::{medians_par_iter, medians_rayon_scope, medians_serial, medians_thread_scope};
use crate::sort::{sorted_join, sorted_serial};
use crate::steal::grid_join;

/// What every table works on.
pub struct Job<'a> {
    pub pool: &'a rayon::ThreadPool,
    pub pixels: &'a [u8],
    pub size: ImageSize,
    pub threads: usize,
    pub runs: usize,
    /// Values below which the `join` sort sorts serially.
    pub cutoff: usize,
}

impl Job<'_> {
    /// Bytes (pixels) of one image.
    fn image(&self) -> usize {
        self.size.bytes()
    }

    /// How many images: an item of most tables.
    fn images(&self) -> usize {
        self.pixels.len().div_ceil(self.image().max(1))
    }
}

/// The merge sort of every pixel, serially and with `join`, with and without the cut-off.
pub fn sorting(job: &Job) -> anyhow::Result<()> {
    let Job { pool, pixels, .. } = *job;
    let cut = format!("join, serial below {} values", job.cutoff);
    let contenders = vec![
        Contender::new("serial merge sort", 1, || ok(sorted_serial(pixels))),
        Contender::new(cut, job.threads, || {
            ok(sorted_join(pool, pixels, job.cutoff))
        }),
        Contender::new("join all the way down", job.threads, || {
            ok(sorted_join(pool, pixels, 1))
        }),
    ];
    let title = format!("merge sort of all {} pixels", pixels.len());
    let same = |a: &Vec<u8>, b: &Vec<u8>| Ok::<_, anyhow::Error>(a == b);
    let table = compare(&title, job.images(), job.runs, contenders, same)?;
    harness::outln!("{table}")?;
    table.ensure_identical()
}

/// The heavy grid: serially, split statically (chapter 5), and in halves with `join`.
pub fn stealing(job: &Job, grid: &Grid) -> anyhow::Result<()> {
    let (pool, threads) = (job.pool, job.threads);
    let contenders = vec![
        Contender::new("serial rows", 1, || ok(task_queue::grid_serial(grid))),
        Contender::new("static split, a block per thread", threads, || {
            ok(task_queue::grid_static(grid, threads))
        }),
        Contender::new("join halves, idle workers steal", threads, || {
            ok(grid_join(pool, grid))
        }),
    ];
    let title = format!("heavy grid: {grid}");
    let same = |a: &Vec<u64>, b: &Vec<u64>| Ok::<_, anyhow::Error>(a == b);
    let table = compare(&title, grid.rows, job.runs, contenders, same)?;
    harness::outln!("{table}")?;
    table.ensure_identical()
}

/// One median per image: a loop, tasks in a scope, a thread per image, `par_iter`, `join`
/// nested inside `par_iter`, and a lock held around each image's work.
pub fn medians(job: &Job) -> anyhow::Result<()> {
    let Job { pool, pixels, .. } = *job;
    let (image, threads) = (job.image(), job.threads);
    let contenders = vec![
        Contender::new("serial loop", 1, || ok(medians_serial(pixels, image))),
        Contender::new("rayon::scope, a task per image", threads, || {
            ok(medians_rayon_scope(pool, pixels, image))
        }),
        Contender::new("thread::scope, a thread per image", job.images(), || {
            ok(medians_thread_scope(pixels, image))
        }),
        Contender::new("par_iter", threads, || {
            ok(medians_par_iter(pool, pixels, image))
        }),
        Contender::new("par_iter, join inside (nested)", threads, || {
            ok(medians_nested(pool, pixels, image))
        }),
        Contender::new("par_iter, one lock held per image", threads, || {
            ok(medians_under_lock(pool, pixels, image))
        }),
    ];
    let same = |a: &Vec<u8>, b: &Vec<u8>| Ok::<_, anyhow::Error>(a == b);
    let table = compare(
        "the median of every image",
        job.images(),
        job.runs,
        contenders,
        same,
    )?;
    harness::outln!("{table}")?;
    let used = threads_nested(pool, pixels, image);
    harness::outln!("nested: the inner joins ran on {used} threads, the pool has {threads}\n")?;
    table.ensure_identical()
}

/// The images made one at a time by a plain iterator, fed to the pool with `par_bridge`.
pub fn bridging(job: &Job) -> anyhow::Result<()> {
    let (pool, size, count, threads) = (job.pool, job.size, job.images(), job.threads);
    let first = bridge_par(pool, count, size);
    let order: Vec<String> = first.iter().take(12).map(|(i, _)| i.to_string()).collect();
    let contenders = vec![
        Contender::new("serial loop over the iterator", 1, || {
            ok(bridge_serial(count, size))
        }),
        Contender::new("par_bridge", threads, || ok(bridge_par(pool, count, size))),
        Contender::new("into_par_iter over 0..count", threads, || {
            ok(indexed_par(pool, count, size))
        }),
    ];
    let title = "images made by a plain iterator, then their medians (compared in image order)";
    let same = |a: &Vec<_>, b: &Vec<_>| Ok::<_, anyhow::Error>(*a == in_order(b.clone()));
    let table = compare(title, count, job.runs, contenders, same)?;
    harness::outln!("{table}")?;
    harness::outln!(
        "par_bridge's results arrived for images {} ...",
        order.join(", ")
    )?;
    table.ensure_identical()
}

/// A result that cannot fail, typed for [`compare`].
fn ok<T>(value: T) -> anyhow::Result<T> {
    Ok(value)
}
