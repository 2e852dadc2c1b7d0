//! `cargo xtask record` rewrites the committed recordings, so without demo names it asks for
//! them (or `--all`) instead of starting.

use std::process::Command;

#[test]
fn record_without_demos_asks_for_them_and_records_nothing() {
    let recorded = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../src/recorded");
    let before = std::fs::metadata(recorded.join("01-serial-loop.txt")).and_then(|m| m.modified());
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("record")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("--all") && stderr.contains("minutes"),
        "{stderr}"
    );
    let after = std::fs::metadata(recorded.join("01-serial-loop.txt")).and_then(|m| m.modified());
    assert_eq!(before.ok(), after.ok(), "a recording changed");
    let both = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["record", "--all", "05-task-queue"])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
}
