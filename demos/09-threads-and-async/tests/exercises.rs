//! The solutions of chapter 9's exercises, against the demo's own server.

use std::time::Duration;

use threads_and_async::exercises::{first_answer, permit_inside, scoped_threads};
use threads_and_async::protocol::expected;
use threads_and_async::{Fault, Server, ServerJob, Target};

fn server(delay_ms: u64, fault: Option<Fault>) -> (Server, Target) {
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_09-threads-and-async"));
    let job = ServerJob {
        port: 0,
        backlog: 128,
        delay: Duration::from_millis(delay_ms),
        fault,
    };
    let server = Server::start(exe, job).unwrap();
    let target = Target {
        addr: server.addr,
        patience: Duration::from_secs(60),
    };
    (server, target)
}

#[test]
fn a_permit_taken_inside_the_task_still_bounds_the_requests_in_flight() {
    let (_server, target) = server(2, None);
    let (answers, most) = permit_inside(target, 40, 3).unwrap();
    assert_eq!(answers, expected(40));
    assert!((1..=3).contains(&most), "{most} in flight at once");
}

#[test]
fn the_first_answer_wins_and_a_server_that_never_answers_does_not_matter() {
    let (_stalled, never) = server(0, Some(Fault::Stall));
    let (_server, answers) = server(1, None);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for servers in [[never, answers], [answers, never]] {
        let (which, answer) = runtime.block_on(first_answer(servers, 7)).unwrap();
        assert_eq!(servers[which].addr, answers.addr);
        assert_eq!(answer, expected(8)[7]);
    }
}

#[test]
fn scoped_threads_get_every_answer_and_the_first_failure() {
    let (_server, target) = server(1, None);
    assert_eq!(scoped_threads(&target, 7).unwrap(), expected(7));
    assert_eq!(scoped_threads(&target, 0).unwrap(), expected(0));
    let (_refusing, refused) = server(0, Some(Fault::Refuse));
    let err = scoped_threads(&refused, 3).unwrap_err();
    assert!(err.to_string().contains("connection refused"), "{err}");
}
