//! Exercise 12.2, solved: latency and bandwidth from the ping-pong's times.

use std::time::Duration;

// ANCHOR: fit
/// Fit `time = latency + bytes / bandwidth` to the ping-pong's one-way times by least
/// squares; returns the latency and the bandwidth in bytes per second.
pub fn fit(trips: &[(usize, Duration)]) -> Option<(Duration, f64)> {
    let n = trips.len() as f64;
    let (xs, ys): (Vec<f64>, Vec<f64>) = trips
        .iter()
        .map(|&(b, t)| (b as f64, t.as_secs_f64()))
        .unzip();
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let slope = sxy / sxx; // seconds per byte
    let latency = my - slope * mx;
    (slope > 0.0 && latency >= 0.0).then(|| (Duration::from_secs_f64(latency), 1.0 / slope))
}

/// The message size at which half the time is latency: smaller messages are latency bound.
pub fn half_way_bytes(latency: Duration, bandwidth: f64) -> f64 {
    latency.as_secs_f64() * bandwidth
}
// ANCHOR_END: fit
