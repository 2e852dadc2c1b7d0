//! The comparisons the binary prints on rank 0. Every rank runs every contender, in the same
//! order, because each MPI run is a collective call that all of them must join; the single
//! process references run on rank 0 alone while the other ranks nap.
#![forbid(unsafe_code)]

use std::time::{Duration, Instant};

use anyhow::Context;
use harness::report::{Contender, Table, compare, header, seconds};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use shared_array_fill::thread_pool;
use shared_array_fill::{Shape, fill_rayon, fill_serial, plain_cell, threads::band_rows};
use workload::grid::Grid;

use crate::fail::fail_here;
use crate::gather::{fill_my_rows, grid_my_rows};
use crate::images::{images_across_ranks, write_images};
use crate::threads::{alone_on_root, grid_rows};

pub use crate::settings::{Part, Settings, default_out};

/// The results a contender leaves: rank 0 holds them, the other ranks `None`.
type Gathered<T> = anyhow::Result<Option<Vec<T>>>;

/// Print every table on rank 0.
pub fn run(world: &SimpleCommunicator, settings: &Settings) -> anyhow::Result<()> {
    let (ranks, root) = (world.size() as usize, world.rank() == 0);
    let threads = settings.threads;
    if root {
        let plural = if ranks == 1 { "" } else { "s" };
        let work = match threads {
            1 => format!(
                "{ranks} MPI rank{plural} of 1 thread (--threads 2 or more adds the hybrid)"
            ),
            _ => {
                format!("{ranks} MPI rank{plural}; the hybrid runs {threads} rayon threads in each")
            }
        };
        harness::outln!("{}", header("12-mpi-ranks", &work, settings.runs))?;
    }
    let wants = |part| settings.parts.contains(&part);
    let show = |table: anyhow::Result<Table>| -> anyhow::Result<()> {
        let table = table?;
        if root {
            harness::outln!("{table}")?;
        }
        table.ensure_identical()
    };
    if wants(Part::Fill) {
        show(fill(world, settings.shape, settings.runs))?;
    }
    if wants(Part::Grid) {
        show(grid(world, settings))?;
    }
    if wants(Part::Images) {
        show(images(world, settings))?;
    }
    if wants(Part::Pingpong) {
        crate::report::pingpong(world, settings)?;
    }
    Ok(())
}

fn fill(world: &SimpleCommunicator, shape: Shape, runs: usize) -> anyhow::Result<Table> {
    let ranks = world.size() as usize;
    let pool = thread_pool(ranks).context("cannot start the thread pool")?;
    let gib = shape.bytes() as f64 / (1u64 << 30) as f64;
    let title = format!(
        "window fill of chapter 6, a {shape} array of f64 ({gib:.2} GiB), rows split across ranks"
    );
    let contenders: Vec<Contender<'_, Option<Vec<f64>>, anyhow::Error>> = vec![
        Contender::new("serial fill, rank 0 alone", 1, || {
            Ok(alone_on_root(world, || {
                let mut cells = vec![0.0; shape.cells()];
                fill_serial(&mut cells, shape, &plain_cell);
                cells
            }))
        }),
        Contender::new("rayon par_chunks_mut, rank 0 alone", ranks, || {
            Ok(alone_on_root(world, || {
                let mut cells = vec![0.0; shape.cells()];
                fill_rayon(
                    &pool,
                    &mut cells,
                    shape,
                    band_rows(shape.rows, 4 * ranks),
                    &plain_cell,
                );
                cells
            }))
        }),
        Contender::new("MPI ranks, gathered on rank 0", ranks, || {
            world.barrier();
            Ok(fill_my_rows(world, shape))
        }),
    ];
    compare(&title, shape.rows, runs, contenders, |a, b| {
        Ok::<_, anyhow::Error>(a == b)
    })
}

