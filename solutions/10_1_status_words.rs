//! Exercise 10.1, solved: how a child process ended, in words.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

// ANCHOR: status_words
/// How a child process ended, in words a person reads: `exited with code 3`, `killed by
/// SIGKILL (signal 9)`. On Unix a process either exits with a code or is ended by a signal;
/// `ExitStatus` holds one of the two.
pub fn status_words(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with code {code}");
    }
    match status.signal() {
        Some(number) => {
            let name = nix::sys::signal::Signal::try_from(number).map_or_else(
                |_| "an unknown signal".to_owned(),
                |s| s.as_str().to_owned(),
            );
            format!("killed by {name} (signal {number})")
        }
        None => format!("ended in a way this system does not say ({status})"),
    }
}
// ANCHOR_END: status_words
