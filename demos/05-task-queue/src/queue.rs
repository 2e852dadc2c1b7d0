//! The queue: a producer thread, worker threads, two bounded channels, and the collector that
//! counts every task back in.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded};
use harness::report::seconds;

use crate::{Job, QueueError, Tally};

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
    /// A queue of `workers` workers, a channel capacity of `capacity` and ten seconds'
    /// patience.
    pub fn new(workers: usize, capacity: usize) -> Self {
        Self {
            workers,
            capacity,
            patience: Duration::from_secs(10),
        }
    }

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
            workers.push(spawn_worker(worker, tasks, results)?);
        }
        // Only the workers may hold these ends. Were a result sender left here, the result
        // channel could never close and the loop below would wait until `patience` ran out.
        drop((task_rx, result_tx));

        let taken = Arc::new(AtomicUsize::new(0));
        let producer = spawn_producer(tasks.into_iter(), task_tx, Arc::clone(&taken))?;

        // ANCHOR: collect
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
                sent: taken.load(Ordering::Acquire),
            })?;
            for worker in workers {
                let _ = worker.join(); // a worker that died left its task unreported: see below
            }
            "lost: its worker ended without sending a result".to_owned()
        };
        // Every task the producer took is in `taken` before any worker can have it, so a
        // result counted above is always one of the `submitted`, however early we gave up.
        tally.submitted = taken.load(Ordering::Acquire);
        tally.count_lost(&seen, &lost);
        Ok(tally)
        // ANCHOR_END: collect
    }
}

fn spawn_worker<T: Job>(
    worker: usize,
    tasks: Receiver<(usize, T)>,
    results: Sender<Done<T::Output>>,
) -> Result<JoinHandle<()>, QueueError> {
    let name = format!("{WORKER_THREAD}-{worker}");
    // ANCHOR: worker
    let body = move || {
        // `recv` fails only once the queue is empty and its sender is gone: the loop ends
        // then, and `results` drops with this thread.
        while let Ok((id, task)) = tasks.recv() {
            // A panic inside `run` ends the task, not the worker, and we know which task.
            let outcome = catch_unwind(AssertUnwindSafe(|| task.run())).map_err(panic_message);
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
    // ANCHOR_END: worker
    Ok(thread::Builder::new().name(name).spawn(body)?)
}

fn spawn_producer<T: Job>(
    tasks: impl Iterator<Item = T> + Send + 'static,
    queue: Sender<(usize, T)>,
    taken: Arc<AtomicUsize>,
) -> Result<JoinHandle<()>, QueueError> {
    let body = move || feed(tasks, &queue, &taken);
    let name = "queue-producer".to_owned();
    Ok(thread::Builder::new().name(name).spawn(body)?)
}

// ANCHOR: feed
/// Number the tasks and send them. A task is counted in `taken` *before* it is offered: once a
/// worker can have it, the collector's count includes it.
fn feed<T>(tasks: impl Iterator<Item = T>, queue: &Sender<(usize, T)>, taken: &AtomicUsize) {
    for (id, task) in tasks.enumerate() {
        taken.store(id + 1, Ordering::Release);
        // Blocks while the queue is full: that wait is the back-pressure.
        if queue.send((id, task)).is_err() {
            taken.store(id, Ordering::Release); // every worker is gone: it was never sent
            break;
        }
    }
    // `queue` drops with the producer: the channel closes, and each worker stops once it is
    // empty.
}
// ANCHOR_END: feed

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
/// those; a panic on any other thread is printed as before. Only the first call sets the hook.
pub fn quiet_worker_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let name = thread::current().name().map(str::to_owned);
            if !name.is_some_and(|name| name.starts_with(WORKER_THREAD)) {
                default(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_is_counted_before_any_worker_can_take_it() {
        // A rendezvous channel: each `recv` here is a worker taking a task. When it has one,
        // the count must already include it, or a collector giving up at that moment would
        // report a task that completed without being submitted. (Counted after `send`
        // returns, as this queue once did, the check below fails within a few hundred tasks.)
        let (queue, worker) = bounded::<(usize, u32)>(0);
        let taken = Arc::new(AtomicUsize::new(0));
        let producer = {
            let taken = Arc::clone(&taken);
            thread::spawn(move || feed(0..20_000_u32, &queue, &taken))
        };
        for (id, _) in worker.iter() {
            let counted = taken.load(Ordering::Acquire);
            assert!(counted > id, "task {id} taken, only {counted} counted");
        }
        producer.join().unwrap();
        assert_eq!(taken.load(Ordering::Acquire), 20_000);
    }

    #[test]
    fn a_task_never_sent_is_not_counted() {
        let (queue, worker) = bounded::<(usize, u32)>(1);
        drop(worker); // no worker at all: the first send fails
        let taken = AtomicUsize::new(0);
        feed(0..5_u32, &queue, &taken);
        assert_eq!(taken.load(Ordering::Acquire), 0);
    }

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
}
