//! Processes filling one array, the worker's side: map its band of the shared file, fill it.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use harness::link::{receive, send};
use serde::{Deserialize, Serialize};

use crate::cells::{Shape, fill_rows};
use crate::error::WorkerError;
use crate::mapping::Band;

/// What one worker process is told: its band of the shared file, and whether to stay.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FillJob {
    /// The shared file, as the worker can open it (the parent's descriptor)
    pub(crate) file: PathBuf,
    pub(crate) shape: Shape,
    /// The worker's band: rows `first_row..first_row + rows`
    pub(crate) first_row: usize,
    pub(crate) rows: usize,
    /// Stay alive: say when mapped, then fill the band again for each request on stdin
    pub(crate) serve: bool,
}

// ANCHOR: worker
/// A worker process's whole job: map its band of the shared file and fill it with `cell`.
/// A pool worker maps once, like a pool initializer, says so, and from then on writes only
/// between a request and its answer.
pub fn fill_band(job: &FillJob, cell: &impl Fn(usize, usize) -> f64) -> Result<(), WorkerError> {
    let (shape, first_row) = (job.shape, job.first_row);
    let mut band = Band::map(&job.file, shape, first_row, job.rows).map_err(|source| {
        let file = job.file.display().to_string();
        WorkerError::Map { file, source }
    })?;
    let cells = band.cells();
    if !job.serve {
        fill_rows(cells, first_row, shape.cols, cell);
        return Ok(());
    }
    let (mut requests, mut answers) = (std::io::stdin().lock(), std::io::stdout().lock());
    send(&mut answers, &())?; // mapped, and idle
    while let Some(((), _)) = receive(&mut requests)? {
        fill_rows(cells, first_row, shape.cols, cell);
        send(&mut answers, &())?;
    }
    Ok(()) // the parent closed our stdin: the pool is shutting down
}
// ANCHOR_END: worker
