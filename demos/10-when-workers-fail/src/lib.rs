//! Demo 10: the strategies of demos 03-06 when a worker fails. Each cell of a matrix of
//! strategies and faults is a real run, bounded in time: a panic, a killed or aborting
//! process, a stuck worker, a full disk, a corrupt input. Every strategy notices, names the
//! item and the worker, finishes or accounts for the rest, and leaves nothing half-written.
//! Chapters 3 to 6's code runs as it is: chapter 3's map and chapter 5's queue get the faults
//! in the item function or the job they run, chapter 4's one-shot children and pool and
//! chapter 6's process fill through their own crash hooks. With `--plain`, four strategies run without their fixes
//! (chapter 3's map and chapter 5's minimal queue among them), each contained in a program of
//! its own, to show the crash, the hang and the silent loss that the fixes prevent.
#![forbid(unsafe_code)]

pub mod args;
pub mod contained;
pub mod fault;
pub mod hidden;
pub mod item;
pub mod leftovers;
pub mod matrix;
pub mod plain;
pub mod plain_cells;
pub mod processes;
pub mod threads;
pub mod worker;

pub use fault::Fault;
pub use hidden::Job;
pub use item::{Ledger, Plan, Report, Work, inverted, make_item};
pub use matrix::{Cell, Outcome, Settings, Strategy, run_cell, run_matrix, table, verdict};
pub use plain::{Plain, PlainRun};
pub use plain_cells::{PlainCell, plain_table, plain_verdict, run_plain, run_plain_cells};
pub use worker::{Role, work};
