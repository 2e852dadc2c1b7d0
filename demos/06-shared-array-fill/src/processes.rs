//! Processes filling one array, the parent's side: it makes a file the size of the array,
//! starts this same program once per band of rows as a worker (the toolkit's
//! `worker_command`), and waits for them all. The `unsafe` lives in `mapping`.
#![forbid(unsafe_code)]

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use harness::child::{OwnedChild, POLL};
use harness::process::worker_command;

use crate::cells::{Shape, plain_cell};
use crate::error::FillError;
use crate::faults::{Faults, WorkerJob};
use crate::mapping::MapFile;
use crate::threads::{band_rows, fill_scoped};
use crate::worker::FillJob;

// ANCHOR: thread_bands
/// The workers' job done by threads of this process instead, on the same fresh shared file:
/// map it once, then split the slice, as any threads would. Only what runs the bands differs.
pub fn fill_file_with_threads(file: &mut MapFile, workers: usize) -> Result<(), FillError> {
    let shape = file.shape();
    let mut array = file.array().map_err(FillError::Map)?;
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
    /// How long a worker may take for its band before it is killed.
    pub deadline: Duration,
    /// Faults the workers act out on purpose (the tests and demo 10); none by default.
    pub faults: Faults,
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
pub(crate) struct Worker {
    index: usize,
    first_row: usize,
    rows: usize,
}

impl Worker {
    pub(crate) fn name(&self) -> String {
        let (first, end) = (self.first_row, self.first_row + self.rows);
        format!("worker process {} (rows {first}..{end})", self.index)
    }
}

impl ProcessFill {
    /// The shared file, its room reserved for the whole array (its name already removed).
    pub fn create_file(&self) -> Result<MapFile, FillError> {
        MapFile::create(&self.dir, self.shape).map_err(|source| FillError::Create {
            dir: self.dir.display().to_string(),
            source,
        })
    }

    /// Create the file and fill it with worker processes.
    pub fn run(&self) -> Result<MapFile, FillError> {
        let mut file = self.create_file()?;
        self.fill(&mut file)?;
        Ok(file)
    }

    // ANCHOR: parent
    /// Start one worker per band of rows, then wait for every one of them, at most the
    /// deadline. The first to fail is named; the others are killed then, and all reaped.
    pub fn fill(&self, file: &mut MapFile) -> Result<(), FillError> {
        let mut running = Vec::new();
        for worker in self.bands() {
            let mut command = worker_command(&self.program, &self.job(file, worker, false));
            command
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            let child = OwnedChild::spawn(&mut command) // on an error, `running` kills the rest
                .map_err(|source| FillError::Start {
                    worker: worker.name(),
                    source,
                })?;
            running.push((worker, child));
        }
        let start = Instant::now();
        while !running.is_empty() {
            harness::stop::check()?;
            for index in (0..running.len()).rev() {
                if let Some(status) = running[index].1.try_wait().map_err(FillError::Wait)? {
                    let (worker, child) = running.swap_remove(index);
                    ended_well(worker, child, status)?; // `running` kills the others
                }
            }
            if start.elapsed() > self.deadline {
                let late: Vec<String> = running.iter().map(|(w, _)| w.name()).collect();
                let (workers, seconds) = (late.join(", "), self.deadline.as_secs_f64());
                return Err(FillError::Late { workers, seconds });
            }
            std::thread::sleep(POLL);
        }
        Ok(())
    }
    // ANCHOR_END: parent
}

impl ProcessFill {
    pub(crate) fn bands(&self) -> Vec<Worker> {
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

    /// What `worker` is started with: its band, and the faults it is to act out.
    pub(crate) fn job(&self, file: &MapFile, worker: Worker, serve: bool) -> WorkerJob {
        let job = FillJob {
            file: file.child_path(),
            shape: self.shape,
            first_row: worker.first_row,
            rows: worker.rows,
            serve,
        };
        self.faults.for_worker(job, worker.index)
    }
}

/// An error naming the worker unless it exited with 0: how it ended and the first words it
/// printed on stderr.
fn ended_well(worker: Worker, mut child: OwnedChild, status: ExitStatus) -> Result<(), FillError> {
    let mut stderr_text = String::new();
    if let Some(mut stderr) = child.take_stderr() {
        let _ = stderr.read_to_string(&mut stderr_text); // it has exited: this ends at once
    }
    let worker = worker.name();
    match (status.code(), status.signal()) {
        (Some(0), _) => Ok(()),
        (_, Some(signal)) => Err(FillError::Crashed { worker, signal }),
        (code, _) => Err(FillError::Failed {
            worker,
            code: code.unwrap_or(-1),
            said: first_words(&stderr_text),
        }),
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
