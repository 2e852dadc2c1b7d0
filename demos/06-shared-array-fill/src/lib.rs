//! Demo 06: one big array filled by many workers at once. Threads each get a `&mut` to their
//! own rows (or tiles) of the array; processes each map their own rows of one shared file.
//! `plain` is the version a reader writes first: one array, `chunks_mut`, scoped threads.
//!
//! `unsafe` is denied in the whole crate and allowed in one module, `mapping`, where mapping
//! a file into memory needs it; every other module forbids it outright.
#![deny(unsafe_code)]

pub mod args;
pub mod cells;
pub mod demo;
pub mod error;
pub mod faults;
#[allow(unsafe_code)]
pub mod mapping;
pub mod plain;
pub mod pool;
pub mod processes;
pub mod room;
pub mod threads;
pub mod worker;

pub use cells::{Shape, ShapeError, fill_rows, heavy_value, plain_cell};
pub use error::{FillError, WorkerError};
pub use faults::{BandCrash, Faults, WorkerJob, run_worker};
pub use pool::ProcessPool;
pub use processes::{ProcessFill, default_map_dir};
pub use thread_pool_map::thread_pool;
pub use threads::{fill_rayon, fill_scoped, fill_serial, fill_tiles, tiles};
pub use worker::{FillJob, fill_band};
