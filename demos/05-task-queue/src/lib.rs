//! Demo 05: a task queue. A producer thread puts typed tasks on a bounded crossbeam channel,
//! worker threads take them off one at a time and send each result back on a second channel,
//! and the collector counts every task in. Dropping the last sender closes a channel: that is
//! the shutdown signal, no sentinel needed.
#![forbid(unsafe_code)]

use std::any::Any;
use std::fmt;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded};
use workload::grid::Grid;
use workload::report::seconds;
use workload::sleepy::{Span, nap};

pub mod compare;
pub mod exercises;

// ANCHOR: job
/// Anything a worker can run: a task goes in, its output comes out. The queue below works for
/// any such type; this demo's workers run [`Task`].
pub trait Job: Send + 'static {
    type Output: Send + 'static;
    fn run(self) -> Self::Output;
}
// ANCHOR_END: job

// ANCHOR: task
/// Every kind of task this demo's workers know. The set is closed: a task that no worker can
/// run cannot even be written down, let alone sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// Wait, the way a download or a query does: the worker holds no core meanwhile.
    Sleep(Duration),
    /// Compute one row of the heavy grid: all arithmetic, no waiting.
    Row { grid: Grid, row: usize },
    /// Next to no work, so what it costs is the queue's own cost per task.
    Trivial(u64),
}

/// What a [`Task`] gives back: one variant per kind of task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Slept(Span),
    Row(u64),
    Trivial(u64),
}

impl Job for Task {
    type Output = Output;

    fn run(self) -> Output {
        // No `_ =>` arm: add a variant to `Task` and this match stops compiling until it
        // says how a worker runs the new kind.
        match self {
            Task::Sleep(duration) => Output::Slept(nap(duration)),
            Task::Row { grid, row } => Output::Row(grid.row(row)),
            Task::Trivial(x) => Output::Trivial(x ^ 1),
        }
    }
}
// ANCHOR_END: task

// ANCHOR: queue
/// How to run a batch of tasks: how many workers, how much the channels hold, how long the
/// collector waits for a result before it gives up on the rest.
#[derive(Clone, Debug)]
pub struct Queue {
    /// Worker threads taking tasks off the queue.
    pub workers: usize,
    /// Tasks the queue holds before the producer has to wait; the result channel holds as many.
    pub capacity: usize,
    /// The longest the collector waits for the next result.
    pub patience: Duration,
    /// Make the task with this id panic, to watch a failure being reported (`--panic-on`).
    pub panic_on: Option<usize>,
}

/// What a worker sends back for each task: which task, which worker, and how it went.
#[derive(Debug)]
pub struct Done<O> {
    pub id: usize,
    pub worker: usize,
    /// The output, or the message of the panic that ended the task.
    pub outcome: Result<O, String>,
}
// ANCHOR_END: queue

/// The name every worker thread's name starts with.
pub const WORKER_THREAD: &str = "queue-worker";

impl Queue {
    /// A queue of `workers` workers, a channel capacity of `capacity`, ten seconds' patience
    /// and no injected panic.
    pub fn new(workers: usize, capacity: usize) -> Self {
        Self {
            workers,
            capacity,
            patience: Duration::from_secs(10),
            panic_on: None,
        }
    }

