use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use thread_pool_map::{load_parallel, load_serial, par_map, par_map_chunked, thread_pool};
use workload::cli::{ImageArgs, RunsArg, ThreadsArg};
use workload::report::{Check, Table, header, time_runs};

/// Make the noise images on a rayon thread pool and compare with the serial map; then load
/// them back into one array, serially and in parallel.
#[derive(Parser)]
#[command(name = "03-thread-pool-map")]
struct Cli {
    #[command(flatten)]
    images: ImageArgs,
    #[command(flatten)]
    threads: ThreadsArg,
    #[command(flatten)]
    runs: RunsArg,

    /// Task sizes to compare, comma-separated: a number of images per task, or `worker` for
    /// one block per worker
    #[arg(long, value_name = "SIZES", value_delimiter = ',', default_value = "1,worker", value_parser = chunk)]
    chunk: Vec<Chunk>,

    /// Skip writing: only load `--count` images already in DIR (e.g. written by demo 01)
    #[arg(long, value_name = "DIR")]
    load_from: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug)]
enum Chunk {
    Items(usize),
    PerWorker,
}

fn chunk(text: &str) -> Result<Chunk, String> {
    match text {
        "worker" => Ok(Chunk::PerWorker),
        _ => match text.parse() {
            Ok(n) if n >= 1 => Ok(Chunk::Items(n)),
            _ => Err("expected a number of at least 1, or `worker`".into()),
        },
    }
}

fn main() -> ExitCode {
    workload::cli::finish(run(workload::cli::parse()))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let (size, count, runs, threads) = (
        cli.images.size(),
        cli.images.count,
        cli.runs.runs,
        cli.threads.get(),
    );
    let pool = thread_pool(threads).context("cannot start the thread pool")?;
    let out = cli.images.out_dir("03-thread-pool-map");

    let load_dir = match &cli.load_from {
        Some(dir) => {
            let work = format!(
                "load {count} images of {size} pixels from {}",
                workload::cli::shown(&dir)
            );
            println!("{}", header("03-thread-pool-map", &work, runs));
            dir.clone()
        }
        None => {
            let work = format!(
                "{count} noise images of {size} pixels into {}",
                workload::cli::shown(&out)
            );
            println!("{}", header("03-thread-pool-map", &work, runs));
            let mut table = Table::new("writing the images", count);
            let serial_dir = create(&out.join("serial"))?;
            let (reference, timing) = time_runs(runs, || {
                function_extraction::map_serial(&serial_dir, size, count)
            })?;
            table.push("serial map (demo 02)", 1, timing, Check::Reference);

            let mut strategies = vec![("rayon par_iter".to_owned(), "rayon".to_owned(), None)];
            for &c in &cli.chunk {
                let items = match c {
                    Chunk::Items(n) => n,
                    Chunk::PerWorker => count.div_ceil(threads),
                };
                let name = match c {
                    Chunk::Items(n) => format!("rayon, {n} per task"),
                    Chunk::PerWorker => format!("rayon, {items} per task (1 per worker)"),
                };
                strategies.push((name, format!("chunk-{items}"), Some(items)));
            }
            for (name, folder, chunk) in strategies {
                let dir = create(&out.join(folder))?;
                let (paths, timing) = time_runs(runs, || match chunk {
                    None => par_map(&pool, &dir, size, count),
                    Some(items) => par_map_chunked(&pool, &dir, size, count, items),
                })?;
                let same = workload::same_files(&reference, &paths)
                    .context("cannot compare the images")?;
                table.push(name, threads, timing, Check::of(same));
            }
            println!("{table}");
            anyhow::ensure!(
                table.all_identical(),
                "a parallel strategy wrote different files"
            );
            serial_dir
        }
    };

    let mut table = Table::new("loading the images into one array", count);
    let (reference, timing) = time_runs(runs, || load_serial(&load_dir, size, count))?;
    table.push("serial loop", 1, timing, Check::Reference);
    let (pixels, timing) = time_runs(runs, || load_parallel(&pool, &load_dir, size, count))?;
    table.push(
        "rayon par_chunks_mut",
        threads,
        timing,
        Check::of(pixels == reference),
    );
    println!("{table}");
    anyhow::ensure!(
        table.all_identical(),
        "the parallel load gave a different array"
    );
    Ok(())
}

fn create(dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output directory {}", dir.display()))?;
    Ok(dir.to_owned())
}
