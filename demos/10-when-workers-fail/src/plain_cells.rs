//! The plain cells of `--plain`: the plain code of a strategy under one fault, run contained,
//! and what it did: how it ended, which images it left whole, what it said, and whether that
//! is how its plain code fails.

use anyhow::Context;
use harness::report::seconds;

use crate::contained::{Ended, LIMIT, Outcome, run_contained};
use crate::fault::Fault;
use crate::item::Work;
use crate::leftovers::{entries_below, leftovers, whole_images};
use crate::matrix::{Settings, aligned};
use crate::plain::{Plain, PlainRun};

/// One plain cell: how the run ended, what it printed, and what the demo found after it.
#[derive(Debug)]
pub struct PlainCell {
    pub plain: Plain,
    pub work: Work,
    pub ended: Ended,
    /// The other processes of its group that still ran when it ended or was killed: the
    /// workers it had started, which the demo killed with it.
    pub stragglers: usize,
    pub stdout: String,
    pub stderr: String,
    /// The items whose output image is there and whole.
    pub whole: Vec<usize>,
    /// The half-written files it left, which the demo removed.
    pub removed: Vec<String>,
    /// What is still there once the demo has cleaned up: nothing, unless the demo is wrong.
    pub left: Vec<String>,
}

/// Run the plain version `plain` in a folder of its own under `settings.out`, contained;
/// then remove the half-written files it left and check that nothing else is left.
pub fn run_plain(settings: &Settings, plain: Plain, fault: Fault) -> anyhow::Result<PlainCell> {
    let (strategy, fault_name) = (plain.strategy().name(), fault.name());
    let dir = settings.out.join(format!("plain-{strategy}-{fault_name}"));
    let work = Work {
        input: dir.join("input"),
        output: dir.join("output"),
        side: settings.side,
        count: settings.count,
        fault,
        at: settings.at,
        map_dir: settings.map_dir.clone(),
    };
    work.prepare()?;
    let exe = std::env::current_exe().context("cannot find this program's own file")?;
    let run = PlainRun {
        strategy: plain,
        workers: settings.workers_for(plain.strategy()),
        work: work.clone(),
    };
    let mut command = run.command(&exe);
    // A panic's message without the backtrace that RUST_BACKTRACE adds: it goes in a row.
    command
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE");
    let recording = harness::timeline::Recording::start(work.count); // with --timeline
    let Outcome {
        ended,
        stragglers,
        stdout,
        stderr,
        mut left,
    } = run_contained(command)?;
    if let Some(recording) = recording {
        recording.stop(&format!("plain {strategy} under {fault_name}"));
    }
    let mut removed = Vec::new();
    for (file, _) in entries_below(&work.output) {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with(".tmp") && std::fs::remove_file(&file).is_ok() {
            removed.push(name.into_owned());
        }
    }
    left.extend(leftovers(&work));
    Ok(PlainCell {
        plain,
        ended,
        stragglers,
        stdout,
        stderr,
        whole: whole_images(&work),
        removed,
        left,
        work,
    })
}

/// Lines of what a program printed, without blank ones and Rust's `note:` lines, as one line.
fn one_line(text: &str) -> String {
    let lines = text.lines().map(str::trim);
    let lines: Vec<&str> = lines
        .filter(|l| !l.is_empty() && !l.starts_with("note:"))
        .collect();
    lines.join(" ")
}

impl PlainCell {
    /// What the cell did that its plain code does not do, in a phrase; `None` when it failed
    /// in its own way (the queue hung with items missing, the one-shot children's run
    /// exited with 0 and said nothing while items were missing, the pool hung without a word)
    /// and nothing was left once the demo had cleaned up.
    pub fn unexpected(&self) -> Option<String> {
        let missing = self.whole.len() < self.work.count;
        let silent = self.stderr.trim().is_empty();
        let as_plain_code_does = match (self.plain, self.work.fault, &self.ended) {
            // `join` (or rayon's `install`) hands the worker's panic to the caller, which dies
            // of it.
            (Plain::Rayon | Plain::Queue, Fault::Panic, Ended::Exited { status, .. }) => {
                !status.success() && missing
            }
            (Plain::Queue, Fault::Stuck, Ended::Hung) => missing && silent,
            (Plain::OneShot, _, Ended::Exited { status, .. }) => {
                status.success() && silent && missing
            }
            (Plain::Pool, _, Ended::Hung) => missing && silent,
            _ => false,
        };
        if !self.left.is_empty() {
            Some(format!("left behind: {}", self.left.join(", ")))
        } else if !as_plain_code_does {
            let [.., ended, images, _, said] = self.row();
            Some(format!("{ended}, {images} images, said {said}"))
        } else {
            None
        }
    }

