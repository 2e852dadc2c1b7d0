//! Demo 12: the workbook's work split across MPI ranks. `mpirun` starts N copies of this
//! binary (SPMD: a single program on multiple data); each copy's rank decides its share, and
//! the results meet on rank 0 through MPI's collectives (rsmpi on Open MPI).
#![forbid(unsafe_code)]

pub mod args;
pub mod demo;
pub mod fail;
pub mod gather;
pub mod images;
pub mod pingpong;
pub mod report;
pub mod settings;
pub mod shares;
pub mod start;
pub mod sweep;
pub mod threads;

pub use shares::Shares;
