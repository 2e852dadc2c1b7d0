//! The plain versions: four strategies written the first way that comes to mind, without the
//! fixes of the matrix; two of them are chapter 3's map and chapter 5's minimal queue, called
//! as they are. Each is correct when nothing fails. The demo runs each as a program of
//! its own (see `contained`), so that when one hangs, the demo does not.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use anyhow::Context;
use crossbeam_channel::unbounded;
use harness::child::OwnedChild;
use process_spawn::shares;
use task_queue::Job;

use crate::fault::{Fault, forever};
use crate::item::{Work, make_item};
use crate::matrix::Strategy;
use crate::worker::Role;

/// A strategy with a plain version; [`Plain::faults`] are the faults that show what it lacks.
#[derive(
    clap::ValueEnum, serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq,
)]
pub enum Plain {
    /// chapter 3's rayon map, under a panic
    Rayon,
    /// chapter 5's minimal queue, under a panic and under a stuck item
    Queue,
    /// one child process per share, under SIGKILL
    OneShot,
    /// worker processes fed over pipes, under a stuck worker
    Pool,
}

impl Plain {
    pub const ALL: [Self; 4] = [Self::Rayon, Self::Queue, Self::OneShot, Self::Pool];

    /// The strategy of the matrix this is the plain version of.
    pub fn strategy(self) -> Strategy {
        match self {
            Self::Rayon => Strategy::Rayon,
            Self::Queue => Strategy::Queue,
            Self::OneShot => Strategy::OneShot,
            Self::Pool => Strategy::Pool,
        }
    }

    /// The plain version of `strategy`, if it has one.
    pub fn of(strategy: Strategy) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.strategy() == strategy)
    }

    /// The plain cells `--plain` runs: all of them, or the one of `strategy`.
    pub fn chosen(strategy: Option<Strategy>) -> Result<Vec<Self>, String> {
        match strategy {
            None => Ok(Self::ALL.to_vec()),
            Some(strategy) => Self::of(strategy).map(|plain| vec![plain]).ok_or_else(|| {
                let name = strategy.name();
                format!(
                    "--strategy {name} has no plain version: with --plain, choose rayon, queue, one-shot or pool"
                )
            }),
        }
    }

    /// The faults its cells run under.
    pub fn faults(self) -> &'static [Fault] {
        match self {
            Self::Rayon => &[Fault::Panic],
            Self::Queue => &[Fault::Panic, Fault::Stuck],
            Self::OneShot => &[Fault::Kill],
            Self::Pool => &[Fault::Stuck],
        }
    }

    /// What the fixed strategy in the matrix does under `fault` that this one does not.
    pub fn fix(self, fault: Fault) -> &'static str {
        match (self, fault) {
            (Self::Rayon, _) => {
                "the same map, given an item function with catch_unwind: the panic fails its item, named"
            }
            (Self::Queue, Fault::Stuck) => {
                "chapter 5's Queue gives up after its patience (recv_timeout); the stuck thread itself cannot be cancelled"
            }
            (Self::Queue, _) => {
                "chapter 5's Queue: catch_unwind per task, so the panic fails its task, named, and the other results are kept"
            }
            (Self::OneShot, _) => {
                "every exit status read: a child killed by SIGKILL is an error that names its item"
            }
            (Self::Pool, _) => {
                "recv_timeout on the replies: a worker silent for the deadline is killed, its item failed"
            }
        }
    }

    /// Run the plain version on `work` with `workers` workers; `exe` is this program, which
    /// the process versions start as their workers.
    pub fn run(self, work: &Work, workers: usize, exe: &Path) -> anyhow::Result<()> {
        match self {
            Self::Rayon => rayon(work, workers),
            Self::Queue => queue(work, workers),
            Self::OneShot => one_shot(work, workers, exe),
            Self::Pool => pool(work, workers, exe),
        }?;
        // What a plain program says at the end: that it did what it was asked.
        println!("done: {} items", work.count);
        Ok(())
    }
}

/// One plain run, as the job of a program the demo starts.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PlainRun {
    /// The strategy whose plain version runs
    pub strategy: Plain,
    /// Worker threads or processes
    pub workers: usize,
    pub work: Work,
}

impl PlainRun {
    /// A command that starts `exe`, this demo's binary, as this plain run.
    pub fn command(&self, exe: &Path) -> Command {
        harness::process::worker_command(exe, self)
    }

