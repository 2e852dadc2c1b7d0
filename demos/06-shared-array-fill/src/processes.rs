//! Processes filling one array: the parent makes a file the size of the array, starts this
//! same program once per band of rows in a hidden worker role, and each worker maps the file
//! and fills its band. The `unsafe` lives in `mapping`; this module has none.
#![forbid(unsafe_code)]

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::Context;

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
}

impl WorkerArgs {
    fn command_line(&self) -> Vec<String> {
        let mut args = vec![
            WORKER_COMMAND.to_owned(),
            "--file".into(),
            self.file.display().to_string(),
        ];
        for (flag, value) in [
            ("--rows", self.rows),
            ("--cols", self.cols),
            ("--first-row", self.first_row),
            ("--band-rows", self.band_rows),
            ("--pause-ms", self.pause_ms as usize),
        ] {
            args.extend([flag.to_owned(), value.to_string()]);
        }
        if self.crash {
            args.push("--crash".into());
        }
        args
    }
}

// ANCHOR: worker
/// A worker process's whole job: map its band of the shared file and fill it.
pub fn run_worker(args: &WorkerArgs) -> anyhow::Result<()> {
    pause(args)?;
    let shape = Shape {
        rows: args.rows,
        cols: args.cols,
    };
    let mut band = Band::map(&args.file, shape, args.first_row, args.band_rows)
        .with_context(|| format!("cannot map {}", args.file.display()))?;
    let cells = band.cells();
    if args.crash {
        let half = cells.len() / 2;
        fill_rows(&mut cells[..half], args.first_row, shape.cols, &plain_cell);
        std::process::abort(); // as a segfault or an out-of-memory kill would: no clean-up
    }
    fill_rows(cells, args.first_row, shape.cols, &plain_cell);
    Ok(())
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
            };
            match self.start(&args) {
                Ok(child) => workers.push((Worker { index, args }, child)),
                Err(err) => {
                    stop_all(workers);
                    return Err(err.context(format!("cannot start worker process {index}")));
                }
            }
        }
        // Wait for every worker, even after one failed: none may still write when we go.
        let mut first_failure = None;
        for (worker, child) in workers {
            let failure = worker.outcome(child).err();
            first_failure = first_failure.or(failure);
        }
        first_failure.map_or(Ok(()), Err)
    }

    fn start(&self, args: &WorkerArgs) -> anyhow::Result<Child> {
        Ok(Command::new(&self.program)
            .args(args.command_line())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?)
    }
}
// ANCHOR_END: parent

struct Worker {
    index: usize,
    args: WorkerArgs,
}

impl Worker {
    /// Wait for the worker; an error names it, its band and how it ended.
    fn outcome(&self, child: Child) -> anyhow::Result<()> {
        let first = self.args.first_row;
        let name = format!(
            "worker process {} (rows {first}..{})",
            self.index,
            first + self.args.band_rows
        );
        let output = child
            .wait_with_output()
            .with_context(|| format!("cannot wait for {name}"))?;
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said.lines().next().unwrap_or("").trim();
        match (output.status.code(), output.status.signal()) {
            (Some(0), _) => Ok(()),
            (_, Some(signal)) => anyhow::bail!("{name} crashed: killed by signal {signal}"),
            (code, _) => anyhow::bail!(
                "{name} failed with exit code {}: {said}",
                code.unwrap_or(-1)
            ),
        }
    }
}

/// Kill and reap workers already started, when a later one could not be.
fn stop_all(workers: Vec<(Worker, Child)>) {
    for (_, mut child) in workers {
        let _ = child.kill();
        let _ = child.wait();
    }
}
