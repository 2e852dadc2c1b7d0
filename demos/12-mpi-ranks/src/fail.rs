//! A rank that fails must end the whole job, not leave the others waiting for its rows
//! forever: a panic or an error aborts every rank through MPI, and `mpirun` itself ends the
//! job when a rank exits early or is killed.
#![forbid(unsafe_code)]

use mpi::topology::SimpleCommunicator;
use mpi::traits::*;

// ANCHOR: abort_on_panic
/// After this, a panic on any rank prints one line and aborts every rank of the job. Without
/// it the panicking rank unwinds into `MPI_Finalize`, which waits for ranks that wait for it.
pub fn abort_on_panic() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = (payload.downcast_ref::<&str>().copied())
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        let place = info
            .location()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        if !mpi::environment::is_initialized() || mpi::environment::is_finalized() {
            eprintln!("error: panicked{place}: {message}");
            std::process::exit(101);
        }
        let world = SimpleCommunicator::world();
        eprintln!(
            "error: rank {} panicked{place}: {message}; aborting the job",
            world.rank()
        );
        world.abort(101);
    }));
}
// ANCHOR_END: abort_on_panic

/// How `--fail-rank` makes its rank fail, to show what the others do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum How {
    /// A Rust panic (the hook above aborts the job)
    Panic,
    /// `std::process::exit(3)`, without finalizing MPI
    Exit,
    /// SIGKILL: no code of the rank runs any more
    Kill,
}

/// Rank `rank` fails as `how` says; called by every rank at the same point of the work.
pub fn fail_here(world: &SimpleCommunicator, rank: i32, how: How) {
    if world.rank() != rank {
        return;
    }
    match how {
        How::Panic => panic!("--fail-rank {rank} asked this rank to fail"),
        How::Exit => std::process::exit(3),
        How::Kill => {
            let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
        }
    }
}
