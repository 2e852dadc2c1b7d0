//! What the comparisons need from the command line, shared by the demo's tables and the
//! ping-pong report.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use shared_array_fill::Shape;
use workload::ImageSize;
use workload::grid::Grid;

use crate::fail::How;

/// The parts of the demo, for `--only`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    Fill,
    Grid,
    Images,
    Pingpong,
}

/// Everything the comparisons need, from the command line.
#[derive(Clone, Debug)]
pub struct Settings {
    pub shape: Shape,
    pub grid: Grid,
    pub images: (ImageSize, usize),
    pub out: PathBuf,
    /// rayon threads inside each rank in the hybrid.
    pub threads: usize,
    pub runs: usize,
    pub parts: Vec<Part>,
    /// The largest ping-pong message in bytes.
    pub largest: usize,
    pub fail: Option<(i32, How)>,
    /// This binary, which the pipe ping-pong starts as its echo process.
    pub exe: PathBuf,
}

/// Where the images and the chart go by default.
pub fn default_out() -> PathBuf {
    harness::cli::default_out_dir("12-mpi-ranks")
}

/// The ping-pong chart's file in `out`.
pub fn chart_path(out: &Path) -> PathBuf {
    out.join("pingpong.svg")
}
