//! Timing every strategy at every worker count: warm-up, then repeated runs taken in turns,
//! and a failure recorded in place of a time.

use std::time::Duration;

use harness::report::{Meter, Spent, Timing};

use crate::progress::Progress;

/// One way of doing a workload's work. `run(workers, check)` does the work once with that many
/// workers; with `check` it also returns a digest of the result to compare across strategies
/// (only the warm-up asks for it, so the digest is never timed).
pub struct Strategy<'a> {
    pub name: String,
    pub run: Box<dyn FnMut(usize, bool) -> anyhow::Result<u64> + 'a>,
}

impl<'a> Strategy<'a> {
    pub fn new(
        name: impl Into<String>,
        run: impl FnMut(usize, bool) -> anyhow::Result<u64> + 'a,
    ) -> Self {
        Self {
            name: name.into(),
            run: Box::new(run),
        }
    }
}

/// What one strategy did at one worker count.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Point {
    pub strategy: String,
    pub workers: usize,
    /// Wall times of the measured runs (the warm-up is not among them).
    pub runs: Vec<Duration>,
    /// The CPU time (user + system, the sweep and its children) of each measured run, where
    /// it could be measured: empty, or as many as `runs`.
    pub cpu: Vec<Duration>,
    /// Why no time is shown: the run failed, or its result differed from the reference.
    pub failure: Option<String>,
}

impl Point {
    /// Median, min and max; `None` for a failed point.
    pub fn timing(&self) -> Option<Timing> {
        (self.failure.is_none() && !self.runs.is_empty()).then(|| Timing::new(self.runs.clone()))
    }

    /// One measured run.
    pub fn push(&mut self, spent: Spent) {
        self.runs.push(spent.wall);
        match spent.cpu {
            Some(cpu) if self.cpu.len() + 1 == self.runs.len() => self.cpu.push(cpu),
            _ => self.cpu.clear(), // one run unmeasured: no CPU figure for the point
        }
    }

    /// Median, min and max of the CPU time per run; `None` where it was not measured.
    pub fn cpu_timing(&self) -> Option<Timing> {
        (self.timing().is_some() && self.cpu.len() == self.runs.len())
            .then(|| Timing::new(self.cpu.clone()))
    }

    /// How busy the workers were: median CPU time over median wall time times workers.
    pub fn busy(&self) -> Option<f64> {
        let wall = self.timing()?.median().as_secs_f64() * self.workers.max(1) as f64;
        Some(self.cpu_timing()?.median().as_secs_f64() / wall).filter(|b| b.is_finite())
    }
}

/// The most items per worker a sweep's timeline keeps.
const TIMELINE_SPANS: usize = 1 << 16;

/// Run every strategy at every worker count: one warm-up round that also checks each result
/// against the first strategy's on the fewest workers, then `runs` measured rounds. A round
/// visits every (strategy, workers) point once, so a slow spell on a shared machine hits them
/// all alike. A point that fails is recorded as failed and skipped in later rounds. Ctrl-C or
/// SIGTERM ends the sweep before the next run. Where a timeline was asked for
/// (`harness::timeline::ask`), the first measured run at the most workers is recorded (the
/// warm-up would show its check as idle time).
pub fn measure(
    strategies: &mut [Strategy<'_>],
    workers: &[usize],
    runs: usize,
    progress: &mut Progress,
) -> Result<Vec<Point>, harness::stop::Stopped> {
    let mut points: Vec<Point> = strategies
        .iter()
        .flat_map(|s| workers.iter().map(|&n| (s.name.clone(), n)))
        .map(|(strategy, workers)| Point {
            strategy,
            workers,
            runs: Vec::with_capacity(runs),
            ..Point::default()
        })
        .collect();
    let top = workers.iter().copied().max();
    // ANCHOR: measure
    let mut reference = None;
    for round in 0..=runs {
        let warm_up = round == 0;
        let mut point = points.iter_mut();
        for strategy in strategies.iter_mut() {
            for &n in workers {
                let point = point.next().expect("one point per strategy and count");
                progress.step();
                if point.failure.is_some() {
                    continue;
                }
                harness::stop::check()?;
                let timeline = (round == 1 && Some(n) == top).then_some(TIMELINE_SPANS);
                let meter = Meter::start(timeline); // wall and CPU time; a timeline if asked
                let outcome = (strategy.run)(n, warm_up);
                let spent = meter.stop_as("", &point.strategy);
                match outcome {
                    Err(err) => point.failure = Some(format!("{err:#}")),
                    Ok(digest) if warm_up => match reference {
                        None => reference = Some((digest, point.strategy.clone(), n)),
                        Some((expected, ref name, m)) if digest != expected => {
                            point.failure =
                                Some(format!("result differs from {name} on {m} workers"));
                        }
                        Some(_) => {}
                    },
                    Ok(_) => point.push(spent),
                }
            }
        }
    }
    // ANCHOR_END: measure
    Ok(points)
}

/// Time `f` `samples` times, after one warm-up call; Ctrl-C or SIGTERM ends it.
pub fn sample(
    samples: usize,
    mut f: impl FnMut() -> anyhow::Result<Duration>,
) -> Result<Point, harness::stop::Stopped> {
    let mut point = Point {
        strategy: String::new(),
        workers: 1,
        runs: Vec::with_capacity(samples),
        ..Point::default()
    };
    for round in 0..=samples {
        harness::stop::check()?;
        match f() {
            Err(err) => {
                point.failure = Some(format!("{err:#}"));
                break;
            }
            Ok(time) if round > 0 => point.runs.push(time),
            Ok(_) => {}
        }
    }
    Ok(point)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_and_wrong_results_are_recorded_not_timed() {
        let mut calls = Vec::new();
        let mut strategies = vec![
            Strategy::new("good", |_, _| Ok(7)),
            Strategy::new("fails on 2", |n, _| {
                anyhow::ensure!(n != 2, "no two");
                Ok(7)
            }),
            Strategy::new("wrong", |n, check| {
                calls.push((n, check));
                Ok(if check { 8 } else { 7 })
            }),
        ];
        let points = measure(&mut strategies, &[1, 2], 3, &mut Progress::hidden()).unwrap();
        drop(strategies);
        let shown: Vec<(&str, usize, usize, bool)> = points
            .iter()
            .map(|p| {
                (
                    p.strategy.as_str(),
                    p.workers,
                    p.runs.len(),
                    p.failure.is_some(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("good", 1, 3, false),
                ("good", 2, 3, false),
                ("fails on 2", 1, 3, false),
                ("fails on 2", 2, 0, true),
                ("wrong", 1, 0, true),
                ("wrong", 2, 0, true),
            ]
        );
        assert_eq!(points[3].failure.as_deref(), Some("no two"));
        assert_eq!(
            points[4].failure.as_deref(),
            Some("result differs from good on 1 workers")
        );
        assert_eq!(
            calls,
            [(1, true), (2, true)],
            "a failed point is not run again"
        );
        assert!(points[3].timing().is_none());
    }
}
