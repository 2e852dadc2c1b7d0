//! Every cell of the matrix through the real binary, each its own test with a hard time limit:
//! it ends, names item K (and its worker where that is fixed), exits 1 when the run failed,
//! accounts for every item, and leaves no temporary or half-written file and no process
//! behind.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use testkit::{ScratchDir, exited_within, files_below, one_line_failure, processes_with_env};
use workload::{ImageSize, read_png_into};

/// Every process the demo starts inherits this variable, so the test can look for them later.
const MARKER: &str = "WORKBOOK_10_TEST_MARKER";
/// The longest a cell may take before the test calls it hung: far above a stuck cell's
/// deadline, so that a slow machine is not taken for a hang.
const LIMIT: Duration = Duration::from_secs(60);
const ITEM: &str = "37";

/// Run the demo; kill it and fail if it runs past `LIMIT`.
fn demo(args: &[&str], out: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"))
        .args(["--out", out.to_str().unwrap(), "--item", ITEM])
        .args(args)
        .env(MARKER, out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        exited_within(&mut child, LIMIT),
        "the demo hung with {args:?}"
    );
    let output = child.wait_with_output().unwrap();
    let left = processes_with_env(MARKER, out.to_str().unwrap());
    assert_eq!(left, [0u32; 0], "processes left behind");
    output
}

/// Nothing half-written in the cell's folder: no temporary file, every output image whole.
fn nothing_half_written(out: &Path) {
    let size = ImageSize::new(64, 64);
    for file in files_below(out) {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(!name.ends_with(".tmp"), "left behind: {}", file.display());
        if file.parent().unwrap().ends_with("output") {
            let whole = read_png_into(&file, size, &mut vec![0; size.bytes()]);
            assert!(whole.is_ok(), "{}: {whole:?}", file.display());
        }
    }
}

/// The output images of the cell's run that are there and whole: what it really completed,
/// counted from the files rather than from what the demo says.
fn whole_images(out: &Path, strategy: &str, fault: &str) -> usize {
    let size = ImageSize::new(64, 64);
    let output = out.join(format!("{strategy}-{fault}")).join("output");
    let mut slot = vec![0; size.bytes()];
    files_below(&output)
        .iter()
        .filter(|file| read_png_into(file, size, &mut slot).is_ok())
        .count()
}

/// Run one cell with `workers` workers and check everything a cell promises. `said` must be
/// in its error line; `worker`, when the split is static, is the worker item 37 falls to.
fn cell(strategy: &str, fault: &str, said: &str, worker: Option<&str>, workers: usize) {
    let out = ScratchDir::new(&format!("07-{strategy}-{fault}-{workers}"));
    // Long enough that only the stuck item can miss it, whatever else runs on the machine: an
    // ordinary item takes milliseconds.
    let deadline = if fault == "stuck" { "5000" } else { "10000" };
    let workers = workers.to_string();
    let args = [
        "--strategy",
        strategy,
        "--fault",
        fault,
        "--deadline-ms",
        deadline,
        "--threads",
        &workers,
        "--processes",
        &workers,
    ];
    let output = demo(&args, out.path());
    let whole = whole_images(out.path(), strategy, fault);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let row = stdout
        .lines()
        .find(|l| l.starts_with(strategy) && l.contains(fault))
        .unwrap_or_else(|| panic!("no row in:\n{stdout}"));
    if said.starts_with("n/a") || fault == "none" {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(row.contains(said), "{row}");
        assert!(stderr.is_empty(), "{stderr}");
        let whole_if_run = if said.starts_with("n/a") { 0 } else { 64 };
        assert_eq!(whole, whole_if_run, "{row}");
    } else {
        let line = one_line_failure(&output, 1);
        assert!(line.starts_with(&format!("error: item {ITEM}")), "{line}");
        assert!(line.contains(said), "{said:?} not in: {line}");
        if let Some(worker) = worker {
            assert!(line.contains(&format!("(worker {worker})")), "{line}");
        }
        let tally = line.rsplit_once("(submitted ").expect("a tally").1;
        let numbers: Vec<usize> = tally
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        // Submitted, completed and failed, each checked against something it is not made
        // from: the items asked for, the whole images on disk, and the sum.
        assert_eq!(numbers.len(), 3, "{line}");
        assert_eq!(numbers[0], 64, "{line}");
        assert_eq!(
            numbers[1], whole,
            "completed, but {whole} whole images: {line}"
        );
        assert_eq!(numbers[0], numbers[1] + numbers[2], "{line}");
        assert!(numbers[2] >= 1, "{line}");
    }
    let columns: Vec<&str> = row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let left = if said.starts_with("n/a") { "-" } else { "none" };
    assert!(
        columns[5].starts_with(left),
        "left behind, says the row: {row}"
    );
    nothing_half_written(out.path());
}

