//! Framed messages over a worker's stdin and stdout, and the parent's end of a worker that
//! must answer each message within a deadline: a stuck worker is killed and named, never
//! waited for for ever.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::process::{ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::child::OwnedChild;

/// Refuse a length prefix above this: it can only come from a broken stream.
const MAX_MESSAGE: usize = 1 << 30;

/// How long a worker that closed its end of a pipe gets to exit before it is killed.
const GRACE: Duration = Duration::from_secs(2);

// ANCHOR: frames
/// Send one message: its length as four little-endian bytes, then its postcard encoding.
/// Returns the number of bytes written.
pub fn send<T: Serialize>(to: &mut impl Write, message: &T) -> io::Result<usize> {
    let bytes = postcard::to_stdvec(message).map_err(io::Error::other)?;
    let length = u32::try_from(bytes.len()).map_err(io::Error::other)?;
    to.write_all(&length.to_le_bytes())?;
    to.write_all(&bytes)?;
    to.flush()?;
    Ok(4 + bytes.len())
}

/// Read one message written by [`send`] and the bytes it took; `None` at end of input.
pub fn receive<T: DeserializeOwned>(from: &mut impl Read) -> io::Result<Option<(T, usize)>> {
    let Some(bytes) = receive_frame(from)? else {
        return Ok(None);
    };
    let message = postcard::from_bytes(&bytes).map_err(invalid)?;
    Ok(Some((message, 4 + bytes.len())))
}

fn receive_frame(from: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut length = [0; 4];
    match from.read_exact(&mut length) {
        Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let length = u32::from_le_bytes(length) as usize;
    if length > MAX_MESSAGE {
        return Err(invalid(format!("a message of {length} bytes is too long")));
    }
    let mut bytes = vec![0; length];
    from.read_exact(&mut bytes)?;
    Ok(Some(bytes))
}
// ANCHOR_END: frames

fn invalid(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, err)
}

/// What the reading thread hands over: a frame, the end of input, or a broken pipe.
type Frame = io::Result<Option<Vec<u8>>>;

/// The parent's end of one worker process: its pipes, and how long it may take to answer.
pub struct Link {
    name: String,
    deadline: Duration,
    to: BufWriter<ChildStdin>,
    /// Frames read from the worker's stdout by a thread of their own, so that waiting for
    /// one can give up at the deadline.
    from: Receiver<Frame>,
    child: OwnedChild,
}

impl Link {
    /// Start `command` with piped stdin and stdout. `name` ("pool worker 1") goes into
    /// every error about it.
    pub fn start(name: String, command: &mut Command, deadline: Duration) -> io::Result<Self> {
        command.stdin(Stdio::piped()).stdout(Stdio::piped());
        let mut child = OwnedChild::spawn(command)?;
        let (stdin, stdout) = child.take_pipes();
        let (to, mut stdout) = (
            stdin.expect("piped"),
            BufReader::new(stdout.expect("piped")),
        );
        let (frames, from) = std::sync::mpsc::channel();
        // The thread ends when the worker's stdout closes: at its exit, or when it is killed.
        std::thread::spawn(move || {
            loop {
                let frame = receive_frame(&mut stdout);
                let last = !matches!(frame, Ok(Some(_)));
                if frames.send(frame).is_err() || last {
                    break;
                }
            }
        });
        let to = BufWriter::new(to);
        Ok(Self {
            name,
            deadline,
            to,
            from,
            child,
        })
    }

    /// The worker's name and process id, for messages: `pool worker 1 (pid 4242)`.
    pub fn who(&self) -> String {
        format!("{} (pid {})", self.name, self.child.id())
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Send `task` and wait for the answer, at most the deadline; the answer and the bytes
    /// moved both ways. An error names the worker, what it was `doing`, and how it ended.
    pub fn ask<T: Serialize, R: DeserializeOwned>(
        &mut self,
        task: &T,
        doing: &str,
    ) -> anyhow::Result<(R, usize)> {
        let sent = self.tell(task, doing)?;
        let (answer, received) = self.answer(doing)?;
        Ok((answer, sent + received))
    }

    // ANCHOR: ask
    /// Wait for the worker's next message, at most the deadline; a worker that is late is
    /// killed. Ctrl-C or SIGTERM ends the wait too.
    pub fn answer<R: DeserializeOwned>(&mut self, doing: &str) -> anyhow::Result<(R, usize)> {
        let start = Instant::now();
        loop {
            crate::stop::check()?;
            match self.from.recv_timeout(Duration::from_millis(50)) {
                Ok(Ok(Some(frame))) => {
                    let answer = postcard::from_bytes(&frame)
                        .with_context(|| format!("{} sent garbage", self.who()))?;
                    return Ok((answer, 4 + frame.len()));
                }
                Ok(Ok(None)) | Err(RecvTimeoutError::Disconnected) => return self.died(doing),
                Ok(Err(err)) => bail!("{} broke off while {doing}: {err}", self.who()),
                Err(RecvTimeoutError::Timeout) if start.elapsed() < self.deadline => {}
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill(); // it may still answer as we kill it: too late
                    let limit = self.deadline.as_secs_f64();
                    bail!(
                        "{} did not answer within {limit} s while {doing}; killed",
                        self.who()
                    )
                }
            }
        }
    }
    // ANCHOR_END: ask

