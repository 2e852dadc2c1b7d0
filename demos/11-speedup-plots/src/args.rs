//! The sweep's command line.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use harness::cli::{MAX_RUNS, within};
use speedup_plots::{EXTRAS, Mode, Settings, workloads::NAMES};

/// The sweep keeps a pool of every size from 1 to N alive at once, N (N + 1) / 2 threads in
/// all: 8256 at 128, which every Linux allows.
const MAX_SWEEP_WORKERS: usize = 128;

/// Sweep every workload and strategy over 1 ..= 2 x logical cores workers, warmed up and
/// repeated, and write the charts (SVG), the numbers (CSV) and the machine they came from.
/// The quick sweep (the default) takes about a minute on a 2-core machine; --full takes
/// longer and says how long before it starts.
#[derive(Parser)]
#[command(name = "11-speedup-plots")]
pub struct Cli {
    /// Bigger work and more runs per point: steadier numbers, several minutes
    #[arg(long)]
    full: bool,

    /// The quick sweep (the default; for scripts that say so)
    #[arg(long, conflicts_with = "full")]
    quick: bool,

    /// Tiny sizes, for the tests
    #[arg(long, hide = true, conflicts_with_all = ["full", "quick"])]
    test_sizes: bool,

    /// Directory for the SVG charts, sweep.csv and machine.txt [default: the book's src/figures]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// The most workers (threads or processes, whichever a strategy uses) to try, 1 to 128
    /// [default: 2 x logical cores, so oversubscription shows]
    #[arg(long, value_name = "N", value_parser = within::<1, MAX_SWEEP_WORKERS>)]
    max_workers: Option<usize>,

    /// Measured runs per point after one warm-up, 1 to 100000 [default: 5 quick, 9 full]
    #[arg(long, value_name = "N", value_parser = within::<1, MAX_RUNS>)]
    runs: Option<usize>,

    /// Where the window-fill's worker processes share their file [default: /dev/shm, else
    /// the temporary directory]
    #[arg(long, value_name = "DIR")]
    map_dir: Option<PathBuf>,

    /// A note added to every chart's stamp, e.g. "reference run on the book's machine"
    #[arg(long, value_name = "TEXT")]
    label: Option<String>,

    /// Only these (comma-separated): noise-images, load-images, window-fill, heavy-grid,
    /// sleepy-tasks, shared-histogram, granularity, overhead [default: all]
    #[arg(long, value_name = "NAMES", value_delimiter = ',', value_parser = known)]
    only: Vec<String>,
}

impl Cli {
    /// What the sweep does, from the flags.
    pub fn settings(self) -> anyhow::Result<Settings> {
        Ok(Settings {
            mode: match (self.full, self.test_sizes) {
                (true, _) => Mode::Full,
                (_, true) => Mode::Test,
                _ => Mode::Quick,
            },
            out: match self.out {
                Some(out) => out,
                None => speedup_plots::default_out()?,
            },
            max_workers: self
                .max_workers
                .unwrap_or_else(|| 2 * harness::machine::logical_cores()),
            runs: self.runs,
            only: self.only,
            label: self.label,
            exe: std::env::current_exe().context("cannot find this program's own file")?,
            map_dir: self
                .map_dir
                .unwrap_or_else(shared_array_fill::default_map_dir),
        })
    }
}

fn known(name: &str) -> Result<String, String> {
    if NAMES.contains(&name) || EXTRAS.contains(&name) {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "expected one of {}, {}",
            NAMES.join(", "),
            EXTRAS.join(", ")
        ))
    }
}
