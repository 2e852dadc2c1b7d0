//! The real binary: bad arguments, its help, and a matrix run's exit status.

use std::process::{Command, Output};

use workload::testing::{ScratchDir, files_below, one_line_failure};

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
        &["--workers", "0"],
        &["--deadline-ms", "0"],
        &["--side", "0"],
        &["--strategy", "fork"],
        &["--fault", "meteor"],
        &["--colour", "red"],
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
        "--workers",
        "--side",
        "--deadline-ms",
        "--out",
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

    let small = ["--count", "3", "--item", "0", "--workers", "5"];
    let args = [&small[..], &["--strategy", "pool", "--fault", "panic"]].concat();
    let line = one_line_failure(&demo(&args, &out), 1);
    assert!(line.starts_with("error: item 0 (worker "), "{line}");
    assert!(
        line.ends_with("(submitted 3 = completed 2 + failed 1)"),
        "{line}"
    );
}
