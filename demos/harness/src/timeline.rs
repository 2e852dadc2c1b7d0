//! `--timeline FILE`: the first (checked) round of every strategy `compare` times, drawn as
//! one lane per worker and one bar per item. FILE gets a Chrome trace event file (open it in
//! ui.perfetto.dev or chrome://tracing), FILE with `.svg` the chart. Both are rewritten whole
//! after every table, through a temporary file, so neither is ever half-written.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use anyhow::Context;
use workload::timeline::{self, Recorded};

mod chart;
mod trace;

pub use chart::chart;
pub use trace::trace;

/// One recorded run of one strategy.
#[derive(Clone, Debug)]
pub struct Run {
    /// The table's title and the strategy's name.
    pub name: String,
    /// The run's wall time, in nanoseconds of CLOCK_MONOTONIC.
    pub start: u64,
    pub end: u64,
    pub recorded: Recorded,
}

struct Asked {
    path: PathBuf,
    runs: Vec<Run>,
    /// Where worker processes leave their spans: one file each, when they end.
    workers: PathBuf,
}

/// The variable that tells a worker process where to leave its spans.
const WORKERS_VAR: &str = "WORKBOOK_TIMELINE_DIR";
/// The folder of a run's worker spans, `<temp>/workbook-timeline-<pid>`.
const WORKERS_PREFIX: &str = "workbook-timeline-";
/// The most spans a worker process keeps, over all the runs it serves.
const WORKER_SPANS: usize = 1 << 12;
/// In the workers' folder, one empty file per recorded run, `run-<start>` while it goes on and
/// `run-<start>-<end>` once it is over: a worker leaves only the spans that fall inside one, so
/// a pool's worker that outlives the run still leaves it, and a one-shot worker of a timed
/// round leaves nothing.
const RUN_PREFIX: &str = "run-";

static ASKED: Mutex<Option<Asked>> = Mutex::new(None);

fn asked() -> std::sync::MutexGuard<'static, Option<Asked>> {
    ASKED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Record the timelines of this program's tables into `path` (and `path` with `.svg`).
pub fn ask(path: PathBuf) {
    let temp = std::env::temp_dir();
    crate::stale::remove_stale(&temp, WORKERS_PREFIX);
    let workers = temp.join(format!("{WORKERS_PREFIX}{}", std::process::id()));
    *asked() = Some(Asked {
        path,
        runs: Vec::new(),
        workers,
    });
}

/// For a worker process's command: where to leave its spans, while a timeline is asked for.
pub fn worker_env() -> Option<(&'static str, PathBuf)> {
    let folder = asked().as_ref()?.workers.clone();
    std::fs::create_dir_all(&folder).ok()?;
    Some((WORKERS_VAR, folder))
}

/// In a worker process started with [`worker_env`]: record from now on. The parent keeps the
/// spans that fall inside a run it recorded.
pub fn start_in_worker() {
    if std::env::var_os(WORKERS_VAR).is_some() {
        timeline::start(WORKER_SPANS);
    }
}

/// In a worker process, as its job ends: leave the spans that fall inside a recorded run for
/// the parent, labelled with this process's id. Nothing to do in a worker that was not asked,
/// that ran no item inside a recorded run, or whose folder has gone.
pub fn leave_worker_spans() {
    let Some(folder) = std::env::var_os(WORKERS_VAR).map(PathBuf::from) else {
        return;
    };
    let runs = recorded_runs(&folder);
    let mut recorded = timeline::finish();
    let inside = |span: &timeline::Span| {
        runs.iter()
            .any(|&(start, end)| span.start >= start && span.end <= end)
    };
    recorded.spans.retain(inside);
    if recorded.spans.is_empty() {
        return;
    }
    let pid = std::process::id();
    for label in &mut recorded.workers {
        *label = format!("pid {pid}, {label}");
    }
    if let Ok(bytes) = serde_json::to_vec(&recorded) {
        let _ = workload::write_whole(&folder.join(format!("{pid}.json")), &bytes);
    }
}

/// The runs marked in `folder`, as (start, end); one still going on ends at `u64::MAX`.
fn recorded_runs(folder: &Path) -> Vec<(u64, u64)> {
    let names = std::fs::read_dir(folder).into_iter().flatten().flatten();
    names
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let mut times = name.strip_prefix(RUN_PREFIX)?.split('-');
            let start = times.next()?.parse().ok()?;
            let end = times
                .next()
                .map_or(Some(u64::MAX), |end| end.parse().ok())?;
            Some((start, end))
        })
        .collect()
}

/// The spans worker processes left in `folder`, each inside one of `runs`, merged into it.
fn with_workers(runs: &[Run], folder: &Path) -> Vec<Run> {
    let mut left: Vec<Recorded> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "json"))
        .filter_map(|entry| serde_json::from_slice(&std::fs::read(entry.path()).ok()?).ok())
        .collect();
    // Lanes in the order the workers began, as a process's own threads are.
    left.sort_by_key(|worker| worker.spans.iter().map(|s| s.start).min());
    let mut runs = runs.to_vec();
    for run in &mut runs {
        for worker in &left {
            let inside = |span: &&timeline::Span| span.start >= run.start && span.end <= run.end;
            let mut lanes: Vec<usize> = worker
                .spans
                .iter()
                .filter(inside)
                .map(|s| s.worker)
                .collect();
            lanes.sort_unstable();
            lanes.dedup();
            let spans = worker
                .spans
                .iter()
                .filter(inside)
                .map(|span| timeline::Span {
                    worker: lanes.binary_search(&span.worker).unwrap_or(0),
                    ..*span
                });
            run.recorded.merge(Recorded {
                workers: lanes
                    .iter()
                    .map(|&lane| worker.workers[lane].clone())
                    .collect(),
                spans: spans.collect(),
                dropped: 0,
            });
        }
    }
    runs
}

