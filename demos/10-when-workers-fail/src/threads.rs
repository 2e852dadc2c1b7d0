//! The thread strategies under faults: rayon's map (demo 03), scoped threads (demo 06) and
//! the task queue (demo 05). A thread cannot be killed, so a stuck item is stopped by
//! cancelling what it waits for; a panic is caught and turned into the failure of one item.

use std::convert::Infallible;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded, unbounded};
use harness::report::seconds;
use process_spawn::shares;
use task_queue::{Failure, Job, Queue};

use crate::fault::panic_text;
use crate::item::{Ledger, Plan, Report, Work, make_item};

/// How often the watchdog looks at the clock and at the stop flag.
const TICK: Duration = Duration::from_millis(20);

/// Watches a run on threads: when no item has finished for `deadline`, it cancels, and every
/// item waiting in [`Watchdog::stuck`] gives up. It cannot stop a thread that waits on
/// anything else: Rust has no way to kill a thread, only to ask it to stop.
pub struct Watchdog {
    deadline: Duration,
    cancel: Mutex<Option<Sender<()>>>,
    cancelled: Receiver<()>,
}

impl Watchdog {
    pub fn new(deadline: Duration) -> Self {
        let (cancel, cancelled) = bounded(0);
        Self {
            deadline,
            cancel: Mutex::new(Some(cancel)),
            cancelled,
        }
    }

    // ANCHOR: stuck
    /// What a stuck item does on a thread: wait until the watchdog cancels, then say so.
    pub fn stuck(&self) -> anyhow::Error {
        let _ = self.cancelled.recv(); // only ever ends by the sender being dropped
        anyhow!(
            "stuck: no item finished for {}, cancelled",
            seconds(self.deadline)
        )
    }

    /// Wake every item waiting in [`Watchdog::stuck`].
    pub fn cancel(&self) {
        let sender = self.cancel.lock().unwrap_or_else(|p| p.into_inner()).take();
        drop(sender);
    }
    // ANCHOR_END: stuck

