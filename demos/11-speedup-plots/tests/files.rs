//! The files the sweep writes: charts that are well-formed SVG and show a failed run as a
//! failure, CSV rows with every column; through the library and through the real binary.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use speedup_plots::chart::{self, Stamp};
use speedup_plots::data;
use speedup_plots::measure::Point;
use testkit::{ScratchDir, files_below, one_line_failure, within};

/// Well-formed enough to parse: every tag closed in order, one root element.
fn assert_well_formed(svg: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    for tag in svg.split('<').skip(1) {
        let tag = tag.split('>').next().expect("a closed tag");
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name.trim()), "closing tag out of order");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().expect("a tag name");
            if open.is_empty() {
                roots += 1;
            }
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    assert_eq!(roots, 1);
}

fn stamp() -> Stamp {
    Stamp {
        text: "test machine, 2 logical cores; 2026-01-01; quick run".into(),
        logical: 2,
        physical: Some(2),
    }
}

fn point(strategy: &str, workers: usize, millis: Option<u64>) -> Point {
    Point {
        strategy: strategy.into(),
        workers,
        runs: millis.map_or(Vec::new(), |ms| vec![Duration::from_millis(ms); 3]),
        failure: millis.is_none().then(|| "worker 3 crashed".into()),
        ..Point::default()
    }
}

#[test]
fn a_failed_run_is_drawn_as_a_failure_not_a_point() {
    let dir = ScratchDir::new("08-failed");
    let points = [
        point("good", 1, Some(100)),
        point("good", 2, Some(50)),
        point("good", 3, Some(50)),
        point("flaky", 1, Some(100)),
        point("flaky", 2, Some(60)),
        point("flaky", 3, None),
    ];
    let path = dir.join("scaling-test.svg");
    chart::scaling(&path, "test workload", &points, &stamp()).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert_well_formed(&svg);
    for text in [
        "failed",
        "test machine",
        "Amdahl fit",
        "speedup",
        "efficiency",
        "ideal",
    ] {
        assert!(svg.contains(text), "the chart says {text:?}");
    }
    // The failed point has no marker: "flaky" draws 2 circles per panel, "good" 3.
    assert_eq!(svg.matches("<circle").count(), 3 * (3 + 2), "{svg}");

    let granularity: Vec<(usize, &Point)> = vec![(1, &points[0]), (2, &points[5])];
    let overhead = [point("thread", 1, Some(1)), point("process", 1, None)];
    chart::granularity(&dir.join("g.svg"), "g", &granularity, &stamp()).unwrap();
    chart::overhead(&dir.join("o.svg"), "o", &overhead, &stamp()).unwrap();
    for name in ["g.svg", "o.svg"] {
        let svg = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_well_formed(&svg);
        assert!(svg.contains("failed"), "{name} shows the failure");
    }
    let csv = data::csv(&[("test".into(), points.to_vec())]);
    let failed = data::parse(&csv)
        .into_iter()
        .find(|row| row[2] == "3" && row[1] == "flaky");
    assert_eq!(failed.unwrap()[5], "failed: worker 3 crashed");
}

fn sweep(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_11-speedup-plots"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_small_sweep_writes_every_file_whole() {
    let dir = ScratchDir::new("08-sweep");
    let out = dir.path().to_str().unwrap();
    let args = [
        "--only",
        "sleepy-tasks,overhead",
        "--max-workers",
        "2",
        "--test-sizes",
    ];
    let output = sweep(&[&args[..], &["--out", out]].concat());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let names: Vec<String> = files_below(dir.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let expected = [
        "machine.txt",
        "overhead.svg",
        "scaling-sleepy-tasks.svg",
        "summary.txt",
        "sweep.csv",
    ];
    assert_eq!(names, expected, "no temporary file left behind");
    for svg in ["overhead.svg", "scaling-sleepy-tasks.svg"] {
        assert_well_formed(&std::fs::read_to_string(dir.join(svg)).unwrap());
    }
    let rows = data::parse(&std::fs::read_to_string(dir.join("sweep.csv")).unwrap());
    assert_eq!(rows[0], data::HEADER);
    assert!(rows.iter().all(|row| row.len() == data::HEADER.len()));
    let ok = |workload: &str| rows.iter().any(|r| r[0] == workload && r[5] == "ok");
    assert!(ok("sleepy-tasks") && ok("overhead"), "{rows:?}");
    let machine = std::fs::read_to_string(dir.join("machine.txt")).unwrap();
    assert!(machine.contains("logical cores: ") && machine.contains("mode: test"));
    assert!(!Path::new(&dir.join("scaling-heavy-grid.svg")).exists());
}

#[test]
fn bad_flags_get_one_line_and_exit_code_2() {
    for bad in [
        &["--runs", "0"][..],
        &["--only", "heavy-grid,nonsense"],
        &["--max-workers", "x"],
        &["--max-workers", "100000"],
        &["--runs", "1000000"],
        &["--full", "--quick"],
        &["--bogus"],
    ] {
        let line = one_line_failure(&sweep(bad), 2);
        assert!(line.contains("see --help"), "{bad:?}: {line}");
    }
}

#[test]
fn process_strategies_agree_with_the_threads_and_leave_nothing_behind() {
    let dir = ScratchDir::new("08-processes");
    let out = dir.path().to_str().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_11-speedup-plots"))
        .args(["--only", "noise-images,window-fill", "--max-workers", "3"])
        .args(["--test-sizes", "--out", out])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows = data::parse(&std::fs::read_to_string(dir.join("sweep.csv")).unwrap());
    for strategy in [
        "process pool over pipes (04)",
        "processes, memmap2 file (06)",
    ] {
        let measured = |r: &&Vec<String>| r[1] == strategy && r[3] == "1";
        let runs: Vec<_> = rows.iter().filter(measured).collect();
        assert_eq!(
            runs.len(),
            3,
            "one run at each of 1, 2, 3 workers: {runs:?}"
        );
        assert!(runs.iter().all(|r| r[5] == "ok"), "{runs:?}");
    }
    assert!(rows.iter().skip(1).all(|r| r[5] == "ok"), "{rows:?}");
    // The thread strategies' warm-up at 3 workers, on the timelines: every item once.
    let images = testkit::check_timeline(&dir.join("timeline-noise-images.json"), "(03)", 6);
    let rows = testkit::check_timeline(&dir.join("timeline-window-fill.json"), "threads", 37);
    assert_eq!((images.len(), rows.len()), (1, 1), "{images:?} {rows:?}");
    assert!(dir.join("timeline-window-fill.svg").is_file());
    assert!(!speedup_plots_scratch(pid).exists());
}

fn speedup_plots_scratch(pid: u32) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("11-speedup-plots-{pid}"))
}

