//! The real binary: bad arguments, its help, a matrix run's exit status, and Ctrl-C.

use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use testkit::{ScratchDir, exited_within, files_below, one_line_failure, within};

fn demo(args: &[&str], out: &ScratchDir) -> Output {
    Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"))
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
        &["--item", "99999999999999999999"],
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
        "--timeline",
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
    let output = Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"))
        .args(["--fault", "none", "--count", "2", "--item", "0", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    // The folder is claimed before any cell runs, so it is the one error.
    let line = one_line_failure(&output, 1);
    assert!(
        line.starts_with("error: cannot prepare output directory ")
            && line.ends_with("Not a directory (os error 20)"),
        "{line}"
    );
}

/// Every process a signal test's demo starts inherits this variable, set to the test's folder.
const MARKER: &str = "WORKBOOK_10_SIGNAL_TEST_MARKER";

/// The demo on `strategy`'s stuck cell, whose worker stays stuck for `deadline_ms`, once
/// `started` holds for the number of its processes other than itself (within 10 s, else the
/// test fails, the demo killed). Returns the demo and how to count those processes.
fn start_stuck(
    strategy: &str,
    deadline_ms: &str,
    out: &ScratchDir,
    started: impl Fn(usize) -> bool,
) -> (Child, impl Fn() -> usize) {
    let marker = out.path().to_str().unwrap().to_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"))
        .args(["--strategy", strategy, "--fault", "stuck"])
        .args(["--deadline-ms", deadline_ms, "--out", &marker])
        .env(MARKER, &marker)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let demo = child.id();
    let workers = move || testkit::workers_of(demo, MARKER, &marker);
    if !within(Duration::from_secs(10), || started(workers())) {
        let _ = exited_within(&mut child, Duration::ZERO);
        panic!("{strategy}: the stuck cell did not get started");
    }
    (child, workers)
}

#[test]
fn ctrl_c_or_sigterm_kills_the_shared_memory_workers() {
    for signal in ["INT", "TERM"] {
        let out = ScratchDir::new(&format!("07-sig{signal}"));
        // A worker stuck for the whole 20 s deadline: the signal comes while it waits. Demo
        // 06's shared file has no name once it is sized, so wait for a worker, not a file.
        let (child, workers) = start_stuck("shared-memory", "20000", &out, |n| n >= 1);
        // The demo and its workers all carry the marker: every one must be gone.
        testkit::stop_with(child, signal, workers);
    }
}

#[test]
fn a_signal_during_chapter_4s_stuck_pool_leaves_no_worker() {
    for signal in ["TERM", "INT", "KILL"] {
        let out = ScratchDir::new(&format!("07-pool-sig{signal}"));
        // Chapter 4's pool, one worker stuck on item 37 for the whole 20 s deadline: four
        // pool workers, and item 37 reached (the other items are quick).
        let reached = out.join("pool-stuck/output/noise-00036.png");
        let (child, workers) = start_stuck("pool", "20000", &out, |n| n >= 4 && reached.exists());
        testkit::stop_with(child, signal, workers);
    }
}

#[test]
fn sigkill_of_the_demo_leaves_no_stuck_worker_running() {
    let out = ScratchDir::new("07-sigkill");
    // A deadline the run never reaches: the workers outlive the demo unless the kernel ends
    // them, as every one asked it to, with their parent.
    let (child, workers) = start_stuck("pool", "600000", &out, |n| n >= 1);
    testkit::stop_with(child, "KILL", workers); // no handler, no clean-up in the demo
}

#[test]
fn every_command_the_chapter_and_slides_show_parses_and_runs() {
    let out = ScratchDir::new("07-book-commands");
    std::fs::create_dir_all(out.join("target")).unwrap(); // `--timeline target/...` goes there
    let commands = testkit::commands_in(
        "10-when-workers-fail",
        &[
            "src/10-when-workers-fail.md",
            "slides/sections/10-when-workers-fail.md",
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
        let output = Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"))
            .args(["--out", out.path().to_str().unwrap()])
            .args(small)
            .args(&args)
            .current_dir(out.path())
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
        let mut demo = Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"));
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
fn without_item_a_small_count_faults_its_middle_item() {
    let out = ScratchDir::new("10-small");
    let output = demo(&["--count", "3", "--fault", "none"], &out);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = demo(
        &["--count", "3", "--strategy", "rayon", "--fault", "panic"],
        &out,
    );
    let line = one_line_failure(&output, 1);
    assert!(line.starts_with("error: item 1 "), "{line}");
}

#[test]
fn a_second_run_into_the_same_folder_says_it_is_in_use() {
    let out = ScratchDir::new("10-in-use");
    let mut first = Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"))
        .args(["--strategy", "rayon", "--fault", "stuck", "--count", "3"])
        .args(["--deadline-ms", "600000", "--out"])
        .arg(out.path())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Once its cell's folder exists, the first run holds the folder.
    let started = within(Duration::from_secs(60), || out.join("rayon-stuck").exists());
    let second = demo(&["--count", "3", "--fault", "none"], &out);
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(started, "the first run started");
    let line = one_line_failure(&second, 1);
    assert!(line.contains("another run is writing into it"), "{line}");
    assert!(
        out.join("rayon-stuck").exists(),
        "the first run's cell is untouched"
    );
}

/// A really full disk, not the injected fault: `--out` on a 2 MiB tmpfs, mounted in a mount
/// namespace of the test's own (`unshare`), which the input images fill most of. Every
/// strategy that writes files names the item whose write failed and why. Skipped where user
/// namespaces are not allowed.
#[test]
fn a_really_full_disk_names_the_item_and_the_reason_in_every_strategy() {
    let folder = ScratchDir::new("10-full");
    let probe = Command::new("unshare")
        .args(["-r", "-m", "mount", "-t", "tmpfs", "-o", "size=2m", "none"])
        .arg(folder.path())
        .output();
    if !probe.is_ok_and(|p| p.status.success()) {
        eprintln!("skipped: cannot mount a tmpfs in a user namespace here");
        return;
    }
    for strategy in ["rayon", "scoped", "queue", "one-shot", "pool"] {
        let script = format!(
            "mount -t tmpfs -o size=2m none \"$1\" && exec \"$2\" --strategy {strategy} \
             --fault none --count 150 --side 64 --out \"$1/out\""
        );
        let output = Command::new("unshare")
            .args(["-r", "-m", "sh", "-c", &script, "sh"])
            .arg(folder.path())
            .arg(env!("CARGO_BIN_EXE_10-when-workers-fail"))
            .stdout(Stdio::null())
            .output()
            .unwrap();
        let line = one_line_failure(&output, 1);
        let (item, rest) = line
            .strip_prefix("error: item ")
            .and_then(|l| l.split_once(' '))
            .unwrap_or_else(|| panic!("{strategy}: {line}"));
        assert!(
            rest.contains(&format!(
                "noise-{:05}.png: No space left on device",
                item.trim_end_matches(':').parse::<usize>().unwrap()
            )),
            "{strategy}: {line}"
        );
    }
}
