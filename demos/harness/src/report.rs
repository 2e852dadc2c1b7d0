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

/// One way of doing the work, to be timed against the others.
pub struct Contender<'a, T, E> {
    name: String,
    workers: usize,
    run: Box<dyn FnMut() -> Result<T, E> + 'a>,
}

impl<'a, T, E> Contender<'a, T, E> {
    pub fn new(
        name: impl Into<String>,
        workers: usize,
        run: impl FnMut() -> Result<T, E> + 'a,
    ) -> Self {
        Self {
            name: name.into(),
            workers,
            run: Box::new(run),
        }
    }
}

/// Time each contender `runs` times in interleaved rounds (A B C, A B C, ...), so that a slow
/// spell on a shared machine hits all of them alike. The first contender is the reference:
/// every other one's result is checked against it with `same` as soon as the first round is
/// over, and then dropped, so the later rounds hold no earlier results (with big arrays, that
/// is memory the later rounds need). The first error stops it all.
pub fn compare<T, E, S>(
    title: &str,
    items: usize,
    runs: usize,
    mut contenders: Vec<Contender<'_, T, E>>,
    same: impl Fn(&T, &T) -> Result<bool, S>,
) -> anyhow::Result<Table>
where
    E: Into<anyhow::Error>,
    S: Into<anyhow::Error>,
{
    let cpu_before = crate::machine::CpuTimes::now();
    let mut times = vec![Vec::with_capacity(runs); contenders.len()];
    let mut checks = Vec::with_capacity(contenders.len());
    // ANCHOR: rounds
    for round in 0..runs.max(1) {
        let mut results = Vec::with_capacity(contenders.len());
        for (contender, times) in contenders.iter_mut().zip(&mut times) {
            let meter = Meter::start((round == 0).then_some(items)); // round 0: --timeline
            let result = (contender.run)().map_err(Into::into)?;
            times.push(meter.stop_as(title, &contender.name));
            if round == 0 {
                results.push(result);
            }
        }
        let mut results = results.into_iter();
        if let Some(reference) = results.next() {
            checks.push(Check::Reference);
            for other in results {
                checks.push(Check::of(same(&reference, &other).map_err(Into::into)?));
            }
        }
    }
    // ANCHOR_END: rounds
    let mut table = Table::new(title, items);
    table.others_busy = cpu_before
        .zip(crate::machine::CpuTimes::now())
        .and_then(|(before, after)| after.others_share_since(&before));
    for ((contender, spent), check) in contenders.into_iter().zip(times).zip(checks) {
        let walls = spent.iter().map(|s| s.wall).collect();
        table.push(contender.name, contender.workers, Timing::new(walls), check);
        let cpus: Option<Vec<Duration>> = spent.iter().map(|s| s.cpu).collect();
        table.rows.last_mut().expect("just pushed").cpu = cpus.map(|c| Timing::new(c).median());
    }
    crate::timeline::write()?;
    Ok(table)
}

/// What one run took: wall time, and the CPU time of this process and its children.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spent {
    pub wall: Duration,
    /// `None` where the counters could not be read.
    pub cpu: Option<Duration>,
}

/// Measures one run: wall time and CPU time; with `--timeline` given, records its spans too.
pub struct Meter {
    cpu: Option<Duration>,
    recording: Option<crate::timeline::Recording>,
    start: Instant,
}

impl Meter {
    /// Start measuring; `record`: a run of up to that many items, to draw on `--timeline`'s
    /// chart if one was asked for.
    pub fn start(record: Option<usize>) -> Self {
        let cpu = crate::machine::cpu_used();
        let recording = record.and_then(crate::timeline::Recording::start);
        Self {
            cpu,
            recording,
            start: Instant::now(),
        }
    }

    /// Stop.
    pub fn stop(self) -> Spent {
        self.stop_as("", "")
    }

