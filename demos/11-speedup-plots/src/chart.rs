//! The SVG charts: scaling (time, speedup, efficiency against workers), granularity (time
//! against task size) and overhead (what starting a thread, a process or a task costs).
//! A failed point is drawn as a red cross labelled "failed", never as a time.

use std::path::Path;
use std::time::Duration;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::amdahl::{self, Amdahl};
use crate::measure::Point;

/// What every chart names at its foot, and where the cores are.
#[derive(Clone, Debug)]
pub struct Stamp {
    /// Machine, date, quick or full run.
    pub text: String,
    pub logical: usize,
    pub physical: Option<usize>,
}

const COLORS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
];
const FAILED: RGBColor = RGBColor(214, 39, 40);
const GUIDE: RGBColor = RGBColor(120, 120, 120);

/// A measured series: (x, median, min, max) per point, and the x of each failed point.
struct Measured {
    label: String,
    color: RGBColor,
    points: Vec<(f64, f64, f64, f64)>,
    failed: Vec<f64>,
}

/// A dashed line to read the measurements against: the ideal, a fitted law.
struct Guide {
    label: String,
    color: RGBColor,
    points: Vec<(f64, f64)>,
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

type Chart<'a, 'b, X> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, plotters::coord::types::RangedCoordf64>>;

/// Render `draw` into an SVG of `size` and write it whole to `path`.
fn write_svg(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<()>,
) -> anyhow::Result<()> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
        draw(&root).map_err(|e| anyhow::anyhow!("cannot draw {}: {e}", path.display()))?;
        root.present().map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    workload::write_whole(path, svg.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// The title on top, the stamp at the foot; returns the area between.
fn frame<'a>(
    root: &DrawingArea<SVGBackend<'a>, Shift>,
    title: &str,
    stamp: &Stamp,
) -> Result<DrawingArea<SVGBackend<'a>, Shift>> {
    let height = root.dim_in_pixel().1;
    let (body, foot) = root.split_vertically(height - 26);
    foot.draw_text(
        &stamp.text,
        &("sans-serif", 14).into_font().color(&GUIDE),
        (12, 4),
    )?;
    Ok(body.titled(title, ("sans-serif", 22))?)
}

/// The fit of each strategy's medians, over 1..=physical cores: beyond them, shared cores
/// and oversubscription slow workers down for reasons Amdahl's law does not model.
pub fn fits(points: &[Point], stamp: &Stamp) -> Vec<(String, Option<Amdahl>)> {
    let limit = stamp.physical.unwrap_or(stamp.logical).max(2);
    strategies(points)
        .into_iter()
        .map(|name| {
            let medians: Vec<(usize, f64)> = points
                .iter()
                .filter(|p| p.strategy == name && p.workers <= limit)
                .filter_map(|p| Some((p.workers, p.timing()?.median().as_secs_f64())))
                .collect();
            (name, amdahl::fit(&medians))
        })
        .collect()
}

fn strategies(points: &[Point]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for p in points {
        if !names.contains(&p.strategy) {
            names.push(p.strategy.clone());
        }
    }
    names
}

