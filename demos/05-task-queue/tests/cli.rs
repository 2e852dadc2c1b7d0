//! The real binary: tables that check out, a failing task reported in one line, bad arguments.

use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::Duration;

use testkit::one_line_failure;

const SMALL: &[&str] = &[
    "--rows=13",
    "--cols=3",
    "--iterations=40",
    "--sleep-ms=1",
    "--trivial=1000",
    "--runs=1",
    "--capacity=2",
];

/// The demo with the small settings and then `args`. It gets a minute: a hang fails the test
/// instead of stalling the test run.
fn demo(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_05-task-queue"));
    command.args(SMALL).args(args);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(command.output().unwrap()));
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the demo ends within a minute")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_table_checks_out_and_every_task_is_counted() {
    let output = demo(&["--threads", "3", "--skew", "even,linear,tail"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = stdout(&output);
    assert_eq!(stdout.matches("identical").count(), 3 * 2 + 1, "{stdout}");
    assert!(!stdout.contains("DIFFERS"), "{stdout}");
    for tally in [
        "submitted 10 = completed 10 + failed 0",
        "submitted 13 = completed 13 + failed 0",
        "submitted 1000 = completed 1000 + failed 0",
    ] {
        assert!(stdout.contains(tally), "{tally} missing from:\n{stdout}");
    }
    assert_eq!(stdout.matches("submitted 13 =").count(), 3, "{stdout}");
}

#[test]
fn a_panicking_sleepy_task_is_one_error_line_and_the_rest_finish() {
    let output = demo(&["--sleepy-tasks", "6", "--panic-on", "3"]);
    let line = one_line_failure(&output, 1);
    assert!(
        line.contains("task 3 (worker ") && line.contains("injected panic"),
        "{line}"
    );
    assert!(
        line.contains("submitted 6 = completed 5 + failed 1"),
        "{line}"
    );
    let stdout = stdout(&output);
    assert!(
        stdout.contains("submitted 6 = completed 5 + failed 1"),
        "{stdout}"
    );
    // The lines between the column headings and the summary: one per task, as they came back.
    let lines = stdout.lines().skip_while(|l| !l.contains("started"));
    let rows: Vec<&str> = lines
        .skip(1)
        .take_while(|l| !l.starts_with("all back"))
        .collect();
    assert_eq!(rows.len(), 6, "{stdout}");
    let mut finished: Vec<&str> = rows
        .iter()
        .filter(|row| !row.contains("panicked"))
        .map(|row| row.split_whitespace().rev().nth(1).unwrap())
        .collect();
    finished.sort();
    assert_eq!(finished, ["0", "1", "2", "4", "5"], "{stdout}");
}

#[test]
fn bad_arguments_get_one_line_and_exit_code_2() {
    for args in [
        &["--threads", "0"][..],
        &["--capacity", "0"],
        &["--sleepy-threads", "0"],
        &["--sleep-ms", "60001"],
        &["--cols", "0"],
        &["--iterations", "1.5"],
        &["--skew", "steep"],
        &["--trivial", "-1"],
        &["--patience-ms", "0"],
        &["--panic-on", "x"],
        &["--threads", "1025"],
        &["--sleepy-threads", "100000"],
        &["--capacity", "2000000"],
        &["--trivial", "100000001"],
        &["--sleepy-tasks", "100001"],
        &["--runs", "0"],
    ] {
        let line = one_line_failure(&demo(args), 2);
        assert!(line.contains("--help"), "{line}");
    }
}

#[test]
fn a_panic_on_beyond_the_sleepy_tasks_is_refused_before_any_work() {
    let line = one_line_failure(&demo(&["--panic-on", "10"]), 2);
    assert!(
        line.contains("--panic-on 10 names no task: there are 10 sleepy tasks"),
        "{line}"
    );
    let line = one_line_failure(&demo(&["--panic-on", "0", "--sleepy-tasks", "0"]), 2);
    assert!(line.contains("there are 0 sleepy tasks"), "{line}");
    let line = one_line_failure(&demo(&["--panic-on", "9"]), 1);
    assert!(line.contains("task 9 (worker "), "{line}");
}

#[test]
fn help_explains_every_flag() {
    let output = demo(&["--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    for flag in [
        "--threads",
        "--capacity",
        "--sleepy-tasks",
        "--sleep-ms",
        "--sleepy-threads",
        "--rows",
        "--cols",
        "--iterations",
        "--skew",
        "--trivial",
        "--patience-ms",
        "--panic-on",
        "--runs",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn every_command_the_chapter_and_slides_show_runs() {
    let commands = testkit::commands_in(
        "05-task-queue",
        &[
            "src/05-task-queue.md",
            "slides/sections/05-task-queue.md",
            "README.md",
        ],
    );
    assert!(commands.len() >= 6, "{commands:?}");
    // Run where a reader would, in a checkout with a target/ folder, but not in this one.
    let checkout = testkit::ScratchDir::new("05-commands");
    std::fs::create_dir_all(checkout.join("target")).unwrap();
    for args in commands {
        // The command's own arguments, and the small settings for what it leaves out.
        let named = |flag: &str| {
            let name = flag.split('=').next().unwrap();
            args.iter().any(|a| a == name)
        };
        let small = SMALL.iter().filter(|flag| !named(flag));
        let mut command = Command::new(env!("CARGO_BIN_EXE_05-task-queue"));
        command.current_dir(checkout.path());
        let output = command.args(small).args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let expected = if args.iter().any(|a| a == "--panic-on") {
            1
        } else {
            0
        };
        assert_eq!(output.status.code(), Some(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn a_closed_or_full_stdout_ends_the_run_cleanly() {
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_05-task-queue"));
        demo.args(SMALL);
        demo
    });
}

#[test]
fn a_timeline_at_a_fifo_a_link_or_a_folder_is_refused_before_any_work() {
    // No --out: this demo writes no files but the timeline.
    testkit::check_timeline_targets(|_| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_05-task-queue"));
        demo.args(SMALL);
        demo
    });
}
