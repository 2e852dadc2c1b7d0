//! Exercise 9.1's tests: `cargo xtask exercise 9.1` runs them on your
//! `exercises/09_1_permit_inside.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/09_1_permit_inside.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/09_1_permit_inside.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use std::time::Duration;

use exercise::permit_inside;
use threads_and_async::protocol::expected;
use threads_and_async::{InProcessServer, ServerJob, Target};

/// The demo's server, answering after `delay_ms`, and a client's view of it.
fn server(delay_ms: u64) -> (InProcessServer, Target) {
    let job = ServerJob {
        port: 0,
        backlog: 128,
        delay: Duration::from_millis(delay_ms),
        fault: None,
    };
    let server = InProcessServer::start(job).unwrap();
    let target = Target {
        addr: server.addr,
        patience: Duration::from_secs(60),
    };
    (server, target)
}

#[test]
fn a_permit_taken_inside_the_task_still_bounds_the_requests_in_flight() {
    let (_server, target) = server(2);
    let (answers, most) = permit_inside(target, 40, 3).unwrap();
    assert_eq!(answers, expected(40));
    assert!(
        (1..=3).contains(&most),
        "{most} requests in flight at once, with 3 permits"
    );
}

#[test]
fn one_permit_is_one_request_at_a_time() {
    let (_server, target) = server(1);
    let (answers, most) = permit_inside(target, 10, 1).unwrap();
    assert_eq!(answers, expected(10));
    assert_eq!(
        most, 1,
        "the most requests in flight at once, with 1 permit"
    );
}
