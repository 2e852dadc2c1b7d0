//! `--timeline FILE`: each cell's run on the chart under the name its row has, every item on
//! it once where its workers live to report; a faulted cell's trace is still whole.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use testkit::{ScratchDir, check_timeline, exited_within};

/// The longest a run may take before the test calls it hung.
const LIMIT: Duration = Duration::from_secs(60);

/// Run the demo with `--timeline` into `out`; its exit code and the trace's path.
fn recorded(args: &[&str], out: &ScratchDir) -> (Option<i32>, PathBuf) {
    let trace = out.join("timeline.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"))
        .args(["--out", out.path().to_str().unwrap()])
        .args(["--timeline", trace.to_str().unwrap()])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(exited_within(&mut child, LIMIT), "hung with {args:?}");
    (child.wait().unwrap().code(), trace)
}

/// The names of the runs in `trace`, read back as JSON.
fn runs_in(trace: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(trace).unwrap();
    let trace: serde_json::Value = serde_json::from_str(&text).expect("the trace is JSON");
    let events = trace["traceEvents"]
        .as_array()
        .expect("a traceEvents array");
    let names = events.iter().filter(|e| e["name"] == "process_name");
    names
        .filter_map(|e| Some(e["args"]["name"].as_str()?.to_owned()))
        .collect()
}

#[test]
fn one_healthy_cell_shows_every_item_once_under_its_name() {
    let out = ScratchDir::new("07-timeline-one");
    let args = [
        "--strategy",
        "rayon",
        "--fault",
        "none",
        "--count",
        "6",
        "--item",
        "0",
    ];
    let (code, trace) = recorded(&args, &out);
    assert_eq!(code, Some(0));
    assert_eq!(
        check_timeline(&trace, "rayon under none", 6),
        ["rayon under none"]
    );
    assert!(out.join("timeline.svg").is_file(), "the chart beside it");
}

#[test]
fn a_matrix_has_a_run_per_cell_and_the_check_after_it_is_no_item() {
    let out = ScratchDir::new("07-timeline-matrix");
    let (code, trace) = recorded(&["--fault", "none", "--count", "5", "--item", "0"], &out);
    assert_eq!(code, Some(0));
    // The process strategies' check reads every output back: counted, it would draw each
    // item twice. The pool's run is there too; its workers report as the pool closes.
    for strategy in ["rayon", "scoped", "queue", "one-shot", "shared-memory"] {
        let name = format!("{strategy} under none");
        assert_eq!(check_timeline(&trace, &name, 5), [name]);
    }
    assert!(runs_in(&trace).contains(&"pool under none".to_owned()));
}

#[test]
fn a_faulted_cell_still_writes_a_whole_trace() {
    let out = ScratchDir::new("07-timeline-faults");
    let small = ["--count", "6", "--item", "2", "--deadline-ms", "10000"];
    // A panic on a thread: the item's bar ends where it struck, the others go on.
    let args = [&small[..], &["--strategy", "rayon", "--fault", "panic"]].concat();
    let (code, trace) = recorded(&args, &out);
    assert_eq!(code, Some(1));
    assert_eq!(
        check_timeline(&trace, "rayon under panic", 6),
        ["rayon under panic"]
    );
    // A killed child leaves no spans, and the others are stopped with it: the trace is
    // still whole, with the run in it.
    let args = [&small[..], &["--strategy", "one-shot", "--fault", "kill"]].concat();
    let (code, trace) = recorded(&args, &out);
    assert_eq!(code, Some(1));
    assert_eq!(runs_in(&trace), ["one-shot under kill"]);
}

#[test]
fn a_timeline_at_a_fifo_a_link_or_a_folder_is_refused_before_any_work() {
    testkit::check_timeline_targets(|out| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_10-when-workers-fail"));
        demo.args(["--count", "3", "--fault", "none", "--strategy", "rayon"])
            .arg("--out")
            .arg(out);
        demo
    });
}