#[test]
fn ctrl_c_removes_the_scratch_folder() {
    // Demo 06's shared file loses its name as soon as it is sized: it has none to leave.
    let dir = ScratchDir::new("11-ctrlc");
    let child = Command::new(env!("CARGO_BIN_EXE_11-speedup-plots"))
        .args([
            "--only",
            "noise-images",
            "--runs",
            "100000",
            "--max-workers",
            "1",
        ])
        .arg("--test-sizes")
        .arg("--out")
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .process_group(0) // Ctrl-C in a terminal reaches the sweep and its workers
        .spawn()
        .unwrap();
    let pid = child.id();
    let there = || speedup_plots_scratch(pid).exists();
    let seen = within(Duration::from_secs(60), there);
    // The shell's own `kill`, so the test needs no separate program.
    let ctrl_c = Command::new("sh")
        .args(["-c", &format!("kill -INT -{pid}")])
        .status();
    let output = child.wait_with_output().unwrap();
    assert!(seen, "the scratch folder appeared");
    assert!(ctrl_c.unwrap().success());
    assert_eq!(output.status.code(), Some(130));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // A worker started in the same instant may also say that its folder went away, and the
    // sweep itself may notice that first and end through `main` (its guards remove the same
    // files): either way, one line says it was interrupted.
    assert!(
        stderr.lines().any(|l| l.starts_with("error: interrupted")),
        "{stderr}"
    );
    assert!(!there(), "the scratch folder is gone");
    assert!(
        files_below(dir.path()).is_empty(),
        "no chart of an unfinished sweep"
    );
}

#[test]
fn sigterm_mid_sweep_leaves_no_child_and_no_scratch_folder() {
    const MARKER: &str = "WORKBOOK_11_TEST_MARKER";
    let dir = ScratchDir::new("08-sigterm");
    let marker = dir.path().to_str().unwrap();
    // Demo 04's one-shot children and pool workers come and go all through this sweep.
    let mut child = Command::new(env!("CARGO_BIN_EXE_11-speedup-plots"))
        .args([
            "--only",
            "noise-images",
            "--runs",
            "100000",
            "--max-workers",
            "2",
        ])
        .args(["--test-sizes", "--out", marker])
        .env(MARKER, marker)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let workers = || testkit::workers_of(pid, MARKER, marker);
    let busy = within(Duration::from_secs(60), || {
        speedup_plots_scratch(pid).exists() && workers() >= 1
    });
    let term = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    assert!(term.unwrap().success());
    let ended = testkit::exited_within(&mut child, Duration::from_secs(60));
    assert!(ended, "SIGTERM: the sweep hung");
    let output = child.wait_with_output().unwrap();
    assert!(busy, "the sweep started no worker");
    // The stage lines go to stderr too: the last line says why the sweep ended.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(143), "{stderr}");
    assert_eq!(stderr.lines().last(), Some("error: terminated"), "{stderr}");
    assert!(
        within(Duration::from_secs(10), || workers() == 0),
        "a worker was left running"
    );
    assert!(
        !speedup_plots_scratch(pid).exists(),
        "the scratch folder is gone"
    );
    assert!(
        files_below(dir.path()).is_empty(),
        "no chart of an unfinished sweep"
    );
}

