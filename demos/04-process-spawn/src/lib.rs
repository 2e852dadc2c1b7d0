//! Demo 04: the binary starts copies of itself as worker processes. One-shot children each
//! make a range of images and exit; a pool of long-lived workers takes tasks over a pipe and
//! sends every encoded image back to the parent. Both are measured against the serial map and
//! against threads, together with what starting a process and a round trip over a pipe cost.
#![forbid(unsafe_code)]

mod costs;
mod crash;
pub mod exercises;
mod one_shot;
mod pool;
mod protocol;
mod worker;

pub use costs::{StartCosts, spawn_and_wait, start_costs};
pub use crash::{Crash, CrashArgs, CrashHow, CrashIn};
pub use one_shot::{ChildReport, check, one_shot_map, one_shot_shown, run_children, shares};
pub use pool::{PoolWorker, ProcessPool, serve};
pub use protocol::{Reply, Task, receive, request, send};
pub use worker::{Hidden, RangeJob, Role, ServeJob, work};
pub use workload::child::OwnedChild;
