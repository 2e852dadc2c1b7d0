//! The real binary: what a reader sees when it works and when a worker fails, and that no
//! worker process is ever left behind.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use testkit::{
    ScratchDir, exited_within, files_below, one_line_failure, processes_with_env, within,
};
use workload::{ImageSize, read_png_into};

/// Every process the demo starts inherits this variable, so the test can look for them later.
const MARKER: &str = "WORKBOOK_04_TEST_MARKER";

/// Run the demo with a marker of its own; fail the test rather than hang if it does not end.
fn demo(args: &[&str], out: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_04-process-spawn"))
        .args(["--runs", "1", "--out", out.to_str().unwrap()])
        .args(args)
        .env(MARKER, out)
        .current_dir(out) // where an aborting worker may dump core
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let exited = exited_within(&mut child, Duration::from_secs(120));
    assert!(exited, "the demo hung with {args:?}");
    let output = child.wait_with_output().unwrap();
    let marker = out.to_str().unwrap();
    assert_eq!(processes_with_env(MARKER, marker), [0u32; 0], "left behind");
    output
}

fn no_temporary_files(dir: &Path) {
    for file in files_below(dir) {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(!name.ends_with(".tmp"), "left behind: {}", file.display());
    }
}

const SMALL: [&str; 6] = ["--count", "7", "--width", "10", "--height", "6"];

#[test]
fn every_strategy_writes_the_serial_files_with_three_processes() {
    let out = ScratchDir::new("04-ok");
    let output = demo(&[&SMALL[..], &["--processes", "3"]].concat(), out.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout.matches("identical").count(), 3, "{stdout}");
    assert!(!stdout.contains("DIFFERS"));
    for needed in [
        "/bin/true",
        "child 2 (pid",
        "images 4..7",
        "exit status: 0",
        "round trip",
    ] {
        assert!(stdout.contains(needed), "{needed:?} missing:\n{stdout}");
    }
    let size = ImageSize::new(10, 6);
    for folder in ["serial", "rayon", "one-shot", "pool"] {
        let files = files_below(&out.join(folder));
        assert_eq!(files.len(), 7, "{folder}");
        for file in files {
            read_png_into(&file, size, &mut vec![0; size.bytes()]).unwrap();
        }
    }
}

