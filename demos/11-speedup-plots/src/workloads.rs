//! The five shared workloads, each with the demo strategies that do it, called from the demo
//! libraries; and the sizes of a quick and a full sweep.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use anyhow::{Context, ensure};
use rayon::ThreadPool;
use shared_array_fill::mapping::MapFile;
use shared_array_fill::{Faults, ProcessFill, Shape, plain_cell, threads::band_rows};
use task_queue::Queue;
use workload::grid::{Grid, Skew};
use workload::{ImageSize, image_path};

use crate::measure::Strategy;

/// How big each workload is, and how often each point runs.
#[derive(Clone, Debug)]
pub struct Sizes {
    pub images: ImageSize,
    pub image_count: usize,
    /// The images the load workload reads back, and how many.
    pub load: (ImageSize, usize),
    pub fill: Shape,
    pub grid: Grid,
    pub naps: usize,
    pub nap: Duration,
    /// Small images, many of them: per-item costs show in the granularity chart.
    pub tiny_images: (ImageSize, usize),
    /// The images whose pixel values the shared histogram counts, and how many.
    pub histogram: (ImageSize, usize),
    pub runs: usize,
    /// Samples of each start-up cost in the overhead chart.
    pub samples: usize,
}

impl Sizes {
    /// About a minute on a 2-core machine, all of it.
    pub fn quick() -> Self {
        Self {
            images: ImageSize::new(384, 384),
            image_count: 64,
            load: (ImageSize::new(512, 512), 96),
            fill: Shape {
                rows: 4096,
                cols: 4096,
            },
            grid: grid(120, 500, 15_000),
            naps: 48,
            nap: Duration::from_millis(5),
            tiny_images: (ImageSize::new(32, 32), 512),
            histogram: (ImageSize::new(256, 256), 64),
            runs: 5,
            samples: 50,
        }
    }

    /// Bigger work and more runs: steadier numbers, several minutes.
    pub fn full() -> Self {
        Self {
            images: ImageSize::new(512, 512),
            image_count: 192,
            load: (ImageSize::new(1024, 1024), 160),
            fill: Shape {
                rows: 8192,
                cols: 4096,
            },
            grid: grid(240, 1000, 20_000),
            naps: 128,
            nap: Duration::from_millis(10),
            tiny_images: (ImageSize::new(32, 32), 4096),
            histogram: (ImageSize::new(512, 512), 64),
            runs: 9,
            samples: 200,
        }
    }

    /// A few small items of each workload: what the tests run.
    pub fn test() -> Self {
        Self {
            images: ImageSize::new(16, 16),
            image_count: 6,
            load: (ImageSize::new(16, 16), 6),
            fill: Shape { rows: 37, cols: 64 },
            grid: grid(7, 20, 10),
            naps: 4,
            nap: Duration::from_millis(1),
            tiny_images: (ImageSize::new(8, 8), 16),
            histogram: (ImageSize::new(16, 16), 3),
            runs: 1,
            samples: 3,
        }
    }
}

fn grid(rows: usize, cols: usize, iterations: u32) -> Grid {
    Grid {
        rows,
        cols,
        iterations,
        skew: Skew::Even,
    }
}

/// One workload and the strategies that do it.
pub struct Workload<'a> {
    pub name: &'static str,
    pub what: String,
    pub strategies: Vec<Strategy<'a>>,
}

/// The workload names, in the order the sweep runs them.
pub const NAMES: [&str; 6] = [
    "noise-images",
    "load-images",
    "window-fill",
    "heavy-grid",
    "sleepy-tasks",
    "shared-histogram",
];

/// Everything a strategy may need: a pool of each size, a scratch folder, and this binary
/// (which can run as demo 04's worker process).
pub struct Tools<'a> {
    /// `pools[n - 1]` has exactly n threads.
    pub pools: &'a [ThreadPool],
    pub scratch: &'a Path,
    pub exe: &'a Path,
    /// Where demo 06's shared file goes
    pub map_dir: &'a Path,
}

impl Tools<'_> {
    pub fn pool(&self, workers: usize) -> &ThreadPool {
        &self.pools[workers - 1]
    }

    fn dir(&self, name: &str) -> anyhow::Result<PathBuf> {
        harness::cli::image_dir(&self.scratch.join(name))
    }
}

/// The workload called `name`; `None` for an unknown name.
pub fn workload<'a>(
    name: &str,
    sizes: &Sizes,
    tools: &'a Tools<'a>,
) -> anyhow::Result<Option<Workload<'a>>> {
    Ok(Some(match name {
        "noise-images" => noise_images(sizes, tools)?,
        "load-images" => load_images(sizes, tools)?,
        "window-fill" => window_fill(sizes, tools)?,
        "heavy-grid" => heavy_grid(sizes),
        "sleepy-tasks" => sleepy_tasks(sizes),
        "shared-histogram" => shared_histogram(sizes, tools),
        _ => return Ok(None),
    }))
}

