//! The demo's run as a whole: what `main` calls once the command line is checked.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use harness::report::{Contender, compare, header, seconds};

use crate::costs::{Held, mib};
use crate::pitfalls::one_thread_and_a_blocking_call;
use crate::pitfalls::{Blocking, Compute, Event, Log, compute_beside_requests, heavy};
use crate::tables::{Point, peaks_lines, requests_table};
use crate::{Fault, Server, ServerJob, Target};

/// What a run does, checked.
pub struct Settings {
    /// The numbers of requests, one table each.
    pub requests: Vec<usize>,
    pub delay: Duration,
    /// Threads of the fixed pool.
    pub pool: usize,
    /// Threads of each tokio runtime.
    pub workers: usize,
    /// Requests at once under the semaphore.
    pub limit: usize,
    pub patience: Duration,
    /// A strategy whose waits alone would take longer is left out.
    pub longest: Duration,
    /// The most threads one strategy may start, and what sets it.
    pub max_threads: (u64, String),
    pub port: u16,
    pub fault: Option<Fault>,
    pub pitfalls: bool,
    pub runs: usize,
    pub out: PathBuf,
    /// What limits the machine sets, for the header.
    pub limits: String,
}

pub fn run(settings: &Settings) -> anyhow::Result<()> {
    if settings.requests.len() > 1 {
        // The chart goes there: claimed before any work, so two runs never share it.
        harness::cli::out_dir(&settings.out)?;
    }
    let most = settings.requests.iter().copied().max().unwrap_or(0);
    let job = ServerJob {
        port: settings.port,
        backlog: u32::try_from(most + 64).unwrap_or(u32::MAX),
        delay: settings.delay,
        fault: settings.fault,
    };
    let server = Server::start(&std::env::current_exe()?, job)?;
    let target = Target {
        addr: server.addr,
        patience: settings.patience,
    };
    let work = format!(
        "requests over TCP to a server of its own on {} (pid {}), answering each after {}",
        server.addr,
        server.pid,
        seconds(settings.delay)
    );
    harness::outln!(
        "{}",
        header("09-threads-and-async", &work, settings.runs).trim_end()
    )?;
    harness::outln!("{}\n", settings.limits)?;
    let mut points = Vec::new();
    for &count in &settings.requests {
        let (table, skipped, mut more) = requests_table(settings, target, count)?;
        harness::outln!("{table}")?;
        for line in skipped {
            harness::outln!("{line}")?;
        }
        harness::outln!("{}", peaks_lines(&more))?;
        points.append(&mut more);
    }
    if !points.is_empty() && settings.requests.len() > 1 {
        let file = crate::chart::write(&settings.out, &points, settings.delay)?;
        harness::outln!(
            "chart of time and memory against requests: {}",
            harness::cli::shown(&file)
        )?;
    }
    if let Some(line) = summary(&points, settings.delay) {
        harness::outln!("{line}\n")?;
    }
    if settings.pitfalls {
        blocked(settings, target)?;
        computing(settings, target)?;
    }
    drop(server);
    Ok(())
}

/// At the largest size: tokio's time against one wait, and its memory against one thread per
/// request.
fn summary(points: &[Point], delay: Duration) -> Option<String> {
    let most = points.iter().map(|p| p.requests).max()?;
    let find = |name: &str| {
        points
            .iter()
            .find(|p| p.requests == most && p.strategy == name)
    };
    let tasks = find(crate::tables::NAMES[3])?;
    let mut line = format!(
        "at {most} requests, tokio tasks took {}: {:.2} times one wait",
        seconds(tasks.median),
        tasks.median.as_secs_f64() / delay.as_secs_f64().max(1e-9)
    );
    if let Some(threads) = find(crate::tables::NAMES[1])
        && let (Some(a), Some(b)) = (threads.peaks.added(), tasks.peaks.added())
    {
        line += &format!(
            "; it added {} to resident memory at its peak, one thread per request {} ({:.1}x more)",
            mib(b),
            mib(a),
            a as f64 / b.max(1) as f64
        );
    }
    Some(line)
}

