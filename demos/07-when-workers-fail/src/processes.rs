//! The process strategies under faults: one-shot children and a pool over pipes (demo 04),
//! and processes filling one shared file (demo 06). Every worker reports each item on its
//! stdout and says why it failed on its stderr; the parent reads both, and kills a worker
//! that stays silent past the deadline.

use std::io::{BufRead, BufReader, Read, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::process::{ChildStdin, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, unbounded};
use harness::child::OwnedChild;
use harness::process::CrashHow;
use harness::report::seconds;
use process_spawn::shares;
use shared_array_fill::threads::band_rows;
use shared_array_fill::{BandCrash, ProcessFill, Shape, default_map_dir, fill_rows, plain_cell};
use task_queue::Failure;
use workload::{image_path, save_png};

use crate::fault::Fault;
use crate::item::{Ledger, Plan, Report};
use crate::threads::lost;
use crate::worker::{Role, parse_report};

/// What the parent's reader threads pass on: a worker's report line, or its stdout closing
/// (it has exited, or is about to).
enum Event {
    Line(usize, String),
    Closed(usize),
}

/// A worker process; threads of the parent read its stdout (into events) and its stderr.
struct Worker {
    process: OwnedChild,
    tasks: Option<ChildStdin>,
    stderr: Option<JoinHandle<String>>,
    killed: bool,
}

/// How a worker process ended: whether it exited with code 0, and in words.
struct Ending {
    success: bool,
    how: String,
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

    // ANCHOR: ended
    /// Wait for the worker to exit and say how it ended: its pid and status, and the last
    /// thing it wrote on stderr, where a panic's message or an error line goes.
    fn ended(&mut self, deadline: Duration) -> Ending {
        let pid = self.process.id();
        let (success, status) = match self.process.wait() {
            Ok(status) => (status.success(), status.to_string()),
            Err(err) => (false, format!("no status ({err})")),
        };
        let stderr = self.stderr.take().and_then(|t| t.join().ok());
        let said = last_words(stderr.as_deref().unwrap_or(""));
        let how = if self.killed {
            let silent = seconds(deadline);
            format!("stuck: silent for {silent}, killed (pid {pid}, {status})")
        } else if said.is_empty() {
            format!("process died (pid {pid}, {status})")
        } else {
            format!("process died (pid {pid}, {status}): {said}")
        };
        Ending { success, how }
    }
    // ANCHOR_END: ended
}

/// The line of a worker's stderr that says what went wrong: its last one.
fn last_words(stderr: &str) -> &str {
    let line = stderr.lines().rev().map(str::trim).find(|l| !l.is_empty());
    let line = line.unwrap_or("");
    line.strip_prefix("error: ").unwrap_or(line)
}

fn program() -> anyhow::Result<PathBuf> {
    std::env::current_exe().context("cannot find this program's own file")
}

/// One child per share of the items, started by `command`. The parent follows every child's
/// reports until all have exited, kills those that stay silent for `deadline`, and names the
/// item a child died at: the item after the last it reported. Every exit status is read: a
/// child that reported its whole share and still did not exit with 0 is an error too. Returns
/// the items the children reported done; the failures go into the ledger.
fn run_children(
    plan: &Plan,
    ledger: &Ledger,
    command: impl Fn(Range<usize>) -> Command,
) -> anyhow::Result<Vec<usize>> {
    let mut shares = shares(plan.work.count, plan.workers);
    shares.retain(|share| !share.is_empty()); // more workers than items: no child for nothing
    let (events, arriving) = unbounded();
    // If one cannot start, `?` drops `workers`, and each `OwnedChild` kills its process.
    let mut workers = Vec::new();
    for (number, share) in shares.iter().enumerate() {
        let mut command = command(share.clone());
        command.stdin(Stdio::null());
        workers.push(Worker::start(number, command, &events)?);
    }
    drop(events); // only the reader threads hold senders now
    let mut next: Vec<usize> = shares.iter().map(|s| s.start).collect();
    let mut reported = Vec::new();
    loop {
        match next_event(&arriving, plan.deadline)? {
            Ok(Event::Line(n, line)) => {
                let (index, outcome) = parse_report(&line)
                    .filter(|(index, _)| shares[n].contains(index))
                    .with_context(|| format!("worker process {n} said {line:?}"))?;
                next[n] = index + 1;
                match outcome {
                    Ok(()) => reported.push(index),
                    Err(reason) => ledger.failed(Failure {
                        id: index,
                        worker: Some(n),
                        reason,
                    }),
                }
            }
            // ANCHOR: closed
            Ok(Event::Closed(n)) => {
                let Ending { success, how } = workers[n].ended(plan.deadline);
                let share = &shares[n];
                if next[n] < share.end {
                    // It died before reporting all of its share.
                    let lost = lost(next[n]..share.end, n, how);
                    lost.into_iter().for_each(|f| ledger.failed(f));
                } else if !success {
                    let items = format!("{}..{}", share.start, share.end);
                    let what = format!("worker {n} reported items {items}, then failed: {how}");
                    ledger.error(what);
                }
            }
            // ANCHOR_END: closed
            Err(RecvTimeoutError::Timeout) => {
                ledger.noticed();
                workers.iter_mut().for_each(Worker::stop);
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(reported), // every child is gone
        }
    }
}

/// How often a waiting parent looks whether Ctrl-C or SIGTERM asked it to stop.
const TICK: Duration = Duration::from_millis(50);

/// The next event, or `Timeout` when none came for `deadline`. Ctrl-C or SIGTERM ends the
/// wait with an error: on the way out of `main`, each worker's `OwnedChild` kills and reaps it.
fn next_event(
    arriving: &Receiver<Event>,
    deadline: Duration,
) -> Result<Result<Event, RecvTimeoutError>, harness::stop::Stopped> {
    let start = Instant::now();
    loop {
        harness::stop::check()?;
        let left = deadline.saturating_sub(start.elapsed());
        match arriving.recv_timeout(left.min(TICK)) {
            Err(RecvTimeoutError::Timeout) if left > TICK => {}
            event => return Ok(event),
        }
    }
}

/// One-shot children: each makes its share of the items, writing its own files.
pub fn one_shot(plan: &Plan) -> anyhow::Result<Report> {
    let (work, ledger, exe) = (&plan.work, Ledger::start(), program()?);
    let reported = run_children(plan, &ledger, |share| {
        let (from, to, work) = (share.start, share.end, work.clone());
        Role::Range { from, to, work }.command(&exe)
    })?;
    reported.into_iter().for_each(|id| ledger.done(id));
    Ok(ledger.report(work))
}

/// A pool of long-lived workers fed item numbers over their stdin. A worker that dies loses
/// the one item it was on; the others carry on with the rest. A worker silent for `deadline`
/// is killed, which makes it a worker that died.
pub fn process_pool(plan: &Plan) -> anyhow::Result<Report> {
    let (work, ledger, exe) = (&plan.work, Ledger::start(), program()?);
    serve(plan, &ledger, || {
        Role::Serve { work: work.clone() }.command(&exe)
    })?;
    Ok(ledger.report(work))
}

/// The pool's parent: start the workers with `command`, hand out the items, record them.
fn serve(plan: &Plan, ledger: &Ledger, command: impl Fn() -> Command) -> anyhow::Result<()> {
    let count = plan.work.count;
    let (events, arriving) = unbounded();
    let mut workers = Vec::new();
    for number in 0..plan.workers {
        let mut command = command();
        command.stdin(Stdio::piped());
        workers.push(Worker::start(number, command, &events)?);
    }
    drop(events);
    let (mut on, mut next, mut alive) = (vec![None; workers.len()], 0, workers.len());
    for (worker, on) in workers.iter_mut().zip(&mut on) {
        give(worker, on, &mut next, count);
    }
    loop {
        match next_event(&arriving, plan.deadline)? {
            Ok(Event::Line(n, line)) => {
                let (id, outcome) = parse_report(&line)
                    .filter(|(id, _)| on[n] == Some(*id))
                    .with_context(|| format!("worker process {n} said {line:?}"))?;
                on[n] = None;
                match outcome {
                    Ok(()) => ledger.done(id),
                    Err(reason) => ledger.failed(Failure {
                        id,
                        worker: Some(n),
                        reason,
                    }),
                }
                give(&mut workers[n], &mut on[n], &mut next, count);
            }
            Ok(Event::Closed(n)) => {
                alive -= 1;
                let Ending { success, how } = workers[n].ended(plan.deadline);
                if let Some(id) = on[n].take() {
                    let (worker, reason) = (Some(n), how);
                    ledger.failed(Failure { id, worker, reason });
                } else if !success {
                    ledger.error(format!("worker {n} had no item left, then failed: {how}"));
                }
                if alive == 0 && next < count {
                    for id in next..count {
                        let reason = "not done: every worker had died".to_owned();
                        let worker = None;
                        ledger.failed(Failure { id, worker, reason });
                    }
                    next = count;
                }
            }
            // ANCHOR: timeout
            // Nothing for `deadline`: a busy worker is stuck. Killed, it closes its stdout,
            // and the `Closed` arm fails its item with how it ended.
            Err(RecvTimeoutError::Timeout) => {
                ledger.noticed();
                let busy = workers.iter_mut().zip(&on).filter(|(_, on)| on.is_some());
                busy.for_each(|(worker, _)| worker.stop());
            }
            // ANCHOR_END: timeout
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
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

/// How chapter 6's own crash hook makes a worker fail the way `fault` does, if it can.
fn crash_how(fault: Fault) -> Option<CrashHow> {
    match fault {
        Fault::Panic => Some(CrashHow::Panic),
        Fault::Kill => Some(CrashHow::Kill),
        Fault::Abort => Some(CrashHow::Abort),
        Fault::Stuck => Some(CrashHow::Hang),
        Fault::None | Fault::DiskFull | Fault::CorruptInput => None,
    }
}

/// Chapter 6's processes filling one shared file, run as they are (`ProcessFill`): the items
/// are the array's rows, and 06's crash hook makes item K's worker fail when it reaches K.
/// 06 stops at the first failure and kills the other workers. Afterwards every row is
/// checked against the serial fill: a row that matches is done, and written out as an image
/// of its cells; any other failed, with 06's error at item K.
pub fn shared_memory(plan: &Plan) -> anyhow::Result<Report> {
    let (work, ledger) = (&plan.work, Ledger::start());
    let shape = Shape {
        rows: work.count,
        cols: work.size().bytes(),
    };
    let band = band_rows(shape.rows, plan.workers);
    let crash = crash_how(work.fault).map(|how| BandCrash {
        worker: work.at / band,
        how,
        after_rows: Some(work.at % band),
    });
    let fill = ProcessFill {
        program: program()?,
        dir: default_map_dir(),
        shape,
        workers: plan.workers,
        crash,
        pause_ms: 0,
        deadline: plan.deadline,
    };
    let mut file = fill.create_file()?;
    let failed = fill.fill(&mut file).err();
    if failed.is_some() {
        ledger.noticed();
    }
    harness::stop::check()?; // 06's fill also ends at Ctrl-C: that is no failure of a row
    let array = file.array().context("cannot map the shared file")?;
    let (mut expected, mut any_failed) = (vec![0.0; shape.cols], false);
    for (index, row) in array.cells().chunks(shape.cols).enumerate() {
        fill_rows(&mut expected, index, shape.cols, &plain_cell);
        let worker = Some(index / band);
        if row != expected {
            any_failed = true;
            let reason = match &failed {
                Some(err) if index == work.at => format!("{err:#}"),
                Some(_) => "not done: chapter 6 stopped every worker when one failed".into(),
                None => "its row holds wrong values".into(),
            };
            ledger.failed(Failure {
                id: index,
                worker,
                reason,
            });
            continue;
        }
        let pixels: Vec<u8> = row.iter().map(|&cell| cell as u8).collect();
        match save_png(&image_path(&work.output, index), &pixels, work.size()) {
            Ok(()) => ledger.done(index),
            Err(err) => ledger.failed(Failure {
                id: index,
                worker: None, // the parent's own write
                reason: format!("{:#}", anyhow::Error::from(err)),
            }),
        }
    }
    if let Some(err) = failed.filter(|_| !any_failed) {
        ledger.error(format!("every row is filled, and still: {err:#}"));
    }
    Ok(ledger.report(work))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::Work;

    fn plan(count: usize, workers: usize) -> Plan {
        let work = Work {
            input: "/nonexistent/in".into(),
            output: "/nonexistent/out".into(),
            side: 4,
            count,
            fault: Fault::None,
            at: 0,
        };
        let deadline = Duration::from_secs(10);
        Plan {
            work,
            workers,
            deadline,
        }
    }

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn a_child_that_reports_its_whole_share_and_then_fails_is_an_error() {
        let (plan, ledger) = (plan(4, 2), Ledger::start());
        let reported = run_children(&plan, &ledger, |share| {
            // Worker 0 exits with 0; worker 1 says why on stderr and exits with 3.
            let code = if share.start == 0 { 0 } else { 3 };
            let (from, last) = (share.start, share.end - 1);
            sh(&format!(
                "for i in $(seq {from} {last}); do echo done $i; done; \
                 echo 'error: cannot flush' >&2; exit {code}"
            ))
        })
        .unwrap();
        assert_eq!(reported.len(), 4);
        let report = ledger.report(&plan.work);
        assert!(report.tally.failures.is_empty());
        let [error] = &report.errors[..] else {
            panic!("{:?}", report.errors)
        };
        assert!(
            error.starts_with("worker 1 reported items 2..4, then failed: process died (pid ")
                && error.ends_with(", exit status: 3): cannot flush"),
            "{error}"
        );
        assert!(report.noticed.is_some());
    }

    #[test]
    fn a_pool_worker_that_fails_after_its_last_item_is_an_error() {
        for (code, errors) in [(0, 0), (3, 2)] {
            let (plan, ledger) = (plan(5, 2), Ledger::start());
            let script = format!("while read i; do echo done $i; done; exit {code}");
            serve(&plan, &ledger, || sh(&script)).unwrap();
            let report = ledger.report(&plan.work);
            assert_eq!(report.done, [0, 1, 2, 3, 4]);
            assert_eq!(report.errors.len(), errors, "{:?}", report.errors);
            for error in &report.errors {
                assert!(error.contains("had no item left, then failed"), "{error}");
                assert!(error.contains("exit status: 3"), "{error}");
            }
        }
    }

    #[test]
    fn no_child_is_started_for_an_empty_share() {
        let (plan, ledger) = (plan(2, 5), Ledger::start());
        let reported = run_children(&plan, &ledger, |share| {
            assert!(!share.is_empty(), "a child for {share:?}");
            sh(&format!("echo done {}", share.start))
        })
        .unwrap();
        assert_eq!(reported.len(), 2);
        assert!(ledger.report(&plan.work).errors.is_empty());
    }
}
