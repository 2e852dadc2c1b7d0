//! The real binary: bad arguments, its help, a matrix run's exit status, and Ctrl-C.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use testkit::{
    ScratchDir, exited_within, files_below, one_line_failure, processes_with_env, within,
};

fn demo(args: &[&str], out: &ScratchDir) -> Output {
    Command::new(env!("CARGO_BIN_EXE_07-when-workers-fail"))
        .args(["--out", out.path().to_str().unwrap()])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn bad_arguments_get_one_line_and_exit_code_2() {
    let out = ScratchDir::new("07-args");
    for args in [
        &["--item", "64"][..],
        &["--count", "5", "--item", "5"],
        &["--count", "0"],
        &["--threads", "0"],
        &["--threads", "1025"],
        &["--processes", "0"],
        &["--processes", "257"],
        &["--count", "10001"],
        &["--count", "10000", "--side", "4096"],
        &["--deadline-ms", "600001"],
        &["--workers", "4"],
        &["--deadline-ms", "0"],
        &["--side", "0"],
        &["--strategy", "fork"],
        &["--fault", "meteor"],
        &["--colour", "red"],
        &["--plain", "--fault", "panic"],
        &["--plain", "--strategy", "scoped"],
    ] {
        let line = one_line_failure(&demo(args, &out), 2);
        assert!(line.contains("--help"), "{line}");
    }
    assert!(files_below(out.path()).is_empty(), "nothing written");
}

#[test]
fn help_explains_every_flag_the_exit_status_and_hides_the_worker() {
    let out = ScratchDir::new("07-help");
    let output = demo(&["--help"], &out);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for needed in [
        "--strategy",
        "--fault",
        "--count",
        "--item",
        "--threads",
        "--processes",
        "--side",
        "--deadline-ms",
        "--out",
        "--plain",
        "without the fix",
        "shared-memory",
        "corrupt-input",
        "Exit status",
    ] {
        assert!(help.contains(needed), "{needed} missing from:\n{help}");
    }
    assert!(!help.contains("worker <"), "the worker is hidden:\n{help}");
}

#[test]
fn a_matrix_of_healthy_runs_exits_0_and_one_cell_with_a_small_count_names_its_item() {
    let out = ScratchDir::new("07-matrix");
    let output = demo(&["--fault", "none", "--deadline-ms", "10000"], &out);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert_eq!(stdout.matches("64/64").count(), 6, "{stdout}");
    assert!(
        stdout.contains("every cell behaved as expected"),
        "{stdout}"
    );

    let small = ["--count", "3", "--item", "0", "--processes", "5"];
    let args = [&small[..], &["--strategy", "pool", "--fault", "panic"]].concat();
    let line = one_line_failure(&demo(&args, &out), 1);
    // Chapter 4's pool names the worker in its error; the feeders stop at the first failure,
    // so how many of the other two were done depends on timing.
    assert!(line.starts_with("error: item 0: pool worker "), "{line}");
    assert!(line.contains("died while making image 0"), "{line}");
    assert!(line.contains("(submitted 3 = completed "), "{line}");
}

#[test]
fn a_matrix_that_cannot_run_says_why_in_its_one_error_line() {
    let scratch = ScratchDir::new("07-unwritable");
    std::fs::write(scratch.join("a-file"), "").unwrap();
    let out = scratch.join("a-file/below");
    let output = Command::new(env!("CARGO_BIN_EXE_07-when-workers-fail"))
        .args(["--fault", "none", "--count", "2", "--item", "0", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let line = one_line_failure(&output, 1);
    assert!(
        line.starts_with("error: not as expected: rayon x none, "),
        "{line}"
    );
    assert!(
        line.contains("; rayon x none: could not run: cannot create")
            && line.ends_with("Not a directory (os error 20)"),
        "{line}"
    );
}

/// The shared files of process `pid` in /dev/shm.
fn shared_files_of(pid: u32) -> Vec<std::path::PathBuf> {
    let map_dir = shared_array_fill::default_map_dir();
    when_workers_fail::leftovers::shared_files(&map_dir, pid)
}

#[test]
fn ctrl_c_or_sigterm_kills_the_workers_and_removes_the_shared_file() {
    const MARKER: &str = "WORKBOOK_07_CLI_TEST_MARKER";
    for signal in ["INT", "TERM"] {
        let out = ScratchDir::new(&format!("07-sig{signal}"));
        let marker = out.path().to_str().unwrap();
        // A worker stuck for the whole 20 s deadline: the signal comes while it waits.
        let mut child = Command::new(env!("CARGO_BIN_EXE_07-when-workers-fail"))
            .args(["--strategy", "shared-memory", "--fault", "stuck"])
            .args(["--deadline-ms", "20000", "--out", marker])
            .env(MARKER, marker)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        // Wait for a worker process (the demo itself is one of the two). Demo 06's shared
        // file has no name once it is sized, so there is no file to wait for.
        let started = within(Duration::from_secs(10), || {
            processes_with_env(MARKER, marker).len() >= 2
        });
        if !started {
            let _ = exited_within(&mut child, Duration::ZERO);
            panic!("no shared file or no worker appeared");
        }
        // The demo and its workers all carry the marker: every one must be gone.
        testkit::stop_with(child, signal, || processes_with_env(MARKER, marker).len());
        let left = shared_files_of(pid);
        assert!(left.is_empty(), "left after SIG{signal}: {left:?}");
    }
}

#[test]
fn a_signal_during_chapter_4s_stuck_pool_leaves_no_worker() {
    const MARKER: &str = "WORKBOOK_07_POOL_SIGNAL_MARKER";
    for signal in ["TERM", "INT", "KILL"] {
        let out = ScratchDir::new(&format!("07-pool-sig{signal}"));
        let marker = out.path().to_str().unwrap();
        // Chapter 4's pool, one worker stuck on item 37 for the whole 20 s deadline.
        let child = Command::new(env!("CARGO_BIN_EXE_07-when-workers-fail"))
            .args(["--strategy", "pool", "--fault", "stuck"])
            .args(["--deadline-ms", "20000", "--out", marker])
            .env(MARKER, marker)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let parent = child.id();
        let workers = || testkit::workers_of(parent, MARKER, marker);
        // Four pool workers, and item 37 reached: the other items are quick.
        let stuck = within(Duration::from_secs(10), || {
            workers() >= 4 && out.join("pool-stuck/output/noise-00036.png").exists()
        });
        assert!(stuck, "the pool did not start or did not get to item 37");
        testkit::stop_with(child, signal, workers);
    }
}

#[test]
fn every_command_the_chapter_and_slides_show_parses_and_runs() {
    let out = ScratchDir::new("07-book-commands");
    let commands = testkit::commands_in(
        "07-when-workers-fail",
        &[
            "src/07-when-workers-fail.md",
            "slides/sections/07-when-workers-fail.md",
            "README.md",
        ],
    );
    assert!(commands.len() >= 5, "{commands:?}");
    for args in commands {
        // Fewer items unless the command names its own: the command is checked, not timed.
        let small: &[&str] = if args.iter().any(|a| a == "--item" || a == "--plain") {
            &["--count", "40"]
        } else {
            &["--count", "8", "--item", "3"]
        };
        let output = Command::new(env!("CARGO_BIN_EXE_07-when-workers-fail"))
            .args(["--out", out.path().to_str().unwrap()])
            .args(small)
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        // 0 or 1 as the run went; never 2, a command line the demo does not take.
        let code = output.status.code();
        assert!(matches!(code, Some(0 | 1)), "{args:?}: {code:?} {stderr}");
    }
}

#[test]
fn a_closed_or_full_stdout_ends_the_run_cleanly() {
    let out = ScratchDir::new("07-stdout");
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_07-when-workers-fail"));
        demo.args([
            "--strategy",
            "rayon",
            "--fault",
            "panic",
            "--count",
            "4",
            "--item",
            "1",
        ])
        .args(["--side", "8", "--out"])
        .arg(out.path());
        demo
    });
}

#[test]
fn sigkill_of_the_demo_leaves_no_stuck_worker_running() {
    const MARKER: &str = "WORKBOOK_07_KILL_TEST_MARKER";
    let out = ScratchDir::new("07-sigkill");
    let marker = out.path().to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_07-when-workers-fail"))
        .args(["--strategy", "pool", "--fault", "stuck"])
        .args(["--deadline-ms", "600000", "--out", marker])
        .env(MARKER, marker)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = within(Duration::from_secs(10), || {
        processes_with_env(MARKER, marker).len() >= 2
    });
    child.kill().unwrap(); // SIGKILL: no handler, no clean-up in the demo
    child.wait().unwrap();
    assert!(started, "no worker appeared");
    // Every worker asked the kernel to kill it with its parent.
    let gone = within(Duration::from_secs(10), || {
        processes_with_env(MARKER, marker).is_empty()
    });
    let left = processes_with_env(MARKER, marker);
    assert!(gone, "left running after SIGKILL: {left:?}");
}
