//! Every strategy fills the serial array, whatever the worker count and however the rows
//! divide among the workers; the processes through the real binary too.

use std::rc::Rc;

use shared_array_fill::demo::Strategy;
use shared_array_fill::mapping::{MapFile, SharedArray};
use shared_array_fill::processes::{ProcessPool, fill_file_with_threads};
use shared_array_fill::{
    ProcessFill, Shape, fill_serial, fill_tiles, heavy_value, plain_cell, thread_pool,
};
use workload::testing::{ScratchDir, files_below};

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
            let array = fill.run().unwrap();
            assert_eq!(array.cells(), expected, "{shape}, {workers} processes");
            assert!(array.path().starts_with(dir.path()));
            drop(array);
            assert!(
                files_below(dir.path()).is_empty(),
                "the file went with the array"
            );
        }
    }
}

#[test]
fn threads_mapping_their_bands_fill_the_serial_array_and_leave_no_file() {
    let dir = ScratchDir::new("06-thread-bands");
    for (rows, cols) in SHAPES {
        let shape = Shape { rows, cols };
        let expected = serial(shape, &plain_cell);
        for workers in [1, 2, 3, 7] {
            let file = Rc::new(MapFile::create(dir.path(), shape).unwrap());
            fill_file_with_threads(&file, shape, workers).unwrap();
            let array = SharedArray::open(file).unwrap();
            assert_eq!(array.cells(), expected, "{shape}, {workers} threads");
            drop(array);
            assert!(files_below(dir.path()).is_empty());
        }
    }
}

#[test]
fn a_crashed_worker_process_is_named_and_its_file_removed() {
    let dir = ScratchDir::new("06-crash");
    let fill = process_fill(dir.path(), Shape { rows: 10, cols: 4 }, 3, Some(1));
    let err = format!("{:#}", fill.run().err().expect("a crash is an error"));
    assert!(
        err.contains("worker process 1 (rows 4..8) crashed"),
        "{err}"
    );
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
            let file = Rc::new(fill.create_file().unwrap());
            let mut pool = ProcessPool::start(&fill, &file).unwrap();
            for _ in 0..3 {
                pool.fill().unwrap();
                let array = SharedArray::open(Rc::clone(&file)).unwrap();
                assert_eq!(array.cells(), expected, "{shape}, {workers} processes");
            }
            drop((pool, file));
            assert!(files_below(dir.path()).is_empty());
        }
    }
}

#[test]
fn a_crashed_pool_worker_is_named() {
    let dir = ScratchDir::new("06-pool-crash");
    let fill = process_fill(dir.path(), Shape { rows: 9, cols: 4 }, 3, Some(2));
    let file = fill.create_file().unwrap();
    let mut pool = ProcessPool::start(&fill, &file).unwrap();
    let err = format!("{:#}", pool.fill().expect_err("a crash is an error"));
    assert!(
        err.contains("worker process 2 (rows 6..9) crashed"),
        "{err}"
    );
    drop((pool, file));
    assert!(files_below(dir.path()).is_empty());
}

/// This demo's binary as the worker of a process fill.
fn process_fill(
    dir: &std::path::Path,
    shape: Shape,
    workers: usize,
    crash: Option<usize>,
) -> ProcessFill {
    ProcessFill {
        program: env!("CARGO_BIN_EXE_06-shared-array-fill").into(),
        dir: dir.to_owned(),
        shape,
        workers,
        crash,
        pause_ms: 0,
    }
}
