//! The process strategies under faults, each the chapter's own code run as it is: chapter 4's
//! one-shot children and pool over pipes (`process_spawn`), and chapter 6's processes filling
//! one shared file (`shared_array_fill::ProcessFill`). The faults go in through each
//! chapter's own crash hook. None of them reports item by item, so afterwards every item is
//! checked against what the serial loop makes: done if it is there and equal, else failed.

use std::path::{Path, PathBuf};

use anyhow::Context;
use harness::process::CrashHow;
use process_spawn::{Children, Crash, ProcessPool};
use shared_array_fill::threads::band_rows;
use shared_array_fill::{BandCrash, Faults, ProcessFill, Shape, fill_rows, plain_cell};
use task_queue::Failure;
use workload::noise::image_index;
use workload::{image_path, noise_pixels, read_png_into, save_png};

use crate::fault::Fault;
use crate::item::{Ledger, Plan, Report, Work};

/// How the chapters' own crash hooks make a worker fail the way `fault` does, if they can.
fn crash_how(fault: Fault) -> Option<CrashHow> {
    match fault {
        Fault::Panic => Some(CrashHow::Panic),
        Fault::Kill => Some(CrashHow::Kill),
        Fault::Abort => Some(CrashHow::Abort),
        Fault::Stuck => Some(CrashHow::Hang),
        Fault::None | Fault::DiskFull | Fault::CorruptInput => None,
    }
}

fn program() -> anyhow::Result<PathBuf> {
    std::env::current_exe().context("cannot find this program's own file")
}

// ANCHOR: account
/// Record item `index` after the run: done when `good`, else failed. The run's error goes to
/// the item it struck; the other items were stopped with it (`chapter`'s code stops every
/// worker at the first failure) or, with no error, are simply wrong.
fn account(ledger: &Ledger, run: &RunEnd, index: usize, good: bool, worker: Option<usize>) {
    if good {
        return ledger.done(index);
    }
    let reason = match &run.error {
        Some(err) if index == run.struck => format!("{err:#}"),
        Some(_) => format!(
            "not done: {} stopped every worker when one failed",
            run.chapter
        ),
        None => "not done, and no error said so".to_owned(),
    };
    let id = index;
    ledger.failed(Failure { id, worker, reason });
}
// ANCHOR_END: account

/// How a run of a chapter's code ended, for [`account`].
struct RunEnd {
    chapter: &'static str,
    /// The item the error is about: the one whose image it names (a write that failed on
    /// its own, on a really full disk), else item K, where the fault struck.
    struck: usize,
    error: Option<anyhow::Error>,
}

impl RunEnd {
    fn new(chapter: &'static str, work: &Work, ended: anyhow::Result<()>, ledger: &Ledger) -> Self {
        ledger.workers_done(); // the check that follows is no item's work
        let error = ended.err();
        if error.is_some() {
            ledger.noticed();
        }
        let named = error
            .as_ref()
            .and_then(|err| named_item(&format!("{err:#}")));
        let struck = named.unwrap_or(work.at);
        Self {
            chapter,
            struck,
            error,
        }
    }

    /// An error that no item took (every item came out right, and still the run failed).
    fn unclaimed(self, ledger: &Ledger) {
        if let Some(err) = self.error {
            ledger.error(format!("every item is done, and still: {err:#}"));
        }
    }
}

/// The noise image an error's text names (`cannot write …/noise-00030.png: …` → 30), if any.
fn named_item(text: &str) -> Option<usize> {
    text.split(|c: char| c.is_whitespace() || c == ':')
        .find_map(|word| image_index(Path::new(word)))
}

/// Check every output image against the one the serial loop makes, and record it.
fn account_images(
    work: &Work,
    ledger: &Ledger,
    run: RunEnd,
    owner: impl Fn(usize) -> Option<usize>,
) {
    let (size, mut all_good) = (work.size(), true);
    let mut slot = vec![0; size.bytes()];
    for index in 0..work.count {
        let read = read_png_into(&image_path(&work.output, index), size, &mut slot);
        let good = read.is_ok() && slot == noise_pixels(index, size);
        all_good &= good;
        account(ledger, &run, index, good, owner(index));
    }
    if all_good {
        run.unclaimed(ledger);
    }
}