#[test]
fn a_sweep_that_fails_leaves_the_earlier_files_as_they_were() {
    let dir = ScratchDir::new("08-fails");
    std::fs::write(dir.join("summary.txt"), "an earlier sweep").unwrap();
    let missing = dir.join("no-such-tmp");
    let output = Command::new(env!("CARGO_BIN_EXE_11-speedup-plots"))
        .args(["--only", "sleepy-tasks", "--test-sizes", "--out"])
        .arg(dir.path())
        .env("TMPDIR", &missing)
        .output()
        .unwrap();
    let line = one_line_failure(&output, 1);
    assert!(line.contains("does not exist"), "{line}");
    assert!(!missing.exists(), "a mistyped TMPDIR is not created");
    assert_eq!(files_below(dir.path()), [dir.join("summary.txt")]);
    assert_eq!(
        std::fs::read_to_string(dir.join("summary.txt")).unwrap(),
        "an earlier sweep"
    );
}

#[test]
fn a_closed_or_full_stdout_ends_the_sweep_cleanly() {
    let dir = ScratchDir::new("08-stdout");
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut sweep = Command::new(env!("CARGO_BIN_EXE_11-speedup-plots"));
        sweep
            .args([
                "--only",
                "sleepy-tasks",
                "--max-workers",
                "1",
                "--test-sizes",
            ])
            .arg("--out")
            .arg(dir.path());
        sweep
    });
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn the_shared_histogram_agrees_at_every_worker_count() {
    let dir = ScratchDir::new("08-histogram");
    let out = dir.path().to_str().unwrap();
    let args = ["--only", "shared-histogram", "--max-workers", "3"];
    let output = sweep(&[&args[..], &["--test-sizes", "--out", out]].concat());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows = data::parse(&std::fs::read_to_string(dir.join("sweep.csv")).unwrap());
    let points: Vec<_> = rows.iter().filter(|r| r[0] == "shared-histogram").collect();
    assert_eq!(
        points.len(),
        5 * 3 * 4,
        "5 strategies, 3 counts, 1 run + median, min, max"
    );
    assert!(points.iter().all(|r| r[5] == "ok"), "{points:?}");
}

#[test]
fn a_sweep_removes_the_scratch_folder_of_a_killed_one_and_follows_no_link() {
    let mut gone = Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let stale = speedup_plots_scratch(dead);
    std::fs::create_dir_all(stale.join("images")).unwrap();
    std::fs::write(
        stale.join("images/noise-00000.png"),
        "left by a killed sweep",
    )
    .unwrap();
    // A link with the same kind of name, to a folder that must survive.
    let kept = ScratchDir::new("08-kept");
    std::fs::write(kept.join("precious"), "keep").unwrap();
    let link = speedup_plots_scratch(dead + 1_000_000);
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(kept.path(), &link).unwrap();

    let out = ScratchDir::new("08-stale");
    let output = sweep(&[
        "--only",
        "sleepy-tasks",
        "--max-workers",
        "1",
        "--test-sizes",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let _ = std::fs::remove_file(&link);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!stale.exists(), "the dead sweep's folder is gone");
    assert!(
        kept.join("precious").exists(),
        "nothing was followed through the link"
    );
}

#[test]
fn a_link_or_fifo_where_a_file_goes_fails_the_sweep_and_nothing_is_moved() {
    let dir = ScratchDir::new("11-link");
    let outside = ScratchDir::new("11-outside");
    std::fs::write(outside.join("kept.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(outside.join("kept.txt"), dir.join("summary.txt")).unwrap();
    let made = Command::new("mkfifo").arg(dir.join("sweep.csv")).status();
    assert!(made.unwrap().success());
    let output = sweep(
        &[
            "--only",
            "sleepy-tasks",
            "--max-workers",
            "1",
            "--test-sizes",
            "--out",
        ]
        .iter()
        .copied()
        .chain([dir.path().to_str().unwrap()])
        .collect::<Vec<_>>(),
    );
    // The sweep's progress goes to stderr first; its last line is the error.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let line = stderr.lines().last().unwrap_or_default();
    assert!(
        line.starts_with("error: ") && line.contains("not a regular file"),
        "{line}"
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("kept.txt")).unwrap(),
        "keep"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "nothing moved in: {names:?}");
}

#[test]
fn a_second_sweep_into_the_same_folder_says_it_is_in_use() {
    let dir = ScratchDir::new("11-in-use");
    let mut first = Command::new(env!("CARGO_BIN_EXE_11-speedup-plots"))
        .args(["--only", "heavy-grid", "--runs", "100000", "--out"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Once its staging folder exists, the first sweep holds the folder.
    let staging = speedup_plots::staging_dir(dir.path());
    let staging = dir.join(
        staging
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .replace(&std::process::id().to_string(), &first.id().to_string()),
    );
    let started = testkit::within(std::time::Duration::from_secs(60), || staging.exists());
    let second = sweep(&[
        "--only",
        "sleepy-tasks",
        "--test-sizes",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(started, "the first sweep started");
    let line = one_line_failure(&second, 1);
    assert!(line.contains("another run is writing into it"), "{line}");
}
