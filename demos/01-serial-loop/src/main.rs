#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use harness::cli::{CompressionArg, ImageArgs, RunsArg, image_dir};
use harness::report::{Contender, compare, header, seconds};
use serial_loop::{same_pixels, serial_loop, total_bytes};
use workload::Compression;

/// Make noise images one after another in a plain loop and time it: the baseline that every
/// parallel demo is measured against. Then the same loop at the encoder's other levels of
/// effort, to show what choosing it is worth before any core is added.
#[derive(Parser)]
#[command(name = "01-serial-loop")]
struct Cli {
    #[command(flatten)]
    images: ImageArgs,
    #[command(flatten)]
    compression: CompressionArg,
    #[command(flatten)]
    runs: RunsArg,
}

fn main() -> ExitCode {
    harness::cli::finish(run(harness::cli::parse()))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let (size, count, runs) = (cli.images.size(), cli.images.count, cli.runs.runs);
    let chosen = cli.compression.compression;
    let out = cli.images.out_dir("01-serial-loop");
    let dir = image_dir(&out)?;
    harness::outln!(
        "{}",
        header("01-serial-loop", &cli.images.describe(&dir), runs)
    )?;

    // The chosen level first (the reference, its files stay in --out), then the others, each
    // into a folder of its own below it.
    let others = [Compression::Fast, Compression::Balanced, Compression::Best]
        .into_iter()
        .filter(|&level| level != chosen);
    let mut folders = vec![(chosen, dir.clone())];
    for level in others {
        folders.push((level, image_dir(&out.join(format!("compression-{level}")))?));
    }
    let contenders = folders
        .iter()
        .map(|(level, folder)| {
            let name = format!("serial loop, {level} compression");
            Contender::new(name, 1, move || serial_loop(folder, size, *level, count))
        })
        .collect();
    let table = compare("writing the images", count, runs, contenders, |a, b| {
        same_pixels(a, b, size)
    })?;
    harness::outln!("{table}")?;
    table.ensure_identical()?;
    for (level, folder) in &folders {
        let paths: Vec<_> = (0..count)
            .map(|i| workload::image_path(folder, i))
            .collect();
        let bytes = total_bytes(&paths)?;
        let ratio = bytes as f64 / (size.bytes() * count) as f64;
        harness::outln!("{level:>8} compression: the files hold {ratio:.3} bytes per pixel")?;
    }
    harness::outln!(
        "one image takes about {} at {chosen} compression: that is the piece of work the \
         parallel demos share out",
        seconds(table.rows[0].timing.median().div_f64(count as f64))
    )?;
    if chosen == Compression::default() {
        harness::outln!("{}", steps(&dir, size, count.min(8))?)?;
    }
    Ok(())
}

/// Exercise 1.1's split of one image's time, the median over the first `count` images
/// (rewritten in place with the same bytes).
fn steps(dir: &std::path::Path, size: workload::ImageSize, count: usize) -> anyhow::Result<String> {
    let mut times = Vec::new();
    for index in 0..count {
        times.push(serial_loop::stages::stage_times(dir, size, index)?);
    }
    let median = |pick: fn(&serial_loop::stages::StageTimes) -> std::time::Duration| {
        seconds(harness::report::Timing::new(times.iter().map(pick).collect()).median())
    };
    Ok(format!(
        "its steps (exercise 1.1, median of {count} images): noise {}, encoding {}, writing {}",
        median(|t| t.noise),
        median(|t| t.encode),
        median(|t| t.write)
    ))
}
