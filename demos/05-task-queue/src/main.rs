#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use harness::cli::{GridArgs, MAX_WORKERS, RunsArg, within};
use harness::machine::logical_cores;
use task_queue::Queue;
use task_queue::demo::Settings;

/// Worker threads take typed tasks off a bounded channel and send results back on another:
/// first tasks that only wait, then a heavy grid whose rows cost unequal amounts (serial, a
/// static split, the queue), then trivial tasks that measure what the queue costs per task.
#[derive(Parser)]
#[command(name = "05-task-queue")]
struct Cli {
    /// Worker threads for the grid and the trivial tasks, 1 to 1024 [default: all logical cores]
    #[arg(long, value_name = "N", value_parser = within::<1, MAX_WORKERS>)]
    threads: Option<usize>,
    /// Tasks the queue holds before the producer has to wait, 1 to 1048576; the result channel
    /// holds as many
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = within::<1, 1_048_576>)]
    capacity: usize,
    /// Sleepy tasks to run, up to 100000; each one only waits (0 skips them)
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = within::<0, 100_000>)]
    sleepy_tasks: usize,
    /// How long each sleepy task waits, in milliseconds (0 to 60000)
    #[arg(long, value_name = "MS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    sleep_ms: u64,
    /// Worker threads for the sleepy tasks, 1 to 1024: for waiting, more threads than cores
    /// still help
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = within::<1, MAX_WORKERS>)]
    sleepy_threads: usize,
    #[command(flatten)]
    grid: GridArgs,
    /// Trivial tasks to push through the queue, to measure its cost per task, up to 100000000
    /// (0 skips them)
    #[arg(long, value_name = "N", default_value_t = 2_000_000, value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
    trivial: u64,
    /// Milliseconds the collector waits for the next result before it gives up on the rest
    /// (1 to 3600000)
    #[arg(long, value_name = "MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    patience_ms: u64,
    /// Make the sleepy task with this id (from 0) panic, to watch a failure being reported by
    /// its id while the other tasks finish; it must name one of the --sleepy-tasks
    #[arg(long, value_name = "ID")]
    panic_on: Option<usize>,
    #[command(flatten)]
    runs: RunsArg,
}

fn main() -> ExitCode {
    let cli: Cli = harness::cli::parse();
    let settings = Settings {
        queue: Queue {
            patience: Duration::from_millis(cli.patience_ms),
            ..Queue::new(cli.threads.unwrap_or_else(logical_cores), cli.capacity)
        },
        sleepy_tasks: cli.sleepy_tasks,
        panic_on: cli.panic_on,
        sleep: Duration::from_millis(cli.sleep_ms),
        sleepy_threads: cli.sleepy_threads,
        grids: cli.grid.grids(),
        trivial: cli.trivial,
        runs: cli.runs.runs,
    };
    if let Some(line) = cli.panic_on.and_then(|id| settings.no_such_task(id)) {
        return harness::cli::bad_argument(line);
    }
    task_queue::quiet_worker_panics();
    harness::cli::finish(task_queue::demo::run(&settings))
}
