//! The comparisons the binary prints: each strategy timed against the serial fill, on fresh
//! memory, on warm memory, and on the heavy grid; plus the summary of what that shows.
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use anyhow::Context;
use harness::cli::shown;
use harness::report::{Contender, Table, compare, header};
use rayon::ThreadPool;

use crate::cells::{Shape, heavy_value, plain_cell};
use crate::mapping::MapFile;
use crate::pool::ProcessPool;
use crate::processes::{ProcessFill, fill_file_with_threads};
use crate::threads::{band_rows, fill_constant, fill_rayon, fill_scoped, fill_serial, fill_tiles};
use thread_pool_map::thread_pool;

/// Rows x columns of one tile in the tiled strategy.
pub const TILE: (usize, usize) = (256, 2048);

/// Everything the comparisons need, from the command line.
#[derive(Clone, Debug)]
pub struct Settings {
    pub shape: Shape,
    pub threads: usize,
    pub runs: usize,
    pub grid: Shape,
    /// Rounds of `workload::grid::heavy_cell` per cell of the heavy grid.
    pub iterations: u32,
    pub processes: ProcessFill,
    /// How many images to load with demo 03's code (0: none), and where they go.
    pub images: usize,
    pub out: Option<PathBuf>,
}

/// Print every table and the summary.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    let pool = thread_pool(settings.threads).context("cannot start the thread pool")?;
    let one = thread_pool(1).context("cannot start the thread pool")?;
    let (shape, map_dir) = (settings.shape, &settings.processes.dir);
    let gib = shape.bytes() as f64 / (1u64 << 30) as f64;
    let work = format!(
        "fill a {shape} array of f64 ({gib:.2} GiB); shared file in {}",
        shown(map_dir)
    );
    harness::outln!("{}", header("06-shared-array-fill", &work, settings.runs))?;

    let fresh = first_touch(settings, &pool)?;
    harness::outln!("{fresh}{}", bandwidths(&fresh, shape))?;
    let warm = warm(settings, &pool, &one)?;
    harness::outln!("{warm}{}", bandwidths(&warm, shape))?;
    let heavy = heavy(settings, &pool, &one)?;
    harness::outln!("{heavy}")?;
    if settings.images > 0 {
        let dir = harness::cli::image_dir(&images_dir(settings.out.clone()))?;
        harness::outln!("{}", images(&pool, &dir, settings.images, settings.runs)?)?;
    }
    print!("{}", summary(settings, &fresh, &warm, &heavy));
    Ok(())
}

/// The ways the threads can fill the array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    Serial,
    Rayon,
    Scoped,
    Tiles,
}

impl Strategy {
    pub const ALL: [Self; 4] = [Self::Serial, Self::Rayon, Self::Scoped, Self::Tiles];

    pub fn name(self) -> &'static str {
        match self {
            Self::Serial => "serial loop",
            Self::Rayon => "rayon par_chunks_mut",
            Self::Scoped => "thread::scope chunks_mut",
            Self::Tiles => "rayon 2-D tiles",
        }
    }

    /// Fill `cells` with `cell` on `pool`'s workers (the serial loop uses none of them).
    pub fn fill(
        self,
        pool: &ThreadPool,
        cells: &mut [f64],
        shape: Shape,
        cell: &(impl Fn(usize, usize) -> f64 + Sync),
    ) {
        let workers = pool.current_num_threads();
        match self {
            Self::Serial => fill_serial(cells, shape, cell),
            Self::Rayon => fill_rayon(pool, cells, shape, band_rows(shape.rows, 4 * workers), cell),
            Self::Scoped => fill_scoped(cells, shape, workers, cell),
            Self::Tiles => fill_tiles(pool, cells, shape, TILE, cell),
        }
    }

    pub fn workers(self, pool: &ThreadPool) -> usize {
        match self {
            Self::Serial => 1,
            _ => pool.current_num_threads(),
        }
    }
}

