//! `cargo xtask record`: run every demo as a reader would and keep what it printed, so the
//! book shows real output from a named machine instead of text pasted by hand.

use std::path::Path;
use std::process::{Command, Output};

use anyhow::{Context, ensure};

use crate::progress::Steps;
use crate::record_mpi;

/// How long recording every demo takes, for the line that asks before it starts.
pub const ALL_TAKES: &str = "a release build of each, then its default run: a few minutes on a \
                             2-core machine";

/// Runs recorded besides each demo's default one: the demo, its arguments, the file's name.
const EXTRA_RUNS: [(&str, &[&str], &str); 1] = [(
    "10-when-workers-fail",
    &["--plain"],
    "10-when-workers-fail-plain",
)];

/// Charts a demo's default run draws, kept beside its recording: the demo, the file it
/// writes into its output folder, the name it gets in `src/recorded/`.
const CHARTS: [(&str, &str, &str); 1] = [(
    "09-threads-and-async",
    "costs.svg",
    "09-threads-and-async.svg",
)];

/// Run each `demos/NN-name` binary named in `only` (every one if empty: `--all`) with its defaults;
/// write its output to `src/recorded/NN-name.txt`, and the [`EXTRA_RUNS`] beside it.
pub fn record(root: &Path, only: &[String]) -> anyhow::Result<()> {
    let mut demos: Vec<String> = std::fs::read_dir(root.join("demos"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    demos.sort();
    if let Some(unknown) = only.iter().find(|name| !demos.contains(name)) {
        anyhow::bail!(
            "no demo called {unknown}; the demos are {}",
            demos.join(", ")
        );
    }
    demos.retain(|name| only.is_empty() || only.contains(name));
    let recorded = root.join("src/recorded");
    std::fs::create_dir_all(&recorded)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let runs: Vec<(&str, &[&str], &str)> = demos
        .iter()
        .flat_map(|demo| {
            let extra = EXTRA_RUNS.iter().filter(move |(name, ..)| name == demo);
            std::iter::once((demo.as_str(), &[][..], demo.as_str())).chain(extra.copied())
        })
        .collect();
    let steps = Steps::new(runs.len());
    for (demo, args, name) in runs {
        let file = recorded.join(format!("{name}.txt"));
        if demo == record_mpi::DEMO {
            steps.start(&format!("recording {demo} on 2 MPI ranks"));
            if let Some((shown, output)) = record_mpi::run(root, &cargo)? {
                keep(&file, &shown, demo, &output)?;
                record_mpi::keep_chart(root)?;
            }
        } else {
            let mut shown = vec!["cargo", "run", "--release", "--bin", demo];
            if !args.is_empty() {
                shown.push("--");
                shown.extend(args);
            }
            let shown = shown.join(" ");
            steps.start(&format!("recording {shown}"));
            let output = Command::new(&cargo)
                .args(["run", "--release", "--quiet", "--bin", demo, "--"])
                .args(args)
                .current_dir(root)
                // As a reader runs it: a panic's backtrace, if asked for, takes tens of
                // milliseconds to print, which a failing worker's timing would show.
                .env_remove("RUST_BACKTRACE")
                .env_remove("RUST_LIB_BACKTRACE")
                .output()
                .with_context(|| format!("cannot run {demo}"))?;
            keep(&file, &shown, demo, &output)?;
        }
        for (_, chart, copy) in CHARTS.iter().filter(|(of, ..)| *of == demo) {
            let drawn = root.join("target/demo-output").join(demo).join(chart);
            let bytes = std::fs::read(&drawn)
                .with_context(|| format!("{demo} drew no {}", drawn.display()))?;
            workload::write_whole(&recorded.join(copy), &bytes)?;
        }
        steps.done();
    }
    Ok(())
}

/// Keep what a run of `demo` printed in `file`, after the command that shows it (`shown`); a
/// run that failed is an error that says what it wrote on stderr.
fn keep(file: &Path, shown: &str, demo: &str, output: &Output) -> anyhow::Result<()> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    ensure!(
        output.status.success(),
        "{demo} failed ({}): {}",
        output.status,
        stderr.trim()
    );
    let text = format!("$ {shown}\n{}", String::from_utf8_lossy(&output.stdout));
    workload::write_whole(file, text.as_bytes())
        .with_context(|| format!("cannot write {}", file.display()))
}
