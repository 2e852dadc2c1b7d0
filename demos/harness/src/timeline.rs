//! `--timeline FILE`: the first (checked) round of every strategy `compare` times, drawn as
//! one lane per worker and one bar per item. FILE gets a Chrome trace event file (open it in
//! ui.perfetto.dev or chrome://tracing), FILE with `.svg` the chart. Both are rewritten whole
//! after every table, through a temporary file, so neither is ever half-written.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use anyhow::Context;
use plotters::prelude::*;
use serde_json::json;
use workload::timeline::{self, Recorded};

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
/// Present in the workers' folder while a run is recorded: a worker that ends meanwhile leaves
/// its spans, one that ends in a run not recorded (a timed round) does not spend the time.
const RECORDING_MARK: &str = "recording";

static ASKED: Mutex<Option<Asked>> = Mutex::new(None);

fn asked() -> std::sync::MutexGuard<'static, Option<Asked>> {
    ASKED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Record the timelines of this program's tables into `path` (and `path` with `.svg`).
pub fn ask(path: PathBuf) {
    let temp = std::env::temp_dir();
    crate::process::remove_stale(&temp, WORKERS_PREFIX);
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

/// In a worker process, as its job ends: leave the spans for the parent, labelled with this
/// process's id. Nothing to do in a worker that was not asked, outside a recorded run, or if
/// the folder has gone.
pub fn leave_worker_spans() {
    let Some(folder) = std::env::var_os(WORKERS_VAR).map(PathBuf::from) else {
        return;
    };
    if !folder.join(RECORDING_MARK).exists() {
        return;
    }
    let mut recorded = timeline::finish();
    let pid = std::process::id();
    for label in &mut recorded.workers {
        *label = format!("pid {pid}, {label}");
    }
    if let Ok(bytes) = serde_json::to_vec(&recorded) {
        let _ = workload::write_whole(&folder.join(format!("{pid}.json")), &bytes);
    }
}

/// The spans worker processes left in `folder`, each inside one of `runs`, merged into it.
fn with_workers(runs: &[Run], folder: &Path) -> Vec<Run> {
    let left: Vec<Recorded> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "json"))
        .filter_map(|entry| serde_json::from_slice(&std::fs::read(entry.path()).ok()?).ok())
        .collect();
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
        if let Some(folder) = asked().as_ref().map(|a| a.workers.clone()) {
            let _ = std::fs::create_dir_all(&folder)
                .and_then(|()| std::fs::write(folder.join(RECORDING_MARK), b""));
        }
        timeline::start(items);
        Self {
            start: timeline::now(),
            live: true,
        }
    }

    /// The run is over: its spans, under `name`.
    pub fn end(mut self, name: &str) -> Run {
        let end = timeline::now();
        self.live = false;
        unmark();
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
            unmark();
        }
    }
}

