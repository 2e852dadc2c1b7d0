#![forbid(unsafe_code)]

use std::process::ExitCode;

use harness::cli::{bad_argument, finish};
use when_workers_fail::args::{Asked, Cli};
use when_workers_fail::{Job, run_matrix, run_plain_cells, verdict};

fn main() -> ExitCode {
    // A process the demo started: its job says what to do, and it dies with the demo.
    if let Some(job) = harness::process::worker_job::<Job>() {
        return finish(job.and_then(Job::run));
    }
    let cli: Cli = harness::cli::parse();
    let (settings, asked) = match cli.checked() {
        Ok(checked) => checked,
        Err(line) => return bad_argument(line),
    };
    if let Err(err) = harness::stop::install() {
        return finish(Err(err.context("cannot handle Ctrl-C and SIGTERM")));
    }
    // Claimed for this run before any work: two runs into one folder would empty each other's.
    if let Err(err) = harness::cli::out_dir(&settings.out) {
        return finish(Err(err));
    }
    when_workers_fail::fault::quiet_injected_panics();
    match asked {
        Asked::Plain(plain) => said(run_plain_cells(&settings, &plain)),
        Asked::Matrix(strategies, faults) => match run_matrix(&settings, &strategies, &faults) {
            Ok(cells) => said(verdict(&cells).map_err(anyhow::Error::msg)),
            Err(err) => finish(Err(err)),
        },
        // A real run, which exits as a real program would.
        Asked::Cell(strategy, fault) => {
            let cells = run_matrix(&settings, &[strategy], &[fault]);
            finish(cells.and_then(|cells| cells.iter().try_for_each(|cell| cell.ended())))
        }
    }
}

/// A verdict as the program's last word: its line on stdout and 0, or an error line and 1.
fn said(verdict: anyhow::Result<&str>) -> ExitCode {
    finish(verdict.and_then(|line| Ok(harness::outln!("{line}")?)))
}
