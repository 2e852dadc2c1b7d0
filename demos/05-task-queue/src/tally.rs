//! The collector's accounts: every task completed or failed, and the errors a run can end in.

use std::fmt;

use crate::Done;

// ANCHOR: tally
/// Every task accounted for: `submitted == completed + failures.len()` once a run is over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub submitted: usize,
    pub completed: usize,
    pub failures: Vec<Failure>,
}

/// A task that did not complete, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub id: usize,
    pub worker: Option<usize>, // the worker it ran on; None when no worker reported it
    pub reason: String,
}
// ANCHOR_END: tally

impl Tally {
    pub(crate) fn count<O>(&mut self, done: &Done<O>, seen: &mut Vec<bool>) {
        if seen.len() <= done.id {
            seen.resize(done.id + 1, false);
        }
        seen[done.id] = true;
        match &done.outcome {
            Ok(_) => self.completed += 1,
            Err(message) => self.failures.push(Failure {
                id: done.id,
                worker: Some(done.worker),
                reason: format!("panicked: {message}"),
            }),
        }
    }

    /// Every submitted task that never reported back failed as `reason`.
    pub(crate) fn count_lost(&mut self, seen: &[bool], reason: &str) {
        for id in 0..self.submitted {
            if !seen.get(id).copied().unwrap_or(false) {
                self.failures.push(Failure {
                    id,
                    worker: None,
                    reason: reason.to_owned(),
                });
            }
        }
    }

    /// This tally, or [`QueueError::TasksFailed`] if any task failed.
    pub fn check(self) -> Result<Self, QueueError> {
        if self.failures.is_empty() {
            Ok(self)
        } else {
            Err(QueueError::TasksFailed(self))
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "submitted {} = completed {} + failed {}",
            self.submitted,
            self.completed,
            self.failures.len()
        )
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.worker {
            Some(worker) => write!(f, "task {} (worker {worker}) {}", self.id, self.reason),
            None => write!(f, "task {} {}", self.id, self.reason),
        }
    }
}

/// What can stop a queue run.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("a queue needs at least one worker")]
    NoWorkers,
    #[error("cannot start a queue thread")]
    Spawn(#[from] std::io::Error),
    #[error("the producer panicked after sending {sent} tasks")]
    ProducerPanicked { sent: usize },
    #[error("{}", failed_line(.0))]
    TasksFailed(Tally),
}

fn failed_line(tally: &Tally) -> String {
    let shown: Vec<String> = tally
        .failures
        .iter()
        .take(3)
        .map(|f| f.to_string())
        .collect();
    let more = tally.failures.len().saturating_sub(shown.len());
    let more = if more > 0 {
        format!("; and {more} more")
    } else {
        String::new()
    };
    format!("{}{more} ({tally})", shown.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_line_names_the_tasks_and_the_tally() {
        let failure = |id| Failure {
            id,
            worker: Some(1),
            reason: "panicked: boom".into(),
        };
        let tally = Tally {
            submitted: 9,
            completed: 5,
            failures: (0..4).map(failure).collect(),
        };
        let line = QueueError::TasksFailed(tally).to_string();
        assert_eq!(
            line,
            "task 0 (worker 1) panicked: boom; task 1 (worker 1) panicked: boom; \
             task 2 (worker 1) panicked: boom; and 1 more (submitted 9 = completed 5 + failed 4)"
        );
    }
}
