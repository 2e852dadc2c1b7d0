//! Exercise 5.1's tests: `cargo xtask exercise 5.1` runs them on your
//! `exercises/05_1_producer_lead.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/05_1_producer_lead.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/05_1_producer_lead.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use std::time::Duration;

use exercise::producer_lead;

#[test]
fn a_bounded_queue_keeps_the_producer_close() {
    // The queue holds `capacity` tasks and the worker may have taken one it has not
    // counted yet: the producer can never be further ahead than that.
    for capacity in [0, 1, 4] {
        let lead = producer_lead(Some(capacity), 30, Duration::from_micros(200));
        assert!(lead <= capacity + 1, "bounded({capacity}): {lead}");
    }
    // Unbounded, nothing holds the producer back: with each task taking 60 ms, it would
    // have to stall for over a second to stay within the largest bound above.
    let lead = producer_lead(None, 30, Duration::from_millis(60));
    assert!(lead > 4 + 1, "unbounded: {lead}");
}
