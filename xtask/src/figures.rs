//! `cargo xtask figures`: run the demo 11 sweep (built in release: a debug build would chart
//! the compiler's settings, not the strategies) and write the charts into a folder.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, ensure};

/// The sweep, quick unless `full`, into `out`, with `label` on every chart's stamp; its
/// progress and summary go to the terminal.
pub fn figures(root: &Path, full: bool, out: &Path, label: Option<&str>) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args([
            "run",
            "--release",
            "--quiet",
            "--bin",
            "11-speedup-plots",
            "--",
        ])
        .arg(if full { "--full" } else { "--quick" })
        .arg("--out")
        .arg(out)
        .args(label.map(|l| ["--label", l]).into_iter().flatten())
        .current_dir(root);
    let status = command
        .status()
        .context("cannot run the 11-speedup-plots sweep")?;
    ensure!(
        status.success(),
        "the 11-speedup-plots sweep failed ({status})"
    );
    Ok(())
}
