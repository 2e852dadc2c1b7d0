//! Helpers the demos' tests share (a dev-dependency only): scratch folders and checks on how a binary failed.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod tmpfs;
pub use tmpfs::SmallTmpfs;

/// A fresh empty folder under the system's temporary directory (a `tempfile` folder named
/// `workbook-<label>-...`), removed when dropped.
pub struct ScratchDir(tempfile::TempDir);

impl ScratchDir {
    pub fn new(label: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("workbook-{label}-"))
            .tempdir()
            .expect("can create a scratch folder");
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    pub fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.0.path().join(name)
    }
}

/// A fixed amount of computing, a fraction of a second on a laptop, for a test that needs
/// CPU time used: a loaded machine makes it take longer, never use less CPU.
pub fn burn_cpu() -> u64 {
    (0..20_000_000u64).fold(0, |sum, i| std::hint::black_box(sum ^ i.wrapping_mul(31)))
}

/// Assert that a binary failed with `code` and said why in exactly one `error: ` line on
/// stderr; returns that line.
pub fn one_line_failure(output: &Output, code: i32) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one error line, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    lines[0].to_owned()
}

/// Check `done` every 10 ms for up to `limit`; whether it came true. Tests wait with it for
/// what a process does, so that a hang fails the test instead of stalling it.
pub fn within(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if done() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Wait up to `limit` for `child` to exit; if it has not, kill and reap it. Whether it
/// exited by itself.
pub fn exited_within(child: &mut Child, limit: Duration) -> bool {
    let exited = within(limit, || child.try_wait().unwrap().is_some());
    if !exited {
        let _ = child.kill();
        let _ = child.wait();
    }
    exited
}

/// Every file below `dir`, recursively, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_below(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Processes still alive (zombies included) whose environment holds `name=value`. A test gives
/// the binary it runs a marker variable of its own, which every process it starts inherits;
/// afterwards, this finds any that were left behind.
pub fn processes_with_env(name: &str, value: &str) -> Vec<u32> {
    let Ok(all) = procfs::process::all_processes() else {
        return Vec::new(); // no /proc: nothing to look in
    };
    let carries = |process: &procfs::process::Process| {
        let environ = process.environ().unwrap_or_default();
        environ
            .get(std::ffi::OsStr::new(name))
            .is_some_and(|v| v == value)
    };
    all.flatten()
        .filter(carries)
        .filter_map(|process| u32::try_from(process.pid).ok())
        .collect()
}

/// Run a demo twice: with its standard output already closed by the reader, as `| head -1`
/// leaves it, and writing into a full device (`> /dev/full`). The first must end quietly (exit
/// code 0, or 141 as for SIGPIPE, and nothing on stderr), the second with one error line and
/// exit code 1; neither may panic.
pub fn assert_survives_closed_and_full_stdout(mut demo: impl FnMut() -> Command) {
    let (reader, writer) = std::io::pipe().expect("can make a pipe");
    drop(reader);
    let closed = demo()
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("the demo starts");
    let stderr = String::from_utf8_lossy(&closed.stderr);
    assert!(
        matches!(closed.status.code(), Some(0 | 141)) && stderr.is_empty(),
        "closed stdout: {:?}, stderr: {stderr}",
        closed.status
    );
    let Ok(full) = std::fs::File::create("/dev/full") else {
        return; // not Linux: no /dev/full to try
    };
    let full = demo()
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("the demo starts");
    let line = one_line_failure(&full, 1);
    assert!(line.contains("standard output"), "{line}");
}

/// The arguments of every `cargo run --release --bin BIN -- ARGS` line of the pages (paths
/// from the repository root), for a demo's test that runs what its chapter shows.
pub fn commands_in(bin: &str, pages: &[&str]) -> Vec<Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let prefix = format!("cargo run --release --bin {bin}");
    let mut commands = Vec::new();
    for page in pages {
        let path = root.join(page);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for rest in text.lines().filter_map(|l| l.trim().strip_prefix(&prefix)) {
            let args = rest.trim().strip_prefix("--").unwrap_or("");
            commands.push(args.split_whitespace().map(str::to_owned).collect());
        }
    }
    commands
}

/// How many processes other than `parent` carry the variable `name=value`: the workers a demo
/// started, which inherit it.
pub fn workers_of(parent: u32, name: &str, value: &str) -> usize {
    processes_with_env(name, value)
        .into_iter()
        .filter(|&pid| pid != parent)
        .count()
}

