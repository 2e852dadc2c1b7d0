//! The fault matrix: every strategy against every fault, each cell a real run, and what each
//! cell observed, how fast, and what it left behind.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use harness::report::seconds;

use crate::fault::Fault;
use crate::item::{Plan, Report, Work};
use crate::leftovers::{leftovers, whole_images};
use crate::{processes, threads};

/// The strategies of demos 03-06.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// rayon's parallel map on a pool of threads (demo 03)
    Rayon,
    /// scoped threads, one share of the items each (demo 06)
    Scoped,
    /// worker threads on a crossbeam task queue (demo 05)
    Queue,
    /// chapter 4's one-shot children, one per share of the items, as they are
    OneShot,
    /// chapter 4's pool of long-lived worker processes fed over pipes, as it is
    Pool,
    /// chapter 6's processes filling rows of one shared file in /dev/shm, as they are
    SharedMemory,
}

impl Strategy {
    pub const ALL: [Self; 6] = [
        Self::Rayon,
        Self::Scoped,
        Self::Queue,
        Self::OneShot,
        Self::Pool,
        Self::SharedMemory,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Rayon => "rayon",
            Self::Scoped => "scoped",
            Self::Queue => "queue",
            Self::OneShot => "one-shot",
            Self::Pool => "pool",
            Self::SharedMemory => "shared-memory",
        }
    }

    pub fn run(self, plan: &Plan) -> anyhow::Result<Report> {
        match self {
            Self::Rayon => threads::rayon_map(plan),
            Self::Scoped => threads::scoped_threads(plan),
            Self::Queue => threads::task_queue(plan),
            Self::OneShot => processes::one_shot(plan),
            Self::Pool => processes::process_pool(plan),
            Self::SharedMemory => processes::shared_memory(plan),
        }
    }

    /// Whose code runs, and what makes it fail cleanly, in a line.
    pub fn fix(self) -> &'static str {
        match self {
            Self::Rayon => {
                "chapter 3's par_map_with as is, given an item function with catch_unwind; no deadline of its own"
            }
            Self::Scoped => {
                "this demo's own: join hands back a thread's panic, the rest of its share counts as not done"
            }
            Self::Queue => {
                "chapter 5's Queue as is: catch_unwind per task; recv_timeout gives up on a stuck one"
            }
            Self::OneShot => {
                "chapter 4's run_children as is: every exit status read, one past the deadline killed, the rest stopped"
            }
            Self::Pool => {
                "chapter 4's ProcessPool as is: each answer within the deadline or the worker killed; the feeders stop"
            }
            Self::SharedMemory => {
                "chapter 6's ProcessFill as is: the first failure stops every worker; each row checked after"
            }
        }
    }

    /// Whether its workers are threads (else they are processes).
    pub fn uses_threads(self) -> bool {
        matches!(self, Self::Rayon | Self::Scoped | Self::Queue)
    }

    /// Why `fault` cannot happen to this strategy alone, if it cannot.
    pub fn not_applicable(self, fault: Fault) -> Option<&'static str> {
        let threads = self.uses_threads();
        let fatal = matches!(fault, Fault::Kill | Fault::Abort);
        let files = matches!(fault, Fault::DiskFull | Fault::CorruptInput);
        if threads && fatal {
            Some("a thread cannot die alone: this ends the whole process")
        } else if self == Self::SharedMemory && files {
            Some("chapter 6's workers read no file and write only to memory")
        } else if matches!(self, Self::OneShot | Self::Pool) && fault == Fault::CorruptInput {
            Some("chapter 4's workers make their images from noise: no input to corrupt")
        } else {
            None
        }
    }
}

/// What every cell shares: the size of the work and how long a run may stay silent.
#[derive(Clone, Debug)]
pub struct Settings {
    pub count: usize,
    pub at: usize,
    pub side: u32,
    /// Worker threads, for the thread strategies.
    pub threads: usize,
    /// Worker processes, for the process strategies.
    pub processes: usize,
    pub deadline: Duration,
    pub out: PathBuf,
    /// Where chapter 6's shared file goes
    pub map_dir: PathBuf,
}

impl Settings {
    /// The workers `strategy` runs with: threads or processes, whichever it uses.
    pub fn workers_for(&self, strategy: Strategy) -> usize {
        if strategy.uses_threads() {
            self.threads
        } else {
            self.processes
        }
    }
}

