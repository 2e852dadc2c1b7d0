//! Demo 04: the binary starts copies of itself as worker processes. One-shot children each
//! make a range of images and exit; a pool of long-lived workers takes tasks over a pipe and
//! sends every encoded image back to the parent. Both are measured against the serial map and
//! against threads, together with what starting a process and a round trip over a pipe cost.
#![forbid(unsafe_code)]

use std::fmt;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use workload::report::{Timing, seconds};
use workload::{
    ImageSize, encode_png, image_path, make_image, noise_pixels, temp_path, write_whole,
};

pub mod exercises;

/// How often the parent looks whether a child has exited while it waits for several at once.
const POLL: Duration = Duration::from_millis(1);

/// How long a worker that closed its end of a pipe gets to exit by itself before it is killed.
const GRACE: Duration = Duration::from_secs(2);

// ---------------------------------------------------------------------------------------------
// The child's side: the hidden `worker` command line and what each role does.
// ---------------------------------------------------------------------------------------------

/// The hidden subcommand that makes this binary a worker: `04-process-spawn worker ...`.
/// Only the demo itself starts it, so `--help` does not list it.
#[derive(clap::Subcommand, Clone, Debug, PartialEq, Eq)]
pub enum Hidden {
    /// Run as one of this demo's worker processes
    #[command(hide = true)]
    Worker {
        #[command(subcommand)]
        role: Role,
    },
}

// ANCHOR: role
/// What a worker process is asked to do. The parent writes it out as command-line arguments
/// ([`Role::command`]); the child parses them back with clap and calls [`work`].
#[derive(clap::Subcommand, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// Exit at once: all that is left is the cost of starting a process
    Nothing,
    /// Make images FROM..TO into DIR, then exit
    Range(RangeJob),
    /// Answer the tasks that arrive on stdin, on stdout, until stdin closes
    Serve(ServeJob),
}
// ANCHOR_END: role

#[derive(clap::Args, Clone, Debug, PartialEq, Eq)]
pub struct RangeJob {
    #[arg(long)]
    pub child: usize,
    #[arg(long)]
    pub from: usize,
    #[arg(long)]
    pub to: usize,
    #[arg(long)]
    pub width: u32,
    #[arg(long)]
    pub height: u32,
    #[arg(long)]
    pub dir: PathBuf,
    /// Crash after the first image (for the lesson on failures)
    #[arg(long)]
    pub crash: Option<CrashHow>,
}

#[derive(clap::Args, Clone, Debug, PartialEq, Eq)]
pub struct ServeJob {
    #[arg(long)]
    pub width: u32,
    #[arg(long)]
    pub height: u32,
    /// Crash on the first image task instead of answering it
    #[arg(long)]
    pub crash: Option<CrashHow>,
}

/// How a worker told to crash ends.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrashHow {
    /// `std::process::exit(3)`: the worker ends with exit code 3
    Exit,
    /// `std::process::abort()`: the worker is killed by the signal SIGABRT
    Abort,
}

impl CrashHow {
    fn name(self) -> &'static str {
        match self {
            Self::Exit => "exit",
            Self::Abort => "abort",
        }
    }

    fn crash(self) -> ! {
        match self {
            Self::Exit => std::process::exit(3),
            Self::Abort => std::process::abort(),
        }
    }
}

/// Which worker crashes, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Crash {
    pub worker: usize,
    pub how: CrashHow,
}

/// `how`, if `crash` asks worker `worker` to crash.
fn crash_for(crash: Option<Crash>, worker: usize) -> Option<CrashHow> {
    crash.filter(|c| c.worker == worker).map(|c| c.how)
}

/// The flags that make a worker crash, for the lesson on failures and for the tests.
#[derive(clap::Args, Clone, Debug)]
pub struct CrashArgs {
    /// Make worker K (0 is the first) crash, to see the parent notice, report it and stop
    #[arg(long, value_name = "K")]
    pub crash_child: Option<usize>,

