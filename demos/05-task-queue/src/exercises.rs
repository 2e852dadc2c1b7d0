//! Solutions to the exercises of chapter 5.
//!
//! A worker that forgets a new kind of task does not compile (error E0004, a match that does
//! not cover every variant):
//!
//! ```compile_fail,E0004
//! use task_queue::exercises::{MoreOutputs, MoreTasks};
//! fn run(task: MoreTasks) -> MoreOutputs {
//!     match task {
//!         MoreTasks::Known(task) => MoreOutputs::Known(task_queue::Job::run(task)),
//!     }
//! }
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use crossbeam_channel::{bounded, unbounded};
use workload::{ImageSize, noise_pixels};

use crate::{Job, Output, Task};

// ANCHOR: producer_lead
/// Exercise 5.1: how far can a producer run ahead of one slow worker? After each send the
/// producer notes how many tasks it has sent that the worker has not yet taken; this returns
/// the largest such lead. `capacity` is the queue's bound, `None` for an unbounded queue.
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

// ANCHOR: checksum_task
/// Exercise 5.2: a new kind of task, the checksum of one noise image. It wraps the chapter's
/// `Task` so that the chapter's code stays as it was; adding `Checksum` to `Task` itself
/// makes `Task::run` fail to compile in just the same way until it gets its arm.
#[derive(Clone, Copy, Debug)]
pub enum MoreTasks {
    Known(Task),
    Checksum { image: usize, size: ImageSize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoreOutputs {
    Known(Output),
    Checksum(u64),
}

impl Job for MoreTasks {
    type Output = MoreOutputs;

    fn run(self) -> MoreOutputs {
        match self {
            MoreTasks::Known(task) => MoreOutputs::Known(task.run()),
            MoreTasks::Checksum { image, size } => {
                MoreOutputs::Checksum(fnv1a(&noise_pixels(image, size)))
            }
        }
    }
}

/// The 64-bit FNV-1a hash: a small checksum that any change of a byte changes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
// ANCHOR_END: checksum_task

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Queue;

    #[test]
    fn a_bounded_queue_keeps_the_producer_close() {
        // The queue holds `capacity` tasks and the worker may have taken one it has not
        // counted yet: the producer can never be further ahead than that.
        for capacity in [0, 1, 4] {
            let lead = producer_lead(Some(capacity), 30, Duration::from_micros(200));
            assert!(lead <= capacity + 1, "bounded({capacity}): {lead}");
        }
        // Unbounded, nothing holds the producer back: with each task taking 60 ms, it would
        // have to stall for over a second to stay within the largest bound above.
        let lead = producer_lead(None, 30, Duration::from_millis(60));
        assert!(lead > 4 + 1, "unbounded: {lead}");
    }

    #[test]
    fn checksum_tasks_run_on_the_queue_beside_the_old_ones() {
        let size = ImageSize::new(16, 8);
        let tasks: Vec<MoreTasks> = (0..9)
            .map(|i| match i % 2 {
                0 => MoreTasks::Checksum { image: i, size },
                _ => MoreTasks::Known(Task::Trivial(i as u64)),
            })
            .collect();
        let expected: Vec<MoreOutputs> = tasks.iter().map(|task| task.run()).collect();
        let mut got = vec![None; tasks.len()];
        let tally = Queue::new(3, 2)
            .run(tasks, |done| got[done.id] = done.outcome.ok())
            .unwrap();
        assert_eq!((tally.submitted, tally.completed), (9, 9));
        assert_eq!(got, expected.into_iter().map(Some).collect::<Vec<_>>());
        assert_ne!(got[0], got[2], "different images, different checksums");
    }

    #[test]
    fn fnv1a_matches_its_published_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
