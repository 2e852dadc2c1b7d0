//! The real binary with hostile arguments: sizes out of range, and a `--out` folder that holds
//! files of the reader's own.

use std::process::Command;

use testkit::{ScratchDir, one_line_failure};

fn recipes(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rust-recipes"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn small_files_removes_only_what_it_wrote() {
    let out = ScratchDir::new("recipes-small-files");
    std::fs::write(out.join("mine.txt"), "keep").unwrap();
    let dir = out.path().to_str().unwrap();
    let args = [
        "small-files",
        "--count",
        "4",
        "--width",
        "8",
        "--height",
        "8",
        "--out",
        dir,
    ];
    let output = recipes(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(testkit::files_below(out.path()), [out.join("mine.txt")]);
}

#[test]
fn sizes_out_of_range_get_one_line_and_exit_code_2() {
    let out = ScratchDir::new("recipes-args");
    let dir = out.join("images");
    // No images is a size like any other (the Python tests compare it); a million and one is not.
    for bad in [
        &["--count", "1000001"][..],
        &["--width", "0"],
        &["--height", "16385"],
    ] {
        let args = [&["images", "--out", dir.to_str().unwrap()], bad].concat();
        let line = one_line_failure(&recipes(&args), 2);
        assert!(line.contains(bad[0]), "{line}");
    }
    assert!(!dir.exists(), "nothing was written");
}