/// How one cell went.
#[derive(Debug)]
pub enum Outcome {
    NotApplicable(&'static str),
    /// The run ended: its report, and what the check afterwards found: what was left behind,
    /// and the items whose output image is there and whole.
    Ran {
        report: Report,
        left: Vec<String>,
        whole: Vec<usize>,
    },
    /// The strategy itself could not run (a process that cannot start, say).
    Broke(anyhow::Error),
}

/// One cell of the matrix.
#[derive(Debug)]
pub struct Cell {
    pub strategy: Strategy,
    pub fault: Fault,
    pub work: Work,
    pub outcome: Outcome,
}

/// Run one cell in its own folder under `settings.out`.
pub fn run_cell(settings: &Settings, strategy: Strategy, fault: Fault) -> Cell {
    let dir = settings
        .out
        .join(format!("{}-{}", strategy.name(), fault.name()));
    let work = Work {
        input: dir.join("input"),
        output: dir.join("output"),
        side: settings.side,
        count: settings.count,
        fault,
        at: settings.at,
        map_dir: settings.map_dir.clone(),
    };
    let outcome = match strategy.not_applicable(fault) {
        Some(why) => Outcome::NotApplicable(why),
        None => {
            let plan = Plan {
                work: work.clone(),
                workers: settings.workers_for(strategy),
                deadline: settings.deadline,
                name: format!("{} under {}", strategy.name(), fault.name()),
            };
            match work.prepare().and_then(|()| strategy.run(&plan)) {
                Ok(report) => Outcome::Ran {
                    left: leftovers(&work),
                    whole: whole_images(&work),
                    report,
                },
                Err(err) => Outcome::Broke(err),
            }
        }
    };
    Cell {
        strategy,
        fault,
        work,
        outcome,
    }
}

impl Cell {
    /// The cell did what the demo promises: a baseline run completed everything; a faulty run
    /// failed at item K and named it; every item is accounted for; nothing was left behind.
    pub fn as_expected(&self) -> bool {
        self.unexpected().is_none()
    }

    /// What the cell did that the demo does not promise, in a phrase; `None` when it did what
    /// [`Cell::as_expected`] says.
    pub fn unexpected(&self) -> Option<String> {
        let (report, left, whole) = match &self.outcome {
            Outcome::NotApplicable(_) => return None,
            Outcome::Broke(err) => return Some(format!("could not run: {err:#}")),
            Outcome::Ran {
                report,
                left,
                whole,
            } => (report, left, whole),
        };
        let (tally, count) = (&report.tally, self.work.count);
        // Each item asked for must be in the report once: completed or failed, not both.
        let mut counted: Vec<usize> = report.done.clone();
        counted.extend(tally.failures.iter().map(|f| f.id));
        counted.sort_unstable();
        let first = tally.failures.first().map(|f| f.id);
        if tally.submitted != count || counted != (0..count).collect::<Vec<_>>() {
            counted.dedup();
            let found = counted.iter().filter(|&&id| id < count).count();
            Some(format!(
                "{count} items asked for, {found} accounted for: {tally}"
            ))
        } else if report.done != *whole {
            let (done, whole) = (report.done.len(), whole.len());
            Some(format!(
                "{done} items completed, but {whole} whole output images"
            ))
        } else if let Some(error) = report.errors.first() {
            Some(error.clone())
        } else if self.fault == Fault::None && first.is_some() {
            Some(format!("a failure without a fault: {}", self.observed()))
        } else if self.fault != Fault::None && !self.failed_at_k(first) {
            Some(format!(
                "item {} should have failed first: {}",
                self.work.at,
                self.observed()
            ))
        } else if !left.is_empty() {
            Some(format!("left behind: {}", left.join(", ")))
        } else {
            None
        }
    }

    /// Whether the fault's item is where the run saw it fail: the first failure, or for the
    /// process strategies (chapters 4 and 6 stop every worker at once, so that items before
    /// it may be left undone) a failure of item K with the chapter's error, not "not done".
    fn failed_at_k(&self, first: Option<usize>) -> bool {
        let Outcome::Ran { report, .. } = &self.outcome else {
            return false;
        };
        let at = self.work.at;
        if self.strategy.uses_threads() {
            return first == Some(at);
        }
        let mut failures = report.tally.failures.iter();
        failures.any(|f| f.id == at && !f.reason.starts_with("not done"))
    }

    /// The exit code the program gives for this run alone: 1 when it failed.
    pub fn exit_code(&self) -> u8 {
        match &self.outcome {
            Outcome::NotApplicable(_) => 0,
            Outcome::Ran { report, .. } => {
                u8::from(!report.tally.failures.is_empty() || !report.errors.is_empty())
            }
            Outcome::Broke(_) => 1,
        }
    }

