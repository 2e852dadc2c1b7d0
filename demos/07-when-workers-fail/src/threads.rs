//! The thread strategies under faults: rayon's map (demo 03), scoped threads (demo 06) and
//! the task queue (demo 05). A thread cannot be killed, so a stuck item is stopped by
//! cancelling what it waits for; a panic is caught and turned into the failure of one item.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, anyhow};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded, unbounded};
use process_spawn::shares;
use rayon::prelude::*;
use task_queue::{Failure, Job, Queue};
use workload::report::seconds;

use crate::fault::panic_text;
use crate::item::{Clock, Plan, Report, Work, make_item};

// ANCHOR: watchdog
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

    /// Run `work` on a thread of its own; it sends on `finished` after every item. When
    /// nothing arrives for `deadline`, cancel; the run then ends, and its result comes back.
    pub fn watch<T: Send>(&self, work: impl FnOnce(&Sender<()>) -> T + Send) -> T {
        std::thread::scope(|scope| {
            let (finished, progress) = unbounded();
            let run = scope.spawn(move || work(&finished)); // `finished` drops when it ends
            loop {
                match progress.recv_timeout(self.deadline) {
                    Ok(()) => {}
                    Err(RecvTimeoutError::Timeout) => self.cancel(),
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
            run.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    }
}
// ANCHOR_END: watchdog

// ANCHOR: rayon
/// Demo 03's rayon map, each item in `catch_unwind`: a panic fails its item, not the map, and
/// the other items still run. Without it, the panic would reach the caller of `install` once
/// the other tasks ended, with no word of which item it was.
pub fn rayon_map(plan: &Plan) -> anyhow::Result<Report> {
    let pool = thread_pool_map::thread_pool(plan.workers).context("cannot start rayon")?;
    let (work, clock, watchdog) = (&plan.work, Clock::start(), Watchdog::new(plan.deadline));
    let one = |index: usize| -> Option<Failure> {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            make_item(work, index, || watchdog.stuck())
        }));
        let reason = match outcome {
            Ok(Ok(())) => return None,
            Ok(Err(err)) => format!("{err:#}"),
            Err(panic) => format!("panicked: {}", panic_text(&*panic)),
        };
        clock.failed();
        let worker = rayon::current_thread_index();
        Some(Failure {
            id: index,
            worker,
            reason,
        })
    };
    let failures: Vec<Failure> = watchdog.watch(|finished| {
        pool.install(|| {
            (0..work.count)
                .into_par_iter()
                .filter_map(|index| {
                    let failure = one(index);
                    let _ = finished.send(());
                    failure
                })
                .collect()
        })
    });
    Ok(clock.report(work, work.count, failures))
}
// ANCHOR_END: rayon

// ANCHOR: scoped
/// Scoped threads, one share of the items each (as demo 06 splits its rows). No
/// `catch_unwind` here: a panic ends its thread, and `join` hands the panic back, so the
/// parent names the item it happened at and counts the rest of that share as not done.
pub fn scoped_threads(plan: &Plan) -> anyhow::Result<Report> {
    let (work, clock, watchdog) = (&plan.work, Clock::start(), Watchdog::new(plan.deadline));
    let shares = shares(work.count, plan.workers);
    let at: Vec<AtomicUsize> = shares.iter().map(|s| AtomicUsize::new(s.start)).collect();
    let failures = watchdog.watch(|finished| {
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..shares.len())
                .map(|worker| {
                    let (share, at) = (shares[worker].clone(), &at[worker]);
                    let (clock, watchdog) = (&clock, &watchdog);
                    scope.spawn(move || {
                        let mut failures = Vec::new();
                        for index in share {
                            at.store(index, Ordering::Relaxed); // where a panic happens
                            if let Err(err) = make_item(work, index, || watchdog.stuck()) {
                                clock.failed();
                                let (id, reason) = (index, format!("{err:#}"));
                                failures.push(Failure {
                                    id,
                                    worker: Some(worker),
                                    reason,
                                });
                            }
                            let _ = finished.send(());
                        }
                        failures
                    })
                })
                .collect();
            let mut failures = Vec::new();
            for (worker, thread) in threads.into_iter().enumerate() {
                match thread.join() {
                    Ok(found) => failures.extend(found),
                    Err(panic) => {
                        clock.failed();
                        let from = at[worker].load(Ordering::Relaxed);
                        let reason = format!("panicked: {}", panic_text(&*panic));
                        failures.extend(lost(from..shares[worker].end, worker, reason));
                    }
                }
            }
            failures
        })
    });
    Ok(clock.report(work, work.count, failures))
}
// ANCHOR_END: scoped

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

// ANCHOR: queue
/// Demo 05's task queue: it already catches each task's panic and stops waiting when no
/// result comes back for `patience`. An item's error comes back as its output, so it is
/// counted here; a stuck item is cancelled once the queue has given up on it.
pub fn task_queue(plan: &Plan) -> anyhow::Result<Report> {
    let (work, clock) = (Arc::new(plan.work.clone()), Clock::start());
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
    let mut errors = Vec::new();
    let tally = queue.run(tasks, |done| match done.outcome {
        Ok(Ok(())) => {}
        Ok(Err(err)) => {
            clock.failed();
            let (id, worker, reason) = (done.id, Some(done.worker), format!("{err:#}"));
            errors.push(Failure { id, worker, reason });
        }
        Err(_) => clock.failed(), // a panic: the tally has it, with its message
    })?;
    watchdog.cancel(); // the queue gave up on a stuck item, if any: let its thread go
    if !tally.failures.is_empty() {
        clock.failed(); // lost tasks are known only now
    }
    let failures = tally.failures.into_iter().chain(errors).collect();
    Ok(clock.report(&work, tally.submitted, failures))
}
// ANCHOR_END: queue

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
