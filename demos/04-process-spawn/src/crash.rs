//! Failing on purpose: the flags that make a chosen worker crash or hang, for the lesson on
//! failures and for the tests. How it fails is the shared toolkit's `CrashHow`.

pub use harness::process::CrashHow;

/// Which worker crashes, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Crash {
    pub worker: usize,
    pub how: CrashHow,
}

/// `how`, if `crash` asks worker `worker` to crash.
pub(crate) fn crash_for(crash: Option<Crash>, worker: usize) -> Option<CrashHow> {
    crash.filter(|c| c.worker == worker).map(|c| c.how)
}

/// The flags that make a worker crash, for the lesson on failures and for the tests.
#[derive(clap::Args, Clone, Debug)]
pub struct CrashArgs {
    /// Make worker K (0 is the first) fail, to see the parent notice, report it and stop
    #[arg(long, value_name = "K")]
    pub crash_child: Option<usize>,

    /// How the worker given by --crash-child fails (hang: it stops answering until --deadline)
    #[arg(long, value_name = "HOW", value_enum, default_value_t = CrashHow::Exit)]
    pub crash_how: CrashHow,

    /// Which kind of worker --crash-child makes crash
    #[arg(long, value_name = "WHERE", value_enum, default_value_t = CrashIn::OneShot)]
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
        Some(Crash {
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
