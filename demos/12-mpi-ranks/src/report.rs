//! The ping-pong table and its chart: for each message size, the one-way time (half a round
//! trip) and the bandwidth through MPI and through a pipe, measured in the same run.
#![forbid(unsafe_code)]

use std::path::Path;
use std::time::Duration;

use harness::report::{rate, seconds};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use plotters::prelude::*;

use crate::pingpong::{PipeEcho, mpi_round_trip, sizes};
use crate::settings::{Settings, chart_path};
use crate::threads::alone_on_root;

/// One message size: the one-way times through MPI and through the pipe.
#[derive(Clone, Copy, Debug)]
pub struct Trip {
    pub bytes: usize,
    pub mpi: Duration,
    pub pipe: Duration,
}

/// Measure every size both ways, print the table and draw the chart (on rank 0).
pub fn pingpong(world: &SimpleCommunicator, settings: &Settings) -> anyhow::Result<()> {
    if world.size() < 2 {
        if world.rank() == 0 {
            harness::outln!(
                "ping-pong: skipped, it needs 2 ranks (run it with mpirun -np 2 or more)\n"
            )?;
        }
        return Ok(());
    }
    let sizes = sizes(settings.largest);
    let mut echo = alone_on_root(world, || PipeEcho::start(&settings.exe)).transpose()?;
    let mut trips = Vec::new();
    for &(bytes, count) in &sizes {
        world.barrier();
        let mpi = mpi_round_trip(world, bytes, count);
        let pipe = alone_on_root(world, || echo.as_mut().map(|e| e.round_trip(bytes, count)));
        if let (Some(mpi), Some(Some(pipe))) = (mpi, pipe) {
            trips.push(Trip {
                bytes,
                mpi: mpi / 2,
                pipe: pipe? / 2,
            });
        }
    }
    if let Some(echo) = echo {
        echo.stop()?;
        let table = table(&trips);
        let chart = chart_path(&settings.out);
        std::fs::create_dir_all(&settings.out)?;
        draw(&chart, &trips)?;
        harness::outln!("{table}chart: {}\n", harness::cli::shown(&chart))?;
    }
    Ok(())
}

/// The table: one line per size.
pub fn table(trips: &[Trip]) -> String {
    let mut text = String::from(
        "ping-pong, rank 0 <-> rank 1 (MPI) and parent <-> child process (pipes, chapter 4); fastest of many round trips, halved\n",
    );
    text += &format!(
        "{:>9}  {:>9}  {:>10}  {:>9}  {:>10}  {:>9}\n",
        "message", "MPI", "MPI B/s", "pipe", "pipe B/s", "pipe/MPI"
    );
    for t in trips {
        let per_second = |d: Duration| rate(t.bytes as f64 / d.as_secs_f64());
        text += &format!(
            "{:>9}  {:>9}  {:>10}  {:>9}  {:>10}  {:>8.1}x\n",
            bytes(t.bytes),
            one_way(t.mpi),
            per_second(t.mpi),
            one_way(t.pipe),
            per_second(t.pipe),
            t.pipe.as_secs_f64() / t.mpi.as_secs_f64()
        );
    }
    text
}

/// A message size that reads at a glance: `8 B`, `4 KiB`, `64 MiB`.
pub fn bytes(n: usize) -> String {
    match n.trailing_zeros() {
        20.. => format!("{} MiB", n >> 20),
        10.. => format!("{} KiB", n >> 10),
        _ => format!("{n} B"),
    }
}

/// A one-way time: tenths of a microsecond matter for small messages.
fn one_way(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{:.2} us", d.as_secs_f64() * 1e6)
    } else {
        seconds(d)
    }
}

