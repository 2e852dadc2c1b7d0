//! Demo 11: the scaling sweep. Every workload's strategies, called from the demo libraries,
//! run at 1 ..= 2 x logical cores workers, warmed up and repeated; the charts of time, speedup
//! and efficiency (with the ideal line and a fitted Amdahl curve), of task size and of
//! start-up costs are written as SVG next to the numbers as CSV and the machine they came from.
#![forbid(unsafe_code)]

pub mod amdahl;
pub mod chart;
pub mod data;
pub mod measure;
pub mod mpi_ranks;
pub mod progress;
pub mod workloads;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use harness::machine::Machine;
use process_spawn::Role;

use crate::chart::Stamp;
use crate::measure::{Point, Strategy, measure, sample};
use crate::progress::Progress;
use crate::workloads::{NAMES, Sizes, Tools};

/// The extra charts besides the five workloads' scaling charts.
pub const EXTRAS: [&str; 2] = ["granularity", "overhead"];

/// What to sweep and where the files go.
#[derive(Clone, Debug)]
pub struct Settings {
    pub mode: Mode,
    pub out: PathBuf,
    pub max_workers: usize,
    pub runs: Option<usize>,
    /// Workloads and extra charts to make; empty means all of them.
    pub only: Vec<String>,
    /// This binary, which demo 04's worker processes run as.
    pub exe: PathBuf,
    /// Where demo 06's shared file goes.
    pub map_dir: PathBuf,
    /// A note for every chart's stamp, e.g. "reference run".
    pub label: Option<String>,
}

/// How big the sweep is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Quick,
    Full,
    /// Tiny work for the tests: seconds, even in a debug build. Its numbers mean nothing.
    Test,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Self::Quick => "quick",
            Self::Full => "full",
            Self::Test => "test",
        }
    }

    pub fn sizes(self) -> Sizes {
        match self {
            Self::Quick => Sizes::quick(),
            Self::Full => Sizes::full(),
            Self::Test => Sizes::test(),
        }
    }
}

impl Settings {
    /// Whether `--only` leaves this workload or extra chart in.
    pub fn wants(&self, name: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == name)
    }
}

/// A folder of this run's own, removed on every way out of the sweep.
struct Scratch(PathBuf);

