//! The command line of `12-mpi-ranks`, and the settings it gives a run once checked.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use harness::cli::{ImageArgs, MAX_WORKERS, RunsArg, at_least_one, within};
use shared_array_fill::Shape;
use workload::grid::{Grid, Skew};

use crate::Shares;
use crate::demo::{self, Part, Settings};
use crate::fail::How;

/// The workbook's work split across MPI ranks: the window fill of chapter 6 and the heavy grid
/// gathered on rank 0, the noise images written by every rank, a hybrid of ranks and rayon
/// threads, and what a message costs next to a pipe. Start it with
/// `mpirun -np N --bind-to none target/release/12-mpi-ranks`; run alone it is one rank.
#[derive(Parser)]
#[command(name = "12-mpi-ranks")]
pub struct Cli {
    /// Rows of the window-fill array, split across the ranks
    #[arg(long, value_name = "N", default_value_t = 4096)]
    pub rows: usize,
    /// Columns of the window-fill array (4096 rows of 8192 cells are 256 MiB)
    #[arg(long, value_name = "N", default_value_t = 8192)]
    pub cols: usize,
    #[command(flatten)]
    pub grid: GridArg,
    #[command(flatten)]
    pub images: ImageArgs,
    /// rayon threads inside each rank in the hybrid, 1 to 1024 [default: the cores of this
    /// machine divided by the ranks on it]
    #[arg(long, value_name = "N", value_parser = within::<1, MAX_WORKERS>)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub runs: RunsArg,
    /// Parts to run, comma-separated
    #[arg(
        long,
        value_name = "PARTS",
        value_delimiter = ',',
        default_value = "fill,grid,images,pingpong"
    )]
    pub only: Vec<Part>,
    /// The largest ping-pong message in bytes; sizes double from 8 bytes up to it
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20, value_parser = at_least_one::<usize>)]
    pub largest: usize,
    /// Make rank K fail at the start of the heavy grid's MPI run, to show the job end
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(i32).range(0..))]
    pub fail_rank: Option<i32>,
    /// How --fail-rank's rank fails
    #[arg(
        long,
        value_name = "HOW",
        default_value = "panic",
        requires = "fail_rank"
    )]
    pub fail_how: How,
    /// Leave out the panic hook that aborts the job (to show the hang it prevents)
    #[arg(long, hide = true)]
    pub no_abort_hook: bool,
    #[command(subcommand)]
    pub role: Option<Role>,
}

/// The heavy grid, shaped as in the sweep of chapter 11.
#[derive(Args, Clone)]
pub struct GridArg {
    /// Rows of the heavy grid (each row is 500 cells), split across the ranks, 1 to 100000
    #[arg(long, value_name = "N", default_value_t = 240, value_parser = within::<1, 100_000>)]
    pub grid: usize,
    /// Rounds of arithmetic (xorshift, as in chapters 5, 6 and 11) per cell of the heavy grid,
    /// 1 to 1000000
    #[arg(long, value_name = "K", default_value_t = 15_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub iterations: u32,
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
pub enum Role {
    /// Time the heavy grid over every rank and print one line for demo 11's sweep
    #[command(name = "sweep-grid", hide = true)]
    SweepGrid {
        #[command(flatten)]
        grid: GridArg,
        /// Cells in each row of the heavy grid, 1 to 100000
        #[arg(long, value_name = "N", default_value_t = 500, value_parser = within::<1, 100_000>)]
        cols: usize,
        #[command(flatten)]
        runs: RunsArg,
    },
    /// The pipe ping-pong's child: echo every message back
    #[command(name = "pipe-echo", hide = true)]
    PipeEcho,
}

impl Cli {
    /// The heavy grid of the hidden `sweep-grid` role and its runs, if that is this rank's role.
    pub fn sweep_grid(&self) -> Option<(Grid, usize)> {
        match &self.role {
            Some(Role::SweepGrid { grid, cols, runs }) => {
                let grid = Grid {
                    cols: *cols,
                    ..grid.grid()
                };
                Some((grid, runs.runs))
            }
            _ => None,
        }
    }

    /// The checked settings of a run: the array must fit in memory and in one message.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let memory = harness::machine::memory_bytes().unwrap_or(u64::MAX);
        let shape = Shape::new(self.rows, self.cols, 4, memory)?;
        anyhow::ensure!(
            Shares::fits_in_one_message(self.rows, self.cols),
            "a {shape} array has more cells than one MPI message can count (2^31 - 1)"
        );
        anyhow::ensure!(
            self.largest <= i32::MAX as usize,
            "--largest {}: one MPI message holds at most 2^31 - 1 bytes",
            self.largest
        );
        Ok(Settings {
            shape,
            grid: self.grid.grid(),
            images: (self.images.size(), self.images.count),
            out: self.images.out.clone().unwrap_or_else(demo::default_out),
            threads: self.threads.unwrap_or(0),
            runs: self.runs.runs,
            parts: self.only.clone(),
            largest: self.largest,
            fail: self.fail_rank.map(|rank| (rank, self.fail_how)),
            exe: std::env::current_exe().context("cannot find this program's path")?,
        })
    }
}