const NA: &str = "n/a: a thread cannot die alone";
const NO_FILES: &str = "n/a: chapter 6's workers read no file";
const NO_INPUT: &str = "n/a: chapter 4's workers make their images from noise";
const DONE: &str = "64/64";
const PANIC: &str = "panicked: injected panic at item 37";
const FULL: &str = "No space left on device";
const CORRUPT: &str = "noise-00037.png is not a readable PNG file";

/// One `#[test]` per cell, each with `workers` workers: `name: strategy, fault, what its
/// error line says, its worker`.
macro_rules! cells {
    (workers $workers:literal: $($name:ident: $strategy:literal, $fault:literal, $said:expr, $worker:expr;)*) => {$(
        #[test]
        fn $name() {
            cell($strategy, $fault, $said, $worker, $workers);
        }
    )*};
}

// With 4 workers, 16 items each: item 37 falls to worker 2 where the split is fixed.
cells! { workers 4:
    rayon_none: "rayon", "none", DONE, None;
    rayon_panic: "rayon", "panic", PANIC, None;
    rayon_kill: "rayon", "kill", NA, None;
    rayon_abort: "rayon", "abort", NA, None;
    rayon_stuck: "rayon", "stuck", "stuck: no item finished", None;
    rayon_disk_full: "rayon", "disk-full", FULL, None;
    rayon_corrupt_input: "rayon", "corrupt-input", CORRUPT, None;

    scoped_none: "scoped", "none", DONE, None;
    scoped_panic: "scoped", "panic", PANIC, Some("2");
    scoped_kill: "scoped", "kill", NA, None;
    scoped_abort: "scoped", "abort", NA, None;
    scoped_stuck: "scoped", "stuck", "stuck: no item finished", Some("2");
    scoped_disk_full: "scoped", "disk-full", FULL, Some("2");
    scoped_corrupt_input: "scoped", "corrupt-input", CORRUPT, Some("2");

    queue_none: "queue", "none", DONE, None;
    queue_panic: "queue", "panic", PANIC, None;
    queue_kill: "queue", "kill", NA, None;
    queue_abort: "queue", "abort", NA, None;
    queue_stuck: "queue", "stuck", "lost: no result came back", None;
    queue_disk_full: "queue", "disk-full", FULL, None;
    queue_corrupt_input: "queue", "corrupt-input", CORRUPT, None;

    one_shot_none: "one-shot", "none", DONE, None;
    one_shot_panic: "one-shot", "panic", "failed: exit status: 101", Some("2");
    one_shot_kill: "one-shot", "kill", "signal: 9 (SIGKILL)", Some("2");
    one_shot_abort: "one-shot", "abort", "signal: 6 (SIGABRT)", Some("2");
    one_shot_stuck: "one-shot", "stuck", "did not finish within 5 s; killed", Some("2");
    // Chapter 4's parent reads only the exit status: the child's own error line is lost.
    one_shot_disk_full: "one-shot", "disk-full", "failed: exit status: 1", Some("2");
    one_shot_corrupt_input: "one-shot", "corrupt-input", NO_INPUT, None;

    pool_none: "pool", "none", DONE, None;
    pool_panic: "pool", "panic", "died while making image 37: exit status: 101", None;
    pool_kill: "pool", "kill", "signal: 9 (SIGKILL)", None;
    pool_abort: "pool", "abort", "signal: 6 (SIGABRT)", None;
    pool_stuck: "pool", "stuck", "did not answer within 5 s while making image 37; killed", None;
    pool_disk_full: "pool", "disk-full", FULL, None;
    pool_corrupt_input: "pool", "corrupt-input", NO_INPUT, None;

    shared_memory_none: "shared-memory", "none", DONE, None;
    shared_memory_panic: "shared-memory", "panic", "exit code 101: thread 'main'", Some("2");
    shared_memory_kill: "shared-memory", "kill", "killed by signal 9", Some("2");
    shared_memory_abort: "shared-memory", "abort", "killed by signal 6", Some("2");
    shared_memory_stuck: "shared-memory", "stuck", "did not finish within 5 s; killed", Some("2");
    shared_memory_disk_full: "shared-memory", "disk-full", NO_FILES, None;
    shared_memory_corrupt_input: "shared-memory", "corrupt-input", NO_FILES, None;
}

