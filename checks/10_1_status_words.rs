//! Exercise 10.1's tests: `cargo xtask exercise 10.1` runs them on your
//! `exercises/10_1_status_words.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/10_1_status_words.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/10_1_status_words.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use std::process::{Command, ExitStatus};

use exercise::status_words;

fn status_of(script: &str) -> ExitStatus {
    Command::new("sh").args(["-c", script]).status().unwrap()
}

#[test]
fn statuses_read_as_words() {
    assert_eq!(status_words(status_of("exit 0")), "exited with code 0");
    assert_eq!(status_words(status_of("exit 3")), "exited with code 3");
    let killed = status_of("kill -KILL $$");
    assert_eq!(status_words(killed), "killed by SIGKILL (signal 9)");
    let aborted = status_of("kill -ABRT $$");
    assert_eq!(status_words(aborted), "killed by SIGABRT (signal 6)");
}