/// Three panels side by side: time, speedup (with the ideal line and the fitted Amdahl curve)
/// and efficiency, against workers; the physical and logical core counts marked.
pub fn scaling(path: &Path, title: &str, points: &[Point], stamp: &Stamp) -> anyhow::Result<()> {
    let max_workers = points.iter().map(|p| p.workers).max().unwrap_or(1);
    let x_max = max_workers as f64;
    let [mut times, mut speedups, mut efficiencies] = [Vec::new(), Vec::new(), Vec::new()];
    let mut curves = vec![Guide {
        label: "ideal".into(),
        color: GUIDE,
        points: vec![(1.0, 1.0), (x_max, x_max)],
    }];
    for ((name, fit), color) in fits(points, stamp).iter().zip(COLORS.iter().cycle()) {
        let mine: Vec<&Point> = points.iter().filter(|p| &p.strategy == name).collect();
        let [time, speedup, efficiency] = scaling_series(name, *color, &mine);
        times.push(time);
        speedups.push(speedup);
        efficiencies.push(efficiency);
        if let Some(fit) = fit {
            curves.push(Guide {
                label: format!("Amdahl fit, serial fraction {:.3}", fit.serial),
                color: *color,
                points: (0..=((max_workers - 1) * 10))
                    .map(|i| 1.0 + i as f64 / 10.0)
                    .map(|n| (n, fit.speedup(n)))
                    .collect(),
            });
        }
    }
    let ideal = [Guide {
        label: "ideal".into(),
        color: GUIDE,
        points: vec![(1.0, 1.0), (x_max, 1.0)],
    }];
    let top = |series: &[Measured], floor: f64| {
        let highest = series.iter().flat_map(|s| &s.points).map(|p| p.3);
        highest.filter(|y| y.is_finite()).fold(floor, f64::max) * 1.1
    };
    let panels = [
        ("time", "seconds", top(&times, 1e-6), &times, &[][..]),
        (
            "speedup",
            "x",
            top(&speedups, x_max),
            &speedups,
            &curves[..],
        ),
        (
            "efficiency",
            "speedup / workers",
            top(&efficiencies, 1.0),
            &efficiencies,
            &ideal[..],
        ),
    ];
    write_svg(path, (1500, 520), |root| {
        let body = frame(root, title, stamp)?;
        let areas = body.split_evenly((1, 3));
        for (area, (caption, y_desc, y_max, measured, guides)) in areas.iter().zip(panels) {
            let axes = Axes {
                caption,
                y_desc,
                x_max,
                y_max,
            };
            panel(area, &axes, measured, guides, stamp)?;
        }
        Ok(())
    })
}

/// One strategy's time, speedup and efficiency against workers. Its speedup is against its
/// own time on one worker: none if that one failed.
fn scaling_series(name: &str, color: RGBColor, mine: &[&Point]) -> [Measured; 3] {
    let failed: Vec<f64> = mine
        .iter()
        .filter(|p| p.timing().is_none())
        .map(|p| p.workers as f64)
        .collect();
    let secs = |d: Duration| d.as_secs_f64();
    let time: Vec<(f64, f64, f64, f64)> = mine
        .iter()
        .filter_map(|p| {
            let t = p.timing()?;
            Some((
                p.workers as f64,
                secs(t.median()),
                secs(t.min()),
                secs(t.max()),
            ))
        })
        .collect();
    let one = time.iter().find(|p| p.0 == 1.0).map(|p| p.1);
    let speedup: Vec<_> = match one {
        Some(t1) => time
            .iter()
            .map(|&(n, med, lo, hi)| (n, t1 / med, t1 / hi, t1 / lo))
            .collect(),
        None => Vec::new(),
    };
    let efficiency = speedup
        .iter()
        .map(|&(n, s, lo, hi)| (n, s / n, lo / n, hi / n))
        .collect();
    let series = |points| Measured {
        label: name.to_owned(),
        color,
        points,
        failed: failed.clone(),
    };
    [series(time), series(speedup), series(efficiency)]
}

/// A panel's caption, the name of its y axis, and the ends of both axes.
struct Axes<'a> {
    caption: &'a str,
    y_desc: &'a str,
    x_max: f64,
    y_max: f64,
}

