//! Exercise 11.1: how many workers for a target speedup?
//!
//! Given a fitted `law` (`law.speedup(n)` is its speedup on n workers), return the fewest
//! workers that reach `target`, or `None` when no number of workers can. What is the largest
//! speedup any number of workers can give with a serial fraction of 0.1?
//! Check: `cargo xtask exercise 11.1`.

use speedup_plots::amdahl::Amdahl;

pub fn workers_for(law: Amdahl, target: f64) -> Option<usize> {
    todo!("`None` past the ceiling, else the first n that reaches the target")
}
