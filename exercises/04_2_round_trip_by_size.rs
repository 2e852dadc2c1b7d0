//! Exercise 4.2: what does a bigger message cost?
//!
//! For each size in `sizes`, send `samples` payloads of that many bytes through `echo` (which
//! sends one to a worker, waits for it to come back and returns the bytes moved both ways).
//! Return one row per size: the size, the bytes moved, and the median round trip
//! (`Timing::new(times).median()`). Check: `cargo xtask exercise 4.2`.

use std::time::{Duration, Instant};

use harness::report::Timing;

pub fn round_trip_by_size(
    mut echo: impl FnMut(Vec<u8>) -> anyhow::Result<usize>,
    sizes: &[usize],
    samples: usize,
) -> anyhow::Result<Vec<(usize, usize, Duration)>> {
    todo!("time `samples` echoes of each size")
}
