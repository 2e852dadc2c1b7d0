//! The kinds of channel, side by side: std's `mpsc` (many senders, one receiver) against
//! crossbeam's (many of both, plus `select!`), and bounded, rendezvous and unbounded capacity.
//! `cargo run --example channel_kinds -p task-queue` runs them.
#![forbid(unsafe_code)]

use std::thread;
use std::time::Duration;

use crossbeam_channel::{bounded, select, unbounded};

// ANCHOR: mpsc
/// std's channel: any number of senders (clone the `Sender`), exactly one receiver.
fn squares_mpsc() -> Vec<u64> {
    let (tx, rx) = std::sync::mpsc::channel(); // unbounded: `send` never waits
    thread::scope(|s| {
        for n in 0..4u64 {
            let tx = tx.clone();
            s.spawn(move || tx.send(n * n).unwrap());
        }
    });
    drop(tx); // the last sender gone: the receiver's loop ends once it has drained
    let mut squares: Vec<u64> = rx.iter().collect();
    squares.sort();
    squares
}
// ANCHOR_END: mpsc

// ANCHOR: mpmc
/// crossbeam's channel: the `Receiver` clones too, so several workers take from one queue.
/// `bounded(2)` makes a sender wait while two items are queued (back-pressure); `bounded(0)`
/// is a rendezvous, each `send` waits for a `recv`; `unbounded()` never makes a sender wait.
fn squares_mpmc() -> Vec<u64> {
    let (task_tx, task_rx) = bounded::<u64>(2);
    let (done_tx, done_rx) = unbounded();
    thread::scope(|s| {
        for _ in 0..2 {
            let (task_rx, done_tx) = (task_rx.clone(), done_tx.clone());
            s.spawn(move || task_rx.iter().for_each(|n| done_tx.send(n * n).unwrap()));
        }
        (0..4).for_each(|n| task_tx.send(n).unwrap());
        drop(task_tx); // closes the queue: each worker's `iter()` ends
    });
    drop(done_tx);
    let mut squares: Vec<u64> = done_rx.iter().collect();
    squares.sort();
    squares
}
// ANCHOR_END: mpmc

// ANCHOR: select
/// `select!` waits on several channels at once and takes whichever is ready first.
fn first_answer() -> &'static str {
    let (quick_tx, quick) = bounded(1);
    let (_slow_tx, slow) = bounded::<&str>(1); // nobody sends on this one
    quick_tx.send("quick").unwrap();
    select! {
        recv(quick) -> got => got.unwrap(),
        recv(slow) -> got => got.unwrap(),
        default(Duration::from_secs(5)) => "neither in time",
    }
}
// ANCHOR_END: select

fn main() {
    assert_eq!(squares_mpsc(), [0, 1, 4, 9]);
    assert_eq!(squares_mpmc(), [0, 1, 4, 9]);
    assert_eq!(first_answer(), "quick");
    println!("mpsc, mpmc and select! all gave the expected answers");
}
