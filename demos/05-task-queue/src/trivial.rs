//! Trivial tasks: next to no work each, so what they cost through the queue is the queue's own
//! cost per task.

use crate::{Job, Output, Queue, QueueError, Tally, Task};

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
