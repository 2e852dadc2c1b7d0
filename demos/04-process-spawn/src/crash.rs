//! Failing on purpose: the flags that make a chosen worker crash or hang, for the lesson on
//! failures and for the tests. How it fails is the shared toolkit's `CrashHow`.

use std::ops::Range;
use std::path::Path;

use workload::{image_path, temp_path};

pub use harness::process::CrashHow;

/// Which worker crashes, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crash {
    /// Worker K fails: a one-shot child after its first image, a pool worker on its first
    /// image task (this demo's `--crash-child`)
    Worker { worker: usize, how: CrashHow },
    /// Whichever worker meets image K fails there, before making it (chapter 10's faults)
    Image { index: usize, how: CrashHow },
}

impl Crash {
    /// For one-shot child `child` with images `images`: how it fails, and the image it fails
    /// at, before making it; `None` if it does not fail.
    pub(crate) fn for_child(
        self,
        child: usize,
        images: &Range<usize>,
    ) -> Option<(CrashHow, usize)> {
        match self {
            Self::Worker { worker, how } if worker == child => {
                Some((how, images.end.min(images.start + 1)))
            }
            Self::Image { index, how } if images.contains(&index) => Some((how, index)),
            _ => None,
        }
    }

    /// For pool worker `number`: how it fails, and at which image's task (`None`: its first).
    pub(crate) fn for_pool_worker(self, number: usize) -> Option<(CrashHow, Option<usize>)> {
        match self {
            Self::Worker { worker, how } if worker == number => Some((how, None)),
            Self::Image { index, how } => Some((how, Some(index))),
            Self::Worker { .. } => None,
        }
    }
}

/// A one-shot child fails `how`, now, at image `at` of its images up to `to`. One that hangs
/// does so halfway through writing the image, its temporary file left as a writer stuck on a
/// slow disk leaves it: the parent that kills it must remove that file, and a test can stop
/// the parent while it is there.
pub(crate) fn fail(how: CrashHow, dir: &Path, at: usize, to: usize) -> ! {
    if how == CrashHow::Hang && at < to {
        let _ = std::fs::write(temp_path(&image_path(dir, at)), b"half an image");
    }
    how.crash()
}

/// The flags that make a worker crash, for the lesson on failures and for the tests.
#[derive(clap::Args, Clone, Debug)]
pub struct CrashArgs {
    /// Make worker K (0 is the first) fail, to see the parent notice, report it and stop
    #[arg(long, value_name = "K")]
    pub crash_child: Option<usize>,

    /// How the worker given by --crash-child fails (hang: it stops answering until --deadline)
    #[arg(long, value_name = "HOW", value_enum, default_value_t = CrashHow::Exit, requires = "crash_child")]
    pub crash_how: CrashHow,

    /// Which kind of worker --crash-child makes crash
    #[arg(long, value_name = "WHERE", value_enum, default_value_t = CrashIn::OneShot, requires = "crash_child")]
    pub crash_in: CrashIn,
}

/// The kind of worker `--crash-child` is about.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrashIn {
    /// A one-shot child: it makes the first image of its range, then crashes
    OneShot,
    /// A pool worker: it crashes when the first image task reaches it
    Pool,
}

impl CrashArgs {
    /// The crash these flags ask of workers of kind `place`, if any.
    pub fn at(&self, place: CrashIn) -> Option<Crash> {
        let worker = self.crash_child.filter(|_| self.crash_in == place)?;
        Some(Crash::Worker {
            worker,
            how: self.crash_how,
        })
    }

    /// An error line when `--crash-child` names a worker that will not exist.
    pub fn check(&self, processes: usize) -> Result<(), String> {
        match self.crash_child {
            Some(k) if k >= processes => Err(format!(
                "--crash-child {k} names no worker: there are {processes}, numbered from 0"
            )),
            _ => Ok(()),
        }
    }
}
