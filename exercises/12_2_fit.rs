//! Exercise 12.2: latency and bandwidth in two numbers.
//!
//! Fit `time = latency + bytes / bandwidth` to the ping-pong's one-way times by least squares;
//! return the latency and the bandwidth in bytes per second, or `None` when the fit makes no
//! sense (more bytes taking less time). `half_way_bytes` is the message size that spends half
//! its time on latency. Check: `cargo xtask exercise 12.2` (needs Open MPI).

use std::time::Duration;

pub fn fit(trips: &[(usize, Duration)]) -> Option<(Duration, f64)> {
    todo!("the least-squares line through (bytes, seconds)")
}

pub fn half_way_bytes(latency: Duration, bandwidth: f64) -> f64 {
    todo!("the size whose bytes take as long as the latency")
}
