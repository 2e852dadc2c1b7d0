//! The Node packages the slides and the browser tests use, installed from their lock files.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, ensure};

/// Run `npm ci` in `dir` unless its `node_modules` already matches `package-lock.json`.
pub fn install(dir: &Path) -> anyhow::Result<()> {
    let modified = |file: &str| fs::metadata(dir.join(file)).and_then(|m| m.modified());
    let lock = modified("package-lock.json")
        .with_context(|| format!("{}/package-lock.json is missing", dir.display()))?;
    if modified("node_modules/.package-lock.json").is_ok_and(|installed| installed >= lock) {
        return Ok(());
    }
    eprintln!("npm ci in {} ...", dir.display());
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .context("this needs Node.js 18 or newer with npm (https://nodejs.org); cannot run npm")?;
    ensure!(
        status.success(),
        "npm ci in {} failed ({status})",
        dir.display()
    );
    Ok(())
}
