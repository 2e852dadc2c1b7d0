//! The real binary: every strategy gets every answer, nothing outlives a run (threads,
//! descriptors, the server, its port) on success, on error and on Ctrl-C, and each failure is
//! one line.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use testkit::{one_line_failure, processes_with_env};

const BIN: &str = env!("CARGO_BIN_EXE_09-threads-and-async");

/// Small and quick: short waits, one run, no strategy left out, no pitfalls.
const SMALL: &[&str] = &[
    "--delay-ms=5",
    "--runs=1",
    "--threads=4",
    "--limit=3",
    "--longest-s=600",
    "--no-pitfalls",
];

/// The variable that marks every process a test's run starts, to find any left behind.
const MARK: &str = "WORKBOOK_TEST_09";

fn mark() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The demo with `args`, marked; a minute at most, so a hang fails the test.
fn demo(args: &[&str]) -> (Output, String) {
    let mark = mark();
    let out = testkit::ScratchDir::new("09-out");
    let mut command = Command::new(BIN);
    command.args(args).env(MARK, &mark);
    if !args.iter().any(|a| a.starts_with("--out")) {
        // A folder of its own: tests run at once, and the default one is claimed by a run.
        command.arg("--out").arg(out.path());
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(command.output().unwrap()));
    let output = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the demo ends within two minutes");
    (output, mark)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The server's port, from the header.
fn port(stdout: &str) -> u16 {
    let at = stdout
        .find("127.0.0.1:")
        .expect("the header names the server")
        + 10;
    let digits: String = stdout[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

/// Nothing of the run is left: no process, and the port can be listened on again.
fn nothing_left(mark: &str, port: Option<u16>) {
    assert_eq!(processes_with_env(MARK, mark), Vec::<u32>::new());
    if let Some(port) = port {
        TcpListener::bind(("127.0.0.1", port)).expect("the server's port is free again");
    }
}

#[test]
fn every_strategy_gets_every_answer_and_gives_everything_back() {
    let args = [SMALL, &["--requests", "0,1,7,1000"]].concat();
    let (output, mark) = demo(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stdout = stdout(&output);
    // Each table checks every answer, and each run that threads and descriptors are back.
    for count in [0, 1, 7, 1000] {
        let title = format!("\n{count} requests, each answered after");
        let table = stdout.split(&title).nth(1).expect("a table per count");
        let rows: Vec<&str> = table.lines().skip(2).take(5).collect();
        assert!(rows[0].ends_with("reference"), "{table}");
        assert!(
            rows[1..].iter().all(|r| r.ends_with("identical")),
            "{table}"
        );
    }
    assert!(
        !stdout.contains("left out") && !stdout.contains("refused"),
        "{stdout}"
    );
    let back = "after every run, as before it: ";
    assert_eq!(stdout.matches(back).count(), 4, "{stdout}");
    nothing_left(&mark, Some(port(&stdout)));
}

#[test]
fn too_many_threads_are_refused_before_the_first_and_the_rest_run() {
    let args = [SMALL, &["--requests", "7", "--max-threads", "5"]].concat();
    let (output, mark) = demo(&args);
    assert!(output.status.success());
    let stdout = stdout(&output);
    assert!(
        stdout.contains("one thread per request: refused before any thread started: 7 threads, and --max-threads allows 5"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("identical").count(), 3, "{stdout}");
    nothing_left(&mark, Some(port(&stdout)));
}

#[test]
fn the_pitfalls_run_and_check_out() {
    let args = ["--requests", "3", "--delay-ms", "5", "--runs", "1"];
    let (output, mark) = demo(&args);
    let stdout = stdout(&output);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("the sleep in spawn_blocking"), "{stdout}");
    assert!(
        stdout.contains("on rayon, awaited through a oneshot"),
        "{stdout}"
    );
    assert!(!stdout.contains("DIFFERS"), "{stdout}");
    nothing_left(&mark, Some(port(&stdout)));
}

#[test]
fn a_port_in_use_is_one_line() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (output, mark) = demo(&[SMALL, &["--requests", "3", "--port", &port]].concat());
    let line = one_line_failure(&output, 1);
    assert!(
        line.contains("the server did not start: cannot listen on 127.0.0.1:")
            && line.contains("in use"),
        "{line}"
    );
    nothing_left(&mark, None);
}

#[test]
fn an_out_folder_another_run_holds_is_refused_before_any_work() {
    let out = testkit::ScratchDir::new("09-out-held");
    // Held as a running demo holds it: a lock on the folder for as long as the file is open.
    let held = std::fs::File::open(out.path()).unwrap();
    held.try_lock().unwrap();
    let out_arg = out.path().to_str().unwrap();
    let (output, mark) = demo(&[SMALL, &["--requests", "1,3", "--out", out_arg]].concat());
    let line = one_line_failure(&output, 1);
    assert!(line.contains("another run is writing into it"), "{line}");
    assert!(stdout(&output).is_empty(), "no table was printed");
    assert_eq!(
        testkit::files_below(out.path()),
        [] as [std::path::PathBuf; 0]
    );
    nothing_left(&mark, None);
}

#[test]
fn a_refused_connection_is_one_line() {
    let args = [SMALL, &["--requests", "7", "--server-fault", "refuse"]].concat();
    let (output, mark) = demo(&args);
    let line = one_line_failure(&output, 1);
    assert!(line.contains("connection refused by 127.0.0.1:"), "{line}");
    nothing_left(&mark, Some(port(&stdout(&output))));
}

#[test]
fn a_server_that_never_answers_is_one_line_per_run() {
    let args = [
        SMALL,
        &[
            "--requests",
            "7",
            "--server-fault",
            "stall",
            "--timeout-ms",
            "300",
        ],
    ]
    .concat();
    let (output, mark) = demo(&args);
    let line = one_line_failure(&output, 1);
    assert!(
        line.contains("no answer from 127.0.0.1:") && line.contains("within 300 ms"),
        "{line}"
    );
    nothing_left(&mark, Some(port(&stdout(&output))));
}

#[test]
fn ctrl_c_leaves_nothing_running() {
    let mark = mark();
    // A serial loop of 40 waits of a second each: long enough to be stopped in the middle.
    let mut child = Command::new(BIN)
        .args([
            "--requests",
            "40",
            "--delay-ms",
            "1000",
            "--runs",
            "1",
            "--longest-s",
            "600",
        ])
        .env(MARK, &mark)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let header = lines.next().unwrap().unwrap();
    while !lines.next().unwrap().unwrap().starts_with("limits:") {}
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    assert!(kill.unwrap().success());
    assert!(
        testkit::exited_within(&mut child, Duration::from_secs(60)),
        "Ctrl-C ends the run"
    );
    let output = child.wait_with_output().unwrap();
    let line = one_line_failure(&output, 130);
    assert_eq!(line, "error: interrupted");
    nothing_left(&mark, Some(port(&header)));
}

#[test]
fn more_requests_than_the_machine_allows_are_one_line_before_any_work() {
    let (output, mark) = demo(&["--requests", "10,100000"]);
    let line = one_line_failure(&output, 2);
    assert!(
        line.contains("--requests 100000 needs 100000 connections open at once;"),
        "{line}"
    );
    nothing_left(&mark, None);
}

#[test]
fn bad_arguments_get_one_line_and_exit_code_2() {
    for args in [
        &["--requests", "x"][..],
        &["--requests", "100001"],
        &["--delay-ms", "60001"],
        &["--threads", "0"],
        &["--workers", "1025"],
        &["--limit", "0"],
        &["--timeout-ms", "0"],
        &["--max-threads", "0"],
        &["--port", "65536"],
        &["--server-fault", "explode"],
        &["--runs", "0"],
    ] {
        let line = one_line_failure(&demo(args).0, 2);
        assert!(line.contains("--help"), "{line}");
    }
}

#[test]
fn help_explains_every_flag() {
    let (output, _) = demo(&["--help"]);
    let help = stdout(&output);
    for flag in [
        "--requests",
        "--delay-ms",
        "--threads",
        "--workers",
        "--limit",
        "--timeout-ms",
        "--longest-s",
        "--max-threads",
        "--port",
        "--server-fault",
        "--no-pitfalls",
        "--out",
        "--runs",
        "--timeline",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn every_command_the_chapter_and_slides_show_runs() {
    let commands = testkit::commands_in(
        "09-threads-and-async",
        &[
            "src/09-threads-and-async.md",
            "slides/sections/09-threads-and-async.md",
            "README.md",
        ],
    );
    assert!(commands.len() >= 3, "{commands:?}");
    let checkout = testkit::ScratchDir::new("09-commands");
    std::fs::create_dir_all(checkout.join("target")).unwrap();
    // Short waits, and what would take over a second of waiting alone left out.
    let small = [
        "--delay-ms=5",
        "--runs=1",
        "--no-pitfalls",
        "--longest-s=1",
        "--requests=5,20",
    ];
    for args in commands {
        let named = |flag: &str| {
            let name = flag.split('=').next().unwrap();
            args.iter().any(|a| a == name)
        };
        let mut command = Command::new(BIN);
        command.current_dir(checkout.path());
        command.args(small.iter().filter(|flag| !named(flag)));
        let output = command.args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let fails = args.iter().any(|a| a == "--server-fault");
        assert_eq!(
            output.status.code(),
            Some(if fails { 1 } else { 0 }),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_closed_or_full_stdout_ends_the_run_cleanly() {
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(BIN);
        demo.args(SMALL).args(["--requests", "3"]);
        demo
    });
}
