//! Exercise M.2, solved: the mean beside the median.

use std::time::Duration;

// ANCHOR: mean
/// The arithmetic mean of some run times, to set beside their median.
pub fn mean(runs: &[Duration]) -> Duration {
    runs.iter().sum::<Duration>() / runs.len() as u32
}
// ANCHOR_END: mean
