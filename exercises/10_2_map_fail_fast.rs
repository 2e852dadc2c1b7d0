//! Exercise 10.2: fail fast.
//!
//! Run `item` for `0..count` on `pool` with rayon, but stop *starting* items once one has
//! failed, by an error or a panic. Count every item as completed, failed (with its id and
//! reason: the error's text, or `panicked: ` and the panic's message) or skipped.
//! Check: `cargo xtask exercise 10.2`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use task_queue::Failure;
use when_workers_fail::fault::panic_text;

/// What a fail-fast run did: the failures, and how many items it never started.
#[derive(Debug, Default)]
pub struct FailFast {
    pub completed: usize,
    pub failures: Vec<Failure>,
    pub skipped: usize,
}

pub fn map_fail_fast(
    pool: &rayon::ThreadPool,
    count: usize,
    item: impl Fn(usize) -> anyhow::Result<()> + Sync,
) -> FailFast {
    todo!("a shared flag that stops new items once one has failed")
}
