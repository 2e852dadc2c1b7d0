#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use harness::cli::{ImageArgs, MAX_WORKERS, RunsArg, within};
use process_spawn::demo::Settings;
use process_spawn::{CrashArgs, Role};

/// Run copies of this program as worker processes: one-shot children that each make a range of
/// the images, and a pool of long-lived workers fed over pipes. Compare them with the serial
/// map and with threads, and measure what starting a process and a round trip over a pipe cost.
#[derive(Parser)]
#[command(name = "04-process-spawn")]
struct Cli {
    #[command(flatten)]
    images: ImageArgs,
    #[command(flatten)]
    runs: RunsArg,

    /// Worker processes, and threads for the rayon row, 1 to 1024 [default: all logical cores]
    #[arg(long, value_name = "N", value_parser = within::<1, MAX_WORKERS>)]
    processes: Option<usize>,

    /// Seconds a worker may take (a one-shot child for its share, a pool worker for one task)
    /// before the parent kills it and stops with an error naming it
    #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    deadline: u64,

    #[command(flatten)]
    crash: CrashArgs,
}

fn main() -> ExitCode {
    if let Some(job) = harness::process::worker_job::<Role>() {
        return harness::cli::finish(job.and_then(process_spawn::work));
    }
    let cli: Cli = harness::cli::parse();
    let processes = cli
        .processes
        .unwrap_or_else(harness::machine::logical_cores);
    if let Err(line) = cli.crash.check(processes) {
        return harness::cli::bad_argument(line);
    }
    let dirs = match process_spawn::demo::dirs(&cli.images) {
        Ok(dirs) => dirs,
        Err(err) => return harness::cli::bad_argument(format!("{err:#}")),
    };
    if let Err(err) = harness::stop::install() {
        return harness::cli::finish(Err(err.context("cannot handle Ctrl-C")));
    }
    let settings = Settings {
        images: cli.images,
        runs: cli.runs.runs,
        processes,
        deadline: Duration::from_secs(cli.deadline),
        crash: cli.crash,
    };
    harness::cli::finish(process_spawn::demo::run(&settings, dirs))
}
