#![forbid(unsafe_code)]

mod args;

use std::process::ExitCode;

use anyhow::Context;
use harness::cli::finish;

use crate::args::Cli;

/// The sweep runs this same binary as the worker processes of demos 04 and 06: the job
/// says which (their shapes differ, so the first that fits is the one).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Worker {
    Spawn(process_spawn::Role),
    FillBand(shared_array_fill::WorkerJob),
}

fn main() -> ExitCode {
    if let Some(job) = harness::process::worker_job::<Worker>() {
        return finish(job.and_then(|job| match job {
            Worker::Spawn(role) => process_spawn::work(role),
            Worker::FillBand(job) => Ok(shared_array_fill::run_worker(job)?),
        }));
    }
    finish(run(harness::cli::parse()))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.settings()?;
    // The workers started by the sweep get the same Ctrl-C from the terminal.
    harness::stop::install().context("cannot handle Ctrl-C and SIGTERM")?;
    speedup_plots::run(&settings)
}
