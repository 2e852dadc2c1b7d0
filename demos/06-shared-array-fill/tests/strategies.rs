//! Every strategy fills the serial array, whatever the worker count and however the rows
//! divide among the workers; the processes through the real binary too.

use std::time::Duration;

use harness::process::CrashHow;
use shared_array_fill::demo::Strategy;
use shared_array_fill::mapping::MapFile;
use shared_array_fill::processes::fill_file_with_threads;
use shared_array_fill::{
    BandCrash, Faults, ProcessFill, ProcessPool, Shape, fill_serial, fill_tiles, heavy_value,
    plain_cell, thread_pool,
};
use testkit::{ScratchDir, files_below};

const SHAPES: [(usize, usize); 5] = [(1, 1), (7, 5), (10, 33), (64, 16), (13, 1)];

fn serial(shape: Shape, cell: &impl Fn(usize, usize) -> f64) -> Vec<f64> {
    let mut cells = vec![f64::NAN; shape.cells()];
    fill_serial(&mut cells, shape, cell);
    cells
}

#[test]
fn every_thread_strategy_fills_the_serial_array() {
    let heavy = |row, col| heavy_value(row, col, 30);
    for (rows, cols) in SHAPES {
        let shape = Shape { rows, cols };
        let (plain_expected, heavy_expected) = (serial(shape, &plain_cell), serial(shape, &heavy));
        for workers in [1, 2, 3, 7] {
            let pool = thread_pool(workers).unwrap();
            for strategy in Strategy::ALL {
                let mut cells = vec![f64::NAN; shape.cells()];
                strategy.fill(&pool, &mut cells, shape, &plain_cell);
                assert_eq!(
                    cells, plain_expected,
                    "{strategy:?}, {shape}, {workers} workers"
                );
                strategy.fill(&pool, &mut cells, shape, &heavy);
                assert_eq!(
                    cells, heavy_expected,
                    "{strategy:?} heavy, {shape}, {workers} workers"
                );
            }
        }
    }
}

#[test]
fn tiles_of_any_size_fill_the_serial_array() {
    let shape = Shape { rows: 11, cols: 9 };
    let expected = serial(shape, &plain_cell);
    let pool = thread_pool(3).unwrap();
    for tile in [(1, 1), (2, 3), (4, 9), (11, 2), (20, 20)] {
        let mut cells = vec![f64::NAN; shape.cells()];
        fill_tiles(&pool, &mut cells, shape, tile, &plain_cell);
        assert_eq!(cells, expected, "tiles of {tile:?}");
    }
}

#[test]
fn worker_processes_fill_the_serial_array_and_leave_no_file() {
    let dir = ScratchDir::new("06-procs");
    for (rows, cols) in SHAPES {
        let shape = Shape { rows, cols };
        let expected = serial(shape, &plain_cell);
        for workers in [1, 2, 3, 7] {
            let fill = process_fill(dir.path(), shape, workers, None);
            let mut file = fill.run().unwrap();
            assert_eq!(
                file.array().unwrap().cells(),
                expected,
                "{shape}, {workers} processes"
            );
            assert!(files_below(dir.path()).is_empty(), "the file has no name");
        }
    }
}

#[test]
fn threads_on_the_mapped_file_fill_the_serial_array() {
    let dir = ScratchDir::new("06-thread-bands");
    for (rows, cols) in SHAPES {
        let shape = Shape { rows, cols };
        let expected = serial(shape, &plain_cell);
        for workers in [1, 2, 3, 7] {
            let mut file = MapFile::create(dir.path(), shape).unwrap();
            fill_file_with_threads(&mut file, workers).unwrap();
            assert_eq!(
                file.array().unwrap().cells(),
                expected,
                "{shape}, {workers} threads"
            );
        }
    }
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn a_crashed_or_hanging_worker_process_is_named() {
    let dir = ScratchDir::new("06-crash");
    let shape = Shape { rows: 10, cols: 4 };
    for (how, says) in [
        (
            CrashHow::Abort,
            "worker process 1 (rows 4..8) crashed: killed by signal 6",
        ),
        (
            CrashHow::Exit,
            "worker process 1 (rows 4..8) failed with exit code 3",
        ),
        (
            CrashHow::Hang,
            "worker process 1 (rows 4..8) did not finish within 5 s; killed",
        ),
    ] {
        let fill = process_fill(dir.path(), shape, 3, Some((1, how)));
        let err = format!("{:#}", fill.run().err().expect("a failure is an error"));
        assert!(err.contains(says), "{err}");
    }
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn a_pool_of_worker_processes_fills_the_serial_array_again_and_again() {
    let dir = ScratchDir::new("06-pool");
    for (rows, cols) in SHAPES {
        let shape = Shape { rows, cols };
        let expected = serial(shape, &plain_cell);
        for workers in [1, 2, 3, 7] {
            let fill = process_fill(dir.path(), shape, workers, None);
            let mut pool = ProcessPool::start(&fill, fill.create_file().unwrap()).unwrap();
            for _ in 0..3 {
                pool.fill().unwrap();
                assert_eq!(
                    pool.array().unwrap().cells(),
                    expected,
                    "{shape}, {workers}"
                );
            }
        }
    }
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn a_crashed_or_hanging_pool_worker_is_named() {
    let dir = ScratchDir::new("06-pool-crash");
    for (how, says) in [
        (CrashHow::Abort, "worker process 2 (rows 6..9) (pid "),
        (
            CrashHow::Hang,
            "did not answer within 5 s while filling its band; killed",
        ),
    ] {
        let fill = process_fill(dir.path(), Shape { rows: 9, cols: 4 }, 3, Some((2, how)));
        let mut pool = ProcessPool::start(&fill, fill.create_file().unwrap()).unwrap();
        let err = format!("{:#}", pool.fill().expect_err("a failure is an error"));
        assert!(err.contains(says), "{err}");
    }
}

/// This demo's binary as the worker of a process fill; a worker gets 5 s.
fn process_fill(
    dir: &std::path::Path,
    shape: Shape,
    workers: usize,
    crash: Option<(usize, CrashHow)>,
) -> ProcessFill {
    ProcessFill {
        program: env!("CARGO_BIN_EXE_06-shared-array-fill").into(),
        dir: dir.to_owned(),
        shape,
        workers,
        deadline: Duration::from_secs(5),
        faults: Faults {
            crash: crash.map(|(worker, how)| BandCrash {
                worker,
                how,
                after_rows: None,
            }),
            pause_ms: 0,
        },
    }
}
