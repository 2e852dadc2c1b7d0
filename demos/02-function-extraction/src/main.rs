#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use harness::cli::{ImageArgs, RunsArg, image_dir};
use harness::report::{Contender, compare, header};

/// Turn the loop body into a function of one index, map it over the indices, and check that
/// the files are byte-identical to the plain loop's.
#[derive(Parser)]
#[command(name = "02-function-extraction")]
struct Cli {
    #[command(flatten)]
    images: ImageArgs,
    #[command(flatten)]
    runs: RunsArg,
}

fn main() -> ExitCode {
    harness::cli::finish(run(harness::cli::parse()))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let (size, count, runs) = (cli.images.size(), cli.images.count, cli.runs.runs);
    let out = cli.images.out_dir("02-function-extraction");
    let (loop_dir, map_dir) = (image_dir(&out.join("loop"))?, image_dir(&out.join("map"))?);
    harness::outln!(
        "{}",
        header("02-function-extraction", &cli.images.describe(&out), runs)
    )?;

    let contenders = vec![
        Contender::new("plain loop (demo 01)", 1, || {
            serial_loop::serial_loop(&loop_dir, size, workload::Compression::default(), count)
        }),
        Contender::new("map of make_image", 1, || {
            function_extraction::map_serial(&map_dir, size, count)
        }),
    ];
    let table = compare("writing the images", count, runs, contenders, |a, b| {
        workload::same_files(a, b)
    })?;
    harness::outln!("{table}")?;
    table.ensure_identical()?;
    harness::outln!("the function wrote the same {count} files, byte for byte, as the loop")?;
    Ok(())
}
