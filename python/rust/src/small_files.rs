//! `rust-recipes small-files`: where the time of writing many small images goes, one part at a
//! time, each on one thread and on `--threads`: making and encoding the images in memory (with
//! the output buffer sized up front, and growing from empty), then only the file operations on
//! bytes encoded beforehand (create + write + rename into one folder; a block of files per
//! worker into one folder or a folder each; create + write without the rename).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use harness::report::{Contender, Table, compare};
use rayon::prelude::*;
use workload::{Compression, ImageSize, encode_png_with, image_path, noise_pixels, write_whole};

/// One image encoded the way `encode_png_with` does, but into a buffer that starts empty and
/// grows as the encoder writes: the allocator is asked again each time it doubles.
fn encode_growing(pixels: &[u8], size: ImageSize) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, size.width, size.height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fastest);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(bytes)
}

/// A new empty folder inside `base`: every run writes new files, as the recipes do, rather
/// than replacing the last run's.
fn fresh_folder(base: &Path) -> std::io::Result<PathBuf> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = base.join(format!("run-{}", NEXT.fetch_add(1, Ordering::Relaxed)));
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A file write on its own: the bytes, created and written in place (no rename).
fn write_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fs::write(path, bytes)
}

pub fn run(
    dir: &Path,
    size: ImageSize,
    count: usize,
    threads: usize,
    runs: usize,
) -> anyhow::Result<Vec<Table>> {
    let pool = thread_pool_map::thread_pool(threads)?;
    let encoding = encoding_table(&pool, size, count, runs)?;
    let encoded: Vec<Vec<u8>> = (0..count)
        .map(|i| encode_png_with(&noise_pixels(i, size), size, Compression::Fast))
        .collect::<Result<_, _>>()?;
    fs::create_dir_all(dir)?;
    let files = Files {
        pool: &pool,
        dir,
        encoded: &encoded,
    };
    Ok(vec![encoding, files.table(runs)?])
}

/// Making and encoding the images in memory, into a buffer sized up front or one that grows.
fn encoding_table(
    pool: &rayon::ThreadPool,
    size: ImageSize,
    count: usize,
    runs: usize,
) -> anyhow::Result<Table> {
    let threads = pool.current_num_threads();
    let encode = |grow: bool, index: usize| -> anyhow::Result<usize> {
        let pixels = noise_pixels(index, size);
        let bytes = if grow {
            encode_growing(&pixels, size)?
        } else {
            encode_png_with(&pixels, size, Compression::Fast)?
        };
        Ok(bytes.len())
    };
    let serial = |grow| {
        move || {
            (0..count)
                .map(|i| encode(grow, i))
                .sum::<anyhow::Result<usize>>()
        }
    };
    let parallel =
        |grow| move || pool.install(|| (0..count).into_par_iter().map(|i| encode(grow, i)).sum());
    compare(
        "making and encoding the images in memory (no files)",
        count,
        runs,
        vec![
            Contender::new("buffer sized up front", 1, serial(false)),
            Contender::new("buffer sized up front", threads, parallel(false)),
            Contender::new("buffer grows from empty", 1, serial(true)),
            Contender::new("buffer grows from empty", threads, parallel(true)),
        ],
        |a, b| Ok::<_, anyhow::Error>(a == b),
    )
}

/// Only the file operations, on images encoded beforehand, written into `dir`.
struct Files<'a> {
    pool: &'a rayon::ThreadPool,
    dir: &'a Path,
    encoded: &'a [Vec<u8>],
}

impl Files<'_> {
    fn table(&self, runs: usize) -> anyhow::Result<Table> {
        let threads = self.pool.current_num_threads();
        let one_folder = |write: Write, workers| move || self.one_folder(write, workers);
        let blocks = |own_folder| move || self.blocks(own_folder);
        let (renamed, in_place) = (
            "create + write + rename, one folder",
            "create + write (no rename), one folder",
        );
        compare(
            "only the file operations, on bytes encoded beforehand",
            self.encoded.len(),
            runs,
            vec![
                Contender::new(renamed, 1, one_folder(write_whole, 1)),
                Contender::new(renamed, threads, one_folder(write_whole, threads)),
                Contender::new("a block per worker, one folder", threads, blocks(false)),
                Contender::new("a block per worker, a folder each", threads, blocks(true)),
                Contender::new(in_place, 1, one_folder(write_in_place, 1)),
                Contender::new(in_place, threads, one_folder(write_in_place, threads)),
            ],
            |a, b| Ok::<_, anyhow::Error>(a == b),
        )
    }

    /// Every image into `dir` itself with `write`, on one thread or on the pool.
    fn one_folder(&self, write: Write, workers: usize) -> anyhow::Result<usize> {
        let one = |i: usize| write(&image_path(self.dir, i), &self.encoded[i]).map(|()| 1);
        let count = self.encoded.len();
        if workers == 1 {
            return Ok((0..count).map(one).sum::<std::io::Result<usize>>()?);
        }
        let all: std::io::Result<usize> = self
            .pool
            .install(|| (0..count).into_par_iter().map(one).sum());
        Ok(all?)
    }

    /// One contiguous block of indices per worker, each block into one shared folder or into
    /// that worker's own: the same static split both ways, so only the folders differ.
    fn blocks(&self, own_folder: bool) -> anyhow::Result<usize> {
        let threads = self.pool.current_num_threads();
        let base = fresh_folder(self.dir)?;
        let folders = (0..threads)
            .map(|_| {
                if own_folder {
                    fresh_folder(&base)
                } else {
                    Ok(base.clone())
                }
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        let count = self.encoded.len();
        let block = count.div_ceil(threads);
        let write_block = |(k, folder): (usize, &PathBuf)| {
            (k * block..count.min((k + 1) * block))
                .map(|i| write_whole(&image_path(folder, i), &self.encoded[i]).map(|()| 1))
                .sum::<std::io::Result<usize>>()
        };
        let done: std::io::Result<usize> = self
            .pool
            .install(|| folders.par_iter().enumerate().map(write_block).sum());
        Ok(done?)
    }
}

/// A way to write one file: whole (through a temporary file and a rename) or in place.
type Write = fn(&Path, &[u8]) -> std::io::Result<()>;
