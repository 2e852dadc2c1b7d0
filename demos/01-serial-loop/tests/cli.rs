//! The real binary: what a reader sees when it works and when it fails.

use std::process::{Command, Output};

use testkit::{ScratchDir, files_below, one_line_failure};
use workload::{ImageSize, image_path, noise_pixels, read_png_into};

fn demo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_01-serial-loop"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn writes_every_image_whole_and_prints_the_table() {
    let out = ScratchDir::new("01-ok");
    // Left by an earlier, bigger run: it must not pass for this run's output.
    std::fs::write(image_path(out.path(), 9), "stale").unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let dir = out.path().to_str().unwrap();
    let output = demo(&[
        "--count", "5", "--width", "24", "--height", "8", "--runs", "2", "--out", dir,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("serial loop, fast compression") && stdout.contains("reference"),
        "{stdout}"
    );

    let size = ImageSize::new(24, 8);
    let expected: Vec<_> = (0..5).map(|i| image_path(out.path(), i)).collect();
    let mut kept = expected.clone();
    kept.push(out.join("notes.txt"));
    let top: Vec<_> = files_below(out.path())
        .into_iter()
        .filter(|p| p.parent() == Some(out.path()))
        .collect();
    assert_eq!(top, kept, "the stale image is gone, notes kept");
    for level in ["balanced", "best"] {
        let folder = out.join(format!("compression-{level}"));
        assert_eq!(files_below(&folder).len(), 5, "{level}");
    }
    for (index, path) in expected.iter().enumerate() {
        let mut pixels = vec![0; size.bytes()];
        read_png_into(path, size, &mut pixels).unwrap();
        assert_eq!(pixels, noise_pixels(index, size));
    }
}

#[test]
fn the_chapter_s_compression_command_runs() {
    let out = ScratchDir::new("01-best");
    let dir = out.path().to_str().unwrap();
    let args = [
        "--compression",
        "best",
        "--count",
        "2",
        "--width",
        "8",
        "--height",
        "8",
    ];
    let output = demo(&[&args[..], &["--runs", "1", "--out", dir]].concat());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let reference = stdout.lines().find(|l| l.ends_with("reference")).unwrap();
    assert!(
        reference.starts_with("serial loop, best compression"),
        "{stdout}"
    );
}

#[test]
fn bad_arguments_get_one_line_and_exit_code_2() {
    for args in [
        &["--count", "abc"][..],
        &["--count", "0"],
        &["--count", "100000000000"],
        &["--runs", "1000000"],
        &["--width", "0"],
        &["--colour", "red"],
        &["--compression", "max"],
    ] {
        let line = one_line_failure(&demo(args), 2);
        assert!(line.contains("--help"), "{line}");
    }
}

#[test]
fn an_unwritable_output_folder_fails_with_exit_code_1_and_writes_nothing() {
    let scratch = ScratchDir::new("01-unwritable");
    std::fs::write(scratch.join("a-file"), "").unwrap();
    let out = scratch.join("a-file/images");
    let line = one_line_failure(&demo(&["--count", "2", "--out", out.to_str().unwrap()]), 1);
    assert!(line.contains("cannot prepare output directory"), "{line}");
    assert_eq!(files_below(scratch.path()), [scratch.join("a-file")]);
}

#[test]
fn help_explains_every_flag() {
    let output = demo(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in ["--count", "--width", "--height", "--out", "--runs"] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn a_closed_or_full_stdout_ends_the_run_cleanly() {
    let out = ScratchDir::new("01-stdout");
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_01-serial-loop"));
        demo.args(["--count", "2", "--width", "8", "--height", "8", "--out"])
            .arg(out.path());
        demo
    });
}

#[test]
fn a_second_run_into_the_same_folder_says_it_is_in_use() {
    let out = ScratchDir::new("01-in-use");
    let mut first = Command::new(env!("CARGO_BIN_EXE_01-serial-loop"))
        .args([
            "--count", "1000000", "--width", "8", "--height", "8", "--out",
        ])
        .arg(out.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Once its first image exists, the first run holds the folder.
    let started = testkit::within(std::time::Duration::from_secs(60), || {
        image_path(out.path(), 0).exists()
    });
    let second = demo(&["--count", "2", "--out", out.path().to_str().unwrap()]);
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(started, "the first run started writing");
    let line = one_line_failure(&second, 1);
    assert!(line.contains("another run is writing into it"), "{line}");
}

#[test]
fn a_timeline_at_a_fifo_a_link_or_a_folder_is_refused_before_any_work() {
    testkit::check_timeline_targets(|out| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_01-serial-loop"));
        demo.args([
            "--count", "2", "--width", "8", "--height", "8", "--runs", "1",
        ])
        .arg("--out")
        .arg(out);
        demo
    });
}

#[test]
fn a_link_under_an_image_s_name_is_removed_and_a_fifo_refused_before_any_work() {
    let out = ScratchDir::new("01-planted");
    let outside = ScratchDir::new("01-outside");
    std::fs::write(outside.join("kept.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(outside.join("kept.txt"), image_path(out.path(), 1)).unwrap();
    let dir = out.path().to_str().unwrap();
    let args = [
        "--count", "2", "--width", "8", "--height", "8", "--runs", "1", "--out", dir,
    ];
    let output = demo(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("kept.txt")).unwrap(),
        "keep"
    );
    assert!(
        image_path(out.path(), 1)
            .symlink_metadata()
            .unwrap()
            .is_file()
    );

    let fifo = image_path(out.path(), 0);
    std::fs::remove_file(&fifo).unwrap();
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success());
    let line = one_line_failure(&demo(&args), 1);
    assert!(line.contains("FIFO"), "{line}");
    assert!(
        image_path(out.path(), 1).exists(),
        "nothing was touched but the check"
    );
}
