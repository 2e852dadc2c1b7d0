//! Starting this program as a worker: one serde job in one environment variable, read back
//! before the command line is parsed; and the worker's first act, to die with its parent.

use std::path::Path;
use std::process::Command;

use anyhow::Context;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The variable that carries a worker's job, as JSON. A process that has it is a worker.
pub const JOB_VAR: &str = "WORKBOOK_WORKER_JOB";
/// The parent's process id, so that the worker can check it still has that parent.
const PARENT_VAR: &str = "WORKBOOK_WORKER_PARENT";

// ANCHOR: start
/// A command that starts `exe` (this program) as a worker with `job`.
pub fn worker_command(exe: &Path, job: &impl Serialize) -> Command {
    let job = serde_json::to_string(job).expect("a job is plain data");
    let mut command = Command::new(exe);
    command.env(JOB_VAR, job);
    command.env(PARENT_VAR, std::process::id().to_string());
    command.envs(crate::timeline::worker_env()); // only with --timeline: where its spans go
    command
}

/// The job this process was started with; `None` when a person started it. `main` asks first.
pub fn worker_job<J: DeserializeOwned>() -> Option<anyhow::Result<J>> {
    let job = std::env::var(JOB_VAR).ok()?;
    crate::timeline::start_in_worker();
    Some(die_with_parent().and_then(|()| {
        serde_json::from_str(&job).with_context(|| format!("cannot read the job {job:?}"))
    }))
}
// ANCHOR_END: start

// ANCHOR: die_with_parent
/// Ask the kernel to kill this worker when its parent dies, however the parent ends (even by
/// SIGKILL, which runs no clean-up). The parent may have died before we asked: check.
///
/// Linux sends the signal when the *thread* that started us exits, not only the process, so
/// a parent starts workers from a thread that outlives them: every demo spawns them from its
/// main thread (a test, from the test's own thread, which drops them before it ends), never
/// from a pool's or a scope's thread.
#[cfg(target_os = "linux")]
fn die_with_parent() -> anyhow::Result<()> {
    use nix::sys::{prctl, signal::Signal};
    prctl::set_pdeathsig(Signal::SIGKILL).context("cannot ask to die with the parent")?;
    let parent = std::env::var(PARENT_VAR).ok().and_then(|p| p.parse().ok());
    let now = nix::unistd::getppid().as_raw();
    anyhow::ensure!(parent == Some(now), "the parent is gone; nothing to do");
    Ok(())
}
// ANCHOR_END: die_with_parent

/// Elsewhere there is no such request: the parent's guards are all there is.
#[cfg(not(target_os = "linux"))]
fn die_with_parent() -> anyhow::Result<()> {
    Ok(())
}

/// How a worker told to fail does it, for the lessons on failures and for the tests.
#[derive(
    clap::ValueEnum, serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq,
)]
pub enum CrashHow {
    /// `std::process::exit(3)`: the worker ends with exit code 3
    Exit,
    /// `panic!`: the worker's main thread panics, and the process exits with code 101
    Panic,
    /// The worker raises SIGKILL, as the kernel's out-of-memory killer would kill it
    Kill,
    /// `std::process::abort()`: the worker is killed by the signal SIGABRT
    Abort,
    /// The worker stops answering and never ends by itself, like a worker stuck on a lock
    Hang,
}

impl CrashHow {
    pub fn name(self) -> &'static str {
        match self {
            Self::Exit => "exit",
            Self::Panic => "panic",
            Self::Kill => "kill",
            Self::Abort => "abort",
            Self::Hang => "hang",
        }
    }

    /// Fail this way, now.
    pub fn crash(self) -> ! {
        match self {
            Self::Exit => std::process::exit(3),
            Self::Panic => panic!("injected panic, as told"),
            Self::Kill => {
                let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
                unreachable!("SIGKILL cannot be caught")
            }
            Self::Abort => std::process::abort(),
            Self::Hang => loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            },
        }
    }
}

/// Kept here too for the callers that name it so; it lives in [`crate::stale`].
pub use crate::stale::remove_stale;
