//! Sleepy tasks: work that waits rather than computes, the way a download, a database query or
//! a slow disk does. A thread that waits holds no core, so more workers than cores still help.

use std::time::{Duration, Instant};

/// When one wait began and when it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: Instant,
    pub end: Instant,
}

/// One sleepy task: block this thread for `duration`. The OS runs other threads meanwhile.
pub fn nap(duration: Duration) -> Span {
    let start = Instant::now();
    std::thread::sleep(duration);
    Span {
        start,
        end: Instant::now(),
    }
}

/// How many waits each worker does, at most, when `tasks` waits are shared among `workers`
/// workers that each wait for one at a time.
pub fn rounds(tasks: usize, workers: usize) -> usize {
    tasks.div_ceil(workers.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nap_lasts_at_least_its_duration() {
        let span = nap(Duration::from_millis(2));
        assert!(span.end - span.start >= Duration::from_millis(2));
    }

    #[test]
    fn rounds_round_up() {
        assert_eq!(rounds(10, 4), 3);
        assert_eq!(rounds(8, 4), 2);
        assert_eq!(rounds(0, 4), 0);
        assert_eq!(rounds(3, 0), 3);
    }
}
