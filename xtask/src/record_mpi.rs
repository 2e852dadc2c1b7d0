//! `cargo xtask record 12-mpi-ranks`: demo 12 is its own workspace and runs under `mpirun`, so
//! it is built with its own manifest and started on 2 ranks; its ping-pong chart goes into
//! the book's reference figures. Where `mpirun` is missing it is skipped, with a line saying so.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, ensure};

pub const DEMO: &str = "12-mpi-ranks";

/// Build demo 12, run it on 2 ranks and keep its output and its chart.
pub fn record(root: &Path, cargo: &std::ffi::OsStr, file: &Path) -> anyhow::Result<()> {
    if Command::new("mpirun").arg("--version").output().is_err() {
        eprintln!("skipping {DEMO}: mpirun is missing (.ci/install-mpi installs Open MPI)");
        return Ok(());
    }
    let manifest = format!("demos/{DEMO}/Cargo.toml");
    let built = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "--manifest-path",
            &manifest,
        ])
        .current_dir(root)
        .status()
        .with_context(|| format!("cannot build {DEMO}"))?;
    ensure!(built.success(), "cannot build {DEMO} ({built})");
    let binary = format!("demos/{DEMO}/target/release/{DEMO}");
    let shown = ["mpirun", "-np", "2", "--bind-to", "none", &binary];
    eprintln!("recording {} ...", shown.join(" "));
    let output = Command::new(shown[0])
        .args(&shown[1..])
        // Open MPI refuses to start as root without these; CI runs as root.
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        .current_dir(root)
        .output()
        .with_context(|| format!("cannot run {DEMO}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    ensure!(
        output.status.success(),
        "{DEMO} failed ({}): {}",
        output.status,
        stderr.trim()
    );
    let text = format!(
        "$ {}\n{}",
        shown.join(" "),
        String::from_utf8_lossy(&output.stdout)
    );
    workload::write_whole(file, text.as_bytes())
        .with_context(|| format!("cannot write {}", file.display()))?;
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
