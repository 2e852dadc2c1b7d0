//! The demo under `mpirun -np 1, 2 and 3`: the ranks' results equal the serial ones, and a rank
//! that fails ends the whole job. Every run is bounded in time: on the deadline `mpirun` is
//! stopped (it takes its ranks with it) and the test fails instead of hanging.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use testkit::{ScratchDir, exited_within, processes_with_env, within};
use workload::grid::{Grid, Skew};

const BIN: &str = env!("CARGO_BIN_EXE_12-mpi-ranks");
/// Long enough for a debug build on a loaded 2-core machine; a hang still fails.
const DEADLINE: Duration = Duration::from_secs(120);

/// Small work for every part, so that a debug build runs it in seconds.
const SMALL: [&str; 14] = [
    "--runs",
    "1",
    "--rows",
    "37",
    "--cols",
    "64",
    "--grid",
    "7",
    "--iterations",
    "50",
    "--count",
    "5",
    "--largest",
    "4096",
];
const TINY_IMAGES: [&str; 4] = ["--width", "16", "--height", "16"];

fn mpirun(np: usize, marker: &str) -> Command {
    let mut command = Command::new("mpirun");
    command
        .args([
            "-np",
            &np.to_string(),
            "--oversubscribe",
            "--bind-to",
            "none",
            BIN,
        ])
        .env("MPI_RANKS_TEST", marker)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    in_own_session(&mut command, marker);
    command
}

/// Where Open MPI's session files go for the run marked `marker`: a folder of the test's own,
/// which [`no_rank_left`] removes. Left to itself, Open MPI puts them in `/tmp/ompi.*` and its
/// shared memory in `/dev/shm/vader_segment.*`, and leaves them behind when killed.
fn session(marker: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("workbook-ompi-{}-{marker}", std::process::id()))
}

/// Run `command` (mpirun, or the demo alone as one rank) with its Open MPI files in
/// [`session`], as root too.
fn in_own_session(command: &mut Command, marker: &str) {
    let folder = session(marker);
    std::fs::create_dir_all(&folder).unwrap();
    command
        .env("TMPDIR", &folder)
        .env("OMPI_MCA_btl_vader_backing_directory", &folder)
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
}

/// Run `command` to its end, or stop it on the deadline; its output and whether it ended.
fn bounded(command: &mut Command, limit: Duration) -> (Output, bool) {
    let mut child = command.spawn().expect("can start mpirun");
    let pid = Pid::from_raw(child.id() as i32);
    let ended = within(limit, || child.try_wait().unwrap().is_some());
    if !ended {
        // SIGTERM lets mpirun end its ranks; SIGKILL would leave them running.
        let _ = kill(pid, Signal::SIGTERM);
        exited_within(&mut child, Duration::from_secs(20));
        return (child.wait_with_output().unwrap(), false);
    }
    (child.wait_with_output().unwrap(), true)
}

fn run(np: usize, args: &[&str], marker: &str) -> Output {
    let (output, ended) = bounded(mpirun(np, marker).args(args), DEADLINE);
    assert!(
        ended,
        "mpirun -np {np} {args:?} did not end within {DEADLINE:?}"
    );
    no_rank_left(marker);
    output
}

