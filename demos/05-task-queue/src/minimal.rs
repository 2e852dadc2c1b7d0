//! The task queue as a reader writes it first: one bounded channel of tasks, worker threads
//! that loop on it, and closing the channel to shut them down. Correct while every task
//! succeeds; [`crate::Queue`] adds what it lacks when one does not. Chapter 10 runs it under
//! faults.

use std::thread;

use crossbeam_channel::{bounded, unbounded};

use crate::Job;

// ANCHOR: minimal
/// Run `tasks` on `threads` worker threads; the outputs come back in the tasks' order.
pub fn minimal_queue<T: Job>(tasks: Vec<T>, threads: usize) -> Vec<T::Output> {
    assert!(threads > 0, "a queue needs at least one worker");
    let (queue, taken) = bounded::<(usize, T)>(threads);
    let (results, arriving) = unbounded::<(usize, T::Output)>();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (taken, results) = (taken.clone(), results.clone());
            // The loop ends once the queue is closed and empty.
            thread::spawn(move || {
                for (id, task) in taken {
                    results.send((id, task.run())).unwrap();
                }
            })
        })
        .collect();
    drop((taken, results)); // only the workers hold these ends now
    let mut outputs: Vec<Option<T::Output>> = tasks.iter().map(|_| None).collect();
    for task in tasks.into_iter().enumerate() {
        queue.send(task).unwrap(); // waits while the queue is full
    }
    drop(queue); // closing the queue is the shutdown signal
    for (id, output) in arriving {
        outputs[id] = Some(output); // ends when the last worker has ended
    }
    for worker in workers {
        worker.join().unwrap(); // a worker's panic comes back here
    }
    outputs.into_iter().map(Option::unwrap).collect()
}
// ANCHOR_END: minimal

#[cfg(test)]
mod tests {
    use workload::grid::{Grid, Skew};

    use super::*;
    use crate::{Output, Task};

    #[test]
    fn the_minimal_queue_gives_the_serial_outputs() {
        let grid = Grid {
            rows: 23,
            cols: 3,
            iterations: 50,
            skew: Skew::Linear,
        };
        let tasks: Vec<Task> = (0..grid.rows)
            .map(|row| Task::Row { grid, row })
            .chain((0..500).map(Task::Trivial))
            .collect();
        let serial: Vec<Output> = tasks.iter().map(|task| task.run()).collect();
        for threads in [1, 2, 3, 8] {
            assert_eq!(minimal_queue(tasks.clone(), threads), serial, "{threads}");
        }
        assert!(minimal_queue(Vec::<Task>::new(), 2).is_empty());
    }
}