    /// How the worker given by --crash-child ends
    #[arg(long, value_name = "HOW", value_enum, default_value_t = CrashHow::Exit)]
    pub crash_how: CrashHow,

    /// Which kind of worker --crash-child makes crash
    #[arg(long, value_name = "WHERE", value_enum, default_value_t = CrashIn::OneShot)]
    pub crash_in: CrashIn,
}

/// The kind of worker `--crash-child` is about.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrashIn {
    /// A one-shot child: it makes the first image of its range, then crashes
    OneShot,
    /// A pool worker: it crashes when the first image task reaches it
    Pool,
}

impl CrashArgs {
    /// The crash these flags ask of workers of kind `place`, if any.
    pub fn at(&self, place: CrashIn) -> Option<Crash> {
        let worker = self.crash_child.filter(|_| self.crash_in == place)?;
        Some(Crash {
            worker,
            how: self.crash_how,
        })
    }

    /// An error line when `--crash-child` names a worker that will not exist.
    pub fn check(&self, processes: usize) -> Result<(), String> {
        match self.crash_child {
            Some(k) if k >= processes => Err(format!(
                "--crash-child {k} names no worker: there are {processes}, numbered from 0"
            )),
            _ => Ok(()),
        }
    }
}

impl Role {
    /// A command that starts `exe`, this demo's own binary, as a worker with this role.
    pub fn command(&self, exe: &Path) -> Command {
        let mut command = Command::new(exe);
        command.arg("worker");
        let mut crash = None;
        match self {
            Self::Nothing => {
                command.arg("nothing");
            }
            Self::Range(job) => {
                command.arg("range");
                for (flag, value) in [
                    ("--child", job.child),
                    ("--from", job.from),
                    ("--to", job.to),
                    ("--width", job.width as usize),
                    ("--height", job.height as usize),
                ] {
                    command.args([flag, &value.to_string()]);
                }
                command.arg("--dir").arg(&job.dir);
                crash = job.crash;
            }
            Self::Serve(job) => {
                command.arg("serve");
                command.args(["--width", &job.width.to_string()]);
                command.args(["--height", &job.height.to_string()]);
                crash = job.crash;
            }
        }
        if let Some(how) = crash {
            command.args(["--crash", how.name()]);
        }
        command
    }
}

// ANCHOR: work
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

/// A one-shot child: make its share of the images, each straight into its file.
fn make_range(job: &RangeJob) -> anyhow::Result<()> {
    let (child, pid) = (job.child, std::process::id());
    println!(
        "  child {child} (pid {pid}): making images {}..{}",
        job.from, job.to
    );
    let size = ImageSize::new(job.width, job.height);
    // A child told to crash makes only its first image, then crashes.
    let end = match job.crash {
        Some(_) => job.to.min(job.from + 1),
        None => job.to,
    };
    for index in job.from..end {
        make_image(&job.dir, size, index)?;
    }
    if let Some(how) = job.crash {
        println!(
            "  child {child} (pid {pid}): crashing on purpose ({})",
            how.name()
        );
        how.crash();
    }
    Ok(())
}
// ANCHOR_END: work

// ---------------------------------------------------------------------------------------------
// The parent's side, one-shot: a child per share of the indices.
// ---------------------------------------------------------------------------------------------

// ANCHOR: owned_child
/// A child process that is always waited for. Dropped while it still runs (an error, an early
/// return), it is killed first. So no path out of the parent leaves it running or as a zombie.
pub struct OwnedChild(Child);

impl OwnedChild {
    pub fn spawn(command: &mut Command) -> io::Result<Self> {
        command.spawn().map(Self)
    }