fn no_rank_left(marker: &str) {
    let gone = within(Duration::from_secs(20), || {
        processes_with_env("MPI_RANKS_TEST", marker).is_empty()
    });
    assert!(
        gone,
        "ranks left behind: {:?}",
        processes_with_env("MPI_RANKS_TEST", marker)
    );
    let _ = std::fs::remove_dir_all(session(marker));
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn one_two_and_three_ranks_give_the_serial_results() {
    for np in 1..=3 {
        let out = ScratchDir::new(&format!("ranks-{np}"));
        let dir = out.path().to_str().unwrap();
        let marker = format!("equal-{np}");
        let output = run(
            np,
            &[&SMALL[..], &TINY_IMAGES, &["--out", dir]].concat(),
            &marker,
        );
        let stdout = text(&output.stdout);
        assert!(
            output.status.success(),
            "np {np}: {stdout}{}",
            text(&output.stderr)
        );
        assert!(!stdout.contains("DIFFERS"), "{stdout}");
        assert_eq!(
            stdout.matches("reference").count(),
            3,
            "three tables: {stdout}"
        );
        // fill: 2 against serial; grid: 2, or 3 with the hybrid; images: 1.
        assert!(stdout.matches("identical").count() >= 5, "{stdout}");
        assert!(stdout.contains(&format!("{np} MPI rank")), "{stdout}");
        if np == 1 {
            assert!(stdout.contains("ping-pong: skipped"), "{stdout}");
        } else {
            assert!(
                stdout.contains("4 KiB") && out.join("pingpong.svg").is_file(),
                "{stdout}"
            );
        }
        let images = |sub: &str| testkit::files_below(&out.join(sub));
        assert_eq!(images("serial").len(), 5);
        assert!(workload::same_files(&images("serial"), &images("ranks")).unwrap());
    }
}

#[test]
fn the_sweep_line_has_the_serial_grid_at_every_rank_count() {
    let grid = Grid {
        rows: 11,
        cols: 500,
        iterations: 40,
        skew: Skew::Even,
    };
    let serial = (0..grid.rows)
        .map(|row| grid.row(row))
        .fold(0u64, u64::wrapping_add);
    for np in 1..=3 {
        let args = [
            "sweep-grid",
            "--grid",
            "11",
            "--iterations",
            "40",
            "--runs",
            "2",
        ];
        let output = run(np, &args, &format!("sweep-{np}"));
        let stdout = text(&output.stdout);
        assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
        let line = stdout
            .lines()
            .find(|l| l.starts_with("mpi-ranks heavy-grid"))
            .expect(&stdout);
        assert!(
            line.contains(&format!("ranks={np} runs=2 seconds=")),
            "{line}"
        );
        assert!(line.ends_with(&format!(" digest={serial}")), "{line}");
    }
}

#[test]
fn a_failing_rank_ends_the_whole_job() {
    let grid_only = [
        "--only",
        "grid",
        "--runs",
        "1",
        "--grid",
        "7",
        "--iterations",
        "50",
    ];
    for (how, rank, says) in [
        ("panic", "1", "error: rank 1 panicked"),
        ("panic", "0", "error: rank 0 panicked"),
        ("exit", "1", "Exit code:    3"),
        ("kill", "1", "exited on signal 9 (Killed)"),
    ] {
        let args = [&grid_only[..], &["--fail-rank", rank, "--fail-how", how]].concat();
        let output = run(2, &args, &format!("fail-{how}-{rank}"));
        let stderr = text(&output.stderr);
        assert!(!output.status.success(), "{how}: {stderr}");
        assert!(stderr.contains(says), "{how} on rank {rank}: {stderr}");
    }
}

#[test]
fn without_the_hook_a_panicking_rank_hangs_the_job() {
    let args = [
        "--only",
        "grid",
        "--runs",
        "1",
        "--grid",
        "7",
        "--iterations",
        "50",
    ];
    let marker = "no-hook";
    let mut command = mpirun(2, marker);
    command
        .args(args)
        .args(["--fail-rank", "1", "--no-abort-hook"]);
    // Long enough for the panic to have happened even on a loaded machine: then it must not end.
    let (_, ended) = bounded(&mut command, Duration::from_secs(15));
    assert!(!ended, "the job ended by itself; the lesson says it hangs");
    no_rank_left(marker);
}

#[test]
fn bad_arguments_get_one_line_and_exit_2() {
    for (bad, says) in [
        (&["--rows", "0"][..], "at least one row"),
        (&["--threads", "0"], "1 to 1024"),
        (&["--threads", "1000000"], "1 to 1024"),
        (&["--grid", "1000000000000"], "1 to 100000"),
        (&["--grid", "1000000000"], "1 to 100000"),
        (&["--iterations", "4294967296"], "1000000"),
        (&["--only", "all"], "--only"),
        (&["--fail-how", "kill"], "--fail-rank"),
    ] {
        let output = Command::new(BIN).args(bad).output().unwrap();
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{bad:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{bad:?}: {stderr}");
        assert!(stderr.contains(says), "{bad:?}: {stderr}");
    }
    let output = run(2, &["--only", "grid", "--fail-rank", "2"], "bad-rank");
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("error: --fail-rank 2: there are only 2 ranks"));
}

#[test]
fn help_explains_every_flag() {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    let help = text(&output.stdout);
    for flag in [
        "--rows",
        "--cols",
        "--grid",
        "--iterations",
        "--count",
        "--width",
        "--height",
        "--out",
        "--threads",
        "--runs",
        "--only",
        "--largest",
        "--fail-rank",
        "--fail-how",
        "mpirun",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}

#[test]
fn run_alone_it_is_one_rank() {
    let mut command = Command::new(BIN);
    command
        .args(SMALL)
        .args(["--only", "grid"])
        .env("MPI_RANKS_TEST", "alone")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    in_own_session(&mut command, "alone");
    let (output, ended) = bounded(&mut command, DEADLINE);
    no_rank_left("alone");
    let stdout = text(&output.stdout);
    assert!(
        ended && output.status.success(),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("1 MPI rank;") && stdout.contains("identical"),
        "{stdout}"
    );
}

#[test]
fn the_chapters_commands_run() {
    // The commands of chapter 12 (`mpirun` options, then the binary's), with small sizes
    // added so that a debug build runs them in seconds.
    let small = [&SMALL[..], &TINY_IMAGES].concat();
    for (np, args, succeeds) in [
        (3, &["--only", "grid,images"][..], true),
        (
            2,
            &["--only", "grid", "--fail-rank", "1", "--fail-how", "kill"],
            false,
        ),
        (1, &["--only", "grid", "--threads", "2"], true),
    ] {
        let out = ScratchDir::new("chapter");
        let all = [args, &small, &["--out", out.path().to_str().unwrap()]].concat();
        let output = run(np, &all, &format!("chapter-{np}"));
        assert_eq!(
            output.status.success(),
            succeeds,
            "{args:?}: {}",
            text(&output.stderr)
        );
    }
    let stdout = text(
        &run(
            1,
            &[
                "--only",
                "grid",
                "--threads",
                "2",
                "--grid",
                "3",
                "--runs",
                "1",
            ],
            "hybrid",
        )
        .stdout,
    );
    assert!(
        stdout.contains("hybrid: MPI ranks x 2 rayon threads"),
        "{stdout}"
    );
}

#[test]
fn a_closed_or_full_stdout_ends_a_single_rank_cleanly() {
    // Started without mpirun, the program is one rank whose stdout is the pipe itself (under
    // mpirun, mpirun forwards the ranks' output and meets the closed pipe instead).
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(BIN);
        demo.args(SMALL)
            .args(["--only", "grid"])
            .env("MPI_RANKS_TEST", "stdout");
        in_own_session(&mut demo, "stdout");
        demo
    });
    no_rank_left("stdout");
}

