//! A plain run, contained: a program of its own, in a process group of its own, with a time
//! limit. When it still runs at the limit, the demo kills the whole group, as a person would
//! kill a program that has stopped making progress. Either way the demo reaps every process
//! of the group, removes the half-written files the run left, and checks that nothing is left.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::Pid;
use workload::child::{OwnedChild, POLL};
use workload::report::seconds;
use workload::testing::files_below;

use crate::item::Work;
use crate::matrix::{Settings, aligned, leftovers, whole_images};
use crate::plain::{Plain, PlainRun};

/// How long a plain run may go before the demo calls it hung: four times the matrix's default
/// deadline, and about a hundred times what a healthy run of 64 items takes on two cores.
pub const LIMIT: Duration = Duration::from_secs(2);

/// How long the demo waits for the processes it killed to be gone, and for their pipes to close.
const GRACE: Duration = Duration::from_secs(2);

/// The process group of the plain run going on, if any, for the Ctrl-C handler.
static GROUP: Mutex<Option<Pid>> = Mutex::new(None);

fn group() -> MutexGuard<'static, Option<Pid>> {
    GROUP.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Kill every process of the plain run going on, if there is one. The group is taken out
/// before anything is reaped, so no signal can reach a process id that has been reused.
pub fn kill_group() {
    if let Some(pgid) = group().take() {
        let _ = killpg(pgid, Signal::SIGKILL);
    }
}

/// How a plain run ended.
#[derive(Debug)]
pub enum Ended {
    /// It exited by itself.
    Exited { status: ExitStatus, took: Duration },
    /// It still ran at the limit: the demo killed it.
    Hung,
}

