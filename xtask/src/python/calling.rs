//! The third side of `cargo xtask python`: the recipes' work done by Python scripts that call
//! the Rust module (`python/extension`, built here with maturin into the recipes' venv). Its
//! tests run first; its tables hold the call, timed inside Python, against the Rust binary's
//! own timer for the same work, a Python thread's ticks beside a call, and what crossing the
//! boundary costs.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, ensure};
use harness::report::{Timing, seconds};

use super::Measured;

/// Build the module into target/python-venv (maturin 1.x, pinned in python/requirements.txt);
/// cargo rebuilds only what changed.
pub fn build_module(root: &Path) -> anyhow::Result<()> {
    let venv = root.join("target/python-venv");
    let status = Command::new(venv.join("bin/maturin"))
        .args(["develop", "--release", "--quiet", "--manifest-path"])
        .arg(root.join("python/extension/Cargo.toml"))
        .env("VIRTUAL_ENV", &venv)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .status()
        .context("cannot run maturin from target/python-venv")?;
    ensure!(status.success(), "maturin could not build python/extension");
    Ok(())
}

/// Run python/test_rust_module.py against the Rust binary; its report only if it fails.
pub fn test_module(root: &Path, venv: &Path, rust: &Path) -> anyhow::Result<()> {
    let output = Command::new(venv)
        .arg("test_rust_module.py")
        .current_dir(root.join("python"))
        .env("RUST_RECIPES", rust)
        .env("RUST_BACKTRACE", "0")
        .output()
        .context("cannot run python/test_rust_module.py")?;
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    }
    ensure!(output.status.success(), "python/test_rust_module.py failed");
    println!("python/test_rust_module.py: the module agrees with the recipes and the binary");
    Ok(())
}

/// The tables of python/gil_ticks.py (a Python thread's ticks beside one call, GIL released and
/// held) and python/boundary.py (what a call, a view and a copy cost), one after the other.
pub fn script_tables(root: &Path, venv: &Path, tiny: bool) -> anyhow::Result<String> {
    let scripts: [(&str, [&[&str]; 2]); 2] = [
        (
            "gil_ticks.py",
            [
                &["--count", "10000", "--runs", "7"],
                &["--count", "50", "--runs", "1"],
            ],
        ),
        (
            "boundary.py",
            [
                &["--runs", "7"],
                &["--rows", "64", "--cols", "100", "--runs", "1"],
            ],
        ),
    ];
    let mut tables = String::new();
    for (script, flags) in scripts {
        let output = Command::new(venv)
            .arg(script)
            .args(flags[usize::from(tiny)])
            .args(["--processes", "2"])
            .current_dir(root.join("python"))
            .output()
            .with_context(|| format!("cannot run python/{script}"))?;
        ensure!(
            output.status.success(),
            "python/{script} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        tables.push_str(&String::from_utf8_lossy(&output.stdout));
        tables.push('\n');
    }
    Ok(tables)
}

/// The third side's times: its whole runs, the call timed inside Python, the Rust binary's
/// own timer, and the recipe's own time for its work where it prints one.
pub struct Calls {
    whole: Timing,
    call: Timing,
    binary: Timing,
    recipe: Option<Timing>,
}

impl Calls {
    /// Take the third side's times out of `times` and `own` (indexed recipe, binary, script).
    pub fn new(times: &mut Vec<Vec<Duration>>, own: &mut [Vec<Duration>]) -> Option<Self> {
        let whole = times.drain(2..).next()?;
        let timing = |runs: &mut Vec<Duration>| {
            (!runs.is_empty()).then(|| Timing::new(std::mem::take(runs)))
        };
        Some(Self {
            whole: Timing::new(whole),
            call: timing(&mut own[2])?,
            binary: timing(&mut own[1])?,
            recipe: timing(&mut own[0]),
        })
    }
}

fn range(t: &Timing) -> String {
    format!(
        "{} ({} - {})",
        seconds(t.median()),
        seconds(t.min()),
        seconds(t.max())
    )
}

fn ratio(a: &Timing, b: &Timing) -> f64 {
    a.median().as_secs_f64() / b.median().as_secs_f64().max(1e-9)
}

/// The page's tables: each side's whole run, then the call against the binary's own timer.
pub fn markdown(measured: &[Measured], stamp: &str, tables: &str) -> String {
    let mut text = String::from(
        "| work | `multiprocessing` recipe | Python calling Rust | Rust binary |\n|---|---|---|---|\n",
    );
    let with_calls = || {
        measured
            .iter()
            .filter_map(|m| Some((m, m.calling.as_ref()?)))
    };
    for (m, calls) in with_calls() {
        text.push_str(&format!(
            "| chapter {}: `{}` | {} | {} | {} |\n",
            m.pair.chapter,
            m.pair.recipe,
            range(&m.python),
            range(&calls.whole),
            range(&m.rust)
        ));
    }
    text.push_str(
        "\nThe work alone, timed inside each program:\n\n\
         | work | the call, timed in Python | the binary's own timer | call / binary | the recipe's pool, timed in Python |\n\
         |---|---|---|---|---|\n",
    );
    for (m, calls) in with_calls() {
        let recipe = calls.recipe.as_ref().map_or("-".into(), |r| {
            format!(
                "{} (the call {:.0}x faster)",
                range(r),
                ratio(r, &calls.call)
            )
        });
        text.push_str(&format!(
            "| `{}` | {} | {} | {:.2}x | {recipe} |\n",
            m.pair.recipe,
            range(&calls.call),
            range(&calls.binary),
            ratio(&calls.call, &calls.binary)
        ));
    }
    text.push_str(&format!("\n{tables}{stamp}.\n"));
    text
}
