//! The sweep's numbers as CSV: one row per measured run and three summary rows (median, min,
//! max) per point; a failed point has one row whose status says why.

use std::time::Duration;

use harness::report::Timing;

use crate::measure::Point;

pub const HEADER: [&str; 7] = [
    "workload",
    "strategy",
    "workers",
    "run",
    "seconds",
    "status",
    "cpu_seconds",
];

/// The points of every workload (`(workload, points)`) as CSV text.
pub fn csv(series: &[(String, Vec<Point>)]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut write = |fields: [&str; 7]| out.write_record(fields).expect("writes to memory");
    write(HEADER);
    for (workload, points) in series {
        for point in points {
            let workers = point.workers.to_string();
            let mut row =
                |run: &str, seconds: Option<Duration>, status: &str, cpu: Option<Duration>| {
                    let (seconds, cpu) = (secs(seconds), secs(cpu));
                    write([
                        workload,
                        &point.strategy,
                        &workers,
                        run,
                        &seconds,
                        status,
                        &cpu,
                    ]);
                };
            let Some(timing) = point.timing() else {
                let why = point.failure.as_deref().unwrap_or("no runs");
                row("median", None, &format!("failed: {why}"), None);
                continue;
            };
            let cpu = point.cpu_timing();
            for (run, &time) in point.runs.iter().enumerate() {
                let used = cpu.as_ref().and(point.cpu.get(run).copied());
                row(&(run + 1).to_string(), Some(time), "ok", used);
            }
            let summaries: [(&str, Pick); 3] = [
                ("median", Timing::median),
                ("min", Timing::min),
                ("max", Timing::max),
            ];
            for (name, pick) in summaries {
                row(name, Some(pick(&timing)), "ok", cpu.as_ref().map(pick));
            }
        }
    }
    let bytes = out.into_inner().expect("writes to memory");
    String::from_utf8(bytes).expect("every field is text")
}

/// One of a timing's summaries: median, min or max.
type Pick = fn(&Timing) -> Duration;

/// Seconds to the nanosecond; empty where there is no time.
fn secs(time: Option<Duration>) -> String {
    time.map_or(String::new(), |t| format!("{:.9}", t.as_secs_f64()))
}

/// Split CSV text back into rows of fields.
pub fn parse(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let records = reader.records().map(|record| record.expect("CSV text"));
    records
        .map(|record| record.iter().map(str::to_owned).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_every_column_and_failures_say_why() {
        let ok = Point {
            strategy: "a, quoted \"one\"".into(),
            workers: 2,
            runs: vec![Duration::from_millis(3), Duration::from_millis(1)],
            cpu: vec![Duration::from_millis(6), Duration::from_millis(2)],
            failure: None,
        };
        let failed = Point {
            strategy: "b".into(),
            workers: 3,
            runs: Vec::new(),
            failure: Some("boom, with a comma\nand a line".into()),
            ..Point::default()
        };
        let rows = parse(&csv(&[("w".into(), vec![ok, failed])]));
        assert_eq!(rows[0], HEADER);
        assert_eq!(rows.len(), 1 + 2 + 3 + 1);
        assert!(rows.iter().all(|r| r.len() == HEADER.len()), "{rows:?}");
        assert_eq!(rows[1][1], "a, quoted \"one\"");
        assert_eq!(rows[3][3..5], ["median", "0.003000000"]);
        assert_eq!(
            (rows[1][6].as_str(), rows[3][6].as_str()),
            ("0.006000000", "0.006000000")
        );
        assert_eq!(rows[6][4], "");
        assert_eq!(rows[6][5], "failed: boom, with a comma\nand a line");
    }
}
