//! Processes filling one array: the parent makes a file the size of the array, starts this
//! same program once per band of rows in a hidden worker role, and each worker maps the file
//! and fills its band. The `unsafe` lives in `mapping`; this module has none.
#![forbid(unsafe_code)]

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::Context;
use workload::child::OwnedChild;

use crate::cells::{Shape, fill_rows, plain_cell};
use crate::mapping::{Band, MapFile, SharedArray};
use crate::threads::band_rows;

/// The hidden subcommand that makes this program a worker.
pub const WORKER_COMMAND: &str = "fill-band";

/// What one worker process is told on its command line.
#[derive(clap::Args, Clone, Debug, PartialEq, Eq)]
pub struct WorkerArgs {
    /// The shared file
    #[arg(long)]
    pub file: PathBuf,
    #[arg(long)]
    pub rows: usize,
    #[arg(long)]
    pub cols: usize,
    /// The first row of this worker's band
    #[arg(long)]
    pub first_row: usize,
    /// How many rows the band has
    #[arg(long)]
    pub band_rows: usize,
    /// Fill half the band, then abort (for the lesson on crashed workers)
    #[arg(long)]
    pub crash: bool,
    /// Wait this long before filling (lets a test press Ctrl-C mid-run)
    #[arg(long, default_value_t = 0)]
    pub pause_ms: u64,
    /// Stay alive: fill the band again for each line `fill` on stdin, answer `done`
    #[arg(long)]
    pub serve: bool,
}

impl WorkerArgs {
    fn command_line(&self) -> Vec<OsString> {
        let mut args = vec![
            WORKER_COMMAND.into(),
            "--file".into(),
            self.file.clone().into(),
        ];
        for (flag, value) in [
            ("--rows", self.rows),
            ("--cols", self.cols),
            ("--first-row", self.first_row),
            ("--band-rows", self.band_rows),
            ("--pause-ms", self.pause_ms as usize),
        ] {
            args.extend([flag.into(), value.to_string().into()]);
        }
        for (flag, on) in [("--crash", self.crash), ("--serve", self.serve)] {
            if on {
                args.push(flag.into());
            }
        }
        args
    }
}

// ANCHOR: worker
/// A worker process's whole job: map its band of the shared file and fill it. With
/// `--serve` it maps once, like a pool initializer, then fills on every request.
pub fn run_worker(args: &WorkerArgs) -> anyhow::Result<()> {
    pause(args)?;
    let shape = Shape::new(args.rows, args.cols, 1, u64::MAX)?;
    let mut band = Band::map(&args.file, shape, args.first_row, args.band_rows)
        .with_context(|| format!("cannot map {}", args.file.display()))?;
    let cells = band.cells();
    if args.crash {
        let half = cells.len() / 2;
        fill_rows(&mut cells[..half], args.first_row, shape.cols, &plain_cell);
        std::process::abort(); // as a segfault or an out-of-memory kill would: no clean-up
    }
    if !args.serve {
        fill_rows(cells, args.first_row, shape.cols, &plain_cell);
        return Ok(());
    }
    for request in std::io::stdin().lines() {
        anyhow::ensure!(request? == "fill", "unknown request");
        fill_rows(cells, args.first_row, shape.cols, &plain_cell);
        let mut out = std::io::stdout().lock();
        writeln!(out, "done")?;
        out.flush()?;
    }
    Ok(()) // the parent closed our stdin: the pool is shutting down
}
// ANCHOR_END: worker

/// Wait `--pause-ms` before working, but give up as soon as the shared file is gone: the
/// parent was interrupted and removed it, so nobody waits for this band any more.
fn pause(args: &WorkerArgs) -> anyhow::Result<()> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(args.pause_ms) {
        anyhow::ensure!(args.file.exists(), "{} is gone", args.file.display());
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

// ANCHOR: thread_bands
/// The workers' job done by threads of this process instead: each thread maps its own band
/// of the shared file through the same `Band::map` a worker process uses, then fills it.
/// Only what runs the bands differs, so this separates the cost of the shared file's pages
/// from the cost of the processes.
pub fn fill_file_with_threads(file: &MapFile, shape: Shape, workers: usize) -> anyhow::Result<()> {
    let band = band_rows(shape.rows, workers);
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..shape.rows)
            .step_by(band)
            .map(|first_row| {
                let rows = band.min(shape.rows - first_row);
                scope.spawn(move || -> anyhow::Result<()> {
                    let mut band = Band::map(file.path(), shape, first_row, rows)
                        .with_context(|| format!("cannot map {}", file.path().display()))?;
                    fill_rows(band.cells(), first_row, shape.cols, &plain_cell);
                    Ok(())
                })
            })
            .collect();
        // Join every thread before the first error is returned (the scope would anyway).
        let outcomes: Vec<_> = threads
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))
            })
            .collect();
        outcomes.into_iter().collect()
    })
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
    /// Make worker K (counted from 0) crash.
    pub crash: Option<usize>,
    pub pause_ms: u64,
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

// ANCHOR: parent
impl ProcessFill {
    /// The shared file, sized for the whole array; removed when the guard is dropped.
    pub fn create_file(&self) -> anyhow::Result<MapFile> {
        MapFile::create(&self.dir, self.shape)
            .with_context(|| format!("cannot create the shared file in {}", self.dir.display()))
    }

