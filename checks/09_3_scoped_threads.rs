//! Exercise 9.3's tests: `cargo xtask exercise 9.3` runs them on your
//! `exercises/09_3_scoped_threads.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/09_3_scoped_threads.rs")]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/09_3_scoped_threads.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use std::time::Duration;

use exercise::scoped_threads;
use threads_and_async::protocol::expected;
use threads_and_async::{Fault, InProcessServer, RequestError, ServerJob, Target};

/// The demo's server, answering after `delay_ms` or misbehaving, and a client's view of it.
fn server(delay_ms: u64, fault: Option<Fault>) -> (InProcessServer, Target) {
    let job = ServerJob {
        port: 0,
        backlog: 128,
        delay: Duration::from_millis(delay_ms),
        fault,
    };
    let server = InProcessServer::start(job).unwrap();
    let target = Target {
        addr: server.addr,
        patience: Duration::from_secs(60),
    };
    (server, target)
}

#[test]
fn scoped_threads_get_every_answer_in_order() {
    let (_server, target) = server(1, None);
    assert_eq!(scoped_threads(&target, 7).unwrap(), expected(7));
    assert_eq!(scoped_threads(&target, 0).unwrap(), expected(0));
}

#[test]
fn the_first_request_that_fails_is_the_error() {
    let (_refusing, target) = server(0, Some(Fault::Refuse));
    let err = scoped_threads(&target, 3).unwrap_err();
    let RequestError::Refused { id, addr } = err else {
        panic!("{err}: expected a refused connection");
    };
    assert_eq!((id, addr), (0, target.addr), "(request, server) refused");
}
