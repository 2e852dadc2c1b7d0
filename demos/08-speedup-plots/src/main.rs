#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use process_spawn::Hidden;
use speedup_plots::{EXTRAS, Settings, workloads::NAMES};
use workload::cli::at_least_one;

/// Sweep every workload and strategy over 1 ..= 2 x logical cores workers, warmed up and
/// repeated, and write the charts (SVG), the numbers (CSV) and the machine they came from.
/// The quick sweep (the default) takes about a minute on a 2-core machine; --full takes
/// longer and says how long before it starts.
#[derive(Parser)]
#[command(name = "08-speedup-plots", args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    worker: Option<Hidden>,

    /// Bigger work and more runs per point: steadier numbers, several minutes
    #[arg(long)]
    full: bool,

    /// The quick sweep (the default; for scripts that say so)
    #[arg(long, conflicts_with = "full")]
    quick: bool,

    /// Directory for the SVG charts, sweep.csv and machine.txt [default: the book's src/figures]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// The most workers to try [default: 2 x logical cores, so oversubscription shows]
    #[arg(long, value_name = "N", value_parser = at_least_one::<usize>)]
    max_workers: Option<usize>,

    /// Measured runs per point, after one warm-up [default: 3 quick, 7 full]
    #[arg(long, value_name = "N", value_parser = at_least_one::<usize>)]
    runs: Option<usize>,

    /// A note added to every chart's stamp, e.g. "reference run on the book's machine"
    #[arg(long, value_name = "TEXT")]
    label: Option<String>,

    /// Only these (comma-separated): noise-images, load-images, window-fill, heavy-grid,
    /// sleepy-tasks, granularity, overhead [default: all]
    #[arg(long, value_name = "NAMES", value_delimiter = ',', value_parser = known)]
    only: Vec<String>,
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

fn main() -> ExitCode {
    let cli: Cli = workload::cli::parse();
    if let Some(Hidden::Worker { role }) = cli.worker {
        // Demo 04's one-shot children and the process-spawn cost run this same binary.
        return workload::cli::finish(process_spawn::work(role));
    }
    workload::cli::finish(run(cli))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings {
        full: cli.full,
        out: cli.out.unwrap_or_else(speedup_plots::default_out),
        max_workers: cli
            .max_workers
            .unwrap_or_else(|| 2 * workload::machine::logical_cores()),
        runs: cli.runs,
        only: cli.only,
        label: cli.label,
        exe: std::env::current_exe().context("cannot find this program's own file")?,
    };
    speedup_plots::run(&settings)
}
