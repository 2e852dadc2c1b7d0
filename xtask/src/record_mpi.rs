//! `cargo xtask record 12-mpi-ranks`: demo 12 is its own workspace and runs under `mpirun`, so
//! it is built with its own manifest and started on 2 ranks; its ping-pong chart goes into
//! the book's reference figures. Where `mpirun` is missing it is skipped, with a line saying so.

use std::path::Path;
use std::process::{Command, Output};

use anyhow::{Context, ensure};

pub const DEMO: &str = "12-mpi-ranks";

/// Build demo 12 and run it on 2 ranks; the command as shown and what it printed, or `None`
/// where there is no `mpirun`.
pub fn run(root: &Path, cargo: &std::ffi::OsStr) -> anyhow::Result<Option<(String, Output)>> {
    if Command::new("mpirun").arg("--version").output().is_err() {
        eprintln!("skipping {DEMO}: mpirun is missing (.ci/install-mpi installs Open MPI)");
        return Ok(None);
    }
    let manifest = format!("demos/{DEMO}/Cargo.toml");
    let built = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .current_dir(root)
        .status()
        .with_context(|| format!("cannot build {DEMO}"))?;
    ensure!(built.success(), "cannot build {DEMO} ({built})");
    let binary = format!("demos/{DEMO}/target/release/{DEMO}");
    let shown = ["mpirun", "-np", "2", "--bind-to", "none", &binary];
    let output = Command::new(shown[0])
        .args(&shown[1..])
        // Open MPI refuses to start as root without these; CI runs as root.
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        .current_dir(root)
        .output()
        .with_context(|| format!("cannot run {DEMO}"))?;
    Ok(Some((shown.join(" "), output)))
}

/// Keep the ping-pong chart of the run that [`run`] made in the book's reference figures.
pub fn keep_chart(root: &Path) -> anyhow::Result<()> {
    let chart = root.join(format!(
        "demos/{DEMO}/target/demo-output/{DEMO}/pingpong.svg"
    ));
    let kept = root.join("src/figures/reference/pingpong.svg");
    let bytes =
        std::fs::read(&chart).with_context(|| format!("cannot read {}", chart.display()))?;
    workload::write_whole(&kept, &bytes)
        .with_context(|| format!("cannot write {}", kept.display()))?;
    Ok(())
}
