//! The command line of `06-shared-array-fill`, and the settings it gives a run once checked.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, ensure};
use clap::Parser;
use harness::cli::{MAX_WORKERS, RunsArg, ThreadsArg, within};
use harness::process::CrashHow;

use crate::demo::{self, Settings};
use crate::room::{check_room, size};
use crate::{BandCrash, Faults, ProcessFill, Shape, default_map_dir};

/// Fill one big 2-D array of f64 with several threads, then with several processes that
/// share it through a memory-mapped file; then a heavy grid, where the arithmetic dominates.
#[derive(Parser)]
#[command(name = "06-shared-array-fill")]
pub struct Cli {
    /// Rows of the array (8192 rows of 16384 cells are 1 GiB)
    #[arg(long, value_name = "N", default_value_t = 8192)]
    pub rows: usize,
    /// Columns of the array
    #[arg(long, value_name = "N", default_value_t = 16384)]
    pub cols: usize,
    #[command(flatten)]
    pub threads: ThreadsArg,
    /// Worker processes, 1 to 1024 [default: as many as --threads]
    #[arg(long, value_name = "N", value_parser = within::<1, MAX_WORKERS>)]
    pub processes: Option<usize>,
    #[command(flatten)]
    pub runs: RunsArg,
    /// Where the shared file goes while the processes fill it [default: /dev/shm, else the
    /// temporary directory]
    #[arg(long, value_name = "DIR")]
    pub map_dir: Option<PathBuf>,
    /// Rows and columns of the heavy grid
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub grid: usize,
    /// Rounds of arithmetic (xorshift, as in demo 05) per cell of the heavy grid, 1 to
    /// 1000000
    #[arg(long, value_name = "K", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub iterations: u32,
    /// Images of 512x512 pixels to write and load back with demo 03's code (0: skip; at
    /// most 4096)
    #[arg(long, value_name = "N", default_value_t = 128, value_parser = clap::value_parser!(u16).range(0..=4096))]
    pub images: u16,
    /// Where the images go [default: target/demo-output/06-shared-array-fill]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Make worker process K (from 0) fail (see --crash-how)
    #[arg(long, value_name = "K")]
    pub crash_child: Option<usize>,
    /// How the worker given by --crash-child fails: exit, panic, kill or abort half way
    /// through its rows, or hang (then the parent kills it at --deadline)
    #[arg(long, value_name = "HOW", value_enum, default_value_t = CrashHow::Abort, requires = "crash_child")]
    pub crash_how: CrashHow,
    /// Seconds a worker process may take for its band before the parent kills it and stops
    /// with an error naming it
    #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub deadline: u64,
    #[arg(long, hide = true, default_value_t = 0)]
    pub pause_ms: u64,
}

/// The most shared files the comparisons hold at once (the first round keeps its results).
const FILES_AT_ONCE: u64 = 2;

impl Cli {
    /// Everything the run needs, every path checked: a bad argument ends here, before any work.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let memory = harness::machine::memory_bytes().unwrap_or(u64::MAX);
        let shape = Shape::new(self.rows, self.cols, 6, memory)?;
        let threads = self.threads.get();
        let workers = self.processes.map_or(threads, usize::from);
        let crash = match self.crash_child {
            Some(k) => {
                ensure!(
                    k < workers,
                    "--crash-child {k} names no worker: there are {workers}, numbered from 0"
                );
                Some(BandCrash {
                    worker: k,
                    how: self.crash_how,
                    after_rows: None,
                })
            }
            None => None,
        };
        let dir = self.map_dir.clone().unwrap_or_else(default_map_dir);
        let needed = FILES_AT_ONCE * shape.bytes() as u64;
        check_room(&dir, needed).map_err(|err| {
            anyhow::anyhow!(
                "{err} ({FILES_AT_ONCE} arrays of {} at once; try --map-dir or fewer --rows)",
                size(shape.bytes() as u64)
            )
        })?;
        let processes = ProcessFill {
            program: std::env::current_exe().context("cannot find this program's path")?,
            dir,
            shape,
            workers,
            deadline: Duration::from_secs(self.deadline),
            faults: Faults {
                crash,
                pause_ms: self.pause_ms,
            },
        };
        let grid = Shape::new(self.grid, self.grid, 4, memory).context("--grid")?;
        let (runs, iterations, images, out) = (
            self.runs.runs,
            self.iterations,
            usize::from(self.images),
            self.out.clone(),
        );
        if images > 0 {
            harness::cli::image_dir(&demo::images_dir(out.clone()))?;
        }
        Ok(Settings {
            shape,
            threads,
            runs,
            grid,
            iterations,
            processes,
            images,
            out,
        })
    }
}
