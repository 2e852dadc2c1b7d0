//! The pool, the parent's side: long-lived worker processes, each fed tasks over its stdin
//! and sending replies back over its stdout, through the toolkit's `Link`, which gives up on
//! a worker that does not answer within the deadline. The worker's loop is `worker::serve`.

use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use harness::link::Link;
use harness::report::Timing;
use workload::{ImageSize, image_path, write_whole};

use crate::crash::Crash;
use crate::protocol::{Reply, Task};
use crate::worker::{Role, ServeJob};

/// One long-lived worker process, behind its link.
pub struct PoolWorker {
    number: usize,
    link: Link,
}

impl PoolWorker {
    // ANCHOR: make
    /// Have the worker make image `index`, and write the bytes it sends back into `dir`.
    /// Returns the bytes moved over the pipes.
    fn make(&mut self, dir: &Path, index: usize) -> anyhow::Result<usize> {
        let doing = format!("making image {index}");
        let (reply, moved): (Reply, _) = self.link.ask(&Task::Make { index }, &doing)?;
        let Reply::Made { index: made, png } = reply else {
            bail!("{} answered another kind of task", self.link.who());
        };
        ensure!(
            made == index,
            "{} sent image {made}, not {index}",
            self.link.who()
        );
        let path = image_path(dir, index);
        write_whole(&path, &png).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(moved)
    }
    // ANCHOR_END: make
}

/// Long-lived worker processes, each fed by its own thread in the parent.
pub struct ProcessPool {
    workers: Vec<PoolWorker>,
}

impl ProcessPool {
    /// Start `processes` workers of `exe` (this demo's binary) for images of `size`. Each
    /// must answer every task within `deadline`.
    pub fn start(
        exe: &Path,
        size: ImageSize,
        processes: usize,
        crash: Option<Crash>,
        deadline: Duration,
    ) -> anyhow::Result<Self> {
        let mut workers = Vec::with_capacity(processes);
        for number in 0..processes {
            let crash = crash.and_then(|c| c.for_pool_worker(number));
            let mut command = Role::Serve(ServeJob { size, crash }).command(exe);
            let name = format!("pool worker {number}");
            let link = Link::start(name, &mut command, deadline)
                .with_context(|| format!("cannot start pool worker {number}"))?;
            workers.push(PoolWorker { number, link }); // on an error, those started are killed
        }
        Ok(Self { workers })
    }

    /// The workers' process ids, as a list for people: `4242, 4243`.
    pub fn pids(&self) -> String {
        let pids: Vec<String> = self
            .workers
            .iter()
            .map(|w| w.link.id().to_string())
            .collect();
        pids.join(", ")
    }

    // ANCHOR: pool_map
    /// Make images `0..count` on the pool, a feeding thread per worker. Returns the paths in
    /// index order and the bytes moved over the pipes.
    pub fn write_images(
        &mut self,
        dir: &Path,
        count: usize,
    ) -> anyhow::Result<(Vec<PathBuf>, usize)> {
        let next = AtomicUsize::new(self.workers.len()); // worker w starts with image w
        let failed = AtomicBool::new(false); // the others stop taking images
        let feed = |worker: &mut PoolWorker| -> anyhow::Result<usize> {
            let (mut index, mut moved) = (worker.number, 0);
            while index < count && !failed.load(Ordering::Relaxed) {
                let made = worker.make(dir, index);
                failed.fetch_or(made.is_err(), Ordering::Relaxed);
                moved += made?;
                index = next.fetch_add(1, Ordering::Relaxed);
            }
            Ok(moved)
        };
        let results: Vec<_> = std::thread::scope(|scope| {
            let feeders: Vec<_> = self
                .workers
                .iter_mut()
                .map(|worker| scope.spawn(|| feed(worker)))
                .collect();
            feeders
                .into_iter()
                .map(|f| f.join().expect("a feeder panicked"))
                .collect()
        });
        let moved = results.into_iter().sum::<anyhow::Result<usize>>()?;
        let paths = (0..count).map(|index| image_path(dir, index)).collect();
        Ok((paths, moved))
    }
    // ANCHOR_END: pool_map

    /// Have worker 0 send `payload` back; the bytes moved both ways.
    pub fn echo(&mut self, payload: Vec<u8>) -> anyhow::Result<usize> {
        let worker = self
            .workers
            .first_mut()
            .context("the pool has no workers")?;
        let task = Task::Echo { payload };
        let (reply, moved): (Reply, _) = worker.link.ask(&task, "echoing a message")?;
        let Task::Echo { payload } = task else {
            unreachable!("the task is an echo")
        };
        ensure!(
            reply == Reply::Echo { payload },
            "the echo came back changed"
        );
        Ok(moved)
    }

    /// The median time of `samples` echoes of `bytes` bytes, and the bytes each one moved.
    pub fn round_trip(
        &mut self,
        bytes: usize,
        samples: usize,
    ) -> anyhow::Result<(Duration, usize)> {
        let (mut times, mut moved) = (Vec::with_capacity(samples), 0);
        for _ in 0..samples.max(1) {
            let payload = vec![7; bytes];
            let start = Instant::now();
            moved = self.echo(payload)?;
            times.push(start.elapsed());
        }
        Ok((Timing::new(times).median(), moved))
    }

    /// Close every worker's stdin, which ends its loop, and wait for all of them to exit.
    /// Returns how each ended; an error if one did not end well.
    pub fn shutdown(self) -> anyhow::Result<Vec<ExitStatus>> {
        let links = self.workers.into_iter().map(|worker| worker.link).collect();
        Link::close_all(links).into_iter().collect()
    }
}