/// One panel against workers.
#[allow(clippy::too_many_arguments)]
fn panel(
    area: &DrawingArea<SVGBackend, Shift>,
    axes: &Axes,
    measured: &[Measured],
    guides: &[Guide],
    stamp: &Stamp,
) -> Result<()> {
    let (x_max, y_max) = (axes.x_max, axes.y_max);
    let mut chart = ChartBuilder::on(area)
        .caption(axes.caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.5..x_max + 0.5, 0.0..y_max)?;
    let whole = |x: &f64| {
        let near = (x - x.round()).abs() < 1e-6 && *x >= 1.0;
        if near {
            format!("{}", x.round())
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .x_desc("workers")
        .y_desc(axes.y_desc)
        .x_labels((x_max as usize * 2).max(4))
        .x_label_formatter(&whole)
        .light_line_style(WHITE)
        .draw()?;
    draw_cores(&mut chart, stamp, y_max)?;
    for guide in guides {
        let color = guide.color;
        let dashed = DashedLineSeries::new(guide.points.clone(), 6, 4, color.into());
        chart
            .draw_series(dashed)?
            .label(&guide.label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color));
    }
    for series in measured {
        draw_measured(&mut chart, series, y_max)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(GUIDE)
        .draw()?;
    Ok(())
}

/// The core counts, as dashed vertical lines.
fn draw_cores<X: Ranged<ValueType = f64>>(
    chart: &mut Chart<'_, '_, X>,
    stamp: &Stamp,
    y_max: f64,
) -> Result<()> {
    let mut marks = vec![(stamp.logical, "logical cores")];
    match stamp.physical {
        Some(p) if p != stamp.logical => marks.push((p, "physical cores")),
        Some(_) => marks[0].1 = "cores (physical = logical)",
        None => {}
    }
    for (cores, label) in marks {
        let x = cores as f64;
        let line = vec![(x, 0.0), (x, y_max)];
        chart.draw_series(DashedLineSeries::new(line, 4, 4, GUIDE.into()))?;
        let font = ("sans-serif", 13).into_font().color(&GUIDE);
        chart.draw_series([Text::new(label, (x + 0.05, y_max * 0.3), font)])?;
    }
    Ok(())
}

/// One series: its medians joined by a line, a dot on each, the min - max of the runs as a
/// bar through it, and its failed points.
fn draw_measured<X: Ranged<ValueType = f64>>(
    chart: &mut Chart<'_, '_, X>,
    series: &Measured,
    y_max: f64,
) -> Result<()> {
    let color = series.color;
    let medians = series.points.iter().map(|p| (p.0, p.1));
    chart
        .draw_series(LineSeries::new(medians, color.stroke_width(2)))?
        .label(&series.label)
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2)));
    let dots = series
        .points
        .iter()
        .map(|p| Circle::new((p.0, p.1), 3, color.filled()));
    chart.draw_series(dots)?;
    let ranges = series
        .points
        .iter()
        .map(|p| PathElement::new([(p.0, p.2), (p.0, p.3)], color));
    chart.draw_series(ranges)?;
    draw_failures(chart, &series.failed, y_max)
}

/// A red cross near the bottom at each failed x, labelled "failed".
fn draw_failures<X: Ranged<ValueType = f64>>(
    chart: &mut Chart<'_, '_, X>,
    xs: &[f64],
    y_max: f64,
) -> Result<()> {
    for &x in xs {
        let y = y_max * 0.06;
        chart.draw_series([Cross::new((x, y), 7, FAILED.stroke_width(3))])?;
        let font = ("sans-serif", 13).into_font().color(&FAILED);
        chart.draw_series([Text::new("failed", (x, y_max * 0.12), font)])?;
    }
    Ok(())
}

