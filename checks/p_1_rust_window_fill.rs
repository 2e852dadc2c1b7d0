//! Exercise P.1's tests: `cargo xtask exercise P.1` runs them on your
//! `exercises/p_1_rust_window_fill.py`, CI on `solutions/` too (`--features solutions`). They
//! run it with the recipes' venv, `target/python-venv` (where `cargo xtask python` builds the
//! module `workbook_rust`), beside `python/window_fill.py`, and compare the two `result:` lines.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

const SCRIPT: &str = if cfg!(feature = "solutions") {
    "solutions/p_1_rust_window_fill.py"
} else {
    "exercises/p_1_rust_window_fill.py"
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The last `result:` line `script` prints for this size and number of workers.
fn result(script: &str, rows: usize, cols: usize, workers: usize) -> String {
    let python = root().join("target/python-venv/bin/python");
    let flags = format!("--rows {rows} --cols {cols} --processes {workers}");
    let output = Command::new(&python)
        .arg(script)
        .current_dir(root())
        .args(flags.split(' '))
        .env("PYTHONPATH", root().join("python")) // workload.py
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`{script} {flags}` failed:\n{}",
        stderr.trim()
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().rfind(|line| line.starts_with("result: "));
    line.unwrap_or_else(|| panic!("`{script} {flags}` printed no `result:` line"))
        .to_owned()
}

#[test]
fn prints_what_window_fill_prints() {
    // window_fill.py cannot cut 0 rows into bands; no columns it can.
    for (rows, cols, workers) in [(7, 13, 2), (5, 3, 7), (64, 100, 3), (3, 0, 2), (1, 1, 1)] {
        let expected = result("python/window_fill.py", rows, cols, workers);
        let got = result(SCRIPT, rows, cols, workers);
        assert_eq!(
            got, expected,
            "{rows} rows, {cols} columns, {workers} workers"
        );
    }
}