    /// Stop; a recording is kept as the run of `strategy` in the table `title`.
    pub fn stop_as(self, title: &str, strategy: &str) -> Spent {
        let wall = self.start.elapsed();
        let cpu = crate::machine::cpu_used().zip(self.cpu);
        if let Some(recording) = self.recording {
            let title = title.trim();
            recording.stop(&if title.is_empty() {
                strategy.to_owned()
            } else {
                format!("{title}: {strategy}")
            });
        }
        Spent {
            wall,
            cpu: cpu.map(|(after, before)| after.saturating_sub(before)),
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
    /// The median CPU time (user + system, this process and its children) of a run, where
    /// it could be measured.
    pub cpu: Option<Duration>,
}

impl Row {
    /// How busy the workers were: CPU time over wall time times workers. Near 100% is every
    /// worker computing all the time; near 0 is waiting (sleep, disk, a lock).
    pub fn busy(&self) -> Option<f64> {
        let capacity = self.timing.median().as_secs_f64() * self.workers.max(1) as f64;
        Some(self.cpu?.as_secs_f64() / capacity).filter(|b| b.is_finite())
    }
}

/// A side-by-side comparison; the first row is the reference the speedups are measured against.
#[derive(Clone, Debug)]
pub struct Table {
    pub title: String,
    pub items: usize,
    pub rows: Vec<Row>,
    /// The share of the machine's CPU other programs used while the table was measured.
    pub others_busy: Option<f64>,
}

impl Table {
    pub fn new(title: impl Into<String>, items: usize) -> Self {
        Self {
            title: title.into(),
            items,
            rows: Vec::new(),
            others_busy: None,
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
            cpu: None,
        });
    }

    /// Reference median time divided by this row's median time.
    pub fn speedup(&self, row: &Row) -> f64 {
        let reference = self.rows.first().map_or(row, |r| r).timing.median();
        reference.as_secs_f64() / row.timing.median().as_secs_f64()
    }

    /// Ok when every row's output matched the reference; else one line naming the rows that
    /// differ, for a demo to end with.
    pub fn ensure_identical(&self) -> anyhow::Result<()> {
        let differing: Vec<&str> = self
            .rows
            .iter()
            .filter(|row| row.check == Check::Differs)
            .map(|row| row.strategy.as_str())
            .collect();
        let reference = self.rows.first().map_or("", |row| row.strategy.as_str());
        anyhow::ensure!(
            differing.is_empty(),
            "{}: {} gave a different result from {reference}",
            self.title.trim(),
            differing.join(", ")
        );
        Ok(())
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
            "{:<width$}  {:>7}  {:>9}  {:>19}  {:>9}  {:>4}  {:>8}  {:>7}  check",
            "strategy", "workers", "median", "min - max", "CPU", "busy", "items/s", "speedup"
        )?;
        for row in &self.rows {
            let t = &row.timing;
            let per_second = self.items as f64 / t.median().as_secs_f64();
            writeln!(
                f,
                "{:<width$}  {:>7}  {:>9}  {:>19}  {:>9}  {:>4}  {:>8}  {:>6.2}x  {}",
                row.strategy,
                row.workers,
                seconds(t.median()),
                format!("{} - {}", seconds(t.min()), seconds(t.max())),
                row.cpu.map_or("-".into(), seconds),
                row.busy()
                    .map_or("-".into(), |b| format!("{:.0}%", b * 100.0)),
                rate(per_second),
                self.speedup(row),
                row.check,
            )?;
        }
        if let Some(share) = self.others_busy.filter(|&share| share >= NOISY) {
            writeln!(
                f,
                "note: other programs kept {:.0}% of the CPU busy meanwhile; these times are noisy",
                share * 100.0
            )?;
        }
        Ok(())
    }
}

/// The share of the CPU used by other programs above which a table warns that its times are
/// not to be trusted.
const NOISY: f64 = 0.1;

/// The lines above every table: what runs, where it goes, and on which machine.
pub fn header(demo: &str, work: &str, runs: usize) -> String {
    let plural = if runs == 1 { "" } else { "s" };
    format!(
        "{demo}: {work}\nmachine: {}\neach strategy runs {runs} time{plural}, taking turns; times are wall-clock\n",
        crate::machine::Machine::current()
    )
}