/// Two log-log panels: one-way time and bandwidth against the message size.
pub fn draw(path: &Path, trips: &[Trip]) -> anyhow::Result<()> {
    let mut svg = String::new();
    draw_into(&mut svg, trips)
        .map_err(|e| anyhow::anyhow!("cannot draw {}: {e}", path.display()))?;
    workload::write_whole(path, svg.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// A line on the chart: its label, its colour and which time of a trip it draws.
type Way = (&'static str, RGBColor, fn(&Trip) -> Duration);

type DrawResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

fn draw_into(svg: &mut String, trips: &[Trip]) -> DrawResult {
    let root = SVGBackend::with_string(svg, (960, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let stamp = harness::machine::Machine::current().to_string();
    let (body, foot) = root.split_vertically(394);
    foot.draw_text(
        &stamp,
        &("sans-serif", 13).into_font().color(&BLACK.mix(0.6)),
        (10, 6),
    )?;
    let panels = body.split_evenly((1, 2));
    let x = (4.0..(trips.iter().map(|t| t.bytes).max().unwrap_or(8) as f64) * 2.0).log_scale();
    let one_way = |d: Duration| d.as_secs_f64() * 1e6;
    let bandwidth = |t: &Trip, d: Duration| t.bytes as f64 / d.as_secs_f64() / 1e9;
    let ways: [Way; 2] = [
        ("MPI (shared memory)", RGBColor(31, 119, 180), |t| t.mpi),
        ("pipe (chapter 4)", RGBColor(255, 127, 14), |t| t.pipe),
    ];
    let y_time = span(trips.iter().flat_map(|t| [one_way(t.mpi), one_way(t.pipe)]));
    let y_rate = span(
        trips
            .iter()
            .flat_map(|t| [bandwidth(t, t.mpi), bandwidth(t, t.pipe)]),
    );
    for (panel, (caption, y_desc, y, time)) in panels.iter().zip([
        ("one-way time", "microseconds (log)", y_time, true),
        ("bandwidth", "GB/s (log)", y_rate, false),
    ]) {
        let mut chart = ChartBuilder::on(panel)
            .caption(caption, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(x.clone(), y.log_scale())?;
        chart
            .configure_mesh()
            .x_desc("message bytes (log)")
            .y_desc(y_desc)
            .x_label_formatter(&|&x| tick(x, "B"))
            .y_label_formatter(&|&y| format!("{y}"))
            .draw()?;
        for (label, color, get) in ways {
            let value = |t: &Trip| {
                if time {
                    one_way(get(t))
                } else {
                    bandwidth(t, get(t))
                }
            };
            let points: Vec<(f64, f64)> =
                trips.iter().map(|t| (t.bytes as f64, value(t))).collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2))
                });
            chart.draw_series(
                points
                    .into_iter()
                    .map(|p| Circle::new(p, 3, color.filled())),
            )?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
    }
    root.present()?;
    Ok(())
}

/// An axis label without a row of zeros: `100 B`, `10 kB`, `1 MB`.
fn tick(value: f64, unit: &str) -> String {
    match value {
        v if v >= 1e6 => format!("{} M{unit}", v / 1e6),
        v if v >= 1e3 => format!("{} k{unit}", v / 1e3),
        v => format!("{v} {unit}"),
    }
}

/// A log axis range around every value, a little wider than they go.
fn span(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = values.fold((f64::MAX, f64::MIN_POSITIVE), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    (lo.min(hi) / 2.0).max(1e-6)..hi * 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_and_the_chart_show_every_size() {
        let trips: Vec<Trip> = [8usize, 1 << 20]
            .iter()
            .map(|&bytes| Trip {
                bytes,
                mpi: Duration::from_micros(1 + bytes as u64 / 5000),
                pipe: Duration::from_micros(5 + bytes as u64 / 2000),
            })
            .collect();
        let text = table(&trips);
        assert!(text.contains("1 MiB") && text.contains("5.0x"), "{text}");
        assert_eq!(
            [bytes(8), bytes(4096), bytes(64 << 20), bytes(1000)],
            ["8 B", "4 KiB", "64 MiB", "1000 B"]
        );
        let dir = testkit::ScratchDir::new("pingpong-chart");
        let path = dir.join("pingpong.svg");
        draw(&path, &trips).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.contains("pipe (chapter 4)") && svg.contains("bandwidth"));
        assert_eq!(
            [tick(100.0, "B"), tick(1e4, "B"), tick(1e8, "B")],
            ["100 B", "10 kB", "100 MB"]
        );
    }
}
