//! What a worker runs: the `Job` trait, and `Task`, every kind of task this demo's workers know.

use std::time::Duration;

use workload::grid::Grid;
use workload::sleepy::{Span, nap};

// ANCHOR: job
/// Anything a worker can run: a task goes in, its output comes out. The queue works for any
/// such type; this demo's workers run [`Task`].
pub trait Job: Send + 'static {
    type Output: Send + 'static;
    fn run(self) -> Self::Output;
}
// ANCHOR_END: job

// ANCHOR: task
/// Every kind of task this demo's workers know. The set is closed: a task that no worker can
/// run cannot even be written down, let alone sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// Wait, the way a download or a query does: the worker holds no core meanwhile.
    Sleep(Duration),
    /// Compute one row of the heavy grid: all arithmetic, no waiting.
    Row { grid: Grid, row: usize },
    /// Next to no work, so what it costs is the queue's own cost per task.
    Trivial(u64),
}

/// What a [`Task`] gives back: one variant per kind of task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Slept(Span),
    Row(u64),
    Trivial(u64),
}

impl Job for Task {
    type Output = Output;

    fn run(self) -> Output {
        // No `_ =>` arm: add a variant to `Task` and this match stops compiling until it
        // says how a worker runs the new kind.
        match self {
            Task::Sleep(duration) => Output::Slept(nap(duration)),
            Task::Row { grid, row } => Output::Row(grid.row(row)),
            Task::Trivial(x) => Output::Trivial(x ^ 1),
        }
    }
}
// ANCHOR_END: task
