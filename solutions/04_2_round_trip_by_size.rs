//! Exercise 4.2, solved: what moving data to a worker and back costs.

use std::time::{Duration, Instant};

use harness::report::Timing;

// ANCHOR: round_trip_by_size
/// How long an echo of each size takes to go to a worker and come back (the median of
/// `samples`), and how many bytes moved for it both ways.
pub fn round_trip_by_size(
    mut echo: impl FnMut(Vec<u8>) -> anyhow::Result<usize>,
    sizes: &[usize],
    samples: usize,
) -> anyhow::Result<Vec<(usize, usize, Duration)>> {
    let mut rows = Vec::new();
    for &size in sizes {
        let (mut times, mut moved) = (Vec::new(), 0);
        for _ in 0..samples.max(1) {
            let payload = vec![0xA5; size]; // made before the clock starts
            let start = Instant::now();
            moved = echo(payload)?;
            times.push(start.elapsed());
        }
        rows.push((size, moved, Timing::new(times).median()));
    }
    Ok(rows)
}
// ANCHOR_END: round_trip_by_size
