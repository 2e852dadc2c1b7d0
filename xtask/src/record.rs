//! `cargo xtask record`: run every demo as a reader would and keep what it printed, so the
//! book shows real output from a named machine instead of text pasted by hand.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, ensure};

/// How long recording every demo takes, for the line that asks before it starts.
pub const ALL_TAKES: &str = "a release build of each, then its default run: a few minutes on a \
                             2-core machine";

/// Runs recorded besides each demo's default one: the demo, its arguments, the file's name.
const EXTRA_RUNS: [(&str, &[&str], &str); 1] = [(
    "10-when-workers-fail",
    &["--plain"],
    "10-when-workers-fail-plain",
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
    for demo in demos {
        let extra = EXTRA_RUNS.iter().filter(|(name, ..)| *name == demo);
        let runs = std::iter::once((demo.as_str(), &[][..], demo.as_str())).chain(extra.copied());
        if demo == crate::record_mpi::DEMO {
            let file = recorded.join(format!("{demo}.txt"));
            crate::record_mpi::record(root, &cargo, &file)?;
            continue;
        }
        for (demo, args, file) in runs {
            record_one(
                root,
                &cargo,
                demo,
                args,
                &recorded.join(format!("{file}.txt")),
            )?;
        }
    }
    Ok(())
}

/// Run `demo` with `args` as a reader would and write what it printed to `file`.
fn record_one(
    root: &Path,
    cargo: &std::ffi::OsStr,
    demo: &str,
    args: &[&str],
    file: &Path,
) -> anyhow::Result<()> {
    let mut command = vec!["cargo", "run", "--release", "--bin", demo];
    if !args.is_empty() {
        command.push("--");
        command.extend(args);
    }
    eprintln!("recording {} ...", command.join(" "));
    let output = Command::new(cargo)
        .args(["run", "--release", "--quiet", "--bin", demo, "--"])
        .args(args)
        .current_dir(root)
        // As a reader runs it: a panic's backtrace, if asked for, takes tens of milliseconds
        // to print, which a failing worker's timing would show.
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .output()
        .with_context(|| format!("cannot run {demo}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    ensure!(
        output.status.success(),
        "{demo} failed ({}): {}",
        output.status,
        stderr.trim()
    );
    let text = format!(
        "$ {}\n{}",
        command.join(" "),
        String::from_utf8_lossy(&output.stdout)
    );
    workload::write_whole(file, text.as_bytes())
        .with_context(|| format!("cannot write {}", file.display()))
}
