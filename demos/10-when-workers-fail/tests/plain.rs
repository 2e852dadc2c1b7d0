//! The plain cells (`--plain`) through the real binary, each its own test with a hard time
//! limit: it ends, shows the hang or the silent loss of its plain code, exits 0, and leaves
//! no process and no half-written file behind. The plain code itself, started through the
//! hidden `plain` subcommand, does every item when nothing goes wrong: only the fault breaks
//! it. And Ctrl-C during a hung plain run kills the whole of it.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use testkit::{ScratchDir, exited_within, files_below, processes_with_env, within};
use when_workers_fail::{Fault, Plain, PlainRun, Work};
use workload::{ImageSize, image_path, read_png_into};

/// Every process the demo starts inherits this variable, so the test can look for them later.
const MARKER: &str = "WORKBOOK_10_PLAIN_TEST_MARKER";
/// The longest a run may take before the test calls it hung: a hung plain run costs 2 s.
const LIMIT: Duration = Duration::from_secs(20);
const SIZE: ImageSize = ImageSize::new(64, 64);

fn demo() -> Command {
    Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"))
}

/// Kill whatever is left with this test's marker: after a failure, so that a test that
/// fails does not leave a stuck worker behind it.
fn kill_marked(out: &Path) {
    for pid in processes_with_env(MARKER, out.to_str().unwrap()) {
        let _ = kill(Pid::from_raw(pid as i32), Signal::SIGKILL);
    }
}