/// Pitfall 1: a blocking call inside a task, on a runtime of one thread, and the fix.
fn blocked(settings: &Settings, target: Target) -> anyhow::Result<()> {
    const OTHERS: usize = 8;
    let block_for = settings.delay * 5;
    let logs = [Arc::new(Log::default()), Arc::new(Log::default())];
    let started = std::cell::Cell::new([Instant::now(); 2]);
    let contender = |name, how, k: usize| {
        let (log, started) = (Arc::clone(&logs[k]), &started);
        Contender::new(name, 1, move || {
            let held = Held::now();
            let mut at = started.get();
            at[k] = Instant::now();
            started.set(at);
            let sleep = move || std::thread::sleep(block_for);
            let answers = one_thread_and_a_blocking_call(target, OTHERS, how, sleep, &log)?;
            held.check_back(name)?;
            anyhow::ensure!(
                answers == crate::protocol::expected(OTHERS),
                "{name}: wrong answers"
            );
            anyhow::Ok(answers)
        })
    };
    let contenders = vec![
        contender("std::thread::sleep in a task", Blocking::InTask, 0),
        contender("the sleep in spawn_blocking", Blocking::SpawnBlocking, 1),
    ];
    let title = format!(
        "pitfall: a task that blocks for {} beside {OTHERS} requests, on a runtime of one thread",
        seconds(block_for)
    );
    let table = compare(&title, OTHERS + 1, 1, contenders, |a, b| anyhow::Ok(a == b))?;
    table.ensure_identical()?;
    harness::outln!("{table}")?;
    for (k, log) in logs.iter().enumerate() {
        let since = |event: &(Event, Instant)| event.1.saturating_duration_since(started.get()[k]);
        let events = log.events();
        let answered = events
            .iter()
            .filter(|e| e.0 != Event::Released)
            .map(since)
            .max();
        let released = events
            .iter()
            .filter(|e| e.0 == Event::Released)
            .map(since)
            .max();
        harness::outln!(
            "  {}: the {OTHERS} requests all answered after {}, the blocking call returned after {}",
            table.rows[k].strategy,
            answered.map_or("-".into(), seconds),
            released.map_or("-".into(), seconds)
        )?;
    }
    harness::outln!("")?;
    Ok(())
}

/// Pitfall 2: computing inside tasks gains nothing; rayon does it, the tasks await it.
fn computing(settings: &Settings, target: Target) -> anyhow::Result<()> {
    let workers = settings.workers;
    let (jobs, cols, rounds) = (4 * workers, 400, 60_000);
    let requests = 16;
    let latency = std::cell::Cell::new([Duration::ZERO; 2]);
    let contender = |name, how: Option<Compute>, k: usize| {
        let latency = &latency;
        Contender::new(name, if how.is_some() { workers } else { 1 }, move || {
            let held = Held::now();
            let sums = match how {
                None => (0..jobs as u64)
                    .map(|job| heavy(job, cols, rounds))
                    .collect(),
                Some(how) => {
                    let shape = (jobs, cols, rounds);
                    let (sums, seen) =
                        compute_beside_requests(target, shape, requests, workers, how)?;
                    let mut all = latency.get();
                    all[k] = all[k].max(seen.slowest_answer);
                    latency.set(all);
                    sums
                }
            };
            held.check_back(name)?;
            anyhow::Ok(sums)
        })
    };
    let contenders = vec![
        contender("serial loop, no async", None, 0),
        contender("computed inside tokio tasks", Some(Compute::InTask), 0),
        contender(
            "on rayon, awaited through a oneshot",
            Some(Compute::OnRayon),
            1,
        ),
    ];
    let title = format!(
        "pitfall: {jobs} CPU-bound jobs, with {requests} requests made meanwhile on the same runtime"
    );
    let table = compare(&title, jobs, settings.runs, contenders, |a, b| {
        anyhow::Ok(a == b)
    })?;
    table.ensure_identical()?;
    harness::outln!("{table}")?;
    let [inline, rayon] = latency.get();
    harness::outln!(
        "  the slowest of the {requests} requests (each answered after {}) waited {} with the jobs in the tasks, {} with them on rayon",
        seconds(settings.delay),
        seconds(inline),
        seconds(rayon)
    )?;
    Ok(())
}
