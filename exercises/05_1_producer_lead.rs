//! Exercise 5.1: feel the back-pressure.
//!
//! A producer sends `tasks` numbered tasks to one slow worker thread (it sleeps `work` for each)
//! over a queue of `capacity` (`bounded(capacity)`, or `unbounded()` for `None`). After each
//! `send`, note how many tasks have been sent that the worker has not yet taken, and return
//! the largest such lead. Try 1, 4, 0 and unbounded. Check: `cargo xtask exercise 5.1`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use crossbeam_channel::{bounded, unbounded};

pub fn producer_lead(capacity: Option<usize>, tasks: usize, work: Duration) -> usize {
    todo!("start the worker, send the tasks, note the largest lead")
}
