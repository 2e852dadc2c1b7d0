#![forbid(unsafe_code)]

use std::process::ExitCode;

use harness::cli::finish;
use shared_array_fill::args::Cli;
use shared_array_fill::{WorkerJob, demo, run_worker};

fn main() -> ExitCode {
    if let Some(job) = harness::process::worker_job::<WorkerJob>() {
        return finish(job.and_then(|job| Ok(run_worker(job)?)));
    }
    let cli: Cli = harness::cli::parse();
    let settings = match cli.settings() {
        Ok(settings) => settings,
        Err(err) => return harness::cli::bad_argument(format!("{err:#}")),
    };
    if let Err(err) = harness::stop::install() {
        return finish(Err(err.context("cannot handle Ctrl-C")));
    }
    finish(demo::run(&settings))
}
