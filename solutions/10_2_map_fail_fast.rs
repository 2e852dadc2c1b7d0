//! Exercise 10.2, solved: a map that stops starting items after the first failure.

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

// ANCHOR: fail_fast
/// Rayon's map that stops starting items once one has failed (an error or a panic). Items
/// already running finish; every item ends up completed, failed or skipped.
pub fn map_fail_fast(
    pool: &rayon::ThreadPool,
    count: usize,
    item: impl Fn(usize) -> anyhow::Result<()> + Sync,
) -> FailFast {
    let stop = AtomicBool::new(false);
    let outcomes: Vec<Option<Result<(), String>>> = pool.install(|| {
        (0..count)
            .into_par_iter()
            .map(|index| {
                if stop.load(Ordering::Relaxed) {
                    return None; // skipped
                }
                let outcome = match catch_unwind(AssertUnwindSafe(|| item(index))) {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(err)) => Err(format!("{err:#}")),
                    Err(panic) => Err(format!("panicked: {}", panic_text(&*panic))),
                };
                stop.fetch_or(outcome.is_err(), Ordering::Relaxed);
                Some(outcome)
            })
            .collect()
    });
    let mut run = FailFast::default();
    for (id, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            None => run.skipped += 1,
            Some(Ok(())) => run.completed += 1,
            Some(Err(reason)) => run.failures.push(Failure {
                id,
                worker: None,
                reason,
            }),
        }
    }
    run
}
// ANCHOR_END: fail_fast
