//! Demo 04: the binary starts copies of itself as worker processes. One-shot children each
//! make a range of images and exit; a pool of long-lived workers takes tasks over a pipe and
//! sends every encoded image back to the parent. Both are measured against the serial map and
//! against threads, together with what starting a process and a round trip over a pipe cost.
//! The machinery they share with demos 06, 10 and 11 (the owned child, the job, the link with its
//! deadline, the signal flag) is the workload crate's process toolkit.
#![forbid(unsafe_code)]

mod costs;
mod crash;
pub mod demo;
mod one_shot;
mod plain;
mod pool;
mod protocol;
mod worker;

use std::time::Duration;

pub use costs::{StartCosts, spawn_and_wait, start_costs};
pub use crash::{Crash, CrashArgs, CrashHow, CrashIn};
pub use harness::child::OwnedChild;
pub use one_shot::{
    ChildReport, Children, check, one_shot_map, one_shot_shown, run_children, shares,
};
pub use plain::plain_one_shot;
pub use pool::{PoolWorker, ProcessPool};
pub use protocol::{Reply, Task};
pub use worker::{RangeJob, Role, ServeJob, serve, work};

/// How long a worker may take by default: a one-shot child for its whole share, a pool worker
/// for one task. Far above what any of them needs, even on a loaded machine.
pub const DEADLINE: Duration = Duration::from_secs(120);
