//! One request, made with a blocking socket (for threads) or a tokio socket (for tasks).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Why a request got no answer: one line, naming the request.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("request {id}: connection refused by {addr}; is the server running?")]
    Refused { id: u64, addr: SocketAddr },
    #[error("request {id}: no answer from {addr} within {} ms", .patience.as_millis())]
    TimedOut {
        id: u64,
        addr: SocketAddr,
        patience: Duration,
    },
    #[error("request {id}: {source}")]
    Io { id: u64, source: std::io::Error },
    #[error("request {id}: the server sent {line:?}, not a number")]
    Garbled { id: u64, line: String },
    #[error(transparent)]
    Stopped(#[from] harness::stop::Stopped),
}

/// Where a request goes, and how long it may take before the client gives up on it.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub addr: SocketAddr,
    pub patience: Duration,
}

impl Target {
    /// What an I/O error of request `id` means.
    fn error(&self, id: u64, err: std::io::Error) -> RequestError {
        use std::io::ErrorKind::{ConnectionRefused, TimedOut, WouldBlock};
        let (addr, patience) = (self.addr, self.patience);
        match err.kind() {
            ConnectionRefused => RequestError::Refused { id, addr },
            TimedOut | WouldBlock => RequestError::TimedOut { id, addr, patience },
            _ => RequestError::Io { id, source: err },
        }
    }

    // ANCHOR: blocking
    /// Request `id` over a blocking socket: this thread sleeps in the kernel until the answer
    /// comes.
    pub fn request(&self, id: u64) -> Result<u64, RequestError> {
        harness::stop::check()?;
        let ask = || {
            let mut stream = TcpStream::connect_timeout(&self.addr, self.patience)?;
            stream.set_read_timeout(Some(self.patience))?;
            stream.write_all(format!("{id}\n").as_bytes())?;
            let mut answer = Answer::default();
            while !answer.is_complete() {
                let read = stream.read(answer.room())?;
                answer.took(read);
            }
            Ok(answer)
        };
        let answer = ask().map_err(|err| self.error(id, err))?;
        answer.parse(id)
    }
    // ANCHOR_END: blocking

    // ANCHOR: async
    /// Request `id` over a tokio socket: at each `.await` that cannot go on yet, the task
    /// hands its thread back to the runtime, which polls another task.
    pub async fn request_async(&self, id: u64) -> Result<u64, RequestError> {
        harness::stop::check()?;
        let ask = async {
            let mut stream = tokio::net::TcpStream::connect(self.addr).await?;
            stream.write_all(format!("{id}\n").as_bytes()).await?;
            let mut answer = Answer::default();
            while !answer.is_complete() {
                let read = stream.read(answer.room()).await?;
                answer.took(read);
            }
            Ok(answer)
        };
        let answer = match tokio::time::timeout(self.patience, ask).await {
            Ok(answer) => answer.map_err(|err| self.error(id, err))?,
            Err(_elapsed) => Err(self.error(id, std::io::ErrorKind::TimedOut.into()))?,
        };
        answer.parse(id)
    }
    // ANCHOR_END: async
}

/// An answer line as it arrives, in a buffer of its own size: a reader with the usual 8 KiB
/// buffer would cost every waiting request more than the rest of its state.
#[derive(Default)]
struct Answer {
    bytes: [u8; 32],
    len: usize,
    closed: bool,
}

impl Answer {
    /// Where the next read goes.
    fn room(&mut self) -> &mut [u8] {
        &mut self.bytes[self.len..]
    }

    /// Count `read` more bytes in; 0 is the server closing the connection.
    fn took(&mut self, read: usize) {
        self.len += read;
        self.closed |= read == 0;
    }

    /// A whole line, or all there will be.
    fn is_complete(&self) -> bool {
        self.closed || self.len == self.bytes.len() || self.bytes[..self.len].contains(&b'\n')
    }

    fn parse(&self, id: u64) -> Result<u64, RequestError> {
        let line = String::from_utf8_lossy(&self.bytes[..self.len]);
        line.trim().parse().map_err(|_| RequestError::Garbled {
            id,
            line: line.into_owned(),
        })
    }
}