fn grid(world: &SimpleCommunicator, settings: &Settings) -> anyhow::Result<Table> {
    let (ranks, threads, g) = (world.size() as usize, settings.threads, settings.grid);
    let alone = thread_pool(ranks * threads).context("cannot start the thread pool")?;
    let inside = thread_pool(threads).context("cannot start the thread pool")?;
    let title = format!("heavy grid of chapters 5 and 11, {g}, rows split across ranks");
    if world.rank() == 0 {
        say_how_long(g, settings.runs)?;
    }
    let mut first = settings.fail;
    let mut contenders: Vec<Contender<'_, Option<Vec<u64>>, anyhow::Error>> = vec![
        Contender::new("serial rows, rank 0 alone", 1, || {
            Ok(alone_on_root(world, || {
                (0..g.rows).map(|row| g.row(row)).collect()
            }))
        }),
        Contender::new("rayon threads, rank 0 alone", ranks * threads, || {
            Ok(alone_on_root(world, || grid_rows(&alone, g, 0..g.rows)))
        }),
        Contender::new("MPI ranks x 1 thread", ranks, move || {
            world.barrier();
            if let Some((rank, how)) = first.take() {
                fail_here(world, rank, how);
            }
            Ok(grid_my_rows(world, g, None))
        }),
    ];
    if threads > 1 {
        let name = format!("hybrid: MPI ranks x {threads} rayon threads");
        contenders.push(Contender::new(name, ranks * threads, || {
            world.barrier();
            Ok(grid_my_rows(world, g, Some(&inside)))
        }));
    }
    compare(&title, g.rows, settings.runs, contenders, |a, b| {
        Ok::<_, anyhow::Error>(a == b)
    })
}

/// A serial run of the heavy grid longer than this is announced before it starts: a big
/// `--grid` or `--iterations` should not compute silently for minutes.
const SAY_HOW_LONG: Duration = Duration::from_secs(30);

/// Time the grid's first row (every row costs the same) and, where a serial run of all of them
/// would pass [`SAY_HOW_LONG`], say how long the table will take before it starts.
fn say_how_long(grid: Grid, runs: usize) -> anyhow::Result<()> {
    let start = Instant::now();
    std::hint::black_box(grid.row(0));
    let row = start.elapsed();
    let serial = row.saturating_mul(u32::try_from(grid.rows).unwrap_or(u32::MAX));
    if serial > SAY_HOW_LONG {
        let secs = serial.as_secs_f64();
        let about = match secs {
            s if s >= 3600.0 => format!("{:.1} h", s / 3600.0),
            s if s >= 60.0 => format!("{:.0} min", s / 60.0),
            s => format!("{s:.0} s"),
        };
        harness::outln!(
            "heavy grid: one row took {}, so a serial run of its {} rows takes about {about}, \
             {runs} run(s) of it besides the parallel strategies; a smaller --grid or \
             --iterations is quicker",
            seconds(row),
            grid.rows,
        )?;
    }
    Ok(())
}

fn images(world: &SimpleCommunicator, settings: &Settings) -> anyhow::Result<Table> {
    let (size, count) = settings.images;
    let serial_dir = settings.out.join("serial");
    let ranks_dir = settings.out.join("ranks");
    if world.rank() == 0 {
        harness::cli::image_dir(&serial_dir)?;
        harness::cli::image_dir(&ranks_dir)?;
    }
    world.barrier();
    let title = format!(
        "{count} noise images of {size} pixels into {}, each rank writing its share",
        harness::cli::shown(&settings.out)
    );
    let contenders: Vec<Contender<'_, Option<Vec<u64>>, anyhow::Error>> = vec![
        Contender::new("serial loop, rank 0 alone", 1, || -> Gathered<u64> {
            alone_on_root(world, || write_images(&serial_dir, size, count, 0..count)).transpose()
        }),
        Contender::new(
            "MPI ranks, digests summed on 0",
            world.size() as usize,
            || {
                world.barrier();
                images_across_ranks(world, &ranks_dir, size, count)
            },
        ),
    ];
    compare(&title, count, settings.runs, contenders, |a, b| {
        Ok::<_, anyhow::Error>(a == b)
    })
}

/// Rank 0 claims `--out` for this run, before any part, where a part writes there (the images,
/// the ping-pong chart): two runs into one folder would empty each other's. Every rank learns
/// whether it could, so that all of them end together.
pub fn claim_out(world: &SimpleCommunicator, settings: &Settings) -> anyhow::Result<()> {
    let writes = |part| settings.parts.contains(&part);
    if !writes(Part::Images) && !writes(Part::Pingpong) {
        return Ok(());
    }
    let claimed = (world.rank() == 0).then(|| harness::cli::out_dir(&settings.out));
    let mut ok = u8::from(claimed.as_ref().is_none_or(Result::is_ok));
    world.process_at_rank(0).broadcast_into(&mut ok);
    match claimed {
        Some(Err(err)) => Err(err),
        _ if ok == 0 => anyhow::bail!("rank 0 could not claim {}", settings.out.display()),
        _ => Ok(()),
    }
}