/// A rate with a metric prefix so it fits the column: `36.6`, `1.32 k`, `6.10 M`, `1.10 G`.
pub fn rate(per_second: f64) -> String {
    let prefixes = [("", 1.0), (" k", 1e3), (" M", 1e6), (" G", 1e9)];
    let (prefix, scale) = prefixes
        .into_iter()
        .rev()
        .find(|&(_, scale)| per_second >= scale)
        .unwrap_or(prefixes[0]);
    match prefix {
        "" => format!("{per_second:.1}"),
        _ => format!("{:.2}{prefix}", per_second / scale),
    }
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
    fn compare_interleaves_runs_and_checks_against_the_first() {
        let order = std::cell::RefCell::new(String::new());
        let contender = |name: &'static str, value: u32| {
            let order = &order;
            Contender::new(name, 1, move || {
                order.borrow_mut().push_str(name);
                Ok::<_, anyhow::Error>(value)
            })
        };
        let contenders = vec![contender("a", 1), contender("b", 1), contender("c", 2)];
        let table = compare("t", 1, 2, contenders, |x, y| Ok::<_, anyhow::Error>(x == y)).unwrap();
        assert_eq!(order.borrow().as_str(), "abcabc");
        let checks: Vec<Check> = table.rows.iter().map(|r| r.check).collect();
        assert_eq!(checks, [Check::Reference, Check::Identical, Check::Differs]);
        assert_eq!(table.rows[0].timing.sorted.len(), 2);
    }

    #[test]
    fn compare_holds_no_result_past_the_first_round() {
        use std::cell::Cell;
        use std::rc::Rc;
        /// A result that counts itself in `live` while it exists.
        struct Counted(Rc<Cell<usize>>);
        impl Drop for Counted {
            fn drop(&mut self) {
                self.0.set(self.0.get() - 1);
            }
        }
        let live = Rc::new(Cell::new(0));
        let most_later = Rc::new(Cell::new(0)); // results alive when a later round's run starts
        let contender = || {
            let (live, most_later, mut runs) = (Rc::clone(&live), Rc::clone(&most_later), 0);
            Contender::new("x", 1, move || {
                runs += 1;
                if runs > 1 {
                    most_later.set(most_later.get().max(live.get()));
                }
                live.set(live.get() + 1);
                Ok::<_, anyhow::Error>(Counted(Rc::clone(&live)))
            })
        };
        let checks = Cell::new(0);
        compare("t", 1, 3, vec![contender(), contender()], |_, _| {
            checks.set(checks.get() + 1);
            Ok::<_, anyhow::Error>(true)
        })
        .unwrap();
        assert_eq!(
            checks.get(),
            1,
            "one check, for the contender after the reference"
        );
        assert_eq!(
            most_later.get(),
            0,
            "the later rounds start with no result held"
        );
        assert_eq!(live.get(), 0);
    }

    #[test]
    fn compare_stops_at_the_first_error() {
        let mut calls = 0;
        let failing = Contender::new("x", 1, || {
            calls += 1;
            if calls == 2 {
                Err(anyhow::anyhow!("boom"))
            } else {
                Ok(())
            }
        });
        let err = compare("t", 1, 5, vec![failing], |_, _| {
            Ok::<_, anyhow::Error>(true)
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "boom");
    }

    #[test]
    fn table_shows_speedup_against_first_row_and_flags_differences() {
        let mut table = Table::new("demo", 10);
        table.push("serial", 1, Timing::new(vec![ms(100)]), Check::Reference);
        table.push("parallel", 2, Timing::new(vec![ms(50)]), Check::Identical);
        assert_eq!(table.speedup(&table.rows[1]), 2.0);
        assert!(table.ensure_identical().is_ok());
        let text = table.to_string();
        assert!(
            text.contains("2.00x") && text.contains("100.0 ms"),
            "{text}"
        );

        assert!(!text.contains("note:"), "{text}");
        table.others_busy = Some(0.35);
        assert!(
            table
                .to_string()
                .contains("other programs kept 35% of the CPU busy")
        );

        table.push("broken", 2, Timing::new(vec![ms(50)]), Check::Differs);
        let err = table.ensure_identical().unwrap_err();
        assert_eq!(
            err.to_string(),
            "demo: broken gave a different result from serial"
        );
        assert!(table.to_string().contains("DIFFERS"));
    }

    #[test]
    fn a_row_without_cpu_shows_a_dash() {
        let mut table = Table::new("demo", 10);
        table.push("serial", 1, Timing::new(vec![ms(100)]), Check::Reference);
        assert_eq!(table.rows[0].busy(), None);
        table.rows[0].cpu = Some(ms(50));
        assert_eq!(table.rows[0].busy(), Some(0.5));
        assert!(table.to_string().contains(" 50%"), "{table}");
    }

    #[test]
    fn rates_fit_the_column() {
        assert_eq!(rate(36.63), "36.6");
        assert_eq!(rate(1318.1), "1.32 k");
        assert_eq!(rate(6.1e6), "6.10 M");
        assert_eq!(rate(1_101_723_205.3), "1.10 G");
    }

    #[test]
    fn durations_read_in_a_fitting_unit() {
        assert_eq!(seconds(Duration::from_micros(812)), "812 us");
        assert_eq!(seconds(Duration::from_micros(41_300)), "41.3 ms");
        assert_eq!(seconds(ms(1520)), "1.52 s");
    }
}
