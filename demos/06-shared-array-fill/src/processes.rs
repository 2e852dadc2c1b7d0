//! Processes filling one array: the parent makes a file the size of the array, starts this
//! same program once per band of rows as a worker (the toolkit's `worker_command`), and each
//! worker maps its band and fills it. The `unsafe` lives in `mapping`; this module has none.
#![forbid(unsafe_code)]

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use harness::child::{OwnedChild, POLL};
use harness::link::{Link, receive, send};
use harness::process::{CrashHow, worker_command};
use serde::{Deserialize, Serialize};

use crate::cells::{Shape, fill_rows, plain_cell};
use crate::mapping::{Band, MapFile};
use crate::threads::{band_rows, fill_scoped};

/// What one worker process is told: its band of the shared file, and how to behave. Only
/// [`ProcessFill`] makes one (the fields are private), so the bands it hands out are the only
/// ones a worker can map: cut apart, and mapped only while the parent waits for the workers.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FillJob {
    /// The shared file, as the worker can open it (the parent's descriptor)
    file: PathBuf,
    shape: Shape,
    /// The worker's band: rows `first_row..first_row + rows`
    first_row: usize,
    rows: usize,
    /// Fail on purpose, after filling this many rows of the band
    crash: Option<(CrashHow, usize)>,
    /// Wait this long after mapping, before filling (lets a test send a signal mid-run)
    pause_ms: u64,
    /// Stay alive: fill the band again for each request on stdin, answer each
    serve: bool,
}

// ANCHOR: worker
/// A worker process's whole job: map its band of the shared file and fill it. As a pool
/// worker it maps once, like a pool initializer, then fills on every request.
pub fn run_worker(job: FillJob) -> anyhow::Result<()> {
    let (shape, first_row) = (job.shape, job.first_row);
    let mut band = Band::map(&job.file, shape, first_row, job.rows)
        .with_context(|| format!("cannot map {}", job.file.display()))?;
    std::thread::sleep(Duration::from_millis(job.pause_ms));
    let cells = band.cells();
    if let Some((how, rows)) = job.crash {
        let before = rows.min(job.rows) * shape.cols;
        fill_rows(&mut cells[..before], first_row, shape.cols, &plain_cell);
        how.crash(); // as a segfault or a stuck lock would: no clean-up
    }
    if !job.serve {
        fill_rows(cells, first_row, shape.cols, &plain_cell);
        return Ok(());
    }
    let (mut requests, mut answers) = (std::io::stdin().lock(), std::io::stdout().lock());
    while let Some(((), _)) = receive(&mut requests)? {
        fill_rows(cells, first_row, shape.cols, &plain_cell);
        send(&mut answers, &())?;
    }
    Ok(()) // the parent closed our stdin: the pool is shutting down
}
// ANCHOR_END: worker

// ANCHOR: thread_bands
/// The workers' job done by threads of this process instead, on the same fresh shared file:
/// map it once, then split the slice, as any threads would. Only what runs the bands differs.
pub fn fill_file_with_threads(file: &mut MapFile, workers: usize) -> anyhow::Result<()> {
    let shape = file.shape();
    let mut array = file.array().context("cannot map the shared file")?;
    fill_scoped(array.cells_mut(), shape, workers, &plain_cell);
    Ok(())
}
// ANCHOR_END: thread_bands

/// How to fill the array with processes.
#[derive(Clone, Debug)]
pub struct ProcessFill {
    /// The program to start as a worker: this binary (`std::env::current_exe()`).
    pub program: PathBuf,
    /// Where the shared file goes: `/dev/shm` (memory) where it exists.
    pub dir: PathBuf,
    pub shape: Shape,
    pub workers: usize,
    /// Make a worker fail on purpose, and how.
    pub crash: Option<BandCrash>,
    pub pause_ms: u64,
    /// How long a worker may take for its band before it is killed.
    pub deadline: Duration,
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

/// `/dev/shm` where it exists (a file system in memory, shared by all processes), else the
/// system's temporary directory.
pub fn default_map_dir() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_owned()
    } else {
        std::env::temp_dir()
    }
}

/// One worker's band, and its name in messages: `worker process 1 (rows 19..37)`.
#[derive(Clone, Copy, Debug)]
struct Worker {
    index: usize,
    first_row: usize,
    rows: usize,
}

impl Worker {
    fn name(&self) -> String {
        let (first, end) = (self.first_row, self.first_row + self.rows);
        format!("worker process {} (rows {first}..{end})", self.index)
    }
}

impl ProcessFill {
    /// The shared file, sized for the whole array (its name already removed).
    pub fn create_file(&self) -> anyhow::Result<MapFile> {
        MapFile::create(&self.dir, self.shape)
            .with_context(|| format!("cannot create the shared file in {}", self.dir.display()))
    }

    /// Create the file and fill it with worker processes.
    pub fn run(&self) -> anyhow::Result<MapFile> {
        let mut file = self.create_file()?;
        self.fill(&mut file)?;
        Ok(file)
    }

