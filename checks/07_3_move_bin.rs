//! Exercise 7.3's tests: `cargo xtask exercise 7.3` runs them on your
//! `exercises/07_3_move_bin.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/07_3_move_bin.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/07_3_move_bin.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use exercise::move_bin;

#[test]
fn moving_bins_both_ways_at_once_finishes_and_keeps_every_count() {
    let (a, b) = (
        Arc::new(Mutex::new([1; 256])),
        Arc::new(Mutex::new([1; 256])),
    );
    // Threads that are not scoped, so that a deadlock fails the test instead of hanging it.
    let movers: Vec<_> = [(&a, &b), (&b, &a)]
        .map(|(from, to)| {
            let (from, to) = (Arc::clone(from), Arc::clone(to));
            thread::spawn(move || (0..10_000).for_each(|i| move_bin(&from, &to, i as u8)))
        })
        .into();
    let done = || movers.iter().all(|mover| mover.is_finished());
    assert!(testkit::within(Duration::from_secs(60), done), "deadlock");
    for mover in movers {
        mover.join().expect("a mover panicked");
    }
    let (a, b) = (*a.lock().unwrap(), *b.lock().unwrap());
    assert!(
        a.iter().zip(&b).all(|(x, y)| x + y == 2),
        "a count was lost"
    );
}

#[test]
fn moving_a_bin_moves_its_whole_count_and_nothing_else() {
    let (from, to) = (Mutex::new([2; 256]), Mutex::new([1; 256]));
    move_bin(&from, &to, 3);
    let (from, to) = (from.into_inner().unwrap(), to.into_inner().unwrap());
    assert_eq!((from[3], to[3]), (0, 3));
    assert_eq!((from[4], to[4]), (2, 1), "other bins stay");
    let same = Mutex::new([5; 256]);
    move_bin(&same, &same, 3);
    assert_eq!(
        same.into_inner().unwrap()[3],
        5,
        "a histogram moved onto itself"
    );
}
