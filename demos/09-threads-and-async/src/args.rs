//! The command line of `09-threads-and-async`, and the settings it asks for once checked.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use harness::cli::{MAX_WORKERS, RunsArg, default_out_dir, within};

use crate::limits::{most_connections, most_threads, raise_open_files, somaxconn};
use crate::{Fault, Settings};

/// The same requests to a slow server of the demo's own (a child process on 127.0.0.1,
/// answering each after --delay-ms), made over real TCP connections by a serial loop, one OS
/// thread per request, a fixed pool of threads with blocking sockets, tokio tasks, and tokio
/// tasks under a semaphore; with what each costs in time, CPU, peak memory and OS threads.
/// Then two pitfalls run: a blocking call inside a task, and computing inside tasks.
#[derive(Parser)]
#[command(name = "09-threads-and-async")]
pub struct Cli {
    /// How many requests each strategy makes; several, comma-separated, give a table each and
    /// a chart (0 to 100000)
    #[arg(long, value_name = "N,...", value_delimiter = ',', default_value = "10,100,1000,10000", value_parser = within::<0, 100_000>)]
    pub requests: Vec<usize>,
    /// How long the server waits before it answers a request, in milliseconds (0 to 60000)
    #[arg(long, value_name = "MS", default_value_t = 200, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub delay_ms: u64,
    /// Threads of the fixed pool with blocking sockets, 1 to 1024
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = within::<1, MAX_WORKERS>)]
    pub threads: usize,
    /// Worker threads of each tokio runtime, 1 to 1024 [default: all logical cores]
    #[arg(long, value_name = "N", value_parser = within::<1, MAX_WORKERS>)]
    pub workers: Option<usize>,
    /// Requests at once under the semaphore, 1 to 100000
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = within::<1, 100_000>)]
    pub limit: usize,
    /// Milliseconds a client waits for its answer before it gives up and the run fails with
    /// one line (1 to 3600000)
    #[arg(long, value_name = "MS", default_value_t = 30_000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    pub timeout_ms: u64,
    /// Leave out a strategy whose waits one after another would alone take longer than this
    /// many seconds (the serial loop, a small pool at many requests); the table says which
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=86_400))]
    pub longest_s: u64,
    /// The most threads "one thread per request" may start; more requests than that, and it is
    /// refused before its first thread [default: what the OS allows this process]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_threads: Option<u64>,
    /// The port the server listens on, on 127.0.0.1 [default: 0, any free one]
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    pub port: u16,
    /// Make the server misbehave, to see the clients' one-line error
    #[arg(long, value_name = "HOW", value_enum)]
    pub server_fault: Option<Fault>,
    /// Skip the two pitfalls after the tables
    #[arg(long)]
    pub no_pitfalls: bool,
    /// Where the chart goes [default: target/demo-output/09-threads-and-async]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub runs: RunsArg,
}

impl Cli {
    /// The settings, once the machine's limits are raised where they can be and checked; a
    /// request count beyond them is one line.
    pub fn settings(self) -> Result<Settings, String> {
        let open_files =
            raise_open_files().map_err(|e| format!("cannot read RLIMIT_NOFILE: {e}"))?;
        let (most, why) = most_connections(open_files);
        let wanted = self.requests.iter().copied().max().unwrap_or(0);
        if wanted as u64 > most {
            return Err(format!(
                "--requests {wanted} needs {wanted} connections open at once; {why} allow {most}"
            ));
        }
        let os_threads = most_threads();
        let max_threads = match self.max_threads {
            Some(n) => (n.min(os_threads.0), "--max-threads".to_owned()),
            None => os_threads,
        };
        let backlog = wanted + 64;
        let capped = somaxconn().filter(|&cap| cap < backlog as u64);
        let limits = format!(
            "limits: {most} connections at once ({why}); {} threads ({}); listen backlog {backlog}{}",
            max_threads.0,
            max_threads.1,
            capped.map_or(String::new(), |cap| format!(
                ", which the kernel cuts to somaxconn {cap}"
            ))
        );
        Ok(Settings {
            requests: self.requests,
            delay: Duration::from_millis(self.delay_ms),
            pool: self.threads,
            workers: self.workers.unwrap_or_else(harness::machine::logical_cores),
            limit: self.limit,
            patience: Duration::from_millis(self.timeout_ms),
            longest: Duration::from_secs(self.longest_s),
            max_threads,
            port: self.port,
            fault: self.server_fault,
            pitfalls: !self.no_pitfalls,
            runs: self.runs.runs,
            out: self
                .out
                .unwrap_or_else(|| default_out_dir("09-threads-and-async")),
            limits,
        })
    }
}
