//! What a message costs: a buffer sent from rank 0 to rank 1 and straight back, timed over
//! many round trips; and the same between this process and a child over two pipes, as the
//! process pool of chapter 4 talks to its workers.
#![forbid(unsafe_code)]

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use harness::child::OwnedChild;
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;

/// Message sizes from 8 bytes up to `largest` (a power of two apart), and how many round
/// trips each gets: many for small messages, so that a clock tick does not dominate.
pub fn sizes(largest: usize) -> Vec<(usize, usize)> {
    std::iter::successors(Some(8usize), |&n| n.checked_mul(2))
        .take_while(|&n| n <= largest)
        .map(|n| (n, ((1 << 24) / n).clamp(4, 2000)))
        .collect()
}

// ANCHOR: ping
/// Rank 0 sends `bytes` to rank 1, which sends them back, `trips` times; rank 0 gets the time
/// of one round trip (the fastest of them: the cost of the message, not of the noise).
pub fn mpi_round_trip(world: &SimpleCommunicator, bytes: usize, trips: usize) -> Option<Duration> {
    let mut buffer = vec![0u8; bytes];
    let mut fastest = Duration::MAX;
    let (me, other) = (world.rank(), world.process_at_rank(1 - world.rank().min(1)));
    for _ in 0..trips {
        let start = Instant::now();
        match me {
            0 => {
                other.send(&buffer[..]);
                other.receive_into(&mut buffer[..]);
            }
            1 => {
                other.receive_into(&mut buffer[..]);
                other.send(&buffer[..]);
            }
            _ => {}
        }
        fastest = fastest.min(start.elapsed());
    }
    (me == 0).then_some(fastest)
}
// ANCHOR_END: ping

/// A child process of this binary that echoes every message back: the pipe side of the
/// comparison. Dropping it ends the child.
pub struct PipeEcho {
    child: OwnedChild,
    to: std::process::ChildStdin,
    from: std::process::ChildStdout,
}

impl PipeEcho {
    pub fn start(program: &Path) -> anyhow::Result<Self> {
        let mut command = Command::new(program);
        command
            .arg("pipe-echo")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        let mut child = OwnedChild::spawn(&mut command).context("cannot start the echo process")?;
        let (to, from) = child.take_pipes();
        let (to, from) = to.zip(from).context("the echo process has no pipes")?;
        Ok(Self { child, to, from })
    }

    /// The fastest of `trips` round trips of `bytes` through the child.
    pub fn round_trip(&mut self, bytes: usize, trips: usize) -> io::Result<Duration> {
        let mut buffer = vec![0u8; bytes];
        let mut fastest = Duration::MAX;
        for _ in 0..trips {
            let start = Instant::now();
            self.to.write_all(&(bytes as u64).to_le_bytes())?;
            self.to.write_all(&buffer)?;
            self.from.read_exact(&mut buffer)?;
            fastest = fastest.min(start.elapsed());
        }
        Ok(fastest)
    }

    /// Close the child's input, so that it ends, and wait for it.
    pub fn stop(self) -> anyhow::Result<()> {
        let Self {
            mut child,
            to,
            from,
        } = self;
        drop((to, from));
        let status = child.wait_or_kill(Duration::from_secs(5))?;
        anyhow::ensure!(status.success(), "the echo process ended with {status}");
        Ok(())
    }
}

/// The child's side: read a length and that many bytes, write the bytes back, until the
/// input ends.
pub fn echo(mut input: impl Read, mut output: impl Write) -> io::Result<()> {
    let mut buffer = Vec::new();
    loop {
        let mut length = [0u8; 8];
        match input.read_exact(&mut length) {
            Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            other => other?,
        }
        let length = usize::try_from(u64::from_le_bytes(length)).map_err(io::Error::other)?;
        buffer.resize(length, 0);
        input.read_exact(&mut buffer)?;
        output.write_all(&buffer)?;
        output.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_double_from_8_bytes_and_small_ones_repeat_more() {
        let sizes = sizes(64 << 20);
        assert_eq!(sizes.first(), Some(&(8, 2000)));
        assert_eq!(sizes.last(), Some(&(64 << 20, 4)));
        assert_eq!(sizes.len(), 24);
        assert!(
            sizes
                .windows(2)
                .all(|w| w[1].0 == 2 * w[0].0 && w[1].1 <= w[0].1)
        );
    }

    #[test]
    fn echo_sends_every_message_back() {
        let mut input = Vec::new();
        for message in [&b"hello"[..], b"", b"x"] {
            input.extend((message.len() as u64).to_le_bytes());
            input.extend(message);
        }
        let mut output = Vec::new();
        echo(&input[..], &mut output).unwrap();
        assert_eq!(output, b"hellox");
        assert!(
            echo(&input[..3], &mut Vec::new()).is_ok(),
            "a cut length is the end"
        );
    }
}
