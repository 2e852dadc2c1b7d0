//! The work every strategy does, item by item: read input image i, invert it, write output
//! image i whole. Item K meets the run's fault.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::Context;
use task_queue::{Failure, Tally};
use workload::{ImageError, ImageSize, image_path, read_png_into, save_png, temp_path};

use crate::fault::Fault;

/// One run's work: where the images are, how many, and which item meets which fault. The
/// parent hands it to its worker processes on their command line.
#[derive(clap::Args, Clone, Debug, PartialEq, Eq)]
pub struct Work {
    /// Folder of the input images
    #[arg(long)]
    pub input: PathBuf,
    /// Folder the output images go to
    #[arg(long)]
    pub output: PathBuf,
    /// Width and height of every image in pixels
    #[arg(long)]
    pub side: u32,
    /// Items in the run
    #[arg(long)]
    pub count: usize,
    /// What goes wrong
    #[arg(long, value_enum)]
    pub fault: Fault,
    /// The item it goes wrong at
    #[arg(long)]
    pub at: usize,
}

impl Work {
    pub fn size(&self) -> ImageSize {
        ImageSize::new(self.side, self.side)
    }

    /// The work as command-line arguments, for a worker process.
    pub fn args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec!["--input".into(), self.input.clone().into()];
        args.extend(["--output".into(), self.output.clone().into()]);
        for (flag, value) in [
            ("--side", self.side.to_string()),
            ("--count", self.count.to_string()),
            ("--fault", self.fault.name().to_owned()),
            ("--at", self.at.to_string()),
        ] {
            args.extend([flag.into(), value.into()]);
        }
        args
    }

    /// Fresh folders: the input images made, the output folder empty, the file fault set up.
    pub fn prepare(&self) -> anyhow::Result<()> {
        for dir in [&self.input, &self.output] {
            let _ = std::fs::remove_dir_all(dir);
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        for index in 0..self.count {
            workload::make_image(&self.input, self.size(), index)?;
        }
        self.fault
            .prepare(&self.input, &self.output, self.at)
            .context("cannot set up the fault")
    }
}

/// Input image `index`, inverted: the computing part of one item.
pub fn inverted(work: &Work, index: usize) -> Result<Vec<u8>, ImageError> {
    let size = work.size();
    let mut pixels = vec![0; size.bytes()];
    read_png_into(&image_path(&work.input, index), size, &mut pixels)?;
    for pixel in &mut pixels {
        *pixel = 255 - *pixel;
    }
    Ok(pixels)
}

// ANCHOR: item
/// One whole item: read and invert input `index`, meet the fault if this is item K, write the
/// output file whole (a temporary file renamed into place). `stuck` is how a stuck item
/// waits on this kind of worker.
pub fn make_item(
    work: &Work,
    index: usize,
    stuck: impl FnOnce() -> anyhow::Error,
) -> anyhow::Result<()> {
    let pixels = inverted(work, index)?;
    let path = image_path(&work.output, index);
    if index == work.at {
        let half = &pixels[..pixels.len() / 2];
        let half_write = || std::fs::write(temp_path(&path), half);
        work.fault.strike(index, half_write, stuck)?;
    }
    save_png(&path, &pixels, work.size())?;
    Ok(())
}
// ANCHOR_END: item

/// How many items a run takes, how long the strategy may wait for the next one to finish,
/// and the work itself.
#[derive(Clone, Debug)]
pub struct Plan {
    pub work: Work,
    pub workers: usize,
    pub deadline: Duration,
}

/// What a strategy saw: every item accounted for, when the first failure became known, how
/// long the run took, and how many half-written files it removed after its workers died.
#[derive(Clone, Debug)]
pub struct Report {
    pub tally: Tally,
    pub noticed: Option<Duration>,
    pub took: Duration,
    pub cleaned: usize,
}

/// A run's stopwatch: started with the run, it keeps the moment the first failure was known.
#[derive(Debug)]
pub struct Clock {
    start: Instant,
    first_failure: OnceLock<Duration>,
}

impl Clock {
    pub fn start() -> Self {
        Self {
            start: Instant::now(),
            first_failure: OnceLock::new(),
        }
    }

    /// A failure has just become known (only the first one counts).
    pub fn failed(&self) {
        let _ = self.first_failure.set(self.start.elapsed());
    }

    /// The report of a run of `submitted` items that ended with these failures, after
    /// removing the temporary files the failed items may have left half-written.
    pub fn report(&self, work: &Work, submitted: usize, mut failures: Vec<Failure>) -> Report {
        failures.sort_by_key(|f| f.id);
        let cleaned = failures
            .iter()
            .filter(|f| std::fs::remove_file(temp_path(&image_path(&work.output, f.id))).is_ok())
            .count();
        Report {
            tally: Tally {
                submitted,
                completed: submitted - failures.len(),
                failures,
            },
            noticed: self.first_failure.get().copied(),
            took: self.start.elapsed(),
            cleaned,
        }
    }
}
