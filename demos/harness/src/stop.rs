//! Ctrl-C and SIGTERM, handled once for every demo: a thread of its own waits for either
//! signal and raises a flag; the loops that wait on workers look at the flag and return an
//! error, so `main` returns normally and every guard (a child, a file) cleans up on the way.

use std::sync::atomic::{AtomicI32, Ordering};

use nix::sys::signal::{SigSet, Signal};

/// The signal that asked us to stop, as a number; 0 while none has.
static STOP: AtomicI32 = AtomicI32::new(0);

/// Why the run stopped early: the error the waiting loops return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Stopped {
    #[error("interrupted")]
    Interrupted,
    #[error("terminated")]
    Terminated,
}

impl Stopped {
    /// The shell's convention: 128 plus the signal's number.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Interrupted => 130,
            Self::Terminated => 143,
        }
    }
}

/// Block SIGINT and SIGTERM in this thread, and so in every thread started after it, and
/// start the one thread that waits for them. Call it first in `main`. A second signal ends
/// the program at once, for a user who does not want to wait for the clean-up.
pub fn install() -> anyhow::Result<()> {
    let signals = SigSet::from_iter([Signal::SIGINT, Signal::SIGTERM]);
    signals.thread_block()?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            while let Ok(signal) = signals.wait() {
                let before = STOP.swap(signal as i32, Ordering::SeqCst);
                if before != 0 {
                    std::process::exit(128 + signal as i32);
                }
            }
        })?;
    Ok(())
}

/// `Err` once a signal asked us to stop: a waiting loop returns it with `?`.
pub fn check() -> Result<(), Stopped> {
    match STOP.load(Ordering::SeqCst) {
        0 => Ok(()),
        s if s == Signal::SIGTERM as i32 => Err(Stopped::Terminated),
        _ => Err(Stopped::Interrupted),
    }
}
