//! The work every strategy does, item by item: read input image i, invert it, write output
//! image i whole. Item K meets the run's fault.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use harness::timeline::Recording;
use task_queue::{Failure, Tally};
use workload::{ImageError, ImageSize, image_path, read_png_into, save_png, temp_path};

use crate::fault::Fault;

/// One run's work: where the images are, how many, and which item meets which fault. The
/// parent hands it to its worker processes in their job.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Work {
    /// Folder of the input images
    pub input: PathBuf,
    /// Folder the output images go to
    pub output: PathBuf,
    /// Width and height of every image in pixels
    pub side: u32,
    /// Items in the run
    pub count: usize,
    /// What goes wrong
    pub fault: Fault,
    /// The item it goes wrong at
    pub at: usize,
    /// Where chapter 6's shared file goes
    pub map_dir: PathBuf,
}

impl Work {
    pub fn size(&self) -> ImageSize {
        ImageSize::new(self.side, self.side)
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
    let _span = workload::timeline::item(index); // --timeline's bar
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
    /// The run's name on `--timeline`'s chart: `rayon under panic`.
    pub name: String,
}

/// What a strategy saw: every item accounted for (the tally; `done` lists the items it counts
/// as completed), what went wrong outside any item, when the first failure became known, how
/// long the run took, and how many half-written files it removed after its workers died.
#[derive(Clone, Debug)]
pub struct Report {
    pub tally: Tally,
    /// The items completed, in order; `tally.completed` is how many there are.
    pub done: Vec<usize>,
    /// Failures of no item: a worker process that reported its whole share and then exited
    /// with a failure status, say.
    pub errors: Vec<String>,
    pub noticed: Option<Duration>,
    pub took: Duration,
    pub cleaned: usize,
}

/// A run's ledger: which items were done, which failed and why, and when the first failure
/// became known. Worker threads write to it as they go, so one that panics cannot take its
/// part of the record with it. Nothing fills it in afterwards: an item that no one recorded
/// is missing from the report, and the check after the run sees that. With `--timeline`, it
/// also records the run until its workers are done.
pub struct Ledger {
    start: Instant,
    first_failure: OnceLock<Duration>,
    done: Mutex<Vec<usize>>,
    failures: Mutex<Vec<Failure>>,
    errors: Mutex<Vec<String>>,
    timeline: Mutex<Option<(Recording, String)>>,
}

impl Ledger {
    /// The ledger of a run of `plan`, from now on.
    pub fn start(plan: &Plan) -> Self {
        let recording = Recording::start(plan.work.count).map(|r| (r, plan.name.clone()));
        Self {
            start: Instant::now(),
            first_failure: OnceLock::new(),
            done: Mutex::default(),
            failures: Mutex::default(),
            errors: Mutex::default(),
            timeline: Mutex::new(recording),
        }
    }

    /// The run's workers are done: keep `--timeline`'s recording of it. Reading their output
    /// back to check it, which may follow, is no item's work.
    pub fn workers_done(&self) {
        if let Some((recording, name)) = lock(&self.timeline).take() {
            recording.stop(&name);
        }
    }

    /// Item `id` is done: its output file is written whole.
    pub fn done(&self, id: usize) {
        lock(&self.done).push(id);
    }

    /// An item failed, or will never be done.
    pub fn failed(&self, failure: Failure) {
        self.noticed();
        lock(&self.failures).push(failure);
    }

    /// Something failed that is no item: a worker that exited badly after its last item.
    pub fn error(&self, what: String) {
        self.noticed();
        lock(&self.errors).push(what);
    }

    /// A failure has just become known, though its items are recorded later (only the first
    /// one counts).
    pub fn noticed(&self) {
        let _ = self.first_failure.set(self.start.elapsed());
    }

    /// The report of a run of `work`: every item of it submitted, the items recorded done
    /// completed, the failures as recorded. Also removes the temporary files the failed
    /// items may have left half-written.
    pub fn report(self, work: &Work) -> Report {
        self.workers_done();
        let (mut done, mut failures) = (take(self.done), take(self.failures));
        done.sort_unstable();
        failures.sort_by_key(|f| f.id);
        let cleaned = failures
            .iter()
            .filter(|f| std::fs::remove_file(temp_path(&image_path(&work.output, f.id))).is_ok())
            .count();
        let took = self.start.elapsed();
        Report {
            tally: Tally {
                submitted: work.count,
                completed: done.len(),
                failures,
            },
            done,
            errors: take(self.errors),
            noticed: self.first_failure.get().copied(),
            took,
            cleaned,
        }
    }
}

/// A lock that a panic elsewhere does not spoil: the ledger's lists stay valid whatever
/// happened while one was held.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a mutex holds, once no one else can lock it.
fn take<T>(mutex: Mutex<T>) -> T {
    mutex.into_inner().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_counts_completed_from_the_items_recorded_done() {
        let work = Work {
            input: "in".into(),
            output: "/nonexistent/out".into(),
            side: 4,
            count: 4,
            fault: Fault::Panic,
            at: 2,
            map_dir: shared_array_fill::default_map_dir(),
        };
        let plan = Plan {
            work: work.clone(),
            workers: 1,
            deadline: Duration::ZERO,
            name: "rayon under panic".into(),
        };
        let ledger = Ledger::start(&plan);
        ledger.done(1);
        ledger.done(0);
        let reason = "panicked".to_owned();
        ledger.failed(Failure {
            id: 2,
            worker: Some(0),
            reason,
        });
        let report = ledger.report(&work);
        // Item 3 was never recorded: the tally shows the gap instead of filling it in.
        assert_eq!(
            report.tally.to_string(),
            "submitted 4 = completed 2 + failed 1"
        );
        assert_eq!(report.done, [0, 1]);
        assert!(report.noticed.is_some());
    }
}
