//! Demo 03: the mapped function from demo 02 runs on a rayon thread pool. `par_iter().map()`
//! is the Rust `Pool.map`: same function, same indices, results collected in index order.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use workload::{ImageError, ImageSize, image_path, make_image, read_png_into};

/// A pool of exactly `threads` workers, so runs at different sizes can be compared.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build()
}

// ANCHOR: par_map
/// Make images `0..count` on the pool's workers; the paths come back in index order.
pub fn par_map(
    pool: &rayon::ThreadPool,
    dir: &Path,
    size: ImageSize,
    count: usize,
) -> Result<Vec<PathBuf>, ImageError> {
    let make = |index| make_image(dir, size, index);
    par_map_with(pool, count, make)
}

/// The map itself, for any per-item function: `make(index)` for every index `0..count`, the
/// results in index order, the first error (if any) instead. Chapter 10 hands it items that fail.
pub fn par_map_with<T: Send, E: Send>(
    pool: &rayon::ThreadPool,
    count: usize,
    make: impl Fn(usize) -> Result<T, E> + Sync + Send,
) -> Result<Vec<T>, E> {
    pool.install(|| (0..count).into_par_iter().map(make).collect())
}
// ANCHOR_END: par_map

// ANCHOR: par_map_chunked
/// Like [`par_map`], but each task is exactly `chunk` consecutive indices: 1 makes every
/// image its own task, `count / threads` gives each worker one block.
pub fn par_map_chunked(
    pool: &rayon::ThreadPool,
    dir: &Path,
    size: ImageSize,
    count: usize,
    chunk: usize,
) -> Result<Vec<PathBuf>, ImageError> {
    let make = |index| make_image(dir, size, index);
    pool.install(|| {
        (0..count)
            .into_par_iter()
            .chunks(chunk) // a task is `chunk` consecutive indices...
            .with_max_len(1) // ...and rayon may not merge tasks
            .flat_map_iter(|indices| indices.into_iter().map(make))
            .collect()
    })
}
// ANCHOR_END: par_map_chunked

/// How the pool's workers share out the indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// rayon's own adaptive splitting ([`par_map`]).
    Adaptive,
    /// Tasks of exactly this many consecutive images ([`par_map_chunked`]).
    Chunks(usize),
}

impl Split {
    pub fn write(
        self,
        pool: &rayon::ThreadPool,
        dir: &Path,
        size: ImageSize,
        count: usize,
    ) -> Result<Vec<PathBuf>, ImageError> {
        match self {
            Self::Adaptive => par_map(pool, dir, size, count),
            Self::Chunks(chunk) => par_map_chunked(pool, dir, size, count, chunk),
        }
    }

    /// A name for the table.
    pub fn name(self) -> String {
        match self {
            Self::Adaptive => "rayon par_iter".into(),
            Self::Chunks(chunk) => format!("rayon, {chunk} per task"),
        }
    }

    /// A name for its output folder.
    pub fn folder(self) -> String {
        match self {
            Self::Adaptive => "rayon".into(),
            Self::Chunks(chunk) => format!("chunk-{chunk}"),
        }
    }
}

/// One zeroed buffer for `count` images side by side; image `i` is bytes
/// `i * size.bytes() .. (i + 1) * size.bytes()`. `vec![0; n]` takes pages the OS has already
/// zeroed and maps each only when it is first written, so the workers that decode into the
/// array share the cost of touching it. Too big for this machine is a clean error.
pub fn image_buffer(size: ImageSize, count: usize) -> anyhow::Result<Vec<u8>> {
    Ok(vec![0; buffer_bytes(size, count)?])
}

/// The bytes of the array `count` images are loaded into, if this machine has that much
/// memory: checked before any image is written, and again when the array is made.
pub fn buffer_bytes(size: ImageSize, count: usize) -> anyhow::Result<usize> {
    let memory = harness::machine::memory_bytes().unwrap_or(u64::MAX);
    match size.bytes().checked_mul(count) {
        Some(total) if total as u64 <= memory => Ok(total),
        _ => anyhow::bail!(
            "{count} images of {size} pixels need more memory than this machine has ({:.1} GiB)",
            memory as f64 / (1u64 << 30) as f64
        ),
    }
}

// ANCHOR: load_serial
/// Read images `0..count` from `dir` into one contiguous array, one after another.
pub fn load_serial(dir: &Path, size: ImageSize, count: usize) -> anyhow::Result<Vec<u8>> {
    let mut pixels = image_buffer(size, count)?;
    for (index, slot) in pixels.chunks_mut(size.bytes()).enumerate() {
        read_png_into(&image_path(dir, index), size, slot)?;
    }
    Ok(pixels)
}
// ANCHOR_END: load_serial

// ANCHOR: load_parallel
/// The same, with each worker decoding into its own disjoint slot of the one array.
pub fn load_parallel(
    pool: &rayon::ThreadPool,
    dir: &Path,
    size: ImageSize,
    count: usize,
) -> anyhow::Result<Vec<u8>> {
    let mut pixels = image_buffer(size, count)?;
    pool.install(|| {
        pixels
            .par_chunks_mut(size.bytes())
            .enumerate()
            .try_for_each(|(index, slot)| read_png_into(&image_path(dir, index), size, slot))
    })?;
    Ok(pixels)
}
// ANCHOR_END: load_parallel
