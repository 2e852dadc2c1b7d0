//! Solutions to the exercises of the measuring chapter (`src/measuring.md`).

use std::time::Duration;

// ANCHOR: parallel_fraction
/// Amdahl's law turned around: the parallel fraction `p` that a measured `speedup` on
/// `workers` workers implies, from speedup = 1 / ((1 - p) + p / workers).
pub fn parallel_fraction(speedup: f64, workers: usize) -> f64 {
    let n = workers as f64;
    (1.0 - 1.0 / speedup) / (1.0 - 1.0 / n)
}

/// The speedup Amdahl's law predicts for parallel fraction `p` on `workers` workers.
pub fn amdahl(p: f64, workers: usize) -> f64 {
    1.0 / ((1.0 - p) + p / workers as f64)
}
// ANCHOR_END: parallel_fraction

// ANCHOR: mean
/// The arithmetic mean of some run times, to set beside their median.
pub fn mean(runs: &[Duration]) -> Duration {
    runs.iter().sum::<Duration>() / runs.len() as u32
}
// ANCHOR_END: mean

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Timing;

    #[test]
    fn amdahl_turned_around_gives_back_the_fraction() {
        for p in [0.5, 0.9, 0.95, 1.0] {
            for workers in [2, 4, 64] {
                let back = parallel_fraction(amdahl(p, workers), workers);
                assert!((back - p).abs() < 1e-9, "p {p} on {workers}: {back}");
            }
        }
        // Chapter 3's rayon par_iter row: 1.92x on 2 workers.
        let p = parallel_fraction(1.92, 2);
        assert!((p - 0.958).abs() < 0.001, "{p}");
        assert!((amdahl(p, 16) - 9.85).abs() < 0.05, "16 workers");
        assert!(
            (amdahl(p, 1_000_000) - 24.0).abs() < 0.1,
            "the ceiling 1 / (1 - p)"
        );
    }

    #[test]
    fn one_slow_run_moves_the_mean_but_not_the_median() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        let quiet = ms(&[100, 101, 102, 103, 104]);
        let one_slow = ms(&[100, 101, 102, 103, 500]);
        assert_eq!(
            Timing::new(quiet.clone()).median(),
            Timing::new(one_slow.clone()).median()
        );
        assert_eq!(mean(&quiet), Duration::from_millis(102));
        assert_eq!(mean(&one_slow), Duration::from_micros(181_200));
    }
}
