//! The owned child: a child process that is always reaped, and killed first if need be.

use std::io;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus};
use std::time::{Duration, Instant};

/// How often the parent looks whether a child has exited while it waits for it.
pub const POLL: Duration = Duration::from_millis(1);

// ANCHOR: owned_child
/// A child process that is always waited for. Dropped while it still runs (an error, an early
/// return, Ctrl-C on its way out of `main`), it is killed first. So no path out of the
/// parent leaves it running or as a zombie.
pub struct OwnedChild(Child);

impl OwnedChild {
    pub fn spawn(command: &mut Command) -> io::Result<Self> {
        command.spawn().map(Self)
    }
}

impl Drop for OwnedChild {
    fn drop(&mut self) {
        // `try_wait` reaps a child that has exited; one that has not is killed, then reaped.
        if !matches!(self.0.try_wait(), Ok(Some(_))) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}
// ANCHOR_END: owned_child

impl OwnedChild {
    pub fn id(&self) -> u32 {
        self.0.id()
    }

    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        self.0.wait()
    }

    /// How it ended, if it has; never blocks.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.0.try_wait()
    }

    pub fn kill(&mut self) -> io::Result<()> {
        self.0.kill()
    }

    /// Wait up to `grace` for the child to exit by itself, then kill it; how it ended.
    pub fn wait_or_kill(&mut self, grace: Duration) -> io::Result<ExitStatus> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.try_wait()? {
                return Ok(status);
            }
            if start.elapsed() >= grace {
                self.kill()?;
                return self.wait();
            }
            std::thread::sleep(POLL);
        }
    }

    /// Take the parent's ends of the child's stdin and stdout, where they are piped.
    pub fn take_pipes(&mut self) -> (Option<ChildStdin>, Option<ChildStdout>) {
        (self.0.stdin.take(), self.0.stdout.take())
    }

    /// Take the parent's end of the child's stderr, where it is piped.
    pub fn take_stderr(&mut self) -> Option<ChildStderr> {
        self.0.stderr.take()
    }
}
