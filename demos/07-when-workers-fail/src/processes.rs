//! The process strategies under faults: one-shot children and a pool over pipes (demo 04),
//! and processes filling one shared file (demo 06). Every worker reports each item on its
//! stdout and says why it failed on its stderr; the parent reads both, and kills a worker
//! that stays silent past the deadline.

use std::io::{BufRead, BufReader, Read, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::process::{ChildStdin, Command, Stdio};
use std::rc::Rc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use crossbeam_channel::{RecvTimeoutError, Sender, unbounded};
use process_spawn::shares;
use shared_array_fill::mapping::{MapFile, SharedArray};
use shared_array_fill::{Shape, default_map_dir};
use task_queue::Failure;
use workload::child::OwnedChild;
use workload::report::seconds;
use workload::{image_path, save_png};

use crate::item::{Clock, Plan, Report};
use crate::threads::lost;
use crate::worker::{Role, parse_report};

/// What the parent's reader threads pass on: a worker's report line, or its stdout closing
/// (it has exited, or is about to).
enum Event {
    Line(usize, String),
    Closed(usize),
}

// ANCHOR: worker
/// A worker process; threads of the parent read its stdout (into events) and its stderr.
struct Worker {
    process: OwnedChild,
    tasks: Option<ChildStdin>,
    stderr: Option<JoinHandle<String>>,
    killed: bool,
}

impl Worker {
    fn start(number: usize, mut command: Command, events: &Sender<Event>) -> anyhow::Result<Self> {
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut process = OwnedChild::spawn(&mut command)
            .with_context(|| format!("cannot start worker process {number}"))?;
        let (tasks, stdout) = process.take_pipes();
        let (stdout, stderr) = (
            stdout.expect("piped"),
            process.take_stderr().expect("piped"),
        );
        let events = events.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if events.send(Event::Line(number, line)).is_err() {
                    return;
                }
            }
            let _ = events.send(Event::Closed(number));
        });
        // Read stderr as it comes, so that a chatty worker never blocks on a full pipe.
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = BufReader::new(stderr).read_to_string(&mut text);
            text
        });
        Ok(Self {
            process,
            tasks,
            stderr: Some(stderr),
            killed: false,
        })
    }

    /// Kill the worker if it still runs (it is stuck).
    fn stop(&mut self) {
        if matches!(self.process.try_wait(), Ok(None)) {
            self.killed = self.process.kill().is_ok();
        }
    }

    /// Wait for the worker to exit and say how it ended: its pid and status, and the last
    /// thing it wrote on stderr, where a panic's message or an error line goes.
    fn ended(&mut self, deadline: Duration) -> String {
        let pid = self.process.id();
        let status = match self.process.wait() {
            Ok(status) => status.to_string(),
            Err(err) => format!("no status ({err})"),
        };
        let stderr = self.stderr.take().and_then(|t| t.join().ok());
        let said = last_words(stderr.as_deref().unwrap_or(""));
        if self.killed {
            let silent = seconds(deadline);
            format!("stuck: silent for {silent}, killed (pid {pid}, {status})")
        } else if said.is_empty() {
            format!("process died (pid {pid}, {status})")
        } else {
            format!("process died (pid {pid}, {status}): {said}")
        }
    }
}
// ANCHOR_END: worker

/// The line of a worker's stderr that says what went wrong: its last one.
fn last_words(stderr: &str) -> &str {
    let line = stderr.lines().rev().map(str::trim).find(|l| !l.is_empty());
    let line = line.unwrap_or("");
    line.strip_prefix("error: ").unwrap_or(line)
}

fn program() -> anyhow::Result<PathBuf> {
    std::env::current_exe().context("cannot find this program's own file")
}