    /// Run it here, as the program the demo started: the plain code, with Rust's default
    /// panic hook, as a program written this way would have.
    pub fn run(self) -> anyhow::Result<()> {
        let exe = std::env::current_exe().context("cannot find this program's own file")?;
        self.strategy.run(&self.work, self.workers, &exe)
    }
}

// ANCHOR: rayon
/// Chapter 3's map, as it is, making the items: a panic in one reaches the caller through
/// `install`, once the tasks that were running have ended.
fn rayon(work: &Work, threads: usize) -> anyhow::Result<()> {
    let pool = thread_pool_map::thread_pool(threads)?;
    let make = |index| make_item(work, index, || forever());
    thread_pool_map::par_map_with(&pool, work.count, make)?;
    Ok(())
}
// ANCHOR_END: rayon

// ANCHOR: queue
/// Chapter 5's minimal queue, as it is, with one job per item. Its workers have no
/// `catch_unwind`, and its collector waits for the results with no deadline.
fn queue(work: &Work, workers: usize) -> anyhow::Result<()> {
    let work = Arc::new(work.clone());
    let items = (0..work.count).map(|index| Item {
        work: Arc::clone(&work),
        index,
    });
    for made in task_queue::minimal_queue(items.collect(), workers) {
        made?;
    }
    Ok(())
}

/// One item as a job of the queue.
struct Item {
    work: Arc<Work>,
    index: usize,
}

impl Job for Item {
    type Output = anyhow::Result<()>;

    fn run(self) -> Self::Output {
        // A stuck item waits for ever: nothing can cancel a thread.
        make_item(&self.work, self.index, || forever())
    }
}
// ANCHOR_END: queue

// ANCHOR: one_shot
/// One child per share of the items, as in chapter 4, but the parent only waits for them:
/// it reads neither their reports nor how they ended. A child killed halfway through its
/// share ends like one that finished it.
fn one_shot(work: &Work, workers: usize, exe: &Path) -> anyhow::Result<()> {
    let mut children = Vec::new();
    for share in shares(work.count, workers) {
        let (from, to, work) = (share.start, share.end, work.clone());
        let mut command = Role::Range { from, to, work }.command(exe);
        children.push(OwnedChild::spawn(command.stdout(Stdio::null()))?);
    }
    for mut child in children {
        let _ = child.wait(); // the exit status, dropped unread: this is where the error goes
    }
    Ok(())
}
// ANCHOR_END: one_shot

/// Worker processes fed item numbers over their stdin, as in chapter 4. A thread per worker
/// turns its replies into messages on one channel, and the parent hands the next item to
/// whoever replied. Its `recv` has no deadline: a worker stuck on an item never replies, and
/// the parent waits for that reply for ever, without a word.
fn pool(work: &Work, workers: usize, exe: &Path) -> anyhow::Result<()> {
    let (replies, arriving) = unbounded();
    let mut pool = Vec::new();
    for number in 0..workers {
        let mut command = Role::Serve { work: work.clone() }.command(exe);
        let mut child = OwnedChild::spawn(command.stdin(Stdio::piped()).stdout(Stdio::piped()))?;
        let (tasks, stdout) = child.take_pipes();
        let (stdout, replies) = (stdout.expect("piped"), replies.clone());
        std::thread::spawn(move || {
            for _reply in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = replies.send(number);
            }
        });
        pool.push((child, tasks.expect("piped")));
    }
    let mut items = 0..work.count;
    for ((_, tasks), index) in pool.iter_mut().zip(&mut items) {
        writeln!(tasks, "{index}")?;
    }
    // ANCHOR: pool_wait
    for _ in 0..work.count {
        let number = arriving.recv()?; // waits as long as it takes, which may be for ever
        if let Some(index) = items.next() {
            writeln!(pool[number].1, "{index}")?;
        }
    }
    // ANCHOR_END: pool_wait
    for (mut child, tasks) in pool {
        drop(tasks); // no more items: the worker's loop ends
        let _ = child.wait();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::tests::parsed;

    #[test]
    fn plain_runs_survive_the_trip_through_the_job() {
        for strategy in Plain::ALL {
            let run = PlainRun {
                strategy,
                workers: 3,
                work: Work {
                    input: "/in put".into(),
                    output: "out".into(),
                    side: 8,
                    count: 9,
                    fault: strategy.faults()[0],
                    at: 4,
                    map_dir: shared_array_fill::default_map_dir(),
                },
            };
            let back: PlainRun = parsed(&run.command(Path::new("demo")));
            assert_eq!(back, run);
        }
    }
}