fn noise_images<'a>(sizes: &Sizes, tools: &'a Tools<'a>) -> anyhow::Result<Workload<'a>> {
    let (size, count) = (sizes.images, sizes.image_count);
    let (threads, processes) = (tools.dir("rayon")?, tools.dir("processes")?);
    let pooled = tools.dir("pool")?;
    Ok(Workload {
        name: "noise-images",
        what: format!("{count} noise images of {size} pixels, written as PNG"),
        strategies: vec![
            Strategy::new("rayon par_map (03)", move |n, check| {
                let paths = thread_pool_map::par_map(tools.pool(n), &threads, size, count)?;
                digest_files(&paths, check)
            }),
            Strategy::new("one-shot processes (04)", move |n, check| {
                let deadline = process_spawn::DEADLINE;
                let paths =
                    process_spawn::one_shot_map(tools.exe, &processes, size, count, n, deadline)?;
                digest_files(&paths, check)
            }),
            // Started and shut down in every run, like the one-shot children: what differs
            // is that every PNG travels back to the parent through a pipe.
            Strategy::new("process pool over pipes (04)", move |n, check| {
                let mut pool = process_spawn::ProcessPool::start(
                    tools.exe,
                    size,
                    n,
                    None,
                    process_spawn::DEADLINE,
                )
                .context("cannot start the pool's worker processes")?;
                let (paths, _moved) = pool.write_images(&pooled, count)?;
                pool.shutdown()?;
                digest_files(&paths, check)
            }),
        ],
    })
}

/// A digest of every byte of every file, in order: two strategies agree only if they wrote
/// the same bytes into the same files (equal sizes are not enough).
fn digest_files(paths: &[PathBuf], check: bool) -> anyhow::Result<u64> {
    if !check {
        return Ok(0);
    }
    let mut digest = 0u64;
    for path in paths {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let file = digest_bytes(&bytes) ^ digest_bytes(&(bytes.len() as u64).to_le_bytes());
        digest = digest.rotate_left(5) ^ file; // the order of the files counts too
    }
    Ok(digest)
}

fn load_images<'a>(sizes: &Sizes, tools: &'a Tools<'a>) -> anyhow::Result<Workload<'a>> {
    let (size, count) = sizes.load;
    let dir = tools.dir("load")?;
    let largest = tools.pool(tools.pools.len());
    thread_pool_map::par_map(largest, &dir, size, count).context("cannot make the images")?;
    ensure!(
        image_path(&dir, count - 1).is_file(),
        "the images were not written"
    );
    Ok(Workload {
        name: "load-images",
        what: format!("{count} PNG images of {size} pixels read into one array"),
        strategies: vec![Strategy::new(
            "rayon load_parallel (03)",
            move |n, check| {
                let pixels = thread_pool_map::load_parallel(tools.pool(n), &dir, size, count)?;
                Ok(if check { digest_bytes(&pixels) } else { 0 })
            },
        )],
    })
}

/// FNV-1a over the bytes.
fn digest_bytes(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
    })
}

fn window_fill<'a>(sizes: &Sizes, tools: &'a Tools<'a>) -> anyhow::Result<Workload<'a>> {
    let shape = sizes.fill;
    let processes = move |workers| ProcessFill {
        program: tools.exe.to_owned(),
        dir: tools.map_dir.to_owned(),
        shape,
        workers,
        deadline: process_spawn::DEADLINE,
        faults: Faults::default(),
    };
    let digest = |cells: &[f64], check: bool| {
        let bits = cells.iter().map(|x| x.to_bits());
        Ok(if check {
            bits.fold(0, u64::wrapping_add)
        } else {
            0
        })
    };
    let mut bands = vec![0.0; shape.cells()];
    let mut scoped = vec![0.0; shape.cells()];
    // A folder without room for the shared file ends the sweep before it starts, in one line.
    shared_array_fill::room::check_room(tools.map_dir, shape.bytes() as u64)?;
    // One shared file for every run, so that its pages are warm like the threads' arrays;
    // each run starts its worker processes anew (spawn, map and fill).
    let mut shared: Option<MapFile> = None;
    Ok(Workload {
        name: "window-fill",
        what: format!("a {shape} array of f64 filled row band by row band (memory bound)"),
        strategies: vec![
            Strategy::new("rayon row bands (06)", move |n, check| {
                let band = band_rows(shape.rows, n);
                shared_array_fill::fill_rayon(tools.pool(n), &mut bands, shape, band, &plain_cell);
                digest(&bands, check)
            }),
            Strategy::new("scoped threads (06)", move |n, check| {
                shared_array_fill::fill_scoped(&mut scoped, shape, n, &plain_cell);
                digest(&scoped, check)
            }),
            Strategy::new("processes, memmap2 file (06)", move |n, check| {
                let fill = processes(n);
                let file = match &mut shared {
                    Some(file) => file,
                    None => shared.insert(fill.create_file()?),
                };
                fill.fill(file)?;
                if !check {
                    return Ok(0);
                }
                let array = file.array().context("cannot map the filled array")?;
                digest(array.cells(), check)
            }),
        ],
    })
}