    /// Run `work` on a thread of its own; it sends on `finished` after every item. When
    /// nothing arrives for `deadline`, or Ctrl-C or SIGTERM asks us to stop, cancel; the run
    /// then ends, and its result comes back.
    pub fn watch<T: Send>(&self, work: impl FnOnce(&Sender<()>) -> T + Send) -> T {
        std::thread::scope(|scope| {
            let (finished, progress) = unbounded();
            let run = scope.spawn(move || work(&finished)); // `finished` drops when it ends
            let mut quiet = Instant::now();
            loop {
                match progress.recv_timeout(self.deadline.min(TICK)) {
                    Ok(()) => quiet = Instant::now(),
                    Err(RecvTimeoutError::Timeout) => {
                        if quiet.elapsed() >= self.deadline || harness::stop::check().is_err() {
                            self.cancel();
                        }
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
            run.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    }
}

/// Chapter 3's map (`par_map_with`, the function `par_map` calls), unchanged. The fix is in
/// the per-item function it is given: each item under `catch_unwind`, its outcome in the
/// ledger, so a failure ends its item and not the map (an `Err` or a panic reaching the map
/// would stop it, and the caller would learn nothing of the other items). The map has no
/// deadline: it ends on a stuck item only because the injected wait listens to the watchdog.
pub fn rayon_map(plan: &Plan) -> anyhow::Result<Report> {
    let pool = thread_pool_map::thread_pool(plan.workers).context("cannot start rayon")?;
    let (work, ledger, watchdog) = (
        &plan.work,
        Ledger::start(plan),
        Watchdog::new(plan.deadline),
    );
    // ANCHOR: rayon_item
    let item = |index: usize| -> Result<(), Infallible> {
        let made = catch_unwind(AssertUnwindSafe(|| {
            make_item(work, index, || watchdog.stuck())
        }));
        let reason = match made {
            Ok(Ok(())) => {
                ledger.done(index);
                return Ok(());
            }
            Ok(Err(err)) => format!("{err:#}"),
            Err(panic) => format!("panicked: {}", panic_text(&*panic)),
        };
        let worker = rayon::current_thread_index();
        ledger.failed(Failure {
            id: index,
            worker,
            reason,
        });
        Ok(())
    };
    // ANCHOR_END: rayon_item
    watchdog.watch(|finished| {
        thread_pool_map::par_map_with(&pool, work.count, |index| {
            let outcome = item(index);
            let _ = finished.send(());
            outcome
        })
    })?;
    Ok(ledger.report(work))
}

/// Scoped threads, one share of the items each (as demo 06 splits its rows). No
/// `catch_unwind` here: a panic ends its thread, and `join` hands the panic back, so the
/// parent names the item it happened at and counts the rest of that share as not done.
pub fn scoped_threads(plan: &Plan) -> anyhow::Result<Report> {
    let (work, ledger, watchdog) = (
        &plan.work,
        Ledger::start(plan),
        Watchdog::new(plan.deadline),
    );
    let shares = shares(work.count, plan.workers);
    let at: Vec<AtomicUsize> = shares.iter().map(|s| AtomicUsize::new(s.start)).collect();
    watchdog.watch(|finished| {
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..shares.len())
                .map(|worker| {
                    let (share, at) = (shares[worker].clone(), &at[worker]);
                    let (ledger, watchdog) = (&ledger, &watchdog);
                    scope.spawn(move || {
                        for index in share {
                            at.store(index, Ordering::Relaxed); // where a panic happens
                            match make_item(work, index, || watchdog.stuck()) {
                                Ok(()) => ledger.done(index),
                                Err(err) => ledger.failed(Failure {
                                    id: index,
                                    worker: Some(worker),
                                    reason: format!("{err:#}"),
                                }),
                            }
                            let _ = finished.send(());
                        }
                    })
                })
                .collect();
            for (worker, thread) in threads.into_iter().enumerate() {
                if let Err(panic) = thread.join() {
                    let from = at[worker].load(Ordering::Relaxed);
                    let reason = format!("panicked: {}", panic_text(&*panic));
                    lost(from..shares[worker].end, worker, reason)
                        .into_iter()
                        .for_each(|failure| ledger.failed(failure));
                }
            }
        });
    });
    Ok(ledger.report(work))
}

/// Items `ids` of `worker`, which stopped at the first of them for `reason`: that one failed,
/// the others were never done.
pub(crate) fn lost(ids: std::ops::Range<usize>, worker: usize, reason: String) -> Vec<Failure> {
    let first = ids.start;
    ids.map(|id| Failure {
        id,
        worker: Some(worker),
        reason: if id == first {
            reason.clone()
        } else {
            format!("not done: its worker had stopped at item {first}")
        },
    })
    .collect()
}

/// One item as a task of demo 05's queue.
struct QueueItem {
    work: Arc<Work>,
    index: usize,
    watchdog: Arc<Watchdog>,
}

impl Job for QueueItem {
    type Output = anyhow::Result<()>;

    fn run(self) -> Self::Output {
        make_item(&self.work, self.index, || self.watchdog.stuck())
    }
}

/// Demo 05's task queue: it already catches each task's panic and stops waiting when no
/// result comes back for `patience`. An item's error comes back as its output, so it is
/// counted here. The queue gives up on a stuck item, but cannot free the thread stuck in it:
/// that thread ends only because the injected wait listens to the watchdog. The queue's
/// tally counts the tasks the producer had taken by then: the items never taken are failed
/// here, so that every item asked for is in the report.
pub fn task_queue(plan: &Plan) -> anyhow::Result<Report> {
    let (work, ledger) = (Arc::new(plan.work.clone()), Ledger::start(plan));
    let watchdog = Arc::new(Watchdog::new(plan.deadline));
    let queue = Queue {
        patience: plan.deadline,
        ..Queue::new(plan.workers, plan.workers)
    };
    let tasks = (0..work.count).map({
        let (work, watchdog) = (Arc::clone(&work), Arc::clone(&watchdog));
        move |index| QueueItem {
            work: Arc::clone(&work),
            index,
            watchdog: Arc::clone(&watchdog),
        }
    });
    let tally = queue.run(tasks, |done| match done.outcome {
        Ok(Ok(())) => ledger.done(done.id),
        Ok(Err(err)) => {
            let (id, worker, reason) = (done.id, Some(done.worker), format!("{err:#}"));
            ledger.failed(Failure { id, worker, reason });
        }
        Err(_) => ledger.noticed(), // a panic: the tally has it, with its message
    })?;
    watchdog.cancel(); // the queue gave up on a stuck item, if any: let its thread go
    // The panics and the tasks the queue lost, then the items it never took: the queue counts
    // a task before any worker can have it, so none of those can have come back.
    tally.failures.into_iter().for_each(|f| ledger.failed(f));
    for id in tally.submitted..work.count {
        let reason = "not done: the queue had given up before taking it".to_owned();
        ledger.failed(Failure {
            id,
            worker: None,
            reason,
        });
    }
    Ok(ledger.report(&work))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watchdog_cancels_a_stuck_item_after_the_deadline() {
        let watchdog = Watchdog::new(Duration::from_millis(50));
        let start = std::time::Instant::now();
        let said = watchdog.watch(|finished| {
            finished.send(()).unwrap();
            watchdog.stuck().to_string()
        });
        assert!(start.elapsed() >= Duration::from_millis(50));
        assert_eq!(said, "stuck: no item finished for 50.0 ms, cancelled");
    }
}