/// Chapter 4's one-shot children, as they are (`process_spawn::run_children`): each makes its
/// share of noise images into the output folder, and 04's crash hook makes the child whose
/// share holds item K fail on reaching it. 04 stops the other children at the first failure.
pub fn one_shot(plan: &Plan) -> anyhow::Result<Report> {
    let (work, ledger) = (&plan.work, Ledger::start(plan));
    let crash = crash_how(work.fault).map(|how| Crash::Image {
        index: work.at,
        how,
    });
    let how = Children {
        processes: plan.workers,
        crash,
        deadline: plan.deadline,
        show_output: false,
    };
    let (dir, size) = (&work.output, work.size());
    let reports = process_spawn::run_children(&program()?, dir, size, work.count, how)?;
    let ended = process_spawn::check(&reports, plan.deadline);
    let run = RunEnd::new("chapter 4", work, ended, &ledger);
    let owner = |index| reports.iter().position(|r| r.images.contains(&index));
    account_images(work, &ledger, run, owner);
    Ok(ledger.report(work))
}

/// Chapter 4's pool over pipes, as it is (`process_spawn::ProcessPool`): whichever worker gets
/// item K's task fails there (04's crash hook). 04's link gives up on a worker that does not
/// answer within the deadline, and the other feeders stop at the first failure.
pub fn process_pool(plan: &Plan) -> anyhow::Result<Report> {
    let (work, ledger) = (&plan.work, Ledger::start(plan));
    let crash = crash_how(work.fault).map(|how| Crash::Image {
        index: work.at,
        how,
    });
    let mut pool = ProcessPool::start(&program()?, work.size(), plan.workers, crash, plan.deadline)
        .context("cannot start the pool's worker processes")?;
    let made = pool.write_images(&work.output, work.count);
    harness::stop::check()?; // the pool also ends at Ctrl-C: that is no failure of an item
    // A pool that failed is dropped, which kills its workers; one that did not is shut down,
    // and each worker's exit status read.
    let ended = made.and_then(|_| pool.shutdown().map(drop));
    let run = RunEnd::new("chapter 4", work, ended, &ledger);
    account_images(work, &ledger, run, |_| None); // any worker may have taken any item
    Ok(ledger.report(work))
}

/// Chapter 6's processes filling one shared file, as they are (`ProcessFill`): the items are
/// the array's rows, and 06's crash hook makes item K's worker fail on reaching it. 06 stops
/// every worker at the first failure. Each row is checked against the serial fill; a row that
/// matches is done, and written out as an image of its cells.
pub fn shared_memory(plan: &Plan) -> anyhow::Result<Report> {
    let (work, ledger) = (&plan.work, Ledger::start(plan));
    let shape = Shape {
        rows: work.count,
        cols: work.size().bytes(),
    };
    let band = band_rows(shape.rows, plan.workers);
    let crash = crash_how(work.fault).map(|how| BandCrash {
        worker: work.at / band,
        how,
        after_rows: Some(work.at % band),
    });
    let fill = ProcessFill {
        program: program()?,
        dir: work.map_dir.clone(),
        shape,
        workers: plan.workers,
        deadline: plan.deadline,
        faults: Faults { crash, pause_ms: 0 },
    };
    let mut file = fill.create_file()?;
    let ended = fill.fill(&mut file).map_err(anyhow::Error::from);
    harness::stop::check()?; // 06's fill also ends at Ctrl-C: that is no failure of a row
    let run = RunEnd::new("chapter 6", work, ended, &ledger);
    let array = file.array().context("cannot map the shared file")?;
    let (mut expected, mut all_good) = (vec![0.0; shape.cols], true);
    for (index, row) in array.cells().chunks(shape.cols).enumerate() {
        fill_rows(&mut expected, index, shape.cols, &plain_cell);
        let good = row == expected;
        all_good &= good;
        if good {
            let pixels: Vec<u8> = row.iter().map(|&cell| cell as u8).collect();
            if let Err(err) = save_png(&image_path(&work.output, index), &pixels, work.size()) {
                let reason = format!("{:#}", anyhow::Error::from(err));
                ledger.failed(Failure {
                    id: index,
                    worker: None, // the parent's own write
                    reason,
                });
                continue;
            }
        }
        account(&ledger, &run, index, good, Some(index / band));
    }
    if all_good {
        run.unclaimed(&ledger);
    }
    Ok(ledger.report(work))
}
