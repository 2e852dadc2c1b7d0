//! The blocking call inside a task, shown by order alone: on a runtime of one thread, a task
//! that blocks keeps every other task from answering until it is released; moved into
//! `spawn_blocking`, the others answer first. No clock decides either outcome.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use threads_and_async::pitfalls::{Blocking, Event, Log, one_thread_and_a_blocking_call};
use threads_and_async::{Server, ServerJob, Target};

const OTHERS: usize = 5;

fn server() -> Server {
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_09-threads-and-async"));
    let job = ServerJob {
        port: 0,
        backlog: 64,
        delay: Duration::ZERO,
        fault: None,
    };
    Server::start(exe, job).unwrap()
}

/// Run the one-thread runtime with a blocking call that returns once `release` says so;
/// the events in the order they happened.
fn run(
    how: Blocking,
    release: impl FnOnce(&Arc<Log>, mpsc::Receiver<()>) + Send + 'static,
) -> Vec<Event> {
    let server = server();
    let target = Target {
        addr: server.addr,
        patience: Duration::from_secs(60),
    };
    let log = Arc::new(Log::default());
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = Mutex::new(release_rx);
    let block = move || {
        started_tx.send(()).unwrap();
        release_rx.lock().unwrap().recv().unwrap();
    };
    let releaser = {
        let log = Arc::clone(&log);
        std::thread::spawn(move || {
            release(&log, started_rx);
            release_tx.send(()).unwrap();
        })
    };
    let answers = one_thread_and_a_blocking_call(target, OTHERS, how, block, &log).unwrap();
    releaser.join().unwrap();
    assert_eq!(answers, threads_and_async::protocol::expected(OTHERS));
    log.events().into_iter().map(|(event, _)| event).collect()
}

#[test]
fn a_blocking_call_in_a_task_stops_every_other_task_until_it_returns() {
    // Released as soon as it blocks: had the others been able to run, nothing kept them.
    let events = run(Blocking::InTask, |_, started| started.recv().unwrap());
    assert_eq!(events[0], Event::Released, "{events:?}");
    assert_eq!(events.len(), OTHERS + 1);
}

#[test]
fn in_spawn_blocking_the_others_answer_first() {
    // Released only once every other request is answered: that happens only if they can run.
    let events = run(Blocking::SpawnBlocking, |log, started| {
        started.recv().unwrap();
        let answered = || {
            log.events()
                .iter()
                .filter(|e| e.0 != Event::Released)
                .count()
        };
        assert!(testkit::within(Duration::from_secs(60), || answered() == OTHERS));
    });
    assert_eq!(events.last(), Some(&Event::Released), "{events:?}");
    assert_eq!(events.len(), OTHERS + 1);
}
