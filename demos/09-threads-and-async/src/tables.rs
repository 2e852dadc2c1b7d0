//! The side-by-side runs the demo prints: the five strategies at one number of requests, with
//! what each cost in threads and memory.

use std::cell::RefCell;
use std::time::Duration;

use harness::report::{Contender, Table, compare, seconds};

use crate::costs::{Held, Peaks, measure, mib};
use crate::protocol::expected;
use crate::strategies::{pool, serial, tasks, tasks_limited, thread_per_request};
use crate::{Settings, Target};

/// One strategy's result at one number of requests, for the chart and the summary.
#[derive(Clone, Debug)]
pub struct Point {
    pub strategy: &'static str,
    pub requests: usize,
    pub median: Duration,
    pub peaks: Peaks,
}

/// Why a strategy was not run at this size, if it was not.
fn left_out(settings: &Settings, strategy: &str, count: usize) -> Option<String> {
    let rounds = |at_once: usize| count.div_ceil(at_once.max(1));
    let waits = match strategy {
        SERIAL => count,
        THREADS if count as u64 > settings.max_threads.0 => {
            let (most, why) = &settings.max_threads;
            return Some(format!(
                "refused before any thread started: {count} threads, and {why} allows {most}"
            ));
        }
        POOL => rounds(settings.pool),
        LIMITED => rounds(settings.limit),
        _ => 1.min(count),
    };
    let alone = settings.delay.mul_f64(waits as f64);
    (alone > settings.longest).then(|| {
        format!(
            "left out: its {waits} waits one after another alone would take {} (over --longest-s {})",
            seconds(alone),
            settings.longest.as_secs()
        )
    })
}

const SERIAL: &str = "serial loop";
const THREADS: &str = "one thread per request";
const POOL: &str = "pool of threads";
const TASKS: &str = "tokio tasks (JoinSet)";
const LIMITED: &str = "tokio tasks, Semaphore";

/// Every strategy that fits, `count` requests each, `runs` times; every answer checked, and
/// every thread and descriptor given back after each run. The table, a line per strategy
/// left out, and the points for the chart.
pub fn requests_table(
    settings: &Settings,
    target: Target,
    count: usize,
) -> anyhow::Result<(Table, Vec<String>, Vec<Point>)> {
    let all = strategies(settings, target, count);
    let want = expected(count);
    let peaks = RefCell::new(Vec::new());
    let mut skipped = Vec::new();
    let mut contenders = Vec::new();
    for (name, threads, run) in all {
        if let Some(why) = left_out(settings, name, count) {
            skipped.push(format!("{}: {why}", label(settings, name)));
            continue;
        }
        let (want, peaks) = (&want, &peaks);
        let slot = peaks.borrow().len();
        peaks.borrow_mut().push((name, Peaks::default()));
        contenders.push(Contender::new(label(settings, name), threads, move || {
            let held = Held::now();
            let (answers, seen) = measure(&run);
            let answers = answers?;
            held.check_back(name)?;
            anyhow::ensure!(answers == *want, "{name}: some answers are wrong");
            let mut peaks = peaks.borrow_mut();
            let most = &mut peaks[slot].1;
            let threads = most.threads.max(seen.threads);
            if most.added() <= seen.added() {
                *most = seen;
            }
            most.threads = threads;
            anyhow::Ok(answers)
        }));
    }
    let title = format!(
        "{count} requests, each answered after {}",
        seconds(settings.delay)
    );
    let held = Held::now();
    let table = compare(&title, count, settings.runs, contenders, |a, b| {
        anyhow::Ok(a == b)
    })?;
    table.ensure_identical()?;
    skipped.push(format!(
        "after every run, as before it: {} threads, {} open descriptors",
        held.threads, held.fds
    ));
    let points = peaks
        .into_inner()
        .into_iter()
        .zip(&table.rows)
        .map(|((strategy, peaks), row)| Point {
            strategy,
            requests: count,
            median: row.timing.median(),
            peaks,
        })
        .collect();
    Ok((table, skipped, points))
}

/// A request strategy's run: the answers it got, in request order.
type Run<'a> = Box<dyn Fn() -> anyhow::Result<Vec<u64>> + 'a>;

/// The five strategies, each with its name and worker count, making `count` requests.
fn strategies(
    settings: &Settings,
    target: Target,
    count: usize,
) -> [(&'static str, usize, Run<'static>); 5] {
    let (pool_size, workers, limit) = (settings.pool, settings.workers, settings.limit);
    [
        (SERIAL, 1, Box::new(move || Ok(serial(target, count)?))),
        (
            THREADS,
            count,
            Box::new(move || thread_per_request(target, count)),
        ),
        (
            POOL,
            pool_size,
            Box::new(move || Ok(pool(target, count, pool_size)?)),
        ),
        (
            TASKS,
            workers,
            Box::new(move || tasks(target, count, workers)),
        ),
        (
            LIMITED,
            workers,
            Box::new(move || tasks_limited(target, count, workers, limit)),
        ),
    ]
}

/// The row's name as the table shows it, with its size where it has one.
fn label(settings: &Settings, name: &str) -> String {
    match name {
        POOL => format!("pool of {} threads", settings.pool),
        LIMITED => format!("tokio tasks, {} at once (Semaphore)", settings.limit),
        _ => name.to_owned(),
    }
}

/// The peaks of each row, under its table.
pub fn peaks_lines(points: &[Point]) -> String {
    let width = points.iter().map(|p| p.strategy.len()).max().unwrap_or(0);
    let mut text = format!(
        "{:<width$}  {:>11}  {:>12}  {:>12}\n",
        "at the peak of a run", "OS threads", "resident", "added by run"
    );
    for p in points {
        let (rss, added) = (p.peaks.rss, p.peaks.added());
        text.push_str(&format!(
            "{:<width$}  {:>11}  {:>12}  {:>12}\n",
            p.strategy,
            p.peaks.threads,
            rss.map_or("-".into(), mib),
            added.map_or("-".into(), mib),
        ));
    }
    text
}

/// The names the chart and the summary look points up by.
pub const NAMES: [&str; 5] = [SERIAL, THREADS, POOL, TASKS, LIMITED];