/// Send `signal` (`INT`, `TERM` or `KILL`) to the running demo `child` and check how it ended:
/// within a minute; with one line saying "interrupted" (130) or "terminated" (143), or killed
/// with no exit code; and with `workers()` down to 0 within ten seconds.
pub fn stop_with(mut child: Child, signal: &str, workers: impl Fn() -> usize) {
    let kill = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status();
    assert!(kill.unwrap().success());
    assert!(
        exited_within(&mut child, Duration::from_secs(60)),
        "{signal}: the demo hung"
    );
    let output = child.wait_with_output().unwrap();
    match signal {
        "INT" => assert_eq!(one_line_failure(&output, 130), "error: interrupted"),
        "TERM" => assert_eq!(one_line_failure(&output, 143), "error: terminated"),
        _ => assert_eq!(output.status.code(), None, "{signal}"),
    }
    // Reaped by the parent's guards, or killed by the kernel with their parent.
    assert!(
        within(Duration::from_secs(10), || workers() == 0),
        "{signal}: left behind"
    );
}

/// Read a `--timeline` trace back with serde_json as the trace event format, and check each
/// recorded run (one trace process each, named "table: strategy") whose name contains `table`:
/// its item events cover items `0..items` exactly once, and lie inside the run's own event
/// (thread 0). Returns the names of the runs checked.
pub fn check_timeline(trace: &Path, table: &str, items: usize) -> Vec<String> {
    let text = std::fs::read_to_string(trace).unwrap();
    let trace: serde_json::Value = serde_json::from_str(&text).expect("the trace is JSON");
    let events = trace["traceEvents"]
        .as_array()
        .expect("a traceEvents array");
    let named = |pid: &serde_json::Value| {
        events
            .iter()
            .find(|e| e["ph"] == "M" && e["name"] == "process_name" && &e["pid"] == pid)
            .and_then(|e| e["args"]["name"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let mut checked = Vec::new();
    for run in events.iter().filter(|e| e["ph"] == "X" && e["tid"] == 0) {
        let name = named(&run["pid"]);
        if !name.contains(table) {
            continue;
        }
        let (start, dur) = (run["ts"].as_f64().unwrap(), run["dur"].as_f64().unwrap());
        let mut seen = vec![0; items];
        for item in events
            .iter()
            .filter(|e| e["ph"] == "X" && e["pid"] == run["pid"] && e["tid"] != 0)
        {
            let (ts, d) = (item["ts"].as_f64().unwrap(), item["dur"].as_f64().unwrap());
            assert!(
                d >= 0.0 && ts >= start && ts + d <= start + dur,
                "{name}: {item} outside {run}"
            );
            let index = item["args"]["item"].as_u64().unwrap() as usize;
            assert!(index < items, "{name}: item {index} of {items}");
            seen[index] += 1;
        }
        assert!(seen.iter().all(|&n| n == 1), "{name}: items seen {seen:?}");
        checked.push(name);
    }
    checked
}

/// Check `--timeline` against hostile targets the test makes itself: a FIFO, and symbolic links
/// (for the trace, and for the chart beside it) to a file outside. Each is refused with one
/// line and exit code 2 before any work (the `--out` folder `demo` is given is never made) and
/// the file outside is untouched. A new name in folders that do not exist yet is written,
/// folders and all. `demo(out)` is the demo's command for a small run into `out`.
pub fn check_timeline_targets(demo: impl Fn(&Path) -> Command) {
    let scratch = ScratchDir::new("timeline-targets");
    let outside = scratch.join("outside.json");
    std::fs::write(&outside, "keep").unwrap();
    let fifo = scratch.join("fifo.json");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success(), "mkfifo");
    let link = scratch.join("link.json");
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    let chart_link = scratch.join("chart.svg");
    std::os::unix::fs::symlink(&outside, &chart_link).unwrap();
    let out = scratch.join("out");
    for (target, why) in [
        (&fifo, "FIFO"),
        (&link, "symbolic link"),
        (&scratch.join("chart.json"), "symbolic link"),
        (&scratch.path().to_owned(), "folder"),
        (&outside.join("t.json"), "Not a directory"),
    ] {
        let output = demo(&out).arg("--timeline").arg(target).output().unwrap();
        let line = one_line_failure(&output, 2);
        assert!(line.contains("--timeline") && line.contains(why), "{line}");
        assert!(!out.exists(), "{}: work began", target.display());
    }
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
    let fresh = scratch.join("new folder/ünïcode/trace.json");
    let output = demo(&out).arg("--timeline").arg(&fresh).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(fresh.is_file() && fresh.with_extension("svg").is_file());
}

/// Start `first`, a long run into an output folder, wait until `started()` says it is writing
/// there, then run `second` into the same folder: it must be refused with one line saying the
/// folder is in use, and exit code `code` (1, or 2 where the demo counts an unusable `--out` a
/// bad argument). The first run is killed afterwards.
pub fn check_second_run_is_refused(
    mut first: Command,
    started: impl Fn() -> bool,
    mut second: Command,
    code: i32,
) {
    let mut running = first
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the first run starts");
    let began = within(Duration::from_secs(60), started);
    let refused = second.output().expect("the second run starts");
    let _ = running.kill();
    let _ = running.wait();
    assert!(began, "the first run did not start writing");
    let line = one_line_failure(&refused, code);
    assert!(line.contains("another run is writing into it"), "{line}");
}