/// What a timed run leaves behind, checked once the timing is over.
pub enum Filled {
    Fresh(Vec<f64>),
    Warm(Rc<RefCell<Vec<f64>>>),
    /// A shared file, to be mapped for the check only after the timing.
    File(Rc<RefCell<MapFile>>),
    /// The process pool's shared file: its workers wait while it is checked.
    Pool(Rc<RefCell<ProcessPool>>),
    /// A buffer that should hold this one value everywhere (the bandwidth reference).
    Constant(Rc<RefCell<Vec<f64>>>, f64),
}

impl Filled {
    /// Whether this run's array holds what it should: the reference's cells, or its constant.
    pub fn matches(&self, reference: &Self) -> bool {
        let same = |cells: &[f64]| reference.with_cells(|r| r == cells);
        match self {
            Self::Fresh(cells) => same(cells),
            Self::Warm(cells) => same(&cells.borrow()),
            Self::File(file) => file.borrow_mut().array().is_ok_and(|a| same(a.cells())),
            Self::Pool(pool) => pool.borrow_mut().array().is_ok_and(|a| same(a.cells())),
            Self::Constant(cells, value) => cells.borrow().iter().all(|x| x == value),
        }
    }

    fn with_cells<R>(&self, f: impl FnOnce(&[f64]) -> R) -> R {
        match self {
            Self::Fresh(cells) => f(cells),
            Self::Warm(cells) | Self::Constant(cells, _) => f(&cells.borrow()),
            Self::File(file) => f(file.borrow_mut().array().expect("can map").cells()),
            Self::Pool(pool) => f(pool.borrow_mut().array().expect("can map").cells()),
        }
    }
}

fn checked(
    title: &str,
    shape: Shape,
    runs: usize,
    contenders: Vec<Contender<'_, Filled, anyhow::Error>>,
) -> anyhow::Result<Table> {
    let table = compare(title, shape.rows, runs, contenders, |reference, other| {
        Ok::<_, anyhow::Error>(other.matches(reference))
    })?;
    table.ensure_identical()?;
    Ok(table)
}

/// Each strategy on a freshly allocated array, page faults included; then a fresh shared
/// file, its bands mapped and filled by threads of this process, then by worker processes.
pub fn first_touch(settings: &Settings, pool: &ThreadPool) -> anyhow::Result<Table> {
    let shape = settings.shape;
    let mut contenders = Vec::new();
    for strategy in Strategy::ALL {
        contenders.push(Contender::new(
            strategy.name(),
            strategy.workers(pool),
            move || {
                harness::stop::check()?;
                let mut cells = vec![0.0; shape.cells()]; // no page is touched yet
                strategy.fill(pool, &mut cells, shape, &plain_cell);
                Ok(Filled::Fresh(cells))
            },
        ));
    }
    let processes = &settings.processes;
    contenders.push(Contender::new(
        "threads, memmap2 file mapped once",
        processes.workers,
        || {
            let mut file = processes.create_file()?;
            fill_file_with_threads(&mut file, processes.workers)?;
            Ok(Filled::File(Rc::new(RefCell::new(file))))
        },
    ));
    contenders.push(Contender::new(
        "processes, memmap2 file",
        processes.workers,
        || Ok(Filled::File(Rc::new(RefCell::new(processes.run()?)))),
    ));
    checked(
        "first touch: each run fills a fresh array",
        shape,
        settings.runs,
        contenders,
    )
}

