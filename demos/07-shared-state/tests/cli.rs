//! The real binary: a small run is all identical, bad arguments exit 2, a panic inside the
//! locked section is one line and exit code 1, within a deadline (no hang), and `--timeline`
//! draws one bar per image.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use testkit::{ScratchDir, check_timeline, exited_within, one_line_failure};

const SMALL: [&str; 8] = [
    "--count", "7", "--width", "13", "--height", "5", "--runs", "1",
];

fn demo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_07-shared-state"))
        .args(SMALL)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_small_run_is_identical_everywhere() {
    let output = demo(&["--threads", "3", "--rounds", "3"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout.matches("identical").count(), 6 + 3 + 1, "{stdout}");
    assert!(!stdout.contains("DIFFERS"), "{stdout}");
}

#[test]
fn bad_arguments_get_one_line_and_exit_code_2() {
    for args in [
        &["--threads", "0"][..],
        &["--threads", "1025"],
        &["--count", "4097"],
        &["--width", "0"],
        &["--runs", "101"],
        &["--rounds", "zero"],
        &["--count", "4096", "--width", "16384", "--height", "16384"],
        &["--unknown"],
    ] {
        let output = demo(args);
        assert!(output.stdout.is_empty(), "{args:?}: nothing printed");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
}

#[test]
fn a_panic_in_the_lock_is_one_line_and_exit_code_1() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_07-shared-state"))
        .args([
            "--count",
            "16",
            "--width",
            "256",
            "--height",
            "256",
            "--threads",
            "3",
        ])
        .arg("--panic-in-lock")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Generous for a loaded 2-core machine: the run itself takes well under a second.
    assert!(
        exited_within(&mut child, Duration::from_secs(60)),
        "hung on the poisoned lock"
    );
    let line = one_line_failure(&child.wait_with_output().unwrap(), 1);
    assert!(
        line.contains("poisoned") && line.contains("deliberate panic"),
        "{line}"
    );
}

#[test]
fn help_explains_every_flag() {
    let output = Command::new(env!("CARGO_BIN_EXE_07-shared-state"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--count",
        "--width",
        "--height",
        "--threads",
        "--runs",
        "--rounds",
        "--panic-in-lock",
        "--timeline",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn the_chapters_commands_run() {
    let chapter = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src/07-shared-state.md");
    let text = std::fs::read_to_string(chapter).unwrap();
    let command = "cargo run --release --bin 07-shared-state";
    // Run where a reader would, in a checkout with a target/ folder (--timeline writes there).
    let checkout = ScratchDir::new("09-commands");
    std::fs::create_dir_all(checkout.join("target")).unwrap();
    let mut ran = 0;
    for line in text
        .lines()
        .filter_map(|l| l.trim_start_matches("$ ").strip_prefix(command))
    {
        let args: Vec<&str> = line
            .strip_prefix(" --")
            .unwrap_or(line)
            .split_whitespace()
            .collect();
        // The book's sizes where it gives them, small ones elsewhere; one run each.
        let sized = if args.contains(&"--count") {
            &[][..]
        } else {
            &SMALL[..6]
        };
        let output = Command::new(env!("CARGO_BIN_EXE_07-shared-state"))
            .current_dir(checkout.path())
            .args(&args)
            .args(sized)
            .args(["--runs", "1"])
            .output()
            .unwrap();
        let expected = if args.contains(&"--panic-in-lock") {
            1
        } else {
            0
        };
        assert_eq!(output.status.code(), Some(expected), "{args:?}");
        ran += 1;
    }
    assert!(ran >= 5, "found only {ran} commands in the chapter");
}

#[test]
fn a_closed_or_full_stdout_ends_the_run_cleanly() {
    testkit::assert_survives_closed_and_full_stdout(|| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_07-shared-state"));
        demo.args(SMALL);
        demo
    });
}

#[test]
fn the_timeline_shows_every_image_once_inside_its_run() {
    let out = ScratchDir::new("09-timeline");
    let trace = out.join("timeline.json");
    let output = demo(&["--threads", "3", "--timeline", trace.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let images = 7;
    let histogram = "one histogram, 256 bins: ";
    for strategy in ["Mutex, lock per image", "rayon fold + reduce"] {
        let checked = check_timeline(&trace, &format!("{histogram}{strategy}"), images);
        assert_eq!(checked.len(), 1, "{strategy}: {checked:?}");
    }
    // The others take pixels, not whole images, as their work: their runs have no bars.
    for strategy in [
        "serial",
        "Mutex, lock per increment",
        "AtomicU64",
        "per-thread",
    ] {
        let checked = check_timeline(&trace, &format!("{histogram}{strategy}"), 0);
        assert!(!checked.is_empty(), "{strategy}: {checked:?}");
    }
    assert_eq!(check_timeline(&trace, "into one Vec", images).len(), 4);
    // The default 4 rounds: every image once in every round.
    assert_eq!(check_timeline(&trace, "rounds of map", 4 * images).len(), 2);
    let svg = std::fs::read_to_string(out.join("timeline.svg")).unwrap();
    assert!(svg.contains("Mutex, lock per image"), "{svg}");
}

#[test]
fn a_timeline_at_a_fifo_a_link_or_a_folder_is_refused_before_any_work() {
    // No --out: this demo writes no files but the timeline.
    testkit::check_timeline_targets(|_| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_07-shared-state"));
        demo.args(SMALL);
        demo
    });
}
