//! The demo's run as a whole: what `main` calls once the command line is checked.

use std::cell::Cell;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use harness::cli::{ImageArgs, image_dir};
use harness::report::{Contender, compare, header, seconds};
use workload::ImageSize;

use crate::{Children, CrashArgs, CrashIn, ProcessPool, one_shot_map, one_shot_shown};

/// What a run does: the images, how often each strategy runs, with how many processes, how
/// long a worker may take, and which child (if any) is told to fail.
pub struct Settings {
    pub images: ImageArgs,
    pub runs: usize,
    pub processes: usize,
    pub deadline: Duration,
    pub crash: CrashArgs,
}

/// The four output folders, made (and emptied of old images) before anything is timed.
pub struct Dirs {
    out: PathBuf,
    serial: PathBuf,
    rayon: PathBuf,
    one_shot: PathBuf,
    pool: PathBuf,
}

/// Samples for the start costs, for the round trip of a tiny task and of an image-sized one.
const STARTS: usize = 51;
const TINY_TRIPS: usize = 1001;
const BIG_TRIPS: usize = 51;

/// Make the output folders, before anything is timed.
pub fn dirs(images: &ImageArgs) -> anyhow::Result<Dirs> {
    let out = images.out_dir("04-process-spawn");
    let dir = |name| image_dir(&out.join(name));
    let (serial, rayon, one_shot, pool) = (
        dir("serial")?,
        dir("rayon")?,
        dir("one-shot")?,
        dir("pool")?,
    );
    Ok(Dirs {
        out,
        serial,
        rayon,
        one_shot,
        pool,
    })
}

/// The whole demo: start costs, the one-shot children, the pool's round trips, and the table
/// of the four strategies.
pub fn run(settings: &Settings, dirs: Dirs) -> anyhow::Result<()> {
    let Settings {
        images,
        runs,
        processes,
        deadline,
        crash: faults,
    } = settings;
    let (size, count, runs, processes, deadline) =
        (images.size(), images.count, *runs, *processes, *deadline);
    let exe = std::env::current_exe().context("cannot find this program's own file")?;
    let Dirs {
        out,
        serial,
        rayon,
        one_shot,
        pool: pooled,
    } = dirs;
    harness::outln!(
        "{}",
        header("04-process-spawn", &images.describe(&out), runs)
    )?;
    harness::outln!("{}", crate::start_costs(&exe, STARTS)?)?;

    let crash = faults.at(CrashIn::OneShot);
    let children = Children {
        processes,
        crash,
        deadline,
        show_output: true,
    };
    one_shot_shown(&exe, &one_shot, size, count, children)?;

    let crash = faults.at(CrashIn::Pool);
    let mut pool = ProcessPool::start(&exe, size, processes, crash, deadline)?;
    round_trips(&mut pool, size, processes)?;

    let threads = thread_pool_map::thread_pool(processes).context("cannot start rayon")?;
    let moved = Cell::new(0);
    let contenders: Vec<Contender<_, anyhow::Error>> = vec![
        Contender::new("serial map (demo 02)", 1, || {
            harness::stop::check()?;
            Ok(function_extraction::map_serial(&serial, size, count)?)
        }),
        Contender::new("rayon threads (demo 03)", processes, || {
            harness::stop::check()?;
            Ok(thread_pool_map::par_map(&threads, &rayon, size, count)?)
        }),
        Contender::new("one-shot processes", processes, || {
            one_shot_map(&exe, &one_shot, size, count, processes, deadline)
        }),
        Contender::new("process pool over pipes", processes, || {
            let (paths, bytes) = pool.write_images(&pooled, count)?;
            moved.set(bytes);
            Ok(paths)
        }),
    ];
    let table = compare("\nwriting the images", count, runs, contenders, |a, b| {
        workload::same_files(a, b)
    })?;
    harness::outln!("{table}")?;
    pool.shutdown()?;
    table.ensure_identical()?;
    let mib = moved.get() as f64 / f64::from(1 << 20);
    let per_image = mib * 1024.0 / count as f64;
    harness::outln!(
        "the pool moved {mib:.1} MiB over its pipes per run ({per_image:.0} KiB per image);"
    )?;
    harness::outln!(
        "threads and one-shot children moved no image data: each writes its own files"
    )?;
    Ok(())
}

/// Say what the pool is, and time a round trip through it of a tiny message and of an image.
fn round_trips(pool: &mut ProcessPool, size: ImageSize, processes: usize) -> anyhow::Result<()> {
    harness::outln!(
        "\npool: {processes} workers (pids {}), tasks and replies over pipes",
        pool.pids()
    )?;
    for (bytes, samples) in [(8, TINY_TRIPS), (size.bytes(), BIG_TRIPS)] {
        let (time, moved) = pool.round_trip(bytes, samples)?;
        let time = seconds(time);
        harness::outln!(
            "  round trip of a {bytes}-byte echo ({moved} bytes moved): median {time}"
        )?;
    }
    Ok(())
}
