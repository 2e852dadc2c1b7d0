use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use workload::cli::{ImageArgs, RunsArg};
use workload::report::{Check, Table, header, time_runs};

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
    workload::cli::finish(run(workload::cli::parse()))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let (size, count, runs) = (cli.images.size(), cli.images.count, cli.runs.runs);
    let out = cli.images.out_dir("02-function-extraction");
    let (loop_dir, map_dir) = (out.join("loop"), out.join("map"));
    for dir in [&loop_dir, &map_dir] {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output directory {}", dir.display()))?;
    }

    let work = format!(
        "{count} noise images of {size} pixels into {}",
        workload::cli::shown(&out)
    );
    println!("{}", header("02-function-extraction", &work, runs));

    let (from_loop, loop_time) =
        time_runs(runs, || serial_loop::serial_loop(&loop_dir, size, count))?;
    let (from_map, map_time) = time_runs(runs, || {
        function_extraction::map_serial(&map_dir, size, count)
    })?;
    let identical =
        workload::same_files(&from_loop, &from_map).context("cannot compare the images")?;

    let mut table = Table::new("writing the images", count);
    table.push("plain loop (demo 01)", 1, loop_time, Check::Reference);
    table.push("map of make_image", 1, map_time, Check::of(identical));
    println!("{table}");
    anyhow::ensure!(
        identical,
        "the mapped function wrote different files from the loop"
    );
    println!("the function wrote the same {count} files, byte for byte, as the loop");
    Ok(())
}
