#![forbid(unsafe_code)]

use std::cell::Cell;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use process_spawn::{CrashArgs, CrashIn, Hidden, ProcessPool, one_shot_map, one_shot_shown};
use workload::cli::{ImageArgs, RunsArg, at_least_one, image_dir};
use workload::report::{Contender, compare, header, seconds};

/// Run copies of this program as worker processes: one-shot children that each make a range of
/// the images, and a pool of long-lived workers fed over pipes. Compare them with the serial
/// map and with threads, and measure what starting a process and a round trip over a pipe cost.
#[derive(Parser)]
#[command(name = "04-process-spawn", args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    worker: Option<Hidden>,
    #[command(flatten)]
    images: ImageArgs,
    #[command(flatten)]
    runs: RunsArg,

    /// Worker processes, and threads for the rayon row [default: all logical cores]
    #[arg(long, value_name = "N", value_parser = at_least_one::<usize>)]
    processes: Option<usize>,

    #[command(flatten)]
    crash: CrashArgs,
}

/// Samples for the start costs, for the round trip of a tiny task and of an image-sized one.
const STARTS: usize = 51;
const TINY_TRIPS: usize = 1001;
const BIG_TRIPS: usize = 51;

fn main() -> ExitCode {
    let cli: Cli = workload::cli::parse();
    if let Some(Hidden::Worker { role }) = cli.worker {
        return workload::cli::finish(process_spawn::work(role));
    }
    let processes = cli
        .processes
        .unwrap_or_else(workload::machine::logical_cores);
    if let Err(line) = cli.crash.check(processes) {
        eprintln!("error: {line} (see --help)");
        return ExitCode::from(2);
    }
    workload::cli::finish(run(cli, processes))
}

fn run(cli: Cli, processes: usize) -> anyhow::Result<()> {
    let (size, count, runs) = (cli.images.size(), cli.images.count, cli.runs.runs);
    let exe = std::env::current_exe().context("cannot find this program's own file")?;
    let out = cli.images.out_dir("04-process-spawn");
    let dir = |name| image_dir(&out.join(name));
    let (serial, rayon, one_shot, pooled) = (
        dir("serial")?,
        dir("rayon")?,
        dir("one-shot")?,
        dir("pool")?,
    );
    println!(
        "{}",
        header("04-process-spawn", &cli.images.describe(&out), runs)
    );
    println!("{}", process_spawn::start_costs(&exe, STARTS)?);

    let crash = cli.crash.at(CrashIn::OneShot);
    one_shot_shown(&exe, &one_shot, size, count, processes, crash)?;

    let mut pool = ProcessPool::start(&exe, size, processes, cli.crash.at(CrashIn::Pool))
        .context("cannot start the pool's workers")?;
    println!(
        "\npool: {processes} workers (pids {}), tasks and replies over pipes",
        pool.pids()
    );
    for (bytes, samples) in [(8, TINY_TRIPS), (size.bytes(), BIG_TRIPS)] {
        let (time, moved) = pool.round_trip(bytes, samples)?;
        let time = seconds(time);
        println!("  round trip of a {bytes}-byte echo ({moved} bytes moved): median {time}");
    }

    let threads = thread_pool_map::thread_pool(processes).context("cannot start rayon")?;
    let moved = Cell::new(0);
    let contenders: Vec<Contender<_, anyhow::Error>> = vec![
        Contender::new("serial map (demo 02)", 1, || {
            Ok(function_extraction::map_serial(&serial, size, count)?)
        }),
        Contender::new("rayon threads (demo 03)", processes, || {
            Ok(thread_pool_map::par_map(&threads, &rayon, size, count)?)
        }),
        Contender::new("one-shot processes", processes, || {
            one_shot_map(&exe, &one_shot, size, count, processes)
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
    println!("{table}");
    pool.shutdown()?;
    table.ensure_identical()?;
    let mib = moved.get() as f64 / f64::from(1 << 20);
    let per_image = mib * 1024.0 / count as f64;
    println!("the pool moved {mib:.1} MiB over its pipes per run ({per_image:.0} KiB per image);");
    println!("threads and one-shot children moved no image data: each writes its own files");
    Ok(())
}