    // ANCHOR: run
    /// Run every task from `tasks` on the workers; call `on_result` for each result in the
    /// order they finish. Task ids count from 0 in the order `tasks` yields them. Returns once
    /// every task is accounted for: completed, failed, or given up on after `patience`.
    pub fn run<T, I>(
        &self,
        tasks: I,
        mut on_result: impl FnMut(Done<T::Output>),
    ) -> Result<Tally, QueueError>
    where
        T: Job,
        I: IntoIterator<Item = T>,
        I::IntoIter: Send + 'static,
    {
        if self.workers == 0 {
            return Err(QueueError::NoWorkers);
        }
        let (task_tx, task_rx) = bounded::<(usize, T)>(self.capacity);
        let (result_tx, result_rx) = bounded::<Done<T::Output>>(self.capacity);
        let mut workers = Vec::with_capacity(self.workers);
        for worker in 0..self.workers {
            let (tasks, results) = (task_rx.clone(), result_tx.clone());
            workers.push(spawn_worker(worker, tasks, results, self.panic_on)?);
        }
        // Only the workers may hold these ends. Were a result sender left here, the result
        // channel could never close and the loop below would wait until `patience` ran out.
        drop((task_rx, result_tx));

        let sent = Arc::new(AtomicUsize::new(0));
        let producer = spawn_producer(tasks.into_iter(), task_tx, Arc::clone(&sent))?;

        let mut tally = Tally::default();
        let mut seen = Vec::new();
        let gave_up = loop {
            match result_rx.recv_timeout(self.patience) {
                Ok(done) => {
                    tally.count(&done, &mut seen);
                    on_result(done);
                }
                // Every worker has ended, so no result can come any more.
                Err(RecvTimeoutError::Disconnected) => break false,
                // A worker is stuck or slow: stop waiting rather than hang.
                Err(RecvTimeoutError::Timeout) => break true,
            }
        };
        let lost = if gave_up {
            // Do not join: a stuck thread would hang us. Dropping `result_rx` on return makes
            // every worker stop at its next send, and the producer once the workers are gone.
            format!(
                "lost: no result came back within {}",
                seconds(self.patience)
            )
        } else {
            producer.join().map_err(|_| QueueError::ProducerPanicked {
                sent: sent.load(Ordering::Relaxed),
            })?;
            for worker in workers {
                let _ = worker.join(); // a worker that died left its task unreported: see below
            }
            "lost: its worker ended without sending a result".to_owned()
        };
        tally.submitted = sent.load(Ordering::Relaxed);
        tally.count_lost(&seen, &lost);
        Ok(tally)
    }
    // ANCHOR_END: run
}

// ANCHOR: worker
fn spawn_worker<T: Job>(
    worker: usize,
    tasks: Receiver<(usize, T)>,
    results: Sender<Done<T::Output>>,
    panic_on: Option<usize>,
) -> Result<JoinHandle<()>, QueueError> {
    let name = format!("{WORKER_THREAD}-{worker}");
    let body = move || {
        // `recv` fails only once the queue is empty and its sender is gone: the loop ends
        // then, and `results` drops with this thread.
        while let Ok((id, task)) = tasks.recv() {
            // A panic inside `run` ends the task, not the worker, and we know which task.
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                if panic_on == Some(id) {
                    panic!("injected panic (--panic-on {id})");
                }
                task.run()
            }));
            let outcome = outcome.map_err(panic_message);
            if results
                .send(Done {
                    id,
                    worker,
                    outcome,
                })
                .is_err()
            {
                break; // the collector gave up waiting and went away
            }
        }
    };
    Ok(thread::Builder::new().name(name).spawn(body)?)
}
// ANCHOR_END: worker

// ANCHOR: producer
fn spawn_producer<T: Job>(
    tasks: impl Iterator<Item = T> + Send + 'static,
    queue: Sender<(usize, T)>,
    sent: Arc<AtomicUsize>,
) -> Result<JoinHandle<()>, QueueError> {
    let body = move || {
        for (id, task) in tasks.enumerate() {
            // Blocks while the queue is full: that wait is the back-pressure.
            if queue.send((id, task)).is_err() {
                break; // every worker is gone
            }
            sent.store(id + 1, Ordering::Relaxed);
        }
        // `queue` drops here: the channel closes, and each worker stops once it is empty.
    };
    let name = "queue-producer".to_owned();
    Ok(thread::Builder::new().name(name).spawn(body)?)
}
// ANCHOR_END: producer

/// The text a panic was raised with.
fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(text) => (*text).to_owned(),
            Err(_) => "a panic without a message".to_owned(),
        },
    }
}

/// The default panic hook prints every panic to stderr, even one that `catch_unwind` then
/// catches. The queue reports a worker's panic itself, with the task's id, so stay quiet for
/// those; a panic on any other thread is printed as before.
pub fn quiet_worker_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let name = thread::current().name().map(str::to_owned);
        if !name.is_some_and(|name| name.starts_with(WORKER_THREAD)) {
            default(info);
        }
    }));
}

// ANCHOR: tally
/// Every task accounted for: `submitted == completed + failures.len()` once a run is over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub submitted: usize,
    pub completed: usize,
    pub failures: Vec<Failure>,
}