/// One plain cell: how the run ended, what it printed, and what the demo found after it.
#[derive(Debug)]
pub struct PlainCell {
    pub plain: Plain,
    pub work: Work,
    pub ended: Ended,
    /// The other processes of its group that still ran when it ended or was killed: the
    /// workers it had started, which the demo killed with it.
    pub stragglers: usize,
    pub stdout: String,
    pub stderr: String,
    /// The items whose output image is there and whole.
    pub whole: Vec<usize>,
    /// The half-written files it left, which the demo removed.
    pub removed: Vec<String>,
    /// What is still there once the demo has cleaned up: nothing, unless the demo is wrong.
    pub left: Vec<String>,
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
        let mut group = group(); // held until the group is known to the Ctrl-C handler
        let run = OwnedChild::spawn(&mut command).context("cannot start the plain run")?;
        let pgid = Pid::from_raw(i32::try_from(run.id())?);
        *group = Some(pgid);
        let ended = false;
        Ok(Self { run, pgid, ended })
    }

    /// Wait up to `limit` for the run to exit by itself: how long it took, or `None` if it
    /// still runs. An exited run is not reaped yet (`WNOWAIT`), so its pid, which is the
    /// group's id, cannot go to another process before the group is killed.
    fn wait(&self, limit: Duration) -> anyhow::Result<Option<Duration>> {
        let start = Instant::now();
        let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
        loop {
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
    fn end(&mut self) -> (Option<ExitStatus>, Vec<String>) {
        self.ended = true;
        kill_group();
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

/// The processes in group `pgid`, zombies included, from `/proc/PID/stat`.
fn members(pgid: Pid) -> Vec<i32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // "pid (name) state ppid pgrp ...": the name may hold spaces, so start after its ')'.
        let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let pgrp = after_name.split_whitespace().nth(2);
        if pgrp.and_then(|p| p.parse().ok()) == Some(pgid.as_raw()) {
            found.push(pid);
        }
    }
    found
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

/// Run the plain version `plain` in a folder of its own under `settings.out`, contained.
pub fn run_plain(settings: &Settings, plain: Plain) -> anyhow::Result<PlainCell> {
    let (strategy, fault) = (plain.strategy().name(), plain.fault().name());
    let dir = settings.out.join(format!("plain-{strategy}-{fault}"));
    let work = Work {
        input: dir.join("input"),
        output: dir.join("output"),
        side: settings.side,
        count: settings.count,
        fault: plain.fault(),
        at: settings.at,
    };
    work.prepare()?;
    let exe = std::env::current_exe().context("cannot find this program's own file")?;
    let workers = settings.workers;
    let run = PlainRun {
        strategy: plain,
        workers,
        work: work.clone(),
    };
    let mut command = run.command(&exe);
    command.stdin(Stdio::null());
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    // A panic's message without the backtrace that RUST_BACKTRACE adds: it goes in a row.
    command
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE");
    let mut contained = Contained::start(command)?;
    let (_, stdout) = contained.run.take_pipes();
    let (stdout, stderr) = (read_all(stdout), read_all(contained.run.take_stderr()));
    let took = contained.wait(LIMIT)?;
    let pgid = contained.pgid;
    let stragglers = members(pgid).into_iter().filter(|&p| p != pgid.as_raw());
    let stragglers = stragglers.count();
    let (status, mut left) = contained.end();
    let ended = match (took, status) {
        (Some(took), Some(status)) => Ended::Exited { status, took },
        (Some(_), None) => anyhow::bail!("cannot read how the plain run ended"),
        (None, _) => Ended::Hung,
    };
    let (stdout, stderr) = (text_of(stdout), text_of(stderr));
    let mut removed = Vec::new();
    for file in files_below(&work.output) {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with(".tmp") && std::fs::remove_file(&file).is_ok() {
            removed.push(name.into_owned());
        }
    }
    left.extend(leftovers(&work));
    Ok(PlainCell {
        plain,
        ended,
        stragglers,
        stdout,
        stderr,
        whole: whole_images(&work),
        removed,
        left,
        work,
    })
}

/// Lines of what a program printed, without blank ones and Rust's `note:` lines, as one line.
fn one_line(text: &str) -> String {
    let lines = text.lines().map(str::trim);
    let lines: Vec<&str> = lines
        .filter(|l| !l.is_empty() && !l.starts_with("note:"))
        .collect();
    lines.join(" ")
}

impl PlainCell {
    /// What the cell did that its plain code does not do, in a phrase; `None` when it failed
    /// in its own way (the queue hung with items missing, the one-shot children's run
    /// exited with 0 and said nothing while items were missing, the pool hung without a word)
    /// and nothing was left once the demo had cleaned up.
    pub fn unexpected(&self) -> Option<String> {
        let missing = self.whole.len() < self.work.count;
        let silent = self.stderr.trim().is_empty();
        let as_plain_code_does = match (self.plain, &self.ended) {
            (Plain::Queue, Ended::Hung) => missing,
            (Plain::OneShot, Ended::Exited { status, .. }) => status.success() && silent && missing,
            (Plain::Pool, Ended::Hung) => missing && silent,
            _ => false,
        };
        if !self.left.is_empty() {
            Some(format!("left behind: {}", self.left.join(", ")))
        } else if !as_plain_code_does {
            let [.., ended, images, _, said] = self.row();
            Some(format!("{ended}, {images} images, said {said}"))
        } else {
            None
        }
    }

    /// The columns of this cell's row, as in [`PLAIN_HEADINGS`].
    fn row(&self) -> [String; 6] {
        let ended = match &self.ended {
            Ended::Hung => format!(
                "hung: still waiting after {}, killed by the demo",
                seconds(LIMIT)
            ),
            Ended::Exited { status, took } => format!("{status} after {}", seconds(*took)),
        };
        let mut left = Vec::new();
        if self.stragglers > 0 {
            let n = self.stragglers;
            let processes = if n == 1 { "process" } else { "processes" };
            left.push(format!("{n} {processes} it started, killed"));
        }
        left.extend(self.removed.iter().map(|name| format!("{name}, removed")));
        left.extend(self.left.iter().cloned());
        let left = if left.is_empty() {
            "none".to_owned()
        } else {
            left.join("; ")
        };
        let mut said = Vec::new();
        for (pipe, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            let text = one_line(text);
            if !text.is_empty() {
                said.push(format!("{pipe}: {text}"));
            }
        }
        let said = if said.is_empty() {
            "nothing".to_owned()
        } else {
            said.join("; ")
        };
        [
            self.plain.strategy().name().to_owned(),
            self.work.fault.name().to_owned(),
            ended,
            format!("{}/{}", self.whole.len(), self.work.count),
            left,
            said,
        ]
    }
}

const PLAIN_HEADINGS: [&str; 6] = ["strategy", "fault", "ended", "images", "left", "said"];

/// The plain cells as one table, a row each; below it, what the fixed strategy in the matrix
/// does instead.
pub fn plain_table(cells: &[PlainCell]) -> String {
    let rows: Vec<[String; 6]> = cells.iter().map(PlainCell::row).collect();
    let mut out = aligned(PLAIN_HEADINGS, &rows);
    out.push_str("\nwhat the fixed strategy does instead (run without --plain to see it):\n");
    let names: Vec<String> = cells
        .iter()
        .map(|c| format!("{} x {}", c.plain.strategy().name(), c.work.fault.name()))
        .collect();
    let width = names.iter().map(String::len).max().unwrap_or(0);
    for (cell, name) in cells.iter().zip(&names) {
        out.push_str(&format!("  {name:<width$}  {}\n", cell.plain.fix()));
    }
    out
}

/// Whether every plain cell failed as its plain code does and was cleaned up after: a line
/// that says so, or an error line naming the first that did not.
pub fn plain_verdict(cells: &[PlainCell]) -> Result<&'static str, String> {
    for cell in cells {
        if let Some(why) = cell.unexpected() {
            let (strategy, fault) = (cell.plain.strategy().name(), cell.work.fault.name());
            return Err(format!(
                "plain {strategy} x {fault} did not fail as expected: {why}"
            ));
        }
    }
    Ok(
        "every plain run failed as its plain code does; the demo killed and reaped each of its processes and removed what it left half-written",
    )
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;

    use super::*;

    fn cell(plain: Plain, ended: Ended, whole: usize, stderr: &str) -> PlainCell {
        let work = Work {
            input: "in".into(),
            output: "out".into(),
            side: 4,
            count: 4,
            fault: plain.fault(),
            at: 2,
        };
        PlainCell {
            plain,
            work,
            ended,
            stragglers: 0,
            stdout: String::new(),
            stderr: stderr.to_owned(),
            whole: (0..whole).collect(),
            removed: Vec::new(),
            left: Vec::new(),
        }
    }

    fn exited(code: i32) -> Ended {
        let (status, took) = (ExitStatus::from_raw(code << 8), Duration::from_millis(3));
        Ended::Exited { status, took }
    }

    #[test]
    fn a_plain_cell_is_as_expected_only_when_it_fails_the_way_its_code_does() {
        let panicked = "thread '<unnamed>' panicked at fault.rs:1:1:\ninjected panic at item 2";
        assert_eq!(
            cell(Plain::Queue, Ended::Hung, 3, panicked).unexpected(),
            None
        );
        assert_eq!(cell(Plain::OneShot, exited(0), 2, "").unexpected(), None);
        assert_eq!(cell(Plain::Pool, Ended::Hung, 3, "").unexpected(), None);

        // Ended in another way: it did not hang, it said why, or it lost nothing.
        let quick = cell(Plain::Queue, exited(1), 3, panicked)
            .unexpected()
            .unwrap();
        assert!(
            quick.starts_with("exit status: 1 after 3.0 ms, 3/4 images"),
            "{quick}"
        );
        let said = cell(Plain::OneShot, exited(0), 2, "error: item 2").unexpected();
        assert!(said.unwrap().ends_with("said stderr: error: item 2"));
        assert!(
            cell(Plain::OneShot, exited(0), 4, "")
                .unexpected()
                .is_some()
        );
        assert!(cell(Plain::Pool, Ended::Hung, 4, "").unexpected().is_some());

        let mut left = cell(Plain::Pool, Ended::Hung, 3, "");
        left.left.push("process 7".into());
        assert_eq!(left.unexpected().as_deref(), Some("left behind: process 7"));
    }

    #[test]
    fn what_a_program_said_goes_on_one_line_without_the_note() {
        let stderr =
            "thread 'x' panicked at a.rs:1:2:\n  boom\n\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(one_line(stderr), "thread 'x' panicked at a.rs:1:2: boom");
    }
}