    /// The columns of this cell's row, as in [`PLAIN_HEADINGS`].
    fn row(&self) -> [String; 6] {
        let ended = match &self.ended {
            Ended::Hung => format!(
                "hung: still waiting after {}, killed by the demo",
                seconds(LIMIT)
            ),
            Ended::Exited { status, took } => format!("{status} after {}", seconds(*took)),
        };
        let mut left = Vec::new();
        if self.stragglers > 0 {
            let n = self.stragglers;
            let processes = if n == 1 { "process" } else { "processes" };
            left.push(format!("{n} {processes} it started, killed"));
        }
        left.extend(self.removed.iter().map(|name| format!("{name}, removed")));
        left.extend(self.left.iter().cloned());
        let left = if left.is_empty() {
            "none".to_owned()
        } else {
            left.join("; ")
        };
        let mut said = Vec::new();
        for (pipe, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            let text = one_line(text);
            if !text.is_empty() {
                said.push(format!("{pipe}: {text}"));
            }
        }
        let said = if said.is_empty() {
            "nothing".to_owned()
        } else {
            said.join("; ")
        };
        [
            self.plain.strategy().name().to_owned(),
            self.work.fault.name().to_owned(),
            ended,
            format!("{}/{}", self.whole.len(), self.work.count),
            left,
            said,
        ]
    }
}

const PLAIN_HEADINGS: [&str; 6] = ["strategy", "fault", "ended", "images", "left", "said"];

/// The plain cells as one table, a row each; below it, what the fixed strategy in the matrix
/// does instead.
pub fn plain_table(cells: &[PlainCell]) -> String {
    let rows: Vec<[String; 6]> = cells.iter().map(PlainCell::row).collect();
    let mut out = aligned(PLAIN_HEADINGS, &rows);
    out.push_str("\nwhat the fixed strategy does instead (run without --plain to see it):\n");
    let names: Vec<String> = cells
        .iter()
        .map(|c| format!("{} x {}", c.plain.strategy().name(), c.work.fault.name()))
        .collect();
    let width = names.iter().map(String::len).max().unwrap_or(0);
    for (cell, name) in cells.iter().zip(&names) {
        let fix = cell.plain.fix(cell.work.fault);
        out.push_str(&format!("  {name:<width$}  {fix}\n"));
    }
    out
}

/// Whether every plain cell failed as its plain code does and was cleaned up after: a line
/// that says so, or an error line naming the first that did not.
pub fn plain_verdict(cells: &[PlainCell]) -> Result<&'static str, String> {
    for cell in cells {
        if let Some(why) = cell.unexpected() {
            let (strategy, fault) = (cell.plain.strategy().name(), cell.work.fault.name());
            return Err(format!(
                "plain {strategy} x {fault} did not fail as expected: {why}"
            ));
        }
    }
    Ok(
        "every plain run failed as its plain code does; the demo killed and reaped each of its processes and removed what it left half-written",
    )
}

