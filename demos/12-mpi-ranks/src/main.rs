#![forbid(unsafe_code)]

use std::process::ExitCode;

use anyhow::Context;
use harness::cli::finish;
use mpi_ranks::args::{Cli, Role};

fn main() -> ExitCode {
    let cli: Cli = harness::cli::parse();
    if let Some(Role::PipeEcho) = cli.role {
        let echoed = mpi_ranks::pingpong::echo(std::io::stdin().lock(), std::io::stdout().lock());
        return finish(echoed.context("cannot echo"));
    }
    let settings = match cli.settings() {
        Ok(settings) => settings,
        Err(err) => return harness::cli::bad_argument(format!("{err:#}")),
    };
    if !cli.no_abort_hook {
        mpi_ranks::fail::abort_on_panic();
    }
    mpi_ranks::start::start(settings, cli.sweep_grid())
}
