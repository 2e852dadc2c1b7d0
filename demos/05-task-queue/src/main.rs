#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use harness::cli::GridArgs;
use harness::cli::{MAX_WORKERS, RunsArg, within};
use harness::machine::logical_cores;
use harness::report::{header, seconds};
use task_queue::compare::{grid_table, static_split_line, throughput_lines, trivial_table};
use task_queue::{Queue, sleepy_line, sleepy_tasks};

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
    /// Make the task with this id panic in every queue run it is in, to watch a failure being
    /// reported; it must name a task of at least one run
    #[arg(long, value_name = "ID")]
    panic_on: Option<usize>,
    #[command(flatten)]
    runs: RunsArg,
}

fn main() -> ExitCode {
    let cli: Cli = harness::cli::parse();
    if let Some(line) = cli.panic_on.and_then(|id| no_such_task(&cli, id)) {
        return harness::cli::bad_argument(line);
    }
    task_queue::quiet_worker_panics();
    harness::cli::finish(run(&cli))
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    let queue = Queue {
        patience: Duration::from_millis(cli.patience_ms),
        panic_on: cli.panic_on,
        ..Queue::new(cli.threads.unwrap_or_else(logical_cores), cli.capacity)
    };
    let work = format!("task queues of bounded({}) channels", cli.capacity);
    harness::outln!("{}", header("05-task-queue", &work, cli.runs.runs))?;
    if cli.sleepy_tasks > 0 {
        sleepy(cli, &queue)?;
    }
    for grid in cli.grid.grids() {
        let (table, tally) = grid_table(grid, &queue, cli.runs.runs)?;
        harness::outln!("{table}\n{}", static_split_line(&grid, queue.workers))?;
        harness::outln!("task queue, last run: {tally}\n")?;
    }
    if cli.trivial > 0 {
        let (table, tally) = trivial_table(&queue, cli.trivial, cli.runs.runs)?;
        harness::outln!(
            "{table}\n{}",
            throughput_lines(&table, cli.trivial, cli.capacity)
        )?;
        harness::outln!("task queue, last run: {tally}")?;
    }
    Ok(())
}

/// Why `--panic-on ID` would strike no task, if it would not: no queue run has that many tasks.
fn no_such_task(cli: &Cli, id: usize) -> Option<String> {
    let rows = if cli.grid.grids().is_empty() {
        0
    } else {
        cli.grid.rows
    };
    let trivial = usize::try_from(cli.trivial).unwrap_or(usize::MAX);
    let most = cli.sleepy_tasks.max(rows).max(trivial);
    (id >= most).then(|| {
        format!("--panic-on {id} names no task: the largest run has {most}, numbered from 0")
    })
}

/// Sleepy tasks on their own number of workers, a line printed as each one comes back.
fn sleepy(cli: &Cli, queue: &Queue) -> anyhow::Result<()> {
    let (count, workers) = (cli.sleepy_tasks, cli.sleepy_threads);
    let wait = Duration::from_millis(cli.sleep_ms);
    let queue = Queue {
        workers,
        ..queue.clone()
    };
    harness::outln!(
        "sleepy tasks: {count} waits of {} on {workers} workers",
        seconds(wait)
    )?;
    harness::outln!(
        "{:>9}  {:>9}  task  worker   (in the order they came back)",
        "started",
        "done"
    )?;
    let start = Instant::now();
    let mut unwritten = None;
    let show = |done| {
        if let Err(err) = harness::outln!("{}", sleepy_line(start, &done)) {
            unwritten.get_or_insert(err);
        }
    };
    let tally = sleepy_tasks(&queue, count, wait, show)?;
    if let Some(err) = unwritten {
        return Err(err.into());
    }
    let took = seconds(start.elapsed());
    let rounds = workload::sleepy::rounds(count, workers);
    let one_by_one = seconds(wait.mul_f64(count as f64));
    harness::outln!(
        "all back after {took}: {rounds} rounds of up to {workers} waits at once; one by one: {one_by_one}"
    )?;
    harness::outln!("{tally}\n")?;
    tally.check()?;
    Ok(())
}