    /// Send one message; the bytes written. A worker that has died (before or while it was
    /// `doing` the task) is reported as such.
    pub fn tell<T: Serialize>(&mut self, task: &T, doing: &str) -> anyhow::Result<usize> {
        match send(&mut self.to, task) {
            Ok(sent) => Ok(sent),
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => self.died(doing),
            Err(err) => Err(err).with_context(|| format!("cannot write to {}", self.who())),
        }
    }

    fn died<R>(&mut self, doing: &str) -> anyhow::Result<R> {
        let status = self.child.wait_or_kill(GRACE)?;
        bail!("{} died while {doing}: {status}", self.who())
    }

    /// Close the worker's stdin, which ends its loop, and wait for it to exit (killed after
    /// the deadline). An error unless it ended well.
    pub fn close(self) -> anyhow::Result<ExitStatus> {
        let mut ended = Self::close_all(vec![self]);
        ended.pop().expect("one link, one status")
    }

    /// Close every worker's stdin at once, then wait for them all, each at most its deadline
    /// from now; one still running then is killed. How each ended: an error unless it ended
    /// well.
    pub fn close_all(links: Vec<Self>) -> Vec<anyhow::Result<ExitStatus>> {
        let now = Instant::now();
        let children: Vec<_> = links
            .into_iter()
            .map(|link| (link.name, now + link.deadline, link.child)) // the pipes drop here
            .collect();
        let ended = |(name, until, mut child): (String, Instant, OwnedChild)| {
            let status = child.wait_or_kill(until.saturating_duration_since(Instant::now()))?;
            anyhow::ensure!(
                status.success(),
                "{name} (pid {}) ended with {status}",
                child.id()
            );
            Ok(status)
        };
        children.into_iter().map(ended).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_back_as_they_were_sent_and_a_closed_pipe_is_none() {
        let mut pipe = Vec::new();
        let messages = [(7u32, vec![1u8, 2]), (0, vec![]), (9, vec![255; 300])];
        let mut written = 0;
        for message in &messages {
            written += send(&mut pipe, message).unwrap();
        }
        assert_eq!(written, pipe.len());
        let mut reader = pipe.as_slice();
        for message in &messages {
            let (back, _) = receive::<(u32, Vec<u8>)>(&mut reader).unwrap().unwrap();
            assert_eq!(&back, message);
        }
        assert!(receive::<(u32, Vec<u8>)>(&mut reader).unwrap().is_none());
    }

    #[test]
    fn cut_and_garbled_messages_are_errors() {
        let mut pipe = Vec::new();
        send(&mut pipe, &vec![1u8; 100]).unwrap();
        let err = receive::<Vec<u8>>(&mut &pipe[..50]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        let huge = u32::MAX.to_le_bytes();
        let err = receive::<Vec<u8>>(&mut &huge[..]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let garbage = [2, 0, 0, 0, 0xff, 0xff];
        let err = receive::<Vec<u8>>(&mut &garbage[..]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn a_worker_that_does_not_answer_is_killed_at_its_deadline() {
        // `sleep` reads nothing and writes nothing: a stuck worker.
        let mut command = Command::new("sleep");
        command.arg("600");
        let deadline = Duration::from_millis(300);
        let mut link = Link::start("worker 3".into(), &mut command, deadline).unwrap();
        let start = Instant::now();
        let err = link.ask::<u8, u8>(&1, "waiting").unwrap_err().to_string();
        assert!(err.starts_with("worker 3 (pid "), "{err}");
        assert!(
            err.ends_with("did not answer within 0.3 s while waiting; killed"),
            "{err}"
        );
        assert!(start.elapsed() < Duration::from_secs(60));
    }

    #[test]
    fn a_worker_that_exits_is_named_with_its_status() {
        let mut command = Command::new("sh");
        command.args(["-c", "exit 4"]);
        let mut link =
            Link::start("worker 0".into(), &mut command, Duration::from_secs(60)).unwrap();
        let err = link.ask::<u8, u8>(&1, "echoing").unwrap_err().to_string();
        assert!(err.contains("died while echoing: exit status: 4"), "{err}");
    }
}
