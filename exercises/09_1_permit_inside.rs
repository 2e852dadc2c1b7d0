//! Exercise 9.1: the permit inside the task.
//!
//! `strategies::tasks_limited` takes its permit before it spawns each task. Make the `count`
//! requests to `target` (ids `0..count`, answers in id order) with every task spawned at once,
//! each waiting for its permit of a `Semaphore` of `limit` inside. Return the answers and the
//! most requests that were in flight at once, counted without a clock: it must not pass
//! `limit`. What does this cost that `tasks_limited` does not?
//! Check: `cargo xtask exercise 9.1`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use threads_and_async::Target;
use threads_and_async::strategies::runtime;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

pub fn permit_inside(
    target: Target,
    count: usize,
    limit: usize,
) -> anyhow::Result<(Vec<u64>, usize)> {
    todo!("spawn every task, each taking a permit first; count the requests in flight")
}
