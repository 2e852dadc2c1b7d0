//! A shared-memory folder too small for chapter 6's shared file: the run says so in one line
//! naming the folder and exits 1, never dies of a signal.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use testkit::{ScratchDir, SmallTmpfs};

#[test]
fn a_map_dir_too_small_is_named_and_no_signal_ends_the_run() {
    // 8 KiB of room; the run's shared file is 64 images of 64x64 pixels as f64, 2 MiB.
    let Some(place) = SmallTmpfs::mount("10-small-map", "8k") else {
        eprintln!("skipped: cannot mount a small tmpfs here");
        return;
    };
    let out = ScratchDir::new("10-small-map-out");
    let output = Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"))
        .args([
            "--strategy",
            "shared-memory",
            "--fault",
            "none",
            "--map-dir",
        ])
        .arg(place.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.signal(), None, "{:?}", output.status);
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stdout);
    let dir = place.path().display();
    let line = format!("cannot create the shared file in {dir}: No space left on device");
    assert_eq!(said.matches(&line).count(), 1, "{said}");
}
