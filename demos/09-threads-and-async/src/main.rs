#![forbid(unsafe_code)]

use std::process::ExitCode;

use threads_and_async::ServerJob;
use threads_and_async::args::Cli;

fn main() -> ExitCode {
    if let Some(job) = harness::process::worker_job::<ServerJob>() {
        return harness::cli::finish(job.and_then(threads_and_async::server::serve));
    }
    let cli: Cli = harness::cli::parse();
    let settings = match cli.settings() {
        Ok(settings) => settings,
        Err(line) => return harness::cli::bad_argument(line),
    };
    if let Err(err) = harness::stop::install() {
        return harness::cli::finish(Err(err.context("cannot handle Ctrl-C")));
    }
    harness::cli::finish(threads_and_async::demo::run(&settings))
}
