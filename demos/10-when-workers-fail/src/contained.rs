//! A plain run, contained: a program of its own, in a process group of its own, with a time
//! limit. When it still runs at the limit, the demo kills the whole group, as a person would
//! kill a program that has stopped making progress. Either way the demo reaps every process
//! of the group and checks that none is left.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use harness::child::{OwnedChild, POLL};
use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::Pid;

/// How long a plain run may go before the demo calls it hung: four times the matrix's default
/// deadline, and about a hundred times what a healthy run of 64 items takes on two cores.
pub const LIMIT: Duration = Duration::from_secs(2);

/// How long the demo waits for the processes it killed to be gone, and for their pipes to close.
const GRACE: Duration = Duration::from_secs(2);

/// How a plain run ended.
#[derive(Debug)]
pub enum Ended {
    /// It exited by itself.
    Exited { status: ExitStatus, took: Duration },
    /// It still ran at the limit: the demo killed it.
    Hung,
}

// ANCHOR: contain
/// A plain run and its process group, whose id is the run's pid. However the demo leaves
/// it, the whole group is killed, the run is reaped by its `OwnedChild`, and then the
/// workers it started, which became the demo's children when it died.
struct Contained {
    run: OwnedChild,
    pgid: Pid,
    ended: bool,
}

impl Contained {
    fn start(mut command: std::process::Command) -> anyhow::Result<Self> {
        // Orphans of the run come to the demo, not to init, so that the demo can reap them.
        nix::sys::prctl::set_child_subreaper(true).context("cannot adopt orphans")?;
        command.process_group(0); // a group of its own, which every process it starts joins
        let run = OwnedChild::spawn(&mut command).context("cannot start the plain run")?;
        let pgid = Pid::from_raw(i32::try_from(run.id())?);
        let ended = false;
        Ok(Self { run, pgid, ended })
    }

    /// Wait up to `limit` for the run to exit by itself: how long it took, or `None` if it
    /// still runs. An exited run is not reaped yet (`WNOWAIT`), so its pid, which is the
    /// group's id, cannot go to another process before the group is killed. Ctrl-C or SIGTERM
    /// ends the wait with an error; dropping the guard then kills and reaps the group.
    fn wait(&self, limit: Duration) -> anyhow::Result<Option<Duration>> {
        let start = Instant::now();
        let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
        loop {
            harness::stop::check()?;
            if waitid(Id::Pid(self.pgid), flags)? != WaitStatus::StillAlive {
                return Ok(Some(start.elapsed()));
            }
            if start.elapsed() >= limit {
                return Ok(None);
            }
            std::thread::sleep(POLL);
        }
    }

    /// Kill the whole group and reap all of it: how the run ended, and what is still there.
    /// The run is not reaped before the group is killed, so no signal can reach a process
    /// that has taken over the group's id.
    fn end(&mut self) -> (Option<ExitStatus>, Vec<String>) {
        self.ended = true;
        let _ = killpg(self.pgid, Signal::SIGKILL);
        let status = self.run.wait().ok();
        (status, reap(self.pgid))
    }
}

impl Drop for Contained {
    fn drop(&mut self) {
        if !self.ended {
            self.end();
        }
    }
}
// ANCHOR_END: contain

/// Reap the processes of group `pgid` that are the demo's children, and wait for the group to
/// be gone. Returns what is still there after [`GRACE`].
fn reap(pgid: Pid) -> Vec<String> {
    let (start, any_in_group) = (Instant::now(), Pid::from_raw(-pgid.as_raw()));
    loop {
        match waitpid(any_in_group, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) | Err(Errno::EINTR) => {}
            Ok(_) => continue, // one reaped: look for the next at once
            // No child of the demo is in the group any more; one that is not its child may
            // still be on its way out.
            Err(_) if members(pgid).is_empty() => return Vec::new(),
            Err(_) => {}
        }
        if start.elapsed() >= GRACE {
            let left = members(pgid).into_iter();
            return left.map(|pid| format!("process {pid}")).collect();
        }
        std::thread::sleep(POLL);
    }
}

/// The processes in group `pgid`, zombies included.
fn members(pgid: Pid) -> Vec<i32> {
    let group = u32::try_from(pgid.as_raw()).unwrap_or(0);
    let pids = harness::ps::in_group(group).into_iter();
    pids.filter_map(|pid| i32::try_from(pid).ok()).collect()
}

/// A thread that reads `pipe` to its end.
fn read_all<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}

/// What `reader` read. Every process that held its pipe is dead by now, so it has ended or
/// is about to; if it has not within [`GRACE`], the demo goes on without it.
fn text_of(reader: JoinHandle<String>) -> String {
    let start = Instant::now();
    while !reader.is_finished() && start.elapsed() < GRACE {
        std::thread::sleep(POLL);
    }
    if reader.is_finished() {
        reader.join().unwrap_or_default()
    } else {
        "(its pipe is still open)".to_owned()
    }
}

/// What a contained run did: how it ended, how many of the processes it started still ran
/// then (the demo killed them with it), what it printed, and what is still there after the
/// demo reaped the group: nothing, unless the demo is wrong.
#[derive(Debug)]
pub struct Outcome {
    pub ended: Ended,
    pub stragglers: usize,
    pub stdout: String,
    pub stderr: String,
    pub left: Vec<String>,
}

/// Start `command` contained, give it [`LIMIT`] to end by itself, then kill and reap its group.
pub fn run_contained(mut command: std::process::Command) -> anyhow::Result<Outcome> {
    command.stdin(Stdio::null());
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut contained = Contained::start(command)?;
    let (_, stdout) = contained.run.take_pipes();
    let (stdout, stderr) = (read_all(stdout), read_all(contained.run.take_stderr()));
    let took = contained.wait(LIMIT)?;
    let pgid = contained.pgid;
    let stragglers = members(pgid).into_iter().filter(|&p| p != pgid.as_raw());
    let stragglers = stragglers.count();
    let (status, left) = contained.end();
    let ended = match (took, status) {
        (Some(took), Some(status)) => Ended::Exited { status, took },
        (Some(_), None) => anyhow::bail!("cannot read how the plain run ended"),
        (None, _) => Ended::Hung,
    };
    let (stdout, stderr) = (text_of(stdout), text_of(stderr));
    Ok(Outcome {
        ended,
        stragglers,
        stdout,
        stderr,
        left,
    })
}