// ANCHOR: one_shot
/// One child per share of the items; `role` says what a child does with its share. The
/// parent follows every child's reports until all have exited, kills those that stay silent
/// for `deadline`, and names the item a child died at: the item after the last it reported.
fn run_children(
    plan: &Plan,
    clock: &Clock,
    role: impl Fn(Range<usize>) -> Role,
) -> anyhow::Result<Vec<Failure>> {
    let (exe, (events, arriving)) = (program()?, unbounded());
    let shares = shares(plan.work.count, plan.workers);
    // If one cannot start, `?` drops `workers`, and each `OwnedChild` kills its process.
    let mut workers = Vec::new();
    for (number, share) in shares.iter().enumerate() {
        let mut command = role(share.clone()).command(&exe);
        command.stdin(Stdio::null());
        workers.push(Worker::start(number, command, &events)?);
    }
    drop(events); // only the reader threads hold senders now
    let mut next: Vec<usize> = shares.iter().map(|s| s.start).collect();
    let mut failures = Vec::new();
    loop {
        match arriving.recv_timeout(plan.deadline) {
            Ok(Event::Line(n, line)) => {
                let (index, outcome) = parse_report(&line)
                    .with_context(|| format!("worker process {n} said {line:?}"))?;
                next[n] = index + 1;
                if let Err(reason) = outcome {
                    clock.failed();
                    failures.push(Failure {
                        id: index,
                        worker: Some(n),
                        reason,
                    });
                }
            }
            Ok(Event::Closed(n)) => {
                let how = workers[n].ended(plan.deadline);
                if next[n] < shares[n].end {
                    clock.failed(); // it died before reporting all of its share
                    failures.extend(lost(next[n]..shares[n].end, n, how));
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                clock.failed();
                workers.iter_mut().for_each(Worker::stop);
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(failures), // every child is gone
        }
    }
}

/// One-shot children: each makes its share of the items, writing its own files.
pub fn one_shot(plan: &Plan) -> anyhow::Result<Report> {
    let (work, clock) = (&plan.work, Clock::start());
    let failures = run_children(plan, &clock, |share| Role::Range {
        from: share.start,
        to: share.end,
        work: work.clone(),
    })?;
    Ok(clock.report(work, work.count, failures))
}
// ANCHOR_END: one_shot

// ANCHOR: pool
/// A pool of long-lived workers fed item numbers over their stdin. A worker that dies loses
/// the one item it was on; the others carry on with the rest. A worker silent for `deadline`
/// is killed, which makes it a worker that died.
pub fn process_pool(plan: &Plan) -> anyhow::Result<Report> {
    let (work, clock) = (&plan.work, Clock::start());
    let (exe, (events, arriving)) = (program()?, unbounded());
    let mut workers = Vec::new();
    for number in 0..plan.workers {
        let mut command = Role::Serve { work: work.clone() }.command(&exe);
        command.stdin(Stdio::piped());
        workers.push(Worker::start(number, command, &events)?);
    }
    drop(events);
    let (mut on, mut next, mut alive) = (vec![None; workers.len()], 0, workers.len());
    for (worker, on) in workers.iter_mut().zip(&mut on) {
        give(worker, on, &mut next, work.count);
    }
    let mut failures = Vec::new();
    loop {
        match arriving.recv_timeout(plan.deadline) {
            Ok(Event::Line(n, line)) => {
                let (id, outcome) = parse_report(&line)
                    .with_context(|| format!("worker process {n} said {line:?}"))?;
                on[n] = None;
                if let Err(reason) = outcome {
                    clock.failed();
                    let worker = Some(n);
                    failures.push(Failure { id, worker, reason });
                }
                give(&mut workers[n], &mut on[n], &mut next, work.count);
            }
            Ok(Event::Closed(n)) => {
                alive -= 1;
                let how = workers[n].ended(plan.deadline);
                if let Some(id) = on[n].take() {
                    clock.failed();
                    let (worker, reason) = (Some(n), how);
                    failures.push(Failure { id, worker, reason });
                }
                if alive == 0 && next < work.count {
                    let reason = "not done: every worker had died".to_owned();
                    let worker = None;
                    let rest = (next..work.count).map(|id| Failure {
                        id,
                        worker,
                        reason: reason.clone(),
                    });
                    failures.extend(rest);
                    next = work.count;
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                clock.failed();
                let busy = workers.iter_mut().zip(&on).filter(|(_, on)| on.is_some());
                busy.for_each(|(worker, _)| worker.stop());
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    Ok(clock.report(work, work.count, failures))
}

/// Send `worker` the next item, or close its stdin when there is none: that ends its loop.
/// A write to a worker that has died fails; its item is then reported with how it died.
fn give(worker: &mut Worker, on: &mut Option<usize>, next: &mut usize, count: usize) {
    if *next == count {
        worker.tasks = None;
        return;
    }
    if let Some(tasks) = worker.tasks.as_mut() {
        let _ = writeln!(tasks, "{next}");
    }
    *on = Some(*next);
    *next += 1;
}
// ANCHOR_END: pool

// ANCHOR: shared
/// Processes putting their share of the items into rows of one shared file in `/dev/shm`
/// (demo 06's `MapFile` and `Band`); the parent writes the output files from the rows. The
/// file's guard removes it on every way out. A worker that died leaves a half-filled row:
/// the parent writes only the rows a worker reported done.
pub fn shared_memory(plan: &Plan) -> anyhow::Result<Report> {
    let (work, clock) = (&plan.work, Clock::start());
    let cols = work.size().bytes();
    let shape = Shape {
        rows: work.count,
        cols,
    };
    let file = MapFile::create(&default_map_dir(), shape).context("cannot create the file")?;
    let file = Rc::new(file);
    let mut failures = run_children(plan, &clock, |share| Role::Band {
        file: file.path().to_owned(),
        from: share.start,
        to: share.end,
        work: work.clone(),
    })?;
    // Every worker has exited: only now may the parent map the file and read it.
    let array = SharedArray::open(Rc::clone(&file)).context("cannot map the shared file")?;
    let failed: Vec<usize> = failures.iter().map(|f| f.id).collect();
    for (index, row) in array.cells().chunks(cols).enumerate() {
        if failed.contains(&index) {
            continue;
        }
        let pixels: Vec<u8> = row.iter().map(|&cell| cell as u8).collect();
        if let Err(err) = save_png(&image_path(&work.output, index), &pixels, work.size()) {
            clock.failed();
            let reason = format!("{:#}", anyhow::Error::from(err));
            failures.push(Failure {
                id: index,
                worker: None,
                reason,
            });
        }
    }
    Ok(clock.report(work, work.count, failures))
}
// ANCHOR_END: shared
