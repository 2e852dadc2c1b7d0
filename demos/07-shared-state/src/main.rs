#![forbid(unsafe_code)]

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use harness::cli::TimelineArg;
use harness::report::header;
use shared_state::locks::mutex_per_increment_checked;
use shared_state::noise_images;
use shared_state::tables::{Bench, collections, histograms, rounds};
use workload::ImageSize;

/// Many workers, one shared result: the histogram of the noise images' pixel values through a
/// lock, atomics, per-thread counters (packed, then padded) and a reduction; one result per
/// image collected into one Vec; a parameter refined in rounds of map, reduce and broadcast.
#[derive(Parser)]
#[command(name = "07-shared-state")]
struct Cli {
    /// Noise images whose pixels are counted (1 to 4096); every pixel is one increment, every
    /// image one item (of the items/s column and of --timeline's chart)
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=4096))]
    count: u32,
    /// Width of each image in pixels (1 to 16384)
    #[arg(long, value_name = "PIXELS", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=16384))]
    width: u32,
    /// Height of each image in pixels (1 to 16384)
    #[arg(long, value_name = "PIXELS", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=16384))]
    height: u32,
    /// Worker threads (1 to 1024) [default: all logical cores]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
    /// Times to run each strategy, 1 to 100 (they take turns); the table shows the median and
    /// the range
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    runs: u32,
    /// Rounds of map, reduce and broadcast in the last table (1 to 1000)
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1000))]
    rounds: u32,
    /// Make a worker panic while it holds the histogram's lock: the demo reports the poisoned
    /// lock in one line and exits with code 1 instead of hanging or printing a backtrace
    #[arg(long)]
    panic_in_lock: bool,
    #[command(flatten)]
    timeline: TimelineArg,
}

/// The most pixels the demo counts: 1 GiB of them.
const MOST_PIXELS: u64 = 1 << 30;

fn main() -> ExitCode {
    let cli: Cli = harness::cli::parse();
    let pixels = u64::from(cli.count) * u64::from(cli.width) * u64::from(cli.height);
    if pixels > MOST_PIXELS {
        eprintln!(
            "error: --count x --width x --height is {pixels} pixels; at most {MOST_PIXELS} (1 GiB)"
        );
        return ExitCode::from(2);
    }
    shared_state::locks::quiet_deliberate_panic();
    harness::cli::finish(run(&cli))
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    let size = ImageSize::new(cli.width, cli.height);
    let (count, runs) = (cli.count as usize, cli.runs as usize);
    let threads = cli
        .threads
        .map_or_else(harness::machine::logical_cores, |n| n as usize);
    let pool = thread_pool_map::thread_pool(threads).context("cannot start the thread pool")?;
    let memory = harness::machine::memory_bytes().unwrap_or(u64::MAX);
    let bytes = size.bytes() as u64 * count as u64;
    anyhow::ensure!(
        bytes <= memory / 2,
        "{count} images of {size} pixels need {bytes} bytes; this machine has {memory} in all"
    );
    let pixels = noise_images(count, size);
    let n = pixels.len();
    if cli.panic_in_lock {
        mutex_per_increment_checked(&pool, &pixels, Some(n / 2)).context("mutex per increment")?;
        anyhow::bail!("--panic-in-lock: the worker did not panic");
    }
    let work = format!("the pixel values of {count} noise images of {size}: {n} increments");
    harness::outln!("{}", header("07-shared-state", &work, runs))?;
    let bench = Bench {
        pool: &pool,
        pixels: &pixels,
        image: size.bytes(),
        threads,
        runs,
    };
    histograms(&bench)?;
    collections(&bench)?;
    rounds(&bench, cli.rounds as usize)
}
