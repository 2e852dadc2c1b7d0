//! The demo's run as a whole: what `main` calls once the command line is checked.

use std::time::{Duration, Instant};

use harness::report::{header, seconds};
use workload::grid::Grid;

use crate::compare::{grid_table, static_split_line, throughput_lines, trivial_table};
use crate::{Queue, Task, panic_on, sleepy_line, sleepy_tasks};

/// What a run does: the queue for the grid and the trivial tasks, each part's size (0 or no
/// grid skips it), how often each strategy runs, and which sleepy task to make panic.
pub struct Settings {
    pub queue: Queue,
    pub sleepy_tasks: usize,
    pub panic_on: Option<usize>,
    pub sleep: Duration,
    pub sleepy_threads: usize,
    pub grids: Vec<Grid>,
    pub trivial: u64,
    pub runs: usize,
}

impl Settings {
    /// Why `--panic-on ID` would strike no task, if it would not: the sleepy tasks are fewer.
    pub fn no_such_task(&self, id: usize) -> Option<String> {
        let count = self.sleepy_tasks;
        (id >= count).then(|| {
            format!(
                "--panic-on {id} names no task: there are {count} sleepy tasks, numbered from 0"
            )
        })
    }
}

pub fn run(settings: &Settings) -> anyhow::Result<()> {
    let (queue, runs) = (&settings.queue, settings.runs);
    let work = format!("task queues of bounded({}) channels", queue.capacity);
    harness::outln!("{}", header("05-task-queue", &work, runs))?;
    if settings.sleepy_tasks > 0 {
        sleepy(settings)?;
    }
    for &grid in &settings.grids {
        let (table, tally) = grid_table(grid, queue, runs)?;
        harness::outln!("{table}\n{}", static_split_line(&grid, queue.workers))?;
        harness::outln!("task queue, last run: {tally}\n")?;
    }
    if settings.trivial > 0 {
        let (table, tally) = trivial_table(queue, settings.trivial, runs)?;
        let lines = throughput_lines(&table, settings.trivial, queue.capacity);
        harness::outln!("{table}\n{lines}")?;
        harness::outln!("task queue, last run: {tally}")?;
    }
    Ok(())
}

/// Sleepy tasks on their own number of workers, a line printed as each one comes back.
fn sleepy(settings: &Settings) -> anyhow::Result<()> {
    let (count, workers, wait) = (
        settings.sleepy_tasks,
        settings.sleepy_threads,
        settings.sleep,
    );
    let queue = Queue {
        workers,
        ..settings.queue.clone()
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
    let tally = match settings.panic_on {
        None => sleepy_tasks(&queue, count, wait, show)?,
        Some(id) => queue.run(
            panic_on(id, (0..count).map(move |_| Task::Sleep(wait))),
            show,
        )?,
    };
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