    /// What the run observed, in a phrase: the first failed item, its worker and why.
    pub fn observed(&self) -> String {
        match &self.outcome {
            Outcome::NotApplicable(why) => format!("n/a: {why}"),
            Outcome::Broke(err) => format!("could not run: {err:#}"),
            Outcome::Ran { report, .. } => {
                let (failures, errors) = (&report.tally.failures, &report.errors);
                let mut said: Vec<String> = errors.iter().map(|e| self.shorter(e)).collect();
                // The failure that caused the others: chapter 6's fill may leave rows before it
                // "not done" when it stops every worker.
                let cause = failures.iter().find(|f| !f.reason.starts_with("not done"));
                if let Some(first) = cause.or(failures.first()) {
                    let mut text = format!("item {}", first.id);
                    if let Some(worker) = first.worker {
                        write!(text, " (worker {worker})").unwrap();
                    }
                    write!(text, ": {}", self.shorter(&first.reason)).unwrap();
                    if failures.len() > 1 {
                        write!(text, "; {} more not done", failures.len() - 1).unwrap();
                    }
                    said.insert(0, text);
                }
                if said.is_empty() {
                    "every item done".to_owned()
                } else {
                    said.join("; ")
                }
            }
        }
    }

    /// `text` with this cell's folders left out of the paths in it.
    fn shorter(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for dir in [&self.work.input, &self.work.output] {
            text = text.replace(&format!("{}/", dir.display()), "");
        }
        text
    }

    /// The columns of this cell's row, as in [`HEADINGS`].
    fn row(&self) -> [String; 8] {
        let (strategy, fault) = (self.strategy.name().into(), self.fault.name().into());
        let (finished, noticed, took, left) = match &self.outcome {
            Outcome::Ran { report, left, .. } => {
                let tally = &report.tally;
                let left = match (left.is_empty(), report.cleaned) {
                    (true, 0) => "none".to_owned(),
                    (true, n) => format!("none ({n} removed)"),
                    (false, _) => left.join(", "),
                };
                (
                    format!("{}/{}", tally.completed, tally.submitted),
                    report.noticed.map_or("-".into(), seconds),
                    seconds(report.took),
                    left,
                )
            }
            _ => ("-".into(), "-".into(), "-".into(), "-".into()),
        };
        let exit = match self.outcome {
            Outcome::NotApplicable(_) => "-".into(),
            _ => self.exit_code().to_string(),
        };
        let observed = self.observed();
        [
            strategy, fault, finished, noticed, took, left, exit, observed,
        ]
    }

    /// How the run ended, as a program's result: its one error line if it failed.
    pub fn ended(&self) -> anyhow::Result<()> {
        self.error_line()
            .map_or(Ok(()), |line| Err(anyhow::Error::msg(line)))
    }

    /// The one error line of a run that failed: the first failed item and the tally.
    pub fn error_line(&self) -> Option<String> {
        match &self.outcome {
            Outcome::Ran { report, .. } if self.exit_code() != 0 => {
                Some(format!("{} ({})", self.observed(), report.tally))
            }
            Outcome::Broke(err) => Some(format!("{err:#}")),
            _ => None,
        }
    }
}

/// What the stuck cells of the thread strategies do not show, said under the table.
const STUCK_THREADS: &str = "\nno thread can be cancelled: the thread strategies' stuck item ends only \
because its injected wait listens to this demo's watchdog.\nChapter 3's map has no deadline and would \
wait for a really stuck item for ever; chapter 5's Queue gives up on it, but its thread stays stuck.";

const HEADINGS: [&str; 8] = [
    "strategy", "fault", "finished", "noticed", "took", "left", "exit", "observed",
];

/// Run the cells of `strategies` x `faults` and print them: a header that names the machine,
/// the table, and what makes each strategy fail cleanly.
pub fn run_matrix(
    settings: &Settings,
    strategies: &[Strategy],
    faults: &[Fault],
) -> anyhow::Result<Vec<Cell>> {
    harness::outln!(
        "10-when-workers-fail: {} images of {s}x{s} pixels, item {} meets the fault; {} worker \
         threads or {} worker processes; a worker silent for {} ms is stuck\nmachine: {}\n",
        settings.count,
        settings.at,
        settings.threads,
        settings.processes,
        settings.deadline.as_millis(),
        harness::machine::Machine::current(),
        s = settings.side,
    )?;
    let mut cells = Vec::new();
    for &strategy in strategies {
        for &fault in faults {
            harness::stop::check()?;
            cells.push(run_cell(settings, strategy, fault));
        }
    }
    harness::stop::check()?; // the last cell may have been cut short
    harness::outln!("{}", table(&cells).trim_end_matches('\n'))?;
    harness::outln!("\nwhose code runs, and what makes it fail cleanly:")?;
    for strategy in strategies {
        harness::outln!("  {:<14} {}", strategy.name(), strategy.fix())?;
    }
    if strategies.iter().any(|s| s.uses_threads()) && faults.contains(&Fault::Stuck) {
        harness::outln!("{STUCK_THREADS}")?;
    }
    harness::outln!("\nfiles in {}", harness::cli::shown(&settings.out))?;
    Ok(cells)
}

/// Whether the whole matrix behaved as expected: a line that says so, or an error line that
/// names every cell that did not and why the first did not.
pub fn verdict(cells: &[Cell]) -> Result<&'static str, String> {
    let unexpected: Vec<(String, String)> = cells
        .iter()
        .filter_map(|c| {
            let name = format!("{} x {}", c.strategy.name(), c.fault.name());
            c.unexpected().map(|why| (name, why))
        })
        .collect();
    match &unexpected[..] {
        [] => Ok(
            "every cell behaved as expected: the fault noticed and named, every item accounted for, nothing left behind",
        ),
        [(first, why), ..] => {
            let names: Vec<&str> = unexpected.iter().map(|(name, _)| name.as_str()).collect();
            Err(format!(
                "not as expected: {}; {first}: {why}",
                names.join(", ")
            ))
        }
    }
}

