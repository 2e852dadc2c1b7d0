//! The demo's command line.

use std::path::PathBuf;

use clap::Parser;
use harness::cli::{ImageArgs, RunsArg, ThreadsArg};

/// Make the noise images on a rayon thread pool and compare with the serial map; then load
/// them back into one array, serially and in parallel.
#[derive(Parser)]
#[command(name = "03-thread-pool-map")]
pub struct Cli {
    #[command(flatten)]
    pub images: ImageArgs,
    #[command(flatten)]
    pub threads: ThreadsArg,
    #[command(flatten)]
    pub runs: RunsArg,

    /// Task sizes to compare, comma-separated: a number of images per task, or `worker` for
    /// one block of images per worker
    #[arg(long, value_name = "SIZES", value_delimiter = ',', default_value = "1,worker", value_parser = chunk)]
    pub chunk: Vec<Option<usize>>,

    /// Skip writing: only load `--count` images already in DIR (e.g. written by demo 01)
    #[arg(long, value_name = "DIR")]
    pub load_from: Option<PathBuf>,
}

/// A number of images per task, or `None` for one block per worker.
fn chunk(text: &str) -> Result<Option<usize>, String> {
    match text.parse() {
        Ok(n) if n >= 1 => Ok(Some(n)),
        _ if text == "worker" => Ok(None),
        _ => Err("expected a number of at least 1, or `worker`".into()),
    }
}
