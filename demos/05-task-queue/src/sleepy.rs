//! Sleepy tasks: each one waits, so the queue's workers overlap their waiting.

use std::time::{Duration, Instant};

use harness::report::seconds;

use crate::{Done, Output, Queue, QueueError, Tally, Task};

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