/// The last word, as the program ends: write the timeline once more, with the spans of
/// worker processes that ended after the last table (a pool), and remove their folder.
pub fn write_last() -> anyhow::Result<()> {
    let folder = asked().as_ref().map(|a| a.workers.clone());
    let result = write();
    if let Some(folder) = folder {
        let _ = std::fs::remove_dir_all(folder);
    }
    result
}

/// Whether any run recorded so far has an item on its timeline.
pub fn any_spans() -> bool {
    asked()
        .as_ref()
        .is_some_and(|a| a.runs.iter().any(|r| !r.recorded.spans.is_empty()))
}

/// Record no more timelines; what was recorded and not written is dropped.
pub fn forget() {
    if let Some(asked) = asked().take() {
        let _ = std::fs::remove_dir_all(asked.workers);
    }
}

/// Where the trace goes, if `--timeline` was given.
pub fn target() -> Option<PathBuf> {
    asked().as_ref().map(|a| a.path.clone())
}

/// The chart beside the trace: `run.json` → `run.svg`, any other name gets `.svg` added.
pub fn svg_path(trace: &Path) -> PathBuf {
    if trace.extension().is_some_and(|e| e == "json") {
        return trace.with_extension("svg");
    }
    let mut name = trace.as_os_str().to_owned();
    name.push(".svg");
    PathBuf::from(name)
}

/// A run being recorded; [`Recording::stop`] keeps it, dropping it early (an error) discards it.
pub struct Recording {
    start: u64,
    live: bool,
}

impl Recording {
    /// Start recording a run of up to `items` items per worker, if a timeline was asked for.
    pub fn start(items: usize) -> Option<Self> {
        asked().as_ref()?;
        Some(Self::begin(items))
    }

    /// Start recording a run of up to `items` items per worker, asked for or not.
    pub fn begin(items: usize) -> Self {
        timeline::start(items);
        let start = timeline::now();
        if let Some(mark) = run_mark(start, None) {
            // A new empty file: `create_new` follows no link someone left in its place.
            let _ = std::fs::create_dir_all(mark.parent().expect("in the workers' folder"))
                .and_then(|()| std::fs::File::create_new(mark));
        }
        Self { start, live: true }
    }

    /// The run is over: its spans, under `name`.
    pub fn end(mut self, name: &str) -> Run {
        let end = timeline::now();
        self.live = false;
        if let Some((going, over)) = run_mark(self.start, None).zip(run_mark(self.start, Some(end)))
        {
            let _ = std::fs::rename(going, over);
        }
        Run {
            name: name.to_owned(),
            start: self.start,
            end,
            recorded: timeline::finish(),
        }
    }

    /// The run is over: keep its spans under `name`, for [`write`].
    pub fn stop(self, name: &str) {
        let run = self.end(name);
        if let Some(asked) = asked().as_mut() {
            asked.runs.push(run);
        }
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        if self.live {
            timeline::finish();
            if let Some(going) = run_mark(self.start, None) {
                let _ = std::fs::remove_file(going);
            }
        }
    }
}

/// The file that marks the run started at `start` in the workers' folder, while a timeline is
/// asked for: `run-<start>` while it goes on, `run-<start>-<end>` once over.
fn run_mark(start: u64, end: Option<u64>) -> Option<PathBuf> {
    let name = match end {
        None => format!("{RUN_PREFIX}{start}"),
        Some(end) => format!("{RUN_PREFIX}{start}-{end}"),
    };
    Some(asked().as_ref()?.workers.join(name))
}

/// Write every run recorded so far, if a timeline was asked for.
pub fn write() -> anyhow::Result<()> {
    let Some((path, runs)) = asked()
        .as_ref()
        .map(|a| (a.path.clone(), with_workers(&a.runs, &a.workers)))
    else {
        return Ok(());
    };
    write_to(&path, &runs)
}

/// Write `runs` to `path` (the trace) and `path` with `.svg` (the chart).
pub fn write_to(path: &Path, runs: &[Run]) -> anyhow::Result<()> {
    let trace = serde_json::to_vec(&trace(runs))?;
    write_file(path, &trace)?;
    write_file(&svg_path(path), chart(runs)?.as_bytes())
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    workload::write_whole(path, bytes)
        .with_context(|| format!("cannot write timeline {}", path.display()))
}

/// A run of two workers and two items, for the writers' tests.
#[cfg(test)]
fn sample_run() -> Run {
    use workload::timeline::Span;
    let span = |worker, item, start, end| Span {
        worker,
        item,
        start,
        end,
    };
    Run {
        name: "t: s".into(),
        start: 1_000,
        end: 9_000,
        recorded: Recorded {
            workers: vec!["a 0".into(), "b 1".into()],
            spans: vec![span(0, 0, 1_000, 5_000), span(1, 1, 2_000, 9_000)],
            dropped: 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_reads_the_recorded_runs_from_their_marks() {
        let scratch = testkit::ScratchDir::new("timeline-marks");
        let folder = scratch.path();
        for name in ["run-10-20", "run-30", "run-x", "41.json"] {
            std::fs::write(folder.join(name), b"").unwrap();
        }
        let mut runs = recorded_runs(folder);
        runs.sort();
        assert_eq!(runs, [(10, 20), (30, u64::MAX)]);
    }

    #[test]
    fn the_chart_sits_beside_the_trace() {
        assert_eq!(svg_path(Path::new("a/run.json")), Path::new("a/run.svg"));
        assert_eq!(svg_path(Path::new("a/trace")), Path::new("a/trace.svg"));
    }
}