    // ANCHOR: parent
    /// Start one worker per band of rows, then wait for every one of them, at most the
    /// deadline. The first to fail is named; the others are killed then, and all reaped.
    pub fn fill(&self, file: &mut MapFile) -> anyhow::Result<()> {
        let mut running = Vec::new();
        for worker in self.bands() {
            let mut command = worker_command(&self.program, &self.job(file, worker, false));
            command
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            let child =
                OwnedChild::spawn(&mut command) // on an error, `running` kills the rest
                    .with_context(|| format!("cannot start {}", worker.name()))?;
            running.push((worker, child));
        }
        let start = Instant::now();
        while !running.is_empty() {
            harness::stop::check()?;
            for index in (0..running.len()).rev() {
                if let Some(status) = running[index].1.try_wait()? {
                    let (worker, child) = running.swap_remove(index);
                    ended_well(worker, child, status)?; // `running` kills the others
                }
            }
            if start.elapsed() > self.deadline {
                let late: Vec<String> = running.iter().map(|(w, _)| w.name()).collect();
                bail!(
                    "{} did not finish within {} s; killed",
                    late.join(", "),
                    self.deadline.as_secs_f64()
                );
            }
            std::thread::sleep(POLL);
        }
        Ok(())
    }
    // ANCHOR_END: parent
}

impl ProcessFill {
    fn bands(&self) -> Vec<Worker> {
        let band = band_rows(self.shape.rows, self.workers);
        let firsts = (0..self.shape.rows).step_by(band).enumerate();
        let rows = |first| band.min(self.shape.rows - first);
        firsts
            .map(|(index, first_row)| Worker {
                index,
                first_row,
                rows: rows(first_row),
            })
            .collect()
    }

    fn job(&self, file: &MapFile, worker: Worker, serve: bool) -> FillJob {
        FillJob {
            file: file.child_path(),
            shape: self.shape,
            first_row: worker.first_row,
            rows: worker.rows,
            crash: self.crash.filter(|c| c.worker == worker.index).map(|c| {
                let default = if c.how == CrashHow::Hang {
                    0
                } else {
                    worker.rows / 2
                };
                (c.how, c.after_rows.unwrap_or(default))
            }),
            pause_ms: self.pause_ms,
            serve,
        }
    }
}

/// An error naming the worker unless it exited with 0: how it ended and the first words it
/// printed on stderr.
fn ended_well(worker: Worker, mut child: OwnedChild, status: ExitStatus) -> anyhow::Result<()> {
    let name = worker.name();
    let mut stderr_text = String::new();
    if let Some(mut stderr) = child.take_stderr() {
        let _ = stderr.read_to_string(&mut stderr_text); // it has exited: this ends at once
    }
    let said = first_words(&stderr_text);
    match (status.code(), status.signal()) {
        (Some(0), _) => Ok(()),
        (_, Some(signal)) => bail!("{name} crashed: killed by signal {signal}"),
        (code, _) => bail!(
            "{name} failed with exit code {}: {said}",
            code.unwrap_or(-1)
        ),
    }
}

/// The first line that says something; a panic's "thread ... panicked at FILE:LINE:COL:" line
/// is joined with the message on the line after it.
fn first_words(text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    match (lines.next(), lines.next()) {
        (Some(first), Some(next)) if first.contains(" panicked at ") && first.ends_with(':') => {
            format!("{first} {next}")
        }
        (first, _) => first.unwrap_or("").to_owned(),
    }
}

// ANCHOR: pool
/// Worker processes started once, each with its band mapped (the pool initializer's job),
/// then asked to fill it again and again through its link. The pool owns the shared file,
/// so nothing else can view the array while a worker may write it.
pub struct ProcessPool {
    workers: Vec<Link>,
    file: MapFile,
}

impl ProcessPool {
    pub fn start(fill: &ProcessFill, file: MapFile) -> anyhow::Result<Self> {
        let mut workers = Vec::new();
        for worker in fill.bands() {
            let mut command = worker_command(&fill.program, &fill.job(&file, worker, true));
            command.stderr(Stdio::null());
            let link = Link::start(worker.name(), &mut command, fill.deadline)
                .with_context(|| format!("cannot start {}", worker.name()))?;
            workers.push(link);
        }
        Ok(Self { workers, file })
    }

    /// Ask every worker to fill its band, then wait until each has answered.
    pub fn fill(&mut self) -> anyhow::Result<()> {
        let doing = "filling its band";
        for link in &mut self.workers {
            link.tell(&(), doing)?;
        }
        for link in &mut self.workers {
            let ((), _) = link.answer(doing)?;
        }
        Ok(())
    }

    /// The filled array, for the check: every worker has answered and waits.
    pub fn array(&mut self) -> anyhow::Result<crate::mapping::ArrayMap<'_>> {
        self.file.array().context("cannot map the shared file")
    }
}
// ANCHOR_END: pool

impl Drop for ProcessPool {
    /// Let the workers end by themselves (end of input), as `--timeline` needs their spans.
    fn drop(&mut self) {
        let _ = Link::close_all(std::mem::take(&mut self.workers));
    }
}

#[cfg(test)]
mod tests {
    use super::first_words;

    #[test]
    fn a_panic_reads_as_its_place_and_its_message() {
        let panic = "\nthread 'main' (41) panicked at src/a.rs:9:5:\ninjected panic, as told\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            first_words(panic),
            "thread 'main' (41) panicked at src/a.rs:9:5: injected panic, as told"
        );
        assert_eq!(
            first_words("  \nerror: disk full\nmore\n"),
            "error: disk full"
        );
        assert_eq!(first_words(""), "");
    }
}
