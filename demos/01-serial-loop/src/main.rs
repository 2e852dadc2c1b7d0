#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use workload::cli::{ImageArgs, RunsArg, image_dir};
use workload::report::{Contender, compare, header, seconds};

/// Make noise images one after another in a plain loop and time it: the baseline that every
/// parallel demo is measured against.
#[derive(Parser)]
#[command(name = "01-serial-loop")]
struct Cli {
    #[command(flatten)]
    images: ImageArgs,
    #[command(flatten)]
    runs: RunsArg,
}

fn main() -> ExitCode {
    workload::cli::finish(run(workload::cli::parse()))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let (size, count, runs) = (cli.images.size(), cli.images.count, cli.runs.runs);
    let dir = image_dir(&cli.images.out_dir("01-serial-loop"))?;
    workload::outln!(
        "{}",
        header("01-serial-loop", &cli.images.describe(&dir), runs)
    )?;

    let the_loop = Contender::new("serial loop", 1, || {
        serial_loop::serial_loop(&dir, size, count)
    });
    let table = compare("writing the images", count, runs, vec![the_loop], |a, b| {
        workload::same_files(a, b)
    })?;
    workload::outln!("{table}")?;
    workload::outln!(
        "one image takes about {}: that is the piece of work the parallel demos share out",
        seconds(table.rows[0].timing.median().div_f64(count as f64))
    )?;
    Ok(())
}
