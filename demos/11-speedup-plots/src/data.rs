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
    let mut out = line(HEADER.map(String::from));
    for (workload, points) in series {
        for point in points {
            let row = |run: String, seconds: String, status: String, cpu: Option<Duration>| {
                let (w, s) = (workload.clone(), point.strategy.clone());
                let cpu = cpu.map_or(String::new(), |c| secs(c.as_secs_f64()));
                line([w, s, point.workers.to_string(), run, seconds, status, cpu])
            };
            let Some(timing) = point.timing() else {
                let why = point.failure.as_deref().unwrap_or("no runs");
                out += &row(
                    "median".into(),
                    String::new(),
                    format!("failed: {why}"),
                    None,
                );
                continue;
            };
            let cpu = point.cpu_timing();
            for (run, time) in point.runs.iter().enumerate() {
                let used = cpu.as_ref().and(point.cpu.get(run).copied());
                out += &row(
                    (run + 1).to_string(),
                    secs(time.as_secs_f64()),
                    "ok".into(),
                    used,
                );
            }
            let summaries: [(&str, Pick); 3] = [
                ("median", Timing::median),
                ("min", Timing::min),
                ("max", Timing::max),
            ];
            for (name, pick) in summaries {
                let used = cpu.as_ref().map(pick);
                out += &row(
                    name.into(),
                    secs(pick(&timing).as_secs_f64()),
                    "ok".into(),
                    used,
                );
            }
        }
    }
    out
}

/// One of a timing's summaries: median, min or max.
type Pick = fn(&Timing) -> Duration;

fn secs(s: f64) -> String {
    format!("{s:.9}")
}

/// One CSV line; a field with a comma, a quote or a line break is quoted.
fn line<const N: usize>(fields: [String; N]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    quoted.join(",") + "\n"
}

/// Split CSV text back into rows of fields (quoted fields as written by [`csv`]).
pub fn parse(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    rows
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
