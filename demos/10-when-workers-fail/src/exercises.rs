//! Solutions to the exercises of chapter 10.

use std::os::unix::process::ExitStatusExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitStatus;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use task_queue::Failure;

use crate::fault::panic_text;

// ANCHOR: status_words
/// Exercise 10.1: how a child process ended, in words a person reads: `exited with code 3`,
/// `killed by SIGKILL (signal 9)`. On Unix a process either exits with a code or is ended by
/// a signal; `ExitStatus` holds one of the two.
pub fn status_words(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with code {code}");
    }
    match status.signal() {
        Some(number) => {
            let name = nix::sys::signal::Signal::try_from(number).map_or_else(
                |_| "an unknown signal".to_owned(),
                |s| s.as_str().to_owned(),
            );
            format!("killed by {name} (signal {number})")
        }
        None => format!("ended in a way this system does not say ({status})"),
    }
}
// ANCHOR_END: status_words

/// What a fail-fast run did: the failures, and how many items it never started.
#[derive(Debug, Default)]
pub struct FailFast {
    pub completed: usize,
    pub failures: Vec<Failure>,
    pub skipped: usize,
}

// ANCHOR: fail_fast
/// Exercise 10.2: rayon's map that stops starting items once one has failed (an error or a
/// panic). Items already running finish; every item ends up completed, failed or skipped.
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

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    fn status_of(script: &str) -> ExitStatus {
        Command::new("sh").args(["-c", script]).status().unwrap()
    }

    #[test]
    fn statuses_read_as_words() {
        assert_eq!(status_words(status_of("exit 0")), "exited with code 0");
        assert_eq!(status_words(status_of("exit 3")), "exited with code 3");
        let killed = status_of("kill -KILL $$");
        assert_eq!(status_words(killed), "killed by SIGKILL (signal 9)");
        let aborted = status_of("kill -ABRT $$");
        assert_eq!(status_words(aborted), "killed by SIGABRT (signal 6)");
    }

    #[test]
    fn fail_fast_stops_starting_items_and_counts_every_one() {
        let pool = thread_pool_map::thread_pool(1).unwrap();
        let run = map_fail_fast(&pool, 100, |i| {
            anyhow::ensure!(i != 10, "item {i} is bad");
            Ok(())
        });
        assert_eq!(run.failures.len(), 1);
        assert_eq!(run.failures[0].id, 10);
        assert_eq!(run.completed + run.failures.len() + run.skipped, 100);
        assert!(run.skipped > 0, "{run:?}");

        let pool = thread_pool_map::thread_pool(3).unwrap();
        let run = map_fail_fast(&pool, 100, |i| {
            assert!(i != 50, "item {i} panics");
            Ok(())
        });
        assert_eq!(run.failures[0].reason, "panicked: item 50 panics");
        assert_eq!(run.completed + run.failures.len() + run.skipped, 100);

        let run = map_fail_fast(&pool, 20, |_| Ok(()));
        assert_eq!((run.completed, run.skipped), (20, 0));
    }
}