/// `--plain`: run the plain cells, contained, and print their table. Says whether each failed
/// as its plain code does: a line that says so, or an error line.
pub fn run_plain_cells(settings: &Settings, plain: &[Plain]) -> anyhow::Result<&'static str> {
    harness::outln!(
        "10-when-workers-fail --plain: {} without the fix, each a program of its own that the \
         demo kills if it still runs after {}; {} images of {s}x{s} pixels, item {} meets the \
         fault; {} worker threads or {} worker processes\nmachine: {}\n",
        match plain.iter().map(|p| p.faults().len()).sum::<usize>() {
            1 => "one cell".to_owned(),
            n => format!("{n} cells"),
        },
        seconds(LIMIT),
        settings.count,
        settings.at,
        settings.threads,
        settings.processes,
        harness::machine::Machine::current(),
        s = settings.side,
    )?;
    let mut cells = Vec::new();
    for (one, &fault) in plain
        .iter()
        .flat_map(|&p| p.faults().iter().map(move |f| (p, f)))
    {
        harness::stop::check()?;
        let (strategy, name) = (one.strategy().name(), fault.name());
        let cell = run_plain(settings, one, fault)
            .map_err(|err| anyhow::anyhow!("plain {strategy} x {name} could not run: {err:#}"))?;
        cells.push(cell);
    }
    harness::stop::check()?;
    harness::outln!("{}", plain_table(&cells).trim_end_matches('\n'))?;
    harness::outln!("\nfiles in {}", harness::cli::shown(&settings.out))?;
    plain_verdict(&cells).map_err(anyhow::Error::msg)
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;
    use std::time::Duration;

    use super::*;

    fn cell(plain: Plain, ended: Ended, whole: usize, stderr: &str) -> PlainCell {
        let work = Work {
            input: "in".into(),
            output: "out".into(),
            side: 4,
            count: 4,
            fault: plain.faults()[0],
            at: 2,
            map_dir: shared_array_fill::default_map_dir(),
        };
        PlainCell {
            plain,
            work,
            ended,
            stragglers: 0,
            stdout: String::new(),
            stderr: stderr.to_owned(),
            whole: (0..whole).collect(),
            removed: Vec::new(),
            left: Vec::new(),
        }
    }

    fn exited(code: i32) -> Ended {
        let (status, took) = (ExitStatus::from_raw(code << 8), Duration::from_millis(3));
        Ended::Exited { status, took }
    }

    #[test]
    fn a_plain_cell_is_as_expected_only_when_it_fails_the_way_its_code_does() {
        let panicked = "thread '<unnamed>' panicked at fault.rs:1:1:\ninjected panic at item 2";
        assert_eq!(
            cell(Plain::Queue, exited(101), 3, panicked).unexpected(),
            None
        );
        let mut stuck = cell(Plain::Queue, Ended::Hung, 3, "");
        stuck.work.fault = Fault::Stuck;
        assert_eq!(stuck.unexpected(), None);
        assert_eq!(cell(Plain::OneShot, exited(0), 2, "").unexpected(), None);
        assert_eq!(cell(Plain::Pool, Ended::Hung, 3, "").unexpected(), None);

        // Ended in another way: it did not fail, it hung where it should not, it said why,
        // or it lost nothing.
        let quick = cell(Plain::Queue, exited(0), 3, panicked)
            .unexpected()
            .unwrap();
        assert!(
            quick.starts_with("exit status: 0 after 3.0 ms, 3/4 images"),
            "{quick}"
        );
        assert!(
            cell(Plain::Queue, Ended::Hung, 3, panicked)
                .unexpected()
                .is_some()
        );
        let said = cell(Plain::OneShot, exited(0), 2, "error: item 2").unexpected();
        assert!(said.unwrap().ends_with("said stderr: error: item 2"));
        assert!(
            cell(Plain::OneShot, exited(0), 4, "")
                .unexpected()
                .is_some()
        );
        assert!(cell(Plain::Pool, Ended::Hung, 4, "").unexpected().is_some());

        let mut left = cell(Plain::Pool, Ended::Hung, 3, "");
        left.left.push("process 7".into());
        assert_eq!(left.unexpected().as_deref(), Some("left behind: process 7"));
    }

    #[test]
    fn what_a_program_said_goes_on_one_line_without_the_note() {
        let stderr =
            "thread 'x' panicked at a.rs:1:2:\n  boom\n\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(one_line(stderr), "thread 'x' panicked at a.rs:1:2: boom");
    }
}