// ANCHOR: heavy_grid
fn heavy_grid(sizes: &Sizes) -> Workload<'static> {
    let grid = sizes.grid;
    let digest = |sums: &[u64]| {
        let weighted = sums.iter().zip(1u64..).map(|(s, i)| s.wrapping_mul(i));
        weighted.fold(0, u64::wrapping_add)
    };
    Workload {
        name: "heavy-grid",
        what: format!("heavy grid, {grid} (compute bound)"),
        strategies: vec![
            Strategy::new("static split (05)", move |n, _| {
                Ok(digest(&task_queue::grid_static(&grid, n)))
            }),
            Strategy::new("task queue (05)", move |n, _| {
                let (sums, _) = task_queue::grid_queue(grid, &Queue::new(n, 2 * n))?;
                Ok(digest(&sums))
            }),
        ],
    }
}
// ANCHOR_END: heavy_grid

fn sleepy_tasks(sizes: &Sizes) -> Workload<'static> {
    let (count, nap) = (sizes.naps, sizes.nap);
    Workload {
        name: "sleepy-tasks",
        what: format!("{count} tasks that each wait {} ms", nap.as_millis()),
        strategies: vec![Strategy::new("task queue (05)", move |n, _| {
            let tally = task_queue::sleepy_tasks(&Queue::new(n, 2 * n), count, nap, |_| {})?;
            Ok(tally.check()?.completed as u64)
        })],
    }
}

fn shared_histogram<'a>(sizes: &Sizes, tools: &'a Tools<'a>) -> Workload<'a> {
    use shared_state::atomics::{Packed, Padded, atomic_per_bin, per_thread_counters};
    let (size, count) = sizes.histogram;
    let pixels = Rc::new(shared_state::noise_images(count, size));
    let digest = |h: shared_state::Histogram| Ok(h.iter().zip(1u64..).map(|(n, v)| n * v).sum());
    let image = size.bytes();
    type Run = fn(&ThreadPool, usize, &[u8], usize) -> shared_state::Histogram;
    let strategy = |name, run: Run| {
        let pixels = Rc::clone(&pixels);
        Strategy::new(name, move |n, _| {
            digest(run(tools.pool(n), n, &pixels, image))
        })
    };
    Workload {
        name: "shared-histogram",
        what: format!("histogram of {count} noise images of {size} pixels (shared state)"),
        strategies: vec![
            strategy("Mutex per increment (07)", |pool, _, pixels, _| {
                shared_state::locks::mutex_per_increment(pool, pixels)
            }),
            strategy("AtomicU64 per bin (07)", |pool, _, p, _| {
                atomic_per_bin(pool, p)
            }),
            strategy("per-thread packed (07)", |_, n, p, _| {
                per_thread_counters::<Packed>(p, n)
            }),
            strategy("per-thread padded (07)", |_, n, p, _| {
                per_thread_counters::<Padded>(p, n)
            }),
            strategy("fold + reduce (07)", |pool, _, p, image| {
                shared_state::reduce::fold_reduce(pool, p, image)
            }),
        ],
    }
}

#[cfg(test)]
mod tests {
    use testkit::ScratchDir;

    use super::*;

    #[test]
    fn the_image_check_sees_different_bytes_of_the_same_length() {
        let dir = ScratchDir::new("08-digest");
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let a = [write("a0", b"same length"), write("a1", b"second")];
        let b = [write("b0", b"same lengtH"), write("b1", b"second")];
        let c = [write("c0", b"same length"), write("c1", b"second")];
        let swapped = [a[1].clone(), a[0].clone()];
        let digest = |paths: &[PathBuf]| digest_files(paths, true).unwrap();
        assert_eq!(digest(&a), digest(&c), "the same bytes agree");
        assert_ne!(digest(&a), digest(&b), "one byte differs");
        assert_ne!(
            digest(&a),
            digest(&swapped),
            "the files are in another order"
        );
    }
}