/// Time against the images per task, on a log axis.
pub fn granularity(
    path: &Path,
    title: &str,
    points: &[(usize, &Point)],
    stamp: &Stamp,
) -> anyhow::Result<()> {
    let timed: Vec<(f64, f64, f64, f64)> = points
        .iter()
        .filter_map(|&(chunk, p)| {
            let t = p.timing()?;
            let s = |d: Duration| d.as_secs_f64();
            Some((chunk as f64, s(t.median()), s(t.min()), s(t.max())))
        })
        .collect();
    let failed: Vec<f64> = points
        .iter()
        .filter(|(_, p)| p.timing().is_none())
        .map(|&(chunk, _)| chunk as f64)
        .collect();
    let x_max = points.iter().map(|p| p.0).max().unwrap_or(1) as f64 * 1.5;
    let y_max = timed.iter().map(|p| p.3).fold(1e-6, f64::max) * 1.15;
    write_svg(path, (900, 520), |root| {
        let body = frame(root, title, stamp)?;
        let mut chart = ChartBuilder::on(&body)
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d((0.7..x_max).log_scale(), 0.0..y_max)?;
        chart
            .configure_mesh()
            .x_desc("images per task (log scale): 1 = one task per image, the last = one task per worker")
            .y_desc("seconds")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .light_line_style(WHITE)
            .draw()?;
        let color = COLORS[0];
        chart.draw_series(LineSeries::new(
            timed.iter().map(|p| (p.0, p.1)),
            color.stroke_width(2),
        ))?;
        chart.draw_series(
            timed
                .iter()
                .map(|p| Circle::new((p.0, p.1), 3, color.filled())),
        )?;
        chart.draw_series(
            timed
                .iter()
                .map(|p| PathElement::new([(p.0, p.2), (p.0, p.3)], color)),
        )?;
        draw_failures(&mut chart, &failed, y_max)
    })
}

/// One bar per start-up cost, median with the min - max range, on a log axis.
pub fn overhead(path: &Path, title: &str, points: &[Point], stamp: &Stamp) -> anyhow::Result<()> {
    let all = points
        .iter()
        .flat_map(|p| p.timing())
        .flat_map(|t| [t.min(), t.max()]);
    let (lo, hi) = all.fold((f64::MAX, f64::MIN), |(lo, hi), d| {
        (lo.min(d.as_secs_f64()), hi.max(d.as_secs_f64()))
    });
    let (lo, hi) = if lo <= hi {
        (lo / 4.0, hi * 40.0)
    } else {
        (1e-7, 1e-1)
    };
    let rows = points.len() as f64;
    write_svg(path, (900, 120 + 70 * points.len() as u32), |root| {
        let body = frame(root, title, stamp)?;
        let mut chart = ChartBuilder::on(&body)
            .margin(16)
            .x_label_area_size(40)
            .build_cartesian_2d((lo..hi).log_scale(), 0.0..rows)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc("seconds each (log scale)")
            .x_label_formatter(&|x| short(*x))
            .light_line_style(WHITE)
            .draw()?;
        for (i, (point, color)) in points.iter().zip(COLORS.iter().cycle()).enumerate() {
            let y = rows - i as f64 - 0.5;
            let font = ("sans-serif", 15).into_font();
            let Some(t) = point.timing() else {
                chart.draw_series([Cross::new((lo * 2.0, y), 7, FAILED.stroke_width(3))])?;
                let label = format!("{}: failed", point.strategy);
                chart.draw_series([Text::new(label, (lo * 3.0, y), font.color(&FAILED))])?;
                continue;
            };
            let (med, min, max) = (t.median(), t.min(), t.max());
            let bar = [(lo, y - 0.25), (med.as_secs_f64(), y + 0.25)];
            chart.draw_series([Rectangle::new(bar, color.mix(0.7).filled())])?;
            let range = [(min.as_secs_f64(), y), (max.as_secs_f64(), y)];
            chart.draw_series([PathElement::new(range, BLACK.stroke_width(2))])?;
            let label = format!("{}: {} (median)", point.strategy, short(med.as_secs_f64()));
            chart.draw_series([Text::new(label, (max.as_secs_f64() * 1.3, y - 0.1), font)])?;
        }
        Ok(())
    })
}

/// A time down to nanoseconds: `350 ns`, `25 us`, `1.1 ms`.
fn short(secs: f64) -> String {
    if secs < 1e-6 {
        format!("{:.0} ns", secs * 1e9)
    } else {
        harness::report::seconds(Duration::from_secs_f64(secs))
    }
}