    pub fn id(&self) -> u32 {
        self.0.id()
    }

    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        self.0.wait()
    }

    /// How it ended, if it has; never blocks.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.0.try_wait()
    }

    pub fn kill(&mut self) -> io::Result<()> {
        self.0.kill()
    }

    /// Wait up to `grace` for the child to exit by itself, then kill it; how it ended.
    pub fn wait_or_kill(&mut self, grace: Duration) -> io::Result<ExitStatus> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.try_wait()? {
                return Ok(status);
            }
            if start.elapsed() >= grace {
                self.kill()?;
                return self.wait();
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for OwnedChild {
    fn drop(&mut self) {
        // `try_wait` reaps a child that has exited; one that has not is killed, then reaped.
        if !matches!(self.0.try_wait(), Ok(Some(_))) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}
// ANCHOR_END: owned_child

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
        if self.stopped {
            write!(f, ", stopped by the parent because another child failed")?;
        }
        Ok(())
    }
}

// ANCHOR: run_children
/// Start one child per share of images `0..count`, then wait for all of them (see
/// [`wait_for_all`]). Their reports come back in child order.
pub fn run_children(
    exe: &Path,
    dir: &Path,
    size: ImageSize,
    count: usize,
    processes: usize,
    crash: Option<Crash>,
    show_output: bool,
) -> io::Result<Vec<ChildReport>> {
    let mut running = Vec::new();
    for (child, images) in shares(count, processes).into_iter().enumerate() {
        let job = RangeJob {
            child,
            from: images.start,
            to: images.end,
            width: size.width,
            height: size.height,
            dir: dir.to_owned(),
            crash: crash_for(crash, child),
        };
        let mut command = Role::Range(job).command(exe);
        if !show_output {
            command.stdout(Stdio::null());
        }
        let started = Instant::now();
        let process = OwnedChild::spawn(&mut command)?; // on error, `running` kills the others
        running.push(Running {
            child,
            images,
            process,
            started,
            killed: false,
        });
    }
    let reports = wait_for_all(running)?;

    // A killed child had no chance to remove the temporary file it may have been writing.
    for failed in reports.iter().filter(|r| !r.status.success()) {
        for index in failed.images.clone() {
            let _ = std::fs::remove_file(temp_path(&image_path(dir, index)));
        }
    }
    Ok(reports)
}
// ANCHOR_END: run_children

/// A child that has been started and has not been seen to exit yet.
struct Running {
    child: usize,
    images: Range<usize>,
    process: OwnedChild,
    started: Instant,
    killed: bool,
}

