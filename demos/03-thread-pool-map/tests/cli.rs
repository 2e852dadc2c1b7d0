//! The real binary: success, bad arguments, and failures while writing or loading.

use std::path::Path;
use std::process::{Command, Output};

use testkit::{ScratchDir, check_timeline, files_below, one_line_failure};
use workload::{ImageSize, image_path, read_png_into};

const SMALL: [&str; 6] = ["--count", "7", "--width", "10", "--height", "6"];

fn demo(args: &[&str], out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_03-thread-pool-map"))
        .args(SMALL)
        .args(["--runs", "1", "--out", out.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn every_strategy_is_identical_with_an_odd_pool_size() {
    let out = ScratchDir::new("03-ok");
    let output = demo(&["--threads", "3", "--chunk", "1,2,worker"], out.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.matches("identical").count(),
        5,
        "4 writers and 1 loader:\n{stdout}"
    );
    assert!(!stdout.contains("DIFFERS"));
}

#[test]
fn bad_arguments_get_one_line_and_exit_code_2() {
    let out = ScratchDir::new("03-args");
    for args in [
        &["--threads", "0"][..],
        &["--chunk", "0"],
        &["--chunk", "1,half"],
        &["--count", "abc"],
    ] {
        one_line_failure(&demo(args, out.path()), 2);
    }
    assert!(files_below(out.path()).is_empty(), "nothing written");
}

#[test]
fn a_failed_write_is_reported_and_leaves_no_partial_file() {
    let out = ScratchDir::new("03-blocked");
    // A folder where image 4 should go: writing it must fail at run time.
    std::fs::create_dir_all(image_path(&out.join("serial"), 4).join("in-the-way")).unwrap();
    let line = one_line_failure(&demo(&[], out.path()), 1);
    assert!(line.contains("noise-00004.png"), "{line}");
    let size = ImageSize::new(10, 6);
    for file in files_below(out.path()) {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(!name.ends_with(".tmp"), "left behind: {}", file.display());
        if name.ends_with(".png") {
            read_png_into(&file, size, &mut vec![0; size.bytes()]).expect("every image is whole");
        }
    }
}

#[test]
fn loading_a_missing_or_corrupt_image_names_the_file_and_exits_1() {
    let out = ScratchDir::new("03-load");
    assert!(demo(&[], out.path()).status.success());
    let images = out.join("serial");
    let from = ["--load-from", images.to_str().unwrap()];

    std::fs::write(image_path(&images, 3), b"\x89PNG but not really").unwrap();
    let line = one_line_failure(&demo(&from, out.path()), 1);
    assert!(
        line.contains("noise-00003.png") && line.contains("not a readable PNG"),
        "{line}"
    );

    std::fs::remove_file(image_path(&images, 3)).unwrap();
    let line = one_line_failure(&demo(&from, out.path()), 1);
    assert!(
        line.contains("cannot open") && line.contains("noise-00003.png"),
        "{line}"
    );

    let line = one_line_failure(
        &demo(&["--load-from", "/nonexistent/images"], out.path()),
        1,
    );
    assert!(line.contains("noise-00000.png"), "{line}");
}

#[test]
fn loading_images_of_another_size_is_an_error() {
    let images = ScratchDir::new("03-shape");
    function_extraction::map_serial(images.path(), ImageSize::new(10, 6), 2).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_03-thread-pool-map"))
        .args([
            "--count",
            "2",
            "--width",
            "10",
            "--height",
            "5",
            "--load-from",
        ])
        .arg(images.path())
        .output()
        .unwrap();
    let line = one_line_failure(&output, 1);
    assert!(
        line.contains("is a 10x6") && line.contains("expected a 10x5"),
        "{line}"
    );
}

#[test]
fn a_closed_or_full_stdout_ends_the_run_cleanly() {
    let out = testkit::ScratchDir::new("03-stdout");
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_03-thread-pool-map"));
        demo.args([
            "--count", "2", "--width", "8", "--height", "8", "--runs", "1", "--out",
        ])
        .arg(out.path());
        demo
    });
}

#[test]
fn images_too_big_to_load_are_refused_before_any_is_written() {
    let out = testkit::ScratchDir::new("03-too-big");
    // 1000000 images of 16384x16384 pixels: far more memory than any machine has.
    let output = Command::new(env!("CARGO_BIN_EXE_03-thread-pool-map"))
        .args([
            "--count", "1000000", "--width", "16384", "--height", "16384", "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    let line = testkit::one_line_failure(&output, 1);
    assert!(line.contains("need more memory"), "{line}");
    assert!(testkit::files_below(out.path()).is_empty());
}

#[test]
fn the_timeline_shows_every_item_once_inside_its_run() {
    let out = ScratchDir::new("03-timeline");
    let trace = out.join("timeline.json");
    let images = out.join("images");
    let output = demo(
        &[
            "--threads",
            "3",
            "--chunk",
            "1,worker",
            "--timeline",
            trace.to_str().unwrap(),
        ],
        &images,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let writers = check_timeline(&trace, "writing", 7);
    assert_eq!(
        writers.len(),
        4,
        "serial, par_iter and two chunk sizes: {writers:?}"
    );
    assert_eq!(check_timeline(&trace, "loading", 7).len(), 2);
    let svg = std::fs::read_to_string(out.join("timeline.svg")).unwrap();
    assert!(svg.contains("rayon par_iter"), "{svg}");
}

#[test]
fn a_timeline_at_a_fifo_a_link_or_a_folder_is_refused_before_any_work() {
    testkit::check_timeline_targets(|out| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_03-thread-pool-map"));
        demo.args([
            "--count", "2", "--width", "8", "--height", "8", "--runs", "1",
        ]);
        demo.arg("--out").arg(out);
        demo
    });
}

#[test]
fn an_input_image_that_is_a_fifo_is_an_error_not_a_hang() {
    let out = ScratchDir::new("03-fifo-input");
    let input = out.join("input");
    std::fs::create_dir_all(&input).unwrap();
    let made = Command::new("mkfifo").arg(image_path(&input, 0)).status();
    assert!(made.unwrap().success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_03-thread-pool-map"))
        .args([
            "--count", "1", "--width", "8", "--height", "8", "--runs", "1",
        ])
        .arg("--load-from")
        .arg(&input)
        .arg("--out")
        .arg(out.join("images"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let ended = testkit::exited_within(&mut child, std::time::Duration::from_secs(60));
    assert!(ended, "reading a FIFO hung");
    let line = one_line_failure(&child.wait_with_output().unwrap(), 1);
    assert!(line.contains("not a regular file"), "{line}");
}

#[test]
fn a_second_run_into_the_same_folder_says_it_is_in_use() {
    let out = ScratchDir::new("03-in-use");
    let run = |count: &str| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_03-thread-pool-map"));
        demo.args(["--count", count, "--width", "8", "--height", "8"])
            .arg("--out")
            .arg(out.path());
        demo
    };
    let first_image = out.join("serial/noise-00000.png");
    testkit::check_second_run_is_refused(run("1000000"), || first_image.exists(), run("2"), 1);
}
