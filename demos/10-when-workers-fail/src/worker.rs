//! The child's side of the plain process strategies (`--plain`): the roles of the jobs that make
//! this binary one of their workers, and the line a worker prints for every item.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::Command;

use anyhow::Context;

use crate::fault::{forever, panic_text};
use crate::item::{Work, make_item};

/// What a worker process does.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// Make items FROM..TO, then exit (a one-shot child)
    Range { from: usize, to: usize, work: Work },
    /// Make each item whose number arrives on stdin, until stdin closes (a pool worker)
    Serve { work: Work },
}

impl Role {
    /// A command that starts `exe`, this demo's binary, as a worker with this role.
    pub fn command(&self, exe: &Path) -> Command {
        harness::process::worker_command(exe, self)
    }
}

// ANCHOR: report
/// A worker's report on one item, one line on its stdout: `done 7` or `failed 7 <why>`.
fn report(out: &mut impl Write, index: usize, outcome: &anyhow::Result<()>) -> io::Result<()> {
    match outcome {
        Ok(()) => writeln!(out, "done {index}")?,
        Err(err) => writeln!(out, "failed {index} {err:#}")?,
    }
    out.flush() // the parent reads it now, not when a buffer fills
}

// ANCHOR_END: report

// ANCHOR: work
/// The worker's side. A failed item is reported, and the worker goes on to the next; it
/// exits with 0 once it has reported every item, so that any other exit status tells the
/// parent something went wrong. A stuck item in a process waits for ever: its parent kills
/// it. A panic ends the process, as it would any program: the parent reads why on its stderr.
pub fn work(role: Role) -> anyhow::Result<()> {
    // A panic's message, on one line of stderr, where the parent looks for it.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("panicked: {}", panic_text(info.payload()));
    }));
    let stuck = || -> anyhow::Error { forever() };
    let mut out = io::stdout().lock();
    match role {
        Role::Range { from, to, work } => {
            for index in from..to {
                report(&mut out, index, &make_item(&work, index, stuck))?;
            }
        }
        Role::Serve { work } => {
            for line in io::stdin().lock().lines() {
                let index = line?.trim().parse().context("a task is an item number")?;
                report(&mut out, index, &make_item(&work, index, stuck))?;
            }
        }
    }
    Ok(())
}
// ANCHOR_END: work

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fault::Fault;

    #[test]
    fn roles_survive_the_trip_through_the_job() {
        let work = Work {
            input: "/in put".into(),
            output: "out".into(),
            side: 8,
            count: 9,
            fault: Fault::DiskFull,
            at: 4,
            map_dir: shared_array_fill::default_map_dir(),
        };
        for role in [
            Role::Range {
                from: 1,
                to: 3,
                work: work.clone(),
            },
            Role::Serve { work },
        ] {
            let back: Role = parsed(&role.command(Path::new("demo")));
            assert_eq!(back, role);
        }
    }

    /// The job that `command` hands the worker.
    pub(crate) fn parsed<J: serde::de::DeserializeOwned>(command: &Command) -> J {
        let (_, job) = command
            .get_envs()
            .find(|(name, _)| *name == harness::process::JOB_VAR)
            .expect("a worker's command carries its job");
        serde_json::from_str(job.unwrap().to_str().unwrap()).unwrap()
    }

    #[test]
    fn report_lines_say_the_item_and_why() {
        let mut out = Vec::new();
        report(&mut out, 3, &Ok(())).unwrap();
        report(&mut out, 4, &Err(anyhow::anyhow!("no space left"))).unwrap();
        assert_eq!(out, b"done 3\nfailed 4 no space left\n");
    }
}