#[test]
fn the_worker_processes_spans_join_the_parents_timeline() {
    let out = ScratchDir::new("04-timeline");
    let trace = out.join("timeline.json");
    let args = [
        &SMALL[..],
        &["--processes", "3", "--timeline", trace.to_str().unwrap()],
    ];
    let output = demo(&args.concat(), out.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for processes in ["one-shot", "pool"] {
        let checked = testkit::check_timeline(&trace, processes, 7);
        assert_eq!(checked.len(), 1, "{checked:?}");
    }
    let text = std::fs::read_to_string(&trace).unwrap();
    assert_eq!(
        text.matches("\"pid ").count(),
        6,
        "a lane per child and per pool worker: {text}"
    );
    let pid = output_pid(&output);
    assert!(!pid.is_empty(), "the parent's pid is printed");
    let left = std::env::temp_dir().join(format!("workbook-timeline-{pid}"));
    assert!(!left.exists(), "the children's folder is removed");
}

/// The demo's pid, from the `the parent (pid N)` it prints.
fn output_pid(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let after = stdout.split("the parent (pid ").nth(1).unwrap_or_default();
    after.chars().take_while(char::is_ascii_digit).collect()
}

#[test]
fn a_crashing_child_is_named_with_its_range_and_nothing_is_left_behind() {
    // Child 0 has 300 images to make: it is still at work when child 1 crashes.
    let many = ["--count", "600", "--width", "256", "--height", "256"];
    let crash = ["--processes", "2", "--crash-child", "1"];
    for (how, status) in [("exit", "exit status: 3"), ("abort", "SIGABRT")] {
        let out = ScratchDir::new("04-crash");
        let args = [&many[..], &crash, &["--crash-how", how]].concat();
        let output = demo(&args, out.path());
        let line = one_line_failure(&output, 1);
        assert!(
            line.contains("child 1 (pid") && line.contains("making images 300..600 failed"),
            "{line}"
        );
        assert!(line.contains(status), "{line}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("stopped by the parent"), "{stdout}");
        assert!(
            !stdout.contains("writing the images"),
            "no table after a failure"
        );
        no_temporary_files(out.path());
    }
}

#[test]
fn a_dead_pool_worker_is_noticed_and_nothing_is_left_behind() {
    for (how, status) in [("exit", "exit status: 3"), ("abort", "SIGABRT")] {
        let out = ScratchDir::new("04-pool-crash");
        let crash = [
            "--crash-child",
            "1",
            "--crash-in",
            "pool",
            "--crash-how",
            how,
        ];
        let args = [&SMALL[..], &["--processes", "2"], &crash].concat();
        let line = one_line_failure(&demo(&args, out.path()), 1);
        assert!(
            line.contains("pool worker 1 (pid") && line.contains("died while making image"),
            "{line}"
        );
        assert!(line.contains(status), "{line}");
        no_temporary_files(out.path());
    }
}

#[test]
fn a_hanging_worker_is_killed_at_the_deadline_and_named() {
    for (place, names) in [("one-shot", "child 1 (pid"), ("pool", "pool worker 1 (pid")] {
        let out = ScratchDir::new("04-hang");
        let hang = [
            "--crash-child",
            "1",
            "--crash-how",
            "hang",
            "--crash-in",
            place,
        ];
        let args = [&SMALL[..], &["--processes", "2", "--deadline", "3"], &hang].concat();
        let start = std::time::Instant::now();
        let line = one_line_failure(&demo(&args, out.path()), 1);
        assert!(line.contains(names), "{line}");
        assert!(
            line.contains("within 3 s") && line.ends_with("killed"),
            "{line}"
        );
        // The deadline ended it, not the test's own limit of 120 s.
        assert!(start.elapsed() < Duration::from_secs(100), "{line}");
        no_temporary_files(out.path());
    }
}

#[test]
fn sigterm_and_sigkill_of_the_parent_leave_no_child_running() {
    for signal in ["TERM", "INT", "KILL"] {
        let out = ScratchDir::new("04-signal");
        let marker = out.path().to_str().unwrap();
        // Child 0 hangs, so there is a child running when the signal comes.
        let hang = [
            "--crash-child",
            "0",
            "--crash-how",
            "hang",
            "--processes",
            "2",
        ];
        let child = Command::new(env!("CARGO_BIN_EXE_04-process-spawn"))
            .args([&SMALL[..], &hang, &["--out", marker]].concat())
            .env(MARKER, marker)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let parent = child.id();
        let workers = || testkit::workers_of(parent, MARKER, marker);
        assert!(
            within(Duration::from_secs(60), || workers() >= 1),
            "no worker started"
        );
        // Child 0 hangs halfway through writing image 1: the signal lands while its
        // temporary file is there, every time.
        let half = out.join("one-shot/.noise-00001.png.tmp");
        assert!(
            within(Duration::from_secs(60), || half.exists()),
            "child 0 did not reach image 1"
        );
        testkit::stop_with(child, signal, workers);
        if signal != "KILL" {
            no_temporary_files(out.path()); // SIGKILL leaves the parent no time to clean
        }
    }
}

#[test]
fn crash_options_without_crash_child_are_refused() {
    let out = ScratchDir::new("04-crash-alone");
    for args in [&["--crash-how", "kill"][..], &["--crash-in", "pool"]] {
        let line = one_line_failure(&demo(args, out.path()), 2);
        assert!(line.contains("--crash-child"), "{line}");
    }
    assert!(files_below(out.path()).is_empty(), "nothing written");
}

#[test]
fn bad_arguments_get_one_line_and_exit_code_2() {
    let out = ScratchDir::new("04-args");
    for args in [
        &["--processes", "0"][..],
        &["--processes", "two"],
        &["--processes", "100000"],
        &["--processes", "2", "--crash-child", "2"],
        &["--crash-child", "-1"],
        &["--crash-how", "explode"],
        &["--crash-in", "everywhere"],
        &["--deadline", "0"],
        &["--count", "0"],
        &["--colour", "red"],
    ] {
        let line = one_line_failure(&demo(args, out.path()), 2);
        assert!(line.contains("--help"), "{line}");
    }
    assert!(files_below(out.path()).is_empty(), "nothing written");
}

#[test]
fn an_unusable_out_folder_is_refused_before_any_work() {
    let output = Command::new(env!("CARGO_BIN_EXE_04-process-spawn"))
        .args(["--out", "/proc/version/below"])
        .output()
        .unwrap();
    let line = one_line_failure(&output, 2);
    assert!(line.contains("/proc/version/below"), "{line}");
    assert!(output.stdout.is_empty(), "nothing was run");
}

#[test]
fn help_explains_every_flag_and_hides_the_worker() {
    let out = ScratchDir::new("04-help");
    let output = demo(&["--help"], out.path());
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--count",
        "--width",
        "--height",
        "--out",
        "--runs",
        "--processes",
        "--crash-child",
        "--crash-how",
        "--crash-in",
        "--deadline",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    assert!(
        !help.contains("worker <"),
        "the worker role is hidden:\n{help}"
    );
}

#[test]
fn a_closed_or_full_stdout_ends_the_run_cleanly() {
    let out = ScratchDir::new("04-stdout");
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_04-process-spawn"));
        demo.args(SMALL)
            .args(["--runs", "1", "--out"])
            .arg(out.path());
        demo
    });
}

#[test]
fn a_timeline_at_a_fifo_a_link_or_a_folder_is_refused_before_any_work() {
    testkit::check_timeline_targets(|out| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_04-process-spawn"));
        demo.args([
            "--count",
            "2",
            "--width",
            "8",
            "--height",
            "8",
            "--runs",
            "1",
            "--processes",
            "2",
        ])
        .arg("--out")
        .arg(out);
        demo
    });
}

#[test]
fn a_second_run_into_the_same_folder_says_it_is_in_use() {
    let out = ScratchDir::new("04-in-use");
    let run = |count: &str| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_04-process-spawn"));
        demo.args([
            "--count",
            count,
            "--width",
            "8",
            "--height",
            "8",
            "--processes",
            "2",
        ])
        .arg("--out")
        .arg(out.path());
        demo
    };
    let first_image = out.join("one-shot/noise-00000.png"); // the one-shot run it shows first
    testkit::check_second_run_is_refused(run("1000000"), || first_image.exists(), run("2"), 2);
}
