//! requests_asyncio.py and requests_threads.py: the requests of demo 09, to its own slow
//! server (this binary again, as a worker process), by tokio tasks or a pool of threads.

use std::time::Duration;

use clap::Args;
use threads_and_async::protocol::expected;
use threads_and_async::strategies::{pool, tasks};
use threads_and_async::{Server, ServerJob, Target};

#[derive(Args)]
pub struct Requests {
    /// How many requests
    #[arg(long, value_name = "N", default_value_t = 10000)]
    requests: usize,
    /// How long the server waits before each answer, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 200)]
    delay_ms: u64,
    /// Threads of the pool (requests-threads only)
    #[arg(long, value_name = "N", default_value_t = 100)]
    pool: usize,
    /// Worker threads of the tokio runtime (requests-asyncio only)
    #[command(flatten)]
    threads: harness::cli::ThreadsArg,
}

/// The requests by tokio tasks (`on_tasks`) or the pool; the result line both sides print.
pub fn run(args: &Requests, on_tasks: bool) -> anyhow::Result<String> {
    threads_and_async::limits::raise_open_files()?;
    let job = ServerJob {
        port: 0,
        backlog: u32::try_from(args.requests + 64)?,
        delay: Duration::from_millis(args.delay_ms),
        fault: None,
    };
    let server = Server::start(&std::env::current_exe()?, job)?;
    let target = Target {
        addr: server.addr,
        patience: Duration::from_secs(60),
    };
    let answers = if on_tasks {
        tasks(target, args.requests, args.threads.get())?
    } else {
        pool(target, args.requests, args.pool)?
    };
    anyhow::ensure!(answers == expected(args.requests), "some answers are wrong");
    let sum = answers.iter().fold(0, |sum: u64, a| sum.wrapping_add(*a));
    Ok(format!("{} answers, sum {sum}", answers.len()))
}
