//! A shared-memory folder too small for the window-fill's shared file: the sweep stops
//! before it starts, with one line naming the folder, and never dies of a signal.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use testkit::{ScratchDir, SmallTmpfs, one_line_failure};

#[test]
fn a_map_dir_too_small_is_named_before_the_sweep() {
    // 8 KiB of room; the test sizes' array is 37 x 64 f64, 18.5 KiB.
    let Some(place) = SmallTmpfs::mount("11-small-map", "8k") else {
        eprintln!("skipped: cannot mount a small tmpfs here");
        return;
    };
    let out = ScratchDir::new("11-small-map-out");
    let output = Command::new(env!("CARGO_BIN_EXE_11-speedup-plots"))
        .args(["--test-sizes", "--only", "window-fill", "--map-dir"])
        .arg(place.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.signal(), None, "{:?}", output.status);
    let line = one_line_failure(&output, 1);
    let dir = place.path().display();
    assert!(line.contains(&format!("{dir} has 8.0 KiB free")), "{line}");
    assert!(line.contains("the shared files need 18.5 KiB"), "{line}");
    assert!(output.stdout.is_empty(), "no sweep started");
}
