//! Exercise 4.2's tests: `cargo xtask exercise 4.2` runs them on your
//! `exercises/04_2_round_trip_by_size.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(
    feature = "solutions",
    path = "../solutions/04_2_round_trip_by_size.rs"
)]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/04_2_round_trip_by_size.rs"
)]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use std::io::{BufReader, BufWriter};

use anyhow::ensure;
use exercise::round_trip_by_size;
use harness::link::{receive, send};
use process_spawn::{Reply, ServeJob, Task, serve};

#[test]
fn echoes_of_every_size_come_back_over_a_pipe() {
    // A worker on a thread of this test, with real pipes between us: the same code a
    // pool worker process runs on its stdin and stdout.
    let (task_reader, task_writer) = std::io::pipe().unwrap();
    let (reply_reader, reply_writer) = std::io::pipe().unwrap();
    let job = ServeJob {
        size: workload::ImageSize::new(4, 4),
        crash: None,
    };
    let worker = std::thread::spawn(move || {
        serve(
            BufReader::new(task_reader),
            BufWriter::new(reply_writer),
            &job,
        )
    });
    let (mut to, mut from) = (BufWriter::new(task_writer), BufReader::new(reply_reader));
    let echo = |payload: Vec<u8>| {
        let task = Task::Echo {
            payload: payload.clone(),
        };
        let sent = send(&mut to, &task)?;
        let (reply, got) = receive::<Reply>(&mut from)?.expect("worker is alive");
        let moved = sent + got;
        ensure!(reply == Reply::Echo { payload }, "changed on the way");
        Ok(moved)
    };
    let rows = round_trip_by_size(echo, &[0, 1000, 300_000], 3).unwrap();
    let sizes: Vec<usize> = rows.iter().map(|r| r.0).collect();
    assert_eq!(sizes, [0, 1000, 300_000], "one row per size");
    for (size, moved, _) in rows {
        assert!(
            moved >= 2 * size + 8,
            "{size} bytes each way, {moved} moved"
        );
    }
    drop((to, from));
    worker.join().unwrap().unwrap();
}
