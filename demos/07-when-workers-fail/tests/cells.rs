//! Every cell of the matrix through the real binary, each its own test with a hard time limit:
//! it ends, names item K (and its worker where that is fixed), exits 1 when the run failed,
//! accounts for every item, and leaves no temporary or half-written file, no shared file and
//! no process behind.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use workload::testing::{ScratchDir, files_below, one_line_failure, processes_with_env};
use workload::{ImageSize, read_png_into};

/// Every process the demo starts inherits this variable, so the test can look for them later.
const MARKER: &str = "WORKBOOK_07_TEST_MARKER";
/// The longest a cell may take before the test calls it hung.
const LIMIT: Duration = Duration::from_secs(20);
const ITEM: &str = "37";

/// Run the demo; kill it and fail if it runs past `LIMIT`. Returns its output and its pid.
fn demo(args: &[&str], out: &Path) -> (Output, u32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_07-when-workers-fail"))
        .args(["--out", out.to_str().unwrap(), "--item", ITEM])
        .args(args)
        .env(MARKER, out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (pid, start) = (child.id(), Instant::now());
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > LIMIT {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("the demo hung with {args:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let output = child.wait_with_output().unwrap();
    let left = processes_with_env(MARKER, out.to_str().unwrap());
    assert_eq!(left, [0u32; 0], "processes left behind");
    (output, pid)
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

/// No shared file of process `pid` left in /dev/shm.
fn no_shared_file(pid: u32) {
    let ours = format!("workbook-06-{pid}-");
    for file in files_below(&shared_array_fill::default_map_dir()) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.starts_with(&ours), "left behind: {}", file.display());
    }
}

/// Run one cell and check everything a cell promises. `said` must be in its error line;
/// `worker`, when the split is static, is the worker item 37 falls to (4 workers of 16).
fn cell(strategy: &str, fault: &str, said: &str, worker: Option<&str>) {
    let out = ScratchDir::new(&format!("07-{strategy}-{fault}"));
    let deadline = if fault == "stuck" { "2000" } else { "10000" };
    let args = [
        "--strategy",
        strategy,
        "--fault",
        fault,
        "--deadline-ms",
        deadline,
    ];
    let (output, pid) = demo(&args, out.path());
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
        assert_eq!(numbers.len(), 3, "{line}");
        assert_eq!(numbers[0], 64, "{line}");
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
    no_shared_file(pid);
}

const NA: &str = "n/a: a thread cannot die alone";
const DONE: &str = "64/64";
const PANIC: &str = "panicked: injected panic at item 37";
const FULL: &str = "No space left on device";
const CORRUPT: &str = "noise-00037.png is not a readable PNG file";

/// One `#[test]` per cell: `name: strategy, fault, what its error line says, its worker`.
macro_rules! cells {
    ($($name:ident: $strategy:literal, $fault:literal, $said:expr, $worker:expr;)*) => {$(
        #[test]
        fn $name() {
            cell($strategy, $fault, $said, $worker);
        }
    )*};
}

cells! {
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
    one_shot_panic: "one-shot", "panic", PANIC, Some("2");
    one_shot_kill: "one-shot", "kill", "signal: 9 (SIGKILL)", Some("2");
    one_shot_abort: "one-shot", "abort", "signal: 6 (SIGABRT)", Some("2");
    one_shot_stuck: "one-shot", "stuck", "stuck: silent for 2.00 s, killed", Some("2");
    one_shot_disk_full: "one-shot", "disk-full", FULL, Some("2");
    one_shot_corrupt_input: "one-shot", "corrupt-input", CORRUPT, Some("2");

    pool_none: "pool", "none", DONE, None;
    pool_panic: "pool", "panic", PANIC, None;
    pool_kill: "pool", "kill", "signal: 9 (SIGKILL)", None;
    pool_abort: "pool", "abort", "signal: 6 (SIGABRT)", None;
    pool_stuck: "pool", "stuck", "stuck: silent for 2.00 s, killed", None;
    pool_disk_full: "pool", "disk-full", FULL, None;
    pool_corrupt_input: "pool", "corrupt-input", CORRUPT, None;

    shared_memory_none: "shared-memory", "none", DONE, None;
    shared_memory_panic: "shared-memory", "panic", PANIC, Some("2");
    shared_memory_kill: "shared-memory", "kill", "signal: 9 (SIGKILL)", Some("2");
    shared_memory_abort: "shared-memory", "abort", "signal: 6 (SIGABRT)", Some("2");
    shared_memory_stuck: "shared-memory", "stuck", "stuck: silent for 2.00 s, killed", Some("2");
    shared_memory_disk_full: "shared-memory", "disk-full", FULL, None;
    shared_memory_corrupt_input: "shared-memory", "corrupt-input", CORRUPT, Some("2");
}
