#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use harness::cli::{MAX_WORKERS, default_out_dir, within};
use when_workers_fail::{
    Fault, Job, Plain, Settings, Strategy, run_matrix, run_plain_cells, verdict,
};

/// Run every strategy of demos 03-06 (rayon, scoped threads, a task queue, one-shot child
/// processes, a process pool over pipes, processes sharing a file in /dev/shm) under every
/// fault (a panic, SIGKILL, abort, a stuck worker, a full disk, a corrupt input file), each
/// cell a real run bounded in time; print what each run observed, how fast it noticed, how
/// much of the other work finished and what was left behind.
#[derive(Parser)]
#[command(
    name = "07-when-workers-fail",
    after_help = "Exit status: with both --strategy and --fault, the program makes one real \
                  run and exits as such a program would: 0 when every item was done, 1 with one \
                  error line naming the failed item and worker when the run failed. Otherwise \
                  it runs a matrix of cells and exits 0 when every cell behaved as expected (the \
                  fault was noticed and named at the right item, every item accounted for, \
                  nothing left behind), else 1. With --plain, it exits 0 when every plain run \
                  failed as its plain code does (it hung, died of the panic, or exited 0 with \
                  items missing) and the demo left nothing behind, else 1. A bad argument \
                  exits 2."
)]
struct Cli {
    /// Run only this strategy [default: every strategy]
    #[arg(long, value_enum)]
    strategy: Option<Strategy>,

    /// Instead of the matrix, run five cells without the fix: chapter 3's map under a panic,
    /// chapter 5's minimal queue under a panic and under a stuck item, one-shot children under
    /// SIGKILL and the pool under a stuck worker, each a program of its own that the demo kills
    /// if it still runs after 2 s; show how each dies, hangs or loses items without an error,
    /// and what the fixed strategy does instead. With --strategy (rayon, queue, one-shot or
    /// pool), only the cells of that one
    #[arg(long, conflicts_with = "fault")]
    plain: bool,

    /// Run only this fault [default: every fault]
    #[arg(long, value_enum)]
    fault: Option<Fault>,

    /// Items in each run, 1 to 10000: each reads a small noise image, inverts it and writes it
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = within::<1, 10_000>)]
    count: usize,

    /// The item the fault strikes, counted from 0 (less than --count)
    #[arg(long, value_name = "K", default_value_t = 37)]
    item: usize,

    /// Worker threads in each run of a thread strategy (rayon, scoped, queue), 1 to 1024
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = within::<1, MAX_WORKERS>)]
    threads: usize,

    /// Worker processes in each run of a process strategy (one-shot, pool, shared-memory), 1 to
    /// 256
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = within::<1, 256>)]
    processes: usize,

    /// Width and height of each image in pixels, 1 to 4096 (with --count, at most 128 Mi
    /// pixels in all)
    #[arg(long, value_name = "PIXELS", default_value_t = 64, value_parser = side)]
    side: u32,

    /// How long a run waits for the next item to finish before it calls a worker stuck, 1 to
    /// 600000
    #[arg(long, value_name = "MS", default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    deadline_ms: u64,

    /// Directory to write into, a folder per cell [default: target/demo-output/07-when-workers-fail]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

fn side(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(n @ 1..=4096) => Ok(n),
        _ => Err("expected a whole number from 1 to 4096".into()),
    }
}

/// The most pixels one run's images may hold together: 128 Mi, a shared file of 1 GiB.
const MAX_PIXELS: usize = 1 << 27;

fn main() -> ExitCode {
    // A process the demo started: its job says what to do, and it dies with the demo.
    if let Some(job) = harness::process::worker_job::<Job>() {
        return harness::cli::finish(job.and_then(|job| match job {
            Job::Worker(role) => when_workers_fail::work(role),
            Job::Plain(run) => run.run(),
            Job::Spawn(role) => {
                // Chapter 4's worker says nothing of a panic it was told to have; its parent
                // reads how it ended.
                when_workers_fail::fault::quiet_injected_panics();
                process_spawn::work(role)
            }
            Job::Fill(job) => shared_array_fill::run_worker(job),
        }));
    }
    let cli: Cli = harness::cli::parse();
    let plain = match checked(&cli) {
        Ok(plain) => plain,
        Err(line) => return harness::cli::bad_argument(line),
    };
    if let Err(err) = harness::stop::install() {
        eprintln!("error: cannot handle Ctrl-C and SIGTERM: {err}");
        return ExitCode::FAILURE;
    }
    when_workers_fail::fault::quiet_injected_panics();
    let settings = Settings {
        count: cli.count,
        at: cli.item,
        side: cli.side,
        threads: cli.threads,
        processes: cli.processes,
        deadline: Duration::from_millis(cli.deadline_ms),
        out: cli
            .out
            .clone()
            .unwrap_or_else(|| default_out_dir("07-when-workers-fail")),
    };
    if let Some(plain) = plain {
        return said(run_plain_cells(&settings, &plain));
    }
    let strategies = cli.strategy.map_or(Strategy::ALL.to_vec(), |s| vec![s]);
    let faults = cli.fault.map_or(Fault::ALL.to_vec(), |f| vec![f]);
    let cells = match run_matrix(&settings, &strategies, &faults) {
        Ok(cells) => cells,
        Err(err) => return harness::cli::finish(Err(err)),
    };

    // One cell asked for by name: a real run, which exits as a real program would.
    if let (Some(_), Some(_), [cell]) = (cli.strategy, cli.fault, &cells[..]) {
        if let Some(line) = cell.error_line() {
            eprintln!("error: {line}");
        }
        return ExitCode::from(cell.exit_code());
    }
    said(verdict(&cells).map_err(anyhow::Error::msg))
}

/// What clap cannot check: the images fit, `--item` names one, `--plain` has cells for the
/// strategy; the plain cells to run, if asked for.
fn checked(cli: &Cli) -> Result<Option<Vec<Plain>>, String> {
    // Each run holds every item's pixels once more as f64 in the shared file: keep it small.
    let pixels = cli.count * cli.side as usize * cli.side as usize;
    if pixels > MAX_PIXELS {
        let (count, side, mib) = (cli.count, cli.side, pixels >> 20);
        let most = MAX_PIXELS >> 20;
        return Err(format!(
            "--count {count} images of {side}x{side} pixels are {mib} Mi pixels a run; at most \
             {most} Mi"
        ));
    }
    if cli.item >= cli.count {
        let (item, count) = (cli.item, cli.count);
        return Err(format!(
            "--item {item} names no item: there are {count}, from 0"
        ));
    }
    cli.plain.then(|| Plain::chosen(cli.strategy)).transpose()
}

/// A verdict as the program's last word: its line on stdout and 0, or an error line and 1.
fn said(verdict: anyhow::Result<&str>) -> ExitCode {
    harness::cli::finish(verdict.and_then(|line| Ok(harness::outln!("{line}")?)))
}
