//! Build automation for the workbook: `cargo xtask <command>` (see `--help`).
#![forbid(unsafe_code)]

mod book;
mod browser;
mod includes;
mod linkcheck;
mod npm;
mod record;
mod slides;

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
    /// Render the book into target/book; fail if any include, anchor or link does not resolve
    Book,
    /// Assemble the slides into target/slides/index.html (runs `npm ci` in slides/ if needed)
    Slides,
    /// Screenshot the built book and slides in headless Chromium and check what loaded
    /// (run `cargo xtask book` and `cargo xtask slides` first)
    BrowserTest,
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
        Command::Book => book::build(&root, &root.join("target/book")).and_then(|external| {
            let list = root.join("target/book-external-links.txt");
            workload::write_whole(&list, (external.join("\n") + "\n").as_bytes())?;
            println!(
                "book written to {}",
                root.join("target/book/index.html").display()
            );
            println!(
                "every link resolves; {} links to other sites, not fetched, are listed in {}",
                external.len(),
                list.display()
            );
            Ok(())
        }),
        Command::Slides => slides::build(&root, &root.join("target/slides")).map(|out| {
            println!("slides written to {}", out.join("index.html").display());
        }),
        Command::BrowserTest => browser::test(&root),
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