impl Scratch {
    /// Make `path`, whose parent must exist already: a mistyped TMPDIR is an error, not a new
    /// folder tree.
    fn new(path: PathBuf) -> anyhow::Result<Self> {
        let parent = path.parent().unwrap_or(Path::new("/"));
        anyhow::ensure!(
            parent.is_dir(),
            "the folder {} does not exist",
            parent.display()
        );
        std::fs::create_dir(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Self(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The start of the scratch folder's name; the process id follows.
const SCRATCH_PREFIX: &str = "11-speedup-plots-";

/// Where the sweep writes its images while it runs; removed at the end, and on Ctrl-C (the
/// sweep stops at the next run and its guards remove it on the way out of `main`). The
/// folders of earlier sweeps that were killed are removed when the next one starts.
pub fn scratch_dir() -> PathBuf {
    std::env::temp_dir().join(format!("{SCRATCH_PREFIX}{}", std::process::id()))
}

/// Where the charts and data of a sweep wait until every one of them is made: a failed or
/// interrupted sweep leaves the previous set in `out` as it was, never half of each.
pub fn staging_dir(out: &Path) -> PathBuf {
    out.join(format!(".sweep-{}", std::process::id()))
}

/// The whole sweep: measure, chart and write the data into a staging folder, then move every
/// file into `settings.out` at once.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    // Claimed for this run: a second sweep into the same folder is refused.
    harness::cli::out_dir(&settings.out)?;
    let staging = Scratch::new(staging_dir(&settings.out))?;
    let staged = Settings {
        out: staging.0.clone(),
        ..settings.clone()
    };
    sweep(&staged)?;
    harness::stop::check()?; // a sweep cut short writes nothing
    let moves = std::fs::read_dir(&staging.0)?
        .map(|entry| {
            let from = entry?.path();
            let to = (settings.out).join(from.file_name().expect("a file in the folder"));
            Ok((from, to))
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    // Every file goes in, or none: a link, device or folder in the way is found first.
    for (_, to) in &moves {
        workload::check_output(to)?;
    }
    for (from, to) in moves {
        std::fs::rename(&from, &to).with_context(|| format!("cannot write {}", to.display()))?;
    }
    harness::outln!(
        "wrote the charts, the timelines, sweep.csv, summary.txt and machine.txt to {}",
        harness::cli::shown(&settings.out)
    )?;
    Ok(())
}

fn sweep(settings: &Settings) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut sizes = settings.mode.sizes();
    sizes.runs = settings.runs.unwrap_or(sizes.runs);
    let wanted = |name: &str| settings.wants(name);
    let machine = Machine::current();
    let stamp = stamp(settings, &machine, &sizes);
    harness::stale::remove_stale(&std::env::temp_dir(), SCRATCH_PREFIX);
    let scratch = Scratch::new(scratch_dir())?;
    let pools = (1..=settings.max_workers)
        .map(thread_pool_map::thread_pool)
        .collect::<Result<Vec<_>, _>>()
        .context("cannot start the thread pools")?;
    let tools = Tools {
        pools: &pools,
        scratch: &scratch.0,
        exe: &settings.exe,
        map_dir: &settings.map_dir,
    };
    let workers: Vec<usize> = (1..=settings.max_workers).collect();
    let mut chosen = Vec::new();
    for name in NAMES.into_iter().filter(|n| wanted(n)) {
        let workload = workloads::workload(name, &sizes, &tools)?.expect("a known name");
        chosen.push(workload);
    }
    let chunks = chunk_sizes(sizes.tiny_images.1, machine.logical_cores);
    let chunks = if wanted("granularity") {
        &chunks[..]
    } else {
        &[]
    };
    let steps = chosen.iter().map(|w| w.strategies.len()).sum::<usize>() * workers.len();
    let steps = (steps + chunks.len()) * (sizes.runs + 1) + usize::from(wanted("overhead"));
    let mut progress = Progress::new(steps);
    let mode = settings.mode.name();
    harness::outln!(
        "11-speedup-plots: {mode} sweep, 1 to {} workers",
        settings.max_workers
    )?;
    harness::outln!("machine: {machine}")?;
    if settings.mode == Mode::Full {
        let extras = (chunks, wanted("overhead"));
        let estimate = estimate(&mut chosen, &sizes, &workers, &tools, extras)?;
        harness::outln!("{estimate}")?;
    } else {
        harness::outln!(
            "quick sizes: about a minute on a 2-core machine (--full for steadier numbers)"
        )?;
    }

    let mut series: Vec<(String, Vec<Point>)> = Vec::new();
    for workload in &mut chosen {
        progress.stage(workload.name);
        let points = scale(workload, settings, &sizes, &workers, &mut progress)?;
        let path = settings.out.join(format!("scaling-{}.svg", workload.name));
        let title = format!("{}: {}", workload.name, workload.what);
        chart::scaling(&path, &title, &points, &stamp)?;
        series.push((workload.name.to_owned(), points));
    }
    if !chunks.is_empty() {
        progress.stage("granularity");
        let points = granularity(&sizes, &tools, chunks, &stamp, settings, &mut progress)?;
        series.push(("granularity".into(), points));
    }
    if wanted("overhead") {
        progress.stage("overhead");
        let points = overhead(&sizes, &tools)?;
        progress.step();
        let title = format!(
            "what starting a unit of work costs: a thread, a process, a queued task ({} samples)",
            sizes.samples
        );
        chart::overhead(&settings.out.join("overhead.svg"), &title, &points, &stamp)?;
        series.push(("overhead".into(), points));
    }
    progress.finish();
    let machine_text = describe(&machine, &stamp, &sizes, settings, &chosen);
    write_results(settings, &series, &machine_text, &stamp, &sizes, started)
}

/// The line under every chart: the machine, the date, the kind of run and the label.
fn stamp(settings: &Settings, machine: &Machine, sizes: &Sizes) -> Stamp {
    let label = settings.label.as_ref();
    Stamp {
        text: format!(
            "{machine}; {}; {} run, median and min - max of {} runs{}",
            utc_date(),
            settings.mode.name(),
            sizes.runs,
            label.map_or(String::new(), |l| format!("; {l}"))
        ),
        logical: machine.logical_cores,
        physical: machine.physical_cores,
    }
}

/// One workload's strategies at every number of workers, its first round of each recorded
/// on a timeline; on the heavy grid, demo 12's MPI ranks too where `mpirun` is there.
fn scale(
    workload: &mut workloads::Workload,
    settings: &Settings,
    sizes: &Sizes,
    workers: &[usize],
    progress: &mut Progress,
) -> anyhow::Result<Vec<Point>> {
    let timeline = settings
        .out
        .join(format!("timeline-{}.json", workload.name));
    harness::timeline::ask(timeline);
    let measured = measure(&mut workload.strategies, workers, sizes.runs, progress);
    if measured.is_ok() && harness::timeline::any_spans() {
        harness::timeline::write()?;
    }
    harness::timeline::forget();
    let mut points = measured?;
    if workload.name == "heavy-grid" {
        points.extend(mpi_ranks::sweep(settings, sizes.grid, workers, sizes.runs));
    }
    Ok(points)
}

/// Write the numbers, the machine's description and the summary (which is also printed).
fn write_results(
    settings: &Settings,
    series: &[(String, Vec<Point>)],
    machine_text: &str,
    stamp: &Stamp,
    sizes: &Sizes,
    started: Instant,
) -> anyhow::Result<()> {
    let write = |name: &str, text: &str| {
        let path = settings.out.join(name);
        workload::write_whole(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))
    };
    write("sweep.csv", &data::csv(series))?;
    write("machine.txt", machine_text)?;
    let summary = format!(
        "{}: {} sweep, 1 to {} workers, {} runs per point\n{}\nthe sweep took {}\n",
        stamp.text.split(';').next().unwrap_or_default(),
        settings.mode.name(),
        settings.max_workers,
        sizes.runs,
        summary(series, stamp),
        harness::report::seconds(started.elapsed())
    );
    write("summary.txt", &summary)?;
    harness::outln!("{summary}")?;
    Ok(())
}

/// Images per task from 1 up to one task per worker, doubling.
pub fn chunk_sizes(count: usize, workers: usize) -> Vec<usize> {
    let per_worker = count.div_ceil(workers.max(1)).max(1);
    let mut sizes: Vec<usize> = std::iter::successors(Some(1), |&c| Some(c * 2))
        .take_while(|&c| c < per_worker)
        .collect();
    sizes.push(per_worker);
    sizes
}

fn granularity(
    sizes: &Sizes,
    tools: &Tools,
    chunks: &[usize],
    stamp: &Stamp,
    settings: &Settings,
    progress: &mut Progress,
) -> anyhow::Result<Vec<Point>> {
    let (size, count) = sizes.tiny_images;
    let dir = harness::cli::image_dir(&tools.scratch.join("granularity"))?;
    let workers = stamp.logical.min(tools.pools.len());
    let mut strategies: Vec<Strategy> = chunks
        .iter()
        .map(|&chunk| {
            let dir = dir.clone();
            Strategy::new(format!("{chunk} per task"), move |n, _| {
                let split = thread_pool_map::Split::Chunks(chunk);
                Ok(split.write(tools.pool(n), &dir, size, count)?.len() as u64)
            })
        })
        .collect();
    let points = measure(&mut strategies, &[workers], sizes.runs, progress)?;
    let by_chunk: Vec<(usize, &Point)> = chunks.iter().copied().zip(&points).collect();
    let title =
        format!("granularity: {count} images of {size} pixels on {workers} threads (demo 03)");
    chart::granularity(
        &settings.out.join("granularity.svg"),
        &title,
        &by_chunk,
        stamp,
    )?;
    Ok(points)
}

fn overhead(sizes: &Sizes, tools: &Tools) -> anyhow::Result<Vec<Point>> {
    let samples = sizes.samples;
    let named = |name: &str, mut point: Point| {
        point.strategy = name.to_owned();
        point
    };
    let thread = sample(samples, || {
        let start = Instant::now();
        std::thread::spawn(|| ())
            .join()
            .map_err(|_| anyhow::anyhow!("the thread panicked"))?;
        Ok(start.elapsed())
    })?;
    let process = sample(samples, || {
        process_spawn::spawn_and_wait(&mut Role::Nothing.command(tools.exe))
    })?;
    // The queue's cost per task: many trivial tasks through the channels, divided.
    let tasks = 10_000;
    let workers = tools.pools.len().min(harness::machine::logical_cores());
    let queue = task_queue::Queue::new(workers, 64);
    let dispatch = sample(samples.div_ceil(10), || {
        let start = Instant::now();
        task_queue::trivial_queue(&queue, tasks)?;
        Ok(start.elapsed() / tasks as u32)
    })?;
    Ok(vec![
        named("thread spawn + join", thread),
        named("process spawn + wait (04)", process),
        named("task through the queue (05)", dispatch),
    ])
}

/// Full mode: how long the sweep will take. Each strategy runs once on one worker and once
/// on every core; a point in between is taken to cost the larger of perfect scaling and the
/// all-cores time (a memory-bound fill stops gaining early, waiting tasks gain past the
/// cores: the guess errs long). The granularity and overhead charts are timed the same way.
fn estimate(
    chosen: &mut [workloads::Workload],
    sizes: &Sizes,
    workers: &[usize],
    tools: &Tools,
    extras: (&[usize], bool),
) -> anyhow::Result<String> {
    let timed = |run: &mut dyn FnMut() -> anyhow::Result<()>| {
        let start = Instant::now();
        run().map(|()| start.elapsed().as_secs_f64())
    };
    let cores = harness::machine::logical_cores().min(tools.pools.len());
    let rounds = (sizes.runs + 1) as f64;
    let mut secs = 0.0;
    for strategy in chosen.iter_mut().flat_map(|w| w.strategies.iter_mut()) {
        let mut on = |n| timed(&mut || (strategy.run)(n, false).map(drop));
        let (Ok(one), Ok(all)) = (on(1), on(cores)) else {
            continue; // it fails: the sweep will record that at once
        };
        secs += rounds
            * workers
                .iter()
                .map(|&n| (one / n as f64).max(all))
                .sum::<f64>();
    }
    let (chunks, overhead) = extras;
    if !chunks.is_empty() {
        let (size, count) = sizes.tiny_images;
        let dir = harness::cli::image_dir(&tools.scratch.join("granularity"))?;
        let per_item = thread_pool_map::Split::Chunks(1);
        let one = timed(&mut || {
            Ok(per_item
                .write(tools.pool(cores), &dir, size, count)
                .map(drop)?)
        })?;
        secs += rounds * chunks.len() as f64 * one;
    }
    if overhead {
        let spawn = || process_spawn::spawn_and_wait(&mut Role::Nothing.command(tools.exe));
        let one = timed(&mut || spawn().map(drop))?;
        secs += 2.0 * sizes.samples as f64 * one; // processes, and about as long for the rest
    }
    let about = if secs < 120.0 {
        format!("{:.0} seconds", (secs / 10.0).ceil() * 10.0)
    } else {
        format!("{:.0} minutes", (secs / 60.0).ceil())
    };
    Ok(format!(
        "estimate: about {about} (from a run of each strategy on 1 and on {cores} workers)"
    ))
}

/// Speedup at 2 workers, the fitted serial fraction and how busy the 2 workers were (CPU time
/// over wall time x workers), per workload and strategy.
pub fn summary(series: &[(String, Vec<Point>)], stamp: &Stamp) -> String {
    let workloads = || series.iter().filter(|(w, _)| !EXTRAS.contains(&w.as_str()));
    let names = workloads().flat_map(|(_, points)| points.iter().map(|p| p.strategy.len()));
    let width = names.max().unwrap_or(0).max("strategy".len());
    let kinds = workloads()
        .map(|(w, _)| w.len())
        .chain(["workload".len()])
        .max();
    let kinds = kinds.unwrap_or(0); // the width of the workload column
    let mut out = format!(
        "\n{:<kinds$} {:<width$} {:>12}   {:>15}   {:>9}\n",
        "workload", "strategy", "speedup at 2", "serial fraction", "busy at 2"
    );
    for (workload, points) in workloads() {
        for (strategy, fit) in chart::fits(points, stamp) {
            let median = |n: usize| {
                let point = points
                    .iter()
                    .find(|p| p.strategy == strategy && p.workers == n)?;
                Some(point.timing()?.median().as_secs_f64())
            };
            let swept_two = points.iter().any(|p| p.workers == 2);
            let speedup = match (median(1), median(2)) {
                (Some(one), Some(two)) => format!("{:.2}x", one / two),
                _ if !swept_two => "-".into(),
                _ => "failed".into(),
            };
            let serial = fit.map_or("-".into(), |f| format!("{:.3}", f.serial));
            let busy = points
                .iter()
                .find(|p| p.strategy == strategy && p.workers == 2)
                .and_then(Point::busy)
                .map_or("-".into(), |b| format!("{:.0}%", b * 100.0));
            let _ = writeln!(
                out,
                "{workload:<kinds$} {strategy:<width$} {speedup:>12}   {serial:>15}   {busy:>9}"
            );
        }
    }
    out
}

fn describe(
    machine: &Machine,
    stamp: &Stamp,
    sizes: &Sizes,
    settings: &Settings,
    chosen: &[workloads::Workload],
) -> String {
    let memory = harness::machine::memory_bytes().map_or("unknown".into(), |b| {
        format!("{:.1} GiB", b as f64 / f64::from(1 << 30))
    });
    let physical = machine.physical_cores;
    let mut text = format!(
        "cpu: {}\nlogical cores: {}\nphysical cores: {}\nos: {}\nmemory: {memory}\ndate: {}\n\
         mode: {}\nworkers: 1 to {}\nruns per point: {} after one warm-up\n",
        machine.cpu,
        machine.logical_cores,
        physical.map_or("unknown".into(), |p| p.to_string()),
        machine.os,
        utc_date(),
        settings.mode.name(),
        settings.max_workers,
        sizes.runs,
    );
    for workload in chosen {
        let _ = writeln!(text, "{}: {}", workload.name, workload.what);
    }
    let (size, count) = sizes.tiny_images;
    if settings.wants("granularity") {
        let _ = writeln!(text, "granularity: {count} images of {size} pixels");
    }
    if settings.wants("overhead") {
        let _ = writeln!(text, "overhead: {} samples of each cost", sizes.samples);
    }
    text + &format!("stamp: {}\n", stamp.text)
}

/// Today's date in UTC, `YYYY-MM-DD`, from the system clock.
pub fn utc_date() -> String {
    utc_date_at(jiff::Timestamp::now())
}

fn utc_date_at(now: jiff::Timestamp) -> String {
    jiff::tz::TimeZone::UTC.to_datetime(now).date().to_string()
}

/// Where the figures go unless `--out` says: the book's `src/figures`, found from the
/// binary's place in `target/` (so it works from any directory).
pub fn default_out() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().ok();
    let root = exe.as_deref().and_then(|e| e.parent()?.parent()?.parent());
    match root {
        Some(root) if root.join("book.toml").is_file() => Ok(root.join("src/figures")),
        _ => anyhow::bail!(
            "this binary is not in the workbook's target folder, so there is no book to put the \
             charts in: say where with --out DIR"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_days() {
        let day = |secs| utc_date_at(jiff::Timestamp::from_second(secs).unwrap());
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(19_782 * 86_400 + 86_399), "2024-02-29");
        assert_eq!(day(20_779 * 86_400), "2026-11-22");
    }

    #[test]
    fn chunks_go_from_one_item_to_one_worker() {
        assert_eq!(chunk_sizes(512, 2), [1, 2, 4, 8, 16, 32, 64, 128, 256]);
        assert_eq!(chunk_sizes(10, 4), [1, 2, 3]);
        assert_eq!(chunk_sizes(1, 4), [1]);
    }
}