#[test]
fn a_second_run_into_the_same_folder_says_it_is_in_use() {
    let out = ScratchDir::new("in-use");
    let dir = out.path().to_str().unwrap();
    let images = [
        "--only", "images", "--width", "8", "--height", "8", "--out", dir,
    ];
    let mut command = Command::new(BIN);
    command
        .args(images)
        .args(["--count", "1000000", "--runs", "1"])
        .env("MPI_RANKS_TEST", "in-use")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    in_own_session(&mut command, "in-use");
    let mut first = command.spawn().unwrap();
    // Once its first image exists, the first run holds the folder.
    let started = within(DEADLINE, || out.join("serial/noise-00000.png").exists());
    let second = run(2, &[&images[..], &["--count", "2"]].concat(), "second");
    let _ = kill(Pid::from_raw(first.id() as i32), Signal::SIGTERM);
    first.wait().unwrap();
    no_rank_left("in-use");
    assert!(started, "the first run started writing");
    let stderr = text(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("another run is writing into it"),
        "{stderr}"
    );
}

#[test]
fn a_timeline_at_a_fifo_a_link_or_a_folder_is_refused_before_any_work() {
    testkit::check_timeline_targets(|out| {
        let mut demo = Command::new(BIN);
        demo.args(SMALL)
            .args(["--only", "grid,images"])
            .args(TINY_IMAGES)
            .arg("--out")
            .arg(out)
            .env("MPI_RANKS_TEST", "timeline");
        in_own_session(&mut demo, "timeline");
        demo
    });
    no_rank_left("timeline");
}

#[test]
fn a_grid_of_hours_says_how_long_before_it_starts() {
    use std::io::BufRead;
    let mut command = Command::new(BIN);
    command
        .args([
            "--only",
            "grid",
            "--grid",
            "100000",
            "--iterations",
            "20000",
            "--runs",
            "1",
        ])
        .env("MPI_RANKS_TEST", "how-long")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    in_own_session(&mut command, "how-long");
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    // The line comes after one row's work, long before the first run ends.
    let line = std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.starts_with("heavy grid: one row took"));
    let _ = kill(Pid::from_raw(child.id() as i32), Signal::SIGKILL);
    child.wait().unwrap();
    no_rank_left("how-long");
    let line = line.expect("no estimate before the run");
    assert!(line.contains("100000 rows takes about"), "{line}");
}
