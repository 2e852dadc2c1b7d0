//! The Rust side of `cargo xtask python`: one subcommand per Python recipe in `python/`, doing
//! the same work with the same flags through the demos' own library code, and printing its
//! result on a last line `result: ...` in the same form as the recipe, so the two can be
//! compared. Run whole, as a process, so that its time is compared with the whole Python run.
#![forbid(unsafe_code)]

mod args;
mod checks;
mod recipes;
mod requests;
mod small_files;

// Many small images are many small allocations inside the PNG encoder, on every thread at
// once: glibc's malloc makes the threads queue on its locks, mimalloc gives each thread its
// own heap (`small-files` measures both; see the book's "Python side by side").
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

fn main() -> ExitCode {
    // requests-*: this binary is also demo 09's slow server, started as a worker process.
    if let Some(job) = harness::process::worker_job::<threads_and_async::ServerJob>() {
        return harness::cli::finish(job.and_then(threads_and_async::server::serve));
    }
    harness::cli::finish(recipes::run(harness::cli::parse()))
}
