//! Exercise 11.1, solved: how many workers a target speedup needs.

use speedup_plots::amdahl::Amdahl;

// ANCHOR: workers_for
/// The fewest workers that reach `target` speedup under `law`, or `None` when no number of
/// workers can (the speedup never passes 1 / serial fraction).
pub fn workers_for(law: Amdahl, target: f64) -> Option<usize> {
    if law.serial > 0.0 && target >= 1.0 / law.serial {
        return None;
    }
    (1..).find(|&n| law.speedup(n as f64) >= target - 1e-9)
}
// ANCHOR_END: workers_for
