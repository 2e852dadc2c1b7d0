//! The side-by-side runs the binary prints, and the lines that explain them.

use harness::report::{Contender, Table, compare};
use workload::grid::Grid;

use crate::{Queue, Tally, Task, grid_queue, grid_serial, grid_static, static_shares};
use crate::{trivial_queue, trivial_serial};

/// The grid done serially, split statically, and through the queue, each `runs` times; checked
/// equal to the serial rows. Also returns the queue's tally from its last run.
pub fn grid_table(grid: Grid, queue: &Queue, runs: usize) -> anyhow::Result<(Table, Tally)> {
    let workers = queue.workers;
    let mut tally = Tally::default();
    let contenders: Vec<Contender<'_, Vec<u64>, anyhow::Error>> = vec![
        Contender::new("serial loop", 1, || Ok(grid_serial(&grid))),
        Contender::new("static split, 1 block per worker", workers, || {
            Ok(grid_static(&grid, workers))
        }),
        Contender::new("task queue, 1 row per task", workers, || {
            let (sums, run) = grid_queue(grid, queue)?;
            tally = run;
            Ok(sums)
        }),
    ];
    let title = format!("heavy grid: {grid}");
    let table = compare(&title, grid.rows, runs, contenders, |a, b| {
        Ok::<_, anyhow::Error>(a == b)
    })?;
    table.ensure_identical()?;
    Ok((table, tally))
}

/// Which rows each worker of the static split gets, its share of the work, and the best
/// speedup that split allows: the whole work over the largest share.
pub fn static_split_line(grid: &Grid, workers: usize) -> String {
    let shares = static_shares(grid, workers);
    let largest = shares.iter().map(|(_, share)| *share).fold(0.0, f64::max);
    let each: Vec<String> = shares
        .iter()
        .enumerate()
        .map(|(w, (rows, share))| format!("worker {w} rows {rows:?} ({:.0}%)", share * 100.0))
        .collect();
    format!(
        "static split: {}; so at best {:.2}x",
        each.join(", "),
        1.0 / largest.max(f64::MIN_POSITIVE)
    )
}

/// `count` trivial tasks in a loop and through the queue; checked equal. Also returns the
/// queue's tally from its last run.
pub fn trivial_table(queue: &Queue, count: u64, runs: usize) -> anyhow::Result<(Table, Tally)> {
    let mut tally = Tally::default();
    let contenders: Vec<Contender<'_, u64, anyhow::Error>> = vec![
        Contender::new("serial loop", 1, || Ok(trivial_serial(count))),
        Contender::new("task queue", queue.workers, || {
            let (sum, run) = trivial_queue(queue, count)?;
            tally = run;
            Ok(sum)
        }),
    ];
    let title = format!("{count} trivial tasks: what the queue itself costs");
    let table = compare(&title, count as usize, runs, contenders, |a, b| {
        Ok::<_, anyhow::Error>(a == b)
    })?;
    table.ensure_identical()?;
    Ok((table, tally))
}

/// Tasks per second through the queue (the median run of the table's queue row), and what
/// the tasks would take in memory if the queue had no bound.
pub fn throughput_lines(table: &Table, count: u64, capacity: usize) -> String {
    let per_task = table.rows[1].timing.median().as_secs_f64() / count.max(1) as f64;
    let slot = size_of::<(usize, Task)>();
    let mib = |tasks: usize| (slot * tasks) as f64 / f64::from(1 << 20);
    format!(
        "through the queue: {:.1} million tasks/s, {:.0} ns per task\n\
         a queued task takes {slot} bytes: bounded({capacity}) holds {:.2} MiB at most, \
         an unbounded queue up to all {count} tasks: {:.0} MiB",
        1e-6 / per_task,
        per_task * 1e9,
        mib(capacity),
        mib(count as usize),
    )
}
