//! The SVG chart of a timeline: a panel per run, a lane per worker, a bar per item.

use plotters::prelude::*;

use workload::timeline;

use super::Run;

/// Neighbouring items alternate shades, so that back-to-back bars stay apart; an item marked
/// as stolen (`timeline::stolen`) is orange.
const BARS: [RGBColor; 3] = [
    RGBColor(31, 119, 180),
    RGBColor(114, 170, 214),
    RGBColor(255, 127, 14),
];
const FAINT: RGBColor = RGBColor(110, 110, 110);
/// The height of the line on top that says what the chart shows and where it was made.
const STAMP: u32 = 28;

/// One panel per run, one lane per worker, one bar per item; the gaps are idle time. Runs in
/// which no item was recorded get no panel.
pub fn chart(runs: &[Run]) -> anyhow::Result<String> {
    let runs: Vec<&Run> = runs
        .iter()
        .filter(|r| !r.recorded.spans.is_empty())
        .collect();
    let heights: Vec<u32> = runs
        .iter()
        .map(|r| 64 + 24 * r.recorded.workers.len() as u32)
        .collect();
    let mut svg = String::new();
    {
        let size = (1000, heights.iter().sum::<u32>() + STAMP);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
        let (stamp, mut rest) = root.split_vertically(STAMP);
        let machine = crate::machine::Machine::current();
        let text = format!(
            "one lane per worker, a bar per item (short ones in a row drawn as one), gaps are idle; {machine}"
        );
        let style = ("sans-serif", 13).into_font().color(&FAINT);
        stamp
            .draw_text(&text, &style, (12, 8))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        for (run, height) in runs.iter().zip(heights) {
            let (area, below) = rest.split_vertically(height);
            panel(&area, run).map_err(|e| anyhow::anyhow!("cannot draw {}: {e}", run.name))?;
            rest = below;
        }
        root.present().map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(svg)
}

type DrawResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// The bars to draw, (lane, start, end, shade): one per item, except that items too short to
/// see (under a thousandth of the run) that follow one another closely on a lane are drawn as
/// one bar, so that thousands of rows make a small file and not a blur of slivers.
fn bars(spans: &[timeline::Span], start: u64, end: u64) -> Vec<(usize, u64, u64, usize)> {
    let tiny = end.saturating_sub(start) / 1000;
    let mut sorted: Vec<&timeline::Span> = spans.iter().collect();
    sorted.sort_by_key(|s| (s.worker, s.start));
    let mut bars: Vec<(usize, u64, u64, usize)> = Vec::new();
    for span in sorted {
        match bars.last_mut() {
            Some(last)
                if last.0 == span.worker
                    && span.end - span.start < tiny
                    && span.start.saturating_sub(last.2) < tiny =>
            {
                last.2 = last.2.max(span.end);
            }
            _ => {
                let shade = if span.stolen() { 2 } else { span.index() % 2 };
                bars.push((span.worker, span.start, span.end, shade));
            }
        }
    }
    bars
}

/// Lane `i` spans `i..i + 1` on the y axis, top to bottom; its label sits left of its middle.
fn panel(area: &DrawingArea<SVGBackend, plotters::coord::Shift>, run: &Run) -> DrawResult {
    let ms = |ns: u64| ns.saturating_sub(run.start) as f64 / 1e6;
    let wall = ms(run.end).max(1e-3);
    let workers = &run.recorded.workers;
    let lanes = workers.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!(
                "{}: {} items in {wall:.1} ms{}{}",
                run.name,
                run.recorded.spans.len(),
                match run.recorded.spans.iter().filter(|s| s.stolen()).count() {
                    0 => String::new(),
                    n => format!(", {n} in orange where a worker stole work"),
                },
                match run.recorded.dropped {
                    0 => String::new(),
                    n => format!(" ({n} more not kept: a worker's lane was full)"),
                }
            ),
            ("sans-serif", 15),
        )
        .margin(6)
        .x_label_area_size(30)
        .y_label_area_size(120)
        .build_cartesian_2d(0.0..wall, lanes..0.0)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_y_axis()
        .x_desc("ms since the run began")
        .label_style(("sans-serif", 12).into_font().color(&FAINT))
        .draw()?;
    let bars = bars(&run.recorded.spans, run.start, run.end);
    chart.draw_series(bars.iter().map(|&(lane, from, to, shade)| {
        let y = lane as f64;
        let to = ms(to).max(ms(from) + wall / 1000.0);
        Rectangle::new([(ms(from), y + 0.15), (to, y + 0.85)], BARS[shade].filled())
    }))?;
    let (_, top) = area.get_base_pixel();
    let style = ("sans-serif", 12).into_font().color(&FAINT);
    for (lane, label) in workers.iter().enumerate() {
        let (_, y) = chart.backend_coord(&(0.0, lane as f64 + 0.5));
        area.draw_text(label, &style, (12, y - top - 6))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use workload::timeline::Span;

    #[test]
    fn the_chart_draws_a_bar_per_item() {
        let svg = chart(&[super::super::sample_run()]).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert_eq!(svg.matches("<rect").count() - 1, 2, "{svg}");
    }

    #[test]
    fn slivers_close_together_make_one_bar() {
        let span = |worker, item, start, end| Span {
            worker,
            item,
            start,
            end,
        };
        // A run of 1 000 000 ns: items under 1000 ns that follow within 1000 ns merge.
        let spans = [
            span(0, 0, 0, 500),
            span(0, 1, 600, 900),
            span(0, 2, 5_000, 5_500),
            span(1, 3, 900, 950),
            span(0, 4, 6_000, 300_000),
        ];
        let bars = bars(&spans, 0, 1_000_000);
        assert_eq!(
            bars,
            [
                (0, 0, 900, 0),
                (0, 5_000, 5_500, 0),
                (0, 6_000, 300_000, 0),
                (1, 900, 950, 1)
            ]
        );
    }
}
