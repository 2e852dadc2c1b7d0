//! What every rank does once its arguments are checked: start MPI, run its part, and end the
//! whole job when one rank fails.

use std::process::ExitCode;

use harness::cli::finish;
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use workload::grid::Grid;

use crate::demo::{self, Settings};

/// Run the demo on this rank, or only the heavy grid for demo 11's sweep (`sweep_grid`: the
/// grid and its runs).
pub fn start(settings: Settings, sweep_grid: Option<(Grid, usize)>) -> ExitCode {
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
    if let Err(err) = demo::claim_out(&world, &settings) {
        // Every rank knows; rank 0 says why.
        return if world.rank() == 0 {
            finish(Err(err))
        } else {
            ExitCode::FAILURE
        };
    }
    let result = match sweep_grid {
        Some((grid, runs)) => sweep(&world, grid, runs),
        None => demo::run(&world, &with_threads(settings, &world)),
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

/// The sweep's one line, printed by rank 0.
fn sweep(world: &SimpleCommunicator, grid: Grid, runs: usize) -> anyhow::Result<()> {
    if let Some(line) = crate::sweep::sweep_line(world, grid, runs)? {
        harness::outln!("{line}")?;
    }
    Ok(())
}

/// `--threads`, or this machine's cores shared among the ranks running on it.
fn with_threads(mut settings: Settings, world: &SimpleCommunicator) -> Settings {
    if settings.threads == 0 {
        let here = world.split_shared(world.rank()).size() as usize;
        settings.threads = (harness::machine::logical_cores() / here).max(1);
    }
    settings
}
