//! Exercise M.1, solved: Amdahl's law turned around.

// ANCHOR: parallel_fraction
/// The parallel fraction `p` that a measured `speedup` on `workers` workers implies, from
/// speedup = 1 / ((1 - p) + p / workers).
pub fn parallel_fraction(speedup: f64, workers: usize) -> f64 {
    let n = workers as f64;
    (1.0 - 1.0 / speedup) / (1.0 - 1.0 / n)
}

/// The speedup Amdahl's law predicts for parallel fraction `p` on `workers` workers.
pub fn amdahl(p: f64, workers: usize) -> f64 {
    1.0 / ((1.0 - p) + p / workers as f64)
}
// ANCHOR_END: parallel_fraction
