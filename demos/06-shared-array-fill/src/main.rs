#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use shared_array_fill::demo::{self, Settings};
use shared_array_fill::{ProcessFill, Shape, WorkerArgs, default_map_dir, run_worker};
use workload::cli::{RunsArg, ThreadsArg, finish};

/// Fill one big 2-D array of f64 with several threads, then with several processes that
/// share it through a memory-mapped file; then a heavy grid, where the arithmetic dominates.
#[derive(Parser)]
#[command(name = "06-shared-array-fill")]
struct Cli {
    /// Rows of the array (8192 rows of 16384 cells are 1 GiB)
    #[arg(long, value_name = "N", default_value_t = 8192)]
    rows: usize,
    /// Columns of the array
    #[arg(long, value_name = "N", default_value_t = 16384)]
    cols: usize,
    #[command(flatten)]
    threads: ThreadsArg,
    /// Worker processes [default: as many as --threads]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    processes: Option<u16>,
    #[command(flatten)]
    runs: RunsArg,
    /// Where the shared file goes while the processes fill it [default: /dev/shm, else the
    /// temporary directory]
    #[arg(long, value_name = "DIR")]
    map_dir: Option<PathBuf>,
    /// Rows and columns of the heavy grid
    #[arg(long, value_name = "N", default_value_t = 1000)]
    grid: usize,
    /// Rounds of arithmetic (xorshift, as in demo 05) per cell of the heavy grid
    #[arg(long, value_name = "K", default_value_t = 200)]
    iterations: u32,
    /// Images of 512x512 pixels to write and load back with demo 03's code (0: skip)
    #[arg(long, value_name = "N", default_value_t = 128)]
    images: usize,
    /// Where the images go [default: target/demo-output/06-shared-array-fill]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Make worker process K (from 0) crash halfway through its rows
    #[arg(long, value_name = "K")]
    crash_child: Option<usize>,
    #[arg(long, hide = true, default_value_t = 0)]
    pause_ms: u64,
    #[command(subcommand)]
    role: Option<Role>,
}

#[derive(Subcommand)]
enum Role {
    /// One worker process: fill a band of rows of the shared file
    #[command(name = "fill-band", hide = true)]
    FillBand(WorkerArgs),
}

fn main() -> ExitCode {
    let cli: Cli = workload::cli::parse();
    if let Some(Role::FillBand(args)) = &cli.role {
        return finish(run_worker(args));
    }
    let settings = match settings(&cli) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("error: {err:#} (see --help)");
            return ExitCode::from(2);
        }
    };
    // ANCHOR: ctrlc
    // Ctrl-C: the handler runs on a thread of its own, so it may remove files; then exit.
    let removed = ctrlc::set_handler(|| {
        let _no_new_files = shared_array_fill::mapping::remove_live_files();
        eprintln!("error: interrupted; the shared file was removed");
        std::process::exit(130);
    });
    // ANCHOR_END: ctrlc
    finish(
        removed
            .context("cannot set the Ctrl-C handler")
            .and_then(|()| demo::run(&settings)),
    )
}

fn settings(cli: &Cli) -> anyhow::Result<Settings> {
    let memory = workload::machine::memory_bytes().unwrap_or(u64::MAX);
    let shape = Shape::new(cli.rows, cli.cols, 6, memory)?;
    let threads = cli.threads.get();
    let processes = ProcessFill {
        program: std::env::current_exe().context("cannot find this program's path")?,
        dir: cli.map_dir.clone().unwrap_or_else(default_map_dir),
        shape,
        workers: cli.processes.map_or(threads, usize::from),
        crash: cli.crash_child,
        pause_ms: cli.pause_ms,
    };
    let grid = Shape::new(cli.grid, cli.grid, 4, memory).context("--grid")?;
    let (runs, iterations, images, out) =
        (cli.runs.runs, cli.iterations, cli.images, cli.out.clone());
    Ok(Settings {
        shape,
        threads,
        runs,
        grid,
        iterations,
        processes,
        images,
        out,
    })
}
