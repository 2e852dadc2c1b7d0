#![forbid(unsafe_code)]

use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use harness::cli::{ImageArgs, RunsArg, at_least_one, finish};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use mpi_ranks::Shares;
use mpi_ranks::demo::{self, Part, Settings};
use mpi_ranks::fail::{How, abort_on_panic};
use shared_array_fill::Shape;
use workload::grid::{Grid, Skew};

/// The workbook's work split across MPI ranks: the window fill of chapter 6 and the heavy grid
/// gathered on rank 0, the noise images written by every rank, a hybrid of ranks and rayon
/// threads, and what a message costs next to a pipe. Start it with
/// `mpirun -np N --bind-to none target/release/10-mpi-ranks`; run alone it is one rank.
#[derive(Parser)]
#[command(name = "10-mpi-ranks")]
struct Cli {
    /// Rows of the window-fill array, split across the ranks
    #[arg(long, value_name = "N", default_value_t = 4096)]
    rows: usize,
    /// Columns of the window-fill array (4096 rows of 8192 cells are 256 MiB)
    #[arg(long, value_name = "N", default_value_t = 8192)]
    cols: usize,
    #[command(flatten)]
    grid: GridArg,
    #[command(flatten)]
    images: ImageArgs,
    /// rayon threads inside each rank in the hybrid [default: the cores of this machine
    /// divided by the ranks on it]
    #[arg(long, value_name = "N", value_parser = at_least_one::<usize>)]
    threads: Option<usize>,
    #[command(flatten)]
    runs: RunsArg,
    /// Parts to run, comma-separated
    #[arg(
        long,
        value_name = "PARTS",
        value_delimiter = ',',
        default_value = "fill,grid,images,pingpong"
    )]
    only: Vec<Part>,
    /// The largest ping-pong message in bytes; sizes double from 8 bytes up to it
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20, value_parser = at_least_one::<usize>)]
    largest: usize,
    /// Make rank K fail at the start of the heavy grid's MPI run, to show the job end
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(i32).range(0..))]
    fail_rank: Option<i32>,
    /// How --fail-rank's rank fails
    #[arg(
        long,
        value_name = "HOW",
        default_value = "panic",
        requires = "fail_rank"
    )]
    fail_how: How,
    /// Leave out the panic hook that aborts the job (to show the hang it prevents)
    #[arg(long, hide = true)]
    no_abort_hook: bool,
    #[command(subcommand)]
    role: Option<Role>,
}

/// The heavy grid, shaped as in the sweep of chapter 8.
#[derive(Args, Clone)]
struct GridArg {
    /// Rows of the heavy grid (each row is 500 cells), split across the ranks
    #[arg(long, value_name = "N", default_value_t = 240, value_parser = at_least_one::<usize>)]
    grid: usize,
    /// Rounds of arithmetic (xorshift, as in chapters 5, 6 and 8) per cell of the heavy grid
    #[arg(long, value_name = "K", default_value_t = 15_000, value_parser = at_least_one::<u32>)]
    iterations: u32,
}

impl GridArg {
    fn grid(&self) -> Grid {
        Grid {
            rows: self.grid,
            cols: 500,
            iterations: self.iterations,
            skew: Skew::Even,
        }
    }
}

#[derive(Subcommand)]
enum Role {
    /// Time the heavy grid over every rank and print one line for demo 08's sweep
    #[command(name = "sweep-grid", hide = true)]
    SweepGrid {
        #[command(flatten)]
        grid: GridArg,
        /// Cells in each row of the heavy grid
        #[arg(long, value_name = "N", default_value_t = 500, value_parser = at_least_one::<usize>)]
        cols: usize,
        #[command(flatten)]
        runs: RunsArg,
    },
    /// The pipe ping-pong's child: echo every message back
    #[command(name = "pipe-echo", hide = true)]
    PipeEcho,
}

fn main() -> ExitCode {
    let cli: Cli = harness::cli::parse();
    if let Some(Role::PipeEcho) = cli.role {
        let echoed = mpi_ranks::pingpong::echo(std::io::stdin().lock(), std::io::stdout().lock());
        return finish(echoed.context("cannot echo"));
    }
    let settings = match settings(&cli) {
        Ok(settings) => settings,
        Err(err) => return harness::cli::bad_argument(format!("{err:#}")),
    };
    if !cli.no_abort_hook {
        abort_on_panic();
    }
    let Some(universe) = mpi::initialize() else {
        return finish(Err(anyhow::anyhow!("MPI was initialized already")));
    };
    let world = universe.world();
    if world.rank() != 0 {
        harness::timeline::forget(); // one file: rank 0 writes it, with its own items
    }
    if world.size() > 1 {
        harness::machine::count_siblings_as_ours(); // the other ranks, mpirun's children too
    }
    if let Some((rank, _)) = settings.fail.filter(|&(rank, _)| rank >= world.size()) {
        if world.rank() == 0 {
            eprintln!(
                "error: --fail-rank {rank}: there are only {} ranks (see --help)",
                world.size()
            );
        }
        return ExitCode::from(2);
    }
    let result = match &cli.role {
        Some(Role::SweepGrid { grid, cols, runs }) => {
            let grid = Grid {
                cols: *cols,
                ..grid.grid()
            };
            sweep(&world, grid, runs.runs)
        }
        _ => demo::run(&world, &with_threads(settings, &world)),
    };
    // ANCHOR: abort_on_error
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // One rank failed while the others may wait for it in a collective: end them all.
        Err(err) if world.size() > 1 => {
            eprintln!("error: rank {}: {err:#}; aborting the job", world.rank());
            world.abort(1)
        }
        Err(err) => finish(Err(err)),
    }
    // ANCHOR_END: abort_on_error
}

fn sweep(world: &SimpleCommunicator, grid: Grid, runs: usize) -> anyhow::Result<()> {
    if let Some(line) = mpi_ranks::sweep::sweep_line(world, grid, runs)? {
        harness::outln!("{line}")?;
    }
    Ok(())
}

fn settings(cli: &Cli) -> anyhow::Result<Settings> {
    let memory = harness::machine::memory_bytes().unwrap_or(u64::MAX);
    let shape = Shape::new(cli.rows, cli.cols, 4, memory)?;
    anyhow::ensure!(
        Shares::fits_in_one_message(cli.rows, cli.cols),
        "a {shape} array has more cells than one MPI message can count (2^31 - 1)"
    );
    anyhow::ensure!(
        cli.largest <= i32::MAX as usize,
        "--largest {}: one MPI message holds at most 2^31 - 1 bytes",
        cli.largest
    );
    Ok(Settings {
        shape,
        grid: cli.grid.grid(),
        images: (cli.images.size(), cli.images.count),
        out: cli.images.out.clone().unwrap_or_else(demo::default_out),
        threads: cli.threads.unwrap_or(0),
        runs: cli.runs.runs,
        parts: cli.only.clone(),
        largest: cli.largest,
        fail: cli.fail_rank.map(|rank| (rank, cli.fail_how)),
        exe: std::env::current_exe().context("cannot find this program's path")?,
    })
}

/// `--threads`, or this machine's cores shared among the ranks running on it.
fn with_threads(mut settings: Settings, world: &SimpleCommunicator) -> Settings {
    if settings.threads == 0 {
        let here = world.split_shared(world.rank()).size() as usize;
        settings.threads = (harness::machine::logical_cores() / here).max(1);
    }
    settings
}
