#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use task_queue::compare::{grid_table, static_split_line, throughput_lines, trivial_table};
use task_queue::{Queue, sleepy_line, sleepy_tasks};
use workload::cli::{RunsArg, at_least_one};
use workload::grid::GridArgs;
use workload::machine::logical_cores;
use workload::report::{header, seconds};

/// Worker threads take typed tasks off a bounded channel and send results back on another:
/// first tasks that only wait, then a heavy grid whose rows cost unequal amounts (serial, a
/// static split, the queue), then trivial tasks that measure what the queue costs per task.
#[derive(Parser)]
#[command(name = "05-task-queue")]
struct Cli {
    /// Worker threads for the grid and the trivial tasks [default: all logical cores]
    #[arg(long, value_name = "N", value_parser = at_least_one::<usize>)]
    workers: Option<usize>,
    /// Tasks the queue holds before the producer has to wait; the result channel holds as many
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = at_least_one::<usize>)]
    capacity: usize,
    /// Sleepy tasks to run; each one only waits (0 skips them)
    #[arg(long, value_name = "N", default_value_t = 10)]
    sleepy_tasks: usize,
    /// How long each sleepy task waits, in milliseconds (0 to 60000)
    #[arg(long, value_name = "MS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    sleep_ms: u64,
    /// Worker threads for the sleepy tasks: for waiting, more workers than cores still help
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = at_least_one::<usize>)]
    sleepy_workers: usize,
    #[command(flatten)]
    grid: GridArgs,
    /// Trivial tasks to push through the queue, to measure its cost per task (0 skips them)
    #[arg(long, value_name = "N", default_value_t = 2_000_000)]
    trivial: u64,
    /// Milliseconds the collector waits for the next result before it gives up on the rest
    #[arg(long, value_name = "MS", default_value_t = 10_000, value_parser = at_least_one::<u64>)]
    patience_ms: u64,
    /// Make the task with this id panic in every queue run, to watch a failure being reported
    #[arg(long, value_name = "ID")]
    panic_on: Option<usize>,
    #[command(flatten)]
    runs: RunsArg,
}

fn main() -> ExitCode {
    let cli: Cli = workload::cli::parse();
    task_queue::quiet_worker_panics();
    workload::cli::finish(run(&cli))
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    let queue = Queue {
        patience: Duration::from_millis(cli.patience_ms),
        panic_on: cli.panic_on,
        ..Queue::new(cli.workers.unwrap_or_else(logical_cores), cli.capacity)
    };
    let work = format!("task queues of bounded({}) channels", cli.capacity);
    println!("{}", header("05-task-queue", &work, cli.runs.runs));
    if cli.sleepy_tasks > 0 {
        sleepy(cli, &queue)?;
    }
    for grid in cli.grid.grids() {
        let (table, tally) = grid_table(grid, &queue, cli.runs.runs)?;
        println!("{table}\n{}", static_split_line(&grid, queue.workers));
        println!("task queue, last run: {tally}\n");
    }
    if cli.trivial > 0 {
        let (table, tally) = trivial_table(&queue, cli.trivial, cli.runs.runs)?;
        println!(
            "{table}\n{}",
            throughput_lines(&table, cli.trivial, cli.capacity)
        );
        println!("task queue, last run: {tally}");
    }
    Ok(())
}

/// Sleepy tasks on their own number of workers, a line printed as each one comes back.
fn sleepy(cli: &Cli, queue: &Queue) -> anyhow::Result<()> {
    let (count, workers) = (cli.sleepy_tasks, cli.sleepy_workers);
    let wait = Duration::from_millis(cli.sleep_ms);
    let queue = Queue {
        workers,
        ..queue.clone()
    };
    println!(
        "sleepy tasks: {count} waits of {} on {workers} workers",
        seconds(wait)
    );
    println!(
        "{:>9}  {:>9}  task  worker   (in the order they came back)",
        "started", "done"
    );
    let start = Instant::now();
    let show = |done| println!("{}", sleepy_line(start, &done));
    let tally = sleepy_tasks(&queue, count, wait, show)?;
    let took = seconds(start.elapsed());
    let rounds = workload::sleepy::rounds(count, workers);
    let one_by_one = seconds(wait.mul_f64(count as f64));
    println!(
        "all back after {took}: {rounds} rounds of up to {workers} waits at once; one by one: {one_by_one}"
    );
    println!("{tally}\n");
    tally.check()?;
    Ok(())
}
