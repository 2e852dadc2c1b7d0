//! The Chrome trace event format of a timeline, for ui.perfetto.dev and chrome://tracing.

use serde_json::json;

use super::Run;

/// The trace event format: one process per run, one thread per worker (thread 0 is the whole
/// run), one complete ("X") event per item; times in microseconds from the first run's start.
pub fn trace(runs: &[Run]) -> serde_json::Value {
    let origin = runs.first().map_or(0, |r| r.start);
    let us = |ns: u64| ns.saturating_sub(origin) as f64 / 1e3;
    let mut events = Vec::new();
    for (pid, run) in (1..).zip(runs) {
        let name = |tid, name: &str| json!({"ph": "M", "name": "thread_name", "pid": pid, "tid": tid, "args": {"name": name}});
        events.push(
            json!({"ph": "M", "name": "process_name", "pid": pid, "args": {"name": run.name}}),
        );
        events.push(name(0, "run"));
        events.push(json!({"ph": "X", "name": run.name, "pid": pid, "tid": 0,
            "ts": us(run.start), "dur": us(run.end) - us(run.start)}));
        for (tid, worker) in (1..).zip(&run.recorded.workers) {
            events.push(name(tid, worker));
        }
        for span in &run.recorded.spans {
            events.push(
                json!({"ph": "X", "name": format!("item {}", span.index()), "pid": pid,
                "tid": span.worker + 1, "ts": us(span.start), "dur": us(span.end) - us(span.start),
                "args": {"item": span.index(), "stolen": span.stolen()}}),
            );
        }
    }
    json!({"traceEvents": events, "displayTimeUnit": "ms"})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_has_one_complete_event_per_item_and_one_per_run() {
        let trace = trace(&[super::super::sample_run()]);
        let events = trace["traceEvents"].as_array().unwrap();
        let complete: Vec<_> = events.iter().filter(|e| e["ph"] == "X").collect();
        assert_eq!(complete.len(), 3);
        assert_eq!(complete[1]["tid"], 1);
        assert_eq!(complete[2]["ts"], 1.0);
        assert_eq!(complete[2]["dur"], 7.0);
    }
}
