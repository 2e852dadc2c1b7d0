//! The real binary: the function and the loop write the same files.

use std::process::{Command, Output};

use function_extraction::map_serial;
use serial_loop::serial_loop;
use testkit::{ScratchDir, one_line_failure};
use workload::ImageSize;

fn demo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_02-function-extraction"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn function_and_loop_write_identical_files_for_any_count() {
    let size = ImageSize::new(9, 7);
    for count in [0, 1, 2, 7] {
        let (a, b) = (ScratchDir::new("02-loop"), ScratchDir::new("02-map"));
        let from_loop =
            serial_loop(a.path(), size, workload::Compression::default(), count).unwrap();
        let from_map = map_serial(b.path(), size, count).unwrap();
        assert_eq!(from_map.len(), count);
        assert!(
            workload::same_files(&from_loop, &from_map).unwrap(),
            "count {count}"
        );
    }
}

#[test]
fn the_binary_reports_identical_files() {
    let out = ScratchDir::new("02-ok");
    let output = demo(&[
        "--count",
        "3",
        "--width",
        "16",
        "--height",
        "16",
        "--runs",
        "1",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("identical") && !stdout.contains("DIFFERS"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_dir(out.join("map")).unwrap().count(), 3);
}

#[test]
fn bad_arguments_get_one_line_and_exit_code_2() {
    one_line_failure(&demo(&["--runs", "0"]), 2);
    one_line_failure(&demo(&["--height", "many"]), 2);
}

#[test]
fn a_closed_or_full_stdout_ends_the_run_cleanly() {
    let out = testkit::ScratchDir::new("02-stdout");
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_02-function-extraction"));
        demo.args([
            "--count", "2", "--width", "8", "--height", "8", "--runs", "1", "--out",
        ])
        .arg(out.path());
        demo
    });
}

#[test]
fn a_timeline_at_a_fifo_a_link_or_a_folder_is_refused_before_any_work() {
    testkit::check_timeline_targets(|out| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_02-function-extraction"));
        demo.args([
            "--count", "2", "--width", "8", "--height", "8", "--runs", "1",
        ])
        .arg("--out")
        .arg(out);
        demo
    });
}

#[test]
fn a_second_run_into_the_same_folder_says_it_is_in_use() {
    let out = ScratchDir::new("02-in-use");
    let run = |count: &str| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_02-function-extraction"));
        demo.args(["--count", count, "--width", "8", "--height", "8"])
            .arg("--out")
            .arg(out.path());
        demo
    };
    let first_image = out.join("loop/noise-00000.png");
    testkit::check_second_run_is_refused(run("1000000"), || first_image.exists(), run("2"), 1);
}