/// The cells as one table, a row each, the columns lined up.
pub fn table(cells: &[Cell]) -> String {
    let rows: Vec<[String; 8]> = cells.iter().map(Cell::row).collect();
    aligned(HEADINGS, &rows)
}

/// `rows` under `headings`, each column as wide as its widest entry.
pub(crate) fn aligned<const N: usize>(headings: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = headings.map(str::len);
    for row in rows {
        for (width, column) in widths.iter_mut().zip(row) {
            *width = (*width).max(column.chars().count());
        }
    }
    let mut out = String::new();
    let headings = headings.map(str::to_owned);
    for row in std::iter::once(&headings).chain(rows) {
        let mut line = String::new();
        for (column, width) in row.iter().zip(widths) {
            write!(line, "{column:<width$}  ").unwrap();
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_sees_an_item_missing_counted_twice_or_not_on_disk() {
        let work = Work {
            input: "in".into(),
            output: "out".into(),
            side: 4,
            count: 4,
            fault: Fault::Panic,
            at: 2,
            map_dir: shared_array_fill::default_map_dir(),
        };
        let cell = |done: &[usize], failed: &[usize], whole: &[usize]| {
            let failures = failed.iter().map(|&id| task_queue::Failure {
                id,
                worker: None,
                reason: "panicked".into(),
            });
            let report = Report {
                tally: task_queue::Tally {
                    submitted: 4,
                    completed: done.len(),
                    failures: failures.collect(),
                },
                done: done.to_vec(),
                errors: Vec::new(),
                noticed: None,
                took: Duration::ZERO,
                cleaned: 0,
            };
            let outcome = Outcome::Ran {
                report,
                left: Vec::new(),
                whole: whole.to_vec(),
            };
            let (strategy, fault, work) = (Strategy::Rayon, Fault::Panic, work.clone());
            Cell {
                strategy,
                fault,
                work,
                outcome,
            }
            .unexpected()
        };
        assert_eq!(cell(&[0, 1, 3], &[2], &[0, 1, 3]), None);
        let missing = "4 items asked for, 3 accounted for: submitted 4 = completed 2 + failed 1";
        assert_eq!(cell(&[0, 1], &[2], &[0, 1]).as_deref(), Some(missing));
        let twice = "4 items asked for, 3 accounted for: submitted 4 = completed 3 + failed 1";
        assert_eq!(cell(&[0, 1, 2], &[2], &[0, 1, 2]).as_deref(), Some(twice));
        let not_on_disk = "3 items completed, but 2 whole output images";
        assert_eq!(
            cell(&[0, 1, 3], &[2], &[0, 1]).as_deref(),
            Some(not_on_disk)
        );
        let first = cell(&[0, 1, 2], &[3], &[0, 1, 2]).unwrap();
        assert!(
            first.starts_with("item 2 should have failed first"),
            "{first}"
        );
    }

    #[test]
    fn only_threads_escape_the_fatal_faults() {
        for strategy in Strategy::ALL {
            let threads = strategy.not_applicable(Fault::Kill).is_some();
            assert_eq!(strategy.not_applicable(Fault::Abort).is_some(), threads);
            let expected = matches!(
                strategy,
                Strategy::Rayon | Strategy::Scoped | Strategy::Queue
            );
            assert_eq!(threads, expected, "{strategy:?}");
            assert!(strategy.not_applicable(Fault::Stuck).is_none());
        }
    }
}