// ANCHOR: wait_for_all
/// Wait until every child has exited. std can only wait for one given child, so look at each
/// in turn. As soon as one has failed, kill the others: their work is wasted anyway.
fn wait_for_all(mut running: Vec<Running>) -> io::Result<Vec<ChildReport>> {
    let mut reports = Vec::with_capacity(running.len());
    while !running.is_empty() {
        let mut index = 0;
        while index < running.len() {
            match running[index].process.try_wait()? {
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
    fn report(self, status: ExitStatus) -> ChildReport {
        ChildReport {
            child: self.child,
            pid: self.process.id(),
            images: self.images,
            status,
            time: self.started.elapsed(),
            stopped: self.killed && !status.success(),
        }
    }
}

/// An error naming the child that failed first (not one the parent stopped): its range and
/// how it ended.
pub fn check(reports: &[ChildReport]) -> anyhow::Result<()> {
    match reports.iter().find(|r| !r.status.success() && !r.stopped) {
        Some(r) => bail!(
            "child {} (pid {}) making images {}..{} failed: {}",
            r.child,
            r.pid,
            r.images.start,
            r.images.end,
            r.status
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
    processes: usize,
    crash: Option<Crash>,
) -> anyhow::Result<()> {
    let parent = std::process::id();
    println!("one-shot: the parent (pid {parent}) starts {processes} children, waits for all");
    let reports = run_children(exe, dir, size, count, processes, crash, true)
        .context("cannot run the child processes")?;
    println!("what the parent saw:");
    for report in &reports {
        println!("  {report}");
    }
    check(&reports)
}

/// The one-shot strategy for the table: children that print nothing, the paths in index order.
pub fn one_shot_map(
    exe: &Path,
    dir: &Path,
    size: ImageSize,
    count: usize,
    processes: usize,
) -> anyhow::Result<Vec<PathBuf>> {
    let reports = run_children(exe, dir, size, count, processes, None, false)
        .context("cannot run the child processes")?;
    check(&reports)?;
    Ok((0..count).map(|index| image_path(dir, index)).collect())
}

// ---------------------------------------------------------------------------------------------
// The pool: long-lived workers, tasks and replies over pipes.
// ---------------------------------------------------------------------------------------------

// ANCHOR: protocol
/// A task the parent sends to a pool worker.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Task {
    /// Make image `index` and send back its PNG file's bytes
    Make { index: usize },
    /// Send `payload` straight back: what is left is the cost of the round trip
    Echo {
        #[serde(with = "serde_bytes")]
        payload: Vec<u8>,
    },
}

/// A pool worker's answer to one task.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    Made {
        index: usize,
        #[serde(with = "serde_bytes")] // one block of bytes, not a list of separate numbers
        png: Vec<u8>,
    },
    Echo {
        #[serde(with = "serde_bytes")]
        payload: Vec<u8>,
    },
}

/// Refuse a length prefix above this: it can only come from a broken stream.
const MAX_MESSAGE: usize = 1 << 30;

/// Send one message: its length as four little-endian bytes, then its postcard encoding.
/// Returns the number of bytes written.
pub fn send<T: Serialize>(to: &mut impl Write, message: &T) -> io::Result<usize> {
    let bytes = postcard::to_stdvec(message).map_err(io::Error::other)?;
    let length = u32::try_from(bytes.len()).map_err(io::Error::other)?;
    to.write_all(&length.to_le_bytes())?;
    to.write_all(&bytes)?;
    to.flush()?;
    Ok(4 + bytes.len())
}

/// Read one message written by [`send`], and the number of bytes it took; `None` when the
/// other side closed the pipe instead.
pub fn receive<T: DeserializeOwned>(from: &mut impl Read) -> io::Result<Option<(T, usize)>> {
    let mut length = [0; 4];
    if let Err(err) = from.read_exact(&mut length) {
        return match err.kind() {
            io::ErrorKind::UnexpectedEof => Ok(None),
            _ => Err(err),
        };
    }
    let length = u32::from_le_bytes(length) as usize;
    if length > MAX_MESSAGE {
        let message = format!("a message of {length} bytes is too long");
        return Err(io::Error::new(io::ErrorKind::InvalidData, message));
    }
    let mut bytes = vec![0; length];
    from.read_exact(&mut bytes)?;
    let message = postcard::from_bytes(&bytes)
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))?;
    Ok(Some((message, 4 + length)))
}
// ANCHOR_END: protocol

// ANCHOR: serve
/// A pool worker's loop: read a task, do it, send the reply, until the parent closes the
/// pipe. `replies` is the worker's stdout, so nothing else may ever be printed there.
pub fn serve(mut tasks: impl Read, mut replies: impl Write, job: &ServeJob) -> anyhow::Result<()> {
    let size = ImageSize::new(job.width, job.height);
    while let Some((task, _)) = receive(&mut tasks)? {
        let reply = match task {
            Task::Make { index } => {
                if let Some(how) = job.crash {
                    how.crash();
                }
                let png = encode_png(&noise_pixels(index, size), size)?;
                Reply::Made { index, png }
            }
            Task::Echo { payload } => Reply::Echo { payload },
        };
        send(&mut replies, &reply)?;
    }
    Ok(())
}
// ANCHOR_END: serve

/// Send `task` and read the reply: the reply and the bytes moved both ways, or `None` when
/// the worker closed its end.
pub fn request(
    to: &mut impl Write,
    from: &mut impl Read,
    task: &Task,
) -> io::Result<Option<(Reply, usize)>> {
    let sent = send(to, task)?;
    Ok(receive(from)?.map(|(reply, received)| (reply, sent + received)))
}

