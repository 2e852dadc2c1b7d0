//! Exercise 9.2's tests: `cargo xtask exercise 9.2` runs them on your
//! `exercises/09_2_first_answer.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/09_2_first_answer.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/09_2_first_answer.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use std::net::{Ipv4Addr, TcpListener};
use std::sync::mpsc;
use std::time::Duration;

use exercise::first_answer;
use threads_and_async::protocol::answer;
use threads_and_async::{InProcessServer, ServerJob, Target};

const PATIENCE: Duration = Duration::from_secs(60);

/// A server that takes one connection and never answers; the receiver hears when the client
/// has closed that connection.
fn never_answers() -> (Target, mpsc::Receiver<()>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    let (closed, told) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept()?;
        std::io::copy(&mut stream, &mut std::io::sink())?; // until the client closes
        let _ = closed.send(());
        std::io::Result::Ok(())
    });
    let target = Target {
        addr,
        patience: PATIENCE,
    };
    (target, told)
}

#[test]
fn the_first_answer_wins_and_the_other_request_is_dropped() {
    let job = ServerJob {
        port: 0,
        backlog: 128,
        delay: Duration::from_millis(1),
        fault: None,
    };
    let server = InProcessServer::start(job).unwrap();
    let answers = Target {
        addr: server.addr,
        patience: PATIENCE,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for stalled in [0, 1] {
        let (never, closed) = never_answers();
        let mut servers = [answers; 2];
        servers[stalled] = never;
        let raced = runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(10), first_answer(servers, 7)).await
        });
        let got = raced
            .expect("no answer within 10 s: it waits for the server that never answers")
            .unwrap();
        assert_eq!(got, (1 - stalled, answer(7)), "(which server, its answer)");
        closed.recv_timeout(Duration::from_secs(10)).expect(
            "the request to the server that never answers is still open after the call returned",
        );
    }
}
