//! Exercise 11.2: where does efficiency drop?
//!
//! From measured `(workers, seconds)` points, return the largest worker count whose efficiency
//! (speedup over one worker, divided by the workers) is at or above `floor`; `None` without a
//! one-worker time. Then try it on your `sweep.csv` medians for the heavy grid.
//! Check: `cargo xtask exercise 11.2`.

pub fn last_efficient(points: &[(usize, f64)], floor: f64) -> Option<usize> {
    todo!("the one-worker time, then each point's efficiency")
}