/// One long-lived worker process and the parent's ends of its two pipes.
pub struct PoolWorker {
    number: usize,
    tasks: BufWriter<ChildStdin>,
    replies: BufReader<ChildStdout>,
    process: OwnedChild,
}

impl PoolWorker {
    fn start(exe: &Path, number: usize, size: ImageSize, crash: Option<Crash>) -> io::Result<Self> {
        let job = ServeJob {
            width: size.width,
            height: size.height,
            crash: crash_for(crash, number),
        };
        let mut command = Role::Serve(job).command(exe);
        command.stdin(Stdio::piped()).stdout(Stdio::piped());
        let mut process = OwnedChild::spawn(&mut command)?;
        let tasks = BufWriter::new(process.0.stdin.take().expect("stdin is piped"));
        let replies = BufReader::new(process.0.stdout.take().expect("stdout is piped"));
        Ok(Self {
            number,
            tasks,
            replies,
            process,
        })
    }

    // ANCHOR: ask
    /// Send one task and wait for the reply. A worker that closed its end instead has died (or
    /// is dying): the error says what it was doing and how it ended.
    fn ask(&mut self, task: &Task, doing: &str) -> anyhow::Result<(Reply, usize)> {
        let error = match request(&mut self.tasks, &mut self.replies, task) {
            Ok(Some(answer)) => return Ok(answer),
            Ok(None) => None,
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => None,
            Err(err) => Some(err),
        };
        let status = self.process.wait_or_kill(GRACE)?;
        let (number, pid) = (self.number, self.process.id());
        match error {
            None => bail!("pool worker {number} (pid {pid}) died while {doing}: {status}"),
            Some(err) => {
                bail!("pool worker {number} (pid {pid}) broke off while {doing} ({err}): {status}")
            }
        }
    }
    // ANCHOR_END: ask

    /// Have the worker make image `index`, and write the bytes it sends back into `dir`.
    /// Returns the bytes moved over the pipes.
    fn make(&mut self, dir: &Path, index: usize) -> anyhow::Result<usize> {
        let (reply, moved) = self.ask(&Task::Make { index }, &format!("making image {index}"))?;
        let Reply::Made { index: made, png } = reply else {
            bail!("pool worker {} answered another kind of task", self.number);
        };
        ensure!(
            made == index,
            "pool worker {} sent image {made}, not {index}",
            self.number
        );
        let path = image_path(dir, index);
        write_whole(&path, &png).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(moved)
    }
}

/// Long-lived worker processes, each fed by its own thread in the parent.
pub struct ProcessPool {
    workers: Vec<PoolWorker>,
}

impl ProcessPool {
    /// Start `processes` workers of `exe` (this demo's binary) for images of `size`.
    pub fn start(
        exe: &Path,
        size: ImageSize,
        processes: usize,
        crash: Option<Crash>,
    ) -> io::Result<Self> {
        let workers = (0..processes)
            .map(|number| PoolWorker::start(exe, number, size, crash))
            .collect::<io::Result<_>>()?;
        Ok(Self { workers })
    }

    /// The workers' process ids, as a list for people: `4242, 4243`.
    pub fn pids(&self) -> String {
        let pids: Vec<String> = self
            .workers
            .iter()
            .map(|w| w.process.id().to_string())
            .collect();
        pids.join(", ")
    }

    // ANCHOR: pool_map
    /// Make images `0..count` on the pool. Each worker has a thread in the parent that takes
    /// the next index, sends the task, and writes the PNG bytes that come back to their file.
    /// Returns the paths in index order and the bytes moved over the pipes.
    pub fn write_images(
        &mut self,
        dir: &Path,
        count: usize,
    ) -> anyhow::Result<(Vec<PathBuf>, usize)> {
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let feed = |worker: &mut PoolWorker| -> anyhow::Result<usize> {
            let mut moved = 0;
            while !failed.load(Ordering::Relaxed) {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= count {
                    break;
                }
                let made = worker.make(dir, index);
                failed.fetch_or(made.is_err(), Ordering::Relaxed);
                moved += made?;
            }
            Ok(moved)
        };
        let results: Vec<_> = std::thread::scope(|scope| {
            let feeders: Vec<_> = self
                .workers
                .iter_mut()
                .map(|worker| {
                    let feed = &feed;
                    scope.spawn(move || feed(worker))
                })
                .collect();
            feeders
                .into_iter()
                .map(|f| f.join().expect("a feeder panicked"))
                .collect()
        });
        let moved = results.into_iter().sum::<anyhow::Result<usize>>()?;
        Ok((
            (0..count).map(|index| image_path(dir, index)).collect(),
            moved,
        ))
    }
    // ANCHOR_END: pool_map

