//! Exercise 11.2, solved: where efficiency falls below a floor.

// ANCHOR: knee
/// The worker count where efficiency (speedup / workers) last stays at or above `floor`, from
/// measured `(workers, seconds)` points; `None` without a one-worker time.
pub fn last_efficient(points: &[(usize, f64)], floor: f64) -> Option<usize> {
    let one = points.iter().find(|p| p.0 == 1)?.1;
    points
        .iter()
        .filter(|&&(n, t)| one / t / n as f64 >= floor)
        .map(|p| p.0)
        .max()
}
// ANCHOR_END: knee
