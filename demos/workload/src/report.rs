//! Timing repeated runs and printing the comparison table every demo ends with.

use std::fmt;
use std::time::{Duration, Instant};

/// The wall times of several runs of one strategy.
#[derive(Clone, Debug)]
pub struct Timing {
    sorted: Vec<Duration>,
}

impl Timing {
    pub fn new(mut runs: Vec<Duration>) -> Self {
        assert!(!runs.is_empty(), "a timing needs at least one run");
        runs.sort();
        Self { sorted: runs }
    }

    /// The middle run: one slow run (another program, a cold cache) does not move it.
    pub fn median(&self) -> Duration {
        self.sorted[self.sorted.len() / 2]
    }

    pub fn min(&self) -> Duration {
        self.sorted[0]
    }

    pub fn max(&self) -> Duration {
        self.sorted[self.sorted.len() - 1]
    }
}

/// Run `work` `runs` times (at least once) and time each run; keep the last run's result.
/// The first error stops the runs.
pub fn time_runs<T, E>(
    runs: usize,
    mut work: impl FnMut() -> Result<T, E>,
) -> Result<(T, Timing), E> {
    let mut times = Vec::with_capacity(runs);
    loop {
        let start = Instant::now();
        let result = work()?;
        times.push(start.elapsed());
        if times.len() >= runs {
            return Ok((result, Timing::new(times)));
        }
    }
}

/// Whether a strategy's output equals the reference output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    Reference,
    Identical,
    Differs,
}

impl Check {
    pub fn of(equal: bool) -> Self {
        if equal {
            Self::Identical
        } else {
            Self::Differs
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Reference => "reference",
            Self::Identical => "identical",
            Self::Differs => "DIFFERS",
        })
    }
}

/// One strategy's line in the table.
#[derive(Clone, Debug)]
pub struct Row {
    pub strategy: String,
    pub workers: usize,
    pub timing: Timing,
    pub check: Check,
}

/// A side-by-side comparison; the first row is the reference the speedups are measured against.
#[derive(Clone, Debug)]
pub struct Table {
    pub title: String,
    pub items: usize,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn new(title: impl Into<String>, items: usize) -> Self {
        Self {
            title: title.into(),
            items,
            rows: Vec::new(),
        }
    }

    pub fn push(
        &mut self,
        strategy: impl Into<String>,
        workers: usize,
        timing: Timing,
        check: Check,
    ) {
        self.rows.push(Row {
            strategy: strategy.into(),
            workers,
            timing,
            check,
        });
    }

    /// Reference median time divided by this row's median time.
    pub fn speedup(&self, row: &Row) -> f64 {
        let reference = self.rows.first().map_or(row, |r| r).timing.median();
        reference.as_secs_f64() / row.timing.median().as_secs_f64()
    }

    /// True when every row's output matched the reference.
    pub fn all_identical(&self) -> bool {
        self.rows.iter().all(|row| row.check != Check::Differs)
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .rows
            .iter()
            .map(|r| r.strategy.len())
            .max()
            .unwrap_or(0)
            .max(8);
        writeln!(f, "{}", self.title)?;
        writeln!(
            f,
            "{:<width$}  {:>7}  {:>9}  {:>19}  {:>9}  {:>7}  check",
            "strategy", "workers", "median", "min - max", "items/s", "speedup"
        )?;
        for row in &self.rows {
            let t = &row.timing;
            let per_second = self.items as f64 / t.median().as_secs_f64();
            writeln!(
                f,
                "{:<width$}  {:>7}  {:>9}  {:>19}  {:>9.1}  {:>6.2}x  {}",
                row.strategy,
                row.workers,
                seconds(t.median()),
                format!("{} - {}", seconds(t.min()), seconds(t.max())),
                per_second,
                self.speedup(row),
                row.check,
            )?;
        }
        Ok(())
    }
}

/// The lines above every table: what runs, where it goes, and on which machine.
pub fn header(demo: &str, work: &str, runs: usize) -> String {
    let plural = if runs == 1 { "" } else { "s" };
    format!(
        "{demo}: {work}\nmachine: {}\neach strategy runs {runs} time{plural}; times are wall-clock\n",
        crate::machine::Machine::current()
    )
}

/// A duration in the unit that reads best: `812 us`, `41.3 ms`, `1.52 s`.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.0} us", s * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn median_ignores_one_slow_run() {
        let t = Timing::new(vec![ms(10), ms(500), ms(12)]);
        assert_eq!((t.min(), t.median(), t.max()), (ms(10), ms(12), ms(500)));
    }

    #[test]
    fn time_runs_runs_the_asked_number_of_times_and_stops_at_an_error() {
        let mut calls = 0;
        let (last, timing) = time_runs(3, || {
            calls += 1;
            Ok::<_, ()>(calls)
        })
        .unwrap();
        assert_eq!((last, timing.sorted.len()), (3, 3));

        let mut calls = 0;
        let err = time_runs(5, || {
            calls += 1;
            if calls == 2 { Err("boom") } else { Ok(()) }
        });
        assert_eq!((err.unwrap_err(), calls), ("boom", 2));
    }

    #[test]
    fn table_shows_speedup_against_first_row_and_flags_differences() {
        let mut table = Table::new("demo", 10);
        table.push("serial", 1, Timing::new(vec![ms(100)]), Check::Reference);
        table.push("parallel", 2, Timing::new(vec![ms(50)]), Check::Identical);
        assert_eq!(table.speedup(&table.rows[1]), 2.0);
        assert!(table.all_identical());
        let text = table.to_string();
        assert!(
            text.contains("2.00x") && text.contains("100.0 ms"),
            "{text}"
        );

        table.push("broken", 2, Timing::new(vec![ms(50)]), Check::Differs);
        assert!(!table.all_identical());
        assert!(table.to_string().contains("DIFFERS"));
    }

    #[test]
    fn durations_read_in_a_fitting_unit() {
        assert_eq!(seconds(Duration::from_micros(812)), "812 us");
        assert_eq!(seconds(Duration::from_micros(41_300)), "41.3 ms");
        assert_eq!(seconds(ms(1520)), "1.52 s");
    }
}
