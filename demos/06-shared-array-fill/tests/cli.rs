//! The real binary: tables that check out, bad input, a crashed worker, Ctrl-C; and never a
//! file left in the map folder.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use workload::testing::{ScratchDir, files_below, one_line_failure};

const SMALL: [&str; 12] = [
    "--rows",
    "37",
    "--cols",
    "21",
    "--grid",
    "9",
    "--iterations",
    "5",
    "--images",
    "2",
    "--runs",
    "1",
];

fn demo(args: &[&str], map_dir: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_06-shared-array-fill"))
        .args(SMALL)
        .arg("--map-dir")
        .arg(map_dir)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn every_table_checks_out_with_an_odd_worker_count() {
    let (map_dir, out) = (ScratchDir::new("06-map"), ScratchDir::new("06-out"));
    let output = demo(
        &["--threads", "3", "--processes", "7"],
        map_dir.path(),
        out.path(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    for title in [
        "first touch",
        "warm",
        "heavy grid",
        "into one array",
        "summary",
    ] {
        assert!(stdout.contains(title), "{title} missing:\n{stdout}");
    }
    assert_eq!(
        stdout.matches("identical").count(),
        5 + 7 + 3 + 1,
        "{stdout}"
    );
    assert!(!stdout.contains("DIFFERS"));
    assert!(
        files_below(map_dir.path()).is_empty(),
        "nothing left in the map folder"
    );
}

#[test]
fn bad_arguments_get_one_line_and_exit_code_2() {
    let (map_dir, out) = (ScratchDir::new("06-args"), ScratchDir::new("06-args-out"));
    for (args, says) in [
        (&["--rows", "0"][..], "at least one row"),
        (&["--cols", "0"], "at least one row"),
        (&["--rows", "1.5"], "--rows"),
        (
            &["--rows", "4611686018427387904", "--cols", "8"],
            "do not fit",
        ),
        (
            &["--rows", "1048576", "--cols", "1048576"],
            "this machine has",
        ),
        (&["--processes", "0"], "--processes"),
        (&["--grid", "0"], "--grid"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_06-shared-array-fill"))
            .args(args)
            .arg("--map-dir")
            .arg(map_dir.path())
            .arg("--out")
            .arg(out.path())
            .output()
            .unwrap();
        let line = one_line_failure(&output, 2);
        assert!(line.contains(says), "{args:?}: {line}");
    }
    assert!(files_below(map_dir.path()).is_empty());
}

#[test]
fn an_unusable_map_dir_fails_at_run_time_with_exit_code_1() {
    let scratch = ScratchDir::new("06-unwritable");
    std::fs::write(scratch.join("a-file"), "").unwrap();
    let out = ScratchDir::new("06-unwritable-out");
    let map_dir = scratch.join("a-file/below");
    let line = one_line_failure(&demo(&[], &map_dir, out.path()), 1);
    assert!(line.contains("cannot create the shared file in"), "{line}");
    assert_eq!(files_below(scratch.path()), [scratch.join("a-file")]);
}

#[test]
fn a_crashed_worker_fails_the_run_names_the_band_and_leaves_no_file() {
    let (map_dir, out) = (ScratchDir::new("06-crash"), ScratchDir::new("06-crash-out"));
    let output = demo(
        &["--processes", "2", "--crash-child", "1"],
        map_dir.path(),
        out.path(),
    );
    let line = one_line_failure(&output, 1);
    assert!(
        line.contains("worker process 1 (rows 19..37) crashed: killed by signal 6"),
        "{line}"
    );
    assert!(files_below(map_dir.path()).is_empty());
}

#[test]
fn ctrl_c_removes_the_shared_file() {
    let (map_dir, out) = (ScratchDir::new("06-ctrlc"), ScratchDir::new("06-ctrlc-out"));
    let start = Instant::now();
    let (child, _) = start_paused(&[], &map_dir, &out);
    // The shell's own `kill`, so the test needs no separate program.
    let press_ctrl_c = format!("kill -INT {}", child.id());
    let kill = Command::new("sh").args(["-c", &press_ctrl_c]).status();
    assert!(kill.unwrap().success());
    let output = child.wait_with_output().unwrap();
    let line = one_line_failure(&output, 130);
    assert!(line.contains("interrupted"), "{line}");
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "it did not wait for the workers"
    );
    assert!(
        files_below(map_dir.path()).is_empty(),
        "{:?}",
        files_below(map_dir.path())
    );
}

#[test]
fn a_worker_that_fails_is_named_with_what_it_said() {
    let (map_dir, out) = (ScratchDir::new("06-gone"), ScratchDir::new("06-gone-out"));
    let (child, file) = start_paused(&["--processes", "1"], &map_dir, &out);
    std::fs::remove_file(&file).unwrap(); // pulled from under the waiting worker
    let line = one_line_failure(&child.wait_with_output().unwrap(), 1);
    assert!(
        line.contains("worker process 0 (rows 0..37) failed with exit code 1")
            && line.contains("is gone"),
        "{line}"
    );
    assert!(files_below(map_dir.path()).is_empty());
}

/// Start the demo with workers that pause after mapping, and wait until its shared file
/// appears in `map_dir`; returns the running demo and that file.
fn start_paused(args: &[&str], map_dir: &ScratchDir, out: &ScratchDir) -> (Child, PathBuf) {
    let child = Command::new(env!("CARGO_BIN_EXE_06-shared-array-fill"))
        .args(SMALL)
        .args(args)
        .args(["--pause-ms", "20000", "--map-dir"])
        .arg(map_dir.path())
        .arg("--out")
        .arg(out.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if let Some(file) = files_below(map_dir.path()).pop() {
            return (child, file);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut child = child;
    let _ = child.kill();
    let _ = child.wait();
    panic!("no shared file appeared");
}
