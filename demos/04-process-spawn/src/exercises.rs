//! Solutions to the exercises of chapter 4.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::ensure;
use harness::report::Timing;

use crate::OwnedChild;

// ANCHOR: start_many
/// Exercise 4.1: start `processes` copies of `command` all at once, then wait for every one.
/// Returns the time from the first start to the last exit.
pub fn start_many(
    mut command: impl FnMut() -> Command,
    processes: usize,
) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let mut children = Vec::with_capacity(processes);
    for _ in 0..processes {
        children.push(OwnedChild::spawn(&mut command())?);
    }
    for child in &mut children {
        let status = child.wait()?;
        ensure!(status.success(), "a child failed: {status}");
    }
    Ok(start.elapsed())
}

/// The median of `samples` runs of [`start_many`] for each count, with the time per process.
pub fn start_cost_by_count(
    mut command: impl FnMut() -> Command,
    counts: &[usize],
    samples: usize,
) -> anyhow::Result<Vec<(usize, Duration, Duration)>> {
    let mut rows = Vec::new();
    for &processes in counts {
        let runs = (0..samples.max(1))
            .map(|_| start_many(&mut command, processes))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let total = Timing::new(runs).median();
        rows.push((processes, total, total / processes.max(1) as u32));
    }
    Ok(rows)
}
// ANCHOR_END: start_many

// ANCHOR: round_trip_by_size
/// Exercise 4.2: how long an echo of each size takes to go to a worker and come back
/// (the median of `samples`), and how many bytes moved for it both ways.
pub fn round_trip_by_size(
    mut echo: impl FnMut(Vec<u8>) -> anyhow::Result<usize>,
    sizes: &[usize],
    samples: usize,
) -> anyhow::Result<Vec<(usize, usize, Duration)>> {
    let mut rows = Vec::new();
    for &size in sizes {
        let (mut times, mut moved) = (Vec::new(), 0);
        for _ in 0..samples.max(1) {
            let payload = vec![0xA5; size]; // made before the clock starts
            let start = Instant::now();
            moved = echo(payload)?;
            times.push(start.elapsed());
        }
        rows.push((size, moved, Timing::new(times).median()));
    }
    Ok(rows)
}
// ANCHOR_END: round_trip_by_size

#[cfg(test)]
mod tests {
    use std::io::{BufReader, BufWriter};

    use super::*;
    use harness::link::{receive, send};

    use crate::{Reply, ServeJob, Task, serve};

    #[test]
    fn starting_many_waits_for_every_one() {
        let rows = start_cost_by_count(|| Command::new("/bin/true"), &[1, 3], 2).unwrap();
        let counts: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(counts, [1, 3]);
        assert!(
            rows.iter()
                .all(|&(n, total, each)| each * n as u32 <= total)
        );
        let failing = start_many(|| Command::new("/bin/false"), 2).unwrap_err();
        assert!(failing.to_string().contains("a child failed"), "{failing}");
    }

    #[test]
    fn echoes_of_every_size_come_back_over_a_pipe() {
        // A worker on a thread of this test, with real pipes between us: the same code a
        // pool worker process runs on its stdin and stdout.
        let (task_reader, task_writer) = std::io::pipe().unwrap();
        let (reply_reader, reply_writer) = std::io::pipe().unwrap();
        let job = ServeJob {
            size: workload::ImageSize::new(4, 4),
            crash: None,
        };
        let worker = std::thread::spawn(move || {
            serve(
                BufReader::new(task_reader),
                BufWriter::new(reply_writer),
                &job,
            )
        });
        let (mut to, mut from) = (BufWriter::new(task_writer), BufReader::new(reply_reader));
        let echo = |payload: Vec<u8>| {
            let task = Task::Echo {
                payload: payload.clone(),
            };
            let sent = send(&mut to, &task)?;
            let (reply, got) = receive::<Reply>(&mut from)?.expect("worker is alive");
            let moved = sent + got;
            ensure!(reply == Reply::Echo { payload }, "changed on the way");
            Ok(moved)
        };
        let rows = round_trip_by_size(echo, &[0, 1000, 300_000], 3).unwrap();
        for (size, moved, _) in rows {
            assert!(
                moved >= 2 * size + 8,
                "{size} bytes each way, {moved} moved"
            );
        }
        drop((to, from));
        worker.join().unwrap().unwrap();
    }
}