// One worker: a stuck item holds up everything after it. The queue gives up with items 38 to
// 63 still unsent, the pool loses its only worker, a one-shot child or a shared-memory worker
// its whole share; each of those items must still be in the count, as not done.
cells! { workers 1:
    rayon_stuck_1_worker: "rayon", "stuck", "stuck: no item finished", None;
    scoped_stuck_1_worker: "scoped", "stuck", "stuck: no item finished", Some("0");
    queue_stuck_1_worker: "queue", "stuck", "lost: no result came back", None;
    one_shot_stuck_1_worker: "one-shot", "stuck", "did not finish within 5 s", Some("0");
    pool_stuck_1_worker: "pool", "stuck", "did not answer within 5 s", None;
    shared_memory_stuck_1_worker: "shared-memory", "stuck", "did not finish within 5 s", Some("0");
}

// More workers than cores, and shares that do not divide evenly: 9 workers of 64 items get
// 7 or 8 each (`shares` gives worker w the items 64w/9 to 64(w+1)/9), and item 37 falls to
// worker 5, whose share is 35..42.
cells! { workers 9:
    rayon_panic_9_workers: "rayon", "panic", PANIC, None;
    scoped_panic_9_workers: "scoped", "panic", PANIC, Some("5");
    queue_panic_9_workers: "queue", "panic", PANIC, None;
    one_shot_kill_9_workers: "one-shot", "kill", "signal: 9 (SIGKILL)", Some("5");
    pool_abort_9_workers: "pool", "abort", "signal: 6 (SIGABRT)", None;
    // Chapter 6 cuts rows into bands of ceil(64 / 9) = 8: row 37 is worker 4's.
    shared_memory_kill_9_workers: "shared-memory", "kill", "killed by signal 9", Some("4");
}

/// The cell that once lost 25 items from its count: one worker stuck at item 37, item 38
/// waiting in the queue, item 39 being offered (counted as taken), and 24 never taken when the
/// queue gives up.
#[test]
fn the_queue_counts_the_items_it_never_sent() {
    let out = ScratchDir::new("07-queue-unsent");
    let args = ["--strategy", "queue", "--fault", "stuck", "--threads", "1"];
    let output = demo(
        &[&args[..], &["--deadline-ms", "5000"]].concat(),
        out.path(),
    );
    let line = one_line_failure(&output, 1);
    assert!(
        line.ends_with("(submitted 64 = completed 37 + failed 27)"),
        "{line}"
    );
    assert_eq!(whole_images(out.path(), "queue", "stuck"), 37);
}
