//! The child's side: the jobs a worker process can be given, and what it does with each.
//! The parent's side is in `one_shot` and `pool`; this module knows neither.

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use harness::link::{receive, send};
use harness::process::{CrashHow, worker_command};
use serde::{Deserialize, Serialize};
use workload::{ImageSize, make_image, noise_png};

use crate::protocol::{Reply, Task};

// ANCHOR: role
/// What a worker process is asked to do. The parent hands it over as one JSON value
/// ([`Role::command`]); the worker reads it back before anything else and calls [`work`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// Exit at once: all that is left is the cost of starting a process
    Nothing,
    /// Make images `from..to` into `dir`, then exit
    Range(RangeJob),
    /// Answer the tasks that arrive on stdin, on stdout, until stdin closes
    Serve(ServeJob),
}
// ANCHOR_END: role

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RangeJob {
    pub child: usize,
    pub from: usize,
    pub to: usize,
    pub size: ImageSize,
    pub dir: PathBuf,
    /// Fail on reaching this image, before making it (for the lessons on failures)
    pub crash: Option<(CrashHow, usize)>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ServeJob {
    pub size: ImageSize,
    /// Fail on this image's task (`None`: the first) instead of answering it
    pub crash: Option<(CrashHow, Option<usize>)>,
}

impl ServeJob {
    /// How to fail on the task for image `index`, if this worker is to.
    fn crash_at(&self, index: usize) -> Option<CrashHow> {
        let (how, at) = self.crash?;
        at.is_none_or(|at| at == index).then_some(how)
    }
}

impl Role {
    /// A command that starts `exe`, this demo's own binary, as a worker with this role.
    pub fn command(&self, exe: &Path) -> Command {
        worker_command(exe, self)
    }
}

/// The child's side: what this binary does when its parent started it as a worker.
pub fn work(role: Role) -> anyhow::Result<()> {
    match role {
        Role::Nothing => Ok(()),
        Role::Range(job) => make_range(&job),
        Role::Serve(job) => {
            let replies = BufWriter::new(io::stdout().lock());
            serve(io::stdin().lock(), replies, &job)
        }
    }
}

// ANCHOR: work
/// A one-shot child: make its share of the images, each straight into its file.
fn make_range(job: &RangeJob) -> anyhow::Result<()> {
    let (child, pid) = (job.child, std::process::id());
    println!(
        "  child {child} (pid {pid}): making images {}..{}",
        job.from, job.to
    );
    // A child told to fail makes the images before the one it fails at.
    let end = job
        .crash
        .map_or(job.to, |(_, at)| at.clamp(job.from, job.to));
    for index in job.from..end {
        make_image(&job.dir, job.size, index)?;
    }
    if let Some((how, at)) = job.crash {
        println!(
            "  child {child} (pid {pid}): failing on purpose ({})",
            how.name()
        );
        crate::crash::fail(how, &job.dir, at, job.to);
    }
    Ok(())
}
// ANCHOR_END: work

// ANCHOR: serve
/// A pool worker's loop: read a task, do it, send the reply, until the parent closes the
/// pipe. `replies` is the worker's stdout, so nothing else may ever be printed there.
pub fn serve(mut tasks: impl Read, mut replies: impl Write, job: &ServeJob) -> anyhow::Result<()> {
    while let Some((task, _)) = receive(&mut tasks)? {
        let reply = match task {
            Task::Make { index } => {
                if let Some(how) = job.crash_at(index) {
                    how.crash();
                }
                let png = noise_png(index, job.size)?;
                Reply::Made { index, png }
            }
            Task::Echo { payload } => Reply::Echo { payload },
        };
        send(&mut replies, &reply)?;
    }
    Ok(())
}
// ANCHOR_END: serve

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_served_image_is_the_png_the_serial_map_writes() {
        let size = ImageSize::new(12, 5);
        let job = ServeJob { size, crash: None };
        let mut tasks = Vec::new();
        send(&mut tasks, &Task::Make { index: 3 }).unwrap();
        let mut replies = Vec::new();
        serve(tasks.as_slice(), &mut replies, &job).unwrap();
        let (reply, _) = receive::<Reply>(&mut replies.as_slice()).unwrap().unwrap();
        let png = workload::encode_png(&workload::noise_pixels(3, size), size).unwrap();
        assert_eq!(reply, Reply::Made { index: 3, png });
    }

    #[test]
    fn a_role_survives_the_trip_through_the_environment() {
        let job = RangeJob {
            child: 2,
            from: 10,
            to: 17,
            size: ImageSize::new(30, 20),
            dir: PathBuf::from("/some dir/with spaces"),
            crash: Some((CrashHow::Hang, 11)),
        };
        let command = Role::Range(job.clone()).command(Path::new("demo"));
        let (_, json) = command
            .get_envs()
            .find(|(name, _)| *name == harness::process::JOB_VAR)
            .unwrap();
        let back: Role = serde_json::from_str(json.unwrap().to_str().unwrap()).unwrap();
        assert_eq!(back, Role::Range(job));
    }
}