/// Run `command`, marked with `out`; kill it and fail if it runs past `LIMIT`; fail if any
/// process it started is still there once it has exited.
fn run(mut command: Command, out: &Path) -> Output {
    let mut child = command
        .env(MARKER, out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if !exited_within(&mut child, LIMIT) {
        kill_marked(out); // the plain run is in a group of its own: the kill missed it
        panic!("it hung: {command:?}");
    }
    let output = child.wait_with_output().unwrap();
    let left = processes_with_env(MARKER, out.to_str().unwrap());
    kill_marked(out);
    assert_eq!(left, [0u32; 0], "processes left behind by {command:?}");
    output
}

/// The items whose output image in `output` is there and whole; and no temporary file, no
/// broken image anywhere below `out`.
fn whole_images(out: &Path, output: &Path) -> Vec<usize> {
    let mut slot = vec![0; SIZE.bytes()];
    for file in files_below(out) {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(!name.ends_with(".tmp"), "left behind: {}", file.display());
        let whole = read_png_into(&file, SIZE, &mut slot);
        assert!(whole.is_ok(), "{}: {whole:?}", file.display());
    }
    (0..64)
        .filter(|&id| image_path(output, id).exists())
        .collect()
}

/// What one plain cell's row says, column by column: ended, images, left, said.
struct Row {
    ended: String,
    images: String,
    left: String,
    said: String,
    /// The items whose image is whole on disk afterwards.
    whole: Vec<usize>,
}

/// Run `--plain --strategy <strategy>` and check what every plain cell promises: exit 0, no
/// error line, one row, and the images it counts are the ones whole on disk.
fn plain_cell(strategy: &str, fault: &str) -> Row {
    let out = ScratchDir::new(&format!("07-plain-{strategy}-{fault}"));
    let mut command = demo();
    command.args(["--plain", "--strategy", strategy, "--out"]);
    command.arg(out.path());
    let output = run(command, out.path());
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(output.status.success(), "{stderr}\n{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(stdout.contains("every plain run failed as its plain code does"));
    let row = stdout
        .lines()
        .find(|l| l.starts_with(&format!("{strategy} ")) && l.contains(&format!(" {fault} ")))
        .unwrap_or_else(|| panic!("no row in:\n{stdout}"));
    let columns = row.split("  ").map(str::trim).filter(|c| !c.is_empty());
    let columns: Vec<&str> = columns.collect();
    assert_eq!(columns.len(), 6, "{row}");
    assert_eq!(columns[1], fault, "{row}");
    let output_dir = out.join(format!("plain-{strategy}-{fault}/output"));
    let whole = whole_images(out.path(), &output_dir);
    let images = columns[3].to_owned();
    assert_eq!(images, format!("{}/64", whole.len()), "{row}");
    Row {
        ended: columns[2].to_owned(),
        images,
        left: columns[4].to_owned(),
        said: columns[5].to_owned(),
        whole,
    }
}

/// Every item but `lost`.
fn all_but(lost: std::ops::Range<usize>) -> Vec<usize> {
    (0..64).filter(|id| !lost.contains(id)).collect()
}

const HUNG: &str = "hung: still waiting after 2.00 s, killed by the demo";

#[test]
fn the_minimal_queue_dies_of_a_panic_with_every_other_result() {
    let row = plain_cell("queue", "panic");
    // `join` handed the worker's panic to the caller, which died of it: exit 101.
    assert!(
        row.ended.starts_with("exit status: 101 after "),
        "{}",
        row.ended
    );
    // The other workers made the rest of the images; the results the caller held are gone.
    assert_eq!(row.whole, all_but(37..38), "{}", row.images);
    assert_eq!(
        row.left, "none",
        "threads only: no process of its own to kill"
    );
    assert!(row.said.starts_with("stderr: thread "), "{}", row.said);
    assert!(
        row.said.contains("injected panic at item 37"),
        "{}",
        row.said
    );
    assert!(
        !row.said.contains("done:"),
        "it never got to its end: {}",
        row.said
    );
}

#[test]
fn chapter_3s_map_dies_of_a_panic_in_one_item() {
    let row = plain_cell("rayon", "panic");
    assert!(
        row.ended.starts_with("exit status: 101 after "),
        "{}",
        row.ended
    );
    assert!(!row.whole.contains(&37), "{}", row.images);
    assert_eq!(row.left, "none");
    assert!(
        row.said.contains("injected panic at item 37"),
        "{}",
        row.said
    );
    assert!(!row.said.contains("done:"), "{}", row.said);
}

#[test]
fn the_minimal_queue_hangs_on_a_stuck_item_and_the_demo_kills_it() {
    let row = plain_cell("queue", "stuck");
    assert_eq!(row.ended, HUNG);
    assert_eq!(row.whole, all_but(37..38), "{}", row.images);
    assert_eq!(row.left, "none", "a stuck thread dies with its process");
    assert_eq!(row.said, "nothing");
}

#[test]
fn the_plain_one_shot_children_exit_0_with_a_share_missing_and_say_nothing() {
    let row = plain_cell("one-shot", "kill");
    assert!(
        row.ended.starts_with("exit status: 0 after "),
        "{}",
        row.ended
    );
    // Worker 2's share is 32..48; it was killed at item 37, so 37 to 47 are missing.
    assert_eq!(row.whole, all_but(37..48), "{}", row.images);
    assert_eq!(row.said, "stdout: done: 64 items");
    assert_eq!(row.left, ".noise-00037.png.tmp, removed");
}

#[test]
fn the_plain_pool_hangs_on_a_stuck_worker_without_a_word() {
    let row = plain_cell("pool", "stuck");
    assert_eq!(row.ended, HUNG);
    assert_eq!(row.whole, all_but(37..38), "{}", row.images);
    assert_eq!(row.left, "4 processes it started, killed");
    assert_eq!(row.said, "nothing");
}

#[test]
fn the_plain_code_does_every_item_when_nothing_fails() {
    for strategy in Plain::ALL {
        let out = ScratchDir::new(&format!("07-plain-healthy-{strategy:?}"));
        let work = Work {
            input: out.join("input"),
            output: out.join("output"),
            side: 64,
            count: 64,
            fault: Fault::None,
            at: 37,
            map_dir: shared_array_fill::default_map_dir(),
        };
        work.prepare().unwrap();
        let workers = 4;
        let plain = PlainRun {
            strategy,
            workers,
            work,
        };
        let command = plain.command(Path::new(env!("CARGO_BIN_EXE_10-when-workers-fail")));
        let output = run(command, out.path());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{strategy:?}: {stderr}");
        assert!(stderr.is_empty(), "{strategy:?}: {stderr}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), "done: 64 items\n");
        let whole = whole_images(out.path(), &out.join("output"));
        assert_eq!(whole, all_but(0..0), "{strategy:?}");
    }
}

#[test]
fn ctrl_c_during_a_hung_plain_run_kills_all_of_it() {
    let out = ScratchDir::new("07-plain-ctrl-c");
    let marker = out.path().to_str().unwrap();
    let mut child = demo()
        .args(["--plain", "--strategy", "pool", "--out", marker])
        .env(MARKER, marker)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The demo, its plain run and the plain run's 4 workers.
    let all_there = within(Duration::from_secs(10), || {
        processes_with_env(MARKER, marker).len() >= 6
    });
    if !all_there {
        let _ = exited_within(&mut child, Duration::ZERO);
        kill_marked(out.path());
        panic!("the plain run and its workers did not appear");
    }
    kill(Pid::from_raw(child.id() as i32), Signal::SIGINT).unwrap();
    if !exited_within(&mut child, LIMIT) {
        kill_marked(out.path());
        panic!("Ctrl-C did not end the demo");
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    // The plain run and its workers were in a group of their own, which the terminal's
    // Ctrl-C would not reach: the demo's handler killed the group.
    let gone = within(Duration::from_secs(5), || {
        processes_with_env(MARKER, marker).is_empty()
    });
    if !gone {
        let left = processes_with_env(MARKER, marker);
        kill_marked(out.path());
        panic!("left running after Ctrl-C: {left:?}");
    }
}
