//! The command line of `10-when-workers-fail`, and what it asks for once checked.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use harness::cli::{MAX_WORKERS, TimelineArg, default_out_dir, within};

use crate::{Fault, Plain, Settings, Strategy};

/// Run every strategy of demos 03-06 (rayon, scoped threads, a task queue, one-shot child
/// processes, a process pool over pipes, processes sharing a file in /dev/shm) under every
/// fault (a panic, SIGKILL, abort, a stuck worker, a full disk, a corrupt input file), each
/// cell a real run bounded in time; print what each run observed, how fast it noticed, how
/// much of the other work finished and what was left behind.
#[derive(Parser)]
#[command(
    name = "10-when-workers-fail",
    after_help = "Exit status: with both --strategy and --fault, the program makes one real \
                  run and exits as such a program would: 0 when every item was done, 1 with one \
                  error line naming the failed item and worker when the run failed. Otherwise \
                  it runs a matrix of cells and exits 0 when every cell behaved as expected (the \
                  fault was noticed and named at the right item, every item accounted for, \
                  nothing left behind), else 1. With --plain, it exits 0 when every plain run \
                  failed as its plain code does (it hung, died of the panic, or exited 0 with \
                  items missing) and the demo left nothing behind, else 1. A bad argument \
                  exits 2."
)]
pub struct Cli {
    /// Run only this strategy [default: every strategy]
    #[arg(long, value_enum)]
    pub strategy: Option<Strategy>,

    /// Instead of the matrix, run five cells without the fix: chapter 3's map under a panic,
    /// chapter 5's minimal queue under a panic and under a stuck item, one-shot children under
    /// SIGKILL and the pool under a stuck worker, each a program of its own that the demo kills
    /// if it still runs after 2 s; show how each dies, hangs or loses items without an error,
    /// and what the fixed strategy does instead. With --strategy (rayon, queue, one-shot or
    /// pool), only the cells of that one
    #[arg(long, conflicts_with = "fault")]
    pub plain: bool,

    /// Run only this fault [default: every fault]
    #[arg(long, value_enum)]
    pub fault: Option<Fault>,

    /// Items in each run, 1 to 10000: each reads a small noise image, inverts it and writes it
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = within::<1, 10_000>)]
    pub count: usize,

    /// The item the fault strikes, counted from 0 (less than --count) [default: 37, or the
    /// middle item when --count is 37 or less]
    #[arg(long, value_name = "K", value_parser = within::<0, 9_999>)]
    pub item: Option<usize>,

    /// Worker threads in each run of a thread strategy (rayon, scoped, queue), 1 to 1024
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = within::<1, MAX_WORKERS>)]
    pub threads: usize,

    /// Worker processes in each run of a process strategy (one-shot, pool, shared-memory), 1 to
    /// 256
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = within::<1, 256>)]
    pub processes: usize,

    /// Width and height of each image in pixels, 1 to 4096 (with --count, at most 128 Mi
    /// pixels in all)
    #[arg(long, value_name = "PIXELS", default_value_t = 64, value_parser = side)]
    pub side: u32,

    /// How long a run waits for the next item to finish before it calls a worker stuck, 1 to
    /// 600000
    #[arg(long, value_name = "MS", default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    pub deadline_ms: u64,

    /// Directory to write into, a folder per cell [default: target/demo-output/10-when-workers-fail]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Where the shared-memory strategy's shared file goes [default: /dev/shm, else the
    /// temporary directory]
    #[arg(long, value_name = "DIR")]
    pub map_dir: Option<PathBuf>,

    #[command(flatten)]
    pub timeline: TimelineArg,
}

fn side(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(n @ 1..=4096) => Ok(n),
        _ => Err("expected a whole number from 1 to 4096".into()),
    }
}

/// The item the fault strikes unless `--item` says otherwise: one well inside the default run.
const DEFAULT_ITEM: usize = 37;

/// The most pixels one run's images may hold together: 128 Mi, a shared file of 1 GiB.
const MAX_PIXELS: usize = 1 << 27;

/// What the command line asks for, once checked.
pub enum Asked {
    /// The plain cells of `--plain`
    Plain(Vec<Plain>),
    /// The matrix of these strategies under these faults
    Matrix(Vec<Strategy>, Vec<Fault>),
    /// One cell named by `--strategy` and `--fault`: a real run
    Cell(Strategy, Fault),
}

impl Cli {
    /// The settings every cell shares, and what to run; a bad argument clap cannot see
    /// (the images do not fit, `--item` names none, `--plain` has no cells for the strategy)
    /// is an error line, before any work.
    pub fn checked(&self) -> Result<(Settings, Asked), String> {
        // Each run holds every item's pixels once more as f64 in the shared file: keep it small.
        let pixels = self.count * self.side as usize * self.side as usize;
        if pixels > MAX_PIXELS {
            let (count, side, mib) = (self.count, self.side, pixels >> 20);
            let most = MAX_PIXELS >> 20;
            return Err(format!(
                "--count {count} images of {side}x{side} pixels are {mib} Mi pixels a run; at \
                 most {most} Mi"
            ));
        }
        let at = self.item.unwrap_or(if self.count > DEFAULT_ITEM {
            DEFAULT_ITEM
        } else {
            self.count / 2
        });
        if at >= self.count {
            let count = self.count;
            return Err(format!(
                "--item {at} names no item: there are {count}, from 0"
            ));
        }
        let asked = match (self.plain, self.strategy, self.fault) {
            (true, strategy, _) => Asked::Plain(Plain::chosen(strategy)?),
            (false, Some(strategy), Some(fault)) => Asked::Cell(strategy, fault),
            (false, strategy, fault) => Asked::Matrix(
                strategy.map_or(Strategy::ALL.to_vec(), |s| vec![s]),
                fault.map_or(Fault::ALL.to_vec(), |f| vec![f]),
            ),
        };
        let settings = Settings {
            count: self.count,
            at,
            side: self.side,
            threads: self.threads,
            processes: self.processes,
            deadline: Duration::from_millis(self.deadline_ms),
            out: self
                .out
                .clone()
                .unwrap_or_else(|| default_out_dir("10-when-workers-fail")),
            map_dir: (self.map_dir.clone()).unwrap_or_else(shared_array_fill::default_map_dir),
        };
        Ok((settings, asked))
    }
}
