//! The child's side: the hidden `worker` command line, and what a worker does with its role.

use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::process::Command;

use workload::{ImageSize, make_image};

use crate::crash::CrashHow;
use crate::pool::serve;

/// The hidden subcommand that makes this binary a worker: `04-process-spawn worker ...`.
/// Only the demo itself starts it, so `--help` does not list it.
#[derive(clap::Subcommand, Clone, Debug, PartialEq, Eq)]
pub enum Hidden {
    /// Run as one of this demo's worker processes
    #[command(hide = true)]
    Worker {
        #[command(subcommand)]
        role: Role,
    },
}

// ANCHOR: role
/// What a worker process is asked to do. The parent writes it out as command-line arguments
/// ([`Role::command`]); the child parses them back with clap and calls [`work`].
#[derive(clap::Subcommand, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// Exit at once: all that is left is the cost of starting a process
    Nothing,
    /// Make images FROM..TO into DIR, then exit
    Range(RangeJob),
    /// Answer the tasks that arrive on stdin, on stdout, until stdin closes
    Serve(ServeJob),
}
// ANCHOR_END: role

#[derive(clap::Args, Clone, Debug, PartialEq, Eq)]
pub struct RangeJob {
    #[arg(long)]
    pub child: usize,
    #[arg(long)]
    pub from: usize,
    #[arg(long)]
    pub to: usize,
    #[arg(long)]
    pub width: u32,
    #[arg(long)]
    pub height: u32,
    #[arg(long)]
    pub dir: PathBuf,
    /// Crash after the first image (for the lesson on failures)
    #[arg(long)]
    pub crash: Option<CrashHow>,
}

#[derive(clap::Args, Clone, Debug, PartialEq, Eq)]
pub struct ServeJob {
    #[arg(long)]
    pub width: u32,
    #[arg(long)]
    pub height: u32,
    /// Crash on the first image task instead of answering it
    #[arg(long)]
    pub crash: Option<CrashHow>,
}

impl Role {
    /// A command that starts `exe`, this demo's own binary, as a worker with this role.
    pub fn command(&self, exe: &Path) -> Command {
        let mut command = Command::new(exe);
        command.arg("worker");
        let mut crash = None;
        match self {
            Self::Nothing => {
                command.arg("nothing");
            }
            Self::Range(job) => {
                command.arg("range");
                for (flag, value) in [
                    ("--child", job.child),
                    ("--from", job.from),
                    ("--to", job.to),
                    ("--width", job.width as usize),
                    ("--height", job.height as usize),
                ] {
                    command.args([flag, &value.to_string()]);
                }
                command.arg("--dir").arg(&job.dir);
                crash = job.crash;
            }
            Self::Serve(job) => {
                command.arg("serve");
                command.args(["--width", &job.width.to_string()]);
                command.args(["--height", &job.height.to_string()]);
                crash = job.crash;
            }
        }
        if let Some(how) = crash {
            command.args(["--crash", how.name()]);
        }
        command
    }
}

// ANCHOR: work
/// The child's side: what this binary does when its parent started it as a worker.
pub fn work(role: Role) -> anyhow::Result<()> {
    match role {
        Role::Nothing => Ok(()),
        Role::Range(job) => make_range(&job),
        Role::Serve(job) => {
            let replies = BufWriter::new(io::stdout().lock());
            serve(io::stdin().lock(), replies, &job)
        }
    }
}

/// A one-shot child: make its share of the images, each straight into its file.
fn make_range(job: &RangeJob) -> anyhow::Result<()> {
    let (child, pid) = (job.child, std::process::id());
    println!(
        "  child {child} (pid {pid}): making images {}..{}",
        job.from, job.to
    );
    let size = ImageSize::new(job.width, job.height);
    // A child told to crash makes only its first image, then crashes.
    let end = match job.crash {
        Some(_) => job.to.min(job.from + 1),
        None => job.to,
    };
    for index in job.from..end {
        make_image(&job.dir, size, index)?;
    }
    if let Some(how) = job.crash {
        println!(
            "  child {child} (pid {pid}): crashing on purpose ({})",
            how.name()
        );
        how.crash();
    }
    Ok(())
}
// ANCHOR_END: work

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        hidden: Hidden,
    }

    fn parsed(command: &Command) -> Role {
        let args = std::iter::once("x".into()).chain(command.get_args().map(ToOwned::to_owned));
        let Hidden::Worker { role } = Cli::try_parse_from(args).unwrap().hidden;
        role
    }

    #[test]
    fn roles_survive_the_trip_through_the_command_line() {
        let range = RangeJob {
            child: 2,
            from: 10,
            to: 17,
            width: 30,
            height: 20,
            dir: PathBuf::from("/some dir/with spaces"),
            crash: Some(CrashHow::Abort),
        };
        let serve = ServeJob {
            width: 8,
            height: 9,
            crash: None,
        };
        for role in [
            Role::Nothing,
            Role::Range(range.clone()),
            Role::Range(RangeJob {
                crash: None,
                ..range
            }),
            Role::Serve(serve.clone()),
            Role::Serve(ServeJob {
                crash: Some(CrashHow::Exit),
                ..serve
            }),
        ] {
            assert_eq!(parsed(&role.command(Path::new("demo"))), role);
        }
    }
}
