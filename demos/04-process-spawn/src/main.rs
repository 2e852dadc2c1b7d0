#![forbid(unsafe_code)]

use std::cell::Cell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use harness::cli::{ImageArgs, MAX_WORKERS, RunsArg, image_dir, within};
use harness::report::{Contender, compare, header, seconds};
use process_spawn::{
    Children, CrashArgs, CrashIn, ProcessPool, Role, one_shot_map, one_shot_shown,
};

/// Run copies of this program as worker processes: one-shot children that each make a range of
/// the images, and a pool of long-lived workers fed over pipes. Compare them with the serial
/// map and with threads, and measure what starting a process and a round trip over a pipe cost.
#[derive(Parser)]
#[command(name = "04-process-spawn")]
struct Cli {
    #[command(flatten)]
    images: ImageArgs,
    #[command(flatten)]
    runs: RunsArg,

    /// Worker processes, and threads for the rayon row, 1 to 1024 [default: all logical cores]
    #[arg(long, value_name = "N", value_parser = within::<1, MAX_WORKERS>)]
    processes: Option<usize>,

    /// Seconds a worker may take (a one-shot child for its share, a pool worker for one task)
    /// before the parent kills it and stops with an error naming it
    #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    deadline: u64,

    #[command(flatten)]
    crash: CrashArgs,
}

/// The four output folders, made (and emptied of old images) before anything is timed.
struct Dirs {
    out: PathBuf,
    serial: PathBuf,
    rayon: PathBuf,
    one_shot: PathBuf,
    pool: PathBuf,
}

/// Samples for the start costs, for the round trip of a tiny task and of an image-sized one.
const STARTS: usize = 51;
const TINY_TRIPS: usize = 1001;
const BIG_TRIPS: usize = 51;

fn main() -> ExitCode {
    if let Some(job) = harness::process::worker_job::<Role>() {
        return harness::cli::finish(job.and_then(process_spawn::work));
    }
    let cli: Cli = harness::cli::parse();
    let processes = cli
        .processes
        .unwrap_or_else(harness::machine::logical_cores);
    if let Err(line) = cli.crash.check(processes) {
        eprintln!("error: {line} (see --help)");
        return ExitCode::from(2);
    }
    let dirs = match dirs(&cli) {
        Ok(dirs) => dirs,
        Err(err) => {
            eprintln!("error: {err:#} (see --out in --help)");
            return ExitCode::from(2);
        }
    };
    if let Err(err) = harness::stop::install() {
        return harness::cli::finish(Err(err.context("cannot handle Ctrl-C")));
    }
    harness::cli::finish(run(cli, processes, dirs))
}

fn dirs(cli: &Cli) -> anyhow::Result<Dirs> {
    let out = cli.images.out_dir("04-process-spawn");
    let dir = |name| image_dir(&out.join(name));
    let (serial, rayon, one_shot, pool) = (
        dir("serial")?,
        dir("rayon")?,
        dir("one-shot")?,
        dir("pool")?,
    );
    Ok(Dirs {
        out,
        serial,
        rayon,
        one_shot,
        pool,
    })
}

fn run(cli: Cli, processes: usize, dirs: Dirs) -> anyhow::Result<()> {
    let (size, count, runs) = (cli.images.size(), cli.images.count, cli.runs.runs);
    let deadline = Duration::from_secs(cli.deadline);
    let exe = std::env::current_exe().context("cannot find this program's own file")?;
    let Dirs {
        out,
        serial,
        rayon,
        one_shot,
        pool: pooled,
    } = dirs;
    harness::outln!(
        "{}",
        header("04-process-spawn", &cli.images.describe(&out), runs)
    )?;
    harness::outln!("{}", process_spawn::start_costs(&exe, STARTS)?)?;

    let crash = cli.crash.at(CrashIn::OneShot);
    let children = Children {
        processes,
        crash,
        deadline,
        show_output: true,
    };
    one_shot_shown(&exe, &one_shot, size, count, children)?;

    let crash = cli.crash.at(CrashIn::Pool);
    let mut pool = ProcessPool::start(&exe, size, processes, crash, deadline)?;
    harness::outln!(
        "\npool: {processes} workers (pids {}), tasks and replies over pipes",
        pool.pids()
    )?;
    for (bytes, samples) in [(8, TINY_TRIPS), (size.bytes(), BIG_TRIPS)] {
        let (time, moved) = pool.round_trip(bytes, samples)?;
        let time = seconds(time);
        harness::outln!(
            "  round trip of a {bytes}-byte echo ({moved} bytes moved): median {time}"
        )?;
    }

    let threads = thread_pool_map::thread_pool(processes).context("cannot start rayon")?;
    let moved = Cell::new(0);
    let contenders: Vec<Contender<_, anyhow::Error>> = vec![
        Contender::new("serial map (demo 02)", 1, || {
            harness::stop::check()?;
            Ok(function_extraction::map_serial(&serial, size, count)?)
        }),
        Contender::new("rayon threads (demo 03)", processes, || {
            harness::stop::check()?;
            Ok(thread_pool_map::par_map(&threads, &rayon, size, count)?)
        }),
        Contender::new("one-shot processes", processes, || {
            one_shot_map(&exe, &one_shot, size, count, processes, deadline)
        }),
        Contender::new("process pool over pipes", processes, || {
            let (paths, bytes) = pool.write_images(&pooled, count)?;
            moved.set(bytes);
            Ok(paths)
        }),
    ];
    let table = compare("\nwriting the images", count, runs, contenders, |a, b| {
        workload::same_files(a, b)
    })?;
    harness::outln!("{table}")?;
    pool.shutdown()?;
    table.ensure_identical()?;
    let mib = moved.get() as f64 / f64::from(1 << 20);
    let per_image = mib * 1024.0 / count as f64;
    harness::outln!(
        "the pool moved {mib:.1} MiB over its pipes per run ({per_image:.0} KiB per image);"
    )?;
    harness::outln!(
        "threads and one-shot children moved no image data: each writes its own files"
    )?;
    Ok(())
}
