//! The pool: long-lived worker processes, each fed tasks over its stdin and sending replies
//! back over its stdout. The worker's loop ([`serve`]) and the parent's side are both here.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, ChildStdout, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use workload::child::OwnedChild;
use workload::report::Timing;
use workload::{ImageSize, encode_png, image_path, noise_pixels, write_whole};

use crate::crash::{Crash, crash_for};
use crate::protocol::{Reply, Task, receive, request, send};
use crate::worker::{Role, ServeJob};

/// How long a worker that closed its end of a pipe gets to exit by itself before it is killed.
const GRACE: Duration = Duration::from_secs(2);

// ANCHOR: serve
/// A pool worker's loop: read a task, do it, send the reply, until the parent closes the
/// pipe. `replies` is the worker's stdout, so nothing else may ever be printed there.
pub fn serve(mut tasks: impl Read, mut replies: impl Write, job: &ServeJob) -> anyhow::Result<()> {
    let size = ImageSize::new(job.width, job.height);
    while let Some((task, _)) = receive(&mut tasks)? {
        let reply = match task {
            Task::Make { index } => {
                if let Some(how) = job.crash {
                    how.crash();
                }
                let png = encode_png(&noise_pixels(index, size), size)?;
                Reply::Made { index, png }
            }
            Task::Echo { payload } => Reply::Echo { payload },
        };
        send(&mut replies, &reply)?;
    }
    Ok(())
}
// ANCHOR_END: serve

/// One long-lived worker process and the parent's ends of its two pipes.
pub struct PoolWorker {
    number: usize,
    tasks: BufWriter<ChildStdin>,
    replies: BufReader<ChildStdout>,
    process: OwnedChild,
}

impl PoolWorker {
    fn start(exe: &Path, number: usize, size: ImageSize, crash: Option<Crash>) -> io::Result<Self> {
        let job = ServeJob {
            width: size.width,
            height: size.height,
            crash: crash_for(crash, number),
        };
        let mut command = Role::Serve(job).command(exe);
        command.stdin(Stdio::piped()).stdout(Stdio::piped());
        let mut process = OwnedChild::spawn(&mut command)?;
        let (stdin, stdout) = process.take_pipes();
        let tasks = BufWriter::new(stdin.expect("stdin is piped"));
        let replies = BufReader::new(stdout.expect("stdout is piped"));
        Ok(Self {
            number,
            tasks,
            replies,
            process,
        })
    }

    // ANCHOR: ask
    /// Send one task and wait for the reply. A worker that closed its end instead has died (or
    /// is dying): the error says what it was doing and how it ended.
    fn ask(&mut self, task: &Task, doing: &str) -> anyhow::Result<(Reply, usize)> {
        let error = match request(&mut self.tasks, &mut self.replies, task) {
            Ok(Some(answer)) => return Ok(answer),
            Ok(None) => None,
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => None,
            Err(err) => Some(err),
        };
        let status = self.process.wait_or_kill(GRACE)?;
        let (number, pid) = (self.number, self.process.id());
        match error {
            None => bail!("pool worker {number} (pid {pid}) died while {doing}: {status}"),
            Some(err) => {
                bail!("pool worker {number} (pid {pid}) broke off while {doing} ({err}): {status}")
            }
        }
    }
    // ANCHOR_END: ask

    /// Have the worker make image `index`, and write the bytes it sends back into `dir`.
    /// Returns the bytes moved over the pipes.
    fn make(&mut self, dir: &Path, index: usize) -> anyhow::Result<usize> {
        let (reply, moved) = self.ask(&Task::Make { index }, &format!("making image {index}"))?;
        let Reply::Made { index: made, png } = reply else {
            bail!("pool worker {} answered another kind of task", self.number);
        };
        ensure!(
            made == index,
            "pool worker {} sent image {made}, not {index}",
            self.number
        );
        let path = image_path(dir, index);
        write_whole(&path, &png).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(moved)
    }
}

