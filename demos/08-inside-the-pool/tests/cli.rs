//! The real binary: a small run is identical everywhere, bad arguments exit 2, `--help`
//! explains every flag, the chapter's commands run, and on 2 threads the timeline shows the
//! heavy half of the skewed grid spread over both workers, with the stolen work marked.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};

use testkit::{ScratchDir, check_timeline, one_line_failure};

const BIN: &str = env!("CARGO_BIN_EXE_08-inside-the-pool");

/// A small run: 3 images of 13x7 pixels, a grid of 9 light rows, one run of each.
const SMALL: [&str; 14] = [
    "--count",
    "3",
    "--width",
    "13",
    "--height",
    "7",
    "--rows",
    "9",
    "--cols",
    "5",
    "--iterations",
    "20",
    "--runs",
    "1",
];

fn demo(args: &[&str]) -> Output {
    Command::new(BIN).args(SMALL).args(args).output().unwrap()
}

fn succeeded(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_small_run_is_identical_everywhere() {
    let stdout = succeeded(&demo(&["--threads", "3", "--cutoff", "4"]));
    // 2 sorts, 2 splits of each of the 2 grids, 5 ways to the medians, 2 bridged.
    assert_eq!(
        stdout.matches("identical").count(),
        2 + 2 * 2 + 5 + 2,
        "{stdout}"
    );
    assert!(!stdout.contains("DIFFERS"), "{stdout}");
    assert!(stdout.contains("the inner joins ran on"), "{stdout}");
}

#[test]
fn bad_arguments_get_one_line_and_exit_code_2() {
    for args in [
        &["--threads", "0"][..],
        &["--count", "4097"],
        &["--width", "0"],
        &["--cutoff", "0"],
        &["--skew", "steep"],
        &["--runs", "many"],
        &["--count", "4096", "--width", "16384", "--height", "16384"],
        &["--unknown"],
    ] {
        let output = demo(args);
        assert!(output.stdout.is_empty(), "{args:?}: nothing printed");
        let line = one_line_failure(&output, 2);
        assert!(line.starts_with("error"), "{args:?}: {line}");
    }
}

#[test]
fn help_explains_every_flag() {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--count",
        "--width",
        "--height",
        "--cutoff",
        "--threads",
        "--runs",
        "--timeline",
        "--rows",
        "--cols",
        "--iterations",
        "--skew",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn the_chapters_commands_run() {
    let commands = testkit::commands_in("08-inside-the-pool", &["src/08-inside-the-pool.md"]);
    let checkout = ScratchDir::new("08-commands");
    std::fs::create_dir_all(checkout.join("target")).unwrap();
    for args in &commands {
        // The chapter's flags, and the small sizes for the flags it does not give.
        let small = SMALL
            .chunks(2)
            .filter(|pair| !args.iter().any(|a| a == pair[0]));
        let output = Command::new(BIN)
            .current_dir(checkout.path())
            .args(small.flatten())
            .args(args)
            .output()
            .unwrap();
        succeeded(&output);
    }
    assert!(commands.len() >= 3, "found only {commands:?}");
}

#[test]
fn a_closed_or_full_stdout_ends_the_run_cleanly() {
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(BIN);
        demo.args(SMALL);
        demo
    });
}

/// The workers (trace threads) that ran the grid's rows `from..` in the join run of the
/// table whose name contains `table`, and how many of its items are marked stolen.
fn workers_and_steals(trace: &Path, table: &str, from: u64) -> (HashSet<u64>, usize) {
    let text = std::fs::read_to_string(trace).unwrap();
    let trace: serde_json::Value = serde_json::from_str(&text).unwrap();
    let events = trace["traceEvents"].as_array().unwrap();
    let pid = events
        .iter()
        .find(|e| e["name"] == "process_name" && e["args"]["name"] == table)
        .map(|e| e["pid"].clone())
        .unwrap_or_else(|| panic!("no run named {table}"));
    let items: Vec<_> = events
        .iter()
        .filter(|e| e["ph"] == "X" && e["pid"] == pid && e["tid"] != 0)
        .collect();
    let heavy = items
        .iter()
        .filter(|e| e["args"]["item"].as_u64().unwrap() >= from)
        .map(|e| e["tid"].as_u64().unwrap());
    let stolen = items.iter().filter(|e| e["args"]["stolen"] == true).count();
    (heavy.collect(), stolen)
}

#[test]
fn on_two_threads_both_workers_run_the_heavy_half_of_the_skewed_grid() {
    let out = ScratchDir::new("08-timeline");
    let trace = out.join("timeline.json");
    let rows = 64;
    // Heavy enough (tens of milliseconds of rows) that the second worker is awake long
    // before the heavy half is done, even on a loaded machine.
    let output = Command::new(BIN)
        .args([
            "--count", "2", "--width", "8", "--height", "8", "--runs", "1",
        ])
        .args(["--threads", "2", "--skew", "linear", "--rows", "64"])
        .args(["--cols", "200", "--iterations", "20000"])
        .args(["--timeline", trace.to_str().unwrap()])
        .output()
        .unwrap();
    succeeded(&output);
    let table = "heavy grid: 64 rows x 200 cells, 20000 rounds per cell on average, linear skew";
    assert_eq!(check_timeline(&trace, table, rows).len(), 3);
    let join = format!("{table}: join halves, idle workers steal");
    let (workers, stolen) = workers_and_steals(&trace, &join, rows as u64 / 2);
    assert_eq!(workers.len(), 2, "the heavy half ran on {workers:?}");
    assert!(stolen >= 1, "no item marked stolen");
    let svg = std::fs::read_to_string(out.join("timeline.svg")).unwrap();
    assert!(svg.contains("where a worker stole work"), "no stolen bars");
}

#[test]
fn a_timeline_at_a_fifo_a_link_or_a_folder_is_refused_before_any_work() {
    // The demo writes no files of its own, so the folder the helper hands over stays unused.
    testkit::check_timeline_targets(|_| {
        let mut demo = Command::new(BIN);
        demo.args(SMALL);
        demo
    });
}
