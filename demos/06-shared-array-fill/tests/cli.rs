//! The real binary: tables that check out, bad input, a crashed worker, Ctrl-C; and never a
//! file left in the map folder.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use testkit::{ScratchDir, SmallTmpfs, files_below, one_line_failure, within};

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
fn the_process_pools_rows_are_on_the_timeline() {
    let (map_dir, out) = (ScratchDir::new("06-map"), ScratchDir::new("06-out"));
    let trace = out.join("timeline.json");
    let args = ["--processes", "3", "--timeline", trace.to_str().unwrap()];
    let output = demo(&args, map_dir.path(), out.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for processes in ["processes, memmap2 file", "process pool, mapped once"] {
        let checked = testkit::check_timeline(&trace, processes, 37);
        assert_eq!(checked.len(), 1, "{processes}: {checked:?}");
    }
    assert!(trace.with_extension("svg").is_file());
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
        (&["--processes", "100000"], "--processes"),
        (&["--grid", "0"], "--grid"),
        (
            &["--processes", "2", "--crash-child", "2"],
            "names no worker",
        ),
        (&["--images", "5000"], "--images"),
        (&["--crash-how", "explode"], "--crash-how"),
        (&["--crash-how", "hang"], "--crash-child"),
        (&["--iterations", "4294967296"], "1..=1000000"),
        (&["--deadline", "0"], "--deadline"),
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
fn an_unusable_map_dir_or_out_is_refused_before_any_work() {
    let scratch = ScratchDir::new("06-unwritable");
    std::fs::write(scratch.join("a-file"), "").unwrap();
    let below_a_file = scratch.join("a-file/below");
    let (map_dir, out) = (ScratchDir::new("06-unw-map"), ScratchDir::new("06-unw-out"));
    let output = demo(&[], &below_a_file, out.path());
    let line = one_line_failure(&output, 2);
    assert!(
        line.contains("cannot use") && line.contains("a-file/below"),
        "{line}"
    );
    let output = demo(&[], map_dir.path(), &below_a_file);
    let line = one_line_failure(&output, 2);
    assert!(line.contains("a-file/below"), "{line}");
    assert!(output.stdout.is_empty(), "nothing ran");
    assert_eq!(files_below(scratch.path()), [scratch.join("a-file")]);
}

#[test]
fn a_map_dir_too_small_is_named_with_its_free_space_before_any_work() {
    // A 1 MiB file system of our own, where we may mount one (root on Linux); else skip.
    let Some(place) = SmallTmpfs::mount("06-small", "1m") else {
        eprintln!("skipped: cannot mount a small tmpfs here");
        return;
    };
    let output = Command::new(env!("CARGO_BIN_EXE_06-shared-array-fill"))
        .args([
            "--rows",
            "512",
            "--cols",
            "512",
            "--images",
            "0",
            "--map-dir",
        ])
        .arg(place.path())
        .output()
        .unwrap();
    let line = one_line_failure(&output, 2);
    let dir = place.path().display().to_string();
    assert!(line.contains(&format!("{dir} has 1.0 MiB free")), "{line}");
    assert!(line.contains("need 4.0 MiB"), "{line}");
    assert!(output.stdout.is_empty(), "nothing ran");
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
fn a_hanging_worker_is_killed_at_the_deadline_and_named() {
    let (map_dir, out) = (ScratchDir::new("06-hang"), ScratchDir::new("06-hang-out"));
    let hang = [
        "--processes",
        "2",
        "--crash-child",
        "1",
        "--crash-how",
        "hang",
    ];
    let start = Instant::now();
    let output = demo(
        &[&hang[..], &["--deadline", "3"]].concat(),
        map_dir.path(),
        out.path(),
    );
    let line = one_line_failure(&output, 1);
    assert!(
        line.contains("worker process 1 (rows 19..37) did not finish within 3 s; killed"),
        "{line}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(100),
        "the deadline ended it"
    );
    assert!(files_below(map_dir.path()).is_empty());
}

#[test]
fn signals_leave_no_file_and_no_worker_and_say_why() {
    for signal in ["INT", "TERM", "KILL"] {
        let (map_dir, out) = (
            ScratchDir::new("06-signal"),
            ScratchDir::new("06-signal-out"),
        );
        let marker = out.path().to_str().unwrap();
        let child = start_paused(&[], &map_dir, &out);
        let parent = child.id();
        let workers = || testkit::workers_of(parent, MARKER, marker);
        assert!(
            within(Duration::from_secs(60), || workers() >= 1),
            "no worker started"
        );
        assert!(
            files_below(map_dir.path()).is_empty(),
            "the file has no name while in use"
        );
        testkit::stop_with(child, signal, workers);
        assert!(files_below(map_dir.path()).is_empty(), "{signal}");
    }
}

/// Every process the demo starts inherits this variable, so the test can look for them.
const MARKER: &str = "WORKBOOK_06_TEST_MARKER";

/// Start the demo with workers that pause before their first row.
fn start_paused(args: &[&str], map_dir: &ScratchDir, out: &ScratchDir) -> Child {
    Command::new(env!("CARGO_BIN_EXE_06-shared-array-fill"))
        .args(SMALL)
        .args(args)
        .args(["--pause-ms", "60000", "--map-dir"])
        .arg(map_dir.path())
        .arg("--out")
        .arg(out.path())
        .env(MARKER, out.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn help_explains_every_flag_and_hides_the_pause() {
    let output = Command::new(env!("CARGO_BIN_EXE_06-shared-array-fill"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--rows",
        "--cols",
        "--threads",
        "--processes",
        "--runs",
        "--map-dir",
        "--grid",
        "--iterations",
        "--images",
        "--out",
        "--crash-child",
        "--crash-how",
        "--deadline",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    assert!(!help.contains("--pause-ms"), "{help}");
}

#[test]
fn a_closed_or_full_stdout_ends_the_run_cleanly() {
    let (map_dir, out) = (
        ScratchDir::new("06-stdout-map"),
        ScratchDir::new("06-stdout"),
    );
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_06-shared-array-fill"));
        demo.args(SMALL)
            .arg("--map-dir")
            .arg(map_dir.path())
            .arg("--out")
            .arg(out.path());
        demo
    });
    assert!(
        files_below(map_dir.path()).is_empty(),
        "no shared file left"
    );
}

#[test]
fn a_timeline_at_a_fifo_a_link_or_a_folder_is_refused_before_any_work() {
    let map_dir = ScratchDir::new("06-timeline-map");
    testkit::check_timeline_targets(|out| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_06-shared-array-fill"));
        demo.args(SMALL).arg("--map-dir").arg(map_dir.path());
        demo.arg("--out").arg(out);
        demo
    });
}

#[test]
fn a_second_run_into_the_same_folder_says_it_is_in_use() {
    let (map_dir, out) = (
        ScratchDir::new("06-in-use-map"),
        ScratchDir::new("06-in-use"),
    );
    let run = |rows: &str| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_06-shared-array-fill"));
        demo.args([
            "--rows", rows, "--cols", "8", "--grid", "4", "--images", "2", "--runs",
        ])
        .arg(if rows == "2" { "1" } else { "100000" })
        .arg("--map-dir")
        .arg(map_dir.path())
        .arg("--out")
        .arg(out.path());
        demo
    };
    // The first run claims the folder as it checks its arguments, before its long fill.
    let began = || files_below(map_dir.path()).len() + files_below(out.path()).len() > 0;
    testkit::check_second_run_is_refused(run("4096"), began, run("2"), 2);
}
