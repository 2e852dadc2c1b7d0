//! The sweep's progress on stderr, drawn by `indicatif` with an estimate of the time left. On
//! a terminal it redraws one line; otherwise (a log, CI) it prints only a line per stage.

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    /// Print a line per stage: where there is no terminal to draw the bar on.
    log_stages: bool,
}

impl Progress {
    /// Progress over `total` steps, drawn on stderr.
    pub fn new(total: usize) -> Self {
        let bar = ProgressBar::new(total as u64);
        let style =
            ProgressStyle::with_template("[{bar:30}] {percent:>3}%  about {eta} left  {msg}")
                .expect("a valid template")
                .progress_chars("#>.");
        bar.set_style(style);
        let log_stages = bar.is_hidden();
        Self { bar, log_stages }
    }

    /// Progress that prints nothing (for tests).
    pub fn hidden() -> Self {
        Self {
            bar: ProgressBar::hidden(),
            log_stages: false,
        }
    }

    /// A new stage begins: on a terminal the line shows its name, elsewhere a line says it.
    pub fn stage(&mut self, name: &str) {
        if self.log_stages {
            eprintln!("{name} ...");
        }
        self.bar.set_message(name.to_owned());
    }

    pub fn step(&mut self) {
        self.bar.inc(1);
    }

    /// Clear the line once everything is done.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
