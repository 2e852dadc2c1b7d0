#![forbid(unsafe_code)]

mod args;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use harness::cli::{image_dir, shown};
use harness::report::{Contender, compare, header};
use thread_pool_map::{Split, load_parallel, load_serial, thread_pool};

use crate::args::Cli;

fn main() -> ExitCode {
    harness::cli::finish(run(harness::cli::parse()))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let (count, size, runs) = (cli.images.count, cli.images.size(), cli.runs.runs);
    let threads = cli.threads.get();
    // Loading needs the whole array at once: find out now, not after writing every image.
    thread_pool_map::buffer_bytes(size, count)?;
    let pool = thread_pool(threads).context("cannot start the thread pool")?;

    let images = match &cli.load_from {
        Some(dir) => {
            let work = format!("load {count} images of {size} pixels from {}", shown(dir));
            harness::outln!("{}", header("03-thread-pool-map", &work, runs))?;
            dir.clone()
        }
        None => write_images(&cli, &pool)?,
    };

    let contenders = vec![
        Contender::new("serial loop", 1, || load_serial(&images, size, count)),
        Contender::new("rayon par_chunks_mut", threads, || {
            load_parallel(&pool, &images, size, count)
        }),
    ];
    let title = "loading the images into one array";
    let table = compare(title, count, runs, contenders, |a, b| {
        Ok::<_, anyhow::Error>(a == b)
    })?;
    harness::outln!("{table}")?;
    table.ensure_identical()?;
    Ok(())
}

/// Time the serial map and each split; returns the folder of the serial images.
fn write_images(cli: &Cli, pool: &rayon::ThreadPool) -> anyhow::Result<PathBuf> {
    let (count, size, runs) = (cli.images.count, cli.images.size(), cli.runs.runs);
    let threads = pool.current_num_threads();
    let out = cli.images.out_dir("03-thread-pool-map");
    harness::outln!(
        "{}",
        header("03-thread-pool-map", &cli.images.describe(&out), runs)
    )?;

    let serial_dir = image_dir(&out.join("serial"))?;
    let mut contenders = vec![Contender::new("serial map (demo 02)", 1, || {
        function_extraction::map_serial(&serial_dir, size, count)
    })];
    let per_worker = count.div_ceil(threads);
    let splits = cli
        .chunk
        .iter()
        .map(|c| Split::Chunks(c.unwrap_or(per_worker)));
    for split in std::iter::once(Split::Adaptive).chain(splits) {
        let dir = image_dir(&out.join(split.folder()))?;
        let mut name = split.name();
        if split == Split::Chunks(per_worker) {
            name.push_str(" (1 per worker)");
        }
        contenders.push(Contender::new(name, threads, move || {
            split.write(pool, &dir, size, count)
        }));
    }
    let table = compare("writing the images", count, runs, contenders, |a, b| {
        workload::same_files(a, b)
    })?;
    harness::outln!("{table}")?;
    table.ensure_identical()?;
    Ok(serial_dir)
}
