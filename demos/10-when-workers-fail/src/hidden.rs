//! The jobs that only the demo itself starts this binary with: its worker processes, and the
//! plain runs that `--plain` contains. Their own module, so that neither the workers nor the
//! plain code need to know about the other.

use crate::plain::PlainRun;
use crate::worker::Role;

/// What a process of this binary that the demo started does, read from its job
/// (`harness::process::worker_job`).
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(untagged)]
pub enum Job {
    /// One of this demo's worker processes
    Worker(Role),
    /// The plain version of a strategy, without the fix, as a program of its own
    Plain(PlainRun),
    /// A worker of chapter 4's one-shot children or pool, as that chapter starts it
    Spawn(process_spawn::Role),
    /// A worker of chapter 6's process fill, as that chapter starts it
    Fill(shared_array_fill::WorkerJob),
}

impl Job {
    /// Do the job, as the process the demo started for it.
    pub fn run(self) -> anyhow::Result<()> {
        match self {
            Self::Worker(role) => crate::worker::work(role),
            Self::Plain(run) => run.run(),
            Self::Spawn(role) => {
                // Chapter 4's worker says nothing of a panic it was told to have; its parent
                // reads how it ended.
                crate::fault::quiet_injected_panics();
                process_spawn::work(role)
            }
            Self::Fill(job) => Ok(shared_array_fill::run_worker(job)?),
        }
    }
}