/// Long-lived worker processes, each fed by its own thread in the parent.
pub struct ProcessPool {
    workers: Vec<PoolWorker>,
}

impl ProcessPool {
    /// Start `processes` workers of `exe` (this demo's binary) for images of `size`.
    pub fn start(
        exe: &Path,
        size: ImageSize,
        processes: usize,
        crash: Option<Crash>,
    ) -> io::Result<Self> {
        let workers = (0..processes)
            .map(|number| PoolWorker::start(exe, number, size, crash))
            .collect::<io::Result<_>>()?;
        Ok(Self { workers })
    }

    /// The workers' process ids, as a list for people: `4242, 4243`.
    pub fn pids(&self) -> String {
        let pids: Vec<String> = self
            .workers
            .iter()
            .map(|w| w.process.id().to_string())
            .collect();
        pids.join(", ")
    }

    // ANCHOR: pool_map
    /// Make images `0..count` on the pool. Each worker has a thread in the parent that sends
    /// it a task, writes the PNG bytes that come back to their file, and takes the next index.
    /// Worker w starts with image w, so every worker gets work however the threads are
    /// scheduled. Returns the paths in index order and the bytes moved over the pipes.
    pub fn write_images(
        &mut self,
        dir: &Path,
        count: usize,
    ) -> anyhow::Result<(Vec<PathBuf>, usize)> {
        let next = AtomicUsize::new(self.workers.len());
        let failed = AtomicBool::new(false);
        let feed = |worker: &mut PoolWorker, first: usize| -> anyhow::Result<usize> {
            let (mut index, mut moved) = (first, 0);
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
                .enumerate()
                .map(|(first, worker)| {
                    let feed = &feed;
                    scope.spawn(move || feed(worker, first))
                })
                .collect();
            feeders
                .into_iter()
                .map(|f| f.join().expect("a feeder panicked"))
                .collect()
        });
        let moved = results.into_iter().sum::<anyhow::Result<usize>>()?;
        Ok((
            (0..count).map(|index| image_path(dir, index)).collect(),
            moved,
        ))
    }
    // ANCHOR_END: pool_map

    /// Have worker 0 send `payload` back; the bytes moved both ways.
    pub fn echo(&mut self, payload: Vec<u8>) -> anyhow::Result<usize> {
        let worker = self
            .workers
            .first_mut()
            .context("the pool has no workers")?;
        let task = Task::Echo { payload };
        let (reply, moved) = worker.ask(&task, "echoing a message")?;
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

    // ANCHOR: shutdown
    /// Close every worker's stdin, which ends its loop, and wait for all of them to exit.
    /// Returns how each ended; an error if one did not end well.
    pub fn shutdown(self) -> anyhow::Result<Vec<ExitStatus>> {
        let mut processes = Vec::new();
        for worker in self.workers {
            let PoolWorker {
                number, process, ..
            } = worker; // the pipes are dropped here: the worker reads end-of-file
            processes.push((number, process));
        }
        let mut statuses = Vec::new();
        for (number, mut process) in processes {
            let status = process.wait_or_kill(GRACE)?;
            ensure!(
                status.success(),
                "pool worker {number} (pid {}) ended with {status}",
                process.id()
            );
            statuses.push(status);
        }
        Ok(statuses)
    }
    // ANCHOR_END: shutdown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_served_image_is_the_png_the_serial_map_writes() {
        let size = ImageSize::new(12, 5);
        let job = ServeJob {
            width: size.width,
            height: size.height,
            crash: None,
        };
        let mut tasks = Vec::new();
        send(&mut tasks, &Task::Make { index: 3 }).unwrap();
        let mut replies = Vec::new();
        serve(tasks.as_slice(), &mut replies, &job).unwrap();
        let (reply, _) = receive::<Reply>(&mut replies.as_slice()).unwrap().unwrap();
        let expected = encode_png(&noise_pixels(3, size), size).unwrap();
        assert_eq!(
            reply,
            Reply::Made {
                index: 3,
                png: expected
            }
        );
    }
}
