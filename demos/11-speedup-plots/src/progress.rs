//! A progress line on stderr with an estimate of the time left. On a terminal it redraws one
//! line; otherwise (a log, CI) it prints only a line per stage.

use std::io::{IsTerminal, Write};
use std::time::Instant;

pub struct Progress {
    total: usize,
    done: usize,
    start: Instant,
    stage: String,
    redraw: bool,
    quiet: bool,
}

impl Progress {
    /// Progress over `total` steps, drawn on stderr.
    pub fn new(total: usize) -> Self {
        Self {
            total: total.max(1),
            done: 0,
            start: Instant::now(),
            stage: String::new(),
            redraw: std::io::stderr().is_terminal(),
            quiet: false,
        }
    }

    /// Progress that prints nothing (for tests).
    pub fn hidden(total: usize) -> Self {
        Self {
            quiet: true,
            redraw: false,
            ..Self::new(total)
        }
    }

    /// A new stage begins: on a terminal the line shows its name, elsewhere a line says it.
    pub fn stage(&mut self, name: &str) {
        self.stage = name.to_owned();
        if !self.quiet && !self.redraw {
            eprintln!("{name} ...");
        }
        self.draw();
    }

    pub fn step(&mut self) {
        self.done = (self.done + 1).min(self.total);
        self.draw();
    }

    /// The estimate: the time so far, scaled by the share of the steps still to do.
    pub fn seconds_left(&self) -> f64 {
        let elapsed = self.start.elapsed().as_secs_f64();
        elapsed * (self.total - self.done) as f64 / self.done.max(1) as f64
    }

    fn draw(&self) {
        if !self.redraw {
            return;
        }
        const WIDTH: usize = 30;
        let filled = WIDTH * self.done / self.total;
        let left = self.seconds_left().round() as u64;
        eprint!(
            "\r[{}{}] {:>3}%  about {}:{:02} left  {:<24}",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            100 * self.done / self.total,
            left / 60,
            left % 60,
            self.stage,
        );
        let _ = std::io::stderr().flush();
    }

    /// Clear the line once everything is done.
    pub fn finish(&self) {
        if self.redraw {
            eprint!("\r{:80}\r", "");
        }
    }
}
