//! The parent's side, one-shot: a child per share of the indices, each making its range of
//! images and exiting; the parent waits for all of them and stops the rest when one fails.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use harness::child::{OwnedChild, POLL};
use harness::report::seconds;
use workload::{ImageSize, image_path, temp_path};

use crate::crash::Crash;
use crate::worker::{RangeJob, Role};

/// `count` indices cut into `parts` consecutive ranges whose lengths differ by at most one.
pub fn shares(count: usize, parts: usize) -> Vec<Range<usize>> {
    assert!(parts >= 1, "at least one part");
    (0..parts)
        .map(|p| p * count / parts..(p + 1) * count / parts)
        .collect()
}

/// How one child process ended.
#[derive(Clone, Debug)]
pub struct ChildReport {
    pub child: usize,
    pub pid: u32,
    pub images: Range<usize>,
    pub status: ExitStatus,
    /// From just before it was started until the parent saw it exit.
    pub time: Duration,
    /// True when the parent killed it because another child had failed.
    pub stopped: bool,
    /// True when the parent killed it because it ran past the deadline.
    pub overdue: bool,
    /// Its error line, where its output was not shown (`error: ` taken off); else empty.
    pub said: String,
}

impl fmt::Display for ChildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let images = format!("{}..{}", self.images.start, self.images.end);
        write!(
            f,
            "child {} (pid {}): images {images:<9} {} after {}",
            self.child,
            self.pid,
            self.status,
            seconds(self.time)
        )?;
        if self.overdue {
            write!(f, ", killed by the parent at the deadline")?;
        }
        if self.stopped {
            write!(f, ", stopped by the parent because another child failed")?;
        }
        Ok(())
    }
}

// ANCHOR: run_children
/// How the one-shot children are run: how many, which one fails, how long each may take.
#[derive(Clone, Copy, Debug)]
pub struct Children {
    pub processes: usize,
    pub crash: Option<Crash>,
    pub deadline: Duration,
    /// Let the children's lines through to our stdout and stderr (else they go nowhere).
    pub show_output: bool,
}

/// Start one child per share of images `0..count`, then wait for all of them (see
/// [`wait_for_all`]). Their reports come back in child order.
pub fn run_children(
    exe: &Path,
    dir: &Path,
    size: ImageSize,
    count: usize,
    how: Children,
) -> anyhow::Result<Vec<ChildReport>> {
    let mut running = Vec::new();
    for (child, images) in shares(count, how.processes).into_iter().enumerate() {
        let (from, to, dir) = (images.start, images.end, dir.to_owned());
        let crash = how.crash.and_then(|c| c.for_child(child, &images));
        let mut command = Role::Range(RangeJob {
            child,
            from,
            to,
            size,
            dir,
            crash,
        })
        .command(exe);
        if !how.show_output {
            command.stdout(Stdio::null()).stderr(Stdio::piped()); // for its error line
        }
        let started = Instant::now();
        let process = OwnedChild::spawn(&mut command)?; // on error, `running` kills the others
        running.push(Running {
            child,
            images,
            process,
            started,
            killed: false,
            overdue: false,
        });
    }
    let waited = wait_for_all(running, how.deadline);

    // A killed child had no chance to remove the temporary file it may have been writing;
    // at Ctrl-C or SIGTERM every child was killed, so any such file in `dir` goes.
    let temporary: Vec<PathBuf> = match &waited {
        Ok(reports) => reports
            .iter()
            .filter(|r| !r.status.success())
            .flat_map(|r| r.images.clone())
            .map(|index| temp_path(&image_path(dir, index)))
            .collect(),
        Err(_) => temporary_images(dir),
    };
    for file in temporary {
        let _ = std::fs::remove_file(file);
    }
    waited
}
// ANCHOR_END: run_children

/// The temporary files of noise images in `dir` (`.noise-00042.png.tmp`).
fn temporary_images(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
    entries
        .map(|entry| entry.path())
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with('.') && workload::noise::is_image_file(path)
        })
        .collect()
}

/// A child that has been started and has not been seen to exit yet.
struct Running {
    child: usize,
    images: Range<usize>,
    process: OwnedChild,
    started: Instant,
    killed: bool,
    overdue: bool,
}

