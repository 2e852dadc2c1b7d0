//! What goes wrong when processes fill the shared file: the parent's errors, each naming the
//! worker or the folder, and a worker's own.
#![forbid(unsafe_code)]

use std::io;

/// Why a fill by worker processes, or a pool of them, failed.
#[derive(Debug, thiserror::Error)]
pub enum FillError {
    #[error("cannot create the shared file in {dir}")]
    Create {
        dir: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot map the shared file")]
    Map(#[source] io::Error),
    #[error("cannot start {worker}")]
    Start {
        worker: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot wait for the worker processes")]
    Wait(#[source] io::Error),
    #[error("{worker} crashed: killed by signal {signal}")]
    Crashed { worker: String, signal: i32 },
    #[error("{worker} failed with exit code {code}: {said}")]
    Failed {
        worker: String,
        code: i32,
        said: String,
    },
    #[error("{workers} did not finish within {seconds} s; killed")]
    Late { workers: String, seconds: f64 },
    /// A pool worker that died, answered late or sent garbage, as its link tells it.
    #[error("{0:#}")]
    Pool(anyhow::Error),
    #[error("the process pool stopped at an error, and its array is incomplete")]
    PoolFailed,
    #[error(transparent)]
    Stopped(#[from] harness::stop::Stopped),
}

/// Why a worker process could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("cannot map {file}")]
    Map {
        file: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot talk to the parent")]
    Link(#[from] io::Error),
}