/// A task that did not complete, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub id: usize,
    /// The worker it ran on; `None` when no worker ever reported it.
    pub worker: Option<usize>,
    pub reason: String,
}
// ANCHOR_END: tally

impl Tally {
    fn count<O>(&mut self, done: &Done<O>, seen: &mut Vec<bool>) {
        if seen.len() <= done.id {
            seen.resize(done.id + 1, false);
        }
        seen[done.id] = true;
        match &done.outcome {
            Ok(_) => self.completed += 1,
            Err(message) => self.failures.push(Failure {
                id: done.id,
                worker: Some(done.worker),
                reason: format!("panicked: {message}"),
            }),
        }
    }

    /// Every submitted task that never reported back failed as `reason`.
    fn count_lost(&mut self, seen: &[bool], reason: &str) {
        for id in 0..self.submitted {
            if !seen.get(id).copied().unwrap_or(false) {
                self.failures.push(Failure {
                    id,
                    worker: None,
                    reason: reason.to_owned(),
                });
            }
        }
    }

    /// This tally, or [`QueueError::TasksFailed`] if any task failed.
    pub fn check(self) -> Result<Self, QueueError> {
        if self.failures.is_empty() {
            Ok(self)
        } else {
            Err(QueueError::TasksFailed(self))
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "submitted {} = completed {} + failed {}",
            self.submitted,
            self.completed,
            self.failures.len()
        )
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.worker {
            Some(worker) => write!(f, "task {} (worker {worker}) {}", self.id, self.reason),
            None => write!(f, "task {} {}", self.id, self.reason),
        }
    }
}

/// What can stop a queue run.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("a queue needs at least one worker")]
    NoWorkers,
    #[error("cannot start a queue thread")]
    Spawn(#[from] std::io::Error),
    #[error("the producer panicked after sending {sent} tasks")]
    ProducerPanicked { sent: usize },
    #[error("{}", failed_line(.0))]
    TasksFailed(Tally),
}

fn failed_line(tally: &Tally) -> String {
    let shown: Vec<String> = tally
        .failures
        .iter()
        .take(3)
        .map(|f| f.to_string())
        .collect();
    let more = tally.failures.len().saturating_sub(shown.len());
    let more = if more > 0 {
        format!("; and {more} more")
    } else {
        String::new()
    };
    format!("{}{more} ({tally})", shown.join("; "))
}

// ANCHOR: grid_serial
/// The heavy grid, one row after another: the reference.
pub fn grid_serial(grid: &Grid) -> Vec<u64> {
    (0..grid.rows).map(|row| grid.row(row)).collect()
}
// ANCHOR_END: grid_serial

// ANCHOR: grid_static
/// A static split: worker w gets one contiguous block of rows, decided before anything runs.
pub fn grid_static(grid: &Grid, workers: usize) -> Vec<u64> {
    let mut sums = vec![0; grid.rows];
    let per_worker = grid.rows.div_ceil(workers.max(1)).max(1);
    thread::scope(|scope| {
        for (block, slots) in sums.chunks_mut(per_worker).enumerate() {
            scope.spawn(move || {
                for (i, slot) in slots.iter_mut().enumerate() {
                    *slot = grid.row(block * per_worker + i);
                }
            });
        }
    });
    sums
}
// ANCHOR_END: grid_static

/// The rows each worker of [`grid_static`] gets, and its share of the grid's arithmetic.
pub fn static_shares(grid: &Grid, workers: usize) -> Vec<(Range<usize>, f64)> {
    let per_worker = grid.rows.div_ceil(workers.max(1)).max(1);
    let total: u64 = (0..grid.rows).map(|row| grid.iterations_for(row)).sum();
    (0..grid.rows)
        .step_by(per_worker)
        .map(|start| {
            let rows = start..(start + per_worker).min(grid.rows);
            let work: u64 = rows.clone().map(|row| grid.iterations_for(row)).sum();
            (rows, work as f64 / total.max(1) as f64)
        })
        .collect()
}