// ANCHOR: wait_for_all
/// Wait until every child has exited, looking at each in turn. Kill one past the deadline, and
/// the others once one has failed. Ctrl-C or SIGTERM returns at once (`running` kills them).
fn wait_for_all(mut running: Vec<Running>, deadline: Duration) -> anyhow::Result<Vec<ChildReport>> {
    let mut reports = Vec::with_capacity(running.len());
    while !running.is_empty() {
        harness::stop::check()?;
        let mut index = 0;
        while index < running.len() {
            let r = &mut running[index];
            if !r.killed && r.started.elapsed() > deadline {
                r.overdue = r.process.kill().is_ok();
                r.killed = r.overdue;
            }
            match r.process.try_wait()? {
                Some(status) => reports.push(running.remove(index).report(status)),
                None => index += 1,
            }
        }
        if reports.iter().any(|r| !r.status.success()) {
            for r in running.iter_mut().filter(|r| !r.killed) {
                r.killed = r.process.kill().is_ok();
            }
        }
        if !running.is_empty() {
            std::thread::sleep(POLL);
        }
    }
    reports.sort_by_key(|r| r.child);
    Ok(reports)
}
// ANCHOR_END: wait_for_all

impl Running {
    fn report(mut self, status: ExitStatus) -> ChildReport {
        // It has exited, so its stderr is at its end: read it whole, keep the last line.
        let mut said = String::new();
        if let Some(mut stderr) = self.process.take_stderr() {
            let _ = std::io::Read::read_to_string(&mut stderr, &mut said);
        }
        let last = said.lines().last().unwrap_or_default();
        let said = last.strip_prefix("error: ").unwrap_or(last).to_owned();
        ChildReport {
            said,
            child: self.child,
            pid: self.process.id(),
            images: self.images,
            status,
            time: self.started.elapsed(),
            stopped: self.killed && !self.overdue && !status.success(),
            overdue: self.overdue,
        }
    }
}

/// An error naming the child that failed first (not one the parent stopped): its range and
/// how it ended.
pub fn check(reports: &[ChildReport], deadline: Duration) -> anyhow::Result<()> {
    match reports.iter().find(|r| !r.status.success() && !r.stopped) {
        Some(r) if r.overdue => bail!(
            "child {} (pid {}) making images {}..{} did not finish within {} s; killed",
            r.child,
            r.pid,
            r.images.start,
            r.images.end,
            deadline.as_secs_f64()
        ),
        Some(r) => bail!(
            "child {} (pid {}) making images {}..{} failed: {}{}",
            r.child,
            r.pid,
            r.images.start,
            r.images.end,
            r.status,
            if r.said.is_empty() {
                String::new()
            } else {
                format!(": {}", r.said)
            }
        ),
        None => Ok(()),
    }
}

/// The one-shot run a reader watches: the parent's pid, each child's own line as it starts
/// (their order is up to the operating system), then how each one ended.
pub fn one_shot_shown(
    exe: &Path,
    dir: &Path,
    size: ImageSize,
    count: usize,
    how: Children,
) -> anyhow::Result<()> {
    let (parent, processes) = (std::process::id(), how.processes);
    harness::outln!(
        "one-shot: the parent (pid {parent}) starts {processes} children, waits for all"
    )?;
    let reports = run_children(
        exe,
        dir,
        size,
        count,
        Children {
            show_output: true,
            ..how
        },
    )
    .context("cannot run the child processes")?;
    harness::outln!("what the parent saw:")?;
    for report in &reports {
        harness::outln!("  {report}")?;
    }
    check(&reports, how.deadline)
}

/// The one-shot strategy for the table: children that print nothing, the paths in index order.
pub fn one_shot_map(
    exe: &Path,
    dir: &Path,
    size: ImageSize,
    count: usize,
    processes: usize,
    deadline: Duration,
) -> anyhow::Result<Vec<PathBuf>> {
    let how = Children {
        processes,
        crash: None,
        deadline,
        show_output: false,
    };
    let reports =
        run_children(exe, dir, size, count, how).context("cannot run the child processes")?;
    check(&reports, deadline)?;
    Ok((0..count).map(|index| image_path(dir, index)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_every_index_once_and_differ_by_at_most_one() {
        for count in [0, 1, 2, 7, 64, 65] {
            for parts in [1, 2, 3, 7, 10] {
                let shares = shares(count, parts);
                assert_eq!(shares.len(), parts);
                let all: Vec<usize> = shares.iter().cloned().flatten().collect();
                assert_eq!(all, (0..count).collect::<Vec<_>>(), "{count} in {parts}");
                let lengths: Vec<usize> = shares.iter().map(ExactSizeIterator::len).collect();
                let (min, max) = (lengths.iter().min(), lengths.iter().max());
                assert!(max.unwrap() - min.unwrap() <= 1, "{lengths:?}");
            }
        }
    }
}
