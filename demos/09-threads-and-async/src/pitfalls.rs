//! The two ways async code goes wrong that the chapter runs: a blocking call inside a task,
//! and computing inside tasks.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use tokio::sync::oneshot;
use tokio::task::JoinSet;

use crate::client::Target;

/// Something that happened during a run, in the order it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Request `id` got its answer.
    Answered(u64),
    /// The blocking call returned.
    Released,
}

/// The events of a run, with when each happened.
#[derive(Default)]
pub struct Log(Mutex<Vec<(Event, Instant)>>);

impl Log {
    pub fn push(&self, event: Event) {
        let mut events = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        events.push((event, Instant::now()));
    }

    pub fn events(&self) -> Vec<(Event, Instant)> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Where the blocking call runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocking {
    /// Inside the task, on the runtime's only thread
    InTask,
    /// On tokio's pool for blocking calls, awaited by the task
    SpawnBlocking,
}

/// On a runtime of one thread: `others` requests, then one task that makes the blocking call
/// `block`. Inline, it holds the thread, so no other task is polled until it returns; in
/// `spawn_blocking`, it runs on a thread of its own and the task merely awaits it.
pub fn one_thread_and_a_blocking_call(
    target: Target,
    others: usize,
    how: Blocking,
    block: impl FnOnce() + Send + 'static,
    log: &Arc<Log>,
) -> anyhow::Result<Vec<u64>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut set = JoinSet::new();
        for id in 0..others as u64 {
            let log = Arc::clone(log);
            set.spawn(async move {
                let _span = workload::timeline::item(id as usize);
                let answer = target.request_async(id).await?;
                log.push(Event::Answered(id));
                anyhow::Ok(Some((id, answer)))
            });
        }
        let log = Arc::clone(log);
        let block = move || {
            let _span = workload::timeline::item(others); // on the thread that blocks
            block();
        };
        set.spawn(async move {
            blocking_task(how, block).await?;
            log.push(Event::Released);
            Ok(None)
        });
        let mut answers = vec![0; others];
        while let Some(joined) = set.join_next().await {
            if let Some((id, answer)) = joined?? {
                answers[id as usize] = answer;
            }
        }
        Ok(answers)
    })
}

// ANCHOR: blocked
/// A task that makes the blocking call `block`. Inline, it holds its runtime thread until
/// `block` returns, and no other task on that thread is polled meanwhile. In `spawn_blocking`,
/// it runs on a thread of tokio's blocking pool; the task only awaits it, and gives its thread
/// back to the other tasks.
async fn blocking_task(
    how: Blocking,
    block: impl FnOnce() + Send + 'static,
) -> Result<(), tokio::task::JoinError> {
    match how {
        Blocking::InTask => block(),
        Blocking::SpawnBlocking => tokio::task::spawn_blocking(block).await?,
    }
    Ok(())
}
// ANCHOR_END: blocked

/// How a computation is run from inside async code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compute {
    /// Right in the task, on a runtime thread
    InTask,
    /// On rayon's pool; the task awaits the result through a oneshot channel
    OnRayon,
}

/// A piece of CPU-bound work: one row of the heavy grid of chapter 5, summed.
pub fn heavy(job: u64, cols: usize, rounds: u64) -> u64 {
    (0..cols).fold(0, |sum, col| {
        sum.wrapping_add(workload::grid::heavy_cell(job as usize, col, rounds))
    })
}

// ANCHOR: rayon_oneshot
/// Hand `work` to `pool` and await its result without holding a runtime thread meanwhile.
pub async fn on_rayon<T: Send + 'static>(
    pool: &rayon::ThreadPool,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = oneshot::channel();
    pool.spawn(move || {
        let _ = tx.send(work()); // the receiver may be gone: the run was given up
    });
    rx.await.expect("the pool runs every job it is given")
}
// ANCHOR_END: rayon_oneshot

/// What a computing run measured besides its results.
#[derive(Clone, Copy, Debug, Default)]
pub struct Latency {
    /// How long the slowest of the requests made meanwhile took to be answered.
    pub slowest_answer: std::time::Duration,
}

/// `jobs` computations and, meanwhile, `requests` requests, on a runtime of `workers` threads;
/// the computations in the tasks or on a rayon pool of as many threads. Returns the
/// computations' results in order, and how long the slowest request waited.
pub fn compute_beside_requests(
    target: Target,
    (jobs, cols, rounds): (usize, usize, u64),
    requests: usize,
    workers: usize,
    how: Compute,
) -> anyhow::Result<(Vec<u64>, Latency)> {
    let pool = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(workers)
            .build()?,
    );
    let runtime = crate::strategies::runtime(workers)?;
    let result = runtime.block_on(async {
        let start = Instant::now();
        let mut asked = JoinSet::new();
        for id in 0..requests as u64 {
            asked.spawn(async move { target.request_async(id).await.map(|_| start.elapsed()) });
        }
        let mut computed = JoinSet::new();
        for job in 0..jobs as u64 {
            let pool = Arc::clone(&pool);
            computed.spawn(async move {
                let work = move || heavy(job, cols, rounds);
                let sum = match how {
                    Compute::InTask => work(),
                    Compute::OnRayon => on_rayon(&pool, work).await,
                };
                (job, sum)
            });
        }
        let mut sums = vec![0; jobs];
        while let Some(joined) = computed.join_next().await {
            let (job, sum) = joined?;
            sums[job as usize] = sum;
        }
        let mut latency = Latency::default();
        while let Some(joined) = asked.join_next().await {
            latency.slowest_answer = latency.slowest_answer.max(joined??);
        }
        anyhow::Ok((sums, latency))
    });
    drop(runtime);
    result
}