    /// Have worker 0 send `payload` back; the bytes moved both ways.
    pub fn echo(&mut self, payload: Vec<u8>) -> anyhow::Result<usize> {
        let worker = self
            .workers
            .first_mut()
            .context("the pool has no workers")?;
        let task = Task::Echo { payload };
        let (reply, moved) = worker.ask(&task, "echoing a message")?;
        let Task::Echo { payload } = task else {
            unreachable!("the task is an echo")
        };
        ensure!(
            reply == Reply::Echo { payload },
            "the echo came back changed"
        );
        Ok(moved)
    }

    /// The median time of `samples` echoes of `bytes` bytes, and the bytes each one moved.
    pub fn round_trip(
        &mut self,
        bytes: usize,
        samples: usize,
    ) -> anyhow::Result<(Duration, usize)> {
        let (mut times, mut moved) = (Vec::with_capacity(samples), 0);
        for _ in 0..samples.max(1) {
            let payload = vec![7; bytes];
            let start = Instant::now();
            moved = self.echo(payload)?;
            times.push(start.elapsed());
        }
        Ok((Timing::new(times).median(), moved))
    }

    // ANCHOR: shutdown
    /// Close every worker's stdin, which ends its loop, and wait for all of them to exit.
    /// Returns how each ended; an error if one did not end well.
    pub fn shutdown(self) -> anyhow::Result<Vec<ExitStatus>> {
        let mut processes = Vec::new();
        for worker in self.workers {
            let PoolWorker {
                number, process, ..
            } = worker; // the pipes are dropped here: the worker reads end-of-file
            processes.push((number, process));
        }
        let mut statuses = Vec::new();
        for (number, mut process) in processes {
            let status = process.wait_or_kill(GRACE)?;
            ensure!(
                status.success(),
                "pool worker {number} (pid {}) ended with {status}",
                process.id()
            );
            statuses.push(status);
        }
        Ok(statuses)
    }
    // ANCHOR_END: shutdown
}

// ---------------------------------------------------------------------------------------------
// What a process costs.
// ---------------------------------------------------------------------------------------------

// ANCHOR: spawn_and_wait
/// Start `command` and wait for it to exit: the time both took.
pub fn spawn_and_wait(command: &mut Command) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let status = command
        .status()
        .with_context(|| format!("cannot run {command:?}"))?;
    let time = start.elapsed();
    ensure!(status.success(), "{command:?} failed: {status}");
    Ok(time)
}
// ANCHOR_END: spawn_and_wait

/// What starting something costs: medians of runs taken in turns.
pub struct StartCosts {
    pub samples: usize,
    /// This binary as a worker that does nothing.
    pub this_binary: Timing,
    /// The smallest program there is.
    pub bin_true: Timing,
    /// `std::thread::spawn` and `join` of a thread that does nothing.
    pub thread: Timing,
}

/// Measure the start costs, `samples` times each, taking turns.
pub fn start_costs(exe: &Path, samples: usize) -> anyhow::Result<StartCosts> {
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..samples.max(1) {
        times[0].push(spawn_and_wait(&mut Role::Nothing.command(exe))?);
        times[1].push(spawn_and_wait(&mut Command::new("/bin/true"))?);
        let start = Instant::now();
        std::thread::spawn(|| ())
            .join()
            .expect("an empty thread cannot panic");
        times[2].push(start.elapsed());
    }
    let [this_binary, bin_true, thread] = times.map(Timing::new);
    Ok(StartCosts {
        samples,
        this_binary,
        bin_true,
        thread,
    })
}