fn unmark() {
    if let Some(mark) = asked().as_ref().map(|a| a.workers.join(RECORDING_MARK)) {
        let _ = std::fs::remove_file(mark);
    }
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

/// The trace event format: one process per run, one thread per worker (thread 0 is the whole
/// run), one complete ("X") event per item; times in microseconds from the first run's start.
pub fn trace(runs: &[Run]) -> serde_json::Value {
    let origin = runs.first().map_or(0, |r| r.start);
    let us = |ns: u64| ns.saturating_sub(origin) as f64 / 1e3;
    let mut events = Vec::new();
    for (pid, run) in (1..).zip(runs) {
        let name = |tid, name: &str| json!({"ph": "M", "name": "thread_name", "pid": pid, "tid": tid, "args": {"name": name}});
        events.push(
            json!({"ph": "M", "name": "process_name", "pid": pid, "args": {"name": run.name}}),
        );
        events.push(name(0, "run"));
        events.push(json!({"ph": "X", "name": run.name, "pid": pid, "tid": 0,
            "ts": us(run.start), "dur": us(run.end) - us(run.start)}));
        for (tid, worker) in (1..).zip(&run.recorded.workers) {
            events.push(name(tid, worker));
        }
        for span in &run.recorded.spans {
            events.push(
                json!({"ph": "X", "name": format!("item {}", span.item), "pid": pid,
                "tid": span.worker + 1, "ts": us(span.start), "dur": us(span.end) - us(span.start),
                "args": {"item": span.item}}),
            );
        }
    }
    json!({"traceEvents": events, "displayTimeUnit": "ms"})
}

/// Neighbouring items alternate shades, so that back-to-back bars stay apart.
const BARS: [RGBColor; 2] = [RGBColor(31, 119, 180), RGBColor(114, 170, 214)];
const FAINT: RGBColor = RGBColor(110, 110, 110);
/// The height of the line on top that says what the chart shows and where it was made.
const STAMP: u32 = 28;

/// One panel per run, one lane per worker, one bar per item; the gaps are idle time. Runs in
/// which no item was recorded get no panel.
pub fn chart(runs: &[Run]) -> anyhow::Result<String> {
    let runs: Vec<&Run> = runs
        .iter()
        .filter(|r| !r.recorded.spans.is_empty())
        .collect();
    let heights: Vec<u32> = runs
        .iter()
        .map(|r| 64 + 24 * r.recorded.workers.len() as u32)
        .collect();
    let mut svg = String::new();
    {
        let size = (1000, heights.iter().sum::<u32>() + STAMP);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
        let (stamp, mut rest) = root.split_vertically(STAMP);
        let machine = crate::machine::Machine::current();
        let text = format!(
            "one lane per worker, a bar per item (short ones in a row drawn as one), gaps are idle; {machine}"
        );
        let style = ("sans-serif", 13).into_font().color(&FAINT);
        stamp
            .draw_text(&text, &style, (12, 8))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        for (run, height) in runs.iter().zip(heights) {
            let (area, below) = rest.split_vertically(height);
            panel(&area, run).map_err(|e| anyhow::anyhow!("cannot draw {}: {e}", run.name))?;
            rest = below;
        }
        root.present().map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(svg)
}

type DrawResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// The bars to draw, (lane, start, end, shade): one per item, except that items too short to
/// see (under a thousandth of the run) that follow one another closely on a lane are drawn as
/// one bar, so that thousands of rows make a small file and not a blur of slivers.
fn bars(spans: &[timeline::Span], start: u64, end: u64) -> Vec<(usize, u64, u64, usize)> {
    let tiny = end.saturating_sub(start) / 1000;
    let mut sorted: Vec<&timeline::Span> = spans.iter().collect();
    sorted.sort_by_key(|s| (s.worker, s.start));
    let mut bars: Vec<(usize, u64, u64, usize)> = Vec::new();
    for span in sorted {
        match bars.last_mut() {
            Some(last)
                if last.0 == span.worker
                    && span.end - span.start < tiny
                    && span.start.saturating_sub(last.2) < tiny =>
            {
                last.2 = last.2.max(span.end);
            }
            _ => bars.push((span.worker, span.start, span.end, span.item % 2)),
        }
    }
    bars
}

/// Lane `i` spans `i..i + 1` on the y axis, top to bottom; its label sits left of its middle.
fn panel(area: &DrawingArea<SVGBackend, plotters::coord::Shift>, run: &Run) -> DrawResult {
    let ms = |ns: u64| ns.saturating_sub(run.start) as f64 / 1e6;
    let wall = ms(run.end).max(1e-3);
    let workers = &run.recorded.workers;
    let lanes = workers.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!(
                "{}: {} items in {wall:.1} ms{}",
                run.name,
                run.recorded.spans.len(),
                match run.recorded.dropped {
                    0 => String::new(),
                    n => format!(" ({n} more not kept: a worker's lane was full)"),
                }
            ),
            ("sans-serif", 15),
        )
        .margin(6)
        .x_label_area_size(30)
        .y_label_area_size(120)
        .build_cartesian_2d(0.0..wall, lanes..0.0)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_y_axis()
        .x_desc("ms since the run began")
        .label_style(("sans-serif", 12).into_font().color(&FAINT))
        .draw()?;
    let bars = bars(&run.recorded.spans, run.start, run.end);
    chart.draw_series(bars.iter().map(|&(lane, from, to, shade)| {
        let y = lane as f64;
        let to = ms(to).max(ms(from) + wall / 1000.0);
        Rectangle::new([(ms(from), y + 0.15), (to, y + 0.85)], BARS[shade].filled())
    }))?;
    let (_, top) = area.get_base_pixel();
    let style = ("sans-serif", 12).into_font().color(&FAINT);
    for (lane, label) in workers.iter().enumerate() {
        let (_, y) = chart.backend_coord(&(0.0, lane as f64 + 0.5));
        area.draw_text(label, &style, (12, y - top - 6))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use workload::timeline::Span;

    fn run() -> Run {
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

    #[test]
    fn the_trace_has_one_complete_event_per_item_and_one_per_run() {
        let trace = trace(&[run()]);
        let events = trace["traceEvents"].as_array().unwrap();
        let complete: Vec<_> = events.iter().filter(|e| e["ph"] == "X").collect();
        assert_eq!(complete.len(), 3);
        assert_eq!(complete[1]["tid"], 1);
        assert_eq!(complete[2]["ts"], 1.0);
        assert_eq!(complete[2]["dur"], 7.0);
    }

    #[test]
    fn the_chart_draws_a_bar_per_item() {
        let svg = chart(&[run()]).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert_eq!(svg.matches("<rect").count() - 1, 2, "{svg}");
    }

    #[test]
    fn slivers_close_together_make_one_bar() {
        let span = |worker, item, start, end| Span {
            worker,
            item,
            start,
            end,
        };
        // A run of 1 000 000 ns: items under 1000 ns that follow within 1000 ns merge.
        let spans = [
            span(0, 0, 0, 500),
            span(0, 1, 600, 900),
            span(0, 2, 5_000, 5_500),
            span(1, 3, 900, 950),
            span(0, 4, 6_000, 300_000),
        ];
        let bars = bars(&spans, 0, 1_000_000);
        assert_eq!(
            bars,
            [
                (0, 0, 900, 0),
                (0, 5_000, 5_500, 0),
                (0, 6_000, 300_000, 0),
                (1, 900, 950, 1)
            ]
        );
    }

    #[test]
    fn the_chart_sits_beside_the_trace() {
        assert_eq!(svg_path(Path::new("a/run.json")), Path::new("a/run.svg"));
        assert_eq!(svg_path(Path::new("a/trace")), Path::new("a/trace.svg"));
    }
}
