//! The chart: each strategy's wall time and peak memory against the number of requests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use plotters::prelude::*;

use crate::tables::{NAMES, Point};

const COLORS: [RGBColor; 5] = [
    RGBColor(120, 120, 120),
    RGBColor(214, 39, 40),
    RGBColor(255, 127, 14),
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
];

type Drawn = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// Draw `points` into `dir/costs.svg`, written whole; its path.
pub fn write(dir: &Path, points: &[Point], delay: Duration) -> anyhow::Result<PathBuf> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1100, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
        let (left, right) = root.split_horizontally(550);
        let wait = delay.as_secs_f64();
        panel(
            &left,
            points,
            "wall time (s)",
            |p| p.median.as_secs_f64(),
            Some(wait),
        )
        .and_then(|()| {
            let mib = |p: &Point| {
                p.peaks
                    .added()
                    .map_or(0.0, |b| b as f64 / f64::from(1 << 20))
            };
            panel(
                &right,
                points,
                "resident memory added at the peak (MiB)",
                mib,
                None,
            )
        })
        .and_then(|()| Ok(root.present()?))
        .map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file = dir.join("costs.svg");
    workload::write_whole(&file, svg.as_bytes())
        .with_context(|| format!("cannot write {}", file.display()))?;
    Ok(file)
}

/// One panel: `value` of each strategy against the requests, both axes logarithmic; `line`
/// marks one wait.
fn panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    points: &[Point],
    what: &str,
    value: impl Fn(&Point) -> f64,
    line: Option<f64>,
) -> Drawn {
    let most_n = points.iter().map(|p| p.requests).max().unwrap_or(1).max(2) as f64;
    let least_n = points
        .iter()
        .map(|p| p.requests)
        .filter(|&n| n > 0)
        .min()
        .unwrap_or(1) as f64;
    let values = points.iter().map(&value).filter(|v| *v > 0.0);
    let (lo, hi) = values.fold((f64::MAX, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = (
        lo.min(line.unwrap_or(lo)) / 2.0,
        hi.max(line.unwrap_or(0.0)) * 2.0,
    );
    let mut chart = ChartBuilder::on(area)
        .caption(what, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(
            (least_n / 1.5..most_n * 1.5).log_scale(),
            (lo.max(1e-6)..hi.max(1e-5)).log_scale(),
        )?;
    chart
        .configure_mesh()
        .x_desc("requests (log scale)")
        .draw()?;
    if let Some(wait) = line {
        let ends = [(least_n / 1.5, wait), (most_n * 1.5, wait)];
        chart
            .draw_series([PathElement::new(ends, BLACK.mix(0.4).stroke_width(1))])?
            .label("one wait")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLACK.mix(0.4)));
    }
    for (name, color) in NAMES.iter().zip(COLORS) {
        let mut series: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| p.strategy == *name && p.requests > 0 && value(p) > 0.0)
            .map(|p| (p.requests as f64, value(p)))
            .collect();
        series.sort_by(|a, b| a.0.total_cmp(&b.0));
        if series.is_empty() {
            continue;
        }
        let style = color.stroke_width(2);
        chart
            .draw_series(LineSeries::new(series.clone(), style))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style));
        chart.draw_series(series.iter().map(|&at| Circle::new(at, 3, color.filled())))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    Ok(())
}