    /// Create the file, fill it with worker processes, and map the result for reading.
    /// On any failure the guard is dropped on the way out, and the file with it.
    pub fn run(&self) -> anyhow::Result<SharedArray> {
        let file = Rc::new(self.create_file()?);
        self.fill(&file)?;
        SharedArray::open(file).context("cannot map the filled array")
    }

    /// Start one worker per band of rows, then wait for every one of them.
    pub fn fill(&self, file: &MapFile) -> anyhow::Result<()> {
        let workers = self.start_all(file, false)?;
        // Wait for every worker, even after one failed: none may still write when we go.
        let mut first_failure = None;
        for (worker, child) in workers {
            let failure = worker.outcome(child).err();
            first_failure = first_failure.or(failure);
        }
        first_failure.map_or(Ok(()), Err)
    }

    /// One worker process per band of rows; if one cannot start, those started are stopped.
    fn start_all(&self, file: &MapFile, serve: bool) -> anyhow::Result<Vec<(Worker, OwnedChild)>> {
        let band = band_rows(self.shape.rows, self.workers);
        let mut workers = Vec::new();
        for (index, first_row) in (0..self.shape.rows).step_by(band).enumerate() {
            let args = WorkerArgs {
                file: file.path().to_owned(),
                rows: self.shape.rows,
                cols: self.shape.cols,
                first_row,
                band_rows: band.min(self.shape.rows - first_row),
                crash: self.crash == Some(index),
                pause_ms: self.pause_ms,
                serve,
            };
            let piped = || if serve { Stdio::piped() } else { Stdio::null() };
            let mut command = Command::new(&self.program);
            command
                .args(args.command_line())
                .stdin(piped())
                .stdout(piped())
                .stderr(Stdio::piped());
            // On an error, dropping `workers` kills and reaps the workers already started.
            let child = OwnedChild::spawn(&mut command)
                .with_context(|| format!("cannot start worker process {index}"))?;
            workers.push((Worker { index, args }, child));
        }
        Ok(workers)
    }
}
// ANCHOR_END: parent

// ANCHOR: pool
/// Worker processes started once, each with its band mapped (the pool initializer's job),
/// then asked to fill it again and again through a pipe. Dropping the pool closes the pipes,
/// the workers exit, and the pool waits for them.
pub struct ProcessPool {
    workers: Vec<PoolWorker>,
}

struct PoolWorker {
    worker: Worker,
    child: OwnedChild,
    requests: Option<ChildStdin>,
    answers: BufReader<ChildStdout>,
}

impl ProcessPool {
    pub fn start(fill: &ProcessFill, file: &MapFile) -> anyhow::Result<Self> {
        let mut workers = Vec::new();
        for (worker, mut child) in fill.start_all(file, true)? {
            let (requests, answers) = child.take_pipes();
            let answers = BufReader::new(answers.expect("stdout is piped"));
            workers.push(PoolWorker {
                worker,
                child,
                requests,
                answers,
            });
        }
        Ok(Self { workers })
    }

    /// Ask every worker to fill its band, then wait until each has answered.
    pub fn fill(&mut self) -> anyhow::Result<()> {
        for w in &mut self.workers {
            let requests = w.requests.as_mut().expect("open until the pool is dropped");
            // A worker that died cannot read: its error shows when we read its answer.
            let _ = requests
                .write_all(b"fill\n")
                .and_then(|()| requests.flush());
        }
        for index in 0..self.workers.len() {
            let w = &mut self.workers[index];
            let mut answer = String::new();
            if w.answers.read_line(&mut answer).is_ok() && answer == "done\n" {
                continue;
            }
            let failed = self.workers.remove(index);
            drop(failed.requests);
            let err = failed.worker.outcome(failed.child).err();
            return Err(err.unwrap_or_else(|| anyhow::anyhow!("{} stopped", failed.worker.name())));
        }
        Ok(())
    }
}

impl Drop for ProcessPool {
    fn drop(&mut self) {
        for w in &mut self.workers {
            w.requests = None; // end of input: the worker's loop ends
        }
        for w in &mut self.workers {
            let _ = w.child.wait();
        }
    }
}
// ANCHOR_END: pool

struct Worker {
    index: usize,
    args: WorkerArgs,
}

impl Worker {
    /// Wait for the worker; an error names it, its band and how it ended.
    fn name(&self) -> String {
        let first = self.args.first_row;
        let end = first + self.args.band_rows;
        format!("worker process {} (rows {first}..{end})", self.index)
    }

    fn outcome(&self, mut child: OwnedChild) -> anyhow::Result<()> {
        let name = self.name();
        let mut said = String::new();
        if let Some(mut stderr) = child.take_stderr() {
            let _ = stderr.read_to_string(&mut said); // until the worker exits
        }
        let status = child
            .wait()
            .with_context(|| format!("cannot wait for {name}"))?;
        let said = said.lines().next().unwrap_or("").trim();
        match (status.code(), status.signal()) {
            (Some(0), _) => Ok(()),
            (_, Some(signal)) => anyhow::bail!("{name} crashed: killed by signal {signal}"),
            (code, _) => anyhow::bail!(
                "{name} failed with exit code {}: {said}",
                code.unwrap_or(-1)
            ),
        }
    }
}
