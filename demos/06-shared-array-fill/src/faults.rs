//! Faults on purpose, for the tests and demo 10: workers that wait before their band, or one
//! that fails on reaching a row. They wrap the lesson's types from outside: the worker's code
//! (`fill_band`) only ever sees a cell function, here one that misbehaves where told to.
#![forbid(unsafe_code)]

use std::time::Duration;

use harness::process::CrashHow;
use serde::{Deserialize, Serialize};

use crate::cells::plain_cell;
use crate::error::WorkerError;
use crate::worker::{FillJob, fill_band};

/// The faults a `ProcessFill` asks its workers to act out; none by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Make one worker fail, and how
    pub crash: Option<BandCrash>,
    /// Every worker waits this long before the first row of each fill (so that a test can
    /// send a signal mid-run)
    pub pause_ms: u64,
}

/// Which worker process fails on purpose, how, and after how many rows of its band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BandCrash {
    /// The worker, counted from 0
    pub worker: usize,
    pub how: CrashHow,
    /// Rows of its band it fills first [default: half of them; none for a hang]
    pub after_rows: Option<usize>,
}

/// What a worker process is started with: the lesson's job, and what it is to act out.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct WorkerJob {
    job: FillJob,
    act: Act,
}

/// One worker's faults: how long to wait before its first row, and where to fail.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Act {
    pause_ms: u64,
    /// How to fail, and on reaching which row of the whole array
    crash: Option<(CrashHow, usize)>,
}

impl Faults {
    /// `job` for worker number `index`, with the faults it is to act out.
    pub(crate) fn for_worker(&self, job: FillJob, index: usize) -> WorkerJob {
        let crash = self.crash.filter(|c| c.worker == index).map(|c| {
            let half = if c.how == CrashHow::Hang {
                0
            } else {
                job.rows / 2
            };
            let after = c.after_rows.unwrap_or(half).min(job.rows.saturating_sub(1));
            (c.how, job.first_row + after)
        });
        let pause_ms = self.pause_ms;
        WorkerJob {
            job,
            act: Act { pause_ms, crash },
        }
    }
}

/// A worker process's whole job as the parent sent it: the lesson's `fill_band`, with a cell
/// function that acts out the faults, if any.
pub fn run_worker(worker: WorkerJob) -> Result<(), WorkerError> {
    let (job, act) = (&worker.job, worker.act);
    if act == Act::default() {
        return fill_band(job, &plain_cell);
    }
    let first_row = job.first_row;
    fill_band(job, &move |row, col| {
        if (row, col) == (first_row, 0) {
            std::thread::sleep(Duration::from_millis(act.pause_ms));
        }
        match act.crash {
            Some((how, at)) if row == at => how.crash(), // as a segfault or a stuck lock would
            _ => plain_cell(row, col),
        }
    })
}
