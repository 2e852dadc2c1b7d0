//! Build automation for the workbook: `cargo xtask <command>` (see `--help`).
#![forbid(unsafe_code)]

mod book;
mod record;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Build the workbook's book and keep its recorded outputs up to date.
#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render the book into target/book; fail if any include or anchor does not resolve
    Book,
    /// Run demos with their default arguments and save what they printed in src/recorded/
    Record {
        /// Demos to record, e.g. `05-task-queue` [default: every demo]
        demos: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli: Cli = workload::cli::parse();
    let root = workspace_root();
    workload::cli::finish(match cli.command {
        Command::Book => book::build(&root, &root.join("target/book")).map(|out| {
            println!("book written to {}", out.join("index.html").display());
        }),
        Command::Record { demos } => record::record(&root, &demos),
    })
}

/// The repository root: this crate lives in `<root>/xtask`.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_owned()
}
