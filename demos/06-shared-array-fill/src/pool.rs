//! A pool of worker processes over one shared file: started once, each with its band
//! mapped, then asked to fill it again and again.
#![forbid(unsafe_code)]

use std::process::Stdio;

use harness::link::Link;
use harness::process::worker_command;

use crate::error::FillError;
use crate::mapping::{ArrayMap, MapFile};
use crate::processes::ProcessFill;

// ANCHOR: pool
/// Worker processes started once, each with its band mapped (the pool initializer's job),
/// then asked to fill it again and again through its link. The pool owns the shared file
/// and maps it only while every worker is idle: between a fill's last answer and the next
/// request. After any error every worker is killed and reaped, and the pool refuses.
pub struct ProcessPool {
    /// The workers, each idle between requests; none once the pool has failed
    workers: Vec<Link>,
    file: MapFile,
    failed: bool,
}

impl ProcessPool {
    /// Start a worker per band and wait until each says it has mapped its band.
    pub fn start(fill: &ProcessFill, file: MapFile) -> Result<Self, FillError> {
        let mut workers = Vec::new(); // on an error, dropping it kills and reaps them all
        for worker in fill.bands() {
            let mut command = worker_command(&fill.program, &fill.job(&file, worker, true));
            command.stderr(Stdio::null());
            let link = Link::start(worker.name(), &mut command, fill.deadline);
            workers.push(link.map_err(|source| FillError::Start {
                worker: worker.name(),
                source,
            })?);
        }
        for link in &mut workers {
            let ((), _) = link.answer("mapping its band").map_err(FillError::Pool)?;
        }
        let failed = false;
        Ok(Self {
            workers,
            file,
            failed,
        })
    }

    /// Ask every worker to fill its band, then wait until each has answered. On an error,
    /// some may still be writing: kill and reap them all, and refuse from then on.
    pub fn fill(&mut self) -> Result<(), FillError> {
        if self.failed {
            return Err(FillError::PoolFailed);
        }
        let filled = self.ask_all("filling its band");
        if filled.is_err() {
            self.failed = true;
            self.workers.clear(); // each `Link` kills its worker and waits for it
        }
        filled.map_err(FillError::Pool)
    }

    fn ask_all(&mut self, doing: &str) -> anyhow::Result<()> {
        for link in &mut self.workers {
            link.tell(&(), doing)?;
        }
        for link in &mut self.workers {
            let ((), _) = link.answer(doing)?;
        }
        Ok(())
    }

    /// The filled array, for the check: every worker has answered and waits for the next
    /// request, which cannot come while this borrow of the pool lives.
    pub fn array(&mut self) -> Result<ArrayMap<'_>, FillError> {
        if self.failed {
            return Err(FillError::PoolFailed);
        }
        self.file.array().map_err(FillError::Map)
    }
}
// ANCHOR_END: pool

impl Drop for ProcessPool {
    /// Let the workers end by themselves (end of input), as `--timeline` needs their spans.
    fn drop(&mut self) {
        let _ = Link::close_all(std::mem::take(&mut self.workers));
    }
}
