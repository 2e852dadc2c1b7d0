//! Exercise 5.1, solved: how far a producer runs ahead of one slow worker.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use crossbeam_channel::{bounded, unbounded};

// ANCHOR: producer_lead
/// After each send the producer notes how many tasks it has sent that the worker has not yet
/// taken; this returns the largest such lead. `capacity` is the queue's bound, `None` for an
/// unbounded queue.
pub fn producer_lead(capacity: Option<usize>, tasks: usize, work: Duration) -> usize {
    let (queue, worker_end) = match capacity {
        Some(capacity) => bounded::<usize>(capacity),
        None => unbounded(),
    };
    let taken = AtomicUsize::new(0);
    thread::scope(|scope| {
        scope.spawn(|| {
            for _task in worker_end {
                taken.fetch_add(1, Ordering::SeqCst);
                thread::sleep(work);
            }
        });
        let mut lead = 0;
        for task in 0..tasks {
            queue
                .send(task)
                .expect("the worker runs until the queue closes");
            lead = lead.max(task + 1 - taken.load(Ordering::SeqCst));
        }
        drop(queue); // close it, or the worker (and so the scope) would wait for ever
        lead
    })
}
// ANCHOR_END: producer_lead
