//! `cargo xtask browser-test`: open the built book and slides in headless Chromium (a Node
//! script drives it through playwright-core), keep screenshots, check what loaded.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, ensure};

use crate::npm;

/// Check the book and the slides already built under `root/target`.
pub fn test(root: &Path) -> anyhow::Result<()> {
    let target = root.join("target");
    for (built, command) in [
        ("book/index.html", "cargo xtask book"),
        ("slides/index.html", "cargo xtask slides"),
    ] {
        ensure!(
            target.join(built).is_file(),
            "no target/{built}: run `{command}` first"
        );
    }
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    ensure!(
        chromium.is_file(),
        "no Chromium at {}: run .ci/install-browser (Debian) or set CHROMIUM to its path",
        chromium.display()
    );
    let tests = root.join("tests/browser");
    npm::install(&tests)?;
    std::fs::create_dir_all(target.join("screenshots"))?;

    let status = Command::new("node")
        .arg(tests.join("check.mjs"))
        .env("WORKBOOK_TARGET", &target)
        .env("CHROMIUM", &chromium)
        .status()
        .context("cannot run node")?;
    ensure!(status.success(), "the browser test failed ({status})");
    println!("screenshots in {}", target.join("screenshots").display());
    Ok(())
}
