//! Demo 05: a task queue. A producer thread puts typed tasks on a bounded crossbeam channel,
//! worker threads take them off one at a time and send each result back on a second channel,
//! and the collector counts every task in. Dropping the last sender closes a channel: that is
//! the shutdown signal, no sentinel needed.
#![forbid(unsafe_code)]

mod fault;
mod grid_split;
mod minimal;
mod queue;
mod sleepy;
mod tally;
mod task;
mod trivial;

pub mod compare;
pub mod demo;

pub use fault::{PanicOn, panic_on};
pub use grid_split::{grid_queue, grid_serial, grid_static, static_shares};
pub use minimal::minimal_queue;
pub use queue::{Done, Queue, WORKER_THREAD, quiet_worker_panics};
pub use sleepy::{sleepy_line, sleepy_tasks};
pub use tally::{Failure, QueueError, Tally};
pub use task::{Job, Output, Task};
pub use trivial::{trivial_queue, trivial_serial};