/// Each strategy on an array it has filled before, and the bandwidth reference: a constant
/// written by one worker and by all of them.
pub fn warm(settings: &Settings, pool: &ThreadPool, one: &ThreadPool) -> anyhow::Result<Table> {
    let shape = settings.shape;
    let touched = || {
        let mut cells = vec![0.0; shape.cells()];
        cells.fill(-1.0);
        Rc::new(RefCell::new(cells))
    };
    let mut contenders = Vec::new();
    for strategy in Strategy::ALL {
        let cells = touched();
        contenders.push(Contender::new(
            strategy.name(),
            strategy.workers(pool),
            move || {
                harness::stop::check()?;
                strategy.fill(pool, &mut cells.borrow_mut(), shape, &plain_cell);
                Ok(Filled::Warm(Rc::clone(&cells)))
            },
        ));
    }
    let processes = &settings.processes;
    let file = Rc::new(RefCell::new(processes.run()?)); // its pages exist from here on
    contenders.push(Contender::new(
        "processes, same file",
        processes.workers,
        move || {
            processes.fill(&mut file.borrow_mut())?;
            Ok(Filled::File(Rc::clone(&file)))
        },
    ));
    let pool_of_processes = ProcessPool::start(processes, processes.run()?)?;
    let pool_of_processes = Rc::new(RefCell::new(pool_of_processes));
    contenders.push(Contender::new(
        "process pool, mapped once",
        processes.workers,
        move || {
            pool_of_processes.borrow_mut().fill()?;
            Ok(Filled::Pool(Rc::clone(&pool_of_processes)))
        },
    ));
    let constant = touched();
    for (name, pool) in [
        ("fill a constant (bandwidth)", one),
        ("fill a constant (bandwidth)", pool),
    ] {
        let cells = Rc::clone(&constant);
        contenders.push(Contender::new(
            name,
            pool.current_num_threads(),
            move || {
                harness::stop::check()?;
                fill_constant(pool, &mut cells.borrow_mut(), shape, 0.5);
                Ok(Filled::Constant(Rc::clone(&cells), 0.5))
            },
        ));
    }
    checked(
        "warm: each run refills an array it filled before",
        shape,
        settings.runs,
        contenders,
    )
}

/// The heavy grid: the same strategies, but each cell costs `iterations` rounds of arithmetic.
pub fn heavy(settings: &Settings, pool: &ThreadPool, one: &ThreadPool) -> anyhow::Result<Table> {
    let (shape, iterations) = (settings.grid, settings.iterations);
    let rounds = u64::from(iterations);
    let cell = move |row, col| heavy_value(row, col, rounds);
    let mut contenders = Vec::new();
    let runs: [(&str, Strategy, &ThreadPool); 4] = [
        ("serial loop", Strategy::Serial, one),
        ("rayon par_chunks_mut", Strategy::Rayon, one),
        ("rayon par_chunks_mut", Strategy::Rayon, pool),
        ("thread::scope chunks_mut", Strategy::Scoped, pool),
    ];
    for (name, strategy, pool) in runs {
        contenders.push(Contender::new(name, strategy.workers(pool), move || {
            harness::stop::check()?;
            let mut cells = vec![0.0; shape.cells()];
            strategy.fill(pool, &mut cells, shape, &cell);
            Ok(Filled::Fresh(cells))
        }));
    }
    let title = format!("heavy grid: {shape} cells, {iterations} rounds of xorshift each");
    checked(&title, shape, settings.runs, contenders)
}

/// Gigabytes written per second by a table's row, from its median time.
pub fn gb_per_s(table: &Table, row: usize, shape: Shape) -> f64 {
    shape.bytes() as f64 / 1e9 / table.rows[row].timing.median().as_secs_f64()
}

/// One line listing each row's bandwidth.
pub fn bandwidths(table: &Table, shape: Shape) -> String {
    let each: Vec<String> = (0..table.rows.len())
        .map(|row| {
            format!(
                "{} {:.1}",
                table.rows[row].strategy,
                gb_per_s(table, row, shape)
            )
        })
        .collect();
    format!("GB/s written (median): {}\n", each.join(", "))
}

