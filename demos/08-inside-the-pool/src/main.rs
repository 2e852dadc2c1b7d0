#![forbid(unsafe_code)]

use std::process::ExitCode;

use anyhow::Context;
use harness::report::header;
use inside_the_pool::args::Cli;
use inside_the_pool::noise_images;
use inside_the_pool::tables::{Job, bridging, medians, sorting, stealing};

fn main() -> ExitCode {
    let cli: Cli = harness::cli::parse();
    match cli.size() {
        Ok(_) => harness::cli::finish(run(&cli)),
        Err(why) => harness::cli::bad_argument(why),
    }
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    let size = cli.size().map_err(anyhow::Error::msg)?;
    let (threads, runs) = (cli.threads.get(), cli.runs.runs);
    // ANCHOR: pool
    // A pool of our own, `--threads` workers, whatever the global pool has. Work runs on it
    // through `pool.install(|| ...)`; `par_iter`, `join` and `scope` inside use this pool.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("pool-worker-{i}"))
        .build()
        .context("cannot start the thread pool")?;
    // ANCHOR_END: pool
    let pixels = noise_images(cli.count, size);
    let work = format!(
        "{} noise images of {size} ({} pixels), then the heavy grid",
        cli.count,
        pixels.len()
    );
    harness::outln!("{}", header("08-inside-the-pool", &work, runs))?;
    let job = Job {
        pool: &pool,
        pixels: &pixels,
        size,
        threads: pool.current_num_threads(),
        runs,
        cutoff: cli.cutoff,
    };
    sorting(&job)?;
    for grid in cli.grid.grids() {
        stealing(&job, &grid)?;
    }
    medians(&job)?;
    bridging(&job)
}
