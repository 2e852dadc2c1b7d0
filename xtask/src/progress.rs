//! A progress line on stderr for the commands that take minutes (`indicatif`): which step of
//! how many, the time so far, and what runs now. Where stderr is no terminal (a log, CI), a
//! line per step instead.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Steps {
    bar: ProgressBar,
}

impl Steps {
    /// Progress over `len` steps.
    pub fn new(len: usize) -> Self {
        let bar = ProgressBar::new(len as u64);
        let style = ProgressStyle::with_template("{spinner} [{pos}/{len}] {elapsed} {msg}")
            .expect("a valid template");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        Self { bar }
    }

    /// Step `what` begins.
    pub fn start(&self, what: &str) {
        if self.bar.is_hidden() {
            eprintln!("{what} ...");
        }
        self.bar.set_message(what.to_owned());
    }

    /// The step that began last is over.
    pub fn done(&self) {
        self.bar.inc(1);
    }

    /// Print `line` on stdout, the progress line out of its way.
    pub fn println(&self, line: &str) {
        self.bar.suspend(|| println!("{line}"));
    }
}

impl Drop for Steps {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
