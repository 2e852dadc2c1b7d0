//! `cargo xtask python` as the reader meets it without Python, and with a bad flag: one line
//! on stderr and exit code 2. (CI runs the recipes themselves: `cargo xtask python --tiny`.)

use std::process::Command;

fn xtask(args: &[&str], python: &str) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("PYTHON", python)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr)
}

#[test]
fn without_python_it_says_what_is_missing_in_one_line() {
    let (code, stderr) = xtask(&["python", "--tiny"], "/nonexistent/python3");
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("/nonexistent/python3") && stderr.contains("venv"),
        "{stderr}"
    );
}

#[test]
fn bad_flags_get_one_line_and_exit_code_2() {
    for args in [
        &["python", "--workers", "0"][..],
        &["python", "--runs", "x"],
        &["python", "--fast"],
    ] {
        let (code, stderr) = xtask(args, "python3");
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    }
}
