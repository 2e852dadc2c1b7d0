//! Solutions to the exercises of chapter 12. They need no `mpirun`: each is the part of an MPI
//! program that decides who does what, or what a measurement means.
#![forbid(unsafe_code)]

use std::ops::Range;
use std::time::Duration;

use crate::shares::Shares;

// ANCHOR: dealt_rows
/// Exercise 12.1: deal the rows out like cards, row r to rank r % ranks, so that a skewed
/// grid's expensive rows are spread over every rank. These are the rows of `rank`.
pub fn dealt_rows(total: usize, ranks: usize, rank: usize) -> impl Iterator<Item = usize> {
    (rank..total).step_by(ranks)
}

/// A varcount gather puts rank 0's rows first, then rank 1's, and so on. Put them back in
/// row order: row r is the (r / ranks)-th row of rank r % ranks.
pub fn undeal<T: Copy>(gathered: &[T], ranks: usize) -> Vec<T> {
    let shares: Vec<usize> = (0..ranks)
        .map(|rank| dealt_rows(gathered.len(), ranks, rank).count())
        .collect();
    let starts: Vec<usize> = shares
        .iter()
        .scan(0, |next, &n| Some(std::mem::replace(next, *next + n)))
        .collect();
    (0..gathered.len())
        .map(|row| gathered[starts[row % ranks] + row / ranks])
        .collect()
}
// ANCHOR_END: dealt_rows

// ANCHOR: fit
/// Exercise 12.2: fit `time = latency + bytes / bandwidth` to the ping-pong's one-way times
/// by least squares; returns the latency and the bandwidth in bytes per second.
pub fn fit(trips: &[(usize, Duration)]) -> Option<(Duration, f64)> {
    let n = trips.len() as f64;
    let (xs, ys): (Vec<f64>, Vec<f64>) = trips
        .iter()
        .map(|&(b, t)| (b as f64, t.as_secs_f64()))
        .unzip();
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let slope = sxy / sxx; // seconds per byte
    let latency = my - slope * mx;
    (slope > 0.0 && latency >= 0.0).then(|| (Duration::from_secs_f64(latency), 1.0 / slope))
}

/// The message size at which half the time is latency: smaller messages are latency bound.
pub fn half_way_bytes(latency: Duration, bandwidth: f64) -> f64 {
    latency.as_secs_f64() * bandwidth
}
// ANCHOR_END: fit

// ANCHOR: job_array
/// Exercise 12.3: when the tasks are independent, a Slurm job array needs no MPI at all. Each
/// array task reads its index and the task count from the environment and takes its share.
pub fn array_share(
    total: usize,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Range<usize>, String> {
    let number = |name: &str| -> Result<usize, String> {
        let text = var(name).ok_or_else(|| format!("{name} is not set: not in a job array?"))?;
        text.parse()
            .map_err(|_| format!("{name}={text} is not a whole number"))
    };
    let (task, tasks) = (
        number("SLURM_ARRAY_TASK_ID")?,
        number("SLURM_ARRAY_TASK_COUNT")?,
    );
    if task >= tasks {
        return Err(format!(
            "task {task} of {tasks}: ids must start at 0 (--array=0-{})",
            tasks.max(1) - 1
        ));
    }
    Ok(Shares {
        total,
        ranks: tasks,
    }
    .range(task))
}
// ANCHOR_END: job_array

#[cfg(test)]
mod tests {
    use super::*;
    use workload::grid::{Grid, Skew};

    #[test]
    fn dealt_rows_gathered_and_undealt_give_the_serial_grid() {
        let grid = Grid {
            rows: 23,
            cols: 4,
            iterations: 60,
            skew: Skew::Linear,
        };
        let serial: Vec<u64> = (0..grid.rows).map(|r| grid.row(r)).collect();
        for ranks in 1..6 {
            // What a gather in rank order would hold.
            let gathered: Vec<u64> = (0..ranks)
                .flat_map(|rank| dealt_rows(grid.rows, ranks, rank))
                .map(|r| grid.row(r))
                .collect();
            assert_eq!(undeal(&gathered, ranks), serial, "{ranks} ranks");
        }
        // The skew is spread: the last rows are no longer all on the last rank.
        let cost = |rank| {
            dealt_rows(grid.rows, 3, rank)
                .map(|r| grid.iterations_for(r))
                .sum::<u64>()
        };
        let (low, high) = (
            (0..3).map(cost).min().unwrap(),
            (0..3).map(cost).max().unwrap(),
        );
        assert!(high as f64 / low as f64 <= 1.2, "{low} - {high}");
    }

    #[test]
    fn the_fit_finds_latency_and_bandwidth() {
        let (latency, bandwidth) = (Duration::from_nanos(500), 5e9);
        let trips: Vec<_> = [8usize, 1 << 10, 1 << 16, 1 << 20]
            .into_iter()
            .map(|b| (b, latency + Duration::from_secs_f64(b as f64 / bandwidth)))
            .collect();
        let (l, b) = fit(&trips).unwrap();
        assert!((l.as_secs_f64() - 5e-7).abs() < 1e-8, "{l:?}");
        assert!((b / bandwidth - 1.0).abs() < 1e-3, "{b}");
        assert!((half_way_bytes(l, b) - 2500.0).abs() < 50.0);
        assert_eq!(
            fit(&[(8, latency), (16, latency / 2)]),
            None,
            "faster for more bytes"
        );
    }

    #[test]
    fn array_tasks_share_the_work_and_bad_settings_are_named() {
        let env = |id: &'static str, count: &'static str| {
            move |name: &str| match name {
                "SLURM_ARRAY_TASK_ID" => Some(id.to_owned()),
                "SLURM_ARRAY_TASK_COUNT" => Some(count.to_owned()),
                _ => None,
            }
        };
        assert_eq!(array_share(10, env("0", "3")), Ok(0..4));
        assert_eq!(array_share(10, env("2", "3")), Ok(7..10));
        assert!(
            array_share(10, env("3", "3"))
                .unwrap_err()
                .contains("start at 0")
        );
        assert!(
            array_share(10, env("x", "3"))
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(array_share(10, |_| None).unwrap_err().contains("not set"));
    }
}