// ANCHOR: grid_queue
/// A dynamic split: every row is a task on the queue, and whichever worker is free takes the
/// next one, so a worker that drew cheap rows simply takes more of them.
pub fn grid_queue(grid: Grid, queue: &Queue) -> Result<(Vec<u64>, Tally), QueueError> {
    let mut sums = vec![0; grid.rows];
    let tasks = (0..grid.rows).map(move |row| Task::Row { grid, row });
    let tally = queue.run(tasks, |done| {
        // Results come in the order they finish; the id puts each back in its place.
        if let Ok(Output::Row(sum)) = done.outcome {
            sums[done.id] = sum;
        }
    })?;
    Ok((sums, tally.check()?))
}
// ANCHOR_END: grid_queue

// ANCHOR: sleepy
/// `count` tasks that each wait `duration`; `show` sees every result as it arrives.
pub fn sleepy_tasks(
    queue: &Queue,
    count: usize,
    duration: Duration,
    show: impl FnMut(Done<Output>),
) -> Result<Tally, QueueError> {
    queue.run((0..count).map(move |_| Task::Sleep(duration)), show)
}
// ANCHOR_END: sleepy

/// One line of the sleepy table: when the task started and ended since `start`, its id and
/// its worker, or why it failed.
pub fn sleepy_line(start: Instant, done: &Done<Output>) -> String {
    let since = |t: Instant| seconds(t.saturating_duration_since(start));
    let (id, worker) = (done.id, done.worker);
    match &done.outcome {
        Ok(Output::Slept(span)) => format!(
            "{:>9}  {:>9}  {id:>4}  {worker:>6}",
            since(span.start),
            since(span.end)
        ),
        Ok(other) => format!("{:>9}  {:>9}  {id:>4}  {worker:>6}  {other:?}", "", ""),
        Err(message) => format!(
            "{:>9}  {:>9}  {id:>4}  {worker:>6}  panicked: {message}",
            "-", "-"
        ),
    }
}

// ANCHOR: trivial
/// The trivial tasks in a plain loop. `black_box` hides the values from the optimiser, which
/// could otherwise work out the whole sum without running a single task.
pub fn trivial_serial(count: u64) -> u64 {
    let mut sum = 0u64;
    for x in 0..count {
        if let Output::Trivial(y) = std::hint::black_box(Task::Trivial(x)).run() {
            sum = sum.wrapping_add(y);
        }
    }
    sum
}

/// The same tasks through the queue: each one crosses the task channel and the result channel.
pub fn trivial_queue(queue: &Queue, count: u64) -> Result<(u64, Tally), QueueError> {
    let mut sum = 0u64;
    let tally = queue.run((0..count).map(Task::Trivial), |done| {
        if let Ok(Output::Trivial(y)) = done.outcome {
            sum = sum.wrapping_add(y);
        }
    })?;
    Ok((sum, tally.check()?))
}
// ANCHOR_END: trivial

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_messages_are_kept_whatever_their_type() {
        let text = |f: fn()| panic_message(std::panic::catch_unwind(f).unwrap_err());
        assert_eq!(text(|| panic!("plain")), "plain");
        assert_eq!(text(|| panic!("formatted {}", 7)), "formatted 7");
        assert_eq!(
            text(|| std::panic::panic_any(7_u8)),
            "a panic without a message"
        );
    }

    #[test]
    fn a_failure_line_names_the_tasks_and_the_tally() {
        let failure = |id| Failure {
            id,
            worker: Some(1),
            reason: "panicked: boom".into(),
        };
        let tally = Tally {
            submitted: 9,
            completed: 5,
            failures: (0..4).map(failure).collect(),
        };
        let line = QueueError::TasksFailed(tally).to_string();
        assert_eq!(
            line,
            "task 0 (worker 1) panicked: boom; task 1 (worker 1) panicked: boom; \
             task 2 (worker 1) panicked: boom; and 1 more (submitted 9 = completed 5 + failed 4)"
        );
    }

    #[test]
    fn static_shares_cover_every_row_once() {
        let grid = Grid {
            rows: 10,
            cols: 1,
            iterations: 100,
            skew: workload::grid::Skew::Linear,
        };
        let shares = static_shares(&grid, 3);
        let rows: Vec<Range<usize>> = shares.iter().map(|(r, _)| r.clone()).collect();
        assert_eq!(rows, [0..4, 4..8, 8..10]);
        let total: f64 = shares.iter().map(|(_, share)| share).sum();
        assert!((total - 1.0).abs() < 1e-9);
        assert!(shares[0].1 < shares[1].1);
    }
}
