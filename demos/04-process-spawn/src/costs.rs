//! What a process costs to start, next to `/bin/true` and a thread.

use std::fmt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use harness::report::{Timing, seconds};

use crate::worker::Role;

// ANCHOR: spawn_and_wait
/// Start `command` and wait for it to exit: the time both took.
pub fn spawn_and_wait(command: &mut Command) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let status = command
        .status()
        .with_context(|| format!("cannot run {command:?}"))?;
    let time = start.elapsed();
    ensure!(status.success(), "{command:?} failed: {status}");
    Ok(time)
}
// ANCHOR_END: spawn_and_wait

/// What starting something costs: medians of runs taken in turns.
pub struct StartCosts {
    pub samples: usize,
    /// This binary as a worker that does nothing.
    pub this_binary: Timing,
    /// The smallest program there is.
    pub bin_true: Timing,
    /// `std::thread::spawn` and `join` of a thread that does nothing.
    pub thread: Timing,
}

/// Measure the start costs, `samples` times each, taking turns.
pub fn start_costs(exe: &Path, samples: usize) -> anyhow::Result<StartCosts> {
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..samples.max(1) {
        times[0].push(spawn_and_wait(&mut Role::Nothing.command(exe))?);
        times[1].push(spawn_and_wait(&mut Command::new("/bin/true"))?);
        let start = Instant::now();
        std::thread::spawn(|| ())
            .join()
            .expect("an empty thread cannot panic");
        times[2].push(start.elapsed());
    }
    let [this_binary, bin_true, thread] = times.map(Timing::new);
    Ok(StartCosts {
        samples,
        this_binary,
        bin_true,
        thread,
    })
}

impl fmt::Display for StartCosts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let samples = self.samples;
        writeln!(
            f,
            "start and wait for (median of {samples}, taken in turns):"
        )?;
        let ratio = self.this_binary.median().as_secs_f64() / self.bin_true.median().as_secs_f64();
        let rows = [
            (
                "this binary as a do-nothing worker",
                &self.this_binary,
                format!("{ratio:.2}x /bin/true"),
            ),
            ("/bin/true", &self.bin_true, String::new()),
            ("a thread (spawn + join)", &self.thread, String::new()),
        ];
        for (what, timing, note) in rows {
            let line = format!("  {what:<35} {:>8}   {note}", seconds(timing.median()));
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}
