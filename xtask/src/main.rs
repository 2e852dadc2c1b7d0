//! Build automation for the workbook: `cargo xtask <command>` (see `--help`).
#![forbid(unsafe_code)]

mod book;
mod browser;
mod exercise;
mod figures;
mod files;
mod includes;
mod linkcheck;
mod npm;
mod progress;
mod python;
mod record;
mod record_mpi;
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
    /// Make the reader's own charts (the quick sweep into src/figures), then render the book
    /// into target/book; fail if any include, anchor or link does not resolve
    Book {
        /// Keep src/figures as it is (faster, for editing the text); so does
        /// WORKBOOK_NO_FIGURES=1
        #[arg(long)]
        no_figures: bool,
        /// Make the charts with the full sweep (several minutes) instead of the quick one
        #[arg(long, conflicts_with = "no_figures")]
        full: bool,
    },
    /// Assemble the slides into target/slides/index.html (runs `npm ci` in slides/ if needed)
    Slides,
    /// Screenshot the built book and slides in headless Chromium and check what loaded
    /// (run `cargo xtask book` and `cargo xtask slides` first)
    BrowserTest,
    /// Run the demo 11 sweep and write its charts, CSV and machine description
    Figures {
        /// The full sweep: bigger work, more runs, several minutes (default: the quick one)
        #[arg(long)]
        full: bool,
        /// Where to write them, from the repository root [default: src/figures]; the committed
        /// reference run is src/figures/reference
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// A note on every chart's stamp, e.g. "reference run on the book's machine"
        #[arg(long, value_name = "TEXT")]
        label: Option<String>,
    },
    /// Run demos with their default arguments and save what they printed in src/recorded/,
    /// replacing the recordings there
    Record {
        /// Demos to record, e.g. `05-task-queue` (or --all)
        demos: Vec<String>,
        /// Record every demo: a release build of each, then its default run (a few minutes on
        /// a 2-core machine)
        #[arg(long, conflicts_with = "demos")]
        all: bool,
    },
    /// Run each Python recipe in python/ and its Rust chapter on the same work, taking turns;
    /// check their results agree; write a table and a chart (makes target/python-venv first)
    Python(python::PythonArgs),
    /// Check your answers to the book's exercises (exercises/): list every one as done or
    /// not, and show why the first one not done fails
    Exercise(exercise::ExerciseArgs),
}

fn main() -> ExitCode {
    let cli: Cli = harness::cli::parse();
    let root = workspace_root();
    if let Command::Python(args) = &cli.command {
        return python::main(&root, args);
    }
    if let Command::Exercise(args) = &cli.command {
        return exercise::main(&root, args);
    }
    if let Command::Record { demos, all: false } = &cli.command
        && demos.is_empty()
    {
        return harness::cli::bad_argument(format!(
            "name the demos to record, e.g. `cargo xtask record 05-task-queue`, or give --all \
             for every one ({}), which replaces every file in src/recorded/",
            record::ALL_TAKES
        ));
    }
    harness::cli::finish(match cli.command {
        Command::Book { no_figures, full } => {
            let skip =
                no_figures || std::env::var_os("WORKBOOK_NO_FIGURES").is_some_and(|v| v == "1");
            let figures = if skip {
                Ok(())
            } else {
                figures::figures(&root, full, &root.join("src/figures"), None)
            };
            figures.and_then(|()| build_book(&root))
        }
        Command::Slides => slides::build(&root, &root.join("target/slides")).map(|out| {
            println!("slides written to {}", out.join("index.html").display());
        }),
        Command::BrowserTest => browser::test(&root),
        Command::Figures { full, out, label } => {
            let out = out.map_or_else(|| root.join("src/figures"), |dir| root.join(dir));
            figures::figures(&root, full, &out, label.as_deref())
        }
        Command::Record { demos, .. } => record::record(&root, &demos),
        Command::Python(_) | Command::Exercise(_) => unreachable!("handled above"),
    })
}

/// Render the book and list the links to other sites, which the link check does not fetch.
fn build_book(root: &Path) -> anyhow::Result<()> {
    let external = book::build(root, &root.join("target/book"))?;
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
}

/// The repository root: this crate lives in `<root>/xtask`.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_owned()
}