impl fmt::Display for StartCosts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let samples = self.samples;
        writeln!(
            f,
            "start and wait for (median of {samples}, taken in turns):"
        )?;
        let ratio = self.this_binary.median().as_secs_f64() / self.bin_true.median().as_secs_f64();
        let rows = [
            (
                "this binary as a do-nothing worker",
                &self.this_binary,
                format!("{ratio:.2}x /bin/true"),
            ),
            ("/bin/true", &self.bin_true, String::new()),
            ("a thread (spawn + join)", &self.thread, String::new()),
        ];
        for (what, timing, note) in rows {
            let line = format!("  {what:<35} {:>8}   {note}", seconds(timing.median()));
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        hidden: Hidden,
    }

    fn parsed(command: &Command) -> Role {
        let args = std::iter::once("x".into()).chain(command.get_args().map(ToOwned::to_owned));
        let Hidden::Worker { role } = Cli::try_parse_from(args).unwrap().hidden;
        role
    }

    #[test]
    fn roles_survive_the_trip_through_the_command_line() {
        let range = RangeJob {
            child: 2,
            from: 10,
            to: 17,
            width: 30,
            height: 20,
            dir: PathBuf::from("/some dir/with spaces"),
            crash: Some(CrashHow::Abort),
        };
        let serve = ServeJob {
            width: 8,
            height: 9,
            crash: None,
        };
        for role in [
            Role::Nothing,
            Role::Range(range.clone()),
            Role::Range(RangeJob {
                crash: None,
                ..range
            }),
            Role::Serve(serve.clone()),
            Role::Serve(ServeJob {
                crash: Some(CrashHow::Exit),
                ..serve
            }),
        ] {
            assert_eq!(parsed(&role.command(Path::new("demo"))), role);
        }
    }

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

    #[test]
    fn messages_come_back_as_they_were_sent_and_a_closed_pipe_is_none() {
        let mut pipe = Vec::new();
        let tasks = [
            Task::Make { index: 7 },
            Task::Echo {
                payload: vec![0, 10, 255],
            },
        ];
        let mut written = 0;
        for task in &tasks {
            written += send(&mut pipe, task).unwrap();
        }
        assert_eq!(written, pipe.len());
        let mut reader = pipe.as_slice();
        for task in &tasks {
            let (back, _) = receive::<Task>(&mut reader).unwrap().unwrap();
            assert_eq!(&back, task);
        }
        assert!(receive::<Task>(&mut reader).unwrap().is_none());
    }

    #[test]
    fn cut_and_garbled_messages_are_errors() {
        let mut pipe = Vec::new();
        send(
            &mut pipe,
            &Task::Echo {
                payload: vec![1; 100],
            },
        )
        .unwrap();
        let cut = &pipe[..50];
        let err = receive::<Task>(&mut &cut[..]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);

        let huge = u32::MAX.to_le_bytes();
        let err = receive::<Task>(&mut &huge[..]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);

        let garbage = [2, 0, 0, 0, 9, 9];
        let err = receive::<Task>(&mut &garbage[..]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn a_served_image_is_the_png_the_serial_map_writes() {
        let size = ImageSize::new(12, 5);
        let job = ServeJob {
            width: size.width,
            height: size.height,
            crash: None,
        };
        let mut tasks = Vec::new();
        send(&mut tasks, &Task::Make { index: 3 }).unwrap();
        let mut replies = Vec::new();
        serve(tasks.as_slice(), &mut replies, &job).unwrap();
        let (reply, _) = receive::<Reply>(&mut replies.as_slice()).unwrap().unwrap();
        let expected = encode_png(&noise_pixels(3, size), size).unwrap();
        assert_eq!(
            reply,
            Reply::Made {
                index: 3,
                png: expected
            }
        );
    }
}