/// The figures the chapter is about, each from the medians in the tables above.
pub fn summary(settings: &Settings, fresh: &Table, warm: &Table, heavy: &Table) -> String {
    let shape = settings.shape;
    let median = |table: &Table, row: usize| table.rows[row].timing.median().as_secs_f64();
    let row = |table: &Table, name: &str| {
        let found = table.rows.iter().position(|r| r.strategy.starts_with(name));
        found.expect("the tables have these rows")
    };
    let (rayon, scoped) = (
        row(warm, Strategy::Rayon.name()),
        row(warm, Strategy::Scoped.name()),
    );
    let constant = row(warm, "fill a constant");
    let reference = gb_per_s(warm, constant, shape).max(gb_per_s(warm, constant + 1, shape));
    let share = |row| 100.0 * gb_per_s(warm, row, shape) / reference;
    let heavy_rayon = heavy.rows.len() - 2; // the rows with all the workers
    let mut text = format!(
        "summary ({} threads, {} processes), from the medians above:\n",
        settings.threads, settings.processes.workers
    );
    text += &format!(
        "  first touch: the serial loop took {:.1}x as long on a fresh array as on a warm one\n",
        median(fresh, 0) / median(warm, 0)
    );
    text += &format!(
        "  warm fill, share of the best constant fill ({reference:.1} GB/s): rayon {:.0}%, scope {:.0}%\n",
        share(rayon),
        share(scoped)
    );
    text += &format!(
        "  speedup over the serial loop: plain warm fill {:.2}x (rayon) and {:.2}x (scope), \
         heavy grid {:.2}x and {:.2}x\n",
        median(warm, 0) / median(warm, rayon),
        median(warm, 0) / median(warm, scoped),
        median(heavy, 0) / median(heavy, heavy_rayon),
        median(heavy, 0) / median(heavy, heavy_rayon + 1),
    );
    let fresh_rayon = median(fresh, row(fresh, Strategy::Rayon.name()));
    let (file_threads, file_processes) = (
        median(fresh, row(fresh, "threads, memmap2")),
        median(fresh, row(fresh, "processes")),
    );
    text += &format!(
        "  fresh shared file, against rayon on fresh private memory: processes {:.2}x the time \
         (start-up included), threads on the file mapped once {:.2}x\n",
        file_processes / fresh_rayon,
        file_threads / fresh_rayon,
    );
    text += &format!(
        "  on a fresh shared file, threads (mapped once) took {:.2}x the time of processes (medians; see the ranges)\n",
        file_threads / file_processes,
    );
    text += &format!(
        "  on warm memory: processes {:.2}x, the process pool {:.2}x the time of rayon\n",
        median(warm, row(warm, "processes")) / median(warm, rayon),
        median(warm, row(warm, "process pool")) / median(warm, rayon),
    );
    text
}

/// Demo 03's loader: the same idea with images, each file decoded into its own slot. Writes
/// `count` images into `dir`, then times loading them serially and on the pool.
pub fn images(pool: &ThreadPool, dir: &Path, count: usize, runs: usize) -> anyhow::Result<Table> {
    let size = workload::ImageSize::new(512, 512);
    thread_pool_map::par_map(pool, dir, size, count)?;
    let contenders = vec![
        Contender::new("serial loop", 1, || {
            thread_pool_map::load_serial(dir, size, count)
        }),
        Contender::new("rayon par_chunks_mut", pool.current_num_threads(), || {
            thread_pool_map::load_parallel(pool, dir, size, count)
        }),
    ];
    let title = format!(
        "{count} images of {size} from {} into one array (demo 03)",
        shown(dir)
    );
    let table = compare(&title, count, runs, contenders, |a, b| {
        Ok::<_, anyhow::Error>(a == b)
    })?;
    table.ensure_identical()?;
    Ok(table)
}

/// Where demo 03's images are written before they are loaded into one array.
pub fn images_dir(out: Option<PathBuf>) -> PathBuf {
    out.unwrap_or_else(|| harness::cli::default_out_dir("06-shared-array-fill"))
        .join("images")
}
